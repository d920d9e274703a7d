package sandbox_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76"

	"github.com/riskd/riskd/internal/sandbox"
)

// debitParams is a create-and-confirm ACH debit from an FC account with online mandate
// acceptance, the way riskd's collection flow sends it.
func debitParams(fca, customer string, amount int64) *stripe.PaymentIntentParams {
	return &stripe.PaymentIntentParams{
		Amount: stripe.Int64(amount), Currency: stripe.String("usd"), Customer: stripe.String(customer),
		Confirm: stripe.Bool(true), PaymentMethodTypes: stripe.StringSlice([]string{"us_bank_account"}),
		PaymentMethodData: &stripe.PaymentIntentPaymentMethodDataParams{Type: stripe.String("us_bank_account"),
			USBankAccount:  &stripe.PaymentIntentPaymentMethodDataUSBankAccountParams{FinancialConnectionsAccount: stripe.String(fca)},
			BillingDetails: &stripe.PaymentIntentPaymentMethodDataBillingDetailsParams{Name: stripe.String("Account Holder")}},
		MandateData: piMandate(),
	}
}

func countDebits(tr sandbox.Truth) int {
	n := 0
	for _, x := range tr.Transactions {
		if strings.Contains(x.Description, "ACH DEBIT PPD") {
			n++
		}
	}
	return n
}

func debitRow(t *testing.T, tr sandbox.Truth, piID string) sandbox.TruthTransaction {
	t.Helper()
	for _, x := range tr.Transactions {
		if strings.HasSuffix(x.Description, strings.ToUpper(piID[len(piID)-10:])) {
			return x
		}
	}
	t.Fatalf("no bank row for %s", piID)
	return sandbox.TruthTransaction{}
}

func (e *env) pi(t *testing.T, id string) *stripe.PaymentIntent {
	t.Helper()
	p := &stripe.PaymentIntentParams{}
	p.AddExpand("latest_charge")
	pi, err := e.sc.PaymentIntents.Get(id, p)
	if err != nil {
		t.Fatal(err)
	}
	return pi
}

