// Package fcjson decodes the input of riskctl cashflow: one JSON object per line holding a
// Stripe Financial Connections account (with its balance) and its transactions, in Stripe's
// wire shapes (API 2023-10-16), without stripe-go.
//
//	{"id": "...", "as_of": <unix seconds>,
//	 "account": {"id": "fca_...", "balance": {"as_of": ..., "current": {"usd": ...},
//	             "cash": {"available": {"usd": ...}}}, "permissions": [...], ...},
//	 "transactions": [{"id": "fctxn_...", "amount": ..., "status": "posted", "transacted_at": ...,
//	                   "status_transitions": {"posted_at": ..., "void_at": null},
//	                   "description": "..."}, ...],
//	 "debit": {"amount": <cents>, "date": "YYYY-MM-DD" | <unix seconds>}}   (optional)
//
// Errors name the offending field with its path ("transactions[3].amount: ..."). Unknown
// fields are ignored, as Stripe clients do. Transactions without an id get a stable one derived
// from their content, so the same input always yields the same ids.
package fcjson

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/riskd/riskd/pipeline"
)

// Currency is the only currency riskd reads: it underwrites US bank accounts.
const Currency = "usd"

// Line is one decoded input line.
type Line struct {
	ID   string    // the caller's id for the line, echoed in the output
	AsOf time.Time // the point in time the features are computed as of (UTC)
	// Account is the FC account; Account.Balance is nil when the account has no balance.
	// Status defaults to active. When permissions are absent they are inferred from what the
	// line carries: balances with a balance, transactions always (the line lists them).
	Account pipeline.Account
	// Transactions in input order, de-duplicated by id (the last version of an id wins);
	// AccountID is Account.ID, Category and Counterparty are empty.
	Transactions []pipeline.Transaction
	Debit        *Debit // a proposed debit to assess; nil when the line asks for none
}

// Debit is a proposed debit.
type Debit struct {
	AmountCents int64
	Date        time.Time // the settle date (UTC midnight); zero when not given
}

// FieldError is a decoding error about one field.
type FieldError struct {
	Field string // path from the line's root, e.g. "transactions[2].amount"
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// Decode decodes one input line.
func Decode(data []byte) (*Line, error) {
	obj, err := object(data, "line")
	if err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("invalid JSON at byte %d: %v", se.Offset, se)
		}
		return nil, err
	}
	l := &Line{}
	if l.ID, err = str(obj, "id", "", true); err != nil {
		return nil, err
	}
	asOf, err := unixTime(obj, "as_of", "", true)
	if err != nil {
		return nil, err
	}
	l.AsOf = asOf
	raw, ok := obj["account"]
	if !ok || isNull(raw) {
		return nil, fieldErr("account", "required: a Financial Connections account object")
	}
	if err := decodeAccount(raw, l); err != nil {
		return nil, err
	}
	if raw, ok := obj["transactions"]; ok && !isNull(raw) {
		if err := decodeTransactions(raw, l); err != nil {
			return nil, err
		}
	}
	if len(l.Account.Permissions) == 0 {
		if l.Account.Balance != nil {
			l.Account.Permissions = append(l.Account.Permissions, pipeline.PermBalances)
		}
		l.Account.Permissions = append(l.Account.Permissions, pipeline.PermTransactions)
	}
	if raw, ok := obj["debit"]; ok && !isNull(raw) {
		if l.Debit, err = decodeDebit(raw); err != nil {
			return nil, err
		}
	}
	return l, nil
}

