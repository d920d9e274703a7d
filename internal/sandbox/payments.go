package sandbox

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ACH Direct Debit from Financial Connections accounts (reference §6): PaymentMethods made from
// an fca_, Mandates, SetupIntents, PaymentIntents with their Charges, settlement on sandbox
// time, returns and late disputes. All payment objects live in payState under one mutex;
// lock order is pay.mu → account.mu.

// DefaultSettlementDelay is the sandbox time from confirming an ACH debit to its outcome.
const DefaultSettlementDelay = 4 * 24 * time.Hour

const (
	achRouting   = "110000000" // Stripe's test routing number
	minAmount    = 50          // cents: Stripe's minimum charge in usd
	fraudReturns = 0.6         // share of a fraud persona's debits returned unauthorized at settlement
)

// Return outcomes: the ACH return code, the Stripe failure code, the blocked reason when the
// return blocks the bank account's fingerprint, and the message.
type achReturn struct {
	network, code, blocked, message string
}

var (
	returnInsufficient = achReturn{"R01", "insufficient_funds", "",
		"The customer's bank account has insufficient funds to cover this payment."}
	returnClosed = achReturn{"R02", "account_closed", "bank_account_closed",
		"The customer's bank account has been closed."}
	returnUnauthorized = achReturn{"R10", "debit_not_authorized", "debit_not_authorized",
		"The customer has notified their bank that this payment was unauthorized."}
)

type blockInfo struct{ network, reason string }

type payState struct {
	mu       sync.Mutex
	pms      []*payMethod
	mandates []*mandateRec
	intents  []*payIntent
	charges  []*chargeRec
	disputes []*disputeRec
	setups   []*setupRec
	blocked  map[string]blockInfo // by bank account fingerprint
}

func (p *payState) init() { p.blocked = map[string]blockInfo{} }

type billingRec struct {
	address            addressJSON
	email, name, phone *string
}

type payMethod struct {
	id          string
	created     int64
	livemode    bool
	acct        uint64 // FC account key
	fca         string
	bank, last4 string
	holderType  string // individual | company
	fingerprint string
	billing     billingRec
	customer    *uint64
	metadata    map[string]string
}

type acceptance struct {
	at     int64
	typ    string // online | offline
	ip, ua string
}

type mandateRec struct {
	id       string
	created  int64
	livemode bool
	pm       int
	acc      acceptance
	multi    bool
	amount   int64 // single-use mandates
	currency string
	status   string // active | inactive
}

// payError is a last_payment_error / last_setup_error.
type payError struct {
	code, message, typ string
	pm                 int
}

type payIntent struct {
	id, secret     string
	created        int64
	livemode       bool
	amount         int64
	currency       string
	customer       *uint64
	description    *string
	descriptor     *string
	suffix         *string
	receiptEmail   *string
	metadata       map[string]string
	pm             int // -1: none
	status         string
	sfu            string // setup_future_usage, "" for none
	pmTypes        []string
	verification   string
	fcPermissions  []string
	charges        []int
	lastErr        *payError
	canceledAt     int64
	cancelReason   string
	amountReceived int64
}

type chargeRec struct {
	id          string
	created     int64
	livemode    bool
	pi          int
	pm          int
	mandate     int
	amount      int64
	currency    string
	customer    *uint64
	description *string
	descriptor  string
	status      string // pending | succeeded | failed
	ret         *achReturn
	extra       int // the debit's row in the account's bank history
	dispute     int // -1: none
}

type disputeRec struct {
	id       string
	created  int64
	livemode bool
	charge   int
	amount   int64
	reason   string
}

type setupRec struct {
	id, secret   string
	created      int64
	livemode     bool
	customer     *uint64
	description  *string
	metadata     map[string]string
	pm           int // -1: none
	mandate      int // -1: none
	status       string
	usage        string
	pmTypes      []string
	verification string
	lastErr      *payError
	cancelReason string
	canceledAt   int64
}

