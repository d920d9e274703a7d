package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/riskd/riskd/pipeline"
)

// AccountStates returns what the store remembers of every account.
func (s *Store) AccountStates(ctx context.Context) (map[string]pipeline.AccountState, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT a.id, coalesce(a.customer_id, ''), a.status, coalesce(a.ownership_id, ''),
		       coalesce(a.transactions_cursor, ''), b.as_of
		FROM accounts a
		LEFT JOIN (SELECT account_id, max(as_of) AS as_of FROM balance_snapshots GROUP BY ALL) b
		       ON b.account_id = a.id
		UNION ALL
		SELECT account_id, '', 'purged', '', '', NULL FROM purged_accounts`)
	if err != nil {
		return nil, fmt.Errorf("query account states: %w", err)
	}
	defer rows.Close()
	out := map[string]pipeline.AccountState{}
	for rows.Next() {
		var st pipeline.AccountState
		var asOf sql.NullTime
		if err := rows.Scan(&st.ID, &st.CustomerID, &st.Status, &st.OwnershipID, &st.TransactionsCursor, &asOf); err != nil {
			return nil, err
		}
		st.BalanceAsOf = asOf.Time.UTC()
		st.Purged = st.Status == "purged"
		out[st.ID] = st
	}
	return out, rows.Err()
}

// CustomerIDs returns every known customer and the latest creation time among them.
func (s *Store) CustomerIDs(ctx context.Context) ([]string, time.Time, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, created FROM customers ORDER BY created, id")
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("query customers: %w", err)
	}
	defer rows.Close()
	var ids []string
	var latest time.Time
	for rows.Next() {
		var id string
		var created time.Time
		if err := rows.Scan(&id, &created); err != nil {
			return nil, time.Time{}, err
		}
		ids = append(ids, id)
		if created.After(latest) {
			latest = created.UTC()
		}
	}
	return ids, latest, rows.Err()
}

// SaveCustomers upserts customers by ID.
func (s *Store) SaveCustomers(ctx context.Context, cs []pipeline.Customer, observedAt time.Time) error {
	rows := make([][]driver.Value, 0, len(cs))
	for _, c := range cs {
		meta := c.Metadata // the Appender encodes JSON columns itself
		if meta == nil {
			meta = map[string]string{}
		}
		rows = append(rows, []driver.Value{c.ID, null(c.Email), null(c.Name), null(c.Phone),
			null(c.Address.Line1), null(c.Address.Line2), null(c.Address.City), null(c.Address.State),
			null(c.Address.PostalCode), null(c.Address.Country), meta, c.Created.UTC(), c.Livemode, observedAt.UTC()})
	}
	return s.writeTx(ctx, func(w *writer) error {
		if err := w.stage("customers", rows); err != nil {
			return err
		}
		return w.merge("customers", "id")
	})
}

// CommitAccount stores one account's batch in one transaction: the account row with its new
// cursor, a balance snapshot, an ownership snapshot with its owners, the transactions (upserted by
// ID) and the outcomes. A failure leaves the database as it was.
func (s *Store) CommitAccount(ctx context.Context, b *pipeline.AccountBatch) error {
	return s.CommitAccounts(ctx, []*pipeline.AccountBatch{b})
}

// CommitAccounts stores several accounts' batches in one transaction (group commit): all of them
// or none. Each account's rows still move together with its cursor.
//
// Snapshots, owners and outcomes are append-only, and a first load of an account's transactions
// (no cursor stored) cannot collide with stored rows, since rows are only ever stored together
// with a cursor: those go straight into their tables through the Appender. Only incremental
// transaction batches are staged and merged by ID, restricted to their account.
func (s *Store) CommitAccounts(ctx context.Context, bs []*pipeline.AccountBatch) error {
	if len(bs) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(bs))
	for _, b := range bs {
		if err := validBatch(b); err != nil {
			return err
		}
		if seen[b.Account.ID] {
			return pipeline.Errorf(pipeline.EINVALID, "account %s: twice in one commit", b.Account.ID)
		}
		seen[b.Account.ID] = true
	}
	return s.writeTx(ctx, func(w *writer) error {
		prev, err := w.previous(bs)
		if err != nil {
			return err
		}
		if err := w.number(bs, prev); err != nil {
			return err
		}
		var balances, snapshots, owners, fresh, incremental, outcomes, accounts [][]driver.Value
		var merged []string // accounts whose transactions are merged
		for _, b := range bs {
			a, p := &b.Account, prev[b.Account.ID]
			if bal := b.Balance; bal != nil {
				balances = append(balances, []driver.Value{a.ID, bal.AsOf.UTC(), bal.Type, bal.Currency, bal.Current,
					nullInt(bal.Available), nullInt(bal.CreditUsed), b.ObservedAt.UTC(), b.RunID})
			}
			if own := b.Ownership; own != nil {
				snapshots = append(snapshots, []driver.Value{own.ID, a.ID, nullTime(own.Created), b.ObservedAt.UTC(), b.RunID})
				for _, o := range own.Owners {
					owners = append(owners, []driver.Value{o.ID, own.ID, a.ID, null(o.Name), null(o.Email), null(o.Phone),
						null(o.RawAddress), nullTime(o.RefreshedAt)})
				}
			}
			if len(b.Transactions) > 0 {
				dst := &fresh
				if p.cursor != "" {
					dst = &incremental
					merged = append(merged, a.ID)
				}
				for i := range b.Transactions {
					*dst = append(*dst, transactionRow(&b.Transactions[i], a.ID, p.no, b.RunID))
				}
			}
			for _, o := range b.Outcomes {
				outcomes = append(outcomes, []driver.Value{b.RunID, o.AccountID, o.Feature, o.Status, null(o.Reason),
					int64(o.Rows), o.At.UTC()})
			}
			accounts = append(accounts, p.row(b))
		}
		for _, t := range []struct {
			table string
			rows  [][]driver.Value
		}{{"balance_snapshots", balances}, {"ownership_snapshots", snapshots}, {"owners", owners},
			{"transactions", fresh}, {"refresh_outcomes", outcomes}} {
			if err := w.appendRows("main", t.table, t.rows); err != nil {
				return err
			}
		}
		if len(incremental) > 0 {
			if err := w.stage("transactions", incremental); err != nil {
				return err
			}
			for _, id := range merged {
				if err := w.exec(`DELETE FROM main.transactions WHERE account_id = ? AND id IN
					(SELECT id FROM `+stagingSchema+`.transactions WHERE account_id = ?)`, id, id); err != nil {
					return err
				}
			}
			if err := w.exec("INSERT INTO main.transactions SELECT * FROM " + stagingSchema + ".transactions"); err != nil {
				return err
			}
		}
		s.hook(HookCommit)
		// Account rows carry the transactions cursors: they go last, so a cursor moves only with
		// the rows it covers.
		if err := w.stage("accounts", accounts); err != nil {
			return err
		}
		s.hook(HookCursor)
		if err := w.merge("accounts", "id"); err != nil {
			return err
		}
		if s.beforeCommit != nil {
			return s.beforeCommit(bs[0])
		}
		return nil
	})
}

// validBatch refuses a batch that would store rows without their identity.
func validBatch(b *pipeline.AccountBatch) error {
	a := &b.Account
	switch {
	case a.ID == "":
		return pipeline.Errorf(pipeline.EINVALID, "account.id: required")
	case a.Status == "":
		return pipeline.Errorf(pipeline.EINVALID, "account %s: status: required", a.ID)
	}
	for i := range b.Transactions {
		if b.Transactions[i].ID == "" {
			return pipeline.Errorf(pipeline.EINVALID, "account %s: transactions[%d].id: required", a.ID, i)
		}
	}
	return nil
}

// previousAccount is what the accounts table held for an account before this commit; for an
// account new to the store, found is false and no is the number (*writer).number assigned it.
type previousAccount struct {
	found               bool
	no                  int32
	firstSeen           time.Time
	ownershipID, cursor string
}

// row renders the account's new row, keeping what the batch does not change.
func (p previousAccount) row(b *pipeline.AccountBatch) []driver.Value {
	firstSeen, ownershipID, cursor := b.ObservedAt, p.ownershipID, p.cursor
	if p.found {
		firstSeen = p.firstSeen
	}
	if b.Ownership != nil {
		ownershipID = b.Ownership.ID
	}
	if b.Cursor != "" {
		cursor = b.Cursor
	}
	return accountRow(&b.Account, p.no, ownershipID, cursor, firstSeen, b.ObservedAt)
}

// number gives each account new to the store the next account number (accounts.no), in batch
// order. Commits are serialized (writeTx), so the largest stored number is this transaction's
// to extend.
func (w *writer) number(bs []*pipeline.AccountBatch, prev map[string]previousAccount) error {
	if len(prev) == len(bs) {
		return nil
	}
	top, err := w.queryInt64("SELECT coalesce(max(no), 0)::BIGINT FROM accounts")
	if err != nil {
		return fmt.Errorf("read account numbers: %w", err)
	}
	last := int32(top)
	for _, b := range bs {
		if _, found := prev[b.Account.ID]; !found {
			last++
			prev[b.Account.ID] = previousAccount{no: last}
		}
	}
	return nil
}

// previous reads the stored rows of the batches' accounts.
func (w *writer) previous(bs []*pipeline.AccountBatch) (map[string]previousAccount, error) {
	args := make([]driver.NamedValue, len(bs))
	marks := make([]string, len(bs))
	for i, b := range bs {
		args[i] = driver.NamedValue{Ordinal: i + 1, Value: b.Account.ID}
		marks[i] = "?"
	}
	rows, err := w.conn.(driver.QueryerContext).QueryContext(w.ctx, `SELECT id, no, first_seen_at, coalesce(ownership_id, ''),
		coalesce(transactions_cursor, '') FROM accounts WHERE id IN (`+strings.Join(marks, ",")+`)`, args)
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	defer rows.Close()
	out := make(map[string]previousAccount, len(bs))
	dest := make([]driver.Value, 5)
	for {
		if err := rows.Next(dest); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		p := previousAccount{found: true}
		id, _ := dest[0].(string)
		p.no, _ = dest[1].(int32)
		p.firstSeen, _ = dest[2].(time.Time)
		p.ownershipID, _ = dest[3].(string)
		p.cursor, _ = dest[4].(string)
		out[id] = p
	}
}

func accountRow(a *pipeline.Account, no int32, ownershipID, cursor string, firstSeen, observed time.Time) []driver.Value {
	perms := make([]string, len(a.Permissions))
	for i, p := range a.Permissions {
		perms[i] = string(p)
	}
	row := []driver.Value{a.ID, null(a.CustomerID), null(a.InstitutionName), null(a.DisplayName), null(a.Last4),
		null(a.Category), null(a.Subcategory), a.Status, perms, nonNil(a.Subscriptions), nonNil(a.SupportedPaymentMethodTypes),
		a.Created.UTC(), a.Livemode}
	row = append(row, refreshCols(a.BalanceRefresh, true)...)
	row = append(row, refreshCols(a.OwnershipRefresh, false)...)
	row = append(row, null(ownershipID))
	tr := a.TransactionRefresh
	if tr != nil {
		row = append(row, null(tr.ID))
	} else {
		row = append(row, nil)
	}
	row = append(row, refreshCols(tr, true)...)
	return append(row, null(cursor), firstSeen.UTC(), observed.UTC(), no)
}

// refreshCols renders status, last_attempted_at and, with next, next_refresh_available_at.
func refreshCols(rs *pipeline.RefreshState, next bool) []driver.Value {
	cols := []driver.Value{nil, nil}
	if next {
		cols = append(cols, nil)
	}
	if rs == nil {
		return cols
	}
	cols[0], cols[1] = string(rs.Status), nullTime(rs.LastAttemptedAt)
	if next {
		cols[2] = nullTime(rs.NextAvailableAt)
	}
	return cols
}

func transactionRow(t *pipeline.Transaction, accountID string, accountNo int32, runID int64) []driver.Value {
	return []driver.Value{t.ID, accountID, t.Amount, t.Currency, t.Description, t.Status, t.TransactedAt.UTC(),
		nullTimePtr(t.PostedAt), nullTimePtr(t.VoidAt), t.RefreshID, t.Updated.UTC(), t.Category, t.Counterparty, runID, accountNo}
}

// StartRun records a new run and returns its ID.
func (s *Store) StartRun(ctx context.Context, r *pipeline.Run) (int64, error) {
	var id int64
	err := s.writeTx(ctx, func(w *writer) error {
		n, err := w.queryInt64("SELECT coalesce(max(id), 0) + 1 FROM refresh_runs")
		if err != nil {
			return err
		}
		id = n
		return w.exec(`INSERT INTO refresh_runs (id, trigger, started_at, status) VALUES (?, ?, ?, ?)`,
			id, string(r.Trigger), r.StartedAt.UTC(), r.Status)
	})
	return id, err
}

// FinishRun records a run's end and counts.
func (s *Store) FinishRun(ctx context.Context, r *pipeline.Run) error {
	return s.writeTx(ctx, func(w *writer) error {
		return w.exec(`UPDATE refresh_runs SET finished_at = ?, status = ?, accounts_total = ?, accounts_succeeded = ?,
			accounts_failed = ?, accounts_skipped = ?, transactions = ?, error = ?, requests = ?, retries = ?,
			rate_limited = ? WHERE id = ?`,
			r.FinishedAt.UTC(), r.Status, int64(r.AccountsTotal), int64(r.AccountsSucceeded), int64(r.AccountsFailed),
			int64(r.AccountsSkipped), r.Transactions, null(r.Err), r.Requests, r.Retries, r.RateLimited, r.ID)
	})
}

func null(s string) driver.Value {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(p *int64) driver.Value {
	if p == nil {
		return nil
	}
	return *p
}

func nullTime(t time.Time) driver.Value {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func nullTimePtr(t *time.Time) driver.Value {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
