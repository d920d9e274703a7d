package sandbox

import (
	"fmt"
	"slices"
)

var accountExpand = []string{"ownership", "account_holder.customer"}

// accountKey resolves an fca_ id to an existing account's key.
func (s *Sandbox) accountKey(id string) (uint64, bool) {
	k, ok := s.ids.decode(kindAccount, id)
	return k, ok && s.accountExists(k)
}

// lockAccount returns the account named id, locked and brought up to the request's time.
// The caller must unlock a.mu.
func (s *Sandbox) lockAccount(rq *request, id, param string) (*account, *apiError) {
	key, ok := s.accountKey(id)
	if !ok {
		return nil, errNoSuch("financial connections account", id, param)
	}
	a := s.account(key)
	a.mu.Lock()
	s.prepare(a, rq.now)
	return a, nil
}

// accountCall serves a call on the account named by the path: it checks expand, locks the
// account (param names the id in errors), runs act on it unless act is nil, and renders it.
func (s *Sandbox) accountCall(rq *request, param string, act func(a *account) *apiError) (any, *apiError) {
	exp, err := expandList(rq.form, accountExpand, false)
	if err != nil {
		return nil, err
	}
	a, err := s.lockAccount(rq, rq.args[0], param)
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	if act != nil {
		if err := act(a); err != nil {
			return nil, err
		}
	}
	return s.render(a, rq, exp), nil
}

func getAccount(s *Sandbox, rq *request) (any, *apiError) {
	return s.accountCall(rq, "id", nil)
}

