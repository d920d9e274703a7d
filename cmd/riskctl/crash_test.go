package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/riskd/riskd/internal/store"
)

// The tables that hold ingested data, with the columns that must not depend on when or in how
// many attempts a refresh happened (run ids and observation times are the ledger's business).
var comparable = map[string]string{
	"customers": `SELECT id, email, name, phone, address_line1, address_city, address_postal_code, metadata::VARCHAR, created
		FROM customers ORDER BY id`,
	"accounts": `SELECT id, customer_id, status, permissions, subscriptions, ownership_id, transaction_refresh_id,
		transactions_cursor, balance_refresh_status, ownership_refresh_status, transaction_refresh_status FROM accounts ORDER BY id`,
	"balance_snapshots": `SELECT account_id, as_of, type, currency, current_cents, available_cents, credit_used_cents
		FROM balance_snapshots ORDER BY account_id, as_of`,
	"ownership_snapshots": `SELECT id, account_id, created FROM ownership_snapshots ORDER BY id`,
	"owners":              `SELECT id, ownership_id, account_id, name, email, phone, raw_address FROM owners ORDER BY id`,
	"transactions": `SELECT id, account_id, amount_cents, currency, description, status, transacted_at, posted_at, void_at,
		transaction_refresh, updated, category, counterparty FROM transactions ORDER BY id`,
}

// TestRefreshSurvivesKill kills riskctl refresh with SIGKILL at five points of a run (mid-page,
// mid-commit, during the cursor save, between accounts, while polling a pending refresh), runs it
// again, and requires the database to equal the one an uninterrupted run produced.
func TestRefreshSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs riskctl several times")
	}
	bin := filepath.Join(t.TempDir(), "riskctl")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build riskctl: %v\n%s", err, out)
	}
	refresh := func(t *testing.T, db, crash string) error {
		cmd := exec.Command(bin, "refresh", "--db", db, "--sandbox-accounts", "12", "--sandbox-seed", "3",
			"--sandbox-frozen", "--sandbox-refresh-delay", "0", "--workers", "3")
		cmd.Env = append(os.Environ(), "RISKD_CRASH_AT="+crash, "STRIPE_SECRET_KEY=")
		out, err := cmd.CombinedOutput()
		if err != nil && crash == "" {
			t.Fatalf("refresh: %v\n%s", err, out)
		}
		return err
	}
	want := dump(t, refreshed(t, refresh, ""))

	for _, point := range []string{"page:1500", "commit:4", "cursor:7", "between_accounts:5", "polling:3"} {
		t.Run(point, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "risk.duckdb")
			err := refresh(t, db, point)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the run was not killed at %s: %v", point, err)
			}
			refresh(t, db, "")
			got := dump(t, db)
			for table, rows := range want {
				if got[table] != rows {
					t.Errorf("%s after a kill at %s differs from an uninterrupted run", table, point)
				}
			}
		})
	}
}

func refreshed(t *testing.T, refresh func(*testing.T, string, string) error, crash string) string {
	db := filepath.Join(t.TempDir(), "reference.duckdb")
	refresh(t, db, crash)
	return db
}

// dump renders the comparable tables of a database as JSON text, one string per table.
func dump(t *testing.T, path string) map[string]string {
	t.Helper()
	st, err := store.OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := map[string]string{}
	for table, q := range comparable {
		res, err := st.Query(context.Background(), q, store.MaxMaxRows)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if len(res.Rows) == 0 || res.Truncated {
			t.Fatalf("%s: %d rows (truncated %v): the reference run stored nothing to compare", table, len(res.Rows), res.Truncated)
		}
		b, _ := json.Marshal(res.Rows)
		out[table] = string(b)
	}
	return out
}
