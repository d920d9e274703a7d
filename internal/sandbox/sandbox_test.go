package sandbox_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/riskd/riskd/internal/sandbox"
)

var testStart = time.Date(2024, 6, 15, 12, 0, 0, 0, time.UTC)

// fixedClock is a wall clock that never moves, so sandbox time changes only through Advance.
func fixedClock() time.Time { return testStart }

type env struct {
	sb  *sandbox.Sandbox
	srv *httptest.Server
	sc  *client.API
}

func newEnv(t testing.TB, cfg sandbox.Config) *env {
	t.Helper()
	if cfg.Start.IsZero() {
		cfg.Start = testStart
	}
	if cfg.Clock == nil {
		cfg.Clock = fixedClock
	}
	sb, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	sc := &client.API{}
	sc.Init("sk_test_sandbox", stripe.NewBackendsWithConfig(&stripe.BackendConfig{
		URL:               stripe.String(srv.URL),
		MaxNetworkRetries: stripe.Int64(0),
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull},
		EnableTelemetry:   stripe.Bool(false),
	}))
	return &env{sb, srv, sc}
}

// stripeErr asserts err is a *stripe.Error with the given status and returns it.
func stripeErr(t *testing.T, err error, status int) *stripe.Error {
	t.Helper()
	var se *stripe.Error
	if !errors.As(err, &se) {
		t.Fatalf("want *stripe.Error with status %d, got %v", status, err)
	}
	if se.HTTPStatusCode != status {
		t.Fatalf("status = %d, want %d (%s)", se.HTTPStatusCode, status, se.Msg)
	}
	return se
}

// raw sends an authenticated form request and returns status, headers and body.
func (e *env) raw(t *testing.T, method, path, body string) (int, http.Header, []byte) {
	t.Helper()
	return e.send(t, method, path, "sk_test_raw", "", body)
}

