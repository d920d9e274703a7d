package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riskd/riskd/internal/fcjson"
	"github.com/riskd/riskd/internal/store"
	"github.com/riskd/riskd/pipeline"
	"github.com/riskd/riskd/scoring/cashflow"
)

const cashflowUsage = `usage: riskctl cashflow [--batch N] < accounts.jsonl > features.jsonl

Computes cash-flow features (income streams, daily balances, NSF, debt, trends and, when a
line proposes a debit, debit risk) for each input line, as of the line's as_of, with the same
SQL riskd uses. Each line is
  {"id": "...", "as_of": <unix seconds>, "account": <FC account with balance>,
   "transactions": [<FC transactions>], "debit": {"amount": <cents>, "date": "YYYY-MM-DD"}}
("debit" is optional). One JSON line is written per input line, in order; a line that cannot be
read gets {"line": N, "error": "..."} and the exit status is 1.
`

// maxLineBytes bounds one input line (a year of transactions is a few megabytes).
const maxLineBytes = 256 << 20

// batchBytes flushes a batch once its lines hold this much JSON, whatever their number, so the
// memory a batch takes (decoded lines and its in-memory databases) stays bounded.
const batchBytes = 64 << 20

// bigGroup is the least number of lines sharing an as_of that are scored in one pass of the
// macro (in a database of their own) rather than one account at a time: a pass costs about
// what planning a few single-account queries costs.
const bigGroup = 8

// runCashflow implements riskctl cashflow. Lines are read in batches and decoded in parallel.
// Lines that share an as_of with enough others are loaded together into an in-memory DuckDB and
// scored in one pass of the cashflow_features macro; the rest share another database and are
// scored one account at a time. Loading goes through the store's ingest path (each description
// classified once by cashflow.Classify, each line committed as one account batch), so riskctl
// and riskd compute the same numbers with the same SQL.
func runCashflow(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("riskctl cashflow", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, cashflowUsage); fs.PrintDefaults() }
	batchSize := fs.Int("batch", 500, "most lines loaded into DuckDB and scored together")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 || *batchSize < 1 {
		fs.Usage()
		return 2
	}
	out := bufio.NewWriterSize(stdout, 1<<16)
	in := bufio.NewReaderSize(stdin, 1<<20)
	c := &cashflowRun{out: out}
	var (
		batch   []rawLine
		size    int
		lineNo  int
		readErr error
	)
	for readErr == nil {
		var data []byte
		data, readErr = readLine(in)
		if len(data) > 0 || readErr == nil {
			lineNo++
		}
		if len(bytes.TrimSpace(data)) > 0 {
			batch = append(batch, rawLine{no: lineNo, data: data})
			size += len(data)
		}
		if len(batch) > 0 && (len(batch) == *batchSize || size >= batchBytes || readErr != nil) {
			if err := c.flush(ctx, decodeAll(batch)); err != nil {
				out.Flush()
				fmt.Fprintln(stderr, "riskctl cashflow:", err)
				return 1
			}
			batch, size = batch[:0], 0
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(stderr, "riskctl cashflow: write:", err)
		return 1
	}
	if !errors.Is(readErr, io.EOF) {
		fmt.Fprintf(stderr, "riskctl cashflow: read line %d: %v\n", lineNo, readErr)
		return 1
	}
	if c.bad > 0 {
		fmt.Fprintf(stderr, "riskctl cashflow: %d of %d lines could not be read\n", c.bad, c.lines)
		return 1
	}
	return 0
}

// readLine returns the next line without its end-of-line; io.EOF after the last.
func readLine(r *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > maxLineBytes {
			return nil, fmt.Errorf("longer than %d bytes", maxLineBytes)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimRight(buf, "\r\n"), err
	}
}

// rawLine is an input line as read.
type rawLine struct {
	no   int
	data []byte
}

// decodeAll decodes a batch on every core, keeping the order.
func decodeAll(batch []rawLine) []cashflowLine {
	out := make([]cashflowLine, len(batch))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = decodeCashflowLine(batch[i].no, batch[i].data)
			}
		}()
	}
	for i := range batch {
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// cashflowLine is one input line on its way through a batch.
type cashflowLine struct {
	no      int
	line    *fcjson.Line
	storeID string // the account's id in the batch database: unique per line
	err     error
}

func decodeCashflowLine(no int, data []byte) cashflowLine {
	l, err := fcjson.Decode(data)
	if err != nil {
		return cashflowLine{no: no, err: err}
	}
	// Each line is scored in isolation, as of its own time, even when two lines carry the
	// same account: it gets an id of its own. The id is random-looking from its first byte
	// so DuckDB's zone maps (8-byte string prefixes) separate the accounts.
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(no))
	h.Write(b[:])
	h.Write([]byte(l.Account.ID))
	return cashflowLine{no: no, line: l, storeID: hex.EncodeToString(h.Sum(nil)) + fmt.Sprintf("_%d", no)}
}

type cashflowRun struct {
	out        *bufio.Writer
	lines, bad int
}

