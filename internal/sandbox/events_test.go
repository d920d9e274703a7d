package sandbox_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/riskd/riskd/internal/sandbox"
)

func TestListEvents(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 85, Accounts: 16, RefreshDelay: sandbox.RefreshImmediate})
	var custCreated []int64
	for i, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		c, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String(email)})
		if err != nil {
			t.Fatal(err)
		}
		custCreated = append(custCreated, c.Created)
		if i < 2 {
			e.sb.Advance(time.Minute)
		}
	}
	id := e.accountOfPersona(t, sandbox.PersonaSalariedWeekly)
	e.refresh(t, id, "balance", "ownership", "transactions")
	e.sb.Advance(time.Second)

	// Every event, newest first, paged two at a time by the stripe-go iterator.
	p := &stripe.EventListParams{}
	p.Limit = stripe.Int64(2)
	var all []*stripe.Event
	for it := e.sc.Events.List(p); it.Next(); {
		all = append(all, it.Event())
	}
	if len(all) != 6 {
		t.Fatalf("listed %d events, want 3 customer.created and 3 refreshed_*", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].Created > all[i-1].Created || all[i].ID == all[i-1].ID {
			t.Fatalf("not newest first: %s@%d after %s@%d", all[i].ID, all[i].Created, all[i-1].ID, all[i-1].Created)
		}
	}
	// ending_before from the oldest walks back up.
	back := &stripe.EventListParams{}
	back.EndingBefore = stripe.String(all[len(all)-1].ID)
	back.Limit = stripe.Int64(2)
	var up []string
	for it := e.sc.Events.List(back); it.Next(); {
		up = append(up, it.Event().ID)
	}
	slices.Reverse(up)
	var want []string
	for _, ev := range all[:len(all)-1] {
		want = append(want, ev.ID)
	}
	if !slices.Equal(up, want) {
		t.Fatalf("ending_before walk = %v, want %v", up, want)
	}

	count := func(p *stripe.EventListParams) int {
		n := 0
		for it := e.sc.Events.List(p); it.Next(); n++ {
		}
		return n
	}
	if n := count(&stripe.EventListParams{Type: stripe.String("financial_connections.account.*")}); n != 3 {
		t.Fatalf("type wildcard: %d events", n)
	}
	if n := count(&stripe.EventListParams{Type: stripe.String("customer.created")}); n != 3 {
		t.Fatalf("type: %d events", n)
	}
	if n := count(&stripe.EventListParams{Types: stripe.StringSlice([]string{"customer.created",
		"financial_connections.account.refreshed_balance"})}); n != 4 {
		t.Fatalf("types[]: %d events", n)
	}
	if n := count(&stripe.EventListParams{Type: stripe.String("customer.created"),
		CreatedRange: &stripe.RangeQueryParams{GreaterThan: custCreated[0]}}); n != 2 {
		t.Fatalf("created[gt]: %d events", n)
	}
	code, _, body := e.raw(t, "GET", "/v1/events?type=customer.created&types[]=charge.failed", "")
	if code != 400 || !strings.Contains(string(body), "parameters_exclusive") {
		t.Fatalf("type with types: %d %s", code, body)
	}
	if _, err := e.sc.Events.Get("evt_nope", nil); stripeErr(t, err, 404).Param != "id" {
		t.Fatal("unknown event id")
	}
}

// TestEventRetention: only the newest MaxEvents (give or take a quarter) are kept.
func TestEventRetention(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 86, Accounts: 4, MaxEvents: 4})
	var ids []string
	for i := 0; i < 12; i++ {
		if _, err := e.sc.Customers.New(&stripe.CustomerParams{Email: stripe.String("r@example.com")}); err != nil {
			t.Fatal(err)
		}
	}
	for it := e.sc.Events.List(&stripe.EventListParams{}); it.Next(); {
		ids = append(ids, it.Event().ID)
	}
	if len(ids) < 4 || len(ids) > 5 {
		t.Fatalf("kept %d events, want 4 or 5", len(ids))
	}
	it := e.sc.Events.List(&stripe.EventListParams{Type: stripe.String("customer.created")})
	it.Next()
	if it.Event().ID != ids[0] {
		t.Fatal("the newest event was dropped")
	}
}