// send is raw with the caller's API key and an optional Idempotency-Key.
func (e *env) send(t *testing.T, method, path, key, idem, body string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if idem != "" {
		req.Header.Set("Idempotency-Key", idem)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func (e *env) accountOfPersona(t *testing.T, persona string) string {
	t.Helper()
	for i, id := range e.sb.AccountIDs() {
		if sandbox.Personas[i%len(sandbox.Personas)] == persona {
			return id
		}
	}
	t.Fatalf("no account of persona %s", persona)
	return ""
}

func (e *env) refresh(t *testing.T, id string, features ...string) *stripe.FinancialConnectionsAccount {
	t.Helper()
	a, err := e.sc.FinancialConnectionsAccounts.Refresh(id, &stripe.FinancialConnectionsAccountRefreshParams{
		Features: stripe.StringSlice(features)})
	if err != nil {
		t.Fatalf("refresh %v: %v", features, err)
	}
	return a
}

func (e *env) transactions(t *testing.T, params *stripe.FinancialConnectionsTransactionListParams) []*stripe.FinancialConnectionsTransaction {
	t.Helper()
	var out []*stripe.FinancialConnectionsTransaction
	it := e.sc.FinancialConnectionsTransactions.List(params)
	for it.Next() {
		out = append(out, it.FinancialConnectionsTransaction())
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestNewValidatesConfig(t *testing.T) {
	_, err := sandbox.New(sandbox.Config{Accounts: -1})
	if err == nil || !strings.Contains(err.Error(), "Accounts") {
		t.Fatalf("want an error naming Accounts, got %v", err)
	}
}

func TestListCustomersPagination(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 1, Accounts: 45})
	params := &stripe.CustomerListParams{}
	params.Limit = stripe.Int64(7)
	it := e.sc.Customers.List(params)
	seen := map[string]bool{}
	var lastCreated int64 = 1 << 62
	for it.Next() {
		c := it.Customer()
		if seen[c.ID] {
			t.Fatalf("duplicate customer %s", c.ID)
		}
		seen[c.ID] = true
		if c.Created > lastCreated {
			t.Fatalf("not newest first: %d after %d", c.Created, lastCreated)
		}
		lastCreated = c.Created
		if c.Email == "" || c.Name == "" || c.Address == nil || c.Address.PostalCode == "" {
			t.Fatalf("customer %s missing identity fields: %+v", c.ID, c)
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 45 {
		t.Fatalf("listed %d customers, want 45", len(seen))
	}

	// Backwards from the oldest with ending_before reaches every newer customer once.
	var ids []string
	it = e.sc.Customers.List(&stripe.CustomerListParams{})
	for it.Next() {
		ids = append(ids, it.Customer().ID)
	}
	back := &stripe.CustomerListParams{}
	back.EndingBefore = stripe.String(ids[len(ids)-1])
	back.Limit = stripe.Int64(4)
	var got []string
	it = e.sc.Customers.List(back)
	for it.Next() {
		got = append(got, it.Customer().ID)
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Reverse(got)
	if !slices.Equal(got, ids[:len(ids)-1]) {
		t.Fatalf("ending_before walk = %d ids, want %d in order", len(got), len(ids)-1)
	}

	// Exact email and created filters.
	first := ids[10]
	c, err := e.sc.Customers.Get(first, nil)
	if err != nil {
		t.Fatal(err)
	}
	byEmail := &stripe.CustomerListParams{Email: stripe.String(c.Email)}
	it = e.sc.Customers.List(byEmail)
	found := false
	for it.Next() {
		found = found || it.Customer().ID == first
		if it.Customer().Email != c.Email {
			t.Fatalf("email filter returned %s", it.Customer().Email)
		}
	}
	if !found {
		t.Fatal("email filter did not return the customer")
	}
	byCreated := &stripe.CustomerListParams{CreatedRange: &stripe.RangeQueryParams{GreaterThanOrEqual: c.Created}}
	n := 0
	for it = e.sc.Customers.List(byCreated); it.Next(); n++ {
		if it.Customer().Created < c.Created {
			t.Fatal("created[gte] returned an older customer")
		}
	}
	if n != 11 {
		t.Fatalf("created[gte] returned %d customers, want 11", n)
	}
	exact := &stripe.CustomerListParams{Created: stripe.Int64(c.Created)}
	n = 0
	for it = e.sc.Customers.List(exact); it.Next(); n++ {
	}
	if n != 1 {
		t.Fatalf("created=%d returned %d customers, want 1", c.Created, n)
	}
}

func TestListAccountsPagination(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 2, Accounts: 33})
	params := &stripe.FinancialConnectionsAccountListParams{}
	params.Limit = stripe.Int64(5)
	it := e.sc.FinancialConnectionsAccounts.List(params)
	var ids []string
	for it.Next() {
		ids = append(ids, it.FinancialConnectionsAccount().ID)
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids, e.sb.AccountIDs()) {
		t.Fatalf("iterator returned %d accounts, want all 33 in index order", len(ids))
	}
	// Filter by the account holder.
	a, err := e.sc.FinancialConnectionsAccounts.GetByID(ids[7], nil)
	if err != nil {
		t.Fatal(err)
	}
	byCust := &stripe.FinancialConnectionsAccountListParams{
		AccountHolder: &stripe.FinancialConnectionsAccountListAccountHolderParams{Customer: stripe.String(a.AccountHolder.Customer.ID)}}
	var got []string
	for it = e.sc.FinancialConnectionsAccounts.List(byCust); it.Next(); {
		got = append(got, it.FinancialConnectionsAccount().ID)
	}
	if !slices.Equal(got, []string{ids[7]}) {
		t.Fatalf("account_holder[customer] filter = %v, want [%s]", got, ids[7])
	}
	// First chars vary between neighbouring ids (DuckDB zone maps keep an 8-byte prefix).
	prefixes := map[string]bool{}
	for _, id := range ids {
		prefixes[id[:8]] = true
	}
	if len(prefixes) < 30 {
		t.Fatalf("only %d distinct 8-byte prefixes among 33 ids", len(prefixes))
	}
}

func TestLimitValidation(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 3, Accounts: 3})
	for _, q := range []string{"limit=0", "limit=101", "limit=abc"} {
		code, _, body := e.raw(t, "GET", "/v1/customers?"+q, "")
		if code != 400 || !strings.Contains(string(body), `"param":"limit"`) {
			t.Fatalf("%s: %d %s", q, code, body)
		}
	}
	code, _, _ := e.raw(t, "GET", "/v1/customers?limit=100", "")
	if code != 200 {
		t.Fatalf("limit=100: %d", code)
	}
}

func TestRetrieveAndNotFound(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 4, Accounts: 16})
	id := e.sb.AccountIDs()[3]
	a, err := e.sc.FinancialConnectionsAccounts.GetByID(id, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != id || a.Object != "financial_connections.account" || a.Status != "active" || a.Balance != nil ||
		a.BalanceRefresh != nil || a.Ownership != nil || a.TransactionRefresh != nil || a.Last4 == "" ||
		a.InstitutionName == "" || a.Category != "cash" || a.Subcategory != "checking" || a.AccountHolder.Customer == nil {
		t.Fatalf("unexpected fresh account: %+v", a)
	}
	if a.LastResponse.RequestID == "" || !strings.HasPrefix(a.LastResponse.RequestID, "req_") {
		t.Fatalf("Request-Id = %q", a.LastResponse.RequestID)
	}
	// Every documented field is present on the wire, null where unset.
	var wire map[string]any
	if err := json.Unmarshal(a.LastResponse.RawJSON, &wire); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"id", "object", "account_holder", "balance", "balance_refresh", "category", "created",
		"display_name", "institution_name", "last4", "livemode", "ownership", "ownership_refresh", "permissions",
		"status", "subcategory", "subscriptions", "supported_payment_method_types", "transaction_refresh"} {
		if _, ok := wire[f]; !ok {
			t.Errorf("field %s missing", f)
		}
	}

	_, err = e.sc.FinancialConnectionsAccounts.GetByID("fca_doesnotexist123456789012", nil)
	se := stripeErr(t, err, 404)
	if se.Code != stripe.ErrorCodeResourceMissing || se.Param != "id" || se.Type != stripe.ErrorTypeInvalidRequest ||
		se.Msg != "No such financial connections account: 'fca_doesnotexist123456789012'" || se.RequestID == "" {
		t.Fatalf("404 error = %+v", se)
	}
	// A well-formed id just past the generated range is missing too.
	other := newEnv(t, sandbox.Config{Seed: 4, Accounts: 17}).sb.AccountIDs()[16]
	_, err = e.sc.FinancialConnectionsAccounts.GetByID(other, nil)
	stripeErr(t, err, 404)
	_, err = e.sc.Customers.Get("cus_nope", nil)
	if se := stripeErr(t, err, 404); se.Msg != "No such customer: 'cus_nope'" {
		t.Fatalf("customer 404 = %q", se.Msg)
	}
}

