package sandbox

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Persona names, in assignment order: generated account i gets personas[i % len(personas)], so
// any portfolio of 16 or more accounts holds each of them.
const (
	PersonaSalariedBiweekly     = "salaried_biweekly"
	PersonaSalariedSemimonthly  = "salaried_semimonthly"
	PersonaSalariedWeekly       = "salaried_weekly"
	PersonaBenefits             = "benefits"
	PersonaGig                  = "gig"
	PersonaSavingsNoIncome      = "savings_no_income"
	PersonaOverdraftNSF         = "overdraft_nsf"
	PersonaJobLoss              = "job_loss"
	PersonaLoanStacker          = "loan_stacker"
	PersonaOwnerMismatch        = "owner_mismatch"
	PersonaJointAccount         = "joint_account"
	PersonaBusinessOwned        = "business_owned"
	PersonaThinFile             = "thin_file"
	PersonaDisconnected         = "disconnected"
	PersonaNoOwnershipPerm      = "no_ownership_permission"
	PersonaNoTransactionsPerm   = "no_transactions_permission"
	defaultPersonaForNewAccount = PersonaSalariedBiweekly
)

// Personas lists every persona name in assignment order.
var Personas = []string{
	PersonaSalariedBiweekly, PersonaSalariedSemimonthly, PersonaSalariedWeekly, PersonaBenefits,
	PersonaGig, PersonaSavingsNoIncome, PersonaOverdraftNSF, PersonaJobLoss, PersonaLoanStacker,
	PersonaOwnerMismatch, PersonaJointAccount, PersonaBusinessOwned, PersonaThinFile,
	PersonaDisconnected, PersonaNoOwnershipPerm, PersonaNoTransactionsPerm,
}

func isPersona(name string) bool {
	for _, p := range Personas {
		if p == name {
			return true
		}
	}
	return false
}

var allPermissions = []string{"balances", "ownership", "payment_method", "transactions"}

// personaPermissions is what a generated account of the persona was linked with.
func personaPermissions(persona string) []string {
	switch persona {
	case PersonaNoOwnershipPerm:
		return []string{"balances", "payment_method", "transactions"}
	case PersonaNoTransactionsPerm:
		return []string{"balances", "ownership", "payment_method"}
	}
	return allPermissions
}

// schedule says whether a stream fires on a day.
type schedule func(d int64, t *calDay, r *rng) bool

type stream struct {
	due        schedule
	amt        func(r *rng, t *calDay) int64 // signed cents
	desc       func(c *descCtx) string
	kind       flowKind
	lag        lagKind
	from, to   int64 // active days [from, to); zero means unbounded
	atLo, atHi int64 // time of day window, seconds
}

// profile is an account's behaviour: everything the simulator needs, drawn once per account.
type profile struct {
	persona         string
	holder          identity
	cityUpper       string // "SPRINGFIELD IL"
	card4, savings4 string
	cardStyle       int
	feeStyle        int
	start           int64 // first ledger day (unix midnight)
	opening         int64
	monthly         int64 // the scale of the account's flows: monthly income or spend, cents
	target          int64 // balance the discretionary spending gravitates to
	revK            float64
	floor           int64 // discretionary spending stops below this balance
	backstop        bool  // bills below the floor pull money from savings instead of overdrawing
	nsf             bool  // the bank charges overdraft / NSF fees
	nsfFee          int64
	maxFees         int
	streams         []stream
	lambda          float64 // mean card purchases a day at target balance
	pATM            float64
	pP2POut         float64
	pP2PIn          float64
	pRefund         float64
	serviceFee      int64
	interest        bool
	sweep           bool // moves surplus to savings
	taxMonth        time.Month
	taxDay          int
	taxAmt          int64
	payAnchor       int64 // a payday, for flows tied to the pay cycle
	spendDown       bool  // money well above target does not stay: big purchases, P2P, cash
	surplus         int64 // how far above target counts as "well above"; 0 means monthly
	extra           func(s *sim, d int64, t *calDay, c *descCtx, out []flow) []flow
}

func (st *stream) active(d int64) bool {
	return (st.from == 0 || d >= st.from) && (st.to == 0 || d < st.to)
}

