package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"

	"github.com/riskd/riskd/internal/app"
	"github.com/riskd/riskd/internal/store"
	"github.com/riskd/riskd/pipeline"
)

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return fmt.Sprint(*l) }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func runRefresh(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("riskctl refresh", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", app.EnvString("RISKD_DB", "./data/risk.duckdb"), "DuckDB database file (RISKD_DB)")
	var src app.SourceConfig
	src.RegisterFlags(fs)
	workers := fs.Int("workers", pipeline.DefaultWorkers, "accounts refreshed concurrently")
	var accounts stringList
	fs.Var(&accounts, "account", "refresh only this account (repeatable)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	memory := fs.String("duckdb-memory-limit", app.EnvString("RISKD_DUCKDB_MEMORY_LIMIT", "64MB"), "DuckDB buffer memory cap (RISKD_DUCKDB_MEMORY_LIMIT)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(stderr, "riskctl refresh: cpuprofile:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "riskctl refresh: cpuprofile:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	source, err := app.OpenSource(src, log)
	if err != nil {
		fmt.Fprintln(stderr, "riskctl refresh:", err)
		return 1
	}
	defer source.Close()
	st, err := store.OpenWith(ctx, *db, store.Options{MemoryLimit: *memory})
	if err != nil {
		fmt.Fprintln(stderr, "riskctl refresh:", err)
		return 1
	}
	defer st.Close()
	st.Now = source.Now
	crash := newCrashAt()
	st.Hook = crash.storeHook()
	requests := func() int64 { n, _, _ := source.RequestCounts(); return n }
	bar := newProgress(stderr, requests)
	r := &pipeline.Refresher{Source: source, Store: st, Logger: log, Workers: *workers, Now: source.Now,
		Progress: bar.update, Hook: crash.refresherHook()}
	run, err := r.Run(ctx, pipeline.TriggerManual, accounts...)
	bar.done()
	if err != nil {
		fmt.Fprintln(stderr, "riskctl refresh:", err)
		return 1
	}
	fmt.Fprintf(stdout, "run %d %s: %d accounts (%d succeeded, %d failed, %d skipped), %d transactions in %.1fs\n",
		run.ID, run.Status, run.AccountsTotal, run.AccountsSucceeded, run.AccountsFailed, run.AccountsSkipped,
		run.Transactions, run.FinishedAt.Sub(run.StartedAt).Seconds())
	if run.AccountsFailed > 0 {
		return 1
	}
	return 0
}
