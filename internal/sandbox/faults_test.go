package sandbox_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/riskd/riskd/internal/sandbox"
)

func TestParseFaults(t *testing.T) {
	f, err := sandbox.ParseFaults("5xx=0.10,429=0.05,lock=0.01,latency=50ms:p99=2s,drop=0.01,slow=0.02:3s,seed=7")
	want := sandbox.Faults{ServerErrors: 0.10, RateLimits: 0.05, LockTimeouts: 0.01, Latency: 50 * time.Millisecond,
		LatencyP99: 2 * time.Second, Drops: 0.01, SlowBodies: 0.02, SlowBody: 3 * time.Second, Seed: 7}
	if err != nil || f != want {
		t.Fatalf("ParseFaults = %+v, %v", f, err)
	}
	if back, err := sandbox.ParseFaults(f.String()); err != nil || back != f {
		t.Fatalf("String %q does not round-trip: %+v %v", f.String(), back, err)
	}
	for _, none := range []string{"", "none", " "} {
		if f, err := sandbox.ParseFaults(none); err != nil || f != (sandbox.Faults{}) {
			t.Fatalf("%q: %+v %v", none, f, err)
		}
	}
	for _, tc := range []struct{ spec, mention string }{
		{"5xx=1.5", "5xx"},
		{"429=abc", "429"},
		{"latency=fast", "latency"},
		{"latency=2s:p99=1s", "latency"},
		{"latency=50ms:p95=1s", "latency"},
		{"drop=-0.1", "drop"},
		{"slow=0.1:soon", "slow"},
		{"seed=x", "seed"},
		{"bogus=1", `unknown key "bogus"`},
		{"5xx", `"5xx" needs a value`},
		{"5xx=0.6,429=0.6", "add up to more than 1"},
		{"drop=0.1,drop=0.2", "drop: given twice"},
	} {
		_, err := sandbox.ParseFaults(tc.spec)
		if err == nil || !strings.Contains(err.Error(), tc.mention) {
			t.Errorf("ParseFaults(%q) = %v, want an error mentioning %q", tc.spec, err, tc.mention)
		}
	}
	if _, err := sandbox.New(sandbox.Config{Faults: sandbox.Faults{Drops: 2}}); err == nil || !strings.Contains(err.Error(), "Faults") {
		t.Fatalf("New accepted a drop rate of 2: %v", err)
	}
}

func TestParseRateLimit(t *testing.T) {
	for spec, want := range map[string]sandbox.RateLimit{
		"25/25": {Read: 25, Write: 25}, "100/100": {Read: 100, Write: 100}, "40": {Read: 40, Write: 40},
		"0": {}, "off": {}, "100/0": {Read: 100},
	} {
		if got, err := sandbox.ParseRateLimit(spec); err != nil || got != want {
			t.Errorf("ParseRateLimit(%q) = %+v %v, want %+v", spec, got, err, want)
		}
	}
	for _, bad := range []string{"fast", "25/x", "-1/5", "1/2/3"} {
		if _, err := sandbox.ParseRateLimit(bad); err == nil {
			t.Errorf("ParseRateLimit(%q) accepted", bad)
		}
	}
}

