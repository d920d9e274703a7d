package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRunSandboxServeAndAdvance(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- runSandbox(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--seed", "3", "--accounts", "8",
			"--start", "2026-11-02T15:00:00Z", "--rate-limit", "0", "--faults", "none"}, pw, &stderr)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatalf("no output; stderr: %s", stderr.String())
	}
	base, ok := strings.CutPrefix(lines.Text(), "sandbox listening on ")
	if !ok {
		t.Fatalf("first line %q", lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()

	req, _ := http.NewRequest("GET", base+"/v1/customers?limit=100", nil)
	req.Header.Set("Authorization", "Bearer sk_test_cli")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var list struct{ Data []struct{ ID string } }
	err = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || len(list.Data) != 8 {
		t.Fatalf("customers: %d, %d customers, %v", resp.StatusCode, len(list.Data), err)
	}

	clock := func() int64 {
		resp, err := http.Get(base + "/_sandbox/clock")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var c struct{ Now int64 }
		_ = json.NewDecoder(resp.Body).Decode(&c)
		return c.Now
	}
	before := clock()
	var out, errOut bytes.Buffer
	if code := runSandbox(ctx, []string{"advance", "--addr", strings.TrimPrefix(base, "http://"), "--seconds", "86400"},
		&out, &errOut); code != 0 {
		t.Fatalf("advance exited %d: %s", code, errOut.String())
	}
	after := clock()
	if d := after - before; d < 86400 || d > 86400+5 {
		t.Fatalf("clock moved %d s, want 86400", d)
	}
	if !strings.HasPrefix(out.String(), "sandbox time 2026-11-0") {
		t.Fatalf("advance printed %q", out.String())
	}
	if code := runSandbox(ctx, []string{"advance", "--addr", base, "--seconds", "0"}, &out, &errOut); code != 2 ||
		!strings.Contains(errOut.String(), "--seconds") {
		t.Fatalf("advance --seconds 0: exit %d, %s", code, errOut.String())
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after the context was cancelled")
	}
}

func TestRunSandboxFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		mention string
	}{
		{[]string{"--faults", "5xx=2"}, "5xx"},
		{[]string{"--faults", "jitter=1"}, `unknown key "jitter"`},
		{[]string{"--rate-limit", "lots"}, "--rate-limit"},
		{[]string{"--start", "yesterday"}, "--start"},
		{[]string{"--webhook-secret", "whsec_x"}, "--webhook-url"},
		{[]string{"--accounts", "-3"}, "Accounts"},
		{[]string{"--webhook-url", "not a url"}, "webhook url"},
	} {
		var stdout, stderr bytes.Buffer
		code := runSandbox(context.Background(), append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...), &stdout, &stderr)
		if code != 2 || !strings.Contains(stderr.String(), tc.mention) {
			t.Errorf("%v: exit %d, stderr %q; want 2 mentioning %q", tc.args, code, stderr.String(), tc.mention)
		}
	}
}
