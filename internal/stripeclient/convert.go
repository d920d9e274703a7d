package stripeclient

import (
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/riskd/riskd/pipeline"
)

func unix(t int64) time.Time {
	if t == 0 {
		return time.Time{}
	}
	return time.Unix(t, 0).UTC()
}

func customer(c *stripe.Customer) pipeline.Customer {
	out := pipeline.Customer{ID: c.ID, Email: c.Email, Name: c.Name, Phone: c.Phone, Metadata: c.Metadata,
		Created: unix(c.Created), Livemode: c.Livemode}
	if a := c.Address; a != nil {
		out.Address = pipeline.Address{Line1: a.Line1, Line2: a.Line2, City: a.City, State: a.State,
			PostalCode: a.PostalCode, Country: a.Country}
	}
	return out
}

func account(a *stripe.FinancialConnectionsAccount) pipeline.Account {
	out := pipeline.Account{
		ID: a.ID, InstitutionName: a.InstitutionName, DisplayName: a.DisplayName, Last4: a.Last4,
		Category: string(a.Category), Subcategory: string(a.Subcategory), Status: string(a.Status),
		Created: unix(a.Created), Livemode: a.Livemode,
	}
	if h := a.AccountHolder; h != nil && h.Customer != nil {
		out.CustomerID = h.Customer.ID
	}
	for _, p := range a.Permissions {
		out.Permissions = append(out.Permissions, pipeline.Permission(p))
	}
	for _, s := range a.Subscriptions {
		out.Subscriptions = append(out.Subscriptions, string(s))
	}
	for _, t := range a.SupportedPaymentMethodTypes {
		out.SupportedPaymentMethodTypes = append(out.SupportedPaymentMethodTypes, string(t))
	}
	if b := a.Balance; b != nil {
		out.Balance = balance(b)
	}
	if o := a.Ownership; o != nil {
		out.OwnershipID = o.ID
	}
	if r := a.BalanceRefresh; r != nil {
		out.BalanceRefresh = &pipeline.RefreshState{Status: pipeline.RefreshStatus(r.Status),
			LastAttemptedAt: unix(r.LastAttemptedAt), NextAvailableAt: unix(r.NextRefreshAvailableAt)}
	}
	if r := a.OwnershipRefresh; r != nil {
		out.OwnershipRefresh = &pipeline.RefreshState{Status: pipeline.RefreshStatus(r.Status),
			LastAttemptedAt: unix(r.LastAttemptedAt)}
	}
	if r := a.TransactionRefresh; r != nil {
		out.TransactionRefresh = &pipeline.RefreshState{ID: r.ID, Status: pipeline.RefreshStatus(r.Status),
			LastAttemptedAt: unix(r.LastAttemptedAt), NextAvailableAt: unix(r.NextRefreshAvailableAt)}
	}
	return out
}

// balance reads the USD amounts of a balance; riskd underwrites US bank accounts only.
func balance(b *stripe.FinancialConnectionsAccountBalance) *pipeline.Balance {
	const ccy = "usd"
	out := &pipeline.Balance{AsOf: unix(b.AsOf), Type: string(b.Type), Currency: ccy, Current: b.Current[ccy]}
	if b.Cash != nil {
		if v, ok := b.Cash.Available[ccy]; ok {
			out.Available = &v
		}
	}
	if b.Credit != nil {
		if v, ok := b.Credit.Used[ccy]; ok {
			out.CreditUsed = &v
		}
	}
	return out
}

func transaction(t *stripe.FinancialConnectionsTransaction) pipeline.Transaction {
	out := pipeline.Transaction{ID: t.ID, AccountID: t.Account, Amount: t.Amount, Currency: string(t.Currency),
		Description: t.Description, Status: string(t.Status), TransactedAt: unix(t.TransactedAt),
		RefreshID: t.TransactionRefresh, Updated: unix(t.Updated)}
	if st := t.StatusTransitions; st != nil {
		if st.PostedAt != 0 {
			p := unix(st.PostedAt)
			out.PostedAt = &p
		}
		if st.VoidAt != 0 {
			v := unix(st.VoidAt)
			out.VoidAt = &v
		}
	}
	return out
}
