// Package sandbox is an in-process, stateful emulator of the Stripe API subset riskd uses
// (Customers, Financial Connections, ACH Direct Debit payments, Events), answering stripe-go v76
// (API 2023-10-16) with the wire shapes Stripe uses.
//
// Data is synthetic and deterministic: the same Seed, Accounts and Start day always produce the
// same customers, accounts, owners and transaction histories. Accounts are generated lazily, on
// first touch, so a sandbox of 100,000 accounts costs nothing until it is read. Object IDs are
// reversible encodings of an index (see ids.go), so no id table is kept either.
//
// Time is the sandbox's own: Start plus the wall clock elapsed since New plus whatever Advance
// added. Work that falls due on sandbox time (refresh resolutions, daily subscription
// refreshes, ACH settlement, late disputes, webhook retries) sits in one scheduler and runs in
// time order at the start of every request, in Advance, and on a real-clock ticker while
// webhook endpoints exist (scheduler.go). Every state change emits an event
// (GET /v1/events), delivered to webhook endpoints with Stripe's signature (webhooks.go).
//
// Every API request goes through one pipeline (serve.go): request id → injected faults → auth
// → rate limit → form parse → due work → idempotency → handler → JSON or error envelope.
// Control endpoints outside the API live under /_sandbox (control.go).
package sandbox

