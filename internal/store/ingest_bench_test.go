package store_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/marcboeker/go-duckdb" // the ceiling runs on a bare DuckDB

	"github.com/riskd/riskd/internal/store"
	"github.com/riskd/riskd/pipeline"
)

// syntheticBatches builds accounts × perAccount transactions shaped like a first refresh: a year
// of history per account, about 2 rows a day, realistic descriptions and categories.
func syntheticBatches(accounts, perAccount int) []*pipeline.AccountBatch {
	rng := rand.New(rand.NewPCG(1, 2))
	descs := []struct{ d, cat, cp string }{
		{"ACME CORP PAYROLL PPD ID: 1234567890", "income_payroll", "ACME CORP"},
		{"POS PURCHASE STARBUCKS STORE #01234 SEATTLE WA", "spending", "STARBUCKS"},
		{"ZELLE PAYMENT TO JOHN SMITH CONF# 8HJ2K", "p2p", "JOHN SMITH"},
		{"NSF FEE", "fee_nsf", ""},
		{"SANTANDER CONSUMER AUTO PMT", "loan_payment", "SANTANDER CONSUMER"},
		{"ONLINE TRANSFER FROM SAVINGS XXXX1234", "transfer_own", ""},
	}
	out := make([]*pipeline.AccountBatch, accounts)
	for a := range accounts {
		id := fmt.Sprintf("fca_%08x%016x", rng.Uint32(), a)
		b := &pipeline.AccountBatch{RunID: 1, ObservedAt: t0, Cursor: "fctxnref_1", Account: pipeline.Account{
			ID: id, CustomerID: "cus_" + id[4:], Status: pipeline.StatusActive, Created: t0,
			Permissions:        []pipeline.Permission{pipeline.PermTransactions},
			TransactionRefresh: &pipeline.RefreshState{ID: "fctxnref_1", Status: pipeline.RefreshSucceeded, LastAttemptedAt: t0},
		}}
		b.Transactions = make([]pipeline.Transaction, perAccount)
		for i := range b.Transactions {
			d := descs[rng.IntN(len(descs))]
			at := t0.Add(-time.Duration(rng.IntN(365*24)) * time.Hour)
			posted := at.Add(24 * time.Hour)
			b.Transactions[i] = pipeline.Transaction{ID: fmt.Sprintf("fctxn_%s_%06d", id[4:], i), AccountID: id,
				Amount: rng.Int64N(200000) - 100000, Currency: "usd", Description: d.d, Status: pipeline.TxnPosted,
				TransactedAt: at, PostedAt: &posted, RefreshID: "fctxnref_1", Updated: posted, Category: d.cat, Counterparty: d.cp}
		}
		out[a] = b
	}
	return out
}

// BenchmarkIngest compares riskd's store path (account batches in atomic groups through the Appender)
// with DuckDB's own read_json of the same rows from an NDJSON file, the ceiling. It reports
// transactions/s for both and their ratio (target >= 0.5).
func BenchmarkIngest(b *testing.B) {
	const accounts, perAccount = 400, 750
	batches := syntheticBatches(accounts, perAccount)
	rows := float64(accounts * perAccount)
	ndjson := filepath.Join(b.TempDir(), "tx.ndjson")
	writeNDJSON(b, ndjson, batches)
	ctx := context.Background()

	var storeSecs, ceilingSecs float64
	for i := range b.N {
		dir := b.TempDir()
		s, err := store.Open(ctx, filepath.Join(dir, fmt.Sprintf("store%d.duckdb", i)))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for g := 0; g < len(batches); g += pipeline.MaxGroupAccounts { // as the refresher's committer groups them
			if err := s.CommitAccounts(ctx, batches[g:min(g+pipeline.MaxGroupAccounts, len(batches))]); err != nil {
				b.Fatal(err)
			}
		}
		storeSecs += time.Since(start).Seconds()
		s.Close()

		db, err := sql.Open("duckdb", filepath.Join(dir, fmt.Sprintf("ceiling%d.duckdb", i)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(`CREATE TABLE transactions (id VARCHAR, account_id VARCHAR, amount_cents BIGINT, currency VARCHAR,
			description VARCHAR, status VARCHAR, transacted_at TIMESTAMP, posted_at TIMESTAMP, void_at TIMESTAMP,
			transaction_refresh VARCHAR, updated TIMESTAMP, category VARCHAR, counterparty VARCHAR, run_id BIGINT,
			account_no INTEGER)`); err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		if _, err := db.Exec(`INSERT INTO transactions SELECT * FROM read_json(?, format = 'newline_delimited', columns = {
			id: 'VARCHAR', account_id: 'VARCHAR', amount_cents: 'BIGINT', currency: 'VARCHAR', description: 'VARCHAR',
			status: 'VARCHAR', transacted_at: 'TIMESTAMP', posted_at: 'TIMESTAMP', void_at: 'TIMESTAMP',
			transaction_refresh: 'VARCHAR', updated: 'TIMESTAMP', category: 'VARCHAR', counterparty: 'VARCHAR', run_id: 'BIGINT',
			account_no: 'INTEGER'})`, ndjson); err != nil {
			b.Fatal(err)
		}
		ceilingSecs += time.Since(start).Seconds()
		db.Close()
	}
	n := float64(b.N)
	b.ReportMetric(rows*n/storeSecs, "store_txn/s")
	b.ReportMetric(rows*n/ceilingSecs, "read_json_txn/s")
	b.ReportMetric(ceilingSecs/storeSecs, "ratio")
}

func writeNDJSON(tb testing.TB, path string, batches []*pipeline.AccountBatch) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	ts := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return t.Format("2006-01-02 15:04:05")
	}
	for i, b := range batches {
		for _, t := range b.Transactions {
			if err := enc.Encode(map[string]any{"id": t.ID, "account_id": t.AccountID, "amount_cents": t.Amount,
				"currency": t.Currency, "description": t.Description, "status": t.Status, "transacted_at": ts(&t.TransactedAt),
				"posted_at": ts(t.PostedAt), "void_at": ts(t.VoidAt), "transaction_refresh": t.RefreshID,
				"updated": ts(&t.Updated), "category": t.Category, "counterparty": t.Counterparty, "run_id": 1,
				"account_no": i + 1}); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
}