func TestRefreshLifecycle(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 5, Accounts: 16, RefreshDelay: 2 * time.Second})
	id := e.accountOfPersona(t, sandbox.PersonaSalariedBiweekly)
	a := e.refresh(t, id, "balance", "ownership", "transactions")
	now := e.sb.Now().Unix()
	if a.BalanceRefresh == nil || a.BalanceRefresh.Status != "pending" || a.BalanceRefresh.LastAttemptedAt != now ||
		a.BalanceRefresh.NextRefreshAvailableAt != 0 || a.Balance != nil {
		t.Fatalf("balance refresh not pending: %+v %+v", a.BalanceRefresh, a.Balance)
	}
	if a.OwnershipRefresh == nil || a.OwnershipRefresh.Status != "pending" || a.Ownership != nil {
		t.Fatalf("ownership refresh not pending: %+v", a.OwnershipRefresh)
	}
	if a.TransactionRefresh == nil || a.TransactionRefresh.Status != "pending" || !strings.HasPrefix(a.TransactionRefresh.ID, "fctxnref_") {
		t.Fatalf("transaction refresh not pending: %+v", a.TransactionRefresh)
	}
	var wire map[string]map[string]any
	_ = json.Unmarshal(a.LastResponse.RawJSON, &wire)
	if v, ok := wire["balance_refresh"]["next_refresh_available_at"]; !ok || v != nil {
		t.Fatalf("next_refresh_available_at should be null while pending, got %v", v)
	}

	e.sb.Advance(time.Second)
	if a, _ = e.sc.FinancialConnectionsAccounts.GetByID(id, nil); a.BalanceRefresh.Status != "pending" {
		t.Fatal("resolved before RefreshDelay")
	}
	e.sb.Advance(time.Second)
	a, err := e.sc.FinancialConnectionsAccounts.GetByID(id, nil)
	if err != nil {
		t.Fatal(err)
	}
	resolved := now + 2
	if a.BalanceRefresh.Status != "succeeded" || a.BalanceRefresh.NextRefreshAvailableAt != resolved+300 {
		t.Fatalf("balance refresh = %+v", a.BalanceRefresh)
	}
	if a.Balance == nil || a.Balance.Type != "cash" || a.Balance.AsOf != resolved || a.Balance.Current["usd"] == 0 ||
		a.Balance.Cash == nil || a.Balance.Cash.Available["usd"] > a.Balance.Current["usd"] {
		t.Fatalf("balance = %+v", a.Balance)
	}
	if a.Ownership == nil || !strings.HasPrefix(a.Ownership.ID, "fcaowns_") || a.OwnershipRefresh.Status != "succeeded" {
		t.Fatalf("ownership = %+v %+v", a.Ownership, a.OwnershipRefresh)
	}
	if a.TransactionRefresh.Status != "succeeded" || a.TransactionRefresh.NextRefreshAvailableAt != resolved+300 {
		t.Fatalf("transaction refresh = %+v", a.TransactionRefresh)
	}

	// expand[]=ownership inlines the owners.
	p := &stripe.FinancialConnectionsAccountParams{}
	p.AddExpand("ownership")
	a, err = e.sc.FinancialConnectionsAccounts.GetByID(id, p)
	if err != nil {
		t.Fatal(err)
	}
	if a.Ownership.Owners == nil || len(a.Ownership.Owners.Data) == 0 || a.Ownership.Owners.Data[0].Name == "" ||
		a.Ownership.Owners.Data[0].Ownership != a.Ownership.ID || a.Ownership.Created != resolved {
		t.Fatalf("expanded ownership = %+v", a.Ownership)
	}
	// The owners list endpoint agrees and requires ownership.
	it := e.sc.FinancialConnectionsAccounts.ListOwners(&stripe.FinancialConnectionsAccountListOwnersParams{
		Account: stripe.String(id), Ownership: stripe.String(a.Ownership.ID)})
	n := 0
	for it.Next() {
		o := it.FinancialConnectionsAccountOwner()
		if !strings.HasPrefix(o.ID, "fcaown_") || o.RefreshedAt != resolved {
			t.Fatalf("owner = %+v", o)
		}
		n++
	}
	if it.Err() != nil || n != len(a.Ownership.Owners.Data) {
		t.Fatalf("owners list: n=%d err=%v", n, it.Err())
	}
	code, _, body := e.raw(t, "GET", "/v1/financial_connections/accounts/"+id+"/owners", "")
	if code != 400 || !strings.Contains(string(body), `"param":"ownership"`) {
		t.Fatalf("owners without ownership: %d %s", code, body)
	}

	// Transactions are visible now; nothing lies in the future.
	txns := e.transactions(t, &stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(id)})
	if len(txns) < 300 {
		t.Fatalf("only %d transactions after the first refresh", len(txns))
	}
	for _, x := range txns {
		if x.TransactedAt > resolved || x.TransactionRefresh != a.TransactionRefresh.ID || x.Account != id || x.Currency != "usd" {
			t.Fatalf("bad transaction %+v", x)
		}
		if (x.Status == "posted") != (x.StatusTransitions.PostedAt != 0) || (x.Status == "void") != (x.StatusTransitions.VoidAt != 0) {
			t.Fatalf("status transitions inconsistent: %+v", x)
		}
	}
	oldest, newest := txns[len(txns)-1].TransactedAt, txns[0].TransactedAt
	if span := (newest - oldest) / 86400; span < 360 {
		t.Fatalf("history spans %d days, want about 12 months", span)
	}
	got, err := e.sc.FinancialConnectionsTransactions.Get(txns[5].ID, nil)
	if err != nil || got.ID != txns[5].ID || got.Amount != txns[5].Amount {
		t.Fatalf("retrieve transaction: %v %+v", err, got)
	}
}

