package sandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/riskd/riskd/internal/sandbox"
)

const testSecret = "whsec_test_8f3b2c1d"

// delivered is one webhook request as the receiver saw it.
type delivered struct {
	header http.Header
	body   []byte
	event  stripe.Event
	err    error // from webhook.ConstructEvent
}

// receiver is a webhook endpoint that verifies each delivery with stripe-go and can be told
// to fail the next n requests.
type receiver struct {
	srv    *httptest.Server
	got    chan delivered
	failN  atomic.Int32
	status int // answered while failing
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{got: make(chan delivered, 1000), status: 500}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		d := delivered{header: r.Header.Clone(), body: body}
		d.event, d.err = webhook.ConstructEvent(body, r.Header.Get("Stripe-Signature"), testSecret)
		if rc.failN.Add(-1) >= 0 {
			w.WriteHeader(rc.status)
		} else {
			w.WriteHeader(http.StatusOK)
		}
		rc.got <- d
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

// next waits for the next delivery, failing the test after a deadline.
func (rc *receiver) next(t *testing.T) delivered {
	t.Helper()
	select {
	case d := <-rc.got:
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook delivery within 10s")
	}
	return delivered{}
}

// collect gathers deliveries until pred is satisfied by the collection.
func (rc *receiver) collect(t *testing.T, pred func([]delivered) bool) []delivered {
	t.Helper()
	var out []delivered
	for !pred(out) {
		out = append(out, rc.next(t))
	}
	return out
}

func types(ds []delivered) []string {
	var out []string
	for _, d := range ds {
		out = append(out, string(d.event.Type))
	}
	return out
}

// waitCounts polls the endpoint's delivery counters until they reach delivered and failed,
// which the sandbox updates after it has scheduled any retry or duplicate.
func waitCounts(t *testing.T, sb *sandbox.Sandbox, delivered, failed int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		eps := sb.WebhookEndpoints()
		if eps[0].Delivered == delivered && eps[0].Failed == failed {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("endpoint counts = %d delivered / %d failed, want %d / %d", eps[0].Delivered, eps[0].Failed, delivered, failed)
		}
		runtime.Gosched()
	}
}

// wallNow is a wall clock frozen at the real start of the test, so that signatures pass
// ConstructEvent's five-minute tolerance while sandbox time moves only through Advance.
func wallNow() func() time.Time {
	w := time.Now()
	return func() time.Time { return w }
}

func webhookEnv(t *testing.T, cfg sandbox.Config) (*env, *receiver) {
	t.Helper()
	rc := newReceiver(t)
	cfg.WebhookURL, cfg.WebhookSecret = rc.srv.URL, testSecret
	if cfg.Clock == nil {
		cfg.Clock = wallNow()
	}
	e := newEnv(t, cfg)
	t.Cleanup(func() { e.sb.Close() })
	return e, rc
}