func TestACHDebitSucceeds(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 60, Accounts: 16, RefreshDelay: sandbox.RefreshImmediate})
	id := e.accountOfPersona(t, sandbox.PersonaSalariedBiweekly)
	tr, _ := e.sb.Truth(id)
	pi, err := e.sc.PaymentIntents.New(debitParams(id, tr.CustomerID, 12_345))
	if err != nil {
		t.Fatal(err)
	}
	if pi.Status != "processing" || pi.LatestCharge == nil || pi.PaymentMethod == nil || pi.Customer.ID != tr.CustomerID {
		t.Fatalf("confirmed PaymentIntent = %+v", pi)
	}
	pm, err := e.sc.PaymentMethods.Get(pi.PaymentMethod.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := e.sc.FinancialConnectionsAccounts.GetByID(id, nil)
	u := pm.USBankAccount
	if pm.Type != "us_bank_account" || u.FinancialConnectionsAccount != id || u.Last4 != a.Last4 || u.BankName != a.InstitutionName ||
		len(u.Fingerprint) != 16 || u.RoutingNumber != "110000000" || pm.BillingDetails.Name != "Account Holder" {
		t.Fatalf("payment method = %+v", u)
	}
	ch := e.pi(t, pi.ID).LatestCharge
	if ch.Status != "pending" || ch.Paid || ch.PaymentMethodDetails.USBankAccount.Fingerprint != u.Fingerprint {
		t.Fatalf("charge while processing = %+v", ch)
	}
	m, err := e.sc.Mandates.Get(ch.PaymentMethodDetails.USBankAccount.Mandate.ID, nil)
	if err != nil || m.Status != "active" || m.Type != "single_use" || m.CustomerAcceptance.Online.IPAddress != "203.0.113.5" ||
		m.CustomerAcceptance.Online.UserAgent != "Mozilla/5.0" || m.PaymentMethod.ID != pm.ID {
		t.Fatalf("mandate: %v %+v", err, m)
	}
	// The debit is a pending row in the bank history, visible after a transaction refresh.
	e.refresh(t, id, "transactions")
	a, _ = e.sc.FinancialConnectionsAccounts.GetByID(id, nil)
	r1 := a.TransactionRefresh.ID
	row := debitRow(t, mustTruth(t, e, id), pi.ID)
	if row.Amount != -12_345 || row.Status != "pending" {
		t.Fatalf("debit row = %+v", row)
	}
	if x, err := e.sc.FinancialConnectionsTransactions.Get(row.ID, nil); err != nil || x.Status != "pending" || x.Amount != -12_345 {
		t.Fatalf("API debit row: %v %+v", err, x)
	}

	e.sb.Advance(sandbox.DefaultSettlementDelay - time.Second)
	if got := e.pi(t, pi.ID); got.Status != "processing" {
		t.Fatalf("settled early: %s", got.Status)
	}
	e.sb.Advance(time.Second)
	got := e.pi(t, pi.ID)
	if got.Status != "succeeded" || got.AmountReceived != 12_345 || got.LatestCharge.Status != "succeeded" || !got.LatestCharge.Paid {
		t.Fatalf("after settlement: %s %+v", got.Status, got.LatestCharge)
	}
	settled := testStart.Add(sandbox.DefaultSettlementDelay).Unix()
	row = debitRow(t, mustTruth(t, e, id), pi.ID)
	if row.Status != "posted" || row.PostedAt != settled {
		t.Fatalf("debit row after settlement = %+v", row)
	}
	// Incremental sync sees the posted debit as a changed row.
	e.sb.Advance(sandbox.DefaultRefreshCooldown)
	e.refresh(t, id, "transactions")
	found := false
	for _, x := range e.transactions(t, &stripe.FinancialConnectionsTransactionListParams{Account: stripe.String(id),
		TransactionRefresh: &stripe.FinancialConnectionsTransactionListTransactionRefreshParams{After: stripe.String(r1)}}) {
		found = found || (x.ID == row.ID && x.Status == "posted")
	}
	if !found {
		t.Fatal("the posted debit is not among the rows changed since the first refresh")
	}
	want := []string{"payment_intent.created", "payment_intent.processing", "charge.pending", "payment_intent.succeeded",
		"charge.succeeded"}
	if got := e.eventTypes(t, want...); !slices.Equal(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
}

// eventTypes lists the events of the given types, oldest first.
func (e *env) eventTypes(t *testing.T, types ...string) []string {
	t.Helper()
	var out []string
	it := e.sc.Events.List(&stripe.EventListParams{Types: stripe.StringSlice(types)})
	for it.Next() {
		out = append(out, string(it.Event().Type))
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Reverse(out)
	return out
}

func mustTruth(t *testing.T, e *env, id string) sandbox.Truth {
	t.Helper()
	tr, ok := e.sb.Truth(id)
	if !ok {
		t.Fatalf("no account %s", id)
	}
	return tr
}

func TestACHInsufficientFunds(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 61, Accounts: 16})
	id := e.accountOfPersona(t, sandbox.PersonaOverdraftNSF)
	tr := mustTruth(t, e, id)
	amount := max(*tr.BalanceAvailable, 0) + 500_000
	pi, err := e.sc.PaymentIntents.New(debitParams(id, tr.CustomerID, amount))
	if err != nil {
		t.Fatal(err)
	}
	pmID := pi.PaymentMethod.ID
	e.sb.Advance(sandbox.DefaultSettlementDelay)
	got := e.pi(t, pi.ID)
	if got.Status != "requires_payment_method" || got.PaymentMethod != nil || got.LastPaymentError == nil ||
		got.LastPaymentError.Code != "insufficient_funds" || got.LastPaymentError.PaymentMethod.ID != pmID {
		t.Fatalf("after an NSF return: %s %+v", got.Status, got.LastPaymentError)
	}
	ch := got.LatestCharge
	if ch.Status != "failed" || ch.FailureCode != "insufficient_funds" || ch.FailureMessage == "" || ch.Outcome.Type != "issuer_declined" {
		t.Fatalf("charge = %+v", ch)
	}
	if row := debitRow(t, mustTruth(t, e, id), pi.ID); row.Status != "void" {
		t.Fatalf("returned debit row = %+v", row)
	}
	// R01 does not block the account: a smaller debit goes through to processing.
	pm, _ := e.sc.PaymentMethods.Get(pmID, nil)
	if pm.USBankAccount.StatusDetails != nil && pm.USBankAccount.StatusDetails.Blocked != nil {
		t.Fatalf("NSF blocked the payment method: %+v", pm.USBankAccount.StatusDetails.Blocked)
	}
	again, err := e.sc.PaymentIntents.New(debitParams(id, tr.CustomerID, 1000))
	if err != nil || again.Status != "processing" {
		t.Fatalf("retry after NSF: %v %+v", err, again)
	}
	if n := e.countEvents(t, "payment_intent.payment_failed"); n != 1 {
		t.Fatalf("%d payment_failed events", n)
	}
	if n := e.countEvents(t, "charge.failed"); n != 1 {
		t.Fatalf("%d charge.failed events", n)
	}
}

