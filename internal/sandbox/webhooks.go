package sandbox

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Webhook defaults for Config's zero values.
const (
	DefaultWebhookAttempts  = 6
	DefaultWebhookRetryBase = 10 * time.Second // sandbox time; doubles after each failure
	DefaultWebhookTimeout   = 10 * time.Second
	// DefaultTick is how often the background loop processes due jobs on the wall clock.
	DefaultTick = 100 * time.Millisecond

	webhookSenders   = 8 // concurrent deliveries
	webhookUserAgent = "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
)

// endpoint is a registered webhook endpoint.
type endpoint struct {
	n      uint64 // registration order
	id     string
	url    string
	secret string
	events []string // enabled event types; "*" means all

	delivered atomic.Int64 // 2xx answers, duplicates included
	failed    atomic.Int64 // attempts that got a non-2xx answer, an error or a timeout
}

func (ep *endpoint) wants(typ string) bool {
	return slices.Contains(ep.events, "*") || slices.Contains(ep.events, typ)
}

// delivery is one event on its way to one endpoint.
type delivery struct {
	ev      *eventRec
	ep      *endpoint
	attempt int  // attempts already made
	dup     bool // an at-least-once duplicate of a delivered event
}

// webhooks owns the endpoints and the delivery queue.
type webhooks struct {
	s        *Sandbox
	log      *slog.Logger
	client   *http.Client
	attempts int
	base     time.Duration
	dupRate  float64

	mu        sync.Mutex
	endpoints []*endpoint
	created   uint64 // endpoints ever registered, for ids
	queue     []*delivery
	waiting   map[uint64]*delivery // retries and duplicates parked on the scheduler
	nextWait  uint64
	wake      chan struct{}
}

// Sign returns the Stripe-Signature header value for payload signed at t with an endpoint
// secret (the whole "whsec_..." string is the HMAC key).
func Sign(payload []byte, secret string, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(payload)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// WebhookEndpoint describes a registered endpoint.
type WebhookEndpoint struct {
	ID, URL, Secret string
	// EnabledEvents lists the event types sent to the endpoint; ["*"] means all.
	EnabledEvents []string
	// Delivered counts 2xx answers (duplicates included); Failed counts failed attempts.
	Delivered, Failed int64
}

// AddWebhookEndpoint registers an endpoint that will receive every later event whose type is in
// events (nil or ["*"] means all). An empty secret gets a generated whsec_ secret. Registering
// the first endpoint starts the background delivery loop; call Close to stop it.
func (s *Sandbox) AddWebhookEndpoint(rawURL, secret string, events []string) (WebhookEndpoint, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return WebhookEndpoint{}, fmt.Errorf("sandbox: webhook url must be an absolute http(s) URL, got %q", rawURL)
	}
	if len(events) == 0 {
		events = []string{"*"}
	}
	w := s.wh
	w.mu.Lock()
	n := w.created
	w.created++
	if secret == "" {
		secret = "whsec_" + string(s.ids.body(kindSecret, mixAll(0x5ec, n)))
	}
	if !strings.HasPrefix(secret, "whsec_") {
		w.mu.Unlock()
		return WebhookEndpoint{}, fmt.Errorf("sandbox: webhook secret must start with whsec_")
	}
	ep := &endpoint{n: n, id: s.ids.encode(kindEndpoint, n), url: rawURL, secret: secret, events: slices.Clone(events)}
	w.endpoints = append(w.endpoints, ep)
	w.mu.Unlock()
	s.startLoop()
	return ep.info(), nil
}

func (ep *endpoint) info() WebhookEndpoint {
	return WebhookEndpoint{ID: ep.id, URL: ep.url, Secret: ep.secret, EnabledEvents: slices.Clone(ep.events),
		Delivered: ep.delivered.Load(), Failed: ep.failed.Load()}
}