func decodeAccount(raw json.RawMessage, l *Line) error {
	obj, err := object(raw, "account")
	if err != nil {
		return err
	}
	a := &l.Account
	if a.ID, err = str(obj, "id", "account.", false); err != nil {
		return err
	}
	if a.Status, err = str(obj, "status", "account.", false); err != nil {
		return err
	}
	if a.Status == "" {
		a.Status = pipeline.StatusActive
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{
		{"institution_name", &a.InstitutionName}, {"display_name", &a.DisplayName}, {"last4", &a.Last4},
		{"category", &a.Category}, {"subcategory", &a.Subcategory},
	} {
		if *f.dst, err = str(obj, f.name, "account.", false); err != nil {
			return err
		}
	}
	if a.Created, err = unixTime(obj, "created", "account.", false); err != nil {
		return err
	}
	if a.Created.IsZero() {
		a.Created = l.AsOf
	}
	perms, err := strList(obj, "permissions", "account.")
	if err != nil {
		return err
	}
	for _, p := range perms {
		a.Permissions = append(a.Permissions, pipeline.Permission(p))
	}
	if raw, ok := obj["account_holder"]; ok && !isNull(raw) {
		h, err := object(raw, "account.account_holder")
		if err != nil {
			return err
		}
		// customer is an id or, expanded, a customer object.
		if c, ok := h["customer"]; ok && !isNull(c) {
			if a.CustomerID, err = str(h, "customer", "account.account_holder.", false); err != nil {
				co, oerr := object(c, "account.account_holder.customer")
				if oerr != nil {
					return err
				}
				if a.CustomerID, err = str(co, "id", "account.account_holder.customer.", false); err != nil {
					return err
				}
			}
		}
	}
	if raw, ok := obj["balance"]; ok && !isNull(raw) {
		if a.Balance, err = decodeBalance(raw); err != nil {
			return err
		}
	}
	return nil
}

func decodeBalance(raw json.RawMessage) (*pipeline.Balance, error) {
	const path = "account.balance."
	obj, err := object(raw, "account.balance")
	if err != nil {
		return nil, err
	}
	b := &pipeline.Balance{Currency: Currency}
	if b.AsOf, err = unixTime(obj, "as_of", path, true); err != nil {
		return nil, err
	}
	if b.Type, err = str(obj, "type", path, false); err != nil {
		return nil, err
	}
	if b.Type == "" {
		b.Type = "cash"
	}
	cur, err := money(obj, "current", path, true)
	if err != nil {
		return nil, err
	}
	b.Current = *cur
	for _, sub := range []struct {
		name, key string
		dst       **int64
	}{{"cash", "available", &b.Available}, {"credit", "used", &b.CreditUsed}} {
		raw, ok := obj[sub.name]
		if !ok || isNull(raw) {
			continue
		}
		o, err := object(raw, path+sub.name)
		if err != nil {
			return nil, err
		}
		if *sub.dst, err = money(o, sub.key, path+sub.name+".", false); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// money reads a {"usd": cents} hash. A hash without usd is an error: the account is not a US
// dollar account.
func money(obj map[string]json.RawMessage, name, path string, required bool) (*int64, error) {
	raw, ok := obj[name]
	if !ok || isNull(raw) {
		if required {
			return nil, fieldErr(path+name, `required: {"usd": <cents>}`)
		}
		return nil, nil
	}
	m, err := object(raw, path+name)
	if err != nil {
		return nil, err
	}
	if _, ok := m[Currency]; !ok {
		if len(m) == 0 {
			if required {
				return nil, fieldErr(path+name, `required: {"usd": <cents>}`)
			}
			return nil, nil
		}
		return nil, fieldErr(path+name, "no usd amount: riskd reads US dollar accounts only")
	}
	v, err := integer(m, Currency, path+name+".", true)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func decodeTransactions(raw json.RawMessage, l *Line) error {
	// Fast path: one typed pass over the array. Anything it cannot take (a string amount, a
	// fractional time, an object where a string belongs) falls back to reading each item field by
	// field, which names the offending field.
	var items []txnFields
	if err := json.Unmarshal(raw, &items); err != nil {
		var raws []json.RawMessage
		if err := json.Unmarshal(raw, &raws); err != nil {
			return fieldErr("transactions", "want an array of transaction objects, got %s", kind(raw))
		}
		items = make([]txnFields, len(raws))
		for i, item := range raws {
			if err := readTxnFields(item, fmt.Sprintf("transactions[%d].", i), &items[i]); err != nil {
				return err
			}
		}
	}
	l.Transactions = make([]pipeline.Transaction, 0, len(items))
	seen := make(map[string]int, len(items)) // id → index in l.Transactions
	twins := map[string]int{}                // content key → occurrences so far, for synthesized ids
	for i := range items {
		t, err := items[i].transaction(fmt.Sprintf("transactions[%d].", i))
		if err != nil {
			return err
		}
		t.AccountID = l.Account.ID
		if t.ID == "" {
			key := fmt.Sprintf("%s|%d|%d|%s", l.Account.ID, t.TransactedAt.Unix(), t.Amount, t.Description)
			twins[key]++
			sum := sha256.Sum256([]byte(fmt.Sprintf("%s|%d", key, twins[key])))
			t.ID = "fctxn_syn_" + hex.EncodeToString(sum[:12])
		}
		if t.RefreshID == "" {
			t.RefreshID = "riskctl"
		}
		if t.Updated.IsZero() {
			t.Updated = t.TransactedAt
			if t.PostedAt != nil {
				t.Updated = *t.PostedAt
			}
			if t.VoidAt != nil {
				t.Updated = *t.VoidAt
			}
		}
		if j, dup := seen[t.ID]; dup {
			if !t.Updated.Before(l.Transactions[j].Updated) {
				l.Transactions[j] = t // the later version of the same transaction
			}
			continue
		}
		seen[t.ID] = len(l.Transactions)
		l.Transactions = append(l.Transactions, t)
	}
	return nil
}

// txnFields are the fields of a Financial Connections transaction riskd reads; nil is absent
// or null.
type txnFields struct {
	ID                 *string `json:"id"`
	Amount             *int64  `json:"amount"`
	Currency           *string `json:"currency"`
	Description        *string `json:"description"`
	Status             *string `json:"status"`
	TransactedAt       *int64  `json:"transacted_at"`
	Updated            *int64  `json:"updated"`
	TransactionRefresh *string `json:"transaction_refresh"`
	StatusTransitions  *struct {
		PostedAt *int64 `json:"posted_at"`
		VoidAt   *int64 `json:"void_at"`
	} `json:"status_transitions"`
}

// readTxnFields reads one transaction field by field, naming the field a type error is in.
func readTxnFields(raw json.RawMessage, path string, f *txnFields) error {
	obj, err := object(raw, strings.TrimSuffix(path, "."))
	if err != nil {
		return err
	}
	for _, c := range []struct {
		name string
		dst  **string
	}{{"id", &f.ID}, {"currency", &f.Currency}, {"description", &f.Description}, {"status", &f.Status},
		{"transaction_refresh", &f.TransactionRefresh}} {
		if v, ok := obj[c.name]; ok && !isNull(v) {
			s, err := str(obj, c.name, path, false)
			if err != nil {
				return err
			}
			*c.dst = &s
		}
	}
	for _, c := range []struct {
		name string
		dst  **int64
	}{{"amount", &f.Amount}, {"transacted_at", &f.TransactedAt}, {"updated", &f.Updated}} {
		if v, ok := obj[c.name]; ok && !isNull(v) {
			n, err := integer(obj, c.name, path, false)
			if err != nil {
				return err
			}
			*c.dst = &n
		}
	}
	if raw, ok := obj["status_transitions"]; ok && !isNull(raw) {
		st, err := object(raw, path+"status_transitions")
		if err != nil {
			return err
		}
		f.StatusTransitions = &struct {
			PostedAt *int64 `json:"posted_at"`
			VoidAt   *int64 `json:"void_at"`
		}{}
		for _, c := range []struct {
			name string
			dst  **int64
		}{{"posted_at", &f.StatusTransitions.PostedAt}, {"void_at", &f.StatusTransitions.VoidAt}} {
			if v, ok := st[c.name]; ok && !isNull(v) {
				n, err := integer(st, c.name, path+"status_transitions.", false)
				if err != nil {
					return err
				}
				*c.dst = &n
			}
		}
	}
	return nil
}

// transaction validates the fields and builds the transaction.
func (f *txnFields) transaction(path string) (pipeline.Transaction, error) {
	var t pipeline.Transaction
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	t.ID, t.Description, t.RefreshID = deref(f.ID), deref(f.Description), deref(f.TransactionRefresh)
	if f.Amount == nil {
		return t, fieldErr(path+"amount", "required")
	}
	t.Amount = *f.Amount
	switch t.Currency = strings.ToLower(deref(f.Currency)); t.Currency {
	case "":
		t.Currency = Currency
	case Currency:
	default:
		return t, fieldErr(path+"currency", "%q: riskd reads US dollar accounts only", t.Currency)
	}
	if f.Status == nil {
		return t, fieldErr(path+"status", "required")
	}
	switch t.Status = *f.Status; t.Status {
	case pipeline.TxnPending, pipeline.TxnPosted, pipeline.TxnVoid:
	default:
		return t, fieldErr(path+"status", "%q is not pending, posted or void", t.Status)
	}
	var err error
	if t.TransactedAt, err = seconds(f.TransactedAt, path+"transacted_at", true); err != nil {
		return t, err
	}
	if t.Updated, err = seconds(f.Updated, path+"updated", false); err != nil {
		return t, err
	}
	if st := f.StatusTransitions; st != nil {
		for _, c := range []struct {
			v    *int64
			name string
			dst  **time.Time
		}{{st.PostedAt, "posted_at", &t.PostedAt}, {st.VoidAt, "void_at", &t.VoidAt}} {
			v, err := seconds(c.v, path+"status_transitions."+c.name, false)
			if err != nil {
				return t, err
			}
			if !v.IsZero() {
				*c.dst = &v
			}
		}
	}
	return t, nil
}

// seconds checks a unix time in seconds; an absent optional one is the zero time.
func seconds(v *int64, field string, required bool) (time.Time, error) {
	if v == nil {
		if required {
			return time.Time{}, fieldErr(field, "required")
		}
		return time.Time{}, nil
	}
	if *v == 0 && !required {
		return time.Time{}, nil
	}
	if *v <= 0 || *v > maxUnix {
		return time.Time{}, fieldErr(field, "%d is not a unix time in seconds", *v)
	}
	return time.Unix(*v, 0).UTC(), nil
}

// maxUnix is 9999-12-31T23:59:59Z.
const maxUnix = 253402300799

func decodeDebit(raw json.RawMessage) (*Debit, error) {
	obj, err := object(raw, "debit")
	if err != nil {
		return nil, err
	}
	d := &Debit{}
	if d.AmountCents, err = integer(obj, "amount", "debit.", true); err != nil {
		return nil, err
	}
	if d.AmountCents <= 0 {
		return nil, fieldErr("debit.amount", "must be a positive number of cents, got %d", d.AmountCents)
	}
	raw, ok := obj["date"]
	if !ok || isNull(raw) {
		return d, nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return nil, fieldErr("debit.date", "%q is not a YYYY-MM-DD date", s)
		}
		d.Date = t
		return d, nil
	}
	t, err := unixTime(obj, "date", "debit.", true)
	if err != nil {
		return nil, fieldErr("debit.date", `want "YYYY-MM-DD" or unix seconds, got %s`, kind(raw))
	}
	y, m, day := t.Date()
	d.Date = time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	return d, nil
}

// --- typed field readers ---

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

func object(raw json.RawMessage, field string) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, err
		}
		return nil, fieldErr(field, "want an object, got %s", kind(raw))
	}
	if obj == nil {
		return nil, fieldErr(field, "want an object, got null")
	}
	return obj, nil
}