// TestACHAccountClosedBlocks: a debit from a disconnected account returns R02, which blocks the
// bank account's fingerprint, deactivates its mandates and refuses later payments and setups.
func TestACHAccountClosedBlocks(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 62, Accounts: 16})
	id := e.accountOfPersona(t, sandbox.PersonaDisconnected)
	tr := mustTruth(t, e, id)
	pi, err := e.sc.PaymentIntents.New(debitParams(id, tr.CustomerID, 2000))
	if err != nil {
		t.Fatal(err)
	}
	pmID := pi.PaymentMethod.ID
	mandate := e.pi(t, pi.ID).LatestCharge.PaymentMethodDetails.USBankAccount.Mandate.ID
	e.sb.Advance(sandbox.DefaultSettlementDelay)
	got := e.pi(t, pi.ID)
	if got.LastPaymentError == nil || got.LastPaymentError.Code != "account_closed" || got.LatestCharge.FailureCode != "account_closed" {
		t.Fatalf("closed account: %+v", got.LastPaymentError)
	}
	pm, _ := e.sc.PaymentMethods.Get(pmID, nil)
	if b := pm.USBankAccount.StatusDetails.Blocked; b == nil || b.NetworkCode != "R02" || b.Reason != "bank_account_closed" {
		t.Fatalf("blocked = %+v", pm.USBankAccount.StatusDetails)
	}
	if m, _ := e.sc.Mandates.Get(mandate, nil); m.Status != "inactive" {
		t.Fatalf("mandate after R02 = %s", m.Status)
	}
	if n := e.countEvents(t, "mandate.updated"); n != 1 {
		t.Fatalf("%d mandate.updated events", n)
	}
	// A new payment from the same bank account (a new PaymentMethod, same fingerprint) fails at once.
	_, err = e.sc.PaymentIntents.New(debitParams(id, tr.CustomerID, 2000))
	se := stripeErr(t, err, 402)
	if se.Code != "payment_method_bank_account_blocked" || se.PaymentIntent == nil ||
		se.PaymentIntent.Status != "requires_payment_method" || se.PaymentIntent.LastPaymentError.Code != "payment_method_bank_account_blocked" {
		t.Fatalf("blocked payment: %+v", se)
	}
	_, err = e.sc.SetupIntents.New(&stripe.SetupIntentParams{Customer: stripe.String(tr.CustomerID), Confirm: stripe.Bool(true),
		PaymentMethod: stripe.String(pmID), MandateData: setupMandate()})
	if se := stripeErr(t, err, 402); se.Code != "payment_method_bank_account_blocked" || se.SetupIntent == nil {
		t.Fatalf("blocked setup: %+v", se)
	}
}

