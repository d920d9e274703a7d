package cashflow

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// DebitRisk is the forecast for a proposed debit of AmountCents settling on SettleDate.
type DebitRisk struct {
	AmountCents int64     `json:"amount_cents"`
	SettleDate  time.Time `json:"-"`
	// Probability that the end-of-day balance on SettleDate, before the debit, is below
	// AmountCents: the debit would overdraw the account or come back unpaid. 0.005–0.995.
	Probability float64 `json:"probability"`
	// MedianBalanceCents is the forecast median end-of-day balance on SettleDate.
	MedianBalanceCents int64 `json:"median_balance_cents"`
	// ExpectedIncomeCents is the income expected from today through SettleDate, each regular
	// deposit weighted by how likely it is to arrive.
	ExpectedIncomeCents int64 `json:"expected_income_cents"`
}

// ErrThinHistory is returned when an account has too little balance history to forecast.
var ErrThinHistory = errors.New("cash-flow history too short to forecast a debit")

// MinForecastDays is the least history (days with an end-of-day balance after the first
// transaction) a debit-risk forecast needs.
const MinForecastDays = 14

// BestDebitDays is how many days ahead BestDebitDate considers.
const BestDebitDays = 10

// ForecastDebit estimates the risk of a debit of amount cents settling on the UTC date of
// settle, from the account's features as of f.AsOf.
//
// The model. The end-of-day balance on the settle date D is
//
//	B(D) = B0 + I + S
//
// where B0 is the balance now (the available balance when reported, else the current
// balance), I the income expected from today through D, and S everything else that moves the
// balance over those h = D − today + 1 days (today counts whole, which errs on the side of
// caution).
//
// I follows the income calendar. Each stream with a regular frequency (weekly, biweekly,
// semimonthly, monthly) pays its median deposit on NextExpectedDate and every interval after:
// a deposit due on time arrives with probability 0.95; a stream already overdue by up to 5
// days pays late with probability 0.5, one overdue by more has likely stopped (0.1). Every
// combination of arrivals is weighed (at most 2^10). Irregular streams (gig payouts) add their
// monthly income pro rata, h × MonthlyCents / 30.4375, as a certain amount.
//
// S is drawn from the account's own history: the daily changes of the end-of-day balance over
// the last 180 days (only days since the first transaction) less the income posted each day,
// summed over every run of h consecutive days. Runs that start within 3 days of the same day of
// the month as today weigh four times as much, so rent and other monthly bills that fall in the
// horizon are expected. The distribution of S is smoothed with a Gaussian kernel (Silverman's
// bandwidth, at least $1), and
//
//	P(B(D) < amount) = Σ over arrival outcomes of P(outcome) · P(S < amount − B0 − I(outcome)),
//
// clamped to [0.005, 0.995]: history never makes a debit certain to clear or to fail.
//
// It returns ErrThinHistory without MinForecastDays of history, and an error for a settle date
// before today or a non-positive amount.
func ForecastDebit(f *Features, amount int64, settle time.Time) (DebitRisk, error) {
	m, err := newForecaster(f)
	if err != nil {
		return DebitRisk{}, err
	}
	return m.risk(amount, Today(settle))
}

// BestDebitDate forecasts the debit for each of the BestDebitDays days after f.AsOf's date and
// returns the day with the lowest risk (the earliest within 0.005 of the lowest) and the whole
// curve, earliest first.
func BestDebitDate(f *Features, amount int64) (best DebitRisk, curve []DebitRisk, err error) {
	m, err := newForecaster(f)
	if err != nil {
		return DebitRisk{}, nil, err
	}
	today := Today(f.AsOf)
	for i := 1; i <= BestDebitDays; i++ {
		r, err := m.risk(amount, today.AddDate(0, 0, i))
		if err != nil {
			return DebitRisk{}, nil, err
		}
		curve = append(curve, r)
	}
	lowest := curve[0].Probability
	for _, r := range curve {
		lowest = math.Min(lowest, r.Probability)
	}
	for _, r := range curve {
		if r.Probability <= lowest+0.005 {
			return r, curve, nil
		}
	}
	return curve[0], curve, nil // unreachable: some day is the lowest
}

