package stripeclient

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// transport is the HTTP layer under stripe-go: it paces requests with one token bucket per Stripe
// limit (reads and writes are limited separately) and retries what Stripe says is retryable. It
// replaces stripe-go's own retries so that one place decides, counts and paces them.
type transport struct {
	base        http.RoundTripper
	read, write *bucket // nil: unlimited
	maxRetries  int
	backoffBase time.Duration
	stats       *Stats
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	b := t.write
	if req.Method == http.MethodGet {
		b = t.read
	}
	endpoint := endpointOf(req.Method, req.URL.Path)
	for attempt := 0; ; attempt++ {
		if err := b.wait(ctx); err != nil {
			return nil, err
		}
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req.Body = body
		}
		resp, err := t.base.RoundTrip(req)
		if err == nil {
			// Read the body here so that a connection dropped mid-body is retried like any
			// other network error (stripe-go would fail on it after RoundTrip returned).
			if err = bufferBody(resp); err != nil {
				resp = nil
			}
		}
		t.stats.record(endpoint, resp, err)
		retry, after := shouldRetry(ctx, resp, err)
		if !retry || attempt >= t.maxRetries {
			return resp, err
		}
		if err == nil {
			resp.Body.Close() // already read into memory
		}
		t.stats.Retries.Add(1)
		wait := max(after, t.backoff(attempt))
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-timer.C:
		}
	}
}

// bufferBody replaces resp.Body with its fully read contents.
func bufferBody(resp *http.Response) error {
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return nil
}

// backoff is exponential with full jitter: a random wait in [d/2, d), d = base·2^attempt ≤ 8 s.
func (t *transport) backoff(attempt int) time.Duration {
	d := min(t.backoffBase<<attempt, 8*time.Second)
	return d/2 + rand.N(d/2+1)
}

// shouldRetry follows Stripe's advice: the Stripe-Should-Retry header when present; otherwise
// network errors, 409 (a concurrent request with the same idempotency key, or a lock), 429 and
// 5xx. POSTs are safe to retry because stripe-go sends the same Idempotency-Key each time.
// after is the server's Retry-After, if any.
func shouldRetry(ctx context.Context, resp *http.Response, err error) (retry bool, after time.Duration) {
	if ctx.Err() != nil {
		return false, 0
	}
	if err != nil {
		return true, 0
	}
	if s, e := strconv.Atoi(resp.Header.Get("Retry-After")); e == nil && s > 0 {
		after = time.Duration(s) * time.Second
	}
	switch resp.Header.Get("Stripe-Should-Retry") {
	case "true":
		return true, after
	case "false":
		return false, 0
	}
	c := resp.StatusCode
	return c == http.StatusConflict || c == http.StatusTooManyRequests || c >= 500, after
}

// bucket is a token bucket: rate tokens a second, at most burst saved up. wait reserves a token
// and sleeps until it is due, so concurrent callers are spaced evenly.
type bucket struct {
	rate  float64
	burst float64

	mu     sync.Mutex
	tokens float64
	last   time.Time
}

func newBucket(perSecond float64) *bucket {
	if perSecond <= 0 {
		return nil
	}
	// A small burst keeps us inside a per-second window on the server's side.
	burst := max(1, perSecond/20)
	return &bucket{rate: perSecond, burst: burst, tokens: burst}
}

func (b *bucket) wait(ctx context.Context) error {
	if b == nil {
		return ctx.Err()
	}
	b.mu.Lock()
	now := time.Now()
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	b.tokens--
	deficit := -b.tokens
	b.mu.Unlock()
	if deficit <= 0 {
		return ctx.Err()
	}
	timer := time.NewTimer(time.Duration(deficit / b.rate * float64(time.Second)))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		b.mu.Lock()
		b.tokens++ // give the reservation back
		b.mu.Unlock()
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// Stats counts what the client sent. It is safe for concurrent use.
type Stats struct {
	Retries   atomic.Int64
	RateLimit atomic.Int64 // 429 answers

	mu       sync.Mutex
	requests map[RequestKey]int64
}

// RequestKey labels a request count.
type RequestKey struct {
	Endpoint string // e.g. "GET /v1/financial_connections/accounts/{id}"
	Status   string // HTTP status code, or "error" for a network error
}

func (s *Stats) record(endpoint string, resp *http.Response, err error) {
	status := "error"
	if err == nil {
		status = strconv.Itoa(resp.StatusCode)
		if resp.StatusCode == http.StatusTooManyRequests {
			s.RateLimit.Add(1)
		}
	}
	s.mu.Lock()
	if s.requests == nil {
		s.requests = map[RequestKey]int64{}
	}
	s.requests[RequestKey{endpoint, status}]++
	s.mu.Unlock()
}

// Requests returns a copy of the request counts.
func (s *Stats) Requests() map[RequestKey]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[RequestKey]int64, len(s.requests))
	for k, v := range s.requests {
		out[k] = v
	}
	return out
}

// Total returns the number of requests sent, retries included.
func (s *Stats) Total() int64 {
	var n int64
	for _, v := range s.Requests() {
		n += v
	}
	return n
}

// endpointOf replaces object IDs in a path with {id} so counts group by endpoint.
func endpointOf(method, path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if isObjectID(p) {
			parts[i] = "{id}"
		}
	}
	return method + " " + strings.Join(parts, "/")
}

// isObjectID tells a Stripe object ID (prefix_ then letters and digits with at least one digit
// or capital) from a path word such as financial_connections.
func isObjectID(s string) bool {
	j := strings.IndexByte(s, '_')
	if j <= 0 || j == len(s)-1 {
		return false
	}
	return strings.ContainsAny(s[j+1:], "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}
