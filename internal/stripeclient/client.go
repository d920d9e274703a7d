// Package stripeclient is riskd's Stripe adapter: the only package that imports stripe-go. It
// implements pipeline.Source over the Financial Connections API, against Stripe itself or any
// server speaking its API (the embedded sandbox, stripe-mock).
package stripeclient

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"

	"github.com/riskd/riskd/pipeline"
)

var _ pipeline.Source = (*Client)(nil)

// Config configures a Client.
type Config struct {
	Key        string       // sk_live_... or sk_test_...
	BaseURL    string       // "" for Stripe; the sandbox's or stripe-mock's URL otherwise
	HTTPClient *http.Client // nil: 30 s timeout
	PageSize   int64        // list page size, 1-100 (default 100)

	// ReadRate and WriteRate pace requests (GETs and the rest) in requests per second, below
	// Stripe's limits (about 100 each in live mode, 25 in test mode). 0 leaves that side unpaced.
	ReadRate, WriteRate float64
	// MaxRetries is how often a retryable failure (network error, 409, 429, 5xx, or
	// Stripe-Should-Retry: true) is retried with exponential backoff. Default 4; -1 disables.
	MaxRetries int
	// RetryBackoff is the first retry's nominal wait (default 500 ms); it doubles each time.
	RetryBackoff time.Duration
}

// DefaultRates returns the request rates riskd uses for a key: 90% of Stripe's documented
// limits, 100/s in live mode and 25/s in test mode, read and write alike.
func DefaultRates(key string) (read, write float64) {
	if strings.HasPrefix(key, "sk_live_") || strings.HasPrefix(key, "rk_live_") {
		return 90, 90
	}
	return 22.5, 22.5
}

// Client is a pipeline.Source backed by stripe-go.
type Client struct {
	api      *client.API
	pageSize int64
	stats    *Stats
}

// Stats returns the client's request counts.
func (c *Client) Stats() *Stats { return c.stats }

// New returns a Client for cfg.
func New(cfg Config) (*Client, error) {
	if !strings.HasPrefix(cfg.Key, "sk_") && !strings.HasPrefix(cfg.Key, "rk_") {
		return nil, pipeline.Errorf(pipeline.EINVALID, "stripe key: must be a secret (sk_) or restricted (rk_) key")
	}
	if cfg.PageSize < 0 || cfg.PageSize > 100 {
		return nil, pipeline.Errorf(pipeline.EINVALID, "page size: %d is outside 1-100", cfg.PageSize)
	}
	hc := cmp.Or(cfg.HTTPClient, &http.Client{Timeout: 30 * time.Second})
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	stats := &Stats{}
	retries := cmp.Or(cfg.MaxRetries, 4)
	if retries < 0 {
		retries = 0
	}
	paced := *hc
	paced.Transport = &transport{base: base, read: newBucket(cfg.ReadRate), write: newBucket(cfg.WriteRate),
		maxRetries: retries, backoffBase: cmp.Or(cfg.RetryBackoff, 500*time.Millisecond), stats: stats}
	bc := &stripe.BackendConfig{
		HTTPClient:        &paced,
		MaxNetworkRetries: stripe.Int64(0),                                // the transport retries
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelNull}, // riskd logs failures itself, without request bodies
		EnableTelemetry:   stripe.Bool(false),
	}
	if cfg.BaseURL != "" {
		bc.URL = stripe.String(cfg.BaseURL)
	}
	api := &client.API{}
	api.Init(cfg.Key, stripe.NewBackendsWithConfig(bc))
	return &Client{api: api, pageSize: cmp.Or(cfg.PageSize, 100), stats: stats}, nil
}

func (c *Client) listParams(ctx context.Context) stripe.ListParams {
	return stripe.ListParams{Context: ctx, Limit: stripe.Int64(c.pageSize)}
}

// ListCustomers lists customers created at or after since.
func (c *Client) ListCustomers(ctx context.Context, since time.Time, fn func(pipeline.Customer) error) error {
	p := &stripe.CustomerListParams{ListParams: c.listParams(ctx)}
	if !since.IsZero() {
		p.CreatedRange = &stripe.RangeQueryParams{GreaterThanOrEqual: since.Unix()}
	}
	it := c.api.Customers.List(p)
	for it.Next() {
		if err := fn(customer(it.Customer())); err != nil {
			return err
		}
	}
	return wrap("list customers", it.Err())
}

