package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/riskd/riskd/internal/app"
	"github.com/riskd/riskd/internal/sandbox"
	"github.com/riskd/riskd/scoring/cashflow"
)

var sandboxStart = time.Date(2026, 11, 20, 14, 30, 0, 0, time.UTC)

// MustRunMain starts riskd against its own sandbox (reached over HTTP, exactly as Stripe would be),
// with a temporary database and an ephemeral port, and waits for the start-up refresh.
func MustRunMain(tb testing.TB, accounts int) (*Main, *sandbox.Sandbox) {
	tb.Helper()
	sb, err := sandbox.New(sandbox.Config{Seed: 7, Accounts: accounts, Start: sandboxStart,
		Clock: func() time.Time { return sandboxStart }, RefreshDelay: sandbox.RefreshImmediate})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	tb.Cleanup(srv.Close)

	var stdout bytes.Buffer
	m := NewMain(&stdout, io.Discard)
	m.Logger = slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	m.Now = sb.Now
	m.Config = Config{
		DB:       filepath.Join(tb.TempDir(), "risk.duckdb"),
		Addr:     "127.0.0.1:0",
		Source:   app.SourceConfig{StripeKey: "sk_test_e2e", StripeBaseURL: srv.URL, ReadRate: -1, WriteRate: -1},
		TimeZone: "UTC", Workers: 4, RefreshOnStart: "always",
	}
	if err := m.Run(context.Background()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := m.Close(); err != nil {
			tb.Error(err)
		}
	})
	select {
	case <-m.FirstRun:
	case <-time.After(2 * time.Minute):
		tb.Fatal("the start-up refresh did not finish within 2 minutes")
	}
	if run := m.Scheduler.LastRun(); run == nil || run.Status != "succeeded" {
		tb.Fatalf("start-up run = %+v, want succeeded", run)
	}
	if !strings.Contains(stdout.String(), "/v1/score") {
		tb.Errorf("riskd did not print what to try next; stdout:\n%s", stdout.String())
	}
	return m, sb
}

func TestEndToEnd_DatabaseEqualsSandbox(t *testing.T) {
	m, sb := MustRunMain(t, 32)
	db := m.Store.DB()
	ids := sb.AccountIDs()
	if len(ids) != 32 {
		t.Fatalf("sandbox has %d accounts, want 32", len(ids))
	}
	var totalRows, totalSum int64
	for _, id := range ids {
		truth, ok := sb.Truth(id)
		if !ok {
			t.Fatalf("no truth for %s", id)
		}
		var status string
		if err := db.QueryRow("SELECT status FROM accounts WHERE id = ?", id).Scan(&status); err != nil {
			t.Fatalf("%s (%s): not stored: %v", id, truth.Persona, err)
		}
		if status != truth.Status {
			t.Errorf("%s (%s): status %q, want %q", id, truth.Persona, status, truth.Status)
		}
		if truth.Status != "active" || !has(truth.Permissions, "transactions") {
			continue
		}
		var wantRows, wantSum, wantVoid int64
		for _, tx := range truth.Transactions {
			wantRows++
			if tx.Status == "void" {
				wantVoid++
				continue
			}
			wantSum += tx.Amount
		}
		var gotRows, gotSum, gotVoid int64
		err := db.QueryRow(`SELECT count(*), coalesce(sum(amount_cents) FILTER (WHERE status <> 'void'), 0),
			count(*) FILTER (WHERE status = 'void') FROM transactions WHERE account_id = ?`, id).Scan(&gotRows, &gotSum, &gotVoid)
		if err != nil {
			t.Fatal(err)
		}
		if gotRows != wantRows || gotSum != wantSum || gotVoid != wantVoid {
			t.Errorf("%s (%s): transactions rows/sum/void = %d/%d/%d, sandbox holds %d/%d/%d",
				id, truth.Persona, gotRows, gotSum, gotVoid, wantRows, wantSum, wantVoid)
		}
		totalRows += gotRows
		totalSum += gotSum
		if has(truth.Permissions, "balances") {
			var current int64
			if err := db.QueryRow(`SELECT arg_max(current_cents, as_of) FROM balance_snapshots WHERE account_id = ?`, id).Scan(&current); err != nil {
				t.Fatalf("%s: balance: %v", id, err)
			}
			if current != truth.BalanceCurrent {
				t.Errorf("%s (%s): balance %d, sandbox holds %d", id, truth.Persona, current, truth.BalanceCurrent)
			}
		}
		if has(truth.Permissions, "ownership") {
			var owners int
			if err := db.QueryRow(`SELECT count(*) FROM owners WHERE account_id = ?`, id).Scan(&owners); err != nil {
				t.Fatal(err)
			}
			if owners != len(truth.Owners) {
				t.Errorf("%s (%s): %d owners, sandbox holds %d", id, truth.Persona, owners, len(truth.Owners))
			}
		}
	}
	var tableRows, tableSum int64
	if err := db.QueryRow(`SELECT count(*), coalesce(sum(amount_cents) FILTER (WHERE status <> 'void'), 0) FROM transactions`).Scan(&tableRows, &tableSum); err != nil {
		t.Fatal(err)
	}
	if tableRows != totalRows || tableSum != totalSum || tableRows == 0 {
		t.Errorf("transactions table holds %d rows summing to %d; per-account totals %d and %d", tableRows, tableSum, totalRows, totalSum)
	}
}

