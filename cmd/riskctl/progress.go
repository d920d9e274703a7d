package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/riskd/riskd/pipeline"
)

// progress reports a run's progress: a bar redrawn in place on a terminal, a plain line every
// few seconds otherwise (logs, CI).
type progress struct {
	w        io.Writer
	terminal bool
	requests func() int64 // requests sent so far, for the request rate

	mu   sync.Mutex
	last time.Time
}

func newProgress(w io.Writer, requests func() int64) *progress {
	p := &progress{w: w, requests: requests}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

// update is the Refresher's Progress callback.
func (p *progress) update(pr pipeline.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	every := 5 * time.Second
	if p.terminal {
		every = 100 * time.Millisecond
	}
	if now.Sub(p.last) < every && pr.Done < pr.Total {
		return
	}
	p.last = now
	secs := max(pr.Elapsed.Seconds(), 0.001)
	rate := float64(p.requests()) / secs
	eta := "?"
	if pr.Done > 0 && pr.Total >= pr.Done {
		eta = (time.Duration(float64(pr.Elapsed) / float64(pr.Done) * float64(pr.Total-pr.Done))).Round(time.Second).String()
	}
	if !p.terminal {
		fmt.Fprintf(p.w, "refresh: %d/%d accounts, %.1f requests/s, ETA %s\n", pr.Done, pr.Total, rate, eta)
		return
	}
	const width = 30
	filled := 0
	if pr.Total > 0 {
		filled = min(width, width*pr.Done/pr.Total)
	}
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d accounts  %.1f req/s  ETA %s   ", strings.Repeat("=", filled),
		strings.Repeat(" ", width-filled), pr.Done, pr.Total, rate, eta)
}

// done ends the bar's line.
func (p *progress) done() {
	if p.terminal {
		fmt.Fprintln(p.w)
	}
}
