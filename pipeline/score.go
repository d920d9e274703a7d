package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/riskd/riskd/scoring"
	"github.com/riskd/riskd/scoring/cashflow"
)

// ScoreFacts are the stored facts a decision is made from.
type ScoreFacts struct {
	Account  Account   // ID, CustomerID, Status and Permissions are set
	Customer *Customer // the applicant; nil when unknown
	Owners   []Owner   // latest ownership snapshot
	Cashflow *cashflow.Features
}

// DecisionRecord is a decision as served and stored.
type DecisionRecord struct {
	ID          string         `json:"id"`
	AccountID   string         `json:"account"`
	AsOf        time.Time      `json:"as_of"`
	DecidedAt   time.Time      `json:"decided_at"`
	AmountCents int64          `json:"amount_cents,omitempty"`
	Result      scoring.Result `json:"-"`
	Detail      DecisionDetail `json:"-"`
}

// DecisionDetail is the explanation stored and served with a decision: the features behind it.
type DecisionDetail struct {
	Ownership *OwnershipDetail   `json:"ownership"`
	Cashflow  *cashflow.Features `json:"cashflow"`
}

// ScoreStore is what the Scorer needs from storage.
type ScoreStore interface {
	// ScoreFacts loads the facts as of asOf; with latest (asOf is "now"), the store may serve the
	// features it materialized after the latest refresh.
	ScoreFacts(ctx context.Context, accountID string, asOf time.Time, latest bool) (*ScoreFacts, error)
	SaveDecision(ctx context.Context, d *DecisionRecord) error
}

// ScoreRequest asks for a decision about an account.
type ScoreRequest struct {
	AccountID   string
	AsOf        time.Time // zero: now
	AmountCents int64     // proposed debit; 0 for none
	SettleDate  time.Time // when the debit would settle; zero: scoring's default
}

// Scorer makes, explains and records decisions.
type Scorer struct {
	Store  ScoreStore
	Policy scoring.Policy
	Now    func() time.Time
}

// Score decides about one account as of the request's time and records the decision.
func (s *Scorer) Score(ctx context.Context, req ScoreRequest) (*DecisionRecord, error) {
	if req.AccountID == "" {
		return nil, Errorf(EINVALID, "account: required")
	}
	if req.AmountCents < 0 {
		return nil, Errorf(EINVALID, "amount: must not be negative (cents)")
	}
	if !req.SettleDate.IsZero() && req.AmountCents == 0 {
		return nil, Errorf(EINVALID, "settle_date: needs an amount")
	}
	now := time.Now().UTC()
	if s.Now != nil {
		now = s.Now().UTC()
	}
	asOf, latest := req.AsOf, req.AsOf.IsZero()
	if latest {
		asOf = now
	}
	facts, err := s.Store.ScoreFacts(ctx, req.AccountID, asOf, latest)
	if err != nil {
		return nil, err
	}
	own := matchOwners(facts)
	in := scoring.Inputs{
		AsOf:        asOf,
		AmountCents: req.AmountCents,
		SettleDate:  req.SettleDate,
		Account: scoring.Account{
			Status:          facts.Account.Status,
			HasOwnership:    facts.Account.hasPermission(PermOwnership),
			HasTransactions: facts.Account.hasPermission(PermTransactions),
		},
		Ownership: own.summary(),
		Cashflow:  facts.Cashflow,
	}
	d := &DecisionRecord{
		ID: newDecisionID(), AccountID: req.AccountID, AsOf: asOf.UTC(), DecidedAt: now, AmountCents: req.AmountCents,
		Result: scoring.Decide(in, s.Policy),
		Detail: DecisionDetail{Ownership: own, Cashflow: facts.Cashflow},
	}
	if err := s.Store.SaveDecision(ctx, d); err != nil {
		return nil, fmt.Errorf("save decision: %w", err)
	}
	return d, nil
}

func (a *Account) hasPermission(p Permission) bool {
	for _, q := range a.Permissions {
		if q == p {
			return true
		}
	}
	return false
}

func newDecisionID() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return "dec_" + hex.EncodeToString(b[:])
}

// QueryResult is the result of a read-only analyst query.
type QueryResult struct {
	Columns   []string `json:"columns"`
	Rows      [][]any  `json:"rows"`
	Truncated bool     `json:"truncated"` // more rows existed than were returned
}