// TestACHFraudReturnsAndDisputes: debits from a fraud persona come back unauthorized at
// settlement (R10, blocking) or succeed and are disputed within the 60-day window, with the
// money credited back in the bank history.
func TestACHFraudReturnsAndDisputes(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 63, Accounts: 16})
	id := e.accountOfPersona(t, sandbox.PersonaOwnerMismatch)
	tr := mustTruth(t, e, id)
	var ids []string
	for i := 0; i < 8; i++ {
		pi, err := e.sc.PaymentIntents.New(debitParams(id, tr.CustomerID, int64(1000+i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, pi.ID)
	}
	settled := testStart.Add(sandbox.DefaultSettlementDelay)
	e.sb.Advance(sandbox.DefaultSettlementDelay)
	var ok []*stripe.PaymentIntent
	returned := 0
	for _, id := range ids {
		pi := e.pi(t, id)
		switch {
		case pi.Status == "succeeded":
			ok = append(ok, pi)
		case pi.LastPaymentError != nil && pi.LastPaymentError.Code == "debit_not_authorized":
			returned++
		default:
			t.Fatalf("fraud debit ended %s %+v", pi.Status, pi.LastPaymentError)
		}
	}
	if returned == 0 || len(ok) == 0 {
		t.Fatalf("%d returned and %d succeeded; want both outcomes", returned, len(ok))
	}
	e.sb.Advance(60 * 24 * time.Hour)
	it := e.sc.Events.List(&stripe.EventListParams{Type: stripe.String("charge.dispute.created")})
	disputed := map[string]bool{}
	for it.Next() {
		ev := it.Event()
		d := ev.Data.Object
		if d["reason"] != "debit_not_authorized" || d["status"] != "lost" {
			t.Fatalf("dispute = %v", d)
		}
		if ev.Created <= settled.Unix() || ev.Created > settled.Add(60*24*time.Hour).Unix() {
			t.Fatalf("dispute at %d, settlement at %d: outside the 60-day window", ev.Created, settled.Unix())
		}
		disputed[d["payment_intent"].(string)] = true
		dp, err := e.sc.Disputes.Get(d["id"].(string), nil)
		if err != nil || dp.Charge.ID == "" || dp.Amount == 0 {
			t.Fatalf("GET dispute: %v %+v", err, dp)
		}
	}
	if len(disputed) != len(ok) {
		t.Fatalf("%d disputes for %d succeeded fraud debits", len(disputed), len(ok))
	}
	for _, pi := range ok {
		if !disputed[pi.ID] || !e.pi(t, pi.ID).LatestCharge.Disputed {
			t.Fatalf("succeeded debit %s was not disputed", pi.ID)
		}
	}
	returns := 0
	for _, x := range mustTruth(t, e, id).Transactions {
		if strings.HasPrefix(x.Description, "ACH RETURN R10") && x.Amount > 0 && x.Status == "posted" {
			returns++
		}
	}
	if returns != len(ok) {
		t.Fatalf("%d return credits in the bank history, want %d", returns, len(ok))
	}
}

// TestSetupIntentThenOffSessionDebits saves a bank account with a SetupIntent, then debits it
// later off-session reusing the payment method and mandate.
func TestSetupIntentThenOffSessionDebits(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 64, Accounts: 16})
	id := e.accountOfPersona(t, sandbox.PersonaSalariedWeekly)
	tr := mustTruth(t, e, id)
	p := &stripe.SetupIntentParams{Customer: stripe.String(tr.CustomerID), Confirm: stripe.Bool(true),
		PaymentMethodTypes: stripe.StringSlice([]string{"us_bank_account"}), Usage: stripe.String("off_session"),
		PaymentMethodData: &stripe.SetupIntentPaymentMethodDataParams{Type: stripe.String("us_bank_account"),
			USBankAccount:  &stripe.SetupIntentPaymentMethodDataUSBankAccountParams{FinancialConnectionsAccount: stripe.String(id)},
			BillingDetails: &stripe.SetupIntentPaymentMethodDataBillingDetailsParams{Name: stripe.String("Wes Weekly")}},
		MandateData: setupMandate()}
	si, err := e.sc.SetupIntents.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if si.Status != "succeeded" || si.Mandate == nil || si.PaymentMethod == nil {
		t.Fatalf("setup intent = %+v", si)
	}
	m, _ := e.sc.Mandates.Get(si.Mandate.ID, nil)
	pm, _ := e.sc.PaymentMethods.Get(si.PaymentMethod.ID, nil)
	if m.Type != "multi_use" || m.Status != "active" || pm.Customer == nil || pm.Customer.ID != tr.CustomerID {
		t.Fatalf("mandate %+v; payment method customer %+v", m, pm.Customer)
	}
	if n := e.countEvents(t, "setup_intent.succeeded"); n != 1 {
		t.Fatalf("%d setup_intent.succeeded events", n)
	}
	// Weeks later, off session: with the mandate named, and without (the saved one is used).
	e.sb.Advance(21 * 24 * time.Hour)
	for _, withMandate := range []bool{true, false} {
		pp := &stripe.PaymentIntentParams{Amount: stripe.Int64(3000), Currency: stripe.String("usd"),
			Customer: stripe.String(tr.CustomerID), PaymentMethod: stripe.String(pm.ID), Confirm: stripe.Bool(true),
			OffSession: stripe.Bool(true), PaymentMethodTypes: stripe.StringSlice([]string{"us_bank_account"})}
		if withMandate {
			pp.Mandate = stripe.String(m.ID)
		}
		pi, err := e.sc.PaymentIntents.New(pp)
		if err != nil || pi.Status != "processing" {
			t.Fatalf("off-session debit (mandate named: %v): %v %+v", withMandate, err, pi)
		}
		if got := e.pi(t, pi.ID).LatestCharge.PaymentMethodDetails.USBankAccount.Mandate.ID; got != m.ID {
			t.Fatalf("charge mandate = %s, want %s", got, m.ID)
		}
	}
	// The saved method belongs to the customer: using it without the customer is refused.
	_, err = e.sc.PaymentIntents.New(&stripe.PaymentIntentParams{Amount: stripe.Int64(3000), Currency: stripe.String("usd"),
		PaymentMethod: stripe.String(pm.ID), Confirm: stripe.Bool(true), OffSession: stripe.Bool(true)})
	if se := stripeErr(t, err, 400); se.Param != "customer" {
		t.Fatalf("foreign payment method: %+v", se)
	}
	e.sb.Advance(sandbox.DefaultSettlementDelay)
	if n := e.countEvents(t, "payment_intent.succeeded"); n != 2 {
		t.Fatalf("%d succeeded off-session debits, want 2", n)
	}
}

