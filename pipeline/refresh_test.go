package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/riskd/riskd/internal/sandbox"
	"github.com/riskd/riskd/internal/store"
	"github.com/riskd/riskd/internal/stripeclient"
	"github.com/riskd/riskd/pipeline"
)

var start = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)

// bundle is a refresher wired to a sandbox over HTTP and a temporary database.
type bundle struct {
	sb        *sandbox.Sandbox
	store     *store.Store
	client    *stripeclient.Client
	refresher *pipeline.Refresher
}

// setup starts a sandbox with a clock that only moves when the test advances it.
func setup(t *testing.T, accounts int, cfg func(*sandbox.Config)) *bundle {
	t.Helper()
	sc := sandbox.Config{Seed: 11, Accounts: accounts, Start: start, Clock: func() time.Time { return start },
		RefreshDelay: sandbox.RefreshImmediate}
	if cfg != nil {
		cfg(&sc)
	}
	sb, err := sandbox.New(sc)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb)
	t.Cleanup(srv.Close)
	client, err := stripeclient.New(stripeclient.Config{Key: "sk_test_pipeline", BaseURL: srv.URL, RetryBackoff: time.Millisecond, MaxRetries: 8})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "risk.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = sb.Now
	r := &pipeline.Refresher{Source: client, Store: st, Now: sb.Now, Workers: 4, PollInterval: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return &bundle{sb: sb, store: st, client: client, refresher: r}
}

func (b *bundle) run(t *testing.T) *pipeline.Run {
	t.Helper()
	run, err := b.refresher.Run(context.Background(), pipeline.TriggerScheduled)
	if err != nil {
		t.Fatal(err)
	}
	return run
}

