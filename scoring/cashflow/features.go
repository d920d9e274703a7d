package cashflow

import (
	"encoding/json"
	"time"
)

// Features are an account's cash-flow signals as of a point in time, as computed by the
// cashflow_features SQL macro (sql/views/0010_cashflow.sql) and completed by Derive. Amounts are
// cents (positive = money in); day counts are UTC calendar days. "The window" is the 90 days
// before the UTC date of AsOf; "today" is that date.
//
// JSON names are the SQL column names, so a field in an API response, a reason's feature and
// a column an analyst queries are spelled alike. Report nests them as riskctl cashflow prints.
type Features struct {
	AccountID string    `json:"account_id"`
	AsOf      time.Time `json:"as_of"`

	// Data quality.
	HasTransactions    bool      `json:"has_transactions"`       // any non-void transaction transacted by AsOf
	DaysOfHistory      int       `json:"days_of_history"`        // today minus the day of the first transaction; 0 without any
	Transactions90d    int       `json:"transactions_90d"`       // posted transactions in the window
	PendingCount       int       `json:"pending_count"`          // transactions still pending at AsOf
	MissingPermissions []string  `json:"missing_permissions"`    // of balances and transactions, those not granted
	HasBalance         bool      `json:"has_balance"`            // a balance was reported by AsOf
	BalanceAsOf        time.Time `json:"balance_as_of,omitzero"` // when the latest balance at or before AsOf was reported; zero if none
	BalanceAgeDays     int       `json:"balance_age_days"`       // whole days from BalanceAsOf to AsOf; -1 without a balance

	// Balance. The end-of-day balance of day d is the latest balance.current minus the posted
	// amounts transacted after d. Without a balance every balance field is zero.
	BalanceCurrentCents       int64  `json:"balance_current_cents"`        // latest balance.current at or before AsOf
	BalanceAvailableCents     *int64 `json:"balance_available_cents"`      // latest balance.cash.available, if reported
	AverageDailyCents30d      int64  `json:"average_daily_cents_30d"`      // mean end-of-day balance over the last 30 days
	AverageDailyCents90d      int64  `json:"average_daily_cents_90d"`      // mean end-of-day balance over the window
	AverageDailyCents180d     int64  `json:"average_daily_cents_180d"`     // mean end-of-day balance over the last 180 days
	MinCents90d               int64  `json:"min_cents_90d"`                // lowest end-of-day balance in the window
	MaxCents90d               int64  `json:"max_cents_90d"`                // highest end-of-day balance in the window
	DaysNegative90d           int    `json:"days_negative_90d"`            // window days ending below zero
	BalanceP10Cents90d        int64  `json:"balance_p10_cents_90d"`        // 10th percentile of window end-of-day balances (linear interpolation)
	BalanceP50Cents90d        int64  `json:"balance_p50_cents_90d"`        // median window end-of-day balance
	BalanceP90Cents90d        int64  `json:"balance_p90_cents_90d"`        // 90th percentile of window end-of-day balances
	BalanceVolatilityCents90d int64  `json:"balance_volatility_cents_90d"` // population standard deviation of window end-of-day balances

	// Income: credits classified income_payroll, income_benefits, income_pension or income_gig.
	IncomeMonthlyCents  int64          `json:"income_monthly_cents"`   // income posted in the window × 30.4375 / 90
	IncomeFrequency     string         `json:"income_frequency"`       // of the largest stream: weekly | biweekly | semimonthly | monthly | irregular | none
	IncomeCount90d      int            `json:"income_count_90d"`       // income deposits in the window
	DaysSinceLastIncome int            `json:"days_since_last_income"` // today minus the day of the last income deposit; -1 when none was ever seen
	IncomeStreams       []IncomeStream `json:"income_streams"`         // streams with income in the window, largest first
	// IncomeStability is 0–100: how steady the income is, weighting each stream's regularity
	// (variation of its amounts and of its intervals) by its income; 0 without income. See Derive.
	IncomeStability int `json:"income_stability"`
	// IncomeTrendCentsPerMonth is the least-squares slope of income over the six 30-day periods
	// before today, in cents per period: negative when income is shrinking. See Derive.
	IncomeTrendCentsPerMonth float64 `json:"income_trend_cents_per_month"`

	// NSF.
	NSFCount90d int `json:"nsf_count_90d"` // posted NSF, overdraft and returned-item fees in the window

	// Debt.
	InstallmentMonthlyCents  int64 `json:"debt_monthly_installments_cents"`  // installment-loan payments in the window × 30.4375 / 90
	DebtLenders90d           int   `json:"debt_lenders_90d"`                 // distinct installment lenders paid in the window
	CardPaymentsMonthlyCents int64 `json:"debt_card_payments_monthly_cents"` // credit-card payments in the window × 30.4375 / 90
	LoanProceedsCents90d     int64 `json:"debt_loan_proceeds_cents_90d"`     // loan disbursements received in the window

	// Cash-advance apps (Earnin, Dave, Brigit, MoneyLion, ...), advances and repayments alike.
	CashAdvanceCount90d       int   `json:"cash_advance_count_90d"`        // cash-advance transactions in the window
	CashAdvanceApps90d        int   `json:"cash_advance_apps_90d"`         // distinct apps used in the window
	CashAdvanceInflowCents90d int64 `json:"cash_advance_inflow_cents_90d"` // advances received in the window

	// Flows.
	InflowCents90d  int64 `json:"inflow_cents_90d"`  // all posted money in during the window
	OutflowCents90d int64 `json:"outflow_cents_90d"` // all posted money out during the window, positive
	// ExpenseCents90d is money out in the window other than transfers to the holder's own
	// accounts and overdraft-protection transfers, positive.
	ExpenseCents90d    int64    `json:"expense_cents_90d"`
	InflowOutflowRatio *float64 `json:"inflow_outflow_ratio"` // InflowCents90d / OutflowCents90d; nil without outflows
	ExpenseToIncome    *float64 `json:"expense_to_income"`    // ExpenseCents90d / income in the window; nil without income
	// NetFlowByMonthCents and IncomeByMonthCents are the net posted flow and the income of the
	// six 30-day periods before today, oldest first (the last covers today-30 .. today-1),
	// summed by the cashflow_posted_features SQL macro.
	NetFlowByMonthCents []int64 `json:"net_flow_by_month_cents"`
	IncomeByMonthCents  []int64 `json:"income_by_month_cents"`
	// NetFlowTrendCentsPerMonth is the least-squares slope of NetFlowByMonthCents, in cents per
	// period. See Derive.
	NetFlowTrendCentsPerMonth float64 `json:"net_flow_trend_cents_per_month"`

	// DailyBalances are the end-of-day balances of the 180 days before today, oldest first;
	// nil without a balance. DailyIncome is the income of each of those days. They feed the
	// debit-risk forecast, are read only when it is wanted (see store.PortfolioFeatures) and
	// are not serialized: the cashflow_daily_balances SQL macro serves them to analysts.
	DailyBalances []int64 `json:"-"`
	DailyIncome   []int64 `json:"-"`
}

