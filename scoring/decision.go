package scoring

import (
	"fmt"
	"time"

	"github.com/riskd/riskd/scoring/cashflow"
)

// PolicyVersion names the rules below; it is stored with every decision.
const PolicyVersion = "2026-11-26.2"

// Decision is the verdict on a debit or an application.
type Decision string

const (
	Approve Decision = "approve"
	Review  Decision = "review"
	Decline Decision = "decline"
)

// Effect is what a reason does to the decision.
type Effect string

const (
	EffectDecline Effect = "decline" // forces a decline
	EffectReview  Effect = "review"  // forces at least a review
	EffectPoints  Effect = "points"  // lowers the score only
)

// Reason explains one contribution to a decision. Feature names the computed feature (as the API
// and the SQL views name it) and Value is its value, so every reason maps to a number an analyst
// can query.
type Reason struct {
	Code      string `json:"code"`
	Effect    Effect `json:"effect"`
	Points    int    `json:"points"` // subtracted from 100
	Feature   string `json:"feature"`
	Value     any    `json:"value"`
	Threshold any    `json:"threshold,omitempty"`
	Message   string `json:"message"`
}

// Account is what the decision needs to know about the account itself.
type Account struct {
	Status          string
	HasOwnership    bool // the ownership permission was granted
	HasTransactions bool // the transactions permission was granted
}

// Ownership summarizes the ownership match between the applicant and the account's owners.
type Ownership struct {
	Owners       int  // owners in the latest snapshot
	NameCompared bool // both sides had a name
	NameScore    int  // 0-100
	NameMatch    bool
	FamilyMember bool // shares only a first or last name with an owner
	Business     bool // the matching owner looks like a business
	EmailMatch   *bool
	PhoneMatch   *bool
	AddressMatch *bool
}

// Inputs are the facts one decision is made from.
type Inputs struct {
	AsOf        time.Time
	AmountCents int64     // proposed debit; 0 when scoring without a debit
	SettleDate  time.Time // when the debit would settle; zero: DebitSettleDays after AsOf's date
	Account     Account
	Ownership   *Ownership         // nil when no ownership data is stored
	Cashflow    *cashflow.Features // nil when no transactions are stored
}

// Result is a decision with its explanation.
type Result struct {
	Decision      Decision         `json:"decision"`
	Score         int              `json:"score"`
	Reasons       []Reason         `json:"reasons"`
	Debit         *DebitAssessment `json:"debit,omitempty"` // with a proposed debit and enough history
	PolicyVersion string           `json:"policy_version"`
}

// DebitAssessment is the forecast for a proposed debit: the chance it cannot clear on its settle
// date, and the day in the next cashflow.BestDebitDays with the best chance.
type DebitAssessment struct {
	SettleDate string             `json:"settle_date"` // YYYY-MM-DD, UTC
	Risk       cashflow.DebitRisk `json:"risk"`
	BestDate   string             `json:"best_date"`
	Best       cashflow.DebitRisk `json:"best"`
}

// DebitSettleDays is how many days after the decision an ACH debit is assumed to reach the
// account when the caller gives no settle date.
const DebitSettleDays = 2

// Policy holds the thresholds of the rules. The zero value is not useful; start from DefaultPolicy.
type Policy struct {
	ApproveScore         int   // a file without review or decline reasons is approved at or above this score
	ThinFileDays         int   // fewer days of history forces review
	StaleBalanceDays     int   // an older balance forces review
	NSFFrequent          int   // NSF fees in 90 days that force a review (NSF_FREQUENT)
	NSFPoints            int   // points per NSF fee
	NegativeDaysFrequent int   // days below zero in 90 days that force a review
	NegativeDayPoints    int   // points per negative day
	IncomeGapDays        int   // days since the last income that mean income stopped
	LowBalanceCents      int64 // average daily balance under this costs LowBalancePoints
	LowBalancePoints     int
	DebtToIncomeReview   float64 // installment payments over this share of income force review
	CashAdvancePoints    int     // points when cash-advance apps were used in the window
	DebitRiskReview      float64 // a proposed debit this likely to fail forces review
	DebitRiskDecline     float64 // and this likely, a decline
}

// DefaultPolicy returns riskd's default rules.
func DefaultPolicy() Policy {
	return Policy{
		ApproveScore: 70,
		ThinFileDays: 30, StaleBalanceDays: 3,
		NSFFrequent: 3, NSFPoints: 15,
		NegativeDaysFrequent: 10, NegativeDayPoints: 3,
		IncomeGapDays:   35,
		LowBalanceCents: 20000, LowBalancePoints: 15,
		DebtToIncomeReview: 0.4, CashAdvancePoints: 15,
		DebitRiskReview: 0.2, DebitRiskDecline: 0.5,
	}
}

