package sandbox

import (
	"math"
	"sort"
	"strconv"
)

const txnListURL = "/v1/financial_connections/transactions"

func (s *Sandbox) txnID(acct uint64, idx int) string {
	return s.ids.encode(kindTransaction, acct<<seqBits|uint64(idx+1))
}

// txnView is what the API can show of an account's transactions: the ledger as of the last
// successful transaction refresh.
type txnView struct {
	s     *Sandbox
	a     *account
	rows  []txn
	asOf  int64 // resolution time of the last successful refresh
	marks []refreshMark
	ids   []string // refresh ids, parallel to marks
	live  bool
}

func (s *Sandbox) view(a *account, rq *request) (*txnView, *apiError) {
	if len(a.txnOK) == 0 {
		return nil, invalidRequest(400, codeNoTxnRefresh, "account",
			"The account %s has no successful transaction refresh yet. Refresh its transactions "+
				"(features[]=transactions) and list them once transaction_refresh.status is `succeeded`.", a.id)
	}
	l := s.ledgerFor(a)
	asOf := a.txnOK[len(a.txnOK)-1].at
	l.ensure(asOf)
	v := &txnView{s: s, a: a, rows: l.rows, asOf: asOf, marks: a.txnOK, live: rq.livemode}
	v.ids = make([]string, len(v.marks))
	for i, m := range v.marks {
		v.ids[i] = s.ids.refreshID(a.key, m.n)
	}
	// Rows are in transacted order; nothing transacted after asOf can be visible.
	v.rows = v.rows[:sort.Search(len(v.rows), func(i int) bool { return v.rows[i].transacted > asOf })]
	return v, nil
}

// touch returns the index into marks of the refresh that last created or changed row t.
func (v *txnView) touch(t *txn) int {
	at := t.visible
	if t.settle <= v.asOf {
		at = t.settle
	}
	return sort.Search(len(v.marks), func(i int) bool { return v.marks[i].at >= at })
}

func (v *txnView) visible(t *txn) bool { return t.visible <= v.asOf }

// appendTxn appends row idx as JSON.
func (v *txnView) appendTxn(b []byte, idx int) []byte {
	t := &v.rows[idx]
	m := v.touch(t)
	status, posted, voided := "pending", int64(0), int64(0)
	if t.settle <= v.asOf {
		if t.void {
			status, voided = "void", t.settle
		} else {
			status, posted = "posted", t.settle
		}
	}
	b = append(b, `{"id":"`...)
	b = v.s.ids.appendID(b, kindTransaction, v.a.key<<seqBits|uint64(idx+1))
	b = append(b, `","object":"financial_connections.transaction","account":"`...)
	b = append(b, v.a.id...)
	b = append(b, `","amount":`...)
	b = strconv.AppendInt(b, t.amount, 10)
	b = append(b, `,"currency":"usd","description":`...)
	b = appendJSONString(b, t.desc)
	b = append(b, `,"livemode":`...)
	b = strconv.AppendBool(b, v.live)
	b = append(b, `,"status":"`...)
	b = append(b, status...)
	b = append(b, `","status_transitions":{"posted_at":`...)
	b = appendNullableInt(b, posted)
	b = append(b, `,"void_at":`...)
	b = appendNullableInt(b, voided)
	b = append(b, `},"transacted_at":`...)
	b = strconv.AppendInt(b, t.transacted, 10)
	b = append(b, `,"transaction_refresh":"`...)
	b = append(b, v.ids[m]...)
	b = append(b, `","updated":`...)
	b = strconv.AppendInt(b, v.marks[m].at, 10)
	return append(b, '}')
}

func appendNullableInt(b []byte, v int64) []byte {
	if v == 0 {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, v, 10)
}