type forecaster struct {
	f         *Features
	today     time.Time
	b0        int64
	residual  []float64   // daily balance changes less income, oldest first
	days      []time.Time // the day of each residual
	irregular float64     // daily income of irregular streams, cents
}

func newForecaster(f *Features) (*forecaster, error) {
	if f == nil {
		return nil, errors.New("debit risk: no features")
	}
	if !f.HasBalance || len(f.DailyBalances) != HistoryDays {
		return nil, fmt.Errorf("debit risk: %w: no balance history", ErrThinHistory)
	}
	if len(f.DailyIncome) != HistoryDays {
		return nil, fmt.Errorf("debit risk: income history has %d days, want %d", len(f.DailyIncome), HistoryDays)
	}
	m := &forecaster{f: f, today: Today(f.AsOf), b0: f.BalanceCurrentCents}
	if f.BalanceAvailableCents != nil {
		m.b0 = *f.BalanceAvailableCents
	}
	// Day i of the history is today − HistoryDays + i; its change is balance[i] − balance[i−1].
	first := max(HistoryDays-f.DaysOfHistory, 1) // the change of the first transaction's day counts
	for i := first; i < HistoryDays; i++ {
		change := f.DailyBalances[i] - f.DailyBalances[i-1]
		m.residual = append(m.residual, float64(change-f.DailyIncome[i]))
		m.days = append(m.days, m.today.AddDate(0, 0, i-HistoryDays))
	}
	if len(m.residual) < MinForecastDays {
		return nil, fmt.Errorf("debit risk: %w: %d days, need %d", ErrThinHistory, len(m.residual), MinForecastDays)
	}
	for _, s := range f.IncomeStreams {
		if !Regular(s.Frequency) {
			m.irregular += float64(s.MonthlyCents) / 30.4375
		}
	}
	return m, nil
}

// deposit is one expected regular-income deposit.
type deposit struct {
	amount float64
	p      float64
}

func (m *forecaster) risk(amount int64, settle time.Time) (DebitRisk, error) {
	if amount <= 0 {
		return DebitRisk{}, fmt.Errorf("debit risk: amount: must be positive cents, got %d", amount)
	}
	if settle.Before(m.today) {
		return DebitRisk{}, fmt.Errorf("debit risk: settle date %s is before %s", settle.Format(time.DateOnly), m.today.Format(time.DateOnly))
	}
	h := int(settle.Sub(m.today).Hours()/24) + 1
	sums, weights := m.windowSums(h)
	deps := m.expectedDeposits(settle)

	certain := m.irregular * float64(h)
	expected := certain
	for _, d := range deps {
		expected += d.amount * d.p
	}
	bw := bandwidth(sums, weights)
	threshold := float64(amount-m.b0) - certain
	p := 0.0
	// Enumerate the arrival outcomes of the deposits.
	for mask := 0; mask < 1<<len(deps); mask++ {
		pr, income := 1.0, 0.0
		for i, d := range deps {
			if mask&(1<<i) != 0 {
				pr *= d.p
				income += d.amount
			} else {
				pr *= 1 - d.p
			}
		}
		if pr == 0 {
			continue
		}
		p += pr * smoothedCDF(sums, weights, bw, threshold-income)
	}
	return DebitRisk{
		AmountCents:         amount,
		SettleDate:          settle,
		Probability:         math.Round(math.Max(0.005, math.Min(0.995, p))*1000) / 1000,
		MedianBalanceCents:  int64(math.Round(float64(m.b0) + expected + weightedMedian(sums, weights))), // approximately
		ExpectedIncomeCents: int64(math.Round(expected)),
	}, nil
}