// TestWebhookDeliveryIsSigned checks every header and field Stripe sends, and that stripe-go's
// webhook.ConstructEvent (no options) verifies every delivered event.
func TestWebhookDeliveryIsSigned(t *testing.T) {
	e, rc := webhookEnv(t, sandbox.Config{Seed: 40, Accounts: 16, RefreshDelay: 30 * time.Second})
	id := e.accountOfPersona(t, sandbox.PersonaSalariedBiweekly)
	e.refresh(t, id, "balance", "ownership", "transactions")
	// Nobody reads the account: Advance alone must resolve the refreshes and fire the events.
	e.sb.Advance(30 * time.Second)
	ds := rc.collect(t, func(ds []delivered) bool { return len(ds) == 3 })
	want := []string{"financial_connections.account.refreshed_balance", "financial_connections.account.refreshed_ownership",
		"financial_connections.account.refreshed_transactions"}
	got := types(ds)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("event types = %v, want %v", got, want)
	}
	for _, d := range ds {
		if d.err != nil {
			t.Fatalf("ConstructEvent: %v (header %q)", d.err, d.header.Get("Stripe-Signature"))
		}
		if ct := d.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("Content-Type = %q", ct)
		}
		if ua := d.header.Get("User-Agent"); ua != "Stripe/1.0 (+https://stripe.com/docs/webhooks)" {
			t.Errorf("User-Agent = %q", ua)
		}
		sig := d.header.Get("Stripe-Signature")
		if !strings.HasPrefix(sig, "t=") || !strings.Contains(sig, ",v1=") {
			t.Errorf("Stripe-Signature = %q", sig)
		}
		ev := d.event
		if ev.APIVersion != "2023-10-16" || ev.Livemode || ev.Created != testStart.Unix()+30 || !strings.HasPrefix(ev.ID, "evt_") ||
			ev.Request == nil || ev.Request.ID != "" || ev.PendingWebhooks != 1 {
			t.Errorf("event envelope = %+v", ev)
		}
		var a stripe.FinancialConnectionsAccount
		if err := json.Unmarshal(ev.Data.Raw, &a); err != nil || a.ID != id {
			t.Fatalf("data.object: %v %s", err, ev.Data.Raw)
		}
		switch ev.Type {
		case "financial_connections.account.refreshed_balance":
			if a.BalanceRefresh.Status != "succeeded" || a.Balance == nil {
				t.Errorf("balance snapshot = %+v", a.BalanceRefresh)
			}
		case "financial_connections.account.refreshed_transactions":
			if a.TransactionRefresh.Status != "succeeded" {
				t.Errorf("transactions snapshot = %+v", a.TransactionRefresh)
			}
		}
		// A tampered body or a wrong secret fails verification.
		if _, err := webhook.ConstructEvent(append(d.body, ' '), sig, testSecret); err == nil {
			t.Error("a tampered body verified")
		}
		if _, err := webhook.ConstructEvent(d.body, sig, "whsec_other"); err == nil {
			t.Error("a wrong secret verified")
		}
	}
	// pending_webhooks drops to 0 once the endpoint acknowledged; GET /v1/events agrees.
	deadline := time.Now().Add(10 * time.Second)
	for {
		ev, err := e.sc.Events.Get(ds[0].event.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if ev.PendingWebhooks == 0 {
			if ev.Type != ds[0].event.Type || ev.Created != ds[0].event.Created {
				t.Fatalf("GET /v1/events/%s = %+v", ev.ID, ev)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pending_webhooks still %d", ev.PendingWebhooks)
		}
	}
}

// TestWebhookEventsForEveryStateChange covers the FC account events: created and prefetch
// refreshes from a session, a refresh that fails on an inactive account, deactivation,
// reactivation and disconnection.
func TestWebhookEventsForEveryStateChange(t *testing.T) {
	e, rc := webhookEnv(t, sandbox.Config{Seed: 41, Accounts: 4, RefreshDelay: time.Minute})
	cust, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String("webhooks@example.com"), Name: stripe.String("Rae Hook")})
	if err != nil {
		t.Fatal(err)
	}
	if d := rc.next(t); d.event.Type != "customer.created" || d.err != nil {
		t.Fatalf("first event %s (%v)", d.event.Type, d.err)
	}
	sess, err := e.sc.FinancialConnectionsSessions.New(&stripe.FinancialConnectionsSessionParams{
		AccountHolder: &stripe.FinancialConnectionsSessionAccountHolderParams{Type: stripe.String("customer"), Customer: stripe.String(cust.ID)},
		Permissions:   stripe.StringSlice([]string{"balances", "transactions", "payment_method"}),
		Prefetch:      stripe.StringSlice([]string{"balances", "transactions"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if code, _, body := e.raw(t, "POST", "/_sandbox/sessions/"+sess.ID+"/complete", "persona=gig"); code != 200 {
		t.Fatalf("complete: %d %s", code, body)
	}
	created := rc.next(t)
	var a stripe.FinancialConnectionsAccount
	_ = json.Unmarshal(created.event.Data.Raw, &a)
	if created.event.Type != "financial_connections.account.created" || a.AccountHolder.Customer.ID != cust.ID ||
		a.BalanceRefresh != nil || created.err != nil {
		t.Fatalf("created event %s: %s", created.event.Type, created.event.Data.Raw)
	}
	// Deactivate before the prefetch resolves: the refreshes fail, and still fire their events.
	code, _, body := e.raw(t, "POST", "/_sandbox/accounts/"+a.ID+"/deactivate", "")
	if code != 200 {
		t.Fatalf("deactivate: %d %s", code, body)
	}
	if d := rc.next(t); d.event.Type != "financial_connections.account.deactivated" ||
		d.event.Data.PreviousAttributes["status"] != "active" {
		t.Fatalf("deactivated event: %s %v", d.event.Type, d.event.Data.PreviousAttributes)
	}
	e.sb.Advance(time.Minute)
	ds := rc.collect(t, func(ds []delivered) bool { return len(ds) == 2 })
	for _, d := range ds {
		var snap stripe.FinancialConnectionsAccount
		_ = json.Unmarshal(d.event.Data.Raw, &snap)
		switch d.event.Type {
		case "financial_connections.account.refreshed_balance":
			if snap.BalanceRefresh.Status != "failed" {
				t.Errorf("balance refresh on an inactive account: %s", snap.BalanceRefresh.Status)
			}
		case "financial_connections.account.refreshed_transactions":
			if snap.TransactionRefresh.Status != "failed" {
				t.Errorf("transaction refresh on an inactive account: %s", snap.TransactionRefresh.Status)
			}
		default:
			t.Errorf("unexpected %s", d.event.Type)
		}
	}
	if code, _, _ := e.raw(t, "POST", "/_sandbox/accounts/"+a.ID+"/reactivate", ""); code != 200 {
		t.Fatalf("reactivate: %d", code)
	}
	if d := rc.next(t); d.event.Type != "financial_connections.account.reactivated" {
		t.Fatalf("want reactivated, got %s", d.event.Type)
	}
	dp := &stripe.FinancialConnectionsAccountDisconnectParams{}
	dp.SetIdempotencyKey("disconnect-rae-1")
	disc, err := e.sc.FinancialConnectionsAccounts.Disconnect(a.ID, dp)
	if err != nil {
		t.Fatal(err)
	}
	d := rc.next(t)
	if d.event.Type != "financial_connections.account.disconnected" || d.event.Request.ID != disc.LastResponse.RequestID ||
		d.event.Request.IdempotencyKey != "disconnect-rae-1" {
		t.Fatalf("disconnected event: %s request=%+v", d.event.Type, d.event.Request)
	}
	if code, _, _ := e.raw(t, "POST", "/_sandbox/accounts/"+a.ID+"/reactivate", ""); code != 400 {
		t.Fatalf("reactivating a disconnected account: %d, want 400", code)
	}
}

// TestWebhookRetriesWithBackoff: a failing endpoint gets the event again after the backoff
// (sandbox time), doubling each time, up to the attempt limit; nothing is lost or sent early.
func TestWebhookRetriesWithBackoff(t *testing.T) {
	e, rc := webhookEnv(t, sandbox.Config{Seed: 42, Accounts: 4, WebhookAttempts: 4, WebhookRetryBase: 10 * time.Second})
	rc.failN.Store(2)
	if _, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String("retry@example.com")}); err != nil {
		t.Fatal(err)
	}
	first := rc.next(t)
	waitCounts(t, e.sb, 0, 1)
	// The retry is due 10s later (sandbox time): advancing 9s sends nothing; a sentinel event
	// created meanwhile arrives alone.
	e.sb.Advance(9 * time.Second)
	rc.failN.Store(0) // let the sentinel through, then fail the retry again
	if _, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String("sentinel@example.com")}); err != nil {
		t.Fatal(err)
	}
	if d := rc.next(t); d.event.ID == first.event.ID {
		t.Fatal("retried before the backoff elapsed")
	}
	waitCounts(t, e.sb, 1, 1)
	rc.failN.Store(1)
	e.sb.Advance(time.Second)
	if d := rc.next(t); d.event.ID != first.event.ID || d.err != nil {
		t.Fatalf("second attempt: %s (%v)", d.event.ID, d.err)
	}
	waitCounts(t, e.sb, 1, 2)
	// Backoff doubles: the third attempt is 20s after the second.
	e.sb.Advance(19 * time.Second)
	if _, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String("sentinel2@example.com")}); err != nil {
		t.Fatal(err)
	}
	if d := rc.next(t); d.event.ID == first.event.ID {
		t.Fatal("third attempt came before 20s")
	}
	waitCounts(t, e.sb, 2, 2)
	e.sb.Advance(time.Second)
	if d := rc.next(t); d.event.ID != first.event.ID {
		t.Fatalf("third attempt: %s", d.event.ID)
	}
	waitCounts(t, e.sb, 3, 2)
	if ev, err := e.sc.Events.Get(first.event.ID, nil); err != nil || ev.PendingWebhooks != 0 {
		t.Fatalf("pending_webhooks = %d after a successful retry (%v)", ev.PendingWebhooks, err)
	}
}

