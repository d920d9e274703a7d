package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/riskd/riskd/internal/store"
	"github.com/riskd/riskd/pipeline"
	"github.com/riskd/riskd/scoring/cashflow"
)

func TestZZScratch(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
	s, err := store.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	id := "fca_X"
	b := &pipeline.AccountBatch{RunID: 1, ObservedAt: start, Account: pipeline.Account{ID: id, Status: "active", Created: start.AddDate(-1, 0, 0), Permissions: []pipeline.Permission{"balances"}},
		Balance: &pipeline.Balance{AsOf: start, Type: "cash", Currency: "usd", Current: 100000}}
	add := func(i int, desc string, amt int64, daysAgo int, status string) {
		c := cashflow.Classify(desc, amt)
		at := start.AddDate(0, 0, -daysAgo)
		pt := pipeline.Transaction{ID: fmt.Sprint("t", i), Amount: amt, Currency: "usd", Description: desc, Status: status,
			TransactedAt: at, RefreshID: "r", Updated: start, Category: string(c.Category), Counterparty: c.Counterparty}
		if status == "posted" {
			pt.PostedAt = &at
		}
		b.Transactions = append(b.Transactions, pt)
	}
	n := 0
	for d := 1; d < 200; d += 14 {
		n++
		add(n, "ACME CORP PAYROLL PPD ID: 9876543210", 250000, d, "posted")
	}
	for d := 2; d < 200; d += 1 {
		n++
		add(n, "POS PURCHASE KROGER #123 SPRINGFIELD IL", -15000, d, "posted")
	}
	n++
	add(n, "NSF FEE ITEM #1234", -3500, 10, "posted")
	add(n+1, "ALLY AUTO PAYMENT 1234567", -45000, 20, "posted")
	add(n+2, "CHASE CREDIT CRD AUTOPAY PPD ID: 123", -45000, 20, "posted")
	add(n+3, "EARNIN ADVANCE", 10000, 20, "posted")
	add(n+4, "POS PURCHASE KROGER #123 SPRINGFIELD IL", -99999, 0, "pending")
	if err := s.CommitAccount(ctx, b); err != nil {
		t.Fatal(err)
	}
	f, err := s.AccountFeatures(ctx, id, start)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.MarshalIndent(f, "", " ")
	fmt.Println(string(j))
	fmt.Println(f.DailyBalances[170:], f.RegularIncomeDaily[150:])
	cnt := 0
	err = s.PortfolioFeatures(ctx, start, func(f *cashflow.Features) error { cnt++; return nil })
	fmt.Println(cnt, err)
	r, err := s.Query(ctx, "SELECT * FROM cashflow_daily_balances(TIMESTAMP '2026-11-15 12:00:00') ORDER BY day DESC LIMIT 3", 10)
	fmt.Println(r, err)
	r, err = s.Query(ctx, "SELECT * FROM cashflow_income_streams(TIMESTAMP '2026-11-15 12:00:00')", 10)
	fmt.Println(r, err)
	r, err = s.Query(ctx, "SELECT * FROM account_overview", 10)
	fmt.Println(r, err)
}