func (p *profile) plan(s *sim, d int64, t *calDay, c *descCtx) []flow {
	r := c.r
	var out []flow
	for i := range p.streams {
		st := &p.streams[i]
		if !st.active(d) || !st.due(d, t, r) {
			continue
		}
		out = append(out, flow{at: int64(r.between(int(st.atLo), int(st.atHi))), amt: st.amt(r, t), desc: st.desc(c),
			kind: st.kind, lag: st.lag})
	}
	if d == p.start && p.persona == PersonaThinFile {
		amt := r.cents(250, 1500)
		desc := pick(r, []string{"MOBILE DEPOSIT REF #" + digits(r, 9), "DEPOSIT", "ONLINE TRANSFER FROM CHK XXXXXX" + p.savings4})
		out = append(out, flow{at: 10 * 3600, amt: amt, desc: desc, kind: flowIncome, lag: lagNow})
	}
	// Discretionary card spending gravitates to the target balance.
	f := 1.0
	if p.revK != 0 && p.monthly > 0 {
		f = 1 + p.revK*float64(s.bal-p.target)/float64(p.monthly)
		f = math.Max(0.25, math.Min(2.0, f))
	}
	wk := 1.0
	if wd := t.Weekday(); wd == time.Friday || wd == time.Saturday {
		wk = 1.3
	} else if wd == time.Sunday {
		wk = 0.8
	}
	for n := r.poisson(p.lambda * f * wk); n > 0; n-- {
		cat, ci := pickCategory(r)
		m := &cat.merchants[r.intn(len(cat.merchants))]
		desc := c.cardLine(m)
		out = append(out, flow{at: int64(r.between(7*3600, 22*3600)), amt: -r.cents(m.lo, m.hi), desc: desc,
			kind: flowSpend, lag: lagCard, gas: m.gas, tip: ci == 3})
	}
	surplus := p.surplus
	if surplus == 0 {
		surplus = p.monthly
	}
	if p.spendDown && s.bal > p.target+surplus && r.chance(0.3) {
		amt := (s.bal - p.target) * int64(r.between(25, 60)) / 100
		var desc string
		switch r.intn(4) {
		case 0:
			desc = c.p2pLine(false)
		case 1:
			amt = amt / 2000 * 2000
			desc = c.atmLine()
		case 2:
			desc = fmt.Sprintf("POS PURCHASE %s #%04d %s %s", pick(r, []string{"BEST BUY", "RENT-A-CENTER", "FURNITURE ROW", "WAL-MART"}),
				r.between(1, 9999), strings.ToUpper(c.city), c.state)
		default:
			desc = "WESTERN UNION " + digits(r, 10)
		}
		out = append(out, flow{at: int64(r.between(10*3600, 20*3600)), amt: -amt, desc: desc, kind: flowCash, lag: lagNow})
	}
	if r.chance(p.pATM) {
		out = append(out, flow{at: int64(r.between(8*3600, 21*3600)), amt: -int64(r.between(1, 10)) * 2000,
			desc: c.atmLine(), kind: flowCash, lag: lagNow})
		if r.chance(0.3) {
			out = append(out, flow{at: int64(r.between(8*3600, 21*3600)), amt: -r.cents(2.5, 3.5),
				desc: "NON-NETWORK ATM FEE " + c.mmdd(), kind: flowFee, lag: lagNow})
		}
	}
	if r.chance(p.pP2POut) {
		out = append(out, flow{at: int64(r.between(9*3600, 22*3600)), amt: -r.cents(10, 180), desc: c.p2pLine(false),
			kind: flowCash, lag: lagNow})
	}
	if r.chance(p.pP2PIn) {
		out = append(out, flow{at: int64(r.between(9*3600, 22*3600)), amt: r.cents(10, 220), desc: c.p2pLine(true),
			kind: flowIncome, lag: lagNow})
	}
	if r.chance(p.pRefund) {
		cat, _ := pickCategory(r)
		m := &cat.merchants[r.intn(len(cat.merchants))]
		out = append(out, flow{at: int64(r.between(6*3600, 20*3600)), amt: r.cents(m.lo/2, m.hi), desc: c.refundLine(m),
			kind: flowIncome, lag: lagCard})
	}
	last := t.d == t.dim
	if p.serviceFee > 0 && t.Day() == 28 && s.bal < 150000 {
		out = append(out, flow{at: 23*3600 + 1800, amt: -p.serviceFee, desc: "MONTHLY SERVICE FEE", kind: flowFee, lag: lagNow})
	}
	if p.interest && last && s.bal > 0 {
		amt := max(1, s.bal*int64(r.between(1, 40))/100/12/100) // 0.01%-0.40% APY
		out = append(out, flow{at: 23*3600 + 2400, amt: amt, desc: "INTEREST PAYMENT", kind: flowIncome, lag: lagNow})
	}
	if p.sweep && t.Day() == 20 && s.bal > p.target*3/2 {
		amt := (s.bal - p.target) / 10000 * 10000
		out = append(out, flow{at: 12 * 3600, amt: -amt, desc: c.savingsTransfer(false, p.savings4), kind: flowTransfer, lag: lagNow})
	}
	if p.taxAmt > 0 && t.Month() == p.taxMonth && t.Day() == p.taxDay {
		out = append(out, flow{at: 6 * 3600, amt: p.taxAmt, desc: "IRS TREAS 310 TAX REF", kind: flowIncome, lag: lagACH})
	}
	if p.extra != nil {
		out = p.extra(s, d, t, c, out)
	}
	return out
}

