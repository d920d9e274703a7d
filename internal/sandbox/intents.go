package sandbox

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// --- form helpers for nested parameters ---

func leafStr(n *formNode) (string, bool) {
	if n == nil || !n.isLeaf {
		return "", false
	}
	return n.value, true
}

// checkKids rejects nested keys of n outside allowed; base names n in errors.
func checkKids(n *formNode, base []string, allowed ...string) *apiError {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if !slices.Contains(allowed, k.seg) {
			return errUnknownParam(paramName(slices.Concat(base, []string{k.seg})...))
		}
	}
	return nil
}

func boolNode(n *formNode, param string) (bool, *apiError) {
	v, ok := leafStr(n)
	switch {
	case !ok || v == "" || v == "false":
		return false, nil
	case v == "true":
		return true, nil
	}
	return false, errInvalid(param, "Invalid boolean: %s", v)
}

func enumNode(n *formNode, param string, allowed ...string) (string, *apiError) {
	v, _ := leafStr(n)
	if v != "" && !slices.Contains(allowed, v) {
		return "", errInvalidEnum(param, allowed)
	}
	return v, nil
}

func strNode(n *formNode, param string, maxLen int) (*string, *apiError) {
	v, _ := leafStr(n)
	if v == "" {
		return nil, nil
	}
	if len(v) > maxLen {
		return nil, errInvalid(param, "Invalid %s: must be at most %d characters", param, maxLen)
	}
	return &v, nil
}

// metadataNode applies metadata[k]=v pairs under n.
func metadataNode(n *formNode) (map[string]string, *apiError) {
	m := map[string]string{}
	if n == nil {
		return m, nil
	}
	f := &form{root: formNode{kids: []formKid{{"metadata", n}}}}
	return m, setMetadata(m, f)
}

// customerParam resolves an optional customer id parameter.
func (s *Sandbox) customerParam(n *formNode, param string) (*uint64, *apiError) {
	id, _ := leafStr(n)
	if id == "" {
		return nil, nil
	}
	k, ok := s.customerKey(id)
	if !ok {
		return nil, errNoSuch("customer", id, param)
	}
	return &k, nil
}

func errUnexpectedState(what, id, status, action string, allowed ...string) *apiError {
	return invalidRequest(http.StatusBadRequest, what+"_unexpected_state", "",
		"You cannot %s this %s because it has a status of %s. Only a %s with one of the following statuses may be %s: %s.",
		action, titleObject(what), status, titleObject(what), pastTense(action), strings.Join(allowed, ", "))
}

func titleObject(what string) string {
	switch what {
	case "payment_intent":
		return "PaymentIntent"
	case "setup_intent":
		return "SetupIntent"
	}
	return what
}

func pastTense(action string) string {
	if action == "cancel" {
		return "canceled"
	}
	return action + "ed"
}

var pmTypeAllowed = []string{"us_bank_account"}

func paymentMethodTypes(f *form) ([]string, *apiError) {
	types := f.strs("payment_method_types")
	if len(types) == 0 {
		return []string{"us_bank_account"}, nil
	}
	for i, t := range types {
		if !slices.Contains(pmTypeAllowed, t) {
			return nil, errInvalid(paramName("payment_method_types", strconv.Itoa(i)),
				"The sandbox supports only the us_bank_account payment method type, got %q.", t)
		}
	}
	return dedupe(types), nil
}

// bankOptionsParam reads payment_method_options[us_bank_account].
func bankOptionsParam(f *form) (verification string, perms []string, err *apiError) {
	pmo := f.node("payment_method_options")
	if err := checkKids(pmo, []string{"payment_method_options"}, "us_bank_account"); err != nil {
		return "", nil, err
	}
	base := []string{"payment_method_options", "us_bank_account"}
	u := pmo.get("us_bank_account")
	if err := checkKids(u, base, "financial_connections", "mandate_options", "networks", "preferred_settlement_speed",
		"setup_future_usage", "verification_method"); err != nil {
		return "", nil, err
	}
	if verification, err = enumNode(u.get("verification_method"), paramName(append(base, "verification_method")...),
		"automatic", "instant", "microdeposits"); err != nil {
		return "", nil, err
	}
	for i, p := range u.get("financial_connections").get("permissions").strs() {
		if !slices.Contains(sessionPermissions, p) {
			return "", nil, errInvalidEnum(paramName(append(base, "financial_connections", "permissions", strconv.Itoa(i))...), sessionPermissions)
		}
		perms = append(perms, p)
	}
	return verification, perms, nil
}

// --- PaymentMethods ---

