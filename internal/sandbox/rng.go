package sandbox

import (
	"math"
	"math/bits"
)

// rng is a small deterministic generator (splitmix64). The sandbox uses its own instead of
// math/rand so that a seed yields the same data on every Go release.
type rng struct{ s uint64 }

func newRNG(parts ...uint64) *rng {
	return &rng{s: mixAll(parts...)}
}

// mix64 is the splitmix64 finaliser: a good 64-bit bijective mixer.
func mix64(z uint64) uint64 {
	z ^= z >> 30
	z *= 0xbf58476d1ce4e5b9
	z ^= z >> 27
	z *= 0x94d049bb133111eb
	z ^= z >> 31
	return z
}

// mixAll hashes a tuple of integers into one well-mixed value.
func mixAll(parts ...uint64) uint64 {
	h := uint64(0x243f6a8885a308d3)
	for _, p := range parts {
		h = mix64(h ^ p + 0x9e3779b97f4a7c15)
	}
	return h
}

func (r *rng) u64() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix64(r.s)
}

// intn returns a value in [0, n); n <= 0 yields 0.
func (r *rng) intn(n int) int {
	if n <= 0 {
		return 0
	}
	hi, _ := bits.Mul64(r.u64(), uint64(n))
	return int(hi)
}

// between returns an int in [lo, hi] inclusive.
func (r *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.intn(hi-lo+1)
}

// cents returns an amount in cents uniformly in [lo, hi] dollars, cents included.
func (r *rng) cents(lo, hi float64) int64 {
	l, h := int64(lo*100), int64(hi*100)
	if h <= l {
		return l
	}
	return l + int64(r.intn(int(h-l+1)))
}

func (r *rng) float() float64 { return float64(r.u64()>>11) / (1 << 53) }

func (r *rng) chance(p float64) bool { return r.float() < p }

// norm returns a standard normal variate (Box-Muller).
func (r *rng) norm() float64 {
	u1 := r.float()
	if u1 < 1e-12 {
		u1 = 1e-12
	}
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*r.float())
}

// poisson draws a Poisson count with mean lambda (Knuth; fine for small means).
func (r *rng) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.float()
		if p <= l {
			return k
		}
		k++
	}
}

func pick[T any](r *rng, xs []T) T { return xs[r.intn(len(xs))] }
