// Package app wires riskd's adapters together for the two binaries: the Stripe source (or the
// embedded sandbox when no key is configured), the store and the refresher. It holds no logic of
// its own; cmd/riskd and cmd/riskctl only parse flags and call it.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/riskd/riskd/internal/sandbox"
	"github.com/riskd/riskd/internal/stripeclient"
	"github.com/riskd/riskd/pipeline"
)

// SandboxKey is the key riskd uses to talk to its embedded sandbox.
const SandboxKey = "sk_test_riskd_sandbox"

// DefaultSandboxStart is where the embedded sandbox's clock starts unless told otherwise. A fixed
// start makes every run on every machine and every day see the same accounts and transactions, so
// riskd and riskctl, today and tomorrow, agree on one world; in sandbox mode riskd's own clock is
// the sandbox's.
var DefaultSandboxStart = time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)

// SourceConfig says where Financial Connections data comes from.
type SourceConfig struct {
	StripeKey     string // empty: start the embedded sandbox
	StripeBaseURL string // override Stripe's URL (stripe-mock, a standalone sandbox)
	// ReadRate and WriteRate pace requests to Stripe, per second: 0 picks 90% of Stripe's limit
	// for the key's mode (live 100, test 25); a negative rate disables pacing.
	ReadRate, WriteRate float64

	SandboxStart        time.Time // the sandbox's "now" at start; DefaultSandboxStart when zero
	SandboxSeed         int64
	SandboxAccounts     int
	SandboxAddr         string        // where the embedded sandbox listens; 127.0.0.1:0 by default
	SandboxRefreshDelay time.Duration // how long sandbox refreshes stay pending; 0 resolves them on the next read
	SandboxFrozen       bool          // the sandbox clock stands still at its start (reproducible runs)
}

// RegisterFlags declares the flags that choose Stripe or the embedded sandbox, with defaults from
// the environment; riskd and riskctl share them so both see the same sandbox accounts. The key
// comes only from STRIPE_SECRET_KEY: secrets never go on a command line.
func (c *SourceConfig) RegisterFlags(fs *flag.FlagSet) {
	c.StripeKey = os.Getenv("STRIPE_SECRET_KEY")
	fs.StringVar(&c.StripeBaseURL, "stripe-base-url", os.Getenv("STRIPE_BASE_URL"), "Stripe API base URL override (STRIPE_BASE_URL)")
	fs.Float64Var(&c.ReadRate, "stripe-read-rate", 0, "Stripe reads per second (0: 90% of the key mode's limit; negative: unpaced)")
	fs.Float64Var(&c.WriteRate, "stripe-write-rate", 0, "Stripe writes per second (0: 90% of the key mode's limit; negative: unpaced)")
	fs.Int64Var(&c.SandboxSeed, "sandbox-seed", EnvInt64("RISKD_SANDBOX_SEED", 1), "embedded sandbox data seed (RISKD_SANDBOX_SEED)")
	fs.IntVar(&c.SandboxAccounts, "sandbox-accounts", int(EnvInt64("RISKD_SANDBOX_ACCOUNTS", 32)), "embedded sandbox account count (RISKD_SANDBOX_ACCOUNTS)")
	fs.Func("sandbox-start", "embedded sandbox clock start, RFC 3339 (default "+DefaultSandboxStart.Format(time.RFC3339)+")", func(v string) error {
		t, err := time.Parse(time.RFC3339, v)
		c.SandboxStart = t
		return err
	})
	fs.DurationVar(&c.SandboxRefreshDelay, "sandbox-refresh-delay", 500*time.Millisecond, "how long embedded sandbox refreshes stay pending (0: until the next read)")
	fs.BoolVar(&c.SandboxFrozen, "sandbox-frozen", false, "stop the embedded sandbox clock at its start, for reproducible runs")
}

// EnvInt64 returns the environment variable name parsed as an int64, or def.
func EnvInt64(name string, def int64) int64 {
	if v, err := strconv.ParseInt(os.Getenv(name), 10, 64); err == nil {
		return v
	}
	return def
}

// EnvString returns the environment variable name, or def when it is empty.
func EnvString(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// Source is an open pipeline.Source and, in sandbox mode, the sandbox behind it.
type Source struct {
	*stripeclient.Client
	Sandbox    *sandbox.Sandbox // nil when talking to Stripe
	SandboxURL string

	srv *http.Server
	err chan error
}

// OpenSource connects to Stripe, or starts the embedded sandbox when no key is configured.
func OpenSource(cfg SourceConfig, log *slog.Logger) (*Source, error) {
	s := &Source{}
	key, baseURL := cfg.StripeKey, cfg.StripeBaseURL
	if key == "" {
		start := cfg.SandboxStart
		if start.IsZero() {
			start = DefaultSandboxStart
		}
		sc := sandbox.Config{Seed: cfg.SandboxSeed, Accounts: cfg.SandboxAccounts, Start: start,
			RefreshDelay: cfg.SandboxRefreshDelay, Logger: log}
		if sc.RefreshDelay <= 0 {
			sc.RefreshDelay = sandbox.RefreshImmediate
		}
		if cfg.SandboxFrozen {
			sc.Clock = func() time.Time { return start }
		}
		sb, err := sandbox.New(sc)
		if err != nil {
			return nil, fmt.Errorf("sandbox: %w", err)
		}
		addr := cfg.SandboxAddr
		if addr == "" {
			addr = "127.0.0.1:0"
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("sandbox listen on %s: %w", addr, err)
		}
		s.Sandbox, s.SandboxURL = sb, "http://"+ln.Addr().String()
		s.srv = &http.Server{Handler: sb, ReadHeaderTimeout: 10 * time.Second}
		s.err = make(chan error, 1)
		go func() { s.err <- s.srv.Serve(ln) }()
		key, baseURL = SandboxKey, s.SandboxURL
		log.Info("no STRIPE_SECRET_KEY: started the embedded Stripe sandbox", "url", s.SandboxURL,
			"seed", cfg.SandboxSeed, "accounts", cfg.SandboxAccounts)
	}
	read, write := stripeclient.DefaultRates(key)
	if s.Sandbox != nil {
		read, write = 0, 0 // the embedded sandbox does not limit riskd
	}
	if cfg.ReadRate != 0 {
		read = max(0, cfg.ReadRate)
	}
	if cfg.WriteRate != 0 {
		write = max(0, cfg.WriteRate)
	}
	c, err := stripeclient.New(stripeclient.Config{Key: key, BaseURL: baseURL, ReadRate: read, WriteRate: write})
	if err != nil {
		s.Close()
		return nil, err
	}
	s.Client = c
	return s, nil
}

// NewWebhookSecret returns a random endpoint secret in Stripe's whsec_ form.
func NewWebhookSecret() string {
	var b [24]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return "whsec_" + hex.EncodeToString(b[:])
}

// Now is the source's clock: the sandbox's in sandbox mode, the wall clock otherwise.
func (s *Source) Now() time.Time {
	if s.Sandbox != nil {
		return s.Sandbox.Now()
	}
	return time.Now()
}

// Close stops the embedded sandbox, if any.
func (s *Source) Close() error {
	if s.srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if serr := <-s.err; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return errors.Join(err, s.Sandbox.Close())
}

var _ pipeline.Source = (*Source)(nil)
