// Command riskctl is riskd's operator and analyst tool.
//
//	riskctl refresh [--db PATH] [--account fca_...]   refresh accounts into the database
//	riskctl sql [--db PATH] [--format table|csv|json] "SELECT ..."
//	riskctl purge --account fca_...                     delete one account's data everywhere
//	riskctl match  < pairs.jsonl                       ownership match, JSON Lines in and out
//	riskctl cashflow < accounts.jsonl                  cash-flow features, JSON Lines in and out
//	riskctl sandbox [serve|advance] ...                the Stripe sandbox, standalone
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `riskctl: riskd's operator and analyst tool

Usage:
  riskctl refresh [flags]             refresh accounts from Stripe (or the embedded sandbox) into DuckDB
  riskctl sql [flags] "SELECT ..."    run a read-only query against riskd's database
  riskctl purge --account fca_...     delete one account's data everywhere (a deletion request)
  riskctl match                       ownership match: JSON Lines on stdin, results on stdout
  riskctl cashflow                    cash-flow features: JSON Lines on stdin, results on stdout
  riskctl sandbox [serve|advance]     run the Stripe sandbox standalone, or move its clock

Run "riskctl COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches a subcommand and returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "refresh":
		return runRefresh(ctx, rest, stdout, stderr)
	case "sql":
		return runSQL(ctx, rest, stdout, stderr)
	case "purge":
		return runPurge(ctx, rest, stdout, stderr)
	case "sandbox":
		return runSandbox(ctx, rest, stdout, stderr)
	case "match":
		return runMatch(rest, stdin, stdout, stderr)
	case "cashflow":
		return runCashflow(ctx, rest, stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "riskctl: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
}
