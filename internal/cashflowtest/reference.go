// Package cashflowtest holds test support for the cash-flow features: a reference
// implementation of issue 5's normative definitions over raw transactions, written
// independently of the SQL in sql/views (straight loops over rows, one definition at a time),
// and a builder of labeled persona histories from the embedded sandbox whose known answers
// come from that reference and from the sandbox generator's own knowledge of what each
// description is (see Oracle), not from scoring/cashflow.Classify.
package cashflowtest

import (
	"math"
	"sort"
	"time"
)

// Txn is one raw transaction as a bank reports it.
type Txn struct {
	Amount       int64 // cents, + = into the account
	Status       string
	TransactedAt time.Time
	PostedAt     time.Time // zero when not posted (or unknown)
	Description  string
}

// Input is an account's raw data as of a time.
type Input struct {
	AsOf       time.Time
	HasBalance bool
	Balance    int64 // balance.current, cents
	Txns       []Txn
}

// Label is what a transaction is, for the definitions.
type Label struct {
	Income      bool   // payroll, benefits, pension or gig payout
	Stream      string // the payer, for income: deposits of one payer form a stream
	NSF         bool   // an NSF, overdraft or returned-item fee
	Installment bool   // an installment-loan payment (auto, student, mortgage, personal, BNPL)
}

// Labeler labels one transaction from its description and amount.
type Labeler func(description string, amount int64) Label

// Truth is the value of each normative feature.
type Truth struct {
	IncomeMonthlyCents      int64
	IncomeFrequency         string // of the largest stream in the window; "none" without income
	NSFCount90d             int
	InstallmentMonthlyCents int64

	HasBalance            bool
	BalanceCurrentCents   int64
	AverageDailyCents30d  int64
	AverageDailyCents90d  int64
	AverageDailyCents180d int64
	MinCents90d           int64
	DaysNegative90d       int
	P10Cents90d           int64
	P50Cents90d           int64
	P90Cents90d           int64
}

// day returns the UTC date of t as a day number (days since 1970-01-01).
func day(t time.Time) int64 {
	return int64(math.Floor(float64(t.Unix()) / 86400))
}

// known reports whether t had posted by asOf: it moves balances and counts in features.
func known(t Txn, asOf time.Time) bool {
	return t.Status == "posted" && !t.TransactedAt.After(asOf) && (t.PostedAt.IsZero() || !t.PostedAt.After(asOf))
}

// monthly scales a 90-day total to a month of 30.4375 days, rounding half away from zero.
func monthly(total int64) int64 {
	return int64(math.Round(float64(total) * 30.4375 / 90))
}

