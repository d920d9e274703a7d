package sandbox

import (
	"container/heap"
	"context"
	"math"
	"time"
)

// Everything that happens on sandbox time without a request of its own (a refresh resolving,
// a subscription's daily refresh, an ACH debit settling, a late dispute, a webhook retry) is a
// job in one min-heap ordered by due time. processDue runs every job due by a time, in time
// order. It runs at the start of every API request, inside Advance, and on a real-clock ticker
// while webhook endpoints exist, so events fire (and are delivered) even if nobody reads the
// account they are about.

type jobKind uint8

const (
	jobAccount jobKind = iota // settle an FC account up to the due time
	jobCharge                 // settle an ACH charge
	jobDispute                // open a late dispute on a charge
	jobDeliver                // (re)send a webhook delivery
)

// job is one scheduled piece of work. due is sandbox time in Unix nanoseconds; seq breaks ties
// in scheduling order.
type job struct {
	due  int64
	seq  uint64
	kind jobKind
	key  uint64
}

type jobHeap []job

func (h jobHeap) Len() int { return len(h) }
func (h jobHeap) Less(i, j int) bool {
	if h[i].due != h[j].due {
		return h[i].due < h[j].due
	}
	return h[i].seq < h[j].seq
}
func (h jobHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *jobHeap) Push(x any)   { *h = append(*h, x.(job)) }
func (h *jobHeap) Pop() any {
	old := *h
	j := old[len(old)-1]
	*h = old[:len(old)-1]
	return j
}

// schedule adds a job due at sandbox time at.
func (s *Sandbox) schedule(at time.Time, kind jobKind, key uint64) {
	due := at.UnixNano()
	s.schedMu.Lock()
	s.jobSeq++
	heap.Push(&s.jobs, job{due: due, seq: s.jobSeq, kind: kind, key: key})
	s.nextDue.Store(s.jobs[0].due)
	s.schedMu.Unlock()
}

// processDue runs, in time order, every job due at or before now. Callers never hold an
// account or payment lock. Jobs run one at a time: tickMu orders concurrent callers.
func (s *Sandbox) processDue(now time.Time) {
	t := now.UnixNano()
	if s.nextDue.Load() > t {
		return
	}
	s.tickMu.Lock()
	defer s.tickMu.Unlock()
	for {
		s.schedMu.Lock()
		if len(s.jobs) == 0 || s.jobs[0].due > t {
			if len(s.jobs) == 0 {
				s.nextDue.Store(math.MaxInt64)
			} else {
				s.nextDue.Store(s.jobs[0].due)
			}
			s.schedMu.Unlock()
			return
		}
		j := heap.Pop(&s.jobs).(job)
		s.schedMu.Unlock()
		s.runJob(j)
	}
}

func (s *Sandbox) runJob(j job) {
	at := time.Unix(0, j.due).UTC()
	switch j.kind {
	case jobAccount:
		a := s.account(j.key)
		if a == nil {
			return
		}
		a.mu.Lock()
		if a.armed == j.due {
			a.armed = 0
		}
		s.prepare(a, at)
		a.mu.Unlock()
	case jobCharge:
		s.settleCharge(int(j.key), at)
	case jobDispute:
		s.openDispute(int(j.key), at)
	case jobDeliver:
		s.wh.retryDue(j.key)
	}
}

// arm schedules the account's next due moment (a refresh resolving or a subscription tick),
// unless an earlier or equal job is already waiting. The caller holds a.mu.
func (s *Sandbox) arm(a *account) {
	var next time.Time
	for _, f := range refreshFeatures {
		if st := a.state(f); st.status == "pending" {
			if due := st.attempted.Add(s.delay); next.IsZero() || due.Before(next) {
				next = due
			}
		}
	}
	if a.subscribed && (next.IsZero() || a.nextTick.Before(next)) {
		next = a.nextTick
	}
	if next.IsZero() {
		return
	}
	due := next.UnixNano()
	if a.armed != 0 && a.armed <= due {
		return
	}
	a.armed = due
	s.schedule(next, jobAccount, a.key)
}

// startLoop starts the background goroutines (the ticker and the webhook dispatcher) once,
// unless the sandbox is closed. Close stops and joins them.
func (s *Sandbox) startLoop() {
	s.loopMu.Lock()
	defer s.loopMu.Unlock()
	if s.stopped.Load() || s.loopCancel != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.loopCancel = cancel
	s.loopWG.Add(2)
	go func() {
		defer s.loopWG.Done()
		s.tickLoop(ctx)
	}()
	go func() {
		defer s.loopWG.Done()
		s.wh.dispatch(ctx)
	}()
}

// tickLoop processes due jobs as the wall clock moves sandbox time on.
func (s *Sandbox) tickLoop(ctx context.Context) {
	t := time.NewTicker(s.tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.processDue(s.Now())
		}
	}
}

// Close stops the background goroutines (the real-clock ticker and webhook delivery) and waits
// for them; deliveries in flight are abandoned. The sandbox keeps answering requests. Close is
// safe to call more than once.
func (s *Sandbox) Close() error {
	s.loopMu.Lock()
	s.stopped.Store(true)
	cancel := s.loopCancel
	s.loopMu.Unlock()
	if cancel != nil {
		cancel()
	}
	s.loopWG.Wait()
	return nil
}
