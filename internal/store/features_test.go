package store_test

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/riskd/riskd/internal/sandbox"
	"github.com/riskd/riskd/internal/store"
	"github.com/riskd/riskd/pipeline"
	"github.com/riskd/riskd/scoring/cashflow"
)

// cfOpen opens an in-memory database.
func cfOpen(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func cfTime(unix int64) *time.Time {
	if unix == 0 {
		return nil
	}
	t := time.Unix(unix, 0).UTC()
	return &t
}

// cfCommitTruth stores a sandbox account as a refresh would see it at `at`: every row transacted
// by then in its state at `at` (the sandbox's time), each description classified once, and a
// balance snapshot of `balance` taken at `at`.
func cfCommitTruth(t testing.TB, s *store.Store, tr sandbox.Truth, at time.Time, balance int64) {
	t.Helper()
	// A cursor marks the rows as a refresh's: a later batch of the account merges by id.
	b := &pipeline.AccountBatch{RunID: 1, ObservedAt: at, Cursor: "fctxnref_" + at.Format("20060102150405"),
		Account: pipeline.Account{ID: tr.AccountID, CustomerID: tr.CustomerID, Status: tr.Status, Created: at.AddDate(-1, 0, 0)},
		Balance: &pipeline.Balance{AsOf: at, Type: "cash", Currency: "usd", Current: balance}}
	for _, p := range tr.Permissions {
		b.Account.Permissions = append(b.Account.Permissions, pipeline.Permission(p))
	}
	for _, x := range tr.Transactions {
		if x.TransactedAt > at.Unix() {
			continue
		}
		c := cashflow.Classify(x.Description, x.Amount)
		b.Transactions = append(b.Transactions, pipeline.Transaction{ID: x.ID, AccountID: tr.AccountID, Amount: x.Amount,
			Currency: "usd", Description: x.Description, Status: x.Status, TransactedAt: time.Unix(x.TransactedAt, 0).UTC(),
			PostedAt: cfTime(x.PostedAt), VoidAt: cfTime(x.VoidAt), RefreshID: "fctxnref_test", Updated: at,
			Category: string(c.Category), Counterparty: c.Counterparty})
	}
	if err := s.CommitAccount(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// cfSandbox returns a sandbox of n accounts at a fixed time.
func cfSandbox(t testing.TB, seed int64, n int, at time.Time) *sandbox.Sandbox {
	t.Helper()
	sb, err := sandbox.New(sandbox.Config{Seed: seed, Accounts: n, Start: at, Clock: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	return sb
}

func cfTruth(t testing.TB, sb *sandbox.Sandbox, id string) sandbox.Truth {
	t.Helper()
	tr, ok := sb.Truth(id)
	if !ok {
		t.Fatalf("no truth for %s", id)
	}
	return tr
}

// cfJSON renders features with the lists JSON leaves out, and without the pending count when
// pointInTime is set (see TestFeatures_PointInTime).
func cfJSON(t testing.TB, f *cashflow.Features, pointInTime ...bool) string {
	t.Helper()
	if len(pointInTime) > 0 {
		g := *f
		g.PendingCount = 0
		f = &g
	}
	b, err := json.Marshal(struct {
		F             *cashflow.Features
		Balances, Inc []int64
	}{f, f.DailyBalances, f.DailyIncome})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var cfNow = time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)

func TestAccountFeatures_UnknownAndEmptyAccounts(t *testing.T) {
	ctx := context.Background()
	s := cfOpen(t)
	if _, err := s.AccountFeatures(ctx, "fca_nope", cfNow); pipeline.ErrorCode(err) != pipeline.ENOTFOUND {
		t.Errorf("unknown account: err = %v, want ENOTFOUND", err)
	}
	if f, err := s.CashflowFeatures(ctx, "fca_nope", cfNow); f != nil || err != nil {
		t.Errorf("unknown account: CashflowFeatures = %v, %v; want nil, nil", f, err)
	}
	if _, err := s.AccountFeatures(ctx, "", cfNow); pipeline.ErrorCode(err) != pipeline.EINVALID {
		t.Errorf("empty id: err = %v, want EINVALID", err)
	}
	// An id with a quote is a literal, not SQL.
	if _, err := s.AccountFeatures(ctx, "fca_x' OR '1'='1", cfNow); pipeline.ErrorCode(err) != pipeline.ENOTFOUND {
		t.Errorf("quoted id: err = %v, want ENOTFOUND", err)
	}

	// An account with a balance and no transactions: no cash flow for the decision, but its
	// balance features for riskctl and analysts.
	b := &pipeline.AccountBatch{RunID: 1, ObservedAt: cfNow,
		Account: pipeline.Account{ID: "fca_empty", Status: "active", Created: cfNow, Permissions: []pipeline.Permission{"balances"}},
		Balance: &pipeline.Balance{AsOf: cfNow.Add(-50 * time.Hour), Type: "cash", Currency: "usd", Current: 12345}}
	if err := s.CommitAccount(ctx, b); err != nil {
		t.Fatal(err)
	}
	if f, err := s.CashflowFeatures(ctx, "fca_empty", cfNow); f != nil || err != nil {
		t.Errorf("no transactions: CashflowFeatures = %v, %v; want nil, nil", f, err)
	}
	f, err := s.AccountFeatures(ctx, "fca_empty", cfNow)
	if err != nil {
		t.Fatal(err)
	}
	if f.HasTransactions || !f.HasBalance || f.BalanceCurrentCents != 12345 || f.AverageDailyCents90d != 12345 ||
		f.DaysNegative90d != 0 || f.IncomeFrequency != cashflow.FrequencyNone || f.BalanceAgeDays != 2 {
		t.Errorf("features = %+v, want a flat 123.45 balance two days old and no income", f)
	}
	if !reflect.DeepEqual(f.MissingPermissions, []string{"transactions"}) {
		t.Errorf("missing permissions = %v, want [transactions]", f.MissingPermissions)
	}
	if f.DaysSinceLastIncome != -1 || len(f.IncomeStreams) != 0 {
		t.Errorf("income = %d days ago, %d streams; want none", f.DaysSinceLastIncome, len(f.IncomeStreams))
	}
	// Before the balance was reported nothing is known of it.
	f, err = s.AccountFeatures(ctx, "fca_empty", cfNow.Add(-51*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if f.HasBalance || f.BalanceAgeDays != -1 || f.DailyBalances != nil {
		t.Errorf("as of before the balance: %+v, want no balance", f)
	}
}

// TestFeatures_PointInTime stores an account as a refresh saw it on one day, computes its
// features as of that day, stores what a refresh ten days later saw (rows posted or voided
// since, new rows, a new balance), and checks the features as of the first day are unchanged:
// nothing learned later leaks into an earlier as_of. One count may move: a row the bank
// reported only later but dated before the first day (a card purchase replacing a pump hold)
// was pending as of that day by its own dates, so pending_count as of the first day can grow.
// It never moves a balance or a feature of posted rows, which need posted_at <= as_of.
func TestFeatures_PointInTime(t *testing.T) {
	ctx := context.Background()
	t0 := cfNow
	sb := cfSandbox(t, 7, 16, t0)
	s := cfOpen(t)
	ids := sb.AccountIDs()
	before := map[string]string{}
	for _, id := range ids {
		tr := cfTruth(t, sb, id)
		cfCommitTruth(t, s, tr, t0, tr.BalanceCurrent)
	}
	for _, id := range ids {
		f, err := s.AccountFeatures(ctx, id, t0)
		if err != nil {
			t.Fatal(err)
		}
		before[id] = cfJSON(t, f, true)
	}
	sb.Advance(10 * 24 * time.Hour)
	t1 := sb.Now()
	changed := 0
	for _, id := range ids {
		tr := cfTruth(t, sb, id)
		cfCommitTruth(t, s, tr, t1, tr.BalanceCurrent)
		f, err := s.AccountFeatures(ctx, id, t1)
		if err != nil {
			t.Fatal(err)
		}
		if cfJSON(t, f, true) != before[id] {
			changed++
		}
	}
	if changed < len(ids)/2 {
		t.Fatalf("only %d of %d accounts changed in ten days; the test would prove nothing", changed, len(ids))
	}
	for _, id := range ids {
		f, err := s.AccountFeatures(ctx, id, t0)
		if err != nil {
			t.Fatal(err)
		}
		if got := cfJSON(t, f, true); got != before[id] {
			t.Errorf("%s as of %s changed after a later refresh:\n was %s\n now %s", id, t0, before[id], got)
		}
	}
}

// TestPortfolioFeatures_SameAsOneAccount checks the two ways of reading the macro agree: one
// pass over the portfolio, with or without the daily series, and the two halves queried for
// one account; and that what the features sum up agrees with the daily series.
func TestPortfolioFeatures_SameAsOneAccount(t *testing.T) {
	ctx := context.Background()
	sb := cfSandbox(t, 8, 32, cfNow)
	s := cfOpen(t)
	for _, id := range sb.AccountIDs() {
		tr := cfTruth(t, sb, id)
		cfCommitTruth(t, s, tr, cfNow, tr.BalanceCurrent)
	}
	asOf := cfNow.Add(-36 * time.Hour) // between refreshes: the balance is not known yet, the rows partly
	for _, at := range []time.Time{cfNow, asOf} {
		for _, daily := range []bool{true, false} {
			seen := 0
			err := s.PortfolioFeatures(ctx, at, daily, func(p *cashflow.Features) error {
				seen++
				one, err := s.AccountFeatures(ctx, p.AccountID, at)
				if err != nil {
					return err
				}
				checkAgainstDailySeries(t, one)
				if !daily {
					if p.DailyBalances != nil || p.DailyIncome != nil {
						t.Errorf("%s: daily series read without daily", p.AccountID)
					}
					one.DailyBalances, one.DailyIncome = nil, nil
				}
				if a, b := cfJSON(t, p), cfJSON(t, one); a != b {
					t.Errorf("%s as of %s:\n portfolio %s\n account   %s", p.AccountID, at, a, b)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if seen != 32 {
				t.Errorf("portfolio as of %s had %d accounts, want 32", at, seen)
			}
		}
	}
}

// checkAgainstDailySeries checks the features against the daily series, which another macro
// computes another way (a running sum over every one of the 180 days): the window's balance
// statistics and the 30-, 90- and 180-day averages; a period's income is the sum of its days',
// and its net flow is how much its last end-of-day balance exceeds the one before it began (not
// known for the first period).
func checkAgainstDailySeries(t *testing.T, f *cashflow.Features) {
	t.Helper()
	if len(f.NetFlowByMonthCents) != 6 || len(f.IncomeByMonthCents) != 6 || len(f.DailyIncome) != cashflow.HistoryDays {
		t.Fatalf("%s: periods %v / %v, %d days of income", f.AccountID, f.NetFlowByMonthCents, f.IncomeByMonthCents, len(f.DailyIncome))
	}
	for p := range 6 {
		var income int64
		for _, v := range f.DailyIncome[30*p : 30*p+30] {
			income += v
		}
		if f.IncomeByMonthCents[p] != income {
			t.Errorf("%s: period %d income %d, days sum to %d", f.AccountID, p, f.IncomeByMonthCents[p], income)
		}
		if b := f.DailyBalances; p > 0 && b != nil && f.NetFlowByMonthCents[p] != b[30*p+29]-b[30*p-1] {
			t.Errorf("%s: period %d net %d, balances moved %d", f.AccountID, p, f.NetFlowByMonthCents[p], b[30*p+29]-b[30*p-1])
		}
	}
	b := f.DailyBalances
	if b == nil {
		return
	}
	avg := func(days []int64) int64 {
		var sum int64
		for _, v := range days {
			sum += v
		}
		return int64(math.Round(float64(sum) / float64(len(days))))
	}
	window := b[len(b)-90:]
	negative := 0
	for _, v := range window {
		if v < 0 {
			negative++
		}
	}
	got := []int64{f.MinCents90d, f.MaxCents90d, int64(f.DaysNegative90d), f.AverageDailyCents30d, f.AverageDailyCents90d, f.AverageDailyCents180d}
	want := []int64{slices.Min(window), slices.Max(window), int64(negative), avg(b[len(b)-30:]), avg(window), avg(b)}
	if !slices.Equal(got, want) {
		t.Errorf("%s: min, max, days negative, averages over 30/90/180 days %v; the daily series give %v", f.AccountID, got, want)
	}
	// Percentiles interpolate between the sorted window days (DuckDB's quantile_cont), the
	// volatility is the population standard deviation; both rounded to the cent, so allow one.
	sorted := slices.Sorted(slices.Values(window))
	quantile := func(q float64) int64 {
		h := q * float64(len(sorted)-1)
		lo := int(h)
		hi := min(lo+1, len(sorted)-1)
		return int64(math.Round(float64(sorted[lo]) + (h-float64(lo))*float64(sorted[hi]-sorted[lo])))
	}
	mean := float64(0)
	for _, v := range window {
		mean += float64(v) / float64(len(window))
	}
	variance := float64(0)
	for _, v := range window {
		variance += (float64(v) - mean) * (float64(v) - mean) / float64(len(window))
	}
	got = []int64{f.BalanceP10Cents90d, f.BalanceP50Cents90d, f.BalanceP90Cents90d, f.BalanceVolatilityCents90d}
	want = []int64{quantile(0.1), quantile(0.5), quantile(0.9), int64(math.Round(math.Sqrt(variance)))}
	for i := range got {
		if d := got[i] - want[i]; d < -1 || d > 1 {
			t.Errorf("%s: p10, p50, p90, volatility %v; the daily series give %v", f.AccountID, got, want)
			break
		}
	}
}

// TestAnalystMacros checks the views analysts read are the engine's numbers.
func TestAnalystMacros(t *testing.T) {
	ctx := context.Background()
	sb := cfSandbox(t, 9, 16, cfNow)
	s := cfOpen(t)
	for _, id := range sb.AccountIDs() {
		tr := cfTruth(t, sb, id)
		cfCommitTruth(t, s, tr, cfNow, tr.BalanceCurrent)
	}
	id := sb.AccountIDs()[0] // salaried_biweekly
	f, err := s.AccountFeatures(ctx, id, cfNow)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Query(ctx, "SELECT day, balance_cents, income_cents FROM cashflow_daily_balances(TIMESTAMP '2026-11-15 12:00:00', only_account := '"+id+"') ORDER BY day", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != cashflow.HistoryDays {
		t.Fatalf("%d daily rows, want %d", len(res.Rows), cashflow.HistoryDays)
	}
	if first, last := res.Rows[0][0], res.Rows[len(res.Rows)-1][0]; first != "2026-05-19T00:00:00Z" || last != "2026-11-14T00:00:00Z" {
		t.Errorf("days run %v .. %v, want 2026-05-19 .. 2026-11-14", first, last)
	}
	for i, r := range res.Rows {
		if r[1] != f.DailyBalances[i] || r[2] != f.DailyIncome[i] {
			t.Fatalf("day %v: balance %v income %v, features say %d and %d", r[0], r[1], r[2], f.DailyBalances[i], f.DailyIncome[i])
		}
	}
	res, err = s.Query(ctx, "SELECT name, frequency, monthly_cents FROM cashflow_income_streams(TIMESTAMP '2026-11-15 12:00:00', only_account := '"+id+"')", 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != len(f.IncomeStreams) || len(res.Rows) == 0 {
		t.Fatalf("%d stream rows, features have %d", len(res.Rows), len(f.IncomeStreams))
	}
	if res.Rows[0][0] != f.IncomeStreams[0].Name || res.Rows[0][2] != f.IncomeStreams[0].MonthlyCents {
		t.Errorf("first stream row %v, features %+v", res.Rows[0], f.IncomeStreams[0])
	}
	res, err = s.Query(ctx, "SELECT count(*), count(income_monthly_cents) FROM account_overview", 10)
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows[0][0] != int64(16) || res.Rows[0][1] != int64(16) {
		t.Errorf("account_overview rows = %v, want 16 with features", res.Rows[0])
	}
}

// TestDebitRisk_Backtest replays sandbox histories: features as of a past day (with the
// balance a refresh reported that day), a forecast for debits settling on each of the ten
// following days, and the outcome those days actually had. The forecast must be better
// calibrated (lower Brier score) than each account's own record (the share of window days that
// ended below the amount), and must rank outcomes well.
func TestDebitRisk_Backtest(t *testing.T) {
	ctx := context.Background()
	sb := cfSandbox(t, 21, 64, cfNow)
	s := cfOpen(t)
	asOf := cfNow.AddDate(0, 0, -12)
	for _, id := range sb.AccountIDs() {
		tr := cfTruth(t, sb, id)
		cfCommitTruth(t, s, tr, cfNow, tr.BalanceCurrent)
		// The balance a refresh would have reported as of the past day.
		past := tr.BalanceCurrent
		for _, x := range tr.Transactions {
			if x.Status == "posted" && x.PostedAt > asOf.Unix() {
				past -= x.Amount
			}
		}
		b := &pipeline.AccountBatch{RunID: 2, ObservedAt: asOf, Account: pipeline.Account{ID: id, Status: tr.Status, Created: cfNow},
			Balance: &pipeline.Balance{AsOf: asOf, Type: "cash", Currency: "usd", Current: past}}
		if err := s.CommitAccount(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	type forecast struct {
		p, base float64
		short   bool
	}
	var fs []forecast
	for _, id := range sb.AccountIDs() {
		then, err := s.AccountFeatures(ctx, id, asOf)
		if err != nil {
			t.Fatal(err)
		}
		later, err := s.AccountFeatures(ctx, id, cfNow)
		if err != nil {
			t.Fatal(err)
		}
		if then.DaysOfHistory < 60 || !then.HasBalance {
			continue // thin files are not forecast
		}
		window := then.DailyBalances[cashflow.HistoryDays-90:]
		for _, amount := range []int64{then.BalanceP10Cents90d, then.BalanceP50Cents90d, then.BalanceP90Cents90d} {
			if amount <= 0 {
				amount = 5000
			}
			var below int
			for _, b := range window {
				if b < amount {
					below++
				}
			}
			_, curve, err := cashflow.BestDebitDate(then, amount)
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			for _, r := range curve {
				// The end of day of r.SettleDate, as known now.
				i := cashflow.HistoryDays - int(cashflow.Today(cfNow).Sub(r.SettleDate).Hours()/24)
				fs = append(fs, forecast{p: r.Probability, base: float64(below) / 90, short: later.DailyBalances[i] < amount})
			}
		}
	}
	if len(fs) < 1000 {
		t.Fatalf("only %d forecasts", len(fs))
	}
	var brier, brierBase float64
	shorts := 0
	for _, f := range fs {
		y := 0.0
		if f.short {
			y = 1
			shorts++
		}
		brier += (f.p - y) * (f.p - y)
		brierBase += (f.base - y) * (f.base - y)
	}
	brier /= float64(len(fs))
	brierBase /= float64(len(fs))
	auc := cfAUC(fs, func(f forecast) (float64, bool) { return f.p, f.short })
	t.Logf("%d forecasts, %d short (%.0f%%): Brier %.3f (account's own record %.3f), AUC %.3f",
		len(fs), shorts, 100*float64(shorts)/float64(len(fs)), brier, brierBase, auc)
	if brier >= brierBase {
		t.Errorf("Brier score %.3f is no better than the account's own record %.3f", brier, brierBase)
	}
	if auc < 0.85 {
		t.Errorf("AUC %.3f, want ≥ 0.85", auc)
	}
}

// cfAUC is the probability that a random positive is scored above a random negative.
func cfAUC[T any](xs []T, get func(T) (float64, bool)) float64 {
	type sv struct {
		s   float64
		pos bool
	}
	v := make([]sv, len(xs))
	for i, x := range xs {
		v[i].s, v[i].pos = get(x)
	}
	sort.Slice(v, func(i, j int) bool { return v[i].s < v[j].s })
	var pos, neg, rankSum float64
	for i := 0; i < len(v); {
		j := i
		for j < len(v) && v[j].s == v[i].s {
			j++
		}
		avgRank := float64(i+j+1) / 2 // ranks i+1 .. j
		for k := i; k < j; k++ {
			if v[k].pos {
				rankSum += avgRank
				pos++
			} else {
				neg++
			}
		}
		i = j
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return (rankSum - pos*(pos+1)/2) / (pos * neg)
}