func TestRefreshErrors(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 6, Accounts: 16, RefreshDelay: sandbox.RefreshImmediate})
	id := e.accountOfPersona(t, sandbox.PersonaGig)

	_, err := e.sc.FinancialConnectionsAccounts.Refresh(id, &stripe.FinancialConnectionsAccountRefreshParams{
		Features: stripe.StringSlice([]string{"balances"})})
	se := stripeErr(t, err, 400)
	if se.Param != "features[0]" || !strings.Contains(se.Msg, "balance, ownership, or transactions") {
		t.Fatalf("balances error = %+v", se)
	}
	_, err = e.sc.FinancialConnectionsAccounts.Refresh(id, &stripe.FinancialConnectionsAccountRefreshParams{})
	if se := stripeErr(t, err, 400); se.Code != stripe.ErrorCodeParameterMissing || se.Param != "features" {
		t.Fatalf("missing features = %+v", se)
	}

	noOwn := e.accountOfPersona(t, sandbox.PersonaNoOwnershipPerm)
	_, err = e.sc.FinancialConnectionsAccounts.Refresh(noOwn, &stripe.FinancialConnectionsAccountRefreshParams{
		Features: stripe.StringSlice([]string{"ownership"})})
	if se := stripeErr(t, err, 400); !strings.Contains(se.Msg, "ownership") {
		t.Fatalf("permission error = %+v", se)
	}
	noTxn := e.accountOfPersona(t, sandbox.PersonaNoTransactionsPerm)
	_, err = e.sc.FinancialConnectionsAccounts.Refresh(noTxn, &stripe.FinancialConnectionsAccountRefreshParams{
		Features: stripe.StringSlice([]string{"transactions"})})
	stripeErr(t, err, 400)

	// Listing transactions before any successful refresh.
	it := e.sc.FinancialConnectionsTransactions.List(&stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(id)})
	it.Next()
	se = stripeErr(t, it.Err(), 400)
	if se.Code != stripe.ErrorCodeFinancialConnectionsNoSuccessfulTransactionRefresh {
		t.Fatalf("code = %s", se.Code)
	}
	code, _, body := e.raw(t, "GET", "/v1/financial_connections/transactions", "")
	if code != 400 || !strings.Contains(string(body), `"param":"account"`) {
		t.Fatalf("missing account: %d %s", code, body)
	}

	// Too early: the cooldown runs from the resolution.
	if a := e.refresh(t, id, "balance"); a.BalanceRefresh.Status != "pending" {
		t.Fatalf("the refresh POST should answer pending, got %s", a.BalanceRefresh.Status)
	}
	if a, _ := e.sc.FinancialConnectionsAccounts.GetByID(id, nil); a.BalanceRefresh.Status != "succeeded" {
		t.Fatalf("RefreshImmediate: next read sees %s", a.BalanceRefresh.Status)
	}
	_, err = e.sc.FinancialConnectionsAccounts.Refresh(id, &stripe.FinancialConnectionsAccountRefreshParams{
		Features: stripe.StringSlice([]string{"balance"})})
	if se := stripeErr(t, err, 400); se.Code != "rate_limit" || se.Param != "features" {
		t.Fatalf("too early = %+v", se)
	}
	e.sb.Advance(sandbox.DefaultRefreshCooldown)
	e.refresh(t, id, "balance")

	// Disconnect: refreshes refused, data still readable.
	d, err := e.sc.FinancialConnectionsAccounts.Disconnect(id, nil)
	if err != nil || d.Status != "disconnected" || d.Balance == nil {
		t.Fatalf("disconnect: %v %+v", err, d)
	}
	e.sb.Advance(time.Hour)
	_, err = e.sc.FinancialConnectionsAccounts.Refresh(id, &stripe.FinancialConnectionsAccountRefreshParams{
		Features: stripe.StringSlice([]string{"balance"})})
	if se := stripeErr(t, err, 400); se.Code != stripe.ErrorCodeFinancialConnectionsAccountInactive {
		t.Fatalf("refresh after disconnect = %+v", se)
	}

	// The disconnected persona comes with stale but readable data.
	dis := e.accountOfPersona(t, sandbox.PersonaDisconnected)
	da, err := e.sc.FinancialConnectionsAccounts.GetByID(dis, nil)
	if err != nil || da.Status != "disconnected" || da.Balance == nil || da.TransactionRefresh == nil {
		t.Fatalf("disconnected persona: %v %+v", err, da)
	}
	if len(e.transactions(t, &stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(dis)})) == 0 {
		t.Fatal("disconnected persona has no readable transactions")
	}
}

// TestTransactionRefreshAfter checks incremental sync: after a later refresh,
// transaction_refresh[after]=<first> returns exactly the rows created or changed since.
func TestTransactionRefreshAfter(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 8, Accounts: 16})
	id := e.accountOfPersona(t, sandbox.PersonaSalariedWeekly)
	e.refresh(t, id, "transactions")
	e.sb.Advance(2 * time.Second)
	a, _ := e.sc.FinancialConnectionsAccounts.GetByID(id, nil)
	r1 := a.TransactionRefresh.ID
	before := map[string]*stripe.FinancialConnectionsTransaction{}
	for _, x := range e.transactions(t, &stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(id)}) {
		before[x.ID] = x
	}

	e.sb.Advance(3 * 24 * time.Hour)
	e.refresh(t, id, "transactions")
	e.sb.Advance(2 * time.Second)
	a, _ = e.sc.FinancialConnectionsAccounts.GetByID(id, nil)
	r2 := a.TransactionRefresh.ID
	if r2 <= r1 {
		t.Fatalf("refresh ids do not sort in refresh order: %s then %s", r1, r2)
	}
	after := e.transactions(t, &stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(id)})
	want := map[string]bool{}
	newRows, changed := 0, 0
	for _, x := range after {
		old, ok := before[x.ID]
		switch {
		case !ok:
			want[x.ID] = true
			newRows++
		case old.Status != x.Status:
			want[x.ID] = true
			changed++
		}
		if want[x.ID] && (x.TransactionRefresh != r2 || x.Updated <= old0(old)) {
			t.Fatalf("row %s touched by %s, updated %d", x.ID, x.TransactionRefresh, x.Updated)
		}
		if !want[x.ID] && x.TransactionRefresh != r1 {
			t.Fatalf("unchanged row %s claims refresh %s", x.ID, x.TransactionRefresh)
		}
	}
	if newRows == 0 || changed == 0 {
		t.Fatalf("3 days later: %d new and %d changed rows; want both", newRows, changed)
	}
	params := &stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(id),
		TransactionRefresh: &stripe.FinancialConnectionsTransactionListTransactionRefreshParams{After: stripe.String(r1)}}
	params.Limit = stripe.Int64(3)
	inc := e.transactions(t, params)
	got := map[string]bool{}
	for _, x := range inc {
		got[x.ID] = true
	}
	if len(got) != len(inc) || len(got) != len(want) {
		t.Fatalf("after=%s returned %d rows (%d distinct), want %d", r1, len(inc), len(got), len(want))
	}
	for k := range want {
		if !got[k] {
			t.Fatalf("after filter missed %s", k)
		}
	}
	// After the latest refresh there is nothing new.
	params.TransactionRefresh.After = stripe.String(r2)
	if n := len(e.transactions(t, params)); n != 0 {
		t.Fatalf("after=<latest> returned %d rows", n)
	}
	// transacted_at range filter.
	cut := after[len(after)/2].TransactedAt
	rp := &stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(id),
		TransactedAtRange: &stripe.RangeQueryParams{GreaterThanOrEqual: cut}}
	for _, x := range e.transactions(t, rp) {
		if x.TransactedAt < cut {
			t.Fatal("transacted_at[gte] returned an older row")
		}
	}
}