// TestPaymentIntentStateMachine covers create/confirm/cancel transitions and the errors for
// wrong states and bad parameters.
func TestPaymentIntentStateMachine(t *testing.T) {
	e := newEnv(t, sandbox.Config{Seed: 65, Accounts: 16})
	id := e.accountOfPersona(t, sandbox.PersonaGig)
	tr := mustTruth(t, e, id)
	base := func() *stripe.PaymentIntentParams {
		return &stripe.PaymentIntentParams{Amount: stripe.Int64(5000), Currency: stripe.String("usd"), Customer: stripe.String(tr.CustomerID)}
	}
	pi, err := e.sc.PaymentIntents.New(base())
	if err != nil || pi.Status != "requires_payment_method" || !strings.HasPrefix(pi.ClientSecret, pi.ID+"_secret_") {
		t.Fatalf("create without a method: %v %+v", err, pi)
	}
	// Confirming without a mandate is refused and changes nothing.
	pmp := &stripe.PaymentMethodParams{Type: stripe.String("us_bank_account"),
		USBankAccount:  &stripe.PaymentMethodUSBankAccountParams{FinancialConnectionsAccount: stripe.String(id)},
		BillingDetails: &stripe.PaymentMethodBillingDetailsParams{Name: stripe.String("Gil Gig")}}
	pm, err := e.sc.PaymentMethods.New(pmp)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.sc.PaymentIntents.Confirm(pi.ID, &stripe.PaymentIntentConfirmParams{PaymentMethod: stripe.String(pm.ID)})
	if se := stripeErr(t, err, 400); se.Param != "mandate_data" || se.Code != stripe.ErrorCodeParameterMissing {
		t.Fatalf("confirm without a mandate: %+v", se)
	}
	if got := e.pi(t, pi.ID); got.Status != "requires_payment_method" {
		t.Fatalf("a refused confirm changed the status to %s", got.Status)
	}
	pi, err = e.sc.PaymentIntents.Confirm(pi.ID, &stripe.PaymentIntentConfirmParams{PaymentMethod: stripe.String(pm.ID),
		MandateData: &stripe.PaymentIntentMandateDataParams{CustomerAcceptance: &stripe.PaymentIntentMandateDataCustomerAcceptanceParams{
			Type: stripe.String("online"), Online: &stripe.PaymentIntentMandateDataCustomerAcceptanceOnlineParams{
				IPAddress: stripe.String("198.51.100.7"), UserAgent: stripe.String("curl/8")}}}})
	if err != nil || pi.Status != "processing" {
		t.Fatalf("confirm: %v %+v", err, pi)
	}
	_, err = e.sc.PaymentIntents.Cancel(pi.ID, nil)
	if se := stripeErr(t, err, 400); se.Code != "payment_intent_unexpected_state" {
		t.Fatalf("cancel while processing: %+v", se)
	}
	_, err = e.sc.PaymentIntents.Confirm(pi.ID, &stripe.PaymentIntentConfirmParams{})
	if se := stripeErr(t, err, 400); se.Code != "payment_intent_unexpected_state" {
		t.Fatalf("confirm while processing: %+v", se)
	}
	// requires_confirmation → canceled.
	p := base()
	p.PaymentMethod = stripe.String(pm.ID)
	rc, err := e.sc.PaymentIntents.New(p)
	if err != nil || rc.Status != "requires_confirmation" {
		t.Fatalf("create with a method: %v %+v", err, rc)
	}
	c, err := e.sc.PaymentIntents.Cancel(rc.ID, &stripe.PaymentIntentCancelParams{CancellationReason: stripe.String("abandoned")})
	if err != nil || c.Status != "canceled" || c.CanceledAt != e.sb.Now().Unix() || c.CancellationReason != "abandoned" {
		t.Fatalf("cancel: %v %+v", err, c)
	}

	// Parameter errors name the parameter.
	for _, tc := range []struct {
		name, body, param string
		status            int
	}{
		{"missing amount", "currency=usd", "amount", 400},
		{"amount too small", "amount=10&currency=usd", "amount", 400},
		{"currency", "amount=1000&currency=eur", "currency", 400},
		{"method type", "amount=1000&currency=usd&payment_method_types[]=card", "payment_method_types[0]", 400},
		{"unknown method", "amount=1000&currency=usd&payment_method=pm_nope", "payment_method", 404},
		{"mandate without confirm", "amount=1000&currency=usd&mandate_data[customer_acceptance][type]=online", "mandate_data", 400},
		{"user agent", "amount=1000&currency=usd&confirm=true&payment_method=" + pm.ID +
			"&mandate_data[customer_acceptance][type]=online&mandate_data[customer_acceptance][online][ip_address]=1.2.3.4",
			"mandate_data[customer_acceptance][online][user_agent]", 400},
		{"holder name", "amount=1000&currency=usd&payment_method_data[type]=us_bank_account" +
			"&payment_method_data[us_bank_account][financial_connections_account]=" + id,
			"payment_method_data[billing_details][name]", 400},
		{"bad boolean", "amount=1000&currency=usd&confirm=yes", "confirm", 400},
	} {
		code, _, body := e.raw(t, "POST", "/v1/payment_intents", tc.body)
		if code != tc.status || !strings.Contains(string(body), `"param":"`+tc.param+`"`) {
			t.Errorf("%s: %d %s", tc.name, code, body)
		}
	}
	// A Financial Connections account linked without the payment_method permission cannot pay.
	sess, _ := e.sc.FinancialConnectionsSessions.New(&stripe.FinancialConnectionsSessionParams{
		AccountHolder: &stripe.FinancialConnectionsSessionAccountHolderParams{Type: stripe.String("customer"), Customer: stripe.String(tr.CustomerID)},
		Permissions:   stripe.StringSlice([]string{"balances"})})
	e.raw(t, "POST", "/_sandbox/sessions/"+sess.ID+"/complete", "persona=gig")
	sess, _ = e.sc.FinancialConnectionsSessions.Get(sess.ID, nil)
	pmp.USBankAccount.FinancialConnectionsAccount = stripe.String(sess.Accounts.Data[0].ID)
	_, err = e.sc.PaymentMethods.New(pmp)
	if se := stripeErr(t, err, 400); se.Param != "us_bank_account[financial_connections_account]" {
		t.Fatalf("no payment_method permission: %+v", se)
	}
}