import (
	"cmp"
	"container/list"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
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
	// New) + total Advance. It also stamps webhook signatures (which stripe-go checks against
	// its own clock, within five minutes) and refills the rate-limit buckets.
	Clock func() time.Time
	// RefreshDelay is the sandbox time from an accepted refresh to its resolution; 0 means
	// DefaultRefreshDelay, RefreshImmediate means on the next read.
	RefreshDelay time.Duration
	// RefreshCooldown: after a refresh resolves at R, next_refresh_available_at = R + cooldown.
	// 0 means DefaultRefreshCooldown, NoCooldown means none.
	RefreshCooldown time.Duration
	// Logger receives request logs at debug level; nil discards them.
	Logger *slog.Logger

	// WebhookURL, if set, is registered as a webhook endpoint for every event type, signed with
	// WebhookSecret (a "whsec_..." string; generated when empty). More endpoints can be added
	// with AddWebhookEndpoint or POST /_sandbox/webhook_endpoints.
	WebhookURL    string
	WebhookSecret string
	// WebhookAttempts bounds delivery attempts per event and endpoint; 0 means
	// DefaultWebhookAttempts.
	WebhookAttempts int
	// WebhookRetryBase is the sandbox time before the first retry of a failed delivery,
	// doubling after each failure; 0 means DefaultWebhookRetryBase.
	WebhookRetryBase time.Duration
	// WebhookTimeout bounds each delivery attempt in wall time; 0 means DefaultWebhookTimeout.
	WebhookTimeout time.Duration
	// WebhookDuplicateRate is the fraction (0–1) of delivered events that are sent a second
	// time a little later, as Stripe's at-least-once delivery does.
	WebhookDuplicateRate float64
	// HTTPClient sends webhooks; nil means a plain client with WebhookTimeout.
	HTTPClient *http.Client
	// Tick is how often the background loop, which runs while webhook endpoints exist,
	// processes due work on the wall clock; 0 means DefaultTick.
	Tick time.Duration

	// RateLimit caps API requests per second, reads and writes separately. The zero value
	// means no limit; StripeTestModeRate and StripeLiveModeRate are Stripe's numbers.
	RateLimit RateLimit
	// Faults injects seeded failures into API requests; the zero value injects none.
	Faults Faults

	// SettlementDelay is the sandbox time from confirming an ACH debit to its outcome
	// (succeeded, or failed with a return code); 0 means DefaultSettlementDelay.
	SettlementDelay time.Duration
	// MaxEvents is how many events are kept for GET /v1/events; 0 means DefaultMaxEvents.
	MaxEvents int
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
	ledgers   map[uint64]*list.Element
	ledgerLRU *list.List
	ledgerGen int // ledgers generated into the cache, for tests

	// scheduler (scheduler.go): lock order tickMu → pay.mu → account.mu → leaf locks
	// (mu, schedMu, events.mu, wh.mu, idem.mu).
	tickMu  sync.Mutex
	schedMu sync.Mutex
	jobs    jobHeap
	jobSeq  uint64
	nextDue atomic.Int64 // due time of the earliest job, Unix ns
	tick    time.Duration

	loopMu     sync.Mutex
	stopped    atomic.Bool // Close was called
	loopCancel context.CancelFunc
	loopWG     sync.WaitGroup

	events      eventStore
	wh          *webhooks
	idem        idemStore
	readBucket  *bucket
	writeBucket *bucket
	faults      *injector
	settleDelay time.Duration
	pay         payState

	// inHandler, when set (tests only), runs inside every API request just before its handler.
	inHandler func()
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
	if err := cfg.Faults.validate(); err != nil {
		return nil, fmt.Errorf("sandbox: Config.Faults: %w", err)
	}
	if cfg.RateLimit.Read < 0 || cfg.RateLimit.Write < 0 {
		return nil, fmt.Errorf("sandbox: Config.RateLimit must not be negative, got %v", cfg.RateLimit)
	}
	if cfg.WebhookDuplicateRate < 0 || cfg.WebhookDuplicateRate > 1 {
		return nil, fmt.Errorf("sandbox: Config.WebhookDuplicateRate must be between 0 and 1, got %v", cfg.WebhookDuplicateRate)
	}
	if cfg.WebhookAttempts < 0 || cfg.WebhookRetryBase < 0 || cfg.WebhookTimeout < 0 || cfg.Tick < 0 ||
		cfg.SettlementDelay < 0 || cfg.MaxEvents < 0 {
		return nil, errors.New("sandbox: Config.WebhookAttempts, WebhookRetryBase, WebhookTimeout, Tick, " +
			"SettlementDelay and MaxEvents must not be negative")
	}
	if cfg.WebhookSecret != "" && cfg.WebhookURL == "" {
		return nil, errors.New("sandbox: Config.WebhookSecret is set but Config.WebhookURL is empty")
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

	s.nextDue.Store(math.MaxInt64)
	s.tick = cmp.Or(cfg.Tick, DefaultTick)
	s.events.max = cmp.Or(cfg.MaxEvents, DefaultMaxEvents)
	s.idem.m = map[string]*idemEntry{}
	s.readBucket = newBucket(cfg.RateLimit.Read, s.clock0)
	s.writeBucket = newBucket(cfg.RateLimit.Write, s.clock0)
	s.faults = newInjector(cfg.Faults)
	s.settleDelay = cmp.Or(cfg.SettlementDelay, DefaultSettlementDelay)
	s.pay.init()
	client := cfg.HTTPClient
	if client == nil {
		client = &http.Client{Timeout: cmp.Or(cfg.WebhookTimeout, DefaultWebhookTimeout)}
	}
	s.wh = &webhooks{s: s, log: s.log, client: client, attempts: cmp.Or(cfg.WebhookAttempts, DefaultWebhookAttempts),
		base: cmp.Or(cfg.WebhookRetryBase, DefaultWebhookRetryBase), dupRate: cfg.WebhookDuplicateRate,
		waiting: map[uint64]*delivery{}, wake: make(chan struct{}, 1)}
	if cfg.WebhookURL != "" {
		if _, err := s.AddWebhookEndpoint(cfg.WebhookURL, cfg.WebhookSecret, nil); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Now returns the current sandbox time (whole seconds, UTC).
func (s *Sandbox) Now() time.Time {
	s.mu.Lock()
	adv := s.advanced
	s.mu.Unlock()
	return s.start.Add(s.clock().Sub(s.clock0) + adv).Truncate(time.Second)
}

// Advance moves sandbox time forward by d and, before returning, runs everything that fell
// due on the way, in time order: refresh resolutions, daily subscription refreshes, ACH
// settlements and disputes, webhook retries (their events are recorded, deliveries queued).
// A negative d is ignored: sandbox time never goes back.
func (s *Sandbox) Advance(d time.Duration) {
	if d > 0 {
		s.mu.Lock()
		s.advanced += d
		s.mu.Unlock()
	}
	s.processDue(s.Now())
}

// AccountIDs returns every generated fca_ id, in index order.
func (s *Sandbox) AccountIDs() []string {
	out := make([]string, s.n)
	for i := range out {
		out[i] = s.ids.encode(kindAccount, uint64(i))
	}
	return out
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

// transientBalances returns the balances at time at from the cached ledger if there is one,
// else from a ledger generated up to at and then dropped. The caller holds a.mu.
func (s *Sandbox) transientBalances(a *account, at int64) (current, available int64) {
	if l := s.cachedLedger(a); l != nil {
		return l.balances(at)
	}
	return s.newLedger(a).balances(at)
}

func (s *Sandbox) newLedger(a *account) *ledger {
	p := buildProfile(a.persona, a.holder, a.dataSeed, buildCtx{day0: s.day0, created: a.created})
	return &ledger{opening: p.opening, sim: &sim{p: p, bal: p.opening, seed: a.dataSeed}, nextDay: p.start, extras: &a.extras}
}

// generatedCounts reports how many account states and ledgers exist, for tests.
func (s *Sandbox) generatedCounts() (states, ledgers int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.accts), s.ledgerGen
}
