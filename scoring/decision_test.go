package scoring

import (
	"slices"
	"testing"
	"time"

	"github.com/riskd/riskd/scoring/cashflow"
)

var asOf = time.Date(2026, 11, 2, 15, 0, 0, 0, time.UTC)

func healthy() *cashflow.Features {
	avail := int64(450000)
	return &cashflow.Features{DaysOfHistory: 365, BalanceAsOf: asOf.Add(-time.Hour), BalanceCurrentCents: 480000,
		BalanceAvailableCents: &avail, AverageDailyCents90d: 410000, IncomeMonthlyCents: 520000, IncomeFrequency: "biweekly",
		DaysSinceLastIncome: 4, InstallmentMonthlyCents: 30000}
}

func matched() *Ownership {
	yes := true
	return &Ownership{Owners: 1, NameCompared: true, NameScore: 97, NameMatch: true, EmailMatch: &yes}
}

func active() Account { return Account{Status: "active", HasOwnership: true, HasTransactions: true} }

func codes(r Result) []string {
	var out []string
	for _, x := range r.Reasons {
		out = append(out, x.Code)
	}
	return out
}

func TestDecide(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       func(*Inputs)
		decision Decision
		code     string // a reason that must be present ("" for none at all)
	}{
		{"clean file", func(*Inputs) {}, Approve, ""},
		{"disconnected account", func(in *Inputs) { in.Account.Status = "disconnected" }, Decline, "ACCOUNT_INACTIVE"},
		{"someone else's account", func(in *Inputs) { in.Ownership.NameMatch, in.Ownership.NameScore = false, 12 }, Decline, "OWNER_NAME_MISMATCH"},
		{"family member", func(in *Inputs) { in.Ownership.NameMatch, in.Ownership.FamilyMember = false, true }, Review, "OWNER_FAMILY_MEMBER"},
		{"business owner", func(in *Inputs) { in.Ownership.NameMatch, in.Ownership.Business = false, true }, Review, "OWNER_IS_BUSINESS"},
		{"no ownership permission", func(in *Inputs) { in.Account.HasOwnership, in.Ownership = false, nil }, Review, "OWNER_DATA_MISSING"},
		{"no transactions", func(in *Inputs) { in.Cashflow = nil }, Review, "TRANSACTIONS_MISSING"},
		{"frequent NSF", func(in *Inputs) { in.Cashflow.NSFCount90d = 4 }, Review, "NSF_FREQUENT"},
		{"one NSF costs points only", func(in *Inputs) { in.Cashflow.NSFCount90d = 1 }, Approve, "NSF_RECENT"},
		{"thin file", func(in *Inputs) { in.Cashflow.DaysOfHistory = 12 }, Review, "THIN_FILE"},
		{"stale balance", func(in *Inputs) { in.Cashflow.BalanceAsOf = asOf.AddDate(0, 0, -9) }, Review, "BALANCE_STALE"},
		{"no income", func(in *Inputs) { in.Cashflow.IncomeMonthlyCents, in.Cashflow.DaysSinceLastIncome = 0, -1 }, Review, "NO_INCOME"},
		{"income stopped", func(in *Inputs) { in.Cashflow.DaysSinceLastIncome = 50 }, Review, "INCOME_STOPPED"},
		{"debt load", func(in *Inputs) { in.Cashflow.InstallmentMonthlyCents = 300000 }, Review, "HIGH_DEBT_TO_INCOME"},
		{"debit above the available balance", func(in *Inputs) { in.AmountCents = 900000 }, Decline, "DEBIT_EXCEEDS_BALANCE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := Inputs{AsOf: asOf, Account: active(), Ownership: matched(), Cashflow: healthy()}
			tc.in(&in)
			got := Decide(in, DefaultPolicy())
			if got.Decision != tc.decision {
				t.Errorf("decision = %s, want %s (score %d, reasons %v)", got.Decision, tc.decision, got.Score, codes(got))
			}
			if tc.code == "" && len(got.Reasons) != 0 || tc.code != "" && !slices.Contains(codes(got), tc.code) {
				t.Errorf("reasons = %v, want %q", codes(got), tc.code)
			}
			for _, r := range got.Reasons {
				if r.Feature == "" || r.Message == "" {
					t.Errorf("reason %s has no feature or message", r.Code)
				}
			}
			if got.Score < 0 || got.Score > 100 || got.PolicyVersion != PolicyVersion {
				t.Errorf("score %d, policy %q", got.Score, got.PolicyVersion)
			}
		})
	}
}
