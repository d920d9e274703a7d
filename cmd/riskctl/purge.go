package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/riskd/riskd/internal/app"
	"github.com/riskd/riskd/internal/store"
)

// runPurge deletes one account's data everywhere (a deletion request) and keeps only its ID so
// that later refreshes skip it.
func runPurge(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("riskctl purge", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", app.EnvString("RISKD_DB", "./data/risk.duckdb"), "DuckDB database file (RISKD_DB)")
	account := fs.String("account", "", "the Financial Connections account to purge (fca_...)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *account == "" {
		fmt.Fprintln(stderr, "riskctl purge: account: required, e.g. --account fca_...")
		return 2
	}
	st, err := store.Open(ctx, *db)
	if err != nil {
		fmt.Fprintln(stderr, "riskctl purge:", err)
		return 1
	}
	defer st.Close()
	deleted, err := st.Purge(ctx, *account, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "riskctl purge:", err)
		return 1
	}
	tables := make([]string, 0, len(deleted))
	for t := range deleted {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	fmt.Fprintf(stdout, "purged %s:", *account)
	for _, t := range tables {
		fmt.Fprintf(stdout, " %s=%d", t, deleted[t])
	}
	fmt.Fprintln(stdout)
	return 0
}
