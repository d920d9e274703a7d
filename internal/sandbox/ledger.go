package sandbox

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"time"
)

const day = int64(86400)

// txn is one bank transaction over its whole life. Its state at a time T is: invisible before
// visible; pending from visible until settle; then posted (or void, if void is set).
// Rows are kept in transacted order; a row's sequence number is its index + 1.
type txn struct {
	amount     int64
	desc       string
	transacted int64
	visible    int64
	settle     int64 // posted_at, or void_at when void
	void       bool
	ext        int32 // for rows the sandbox added (account.extras): index + 1; 0 for generated rows
}

func (t *txn) postedBy(at int64) bool { return !t.void && t.settle <= at }

// ledger is an account's simulated bank history. It is generated day by day, in order, and
// can be extended as sandbox time moves on: each day is drawn from its own seeded generator
// and from the balance the days before left, so the result does not depend on when the
// extension happens.
//
// Rows the sandbox adds at run time (an ACH debit, a dispute credit) live in the account's
// extras, which outlive the cached ledger. They are merged in when their day is generated, or
// inserted at once if their day already was; either way a row lands after every generated row
// transacted at or before it, and its amount moves the simulated balance at the end of its day
// (a void undoes that at the end of the void's day). So a regenerated ledger equals the live
// one, and the ids of rows already served never change: extras are only ever added at the
// current sandbox time, after every row an API response could have shown.
type ledger struct {
	opening int64
	rows    []txn
	sim     *sim
	nextDay int64  // unix midnight of the first day not yet generated
	extras  *[]txn // the account's sandbox-made rows
}

// ensure generates every day up to and including the day containing at.
func (l *ledger) ensure(at int64) {
	for l.nextDay <= at {
		d := l.nextDay
		l.rows = l.sim.runDay(d, l.rows)
		l.nextDay += day
		l.mergeExtras(d)
	}
}

// mergeExtras adds the sandbox-made rows of day d and their effect on the simulated balance.
func (l *ledger) mergeExtras(d int64) {
	if l.extras == nil {
		return
	}
	for i := range *l.extras {
		x := &(*l.extras)[i]
		if x.transacted >= d && x.transacted < d+day {
			l.insert(*x)
			l.sim.bal += x.amount
		}
		if x.void && x.settle >= d && x.settle < d+day {
			l.sim.bal -= x.amount
		}
	}
}

// insert places t after every row transacted at or before it.
func (l *ledger) insert(t txn) {
	i := sort.Search(len(l.rows), func(i int) bool { return l.rows[i].transacted > t.transacted })
	l.rows = slices.Insert(l.rows, i, t)
}

// extraRow returns the ledger row of extra i, if its day is generated.
func (l *ledger) extraRow(i int, transacted int64) *txn {
	j := sort.Search(len(l.rows), func(j int) bool { return l.rows[j].transacted >= transacted })
	for ; j < len(l.rows) && l.rows[j].transacted == transacted; j++ {
		if int(l.rows[j].ext) == i+1 {
			return &l.rows[j]
		}
	}
	return nil
}

// balances returns the current (posted) and available balance at time at.
func (l *ledger) balances(at int64) (current, available int64) {
	l.ensure(at)
	current = l.opening
	var holds int64
	for i := range l.rows {
		t := &l.rows[i]
		if t.visible > at {
			continue
		}
		switch {
		case t.settle <= at:
			if !t.void {
				current += t.amount
			}
		case t.amount < 0:
			holds -= t.amount
		}
	}
	return current, current - holds
}

// flowKind says how the simulator treats a planned flow when money is short.
type flowKind uint8

const (
	flowIncome   flowKind = iota // money in: always happens
	flowBill                     // scheduled ACH debit: may overdraw or be returned unpaid
	flowSpend                    // discretionary card purchase: declined or skipped below the floor
	flowCash                     // ATM or P2P out: skipped below the floor
	flowTransfer                 // own-account transfer
	flowFee                      // bank fee
)

// lagKind says how long a row stays pending.
type lagKind uint8

const (
	lagCard lagKind = iota // 1-3 days
	lagACH                 // posts the next morning
	lagNow                 // posts at once
)

type flow struct {
	at   int64 // seconds into the day
	amt  int64
	desc string
	kind flowKind
	lag  lagKind
	gas  bool // fuel purchase: may show as a pre-authorisation hold first
	tip  bool // restaurant: a voided authorisation may be replaced with the tipped amount
}

// sim carries what one day leaves to the next.
type sim struct {
	p    *profile
	bal  int64 // balance by transacted time, voids excluded
	seed uint64
}

