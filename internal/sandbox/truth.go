package sandbox

import "slices"

// Truth is the ground truth about one account for tests: the bank's state at the current
// sandbox time, i.e. what a refresh resolving now would serve.
type Truth struct {
	AccountID, CustomerID, Persona, Status string
	Permissions                            []string
	// BalanceCurrent and BalanceAvailable are the balances the account holds now, in cents.
	// BalanceCurrent = BalanceOpening + Σ posted amounts; BalanceAvailable also subtracts
	// pending outflows.
	BalanceCurrent   int64
	BalanceAvailable *int64
	// BalanceOpening is the balance before the first transaction in Transactions.
	BalanceOpening int64
	Owners         []TruthOwner
	// Transactions are every row transacted by now, newest first, with their status now.
	Transactions []TruthTransaction
}

// TruthOwner is an account owner as the bank reports it; empty strings are nulls in the API.
type TruthOwner struct {
	Name, Email, Phone, RawAddress string
}

// TruthTransaction is one transaction; times are Unix seconds, 0 when unset.
type TruthTransaction struct {
	ID                             string
	Amount                         int64
	Status                         string // pending, posted or void
	Description                    string
	TransactedAt, PostedAt, VoidAt int64
}

// Truth returns the ground truth for an fca_ id, generating the account if needed.
func (s *Sandbox) Truth(id string) (Truth, bool) {
	key, ok := s.accountKey(id)
	if !ok {
		return Truth{}, false
	}
	now := s.Now()
	s.processDue(now)
	a := s.account(key)
	a.mu.Lock()
	defer a.mu.Unlock()
	s.prepare(a, now)
	at := now.Unix()
	l := s.ledgerFor(a)
	cur, avail := l.balances(at)
	t := Truth{
		AccountID: a.id, CustomerID: s.customerID(a.customer), Persona: a.persona, Status: a.status,
		Permissions: slices.Clone(a.permissions), BalanceCurrent: cur, BalanceAvailable: &avail, BalanceOpening: l.opening,
	}
	for _, o := range ownersFor(a.persona, a.holder, a.dataSeed) {
		t.Owners = append(t.Owners, TruthOwner(o))
	}
	for i := len(l.rows) - 1; i >= 0; i-- {
		r := &l.rows[i]
		if r.visible > at {
			continue
		}
		tt := TruthTransaction{ID: s.txnID(a.key, i), Amount: r.amount, Status: "pending", Description: r.desc,
			TransactedAt: r.transacted}
		if r.settle <= at {
			if r.void {
				tt.Status, tt.VoidAt = "void", r.settle
			} else {
				tt.Status, tt.PostedAt = "posted", r.settle
			}
		}
		t.Transactions = append(t.Transactions, tt)
	}
	return t, true
}