func pickCategory(r *rng) (*spendCategory, int) {
	x := r.float() * categoryWeightTotal
	for i := range spendCategories {
		if x < spendCategories[i].weight {
			return &spendCategories[i], i
		}
		x -= spendCategories[i].weight
	}
	return &spendCategories[0], 0
}

// --- schedules ---

func dayIndex(d int64) int64 { return d / day }

func everyDays(anchor int64, n int64) schedule {
	return func(d int64, _ *calDay, _ *rng) bool {
		k := (dayIndex(d) - dayIndex(anchor)) % n
		return k == 0
	}
}

func weeklyOn(wd time.Weekday) schedule {
	return func(_ int64, t *calDay, _ *rng) bool { return t.wd == wd }
}

func randomly(p float64) schedule {
	return func(_ int64, _ *calDay, r *rng) bool { return r.chance(p) }
}

// monthlyOn fires on day-of-month dom, moved off weekends: back to Friday (paydays) or forward
// to Monday (bills).
func monthlyOn(dom int, back bool) schedule {
	return func(_ int64, t *calDay, _ *rng) bool { return t.monthlyDue(dom, back) }
}

// calDay is one calendar day, computed once per simulated day.
type calDay struct {
	y                int
	m                time.Month
	d, dim           int // day of month, days in month
	dimPrev, dimNext int
	wd               time.Weekday
}

func newCalDay(t time.Time) *calDay {
	y, m, d := t.Date()
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return &calDay{y: y, m: m, d: d, wd: t.Weekday(),
		dim:     first.AddDate(0, 1, -1).Day(),
		dimPrev: first.AddDate(0, 0, -1).Day(),
		dimNext: first.AddDate(0, 2, -1).Day(),
	}
}

func (c *calDay) Weekday() time.Weekday { return c.wd }
func (c *calDay) Day() int              { return c.d }
func (c *calDay) Month() time.Month     { return c.m }

// monthlyDue reports whether day-of-month dom (clamped to the month's length), moved off
// weekends back to Friday or forward to Monday, falls on this day. Days are numbered in this
// month's terms: the previous month's last day is 0, the next month's first is dim+1.
func (c *calDay) monthlyDue(dom int, back bool) bool {
	at := func(x int) bool { // is the target on day x (this month's numbering) due today?
		switch time.Weekday(((int(c.wd)+x-c.d)%7 + 7) % 7) {
		case time.Saturday:
			if back {
				x--
			} else {
				x += 2
			}
		case time.Sunday:
			if back {
				x -= 2
			} else {
				x++
			}
		}
		return x == c.d
	}
	if at(min(dom, c.dim)) {
		return true
	}
	if back {
		return at(c.dim + min(dom, c.dimNext))
	}
	return at(min(dom, c.dimPrev) - c.dimPrev)
}

func semimonthlyPay() schedule {
	return func(_ int64, t *calDay, _ *rng) bool { return t.monthlyDue(15, true) || t.monthlyDue(31, true) }
}

// nthWeekday fires on the n-th given weekday of each month (SSA pays on the 2nd, 3rd or 4th
// Wednesday by birth date).
func nthWeekday(n int, wd time.Weekday) schedule {
	return func(_ int64, t *calDay, _ *rng) bool {
		return t.wd == wd && (t.d-1)/7 == n-1
	}
}

// friday returns a Friday at or before d, stepped back by 0 or 7 days.
func friday(d int64, r *rng) int64 {
	t := time.Unix(d, 0).UTC()
	back := (int(t.Weekday()) - int(time.Friday) + 7) % 7
	return d - int64(back)*day - int64(r.intn(2))*7*day
}

// --- stream builders ---

func vary(base int64, sd float64) func(r *rng, t *calDay) int64 {
	return func(r *rng, _ *calDay) int64 {
		return int64(float64(base) * (1 + sd*math.Max(-2.5, math.Min(2.5, r.norm()))))
	}
}

