package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/riskd/riskd/scoring/cashflow"
)

// featuresTable materializes cashflow_features_daily as of each account's latest refresh: the score
// endpoint reads "now" from it by key in a millisecond or two instead of running the macro (about
// 30 ms of planning and execution per account), and analysts get the portfolio's current
// features without a pass. It is derived data, rebuilt whenever the macro's columns change.
const featuresTable = "account_features"

// initFeaturesTable creates account_features with the macro's columns, or re-creates it (empty:
// it refills with the next refresh) when the macro's columns changed.
func (s *Store) initFeaturesTable(ctx context.Context) error {
	probe := "SELECT * FROM " + macroCall("cashflow_features_daily", time.Unix(0, 0), "") + " LIMIT 0"
	want, err := s.columns(ctx, probe)
	if err != nil {
		return fmt.Errorf("cash-flow feature columns: %w", err)
	}
	have, err := s.columns(ctx, "SELECT * FROM "+featuresTable+" LIMIT 0")
	if err == nil && slices.Equal(have, want) {
		return nil
	}
	if _, err := s.db.ExecContext(ctx, "CREATE OR REPLACE TABLE "+featuresTable+" AS "+probe); err != nil {
		return fmt.Errorf("create %s: %w", featuresTable, err)
	}
	return nil
}

func (s *Store) columns(ctx context.Context, query string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

// MaterializeFeatures recomputes account_features as of asOf for the accounts (all of them when
// accountIDs is nil), replacing their rows in one transaction.
func (s *Store) MaterializeFeatures(ctx context.Context, asOf time.Time, accountIDs []string) error {
	return s.writeTx(ctx, func(w *writer) error {
		if accountIDs == nil {
			if err := w.exec("DELETE FROM " + featuresTable); err != nil {
				return err
			}
			return w.exec("INSERT INTO " + featuresTable + " SELECT * FROM " + macroCall("cashflow_features_daily", asOf, ""))
		}
		for _, id := range accountIDs {
			if err := w.exec("DELETE FROM "+featuresTable+" WHERE account_id = ?", id); err != nil {
				return err
			}
			if err := w.exec("INSERT INTO " + featuresTable + " SELECT * FROM " + macroCall("cashflow_features_daily", asOf, id)); err != nil {
				return err
			}
		}
		return nil
	})
}

// LatestFeatures returns the account's materialized features if they still describe "now": they
// were computed on now's UTC date, not after now, and after the account's latest stored data.
// It returns nil, nil otherwise (compute them with CashflowFeatures), and for an account without
// transactions. The features' AsOf is the time they were computed as of.
func (s *Store) LatestFeatures(ctx context.Context, accountID string, now time.Time) (*cashflow.Features, error) {
	f := &cashflow.Features{}
	var sc featureScan
	dest := append(append(append([]any{&f.AccountID, &f.AsOf}, sc.postedDest(f)...), sc.historyDest(f)...), sc.dailyDest()...)
	err := s.latest.QueryRowContext(ctx, accountID, now.UTC().Format("2006-01-02 15:04:05.999999")).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("materialized features of %s: %w", accountID, err)
	}
	if err := sc.finish(f); err != nil {
		return nil, fmt.Errorf("materialized features of %s: %w", accountID, err)
	}
	f.AsOf = f.AsOf.UTC()
	if !f.HasTransactions {
		return nil, nil
	}
	return f, nil
}

// latestQuery reads one account's materialized features while they are current.
const latestQuery = `SELECT f.account_id, f.as_of, ` + postedColumns + `, ` + historyColumns + `, ` + dailyColumns + `
	FROM ` + featuresTable + ` f JOIN accounts a ON a.id = f.account_id
	WHERE f.account_id = $1 AND f.as_of >= a.observed_at
	  AND f.as_of <= CAST($2 AS TIMESTAMP) AND f.as_of::DATE = CAST($2 AS TIMESTAMP)::DATE`