// TestWebhookAttemptsAreBounded: an endpoint that always fails gets exactly WebhookAttempts
// tries, and the event stays pending.
func TestWebhookAttemptsAreBounded(t *testing.T) {
	e, rc := webhookEnv(t, sandbox.Config{Seed: 43, Accounts: 4, WebhookAttempts: 3, WebhookRetryBase: time.Second})
	rc.failN.Store(1 << 20)
	if _, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String("down@example.com")}); err != nil {
		t.Fatal(err)
	}
	first := rc.next(t)
	waitCounts(t, e.sb, 0, 1)
	e.sb.Advance(time.Second)
	rc.next(t)
	waitCounts(t, e.sb, 0, 2)
	e.sb.Advance(2 * time.Second)
	rc.next(t)
	waitCounts(t, e.sb, 0, 3)
	// No fourth attempt however long we wait; a sentinel proves the queue drained.
	e.sb.Advance(24 * time.Hour)
	rc.failN.Store(0)
	if _, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String("sentinel@example.com")}); err != nil {
		t.Fatal(err)
	}
	if d := rc.next(t); d.event.ID == first.event.ID {
		t.Fatal("a fourth attempt was made")
	}
	ev, err := e.sc.Events.Get(first.event.ID, nil)
	if err != nil || ev.PendingWebhooks != 1 {
		t.Fatalf("undeliverable event: pending_webhooks=%d err=%v", ev.PendingWebhooks, err)
	}
}