func fixed(v int64) func(r *rng, t *calDay) int64 { return func(*rng, *calDay) int64 { return v } }

func payroll(r *rng, due schedule, net int64) stream {
	desc := payrollDesc(r)
	overtime := r.chance(0.4)
	return stream{
		due: due,
		amt: func(r *rng, _ *calDay) int64 {
			v := net
			if overtime {
				v = int64(float64(net) * (1 + 0.06*math.Abs(r.norm())))
			} else if r.chance(0.1) {
				v = net + r.cents(-40, 60)
			}
			return v
		},
		desc: desc, kind: flowIncome, lag: lagACH, atLo: 4 * 3600, atHi: 7 * 3600,
	}
}

func bill(due schedule, amt func(r *rng, t *calDay) int64, desc func(c *descCtx) string) stream {
	return stream{due: due, amt: func(r *rng, t *calDay) int64 { return -amt(r, t) }, desc: desc,
		kind: flowBill, lag: lagACH, atLo: 6 * 3600, atHi: 11 * 3600}
}

func billerDesc(tpl string) func(c *descCtx) string {
	return func(c *descCtx) string { return fillBiller(c, tpl) }
}

// seasonal varies a utility bill with the month: higher in winter and summer.
func seasonal(base int64) func(r *rng, t *calDay) int64 {
	return func(r *rng, t *calDay) int64 {
		m := float64(t.Month())
		f := 1 + 0.22*math.Cos((m-1)/6*math.Pi)*0.6 + 0.12*math.Cos((m-7.5)/3*math.Pi)
		return int64(float64(base)*f) + r.cents(-6, 6)
	}
}

// livingCosts adds rent, utilities, phone, insurance, subscriptions and debts sized to a
// monthly income, keeping optional bills within budget × monthly; it returns their expected
// monthly total.
func (p *profile) livingCosts(r *rng, monthly int64, rentShare float64, rentDOM int, budget float64) int64 {
	limit := int64(budget * float64(monthly))
	total := int64(0)
	add := func(s stream, monthlyAmt int64, optional bool) {
		if optional && total+monthlyAmt > limit {
			return
		}
		p.streams = append(p.streams, s)
		total += monthlyAmt
	}
	// monthlyBill is b's bill of amt, due on a random day of the month.
	monthlyBill := func(b biller, amt func(r *rng, t *calDay) int64) stream {
		return bill(monthlyOn(r.between(1, 28), false), amt, billerDesc(b.desc))
	}
	rent := int64(float64(monthly) * rentShare)
	rent = rent / 100 * 100 // landlords bill round dollars
	add(bill(monthlyOn(rentDOM, false), fixed(rent), billerDesc(pick(r, rentBillers))), rent, false)
	u := pick(r, utilityBillers)
	ub := r.cents(u.lo, u.hi)
	add(bill(monthlyOn(r.between(5, 25), false), seasonal(ub), billerDesc(u.desc)), ub, false)
	for n := r.between(1, 2); n > 0; n-- {
		b := pick(r, telecomBillers)
		v := r.cents(b.lo, b.hi)
		add(monthlyBill(b, fixed(v)), v, n == 2)
	}
	if r.chance(0.6) {
		b := pick(r, insuranceBillers)
		v := r.cents(b.lo, b.hi)
		add(monthlyBill(b, fixed(v)), v, true)
	}
	for n := r.between(1, 4); n > 0; n-- {
		b := pick(r, subscriptionBillers)
		v := r.cents(b.lo, b.hi)
		s := monthlyBill(b, fixed(v))
		s.lag = lagCard
		add(s, v, true)
	}
	if r.chance(0.45) {
		b := pick(r, autoLoanBillers)
		v := min(r.cents(b.lo, b.hi), monthly/6)
		add(monthlyBill(b, fixed(v)), v, true)
	}
	if r.chance(0.3) {
		b := pick(r, studentLoanBillers)
		v := min(r.cents(b.lo, b.hi), monthly/8)
		add(monthlyBill(b, fixed(v)), v, true)
	}
	if r.chance(0.55) {
		b := pick(r, cardIssuers)
		v := min(r.cents(b.lo, b.hi), monthly/6)
		add(monthlyBill(b, vary(v, 0.25)), v, true)
	}
	return total
}

