package cashflowtest

import (
	"fmt"
	"strings"
	"time"

	"github.com/riskd/riskd/internal/sandbox"
	"github.com/riskd/riskd/scoring/cashflow"
)

// Line is an input line of riskctl cashflow in Stripe's wire shapes.
type Line struct {
	ID           string    `json:"id"`
	AsOf         int64     `json:"as_of"`
	Account      Account   `json:"account"`
	Transactions []TxnJSON `json:"transactions"`
}

// Account is a Financial Connections account object (the fields riskctl reads).
type Account struct {
	ID          string   `json:"id"`
	Object      string   `json:"object"`
	Category    string   `json:"category"`
	Subcategory string   `json:"subcategory"`
	Status      string   `json:"status"`
	Permissions []string `json:"permissions"`
	Balance     *Balance `json:"balance"`
}

// Balance is an FC account balance.
type Balance struct {
	AsOf    int64            `json:"as_of"`
	Type    string           `json:"type"`
	Current map[string]int64 `json:"current"`
	Cash    *CashBalance     `json:"cash"`
}

// CashBalance is the cash sub-hash of an FC balance.
type CashBalance struct {
	Available map[string]int64 `json:"available"`
}

// TxnJSON is a Financial Connections transaction object.
type TxnJSON struct {
	ID                string            `json:"id,omitempty"`
	Object            string            `json:"object"`
	Account           string            `json:"account"`
	Amount            int64             `json:"amount"`
	Currency          string            `json:"currency"`
	Description       string            `json:"description"`
	Livemode          bool              `json:"livemode"`
	Status            string            `json:"status"`
	StatusTransitions StatusTransitions `json:"status_transitions"`
	TransactedAt      int64             `json:"transacted_at"`
	Updated           int64             `json:"updated"`
}

// StatusTransitions are a transaction's posted_at and void_at, null when unset.
type StatusTransitions struct {
	PostedAt *int64 `json:"posted_at"`
	VoidAt   *int64 `json:"void_at"`
}

// Case is one labeled account history.
type Case struct {
	Persona string
	Line    Line  // the riskctl cashflow input
	Input   Input // the same data for the reference
	// Truth is the definitions applied with the sandbox generator's labels (Oracle): the known
	// answer, independent of the classifier and of the SQL.
	Truth Truth
	// Classified is the definitions applied with the classifier's labels: what the SQL must
	// reproduce exactly, whatever the classifier gets wrong.
	Classified Truth
}

// SandboxCases builds labeled histories for n sandbox accounts of the seed, at sandbox time
// start (each persona in turn; see sandbox.Personas). Every fourth account is taken as of a
// past day (5 to 13 days before start) with the rows transacted by then in their status at
// start, as a backtest would replay it: the rows that posted after that day must count as
// pending. Every fifth account's transactions come without ids. Accounts of the
// no_transactions_permission persona come without transactions.
func SandboxCases(seed int64, n int, start time.Time) ([]Case, error) {
	sb, err := sandbox.New(sandbox.Config{Seed: seed, Accounts: n, Start: start, Clock: func() time.Time { return start }})
	if err != nil {
		return nil, err
	}
	var out []Case
	for i, id := range sb.AccountIDs() {
		tr, ok := sb.Truth(id)
		if !ok {
			return nil, fmt.Errorf("sandbox account %s has no truth", id)
		}
		asOf := sb.Now()
		if i%4 == 3 {
			asOf = asOf.AddDate(0, 0, -(5 + i%9))
		}
		out = append(out, sandboxCase(fmt.Sprintf("s%d-%d", seed, i), tr, asOf, i%5 == 4))
	}
	return out, nil
}

func sandboxCase(lineID string, tr sandbox.Truth, asOf time.Time, dropIDs bool) Case {
	at := asOf.Unix()
	c := Case{Persona: tr.Persona}
	perms := tr.Permissions
	withTxns := tr.Persona != sandbox.PersonaNoTransactionsPerm
	// The balance at asOf: what posted after it had not moved it yet; the available balance
	// also lacks the outflows still pending at asOf.
	current := tr.BalanceCurrent
	var holds int64
	for _, t := range tr.Transactions {
		if t.TransactedAt > at {
			continue
		}
		if t.Status == "posted" && t.PostedAt > at {
			current -= t.Amount
		}
		settled := (t.Status == "posted" && t.PostedAt <= at) || (t.Status == "void" && t.VoidAt <= at)
		if !settled && t.Amount < 0 {
			holds -= t.Amount
		}
	}
	c.Line = Line{ID: lineID, AsOf: at, Account: Account{
		ID: tr.AccountID, Object: "financial_connections.account", Category: "cash", Subcategory: "checking",
		Status: tr.Status, Permissions: perms,
		Balance: &Balance{AsOf: at, Type: "cash", Current: map[string]int64{"usd": current},
			Cash: &CashBalance{Available: map[string]int64{"usd": current - holds}}},
	}, Transactions: []TxnJSON{}}
	c.Input = Input{AsOf: asOf, HasBalance: true, Balance: current}
	if !withTxns {
		c.Truth = Compute(c.Input, Oracle)
		c.Classified = Compute(c.Input, Classified)
		return c
	}
	for _, t := range tr.Transactions { // newest first, as Stripe lists them
		if t.TransactedAt > at {
			continue
		}
		j := TxnJSON{ID: t.ID, Object: "financial_connections.transaction", Account: tr.AccountID, Amount: t.Amount,
			Currency: "usd", Description: t.Description, Status: t.Status, TransactedAt: t.TransactedAt,
			Updated: max(t.TransactedAt, t.PostedAt, t.VoidAt)}
		if dropIDs {
			j.ID = ""
		}
		if t.PostedAt != 0 {
			j.StatusTransitions.PostedAt = &t.PostedAt
		}
		if t.VoidAt != 0 {
			j.StatusTransitions.VoidAt = &t.VoidAt
		}
		c.Line.Transactions = append(c.Line.Transactions, j)
		rt := Txn{Amount: t.Amount, Status: t.Status, TransactedAt: time.Unix(t.TransactedAt, 0).UTC(), Description: t.Description}
		if t.PostedAt != 0 {
			rt.PostedAt = time.Unix(t.PostedAt, 0).UTC()
		}
		c.Input.Txns = append(c.Input.Txns, rt)
	}
	c.Truth = Compute(c.Input, Oracle)
	c.Classified = Compute(c.Input, Classified)
	return c
}

// Classified labels a transaction with scoring/cashflow.Classify's category, as riskd stores
// it: the labels the SQL sees.
func Classified(description string, amount int64) Label {
	c := cashflow.Classify(description, amount)
	l := Label{Income: c.Category.IsIncome(), NSF: c.Category == cashflow.FeeNSF,
		Installment: c.Category == cashflow.LoanPayment, Stream: c.Counterparty}
	if l.Stream == "" { // as the SQL names a stream without a counterparty
		l.Stream = strings.ToUpper(strings.ReplaceAll(string(c.Category), "_", " "))
	}
	return l
}
