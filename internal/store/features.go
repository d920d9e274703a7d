package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/riskd/riskd/pipeline"
	"github.com/riskd/riskd/scoring/cashflow"
)

// The columns read from each part of cashflow_features_daily, in scan order. Naming them (rather
// than SELECT *) lets the macros grow columns without breaking the scan. dailyColumns are the
// daily series only the debit forecast reads (cashflow_daily_lists).
const (
	postedColumns = `missing_permissions, has_balance, balance_as_of, balance_age_days, balance_current_cents,
	balance_available_cents, average_daily_cents_30d, average_daily_cents_90d, average_daily_cents_180d,
	min_cents_90d, max_cents_90d, days_negative_90d, balance_p10_cents_90d, balance_p50_cents_90d,
	balance_p90_cents_90d, balance_volatility_cents_90d, transactions_90d, income_monthly_cents,
	income_count_90d, nsf_count_90d, debt_monthly_installments_cents, debt_lenders_90d,
	debt_card_payments_monthly_cents, debt_loan_proceeds_cents_90d, cash_advance_count_90d,
	cash_advance_apps_90d, cash_advance_inflow_cents_90d, inflow_cents_90d, outflow_cents_90d,
	expense_cents_90d, inflow_outflow_ratio, expense_to_income, net_by_period_cents, income_by_period_cents`
	historyColumns = `has_transactions, days_of_history, pending_count, income_frequency, days_since_last_income,
	income_streams`
	dailyColumns = `eod_balances_180d, income_180d`
)