// spend sets the discretionary card spending so that total outflows are ratio × monthly.
func (p *profile) spend(monthly, bills int64, ratio float64) {
	disc := float64(monthly)*ratio - float64(bills)
	disc = math.Max(disc, 0.12*float64(monthly))
	// ATM and P2P draw some of the budget too.
	p.pATM, p.pP2POut, p.pP2PIn, p.pRefund = 0.06, 0.05, 0.03, 0.02
	other := 30 * (p.pATM*11000 + p.pP2POut*9500 - p.pP2PIn*11500 - p.pRefund*5000)
	p.lambda = math.Max(0.3, (disc-other)/30/meanPurchase)
}

// --- persona builders ---

type buildCtx struct {
	day0    int64 // Start's UTC midnight
	created int64 // when the account was linked
}

func buildProfile(persona string, holder identity, seed uint64, bc buildCtx) *profile {
	r := newRNG(seed, 0x9f0f11e)
	p := &profile{
		persona:   persona,
		holder:    holder,
		cityUpper: strings.ToUpper(holder.Addr.City) + " " + holder.Addr.State,
		card4:     digits(r, 4),
		savings4:  digits(r, 4),
		cardStyle: r.intn(5),
		feeStyle:  r.intn(4),
		start:     bc.day0 - 365*day,
		revK:      0.6,
		nsfFee:    pick(r, []int64{2900, 3000, 3400, 3500, 3600}),
		maxFees:   r.between(3, 4),
	}
	if r.chance(0.6) {
		p.taxMonth, p.taxDay, p.taxAmt = time.Month(r.between(2, 4)), r.between(1, 28), r.cents(250, 3800)
	}
	switch persona {
	case PersonaSalariedSemimonthly:
		p.salaried(r, bc, "semimonthly")
	case PersonaSalariedWeekly:
		p.salaried(r, bc, "weekly")
	case PersonaBenefits:
		p.benefits(r)
	case PersonaGig:
		p.gig(r)
	case PersonaSavingsNoIncome:
		p.savingsNoIncome(r)
	case PersonaOverdraftNSF:
		p.overdraft(r, bc)
	case PersonaJobLoss:
		p.jobLoss(r, bc)
	case PersonaLoanStacker:
		p.loanStacker(r, bc)
	case PersonaBusinessOwned:
		p.business(r, bc)
	case PersonaThinFile:
		p.thinFile(r, bc)
	case PersonaJointAccount:
		p.salaried(r, bc, "biweekly")
		spouse := r.cents(900, 2600)
		s := payroll(r, semimonthlyPay(), spouse)
		p.streams = append(p.streams, s)
		p.monthly += spouse * 2
		p.target += spouse
		p.opening = p.target
		p.lambda *= 1.35
	case PersonaSalariedBiweekly, PersonaOwnerMismatch, PersonaDisconnected, PersonaNoOwnershipPerm, PersonaNoTransactionsPerm:
		p.salaried(r, bc, pick(r, []string{"biweekly", "biweekly", "semimonthly"}))
	default:
		p.salaried(r, bc, "biweekly")
	}
	return p
}

func (p *profile) salaried(r *rng, bc buildCtx, cadence string) {
	var due schedule
	var net, monthly int64
	switch cadence {
	case "weekly":
		net = r.cents(600, 1400)
		monthly = net * 52 / 12
		due = everyDays(friday(bc.day0, r), 7)
	case "semimonthly":
		net = r.cents(1500, 3450)
		monthly = net * 2
		due = semimonthlyPay()
	default:
		net = r.cents(1400, 3200)
		monthly = net * 26 / 12
		due = everyDays(friday(bc.day0, r), 14)
	}
	p.streams = append(p.streams, payroll(r, due, net))
	bills := p.livingCosts(r, monthly, 0.24+0.1*r.float(), r.between(1, 5), 0.6)
	p.spend(monthly, bills, 0.86+0.06*r.float())
	p.monthly = monthly
	p.target = int64(float64(monthly) * (0.7 + 1.1*r.float()))
	p.opening = p.target
	p.floor = r.cents(150, 400)
	p.backstop = true
	p.sweep = r.chance(0.5)
	p.interest = r.chance(0.5)
}