func old0(x *stripe.FinancialConnectionsTransaction) int64 {
	if x == nil {
		return 0
	}
	return x.Updated
}

func TestDeterminism(t *testing.T) {
	cfg := sandbox.Config{Seed: 42, Accounts: 20}
	paths := []string{
		"/v1/customers?limit=20",
		"/v1/financial_connections/accounts?limit=20",
	}
	bodies := func() []string {
		e := newEnv(t, cfg)
		var out []string
		for _, p := range paths {
			_, _, b := e.raw(t, "GET", p, "")
			out = append(out, string(b))
		}
		for _, id := range e.sb.AccountIDs()[:4] {
			e.raw(t, "POST", "/v1/financial_connections/accounts/"+id+"/refresh", "features[]=transactions&features[]=balance")
		}
		e.sb.Advance(time.Minute)
		for _, id := range e.sb.AccountIDs()[:4] {
			_, _, b := e.raw(t, "GET", "/v1/financial_connections/transactions?limit=100&account="+id, "")
			out = append(out, string(b))
			_, _, b = e.raw(t, "GET", "/v1/financial_connections/accounts/"+id, "")
			out = append(out, string(b))
		}
		return out
	}
	a, b := bodies(), bodies()
	if !slices.Equal(a, b) {
		t.Fatal("two sandboxes with the same config served different JSON")
	}
	other := cfg
	other.Seed = 43
	e := newEnv(t, other)
	_, _, c := e.raw(t, "GET", paths[0], "")
	if string(c) == a[0] {
		t.Fatal("a different seed served the same customers")
	}
}

func TestLargeSandboxIsLazy(t *testing.T) {
	cfg := sandbox.Config{Seed: 9, Accounts: 100_000, Start: testStart, Clock: fixedClock}
	t0 := time.Now()
	if _, err := sandbox.New(cfg); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(t0); d > 50*time.Millisecond {
		t.Fatalf("creating a 100,000-account sandbox took %v", d)
	}
	e := newEnv(t, cfg)
	ids := e.sb.AccountIDs()
	if len(ids) != 100_000 {
		t.Fatalf("AccountIDs = %d", len(ids))
	}
	a, err := e.sc.FinancialConnectionsAccounts.GetByID(ids[77_777], nil)
	if err != nil || a.ID != ids[77_777] {
		t.Fatal(err)
	}
	if states, ledgers := sandbox.GeneratedCounts(e.sb); states != 1 || ledgers != 0 {
		t.Fatalf("retrieving one account generated %d states and %d ledgers", states, ledgers)
	}
	// Paging from the middle stays cheap too.
	p := &stripe.CustomerListParams{}
	p.Limit = stripe.Int64(3)
	p.StartingAfter = stripe.String(a.AccountHolder.Customer.ID)
	p.Single = true
	it := e.sc.Customers.List(p)
	n := 0
	for it.Next() {
		n++
	}
	if it.Err() != nil || n != 3 || !it.Meta().HasMore {
		t.Fatalf("page after customer 77777: n=%d err=%v", n, it.Err())
	}
	if states, _ := sandbox.GeneratedCounts(e.sb); states != 1 {
		t.Fatalf("listing customers generated %d account states", states)
	}
	// Listing the accounts of 64 customers (four of them disconnected, whose last balance
	// predates the disconnection) builds small account states but no transaction history.
	lp := &stripe.CustomerListParams{}
	lp.Limit = stripe.Int64(64)
	lp.Single = true
	_, before := sandbox.GeneratedCounts(e.sb)
	for it := e.sc.Customers.List(lp); it.Next(); {
		ap := &stripe.FinancialConnectionsAccountListParams{AccountHolder: &stripe.FinancialConnectionsAccountListAccountHolderParams{
			Customer: stripe.String(it.Customer().ID)}}
		for ai := e.sc.FinancialConnectionsAccounts.List(ap); ai.Next(); {
			if a := ai.FinancialConnectionsAccount(); a.Status == "disconnected" && a.Balance == nil {
				t.Fatalf("disconnected account %s lists without its last balance", a.ID)
			}
		}
	}
	if _, ledgers := sandbox.GeneratedCounts(e.sb); ledgers != before {
		t.Fatalf("listing 64 customers' accounts generated %d transaction histories", ledgers-before)
	}
}

func TestPersonasInCustomerMetadata(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 10, Accounts: 32})
	seen := map[string]int{}
	for it := e.sc.Customers.List(&stripe.CustomerListParams{}); it.Next(); {
		seen[it.Customer().Metadata["persona"]]++
	}
	for _, p := range sandbox.Personas {
		if seen[p] != 2 {
			t.Errorf("persona %s on %d customers, want 2", p, seen[p])
		}
	}
	code, _, body := e.raw(t, "GET", "/_sandbox/accounts?persona=gig", "")
	var ctl struct {
		Data []struct{ ID, Customer, Persona string }
	}
	if err := json.Unmarshal(body, &ctl); err != nil || code != 200 || len(ctl.Data) != 2 || ctl.Data[0].Persona != "gig" {
		t.Fatalf("control accounts: %d %s", code, body)
	}
}

