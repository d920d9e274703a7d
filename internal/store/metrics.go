package store

import (
	"context"
	"fmt"
	"time"

	"github.com/riskd/riskd/internal/metrics"
)

// Collect writes the metrics kept in the database: runs by status, rows written, the last run's
// duration, and the age of each account's data (now minus its newest balance or successful
// transaction refresh). Now is the store's clock.
func (s *Store) Collect(ctx context.Context, w *metrics.Writer) error {
	runs := map[string]float64{}
	var rows, lastSeconds float64
	r, err := s.db.QueryContext(ctx, `SELECT status, count(*), sum(transactions),
		max(epoch(finished_at) - epoch(started_at)) FILTER (WHERE id = (SELECT max(id) FROM refresh_runs WHERE finished_at IS NOT NULL))
		FROM refresh_runs GROUP BY status`)
	if err != nil {
		return fmt.Errorf("run metrics: %w", err)
	}
	for r.Next() {
		var status string
		var n, txns float64
		var last *float64
		if err := r.Scan(&status, &n, &txns, &last); err != nil {
			r.Close()
			return err
		}
		runs[status], rows = n, rows+txns
		if last != nil {
			lastSeconds = *last
		}
	}
	r.Close()
	w.Labeled("riskd_refresh_runs_total", "counter", "Refresh runs by final status.", "status", runs)
	w.Family("riskd_refresh_transactions_written_total", "counter", "Transaction rows written by refresh runs.")
	w.Sample("riskd_refresh_transactions_written_total", rows)
	w.Family("riskd_refresh_last_run_seconds", "gauge", "Duration of the last finished refresh run.")
	w.Sample("riskd_refresh_last_run_seconds", lastSeconds)

	ages := map[string]float64{}
	r, err = s.db.QueryContext(ctx, `
		SELECT a.id, greatest(max(b.as_of), any_value(CASE WHEN a.transaction_refresh_status = 'succeeded'
		       THEN a.transaction_refresh_last_attempted_at END))
		FROM accounts a LEFT JOIN balance_snapshots b ON b.account_id = a.id
		GROUP BY a.id`)
	if err != nil {
		return fmt.Errorf("data age metrics: %w", err)
	}
	defer r.Close()
	now := s.now()
	for r.Next() {
		var id string
		var at *time.Time
		if err := r.Scan(&id, &at); err != nil {
			return err
		}
		if at != nil {
			ages[id] = now.Sub(*at).Seconds()
		}
	}
	w.Labeled("riskd_account_data_age_seconds", "gauge", "Age of each account's newest data.", "account", ages)
	return w.Err()
}