// assertMatchesSandbox compares every transaction row, and each account's latest balance, with
// what the sandbox holds.
func assertMatchesSandbox(t *testing.T, b *bundle) {
	t.Helper()
	for _, id := range b.sb.AccountIDs() {
		truth, _ := b.sb.Truth(id)
		if truth.Status != "active" || !contains(truth.Permissions, "transactions") {
			continue
		}
		want := map[string]string{}
		for _, tx := range truth.Transactions {
			want[tx.ID] = fmt.Sprintf("%d %s", tx.Amount, tx.Status)
		}
		rows, err := b.store.DB().Query(`SELECT id, amount_cents, status FROM transactions WHERE account_id = ?`, id)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for rows.Next() {
			var txn, status string
			var amount int64
			if err := rows.Scan(&txn, &amount, &status); err != nil {
				t.Fatal(err)
			}
			got[txn] = fmt.Sprintf("%d %s", amount, status)
		}
		rows.Close()
		diffs := 0
		for txn, w := range want {
			if got[txn] != w {
				diffs++
				if diffs <= 3 {
					t.Errorf("%s (%s) %s: stored %q, sandbox holds %q", id, truth.Persona, txn, got[txn], w)
				}
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s (%s): %d rows stored, sandbox holds %d", id, truth.Persona, len(got), len(want))
		}
		if contains(truth.Permissions, "balances") {
			var current int64
			if err := b.store.DB().QueryRow(`SELECT arg_max(current_cents, as_of) FROM balance_snapshots WHERE account_id = ?`, id).Scan(&current); err != nil || current != truth.BalanceCurrent {
				t.Errorf("%s (%s): balance %d (%v), sandbox holds %d", id, truth.Persona, current, err, truth.BalanceCurrent)
			}
		}
	}
	// Every account has a number of its own, and its transactions carry it.
	var unnumbered, duplicate int
	err := b.store.DB().QueryRow(`SELECT
		(SELECT count(*) FROM transactions t LEFT JOIN accounts a ON a.id = t.account_id WHERE t.account_no IS DISTINCT FROM a.no OR a.no IS NULL),
		(SELECT count(*) - count(DISTINCT no) FROM accounts)`).Scan(&unnumbered, &duplicate)
	if err != nil || unnumbered != 0 || duplicate != 0 {
		t.Errorf("account numbers: %d transactions without their account's, %d accounts sharing one (%v)", unnumbered, duplicate, err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestAging runs a nightly refresh after each of 30 sandbox days: new transactions arrive,
// pending rows post or void, and at the end the database holds exactly what the sandbox does.
func TestAging(t *testing.T) {
	b := setup(t, 16, nil)
	first := b.run(t)
	if first.Status != "succeeded" || first.Transactions == 0 {
		t.Fatalf("first run = %+v", first)
	}
	var incremental int64
	for day := 1; day <= 30; day++ {
		b.sb.Advance(24 * time.Hour)
		run := b.run(t)
		if run.Status != "succeeded" {
			t.Fatalf("day %d: run %+v", day, run)
		}
		incremental += run.Transactions
	}
	if incremental == 0 {
		t.Fatal("30 days of nightly runs brought no new or changed transactions")
	}
	assertMatchesSandbox(t, b)
	var posted, void int64
	b.store.DB().QueryRow(`SELECT count(*) FILTER (WHERE status = 'posted' AND run_id > 1),
		count(*) FILTER (WHERE status = 'void') FROM transactions`).Scan(&posted, &void)
	if posted == 0 {
		t.Error("no transaction was updated to posted by a later run")
	}
}

// TestRunIsSingleFlight refuses a second run while one is in progress.
func TestRunIsSingleFlight(t *testing.T) {
	b := setup(t, 4, nil)
	entered, release := make(chan struct{}), make(chan struct{})
	b.refresher.Hook = func(point, _ string) {
		if point == pipeline.HookBetweenAccounts {
			select {
			case entered <- struct{}{}:
				<-release
			default:
			}
		}
	}
	done := make(chan error, 1)
	go func() {
		_, err := b.refresher.Run(context.Background(), pipeline.TriggerManual)
		done <- err
	}()
	<-entered
	if _, err := b.refresher.Run(context.Background(), pipeline.TriggerManual); !errors.Is(err, pipeline.ErrAlreadyRunning) {
		t.Errorf("second run err = %v, want ErrAlreadyRunning", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestSkipsWhatIsNotPermitted records a reason for every feature it does not refresh.
func TestSkipsWhatIsNotPermitted(t *testing.T) {
	b := setup(t, 16, nil)
	b.run(t)
	var reasons = map[string]int{}
	rows, err := b.store.DB().Query(`SELECT o.feature || ':' || o.reason, count(*) FROM refresh_outcomes o
		WHERE o.status = 'skipped' GROUP BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var n int
		rows.Scan(&k, &n)
		reasons[k] = n
	}
	rows.Close()
	for _, want := range []string{"ownership:permission_missing", "transactions:permission_missing", "account:account_disconnected"} {
		if reasons[want] == 0 {
			t.Errorf("no outcome %q; outcomes: %v", want, reasons)
		}
	}
	// The disconnected account keeps its status and is never refreshed.
	var disconnected int
	b.store.DB().QueryRow(`SELECT count(*) FROM accounts WHERE status = 'disconnected'`).Scan(&disconnected)
	if disconnected == 0 {
		t.Error("the disconnected account was not stored with its status")
	}
}

// assertPurged checks that no table but purged_accounts holds a row of the account: every table
// with an account_id column (so a table added later is checked too), and accounts itself.
func assertPurged(t *testing.T, b *bundle, id string) {
	t.Helper()
	rows, err := b.store.DB().Query(`SELECT table_name FROM information_schema.columns
		WHERE table_schema = 'main' AND column_name = 'account_id' AND table_name <> 'purged_accounts'`)
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]string{"accounts": "id"}
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			t.Fatal(err)
		}
		tables[table] = "account_id"
	}
	rows.Close()
	if len(tables) < 8 {
		t.Fatalf("only %d tables found with accounts: %v", len(tables), tables)
	}
	for table, col := range tables {
		var n int
		if err := b.store.DB().QueryRow("SELECT count(*) FROM "+table+" WHERE "+col+" = ?", id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s holds %d rows of the purged account", table, n)
		}
	}
}

// TestPurgedAccountIsNeverStoredAgain deletes an account's data and refreshes again.
func TestPurgedAccountIsNeverStoredAgain(t *testing.T) {
	b := setup(t, 8, nil)
	b.run(t)
	id := b.sb.AccountIDs()[0]
	if _, err := b.store.Purge(context.Background(), id, start); err != nil {
		t.Fatal(err)
	}
	assertPurged(t, b, id)
	b.sb.Advance(24 * time.Hour)
	b.run(t)
	assertPurged(t, b, id)
}

// TestFaults refreshes through a hostile sandbox (10% 5xx, 5% 429, latency spikes, dropped
// connections, slow bodies) and still ends with the database equal to the sandbox, row for row.
func TestFaults(t *testing.T) {
	b := setup(t, 16, func(c *sandbox.Config) {
		c.Faults = sandbox.Faults{ServerErrors: 0.10, RateLimits: 0.05, Latency: time.Millisecond, LatencyP99: 40 * time.Millisecond,
			Drops: 0.02, SlowBodies: 0.01, SlowBody: 50 * time.Millisecond, Seed: 5}
	})
	run := b.run(t)
	if run.Status != "succeeded" {
		rows, _ := b.store.Query(context.Background(), "SELECT account_id, feature, status, reason FROM refresh_outcomes WHERE status = 'failed'", 50)
		t.Fatalf("run = %+v, want succeeded despite faults; failed outcomes: %v", run, rows.Rows)
	}
	if run.Retries == 0 {
		t.Fatalf("run = %+v: no retries, so no fault was injected", run)
	}
	assertMatchesSandbox(t, b)
	b.sb.Advance(36 * time.Hour)
	if run := b.run(t); run.Status != "succeeded" {
		t.Fatalf("second run = %+v", run)
	}
	assertMatchesSandbox(t, b)
	t.Logf("first run: %d requests, %d retries, %d answered 429", run.Requests, run.Retries, run.RateLimited)
}
