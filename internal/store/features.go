package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riskd/riskd/pipeline"
	"github.com/riskd/riskd/scoring/cashflow"
)

// featureColumns are the cashflow_features columns scanFeatures reads, in its order. Naming
// them (rather than SELECT *) lets the macro grow columns without breaking the scan.
const featureColumns = `account_id, as_of, has_transactions, days_of_history, transactions_90d, pending_count,
	missing_permissions, has_balance, balance_as_of, balance_age_days, balance_current_cents, balance_available_cents,
	average_daily_cents_30d, average_daily_cents_90d, average_daily_cents_180d, min_cents_90d, max_cents_90d,
	days_negative_90d, balance_p10_cents_90d, balance_p50_cents_90d, balance_p90_cents_90d, balance_volatility_cents_90d,
	income_monthly_cents, income_frequency, income_count_90d, days_since_last_income, income_streams,
	nsf_count_90d, debt_monthly_installments_cents, debt_lenders_90d, debt_card_payments_monthly_cents,
	debt_loan_proceeds_cents_90d, cash_advance_count_90d, cash_advance_apps_90d, cash_advance_inflow_cents_90d,
	inflow_cents_90d, outflow_cents_90d, expense_cents_90d, inflow_outflow_ratio, expense_to_income,
	net_flow_by_month_cents, income_by_month_cents, eod_balances_180d, regular_income_180d`

// featuresQuery returns the query for the features of every account as of asOf, or of one.
//
// The time and the account are written into the SQL as literals, not bound as parameters:
// a macro parameter has no type to bind a time to, and a literal account lets DuckDB push
// "account_id = '...'" into the table scan, where zone maps skip every row group but the
// account's (a bound parameter hides the value from the optimizer and scans the whole table).
func featuresQuery(asOf time.Time, accountID string) string {
	q := "SELECT " + featureColumns + " FROM cashflow_features(" + timestampLiteral(asOf)
	if accountID != "" {
		q += ", only_account := " + stringLiteral(accountID)
	}
	return q + ")"
}

// CashflowFeatures computes the account's cash-flow features as of asOf with the
// cashflow_features SQL macro. It returns nil when the account is unknown or has no
// transactions known at asOf (the decision then reports missing transactions).
func (s *Store) CashflowFeatures(ctx context.Context, accountID string, asOf time.Time) (*cashflow.Features, error) {
	f, err := s.AccountFeatures(ctx, accountID, asOf)
	if pipeline.ErrorCode(err) == pipeline.ENOTFOUND {
		return nil, nil
	}
	if err != nil || !f.HasTransactions {
		return nil, err
	}
	return f, nil
}

// AccountFeatures computes the account's cash-flow features as of asOf, whether or not it has
// transactions (HasTransactions and HasBalance say what was known). It fails with ENOTFOUND
// when the account is not stored.
func (s *Store) AccountFeatures(ctx context.Context, accountID string, asOf time.Time) (*cashflow.Features, error) {
	if accountID == "" || strings.ContainsRune(accountID, 0) {
		return nil, pipeline.Errorf(pipeline.EINVALID, "account: %q is not an account id", accountID)
	}
	rows, err := s.db.QueryContext(ctx, featuresQuery(asOf, accountID))
	if err != nil {
		return nil, fmt.Errorf("cash-flow features of %s: %w", accountID, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("cash-flow features of %s: %w", accountID, err)
		}
		return nil, pipeline.Errorf(pipeline.ENOTFOUND, "account %q is not known to riskd", accountID)
	}
	f, err := scanFeatures(rows)
	if err != nil {
		return nil, err
	}
	return f, rows.Err()
}