// parsePM validates us_bank_account payment method data at n (the top level of POST
// /v1/payment_methods, or payment_method_data[...]) and returns the unsaved record.
func (s *Sandbox) parsePM(n *formNode, base []string, rq *request) (*payMethod, *apiError) {
	name := func(p ...string) string { return paramName(slices.Concat(base, p)...) }
	typ, _ := leafStr(n.get("type"))
	switch {
	case typ == "":
		return nil, errMissing(name("type"))
	case typ != "us_bank_account":
		return nil, errInvalid(name("type"), "The sandbox supports only the us_bank_account payment method type, got %q.", typ)
	}
	uba := n.get("us_bank_account")
	if err := checkKids(uba, slices.Concat(base, []string{"us_bank_account"}), "financial_connections_account",
		"account_holder_type", "account_number", "account_type", "routing_number"); err != nil {
		return nil, err
	}
	fcaParam := name("us_bank_account", "financial_connections_account")
	fcaID, _ := leafStr(uba.get("financial_connections_account"))
	if fcaID == "" {
		if uba.get("account_number") != nil {
			return nil, errInvalid(fcaParam, "The sandbox creates us_bank_account payment methods only from a Financial "+
				"Connections account: pass %s instead of account and routing numbers.", fcaParam)
		}
		return nil, errMissing(fcaParam)
	}
	key, ok := s.accountKey(fcaID)
	if !ok {
		return nil, errNoSuch("financial connections account", fcaID, fcaParam)
	}
	p := &payMethod{created: rq.now.Unix(), livemode: rq.livemode, acct: key, fca: fcaID, holderType: "individual",
		fingerprint: s.fingerprintOf(key)}
	a := s.account(key)
	a.mu.Lock()
	perms, persona := a.permissions, a.persona
	p.bank, p.last4 = a.institution, a.last4
	a.mu.Unlock()
	if !slices.Contains(perms, "payment_method") {
		return nil, errInvalid(fcaParam, "The Financial Connections account %s was linked without the `payment_method` "+
			"permission, so it cannot be used to create a payment method.", fcaID)
	}
	if persona == PersonaBusinessOwned {
		p.holderType = "company"
	}
	bd := n.get("billing_details")
	if err := checkKids(bd, slices.Concat(base, []string{"billing_details"}), "address", "email", "name", "phone"); err != nil {
		return nil, err
	}
	var err *apiError
	if p.billing.name, err = strNode(bd.get("name"), name("billing_details", "name"), 256); err != nil {
		return nil, err
	}
	if p.billing.name == nil {
		return nil, invalidRequest(http.StatusBadRequest, codeParameterMissing, name("billing_details", "name"),
			"Missing required param: %s. us_bank_account payment methods need the account holder's name.",
			name("billing_details", "name"))
	}
	if p.billing.email, err = strNode(bd.get("email"), name("billing_details", "email"), 800); err != nil {
		return nil, err
	}
	if p.billing.phone, err = strNode(bd.get("phone"), name("billing_details", "phone"), 20); err != nil {
		return nil, err
	}
	addr := bd.get("address")
	fields := map[string]**string{"city": &p.billing.address.City, "country": &p.billing.address.Country,
		"line1": &p.billing.address.Line1, "line2": &p.billing.address.Line2,
		"postal_code": &p.billing.address.PostalCode, "state": &p.billing.address.State}
	if addr != nil {
		for _, k := range addr.kids {
			dst, ok := fields[k.seg]
			if !ok {
				return nil, errUnknownParam(name("billing_details", "address", k.seg))
			}
			if v, _ := leafStr(k.node); v != "" {
				*dst = ptr(v)
			}
		}
	}
	if p.metadata, err = metadataNode(n.get("metadata")); err != nil {
		return nil, err
	}
	return p, nil
}

// savePM stores a parsed payment method. The caller holds pay.mu.
func (s *Sandbox) savePM(p *payMethod) int {
	i := len(s.pay.pms)
	p.id = s.ids.encode(kindPayMethod, uint64(i))
	s.pay.pms = append(s.pay.pms, p)
	return i
}

// attachPM attaches a payment method to a customer (once) and emits payment_method.attached.
// The caller holds pay.mu.
func (s *Sandbox) attachPM(i int, cust uint64, rq *request) *apiError {
	p := s.pay.pms[i]
	if p.customer != nil {
		if *p.customer == cust {
			return nil
		}
		return errInvalid("payment_method", "The payment method %s is already attached to customer %s.", p.id,
			s.customerID(*p.customer))
	}
	p.customer = &cust
	s.emit(evPMAttached, s.renderPM(i, rq, false), rq.now.Unix(), rq, map[string]any{"customer": nil})
	return nil
}

func createPaymentMethod(s *Sandbox, rq *request) (any, *apiError) {
	exp, err := expandList(rq.form, pmExpand, false)
	if err != nil {
		return nil, err
	}
	p, err := s.parsePM(&rq.form.root, nil, rq)
	if err != nil {
		return nil, err
	}
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	return s.renderPM(s.savePM(p), rq, slices.Contains(exp, "customer")), nil
}

// payObject resolves a path id of kind k; the caller holds pay.mu.
func (s *Sandbox) payObject(k idKind, id, what string, n int) (int, *apiError) {
	i, ok := s.lookup(k, id, n)
	if !ok {
		return 0, errNoSuch(what, id, "id")
	}
	return i, nil
}

// getPayRecord serves a plain retrieve of a payments object: it checks expand against
// allowed, resolves the path id of kind k (what names it in errors) among recs and renders
// the record under pay.mu.
func getPayRecord[T any](s *Sandbox, rq *request, allowed []string, k idKind, what string, recs *[]T,
	render func(i int, exp []string) any) (any, *apiError) {
	exp, err := expandList(rq.form, allowed, false)
	if err != nil {
		return nil, err
	}
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	i, err := s.payObject(k, rq.args[0], what, len(*recs))
	if err != nil {
		return nil, err
	}
	return render(i, exp), nil
}

func getPaymentMethod(s *Sandbox, rq *request) (any, *apiError) {
	return getPayRecord(s, rq, pmExpand, kindPayMethod, "PaymentMethod", &s.pay.pms,
		func(i int, exp []string) any { return s.renderPM(i, rq, slices.Contains(exp, "customer")) })
}