func (p *profile) benefits(r *rng) {
	p.spendDown = true
	var due schedule
	var amt int64
	var desc string
	dom := 3
	if r.chance(0.3) {
		amt, desc = r.cents(914, 943), "SSI TREAS 310 XXSUPP SEC"
		due, dom = monthlyOn(1, true), 1
	} else {
		amt, desc = r.cents(1100, 2450), "SSA TREAS 310 XXSOC SEC"
		nth := r.between(2, 4)
		due = nthWeekday(nth, time.Wednesday)
		if r.chance(0.25) {
			due = monthlyOn(3, true) // pre-1997 beneficiaries are paid on the 3rd
		} else {
			dom = 7*(nth-1) + 7 // rent goes out after the deposit
		}
	}
	p.streams = append(p.streams, stream{due: due, amt: fixed(amt), desc: func(*descCtx) string { return desc },
		kind: flowIncome, lag: lagACH, atLo: 3 * 3600, atHi: 6 * 3600})
	bills := p.livingCosts(r, amt, 0.34+0.08*r.float(), min(28, dom+r.between(1, 3)), 0.62)
	p.spend(amt, bills, 0.96)
	p.monthly = amt
	p.target = amt * 3 / 10
	p.opening = r.cents(150, 700)
	p.floor = 2000
	p.nsf = true
	p.serviceFee = pick(r, []int64{0, 500, 1200})
	p.taxAmt = 0
}

func (p *profile) gig(r *rng) {
	p.spendDown = true
	monthly := r.cents(1600, 3600)
	n := r.between(2, 3)
	type plat struct {
		g    gigPlatform
		p    float64
		mean float64
		desc string
	}
	var plats []plat
	share := float64(monthly) / float64(n)
	for _, i := range permN(r, len(gigPlatforms), n) {
		g := gigPlatforms[i]
		pd := 0.2 + 0.35*r.float() // payouts per day
		plats = append(plats, plat{g, pd, share / 30 / pd, g.desc[r.intn(len(g.desc))]})
	}
	p.extra = func(s *sim, d int64, t *calDay, c *descCtx, out []flow) []flow {
		for _, pl := range plats {
			if !c.r.chance(pl.p) {
				continue
			}
			amt := int64(pl.mean * math.Exp(0.45*c.r.norm()-0.1))
			amt = max(1500, min(amt, int64(pl.g.hi*100*2)))
			out = append(out, flow{at: int64(c.r.between(3*3600, 20*3600)), amt: amt, desc: pl.desc, kind: flowIncome, lag: lagNow})
		}
		return out
	}
	bills := p.livingCosts(r, monthly, 0.25+0.1*r.float(), r.between(1, 5), 0.6)
	p.spend(monthly, bills, 0.95)
	p.pATM = 0.1
	p.monthly = monthly
	p.target = monthly * 2 / 5
	p.opening = r.cents(200, 900)
	p.floor = 0
	p.nsf = true
	p.serviceFee = pick(r, []int64{0, 1200})
}

func (p *profile) savingsNoIncome(r *rng) {
	monthly := r.cents(1500, 3000) // what the household spends
	bills := p.livingCosts(r, monthly, 0.3+0.1*r.float(), r.between(1, 5), 0.65)
	p.spend(monthly, bills, 1.0)
	p.pP2PIn, p.pRefund = 0.01, 0.02
	p.monthly = monthly
	p.revK = 0
	p.opening = int64(float64(monthly) * (13 + 5*r.float()))
	p.target = p.opening
	p.floor = 30000
	p.backstop = true
	p.interest = true
	p.taxAmt = 0
}

func (p *profile) overdraft(r *rng, bc buildCtx) {
	p.spendDown = true
	net := r.cents(850, 1500)
	monthly := net * 26 / 12
	p.payAnchor = friday(bc.day0, r)
	p.streams = append(p.streams, payroll(r, everyDays(p.payAnchor, 14), net))
	bills := p.livingCosts(r, monthly, 0.3+0.08*r.float(), r.between(1, 5), 0.7)
	p.spend(monthly, bills, 1.0)
	p.pATM = 0.1
	p.monthly = monthly
	p.target = net * 2 / 5
	p.revK = 1.2
	p.opening = r.cents(20, 250)
	p.floor = -r.cents(300, 600)
	p.nsf = true
	p.serviceFee = pick(r, []int64{1200, 1500})
	if r.chance(0.6) {
		p.addAdvances(r, 1)
	}
}

func (p *profile) jobLoss(r *rng, bc buildCtx) {
	net := r.cents(1500, 3000)
	monthly := net * 26 / 12
	stop := bc.day0 - int64(r.between(45, 60))*day
	pay := payroll(r, everyDays(friday(bc.day0, r), 14), net)
	pay.to = stop
	p.streams = append(p.streams, pay)
	if r.chance(0.65) {
		wd := time.Weekday(r.between(1, 5))
		ui := r.cents(250, 480)
		desc := unemploymentDesc(p.holder.Addr.State)
		from := stop + int64(r.between(14, 28))*day
		p.streams = append(p.streams, stream{due: weeklyOn(wd), amt: fixed(ui), desc: func(*descCtx) string { return desc },
			kind: flowIncome, lag: lagACH, from: from, to: from + 26*7*day, atLo: 3 * 3600, atHi: 7 * 3600}) // 26 weeks of UI
	}
	bills := p.livingCosts(r, monthly, 0.24+0.08*r.float(), r.between(1, 5), 0.6)
	p.spend(monthly, bills, 0.93)
	p.monthly = monthly
	p.target = monthly * 4 / 5
	p.revK = 0.9
	p.opening = p.target
	p.floor = 0
	p.nsf = true
	p.serviceFee = pick(r, []int64{0, 1200})
}

