package sandbox

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// linkedAccount is an account linked at run time through a session's completion hook.
type linkedAccount struct {
	persona     string
	customer    uint64 // customer key
	session     int    // index into Sandbox.sessions
	created     int64
	permissions []string
}

// account is the mutable state of one FC account, created on first touch. Everything else
// about it is derived from its key and the seed.
type account struct {
	mu sync.Mutex

	key, customer uint64
	id            string
	persona       string
	holder        identity
	created       int64
	institution   string
	display       string
	last4         string
	permissions   []string
	dataSeed      uint64
	ready         bool // history initialised (disconnected persona)

	status     string
	subscribed bool
	nextTick   time.Time
	armed      int64 // due time (Unix ns) of the earliest scheduler job waiting for this account; 0 if none
	extras     []txn // rows the sandbox added to the bank history (ACH debits, returns), in transacted order

	bal, own, txn refreshState
	balCur        int64
	balAvail      int64
	balAsOf       int64
	hasBal        bool
	snaps         []int64 // resolution times of successful ownership refreshes; snapshot k = snaps[k-1]
	txnN          int     // transaction refresh attempts so far; the current one is txnN
	txnOK         []refreshMark
}

// refreshState is one feature's refresh state; status "" means never refreshed.
type refreshState struct {
	status    string
	attempted time.Time
	next      int64 // next_refresh_available_at, unix; meaningful once resolved
}

// refreshMark is a successful transaction refresh: attempt number and resolution time.
type refreshMark struct {
	n  int
	at int64
}

const (
	featBalance      = "balance"
	featOwnership    = "ownership"
	featTransactions = "transactions"
)

var refreshFeatures = []string{featBalance, featOwnership, featTransactions}

// featurePermission maps a refresh feature to the permission it needs.
var featurePermission = map[string]string{
	featBalance: "balances", featOwnership: "ownership", featTransactions: "transactions",
}

type institution struct {
	name    string
	display []string
}

var institutions = []institution{
	{"Chase", []string{"TOTAL CHECKING", "Chase Total Checking", "CHASE SECURE BANKING"}},
	{"Bank of America", []string{"Adv Plus Banking", "BofA Core Checking"}},
	{"Wells Fargo", []string{"Everyday Checking", "Clear Access Banking"}},
	{"Citibank", []string{"Citi Simple Checking", "Regular Checking"}},
	{"Capital One", []string{"360 Checking"}},
	{"U.S. Bank", []string{"Easy Checking", "Smartly Checking"}},
	{"PNC Bank", []string{"Virtual Wallet Spend"}},
	{"TD Bank", []string{"TD Convenience Checking"}},
	{"Truist", []string{"Truist One Checking"}},
	{"Navy Federal Credit Union", []string{"Free Active Duty Checking", "Everyday Checking"}},
	{"Chime", []string{"Checking Account"}},
	{"Regions Bank", []string{"LifeGreen Checking"}},
	{"Fifth Third Bank", []string{"Momentum Checking"}},
	{"Ally Bank", []string{"Spending Account"}},
	{"Varo Bank", []string{"Varo Bank Account"}},
	{"Huntington Bank", []string{"Asterisk-Free Checking"}},
}