// TestBalancesMatchTransactions: current = opening + Σ posted, available = current − pending
// outflows, and a refresh serves exactly the truth at its resolution time.
func TestBalancesMatchTransactions(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 11, Accounts: 16, RefreshDelay: sandbox.RefreshImmediate})
	for _, id := range e.sb.AccountIDs() {
		tr, ok := e.sb.Truth(id)
		if !ok {
			t.Fatal("no truth for", id)
		}
		cur, holds := tr.BalanceOpening, int64(0)
		for _, x := range tr.Transactions {
			switch x.Status {
			case "posted":
				cur += x.Amount
			case "pending":
				if x.Amount < 0 {
					holds -= x.Amount
				}
			}
			if x.TransactedAt > e.sb.Now().Unix() {
				t.Fatalf("%s: transaction in the future", tr.Persona)
			}
		}
		if cur != tr.BalanceCurrent || *tr.BalanceAvailable != cur-holds {
			t.Fatalf("%s: current %d vs Σ %d; available %d vs %d", tr.Persona, tr.BalanceCurrent, cur, *tr.BalanceAvailable, cur-holds)
		}
		if slices.Contains(tr.Permissions, "balances") && tr.Status == "active" {
			e.refresh(t, id, "balance")
			a, _ := e.sc.FinancialConnectionsAccounts.GetByID(id, nil)
			if a.Balance.Current["usd"] != tr.BalanceCurrent || a.Balance.Cash.Available["usd"] != *tr.BalanceAvailable {
				t.Fatalf("%s: API balance %+v, truth %d/%d", tr.Persona, a.Balance, tr.BalanceCurrent, *tr.BalanceAvailable)
			}
		}
	}
}

// endOfDay computes end-of-day balances the way a reader would: current − Σ posted after day d.
func endOfDay(tr sandbox.Truth) map[int64]int64 {
	posted := map[int64]int64{}
	lo, hi := int64(1<<62), int64(0)
	for _, x := range tr.Transactions {
		d := x.TransactedAt / 86400
		lo, hi = min(lo, d), max(hi, d)
		if x.Status == "posted" {
			posted[d] += x.Amount
		}
	}
	out := map[int64]int64{}
	bal := tr.BalanceCurrent
	for d := hi; d >= lo; d-- {
		out[d] = bal
		bal -= posted[d]
	}
	return out
}

func isNSF(desc string) bool {
	for _, k := range []string{"NSF FEE", "OVERDRAFT ITEM FEE", "RETURNED ITEM FEE", "INSUFFICIENT FUNDS FEE"} {
		if strings.Contains(desc, k) {
			return true
		}
	}
	return false
}

func TestPersonaShapes(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 12, Accounts: 64})
	for _, id := range e.sb.AccountIDs() {
		tr, _ := e.sb.Truth(id)
		eod := endOfDay(tr)
		neg := 0
		for _, b := range eod {
			if b < 0 {
				neg++
			}
		}
		nsf, nsfOnNeg := 0, 0
		for _, x := range tr.Transactions {
			if isNSF(x.Description) && x.Status == "posted" {
				nsf++
				if eod[x.TransactedAt/86400] < 0 {
					nsfOnNeg++
				}
			}
		}
		switch tr.Persona {
		case sandbox.PersonaOverdraftNSF:
			if neg < 10 || nsf < 5 || nsfOnNeg != nsf {
				t.Errorf("overdraft_nsf %s: %d negative days, %d NSF fees (%d on negative days)", id, neg, nsf, nsfOnNeg)
			}
		case sandbox.PersonaSalariedBiweekly, sandbox.PersonaSalariedSemimonthly, sandbox.PersonaSalariedWeekly:
			if neg != 0 || nsf != 0 {
				t.Errorf("%s %s: %d negative days, %d NSF fees", tr.Persona, id, neg, nsf)
			}
		case sandbox.PersonaThinFile:
			if len(eod) >= 30 {
				t.Errorf("thin_file %s has %d days of history", id, len(eod))
			}
		case sandbox.PersonaJobLoss:
			for _, x := range tr.Transactions {
				if strings.Contains(x.Description, "PAY") && x.Amount > 100000 && x.TransactedAt > e.sb.Now().Unix()-44*86400 {
					t.Errorf("job_loss %s still paid %d on %d: %s", id, x.Amount, x.TransactedAt, x.Description)
				}
			}
		}
		for _, x := range tr.Transactions {
			if x.Status == "pending" && x.TransactedAt < e.sb.Now().Unix()-4*86400 {
				t.Errorf("%s: row pending for more than 4 days: %+v", tr.Persona, x)
			}
		}
	}
}

func TestOwnersFollowPersona(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 13, Accounts: 16})
	for _, id := range e.sb.AccountIDs() {
		tr, _ := e.sb.Truth(id)
		c, err := e.sc.Customers.Get(tr.CustomerID, nil)
		if err != nil {
			t.Fatal(err)
		}
		last := strings.ToUpper(c.Name[strings.LastIndex(c.Name, " ")+1:])
		all := ""
		for _, o := range tr.Owners {
			all += strings.ToUpper(o.Name) + "|"
		}
		switch tr.Persona {
		case sandbox.PersonaOwnerMismatch:
			if strings.Contains(all, strings.ToUpper(c.Name[:strings.Index(c.Name, " ")])+" ") && strings.Contains(all, last) {
				t.Errorf("owner_mismatch owners %q look like customer %q", all, c.Name)
			}
		case sandbox.PersonaBusinessOwned:
			if !strings.Contains(all, "LLC") && !strings.Contains(all, "INC") && !strings.Contains(all, "SONS") {
				t.Errorf("business_owned owners %q", all)
			}
		case sandbox.PersonaJointAccount:
			if len(tr.Owners) != 2 && !strings.Contains(all, " AND ") && !strings.Contains(all, " OR ") && !strings.Contains(all, " & ") {
				t.Errorf("joint_account owners %q", all)
			}
		default:
			if !strings.Contains(all, last) {
				t.Errorf("%s owners %q do not name customer %q", tr.Persona, all, c.Name)
			}
		}
	}
}