// movableClock is a wall clock the test moves by hand.
type movableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *movableClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestRateLimitReadWrite: separate token buckets for reads and writes, refilled by the wall
// clock, answering Stripe's 429 rate_limit.
func TestRateLimitReadWrite(t *testing.T) {
	clock := &movableClock{t: testStart}
	e := newEnv(t, sandbox.Config{Seed: 70, Accounts: 4, Clock: clock.Now, RateLimit: sandbox.RateLimit{Read: 3, Write: 2}})
	get := func() int {
		code, _, _ := e.raw(t, "GET", "/v1/customers?limit=1", "")
		return code
	}
	post := func() (int, []byte) {
		code, _, body := e.raw(t, "POST", "/v1/customers", "email=w%40example.com")
		return code, body
	}
	for i := 0; i < 3; i++ {
		if c := get(); c != 200 {
			t.Fatalf("read %d: %d", i, c)
		}
	}
	code, _, body := e.raw(t, "GET", "/v1/customers?limit=1", "")
	var env struct {
		Error struct{ Type, Code, Message string }
	}
	if json.Unmarshal(body, &env); code != 429 || env.Error.Type != "invalid_request_error" || env.Error.Code != "rate_limit" {
		t.Fatalf("4th read in a second: %d %s", code, body)
	}
	// Writes have their own bucket.
	for i := 0; i < 2; i++ {
		if c, b := post(); c != 200 {
			t.Fatalf("write %d: %d %s", i, c, b)
		}
	}
	if c, _ := post(); c != 429 {
		t.Fatalf("3rd write in a second: %d", c)
	}
	// stripe-go does not retry a rate_limit 429.
	_, err := e.sc.Customers.Get(mustTruth(t, e, e.sb.AccountIDs()[0]).CustomerID, nil)
	if se := stripeErr(t, err, 429); se.Code != stripe.ErrorCodeRateLimit {
		t.Fatalf("stripe-go sees %+v", se)
	}
	// A third of a second (and a hair: 3 × 1/3 s falls just short of one token) refills one
	// read token; a full second refills the bucket.
	clock.Add(time.Second/3 + time.Millisecond)
	if c := get(); c != 200 {
		t.Fatalf("after 1/3 s: %d", c)
	}
	if c := get(); c != 429 {
		t.Fatalf("second read after 1/3 s: %d", c)
	}
	clock.Add(time.Second)
	for i := 0; i < 3; i++ {
		if c := get(); c != 200 {
			t.Fatalf("read %d after refill: %d", i, c)
		}
	}
	// Control endpoints are never limited.
	for i := 0; i < 5; i++ {
		if code, _, _ := e.raw(t, "GET", "/_sandbox/clock", ""); code != 200 {
			t.Fatalf("control endpoint limited: %d", code)
		}
	}
}

func TestFaultServerErrors(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 71, Accounts: 4, Faults: sandbox.Faults{ServerErrors: 1, Seed: 3}})
	seen := map[int]bool{}
	for i := 0; i < 20; i++ {
		code, _, body := e.raw(t, "GET", "/v1/customers", "")
		var env struct{ Error struct{ Type string } }
		if json.Unmarshal(body, &env); (code != 500 && code != 503) || env.Error.Type != "api_error" {
			t.Fatalf("%d %s", code, body)
		}
		seen[code] = true
	}
	if !seen[500] || !seen[503] {
		t.Fatalf("statuses seen: %v, want both 500 and 503", seen)
	}
	_, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String("x@example.com")})
	var se *stripe.Error
	if !errors.As(err, &se) || se.Type != stripe.ErrorTypeAPI {
		t.Fatalf("stripe-go error = %v", err)
	}
}

