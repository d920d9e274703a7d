package pipeline_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riskd/riskd/internal/store"
	"github.com/riskd/riskd/internal/stripeclient"
	"github.com/riskd/riskd/internal/stripemock"
	"github.com/riskd/riskd/pipeline"
)

// TestRefreshAgainstStripeMock points the refresh job at stripe-mock, which validates every
// request against Stripe's OpenAPI spec: the run must complete and no request may be rejected.
// stripe-mock's fixture account grants no permissions, so the refresh, poll, owners and
// transactions requests the job makes for a permissioned account are sent directly too.
func TestRefreshAgainstStripeMock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs stripe-mock; skipped in -short mode")
	}
	url := stripemock.Start(t)
	client, err := stripeclient.New(stripeclient.Config{Key: "sk_test_123", BaseURL: url, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "risk.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r := &pipeline.Refresher{Source: client, Store: st, PollInterval: time.Millisecond, RefreshTimeout: 5 * time.Second,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	run, err := r.Run(context.Background(), pipeline.TriggerManual)
	if err != nil {
		t.Fatal(err)
	}
	if run.AccountsTotal == 0 {
		t.Fatalf("run = %+v: stripe-mock's account was not refreshed", run)
	}
	ctx := context.Background()
	if _, err := client.RefreshAccount(ctx, "fca_1", pipeline.Features); err != nil {
		t.Errorf("refresh: %v", err)
	}
	if _, err := client.GetAccount(ctx, "fca_1"); err != nil {
		t.Errorf("get account: %v", err)
	}
	if err := client.ListOwners(ctx, "fca_1", "fcaowns_1", func(pipeline.Owner) error { return nil }); err != nil {
		t.Errorf("list owners: %v", err)
	}
	for _, after := range []string{"", "fctxnref_1"} {
		if err := client.ListTransactions(ctx, "fca_1", after, func(pipeline.Transaction) error { return nil }); err != nil {
			t.Errorf("list transactions after %q: %v", after, err)
		}
	}
	for k, n := range client.Stats().Requests() {
		if !strings.HasPrefix(k.Status, "2") {
			t.Errorf("stripe-mock answered %s %d time(s) to %s", k.Status, n, k.Endpoint)
		}
	}
	outcomes, _ := st.Query(ctx, "SELECT feature, status, reason FROM refresh_outcomes ORDER BY feature", 10)
	t.Logf("run %+v; outcomes %v", run, outcomes.Rows)
}
