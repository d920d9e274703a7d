package pipeline

import (
	"context"
	"time"
)

// Source is where Financial Connections data comes from: Stripe, or the embedded sandbox speaking
// Stripe's API. List methods call fn for each item in order and stop at the first error fn returns.
type Source interface {
	// ListCustomers lists customers created at or after since (zero: all).
	ListCustomers(ctx context.Context, since time.Time, fn func(Customer) error) error
	// GetCustomer retrieves one customer.
	GetCustomer(ctx context.Context, id string) (Customer, error)
	// ListAccounts lists the Financial Connections accounts held by a customer.
	ListAccounts(ctx context.Context, customerID string, fn func(Account) error) error
	// GetAccount retrieves one account with its current refresh states.
	GetAccount(ctx context.Context, id string) (Account, error)
	// RefreshAccount asks for an asynchronous refresh of the features and returns the account as
	// the request left it (features normally pending).
	RefreshAccount(ctx context.Context, id string, features []Feature) (Account, error)
	// ListOwners lists the owners in one ownership snapshot of the account.
	ListOwners(ctx context.Context, accountID, ownershipID string, fn func(Owner) error) error
	// ListTransactions lists the account's transactions created or updated by refreshes after
	// afterRefresh (all of them when afterRefresh is "").
	ListTransactions(ctx context.Context, accountID, afterRefresh string, fn func(Transaction) error) error
}
