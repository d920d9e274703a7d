package pipeline

import (
	"context"
	"time"
)

// AccountState is what the store remembers of an account between runs.
type AccountState struct {
	ID                 string
	CustomerID         string
	Status             string
	OwnershipID        string    // latest stored ownership snapshot
	TransactionsCursor string    // last transaction refresh whose rows are all stored
	BalanceAsOf        time.Time // latest stored balance snapshot
	Purged             bool      // its data was deleted on request: never store it again
}

// AccountBatch is everything one run learned about one account. The store commits it
// atomically: either all of it, with the new cursor, or nothing.
type AccountBatch struct {
	RunID        int64
	Account      Account
	Balance      *Balance      // a new balance snapshot, or nil
	Ownership    *Ownership    // a new ownership snapshot, or nil
	Transactions []Transaction // created or updated rows, upserted by ID
	Cursor       string        // the new transactions cursor; "" keeps the old one
	Outcomes     []Outcome     // per-feature outcomes
	ObservedAt   time.Time     // when the run read the account
}

// Store keeps riskd's data. Implementations must make CommitAccounts atomic.
type Store interface {
	// AccountStates returns every known account keyed by ID.
	AccountStates(ctx context.Context) (map[string]AccountState, error)
	// CustomerIDs returns every known customer ID and the latest customer creation time.
	CustomerIDs(ctx context.Context) (ids []string, latest time.Time, err error)
	// SaveCustomers upserts customers by ID.
	SaveCustomers(ctx context.Context, cs []Customer, observedAt time.Time) error
	// CommitAccounts stores the batches in one transaction: all of them or none.
	CommitAccounts(ctx context.Context, bs []*AccountBatch) error
	// StartRun records a new run and returns its ID.
	StartRun(ctx context.Context, r *Run) (int64, error)
	// FinishRun records a run's end.
	FinishRun(ctx context.Context, r *Run) error
	// MaterializeFeatures recomputes the stored current features of the accounts (all when
	// accountIDs is nil) as of asOf, for fast "now" decisions.
	MaterializeFeatures(ctx context.Context, asOf time.Time, accountIDs []string) error
}