func TestSessionFlow(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 14, Accounts: 4, RefreshDelay: sandbox.RefreshImmediate})
	cp := &stripe.CustomerParams{Email: stripe.String("ana.lopez@example.com"), Name: stripe.String("Ana Maria Lopez")}
	cp.AddMetadata("applicant", "A-1")
	cust, err := e.sc.Customers.New(cp)
	if err != nil || cust.Metadata["applicant"] != "A-1" || cust.Name != "Ana Maria Lopez" {
		t.Fatalf("create customer: %v %+v", err, cust)
	}
	it := e.sc.Customers.List(&stripe.CustomerListParams{Email: stripe.String("ana.lopez@example.com")})
	if !it.Next() || it.Customer().ID != cust.ID || it.Next() {
		t.Fatal("find-by-email did not return exactly the new customer")
	}
	first := e.sc.Customers.List(&stripe.CustomerListParams{})
	if !first.Next() || first.Customer().ID != cust.ID {
		t.Fatal("the newest customer is not listed first")
	}

	sess, err := e.sc.FinancialConnectionsSessions.New(&stripe.FinancialConnectionsSessionParams{
		AccountHolder: &stripe.FinancialConnectionsSessionAccountHolderParams{Type: stripe.String("customer"), Customer: stripe.String(cust.ID)},
		Permissions:   stripe.StringSlice([]string{"balances", "ownership", "transactions"}),
		Prefetch:      stripe.StringSlice([]string{"balances"}),
		Filters:       &stripe.FinancialConnectionsSessionFiltersParams{Countries: stripe.StringSlice([]string{"US"})},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sess.ID, "fcsess_") || sess.Accounts == nil || len(sess.Accounts.Data) != 0 ||
		sess.AccountHolder.Customer.ID != cust.ID || sess.ClientSecret == "" || sess.Filters.Countries[0] != "US" {
		t.Fatalf("session = %+v", sess)
	}
	_, err = e.sc.FinancialConnectionsSessions.New(&stripe.FinancialConnectionsSessionParams{
		AccountHolder: &stripe.FinancialConnectionsSessionAccountHolderParams{Type: stripe.String("customer"), Customer: stripe.String(cust.ID)}})
	if se := stripeErr(t, err, 400); se.Param != "permissions" {
		t.Fatalf("missing permissions = %+v", se)
	}

	code, _, body := e.raw(t, "POST", "/_sandbox/sessions/"+sess.ID+"/complete", "persona=gig&persona=overdraft_nsf")
	if code != 200 {
		t.Fatalf("complete: %d %s", code, body)
	}
	sess, err = e.sc.FinancialConnectionsSessions.Get(sess.ID, nil)
	if err != nil || len(sess.Accounts.Data) != 2 {
		t.Fatalf("completed session: %v %s", err, sess.LastResponse.RawJSON)
	}
	acct := sess.Accounts.Data[0]
	if acct.AccountHolder.Customer.ID != cust.ID || acct.BalanceRefresh == nil || acct.Balance == nil ||
		len(acct.Permissions) != 3 {
		t.Fatalf("linked account = %+v", acct)
	}
	lp := &stripe.FinancialConnectionsAccountListParams{Session: stripe.String(sess.ID)}
	n := 0
	for it := e.sc.FinancialConnectionsAccounts.List(lp); it.Next(); n++ {
	}
	if n != 2 {
		t.Fatalf("list by session = %d", n)
	}
	lp = &stripe.FinancialConnectionsAccountListParams{AccountHolder: &stripe.FinancialConnectionsAccountListAccountHolderParams{Customer: stripe.String(cust.ID)}}
	n = 0
	for it := e.sc.FinancialConnectionsAccounts.List(lp); it.Next(); n++ {
	}
	if n != 2 {
		t.Fatalf("list by customer = %d", n)
	}
	tr, ok := e.sb.Truth(acct.ID)
	if !ok || !strings.Contains(strings.ToUpper(tr.Owners[0].Name), "LOPEZ") {
		t.Fatalf("linked account owners = %+v", tr.Owners)
	}
	code, _, _ = e.raw(t, "POST", "/_sandbox/sessions/"+sess.ID+"/complete", "")
	if code != 400 {
		t.Fatalf("second completion: %d", code)
	}
}