func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func listTransactions(s *Sandbox, rq *request) (any, *apiError) {
	f := rq.form
	lp, _, err := parseListParams(f, nil)
	if err != nil {
		return nil, err
	}
	acctID, _ := f.str("account")
	if acctID == "" {
		return nil, errMissing("account")
	}
	rf, err := parseRange(f, "transacted_at")
	if err != nil {
		return nil, err
	}
	afterID := ""
	if n := f.node("transaction_refresh"); n != nil {
		for _, k := range n.kids {
			if k.seg != "after" {
				return nil, errUnknownParam(paramName("transaction_refresh", k.seg))
			}
		}
		afterID, _ = f.str("transaction_refresh", "after")
		if afterID == "" {
			return nil, errMissing("transaction_refresh[after]")
		}
	}
	a, err := s.lockAccount(rq, acctID, "account")
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	v, err := s.view(a, rq)
	if err != nil {
		return nil, err
	}
	afterN := -1
	if afterID != "" {
		acct, n, ok := s.ids.decodeRefresh(afterID)
		if !ok || acct != a.key || n < 1 || n > a.txnN {
			return nil, errNoSuch("financial connections transaction refresh", afterID, "transaction_refresh[after]")
		}
		afterN = n
	}
	// transacted_at bounds become an index range, rows being in transacted order.
	lo, hi := 0, len(v.rows)
	bound := func(ok func(int64) bool, fromTop bool) {
		if fromTop {
			hi = min(hi, sort.Search(len(v.rows), func(i int) bool { return !ok(v.rows[i].transacted) }))
		} else {
			lo = max(lo, sort.Search(len(v.rows), func(i int) bool { return ok(v.rows[i].transacted) }))
		}
	}
	if rf.eq != nil {
		bound(func(t int64) bool { return t >= *rf.eq }, false)
		bound(func(t int64) bool { return t <= *rf.eq }, true)
	}
	if rf.gt != nil {
		bound(func(t int64) bool { return t > *rf.gt }, false)
	}
	if rf.gte != nil {
		bound(func(t int64) bool { return t >= *rf.gte }, false)
	}
	if rf.lt != nil {
		bound(func(t int64) bool { return t < *rf.lt }, true)
	}
	if rf.lte != nil {
		bound(func(t int64) bool { return t <= *rf.lte }, true)
	}
	match := func(i int) bool {
		t := &v.rows[i]
		return v.visible(t) && (afterN < 0 || v.marks[v.touch(t)].n > afterN)
	}
	// Position of row i is -i: newest (largest index) first.
	step := func(pos int64, fwd bool) (int, int64, bool) {
		if fwd {
			start := hi - 1
			if pos != math.MinInt64 {
				start = min(start, int(-pos)-1)
			}
			for i := start; i >= lo; i-- {
				if match(i) {
					return i, -int64(i), true
				}
			}
			return 0, 0, false
		}
		for i := max(lo, int(-pos)+1); i < hi; i++ {
			if match(i) {
				return i, -int64(i), true
			}
		}
		return 0, 0, false
	}
	cursor := func(id, param string) (int64, *apiError) {
		k, ok := s.ids.decode(kindTransaction, id)
		if !ok || k>>seqBits != a.key || int(k&seqMask) < 1 || int(k&seqMask) > len(v.rows) {
			return 0, errNoSuch("financial connections transaction", id, param)
		}
		return -int64(k&seqMask - 1), nil
	}
	idxs, more, err := paginate(lp, cursor, step)
	if err != nil {
		return nil, err
	}
	return encodeList(idxs, 420, v.appendTxn, more, txnListURL), nil
}

func getTransaction(s *Sandbox, rq *request) (any, *apiError) {
	id := rq.args[0]
	if _, err := expandList(rq.form, nil, false); err != nil {
		return nil, err
	}
	missing := errNoSuch("financial connections transaction", id, "id")
	k, ok := s.ids.decode(kindTransaction, id)
	if !ok {
		return nil, missing
	}
	acctKey, seq := k>>seqBits, int(k&seqMask)
	if !s.accountExists(acctKey) || seq < 1 {
		return nil, missing
	}
	a := s.account(acctKey)
	a.mu.Lock()
	defer a.mu.Unlock()
	s.prepare(a, rq.now)
	if len(a.txnOK) == 0 {
		return nil, missing
	}
	v, _ := s.view(a, rq)
	if seq > len(v.rows) || !v.visible(&v.rows[seq-1]) {
		return nil, missing
	}
	return rawJSON(v.appendTxn(nil, seq-1)), nil
}
