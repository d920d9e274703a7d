package pipeline_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riskd/riskd/pipeline"
)

// soon fires once, shortly after it is first asked, and then never again within the test.
type soon struct{ calls atomic.Int32 }

func (s *soon) Next(t time.Time) time.Time {
	if s.calls.Add(1) == 1 {
		return t.Add(10 * time.Millisecond)
	}
	return t.Add(24 * time.Hour)
}

// TestSchedulerRunsOnScheduleAndRefusesOverlap: the schedule triggers a run labelled
// "scheduled", a manual trigger while it runs is refused, and Close waits for the run.
func TestSchedulerRunsOnScheduleAndRefusesOverlap(t *testing.T) {
	b := setup(t, 4, nil)
	inRun, release := make(chan struct{}), make(chan struct{})
	b.refresher.Hook = func(point, _ string) {
		if point == pipeline.HookBetweenAccounts {
			select {
			case inRun <- struct{}{}:
				<-release
			default:
			}
		}
	}
	done := make(chan *pipeline.Run, 1)
	s := &pipeline.Scheduler{Refresher: b.refresher, Schedule: &soon{}, Now: time.Now,
		OnRunDone: func(r *pipeline.Run, err error) {
			if err == nil {
				done <- r
			}
		}}
	s.Open(context.Background())
	defer s.Close()
	select {
	case <-inRun:
	case <-time.After(30 * time.Second):
		t.Fatal("the scheduled run did not start")
	}
	if err := s.Trigger(pipeline.TriggerManual); err != pipeline.ErrAlreadyRunning {
		t.Errorf("manual trigger during a run: %v, want ErrAlreadyRunning", err)
	}
	close(release)
	select {
	case r := <-done:
		if r.Trigger != pipeline.TriggerScheduled || r.Status != "succeeded" {
			t.Errorf("run = %+v, want a succeeded scheduled run", r)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the scheduled run did not finish")
	}
}
