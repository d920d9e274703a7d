package fcjson

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/riskd/riskd/pipeline"
)

// A line in Stripe's wire shapes, as the sandbox and the API serve them.
const wireLine = `{"id":"line-1","as_of":1790856000,
 "account":{"id":"fca_1","object":"financial_connections.account","status":"active",
   "account_holder":{"type":"customer","customer":"cus_9"},"category":"cash","subcategory":"checking",
   "institution_name":"Chase","last4":"6789","permissions":["balances","ownership","transactions"],
   "balance":{"as_of":1790855000,"type":"cash","current":{"usd":125000},"cash":{"available":{"usd":120000}}}},
 "transactions":[
   {"id":"fctxn_1","object":"financial_connections.transaction","account":"fca_1","amount":210000,"currency":"usd",
    "description":"ACME CORP PAYROLL PPD ID: 9876543210","livemode":false,"status":"posted",
    "status_transitions":{"posted_at":1790000000,"void_at":null},"transacted_at":1789990000,
    "transaction_refresh":"fctxnref_1","updated":1790000000},
   {"id":"fctxn_2","amount":-5000,"currency":"usd","description":"POS PURCHASE KROGER #482","status":"void",
    "status_transitions":{"posted_at":null,"void_at":1790100000},"transacted_at":1790050000},
   {"amount":-1250,"status":"posted","transacted_at":1790060000,"description":"STARBUCKS STORE #01234"},
   {"amount":-1250,"status":"posted","transacted_at":1790060000,"description":"STARBUCKS STORE #01234"}],
 "debit":{"amount":50000,"date":"2026-10-05"}}`

func TestDecode_WireShapes(t *testing.T) {
	l, err := Decode([]byte(strings.ReplaceAll(wireLine, "\n", "")))
	if err != nil {
		t.Fatal(err)
	}
	if l.ID != "line-1" || !l.AsOf.Equal(time.Unix(1790856000, 0)) {
		t.Errorf("id %q as_of %v", l.ID, l.AsOf)
	}
	a := l.Account
	if a.ID != "fca_1" || a.CustomerID != "cus_9" || a.Status != "active" || a.InstitutionName != "Chase" || a.Last4 != "6789" {
		t.Errorf("account = %+v", a)
	}
	if b := a.Balance; b == nil || b.Current != 125000 || b.Available == nil || *b.Available != 120000 ||
		!b.AsOf.Equal(time.Unix(1790855000, 0)) || b.Currency != "usd" {
		t.Errorf("balance = %+v", a.Balance)
	}
	if len(l.Transactions) != 4 {
		t.Fatalf("%d transactions, want 4", len(l.Transactions))
	}
	p := l.Transactions[0]
	if p.ID != "fctxn_1" || p.Amount != 210000 || p.Status != pipeline.TxnPosted || p.PostedAt == nil ||
		p.PostedAt.Unix() != 1790000000 || p.VoidAt != nil || p.RefreshID != "fctxnref_1" || p.AccountID != "fca_1" {
		t.Errorf("posted row = %+v", p)
	}
	v := l.Transactions[1]
	if v.VoidAt == nil || v.PostedAt != nil || v.Currency != "usd" || !v.Updated.Equal(*v.VoidAt) {
		t.Errorf("void row = %+v, want void_at set and updated defaulting to it", v)
	}
	// Two identical coffees without ids stay two transactions with stable, distinct ids.
	c1, c2 := l.Transactions[2], l.Transactions[3]
	if c1.ID == "" || c1.ID == c2.ID {
		t.Errorf("synthesized ids %q and %q, want distinct", c1.ID, c2.ID)
	}
	again, _ := Decode([]byte(wireLine))
	if again.Transactions[2].ID != c1.ID || again.Transactions[3].ID != c2.ID {
		t.Error("synthesized ids differ between two decodings of the same line")
	}
	if d := l.Debit; d == nil || d.AmountCents != 50000 || d.Date.Format(time.DateOnly) != "2026-10-05" {
		t.Errorf("debit = %+v", l.Debit)
	}
}

func TestDecode_RepeatedIDKeepsTheLatestVersion(t *testing.T) {
	in := `{"id":"x","as_of":1790856000,"account":{},"transactions":[
		{"id":"fctxn_7","amount":-900,"status":"posted","transacted_at":1790000000,"status_transitions":{"posted_at":1790090000},"updated":1790090000},
		{"id":"fctxn_7","amount":-900,"status":"pending","transacted_at":1790000000,"updated":1790000000}]}`
	l, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Transactions) != 1 || l.Transactions[0].Status != pipeline.TxnPosted {
		t.Errorf("transactions = %+v, want the posted version only", l.Transactions)
	}
}

