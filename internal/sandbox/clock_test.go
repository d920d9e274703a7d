package sandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/riskd/riskd/internal/sandbox"
)

// TestAdvanceRunsDueWorkInTimeOrder: one control-endpoint advance of five days runs, in time
// order, a refresh resolution, four daily subscription refreshes and an ACH settlement, with
// nobody reading the accounts involved.
func TestAdvanceRunsDueWorkInTimeOrder(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 80, Accounts: 16, RefreshDelay: time.Hour})
	sub := e.accountOfPersona(t, sandbox.PersonaSalariedBiweekly)
	ref := e.accountOfPersona(t, sandbox.PersonaGig)
	pay := e.accountOfPersona(t, sandbox.PersonaSalariedSemimonthly)
	if _, err := e.sc.FinancialConnectionsAccounts.Subscribe(sub, &stripe.FinancialConnectionsAccountSubscribeParams{
		Features: stripe.StringSlice([]string{"transactions"})}); err != nil {
		t.Fatal(err)
	}
	e.refresh(t, ref, "balance")
	tr := mustTruth(t, e, pay)
	pi, err := e.sc.PaymentIntents.New(debitParams(pay, tr.CustomerID, 1500))
	if err != nil {
		t.Fatal(err)
	}
	start := e.sb.Now().Unix()

	code, _, body := e.raw(t, "POST", "/_sandbox/clock/advance", "seconds="+strconv.Itoa(5*86400))
	var now struct{ Now int64 }
	if json.Unmarshal(body, &now); code != 200 || now.Now != start+5*86400 {
		t.Fatalf("advance: %d %s", code, body)
	}
	type ev struct {
		typ     string
		created int64
		object  string
	}
	var evs []ev
	it := e.sc.Events.List(&stripe.EventListParams{CreatedRange: &stripe.RangeQueryParams{GreaterThan: start}})
	for it.Next() {
		x := it.Event()
		evs = append(evs, ev{string(x.Type), x.Created, x.Data.Object["id"].(string)})
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	// Newest first: created never increases down the list.
	for i := 1; i < len(evs); i++ {
		if evs[i].created > evs[i-1].created {
			t.Fatalf("events out of time order: %+v after %+v", evs[i], evs[i-1])
		}
	}
	var got []string
	for i := len(evs) - 1; i >= 0; i-- {
		got = append(got, evs[i].typ+"@"+strconv.FormatInt((evs[i].created-start)/3600, 10)+"h")
	}
	want := []string{
		"financial_connections.account.refreshed_balance@1h",
		"financial_connections.account.refreshed_transactions@25h",
		"financial_connections.account.refreshed_transactions@49h",
		"financial_connections.account.refreshed_transactions@73h",
		"payment_intent.succeeded@96h", "charge.succeeded@96h",
		"financial_connections.account.refreshed_transactions@97h",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("events after the advance:\n got %v\nwant %v", got, want)
	}
	// The fifth daily refresh started exactly at +120h and is still pending.
	a, _ := e.sc.FinancialConnectionsAccounts.GetByID(sub, nil)
	if a.TransactionRefresh.Status != "pending" || !strings.HasSuffix(a.TransactionRefresh.ID, "0000000005") ||
		a.TransactionRefresh.LastAttemptedAt != start+5*86400 {
		t.Fatalf("subscribed account after 5 days: %+v", a.TransactionRefresh)
	}
	if got := e.pi(t, pi.ID); got.Status != "succeeded" {
		t.Fatalf("payment after 5 days: %s", got.Status)
	}
	// The clock never goes back.
	code, _, _ = e.raw(t, "POST", "/_sandbox/clock/advance", "seconds=-5")
	if code != 400 {
		t.Fatalf("negative advance: %d", code)
	}
	resp, err := http.Get(e.srv.URL + "/_sandbox/clock")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), strconv.FormatInt(start+5*86400, 10)) {
		t.Fatalf("clock: %s", b)
	}
}

// TestTransactionsAgeBetweenRefreshes: rows that were pending at one refresh are posted or
// void at a later one, and new rows appear.
func TestTransactionsAgeBetweenRefreshes(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 81, Accounts: 16, RefreshDelay: sandbox.RefreshImmediate})
	id := e.accountOfPersona(t, sandbox.PersonaSalariedBiweekly)
	e.refresh(t, id, "transactions")
	before := map[string]string{}
	pending := 0
	for _, x := range e.transactions(t, &stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(id)}) {
		before[x.ID] = string(x.Status)
		if x.Status == "pending" {
			pending++
		}
	}
	if pending == 0 {
		t.Fatal("no pending rows to age")
	}
	e.sb.Advance(5 * 24 * time.Hour)
	e.refresh(t, id, "transactions")
	aged, fresh := 0, 0
	for _, x := range e.transactions(t, &stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(id)}) {
		old, ok := before[x.ID]
		switch {
		case !ok:
			fresh++
		case old == "pending" && x.Status != "pending":
			aged++
			if (x.Status == "posted") != (x.StatusTransitions.PostedAt != 0) || (x.Status == "void") != (x.StatusTransitions.VoidAt != 0) {
				t.Fatalf("aged row %+v", x)
			}
		case old != "pending" && string(x.Status) != old:
			t.Fatalf("a settled row changed: %s %s → %s", x.ID, old, x.Status)
		}
	}
	if aged != pending || fresh == 0 {
		t.Fatalf("%d of %d pending rows settled, %d new rows", aged, pending, fresh)
	}
}