// Decide applies the policy to the inputs. riskd declines on facts: the account is not active,
// no owner is the applicant, the debit cannot clear. It refers risk to review: weak or unknown
// cash flow, thin files, family-member or business owners. The score (100 minus the points of
// every reason) ranks risk; a file with no review or decline reason is approved only at or above
// ApproveScore.
func Decide(in Inputs, p Policy) Result {
	var rs []Reason
	add := func(code string, e Effect, points int, feature string, value, threshold any, msg string, args ...any) {
		rs = append(rs, Reason{Code: code, Effect: e, Points: points, Feature: feature, Value: value,
			Threshold: threshold, Message: fmt.Sprintf(msg, args...)})
	}

	if in.Account.Status != "active" {
		add("ACCOUNT_INACTIVE", EffectDecline, 0, "account.status", in.Account.Status, "active",
			"The account is %s: it cannot be refreshed or debited.", in.Account.Status)
	}
	ownershipReasons(in.Ownership, in.Account, add)
	cashflowReasons(in, p, add)
	debit := debitReasons(in, p, add)

	score := 100
	decision := Approve
	for _, r := range rs {
		score -= r.Points
		switch {
		case r.Effect == EffectDecline:
			decision = Decline
		case r.Effect == EffectReview && decision == Approve:
			decision = Review
		}
	}
	score = max(0, min(100, score))
	if score < p.ApproveScore && decision == Approve {
		decision = Review
	}
	if rs == nil {
		rs = []Reason{}
	}
	return Result{Decision: decision, Score: score, Reasons: rs, Debit: debit, PolicyVersion: PolicyVersion}
}

type addFunc func(code string, e Effect, points int, feature string, value, threshold any, msg string, args ...any)

func ownershipReasons(o *Ownership, a Account, add addFunc) {
	switch {
	case !a.HasOwnership:
		add("OWNER_DATA_MISSING", EffectReview, 10, "account.permissions", "no ownership", "ownership",
			"The account holder did not grant the ownership permission.")
		return
	case o == nil || o.Owners == 0:
		add("OWNER_DATA_MISSING", EffectReview, 10, "ownership.owners", 0, 1,
			"The bank reported no owners for the account.")
		return
	case !o.NameCompared:
		add("OWNER_DATA_MISSING", EffectReview, 10, "ownership.name.score", nil, nil,
			"The applicant or the owners have no name to compare.")
		return
	}
	switch {
	case o.Business:
		add("OWNER_IS_BUSINESS", EffectReview, 20, "ownership.name.is_business_name_detected", true, false,
			"The account is owned by a business, not by the applicant.")
	case o.FamilyMember:
		add("OWNER_FAMILY_MEMBER", EffectReview, 30, "ownership.name.is_first_or_last_name_match", true, false,
			"An owner shares only a first or last name with the applicant (name score %d).", o.NameScore)
	case !o.NameMatch:
		add("OWNER_NAME_MISMATCH", EffectDecline, 50, "ownership.name.score", o.NameScore, nil,
			"No owner's name matches the applicant (best name score %d).", o.NameScore)
	}
	if o.NameMatch && isFalse(o.EmailMatch) && isFalse(o.PhoneMatch) && isFalse(o.AddressMatch) {
		add("OWNER_CONTACT_MISMATCH", EffectPoints, 10, "ownership.email.match", false, true,
			"The owner's name matches but their email, phone and address all differ from the applicant's.")
	}
}

func isFalse(b *bool) bool { return b != nil && !*b }