func (p *profile) loanStacker(r *rng, bc buildCtx) {
	p.spendDown = true
	net := r.cents(1100, 2200)
	monthly := net * 26 / 12
	p.payAnchor = friday(bc.day0, r)
	paydays := everyDays(p.payAnchor, 14)
	p.streams = append(p.streams, payroll(r, paydays, net))
	bills := p.livingCosts(r, monthly, 0.26+0.08*r.float(), r.between(1, 5), 0.55)
	// Installment loans: more of them, and more recent, toward now.
	for i, li := range permN(r, len(installmentLenders), r.between(3, 5)) {
		l := installmentLenders[li]
		ago := int64(float64(330) * math.Pow(r.float(), 1.6+0.3*float64(i)))
		startDay := bc.day0 - (ago+3)*day
		principal := r.cents(l.lo, l.hi)
		payment := principal * int64(r.between(9, 14)) / 100
		n := int64(r.between(10, 26))
		proceeds := l.proceeds + " " + digits(r, 8)
		p.streams = append(p.streams,
			stream{due: func(d int64, _ *calDay, _ *rng) bool { return d == startDay }, amt: fixed(principal),
				desc: func(*descCtx) string { return proceeds }, kind: flowIncome, lag: lagACH, atLo: 4 * 3600, atHi: 9 * 3600},
			stream{due: paydays, amt: fixed(-payment), desc: func(*descCtx) string { return l.payment },
				kind: flowBill, lag: lagACH, from: startDay + day, to: startDay + (n*14+1)*day, atLo: 6 * 3600, atHi: 10 * 3600})
		bills += payment * 26 / 12
	}
	bills = bills * 3 / 4 // loans come and go; not all run at once
	if r.chance(0.7) {
		v := r.cents(35, 140)
		p.streams = append(p.streams, bill(monthlyOn(r.between(1, 28), false), fixed(v), billerDesc("AFFIRM PAYMENT %s")))
		bills += v
	}
	p.addAdvances(r, r.between(2, 3))
	p.spend(monthly, bills, 1.02)
	p.monthly = monthly
	p.target = net * 3 / 10
	p.surplus = net * 6 / 5
	p.revK = 1.0
	p.opening = r.cents(100, 500)
	p.floor = -r.cents(200, 400)
	p.nsf = true
	p.serviceFee = pick(r, []int64{0, 1200})
}

// addAdvances adds earned-wage / cash-advance apps: an advance a few days before payday, repaid
// on payday with a tip. Each pay cycle draws from its own seed so both sides agree.
func (p *profile) addAdvances(r *rng, n int) {
	anchor := p.payAnchor
	type app struct {
		a    advanceApp
		seed uint64
		p    float64
	}
	var apps []app
	for _, i := range permN(r, len(advanceApps), n) {
		apps = append(apps, app{advanceApps[i], r.u64(), 0.45 + 0.4*r.float()})
	}
	type draw struct {
		take     bool
		lead     int64
		amt, tip int64
	}
	drawCycle := func(a app, cycle int64) draw {
		cr := newRNG(a.seed, uint64(cycle))
		return draw{cr.chance(a.p), int64(cr.between(2, 5)), cr.cents(a.a.lo, a.a.hi) / 500 * 500, cr.cents(0, 9.99)}
	}
	prev := p.extra
	p.extra = func(s *sim, d int64, t *calDay, c *descCtx, out []flow) []flow {
		if prev != nil {
			out = prev(s, d, t, c, out)
		}
		k := dayIndex(d) - dayIndex(anchor)
		cycle := floorDiv(k, 14)
		off := k - cycle*14 // 0 on payday
		for _, a := range apps {
			if cur := drawCycle(a, cycle); cur.take && off == 14-cur.lead {
				out = append(out, flow{at: int64(c.r.between(9*3600, 20*3600)), amt: cur.amt, desc: a.a.in,
					kind: flowIncome, lag: lagNow})
			}
			if off != 0 {
				continue
			}
			if last := drawCycle(a, cycle-1); last.take {
				out = append(out, flow{at: int64(c.r.between(8*3600, 12*3600)), amt: -(last.amt + last.tip), desc: a.a.out,
					kind: flowBill, lag: lagNow})
			}
		}
		return out
	}
}

