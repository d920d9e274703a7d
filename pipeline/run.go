package pipeline

import "time"

// Trigger says what started a run.
type Trigger string

const (
	TriggerStartup   Trigger = "startup"
	TriggerScheduled Trigger = "scheduled"
	TriggerManual    Trigger = "manual"
	TriggerWebhook   Trigger = "webhook"
)

// Outcome statuses.
const (
	OutcomeSucceeded = "succeeded"
	OutcomeFailed    = "failed"
	OutcomeSkipped   = "skipped"
	OutcomeUnchanged = "unchanged"
)

// Outcome is what a run did with one feature of one account, and why.
type Outcome struct {
	AccountID string
	Feature   string // balance | ownership | transactions | account
	Status    string
	Reason    string
	Rows      int
	At        time.Time
}

// Run is one refresh run.
type Run struct {
	ID                int64
	Trigger           Trigger
	StartedAt         time.Time
	FinishedAt        time.Time
	Status            string // running | succeeded | partial | failed
	AccountsTotal     int
	AccountsSucceeded int
	AccountsFailed    int
	AccountsSkipped   int
	Transactions      int64
	Requests          int64 // sent to the source, retries included
	Retries           int64
	RateLimited       int64 // 429 answers
	Err               string
}
