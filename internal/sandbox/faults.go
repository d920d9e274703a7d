package sandbox

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Stripe's documented per-second request limits, for RateLimit.
const (
	StripeTestModeRate = 25
	StripeLiveModeRate = 100
)

// RateLimit caps API requests per second, with separate token buckets for reads (GET) and
// writes (everything else), each holding one second's worth of tokens. 0 means no limit.
// Requests over the limit get Stripe's 429 rate_limit error.
type RateLimit struct {
	Read, Write int
}

// ParseRateLimit parses "READ/WRITE" (e.g. "25/25", "100/100"), a single number for both, or
// "0"/"off" for no limit.
func ParseRateLimit(spec string) (RateLimit, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" || spec == "off" || spec == "0" {
		return RateLimit{}, nil
	}
	r, w, two := strings.Cut(spec, "/")
	if !two {
		w = r
	}
	read, err1 := strconv.Atoi(strings.TrimSpace(r))
	write, err2 := strconv.Atoi(strings.TrimSpace(w))
	if err1 != nil || err2 != nil || read < 0 || write < 0 {
		return RateLimit{}, fmt.Errorf("rate limit %q: want READ/WRITE requests per second, e.g. 25/25 (0 = no limit)", spec)
	}
	return RateLimit{Read: read, Write: write}, nil
}

// String renders the limit as ParseRateLimit reads it.
func (r RateLimit) String() string { return fmt.Sprintf("%d/%d", r.Read, r.Write) }

// bucket is a token bucket on the wall clock; a nil bucket never limits.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	tokens float64
	last   time.Time
}

func newBucket(rate int, now time.Time) *bucket {
	if rate <= 0 {
		return nil
	}
	return &bucket{rate: float64(rate), tokens: float64(rate), last: now}
}

func (b *bucket) take(now time.Time) bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if d := now.Sub(b.last).Seconds(); d > 0 {
		b.tokens = min(b.rate, b.tokens+d*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// DefaultSlowBody is how long a slow response body takes when Faults.SlowBody is 0.
const DefaultSlowBody = 2 * time.Second

// Faults injects seeded failures into API (/v1) requests; the zero value injects none. Rates
// are fractions of requests, 0–1, drawn from one generator seeded with Seed, so a given
// sequence of requests meets the same faults every run.
//
// Faults never corrupt state: a 5xx, 429 or lock_timeout is answered before the request
// executes, so nothing was applied and nothing is stored for idempotent replay (a retry runs
// the request). A dropped connection or a slow body happens after the request executed: the
// change stands and a retry with the same Idempotency-Key replays the stored response.
type Faults struct {
	// ServerErrors answers 500 or 503 with an api_error.
	ServerErrors float64
	// RateLimits answers 429 with code rate_limit (stripe-go does not retry these).
	RateLimits float64
	// LockTimeouts answers 429 with code lock_timeout (stripe-go retries these).
	LockTimeouts float64
	// Latency is the median extra latency of every request; LatencyP99 its 99th percentile
	// (log-normal). LatencyP99 0 means a constant Latency.
	Latency, LatencyP99 time.Duration
	// Drops hijacks the connection and closes it halfway through the response body.
	Drops float64
	// SlowBodies trickles the response body out over SlowBody (0 means DefaultSlowBody).
	SlowBodies float64
	SlowBody   time.Duration
	// Seed seeds the fault generator.
	Seed int64
}

// ParseFaults parses a comma-separated fault spec, for example
//
//	5xx=0.10,429=0.05,lock=0.01,latency=50ms:p99=2s,drop=0.01,slow=0.01:3s,seed=7
//
// Keys: 5xx, 429, lock, drop and slow take a rate in [0,1] (slow also an optional
// ":DURATION" for the whole body); latency takes a median duration and an optional
// ":p99=DURATION"; seed takes an integer. "" and "none" mean no faults. Errors name the key.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	spec = strings.TrimSpace(spec)
	if spec == "" || spec == "none" || spec == "off" {
		return f, nil
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		key, val, ok := strings.Cut(part, "=")
		key = strings.TrimSpace(key)
		if !ok || strings.TrimSpace(val) == "" {
			return Faults{}, fmt.Errorf("faults: %q needs a value (%s=...)", key, key)
		}
		if seen[key] {
			return Faults{}, fmt.Errorf("faults: %s: given twice", key)
		}
		seen[key] = true
		var err error
		switch key {
		case "5xx":
			f.ServerErrors, err = parseRate(val)
		case "429":
			f.RateLimits, err = parseRate(val)
		case "lock":
			f.LockTimeouts, err = parseRate(val)
		case "drop":
			f.Drops, err = parseRate(val)
		case "slow":
			rate, dur, hasDur := strings.Cut(val, ":")
			if f.SlowBodies, err = parseRate(rate); err == nil && hasDur {
				f.SlowBody, err = parseDuration(dur)
			}
		case "latency":
			med, rest, hasP99 := strings.Cut(val, ":")
			if f.Latency, err = parseDuration(med); err == nil && hasP99 {
				p, v, ok := strings.Cut(rest, "=")
				if !ok || p != "p99" {
					err = fmt.Errorf("want MEDIAN or MEDIAN:p99=DURATION, got %q", val)
				} else {
					f.LatencyP99, err = parseDuration(v)
				}
			}
		case "seed":
			f.Seed, err = strconv.ParseInt(val, 10, 64)
			if err != nil {
				err = fmt.Errorf("want an integer, got %q", val)
			}
		default:
			return Faults{}, fmt.Errorf("faults: unknown key %q (want 5xx, 429, lock, latency, drop, slow or seed)", key)
		}
		if err != nil {
			return Faults{}, fmt.Errorf("faults: %s: %w", key, err)
		}
	}
	return f, f.validate()
}

func parseRate(v string) (float64, error) {
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(x) || x < 0 || x > 1 {
		return 0, fmt.Errorf("want a rate between 0 and 1, got %q", v)
	}
	return x, nil
}

func parseDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d < 0 {
		return 0, fmt.Errorf("want a duration such as 50ms, got %q", v)
	}
	return d, nil
}