func (p *profile) business(r *rng, bc buildCtx) {
	monthly := r.cents(6000, 18000)
	sq := "SQUARE INC DEPOSIT "
	p.extra = func(s *sim, d int64, t *calDay, c *descCtx, out []flow) []flow {
		cr := c.r
		wd := t.Weekday()
		if wd != time.Sunday && cr.chance(0.8) {
			out = append(out, flow{at: int64(cr.between(3*3600, 6*3600)), amt: int64(float64(monthly) * 0.6 / 22 * math.Exp(0.5*cr.norm()-0.12)),
				desc: sq + c.yymmdd() + " L" + digits(cr, 10), kind: flowIncome, lag: lagNow})
		}
		if (wd == time.Tuesday || wd == time.Thursday) && cr.chance(0.7) {
			out = append(out, flow{at: int64(cr.between(3*3600, 6*3600)), amt: int64(float64(monthly) * 0.25 / 6 * math.Exp(0.4*cr.norm()-0.08)),
				desc: "STRIPE TRANSFER ST-" + alnum(cr, 12), kind: flowIncome, lag: lagNow})
		}
		if wd == time.Monday && cr.chance(0.6) {
			out = append(out, flow{at: int64(cr.between(10*3600, 17*3600)), amt: cr.cents(180, 2400),
				desc: "MOBILE DEPOSIT CHECK #" + fmt.Sprint(cr.between(1001, 4999)), kind: flowIncome, lag: lagACH})
		}
		if cr.chance(0.35) {
			v := pick(cr, []string{"SITEONE LANDSCAPE SUPPLY", "THE HOME DEPOT #", "LOWE'S #", "JOHN DEERE FINANCIAL", "NAPA AUTO PARTS #", "ULINE *SHIP SUPPLIES"})
			if v[len(v)-1] == '#' {
				v += fmt.Sprint(cr.between(1000, 9999))
			}
			out = append(out, flow{at: int64(cr.between(7*3600, 18*3600)), amt: -cr.cents(40, 900),
				desc: "POS PURCHASE " + v + " " + strings.ToUpper(c.city) + " " + c.state, kind: flowSpend, lag: lagCard})
		}
		if wd == time.Friday && dayIndex(d)%14 == 1 { // every other Friday (1970-01-02 was one)
			out = append(out, flow{at: 9 * 3600, amt: -int64(float64(monthly) * 0.22), desc: "GUSTO NET PAY " + digits(cr, 6),
				kind: flowBill, lag: lagACH})
			out = append(out, flow{at: 9*3600 + 300, amt: -int64(float64(monthly) * 0.06), desc: "GUSTO TAX " + digits(cr, 6),
				kind: flowBill, lag: lagACH})
		}
		if t.Day() == 15 && (t.Month()%3 == 1) {
			out = append(out, flow{at: 10 * 3600, amt: -int64(float64(monthly) * 0.18), desc: "IRS USATAXPYMT " + digits(cr, 15),
				kind: flowBill, lag: lagACH})
		}
		if wd == time.Wednesday && dayIndex(d)%14 == 6 {
			out = append(out, flow{at: 12 * 3600, amt: -int64(float64(monthly) * 0.17), desc: "ONLINE TRANSFER TO CHK XXXXXX" + p.card4 + " OWNER DRAW",
				kind: flowTransfer, lag: lagNow})
		}
		return out
	}
	bills := p.livingCosts(r, monthly/3, 0.5, r.between(1, 5), 0.8) // the shop's lease and utilities
	p.spend(monthly/3, bills, 0.9)
	p.monthly = monthly
	p.target = monthly
	p.opening = p.target
	p.floor = 100000
	p.backstop = true
	p.taxAmt = 0
}

func (p *profile) thinFile(r *rng, bc buildCtx) {
	p.salaried(r, bc, "biweekly")
	start := bc.day0 - int64(r.between(10, 28))*day
	if lim := bc.created/day*day - day; lim < start {
		start = lim
	}
	p.start = start
	p.opening = 0
	p.floor = 0
	p.sweep = false
	p.taxAmt = 0
}

func permN(r *rng, n, k int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	for i := 0; i < k && i < n; i++ {
		j := i + r.intn(n-i)
		idx[i], idx[j] = idx[j], idx[i]
	}
	return idx[:min(k, n)]
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