// windowSums returns the sum of every run of h consecutive residual days and its weight.
func (m *forecaster) windowSums(h int) (sums, weights []float64) {
	n := len(m.residual)
	if h > n-MinForecastDays/2 {
		// Too few runs: stretch the days themselves to h days as independent draws would
		// add up (mean × h, spread × √h).
		var mean float64
		for _, x := range m.residual {
			mean += x
		}
		mean /= float64(n)
		for i, x := range m.residual {
			sums = append(sums, mean*float64(h)+(x-mean)*math.Sqrt(float64(h)))
			weights = append(weights, m.phaseWeight(m.days[i]))
		}
		return sums, weights
	}
	var run float64
	for i := 0; i < n; i++ {
		run += m.residual[i]
		if i >= h {
			run -= m.residual[i-h]
		}
		if i >= h-1 {
			sums = append(sums, run)
			weights = append(weights, m.phaseWeight(m.days[i-h+1]))
		}
	}
	return sums, weights
}

// phaseWeight favours history that starts at the same point of the month as today.
func (m *forecaster) phaseWeight(start time.Time) float64 {
	d := math.Abs(float64(start.Day() - m.today.Day()))
	d = math.Min(d, 30.4-d)
	if d <= 3 {
		return 4
	}
	return 1
}

// expectedDeposits lists the regular-income deposits due from today through settle.
func (m *forecaster) expectedDeposits(settle time.Time) []deposit {
	const maxDeposits = 10
	var out []deposit
	for _, s := range m.f.IncomeStreams {
		if !Regular(s.Frequency) || s.NextExpectedDate.IsZero() || s.MedianAmountCents <= 0 {
			continue
		}
		next := Today(s.NextExpectedDate)
		p := 0.95
		if overdue := int(m.today.Sub(next).Hours() / 24); overdue > 0 {
			p = 0.5
			if overdue > 5 {
				p = 0.1
			}
			next = m.today
		}
		for !next.After(settle) && len(out) < maxDeposits {
			out = append(out, deposit{amount: float64(s.MedianAmountCents), p: p})
			next = advance(next, s.Frequency)
		}
	}
	return out
}

// advance returns the next pay date of a regular calendar.
func advance(d time.Time, frequency string) time.Time {
	switch frequency {
	case FrequencyWeekly:
		return d.AddDate(0, 0, 7)
	case FrequencyBiweekly:
		return d.AddDate(0, 0, 14)
	case FrequencySemimonthly:
		return d.AddDate(0, 0, 15)
	default:
		return d.AddDate(0, 1, 0)
	}
}

// bandwidth is Silverman's rule of thumb for a Gaussian kernel over weighted samples, at least
// one dollar.
func bandwidth(xs, ws []float64) float64 {
	var sw, mean float64
	for i, x := range xs {
		sw += ws[i]
		mean += ws[i] * x
	}
	mean /= sw
	var v float64
	for i, x := range xs {
		v += ws[i] * (x - mean) * (x - mean)
	}
	sd := math.Sqrt(v / sw)
	return math.Max(100, 1.06*sd*math.Pow(float64(len(xs)), -0.2))
}

// smoothedCDF is P(X < y) under the Gaussian-kernel estimate of the weighted samples.
func smoothedCDF(xs, ws []float64, bw, y float64) float64 {
	var p, sw float64
	for i, x := range xs {
		p += ws[i] * 0.5 * math.Erfc(-(y-x)/(bw*math.Sqrt2))
		sw += ws[i]
	}
	return p / sw
}

func weightedMedian(xs, ws []float64) float64 {
	idx := make([]int, len(xs))
	var total float64
	for i := range idx {
		idx[i] = i
		total += ws[i]
	}
	sort.Slice(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	var acc float64
	for _, i := range idx {
		acc += ws[i]
		if acc >= total/2 {
			return xs[i]
		}
	}
	return 0
}