// macroCall renders a call of a cash-flow macro as of asOf, for one account or every one.
//
// The time and the account are written into the SQL as literals, not bound as parameters: a
// macro parameter has no type to bind a time to, and a literal account lets DuckDB push
// "account_id = '...'" into the table scans, where zone maps skip every row group but the
// account's (a bound parameter hides the value from the optimizer and scans the whole table).
func macroCall(macro string, asOf time.Time, accountID string) string {
	q := macro + "(" + timestampLiteral(asOf)
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
//
// The parts of cashflow_features_daily (cashflow_posted_features, cashflow_history_features and
// cashflow_daily_lists) run side by side on their own connections: for one account DuckDB
// spends most of the time planning, and planning runs on the calling thread. Each part reads its
// own snapshot, so a refresh that commits the account meanwhile can show in some parts only;
// PortfolioFeatures reads one.
func (s *Store) AccountFeatures(ctx context.Context, accountID string, asOf time.Time) (*cashflow.Features, error) {
	if accountID == "" || strings.ContainsRune(accountID, 0) {
		return nil, pipeline.Errorf(pipeline.EINVALID, "account: %q is not an account id", accountID)
	}
	f := &cashflow.Features{AccountID: accountID, AsOf: asOf.UTC()}
	var sc featureScan
	parts := []struct {
		macro, columns string
		dest           []any
		found          bool
		err            error
	}{
		{macro: "cashflow_posted_features", columns: postedColumns, dest: sc.postedDest(f)},
		{macro: "cashflow_history_features", columns: historyColumns, dest: sc.historyDest(f)},
		{macro: "cashflow_daily_lists", columns: dailyColumns, dest: sc.dailyDest()},
	}
	var wg sync.WaitGroup
	for i := range parts {
		p := &parts[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.db.QueryRowContext(ctx, "SELECT "+p.columns+" FROM "+macroCall(p.macro, asOf, accountID)).Scan(p.dest...)
			switch {
			case errors.Is(err, sql.ErrNoRows):
			case err != nil:
				p.err = fmt.Errorf("cash-flow features of %s (%s): %w", accountID, p.macro, err)
			default:
				p.found = true
			}
		}()
	}
	wg.Wait()
	for _, p := range parts {
		if p.err != nil {
			return nil, p.err
		}
		if !p.found {
			return nil, pipeline.Errorf(pipeline.ENOTFOUND, "account %q is not known to riskd", accountID)
		}
	}
	if err := sc.finish(f); err != nil {
		return nil, fmt.Errorf("cash-flow features of %s: %w", accountID, err)
	}
	return f, nil
}

// PortfolioFeatures computes the cash-flow features of every stored account as of asOf in one
// pass of the cashflow_features macro and calls fn with each, as rows arrive, in no particular
// order. Accounts without transactions or balance are included (see HasTransactions and
// HasBalance). An error from fn stops the pass and is returned. fn may keep the Features.
//
// The daily series the debit forecast needs (DailyBalances, DailyIncome) are read only when
// daily is set: they make the pass take about twice as long.
func (s *Store) PortfolioFeatures(ctx context.Context, asOf time.Time, daily bool, fn func(*cashflow.Features) error) error {
	columns, macro := "account_id, "+postedColumns+", "+historyColumns, "cashflow_features"
	if daily {
		columns, macro = columns+", "+dailyColumns, "cashflow_features_daily"
	}
	q := "SELECT " + columns + " FROM " + macroCall(macro, asOf, "")
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("portfolio cash-flow features: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		f := &cashflow.Features{AsOf: asOf.UTC()}
		var sc featureScan
		dest := append(append([]any{&f.AccountID}, sc.postedDest(f)...), sc.historyDest(f)...)
		if daily {
			dest = append(dest, sc.dailyDest()...)
		}
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("scan cash-flow features: %w", err)
		}
		if err := sc.finish(f); err != nil {
			return fmt.Errorf("cash-flow features of %s: %w", f.AccountID, err)
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

// featureScan holds the nullable and list columns of one row until finish converts them.
type featureScan struct {
	perms, streams, netPeriods, incomePeriods, eod, income any
	balAsOf                                                sql.NullTime
	balAge, negDays, sinceIncome                           sql.NullInt64
	cur, avail, avg30, avg90, avg180, minB, maxB, p10      sql.NullInt64
	p50, p90, vol                                          sql.NullInt64
	inOut, expInc                                          sql.NullFloat64
}

// postedDest returns the destinations of postedColumns.
func (sc *featureScan) postedDest(f *cashflow.Features) []any {
	return []any{&sc.perms, &f.HasBalance, &sc.balAsOf, &sc.balAge, &sc.cur, &sc.avail, &sc.avg30, &sc.avg90,
		&sc.avg180, &sc.minB, &sc.maxB, &sc.negDays, &sc.p10, &sc.p50, &sc.p90, &sc.vol,
		&f.Transactions90d, &f.IncomeMonthlyCents, &f.IncomeCount90d, &f.NSFCount90d,
		&f.InstallmentMonthlyCents, &f.DebtLenders90d, &f.CardPaymentsMonthlyCents,
		&f.LoanProceedsCents90d, &f.CashAdvanceCount90d, &f.CashAdvanceApps90d, &f.CashAdvanceInflowCents90d,
		&f.InflowCents90d, &f.OutflowCents90d, &f.ExpenseCents90d, &sc.inOut, &sc.expInc,
		&sc.netPeriods, &sc.incomePeriods}
}

// historyDest returns the destinations of historyColumns.
func (sc *featureScan) historyDest(f *cashflow.Features) []any {
	return []any{&f.HasTransactions, &f.DaysOfHistory, &f.PendingCount, &f.IncomeFrequency, &sc.sinceIncome, &sc.streams}
}

// dailyDest returns the destinations of dailyColumns.
func (sc *featureScan) dailyDest() []any {
	return []any{&sc.eod, &sc.income}
}

// finish converts what was scanned into f and derives the Go-computed features.
func (sc *featureScan) finish(f *cashflow.Features) error {
	if sc.balAsOf.Valid {
		f.BalanceAsOf = sc.balAsOf.Time.UTC()
	}
	f.BalanceAgeDays = -1
	if sc.balAge.Valid {
		f.BalanceAgeDays = int(sc.balAge.Int64)
	}
	f.DaysSinceLastIncome = -1
	if sc.sinceIncome.Valid {
		f.DaysSinceLastIncome = int(sc.sinceIncome.Int64)
	}
	f.DaysNegative90d = int(sc.negDays.Int64)
	f.BalanceCurrentCents, f.AverageDailyCents30d, f.AverageDailyCents90d = sc.cur.Int64, sc.avg30.Int64, sc.avg90.Int64
	f.AverageDailyCents180d, f.MinCents90d, f.MaxCents90d = sc.avg180.Int64, sc.minB.Int64, sc.maxB.Int64
	f.BalanceP10Cents90d, f.BalanceP50Cents90d, f.BalanceP90Cents90d = sc.p10.Int64, sc.p50.Int64, sc.p90.Int64
	f.BalanceVolatilityCents90d = sc.vol.Int64
	if sc.avail.Valid {
		v := sc.avail.Int64
		f.BalanceAvailableCents = &v
	}
	if sc.inOut.Valid {
		v := sc.inOut.Float64
		f.InflowOutflowRatio = &v
	}
	if sc.expInc.Valid {
		v := sc.expInc.Float64
		f.ExpenseToIncome = &v
	}
	var err error
	if f.MissingPermissions, err = stringList(sc.perms); err != nil {
		return fmt.Errorf("missing_permissions: %w", err)
	}
	if f.IncomeStreams, err = incomeStreams(sc.streams); err != nil {
		return fmt.Errorf("income_streams: %w", err)
	}
	for _, c := range []struct {
		dst  *[]int64
		src  any
		name string
	}{
		{&f.NetFlowByMonthCents, sc.netPeriods, "net_by_period_cents"},
		{&f.IncomeByMonthCents, sc.incomePeriods, "income_by_period_cents"},
		{&f.DailyBalances, sc.eod, "eod_balances_180d"},
		{&f.DailyIncome, sc.income, "income_180d"},
	} {
		if *c.dst, err = int64List(c.src); err != nil {
			return fmt.Errorf("%s: %w", c.name, err)
		}
	}
	f.Derive()
	return nil
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
