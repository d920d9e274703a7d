package cashflow

import "time"

// Features are an account's cash-flow signals as of a point in time, as computed by the
// cashflow_features SQL macro (sql/views). Amounts are cents; windows end the day before as_of.
type Features struct {
	AccountID string
	AsOf      time.Time

	DaysOfHistory int       // days from the first transaction to as_of
	BalanceAsOf   time.Time // when the latest balance at or before as_of was reported; zero if none

	BalanceCurrentCents     int64  // latest balance.current at or before as_of
	BalanceAvailableCents   *int64 // latest balance.cash.available, if reported
	AverageDailyCents90d    int64  // mean end-of-day balance over the 90-day window
	MinCents90d             int64  // lowest end-of-day balance in the window
	DaysNegative90d         int    // window days ending below zero
	IncomeMonthlyCents      int64  // income posted in the window × 30.4375 / 90
	IncomeFrequency         string // weekly | biweekly | semimonthly | monthly | irregular | none
	IncomeCount90d          int    // income deposits in the window
	DaysSinceLastIncome     int    // -1 when no income was ever seen
	NSFCount90d             int    // NSF, overdraft and returned-item fees posted in the window
	InstallmentMonthlyCents int64  // installment-loan payments in the window × 30.4375 / 90
	CashAdvanceCount90d     int    // cash-advance app transactions in the window
	InflowCents90d          int64  // all posted money in during the window
	OutflowCents90d         int64  // all posted money out during the window, positive
}
