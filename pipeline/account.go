package pipeline

import "time"

// Feature is a refreshable part of a Financial Connections account. The names are Stripe's
// refresh feature names: note the singular "balance".
type Feature string

const (
	FeatureBalance      Feature = "balance"
	FeatureOwnership    Feature = "ownership"
	FeatureTransactions Feature = "transactions"
)

// Features lists every refreshable feature in the order riskd stores them.
var Features = []Feature{FeatureBalance, FeatureOwnership, FeatureTransactions}

// Permission is a data permission granted by the account holder when linking.
type Permission string

const (
	PermBalances      Permission = "balances"
	PermOwnership     Permission = "ownership"
	PermPaymentMethod Permission = "payment_method"
	PermTransactions  Permission = "transactions"
)

// Permission returns the permission a feature needs.
func (f Feature) Permission() Permission {
	switch f {
	case FeatureBalance:
		return PermBalances
	case FeatureOwnership:
		return PermOwnership
	default:
		return PermTransactions
	}
}

// Account status values.
const (
	StatusActive       = "active"
	StatusInactive     = "inactive"
	StatusDisconnected = "disconnected"
)

// RefreshStatus is the state of one feature's most recent refresh.
type RefreshStatus string

const (
	RefreshPending   RefreshStatus = "pending"
	RefreshSucceeded RefreshStatus = "succeeded"
	RefreshFailed    RefreshStatus = "failed"
)

// RefreshState is a feature's refresh state as the source reports it.
type RefreshState struct {
	ID              string // transaction refreshes only: fctxnref_...
	Status          RefreshStatus
	LastAttemptedAt time.Time
	NextAvailableAt time.Time // zero when unknown or while pending
}

// Customer is the account holder as the business registered it with Stripe: the applicant.
type Customer struct {
	ID       string
	Email    string
	Name     string
	Phone    string
	Address  Address
	Metadata map[string]string
	Created  time.Time
	Livemode bool
}

// Address is a structured postal address.
type Address struct {
	Line1, Line2, City, State, PostalCode, Country string
}

// Balance is one balance observation. Amounts are cents; positive means owed to the holder.
type Balance struct {
	AsOf       time.Time
	Type       string // cash | credit
	Currency   string
	Current    int64
	Available  *int64 // cash accounts
	CreditUsed *int64 // credit accounts
}

// Account is a Financial Connections account as the source reports it.
type Account struct {
	ID                          string
	CustomerID                  string
	InstitutionName             string
	DisplayName                 string
	Last4                       string
	Category                    string
	Subcategory                 string
	Status                      string
	Permissions                 []Permission
	Subscriptions               []string
	SupportedPaymentMethodTypes []string
	Created                     time.Time
	Livemode                    bool

	Balance     *Balance // nil until the first successful balance refresh
	OwnershipID string   // fcaowns_... of the latest ownership snapshot; "" if none

	BalanceRefresh     *RefreshState // nil: never refreshed
	OwnershipRefresh   *RefreshState
	TransactionRefresh *RefreshState
}

// Permits reports whether the account holder granted the permission feature f needs.
func (a *Account) Permits(f Feature) bool { return a.hasPermission(f.Permission()) }

// Refresh returns the refresh state of feature f, or nil.
func (a *Account) Refresh(f Feature) *RefreshState {
	switch f {
	case FeatureBalance:
		return a.BalanceRefresh
	case FeatureOwnership:
		return a.OwnershipRefresh
	default:
		return a.TransactionRefresh
	}
}

// Owner is one account owner in an ownership snapshot, as the bank reports it.
type Owner struct {
	ID          string
	OwnershipID string
	Name        string
	Email       string
	Phone       string
	RawAddress  string
	RefreshedAt time.Time
}

// Ownership is one ownership snapshot with its owners.
type Ownership struct {
	ID      string // fcaowns_...
	Created time.Time
	Owners  []Owner
}

// Transaction status values.
const (
	TxnPending = "pending"
	TxnPosted  = "posted"
	TxnVoid    = "void"
)

// Transaction is one Financial Connections transaction. Amount is cents, positive = money into
// the account. Category and Counterparty are set by the pipeline at ingest.
type Transaction struct {
	ID           string
	AccountID    string
	Amount       int64
	Currency     string
	Description  string
	Status       string
	TransactedAt time.Time
	PostedAt     *time.Time
	VoidAt       *time.Time
	RefreshID    string // fctxnref_... that last created or updated the row
	Updated      time.Time
	Category     string
	Counterparty string
}