// HistoryDays is the number of days of DailyBalances and DailyIncome.
const HistoryDays = 180

// IncomeStream is the income of one payer: deposits classified as income with the same
// normalized counterparty.
type IncomeStream struct {
	Name              string    // the payer as normalized at ingest, e.g. "ACME CORP"
	Frequency         string    // weekly | biweekly | semimonthly | monthly | irregular
	MonthlyCents      int64     // the stream's income in the window × 30.4375 / 90
	Count             int       // deposits in the window
	LastDate          time.Time // day of the latest deposit (UTC midnight), today included
	NextExpectedDate  time.Time // LastDate plus the stream's interval; zero when unknown
	MedianAmountCents int64     // median deposit per deposit day in the window
	AmountCV          float64   // coefficient of variation of the deposits in the window
	IntervalCV        *float64  // coefficient of variation of the gaps between deposit days; nil with one deposit day
	IntervalDays      *float64  // median gap between deposit days over 180 days; nil with one deposit day
}

type incomeStreamJSON struct {
	Name              string   `json:"name"`
	Frequency         string   `json:"frequency"`
	MonthlyCents      int64    `json:"monthly_cents"`
	Count             int      `json:"count"`
	LastDate          *string  `json:"last_date"`
	NextExpectedDate  *string  `json:"next_expected_date"`
	MedianAmountCents int64    `json:"median_amount_cents"`
	AmountCV          float64  `json:"amount_cv"`
	IntervalCV        *float64 `json:"interval_cv"`
	IntervalDays      *float64 `json:"interval_days"`
}

// MarshalJSON writes dates as "YYYY-MM-DD" (null when zero) and the contract's field names.
func (s IncomeStream) MarshalJSON() ([]byte, error) {
	return json.Marshal(incomeStreamJSON{Name: s.Name, Frequency: s.Frequency, MonthlyCents: s.MonthlyCents,
		Count: s.Count, LastDate: dateString(s.LastDate), NextExpectedDate: dateString(s.NextExpectedDate),
		MedianAmountCents: s.MedianAmountCents, AmountCV: s.AmountCV, IntervalCV: s.IntervalCV, IntervalDays: s.IntervalDays})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *IncomeStream) UnmarshalJSON(b []byte) error {
	var j incomeStreamJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = IncomeStream{Name: j.Name, Frequency: j.Frequency, MonthlyCents: j.MonthlyCents, Count: j.Count,
		MedianAmountCents: j.MedianAmountCents, AmountCV: j.AmountCV, IntervalCV: j.IntervalCV, IntervalDays: j.IntervalDays}
	var err error
	if s.LastDate, err = parseDate(j.LastDate); err != nil {
		return err
	}
	s.NextExpectedDate, err = parseDate(j.NextExpectedDate)
	return err
}

// Income frequencies.
const (
	FrequencyWeekly      = "weekly"
	FrequencyBiweekly    = "biweekly"
	FrequencySemimonthly = "semimonthly"
	FrequencyMonthly     = "monthly"
	FrequencyIrregular   = "irregular"
	FrequencyNone        = "none"
)

// Regular reports whether a stream of frequency f pays on a calendar that can be forecast.
func Regular(f string) bool {
	switch f {
	case FrequencyWeekly, FrequencyBiweekly, FrequencySemimonthly, FrequencyMonthly:
		return true
	}
	return false
}

// Today returns the UTC date of t as midnight UTC.
func Today(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func dateString(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.DateOnly)
	return &s
}

func parseDate(s *string) (time.Time, error) {
	if s == nil {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, *s)
}