// accountExists reports whether key names a generated or linked account.
func (s *Sandbox) accountExists(key uint64) bool {
	if key < uint64(s.n) {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return key&linkedBit != 0 && key&^linkedBit < uint64(len(s.linked))
}

// account returns the account for key, creating its state on first touch, or nil if no such
// account exists. The caller must lock a.mu and call prepare before reading it.
func (s *Sandbox) account(key uint64) *account {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.accts[key]; ok {
		return a
	}
	a := &account{key: key, id: s.ids.encode(kindAccount, key), dataSeed: mixAll(s.seed, key, 0xda7a)}
	switch {
	case key < uint64(s.n):
		a.persona = s.personaOf(key)
		a.customer = key
		a.holder = s.genIdentity(key)
		a.created = s.genCustomerCreated(key) + s.acctLag
		a.permissions = personaPermissions(a.persona)
	case key&linkedBit != 0 && key&^linkedBit < uint64(len(s.linked)):
		la := s.linked[key&^linkedBit]
		a.persona = la.persona
		a.customer = la.customer
		a.holder = s.identityOfLocked(la.customer)
		a.created = la.created
		a.permissions = la.permissions
	default:
		return nil
	}
	r := newRNG(a.dataSeed, 0x1a5)
	inst := pick(r, institutions)
	a.institution, a.display, a.last4 = inst.name, pick(r, inst.display), digits(r, 4)
	if a.persona == PersonaBusinessOwned {
		a.display = pick(r, []string{"Business Complete Checking", "Business Advantage Fundamentals", "Business Checking"})
	}
	a.status = "active"
	s.accts[key] = a
	return a
}

// prepare brings a locked account up to now: initial history, then any refresh that fell due.
func (s *Sandbox) prepare(a *account, now time.Time) {
	if !a.ready {
		a.ready = true
		if a.persona == PersonaDisconnected && a.key < uint64(s.n) {
			s.initDisconnected(a)
		}
	}
	s.settle(a, now)
}

// initDisconnected gives a disconnected-persona account the refreshes it had before the user
// revoked access: data stays readable, new refreshes are refused.
func (s *Sandbox) initDisconnected(a *account) {
	r := newRNG(a.dataSeed, 0xd15c)
	span := s.start.Unix() - a.created
	at := a.created + span*int64(r.between(30, 80))/100
	t := time.Unix(at, 0).UTC()
	attempted := t.Add(-s.delay)
	for _, f := range refreshFeatures {
		if slices.Contains(a.permissions, featurePermission[f]) {
			st := a.state(f)
			if f == featTransactions {
				a.txnN++
			}
			st.status, st.attempted = "pending", attempted
			s.resolve(a, f, t, true)
		}
	}
	a.status = "disconnected"
}

func (a *account) state(feature string) *refreshState {
	switch feature {
	case featBalance:
		return &a.bal
	case featOwnership:
		return &a.own
	}
	return &a.txn
}

// settle resolves, in time order, every refresh and subscription tick due by now, then
// schedules the account's next due moment.
func (s *Sandbox) settle(a *account, now time.Time) {
	defer s.arm(a)
	for {
		var best time.Time
		which := ""
		for _, f := range refreshFeatures {
			st := a.state(f)
			if st.status != "pending" {
				continue
			}
			if due := st.attempted.Add(s.delay); !due.After(now) && (which == "" || due.Before(best)) {
				best, which = due, f
			}
		}
		if a.subscribed && !a.nextTick.After(now) && (which == "" || a.nextTick.Before(best)) {
			tick := a.nextTick
			a.nextTick = tick.Add(subsInterval)
			if a.txn.status != "pending" && a.status == "active" {
				a.txnN++
				a.txn.status, a.txn.attempted = "pending", tick
			}
			continue
		}
		if which == "" {
			return
		}
		s.resolve(a, which, best, false)
	}
}

// clockRequest stands in for a request when the sandbox's clock, not an API call, renders an
// object (event snapshots).
var clockRequest = &request{form: &form{}}

// resolve ends a pending refresh at time at: succeeded while the account is active, failed
// otherwise. Success makes the data as of at visible. Unless quiet (history generated for a
// pre-existing account), it emits financial_connections.account.refreshed_<feature>, which
// fires on failure too.
func (s *Sandbox) resolve(a *account, feature string, at time.Time, quiet bool) {
	st := a.state(feature)
	u := at.Unix()
	st.next = u + int64(s.cooldown/time.Second)
	if a.status != "active" {
		st.status = "failed"
	} else {
		st.status = "succeeded"
		switch feature {
		case featBalance:
			if quiet {
				// Pre-existing history (a disconnected persona's last refresh): the balance
				// then is all the account object needs, so the history that produced it is
				// generated for the moment, not cached.
				a.balCur, a.balAvail = s.transientBalances(a, u)
			} else {
				a.balCur, a.balAvail = s.ledgerFor(a).balances(u)
			}
			a.balAsOf, a.hasBal = u, true
		case featOwnership:
			a.snaps = append(a.snaps, u)
		case featTransactions:
			a.txnOK = append(a.txnOK, refreshMark{a.txnN, u})
		}
	}
	if !quiet {
		s.emit(evAccountRefreshedPrefx+feature, s.render(a, clockRequest, nil), u, nil, nil)
	}
}

// startRefresh validates and starts refreshes of the features; all or nothing.
func (s *Sandbox) startRefresh(a *account, features []string, now time.Time) *apiError {
	for _, f := range features {
		if !slices.Contains(a.permissions, featurePermission[f]) {
			return errInvalid("features", "You must have the `%s` permission on account %s to refresh its %s. "+
				"The account has these permissions: %s.", featurePermission[f], a.id, f, oneOf(a.permissions))
		}
	}
	if a.status != "active" {
		return invalidRequest(400, codeAccountInactive, "",
			"The account %s is %s, so its data can no longer be refreshed.", a.id, a.status)
	}
	for _, f := range features {
		st := a.state(f)
		switch {
		case st.status == "pending":
			return invalidRequest(400, codeRefreshTooSoon, "features",
				"A %s refresh is already in progress for account %s.", f, a.id)
		case st.status != "" && now.Unix() < st.next:
			return invalidRequest(400, codeRefreshTooSoon, "features",
				"The %s of account %s cannot be refreshed again until %d (next_refresh_available_at).", f, a.id, st.next)
		}
	}
	for _, f := range features {
		st := a.state(f)
		if f == featTransactions {
			a.txnN++
		}
		st.status, st.attempted = "pending", now
	}
	s.arm(a)
	return nil
}

// --- rendering ---

type accountHolderJSON struct {
	Account  *string `json:"account,omitempty"`
	Customer any     `json:"customer,omitempty"`
	Type     string  `json:"type"`
}

type balanceJSON struct {
	AsOf    int64            `json:"as_of"`
	Cash    *cashJSON        `json:"cash"`
	Credit  *struct{}        `json:"credit"`
	Current map[string]int64 `json:"current"`
	Type    string           `json:"type"`
}

type cashJSON struct {
	Available map[string]int64 `json:"available"`
}

type refreshJSON struct {
	LastAttemptedAt        int64  `json:"last_attempted_at"`
	NextRefreshAvailableAt *int64 `json:"next_refresh_available_at"`
	Status                 string `json:"status"`
}

type ownershipRefreshJSON struct {
	LastAttemptedAt int64  `json:"last_attempted_at"`
	Status          string `json:"status"`
}

type txnRefreshJSON struct {
	ID                     string `json:"id"`
	LastAttemptedAt        int64  `json:"last_attempted_at"`
	NextRefreshAvailableAt *int64 `json:"next_refresh_available_at"`
	Status                 string `json:"status"`
}

type accountJSON struct {
	ID                          string                `json:"id"`
	Object                      string                `json:"object"`
	AccountHolder               accountHolderJSON     `json:"account_holder"`
	Balance                     *balanceJSON          `json:"balance"`
	BalanceRefresh              *refreshJSON          `json:"balance_refresh"`
	Category                    string                `json:"category"`
	Created                     int64                 `json:"created"`
	DisplayName                 string                `json:"display_name"`
	InstitutionName             string                `json:"institution_name"`
	Last4                       string                `json:"last4"`
	Livemode                    bool                  `json:"livemode"`
	Ownership                   any                   `json:"ownership"`
	OwnershipRefresh            *ownershipRefreshJSON `json:"ownership_refresh"`
	Permissions                 []string              `json:"permissions"`
	Status                      string                `json:"status"`
	Subcategory                 string                `json:"subcategory"`
	Subscriptions               []string              `json:"subscriptions"`
	SupportedPaymentMethodTypes []string              `json:"supported_payment_method_types"`
	TransactionRefresh          *txnRefreshJSON       `json:"transaction_refresh"`
}

func nextPtr(st *refreshState) *int64 {
	if st.status == "pending" {
		return nil
	}
	v := st.next
	return &v
}

// render returns the account as the API shows it. expand may hold "ownership" and
// "account_holder.customer". The caller holds a.mu and has prepared the account.
func (s *Sandbox) render(a *account, rq *request, expand []string) *accountJSON {
	j := &accountJSON{
		ID:                          a.id,
		Object:                      "financial_connections.account",
		Category:                    "cash",
		Created:                     a.created,
		DisplayName:                 a.display,
		InstitutionName:             a.institution,
		Last4:                       a.last4,
		Livemode:                    rq.livemode,
		Permissions:                 a.permissions,
		Status:                      a.status,
		Subcategory:                 "checking",
		Subscriptions:               []string{},
		SupportedPaymentMethodTypes: []string{"us_bank_account"},
	}
	custID := s.customerID(a.customer)
	j.AccountHolder = accountHolderJSON{Customer: custID, Type: "customer"}
	if slices.Contains(expand, "account_holder.customer") {
		j.AccountHolder.Customer = s.renderCustomer(a.customer, rq)
	}
	if a.subscribed {
		j.Subscriptions = []string{featTransactions}
	}
	if a.hasBal {
		j.Balance = &balanceJSON{AsOf: a.balAsOf, Cash: &cashJSON{Available: map[string]int64{"usd": a.balAvail}},
			Current: map[string]int64{"usd": a.balCur}, Type: "cash"}
	}
	if a.bal.status != "" {
		j.BalanceRefresh = &refreshJSON{LastAttemptedAt: a.bal.attempted.Unix(), NextRefreshAvailableAt: nextPtr(&a.bal),
			Status: a.bal.status}
	}
	if a.own.status != "" {
		j.OwnershipRefresh = &ownershipRefreshJSON{LastAttemptedAt: a.own.attempted.Unix(), Status: a.own.status}
	}
	if k := len(a.snaps); k > 0 {
		if slices.Contains(expand, "ownership") {
			j.Ownership = s.renderOwnership(a, k, rq)
		} else {
			j.Ownership = s.ownershipID(a.key, k)
		}
	}
	if a.txn.status != "" {
		j.TransactionRefresh = &txnRefreshJSON{ID: s.ids.refreshID(a.key, a.txnN), LastAttemptedAt: a.txn.attempted.Unix(),
			NextRefreshAvailableAt: nextPtr(&a.txn), Status: a.txn.status}
	}
	return j
}

func (s *Sandbox) ownershipID(acct uint64, k int) string {
	return s.ids.encode(kindOwnership, acct<<seqBits|uint64(k))
}

// decodeOwnership returns the account key and snapshot number behind an fcaowns_ id.
func (s *Sandbox) decodeOwnership(id string) (uint64, int, bool) {
	v, ok := s.ids.decode(kindOwnership, id)
	if !ok {
		return 0, 0, false
	}
	return v >> seqBits, int(v & seqMask), true
}

type ownerJSON struct {
	Email       *string `json:"email"`
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Object      string  `json:"object"`
	Ownership   string  `json:"ownership"`
	Phone       *string `json:"phone"`
	RawAddress  *string `json:"raw_address"`
	RefreshedAt *int64  `json:"refreshed_at"`
}

type ownershipJSON struct {
	Created int64     `json:"created"`
	ID      string    `json:"id"`
	Object  string    `json:"object"`
	Owners  *listJSON `json:"owners"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// owners returns the owners of snapshot k (1-based) of the account.
func (s *Sandbox) owners(a *account, k int) []ownerJSON {
	snap := s.ownershipID(a.key, k)
	at := a.snaps[k-1]
	recs := ownersFor(a.persona, a.holder, a.dataSeed)
	out := make([]ownerJSON, len(recs))
	for j, o := range recs {
		out[j] = ownerJSON{
			Email:       nullable(o.Email),
			ID:          s.ids.encode(kindOwner, a.key<<seqBits|uint64(k)<<2|uint64(j)),
			Name:        o.Name,
			Object:      "financial_connections.account_owner",
			Ownership:   snap,
			Phone:       nullable(o.Phone),
			RawAddress:  nullable(o.RawAddress),
			RefreshedAt: &at,
		}
	}
	return out
}

func (s *Sandbox) renderOwnership(a *account, k int, rq *request) *ownershipJSON {
	id := s.ownershipID(a.key, k)
	return &ownershipJSON{
		Created: a.snaps[k-1],
		ID:      id,
		Object:  "financial_connections.account_ownership",
		Owners: newList(s.owners(a, k), false,
			fmt.Sprintf("/v1/financial_connections/accounts/%s/owners?ownership=%s", a.id, id)),
	}
}
