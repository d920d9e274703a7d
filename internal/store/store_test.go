package store_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riskd/riskd/internal/store"
	"github.com/riskd/riskd/pipeline"
)

var t0 = time.Date(2026, 11, 2, 15, 4, 5, 0, time.UTC)

// MustOpen opens a migrated database in a temporary directory.
func MustOpen(tb testing.TB) (*store.Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "risk.duckdb")
	s, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, path
}

func ptime(t time.Time) *time.Time { return &t }

func txn(id string, amount int64, status string, day int) pipeline.Transaction {
	at := t0.AddDate(0, 0, -day)
	t := pipeline.Transaction{ID: id, AccountID: "fca_A", Amount: amount, Currency: "usd", Description: "POS PURCHASE",
		Status: status, TransactedAt: at, RefreshID: "fctxnref_1", Updated: at, Category: "spending", Counterparty: "SHOP"}
	if status == pipeline.TxnPosted {
		t.PostedAt = ptime(at.Add(24 * time.Hour))
	}
	return t
}

func account() pipeline.Account {
	return pipeline.Account{ID: "fca_A", CustomerID: "cus_A", Status: pipeline.StatusActive, Created: t0.AddDate(-1, 0, 0),
		Permissions:        []pipeline.Permission{pipeline.PermBalances, pipeline.PermTransactions},
		TransactionRefresh: &pipeline.RefreshState{ID: "fctxnref_1", Status: pipeline.RefreshSucceeded, LastAttemptedAt: t0}}
}

