package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riskd/riskd/internal/cashflowtest"
)

// cfRun runs riskctl cashflow on input and returns its output lines decoded, the exit
// status and stderr.
func cfRun(t testing.TB, input []byte, args ...string) ([]map[string]any, int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runCashflow(context.Background(), args, bytes.NewReader(input), &stdout, &stderr)
	var out []map[string]any
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("output line %d is not JSON: %v: %s", len(out)+1, err, sc.Text())
		}
		out = append(out, m)
	}
	return out, code, stderr.String()
}

// path looks up a dotted path ("income.streams.0.frequency") in decoded JSON.
func cfPath(v any, p string) (any, bool) {
	for _, k := range strings.Split(p, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func cfCanonical(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func cfNum(t testing.TB, m map[string]any, p string) int64 {
	t.Helper()
	v, ok := cfPath(m, p)
	if !ok {
		t.Fatalf("output has no %s: %v", p, m)
	}
	n, ok := v.(json.Number)
	if !ok {
		t.Fatalf("%s = %v (%T), want a number", p, v, v)
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatalf("%s = %v, want an integer", p, n)
	}
	return i
}

func cfStr(t testing.TB, m map[string]any, p string) string {
	t.Helper()
	v, ok := cfPath(m, p)
	if !ok {
		t.Fatalf("output has no %s: %v", p, m)
	}
	s, _ := v.(string)
	return s
}

func TestCashflow_ContractFields(t *testing.T) {
	in := `{"id":"c1","as_of":1790856000,"account":{"id":"fca_1","balance":{"as_of":1790856000,"current":{"usd":125000},"cash":{"available":{"usd":120000}}}},` +
		`"transactions":[{"id":"fctxn_1","amount":210000,"status":"posted","transacted_at":1789891200,"status_transitions":{"posted_at":1789977600},"description":"ACME CORP PAYROLL PPD ID: 9876543210"},` +
		`{"id":"fctxn_2","amount":210000,"status":"posted","transacted_at":1788681600,"status_transitions":{"posted_at":1788768000},"description":"ACME CORP PAYROLL PPD ID: 9876543210"}]}`
	out, code, stderr := cfRun(t, []byte(in+"\n"))
	if code != 0 || len(out) != 1 {
		t.Fatalf("exit %d, %d lines, stderr %q", code, len(out), stderr)
	}
	for _, p := range []string{"id", "as_of", "income.monthly_cents", "income.frequency", "income.streams.0.name",
		"income.streams.0.frequency", "income.streams.0.monthly_cents", "income.streams.0.count", "income.streams.0.last_date",
		"income.streams.0.next_expected_date", "balance.current_cents", "balance.average_daily_cents_90d",
		"balance.min_cents_90d", "balance.days_negative_90d", "nsf.count_90d", "debt.monthly_installments_cents"} {
		if _, ok := cfPath(out[0], p); !ok {
			t.Errorf("output lacks %s", p)
		}
	}
	if got := cfStr(t, out[0], "id"); got != "c1" {
		t.Errorf("id = %q, want c1", got)
	}
	if got := cfNum(t, out[0], "as_of"); got != 1790856000 {
		t.Errorf("as_of = %d, want 1790856000", got)
	}
	// Two deposits 14 days apart in the window: 420000 × 30.4375 / 90 = 142041.67.
	if got := cfNum(t, out[0], "income.monthly_cents"); got != 142042 {
		t.Errorf("income.monthly_cents = %d, want 142042", got)
	}
	if got := cfStr(t, out[0], "income.streams.0.name"); got != "ACME CORP" {
		t.Errorf("stream name = %q, want ACME CORP", got)
	}
}

func TestCashflow_BadLinesNameTheFieldAndTheRestContinue(t *testing.T) {
	good := `{"id":"ok","as_of":1790856000,"account":{"balance":{"as_of":1790856000,"current":{"usd":5000}}},"transactions":[]}`
	lines := []struct{ in, field string }{
		{good, ""},
		{`{"id":"x","as_of":1790856000,"account":{`, "invalid JSON"},
		{`{"id":"x","as_of":1790856000.5,"account":{}}`, "as_of"},
		{`{"id":"x","as_of":1790856000,"account":{},"transactions":[{"amount":"12.50","status":"posted","transacted_at":1790000000}]}`, "transactions[0].amount"},
		{`{"id":"x","as_of":1790856000,"account":{},"transactions":[{"amount":1250,"status":"settled","transacted_at":1790000000}]}`, "transactions[0].status"},
		{`{"id":"x","as_of":1790856000,"account":{},"transactions":[{"amount":-1,"status":"posted","transacted_at":1790000000},{"amount":1,"status":"posted"}]}`, "transactions[1].transacted_at"},
		{`{"id":"x","as_of":1790856000,"account":{"balance":{"as_of":1790856000,"current":{"eur":100}}}}`, "account.balance.current"},
		{`{"id":"x","as_of":1790856000,"account":{"balance":{"as_of":1790856000,"current":{"usd":100}}},"transactions":{"amount":1}}`, "transactions"},
		{`{"id":"x","as_of":1790856000}`, "account"},
		{`{"id":7,"as_of":1790856000,"account":{}}`, "id"},
		{`{"id":"x","as_of":1790856000,"account":{},"debit":{"amount":0}}`, "debit.amount"},
		{`[1,2]`, "line"},
		{good, ""},
	}
	var in bytes.Buffer
	for _, l := range lines {
		in.WriteString(l.in + "\n")
	}
	out, code, stderr := cfRun(t, in.Bytes())
	if code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if !strings.Contains(stderr, "11 of 13 lines") {
		t.Errorf("stderr = %q, want a count of bad lines", stderr)
	}
	if len(out) != len(lines) {
		t.Fatalf("%d output lines, want %d", len(out), len(lines))
	}
	for i, l := range lines {
		if l.field == "" {
			if _, bad := out[i]["error"]; bad || cfStr(t, out[i], "id") != "ok" {
				t.Errorf("line %d: %v, want features", i+1, out[i])
			}
			continue
		}
		if got := cfNum(t, out[i], "line"); got != int64(i+1) {
			t.Errorf("line %d: reported as line %d", i+1, got)
		}
		if msg := cfStr(t, out[i], "error"); !strings.HasPrefix(msg, l.field) {
			t.Errorf("line %d: error %q does not start with %q", i+1, msg, l.field)
		}
	}
}

func TestCashflow_BlankLinesAndNoTrailingNewline(t *testing.T) {
	good := `{"id":"%s","as_of":1790856000,"account":{"balance":{"as_of":1790856000,"current":{"usd":5000}}}}`
	in := fmt.Sprintf(good, "a") + "\n\n" + fmt.Sprintf(good, "b") + "\r\n" + `{"broken` + "\n" + fmt.Sprintf(good, "c")
	out, code, _ := cfRun(t, []byte(in))
	if code != 1 || len(out) != 4 {
		t.Fatalf("exit %d with %d lines, want 1 and 4", code, len(out))
	}
	if got := cfNum(t, out[2], "line"); got != 4 {
		t.Errorf("the broken line is reported as line %d, want 4 (blank lines count)", got)
	}
	if cfStr(t, out[3], "id") != "c" {
		t.Errorf("last line = %v, want id c", out[3])
	}
}

// TestCashflow_SameAccountTwiceIsScoredAsOfEachLine checks lines are isolated: the same account
// as of two times, in one batch, gets the features of each time.
func TestCashflow_SameAccountTwiceIsScoredAsOfEachLine(t *testing.T) {
	txns := `[{"id":"fctxn_1","amount":-9000,"status":"posted","transacted_at":1788000000,"description":"POS PURCHASE KROGER #482"},` +
		`{"id":"fctxn_2","amount":-3500,"status":"posted","transacted_at":1790600000,"description":"NSF FEE ITEM #4521"}]`
	line := func(id string, asOf int64) string {
		return fmt.Sprintf(`{"id":%q,"as_of":%d,"account":{"id":"fca_same","balance":{"as_of":%d,"current":{"usd":1000}}},"transactions":%s}`,
			id, asOf, asOf, txns)
	}
	in := line("before", 1789000000) + "\n" + line("after", 1790856000) + "\n"
	out, code, stderr := cfRun(t, []byte(in))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got := cfNum(t, out[0], "nsf.count_90d"); got != 0 {
		t.Errorf("as of before the fee: nsf.count_90d = %d, want 0", got)
	}
	if got := cfNum(t, out[1], "nsf.count_90d"); got != 1 {
		t.Errorf("as of after the fee: nsf.count_90d = %d, want 1", got)
	}
	for i, o := range out {
		if cfStr(t, o, "account_id") != "fca_same" {
			t.Errorf("line %d: account_id = %v, want the input's", i+1, o["account_id"])
		}
	}
}

// cfHandCase is a line of testdata/cashflow/cases.jsonl: an input with values worked out by hand
// from the definitions.
type cfHandCase struct {
	Why    string          `json:"why"`
	Input  json.RawMessage `json:"input"`
	Expect map[string]any  `json:"expect"`
}

func cfLoadHandCases(t testing.TB) []cfHandCase {
	t.Helper()
	data, err := os.ReadFile("../../testdata/cashflow/cases.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var cases []cfHandCase
	for i, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var c cfHandCase
		dec := json.NewDecoder(bytes.NewReader(l))
		dec.UseNumber()
		if err := dec.Decode(&c); err != nil || c.Why == "" || len(c.Expect) == 0 {
			t.Fatalf("cases.jsonl line %d: need why, input and expect (%v)", i+1, err)
		}
		cases = append(cases, c)
	}
	return cases
}

// TestCashflow_HandWrittenCases runs the tricky definitions: pending and void rows, what is not
// income, NSF counting, installments versus cards, pay calendars, point in time, ids.
func TestCashflow_HandWrittenCases(t *testing.T) {
	cases := cfLoadHandCases(t)
	var in bytes.Buffer
	for _, c := range cases {
		in.Write(c.Input)
		in.WriteByte('\n')
	}
	// A batch of 4 mixes portfolio passes and single-account queries across batches.
	for _, batch := range []string{"500", "4", "1"} {
		out, code, stderr := cfRun(t, in.Bytes(), "--batch", batch)
		if code != 0 || len(out) != len(cases) {
			t.Fatalf("batch %s: exit %d, %d lines for %d cases: %s", batch, code, len(out), len(cases), stderr)
		}
		for i, c := range cases {
			keys := make([]string, 0, len(c.Expect))
			for k := range c.Expect {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				got, ok := cfPath(out[i], k)
				if !ok {
					t.Errorf("batch %s, %s: no %s in output", batch, c.Why, k)
					continue
				}
				if cfCanonical(got) != cfCanonical(c.Expect[k]) {
					t.Errorf("batch %s, %s:\n  %s = %s, want %s", batch, c.Why, k, cfCanonical(got), cfCanonical(c.Expect[k]))
				}
			}
		}
	}
}

func TestCashflow_DebitRisk(t *testing.T) {
	cases := cfLoadHandCases(t)
	var in []byte
	for _, c := range cases {
		if bytes.Contains(c.Input, []byte(`"debit"`)) {
			in = append(append(in, c.Input...), '\n')
		}
	}
	out, code, stderr := cfRun(t, in)
	if code != 0 || len(out) != 1 {
		t.Fatalf("exit %d, %d lines: %s", code, len(out), stderr)
	}
	d, ok := cfPath(out[0], "debit_risk")
	if !ok {
		t.Fatalf("no debit_risk in %v", out[0])
	}
	dr := d.(map[string]any)
	if e, bad := dr["error"]; bad {
		t.Fatalf("debit risk error: %v", e)
	}
	p, _ := strconv.ParseFloat(string(dr["probability"].(json.Number)), 64)
	if p < 0.005 || p > 0.995 {
		t.Errorf("probability = %v, want within [0.005, 0.995]", p)
	}
	if days, _ := dr["days"].([]any); len(days) != 10 {
		t.Errorf("best-date curve has %d days, want 10", len(days))
	}
	if _, err := time.Parse(time.DateOnly, dr["best_date"].(string)); err != nil {
		t.Errorf("best_date: %v", err)
	}
}

// Acceptance targets of issue 5.
const (
	cfTargetIncomeWithin12 = 0.90
	cfTargetIncomeZero     = 0.90
	cfTargetFrequency      = 0.85
	cfTargetNSFExact       = 0.90
	cfTargetBalanceExact   = 0.95
	cfTargetInstallments   = 0.80
)

// cfEvalSeeds are the sandbox portfolios of the evaluation: seeds and sandbox times spread over
// days of the week and of the month.
var cfEvalSeeds = []struct {
	seed  int64
	start time.Time
}{
	{11, time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)},
	{23, time.Date(2026, 8, 3, 7, 30, 0, 0, time.UTC)},
	{37, time.Date(2027, 2, 27, 18, 0, 0, 0, time.UTC)},
	{53, time.Date(2026, 5, 31, 23, 59, 59, 0, time.UTC)},
}

type cfRate struct{ ok, n int }

func (r *cfRate) add(ok bool) {
	r.n++
	if ok {
		r.ok++
	}
}

func (r cfRate) frac() float64 {
	if r.n == 0 {
		return 1
	}
	return float64(r.ok) / float64(r.n)
}

func (r cfRate) String() string { return fmt.Sprintf("%d/%d = %.1f%%", r.ok, r.n, 100*r.frac()) }

func cfWithin(got, want int64, tol float64) bool {
	return math.Abs(float64(got-want)) <= tol*math.Abs(float64(want))
}

// TestCashflow_Evaluation is the acceptance evaluation: 256 sandbox accounts (16 personas,
// four seeds and sandbox times, a quarter taken as of a past day, a fifth without transaction
// ids), run through riskctl cashflow and compared with known answers computed by the reference
// implementation of the definitions (internal/cashflowtest) from the sandbox generator's own
// labels. It fails below issue 5's targets and logs the figures. It also checks that the SQL
// reproduces the reference exactly when both read the classifier's labels, so any miss in the
// figures is the classifier's or the frequency heuristic's, not the SQL's.
func TestCashflow_Evaluation(t *testing.T) {
	var cases []cashflowtest.Case
	for _, s := range cfEvalSeeds {
		cs, err := cashflowtest.SandboxCases(s.seed, 64, s.start)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, cs...)
	}
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, c := range cases {
		if err := enc.Encode(c.Line); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	out, code, stderr := cfRun(t, in.Bytes())
	elapsed := time.Since(start)
	if code != 0 || len(out) != len(cases) {
		t.Fatalf("exit %d, %d lines for %d accounts: %s", code, len(out), len(cases), stderr)
	}

	var incomeWithin, incomeZero, freq, nsf, negDays, minBal, avgBal, inst cfRate
	missByPersona := map[string][]string{}
	miss := func(persona, format string, args ...any) {
		missByPersona[persona] = append(missByPersona[persona], fmt.Sprintf(format, args...))
	}
	for i, c := range cases {
		o, want, defs := out[i], c.Truth, c.Classified
		if got := cfStr(t, o, "id"); got != c.Line.ID {
			t.Fatalf("line %d: id %q, want %q (order)", i+1, got, c.Line.ID)
		}
		income := cfNum(t, o, "income.monthly_cents")
		if want.IncomeMonthlyCents > 0 {
			ok := cfWithin(income, want.IncomeMonthlyCents, 0.12)
			incomeWithin.add(ok)
			if !ok {
				miss(c.Persona, "%s income %d want %d", c.Line.ID, income, want.IncomeMonthlyCents)
			}
		} else {
			incomeZero.add(income == 0)
			if income != 0 {
				miss(c.Persona, "%s income %d want 0", c.Line.ID, income)
			}
		}
		f := cfStr(t, o, "income.frequency")
		freq.add(f == want.IncomeFrequency)
		if f != want.IncomeFrequency {
			miss(c.Persona, "%s frequency %s want %s", c.Line.ID, f, want.IncomeFrequency)
		}
		n := cfNum(t, o, "nsf.count_90d")
		nsf.add(n == int64(want.NSFCount90d))
		if n != int64(want.NSFCount90d) {
			miss(c.Persona, "%s nsf %d want %d", c.Line.ID, n, want.NSFCount90d)
		}
		neg, mn, avg := cfNum(t, o, "balance.days_negative_90d"), cfNum(t, o, "balance.min_cents_90d"), cfNum(t, o, "balance.average_daily_cents_90d")
		negDays.add(neg == int64(want.DaysNegative90d))
		minBal.add(cfWithin(mn, want.MinCents90d, 0.005))
		avgBal.add(cfWithin(avg, want.AverageDailyCents90d, 0.005))
		installments := cfNum(t, o, "debt.monthly_installments_cents")
		ok := cfWithin(installments, want.InstallmentMonthlyCents, 0.15)
		inst.add(ok)
		if !ok {
			miss(c.Persona, "%s installments %d want %d", c.Line.ID, installments, want.InstallmentMonthlyCents)
		}

		// The SQL against the reference on the classifier's labels: exact (±1 cent of rounding).
		for _, e := range []struct {
			path string
			want int64
		}{
			{"income.monthly_cents", defs.IncomeMonthlyCents},
			{"nsf.count_90d", int64(defs.NSFCount90d)},
			{"debt.monthly_installments_cents", defs.InstallmentMonthlyCents},
			{"balance.current_cents", defs.BalanceCurrentCents},
			{"balance.average_daily_cents_30d", defs.AverageDailyCents30d},
			{"balance.average_daily_cents_90d", defs.AverageDailyCents90d},
			{"balance.average_daily_cents_180d", defs.AverageDailyCents180d},
			{"balance.min_cents_90d", defs.MinCents90d},
			{"balance.days_negative_90d", int64(defs.DaysNegative90d)},
			{"balance.p10_cents_90d", defs.P10Cents90d},
			{"balance.p50_cents_90d", defs.P50Cents90d},
			{"balance.p90_cents_90d", defs.P90Cents90d},
		} {
			if got := cfNum(t, o, e.path); got < e.want-1 || got > e.want+1 {
				t.Errorf("%s (%s): SQL %s = %d, reference on the same labels %d", c.Line.ID, c.Persona, e.path, got, e.want)
			}
		}
	}

	t.Logf("%d accounts through riskctl cashflow in %v (%.0f accounts/s)", len(cases), elapsed.Round(time.Millisecond),
		float64(len(cases))/elapsed.Seconds())
	t.Logf("income.monthly_cents within ±12%% (accounts with income): %v (target %.0f%%)", incomeWithin, 100*cfTargetIncomeWithin12)
	t.Logf("income.monthly_cents exactly 0 (accounts without):         %v (target %.0f%%)", incomeZero, 100*cfTargetIncomeZero)
	t.Logf("income.frequency right:                                    %v (target %.0f%%)", freq, 100*cfTargetFrequency)
	t.Logf("nsf.count_90d exact:                                       %v (target %.0f%%)", nsf, 100*cfTargetNSFExact)
	t.Logf("balance.days_negative_90d exact:                           %v (target %.0f%%)", negDays, 100*cfTargetBalanceExact)
	t.Logf("balance.min_cents_90d within 0.5%%:                         %v (target %.0f%%)", minBal, 100*cfTargetBalanceExact)
	t.Logf("balance.average_daily_cents_90d within 0.5%%:               %v (target %.0f%%)", avgBal, 100*cfTargetBalanceExact)
	t.Logf("debt.monthly_installments_cents within ±15%%:               %v (target %.0f%%)", inst, 100*cfTargetInstallments)
	personas := make([]string, 0, len(missByPersona))
	for p := range missByPersona {
		personas = append(personas, p)
	}
	sort.Strings(personas)
	for _, p := range personas {
		t.Logf("misses, %s: %s", p, strings.Join(missByPersona[p], "; "))
	}
	for _, c := range []struct {
		name   string
		r      cfRate
		target float64
	}{
		{"income within 12%", incomeWithin, cfTargetIncomeWithin12}, {"income zero", incomeZero, cfTargetIncomeZero},
		{"frequency", freq, cfTargetFrequency}, {"nsf exact", nsf, cfTargetNSFExact},
		{"days negative exact", negDays, cfTargetBalanceExact}, {"min within 0.5%", minBal, cfTargetBalanceExact},
		{"average within 0.5%", avgBal, cfTargetBalanceExact}, {"installments within 15%", inst, cfTargetInstallments},
	} {
		if c.r.frac() < c.target {
			t.Errorf("%s: %v, below the target %.0f%%", c.name, c.r, 100*c.target)
		}
	}
}

var cfUpdate = flag.Bool("cashflow.update", false, "rewrite testdata/cashflow/personas.jsonl from the sandbox and the reference")

// cfPersonaFile holds one sandbox account of each persona, its last 200 days as of the sandbox
// time, with the known answers of the reference (internal/cashflowtest, labels from the
// sandbox generator). Regenerate with go test ./cmd/riskctl -run Personas -cashflow.update.
const cfPersonaFile = "../../testdata/cashflow/personas.jsonl"

type cfPersona struct {
	Persona string             `json:"persona"`
	Input   json.RawMessage    `json:"input"`
	Expect  cashflowtest.Truth `json:"expect"`
}

func cfWritePersonas(t *testing.T) {
	start := time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
	cases, err := cashflowtest.SandboxCases(5, 16, start)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, c := range cases {
		// Keep the last 200 days: the features read 180, the rest is history.
		cut := c.Line.AsOf - 200*86400
		var kept []cashflowtest.TxnJSON
		for _, x := range c.Line.Transactions {
			if x.TransactedAt >= cut {
				kept = append(kept, x)
			}
		}
		c.Line.Transactions = kept
		var txns []cashflowtest.Txn
		for _, x := range c.Input.Txns {
			if x.TransactedAt.Unix() >= cut {
				txns = append(txns, x)
			}
		}
		c.Input.Txns = txns
		// The fields riskctl reads, to keep the file small.
		type txn struct {
			ID                string                         `json:"id,omitempty"`
			Amount            int64                          `json:"amount"`
			Description       string                         `json:"description"`
			Status            string                         `json:"status"`
			StatusTransitions cashflowtest.StatusTransitions `json:"status_transitions"`
			TransactedAt      int64                          `json:"transacted_at"`
		}
		compact := struct {
			ID           string               `json:"id"`
			AsOf         int64                `json:"as_of"`
			Account      cashflowtest.Account `json:"account"`
			Transactions []txn                `json:"transactions"`
		}{c.Line.ID, c.Line.AsOf, c.Line.Account, nil}
		for _, x := range kept {
			compact.Transactions = append(compact.Transactions, txn{x.ID, x.Amount, x.Description, x.Status, x.StatusTransitions, x.TransactedAt})
		}
		in, err := json.Marshal(compact)
		if err != nil {
			t.Fatal(err)
		}
		line, err := json.Marshal(cfPersona{Persona: c.Persona, Input: in, Expect: cashflowtest.Compute(c.Input, cashflowtest.Oracle)})
		if err != nil {
			t.Fatal(err)
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	if err := os.WriteFile(cfPersonaFile, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCashflow_Personas runs the persona histories of testdata/cashflow/personas.jsonl through
// riskctl cashflow and checks the known answers with the acceptance tolerances of issue 5.
func TestCashflow_Personas(t *testing.T) {
	if *cfUpdate {
		cfWritePersonas(t)
	}
	data, err := os.ReadFile(cfPersonaFile)
	if err != nil {
		t.Fatal(err)
	}
	var ps []cfPersona
	var in bytes.Buffer
	for _, l := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var p cfPersona
		if err := json.Unmarshal(l, &p); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
		in.Write(p.Input)
		in.WriteByte('\n')
	}
	if len(ps) != 16 {
		t.Fatalf("%d personas, want 16", len(ps))
	}
	out, code, stderr := cfRun(t, in.Bytes())
	if code != 0 || len(out) != len(ps) {
		t.Fatalf("exit %d, %d lines: %s", code, len(out), stderr)
	}
	for i, p := range ps {
		o, w := out[i], p.Expect
		check := func(name string, ok bool, got, want any) {
			if !ok {
				t.Errorf("%s: %s = %v, want %v", p.Persona, name, got, want)
			}
		}
		income := cfNum(t, o, "income.monthly_cents")
		check("income.monthly_cents", (w.IncomeMonthlyCents == 0 && income == 0) || cfWithin(income, w.IncomeMonthlyCents, 0.12), income, w.IncomeMonthlyCents)
		check("income.frequency", cfStr(t, o, "income.frequency") == w.IncomeFrequency, cfStr(t, o, "income.frequency"), w.IncomeFrequency)
		check("nsf.count_90d", cfNum(t, o, "nsf.count_90d") == int64(w.NSFCount90d), cfNum(t, o, "nsf.count_90d"), w.NSFCount90d)
		check("balance.days_negative_90d", cfNum(t, o, "balance.days_negative_90d") == int64(w.DaysNegative90d), cfNum(t, o, "balance.days_negative_90d"), w.DaysNegative90d)
		check("balance.min_cents_90d", cfWithin(cfNum(t, o, "balance.min_cents_90d"), w.MinCents90d, 0.005), cfNum(t, o, "balance.min_cents_90d"), w.MinCents90d)
		check("balance.average_daily_cents_90d", cfWithin(cfNum(t, o, "balance.average_daily_cents_90d"), w.AverageDailyCents90d, 0.005), cfNum(t, o, "balance.average_daily_cents_90d"), w.AverageDailyCents90d)
		inst := cfNum(t, o, "debt.monthly_installments_cents")
		check("debt.monthly_installments_cents", cfWithin(inst, w.InstallmentMonthlyCents, 0.15), inst, w.InstallmentMonthlyCents)
	}
}
