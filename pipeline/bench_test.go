package pipeline_test

import (
	"context"
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

// BenchmarkRateLimitUse refreshes 1,000 accounts from a sandbox that allows 100 reads and 100
// writes a second, with the client paced just under that, and reports how much of the limit the
// run used (target >= 0.90 of 100 req/s), the share of requests answered 429 (target < 1%) and
// the requests each account needed.
func BenchmarkRateLimitUse(b *testing.B) {
	const accounts, limit = 1000, 100
	for range b.N {
		sb, err := sandbox.New(sandbox.Config{Seed: 21, Accounts: accounts, Start: start,
			RefreshDelay: 300 * time.Millisecond, RateLimit: sandbox.RateLimit{Read: limit, Write: limit}})
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(sb)
		client, err := stripeclient.New(stripeclient.Config{Key: "sk_test_bench", BaseURL: srv.URL,
			ReadRate: 0.98 * limit, WriteRate: 0.98 * limit})
		if err != nil {
			b.Fatal(err)
		}
		st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "risk.duckdb"))
		if err != nil {
			b.Fatal(err)
		}
		r := &pipeline.Refresher{Source: client, Store: st, Now: sb.Now, Workers: 64,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
		begin := time.Now()
		run, err := r.Run(context.Background(), pipeline.TriggerScheduled)
		elapsed := time.Since(begin).Seconds()
		if err != nil || run.AccountsTotal != accounts {
			b.Fatalf("run %+v: %v", run, err)
		}
		reads, writes := 0.0, 0.0
		for k, n := range client.Stats().Requests() {
			if k.Endpoint[:3] == "GET" {
				reads += float64(n)
			} else {
				writes += float64(n)
			}
		}
		b.ReportMetric((reads+writes)/elapsed, "req/s")
		b.ReportMetric(reads/elapsed/limit, "read_limit_use")
		b.ReportMetric((reads+writes)/elapsed/limit, "limit_use")
		b.ReportMetric(100*float64(run.RateLimited)/(reads+writes), "429_%")
		b.ReportMetric((reads+writes)/accounts, "req/account")
		st.Close()
		srv.Close()
		sb.Close()
	}
}