// WebhookEndpoints lists the registered endpoints with their delivery counts.
func (s *Sandbox) WebhookEndpoints() []WebhookEndpoint {
	s.wh.mu.Lock()
	defer s.wh.mu.Unlock()
	out := make([]WebhookEndpoint, len(s.wh.endpoints))
	for i, ep := range s.wh.endpoints {
		out[i] = ep.info()
	}
	return out
}

// RemoveWebhookEndpoint unregisters an endpoint; deliveries already queued still go out.
func (s *Sandbox) RemoveWebhookEndpoint(id string) bool {
	w := s.wh
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, ep := range w.endpoints {
		if ep.id == id {
			w.endpoints = slices.Delete(w.endpoints, i, i+1)
			return true
		}
	}
	return false
}

// matching returns the endpoints an event of type typ goes to.
func (w *webhooks) matching(typ string) []*endpoint {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []*endpoint
	for _, ep := range w.endpoints {
		if ep.wants(typ) {
			out = append(out, ep)
		}
	}
	return out
}

func (w *webhooks) enqueue(d *delivery) {
	w.mu.Lock()
	w.queue = append(w.queue, d)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *webhooks) pop() *delivery {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.queue) == 0 {
		return nil
	}
	d := w.queue[0]
	w.queue[0] = nil
	w.queue = w.queue[1:]
	return d
}

// park puts d on the scheduler, to be queued again at sandbox time at.
func (w *webhooks) park(d *delivery, at time.Time) {
	w.mu.Lock()
	w.nextWait++
	k := w.nextWait
	w.waiting[k] = d
	w.mu.Unlock()
	w.s.schedule(at, jobDeliver, k)
}

// retryDue moves a parked delivery back to the queue.
func (w *webhooks) retryDue(k uint64) {
	w.mu.Lock()
	d := w.waiting[k]
	delete(w.waiting, k)
	w.mu.Unlock()
	if d != nil {
		w.enqueue(d)
	}
}

// dispatch sends queued deliveries, at most webhookSenders at a time, until ctx is done.
func (w *webhooks) dispatch(ctx context.Context) {
	sem := make(chan struct{}, webhookSenders)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		d := w.pop()
		if d == nil {
			select {
			case <-ctx.Done():
				return
			case <-w.wake:
			}
			continue
		}
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			w.send(ctx, d)
		}()
	}
}

// send makes one delivery attempt and schedules what follows: a retry with exponential
// backoff after a failure (up to the attempt limit), or sometimes a duplicate after a success.
func (w *webhooks) send(ctx context.Context, d *delivery) {
	body := d.ev.appendJSON(nil)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.ep.url, bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", webhookUserAgent)
	req.Header.Set("Stripe-Signature", Sign(body, d.ep.secret, w.s.clock()))
	resp, err := w.client.Do(req)
	ok := false
	status := 0
	if err == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		status = resp.StatusCode
		ok = status >= 200 && status < 300
	}
	if ctx.Err() != nil {
		return // shutting down
	}
	d.attempt++
	// Counters move last, so that an observer who sees them has seen everything else.
	if ok {
		defer d.ep.delivered.Add(1)
		if d.dup {
			return
		}
		d.ev.pending.Add(-1)
		// At-least-once: some events arrive twice, a little later.
		if w.dupRate > 0 && float64(mixAll(w.s.seed, 0xd0b1e, d.ev.seq, d.ep.n)>>11)/(1<<53) < w.dupRate {
			w.park(&delivery{ev: d.ev, ep: d.ep, dup: true}, w.s.Now().Add(w.base))
		}
		return
	}
	defer d.ep.failed.Add(1)
	w.log.Debug("sandbox webhook delivery failed", slog.String("event", d.ev.id), slog.String("url", d.ep.url),
		slog.Int("status", status), slog.Int("attempt", d.attempt), slog.Any("err", err))
	if d.attempt < w.attempts {
		w.park(d, w.s.Now().Add(w.base<<(d.attempt-1)))
	}
}
