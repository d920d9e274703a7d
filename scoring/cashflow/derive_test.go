package cashflow

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

func TestTrendSlope(t *testing.T) {
	for _, c := range []struct {
		name   string
		values []int64
		want   float64
	}{
		{"rising by 100 a period", []int64{1000, 1100, 1200, 1300, 1400, 1500}, 100},
		{"falling income after a job loss", []int64{300000, 300000, 300000, 300000, 150000, 0}, -55714}, // −975000 / 17.5
		{"flat", []int64{5, 5, 5, 5, 5, 5}, 0},
		{"one value has no trend", []int64{42}, 0},
		{"none", nil, 0},
	} {
		if got := TrendSlope(c.values); got != c.want {
			t.Errorf("%s: TrendSlope(%v) = %v, want %v", c.name, c.values, got, c.want)
		}
	}
}

func ptrf(v float64) *float64 { return &v }

func TestIncomeStability(t *testing.T) {
	today := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	salary := IncomeStream{Name: "ACME CORP", Frequency: FrequencyBiweekly, MonthlyCents: 400000,
		LastDate: today.AddDate(0, 0, -3), AmountCV: 0, IntervalCV: ptrf(0), IntervalDays: ptrf(14)}
	gig := IncomeStream{Name: "DOORDASH", Frequency: FrequencyIrregular, MonthlyCents: 100000,
		LastDate: today.AddDate(0, 0, -1), AmountCV: 0.6, IntervalCV: ptrf(0.9), IntervalDays: ptrf(2)}
	stopped := salary
	stopped.LastDate = today.AddDate(0, 0, -40) // 40 days > 2 × 14

	for _, c := range []struct {
		name    string
		streams []IncomeStream
		want    int
	}{
		{"a steady salary", []IncomeStream{salary}, 100},
		{"gig payouts only", []IncomeStream{gig}, 25},                     // 1 − (0.6 + 0.9) / 2
		{"salary and gig, weighted 4:1", []IncomeStream{salary, gig}, 85}, // (4·1 + 1·0.25) / 5
		{"a salary that stopped", []IncomeStream{stopped}, 0},
		{"no income", nil, 0},
	} {
		if got := IncomeStability(c.streams, today); got != c.want {
			t.Errorf("%s: IncomeStability = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestDerive_TrendsOfThePeriods(t *testing.T) {
	f := &Features{AsOf: time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC),
		NetFlowByMonthCents: []int64{0, 30, 60, 90, 120, 150},            // rising 30 a period
		IncomeByMonthCents:  []int64{6000, 5000, 4000, 3000, 2000, 1000}} // falling 1000 a period
	f.Derive()
	if f.NetFlowTrendCentsPerMonth != 30 {
		t.Errorf("NetFlowTrendCentsPerMonth = %v, want 30", f.NetFlowTrendCentsPerMonth)
	}
	if f.IncomeTrendCentsPerMonth != -1000 {
		t.Errorf("IncomeTrendCentsPerMonth = %v, want -1000", f.IncomeTrendCentsPerMonth)
	}
	g := &Features{NetFlowByMonthCents: []int64{7}}
	g.Derive()
	if g.NetFlowTrendCentsPerMonth != 0 || g.IncomeTrendCentsPerMonth != 0 {
		t.Errorf("one period or none gave trends %v / %v, want 0", g.NetFlowTrendCentsPerMonth, g.IncomeTrendCentsPerMonth)
	}
}

func TestIncomeStreamJSON_DatesAndRoundTrip(t *testing.T) {
	s := IncomeStream{Name: "ACME CORP", Frequency: FrequencyBiweekly, MonthlyCents: 401234, Count: 6,
		LastDate: time.Date(2026, 9, 25, 0, 0, 0, 0, time.UTC), MedianAmountCents: 185000, IntervalCV: ptrf(0), IntervalDays: ptrf(14)}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["last_date"] != "2026-09-25" || m["next_expected_date"] != nil || m["monthly_cents"] != 401234.0 {
		t.Errorf("JSON = %s, want dates as YYYY-MM-DD, null when unknown", b)
	}
	var back IncomeStream
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !back.LastDate.Equal(s.LastDate) || back.MonthlyCents != s.MonthlyCents || *back.IntervalDays != 14 {
		t.Errorf("round trip = %+v, want %+v", back, s)
	}
}

func TestReport_NullBalanceWithoutOne(t *testing.T) {
	f := &Features{AsOf: time.Unix(1790856000, 0).UTC(), IncomeFrequency: FrequencyNone, DaysSinceLastIncome: -1,
		BalanceAgeDays: -1}
	r := NewReport("x", "fca_1", f)
	b, _ := json.Marshal(r)
	var m struct{ Balance, Income map[string]any }
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if v, ok := m.Balance["current_cents"]; !ok || v != nil {
		t.Errorf("balance.current_cents = %v (present %v), want null", v, ok)
	}
	if v := m.Income["days_since_last"]; v != nil {
		t.Errorf("income.days_since_last = %v, want null when no income was seen", v)
	}
	if s, ok := m.Income["streams"].([]any); !ok || len(s) != 0 {
		t.Errorf("income.streams = %v, want []", m.Income["streams"])
	}
	if math.IsNaN(r.Income.TrendCentsPerMonth) {
		t.Error("trend is NaN")
	}
}
