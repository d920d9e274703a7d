package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/riskd/riskd/scoring/cashflow"
)

// Progress is how far a run has come.
type Progress struct {
	Done, Total int // accounts finished, and expected (known accounts, or more once discovered)
	Elapsed     time.Duration
}

// Hook points of a run.
const (
	HookPage            = "page"             // after each transaction read from a page
	HookPolling         = "polling"          // after each poll of a pending refresh
	HookBetweenAccounts = "between_accounts" // after an account is committed
)

func (r *Refresher) hook(point, accountID string) {
	if r.Hook != nil {
		r.Hook(point, accountID)
	}
}

// RequestCounter is implemented by sources that count their requests; runs record the counts.
type RequestCounter interface {
	RequestCounts() (requests, retries, rateLimited int64)
}

// Refresher defaults.
const (
	DefaultWorkers        = 32
	DefaultPollInterval   = 250 * time.Millisecond
	DefaultPollMax        = 5 * time.Second
	DefaultRefreshTimeout = 2 * time.Minute
	// DefaultOwnershipMaxAge is how old a successful ownership refresh may get before a scheduled
	// or manual run asks for a new one.
	DefaultOwnershipMaxAge = 30 * 24 * time.Hour
)

// Refresher brings every permissioned account up to date: it discovers customers and their
// accounts, asks the Source to refresh what each account permits, waits for the refreshes to
// settle and commits one AccountBatch per account. Only one run happens at a time.
type Refresher struct {
	Source Source
	Store  Store
	Now    func() time.Time // the clock; time.Now when nil
	Logger *slog.Logger

	Workers         int           // accounts refreshed concurrently
	PollInterval    time.Duration // first wait before polling a pending refresh; doubles up to PollMax
	PollMax         time.Duration
	RefreshTimeout  time.Duration // per account, from the refresh request to the last poll
	OwnershipMaxAge time.Duration // see shouldRequest; DefaultOwnershipMaxAge when 0

	// Progress, if set, is called after each account with the run's progress.
	Progress func(Progress)
	// Hook, if set, is called at named points of a run (the Hook* constants): a test seam for
	// crash tests, which kill the process there.
	Hook func(point, accountID string)

	mu      sync.Mutex
	running bool
	last    *Run
	waiting map[string]chan struct{} // accounts whose refresh settle() is waiting on
}

// Notify tells a run waiting on the account's refresh that Stripe reported it finished. It
// reports whether a run was waiting.
func (r *Refresher) Notify(accountID string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	ch, ok := r.waiting[accountID]
	if ok {
		select {
		case ch <- struct{}{}:
		default: // already notified
		}
	}
	return ok
}

func (r *Refresher) wait(accountID string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	r.mu.Lock()
	if r.waiting == nil {
		r.waiting = map[string]chan struct{}{}
	}
	r.waiting[accountID] = ch
	r.mu.Unlock()
	return ch, func() {
		r.mu.Lock()
		delete(r.waiting, accountID)
		r.mu.Unlock()
	}
}

func (r *Refresher) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

func (r *Refresher) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

// Running reports whether a run is in progress.
func (r *Refresher) Running() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.running
}

// LastRun returns a copy of the most recently finished run, or nil.
func (r *Refresher) LastRun() *Run {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		return nil
	}
	c := *r.last
	return &c
}

// Run performs one refresh. With accountIDs it refreshes just those accounts; otherwise it
// discovers new customers and refreshes every account of every known customer. It returns
// ErrAlreadyRunning if another run is in progress. Per-account failures do not fail the run:
// they are recorded as outcomes and the run ends "partial".
func (r *Refresher) Run(ctx context.Context, trigger Trigger, accountIDs ...string) (*Run, error) {
	if !r.acquire() {
		return nil, ErrAlreadyRunning
	}
	defer r.release()
	return r.runAcquired(ctx, trigger, accountIDs)
}

// acquire takes the single run slot; it reports false if a run holds it.
func (r *Refresher) acquire() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running {
		return false
	}
	r.running = true
	return true
}