func (s *sim) runDay(d int64, rows []txn) []txn {
	p := s.p
	r := newRNG(s.seed, uint64(d))
	t := time.Unix(d, 0).UTC()
	c := &descCtx{r: r, day: t, city: p.holder.Addr.City, cityUpper: p.cityUpper, state: p.holder.Addr.State,
		card4: p.card4, style: p.cardStyle}
	flows := p.plan(s, d, newCalDay(t), c)
	slices.SortStableFunc(flows, func(a, b flow) int { return cmp.Compare(a.at, b.at) })

	var day []txn
	overdrawn, returned := 0, 0
	for _, f := range flows {
		switch f.kind {
		case flowSpend, flowCash:
			if s.bal+f.amt < p.floor {
				continue
			}
		case flowBill:
			if p.backstop && s.bal+f.amt < p.floor {
				need := roundUp(p.floor-(s.bal+f.amt)+r.cents(100, 400), 10000)
				day = append(day, s.row(r, d, flow{at: f.at - 120, amt: need, desc: c.savingsTransfer(true, p.savings4),
					kind: flowTransfer, lag: lagNow})...)
				s.bal += need
			} else if p.nsf && s.bal < 0 && r.chance(0.45) {
				returned++ // the biller's debit comes back unpaid
				continue
			}
		}
		day = append(day, s.row(r, d, f)...)
		s.bal += f.amt
		if f.amt < 0 && s.bal < 0 && p.nsf {
			overdrawn++
		}
	}
	// The nightly batch charges a fee per overdrawn or returned item, at most a few a day.
	fees := min(overdrawn+returned, p.maxFees)
	if s.bal >= 0 {
		fees = 0 // a deposit later in the day covered it
	}
	for i := 0; i < fees; i++ {
		kind := p.feeStyle
		if i >= overdrawn {
			kind = 2 // returned item
		}
		f := flow{at: 23*3600 + int64(i)*60 + int64(r.intn(50)), amt: -p.nsfFee, desc: feeLine(c, kind, digits(r, 4)),
			kind: flowFee, lag: lagNow}
		day = append(day, s.row(r, d, f)...)
		s.bal += f.amt
	}
	slices.SortStableFunc(day, func(a, b txn) int { return cmp.Compare(a.transacted, b.transacted) })
	return append(rows, day...)
}

// row turns an accepted flow into its ledger rows: usually one, two when a card
// authorisation is voided and replaced by the final amount.
func (s *sim) row(r *rng, d int64, f flow) []txn {
	at := d + f.at
	t := txn{amount: f.amt, desc: f.desc, transacted: at, visible: at}
	switch f.lag {
	case lagNow:
		t.settle = at
	case lagACH:
		t.settle = d + day + int64(r.between(5*3600, 8*3600))
	default:
		lagDays := int64(2)
		switch x := r.intn(10); {
		case x < 2:
			lagDays = 1
		case x >= 7:
			lagDays = 3
		}
		t.settle = d + lagDays*day + int64(r.between(4*3600, 9*3600))
	}
	if f.lag != lagCard || f.amt >= 0 {
		return []txn{t}
	}
	switch {
	case f.gas && r.chance(0.12):
		// Pump pre-authorisation: a $100 (or $1) hold, voided when the real amount arrives.
		hold := t
		hold.amount = -10000
		if r.chance(0.3) {
			hold.amount = -100
		}
		hold.void = true
		hold.settle = at + day + int64(r.between(0, 6*3600))
		final := t
		final.transacted = at + 1
		final.visible = hold.settle
		final.settle = hold.settle + int64(r.intn(2))*day
		return []txn{hold, final}
	case f.tip && r.chance(0.25):
		auth := t
		auth.amount = f.amt * 100 / int64(r.between(115, 122)) // the pre-tip authorisation
		auth.void = true
		auth.settle = at + int64(r.between(20, 40))*3600
		final := t
		final.transacted = at + 1
		final.visible = auth.settle
		final.settle = auth.settle + int64(r.intn(2))*day
		return []txn{auth, final}
	case r.chance(0.015):
		// An authorisation that simply falls off (cancelled order, duplicate hold).
		t.void = true
		t.settle = at + int64(r.between(24, 72))*3600
		s.bal -= f.amt // not spent after all: undo what the caller is about to add
	}
	return []txn{t}
}

func roundUp(v, unit int64) int64 {
	if v <= 0 {
		return unit
	}
	return (v + unit - 1) / unit * unit
}

// pendingForever is the settle time of a sandbox-made row whose outcome is not decided yet.
const pendingForever = math.MaxInt64

// addExtra appends a sandbox-made row, transacted now, to the account's bank history and
// returns its index in a.extras. The caller holds a.mu.
func (s *Sandbox) addExtra(a *account, t txn) int {
	t.ext = int32(len(a.extras) + 1)
	a.extras = append(a.extras, t)
	if l := s.cachedLedger(a); l != nil && t.transacted < l.nextDay {
		l.insert(t)
		l.sim.bal += t.amount
	}
	return len(a.extras) - 1
}

// finishExtra settles extra row i at time at: posted, or void. The caller holds a.mu.
func (s *Sandbox) finishExtra(a *account, i int, at int64, void bool) {
	x := &a.extras[i]
	x.settle, x.void = at, void
	l := s.cachedLedger(a)
	if l == nil {
		return
	}
	if r := l.extraRow(i, x.transacted); r != nil {
		r.settle, r.void = at, void
	}
	if void && at < l.nextDay {
		l.sim.bal -= x.amount
	}
}

// cachedLedger returns the account's ledger if it is in the cache, without generating it.
func (s *Sandbox) cachedLedger(a *account) *ledger {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.ledgers[a.key]; ok {
		return e.Value.(*ledgerEntry).l
	}
	return nil
}
