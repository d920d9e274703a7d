package cashflow

import (
	"errors"
	"time"
)

// Report is the nested JSON shape of an account's features that riskctl cashflow writes
// (issue 5's contract). Its paths are the feature names the decision's reasons cite:
// "income.monthly_cents", "balance.days_negative_90d", "nsf.count_90d",
// "debt.monthly_installments_cents", "cash_advance.count_90d", "data_quality.days_of_history".
// Balance figures are null when no balance was reported by as_of.
type Report struct {
	ID          string            `json:"id"`
	AsOf        int64             `json:"as_of"` // unix seconds
	AccountID   string            `json:"account_id,omitempty"`
	Income      IncomeReport      `json:"income"`
	Balance     BalanceReport     `json:"balance"`
	NSF         NSFReport         `json:"nsf"`
	Debt        DebtReport        `json:"debt"`
	CashAdvance CashAdvanceReport `json:"cash_advance"`
	Flows       FlowsReport       `json:"flows"`
	DataQuality DataQualityReport `json:"data_quality"`
	DebitRisk   *DebitRiskReport  `json:"debit_risk,omitempty"`
}

// IncomeReport is the income part of a Report.
type IncomeReport struct {
	MonthlyCents       int64          `json:"monthly_cents"`
	Frequency          string         `json:"frequency"`
	Streams            []IncomeStream `json:"streams"`
	Count90d           int            `json:"count_90d"`
	DaysSinceLast      *int           `json:"days_since_last"` // null when no income was ever seen
	Stability          int            `json:"stability"`
	TrendCentsPerMonth float64        `json:"trend_cents_per_month"`
	ByMonthCents       []int64        `json:"by_month_cents"`
}

// BalanceReport is the balance part of a Report.
type BalanceReport struct {
	CurrentCents          *int64 `json:"current_cents"`
	AvailableCents        *int64 `json:"available_cents"`
	AsOf                  *int64 `json:"as_of"` // unix seconds of the balance used
	AverageDailyCents30d  *int64 `json:"average_daily_cents_30d"`
	AverageDailyCents90d  *int64 `json:"average_daily_cents_90d"`
	AverageDailyCents180d *int64 `json:"average_daily_cents_180d"`
	MinCents90d           *int64 `json:"min_cents_90d"`
	MaxCents90d           *int64 `json:"max_cents_90d"`
	DaysNegative90d       *int   `json:"days_negative_90d"`
	P10Cents90d           *int64 `json:"p10_cents_90d"`
	P50Cents90d           *int64 `json:"p50_cents_90d"`
	P90Cents90d           *int64 `json:"p90_cents_90d"`
	VolatilityCents90d    *int64 `json:"volatility_cents_90d"`
}

// NSFReport is the NSF part of a Report.
type NSFReport struct {
	Count90d int `json:"count_90d"`
}

// DebtReport is the debt part of a Report.
type DebtReport struct {
	MonthlyInstallmentsCents int64 `json:"monthly_installments_cents"`
	Lenders90d               int   `json:"lenders_90d"`
	CardPaymentsMonthlyCents int64 `json:"card_payments_monthly_cents"`
	LoanProceedsCents90d     int64 `json:"loan_proceeds_cents_90d"`
}

// CashAdvanceReport is the cash-advance part of a Report.
type CashAdvanceReport struct {
	Count90d       int   `json:"count_90d"`
	Apps90d        int   `json:"apps_90d"`
	InflowCents90d int64 `json:"inflow_cents_90d"`
}

// FlowsReport is the flows part of a Report.
type FlowsReport struct {
	InflowCents90d        int64    `json:"inflow_cents_90d"`
	OutflowCents90d       int64    `json:"outflow_cents_90d"`
	ExpenseCents90d       int64    `json:"expense_cents_90d"`
	InflowOutflowRatio    *float64 `json:"inflow_outflow_ratio"`
	ExpenseToIncome       *float64 `json:"expense_to_income"`
	NetByMonthCents       []int64  `json:"net_by_month_cents"`
	NetTrendCentsPerMonth float64  `json:"net_trend_cents_per_month"`
}

// DataQualityReport is the data-quality part of a Report.
type DataQualityReport struct {
	HasTransactions    bool     `json:"has_transactions"`
	DaysOfHistory      int      `json:"days_of_history"`
	Transactions90d    int      `json:"transactions_90d"`
	PendingCount       int      `json:"pending_count"`
	BalanceAgeDays     *int     `json:"balance_age_days"` // null without a balance
	MissingPermissions []string `json:"missing_permissions"`
}

// DebitRiskReport is the debit-risk part of a Report, present when a debit was proposed.
type DebitRiskReport struct {
	AmountCents int64 `json:"amount_cents"`
	// SettleDate, Probability, MedianBalanceCents and ExpectedIncomeCents describe the
	// requested settle date; they are absent when none was given.
	SettleDate          string   `json:"settle_date,omitempty"`
	Probability         *float64 `json:"probability,omitempty"`
	MedianBalanceCents  *int64   `json:"median_balance_cents,omitempty"`
	ExpectedIncomeCents *int64   `json:"expected_income_cents,omitempty"`
	// BestDate is the day of the next BestDebitDays with the lowest risk, BestProbability its
	// risk, and Days the risk of each of those days.
	BestDate        string     `json:"best_date,omitempty"`
	BestProbability *float64   `json:"best_probability,omitempty"`
	Days            []DebitDay `json:"days,omitempty"`
	// Error says why no forecast could be made (e.g. too little history).
	Error string `json:"error,omitempty"`
}

