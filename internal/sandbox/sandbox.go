// Package sandbox is an in-process, stateful emulator of the Stripe API subset riskd uses
// (Customers and Financial Connections), answering stripe-go v76 (API 2023-10-16) with the wire
// shapes Stripe uses.
//
// Data is synthetic and deterministic: the same Seed, Accounts and Start day always produce the
// same customers, accounts, owners and transaction histories. Accounts are generated lazily, on
// first touch, so a sandbox of 100,000 accounts costs nothing until it is read. Object IDs are
// reversible encodings of an index (see ids.go), so no id table is kept either.
//
// Time is the sandbox's own: Start plus the wall clock elapsed since New plus whatever Advance
// added. Refreshes resolve lazily against it: a refresh accepted at T becomes visible to any
// read at or after T + RefreshDelay.
//
// Every request goes through one pipeline (serve.go): request id → auth → form parse → route →
// handler → JSON or error envelope.
package sandbox

import (
	"container/list"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Defaults for Config's zero values.
const (
	DefaultAccounts        = 32
	DefaultRefreshDelay    = time.Second
	DefaultRefreshCooldown = 5 * time.Minute
	// RefreshImmediate as Config.RefreshDelay resolves a refresh on the next read.
	RefreshImmediate = time.Duration(-1)
	// NoCooldown as Config.RefreshCooldown makes a refresh available again as soon as the last
	// one resolved.
	NoCooldown = time.Duration(-1)

	maxAccounts  = int(linkedBit) - 1
	ledgerCache  = 256 // ledgers kept in memory; the rest are regenerated on demand
	subsInterval = 24 * time.Hour
)

// Config configures a Sandbox. The zero value is usable.
type Config struct {
	// Seed drives all generated data. Same Seed + Accounts + Start day => identical data.
	Seed int64
	// Accounts is the number of linked FC accounts to generate; 0 means DefaultAccounts.
	Accounts int
	// Start is the sandbox's "now" at creation; zero means time.Now(). Generated data is
	// anchored to Start's UTC day.
	Start time.Time
	// Clock is the wall clock (default time.Now). Sandbox time = Start + (Clock() − Clock() at
	// New) + total Advance.
	Clock func() time.Time
	// RefreshDelay is the sandbox time from an accepted refresh to its resolution; 0 means
	// DefaultRefreshDelay, RefreshImmediate means on the next read.
	RefreshDelay time.Duration
	// RefreshCooldown: after a refresh resolves at R, next_refresh_available_at = R + cooldown.
	// 0 means DefaultRefreshCooldown, NoCooldown means none.
	RefreshCooldown time.Duration
	// Logger receives request logs at debug level; nil discards them.
	Logger *slog.Logger
}

// Sandbox is the emulator. It is an http.Handler and safe for concurrent use.
type Sandbox struct {
	log      *slog.Logger
	ids      idCodec
	seed     uint64
	n        int // generated accounts
	start    time.Time
	day0     int64
	clock    func() time.Time
	clock0   time.Time
	delay    time.Duration
	cooldown time.Duration
	gap      int64 // seconds between generated customers' created times
	acctLag  int64 // seconds from a generated customer's creation to its account's

	mu        sync.Mutex
	advanced  time.Duration
	accts     map[uint64]*account
	linked    []*linkedAccount
	customers []*customerRec
	sessions  []*session
	emailIdx  map[string][]uint64
	reqSeq    uint64
	events    []event
	ledgers   map[uint64]*list.Element
	ledgerLRU *list.List
	ledgerGen int // ledgers generated, for tests
}

// event is an entry of the sandbox's event log (webhooks are built on it in a later slice).
type event struct {
	Type    string
	Object  string // object id
	Created int64
}

// New validates cfg and returns a sandbox. No account data is generated here.
func New(cfg Config) (*Sandbox, error) {
	if cfg.Accounts < 0 {
		return nil, fmt.Errorf("sandbox: Config.Accounts must not be negative, got %d", cfg.Accounts)
	}
	if cfg.Accounts > maxAccounts {
		return nil, fmt.Errorf("sandbox: Config.Accounts must be at most %d, got %d", maxAccounts, cfg.Accounts)
	}
	if cfg.RefreshDelay < 0 && cfg.RefreshDelay != RefreshImmediate {
		return nil, errors.New("sandbox: Config.RefreshDelay must be positive, 0 (default) or RefreshImmediate")
	}
	if cfg.RefreshCooldown < 0 && cfg.RefreshCooldown != NoCooldown {
		return nil, errors.New("sandbox: Config.RefreshCooldown must be positive, 0 (default) or NoCooldown")
	}
	s := &Sandbox{
		log:       cfg.Logger,
		seed:      uint64(cfg.Seed),
		n:         cfg.Accounts,
		clock:     cfg.Clock,
		delay:     cfg.RefreshDelay,
		cooldown:  cfg.RefreshCooldown,
		accts:     map[uint64]*account{},
		ledgers:   map[uint64]*list.Element{},
		ledgerLRU: list.New(),
	}
	if s.n == 0 {
		s.n = DefaultAccounts
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.clock == nil {
		s.clock = time.Now
	}
	switch s.delay {
	case 0:
		s.delay = DefaultRefreshDelay
	case RefreshImmediate:
		s.delay = 0
	}
	switch s.cooldown {
	case 0:
		s.cooldown = DefaultRefreshCooldown
	case NoCooldown:
		s.cooldown = 0
	}
	s.ids = idCodec{seed: mixAll(s.seed, 0x1d5)}
	s.clock0 = s.clock()
	s.start = cfg.Start
	if s.start.IsZero() {
		s.start = s.clock0
	}
	s.start = s.start.UTC().Truncate(time.Second)
	s.day0 = s.start.Truncate(24 * time.Hour).Unix()
	s.gap = max(2, 20*day/int64(s.n))
	s.acctLag = min(max(1, s.gap/3), 1200)
	return s, nil
}

// Now returns the current sandbox time (whole seconds, UTC).
func (s *Sandbox) Now() time.Time {
	s.mu.Lock()
	adv := s.advanced
	s.mu.Unlock()
	return s.start.Add(s.clock().Sub(s.clock0) + adv).Truncate(time.Second)
}

// Advance moves sandbox time forward by d; refreshes that fall due resolve on the next read.
// A negative d is ignored: sandbox time never goes back.
func (s *Sandbox) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	s.mu.Lock()
	s.advanced += d
	s.mu.Unlock()
}

// AccountIDs returns every generated fca_ id, in index order.
func (s *Sandbox) AccountIDs() []string {
	out := make([]string, s.n)
	for i := range out {
		out[i] = s.ids.encode(kindAccount, uint64(i))
	}
	return out
}

func (s *Sandbox) logEvent(typ, obj string, at int64) {
	s.mu.Lock()
	s.events = append(s.events, event{typ, obj, at})
	s.mu.Unlock()
}

// --- generated identities and times ---

func (s *Sandbox) personaOf(i uint64) string { return Personas[i%uint64(len(Personas))] }

func (s *Sandbox) genIdentity(i uint64) identity {
	return newIdentity(newRNG(s.seed, 0x1de7, i))
}

// genCustomerCreated is strictly decreasing in i, so index order is newest-first order.
func (s *Sandbox) genCustomerCreated(i uint64) int64 {
	top := s.day0 - 3600
	jitter := int64(mixAll(s.seed, 0xc7ea, i) % uint64(s.gap/2))
	return top - int64(i)*s.gap - jitter
}

// genIndexCreatedBefore returns the first index whose created time is < t (or <= t when incl).
func (s *Sandbox) genIndexCreatedBefore(t int64, incl bool) uint64 {
	lo, hi := uint64(0), uint64(s.n)
	for lo < hi {
		m := (lo + hi) / 2
		c := s.genCustomerCreated(m)
		if c < t || (incl && c == t) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// --- ledger cache ---

type ledgerEntry struct {
	key uint64
	l   *ledger
}

// ledgerFor returns the account's ledger, generating it if it is not cached. The caller holds
// a.mu, which is the only way to reach this account's ledger, so the ledger itself needs no lock.
func (s *Sandbox) ledgerFor(a *account) *ledger {
	s.mu.Lock()
	if e, ok := s.ledgers[a.key]; ok {
		s.ledgerLRU.MoveToFront(e)
		s.mu.Unlock()
		return e.Value.(*ledgerEntry).l
	}
	s.mu.Unlock()
	l := s.newLedger(a)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ledgerGen++
	s.ledgers[a.key] = s.ledgerLRU.PushFront(&ledgerEntry{a.key, l})
	for s.ledgerLRU.Len() > ledgerCache {
		old := s.ledgerLRU.Back()
		s.ledgerLRU.Remove(old)
		delete(s.ledgers, old.Value.(*ledgerEntry).key)
	}
	return l
}

func (s *Sandbox) newLedger(a *account) *ledger {
	p := buildProfile(a.persona, a.holder, a.dataSeed, buildCtx{day0: s.day0, created: a.created})
	return &ledger{opening: p.opening, sim: &sim{p: p, bal: p.opening, seed: a.dataSeed}, nextDay: p.start}
}

// generatedCounts reports how many account states and ledgers exist, for tests.
func (s *Sandbox) generatedCounts() (states, ledgers int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.accts), s.ledgerGen
}
