package store

import (
	"context"
	"fmt"
	"time"

	"github.com/riskd/riskd/pipeline"
)

var _ pipeline.EventStore = (*Store)(nil)

// RecordEvent stores a webhook event once; it reports false for a duplicate delivery.
func (s *Store) RecordEvent(ctx context.Context, ev pipeline.Event, receivedAt time.Time) (bool, error) {
	var fresh bool
	err := s.writeTx(ctx, func(w *writer) error {
		n, err := w.queryInt64Args("SELECT count(*) FROM webhook_events WHERE id = ?", ev.ID)
		if err != nil || n > 0 {
			return err
		}
		fresh = true
		return w.exec(`INSERT INTO webhook_events VALUES (?, ?, ?, ?, ?, NULL)`,
			ev.ID, ev.Type, null(ev.AccountID), ev.Created.UTC(), receivedAt.UTC())
	})
	if err != nil {
		return false, fmt.Errorf("record event %s: %w", ev.ID, err)
	}
	return fresh, nil
}

// PendingEventAccounts lists accounts with unprocessed events, oldest event first.
func (s *Store) PendingEventAccounts(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT account_id FROM webhook_events
		WHERE processed_at IS NULL AND account_id IS NOT NULL GROUP BY account_id ORDER BY min(received_at), account_id`)
	if err != nil {
		return nil, fmt.Errorf("pending events: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// MarkEventsProcessed marks events received up to before as processed: those of the accounts,
// or, with no accounts, those that name no account.
func (s *Store) MarkEventsProcessed(ctx context.Context, accountIDs []string, before, at time.Time) error {
	return s.writeTx(ctx, func(w *writer) error {
		if len(accountIDs) == 0 {
			return w.exec(`UPDATE webhook_events SET processed_at = ? WHERE processed_at IS NULL
				AND account_id IS NULL AND received_at <= ?`, at.UTC(), before.UTC())
		}
		for _, id := range accountIDs {
			if err := w.exec(`UPDATE webhook_events SET processed_at = ? WHERE processed_at IS NULL
				AND account_id = ? AND received_at <= ?`, at.UTC(), id, before.UTC()); err != nil {
				return err
			}
		}
		return nil
	})
}

// Purge deletes everything stored about an account (a deletion request) and remembers only its
// ID, so later refreshes skip it. It reports ENOTFOUND for an account riskd never stored.
func (s *Store) Purge(ctx context.Context, accountID string, at time.Time) (map[string]int64, error) {
	deleted := map[string]int64{}
	err := s.writeTx(ctx, func(w *writer) error {
		for _, table := range []string{"transactions", "balance_snapshots", "owners", "ownership_snapshots",
			"refresh_outcomes", "decisions", "ownership_matches", featuresTable, "webhook_events", "accounts"} {
			n, err := w.queryInt64Args("SELECT count(*) FROM "+table+" WHERE "+accountColumn(table)+" = ?", accountID)
			if err != nil {
				return err
			}
			if err := w.exec("DELETE FROM "+table+" WHERE "+accountColumn(table)+" = ?", accountID); err != nil {
				return err
			}
			deleted[table] = n
		}
		if deleted["accounts"] == 0 {
			return pipeline.Errorf(pipeline.ENOTFOUND, "account %q is not stored", accountID)
		}
		return w.exec("INSERT INTO purged_accounts VALUES (?, ?)", accountID, at.UTC())
	})
	if err != nil {
		return nil, err
	}
	return deleted, nil
}

func accountColumn(table string) string {
	if table == "accounts" {
		return "id"
	}
	return "account_id"
}
