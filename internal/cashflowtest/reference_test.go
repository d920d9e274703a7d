package cashflowtest

import (
	"testing"
	"time"
)

func days(ds ...string) []int64 {
	out := make([]int64, len(ds))
	for i, d := range ds {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			panic(err)
		}
		out[i] = day(t)
	}
	return out
}

func TestCadence(t *testing.T) {
	for _, c := range []struct {
		name string
		days []int64
		want string
	}{
		{"weekly Fridays", days("2026-09-04", "2026-09-11", "2026-09-18", "2026-09-25"), "weekly"},
		{"biweekly", days("2026-08-07", "2026-08-21", "2026-09-04", "2026-09-18"), "biweekly"},
		// The 15th and the last day, moved back to Friday: Aug 15 and 31 2026 are a Saturday and a Monday.
		{"semimonthly", days("2026-07-15", "2026-07-31", "2026-08-14", "2026-08-31", "2026-09-15", "2026-09-30"), "semimonthly"},
		{"semimonthly not moved back is not semimonthly here", days("2026-08-15", "2026-08-31"), "irregular"},
		{"second Wednesday", days("2026-07-08", "2026-08-12", "2026-09-09"), "monthly"},
		{"one deposit", days("2026-09-04"), "irregular"},
		{"one day twice", days("2026-09-04", "2026-09-04"), "irregular"},
		{"gig", days("2026-09-01", "2026-09-02", "2026-09-05", "2026-09-06", "2026-09-12"), "irregular"},
	} {
		if got := Cadence(c.days); got != c.want {
			t.Errorf("%s: Cadence = %s, want %s", c.name, got, c.want)
		}
	}
}

func TestCompute_ByHand(t *testing.T) {
	asOf := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC) // window 07-03 .. 09-30
	at := func(d string) time.Time {
		t, _ := time.Parse(time.DateOnly, d)
		return t.Add(10 * time.Hour)
	}
	label := func(desc string, amount int64) Label {
		switch desc {
		case "PAY":
			return Label{Income: true, Stream: "EMPLOYER"}
		case "NSF":
			return Label{NSF: true}
		case "AUTO":
			return Label{Installment: true}
		}
		return Label{}
	}
	in := Input{AsOf: asOf, HasBalance: true, Balance: 50000, Txns: []Txn{
		{Amount: 200000, Status: "posted", TransactedAt: at("2026-09-25"), PostedAt: at("2026-09-26"), Description: "PAY"},
		{Amount: 200000, Status: "posted", TransactedAt: at("2026-09-11"), PostedAt: at("2026-09-12"), Description: "PAY"},
		{Amount: -30000, Status: "pending", TransactedAt: at("2026-09-30"), Description: "SHOP"},
		{Amount: -3500, Status: "posted", TransactedAt: at("2026-09-28"), PostedAt: at("2026-09-28"), Description: "NSF"},
		{Amount: -3500, Status: "posted", TransactedAt: at("2026-07-02"), PostedAt: at("2026-07-02"), Description: "NSF"},
		{Amount: -45000, Status: "posted", TransactedAt: at("2026-09-05"), PostedAt: at("2026-09-06"), Description: "AUTO"},
		{Amount: 9999, Status: "posted", TransactedAt: at("2026-09-30"), PostedAt: at("2026-10-02"), Description: "PAY"}, // after as_of
	}}
	got := Compute(in, label)
	// Income: 400000 × 30.4375 / 90 = 135277.8. Installments: 45000 × 30.4375 / 90 = 15218.75.
	if got.IncomeMonthlyCents != 135278 || got.IncomeFrequency != "biweekly" || got.NSFCount90d != 1 ||
		got.InstallmentMonthlyCents != 15219 {
		t.Errorf("flows = %+v", got)
	}
	// End of day: 50000 from 09-28 on (nothing posted after), 53500 on 09-25..09-27, -146500 on
	// 09-11..09-24, -346500 on 09-05..09-10, -301500 before. Window 07-03..09-30: 64 days at
	// -301500, 6 at -346500, 14 at -146500, 3 at 53500, 3 at 50000.
	wantAvg := (64*-301500 + 6*-346500 + 14*-146500 + 3*53500 + 3*50000) / 90.0
	if got.MinCents90d != -346500 || got.DaysNegative90d != 84 || float64(got.AverageDailyCents90d) != roundHalfAway(wantAvg) {
		t.Errorf("balances = min %d, negative %d, average %d; want -346500, 84, %v", got.MinCents90d, got.DaysNegative90d,
			got.AverageDailyCents90d, roundHalfAway(wantAvg))
	}
}

func roundHalfAway(v float64) float64 {
	if v < 0 {
		return -float64(int64(-v + 0.5))
	}
	return float64(int64(v + 0.5))
}

func TestOracle(t *testing.T) {
	for _, c := range []struct {
		desc   string
		amount int64
		want   Label
	}{
		{"DIRECT DEP ACME CORP 260925", 250000, Label{Income: true, Stream: "DIRECT DEP ACME CORP"}},
		{"SSA TREAS 310 XXSOC SEC", 150000, Label{Income: true, Stream: "SSA TREAS XXSOC SEC"}},
		{"PA UC BENEFITS", 40000, Label{Income: true, Stream: "PA UC BENEFITS"}},
		{"DOORDASH DASHER", 5000, Label{Income: true, Stream: "DOORDASH DASHER"}},
		{"ZELLE PAYMENT FROM JOHN SMITH 8H2K3LQ9X1A", 5000, Label{}},
		{"IRS TREAS 310 TAX REF", 90000, Label{}},
		{"OPPLOANS DISBURSEMENT 12345678", 100000, Label{}},
		{"NSF FEE ITEM #4521 09/14", -3500, Label{NSF: true}},
		{"MONTHLY SERVICE FEE", -1200, Label{}},
		{"ROCKET MORTGAGE MTG PMT 5566778899", -150000, Label{Installment: true}},
		{"CHASE CREDIT CRD AUTOPAY PPD ID: 123", -60000, Label{}},
		{"EARNIN ACTIVEHOURS REPAY", -10500, Label{}},
	} {
		if got := Oracle(c.desc, c.amount); got != c.want {
			t.Errorf("Oracle(%q, %d) = %+v, want %+v", c.desc, c.amount, got, c.want)
		}
	}
}
