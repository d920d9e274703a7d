package main

import (
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
)

// crashAt is a test seam: RISKD_CRASH_AT=POINT:N makes the process kill itself with SIGKILL at the
// Nth time a run passes the named point (pipeline.Hook* and store.Hook* names). The crash tests
// use it to prove that an interrupted refresh, run again, ends where an uninterrupted one does.
type crashAt struct {
	point string
	n     int64
	hits  atomic.Int64
}

func newCrashAt() *crashAt {
	spec := os.Getenv("RISKD_CRASH_AT")
	point, count, ok := strings.Cut(spec, ":")
	n, err := strconv.ParseInt(count, 10, 64)
	if !ok || err != nil || n < 1 {
		return nil
	}
	return &crashAt{point: point, n: n}
}

func (c *crashAt) hit(point string) {
	if c != nil && point == c.point && c.hits.Add(1) == c.n {
		syscall.Kill(os.Getpid(), syscall.SIGKILL) //nolint:errcheck // the process is gone either way
	}
}

// refresherHook and storeHook adapt hit to the two hook signatures; nil when no crash is set.
func (c *crashAt) refresherHook() func(point, accountID string) {
	if c == nil {
		return nil
	}
	return func(point, _ string) { c.hit(point) }
}

func (c *crashAt) storeHook() func(point string) {
	if c == nil {
		return nil
	}
	return c.hit
}