func attachPaymentMethod(s *Sandbox, rq *request) (any, *apiError) {
	exp, err := expandList(rq.form, pmExpand, false)
	if err != nil {
		return nil, err
	}
	if id, _ := rq.form.str("customer"); id == "" {
		return nil, errMissing("customer")
	}
	cust, err := s.customerParam(rq.form.node("customer"), "customer")
	if err != nil {
		return nil, err
	}
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	i, err := s.payObject(kindPayMethod, rq.args[0], "PaymentMethod", len(s.pay.pms))
	if err != nil {
		return nil, err
	}
	if err := s.attachPM(i, *cust, rq); err != nil {
		return nil, err
	}
	return s.renderPM(i, rq, slices.Contains(exp, "customer")), nil
}

func detachPaymentMethod(s *Sandbox, rq *request) (any, *apiError) {
	exp, err := expandList(rq.form, pmExpand, false)
	if err != nil {
		return nil, err
	}
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	i, err := s.payObject(kindPayMethod, rq.args[0], "PaymentMethod", len(s.pay.pms))
	if err != nil {
		return nil, err
	}
	p := s.pay.pms[i]
	if p.customer == nil {
		return nil, errInvalid("", "The payment method %s is not attached to a customer.", p.id)
	}
	p.customer = nil
	return s.renderPM(i, rq, slices.Contains(exp, "customer")), nil
}

func getMandate(s *Sandbox, rq *request) (any, *apiError) {
	return getPayRecord(s, rq, mandateExpand, kindMandate, "mandate", &s.pay.mandates,
		func(i int, exp []string) any { return s.renderMandate(i, rq, slices.Contains(exp, "payment_method")) })
}

func getCharge(s *Sandbox, rq *request) (any, *apiError) {
	return getPayRecord(s, rq, chargeExpand, kindCharge, "charge", &s.pay.charges,
		func(i int, exp []string) any { return s.renderCharge(i, rq, exp) })
}

func getDispute(s *Sandbox, rq *request) (any, *apiError) {
	return getPayRecord(s, rq, disputeExpand, kindDispute, "dispute", &s.pay.disputes,
		func(i int, exp []string) any { return s.renderDispute(i, rq, exp) })
}

// --- mandates ---

// parseMandateData reads mandate_data[customer_acceptance][...].
func parseMandateData(n *formNode, now int64) (*acceptance, *apiError) {
	if n == nil {
		return nil, nil
	}
	if err := checkKids(n, []string{"mandate_data"}, "customer_acceptance"); err != nil {
		return nil, err
	}
	base := []string{"mandate_data", "customer_acceptance"}
	ca := n.get("customer_acceptance")
	if ca == nil {
		return nil, errMissing(paramName(base...))
	}
	if err := checkKids(ca, base, "accepted_at", "offline", "online", "type"); err != nil {
		return nil, err
	}
	typ, err := enumNode(ca.get("type"), paramName(append(base, "type")...), "offline", "online")
	if err != nil {
		return nil, err
	}
	if typ == "" {
		return nil, errMissing(paramName(append(base, "type")...))
	}
	acc := &acceptance{at: now, typ: typ}
	if v, ok := leafStr(ca.get("accepted_at")); ok && v != "" {
		if acc.at, err = parseInt(v, paramName(append(base, "accepted_at")...)); err != nil {
			return nil, err
		}
	}
	if typ == "online" {
		on := ca.get("online")
		ob := append(slices.Clone(base), "online")
		if on == nil {
			return nil, errMissing(paramName(ob...))
		}
		if err := checkKids(on, ob, "ip_address", "user_agent"); err != nil {
			return nil, err
		}
		acc.ip, _ = leafStr(on.get("ip_address"))
		acc.ua, _ = leafStr(on.get("user_agent"))
		if acc.ip == "" {
			return nil, errMissing(paramName(append(ob, "ip_address")...))
		}
		if acc.ua == "" {
			return nil, errMissing(paramName(append(ob, "user_agent")...))
		}
	}
	return acc, nil
}

// newMandate stores an active mandate. The caller holds pay.mu.
func (s *Sandbox) newMandate(pm int, acc *acceptance, multi bool, amount int64, currency string, rq *request) int {
	i := len(s.pay.mandates)
	s.pay.mandates = append(s.pay.mandates, &mandateRec{id: s.ids.encode(kindMandate, uint64(i)), created: rq.now.Unix(),
		livemode: rq.livemode, pm: pm, acc: *acc, multi: multi, amount: amount, currency: currency, status: "active"})
	return i
}

// activeMandate returns the newest active multi-use mandate of a payment method, or -1.
func (s *Sandbox) activeMandate(pm int) int {
	for i := len(s.pay.mandates) - 1; i >= 0; i-- {
		if m := s.pay.mandates[i]; m.pm == pm && m.multi && m.status == "active" {
			return i
		}
	}
	return -1
}

// --- confirmation (PaymentIntents and SetupIntents) ---

// confirmOpts are the payment method and mandate parameters of a create-and-confirm or a
// confirm call.
type confirmOpts struct {
	pm         int        // an existing payment method, or -1
	newPM      *payMethod // from payment_method_data, saved on use
	mandate    int        // an existing mandate, or -1
	acc        *acceptance
	offSession bool
	sfu        string
}