func (r *Refresher) release() {
	r.mu.Lock()
	r.running = false
	r.mu.Unlock()
}

func (r *Refresher) runAcquired(ctx context.Context, trigger Trigger, accountIDs []string) (*Run, error) {
	run := &Run{Trigger: trigger, StartedAt: r.now(), Status: "running"}
	id, err := r.Store.StartRun(ctx, run)
	if err != nil {
		return nil, fmt.Errorf("start run: %w", err)
	}
	run.ID = id
	log := r.logger().With("run", id, "trigger", string(trigger))
	log.Info("refresh started")

	counter, _ := r.Source.(RequestCounter)
	var req0, retry0, limited0 int64
	if counter != nil {
		req0, retry0, limited0 = counter.RequestCounts()
	}
	err = r.run(ctx, run, accountIDs)
	run.FinishedAt = r.now()
	if err == nil {
		// Decisions "as of now" read these; a failure only makes them compute features live.
		if merr := r.Store.MaterializeFeatures(ctx, run.FinishedAt, accountIDs); merr != nil {
			log.Error("materialize features", "err", merr)
		}
	}
	if counter != nil {
		req, retry, limited := counter.RequestCounts()
		run.Requests, run.Retries, run.RateLimited = req-req0, retry-retry0, limited-limited0
	}
	switch {
	case err != nil:
		run.Status, run.Err = "failed", err.Error()
	case run.AccountsFailed > 0:
		run.Status = "partial"
	default:
		run.Status = "succeeded"
	}
	// Record the end even when ctx was cancelled: the ledger must not keep a phantom "running".
	if ferr := r.Store.FinishRun(context.WithoutCancel(ctx), run); ferr != nil && err == nil {
		err = fmt.Errorf("finish run: %w", ferr)
	}
	log.Info("refresh finished", "status", run.Status, "accounts", run.AccountsTotal,
		"succeeded", run.AccountsSucceeded, "failed", run.AccountsFailed, "skipped", run.AccountsSkipped,
		"transactions", run.Transactions, "requests", run.Requests, "retries", run.Retries, "seconds", run.FinishedAt.Sub(run.StartedAt).Seconds())
	r.mu.Lock()
	c := *run
	r.last = &c
	r.mu.Unlock()
	return run, err
}

// tally counts one run's accounts as workers finish them.
type tally struct {
	sent, total, succeeded, failed, skipped, txns atomic.Int64
}

