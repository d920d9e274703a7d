package cashflow

import (
	"math"
	"time"

	"gonum.org/v1/gonum/stat"
)

// Derive fills the features computed in Go from what the cashflow_features SQL macro returns:
// the trend slopes of NetFlowByMonthCents and IncomeByMonthCents (gonum least squares) and
// IncomeStability. The store calls it after reading a row; call it again after changing the
// inputs.
func (f *Features) Derive() {
	f.IncomeTrendCentsPerMonth = TrendSlope(f.IncomeByMonthCents)
	f.NetFlowTrendCentsPerMonth = TrendSlope(f.NetFlowByMonthCents)
	f.IncomeStability = IncomeStability(f.IncomeStreams, Today(f.AsOf))
}

// TrendSlope is the ordinary least-squares slope of a series of equally spaced values (oldest
// first), in value units per step, rounded to a whole unit. Fewer than two values have no
// trend: 0.
func TrendSlope(values []int64) float64 {
	if len(values) < 2 {
		return 0
	}
	x := make([]float64, len(values))
	y := make([]float64, len(values))
	for i, v := range values {
		x[i], y[i] = float64(i), float64(v)
	}
	_, beta := stat.LinearRegression(x, y, nil, false)
	return math.Round(beta)
}

// IncomeStability scores, 0–100, how steady the income of the streams is as of today.
//
// Each stream's regularity is 1 − (AmountCV + IntervalCV) / 2, clamped to [0, 1]: a salary of
// the same amount every 14 days scores 1, gig payouts of varying size on random days score
// near 0. A stream seen on a single day has an unknown interval and counts IntervalCV as 1.
// A stream that has stopped (no deposit for more than twice its usual interval, or for more
// than 45 days when the interval is unknown) scores 0. The result is the average regularity
// weighted by each stream's MonthlyCents, × 100, rounded; 0 without income.
func IncomeStability(streams []IncomeStream, today time.Time) int {
	var sum, weight float64
	for _, s := range streams {
		if s.MonthlyCents <= 0 {
			continue
		}
		w := float64(s.MonthlyCents)
		weight += w
		intervalCV, stopAfter := 1.0, 45.0
		if s.IntervalCV != nil {
			intervalCV = *s.IntervalCV
		}
		if s.IntervalDays != nil && *s.IntervalDays > 0 {
			stopAfter = 2 * *s.IntervalDays
		}
		if !s.LastDate.IsZero() && today.Sub(s.LastDate).Hours()/24 > stopAfter {
			continue // stopped: adds weight, no regularity
		}
		r := 1 - (s.AmountCV+intervalCV)/2
		sum += w * math.Max(0, math.Min(1, r))
	}
	if weight == 0 {
		return 0
	}
	return int(math.Round(100 * sum / weight))
}