// validate checks ranges; the error names the offending field.
func (f Faults) validate() error {
	rates := []struct {
		name string
		v    float64
	}{{"5xx", f.ServerErrors}, {"429", f.RateLimits}, {"lock", f.LockTimeouts}, {"drop", f.Drops}, {"slow", f.SlowBodies}}
	sum := 0.0
	for _, r := range rates {
		if math.IsNaN(r.v) || r.v < 0 || r.v > 1 {
			return fmt.Errorf("faults: %s: rate must be between 0 and 1, got %v", r.name, r.v)
		}
		sum += r.v
	}
	if sum > 1+1e-9 {
		return errors.New("faults: the rates of 5xx, 429, lock, drop and slow add up to more than 1")
	}
	if f.Latency < 0 || f.LatencyP99 < 0 || f.SlowBody < 0 {
		return errors.New("faults: latency and slow durations must not be negative")
	}
	if f.LatencyP99 > 0 && f.LatencyP99 < f.Latency {
		return fmt.Errorf("faults: latency: p99 %v is below the median %v", f.LatencyP99, f.Latency)
	}
	return nil
}

// String renders the faults as ParseFaults reads them ("none" for no faults).
func (f Faults) String() string {
	var parts []string
	rate := func(k string, v float64) {
		if v > 0 {
			parts = append(parts, k+"="+strconv.FormatFloat(v, 'g', -1, 64))
		}
	}
	rate("5xx", f.ServerErrors)
	rate("429", f.RateLimits)
	rate("lock", f.LockTimeouts)
	if f.Latency > 0 {
		l := "latency=" + f.Latency.String()
		if f.LatencyP99 > 0 {
			l += ":p99=" + f.LatencyP99.String()
		}
		parts = append(parts, l)
	}
	rate("drop", f.Drops)
	if f.SlowBodies > 0 {
		s := "slow=" + strconv.FormatFloat(f.SlowBodies, 'g', -1, 64)
		if f.SlowBody > 0 {
			s += ":" + f.SlowBody.String()
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "none"
	}
	if f.Seed != 0 {
		parts = append(parts, "seed="+strconv.FormatInt(f.Seed, 10))
	}
	return strings.Join(parts, ",")
}

func (f Faults) active() bool {
	return f.ServerErrors > 0 || f.RateLimits > 0 || f.LockTimeouts > 0 || f.Latency > 0 || f.Drops > 0 || f.SlowBodies > 0
}

type faultKind uint8

const (
	faultNone faultKind = iota
	fault500
	fault503
	faultRateLimit
	faultLock
	faultDrop
	faultSlow
)

// faultPlan is what happens to one request.
type faultPlan struct {
	kind  faultKind
	delay time.Duration
}

// injector draws fault plans from the seeded generator.
type injector struct {
	mu    sync.Mutex
	r     rng
	f     Faults
	sigma float64 // log-normal shape of the latency
	slow  time.Duration
}

func newInjector(f Faults) *injector {
	if !f.active() {
		return nil
	}
	in := &injector{r: rng{s: mixAll(uint64(f.Seed), 0xfa17)}, f: f, slow: f.SlowBody}
	if in.slow == 0 {
		in.slow = DefaultSlowBody
	}
	if f.Latency > 0 && f.LatencyP99 > f.Latency {
		const z99 = 2.3263478740408408 // the standard normal's 99th percentile
		in.sigma = math.Log(float64(f.LatencyP99)/float64(f.Latency)) / z99
	}
	return in
}

func (in *injector) plan() faultPlan {
	if in == nil {
		return faultPlan{}
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	var p faultPlan
	if in.f.Latency > 0 {
		p.delay = in.f.Latency
		if in.sigma > 0 {
			p.delay = time.Duration(float64(in.f.Latency) * math.Exp(in.sigma*in.r.norm()))
		}
	}
	x := in.r.float()
	for _, c := range []struct {
		rate float64
		kind faultKind
	}{{in.f.ServerErrors, fault500}, {in.f.RateLimits, faultRateLimit}, {in.f.LockTimeouts, faultLock},
		{in.f.Drops, faultDrop}, {in.f.SlowBodies, faultSlow}} {
		if x < c.rate {
			p.kind = c.kind
			if c.kind == fault500 && in.r.chance(0.5) {
				p.kind = fault503
			}
			return p
		}
		x -= c.rate
	}
	return p
}

func errRateLimited() *apiError {
	return &apiError{Status: 429, Type: "invalid_request_error", Code: "rate_limit", DocURL: docURL("rate_limit"),
		Message: "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests."}
}

func errLockTimeout() *apiError {
	return &apiError{Status: 429, Type: "invalid_request_error", Code: "lock_timeout", DocURL: docURL("lock_timeout"),
		Message: "This object cannot be accessed right now because another API request or Stripe process is currently " +
			"accessing it. If you see this error intermittently, retry the request."}
}

func errServer(status int) *apiError {
	msg := "An unknown error occurred while processing your request. Nothing was changed; it is safe to retry."
	if status == 503 {
		msg = "The Stripe API is temporarily unavailable. Please try again later."
	}
	return &apiError{Status: status, Type: "api_error", Message: msg}
}
