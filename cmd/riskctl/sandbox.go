package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/riskd/riskd/internal/app"
	"github.com/riskd/riskd/internal/sandbox"
)

const sandboxUsage = `riskctl sandbox: run the Stripe sandbox standalone, for other tools

Usage:
  riskctl sandbox [serve] [flags]              serve the sandbox until interrupted
  riskctl sandbox advance --seconds N [--addr]  move a running sandbox's clock forward

Point stripe-go (or riskd, with --stripe-base-url and STRIPE_SECRET_KEY=sk_test_...) at the URL
it prints. Control endpoints live under /_sandbox (clock, accounts, sessions, webhook endpoints).
`

// runSandbox implements "riskctl sandbox [serve]" and "riskctl sandbox advance".
func runSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "advance":
			return runSandboxAdvance(ctx, args[1:], stdout, stderr)
		case "serve":
			args = args[1:]
		case "help", "-h", "--help":
			fmt.Fprint(stdout, sandboxUsage)
			return 0
		}
	}
	return runSandboxServe(ctx, args, stdout, stderr)
}

func runSandboxServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("riskctl sandbox serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:12111", "listen address (port 0 picks a free one)")
	seed := fs.Int64("seed", app.EnvInt64("RISKD_SANDBOX_SEED", 1), "data seed (RISKD_SANDBOX_SEED)")
	accounts := fs.Int("accounts", int(app.EnvInt64("RISKD_SANDBOX_ACCOUNTS", sandbox.DefaultAccounts)),
		"generated Financial Connections accounts (RISKD_SANDBOX_ACCOUNTS)")
	start := fs.String("start", app.DefaultSandboxStart.Format(time.RFC3339), "sandbox time at start, RFC 3339")
	webhookURL := fs.String("webhook-url", "", "webhook endpoint receiving every event")
	webhookSecret := fs.String("webhook-secret", app.EnvString("RISKD_SANDBOX_WEBHOOK_SECRET", ""),
		"whsec_ signing secret for --webhook-url (RISKD_SANDBOX_WEBHOOK_SECRET; generated when empty)")
	duplicates := fs.Float64("webhook-duplicates", 0, "fraction (0-1) of events delivered twice")
	rateLimit := fs.String("rate-limit", fmt.Sprintf("%d/%d", sandbox.StripeTestModeRate, sandbox.StripeTestModeRate),
		"READ/WRITE requests per second, e.g. 25/25 (test mode) or 100/100 (live mode); 0 = no limit")
	faults := fs.String("faults", "", "injected faults, e.g. 5xx=0.10,429=0.05,lock=0.01,latency=50ms:p99=2s,drop=0.01,slow=0.01:2s,seed=7")
	refreshDelay := fs.Duration("refresh-delay", sandbox.DefaultRefreshDelay, "how long refreshes stay pending")
	settlement := fs.Duration("settlement-delay", sandbox.DefaultSettlementDelay, "sandbox time from an ACH debit to its outcome")
	verbose := fs.Bool("v", false, "log every request")
	fs.Usage = func() {
		fmt.Fprint(stderr, sandboxUsage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "riskctl sandbox: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	bad := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "riskctl sandbox: "+format+"\n", a...)
		return 2
	}
	startAt, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		return bad("--start: want an RFC 3339 time such as 2026-11-02T15:00:00Z, got %q", *start)
	}
	limit, err := sandbox.ParseRateLimit(*rateLimit)
	if err != nil {
		return bad("--rate-limit: %v", err)
	}
	f, err := sandbox.ParseFaults(*faults)
	if err != nil {
		return bad("--faults: %v", err)
	}
	if *refreshDelay <= 0 {
		return bad("--refresh-delay must be positive, got %v", *refreshDelay)
	}
	if *settlement <= 0 {
		return bad("--settlement-delay must be positive, got %v", *settlement)
	}
	if *webhookSecret != "" && *webhookURL == "" {
		return bad("--webhook-secret needs --webhook-url")
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	sb, err := sandbox.New(sandbox.Config{Seed: *seed, Accounts: *accounts, Start: startAt, RefreshDelay: *refreshDelay,
		Logger: log, WebhookURL: *webhookURL, WebhookSecret: *webhookSecret, WebhookDuplicateRate: *duplicates,
		RateLimit: limit, Faults: f, SettlementDelay: *settlement})
	if err != nil {
		return bad("%v", err)
	}
	defer sb.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "riskctl sandbox: listen on %s: %v\n", *addr, err)
		return 1
	}
	srv := &http.Server{Handler: sb, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "sandbox listening on http://%s\n", ln.Addr())
	fmt.Fprintf(stdout, "  seed %d, %d accounts, sandbox time %s, rate limit %s, faults %s\n",
		*seed, *accounts, sb.Now().Format(time.RFC3339), limit, f)
	for _, ep := range sb.WebhookEndpoints() {
		fmt.Fprintf(stdout, "  webhooks to %s signed with %s\n", ep.URL, ep.Secret)
	}
	select {
	case <-ctx.Done():
	case err := <-served:
		fmt.Fprintf(stderr, "riskctl sandbox: %v\n", err)
		return 1
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintf(stderr, "riskctl sandbox: shutdown: %v\n", err)
		return 1
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "riskctl sandbox: %v\n", err)
		return 1
	}
	return 0
}

func runSandboxAdvance(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("riskctl sandbox advance", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:12111", "address or URL of a running sandbox")
	seconds := fs.Float64("seconds", 0, "how far to move the sandbox clock, in seconds (required, > 0)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *seconds <= 0 {
		fmt.Fprintf(stderr, "riskctl sandbox advance: --seconds must be positive, got %v\n", *seconds)
		return 2
	}
	base := *addr
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	form := url.Values{"seconds": {strconv.FormatFloat(*seconds, 'f', -1, 64)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+"/_sandbox/clock/advance",
		strings.NewReader(form.Encode()))
	if err != nil {
		fmt.Fprintf(stderr, "riskctl sandbox advance: --addr %q: %v\n", *addr, err)
		return 2
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		fmt.Fprintf(stderr, "riskctl sandbox advance: %v\n", err)
		return 1
	}
	defer resp.Body.Close()
	var out struct {
		Now   int64 `json:"now"`
		Error *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		msg := fmt.Sprintf("HTTP %d", resp.StatusCode)
		if out.Error != nil {
			msg += ": " + out.Error.Message
		}
		fmt.Fprintf(stderr, "riskctl sandbox advance: %s\n", msg)
		return 1
	}
	fmt.Fprintf(stdout, "sandbox time %s\n", time.Unix(out.Now, 0).UTC().Format(time.RFC3339))
	return 0
}