// features reads features[] and checks each value against allowed.
func features(f *form, allowed []string) ([]string, *apiError) {
	vals := f.strs("features")
	if len(vals) == 0 {
		return nil, errMissing("features")
	}
	var out []string
	for i, v := range vals {
		if !slices.Contains(allowed, v) {
			return nil, errInvalidEnum(fmt.Sprintf("features[%d]", i), allowed)
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, nil
}

func refreshAccount(s *Sandbox, rq *request) (any, *apiError) {
	feats, err := features(rq.form, refreshFeatures)
	if err != nil {
		return nil, err
	}
	return s.accountCall(rq, "account", func(a *account) *apiError { return s.startRefresh(a, feats, rq.now) })
}

func subscribeAccount(s *Sandbox, rq *request) (any, *apiError) {
	return s.subscription(rq, true)
}

func unsubscribeAccount(s *Sandbox, rq *request) (any, *apiError) {
	return s.subscription(rq, false)
}

// subscription turns the daily transaction refresh subscription on or off. Stripe starts the
// first scheduled refresh a day after subscribing.
func (s *Sandbox) subscription(rq *request, on bool) (any, *apiError) {
	if _, err := features(rq.form, []string{featTransactions}); err != nil {
		return nil, err
	}
	return s.accountCall(rq, "account", func(a *account) *apiError {
		if on && !a.subscribed {
			if !slices.Contains(a.permissions, "transactions") {
				return errInvalid("features", "You must have the `transactions` permission on account %s to subscribe "+
					"to transaction refreshes.", a.id)
			}
			if a.status != "active" {
				return invalidRequest(400, codeAccountInactive, "",
					"The account %s is %s, so it cannot be subscribed to refreshes.", a.id, a.status)
			}
			a.subscribed, a.nextTick = true, rq.now.Add(subsInterval)
			s.arm(a)
		} else if !on {
			a.subscribed = false
		}
		return nil
	})
}

func disconnectAccount(s *Sandbox, rq *request) (any, *apiError) {
	return s.accountCall(rq, "account", func(a *account) *apiError {
		if a.status != "disconnected" {
			prev := a.status
			a.status, a.subscribed = "disconnected", false
			s.emit(evAccountDisconnected, s.render(a, rq, nil), rq.now.Unix(), rq, map[string]any{"status": prev})
		}
		return nil
	})
}

func listOwners(s *Sandbox, rq *request) (any, *apiError) {
	lp, _, err := parseListParams(rq.form, nil)
	if err != nil {
		return nil, err
	}
	own, _ := rq.form.str("ownership")
	if own == "" {
		return nil, errMissing("ownership")
	}
	a, err := s.lockAccount(rq, rq.args[0], "account")
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	acct, k, ok := s.decodeOwnership(own)
	if !ok || acct != a.key || k < 1 || k > len(a.snaps) {
		return nil, errNoSuch("financial connections account ownership", own, "ownership")
	}
	owners := s.owners(a, k)
	step := func(pos int64, fwd bool) (ownerJSON, int64, bool) {
		p := pos + 1
		if !fwd {
			p = pos - 1
		}
		if pos == int64(-1<<63) {
			p = 0
		}
		if p < 0 || p >= int64(len(owners)) {
			return ownerJSON{}, 0, false
		}
		return owners[p], p, true
	}
	cursor := func(id, param string) (int64, *apiError) {
		for j, o := range owners {
			if o.ID == id {
				return int64(j), nil
			}
		}
		return 0, errNoSuch("financial connections account owner", id, param)
	}
	page, more, err := paginate(lp, cursor, step)
	if err != nil {
		return nil, err
	}
	return newList(page, more, fmt.Sprintf("/v1/financial_connections/accounts/%s/owners", a.id)), nil
}

func listAccounts(s *Sandbox, rq *request) (any, *apiError) {
	f := rq.form
	lp, exp, err := parseListParams(f, accountExpand)
	if err != nil {
		return nil, err
	}
	const url = "/v1/financial_connections/accounts"
	holder := f.node("account_holder")
	custID, hasCust := f.str("account_holder", "customer")
	acctID, hasAcct := f.str("account_holder", "account")
	if holder != nil {
		for _, k := range holder.kids {
			if k.seg != "customer" && k.seg != "account" {
				return nil, errUnknownParam(paramName("account_holder", k.seg))
			}
		}
	}
	if hasCust && hasAcct {
		return nil, invalidRequest(400, codeParametersExclusive, "account_holder",
			"You may only specify one of these parameters: account_holder[account], account_holder[customer].")
	}
	sessID, hasSess := f.str("session")
	var custKey uint64
	if hasCust {
		k, ok := s.customerKey(custID)
		if !ok {
			return nil, errNoSuch("customer", custID, "account_holder[customer]")
		}
		custKey = k
	}
	sessIdx := -1
	if hasSess {
		n, ok := s.sessionIndex(sessID)
		if !ok {
			return nil, errNoSuch("financial connections session", sessID, "session")
		}
		sessIdx = n
	}
	if hasAcct && acctID != "" {
		return newList([]*accountJSON{}, false, url), nil // no Connect accounts here
	}
	s.mu.Lock()
	linked := slices.Clone(s.linked)
	s.mu.Unlock()
	nl := int64(len(linked))
	linkedOK := func(n int64) bool {
		la := linked[n]
		return (!hasCust || la.customer == custKey) && (!hasSess || la.session == sessIdx)
	}
	// Generated accounts: all of them, or just the customer's own when filtering by customer.
	genLo, genHi := uint64(0), uint64(s.n)
	switch {
	case hasSess:
		genLo, genHi = 0, 0
	case hasCust && custKey < uint64(s.n):
		genLo, genHi = custKey, custKey+1
	case hasCust:
		genLo, genHi = 0, 0
	}
	// Positions: run-time linked accounts newest first (0..nl-1), then generated index i at nl+i.
	step := func(pos int64, fwd bool) (uint64, int64, bool) {
		pos = max(pos, -1)
		if fwd {
			for p := pos + 1; p < nl; p++ {
				if n := nl - 1 - p; linkedOK(n) {
					return linkedBit | uint64(n), p, true
				}
			}
			from := max(uint64(max(pos+1-nl, 0)), genLo)
			if from < genHi {
				return from, nl + int64(from), true
			}
			return 0, 0, false
		}
		if pos > nl {
			if to := min(uint64(pos-nl), genHi); to > genLo {
				return to - 1, nl + int64(to-1), true
			}
		}
		for p := min(pos-1, nl-1); p >= 0; p-- {
			if n := nl - 1 - p; linkedOK(n) {
				return linkedBit | uint64(n), p, true
			}
		}
		return 0, 0, false
	}
	keys, more, err := paginate(lp, s.mixedCursor(kindAccount, "financial connections account", nl), step)
	if err != nil {
		return nil, err
	}
	out := make([]*accountJSON, len(keys))
	for i, k := range keys {
		a := s.account(k)
		a.mu.Lock()
		s.prepare(a, rq.now)
		out[i] = s.render(a, rq, exp)
		a.mu.Unlock()
	}
	return newList(out, more, url), nil
}