// TestDebitRowsSurviveLedgerRegeneration: a sandbox that forgets its cached histories between
// every step serves exactly the same bank rows (ids included) as one that keeps them.
func TestDebitRowsSurviveLedgerRegeneration(t *testing.T) {
	run := func(forget bool) []sandbox.TruthTransaction {
		e := newEnv(t, sandbox.Config{Seed: 66, Accounts: 16})
		id := e.accountOfPersona(t, sandbox.PersonaOwnerMismatch)
		tr := mustTruth(t, e, id)
		step := func(d time.Duration) {
			e.sb.Advance(d)
			if forget {
				sandbox.DropLedgers(e.sb)
			}
			mustTruth(t, e, id)
		}
		for i := 0; i < 3; i++ {
			if _, err := e.sc.PaymentIntents.New(debitParams(id, tr.CustomerID, int64(70_000+i))); err != nil {
				t.Fatal(err)
			}
			step(time.Duration(i+1) * 31 * time.Hour)
		}
		step(sandbox.DefaultSettlementDelay)
		step(60 * 24 * time.Hour)
		return mustTruth(t, e, id).Transactions
	}
	kept, forgot := run(false), run(true)
	if !slices.Equal(kept, forgot) {
		t.Fatalf("regenerated history differs: %d vs %d rows", len(kept), len(forgot))
	}
}