// parseConfirm reads the payment method and mandate parameters. The caller holds pay.mu.
func (s *Sandbox) parseConfirm(rq *request, confirming, payment bool) (confirmOpts, *apiError) {
	f := rq.form
	o := confirmOpts{pm: -1, mandate: -1}
	pmID, _ := f.str("payment_method")
	data := f.node("payment_method_data")
	if pmID != "" && data != nil {
		return o, invalidRequest(400, codeParametersExclusive, "payment_method_data",
			"You may only specify one of these parameters: payment_method, payment_method_data.")
	}
	if pmID != "" {
		i, ok := s.lookup(kindPayMethod, pmID, len(s.pay.pms))
		if !ok {
			return o, errNoSuch("PaymentMethod", pmID, "payment_method")
		}
		o.pm = i
	}
	if data != nil {
		if err := checkKids(data, []string{"payment_method_data"}, "billing_details", "metadata", "radar_options",
			"type", "us_bank_account"); err != nil {
			return o, err
		}
		p, err := s.parsePM(data, []string{"payment_method_data"}, rq)
		if err != nil {
			return o, err
		}
		o.newPM = p
	}
	if f.node("mandate_data") != nil && !confirming {
		return o, errInvalid("mandate_data", "mandate_data can only be used with confirm=true.")
	}
	var err *apiError
	if o.acc, err = parseMandateData(f.node("mandate_data"), rq.now.Unix()); err != nil {
		return o, err
	}
	if id, _ := f.str("mandate"); id != "" {
		if o.acc != nil {
			return o, invalidRequest(400, codeParametersExclusive, "mandate",
				"You may only specify one of these parameters: mandate, mandate_data.")
		}
		i, ok := s.lookup(kindMandate, id, len(s.pay.mandates))
		if !ok {
			return o, errNoSuch("mandate", id, "mandate")
		}
		if !confirming {
			return o, errInvalid("mandate", "mandate can only be used with confirm=true.")
		}
		o.mandate = i
	}
	if payment {
		if o.offSession, err = boolNode(f.node("off_session"), "off_session"); err != nil {
			return o, err
		}
		if o.offSession && !confirming {
			return o, errInvalid("off_session", "off_session can only be used with confirm=true.")
		}
		if o.sfu, err = enumNode(f.node("setup_future_usage"), "setup_future_usage", "off_session", "on_session"); err != nil {
			return o, err
		}
	}
	return o, nil
}

// confirmPlan is a validated confirmation: the payment method (pm >= 0, or newPM) and the
// mandate to use (mandate >= 0, or acc for a new one).
type confirmPlan struct {
	confirmOpts
	customer *uint64
}

// planConfirm checks that a confirmation can run, before anything changes.
func (s *Sandbox) planConfirm(o confirmOpts, currentPM int, customer *uint64) (confirmPlan, *apiError) {
	p := confirmPlan{confirmOpts: o, customer: customer}
	if p.newPM == nil && p.pm < 0 {
		p.pm = currentPM
	}
	if p.newPM == nil && p.pm < 0 {
		return p, invalidRequest(400, codeParameterMissing, "payment_method",
			"You cannot confirm without a payment method: pass payment_method or payment_method_data.")
	}
	if p.pm >= 0 {
		pm := s.pay.pms[p.pm]
		if pm.customer != nil && (customer == nil || *customer != *pm.customer) {
			return p, errInvalid("customer", "The payment method %s is attached to customer %s; pass customer=%s to use it.",
				pm.id, s.customerID(*pm.customer), s.customerID(*pm.customer))
		}
	}
	switch {
	case p.acc != nil:
	case p.mandate >= 0:
		m := s.pay.mandates[p.mandate]
		if m.pm != p.pm {
			return p, errInvalid("mandate", "The mandate %s was accepted for another payment method.", m.id)
		}
		if m.status != "active" {
			return p, errInvalid("mandate", "The mandate %s is %s and cannot be used for new payments.", m.id, m.status)
		}
	case p.pm >= 0 && s.activeMandate(p.pm) >= 0:
		p.mandate = s.activeMandate(p.pm)
	default:
		return p, invalidRequest(400, codeParameterMissing, "mandate_data",
			"A mandate is required to debit a us_bank_account payment method: pass mandate_data[customer_acceptance] "+
				"(type online, with ip_address and user_agent), or mandate for a payment method set up for later use.")
	}
	return p, nil
}

// blockedError is the failure for a payment method whose bank account is blocked.
func (s *Sandbox) blockedError(pm int) *payError {
	b := s.pay.blocked[s.pay.pms[pm].fingerprint]
	return &payError{code: "payment_method_bank_account_blocked", typ: "card_error", pm: pm,
		message: "This bank account has been blocked after an ACH return (" + b.network + "): it cannot be used for new payments."}
}

// blockedFailure is the 402 a confirmation on a blocked bank account fails with; the caller
// adds the rendered intent.
func (s *Sandbox) blockedFailure(e *payError, pm int, rq *request) *apiError {
	return &apiError{Status: http.StatusPaymentRequired, Type: "card_error", Code: e.code, DocURL: docURL(e.code),
		Message: e.message, PaymentMethod: s.renderPM(pm, rq, false)}
}

