package cashflow

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// persona is a simple household for debit-risk tests: a paycheck every payEvery days, rent on
// a day of the month, card spending every day around spendMean.
type persona struct {
	opening               int64 // balance 180 days before as_of
	pay                   int64
	payEvery, payPhase    int // payday when (day index − payPhase) % payEvery == 0
	rent                  int64
	rentDay               int // day of the month
	spendMean, spendNoise int64
	seed                  uint64
}

// simulate plays the persona's 180 days before asOf and asOf's day up to asOf, and returns the
// features a debit-risk forecast reads. It keeps its own books: the end-of-day balances are the
// running balance, not the SQL's formula.
func (p persona) simulate(asOf time.Time) *Features {
	r := rand.New(rand.NewPCG(p.seed, 7))
	today := Today(asOf)
	f := &Features{AsOf: asOf, HasBalance: true, HasTransactions: true, DaysOfHistory: 400,
		DailyBalances: make([]int64, HistoryDays), DailyIncome: make([]int64, HistoryDays)}
	bal := p.opening
	var lastPay time.Time
	for i := 0; i <= HistoryDays; i++ { // i == HistoryDays is today
		day := today.AddDate(0, 0, i-HistoryDays)
		var net, income int64
		if p.pay > 0 && (i-p.payPhase)%p.payEvery == 0 {
			net += p.pay
			income = p.pay
			lastPay = day
		}
		if p.rent > 0 && day.Day() == p.rentDay {
			net -= p.rent
		}
		net -= p.spendMean + int64(r.NormFloat64()*float64(p.spendNoise))
		bal += net
		if i < HistoryDays {
			f.DailyBalances[i], f.DailyIncome[i] = bal, income
		}
	}
	f.BalanceCurrentCents = bal
	if p.pay > 0 {
		every := float64(p.payEvery)
		f.IncomeStreams = []IncomeStream{{Name: "ACME CORP", Frequency: FrequencyBiweekly, MonthlyCents: p.pay * 30 / int64(p.payEvery),
			LastDate: lastPay, NextExpectedDate: lastPay.AddDate(0, 0, p.payEvery), MedianAmountCents: p.pay,
			IntervalCV: ptrf(0), IntervalDays: &every}}
	}
	return f
}

var riskAsOf = time.Date(2026, 10, 6, 15, 0, 0, 0, time.UTC)

// paycheckToPaycheck is paid 1,800 every other Friday and spends it all: the balance peaks on
// payday and runs down to almost nothing before the next one.
var paycheckToPaycheck = persona{opening: 30000, pay: 180000, payEvery: 14, payPhase: 4, rent: 90000, rentDay: 1,
	spendMean: 9800, spendNoise: 3000, seed: 1}