// Compute evaluates the definitions of issue 5 over in, labeling transactions with label and
// telling stream frequencies with Cadence.
func Compute(in Input, label Labeler) Truth {
	today := day(in.AsOf)
	inWindow := func(d int64) bool { return d >= today-90 && d < today }
	var tr Truth

	// Income, NSF and installments: posted in the window.
	type stream struct {
		total int64
		count int
		days  []int64 // every known deposit day, for the cadence
	}
	streams := map[string]*stream{}
	var income, installments int64
	for _, t := range in.Txns {
		if !known(t, in.AsOf) {
			continue
		}
		d := day(t.TransactedAt)
		l := label(t.Description, t.Amount)
		if l.Income && t.Amount > 0 {
			s := streams[l.Stream]
			if s == nil {
				s = &stream{}
				streams[l.Stream] = s
			}
			s.days = append(s.days, d)
			if inWindow(d) {
				s.total += t.Amount
				s.count++
				income += t.Amount
			}
		}
		if !inWindow(d) || t.Amount >= 0 {
			continue
		}
		if l.NSF {
			tr.NSFCount90d++
		}
		if l.Installment {
			installments += -t.Amount
		}
	}
	tr.IncomeMonthlyCents = monthly(income)
	tr.InstallmentMonthlyCents = monthly(installments)
	tr.IncomeFrequency = "none"
	if income > 0 {
		var best string
		for name, s := range streams {
			b := streams[best]
			if s.total > 0 && (b == nil || s.total > b.total || (s.total == b.total && (s.count > b.count ||
				(s.count == b.count && name < best)))) {
				best = name
			}
		}
		tr.IncomeFrequency = Cadence(streams[best].days)
	}

	// Balances: end of day d = current − posted amounts transacted after d.
	if !in.HasBalance {
		return tr
	}
	tr.HasBalance, tr.BalanceCurrentCents = true, in.Balance
	net := map[int64]int64{} // posted amounts per day
	for _, t := range in.Txns {
		if known(t, in.AsOf) {
			net[day(t.TransactedAt)] += t.Amount
		}
	}
	// Walk back from yesterday: after is the sum of the posted amounts of the days after d.
	eod := make(map[int64]int64, 180)
	after := net[today] // nothing is transacted after today: as_of bounds every known row
	for d := today - 1; d >= today-180; d-- {
		eod[d] = in.Balance - after
		after += net[d]
	}
	var window []int64
	var sum30, sum90, sum180 int64
	for d := today - 180; d < today; d++ {
		b := eod[d]
		sum180 += b
		if d >= today-30 {
			sum30 += b
		}
		if inWindow(d) {
			sum90 += b
			window = append(window, b)
			if b < 0 {
				tr.DaysNegative90d++
			}
		}
	}
	tr.AverageDailyCents30d = int64(math.Round(float64(sum30) / 30))
	tr.AverageDailyCents90d = int64(math.Round(float64(sum90) / 90))
	tr.AverageDailyCents180d = int64(math.Round(float64(sum180) / 180))
	sort.Slice(window, func(i, j int) bool { return window[i] < window[j] })
	tr.MinCents90d = window[0]
	tr.P10Cents90d = quantile(window, 0.1)
	tr.P50Cents90d = quantile(window, 0.5)
	tr.P90Cents90d = quantile(window, 0.9)
	return tr
}

// quantile interpolates linearly between the order statistics of sorted (type 7).
func quantile(sorted []int64, p float64) int64 {
	h := float64(len(sorted)-1) * p
	lo := int(math.Floor(h))
	hi := int(math.Ceil(h))
	v := float64(sorted[lo]) + (h-float64(lo))*float64(sorted[hi]-sorted[lo])
	return int64(math.Round(v))
}

// Cadence tells the pay calendar of deposit days (day numbers) exactly, for histories
// generated on exact calendars: every gap 7 days is weekly, every gap 14 biweekly; deposits
// all on the 15th or the month's last day (moved back to Friday off a weekend) are
// semimonthly; every gap 28–35 days is monthly; anything else, or a single deposit day, is
// irregular.
func Cadence(days []int64) string {
	uniq := map[int64]bool{}
	var ds []int64
	for _, d := range days {
		if !uniq[d] {
			uniq[d] = true
			ds = append(ds, d)
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	if len(ds) < 2 {
		return "irregular"
	}
	all := func(ok func(gap int64) bool) bool {
		for i := 1; i < len(ds); i++ {
			if !ok(ds[i] - ds[i-1]) {
				return false
			}
		}
		return true
	}
	switch {
	case all(func(g int64) bool { return g == 7 }):
		return "weekly"
	case all(func(g int64) bool { return g == 14 }):
		return "biweekly"
	case semimonthlyDays(ds):
		return "semimonthly"
	case all(func(g int64) bool { return g >= 28 && g <= 35 }):
		return "monthly"
	}
	return "irregular"
}

func semimonthlyDays(ds []int64) bool {
	for _, d := range ds {
		t := time.Unix(d*86400, 0).UTC()
		first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1)
		if !t.Equal(backToFriday(first.AddDate(0, 0, 14))) && !t.Equal(backToFriday(last)) {
			return false
		}
	}
	return true
}

func backToFriday(t time.Time) time.Time {
	switch t.Weekday() {
	case time.Saturday:
		return t.AddDate(0, 0, -1)
	case time.Sunday:
		return t.AddDate(0, 0, -2)
	}
	return t
}