// lookup resolves an id of kind k to an index below n.
func (s *Sandbox) lookup(k idKind, id string, n int) (int, bool) {
	v, ok := s.ids.decode(k, id)
	if !ok || v >= uint64(n) {
		return 0, false
	}
	return int(v), true
}

// isFraudPersona reports whether debits from the persona's accounts come back unauthorized.
func isFraudPersona(p string) bool { return p == PersonaOwnerMismatch }

// --- rendering ---

type billingJSON struct {
	Address addressJSON `json:"address"`
	Email   *string     `json:"email"`
	Name    *string     `json:"name"`
	Phone   *string     `json:"phone"`
}

func (b *billingRec) json() billingJSON {
	return billingJSON{Address: b.address, Email: b.email, Name: b.name, Phone: b.phone}
}

type blockedJSON struct {
	NetworkCode string `json:"network_code"`
	Reason      string `json:"reason"`
}

type statusDetailsJSON struct {
	Blocked *blockedJSON `json:"blocked,omitempty"`
}

type networksJSON struct {
	Preferred string   `json:"preferred"`
	Supported []string `json:"supported"`
}

type pmBankJSON struct {
	AccountHolderType           string             `json:"account_holder_type"`
	AccountType                 string             `json:"account_type"`
	BankName                    string             `json:"bank_name"`
	FinancialConnectionsAccount string             `json:"financial_connections_account"`
	Fingerprint                 string             `json:"fingerprint"`
	Last4                       string             `json:"last4"`
	Networks                    networksJSON       `json:"networks"`
	RoutingNumber               string             `json:"routing_number"`
	StatusDetails               *statusDetailsJSON `json:"status_details"`
}

type paymentMethodJSON struct {
	ID             string            `json:"id"`
	Object         string            `json:"object"`
	BillingDetails billingJSON       `json:"billing_details"`
	Created        int64             `json:"created"`
	Customer       any               `json:"customer"`
	Livemode       bool              `json:"livemode"`
	Metadata       map[string]string `json:"metadata"`
	Type           string            `json:"type"`
	USBankAccount  pmBankJSON        `json:"us_bank_account"`
}

func (s *Sandbox) renderPM(i int, rq *request, expandCustomer bool) *paymentMethodJSON {
	p := s.pay.pms[i]
	j := &paymentMethodJSON{
		ID: p.id, Object: "payment_method", BillingDetails: p.billing.json(), Created: p.created,
		Livemode: p.livemode, Metadata: orEmpty(p.metadata), Type: "us_bank_account",
		USBankAccount: pmBankJSON{
			AccountHolderType: p.holderType, AccountType: "checking", BankName: p.bank,
			FinancialConnectionsAccount: p.fca, Fingerprint: p.fingerprint, Last4: p.last4,
			Networks: networksJSON{Preferred: "ach", Supported: []string{"ach"}}, RoutingNumber: achRouting,
			StatusDetails: &statusDetailsJSON{},
		},
	}
	if b, ok := s.pay.blocked[p.fingerprint]; ok {
		j.USBankAccount.StatusDetails.Blocked = &blockedJSON{NetworkCode: b.network, Reason: b.reason}
	}
	j.Customer = s.customerRef(p.customer, rq, expandCustomer)
	return j
}

// customerRef renders an optional customer as an id, the expanded object, or null.
func (s *Sandbox) customerRef(k *uint64, rq *request, expand bool) any {
	switch {
	case k == nil:
		return nil
	case expand:
		return s.renderCustomer(*k, rq)
	}
	return s.customerID(*k)
}

