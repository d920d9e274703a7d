package pipeline

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"
)

// Schedule says when the next scheduled run is due; a robfig/cron schedule satisfies it.
type Schedule interface {
	Next(time.Time) time.Time
}

// Scheduler owns the background refresh runs: the scheduled ones (a cron schedule in a time
// zone) and the ones triggered by operators or webhooks. Runs never overlap: a trigger while a
// run is in progress is refused with ErrAlreadyRunning, not queued. Close cancels the run in
// progress and waits for it.
type Scheduler struct {
	Refresher *Refresher
	Schedule  Schedule       // nil: no scheduled runs
	Location  *time.Location // the schedule's time zone; UTC when nil
	Now       func() time.Time
	Logger    *slog.Logger
	Events    EventStore // webhook events to drain after runs; nil: none
	// OnRunDone, if set, is called after each background run (tests wait on it).
	OnRunDone func(*Run, error)

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Open starts the schedule loop. Runs triggered later are children of ctx.
func (s *Scheduler) Open(ctx context.Context) {
	s.ctx, s.cancel = context.WithCancel(ctx)
	if s.Schedule == nil {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.loop()
	}()
}

// Close cancels the loop and any run in progress, and waits for them to end.
func (s *Scheduler) Close() {
	if s.cancel != nil {
		s.cancel()
	}
	s.wg.Wait()
}

func (s *Scheduler) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Scheduler) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Scheduler) loop() {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	for {
		now := s.now().In(loc)
		next := s.Schedule.Next(now)
		s.logger().Info("next scheduled refresh", "at", next.Format(time.RFC3339))
		t := time.NewTimer(next.Sub(now))
		select {
		case <-s.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		if err := s.Trigger(TriggerScheduled); errors.Is(err, ErrAlreadyRunning) {
			s.logger().Warn("scheduled refresh skipped: a run is in progress")
		}
	}
}

// Trigger starts a run in the background and returns at once. It returns ErrAlreadyRunning if a
// run is in progress, and EUNAVAILABLE once the scheduler is closed.
func (s *Scheduler) Trigger(trigger Trigger, accountIDs ...string) error {
	if s.ctx == nil || s.ctx.Err() != nil {
		return Errorf(EUNAVAILABLE, "riskd is shutting down.")
	}
	if !s.Refresher.acquire() {
		return ErrAlreadyRunning
	}
	s.start(func() (*Run, error) { return s.Refresher.runAcquired(s.ctx, trigger, accountIDs) })
	return nil
}

// drainSoon refreshes the accounts that have unprocessed webhook events: now, if no run is in
// progress, or right after the run in progress (every run drains when it ends). Unlike a manual
// or scheduled trigger, webhook work is never dropped.
func (s *Scheduler) drainSoon() {
	if s.ctx == nil || s.ctx.Err() != nil {
		return
	}
	if job := s.nextDrain(); job != nil {
		s.start(job)
	}
}

// start runs job, which holds the refresher's run slot, on an owned goroutine; then, while
// webhook events are pending, it runs drains.
func (s *Scheduler) start(job func() (*Run, error)) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for job != nil {
			run, err := job()
			s.Refresher.release()
			if err != nil {
				s.logger().Error("refresh failed", "err", err)
			}
			if s.OnRunDone != nil {
				s.OnRunDone(run, err)
			}
			job = s.nextDrain()
		}
	}()
}

// nextDrain returns a run over the accounts with pending webhook events, holding the run slot,
// or nil when there is nothing to do or another run holds the slot (that run drains after).
func (s *Scheduler) nextDrain() func() (*Run, error) {
	if s.Events == nil || s.ctx.Err() != nil {
		return nil
	}
	seen := s.now()
	ids, err := s.Events.PendingEventAccounts(s.ctx)
	if err != nil {
		s.logger().Error("pending webhook events", "err", err)
		return nil
	}
	if len(ids) == 0 || !s.Refresher.acquire() {
		return nil
	}
	return func() (*Run, error) {
		run, err := s.Refresher.runAcquired(s.ctx, TriggerWebhook, ids)
		// Processed means "a run looked at it": a failure is in the ledger, and the nightly run retries.
		if merr := s.Events.MarkEventsProcessed(context.WithoutCancel(s.ctx), ids, seen, s.now()); merr != nil {
			s.logger().Error("mark webhook events processed", "err", merr)
		}
		return run, err
	}
}

// LastRun returns the most recently finished run, or nil.
func (s *Scheduler) LastRun() *Run { return s.Refresher.LastRun() }

// Running reports whether a run is in progress.
func (s *Scheduler) Running() bool { return s.Refresher.Running() }
