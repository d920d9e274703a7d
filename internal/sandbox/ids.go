package sandbox

import (
	"fmt"
	"strconv"
)

// Object IDs are reversible: the sandbox never keeps an id → object table for generated data.
// A 64-bit key (account index, transaction sequence, ...) goes through a keyed Feistel
// permutation, is written as 11 base62 digits least-significant first (so the first characters
// vary between neighbouring objects: DuckDB zone maps keep only an 8-byte prefix), and is
// followed by check characters derived from the permuted value. Decoding inverts the
// permutation and rejects any id whose check characters do not match.

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

type idKind struct {
	prefix string
	tag    uint64
	length int // characters after the prefix, >= 11
}

var (
	kindCustomer    = idKind{"cus_", 1, 14}
	kindAccount     = idKind{"fca_", 2, 24}
	kindTransaction = idKind{"fctxn_", 3, 24}
	kindOwnership   = idKind{"fcaowns_", 4, 24}
	kindOwner       = idKind{"fcaown_", 5, 24}
	kindSession     = idKind{"fcsess_", 6, 24}
	kindRefresh     = idKind{"fctxnref_", 7, 14} // followed by a 10-digit counter
	kindRequest     = idKind{"req_", 8, 14}
	kindSecret      = idKind{"", 9, 24}
	kindPayment     = idKind{"pi_", 10, 24}
	kindPayMethod   = idKind{"pm_", 11, 24}
	kindSetup       = idKind{"seti_", 12, 24}
	kindMandate     = idKind{"mandate_", 13, 24}
	kindCharge      = idKind{"py_", 14, 24} // ACH charges are py_ objects
	kindDispute     = idKind{"dp_", 15, 24}
	kindEvent       = idKind{"evt_", 16, 24}
	kindEndpoint    = idKind{"we_", 17, 24}
)

// Key layout. Account and customer keys below linkedBit are generated indexes; keys with the
// bit set are objects created at run time (POST /v1/customers, session completion).
const (
	linkedBit  = uint64(1) << 38
	maxKey     = uint64(1) << 39
	seqBits    = 24
	seqMask    = uint64(1)<<seqBits - 1
	refreshLen = 10
)

type idCodec struct{ seed uint64 }

func (c idCodec) roundKey(k idKind, round int) uint64 {
	return mixAll(c.seed, k.tag, uint64(round))
}

func (c idCodec) permute(k idKind, v uint64) uint64 {
	l, r := uint32(v>>32), uint32(v)
	for i := 0; i < 4; i++ {
		l, r = r, l^uint32(mix64(uint64(r)^c.roundKey(k, i)))
	}
	return uint64(l)<<32 | uint64(r)
}

func (c idCodec) unpermute(k idKind, v uint64) uint64 {
	l, r := uint32(v>>32), uint32(v)
	for i := 3; i >= 0; i-- {
		l, r = r^uint32(mix64(uint64(l)^c.roundKey(k, i))), l
	}
	return uint64(l)<<32 | uint64(r)
}

// body returns the characters after the prefix for key v.
func (c idCodec) body(k idKind, v uint64) []byte {
	return c.appendBody(make([]byte, 0, k.length), k, v)
}

// appendID appends the whole id (prefix included) for key v.
func (c idCodec) appendID(b []byte, k idKind, v uint64) []byte {
	return c.appendBody(append(b, k.prefix...), k, v)
}

func (c idCodec) appendBody(out []byte, k idKind, v uint64) []byte {
	p := c.permute(k, v)
	n := len(out) + k.length
	x := p
	for i := 0; i < 11; i++ {
		out = append(out, base62[x%62])
		x /= 62
	}
	chk := rng{s: mixAll(c.seed, k.tag, p, 0xc4ec)}
	for len(out) < n {
		out = append(out, base62[chk.intn(62)])
	}
	return out
}

func (c idCodec) encode(k idKind, v uint64) string {
	return k.prefix + string(c.body(k, v))
}

// decode returns the key behind id, or false if id was not made by this codec for kind k.
func (c idCodec) decode(k idKind, id string) (uint64, bool) {
	if len(id) != len(k.prefix)+k.length || id[:len(k.prefix)] != k.prefix {
		return 0, false
	}
	b := id[len(k.prefix):]
	var p uint64
	for i := 10; i >= 0; i-- {
		d := digit62(b[i])
		if d < 0 {
			return 0, false
		}
		hi := p * 62
		if p != 0 && hi/62 != p {
			return 0, false
		}
		np := hi + uint64(d)
		if np < hi {
			return 0, false
		}
		p = np
	}
	v := c.unpermute(k, p)
	if string(c.body(k, v)) != b {
		return 0, false
	}
	return v, true
}

func digit62(ch byte) int {
	switch {
	case ch >= '0' && ch <= '9':
		return int(ch - '0')
	case ch >= 'A' && ch <= 'Z':
		return int(ch-'A') + 10
	case ch >= 'a' && ch <= 'z':
		return int(ch-'a') + 36
	}
	return -1
}

// refreshID names transaction refresh attempt n (1-based) of an account. The counter is
// zero-padded after a stable per-account prefix so that ids sort in refresh order.
func (c idCodec) refreshID(acct uint64, n int) string {
	return fmt.Sprintf("%s%s%0*d", kindRefresh.prefix, c.body(kindRefresh, acct), refreshLen, n)
}

func (c idCodec) decodeRefresh(id string) (acct uint64, n int, ok bool) {
	pl := len(kindRefresh.prefix) + kindRefresh.length
	if len(id) != pl+refreshLen {
		return 0, 0, false
	}
	acct, ok = c.decode(kindRefresh, id[:pl])
	if !ok {
		return 0, 0, false
	}
	v, err := strconv.ParseUint(id[pl:], 10, 31)
	if err != nil {
		return 0, 0, false
	}
	return acct, int(v), true
}