func TestEndToEnd_ScoreDiffersByPersona(t *testing.T) {
	m, sb := MustRunMain(t, 32)
	byPersona := map[string]string{}
	for _, id := range sb.AccountIDs() {
		truth, _ := sb.Truth(id)
		if _, ok := byPersona[truth.Persona]; !ok {
			byPersona[truth.Persona] = id
		}
	}
	want := map[string]struct {
		decision string
		code     string
	}{
		"salaried_biweekly": {"approve", ""},
		"overdraft_nsf":     {"review", "NSF_FREQUENT"},
		"owner_mismatch":    {"decline", "OWNER_NAME_MISMATCH"},
	}
	for persona, w := range want {
		t.Run(persona, func(t *testing.T) {
			got := score(t, m.HTTP.URL(), byPersona[persona])
			if got.Decision != w.decision {
				t.Errorf("decision = %s, want %s (score %d, reasons %+v)", got.Decision, w.decision, got.Score, got.Reasons)
			}
			for _, r := range got.Reasons {
				if r.Feature == "" {
					t.Errorf("reason %s names no feature", r.Code)
				}
			}
			if w.code != "" && !hasReason(got.Reasons, w.code) {
				t.Errorf("reasons %+v lack %s", got.Reasons, w.code)
			}
		})
	}
	// A $450 debit from the overdraft-prone account is declined and forecast riskier than the
	// same debit from the salaried account, which is approved.
	risk := map[string]float64{}
	for persona, want := range map[string]string{"overdraft_nsf": "decline", "salaried_biweekly": "approve"} {
		d := scoreBody(t, m.HTTP.URL(), fmt.Sprintf(`{"account": %q, "amount": 45000}`, byPersona[persona]))
		if d.Decision != want || d.Debit == nil {
			t.Fatalf("%s with a $450 debit: %s (%+v), debit %+v; want %s with a forecast", persona, d.Decision, d.Reasons, d.Debit, want)
		}
		risk[persona] = d.Debit.Risk.Probability
	}
	if risk["overdraft_nsf"] <= risk["salaried_biweekly"] {
		t.Errorf("debit risk: overdraft_nsf %.3f, salaried_biweekly %.3f", risk["overdraft_nsf"], risk["salaried_biweekly"])
	}
	// The owner-level results behind the mismatch are stored with the decision.
	var rows, nameMatches int
	err := m.Store.DB().QueryRow(`SELECT count(*), count(*) FILTER (WHERE field = 'name' AND match)
		FROM ownership_matches WHERE account_id = ?`, byPersona["owner_mismatch"]).Scan(&rows, &nameMatches)
	if err != nil || rows == 0 || nameMatches != 0 {
		t.Errorf("ownership_matches for owner_mismatch: %d rows, %d name matches (%v); want rows and no name match", rows, nameMatches, err)
	}
}

type reason struct {
	Code    string `json:"code"`
	Feature string `json:"feature"`
	Value   any    `json:"value"`
}

type decision struct {
	Decision string   `json:"decision"`
	Score    int      `json:"score"`
	Reasons  []reason `json:"reasons"`
	Debit    *struct {
		Risk struct {
			Probability float64 `json:"probability"`
		} `json:"risk"`
		BestDate string `json:"best_date"`
	} `json:"debit"`
}

func score(tb testing.TB, base, account string) decision {
	tb.Helper()
	return scoreBody(tb, base, fmt.Sprintf(`{"account": %q}`, account))
}

func scoreBody(tb testing.TB, base, reqBody string) decision {
	tb.Helper()
	resp, err := http.Post(base+"/v1/score", "application/json", strings.NewReader(reqBody))
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("POST /v1/score %s: %s: %s", reqBody, resp.Status, out)
	}
	var d decision
	if err := json.Unmarshal(out, &d); err != nil {
		tb.Fatal(err)
	}
	return d
}