func (s *Sandbox) isBlocked(pm int) bool {
	_, ok := s.pay.blocked[s.pay.pms[pm].fingerprint]
	return ok
}

// --- creating PaymentIntents and SetupIntents ---

// intentParams are the create parameters PaymentIntents and SetupIntents share.
type intentParams struct {
	customer     *uint64
	pmTypes      []string
	verification string   // payment_method_options[us_bank_account][verification_method]
	perms        []string // ...[financial_connections][permissions]
	description  *string
	metadata     map[string]string
	confirm      bool
}

// parseIntentParams reads the shared create parameters, checking them in the same order as
// Stripe so that the first bad one is the one reported. afterTypes runs the caller's own
// check between payment_method_types and payment_method_options, afterDesc between
// description and metadata; either may be nil.
func (s *Sandbox) parseIntentParams(f *form, afterTypes, afterDesc func() *apiError) (intentParams, *apiError) {
	var p intentParams
	var err *apiError
	if p.customer, err = s.customerParam(f.node("customer"), "customer"); err != nil {
		return p, err
	}
	if p.pmTypes, err = paymentMethodTypes(f); err != nil {
		return p, err
	}
	if afterTypes != nil {
		if err := afterTypes(); err != nil {
			return p, err
		}
	}
	if p.verification, p.perms, err = bankOptionsParam(f); err != nil {
		return p, err
	}
	if p.description, err = strNode(f.node("description"), "description", 1000); err != nil {
		return p, err
	}
	if afterDesc != nil {
		if err := afterDesc(); err != nil {
			return p, err
		}
	}
	if p.metadata, err = metadataNode(f.node("metadata")); err != nil {
		return p, err
	}
	p.confirm, err = boolNode(f.node("confirm"), "confirm")
	return p, err
}

// initialPM is a new intent's payment method (-1 for none) and status: a payment method given
// as payment_method_data is saved now. The caller holds pay.mu.
func (s *Sandbox) initialPM(o confirmOpts) (pm int, status string) {
	pm = o.pm
	if o.newPM != nil {
		pm = s.savePM(o.newPM)
	}
	if pm < 0 {
		return pm, "requires_payment_method"
	}
	return pm, "requires_confirmation"
}

// clientSecret is the client_secret of intent id, the i-th of its kind; salt differs by kind.
func (s *Sandbox) clientSecret(id string, salt uint64, i int) string {
	return id + "_secret_" + string(s.ids.body(kindSecret, mixAll(salt, uint64(i))))
}

// --- PaymentIntents ---

func createPaymentIntent(s *Sandbox, rq *request) (any, *apiError) {
	f := rq.form
	exp, err := expandList(f, piExpand, false)
	if err != nil {
		return nil, err
	}
	pi := &payIntent{created: rq.now.Unix(), livemode: rq.livemode, pm: -1}
	v, ok := f.str("amount")
	if !ok || v == "" {
		return nil, errMissing("amount")
	}
	if pi.amount, err = parseInt(v, "amount"); err != nil {
		return nil, err
	}
	if pi.amount < minAmount {
		return nil, invalidRequest(400, "amount_too_small", "amount", "Amount must be at least $0.50 usd")
	}
	if pi.currency, _ = f.str("currency"); pi.currency == "" {
		return nil, errMissing("currency")
	}
	if pi.currency = strings.ToLower(pi.currency); pi.currency != "usd" {
		return nil, errInvalid("currency", "us_bank_account payments support only usd, got %q.", pi.currency)
	}
	ip, err := s.parseIntentParams(f, func() *apiError {
		if v, _ := f.str("capture_method"); v != "" && v != "automatic" && v != "automatic_async" {
			return errInvalid("capture_method", "us_bank_account payments support only automatic capture.")
		}
		return nil
	}, func() (err *apiError) {
		if pi.descriptor, err = strNode(f.node("statement_descriptor"), "statement_descriptor", 22); err != nil {
			return err
		}
		if pi.suffix, err = strNode(f.node("statement_descriptor_suffix"), "statement_descriptor_suffix", 22); err != nil {
			return err
		}
		pi.receiptEmail, err = strNode(f.node("receipt_email"), "receipt_email", 800)
		return err
	})
	if err != nil {
		return nil, err
	}
	pi.customer, pi.pmTypes, pi.description, pi.metadata = ip.customer, ip.pmTypes, ip.description, ip.metadata
	pi.verification, pi.fcPermissions = ip.verification, ip.perms
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	o, err := s.parseConfirm(rq, ip.confirm, true)
	if err != nil {
		return nil, err
	}
	pi.sfu = o.sfu
	var plan confirmPlan
	if ip.confirm {
		if plan, err = s.planConfirm(o, -1, pi.customer); err != nil {
			return nil, err
		}
	}
	pi.pm, pi.status = s.initialPM(o)
	if o.newPM != nil { // now saved: confirm it by index
		plan.newPM, plan.pm = nil, pi.pm
	}
	i := len(s.pay.intents)
	pi.id = s.ids.encode(kindPayment, uint64(i))
	pi.secret = s.clientSecret(pi.id, 0x9175, i)
	s.pay.intents = append(s.pay.intents, pi)
	s.emit(evPICreated, s.renderPI(i, rq, nil), rq.now.Unix(), rq, nil)
	if ip.confirm {
		if err := s.confirmPI(i, plan, rq); err != nil {
			return nil, err
		}
	}
	return s.renderPI(i, rq, exp), nil
}