func cashflowReasons(in Inputs, p Policy, add addFunc) {
	f := in.Cashflow
	switch {
	case !in.Account.HasTransactions:
		add("TRANSACTIONS_MISSING", EffectReview, 15, "account.permissions", "no transactions", "transactions",
			"The account holder did not grant the transactions permission: cash flow is unknown.")
		return
	case f == nil:
		add("TRANSACTIONS_MISSING", EffectReview, 15, "cashflow.days_of_history", 0, p.ThinFileDays,
			"No transactions are stored for the account.")
		return
	}
	if f.DaysOfHistory < p.ThinFileDays {
		add("THIN_FILE", EffectReview, 15, "data_quality.days_of_history", f.DaysOfHistory, p.ThinFileDays,
			"Only %d days of transaction history (fewer than %d).", f.DaysOfHistory, p.ThinFileDays)
	}
	if f.BalanceAsOf.IsZero() {
		add("BALANCE_MISSING", EffectReview, 10, "balance.current_cents", nil, nil, "No balance is stored for the account.")
	} else if age := in.AsOf.Sub(f.BalanceAsOf); age > time.Duration(p.StaleBalanceDays)*24*time.Hour {
		days := int(age.Hours() / 24)
		add("BALANCE_STALE", EffectReview, 5, "data_quality.balance_age_days", days, p.StaleBalanceDays,
			"The latest balance is %d days old.", days)
	}

	switch n := f.NSFCount90d; {
	case n >= p.NSFFrequent:
		add("NSF_FREQUENT", EffectReview, p.NSFPoints*n, "nsf.count_90d", n, p.NSFFrequent,
			"%d NSF, overdraft or returned-item fees in the last 90 days.", n)
	case n > 0:
		add("NSF_RECENT", EffectPoints, p.NSFPoints*n, "nsf.count_90d", n, p.NSFFrequent,
			"%d NSF, overdraft or returned-item fee(s) in the last 90 days.", n)
	}
	switch n := f.DaysNegative90d; {
	case n >= p.NegativeDaysFrequent:
		add("NEGATIVE_BALANCE_FREQUENT", EffectReview, min(40, p.NegativeDayPoints*n), "balance.days_negative_90d", n,
			p.NegativeDaysFrequent, "The balance ended %d of the last 90 days below zero.", n)
	case n > 0:
		add("NEGATIVE_BALANCE_DAYS", EffectPoints, p.NegativeDayPoints*n, "balance.days_negative_90d", n,
			p.NegativeDaysFrequent, "The balance ended %d of the last 90 days below zero.", n)
	}
	if f.AverageDailyCents90d < p.LowBalanceCents {
		add("LOW_AVERAGE_BALANCE", EffectPoints, p.LowBalancePoints, "balance.average_daily_cents_90d",
			f.AverageDailyCents90d, p.LowBalanceCents, "The average daily balance over 90 days is %s.", dollars(f.AverageDailyCents90d))
	}

	switch {
	case f.IncomeMonthlyCents == 0 && f.DaysOfHistory >= p.ThinFileDays:
		add("NO_INCOME", EffectReview, 25, "income.monthly_cents", 0, nil,
			"No payroll, benefits, pension or gig income in the last 90 days.")
	case f.DaysSinceLastIncome > p.IncomeGapDays:
		add("INCOME_STOPPED", EffectReview, 30, "income.days_since_last", f.DaysSinceLastIncome, p.IncomeGapDays,
			"The last income deposit was %d days ago.", f.DaysSinceLastIncome)
	}
	if f.IncomeMonthlyCents > 0 {
		ratio := float64(f.InstallmentMonthlyCents) / float64(f.IncomeMonthlyCents)
		if ratio > p.DebtToIncomeReview {
			add("HIGH_DEBT_TO_INCOME", EffectReview, 20, "debt.monthly_installments_cents", f.InstallmentMonthlyCents,
				int64(p.DebtToIncomeReview*float64(f.IncomeMonthlyCents)),
				"Installment payments take %.0f%% of monthly income.", 100*ratio)
		}
	}
	if f.CashAdvanceCount90d > 0 {
		add("CASH_ADVANCE_USE", EffectPoints, p.CashAdvancePoints, "cash_advance.count_90d", f.CashAdvanceCount90d, 0,
			"%d cash-advance app transactions in the last 90 days.", f.CashAdvanceCount90d)
	}

	if a := in.AmountCents; a > 0 {
		available := f.BalanceCurrentCents
		if f.BalanceAvailableCents != nil {
			available = *f.BalanceAvailableCents
		}
		if a > available {
			add("DEBIT_EXCEEDS_BALANCE", EffectDecline, 30, "balance.available_cents", available, a,
				"The debit of %s exceeds the available balance of %s.", dollars(a), dollars(available))
		}
	}
}

// debitReasons forecasts a proposed debit from the account's balance history and income
// calendar. It returns nil without a debit, without transactions, or with too little history.
func debitReasons(in Inputs, p Policy, add addFunc) *DebitAssessment {
	f := in.Cashflow
	if in.AmountCents <= 0 || f == nil {
		return nil
	}
	settle := in.SettleDate
	if settle.IsZero() {
		settle = cashflow.Today(in.AsOf).AddDate(0, 0, DebitSettleDays)
	}
	risk, err := cashflow.ForecastDebit(f, in.AmountCents, settle)
	if err != nil {
		return nil // thin files are already flagged; a settle date in the past forecasts nothing
	}
	best, _, err := cashflow.BestDebitDate(f, in.AmountCents)
	if err != nil {
		return nil
	}
	a := &DebitAssessment{SettleDate: settle.Format(time.DateOnly), Risk: risk, BestDate: best.SettleDate.Format(time.DateOnly), Best: best}
	msg := "The debit of %s has a %.0f%% chance of meeting a balance below it on %s (best day in the next %d: %s, %.0f%%)."
	args := []any{dollars(in.AmountCents), 100 * risk.Probability, a.SettleDate, cashflow.BestDebitDays, a.BestDate, 100 * best.Probability}
	switch pr := risk.Probability; {
	case pr >= p.DebitRiskDecline:
		add("DEBIT_NSF_RISK", EffectDecline, 40, "debit.risk.probability", round2(pr), p.DebitRiskDecline, msg, args...)
	case pr >= p.DebitRiskReview:
		add("DEBIT_NSF_RISK", EffectReview, 20, "debit.risk.probability", round2(pr), p.DebitRiskReview, msg, args...)
	}
	return a
}

func round2(x float64) float64 { return float64(int(x*100+0.5)) / 100 }

func dollars(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s$%d.%02d", sign, c/100, c%100)
}
