// Command riskd is the riskd daemon: it keeps Financial Connections data fresh in DuckDB (on
// start when the database is empty, nightly on a cron schedule, and on demand) and serves
// decisions over HTTP. Without STRIPE_SECRET_KEY it runs against the embedded Stripe sandbox.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/riskd/riskd/internal/app"
	"github.com/riskd/riskd/internal/httpapi"
	"github.com/riskd/riskd/internal/metrics"
	"github.com/riskd/riskd/internal/store"
	"github.com/riskd/riskd/internal/stripeclient"
	"github.com/riskd/riskd/pipeline"
	"github.com/riskd/riskd/scoring"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain(os.Stdout, os.Stderr)
	if err := m.ParseFlags(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "riskd:", err)
		os.Exit(2)
	}
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "riskd:", err)
		m.Close()
		os.Exit(1)
	}
	<-ctx.Done()
	m.Logger.Info("shutting down")
	if err := m.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "riskd:", err)
		os.Exit(1)
	}
}

// Config is riskd's configuration; flags default to environment variables.
type Config struct {
	DB             string
	Addr           string
	Source         app.SourceConfig
	Cron           string
	TimeZone       string
	Workers        int
	RefreshOnStart string // auto (when the database is empty), always, never
	WebhookSecret  string // whsec_...: verifies POST /webhooks/stripe; from STRIPE_WEBHOOK_SECRET only
}

// Main is the running daemon.
type Main struct {
	Config Config
	Logger *slog.Logger
	Stdout io.Writer
	Now    func() time.Time // the clock for refreshes, schedules and decisions; the source's when nil

	Store     *store.Store
	Source    *app.Source
	Scheduler *pipeline.Scheduler
	HTTP      *httpapi.Server
	// FirstRun is closed when the start-up refresh (if any) has finished.
	FirstRun chan struct{}
}

// NewMain returns a Main logging to stderr.
func NewMain(stdout, stderr io.Writer) *Main {
	return &Main{Stdout: stdout, Logger: slog.New(slog.NewTextHandler(stderr, nil)), FirstRun: make(chan struct{})}
}

// ParseFlags reads flags, with defaults from the environment.
func (m *Main) ParseFlags(args []string) error {
	fs := flag.NewFlagSet("riskd", flag.ContinueOnError)
	c := &m.Config
	fs.StringVar(&c.DB, "db", app.EnvString("RISKD_DB", "./data/risk.duckdb"), "DuckDB database file (RISKD_DB)")
	fs.StringVar(&c.Addr, "addr", app.EnvString("RISKD_ADDR", "127.0.0.1:8080"), "HTTP listen address (RISKD_ADDR)")
	c.Source.RegisterFlags(fs)
	fs.StringVar(&c.Cron, "cron", app.EnvString("RISKD_CRON", "0 2 * * *"), "refresh schedule, cron syntax (RISKD_CRON); empty disables it")
	fs.StringVar(&c.TimeZone, "tz", app.EnvString("RISKD_TZ", "UTC"), "time zone of the schedule (RISKD_TZ)")
	fs.IntVar(&c.Workers, "workers", pipeline.DefaultWorkers, "accounts refreshed concurrently")
	fs.StringVar(&c.RefreshOnStart, "refresh-on-start", "auto", "refresh at start: auto (when the database is empty), always, never")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c.WebhookSecret = os.Getenv("STRIPE_WEBHOOK_SECRET")
	switch c.RefreshOnStart {
	case "auto", "always", "never":
	default:
		return fmt.Errorf("refresh-on-start: %q is not auto, always or never", c.RefreshOnStart)
	}
	if c.Workers < 1 {
		return fmt.Errorf("workers: must be at least 1")
	}
	return nil
}

