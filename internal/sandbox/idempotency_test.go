package sandbox_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/riskd/riskd/internal/sandbox"
)

// post sends a form POST with an API key and an optional Idempotency-Key.
func (e *env) post(t *testing.T, key, idem, path, body string) (int, http.Header, []byte) {
	t.Helper()
	return e.send(t, "POST", path, key, idem, body)
}

// countEvents returns how many events of type typ GET /v1/events lists.
func (e *env) countEvents(t *testing.T, typ string) int {
	t.Helper()
	n := 0
	it := e.sc.Events.List(&stripe.EventListParams{Type: stripe.String(typ)})
	for it.Next() {
		n++
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *env) customersWithEmail(t *testing.T, email string) int {
	t.Helper()
	n := 0
	for it := e.sc.Customers.List(&stripe.CustomerListParams{Email: stripe.String(email)}); it.Next(); n++ {
	}
	return n
}

func TestIdempotentReplay(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 50, Accounts: 4})
	code, h1, b1 := e.post(t, "sk_test_a", "key-1", "/v1/customers", "email=once%40example.com&name=Once")
	if code != 200 || h1.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d replayed=%q", code, h1.Get("Idempotent-Replayed"))
	}
	code, h2, b2 := e.post(t, "sk_test_a", "key-1", "/v1/customers", "name=Once&email=once%40example.com")
	if code != 200 || h2.Get("Idempotent-Replayed") != "true" || string(b1) != string(b2) ||
		h2.Get("Original-Request") != h1.Get("Request-Id") || h2.Get("Request-Id") == h1.Get("Request-Id") {
		t.Fatalf("replay: %d %v\n%s\n%s", code, h2, b1, b2)
	}
	if n := e.customersWithEmail(t, "once@example.com"); n != 1 {
		t.Fatalf("%d customers created, want 1", n)
	}
	if n := e.countEvents(t, "customer.created"); n != 1 {
		t.Fatalf("%d customer.created events, want 1", n)
	}
	// The same key under another API key is another request.
	if code, h, _ := e.post(t, "sk_test_b", "key-1", "/v1/customers", "email=once%40example.com"); code != 200 ||
		h.Get("Idempotent-Replayed") != "" {
		t.Fatalf("other API key: %d replayed=%q", code, h.Get("Idempotent-Replayed"))
	}
	// stripe-go sees the replay too.
	p := &stripe.CustomerParams{Email: stripe.String("sdk@example.com")}
	p.SetIdempotencyKey("sdk-key")
	c1, err := e.sc.Customers.New(p)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := e.sc.Customers.New(p)
	if err != nil || c2.ID != c1.ID || c2.LastResponse.Header.Get("Idempotent-Replayed") != "true" ||
		c2.LastResponse.IdempotencyKey != "sdk-key" {
		t.Fatalf("stripe-go replay: %v %s vs %s", err, c1.ID, c2.ID)
	}
}

func TestIdempotencyKeyWithOtherParams(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 51, Accounts: 4})
	if code, _, _ := e.post(t, "sk_test_a", "k", "/v1/customers", "email=a%40example.com"); code != 200 {
		t.Fatal(code)
	}
	p := &stripe.CustomerParams{Email: stripe.String("b@example.com")}
	p.SetIdempotencyKey("k")
	sc := stripeClient(e.srv.URL, "sk_test_a")
	_, err := sc.Customers.New(p)
	se := stripeErr(t, err, 400)
	if se.Type != stripe.ErrorTypeIdempotency || !strings.Contains(se.Msg, "same parameters") {
		t.Fatalf("mismatch error = %+v", se)
	}
	// The same path with the same key on another endpoint is a mismatch too.
	if code, _, body := e.post(t, "sk_test_a", "k", "/v1/financial_connections/sessions", "permissions[]=balances"); code != 400 ||
		!strings.Contains(string(body), `"type":"idempotency_error"`) {
		t.Fatalf("other endpoint: %d %s", code, body)
	}
}