// TestWebhookDuplicates: with WebhookDuplicateRate 1 every event arrives twice, with the same
// id, each copy validly signed.
func TestWebhookDuplicates(t *testing.T) {
	e, rc := webhookEnv(t, sandbox.Config{Seed: 44, Accounts: 4, WebhookDuplicateRate: 1, WebhookRetryBase: time.Second})
	for _, email := range []string{"a@example.com", "b@example.com"} {
		if _, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String(email)}); err != nil {
			t.Fatal(err)
		}
	}
	rc.collect(t, func(ds []delivered) bool { return len(ds) == 2 })
	waitCounts(t, e.sb, 2, 0)
	e.sb.Advance(time.Second)
	ds := rc.collect(t, func(ds []delivered) bool { return len(ds) == 2 })
	seen := map[string]int{}
	for _, d := range ds {
		if d.err != nil {
			t.Fatal(d.err)
		}
		seen[d.event.ID]++
	}
	if len(seen) != 2 {
		t.Fatalf("duplicates = %v, want each of the two events once more", seen)
	}
	waitCounts(t, e.sb, 4, 0)
}

// TestWebhookTickerOnWallClock: with no requests and no Advance, sandbox time moving with the
// wall clock is enough for a refresh to resolve and its event to be delivered.
func TestWebhookTickerOnWallClock(t *testing.T) {
	var mu sync.Mutex
	wall := time.Now()
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return wall
	}
	e, rc := webhookEnv(t, sandbox.Config{Seed: 45, Accounts: 16, RefreshDelay: 5 * time.Second, Clock: clock,
		Tick: time.Millisecond})
	id := e.accountOfPersona(t, sandbox.PersonaBenefits)
	e.refresh(t, id, "balance")
	mu.Lock()
	wall = wall.Add(5 * time.Second)
	mu.Unlock()
	d := rc.next(t)
	if d.event.Type != "financial_connections.account.refreshed_balance" || d.err != nil {
		t.Fatalf("ticker delivered %s (%v)", d.event.Type, d.err)
	}
}