func hasReason(rs []reason, code string) bool {
	for _, r := range rs {
		if r.Code == code {
			return true
		}
	}
	return false
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestScoreEndpoint_BadInput(t *testing.T) {
	m, _ := MustRunMain(t, 16)
	for _, tc := range []struct {
		body   string
		status int
		field  string
	}{
		{`{"account": "fca_nope"}`, 404, "fca_nope"},
		{`{}`, 400, "account"},
		{`{"account": 5}`, 400, "account"},
		{`{"account": "fca_x", "amount": -5}`, 400, "amount"},
		{`{"account": "fca_x", "as_of": "yesterday"}`, 400, "as_of"},
		{`{"account": "fca_x", "colour": "red"}`, 400, "colour"},
		{`not json`, 400, "JSON"},
	} {
		resp, err := http.Post(m.HTTP.URL()+"/v1/score", "application/json", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.field) {
			t.Errorf("%s: %d %s, want %d naming %q", tc.body, resp.StatusCode, body, tc.status, tc.field)
		}
	}
}

// testWriter sends log lines to the test's log.
type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Helper()
	w.tb.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestLinkedSessionArrivesByWebhook links a new account the way a customer would (a Financial
// Connections session completed in the Stripe sheet) and requires riskd to learn of it from the
// sandbox's signed webhooks alone: the account, its customer and its transactions get stored.
func TestLinkedSessionArrivesByWebhook(t *testing.T) {
	// Webhook signatures carry the wall clock, so this sandbox runs on it.
	sb, err := sandbox.New(sandbox.Config{Seed: 9, Accounts: 4, Start: time.Now(), RefreshDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(func() { srv.Close(); sb.Close() })
	m := NewMain(io.Discard, io.Discard)
	m.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	m.Now = sb.Now
	const secret = "whsec_linked_session_test"
	m.Config = Config{DB: filepath.Join(t.TempDir(), "risk.duckdb"), Addr: "127.0.0.1:0", TimeZone: "UTC", Workers: 4,
		RefreshOnStart: "never", WebhookSecret: secret,
		Source: app.SourceConfig{StripeKey: "sk_test_e2e", StripeBaseURL: srv.URL, ReadRate: -1, WriteRate: -1}}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if _, err := sb.AddWebhookEndpoint(m.HTTP.URL()+"/webhooks/stripe", secret, nil); err != nil {
		t.Fatal(err)
	}

	cus := stripeCall(t, srv.URL+"/v1/customers", url.Values{"name": {"Dana Whitfield"}, "email": {"dana.whitfield@example.com"}})
	sess := stripeCall(t, srv.URL+"/v1/financial_connections/sessions", url.Values{
		"account_holder[type]": {"customer"}, "account_holder[customer]": {cus["id"].(string)},
		"permissions[]": {"balances", "ownership", "transactions"}, "prefetch[]": {"balances", "transactions"}})
	stripeCall(t, srv.URL+"/_sandbox/sessions/"+sess["id"].(string)+"/complete", url.Values{"persona": {"salaried_biweekly"}})

	deadline := time.Now().Add(60 * time.Second)
	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	for range poll.C {
		var accounts, txns, customers int
		db := m.Store.DB()
		db.QueryRow(`SELECT count(*) FROM accounts WHERE customer_id = ?`, cus["id"]).Scan(&accounts)
		db.QueryRow(`SELECT count(*) FROM transactions t JOIN accounts a ON a.id = t.account_id WHERE a.customer_id = ?`, cus["id"]).Scan(&txns)
		db.QueryRow(`SELECT count(*) FROM customers WHERE id = ? AND name = 'Dana Whitfield'`, cus["id"]).Scan(&customers)
		if accounts == 1 && txns > 0 && customers == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 60s: %d accounts, %d transactions, %d customers stored for the linked session", accounts, txns, customers)
		}
	}
}

// stripeCall POSTs a form to the sandbox with a test key and returns the decoded object.
func stripeCall(t *testing.T, endpoint string, form url.Values) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer sk_test_e2e")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %s: %s", endpoint, resp.Status, body)
	}
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil {
		t.Fatal(err)
	}
	return obj
}

// TestMaterializedFeaturesEqualLive: the features a refresh materializes for "now" decisions are
// exactly what the cashflow_features macro computes live as of the same time.
func TestMaterializedFeaturesEqualLive(t *testing.T) {
	m, sb := MustRunMain(t, 16)
	ctx := context.Background()
	now := sb.Now()
	cached := 0
	for _, id := range sb.AccountIDs() {
		live, err := m.Store.CashflowFeatures(ctx, id, now)
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.Store.LatestFeatures(ctx, id, now)
		if err != nil {
			t.Fatal(err)
		}
		if live == nil || got == nil {
			if (live == nil) != (got == nil) {
				t.Errorf("%s: live %v, materialized %v", id, live != nil, got != nil)
			}
			continue
		}
		cached++
		a, _ := json.Marshal(live)
		b, _ := json.Marshal(got)
		if string(a) != string(b) {
			t.Errorf("%s: materialized features differ from live ones:\n live %s\n got  %s", id, a, b)
		}
		// The daily series the debit forecast reads are not serialized: compare them apart.
		if !slices.Equal(live.DailyBalances, got.DailyBalances) || !slices.Equal(live.DailyIncome, got.DailyIncome) ||
			len(got.DailyIncome) != cashflow.HistoryDays {
			t.Errorf("%s: materialized daily series differ from live ones (%d/%d days)", id, len(got.DailyBalances), len(got.DailyIncome))
		}
	}
	if cached == 0 {
		t.Fatal("no account had materialized features")
	}
	// A day later they no longer describe "now".
	if f, err := m.Store.LatestFeatures(ctx, sb.AccountIDs()[0], now.Add(24*time.Hour)); err != nil || f != nil {
		t.Errorf("features of the day before served as current: %v, %v", f != nil, err)
	}
}