func TestIdempotencyConcurrentDuplicate(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 52, Accounts: 4})
	var hold atomic.Bool
	hold.Store(true)
	entered, release := make(chan struct{}), make(chan struct{})
	sandbox.SetHandlerHook(e.sb, func() {
		if hold.CompareAndSwap(true, false) {
			close(entered)
			<-release
		}
	})
	first := make(chan int, 1)
	go func() {
		code, _, _ := e.post(t, "sk_test_a", "slow-key", "/v1/customers", "email=slow%40example.com")
		first <- code
	}()
	<-entered
	code, _, body := e.post(t, "sk_test_a", "slow-key", "/v1/customers", "email=slow%40example.com")
	var env struct{ Error struct{ Type, Code string } }
	_ = json.Unmarshal(body, &env)
	if code != 409 || env.Error.Type != "idempotency_error" || env.Error.Code != "idempotency_key_in_use" {
		t.Fatalf("concurrent duplicate: %d %s", code, body)
	}
	close(release)
	if c := <-first; c != 200 {
		t.Fatalf("first request: %d", c)
	}
	if code, h, _ := e.post(t, "sk_test_a", "slow-key", "/v1/customers", "email=slow%40example.com"); code != 200 ||
		h.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("after the first finished: %d replayed=%q", code, h.Get("Idempotent-Replayed"))
	}
	if n := e.customersWithEmail(t, "slow@example.com"); n != 1 {
		t.Fatalf("%d customers, want 1", n)
	}
}

// TestIdempotencyValidationNotStored: a request rejected before executing leaves the key free.
func TestIdempotencyValidationNotStored(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 53, Accounts: 4})
	if code, _, body := e.post(t, "sk_test_a", "v-key", "/v1/customers", "email=x%40example.com&bogus=1"); code != 400 ||
		!strings.Contains(string(body), "parameter_unknown") {
		t.Fatalf("unknown param: %d %s", code, body)
	}
	if code, _, body := e.post(t, "sk_test_a", "v-key", "/v1/payment_intents", "currency=usd"); code != 400 ||
		!strings.Contains(string(body), `"param":"amount"`) {
		t.Fatalf("missing amount: %d %s", code, body)
	}
	code, h, _ := e.post(t, "sk_test_a", "v-key", "/v1/customers", "email=x%40example.com")
	if code != 200 || h.Get("Idempotent-Replayed") != "" {
		t.Fatalf("after validation errors the key should run fresh: %d replayed=%q", code, h.Get("Idempotent-Replayed"))
	}
}

// TestIdempotencyExpires: keys are kept for 24 hours of sandbox time.
func TestIdempotencyExpires(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 54, Accounts: 4})
	e.post(t, "sk_test_a", "ttl", "/v1/customers", "email=a%40example.com")
	e.sb.Advance(sandbox.IdempotencyTTL - time.Second)
	if code, _, _ := e.post(t, "sk_test_a", "ttl", "/v1/customers", "email=b%40example.com"); code != 400 {
		t.Fatalf("before the TTL: %d, want 400", code)
	}
	e.sb.Advance(time.Second)
	if code, h, _ := e.post(t, "sk_test_a", "ttl", "/v1/customers", "email=b%40example.com"); code != 200 ||
		h.Get("Idempotent-Replayed") != "" {
		t.Fatalf("after the TTL: %d replayed=%q", code, h.Get("Idempotent-Replayed"))
	}
}

// TestIdempotentPaymentIsNotDebitedTwice: replaying a create-and-confirm returns the same
// PaymentIntent and leaves one debit in the bank history.
func TestIdempotentPaymentIsNotDebitedTwice(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 55, Accounts: 16})
	id := e.accountOfPersona(t, sandbox.PersonaSalariedSemimonthly)
	tr, _ := e.sb.Truth(id)
	p := debitParams(id, tr.CustomerID, 4200)
	p.SetIdempotencyKey("pay-once")
	a, err := e.sc.PaymentIntents.New(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.sc.PaymentIntents.New(p)
	if err != nil || a.ID != b.ID || b.LastResponse.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %v %s %s", err, a.ID, b.ID)
	}
	after, _ := e.sb.Truth(id)
	if debits := countDebits(after); debits != 1 {
		t.Fatalf("%d ACH debits in the bank history, want 1", debits)
	}
	if n := e.countEvents(t, "payment_intent.processing"); n != 1 {
		t.Fatalf("%d processing events, want 1", n)
	}
}
