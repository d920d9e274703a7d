// Package stripemock starts Stripe's official OpenAPI-validating mock, stripe-mock, for tests
// that check riskd's requests against it: the sandbox's contract test and the refresh job's.
package stripemock

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// Module is the stripe-mock version riskd is checked against.
const Module = "github.com/stripe/stripe-mock@v0.203.0"

var listening = regexp.MustCompile(`Listening for HTTP at address: .*:(\d+)`)

// Start runs stripe-mock on a free port (it builds through the module cache the first
// time) and returns its URL once it answers. The process group is killed at cleanup.
func Start(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.Command("go", "run", Module, "-http-port", "0")
	cmd.Dir = t.TempDir()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start stripe-mock: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	})
	port := make(chan string, 1)
	var logTail []string
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if m := listening.FindStringSubmatch(line); m != nil {
				port <- m[1]
			} else if len(logTail) < 20 {
				logTail = append(logTail, line)
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	var url string
	select {
	case p := <-port:
		url = "http://127.0.0.1:" + p
	case err := <-done:
		t.Fatalf("stripe-mock exited before listening: %v", err)
	case <-ctx.Done():
		t.Fatalf("stripe-mock did not start within 90s")
	}
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", url+"/v1/customers", nil)
		req.SetBasicAuth("sk_test_123", "")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return url
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("stripe-mock did not answer within 90s: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