// Run opens everything and starts serving; it returns once riskd is serving.
func (m *Main) Run(ctx context.Context) error {
	c := m.Config
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return fmt.Errorf("tz: %w", err)
	}
	var sched pipeline.Schedule
	if c.Cron != "" {
		if sched, err = cron.ParseStandard(c.Cron); err != nil {
			return fmt.Errorf("cron: %w", err)
		}
	}
	if m.Source, err = app.OpenSource(c.Source, m.Logger); err != nil {
		return err
	}
	if m.Now == nil {
		m.Now = m.Source.Now
	}
	if m.Store, err = store.Open(ctx, c.DB); err != nil {
		return err
	}
	m.Store.Now = m.Now
	refresher := &pipeline.Refresher{Source: m.Source, Store: m.Store, Logger: m.Logger, Workers: c.Workers, Now: m.Now}
	m.Scheduler = &pipeline.Scheduler{Refresher: refresher, Schedule: sched, Location: loc, Logger: m.Logger,
		Now: m.Now, Events: m.Store}
	m.Scheduler.Open(context.WithoutCancel(ctx))

	m.HTTP = &httpapi.Server{Addr: c.Addr, Logger: m.Logger, Refresher: m.Scheduler, Querier: m.Store,
		Scorer:     &pipeline.Scorer{Store: m.Store, Policy: scoring.DefaultPolicy(), Now: m.Now},
		Webhooks:   &pipeline.Webhooks{Events: m.Store, Scheduler: m.Scheduler, Now: m.Now},
		Collectors: []metrics.Collector{m.Source, m.Store}}
	if err := m.HTTP.Open(); err != nil {
		return err
	}
	if sb := m.Source.Sandbox; sb != nil && c.WebhookSecret == "" {
		// The embedded sandbox delivers its events to riskd, as Stripe would to a registered endpoint.
		secret := app.NewWebhookSecret()
		if _, err := sb.AddWebhookEndpoint(m.HTTP.URL()+"/webhooks/stripe", secret, nil); err != nil {
			return fmt.Errorf("register the sandbox webhook endpoint: %w", err)
		}
		c.WebhookSecret = secret
	}
	if secret := c.WebhookSecret; secret != "" {
		m.HTTP.ParseEvent = func(payload []byte, sig string) (pipeline.Event, error) {
			return stripeclient.ParseEvent(payload, sig, secret)
		}
	}
	m.Logger.Info("serving", "url", m.HTTP.URL(), "db", c.DB)

	empty, err := m.Store.Empty(ctx)
	if err != nil {
		return err
	}
	if c.RefreshOnStart == "always" || (c.RefreshOnStart == "auto" && empty) {
		var once sync.Once
		m.Scheduler.OnRunDone = func(_ *pipeline.Run, err error) {
			once.Do(func() {
				if err == nil {
					m.printHints(ctx)
				}
				close(m.FirstRun)
			})
		}
		if err := m.Scheduler.Trigger(pipeline.TriggerStartup); err != nil {
			return err
		}
	} else {
		close(m.FirstRun)
		m.printHints(ctx)
	}
	return nil
}

// printHints tells a new user what to try, with real account IDs.
func (m *Main) printHints(ctx context.Context) {
	res, err := m.Store.Query(ctx, `SELECT persona, min(account_id) FROM account_overview
		WHERE persona IN ('salaried_biweekly', 'overdraft_nsf', 'owner_mismatch') GROUP BY persona ORDER BY persona`, 10)
	if err != nil {
		m.Logger.Warn("hints", "err", err)
		return
	}
	w := m.Stdout
	fmt.Fprintf(w, "\nriskd is serving on %s (database %s).\nTry:\n", m.HTTP.URL(), m.Config.DB)
	for _, row := range res.Rows {
		fmt.Fprintf(w, "  curl -s -X POST %s/v1/score -d '{\"account\": \"%v\"}'   # %v\n", m.HTTP.URL(), row[1], row[0])
	}
	fmt.Fprintf(w, "  ./bin/riskctl sql \"SELECT persona, status, transactions, income_monthly_cents, nsf_count_90d FROM account_overview\"\n\n")
}

// Close shuts everything down in reverse order and waits for background work.
func (m *Main) Close() error {
	var errs []error
	if m.HTTP != nil {
		errs = append(errs, m.HTTP.Close())
	}
	if m.Scheduler != nil {
		m.Scheduler.Close()
	}
	if m.Source != nil {
		errs = append(errs, m.Source.Close())
	}
	if m.Store != nil {
		errs = append(errs, m.Store.Close())
	}
	return errors.Join(errs...)
}
