package pipeline

import (
	"context"
	"strings"
	"time"
)

// Event is a Stripe event as riskd keeps it: enough to route it and to deduplicate deliveries.
type Event struct {
	ID        string // evt_...
	Type      string
	AccountID string // the Financial Connections account, for financial_connections.account.* events
	Created   time.Time
}

// EventStore keeps webhook events.
type EventStore interface {
	// RecordEvent stores ev unless an event with its ID was stored before, and reports whether it
	// is new. Stripe delivers at least once: duplicates must change nothing.
	RecordEvent(ctx context.Context, ev Event, receivedAt time.Time) (bool, error)
	// PendingEventAccounts lists the accounts with events no refresh has taken into account yet.
	PendingEventAccounts(ctx context.Context) ([]string, error)
	// MarkEventsProcessed marks the accounts' events received up to before as processed.
	MarkEventsProcessed(ctx context.Context, accountIDs []string, before, at time.Time) error
}

// Webhooks turns Stripe events into refreshes. A refreshed_* event for an account a run is
// waiting on completes that wait (faster than polling); any other event about an account (a new
// link, a refresh Stripe made by itself, a status change) refreshes that account, now or, when a
// run is in progress, right after it.
type Webhooks struct {
	Events    EventStore
	Scheduler *Scheduler
	Now       func() time.Time
}

// Handle processes one verified event. It is idempotent by event ID.
func (w *Webhooks) Handle(ctx context.Context, ev Event) error {
	if ev.ID == "" {
		return Errorf(EINVALID, "event: id: required")
	}
	now := time.Now()
	if w.Now != nil {
		now = w.Now()
	}
	fresh, err := w.Events.RecordEvent(ctx, ev, now)
	if err != nil || !fresh {
		return err
	}
	if ev.AccountID == "" || !strings.HasPrefix(ev.Type, "financial_connections.account.") {
		return w.Events.MarkEventsProcessed(ctx, nil, now, now) // nothing to refresh; kept for the record
	}
	if strings.HasPrefix(ev.Type, "financial_connections.account.refreshed_") && w.Scheduler.Refresher.Notify(ev.AccountID) {
		// A run is waiting on this very refresh and will collect it.
		return w.Events.MarkEventsProcessed(ctx, []string{ev.AccountID}, now, now)
	}
	w.Scheduler.drainSoon()
	return nil
}