// TestWebhookEndpointControl registers, lists and removes endpoints through /_sandbox, with
// event-type filters and generated secrets.
func TestWebhookEndpointControl(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 46, Accounts: 4, Clock: wallNow()})
	t.Cleanup(func() { e.sb.Close() })
	got := make(chan stripe.Event, 10)
	var secret atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ev, err := webhook.ConstructEvent(body, r.Header.Get("Stripe-Signature"), secret.Load().(string))
		if err != nil {
			t.Errorf("ConstructEvent: %v", err)
		}
		got <- ev
	}))
	defer srv.Close()
	code, _, body := e.raw(t, "POST", "/_sandbox/webhook_endpoints",
		"url="+srv.URL+"&enabled_events[]=payment_intent.created&enabled_events[]=customer.created")
	var ep struct{ ID, Secret string }
	if json.Unmarshal(body, &ep); code != 200 || !strings.HasPrefix(ep.Secret, "whsec_") || !strings.HasPrefix(ep.ID, "we_") {
		t.Fatalf("register: %d %s", code, body)
	}
	secret.Store(ep.Secret)
	if code, _, _ := e.raw(t, "POST", "/_sandbox/webhook_endpoints", "url=ftp://x"); code != 400 {
		t.Fatalf("bad url accepted: %d", code)
	}
	id := e.sb.AccountIDs()[0]
	e.refresh(t, id, "balance") // not subscribed: no delivery
	e.sb.Advance(time.Minute)
	if _, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String("c@example.com")}); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-got:
		if ev.Type != "customer.created" {
			t.Fatalf("filtered endpoint got %s", ev.Type)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery")
	}
	waitCounts(t, e.sb, 1, 0)
	code, _, body = e.raw(t, "GET", "/_sandbox/webhook_endpoints", "")
	if code != 200 || !strings.Contains(string(body), `"delivered":1`) {
		t.Fatalf("list: %d %s", code, body)
	}
	if code, _, _ := e.raw(t, "DELETE", "/_sandbox/webhook_endpoints/"+ep.ID, ""); code != 200 {
		t.Fatalf("delete: %d", code)
	}
	if len(e.sb.WebhookEndpoints()) != 0 {
		t.Fatal("endpoint not removed")
	}
}

// TestSign pins the signature scheme: v1 = hex(HMAC-SHA256(secret, "t.body")), which stripe-go
// verifies.
func TestSign(t *testing.T) {
	body := []byte(`{"id":"evt_1","object":"event","api_version":"2023-10-16","type":"customer.created","data":{"object":{}}}`)
	now := time.Now()
	h := sandbox.Sign(body, testSecret, now)
	if _, err := webhook.ConstructEvent(body, h, testSecret); err != nil {
		t.Fatalf("stripe-go rejects the signature %q: %v", h, err)
	}
	ref := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: testSecret, Timestamp: now})
	if ref.Header != h {
		t.Fatalf("signature %q, stripe-go computes %q", h, ref.Header)
	}
	if _, err := webhook.ConstructEvent(body, sandbox.Sign(body, testSecret, now.Add(-10*time.Minute)), testSecret); err == nil {
		t.Fatal("a 10-minute-old signature verified")
	}
}

// TestCloseStopsDelivery: after Close (which may be called twice) events are still recorded
// but nothing is queued for delivery.
func TestCloseStopsDelivery(t *testing.T) {
	e, rc := webhookEnv(t, sandbox.Config{Seed: 47, Accounts: 4})
	if _, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String("open@example.com")}); err != nil {
		t.Fatal(err)
	}
	rc.next(t)
	if err := e.sb.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.sb.Close(); err != nil {
		t.Fatal(err)
	}
	c, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String("closed@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	it := e.sc.Events.List(&stripe.EventListParams{Type: stripe.String("customer.created")})
	if !it.Next() || it.Event().Data.Object["id"] != c.ID || it.Event().PendingWebhooks != 0 {
		t.Fatalf("event after Close: %+v", it.Event())
	}
}
