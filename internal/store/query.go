package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riskd/riskd/pipeline"
	"github.com/riskd/riskd/scoring/ownership"
)

// ScoreFacts loads what a decision about the account as of asOf needs: the account, its
// customer, the owners of the latest ownership snapshot observed by asOf, and the cash-flow
// features as of asOf. With latest, current materialized features are used when there are any.
func (s *Store) ScoreFacts(ctx context.Context, accountID string, asOf time.Time, latest bool) (*pipeline.ScoreFacts, error) {
	f := &pipeline.ScoreFacts{}
	var perms []any
	var cust sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT id, customer_id, status, permissions FROM accounts WHERE id = ?`, accountID).
		Scan(&f.Account.ID, &cust, &f.Account.Status, &perms)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, pipeline.Errorf(pipeline.ENOTFOUND, "account %q is not known to riskd", accountID)
	}
	if err != nil {
		return nil, fmt.Errorf("load account %s: %w", accountID, err)
	}
	f.Account.CustomerID = cust.String
	for _, p := range perms {
		if s, ok := p.(string); ok {
			f.Account.Permissions = append(f.Account.Permissions, pipeline.Permission(s))
		}
	}
	if f.Account.CustomerID != "" {
		c, err := s.customer(ctx, f.Account.CustomerID)
		if err != nil {
			return nil, err
		}
		f.Customer = c
	}
	if f.Owners, err = s.latestOwners(ctx, accountID, asOf); err != nil {
		return nil, err
	}
	if latest {
		if f.Cashflow, err = s.LatestFeatures(ctx, accountID, asOf); err != nil {
			return nil, err
		}
		if f.Cashflow != nil {
			return f, nil
		}
	}
	if f.Cashflow, err = s.CashflowFeatures(ctx, accountID, asOf); err != nil {
		return nil, err
	}
	return f, nil
}

func (s *Store) customer(ctx context.Context, id string) (*pipeline.Customer, error) {
	var c pipeline.Customer
	var email, name, phone, l1, l2, city, state, zip, country, meta sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT id, email, name, phone, address_line1, address_line2, address_city,
		address_state, address_postal_code, address_country, metadata::VARCHAR, created FROM customers WHERE id = ?`, id).
		Scan(&c.ID, &email, &name, &phone, &l1, &l2, &city, &state, &zip, &country, &meta, &c.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load customer %s: %w", id, err)
	}
	c.Email, c.Name, c.Phone = email.String, name.String, phone.String
	c.Address = pipeline.Address{Line1: l1.String, Line2: l2.String, City: city.String, State: state.String,
		PostalCode: zip.String, Country: country.String}
	if meta.Valid {
		_ = json.Unmarshal([]byte(meta.String), &c.Metadata) // metadata is informational only
	}
	return &c, nil
}

// latestOwners returns the owners of the newest ownership snapshot observed by asOf.
func (s *Store) latestOwners(ctx context.Context, accountID string, asOf time.Time) ([]pipeline.Owner, error) {
	rows, err := s.db.QueryContext(ctx, `
		WITH snap AS (
			SELECT id FROM ownership_snapshots WHERE account_id = ? AND observed_at <= ?
			ORDER BY observed_at DESC LIMIT 1)
		SELECT o.id, o.ownership_id, coalesce(o.name, ''), coalesce(o.email, ''), coalesce(o.phone, ''),
		       coalesce(o.raw_address, '')
		FROM owners o JOIN snap ON o.ownership_id = snap.id ORDER BY o.id`, accountID, asOf.UTC())
	if err != nil {
		return nil, fmt.Errorf("load owners of %s: %w", accountID, err)
	}
	defer rows.Close()
	var out []pipeline.Owner
	for rows.Next() {
		var o pipeline.Owner
		if err := rows.Scan(&o.ID, &o.OwnershipID, &o.Name, &o.Email, &o.Phone, &o.RawAddress); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// SaveDecision records a decision served, with its per-owner ownership results.
func (s *Store) SaveDecision(ctx context.Context, d *pipeline.DecisionRecord) error {
	detail, err := json.Marshal(d.Detail)
	if err != nil {
		return fmt.Errorf("encode decision detail: %w", err)
	}
	codes := make([]string, len(d.Result.Reasons))
	for i, r := range d.Result.Reasons {
		codes[i] = r.Code
	}
	matches := ownershipRows(d)
	return s.writeTx(ctx, func(w *writer) error {
		if err := w.exec(`INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, list_filter(string_split(?, ','), c -> c <> ''), ?, ?)`,
			d.ID, d.AccountID, d.AsOf.UTC(), d.DecidedAt.UTC(), nullInt(amount(d.AmountCents)), string(d.Result.Decision),
			int64(d.Result.Score), strings.Join(codes, ","), string(detail), d.Result.PolicyVersion); err != nil {
			return err
		}
		return w.appendRows("main", "ownership_matches", matches)
	})
}

// ownershipRows flattens a decision's ownership match into one row per owner and field.
func ownershipRows(d *pipeline.DecisionRecord) [][]driver.Value {
	o := d.Detail.Ownership
	if o == nil {
		return nil
	}
	var rows [][]driver.Value
	for _, or := range o.Match.Owners {
		ownerID := ""
		if or.Index < len(o.OwnerIDs) {
			ownerID = o.OwnerIDs[or.Index]
		}
		for _, f := range []struct {
			name string
			res  *ownership.FieldResult
		}{{"name", or.Name}, {"email", or.Email}, {"phone", or.Phone}, {"address", or.Address}} {
			if f.res == nil {
				continue
			}
			flags := map[string]bool{} // the Appender encodes JSON columns itself
			for k, v := range map[string]*bool{"is_nickname_match": f.res.IsNicknameMatch,
				"is_first_or_last_name_match": f.res.IsFirstOrLastNameMatch, "is_business_name_detected": f.res.IsBusinessNameDetected,
				"is_postal_code_match": f.res.IsPostalCodeMatch, "is_unit_mismatch": f.res.IsUnitMismatch} {
				if v != nil {
					flags[k] = *v
				}
			}
			reasons := f.res.Reasons
			if reasons == nil {
				reasons = []string{}
			}
			rows = append(rows, []driver.Value{d.ID, d.AccountID, o.OwnershipID, null(ownerID), int32(or.Index), f.name,
				int32(f.res.Score), f.res.Match, reasons, flags, d.DecidedAt.UTC()})
		}
	}
	return rows
}

// amount is a nullable debit amount: 0 means "no debit proposed".
func amount(c int64) *int64 {
	if c == 0 {
		return nil
	}
	return &c
}

// Empty reports whether no account has been stored yet.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM accounts").Scan(&n); err != nil {
		return false, fmt.Errorf("count accounts: %w", err)
	}
	return n == 0, nil
}