func str(obj map[string]json.RawMessage, name, path string, required bool) (string, error) {
	raw, ok := obj[name]
	if !ok || isNull(raw) {
		if required {
			return "", fieldErr(path+name, "required")
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fieldErr(path+name, "want a string, got %s", kind(raw))
	}
	return s, nil
}

func strList(obj map[string]json.RawMessage, name, path string) ([]string, error) {
	raw, ok := obj[name]
	if !ok || isNull(raw) {
		return nil, nil
	}
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fieldErr(path+name, "want an array of strings, got %s", kind(raw))
	}
	return out, nil
}

// integer reads a JSON integer (cents or seconds); 12.5, "12" and 1e3 are refused.
func integer(obj map[string]json.RawMessage, name, path string, required bool) (int64, error) {
	raw, ok := obj[name]
	if !ok || isNull(raw) {
		if required {
			return 0, fieldErr(path+name, "required")
		}
		return 0, nil
	}
	text := string(bytes.TrimSpace(raw))
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		if k := kind(raw); k != "number" {
			return 0, fieldErr(path+name, "want an integer, got %s", k)
		}
		return 0, fieldErr(path+name, "want an integer, got %s", text)
	}
	return v, nil
}

func unixTime(obj map[string]json.RawMessage, name, path string, required bool) (time.Time, error) {
	v, err := integer(obj, name, path, required)
	if err != nil {
		var fe *FieldError
		if errors.As(err, &fe) && fe.Msg != "required" {
			fe.Msg = strings.Replace(fe.Msg, "want an integer", "want unix seconds", 1)
		}
		return time.Time{}, err
	}
	if _, present := obj[name]; !present || isNull(obj[name]) {
		return time.Time{}, nil // optional and absent (a required one failed above)
	}
	return seconds(&v, path+name, required)
}

// kind names the JSON type of raw for error messages.
func kind(raw json.RawMessage) string {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "number"
}