func (s *Sandbox) intent(rq *request) (int, *apiError) {
	return s.payObject(kindPayment, rq.args[0], "payment_intent", len(s.pay.intents))
}

func getPaymentIntent(s *Sandbox, rq *request) (any, *apiError) {
	exp, err := expandList(rq.form, piExpand, false)
	if err != nil {
		return nil, err
	}
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	i, err := s.intent(rq)
	if err != nil {
		return nil, err
	}
	if cs, _ := rq.form.str("client_secret"); cs != "" && cs != s.pay.intents[i].secret {
		return nil, errInvalid("client_secret", "The client_secret provided does not match the client_secret associated with the PaymentIntent.")
	}
	return s.renderPI(i, rq, exp), nil
}

var confirmableStatuses = []string{"requires_payment_method", "requires_confirmation", "requires_action"}

// confirmStep begins the confirm call of an intent (what: payment_intent or setup_intent) in
// status: it checks the intent may be confirmed, then reads the confirmation parameters.
// The caller holds pay.mu.
func (s *Sandbox) confirmStep(what, id, status string, rq *request, payment bool) (confirmOpts, *apiError) {
	if !slices.Contains(confirmableStatuses, status) {
		return confirmOpts{}, errUnexpectedState(what, id, status, "confirm", confirmableStatuses...)
	}
	return s.parseConfirm(rq, true, payment)
}

func confirmPaymentIntent(s *Sandbox, rq *request) (any, *apiError) {
	exp, err := expandList(rq.form, piExpand, false)
	if err != nil {
		return nil, err
	}
	verification, perms, err := bankOptionsParam(rq.form)
	if err != nil {
		return nil, err
	}
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	i, err := s.intent(rq)
	if err != nil {
		return nil, err
	}
	pi := s.pay.intents[i]
	o, err := s.confirmStep("payment_intent", pi.id, pi.status, rq, true)
	if err != nil {
		return nil, err
	}
	plan, err := s.planConfirm(o, pi.pm, pi.customer)
	if err != nil {
		return nil, err
	}
	if o.sfu != "" {
		pi.sfu = o.sfu
	}
	if verification != "" {
		pi.verification = verification
	}
	if perms != nil {
		pi.fcPermissions = perms
	}
	if err := s.confirmPI(i, plan, rq); err != nil {
		return nil, err
	}
	return s.renderPI(i, rq, exp), nil
}

// confirmPI runs a validated confirmation: the debit is submitted (processing, a pending
// charge and a pending row in the bank history) and settles after the settlement delay. A
// blocked bank account fails at once with a 402. The caller holds pay.mu.
func (s *Sandbox) confirmPI(i int, p confirmPlan, rq *request) *apiError {
	pi := s.pay.intents[i]
	if p.newPM != nil {
		p.pm = s.savePM(p.newPM)
	}
	pi.pm = p.pm
	if s.isBlocked(p.pm) {
		pi.status, pi.lastErr, pi.pm = "requires_payment_method", s.blockedError(p.pm), -1
		s.emit(evPIFailed, s.renderPI(i, rq, nil), rq.now.Unix(), rq, nil)
		e := s.blockedFailure(pi.lastErr, p.pm, rq)
		e.PaymentIntent = s.renderPI(i, rq, nil)
		return e
	}
	m := p.mandate
	if p.acc != nil {
		m = s.newMandate(p.pm, p.acc, pi.sfu != "", pi.amount, pi.currency, rq)
	}
	if pi.sfu != "" && pi.customer != nil {
		if err := s.attachPM(p.pm, *pi.customer, rq); err != nil {
			return err
		}
	}
	pm := s.pay.pms[p.pm]
	ci := len(s.pay.charges)
	c := &chargeRec{id: s.ids.encode(kindCharge, uint64(ci)), created: rq.now.Unix(), livemode: rq.livemode, pi: i,
		pm: p.pm, mandate: m, amount: pi.amount, currency: pi.currency, customer: pi.customer,
		description: pi.description, descriptor: "SANDBOX MERCHANT", status: "pending", dispute: -1}
	if pi.descriptor != nil {
		c.descriptor = strings.ToUpper(*pi.descriptor)
	}
	a := s.account(pm.acct)
	a.mu.Lock()
	now := rq.now.Unix()
	if n := len(a.extras); n > 0 {
		now = max(now, a.extras[n-1].transacted)
	}
	c.extra = s.addExtra(a, txn{amount: -pi.amount, desc: debitDescription(c.descriptor, pi.id), transacted: now,
		visible: now, settle: pendingForever})
	a.mu.Unlock()
	s.pay.charges = append(s.pay.charges, c)
	pi.charges = append(pi.charges, ci)
	pi.status, pi.lastErr = "processing", nil
	s.schedule(rq.now.Add(s.settleDelay), jobCharge, uint64(ci))
	s.emit(evPIProcessing, s.renderPI(i, rq, nil), rq.now.Unix(), rq, nil)
	s.emit(evChargePending, s.renderCharge(ci, rq, nil), rq.now.Unix(), rq, nil)
	return nil
}

var cancelableStatuses = []string{"requires_payment_method", "requires_confirmation", "requires_action"}