func TestDecode_DefaultsAndInferredPermissions(t *testing.T) {
	l, err := Decode([]byte(`{"id":"x","as_of":1790856000,"account":{"balance":{"as_of":1790856000,"current":{"usd":-300}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []pipeline.Permission{pipeline.PermBalances, pipeline.PermTransactions}
	if !reflect.DeepEqual(l.Account.Permissions, want) || l.Account.Status != "active" || l.Account.Balance.Type != "cash" {
		t.Errorf("account = %+v, want active, cash and permissions %v", l.Account, want)
	}
	if l.Account.Balance.Current != -300 || l.Account.Balance.Available != nil {
		t.Errorf("balance = %+v", l.Account.Balance)
	}
	l, err = Decode([]byte(`{"id":"x","as_of":1790856000,"account":{"balance":null},"debit":{"amount":100,"date":1790900000}}`))
	if err != nil {
		t.Fatal(err)
	}
	if l.Account.Balance != nil || !reflect.DeepEqual(l.Account.Permissions, []pipeline.Permission{pipeline.PermTransactions}) {
		t.Errorf("account = %+v", l.Account)
	}
	if got := l.Debit.Date.Format(time.RFC3339); got != "2026-10-02T00:00:00Z" {
		t.Errorf("debit date from unix seconds = %s, want its UTC day", got)
	}
}

func TestDecode_ErrorsNameTheField(t *testing.T) {
	const ok = `"id":"x","as_of":1790856000,"account":{}`
	txn := func(fields string) string {
		return `{` + ok + `,"transactions":[{"amount":1,"status":"posted","transacted_at":1790000000},{` + fields + `}]}`
	}
	for _, c := range []struct{ in, field string }{
		{`{"id":"x"`, "invalid JSON"},
		{`[1]`, "line"},
		{`{"as_of":1790856000,"account":{}}`, "id"},
		{`{"id":"x","account":{}}`, "as_of"},
		{`{"id":"x","as_of":"1790856000","account":{}}`, "as_of"},
		{`{"id":"x","as_of":1.5,"account":{}}`, "as_of"},
		{`{"id":"x","as_of":-5,"account":{}}`, "as_of"},
		{`{"id":"x","as_of":1790856000}`, "account"},
		{`{"id":"x","as_of":1790856000,"account":[]}`, "account"},
		{`{"id":"x","as_of":1790856000,"account":{"permissions":"balances"}}`, "account.permissions"},
		{`{"id":"x","as_of":1790856000,"account":{"balance":{"current":{"usd":1}}}}`, "account.balance.as_of"},
		{`{"id":"x","as_of":1790856000,"account":{"balance":{"as_of":1790856000}}}`, "account.balance.current"},
		{`{"id":"x","as_of":1790856000,"account":{"balance":{"as_of":1790856000,"current":{"usd":"12.00"}}}}`, "account.balance.current.usd"},
		{`{"id":"x","as_of":1790856000,"account":{"balance":{"as_of":1790856000,"current":{"usd":1},"cash":{"available":{"usd":1.5}}}}}`, "account.balance.cash.available.usd"},
		{`{` + ok + `,"transactions":"none"}`, "transactions"},
		{txn(`"status":"posted","transacted_at":1790000000`), "transactions[1].amount"},
		{txn(`"amount":"12.50","status":"posted","transacted_at":1790000000`), "transactions[1].amount"},
		{txn(`"amount":12.5,"status":"posted","transacted_at":1790000000`), "transactions[1].amount"},
		{txn(`"amount":1,"transacted_at":1790000000`), "transactions[1].status"},
		{txn(`"amount":1,"status":"cleared","transacted_at":1790000000`), "transactions[1].status"},
		{txn(`"amount":1,"status":"posted"`), "transactions[1].transacted_at"},
		{txn(`"amount":1,"status":"posted","transacted_at":1790000000,"currency":"eur"`), "transactions[1].currency"},
		{txn(`"amount":1,"status":"posted","transacted_at":1790000000,"description":7`), "transactions[1].description"},
		{txn(`"amount":1,"status":"posted","transacted_at":1790000000,"status_transitions":{"posted_at":"soon"}`), "transactions[1].status_transitions.posted_at"},
		{txn(`"amount":1,"status":"posted","transacted_at":1790000000,"status_transitions":[]`), "transactions[1].status_transitions"},
		{`{` + ok + `,"transactions":[7]}`, "transactions[0]"},
		{`{` + ok + `,"debit":{"amount":-5}}`, "debit.amount"},
		{`{` + ok + `,"debit":{"amount":5,"date":"tomorrow"}}`, "debit.date"},
	} {
		_, err := Decode([]byte(c.in))
		if err == nil {
			t.Errorf("%s: no error", c.in)
			continue
		}
		var fe *FieldError
		if c.field == "invalid JSON" {
			if errors.As(err, &fe) || !strings.HasPrefix(err.Error(), "invalid JSON") {
				t.Errorf("%s: error %q, want invalid JSON", c.in, err)
			}
			continue
		}
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%s:\n error %q, want field %s", c.in, err, c.field)
		}
	}
}

// TestReadTxnFields_SameAsTypedDecoding checks the field-by-field reader, used to name the
// field of an error, reads valid items exactly as the one-pass typed decoding does.
func TestReadTxnFields_SameAsTypedDecoding(t *testing.T) {
	items := []string{
		`{"id":"a","amount":-5,"currency":"usd","description":"X","status":"posted","transacted_at":1,"updated":2,"transaction_refresh":"r","status_transitions":{"posted_at":3,"void_at":null}}`,
		`{"amount":7,"status":"pending","transacted_at":1790000000}`,
		`{"amount":0,"status":"void","transacted_at":5,"status_transitions":null,"extra":{"nested":[1,2]}}`,
	}
	for _, it := range items {
		var typed txnFields
		if err := json.Unmarshal([]byte(it), &typed); err != nil {
			t.Fatal(err)
		}
		var read txnFields
		if err := readTxnFields([]byte(it), "transactions[0].", &read); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(typed, read) {
			t.Errorf("%s:\n typed %+v\n read  %+v", it, typed, read)
		}
	}
}
