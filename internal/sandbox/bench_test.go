package sandbox_test

import (
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/stripe/stripe-go/v76"

	"github.com/riskd/riskd/internal/sandbox"
)

// BenchmarkServe measures the typical GETs of a refresh run over HTTP (keep-alive, loopback),
// with concurrent clients, and reports requests per second. Client and server share the
// machine's cores, as they do when riskd embeds the sandbox.
func BenchmarkServe(b *testing.B) {
	e := newEnv(b, sandbox.Config{Seed: 90, Accounts: 1000, RefreshDelay: sandbox.RefreshImmediate})
	ids := e.sb.AccountIDs()
	id := ids[16]
	if _, err := e.sc.FinancialConnectionsAccounts.Refresh(id, &stripe.FinancialConnectionsAccountRefreshParams{
		Features: stripe.StringSlice([]string{"balance", "ownership", "transactions"})}); err != nil {
		b.Fatal(err)
	}
	tr, _ := e.sb.Truth(id)
	a, err := e.sc.FinancialConnectionsAccounts.GetByID(id, nil)
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct{ name, path string }{
		{"GetAccount", "/v1/financial_connections/accounts/" + id},
		{"GetCustomer", "/v1/customers/" + tr.CustomerID},
		{"ListCustomers100", "/v1/customers?limit=100&starting_after=" + tr.CustomerID},
		{"ListAccountsByCustomer", "/v1/financial_connections/accounts?account_holder%5Bcustomer%5D=" + url.QueryEscape(tr.CustomerID)},
		{"ListOwners", "/v1/financial_connections/accounts/" + id + "/owners?ownership=" + a.Ownership.ID},
		{"ListTransactions100", "/v1/financial_connections/transactions?limit=100&account=" + id},
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				req, _ := http.NewRequest("GET", e.srv.URL+c.path, nil)
				req.Header.Set("Authorization", "Bearer sk_test_bench")
				for pb.Next() {
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("%s: status %d", c.path, resp.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