// PortfolioFeatures computes the cash-flow features of every stored account as of asOf in one
// pass of the cashflow_features macro and calls fn with each, as rows arrive, in no particular
// order. Accounts without transactions or balance are included (see HasTransactions and
// HasBalance). An error from fn stops the pass and is returned. fn may keep the Features.
func (s *Store) PortfolioFeatures(ctx context.Context, asOf time.Time, fn func(*cashflow.Features) error) error {
	rows, err := s.db.QueryContext(ctx, featuresQuery(asOf, ""))
	if err != nil {
		return fmt.Errorf("portfolio cash-flow features: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanFeatures(rows)
		if err != nil {
			return err
		}
		if err := fn(f); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("portfolio cash-flow features: %w", err)
	}
	return nil
}

// scanFeatures reads one row of featureColumns and derives the Go-computed features.
func scanFeatures(rows *sql.Rows) (*cashflow.Features, error) {
	f := &cashflow.Features{}
	var (
		perms, streams, netByMonth, incomeByMonth, eod, regular              any
		balAsOf                                                              sql.NullTime
		balAge, negDays, sinceIncome                                         sql.NullInt64
		cur, avail, avg30, avg90, avg180, minBal, maxBal, p10, p50, p90, vol sql.NullInt64
		inOut, expInc                                                        sql.NullFloat64
	)
	err := rows.Scan(&f.AccountID, &f.AsOf, &f.HasTransactions, &f.DaysOfHistory, &f.Transactions90d, &f.PendingCount,
		&perms, &f.HasBalance, &balAsOf, &balAge, &cur, &avail,
		&avg30, &avg90, &avg180, &minBal, &maxBal,
		&negDays, &p10, &p50, &p90, &vol,
		&f.IncomeMonthlyCents, &f.IncomeFrequency, &f.IncomeCount90d, &sinceIncome, &streams,
		&f.NSFCount90d, &f.InstallmentMonthlyCents, &f.DebtLenders90d, &f.CardPaymentsMonthlyCents,
		&f.LoanProceedsCents90d, &f.CashAdvanceCount90d, &f.CashAdvanceApps90d, &f.CashAdvanceInflowCents90d,
		&f.InflowCents90d, &f.OutflowCents90d, &f.ExpenseCents90d, &inOut, &expInc,
		&netByMonth, &incomeByMonth, &eod, &regular)
	if err != nil {
		return nil, fmt.Errorf("scan cash-flow features: %w", err)
	}
	f.AsOf = f.AsOf.UTC()
	if balAsOf.Valid {
		f.BalanceAsOf = balAsOf.Time.UTC()
	}
	f.BalanceAgeDays = -1
	if balAge.Valid {
		f.BalanceAgeDays = int(balAge.Int64)
	}
	f.DaysSinceLastIncome = -1
	if sinceIncome.Valid {
		f.DaysSinceLastIncome = int(sinceIncome.Int64)
	}
	f.DaysNegative90d = int(negDays.Int64)
	f.BalanceCurrentCents, f.AverageDailyCents30d, f.AverageDailyCents90d = cur.Int64, avg30.Int64, avg90.Int64
	f.AverageDailyCents180d, f.MinCents90d, f.MaxCents90d = avg180.Int64, minBal.Int64, maxBal.Int64
	f.BalanceP10Cents90d, f.BalanceP50Cents90d, f.BalanceP90Cents90d = p10.Int64, p50.Int64, p90.Int64
	f.BalanceVolatilityCents90d = vol.Int64
	if avail.Valid {
		v := avail.Int64
		f.BalanceAvailableCents = &v
	}
	if inOut.Valid {
		v := inOut.Float64
		f.InflowOutflowRatio = &v
	}
	if expInc.Valid {
		v := expInc.Float64
		f.ExpenseToIncome = &v
	}
	if f.MissingPermissions, err = stringList(perms); err != nil {
		return nil, fmt.Errorf("scan missing_permissions: %w", err)
	}
	if f.IncomeStreams, err = incomeStreams(streams); err != nil {
		return nil, fmt.Errorf("scan income_streams of %s: %w", f.AccountID, err)
	}
	for _, c := range []struct {
		dst  *[]int64
		src  any
		name string
	}{
		{&f.NetFlowByMonthCents, netByMonth, "net_flow_by_month_cents"},
		{&f.IncomeByMonthCents, incomeByMonth, "income_by_month_cents"},
		{&f.DailyBalances, eod, "eod_balances_180d"},
		{&f.RegularIncomeDaily, regular, "regular_income_180d"},
	} {
		if *c.dst, err = int64List(c.src); err != nil {
			return nil, fmt.Errorf("scan %s of %s: %w", c.name, f.AccountID, err)
		}
	}
	f.Derive()
	return f, nil
}

func stringList(v any) ([]string, error) {
	if v == nil {
		return []string{}, nil
	}
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list, got %T", v)
	}
	out := make([]string, 0, len(l))
	for _, e := range l {
		s, ok := e.(string)
		if !ok {
			return nil, fmt.Errorf("want strings, got %T", e)
		}
		out = append(out, s)
	}
	return out, nil
}

func int64List(v any) ([]int64, error) {
	if v == nil {
		return nil, nil
	}
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list, got %T", v)
	}
	out := make([]int64, len(l))
	for i, e := range l {
		n, ok := e.(int64)
		if !ok {
			return nil, fmt.Errorf("element %d: want BIGINT, got %T", i, e)
		}
		out[i] = n
	}
	return out, nil
}

// incomeStreams converts the income_streams list of structs.
func incomeStreams(v any) ([]cashflow.IncomeStream, error) {
	if v == nil {
		return []cashflow.IncomeStream{}, nil
	}
	l, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list, got %T", v)
	}
	out := make([]cashflow.IncomeStream, 0, len(l))
	for _, e := range l {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("want a struct, got %T", e)
		}
		var s cashflow.IncomeStream
		var errs []error
		field := func(name string, dst any) {
			if err := assign(m[name], dst); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
		var count int32
		field("name", &s.Name)
		field("frequency", &s.Frequency)
		field("monthly_cents", &s.MonthlyCents)
		field("count", &count)
		field("last_date", &s.LastDate)
		field("next_expected_date", &s.NextExpectedDate)
		field("median_amount_cents", &s.MedianAmountCents)
		field("amount_cv", &s.AmountCV)
		field("interval_cv", &s.IntervalCV)
		field("interval_days", &s.IntervalDays)
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		s.Count = int(count)
		out = append(out, s)
	}
	return out, nil
}

// assign stores a DuckDB struct field value in dst; NULL leaves dst as it is.
func assign(v any, dst any) error {
	if v == nil {
		return nil
	}
	ok := false
	switch d := dst.(type) {
	case *string:
		*d, ok = v.(string)
	case *int64:
		*d, ok = v.(int64)
	case *int32:
		*d, ok = v.(int32)
	case *float64:
		*d, ok = v.(float64)
	case **float64:
		var f float64
		if f, ok = v.(float64); ok {
			*d = &f
		}
	case *time.Time:
		var t time.Time
		if t, ok = v.(time.Time); ok {
			*d = t.UTC()
		}
	}
	if !ok {
		return fmt.Errorf("unexpected %T", v)
	}
	return nil
}

// timestampLiteral renders t as a DuckDB TIMESTAMP literal in UTC, to the microsecond.
func timestampLiteral(t time.Time) string {
	return "TIMESTAMP '" + t.UTC().Format("2006-01-02 15:04:05.999999") + "'"
}

// stringLiteral renders s as a DuckDB string literal: quotes are doubled, nothing else is
// special in standard SQL strings.
func stringLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