// TestFaultsNeverCorruptState: with half the requests failing (5xx and lock timeouts before
// executing, drops after), retrying a POST with its Idempotency-Key creates exactly one object,
// and when a dropped attempt had executed, the successful retry is a replay.
func TestFaultsNeverCorruptState(t *testing.T) {
	for _, f := range []sandbox.Faults{{ServerErrors: 0.5, Seed: 11}, {Drops: 0.5, Seed: 12}, {LockTimeouts: 0.5, Seed: 13}} {
		e := newEnv(t, sandbox.Config{Seed: 72, Accounts: 4, Faults: f})
		failures := 0
		const keys = 6
		for k := 0; k < keys; k++ {
			dropped := false
			for {
				req, _ := http.NewRequest("POST", e.srv.URL+"/v1/customers", strings.NewReader("email=one%40example.com"))
				req.Header.Set("Authorization", "Bearer sk_test_f")
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Idempotency-Key", "create-"+strconv.Itoa(k))
				resp, err := http.DefaultClient.Do(req)
				if err == nil {
					_, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				if err != nil {
					dropped = true
					failures++
					continue
				}
				if resp.StatusCode != 200 {
					failures++
					continue
				}
				if replayed := resp.Header.Get("Idempotent-Replayed") == "true"; replayed != dropped {
					t.Fatalf("%v key %d: dropped=%v but replayed=%v", f, k, dropped, replayed)
				}
				break
			}
		}
		if failures == 0 {
			t.Fatalf("%v: no request failed; the test proves nothing", f)
		}
		for {
			code, _, body := e.raw(t, "GET", "/v1/customers?email=one%40example.com&limit=100", "")
			var l struct{ Data []any }
			if code != 200 || json.Unmarshal(body, &l) != nil {
				continue // an injected fault on the read; try again
			}
			if len(l.Data) != keys {
				t.Fatalf("%v: %d customers after %d failed attempts, want %d", f, len(l.Data), failures, keys)
			}
			break
		}
	}
}

func TestFaultRateLimitAndLockTimeout(t *testing.T) {
	for _, tc := range []struct {
		f    sandbox.Faults
		code string
	}{{sandbox.Faults{RateLimits: 1}, "rate_limit"}, {sandbox.Faults{LockTimeouts: 1}, "lock_timeout"}} {
		e := newEnv(t, sandbox.Config{Seed: 73, Accounts: 4, Faults: tc.f})
		code, _, body := e.raw(t, "GET", "/v1/customers", "")
		if code != 429 || !strings.Contains(string(body), `"code":"`+tc.code+`"`) {
			t.Fatalf("%s: %d %s", tc.code, code, body)
		}
	}
}

// TestFaultLatency: a constant latency delays every request; a median/p99 spec draws a
// log-normal distribution with those quantiles.
func TestFaultLatency(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 74, Accounts: 4, Faults: sandbox.Faults{Latency: 30 * time.Millisecond}})
	t0 := time.Now()
	if code, _, _ := e.raw(t, "GET", "/v1/customers?limit=1", ""); code != 200 {
		t.Fatal(code)
	}
	if d := time.Since(t0); d < 30*time.Millisecond {
		t.Fatalf("request took %v, want at least 30ms", d)
	}
	delays, _ := sandbox.FaultPlans(sandbox.Faults{Latency: 40 * time.Millisecond, LatencyP99: time.Second, Seed: 5}, 40_000)
	sort.Slice(delays, func(i, j int) bool { return delays[i] < delays[j] })
	med, p99 := delays[len(delays)/2], delays[len(delays)*99/100]
	if med < 36*time.Millisecond || med > 44*time.Millisecond || p99 < 850*time.Millisecond || p99 > 1150*time.Millisecond {
		t.Fatalf("median %v (want ~40ms), p99 %v (want ~1s)", med, p99)
	}
}

// TestFaultDropAndSlow: a dropped connection is an error to the client (after the request was
// applied); a slow body arrives complete, trickled over SlowBody.
func TestFaultDropAndSlow(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 75, Accounts: 4, Faults: sandbox.Faults{Drops: 1}})
	_, err := e.sc.Customers.Get(mustTruth(t, e, e.sb.AccountIDs()[0]).CustomerID, nil)
	if err == nil || !strings.Contains(err.Error(), "EOF") {
		t.Fatalf("dropped connection: %v", err)
	}

	e = newEnv(t, sandbox.Config{Seed: 75, Accounts: 4, Faults: sandbox.Faults{SlowBodies: 1, SlowBody: 80 * time.Millisecond}})
	t0 := time.Now()
	c, err := e.sc.Customers.Get(mustTruth(t, e, e.sb.AccountIDs()[0]).CustomerID, nil)
	if err != nil || c.Email == "" {
		t.Fatalf("slow body: %v", err)
	}
	if d := time.Since(t0); d < 70*time.Millisecond {
		t.Fatalf("slow body took %v, want about 80ms", d)
	}
}

// TestFaultsAreSeeded: the same seed draws the same faults; another seed other ones.
func TestFaultsAreSeeded(t *testing.T) {
	f := sandbox.Faults{ServerErrors: 0.2, RateLimits: 0.1, Drops: 0.1, SlowBodies: 0.1, Seed: 9}
	_, a := sandbox.FaultPlans(f, 500)
	_, b := sandbox.FaultPlans(f, 500)
	f.Seed = 10
	_, c := sandbox.FaultPlans(f, 500)
	if !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Fatal("fault plans are not a function of the seed")
	}
	counts := map[string]int{}
	for _, k := range a {
		counts[k]++
	}
	if n := counts["500"] + counts["503"]; n < 70 || n > 130 {
		t.Fatalf("%d server errors in 500 draws at rate 0.2", n)
	}
	if counts["drop"] < 30 || counts["slow"] < 30 || counts["429"] < 30 {
		t.Fatalf("fault mix = %v", counts)
	}
}
