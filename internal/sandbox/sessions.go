package sandbox

import (
	"fmt"
	"slices"
)

// session is a Financial Connections session. Stripe has no API to complete one (the user does
// that in Stripe.js); the sandbox's POST /_sandbox/sessions/{id}/complete stands in for it.
type session struct {
	id          string
	secret      string
	holderType  string
	customer    uint64 // customer key, when holderType is "customer"
	account     string // acct_ id, when holderType is "account"
	permissions []string
	prefetch    []string
	countries   []string
	returnURL   *string
	livemode    bool
	accounts    []uint64 // linked account keys, in link order
	completed   bool
}

// prefetchFeature maps a session prefetch value to the refresh feature it starts.
var prefetchFeature = map[string]string{"balances": featBalance, "ownership": featOwnership, "transactions": featTransactions}

var (
	sessionPermissions = []string{"balances", "ownership", "payment_method", "transactions"}
	sessionPrefetch    = []string{"balances", "ownership", "transactions"}
)

func (s *Sandbox) sessionIndex(id string) (int, bool) {
	n, ok := s.ids.decode(kindSession, id)
	if !ok {
		return 0, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return int(n), n < uint64(len(s.sessions))
}

func createSession(s *Sandbox, rq *request) (any, *apiError) {
	f := rq.form
	ss := &session{livemode: rq.livemode}
	if f.node("account_holder") == nil {
		return nil, errMissing("account_holder")
	}
	for _, k := range f.node("account_holder").kids {
		if k.seg != "type" && k.seg != "customer" && k.seg != "account" {
			return nil, errUnknownParam(paramName("account_holder", k.seg))
		}
	}
	ss.holderType, _ = f.str("account_holder", "type")
	switch ss.holderType {
	case "":
		return nil, errMissing("account_holder[type]")
	case "customer":
		id, _ := f.str("account_holder", "customer")
		if id == "" {
			return nil, errMissing("account_holder[customer]")
		}
		k, ok := s.customerKey(id)
		if !ok {
			return nil, errNoSuch("customer", id, "account_holder[customer]")
		}
		ss.customer = k
	case "account":
		id, _ := f.str("account_holder", "account")
		if id == "" {
			return nil, errMissing("account_holder[account]")
		}
		ss.account = id
	default:
		return nil, errInvalidEnum("account_holder[type]", []string{"account", "customer"})
	}
	ss.permissions = f.strs("permissions")
	if len(ss.permissions) == 0 {
		return nil, errMissing("permissions")
	}
	for i, p := range ss.permissions {
		if !slices.Contains(sessionPermissions, p) {
			return nil, errInvalidEnum(fmt.Sprintf("permissions[%d]", i), sessionPermissions)
		}
	}
	ss.permissions = dedupe(ss.permissions)
	ss.prefetch = dedupe(f.strs("prefetch"))
	for i, p := range ss.prefetch {
		if !slices.Contains(sessionPrefetch, p) {
			return nil, errInvalidEnum(fmt.Sprintf("prefetch[%d]", i), sessionPrefetch)
		}
		if !slices.Contains(ss.permissions, p) {
			return nil, errInvalid(fmt.Sprintf("prefetch[%d]", i),
				"You cannot prefetch `%s` without requesting the `%s` permission.", p, p)
		}
	}
	if n := f.node("filters"); n != nil {
		for _, k := range n.kids {
			if k.seg != "countries" {
				return nil, errUnknownParam(paramName("filters", k.seg))
			}
		}
		ss.countries = f.strs("filters", "countries")
		if len(ss.countries) == 0 {
			return nil, errMissing("filters[countries]")
		}
	}
	if v, ok := f.str("return_url"); ok && v != "" {
		ss.returnURL = &v
	}
	if _, err := expandList(f, []string{"account_holder.customer"}, false); err != nil {
		return nil, err
	}
	s.mu.Lock()
	n := uint64(len(s.sessions))
	ss.id = s.ids.encode(kindSession, n)
	ss.secret = ss.id + "_secret_" + string(s.ids.body(kindSecret, n))
	s.sessions = append(s.sessions, ss)
	s.mu.Unlock()
	return s.renderSession(int(n), rq), nil
}

func getSession(s *Sandbox, rq *request) (any, *apiError) {
	if _, err := expandList(rq.form, []string{"account_holder.customer"}, false); err != nil {
		return nil, err
	}
	n, ok := s.sessionIndex(rq.args[0])
	if !ok {
		return nil, errNoSuch("financial connections session", rq.args[0], "id")
	}
	return s.renderSession(n, rq), nil
}

type sessionJSON struct {
	ID            string            `json:"id"`
	Object        string            `json:"object"`
	AccountHolder accountHolderJSON `json:"account_holder"`
	Accounts      *listJSON         `json:"accounts"`
	ClientSecret  string            `json:"client_secret"`
	Filters       *filtersJSON      `json:"filters"`
	Livemode      bool              `json:"livemode"`
	Permissions   []string          `json:"permissions"`
	Prefetch      []string          `json:"prefetch"`
	ReturnURL     *string           `json:"return_url"`
}

type filtersJSON struct {
	Countries []string `json:"countries"`
}

func (s *Sandbox) renderSession(n int, rq *request) *sessionJSON {
	s.mu.Lock()
	ss := s.sessions[n]
	keys := slices.Clone(ss.accounts)
	s.mu.Unlock()
	j := &sessionJSON{
		ID: ss.id, Object: "financial_connections.session", ClientSecret: ss.secret, Livemode: ss.livemode,
		Permissions: ss.permissions, Prefetch: ss.prefetch, ReturnURL: ss.returnURL,
	}
	if j.Prefetch == nil {
		j.Prefetch = []string{}
	}
	if ss.holderType == "customer" {
		j.AccountHolder = accountHolderJSON{Customer: s.customerID(ss.customer), Type: "customer"}
		if slices.Contains(rq.form.strs("expand"), "account_holder.customer") {
			j.AccountHolder.Customer = s.renderCustomer(ss.customer, rq)
		}
	} else {
		j.AccountHolder = accountHolderJSON{Account: ptr(ss.account), Type: "account"}
	}
	if ss.countries != nil {
		j.Filters = &filtersJSON{Countries: ss.countries}
	}
	accts := make([]*accountJSON, 0, len(keys))
	for i := len(keys) - 1; i >= 0; i-- { // newest first
		a := s.account(keys[i])
		a.mu.Lock()
		s.prepare(a, rq.now)
		accts = append(accts, s.render(a, rq, nil))
		a.mu.Unlock()
	}
	j.Accounts = newList(accts, false, "/v1/financial_connections/accounts")
	return j
}

// completeSession links one new account per persona to the session's customer, with the
// session's permissions, and starts the session's prefetch refreshes.
func (s *Sandbox) completeSession(n int, personas []string, rq *request) *apiError {
	s.mu.Lock()
	ss := s.sessions[n]
	if ss.completed {
		s.mu.Unlock()
		return errInvalid("", "This session has already been completed; sessions are single-use.")
	}
	if ss.holderType != "customer" {
		s.mu.Unlock()
		return errInvalid("", "The sandbox can only complete sessions whose account holder is a customer.")
	}
	ss.completed = true
	var keys []uint64
	for _, p := range personas {
		key := linkedBit | uint64(len(s.linked))
		s.linked = append(s.linked, &linkedAccount{persona: p, customer: ss.customer, session: n,
			created: rq.now.Unix(), permissions: ss.permissions})
		ss.accounts = append(ss.accounts, key)
		keys = append(keys, key)
	}
	s.mu.Unlock()
	var feats []string
	for _, p := range ss.prefetch {
		feats = append(feats, prefetchFeature[p])
	}
	for _, k := range keys {
		a := s.account(k)
		a.mu.Lock()
		s.prepare(a, rq.now)
		if a.persona == PersonaDisconnected {
			a.status = "disconnected"
		}
		s.emit(evAccountCreated, s.render(a, rq, nil), rq.now.Unix(), rq, nil)
		if a.status == "active" && len(feats) > 0 {
			_ = s.startRefresh(a, feats, rq.now) // prefetch never fails on a fresh active account
		}
		a.mu.Unlock()
	}
	return nil
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