// payRef is an expandable field naming the payments record i of kind k (kindPayMethod,
// kindMandate, kindPayment or kindCharge), nil when i < 0: the rendered record when expanded,
// else its id. A record's id encodes its kind and index (lookup relies on that too).
func (s *Sandbox) payRef(k idKind, i int, rq *request, expand bool) any {
	switch {
	case i < 0:
		return nil
	case !expand:
		return s.ids.encode(k, uint64(i))
	case k == kindPayMethod:
		return s.renderPM(i, rq, false)
	case k == kindMandate:
		return s.renderMandate(i, rq, false)
	case k == kindPayment:
		return s.renderPI(i, rq, nil)
	}
	return s.renderCharge(i, rq, nil)
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

type onlineJSON struct {
	IPAddress string `json:"ip_address"`
	UserAgent string `json:"user_agent"`
}

type acceptanceJSON struct {
	AcceptedAt int64       `json:"accepted_at"`
	Offline    *struct{}   `json:"offline,omitempty"`
	Online     *onlineJSON `json:"online,omitempty"`
	Type       string      `json:"type"`
}

type singleUseJSON struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

type mandateJSON struct {
	ID                   string         `json:"id"`
	Object               string         `json:"object"`
	CustomerAcceptance   acceptanceJSON `json:"customer_acceptance"`
	Livemode             bool           `json:"livemode"`
	MultiUse             *struct{}      `json:"multi_use,omitempty"`
	PaymentMethod        any            `json:"payment_method"`
	PaymentMethodDetails struct {
		Type          string `json:"type"`
		USBankAccount struct {
			CollectionMethod *string `json:"collection_method"`
		} `json:"us_bank_account"`
	} `json:"payment_method_details"`
	SingleUse *singleUseJSON `json:"single_use,omitempty"`
	Status    string         `json:"status"`
	Type      string         `json:"type"`
}

func (s *Sandbox) renderMandate(i int, rq *request, expandPM bool) *mandateJSON {
	m := s.pay.mandates[i]
	j := &mandateJSON{ID: m.id, Object: "mandate", Livemode: m.livemode, Status: m.status, Type: "single_use",
		PaymentMethod: s.pay.pms[m.pm].id}
	j.CustomerAcceptance = acceptanceJSON{AcceptedAt: m.acc.at, Type: m.acc.typ}
	if m.acc.typ == "online" {
		j.CustomerAcceptance.Online = &onlineJSON{IPAddress: m.acc.ip, UserAgent: m.acc.ua}
	} else {
		j.CustomerAcceptance.Offline = &struct{}{}
	}
	if m.multi {
		j.Type, j.MultiUse = "multi_use", &struct{}{}
	} else {
		j.SingleUse = &singleUseJSON{Amount: m.amount, Currency: m.currency}
	}
	j.PaymentMethodDetails.Type = "us_bank_account"
	if expandPM {
		j.PaymentMethod = s.renderPM(m.pm, rq, false)
	}
	return j
}

type errorJSON struct {
	Code          string `json:"code"`
	DocURL        string `json:"doc_url"`
	Message       string `json:"message"`
	PaymentMethod any    `json:"payment_method"`
	Type          string `json:"type"`
}

func (s *Sandbox) renderPayError(e *payError, rq *request) *errorJSON {
	if e == nil {
		return nil
	}
	j := &errorJSON{Code: e.code, DocURL: docURL(e.code), Message: e.message, Type: e.typ}
	if e.pm >= 0 {
		j.PaymentMethod = s.renderPM(e.pm, rq, false)
	}
	return j
}

type fcOptionsJSON struct {
	Permissions []string `json:"permissions"`
	Prefetch    []string `json:"prefetch"`
	ReturnURL   *string  `json:"return_url,omitempty"`
}

type bankOptionsJSON struct {
	FinancialConnections     *fcOptionsJSON `json:"financial_connections"`
	MandateOptions           struct{}       `json:"mandate_options"`
	PreferredSettlementSpeed *string        `json:"preferred_settlement_speed,omitempty"`
	SetupFutureUsage         *string        `json:"setup_future_usage,omitempty"`
	VerificationMethod       string         `json:"verification_method"`
}

type pmOptionsJSON struct {
	USBankAccount bankOptionsJSON `json:"us_bank_account"`
}

func bankOptions(verification string, perms []string, sfu string) pmOptionsJSON {
	if perms == nil {
		perms = []string{"payment_method"}
	}
	o := pmOptionsJSON{USBankAccount: bankOptionsJSON{VerificationMethod: cmpOr(verification, "automatic"),
		FinancialConnections: &fcOptionsJSON{Permissions: perms, Prefetch: []string{}}}}
	if sfu != "" {
		o.USBankAccount.SetupFutureUsage = &sfu
	}
	return o
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

type paymentIntentJSON struct {
	ID                                string            `json:"id"`
	Object                            string            `json:"object"`
	Amount                            int64             `json:"amount"`
	AmountCapturable                  int64             `json:"amount_capturable"`
	AmountDetails                     *struct{}         `json:"amount_details"`
	AmountReceived                    int64             `json:"amount_received"`
	Application                       *string           `json:"application"`
	ApplicationFeeAmount              *int64            `json:"application_fee_amount"`
	AutomaticPaymentMethods           *struct{}         `json:"automatic_payment_methods"`
	CanceledAt                        *int64            `json:"canceled_at"`
	CancellationReason                *string           `json:"cancellation_reason"`
	CaptureMethod                     string            `json:"capture_method"`
	ClientSecret                      string            `json:"client_secret"`
	ConfirmationMethod                string            `json:"confirmation_method"`
	Created                           int64             `json:"created"`
	Currency                          string            `json:"currency"`
	Customer                          any               `json:"customer"`
	Description                       *string           `json:"description"`
	Invoice                           *string           `json:"invoice"`
	LastPaymentError                  *errorJSON        `json:"last_payment_error"`
	LatestCharge                      any               `json:"latest_charge"`
	Livemode                          bool              `json:"livemode"`
	Metadata                          map[string]string `json:"metadata"`
	NextAction                        *struct{}         `json:"next_action"`
	OnBehalfOf                        *string           `json:"on_behalf_of"`
	PaymentMethod                     any               `json:"payment_method"`
	PaymentMethodConfigurationDetails *struct{}         `json:"payment_method_configuration_details"`
	PaymentMethodOptions              pmOptionsJSON     `json:"payment_method_options"`
	PaymentMethodTypes                []string          `json:"payment_method_types"`
	Processing                        *struct{}         `json:"processing"`
	ReceiptEmail                      *string           `json:"receipt_email"`
	Review                            *string           `json:"review"`
	SetupFutureUsage                  *string           `json:"setup_future_usage"`
	Shipping                          *struct{}         `json:"shipping"`
	Source                            *string           `json:"source"`
	StatementDescriptor               *string           `json:"statement_descriptor"`
	StatementDescriptorSuffix         *string           `json:"statement_descriptor_suffix"`
	Status                            string            `json:"status"`
	TransferData                      *struct{}         `json:"transfer_data"`
	TransferGroup                     *string           `json:"transfer_group"`
}

var (
	piExpand      = []string{"customer", "latest_charge", "payment_method"}
	setupExpand   = []string{"customer", "mandate", "payment_method"}
	chargeExpand  = []string{"customer", "payment_intent", "payment_method_details.us_bank_account.mandate"}
	pmExpand      = []string{"customer"}
	mandateExpand = []string{"payment_method"}
	disputeExpand = []string{"charge", "payment_intent"}
)

func (s *Sandbox) renderPI(i int, rq *request, expand []string) *paymentIntentJSON {
	p := s.pay.intents[i]
	j := &paymentIntentJSON{
		ID: p.id, Object: "payment_intent", Amount: p.amount, AmountReceived: p.amountReceived,
		CaptureMethod: "automatic", ClientSecret: p.secret, ConfirmationMethod: "automatic", Created: p.created,
		Currency: p.currency, Description: p.description, Livemode: p.livemode, Metadata: orEmpty(p.metadata),
		PaymentMethodOptions: bankOptions(p.verification, p.fcPermissions, ""), PaymentMethodTypes: p.pmTypes,
		ReceiptEmail: p.receiptEmail, StatementDescriptor: p.descriptor, StatementDescriptorSuffix: p.suffix,
		Status: p.status, LastPaymentError: s.renderPayError(p.lastErr, rq),
	}
	if p.sfu != "" {
		j.SetupFutureUsage = &p.sfu
	}
	if p.canceledAt != 0 {
		j.CanceledAt, j.CancellationReason = &p.canceledAt, nullable(p.cancelReason)
	}
	j.Customer = s.customerRef(p.customer, rq, slices.Contains(expand, "customer"))
	j.PaymentMethod = s.payRef(kindPayMethod, p.pm, rq, slices.Contains(expand, "payment_method"))
	if n := len(p.charges); n > 0 {
		j.LatestCharge = s.payRef(kindCharge, p.charges[n-1], rq, slices.Contains(expand, "latest_charge"))
	}
	return j
}

type outcomeJSON struct {
	NetworkStatus string  `json:"network_status"`
	Reason        *string `json:"reason"`
	RiskLevel     string  `json:"risk_level"`
	SellerMessage string  `json:"seller_message"`
	Type          string  `json:"type"`
}

type chargeBankJSON struct {
	AccountHolderType string  `json:"account_holder_type"`
	AccountType       string  `json:"account_type"`
	BankName          string  `json:"bank_name"`
	Fingerprint       string  `json:"fingerprint"`
	Last4             string  `json:"last4"`
	Mandate           any     `json:"mandate"`
	PaymentReference  *string `json:"payment_reference"`
	RoutingNumber     string  `json:"routing_number"`
}

type chargeJSON struct {
	ID                            string            `json:"id"`
	Object                        string            `json:"object"`
	Amount                        int64             `json:"amount"`
	AmountCaptured                int64             `json:"amount_captured"`
	AmountRefunded                int64             `json:"amount_refunded"`
	Application                   *string           `json:"application"`
	ApplicationFee                *string           `json:"application_fee"`
	ApplicationFeeAmount          *int64            `json:"application_fee_amount"`
	BalanceTransaction            *string           `json:"balance_transaction"`
	BillingDetails                billingJSON       `json:"billing_details"`
	CalculatedStatementDescriptor string            `json:"calculated_statement_descriptor"`
	Captured                      bool              `json:"captured"`
	Created                       int64             `json:"created"`
	Currency                      string            `json:"currency"`
	Customer                      any               `json:"customer"`
	Description                   *string           `json:"description"`
	Disputed                      bool              `json:"disputed"`
	FailureBalanceTransaction     *string           `json:"failure_balance_transaction"`
	FailureCode                   *string           `json:"failure_code"`
	FailureMessage                *string           `json:"failure_message"`
	FraudDetails                  struct{}          `json:"fraud_details"`
	Invoice                       *string           `json:"invoice"`
	Livemode                      bool              `json:"livemode"`
	Metadata                      map[string]string `json:"metadata"`
	OnBehalfOf                    *string           `json:"on_behalf_of"`
	Outcome                       *outcomeJSON      `json:"outcome"`
	Paid                          bool              `json:"paid"`
	PaymentIntent                 any               `json:"payment_intent"`
	PaymentMethod                 string            `json:"payment_method"`
	PaymentMethodDetails          struct {
		Type          string         `json:"type"`
		USBankAccount chargeBankJSON `json:"us_bank_account"`
	} `json:"payment_method_details"`
	ReceiptEmail              *string   `json:"receipt_email"`
	ReceiptNumber             *string   `json:"receipt_number"`
	ReceiptURL                *string   `json:"receipt_url"`
	Refunded                  bool      `json:"refunded"`
	Refunds                   *listJSON `json:"refunds"`
	Review                    *string   `json:"review"`
	Shipping                  *struct{} `json:"shipping"`
	Source                    *struct{} `json:"source"`
	SourceTransfer            *string   `json:"source_transfer"`
	StatementDescriptor       *string   `json:"statement_descriptor"`
	StatementDescriptorSuffix *string   `json:"statement_descriptor_suffix"`
	Status                    string    `json:"status"`
	TransferData              *struct{} `json:"transfer_data"`
	TransferGroup             *string   `json:"transfer_group"`
}

func (s *Sandbox) renderCharge(i int, rq *request, expand []string) *chargeJSON {
	c := s.pay.charges[i]
	pm := s.pay.pms[c.pm]
	j := &chargeJSON{
		ID: c.id, Object: "charge", Amount: c.amount, BillingDetails: pm.billing.json(),
		CalculatedStatementDescriptor: c.descriptor, Created: c.created, Currency: c.currency,
		Description: c.description, Disputed: c.dispute >= 0, Livemode: c.livemode, Metadata: map[string]string{},
		PaymentMethod: pm.id, Status: c.status, StatementDescriptor: nullable(c.descriptor),
		Refunds: newList([]struct{}{}, false, "/v1/charges/"+c.id+"/refunds"),
	}
	j.Customer = s.customerRef(c.customer, rq, slices.Contains(expand, "customer"))
	j.PaymentIntent = s.payRef(kindPayment, c.pi, rq, slices.Contains(expand, "payment_intent"))
	d := &j.PaymentMethodDetails
	d.Type = "us_bank_account"
	d.USBankAccount = chargeBankJSON{AccountHolderType: pm.holderType, AccountType: "checking", BankName: pm.bank,
		Fingerprint: pm.fingerprint, Last4: pm.last4, RoutingNumber: achRouting}
	d.USBankAccount.Mandate = s.payRef(kindMandate, c.mandate, rq,
		slices.Contains(expand, "payment_method_details.us_bank_account.mandate"))
	switch c.status {
	case "succeeded":
		j.AmountCaptured, j.Captured, j.Paid = c.amount, true, true
		j.Outcome = &outcomeJSON{NetworkStatus: "approved_by_network", RiskLevel: "not_assessed",
			SellerMessage: "Payment complete.", Type: "authorized"}
	case "pending":
		j.Captured, j.Paid = true, false
		j.Outcome = &outcomeJSON{NetworkStatus: "approved_by_network", RiskLevel: "not_assessed",
			SellerMessage: "Payment pending.", Type: "authorized"}
	case "failed":
		j.Captured = true
		j.FailureCode, j.FailureMessage = &c.ret.code, &c.ret.message
		j.Outcome = &outcomeJSON{NetworkStatus: "declined_by_network", Reason: ptr(c.ret.code), RiskLevel: "not_assessed",
			SellerMessage: "The bank returned this payment (" + c.ret.network + ").", Type: "issuer_declined"}
	}
	return j
}

type evidenceDetailsJSON struct {
	DueBy           *int64 `json:"due_by"`
	HasEvidence     bool   `json:"has_evidence"`
	PastDue         bool   `json:"past_due"`
	SubmissionCount int64  `json:"submission_count"`
}

type disputeJSON struct {
	ID                   string              `json:"id"`
	Object               string              `json:"object"`
	Amount               int64               `json:"amount"`
	BalanceTransactions  []struct{}          `json:"balance_transactions"`
	Charge               any                 `json:"charge"`
	Created              int64               `json:"created"`
	Currency             string              `json:"currency"`
	Evidence             map[string]*string  `json:"evidence"`
	EvidenceDetails      evidenceDetailsJSON `json:"evidence_details"`
	IsChargeRefundable   bool                `json:"is_charge_refundable"`
	Livemode             bool                `json:"livemode"`
	Metadata             map[string]string   `json:"metadata"`
	NetworkReasonCode    *string             `json:"network_reason_code"`
	PaymentIntent        any                 `json:"payment_intent"`
	PaymentMethodDetails *struct{}           `json:"payment_method_details"`
	Reason               string              `json:"reason"`
	Status               string              `json:"status"`
}

var evidenceFields = strings.Fields(`access_activity_log billing_address cancellation_policy
	cancellation_policy_disclosure cancellation_rebuttal customer_communication customer_email_address
	customer_name customer_purchase_ip customer_signature duplicate_charge_documentation
	duplicate_charge_explanation duplicate_charge_id product_description receipt refund_policy
	refund_policy_disclosure refund_refusal_explanation service_date service_documentation shipping_address
	shipping_carrier shipping_date shipping_documentation shipping_tracking_number uncategorized_file
	uncategorized_text`)

func (s *Sandbox) renderDispute(i int, rq *request, expand []string) *disputeJSON {
	d := s.pay.disputes[i]
	c := s.pay.charges[d.charge]
	j := &disputeJSON{ID: d.id, Object: "dispute", Amount: d.amount, BalanceTransactions: []struct{}{},
		Created: d.created, Currency: c.currency, Evidence: map[string]*string{}, Livemode: d.livemode,
		Metadata: map[string]string{}, NetworkReasonCode: ptr(returnUnauthorized.network), Reason: d.reason,
		Status: "lost"} // ACH disputes cannot be contested
	for _, f := range evidenceFields {
		j.Evidence[f] = nil
	}
	j.Charge = s.payRef(kindCharge, d.charge, rq, slices.Contains(expand, "charge"))
	j.PaymentIntent = s.payRef(kindPayment, c.pi, rq, slices.Contains(expand, "payment_intent"))
	return j
}

type setupIntentJSON struct {
	ID                                string            `json:"id"`
	Object                            string            `json:"object"`
	Application                       *string           `json:"application"`
	AutomaticPaymentMethods           *struct{}         `json:"automatic_payment_methods"`
	CancellationReason                *string           `json:"cancellation_reason"`
	ClientSecret                      string            `json:"client_secret"`
	Created                           int64             `json:"created"`
	Customer                          any               `json:"customer"`
	Description                       *string           `json:"description"`
	FlowDirections                    []string          `json:"flow_directions"`
	LastSetupError                    *errorJSON        `json:"last_setup_error"`
	LatestAttempt                     *string           `json:"latest_attempt"`
	Livemode                          bool              `json:"livemode"`
	Mandate                           any               `json:"mandate"`
	Metadata                          map[string]string `json:"metadata"`
	NextAction                        *struct{}         `json:"next_action"`
	OnBehalfOf                        *string           `json:"on_behalf_of"`
	PaymentMethod                     any               `json:"payment_method"`
	PaymentMethodConfigurationDetails *struct{}         `json:"payment_method_configuration_details"`
	PaymentMethodOptions              pmOptionsJSON     `json:"payment_method_options"`
	PaymentMethodTypes                []string          `json:"payment_method_types"`
	SingleUseMandate                  *string           `json:"single_use_mandate"`
	Status                            string            `json:"status"`
	Usage                             string            `json:"usage"`
}

func (s *Sandbox) renderSetup(i int, rq *request, expand []string) *setupIntentJSON {
	si := s.pay.setups[i]
	j := &setupIntentJSON{ID: si.id, Object: "setup_intent", ClientSecret: si.secret, Created: si.created,
		Description: si.description, LastSetupError: s.renderPayError(si.lastErr, rq), Livemode: si.livemode,
		Metadata: orEmpty(si.metadata), PaymentMethodOptions: bankOptions(si.verification, nil, ""),
		PaymentMethodTypes: si.pmTypes, Status: si.status, Usage: si.usage}
	if si.cancelReason != "" {
		j.CancellationReason = &si.cancelReason
	}
	j.Customer = s.customerRef(si.customer, rq, slices.Contains(expand, "customer"))
	j.PaymentMethod = s.payRef(kindPayMethod, si.pm, rq, slices.Contains(expand, "payment_method"))
	j.Mandate = s.payRef(kindMandate, si.mandate, rq, slices.Contains(expand, "mandate"))
	return j
}

// fingerprintOf is the stable fingerprint of the bank account behind an FC account.
func (s *Sandbox) fingerprintOf(acct uint64) string {
	r := newRNG(s.seed, 0xf19e7, acct)
	b := make([]byte, 16)
	for i := range b {
		b[i] = base62[r.intn(62)]
	}
	return string(b)
}

// debitDescription is how the ACH debit shows in the customer's bank history.
func debitDescription(descriptor, piID string) string {
	return fmt.Sprintf("%s ACH DEBIT PPD ID: %s", strings.ToUpper(descriptor), strings.ToUpper(piID[len(piID)-10:]))
}

func parseInt(v, param string) (int64, *apiError) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, errInvalidInteger(param, v)
	}
	return n, nil
}
