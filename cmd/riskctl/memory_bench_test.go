package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// BenchmarkRefreshMemory measures the peak RSS of a riskctl refresh of 10,000 accounts with 12
// months of transactions each (target < 300 MiB), with the sandbox in another process and no
// rate limit. RISKD_BENCH_ACCOUNTS overrides the account count for a quick look.
func BenchmarkRefreshMemory(b *testing.B) {
	accounts := 10000
	if n, err := strconv.Atoi(os.Getenv("RISKD_BENCH_ACCOUNTS")); err == nil && n > 0 {
		accounts = n
	}
	bin := filepath.Join(b.TempDir(), "riskctl")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build riskctl: %v\n%s", err, out)
	}
	for range b.N {
		url := startSandbox(b, bin, accounts)
		cmd := exec.Command(bin, "refresh", "--db", filepath.Join(b.TempDir(), "risk.duckdb"),
			"--stripe-base-url", url, "--stripe-read-rate", "-1", "--stripe-write-rate", "-1")
		cmd.Env = append(os.Environ(), "STRIPE_SECRET_KEY=sk_test_memory_bench")
		begin := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("refresh: %v\n%s", err, out)
		}
		secs := time.Since(begin).Seconds()
		rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss // KiB on Linux
		b.ReportMetric(float64(rss)/1024, "peak_RSS_MiB")
		b.ReportMetric(float64(accounts)/secs, "accounts/s")
		b.Logf("%s", out[max(0, len(out)-300):])
	}
}

var sandboxURL = regexp.MustCompile(`listening on (http://\S+)`)

// startSandbox runs `riskctl sandbox serve` on a free port and returns its URL.
func startSandbox(b *testing.B, bin string, accounts int) string {
	b.Helper()
	cmd := exec.Command(bin, "sandbox", "serve", "--addr", "127.0.0.1:0", "--accounts", strconv.Itoa(accounts),
		"--rate-limit", "0", "--refresh-delay", "50ms")
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := sandboxURL.FindStringSubmatch(sc.Text()); m != nil {
			go func() {
				for sc.Scan() { // keep draining so the sandbox never blocks on its stdout
				}
			}()
			return m[1]
		}
	}
	b.Fatalf("the sandbox printed no URL")
	return ""
}