func cancelPaymentIntent(s *Sandbox, rq *request) (any, *apiError) {
	exp, err := expandList(rq.form, piExpand, false)
	if err != nil {
		return nil, err
	}
	reason, err := enumNode(rq.form.node("cancellation_reason"), "cancellation_reason", "abandoned", "duplicate",
		"fraudulent", "requested_by_customer")
	if err != nil {
		return nil, err
	}
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	i, err := s.intent(rq)
	if err != nil {
		return nil, err
	}
	pi := s.pay.intents[i]
	if !slices.Contains(cancelableStatuses, pi.status) {
		return nil, errUnexpectedState("payment_intent", pi.id, pi.status, "cancel", cancelableStatuses...)
	}
	pi.status, pi.canceledAt, pi.cancelReason = "canceled", rq.now.Unix(), reason
	s.emit(evPICanceled, s.renderPI(i, rq, nil), rq.now.Unix(), rq, nil)
	return s.renderPI(i, rq, exp), nil
}

// --- settlement and disputes (scheduler jobs) ---

// settleCharge decides an ACH debit at sandbox time at, from the persona and the simulated
// bank: the account closed (disconnected), an unauthorized return (fraud personas), too little
// available balance (insufficient funds), or success, for fraud personas sometimes followed by
// a dispute within the 60-day unauthorized-return window.
func (s *Sandbox) settleCharge(ci int, at time.Time) {
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	c := s.pay.charges[ci]
	if c.status != "pending" {
		return
	}
	pm := s.pay.pms[c.pm]
	u := at.Unix()
	a := s.account(pm.acct)
	a.mu.Lock()
	_, avail := s.ledgerFor(a).balances(u) // includes this debit's pending hold
	draw := newRNG(s.seed, 0x5e771e, uint64(ci))
	switch {
	case a.status == "disconnected":
		c.ret = &returnClosed
	case isFraudPersona(a.persona) && draw.chance(fraudReturns):
		c.ret = &returnUnauthorized
	case avail < 0:
		c.ret = &returnInsufficient
	}
	s.finishExtra(a, c.extra, u, c.ret != nil)
	fraud := isFraudPersona(a.persona)
	a.mu.Unlock()

	pi := s.pay.intents[c.pi]
	if c.ret == nil {
		c.status = "succeeded"
		pi.status, pi.amountReceived = "succeeded", c.amount
		s.emit(evPISucceeded, s.renderPI(c.pi, clockRequest, nil), u, nil, nil)
		s.emit(evChargeSucceeded, s.renderCharge(ci, clockRequest, nil), u, nil, nil)
		if fraud {
			after := time.Duration(draw.between(10, 55)) * 24 * time.Hour
			s.schedule(at.Add(after+time.Duration(draw.between(0, 86399))*time.Second), jobDispute, uint64(ci))
		}
		return
	}
	c.status = "failed"
	pi.status, pi.pm = "requires_payment_method", -1
	pi.lastErr = &payError{code: c.ret.code, message: c.ret.message, typ: "card_error", pm: c.pm}
	s.emit(evPIFailed, s.renderPI(c.pi, clockRequest, nil), u, nil, nil)
	s.emit(evChargeFailed, s.renderCharge(ci, clockRequest, nil), u, nil, nil)
	s.block(c.pm, c.ret, u)
}

// block blocks the payment method's bank account after a blocking return and deactivates its
// mandates. The caller holds pay.mu.
func (s *Sandbox) block(pm int, ret *achReturn, at int64) {
	if ret.blocked == "" {
		return
	}
	fp := s.pay.pms[pm].fingerprint
	if _, ok := s.pay.blocked[fp]; !ok {
		s.pay.blocked[fp] = blockInfo{network: ret.network, reason: ret.blocked}
	}
	for i, m := range s.pay.mandates {
		if m.status == "active" && s.pay.pms[m.pm].fingerprint == fp {
			m.status = "inactive"
			s.emit(evMandateUpdated, s.renderMandate(i, clockRequest, false), at, nil, map[string]any{"status": "active"})
		}
	}
}

// openDispute files the customer's unauthorized-debit claim on a settled charge: the bank
// credits the money back and Stripe opens a dispute, which ACH does not let the merchant
// contest.
func (s *Sandbox) openDispute(ci int, at time.Time) {
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	c := s.pay.charges[ci]
	if c.status != "succeeded" || c.dispute >= 0 {
		return
	}
	u := at.Unix()
	di := len(s.pay.disputes)
	s.pay.disputes = append(s.pay.disputes, &disputeRec{id: s.ids.encode(kindDispute, uint64(di)), created: u,
		livemode: c.livemode, charge: ci, amount: c.amount, reason: "debit_not_authorized"})
	c.dispute = di
	pm := s.pay.pms[c.pm]
	a := s.account(pm.acct)
	a.mu.Lock()
	if n := len(a.extras); n > 0 {
		u = max(u, a.extras[n-1].transacted)
	}
	s.addExtra(a, txn{amount: c.amount, desc: "ACH RETURN R10 UNAUTHORIZED " + c.descriptor, transacted: u, visible: u,
		settle: u})
	a.mu.Unlock()
	s.emit(evDisputeCreated, s.renderDispute(di, clockRequest, nil), at.Unix(), nil, nil)
	s.block(c.pm, &returnUnauthorized, at.Unix())
}

// --- SetupIntents ---