func TestWireBasics(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 15, Accounts: 4})
	// Missing and wrong keys.
	resp, err := http.Get(e.srv.URL + "/v1/customers")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 401 || !strings.Contains(string(b), `"type":"invalid_request_error"`) || resp.Header.Get("Request-Id") == "" {
		t.Fatalf("no key: %d %s", resp.StatusCode, b)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/v1/customers", nil)
	req.Header.Set("Authorization", "Bearer pk_test_123")
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("publishable key: %d", resp.StatusCode)
	}
	// Basic auth with a live key → livemode true.
	req, _ = http.NewRequest("GET", e.srv.URL+"/v1/customers?limit=1", nil)
	req.SetBasicAuth("sk_live_abc", "")
	resp, _ = http.DefaultClient.Do(req)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"livemode":true`) || resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("basic live: %d %s", resp.StatusCode, b)
	}
	// Idempotency-Key is echoed.
	req, _ = http.NewRequest("POST", e.srv.URL+"/v1/customers", strings.NewReader("email=x%40y.com"))
	req.Header.Set("Authorization", "Bearer sk_test_1")
	req.Header.Set("Idempotency-Key", "key-123")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.Header.Get("Idempotency-Key") != "key-123" {
		t.Fatalf("Idempotency-Key not echoed: %v", resp.Header)
	}
	// Unknown params, indexed and bracketed arrays, nested keys.
	code, _, body := e.raw(t, "GET", "/v1/customers?foo=1", "")
	if code != 400 || !strings.Contains(string(body), `"code":"parameter_unknown"`) || !strings.Contains(string(body), `"param":"foo"`) {
		t.Fatalf("unknown param: %d %s", code, body)
	}
	tr, _ := e.sb.Truth(e.sb.AccountIDs()[0])
	for _, form := range []string{
		"account_holder[type]=customer&account_holder[customer]=" + tr.CustomerID + "&permissions[]=balances&permissions[]=ownership",
		"account_holder[type]=customer&account_holder[customer]=" + tr.CustomerID + "&permissions[1]=ownership&permissions[0]=balances",
	} {
		code, _, body = e.raw(t, "POST", "/v1/financial_connections/sessions", form)
		if code != 200 || !strings.Contains(string(body), `"permissions":["balances","ownership"]`) {
			t.Fatalf("%s: %d %s", form, code, body)
		}
	}
	code, _, body = e.raw(t, "POST", "/v1/customers", "address[line1]=1+Main+St&address[city]=Austin&metadata[a]=1&metadata[b]=")
	if code != 200 || !strings.Contains(string(body), `"line1":"1 Main St"`) || !strings.Contains(string(body), `"metadata":{"a":"1"}`) {
		t.Fatalf("nested params: %d %s", code, body)
	}
	code, _, _ = e.raw(t, "GET", "/v1/nothing", "")
	if code != 404 {
		t.Fatalf("unknown route: %d", code)
	}
	// The control clock.
	code, _, body = e.raw(t, "POST", "/_sandbox/clock/advance", `{"seconds": 3600}`)
	var now struct{ Now int64 }
	if json.Unmarshal(body, &now); code != 200 || now.Now != testStart.Unix()+3600 {
		t.Fatalf("advance: %d %s", code, body)
	}
	code, _, body = e.raw(t, "POST", "/_sandbox/clock/advance", "seconds=60")
	if json.Unmarshal(body, &now); code != 200 || now.Now != testStart.Unix()+3660 {
		t.Fatalf("advance form: %d %s", code, body)
	}
}

func TestSubscriptionRefreshesDaily(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 16, Accounts: 16})
	id := e.accountOfPersona(t, sandbox.PersonaSalariedBiweekly)
	a, err := e.sc.FinancialConnectionsAccounts.Subscribe(id, &stripe.FinancialConnectionsAccountSubscribeParams{
		Features: stripe.StringSlice([]string{"transactions"})})
	if err != nil || !slices.Equal(a.Subscriptions, []stripe.FinancialConnectionsAccountSubscription{"transactions"}) {
		t.Fatalf("subscribe: %v %+v", err, a)
	}
	e.sb.Advance(49 * time.Hour)
	a, _ = e.sc.FinancialConnectionsAccounts.GetByID(id, nil)
	if a.TransactionRefresh == nil || a.TransactionRefresh.Status != "succeeded" || !strings.HasSuffix(a.TransactionRefresh.ID, "0000000002") {
		t.Fatalf("after two days subscribed: %+v", a.TransactionRefresh)
	}
	a, err = e.sc.FinancialConnectionsAccounts.Unsubscribe(id, &stripe.FinancialConnectionsAccountUnsubscribeParams{
		Features: stripe.StringSlice([]string{"transactions"})})
	if err != nil || len(a.Subscriptions) != 0 {
		t.Fatalf("unsubscribe: %v %+v", err, a)
	}
}

func TestConcurrentRequests(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 17, Accounts: 64, RefreshDelay: sandbox.RefreshImmediate})
	var wg sync.WaitGroup
	ids := e.sb.AccountIDs()
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(ids); i += 8 {
				v := url.Values{"features[]": {"balance"}}
				req, _ := http.NewRequest("POST", e.srv.URL+"/v1/financial_connections/accounts/"+ids[i]+"/refresh",
					strings.NewReader(v.Encode()))
				req.Header.Set("Authorization", "Bearer sk_test_x")
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}(w)
	}
	wg.Wait()
}

// BenchmarkListTransactions measures one 100-row page of transactions through httptest.
func BenchmarkListTransactions(b *testing.B) {
	e := newEnv(b, sandbox.Config{Seed: 18, Accounts: 16, RefreshDelay: sandbox.RefreshImmediate})
	id := e.sb.AccountIDs()[0]
	if _, err := e.sc.FinancialConnectionsAccounts.Refresh(id, &stripe.FinancialConnectionsAccountRefreshParams{
		Features: stripe.StringSlice([]string{"transactions"})}); err != nil {
		b.Fatal(err)
	}
	u := e.srv.URL + "/v1/financial_connections/transactions?limit=100&account=" + id
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Authorization", "Bearer sk_test_bench")
	c := e.srv.Client()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := c.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || n < 100*300 {
			b.Fatalf("status %d, %d bytes", resp.StatusCode, n)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// TestEndingBefore walks every list backwards from its oldest item with the stripe-go
// iterator and expects every newer item exactly once, in order.
func TestEndingBefore(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 19, Accounts: 23, RefreshDelay: sandbox.RefreshImmediate})
	ids := e.sb.AccountIDs()
	p := &stripe.FinancialConnectionsAccountListParams{}
	p.EndingBefore = stripe.String(ids[len(ids)-1])
	p.Limit = stripe.Int64(6)
	var got []string
	for it := e.sc.FinancialConnectionsAccounts.List(p); it.Next(); {
		got = append(got, it.FinancialConnectionsAccount().ID)
	}
	slices.Reverse(got)
	if !slices.Equal(got, ids[:len(ids)-1]) {
		t.Fatalf("accounts ending_before: got %d ids", len(got))
	}

	id := ids[0]
	e.refresh(t, id, "transactions")
	all := e.transactions(t, &stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(id)})
	tp := &stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(id)}
	tp.EndingBefore = stripe.String(all[len(all)-1].ID)
	tp.Limit = stripe.Int64(100)
	var back []string
	for _, x := range e.transactions(t, tp) {
		back = append(back, x.ID)
	}
	slices.Reverse(back)
	var want []string
	for _, x := range all[:len(all)-1] {
		want = append(want, x.ID)
	}
	if !slices.Equal(back, want) {
		t.Fatalf("transactions ending_before: got %d of %d", len(back), len(want))
	}
	// starting_after from the middle continues where the full walk does.
	mid := len(all) / 2
	sp := &stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(id)}
	sp.StartingAfter = stripe.String(all[mid].ID)
	rest := e.transactions(t, sp)
	if len(rest) != len(all)-mid-1 || rest[0].ID != all[mid+1].ID {
		t.Fatalf("starting_after mid: %d rows", len(rest))
	}
}