func (r *Refresher) run(ctx context.Context, run *Run, only []string) error {
	states, err := r.Store.AccountStates(ctx)
	if err != nil {
		return fmt.Errorf("load account states: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var t tally
	expected := int64(len(only))
	if expected == 0 {
		expected = int64(len(states))
	}
	accounts := make(chan Account)
	var produceErr error
	go func() {
		defer close(accounts)
		produceErr = r.produce(ctx, only, accounts, &t)
	}()

	// Workers refresh accounts concurrently; one committer writes their batches in groups, so
	// DuckDB sees few large transactions instead of one per account.
	workers := cmp.Or(r.Workers, DefaultWorkers)
	batches := make(chan *AccountBatch, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for acct := range accounts {
				st := states[acct.ID]
				if st.Purged {
					t.total.Add(1)
					t.skipped.Add(1) // deleted on request: store nothing about it again
					continue
				}
				batches <- r.refreshAccount(ctx, run, acct, st)
			}
		}()
	}
	committed := make(chan struct{})
	go func() {
		defer close(committed)
		r.commitLoop(ctx, run, batches, expected, &t)
	}()
	wg.Wait()
	close(batches)
	<-committed
	run.AccountsTotal = int(t.total.Load())
	run.AccountsSucceeded = int(t.succeeded.Load())
	run.AccountsFailed = int(t.failed.Load())
	run.AccountsSkipped = int(t.skipped.Load())
	run.Transactions = t.txns.Load()
	if err := ctx.Err(); err != nil {
		return err
	}
	return produceErr
}

// Group commit limits: a group closes at whichever comes first.
const (
	MaxGroupAccounts = 64
	MaxGroupRows     = 50_000
)

// commitLoop commits batches as they arrive, grouping whatever is ready: a group is atomic, so
// every account in it moves with its cursor. A group that fails is retried account by account,
// so one bad batch fails only its own account.
func (r *Refresher) commitLoop(ctx context.Context, run *Run, batches <-chan *AccountBatch, expected int64, t *tally) {
	for b := range batches {
		group, rows := []*AccountBatch{b}, len(b.Transactions)
	fill:
		for len(group) < MaxGroupAccounts && rows < MaxGroupRows {
			select {
			case next, ok := <-batches:
				if !ok {
					break fill
				}
				group, rows = append(group, next), rows+len(next.Transactions)
			default:
				break fill
			}
		}
		err := r.Store.CommitAccounts(ctx, group)
		if err != nil && len(group) > 1 {
			r.logger().Warn("group commit failed; committing its accounts one by one", "accounts", len(group), "err", err)
			for _, b := range group {
				r.finish(run, b, r.Store.CommitAccounts(ctx, []*AccountBatch{b}), expected, t)
			}
			continue
		}
		for _, b := range group {
			r.finish(run, b, err, expected, t)
		}
	}
}

// finish counts one committed (or failed) batch and reports progress.
func (r *Refresher) finish(run *Run, b *AccountBatch, err error, expected int64, t *tally) {
	r.count(run.ID, b, err, t)
	r.hook(HookBetweenAccounts, b.Account.ID)
	if r.Progress != nil {
		r.Progress(Progress{Done: int(t.total.Load()), Total: int(max(expected, t.sent.Load())),
			Elapsed: r.now().Sub(run.StartedAt)})
	}
}

// count records one committed (or failed) batch in the tally.
func (r *Refresher) count(runID int64, b *AccountBatch, err error, t *tally) {
	t.total.Add(1)
	if err != nil {
		t.failed.Add(1)
		r.logger().Error("commit account", "run", runID, "account", b.Account.ID, "err", err)
		return
	}
	t.txns.Add(int64(len(b.Transactions)))
	switch batchStatus(b) {
	case OutcomeFailed:
		t.failed.Add(1)
	case OutcomeSkipped:
		t.skipped.Add(1)
	default:
		t.succeeded.Add(1)
	}
}

// produce sends the accounts to refresh: the named ones, or every account of every customer.
func (r *Refresher) produce(ctx context.Context, only []string, out chan<- Account, t *tally) error {
	send := func(a Account) error {
		select {
		case out <- a:
			t.sent.Add(1)
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if len(only) > 0 {
		return r.produceOnly(ctx, only, send, t)
	}
	ids, latest, err := r.Store.CustomerIDs(ctx)
	if err != nil {
		return fmt.Errorf("load customers: %w", err)
	}
	known := make(map[string]bool, len(ids))
	for _, id := range ids {
		known[id] = true
	}
	var fresh []Customer
	err = r.Source.ListCustomers(ctx, latest, func(c Customer) error {
		fresh = append(fresh, c)
		if !known[c.ID] {
			known[c.ID] = true
			ids = append(ids, c.ID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("list customers: %w", err)
	}
	if len(fresh) > 0 {
		if err := r.Store.SaveCustomers(ctx, fresh, r.now()); err != nil {
			return fmt.Errorf("save customers: %w", err)
		}
	}
	for _, cid := range ids {
		if err := r.Source.ListAccounts(ctx, cid, send); err != nil {
			return fmt.Errorf("list accounts of %s: %w", cid, err)
		}
	}
	return nil
}

// produceOnly sends the named accounts. An account riskd learned of from a webhook may belong to
// a customer it has not stored yet (a newly completed Financial Connections session): that
// customer is fetched and stored first, so decisions can compare the applicant with the owners.
func (r *Refresher) produceOnly(ctx context.Context, only []string, send func(Account) error, t *tally) error {
	ids, _, err := r.Store.CustomerIDs(ctx)
	if err != nil {
		return fmt.Errorf("load customers: %w", err)
	}
	known := make(map[string]bool, len(ids))
	for _, id := range ids {
		known[id] = true
	}
	for _, id := range only {
		a, err := r.Source.GetAccount(ctx, id)
		if err == nil && a.CustomerID != "" && !known[a.CustomerID] {
			var c Customer
			if c, err = r.Source.GetCustomer(ctx, a.CustomerID); err == nil {
				err = r.Store.SaveCustomers(ctx, []Customer{c}, r.now())
				known[c.ID] = err == nil
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			t.total.Add(1)
			t.failed.Add(1)
			r.logger().Warn("account not refreshed", "account", id, "err", err)
			continue
		}
		if err := send(a); err != nil {
			return err
		}
	}
	return nil
}

// refreshAccount refreshes what the account permits and returns the batch to commit. Errors
// become failed outcomes: the previous data stays, and the batch still records what was learned.
func (r *Refresher) refreshAccount(ctx context.Context, run *Run, acct Account, st AccountState) *AccountBatch {
	trigger := run.Trigger
	b := &AccountBatch{RunID: run.ID, Account: acct, ObservedAt: r.now()}
	outcome := func(f Feature, status, reason string, rows int) {
		b.Outcomes = append(b.Outcomes, Outcome{AccountID: acct.ID, Feature: string(f), Status: status, Reason: reason, Rows: rows, At: r.now()})
	}
	if acct.Status != StatusActive {
		b.Outcomes = append(b.Outcomes, Outcome{AccountID: acct.ID, Feature: "account", Status: OutcomeSkipped, Reason: "account_" + acct.Status, At: r.now()})
		return b
	}

	var wanted, request []Feature
	for _, f := range Features {
		if !acct.Permits(f) {
			outcome(f, OutcomeSkipped, "permission_missing", 0)
			continue
		}
		wanted = append(wanted, f)
		if r.shouldRequest(trigger, f, acct.Refresh(f)) {
			request = append(request, f)
		}
	}
	// notes say why a feature's data may be older than this run; collection goes on regardless,
	// since an earlier refresh may have brought data riskd has not stored yet.
	notes := map[Feature]string{}
	if len(request) > 0 {
		a, err := r.Source.RefreshAccount(ctx, acct.ID, request)
		if err != nil {
			r.logger().Warn("refresh request failed", "account", acct.ID, "err", err)
			for _, f := range request {
				notes[f] = "refresh_request_failed"
			}
		} else {
			acct = a
		}
	}
	acct, _ = r.settle(ctx, acct, wanted)
	b.Account = acct

	for _, f := range wanted {
		switch rs := acct.Refresh(f); {
		case rs != nil && rs.Status == RefreshPending:
			outcome(f, OutcomeFailed, "refresh_timeout", 0)
			continue
		case rs != nil && rs.Status == RefreshFailed:
			outcome(f, OutcomeFailed, "refresh_failed", 0) // the previous data stays
			continue
		}
		rows, err := r.collect(ctx, b, f, st)
		switch {
		case err != nil:
			r.logger().Warn("collect failed", "account", acct.ID, "feature", f, "err", err)
			outcome(f, OutcomeFailed, "fetch_failed", 0)
		case rows == 0:
			outcome(f, OutcomeUnchanged, notes[f], 0)
		default:
			outcome(f, OutcomeSucceeded, notes[f], rows)
		}
	}
	return b
}

// shouldRequest decides whether a run asks Stripe to refresh a feature. Webhook runs only collect
// what Stripe already refreshed. Nobody asks while a refresh is pending or before
// next_refresh_available_at. Ownership changes rarely and v76 reports no next refresh time for
// it, so it is refreshed at most every OwnershipMaxAge.
func (r *Refresher) shouldRequest(trigger Trigger, f Feature, rs *RefreshState) bool {
	now := r.now()
	switch {
	case trigger == TriggerWebhook:
		return false
	case rs == nil:
		return true
	case rs.Status == RefreshPending:
		return false
	case !rs.NextAvailableAt.IsZero() && now.Before(rs.NextAvailableAt):
		return false
	case f == FeatureOwnership && rs.Status == RefreshSucceeded:
		return now.Sub(rs.LastAttemptedAt) >= cmp.Or(r.OwnershipMaxAge, DefaultOwnershipMaxAge)
	}
	return true
}

// settle waits until none of the features is pending: it polls the account with exponential
// backoff and re-reads it at once when a refreshed_* webhook arrives (Notify), whichever comes
// first, until the refresh timeout. It returns the last account read.
func (r *Refresher) settle(ctx context.Context, acct Account, features []Feature) (Account, error) {
	pending := func(a Account) bool {
		for _, f := range features {
			if rs := a.Refresh(f); rs != nil && rs.Status == RefreshPending {
				return true
			}
		}
		return false
	}
	if !pending(acct) {
		return acct, nil
	}
	notified, done := r.wait(acct.ID)
	defer done()
	wait := cmp.Or(r.PollInterval, DefaultPollInterval)
	deadline := time.NewTimer(cmp.Or(r.RefreshTimeout, DefaultRefreshTimeout))
	defer deadline.Stop()
	for pending(acct) {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return acct, ctx.Err()
		case <-deadline.C:
			t.Stop()
			return acct, errors.New("refresh timed out")
		case <-notified:
			t.Stop()
		case <-t.C:
		}
		r.hook(HookPolling, acct.ID)
		a, err := r.Source.GetAccount(ctx, acct.ID)
		if err != nil {
			r.logger().Warn("poll account", "account", acct.ID, "err", err)
		} else {
			acct = a
		}
		wait = min(2*wait, cmp.Or(r.PollMax, DefaultPollMax))
	}
	return acct, nil
}

// collect adds what is new for feature f to the batch and returns how many rows it added.
func (r *Refresher) collect(ctx context.Context, b *AccountBatch, f Feature, st AccountState) (int, error) {
	acct := &b.Account
	switch f {
	case FeatureBalance:
		if acct.Balance == nil || !acct.Balance.AsOf.After(st.BalanceAsOf) {
			return 0, nil
		}
		b.Balance = acct.Balance
		return 1, nil
	case FeatureOwnership:
		if acct.OwnershipID == "" || acct.OwnershipID == st.OwnershipID {
			return 0, nil
		}
		own := &Ownership{ID: acct.OwnershipID}
		err := r.Source.ListOwners(ctx, acct.ID, acct.OwnershipID, func(o Owner) error {
			own.Owners = append(own.Owners, o)
			return nil
		})
		if err != nil {
			return 0, err
		}
		b.Ownership = own
		return len(own.Owners), nil
	default:
		tr := acct.TransactionRefresh
		if tr == nil || tr.Status != RefreshSucceeded || tr.ID == "" || tr.ID == st.TransactionsCursor {
			return 0, nil
		}
		var txns []Transaction
		err := r.Source.ListTransactions(ctx, acct.ID, st.TransactionsCursor, func(t Transaction) error {
			c := cashflow.Classify(t.Description, t.Amount)
			t.Category, t.Counterparty = string(c.Category), c.Counterparty
			txns = append(txns, t)
			r.hook(HookPage, acct.ID)
			return nil
		})
		if err != nil {
			return 0, err
		}
		b.Transactions, b.Cursor = txns, tr.ID
		return len(txns), nil
	}
}

// batchStatus summarizes a batch's outcomes: failed if any feature failed, skipped if the whole
// account was skipped, succeeded otherwise.
func batchStatus(b *AccountBatch) string {
	for _, o := range b.Outcomes {
		if o.Status == OutcomeFailed {
			return OutcomeFailed
		}
	}
	if len(b.Outcomes) == 1 && b.Outcomes[0].Feature == "account" {
		return OutcomeSkipped
	}
	return OutcomeSucceeded
}