func createSetupIntent(s *Sandbox, rq *request) (any, *apiError) {
	f := rq.form
	exp, err := expandList(f, setupExpand, false)
	if err != nil {
		return nil, err
	}
	si := &setupRec{created: rq.now.Unix(), livemode: rq.livemode, pm: -1, mandate: -1}
	ip, err := s.parseIntentParams(f, func() (err *apiError) {
		si.usage, err = enumNode(f.node("usage"), "usage", "off_session", "on_session")
		si.usage = cmpOr(si.usage, "off_session")
		return err
	}, nil)
	if err != nil {
		return nil, err
	}
	// A SetupIntent checks payment_method_options[us_bank_account][financial_connections][permissions]
	// but does not keep them.
	si.customer, si.pmTypes, si.description, si.metadata = ip.customer, ip.pmTypes, ip.description, ip.metadata
	si.verification = ip.verification
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	o, err := s.parseConfirm(rq, ip.confirm, false)
	if err != nil {
		return nil, err
	}
	if ip.confirm {
		if err := s.planSetup(o, -1); err != nil {
			return nil, err
		}
	}
	si.pm, si.status = s.initialPM(o)
	i := len(s.pay.setups)
	si.id = s.ids.encode(kindSetup, uint64(i))
	si.secret = s.clientSecret(si.id, 0x5e7, i)
	s.pay.setups = append(s.pay.setups, si)
	if ip.confirm {
		if err := s.confirmSetup(i, o.acc, rq); err != nil {
			return nil, err
		}
	}
	return s.renderSetup(i, rq, exp), nil
}

// planSetup checks a SetupIntent confirmation: it needs a payment method and mandate_data.
func (s *Sandbox) planSetup(o confirmOpts, currentPM int) *apiError {
	if o.newPM == nil && o.pm < 0 && currentPM < 0 {
		return invalidRequest(400, codeParameterMissing, "payment_method",
			"You cannot confirm without a payment method: pass payment_method or payment_method_data.")
	}
	if o.acc == nil {
		return invalidRequest(400, codeParameterMissing, "mandate_data",
			"A mandate is required to set up a us_bank_account payment method: pass mandate_data[customer_acceptance] "+
				"(type online, with ip_address and user_agent).")
	}
	return nil
}

// confirmSetup verifies the (Financial Connections, hence instantly verified) bank account and
// leaves a multi-use mandate: the SetupIntent succeeds at once unless the account is blocked.
// The caller holds pay.mu.
func (s *Sandbox) confirmSetup(i int, acc *acceptance, rq *request) *apiError {
	si := s.pay.setups[i]
	if s.isBlocked(si.pm) {
		si.status, si.lastErr = "requires_payment_method", s.blockedError(si.pm)
		e := s.blockedFailure(si.lastErr, si.pm, rq)
		si.pm = -1
		e.SetupIntent = s.renderSetup(i, rq, nil)
		return e
	}
	si.mandate = s.newMandate(si.pm, acc, true, 0, "", rq)
	if si.customer != nil {
		if err := s.attachPM(si.pm, *si.customer, rq); err != nil {
			return err
		}
	}
	si.status, si.lastErr = "succeeded", nil
	s.emit(evSetupSucceeded, s.renderSetup(i, rq, nil), rq.now.Unix(), rq, nil)
	return nil
}

func (s *Sandbox) setupIntent(rq *request) (int, *apiError) {
	return s.payObject(kindSetup, rq.args[0], "setup_intent", len(s.pay.setups))
}

func getSetupIntent(s *Sandbox, rq *request) (any, *apiError) {
	return getPayRecord(s, rq, setupExpand, kindSetup, "setup_intent", &s.pay.setups,
		func(i int, exp []string) any { return s.renderSetup(i, rq, exp) })
}

func confirmSetupIntent(s *Sandbox, rq *request) (any, *apiError) {
	exp, err := expandList(rq.form, setupExpand, false)
	if err != nil {
		return nil, err
	}
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	i, err := s.setupIntent(rq)
	if err != nil {
		return nil, err
	}
	si := s.pay.setups[i]
	o, err := s.confirmStep("setup_intent", si.id, si.status, rq, false)
	if err != nil {
		return nil, err
	}
	if err := s.planSetup(o, si.pm); err != nil {
		return nil, err
	}
	switch {
	case o.newPM != nil:
		si.pm = s.savePM(o.newPM)
	case o.pm >= 0:
		si.pm = o.pm
	}
	if err := s.confirmSetup(i, o.acc, rq); err != nil {
		return nil, err
	}
	return s.renderSetup(i, rq, exp), nil
}

func cancelSetupIntent(s *Sandbox, rq *request) (any, *apiError) {
	exp, err := expandList(rq.form, setupExpand, false)
	if err != nil {
		return nil, err
	}
	reason, err := enumNode(rq.form.node("cancellation_reason"), "cancellation_reason", "abandoned", "duplicate",
		"requested_by_customer")
	if err != nil {
		return nil, err
	}
	s.pay.mu.Lock()
	defer s.pay.mu.Unlock()
	i, err := s.setupIntent(rq)
	if err != nil {
		return nil, err
	}
	si := s.pay.setups[i]
	if !slices.Contains(cancelableStatuses, si.status) {
		return nil, errUnexpectedState("setup_intent", si.id, si.status, "cancel", cancelableStatuses...)
	}
	si.status, si.cancelReason, si.canceledAt = "canceled", reason, rq.now.Unix()
	return s.renderSetup(i, rq, exp), nil
}