// DebitDay is one day of a best-date curve.
type DebitDay struct {
	Date        string  `json:"date"`
	Probability float64 `json:"probability"`
}

// NewReport nests f under the caller's line id.
func NewReport(id, accountID string, f *Features) Report {
	r := Report{ID: id, AsOf: f.AsOf.Unix(), AccountID: accountID}
	streams := f.IncomeStreams
	if streams == nil {
		streams = []IncomeStream{}
	}
	r.Income = IncomeReport{MonthlyCents: f.IncomeMonthlyCents, Frequency: f.IncomeFrequency, Streams: streams,
		Count90d: f.IncomeCount90d, Stability: f.IncomeStability, TrendCentsPerMonth: f.IncomeTrendCentsPerMonth,
		ByMonthCents: f.IncomeByMonthCents}
	if f.DaysSinceLastIncome >= 0 {
		r.Income.DaysSinceLast = ptr(f.DaysSinceLastIncome)
	}
	if f.HasBalance {
		r.Balance = BalanceReport{
			CurrentCents: ptr(f.BalanceCurrentCents), AvailableCents: f.BalanceAvailableCents, AsOf: ptr(f.BalanceAsOf.Unix()),
			AverageDailyCents30d: ptr(f.AverageDailyCents30d), AverageDailyCents90d: ptr(f.AverageDailyCents90d),
			AverageDailyCents180d: ptr(f.AverageDailyCents180d), MinCents90d: ptr(f.MinCents90d), MaxCents90d: ptr(f.MaxCents90d),
			DaysNegative90d: ptr(f.DaysNegative90d), P10Cents90d: ptr(f.BalanceP10Cents90d), P50Cents90d: ptr(f.BalanceP50Cents90d),
			P90Cents90d: ptr(f.BalanceP90Cents90d), VolatilityCents90d: ptr(f.BalanceVolatilityCents90d),
		}
	}
	r.NSF = NSFReport{Count90d: f.NSFCount90d}
	r.Debt = DebtReport{MonthlyInstallmentsCents: f.InstallmentMonthlyCents, Lenders90d: f.DebtLenders90d,
		CardPaymentsMonthlyCents: f.CardPaymentsMonthlyCents, LoanProceedsCents90d: f.LoanProceedsCents90d}
	r.CashAdvance = CashAdvanceReport{Count90d: f.CashAdvanceCount90d, Apps90d: f.CashAdvanceApps90d,
		InflowCents90d: f.CashAdvanceInflowCents90d}
	r.Flows = FlowsReport{InflowCents90d: f.InflowCents90d, OutflowCents90d: f.OutflowCents90d, ExpenseCents90d: f.ExpenseCents90d,
		InflowOutflowRatio: f.InflowOutflowRatio, ExpenseToIncome: f.ExpenseToIncome, NetByMonthCents: f.NetFlowByMonthCents,
		NetTrendCentsPerMonth: f.NetFlowTrendCentsPerMonth}
	perms := f.MissingPermissions
	if perms == nil {
		perms = []string{}
	}
	r.DataQuality = DataQualityReport{HasTransactions: f.HasTransactions, DaysOfHistory: f.DaysOfHistory,
		Transactions90d: f.Transactions90d, PendingCount: f.PendingCount, MissingPermissions: perms}
	if f.HasBalance {
		r.DataQuality.BalanceAgeDays = ptr(f.BalanceAgeDays)
	}
	return r
}

// NewDebitRiskReport forecasts a debit of amount cents: on settle when it is not zero, and the
// best date of the next BestDebitDays. A forecast that cannot be made is reported in Error.
func NewDebitRiskReport(f *Features, amount int64, settle time.Time) *DebitRiskReport {
	r := &DebitRiskReport{AmountCents: amount}
	if !settle.IsZero() {
		risk, err := ForecastDebit(f, amount, settle)
		if err != nil {
			r.Error = debitError(err)
			return r
		}
		r.SettleDate = settle.Format(time.DateOnly)
		r.Probability, r.MedianBalanceCents, r.ExpectedIncomeCents = ptr(risk.Probability), ptr(risk.MedianBalanceCents), ptr(risk.ExpectedIncomeCents)
	}
	best, curve, err := BestDebitDate(f, amount)
	if err != nil {
		r.Error = debitError(err)
		return r
	}
	r.BestDate, r.BestProbability = best.SettleDate.Format(time.DateOnly), ptr(best.Probability)
	for _, d := range curve {
		r.Days = append(r.Days, DebitDay{Date: d.SettleDate.Format(time.DateOnly), Probability: d.Probability})
	}
	return r
}

func debitError(err error) string {
	if errors.Is(err, ErrThinHistory) {
		return ErrThinHistory.Error()
	}
	return err.Error()
}

func ptr[T any](v T) *T { return &v }