// flush loads, scores and writes one batch, in input order.
func (c *cashflowRun) flush(ctx context.Context, batch []cashflowLine) error {
	byAsOf := map[int64][]*cashflowLine{}
	for i := range batch {
		if l := &batch[i]; l.err == nil {
			at := l.line.AsOf.Unix()
			byAsOf[at] = append(byAsOf[at], l)
		}
	}
	features := map[string]*cashflow.Features{}
	var rest []*cashflowLine
	for at, lines := range byAsOf {
		if len(lines) < bigGroup {
			rest = append(rest, lines...)
			continue
		}
		daily := slices.ContainsFunc(lines, func(l *cashflowLine) bool { return l.line.Debit != nil })
		err := withStore(ctx, func(st *store.Store) error {
			commitLines(ctx, st, lines)
			return st.PortfolioFeatures(ctx, time.Unix(at, 0).UTC(), daily, func(f *cashflow.Features) error {
				features[f.AccountID] = f
				return nil
			})
		})
		if err != nil {
			return err
		}
	}
	if len(rest) > 0 {
		err := withStore(ctx, func(st *store.Store) error {
			commitLines(ctx, st, rest)
			return scoreEach(ctx, st, rest, features)
		})
		if err != nil {
			return err
		}
	}
	return c.write(batch, features)
}

// scoreEach computes the features of each line's account, one account per query, on as many
// goroutines as there are CPUs: a one-account query spends most of its time planning on the
// calling thread, so queries side by side use the cores one alone leaves idle.
func scoreEach(ctx context.Context, st *store.Store, lines []*cashflowLine, features map[string]*cashflow.Features) error {
	found := make([]*cashflow.Features, len(lines))
	errs := make([]error, len(lines))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(lines)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(lines); i = int(next.Add(1)) - 1 {
				if l := lines[i]; l.err == nil {
					found[i], errs[i] = st.AccountFeatures(ctx, l.storeID, l.line.AsOf)
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for i, l := range lines {
		if found[i] != nil {
			features[l.storeID] = found[i]
		}
	}
	return nil
}

// withStore runs fn on a fresh in-memory database.
func withStore(ctx context.Context, fn func(*store.Store) error) error {
	st, err := store.Open(ctx, "")
	if err != nil {
		return fmt.Errorf("open in-memory database: %w", err)
	}
	defer st.Close()
	return fn(st)
}

// commitLines stores the lines' accounts, as many to a transaction as a refresh's group commit
// takes (a transaction per line cost more than scoring it); a line the store refuses gets the
// error.
func commitLines(ctx context.Context, st *store.Store, lines []*cashflowLine) {
	batches := make([]*pipeline.AccountBatch, len(lines))
	for i, l := range lines {
		batches[i] = accountBatch(l)
	}
	for g := 0; g < len(lines); g += pipeline.MaxGroupAccounts {
		end := min(g+pipeline.MaxGroupAccounts, len(lines))
		if st.CommitAccounts(ctx, batches[g:end]) == nil {
			continue
		}
		for i := g; i < end; i++ { // the group failed as a whole: find the lines at fault
			if err := st.CommitAccount(ctx, batches[i]); err != nil {
				lines[i].err = fmt.Errorf("store: %w", err)
			}
		}
	}
}

// write writes the batch's output lines in input order.
func (c *cashflowRun) write(batch []cashflowLine, features map[string]*cashflow.Features) error {
	enc := json.NewEncoder(c.out)
	enc.SetEscapeHTML(false)
	for i := range batch {
		l := &batch[i]
		c.lines++
		f := features[l.storeID]
		if l.err == nil && f == nil {
			l.err = errors.New("no features computed") // cannot happen: every stored account has a row
		}
		if l.err != nil {
			c.bad++
			if err := enc.Encode(map[string]any{"line": l.no, "error": l.err.Error()}); err != nil {
				return fmt.Errorf("write: %w", err)
			}
			continue
		}
		r := cashflow.NewReport(l.line.ID, l.line.Account.ID, f)
		if d := l.line.Debit; d != nil {
			r.DebitRisk = cashflow.NewDebitRiskReport(f, d.AmountCents, d.Date)
		}
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("write: %w", err)
		}
	}
	return nil
}

// accountBatch renders a line as the account batch the store commits: the account under the
// line's own id, its balance, its transactions each classified once.
func accountBatch(l *cashflowLine) *pipeline.AccountBatch {
	in := l.line
	acct := in.Account
	acct.ID = l.storeID
	b := &pipeline.AccountBatch{Account: acct, ObservedAt: in.AsOf, Transactions: in.Transactions}
	if bal := in.Account.Balance; bal != nil {
		snap := *bal
		// A balance reported after as_of is the latest the caller knows: use it as of as_of
		// rather than ignore it (the features read balances reported by as_of).
		if snap.AsOf.After(in.AsOf) {
			snap.AsOf = in.AsOf
		}
		b.Balance = &snap
		b.Account.Balance = &snap
	}
	for i := range b.Transactions {
		t := &b.Transactions[i]
		t.AccountID = l.storeID
		cl := cashflow.Classify(t.Description, t.Amount)
		t.Category, t.Counterparty = string(cl.Category), cl.Counterparty
	}
	return b
}