// GetCustomer retrieves one customer.
func (c *Client) GetCustomer(ctx context.Context, id string) (pipeline.Customer, error) {
	cu, err := c.api.Customers.Get(id, &stripe.CustomerParams{Params: stripe.Params{Context: ctx}})
	if err != nil {
		return pipeline.Customer{}, wrap("get customer", err)
	}
	return customer(cu), nil
}

// ListAccounts lists a customer's Financial Connections accounts.
func (c *Client) ListAccounts(ctx context.Context, customerID string, fn func(pipeline.Account) error) error {
	p := &stripe.FinancialConnectionsAccountListParams{
		ListParams:    c.listParams(ctx),
		AccountHolder: &stripe.FinancialConnectionsAccountListAccountHolderParams{Customer: stripe.String(customerID)},
	}
	it := c.api.FinancialConnectionsAccounts.List(p)
	for it.Next() {
		if err := fn(account(it.FinancialConnectionsAccount())); err != nil {
			return err
		}
	}
	return wrap("list accounts", it.Err())
}

// GetAccount retrieves one account.
func (c *Client) GetAccount(ctx context.Context, id string) (pipeline.Account, error) {
	a, err := c.api.FinancialConnectionsAccounts.GetByID(id, &stripe.FinancialConnectionsAccountParams{Params: stripe.Params{Context: ctx}})
	if err != nil {
		return pipeline.Account{}, wrap("get account", err)
	}
	return account(a), nil
}

// RefreshAccount requests an asynchronous refresh of the features.
func (c *Client) RefreshAccount(ctx context.Context, id string, features []pipeline.Feature) (pipeline.Account, error) {
	p := &stripe.FinancialConnectionsAccountRefreshParams{Params: stripe.Params{Context: ctx}}
	for _, f := range features {
		p.Features = append(p.Features, stripe.String(string(f)))
	}
	a, err := c.api.FinancialConnectionsAccounts.Refresh(id, p)
	if err != nil {
		return pipeline.Account{}, wrap("refresh account", err)
	}
	return account(a), nil
}

// ListOwners lists the owners of one ownership snapshot.
func (c *Client) ListOwners(ctx context.Context, accountID, ownershipID string, fn func(pipeline.Owner) error) error {
	p := &stripe.FinancialConnectionsAccountListOwnersParams{
		ListParams: c.listParams(ctx),
		Account:    stripe.String(accountID),
		Ownership:  stripe.String(ownershipID),
	}
	it := c.api.FinancialConnectionsAccounts.ListOwners(p)
	for it.Next() {
		o := it.FinancialConnectionsAccountOwner()
		if err := fn(pipeline.Owner{ID: o.ID, OwnershipID: cmp.Or(o.Ownership, ownershipID), Name: o.Name,
			Email: o.Email, Phone: o.Phone, RawAddress: o.RawAddress, RefreshedAt: unix(o.RefreshedAt)}); err != nil {
			return err
		}
	}
	return wrap("list owners", it.Err())
}

// ListTransactions lists transactions created or updated by refreshes after afterRefresh.
func (c *Client) ListTransactions(ctx context.Context, accountID, afterRefresh string, fn func(pipeline.Transaction) error) error {
	p := &stripe.FinancialConnectionsTransactionListParams{ListParams: c.listParams(ctx), Account: stripe.String(accountID)}
	if afterRefresh != "" {
		p.TransactionRefresh = &stripe.FinancialConnectionsTransactionListTransactionRefreshParams{After: stripe.String(afterRefresh)}
	}
	it := c.api.FinancialConnectionsTransactions.List(p)
	for it.Next() {
		if err := fn(transaction(it.FinancialConnectionsTransaction())); err != nil {
			return err
		}
	}
	return wrap("list transactions", it.Err())
}

// wrap maps Stripe errors onto pipeline codes, keeping the detail for operators.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var se *stripe.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("%s: %w", op, pipeline.Errorf(pipeline.EUNAVAILABLE, "Stripe could not be reached."))
	}
	code := pipeline.EINTERNAL
	switch {
	case se.HTTPStatusCode == http.StatusNotFound:
		code = pipeline.ENOTFOUND
	case se.HTTPStatusCode == http.StatusBadRequest:
		code = pipeline.EINVALID
	case se.HTTPStatusCode == http.StatusConflict:
		code = pipeline.ECONFLICT
	case se.HTTPStatusCode == http.StatusTooManyRequests || se.HTTPStatusCode >= 500:
		code = pipeline.EUNAVAILABLE
	}
	return fmt.Errorf("%s: %w (stripe %d %s %s, request %s)", op, pipeline.Errorf(code, "%s", se.Msg),
		se.HTTPStatusCode, se.Type, se.Code, se.RequestID)
}