func count(tb testing.TB, s *store.Store, q string, args ...any) int64 {
	tb.Helper()
	var n int64
	if err := s.DB().QueryRow(q, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestCommitAccount_UpsertsTransactionsAndKeepsCursor(t *testing.T) {
	ctx := context.Background()
	s, _ := MustOpen(t)
	b := &pipeline.AccountBatch{RunID: 1, Account: account(), ObservedAt: t0, Cursor: "fctxnref_1",
		Balance:      &pipeline.Balance{AsOf: t0, Type: "cash", Currency: "usd", Current: 12345},
		Transactions: []pipeline.Transaction{txn("fctxn_1", -500, "posted", 3), txn("fctxn_2", -700, "pending", 1)}}
	if err := s.CommitAccount(ctx, b); err != nil {
		t.Fatal(err)
	}
	// The pending row posts in a later refresh; a batch without a cursor keeps the stored one.
	posted := txn("fctxn_2", -700, "posted", 1)
	posted.RefreshID = "fctxnref_2"
	b2 := &pipeline.AccountBatch{RunID: 2, Account: account(), ObservedAt: t0.Add(time.Hour), Transactions: []pipeline.Transaction{posted}}
	if err := s.CommitAccount(ctx, b2); err != nil {
		t.Fatal(err)
	}
	if got := count(t, s, "SELECT count(*) FROM transactions"); got != 2 {
		t.Fatalf("transactions = %d, want 2 (upsert by id)", got)
	}
	if got := count(t, s, "SELECT count(*) FROM transactions WHERE id = 'fctxn_2' AND status = 'posted'"); got != 1 {
		t.Fatalf("fctxn_2 not updated to posted")
	}
	if got := count(t, s, "SELECT count(*) FROM accounts"); got != 1 {
		t.Fatalf("accounts = %d, want 1", got)
	}
	states, err := s.AccountStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st := states["fca_A"]
	if st.TransactionsCursor != "fctxnref_1" || !st.BalanceAsOf.Equal(t0) {
		t.Fatalf("state = %+v, want cursor fctxnref_1 and balance as of %v", st, t0)
	}
	var firstSeen time.Time
	if err := s.DB().QueryRow("SELECT first_seen_at FROM accounts").Scan(&firstSeen); err != nil || !firstSeen.Equal(t0) {
		t.Fatalf("first_seen_at = %v (%v), want %v", firstSeen, err, t0)
	}
}

func TestCommitAccount_AtomicOnFailure(t *testing.T) {
	ctx := context.Background()
	s, _ := MustOpen(t)
	b := &pipeline.AccountBatch{RunID: 1, Account: account(), ObservedAt: t0, Cursor: "fctxnref_1",
		Transactions: []pipeline.Transaction{txn("fctxn_1", -500, "posted", 3)},
		Outcomes:     []pipeline.Outcome{{AccountID: "fca_A", Feature: "transactions", Status: "succeeded", At: t0}}}
	crash := errors.New("crash before commit")
	store.SetBeforeCommit(s, func(*pipeline.AccountBatch) error { return crash })
	if err := s.CommitAccount(ctx, b); !errors.Is(err, crash) {
		t.Fatalf("CommitAccount err = %v, want the injected crash", err)
	}
	for _, table := range []string{"accounts", "transactions", "refresh_outcomes", "balance_snapshots"} {
		if got := count(t, s, "SELECT count(*) FROM "+table); got != 0 {
			t.Errorf("%s has %d rows after a failed commit, want 0", table, got)
		}
	}
}

func TestMigrationsAreAppliedOnce(t *testing.T) {
	ctx := context.Background()
	s, path := MustOpen(t)
	n := count(t, s, "SELECT count(*) FROM schema_migrations")
	s.Close()
	s2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := count(t, s2, "SELECT count(*) FROM schema_migrations"); got != n || n == 0 {
		t.Fatalf("migrations recorded = %d after reopen, want %d (> 0)", got, n)
	}
}

func TestQuery_ReadOnly(t *testing.T) {
	ctx := context.Background()
	s, _ := MustOpen(t)
	for _, q := range []string{
		"DELETE FROM accounts",
		"CREATE TABLE x (a INT)",
		"SELECT 1; DELETE FROM accounts",
		"COPY accounts TO '/tmp/riskd-leak.csv'",
		"ATTACH '/tmp/other.duckdb'",
	} {
		if _, err := s.Query(ctx, q, 10); pipeline.ErrorCode(err) != pipeline.EINVALID {
			t.Errorf("Query(%q) err = %v, want code invalid", q, err)
		}
	}
	if _, err := s.Query(ctx, "SELECT * FROM read_csv('/etc/passwd')", 10); err == nil {
		t.Error("analyst SQL could read a file")
	}
	res, err := s.Query(ctx, "SELECT 1 AS one, 'a' AS two UNION ALL SELECT 2, 'b' UNION ALL SELECT 3, 'c'", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 || !res.Truncated || res.Columns[1] != "two" {
		t.Fatalf("result = %+v, want 2 rows, truncated, columns one,two", res)
	}
}

func TestCommitAccount_RefusesBatchWithoutIdentity(t *testing.T) {
	s, _ := MustOpen(t)
	b := &pipeline.AccountBatch{Account: account(), ObservedAt: t0, Transactions: []pipeline.Transaction{{Amount: 5}}}
	err := s.CommitAccount(context.Background(), b)
	if pipeline.ErrorCode(err) != pipeline.EINVALID || !strings.Contains(err.Error(), "transactions[0].id") {
		t.Fatalf("err = %v, want invalid naming transactions[0].id", err)
	}
}

// TestAccountNumbers checks every account gets its own number when first committed, keeps it,
// and that its transactions carry it, whether they arrive in a first load or incrementally.
func TestAccountNumbers(t *testing.T) {
	ctx := context.Background()
	s, path := MustOpen(t)
	batch := func(id string, cursor string, txns ...pipeline.Transaction) *pipeline.AccountBatch {
		a := account()
		a.ID = id
		for i := range txns {
			txns[i].AccountID = id
			txns[i].ID = id + "_" + txns[i].ID
		}
		return &pipeline.AccountBatch{RunID: 1, Account: a, ObservedAt: t0, Cursor: cursor, Transactions: txns}
	}
	steps := [][]*pipeline.AccountBatch{
		{batch("fca_B", "c1", txn("1", -100, "posted", 2)), batch("fca_A", "c1", txn("1", -200, "posted", 2))},
		{batch("fca_A", "c2", txn("2", -300, "posted", 1)), batch("fca_C", "c1", txn("1", -400, "pending", 1))},
	}
	for _, bs := range steps {
		if err := s.CommitAccounts(ctx, bs); err != nil {
			t.Fatal(err)
		}
	}
	numbers := func(s *store.Store) string {
		rows, err := s.DB().Query("SELECT id, no FROM accounts ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id string
			var no int
			if err := rows.Scan(&id, &no); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprintf("%s=%d", id, no))
		}
		return strings.Join(out, " ")
	}
	if got, want := numbers(s), "fca_A=2 fca_B=1 fca_C=3"; got != want {
		t.Errorf("account numbers %s, want %s (batch order, kept by later commits)", got, want)
	}
	mismatched := `SELECT count(*) FROM transactions t LEFT JOIN accounts a ON a.id = t.account_id
		WHERE t.account_no IS NULL OR t.account_no IS DISTINCT FROM a.no`
	if n := count(t, s, mismatched); n != 0 {
		t.Errorf("%d transactions without their account's number", n)
	}

	// A database stored before numbers existed gets them from the migration.
	for _, q := range []string{"ALTER TABLE transactions DROP COLUMN account_no", "ALTER TABLE accounts DROP COLUMN no",
		"DELETE FROM schema_migrations WHERE name LIKE '0004_%'"} {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got, want := numbers(s2), "fca_A=1 fca_B=2 fca_C=3"; got != want { // all first seen at t0: by id
		t.Errorf("after migration: account numbers %s, want %s", got, want)
	}
	if n := count(t, s2, mismatched); n != 0 {
		t.Errorf("after migration: %d transactions without their account's number", n)
	}
}