func TestForecastDebit_PaydayMakesTheDifference(t *testing.T) {
	f := paycheckToPaycheck.simulate(riskAsOf)
	next := f.IncomeStreams[0].NextExpectedDate
	if d := next.Sub(Today(riskAsOf)).Hours() / 24; d < 2 || d > 12 {
		t.Fatalf("next payday %s is %v days away; the persona should be mid-cycle", next.Format(time.DateOnly), d)
	}
	const amount = 60000
	before, err := ForecastDebit(f, amount, next.AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	on, err := ForecastDebit(f, amount, next)
	if err != nil {
		t.Fatal(err)
	}
	if before.Probability < on.Probability+0.3 {
		t.Errorf("P(short) the day before payday = %v, on payday = %v: the paycheck should cut the risk by far", before.Probability, on.Probability)
	}
	if on.ExpectedIncomeCents < 150000 {
		t.Errorf("expected income by payday = %d, want most of the 1,800 paycheck", on.ExpectedIncomeCents)
	}
	best, curve, err := BestDebitDate(f, amount)
	if err != nil {
		t.Fatal(err)
	}
	if len(curve) != BestDebitDays {
		t.Fatalf("curve has %d days, want %d", len(curve), BestDebitDays)
	}
	if best.SettleDate.Before(next) {
		t.Errorf("best date %s is before payday %s (curve %v)", best.SettleDate.Format(time.DateOnly), next.Format(time.DateOnly), probs(curve))
	}
	for i := 1; i < len(curve); i++ {
		if !curve[i].SettleDate.After(curve[i-1].SettleDate) {
			t.Fatalf("curve is not in date order")
		}
	}
}

func probs(c []DebitRisk) []float64 {
	out := make([]float64, len(c))
	for i, r := range c {
		out[i] = r.Probability
	}
	return out
}

func TestForecastDebit_Personas(t *testing.T) {
	savings := persona{opening: 2000000, spendMean: 3000, spendNoise: 1500, seed: 2}
	overdrawn := persona{opening: -5000, spendMean: 800, spendNoise: 400, seed: 3}
	settle := Today(riskAsOf).AddDate(0, 0, 5)

	r, err := ForecastDebit(savings.simulate(riskAsOf), 50000, settle)
	if err != nil {
		t.Fatal(err)
	}
	if r.Probability > 0.01 {
		t.Errorf("savings persona (19,000 and falling slowly): P = %v for a 500 debit, want ≤ 0.01", r.Probability)
	}
	r, err = ForecastDebit(overdrawn.simulate(riskAsOf), 10000, settle)
	if err != nil {
		t.Fatal(err)
	}
	if r.Probability < 0.95 {
		t.Errorf("overdrawn persona without income: P = %v for a 100 debit, want ≥ 0.95", r.Probability)
	}
}

func TestForecastDebit_MonotonicInAmount(t *testing.T) {
	f := paycheckToPaycheck.simulate(riskAsOf)
	settle := Today(riskAsOf).AddDate(0, 0, 3)
	last := 0.0
	for _, amount := range []int64{1000, 20000, 60000, 150000, 400000} {
		r, err := ForecastDebit(f, amount, settle)
		if err != nil {
			t.Fatal(err)
		}
		if r.Probability < last {
			t.Errorf("P(%d) = %v < P(smaller) = %v", amount, r.Probability, last)
		}
		last = r.Probability
	}
	if last < 0.9 {
		t.Errorf("P for a 4,000 debit = %v, want near certain failure", last)
	}
}

func TestForecastDebit_StoppedIncomeIsNotCountedOn(t *testing.T) {
	f := paycheckToPaycheck.simulate(riskAsOf)
	next := f.IncomeStreams[0].NextExpectedDate
	onTime, err := ForecastDebit(f, 60000, next)
	if err != nil {
		t.Fatal(err)
	}
	stopped := *f
	s := f.IncomeStreams[0]
	s.NextExpectedDate = Today(riskAsOf).AddDate(0, 0, -9) // nine days overdue: the job is likely gone
	stopped.IncomeStreams = []IncomeStream{s}
	late, err := ForecastDebit(&stopped, 60000, next)
	if err != nil {
		t.Fatal(err)
	}
	if late.Probability < onTime.Probability+0.3 {
		t.Errorf("P with the paycheck overdue = %v, on time = %v: an overdue stream should not be counted on", late.Probability, onTime.Probability)
	}
}

func TestForecastDebit_Errors(t *testing.T) {
	f := paycheckToPaycheck.simulate(riskAsOf)
	if _, err := ForecastDebit(f, 0, riskAsOf); err == nil {
		t.Error("a zero amount was accepted")
	}
	if _, err := ForecastDebit(f, 100, riskAsOf.AddDate(0, 0, -1)); err == nil {
		t.Error("a settle date before today was accepted")
	}
	thin := *f
	thin.DaysOfHistory = 5
	if _, err := ForecastDebit(&thin, 100, riskAsOf); !errors.Is(err, ErrThinHistory) {
		t.Errorf("5 days of history: err = %v, want ErrThinHistory", err)
	}
	noBalance := *f
	noBalance.HasBalance, noBalance.DailyBalances = false, nil
	if _, err := ForecastDebit(&noBalance, 100, riskAsOf); !errors.Is(err, ErrThinHistory) {
		t.Errorf("no balance: err = %v, want ErrThinHistory", err)
	}
	if _, err := ForecastDebit(nil, 100, riskAsOf); err == nil {
		t.Error("nil features were accepted")
	}
}

func TestNewDebitRiskReport(t *testing.T) {
	f := paycheckToPaycheck.simulate(riskAsOf)
	r := NewDebitRiskReport(f, 60000, Today(riskAsOf).AddDate(0, 0, 2))
	if r.Error != "" || r.Probability == nil || r.BestProbability == nil || len(r.Days) != BestDebitDays {
		t.Fatalf("report = %+v, want a probability, a best date and %d days", r, BestDebitDays)
	}
	if *r.BestProbability > *r.Probability {
		t.Errorf("best date risk %v above the requested date's %v", *r.BestProbability, *r.Probability)
	}
	thin := *f
	thin.DaysOfHistory = 3
	if r := NewDebitRiskReport(&thin, 60000, time.Time{}); r.Error == "" || r.Probability != nil {
		t.Errorf("thin history: report = %+v, want an error and no probability", r)
	}
}
