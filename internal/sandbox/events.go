package sandbox

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// APIVersion is the API version the sandbox speaks and stamps on every event; stripe-go v76's
// webhook.ConstructEvent accepts only this one.
const APIVersion = "2023-10-16"

// DefaultMaxEvents is how many events the sandbox keeps when Config.MaxEvents is 0. Older ones
// are dropped, as Stripe drops events after 30 days.
const DefaultMaxEvents = 100_000

// eventRec is one event. The data.object snapshot is encoded when the event happens; only
// pending_webhooks changes afterwards.
type eventRec struct {
	seq      uint64
	id       string
	typ      string
	created  int64
	object   []byte // data.object JSON
	prev     []byte // data.previous_attributes JSON, or nil
	reqID    string
	idemKey  string
	livemode bool
	pending  atomic.Int32 // endpoints that have not acknowledged it yet
}

// eventStore is the event log, oldest first. recs[i] has seq first+i.
type eventStore struct {
	mu    sync.Mutex
	recs  []*eventRec
	first uint64
	next  uint64
	max   int
}

// Event types the sandbox emits.
const (
	evAccountCreated        = "financial_connections.account.created"
	evAccountDeactivated    = "financial_connections.account.deactivated"
	evAccountReactivated    = "financial_connections.account.reactivated"
	evAccountDisconnected   = "financial_connections.account.disconnected"
	evAccountRefreshedPrefx = "financial_connections.account.refreshed_"
	evCustomerCreated       = "customer.created"
	evPICreated             = "payment_intent.created"
	evPIProcessing          = "payment_intent.processing"
	evPISucceeded           = "payment_intent.succeeded"
	evPIFailed              = "payment_intent.payment_failed"
	evPICanceled            = "payment_intent.canceled"
	evChargePending         = "charge.pending"
	evChargeSucceeded       = "charge.succeeded"
	evChargeFailed          = "charge.failed"
	evDisputeCreated        = "charge.dispute.created"
	evSetupSucceeded        = "setup_intent.succeeded"
	evMandateUpdated        = "mandate.updated"
	evPMAttached            = "payment_method.attached"
)

// encodeObject marshals v without HTML escaping and without the trailing newline.
func encodeObject(v any) []byte {
	if raw, ok := v.(rawJSON); ok {
		return slices.Clone(raw)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte("null")
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

// emit records an event about obj (rendered now, as a snapshot) at sandbox time created, and
// queues its webhook deliveries. rq is the API request that caused it, or nil for events of
// the sandbox's own clock. prev, if not nil, becomes data.previous_attributes.
func (s *Sandbox) emit(typ string, obj any, created int64, rq *request, prev map[string]any) {
	e := &eventRec{typ: typ, created: created, object: encodeObject(obj)}
	if prev != nil {
		e.prev = encodeObject(prev)
	}
	if rq != nil {
		e.reqID, e.idemKey, e.livemode = rq.reqID, rq.idemKey, rq.livemode
	}
	var eps []*endpoint
	if !s.stopped.Load() { // after Close nothing would send them
		eps = s.wh.matching(typ)
	}
	e.pending.Store(int32(len(eps)))
	st := &s.events
	st.mu.Lock()
	e.seq = st.next
	st.next++
	e.id = s.ids.encode(kindEvent, e.seq)
	st.recs = append(st.recs, e)
	if len(st.recs) > st.max+st.max/4 {
		drop := len(st.recs) - st.max
		st.recs = slices.Clone(st.recs[drop:])
		st.first += uint64(drop)
	}
	st.mu.Unlock()
	for _, ep := range eps {
		s.wh.enqueue(&delivery{ev: e, ep: ep})
	}
}

// appendJSON renders the event as Stripe sends it.
func (e *eventRec) appendJSON(b []byte) []byte {
	b = append(b, `{"id":"`...)
	b = append(b, e.id...)
	b = append(b, `","object":"event","api_version":"`+APIVersion+`","created":`...)
	b = strconv.AppendInt(b, e.created, 10)
	b = append(b, `,"data":{"object":`...)
	b = append(b, e.object...)
	if e.prev != nil {
		b = append(b, `,"previous_attributes":`...)
		b = append(b, e.prev...)
	}
	b = append(b, `},"livemode":`...)
	b = strconv.AppendBool(b, e.livemode)
	b = append(b, `,"pending_webhooks":`...)
	b = strconv.AppendInt(b, int64(e.pending.Load()), 10)
	b = append(b, `,"request":{"id":`...)
	b = appendNullableString(b, e.reqID)
	b = append(b, `,"idempotency_key":`...)
	b = appendNullableString(b, e.idemKey)
	b = append(b, `},"type":"`...)
	b = append(b, e.typ...)
	return append(b, `"}`...)
}

func appendNullableString(b []byte, v string) []byte {
	if v == "" {
		return append(b, "null"...)
	}
	return appendJSONString(b, v)
}

// eventBySeq returns the event with sequence number seq, if it is still kept.
func (s *Sandbox) eventBySeq(seq uint64) *eventRec {
	st := &s.events
	st.mu.Lock()
	defer st.mu.Unlock()
	if seq < st.first || seq >= st.first+uint64(len(st.recs)) {
		return nil
	}
	return st.recs[seq-st.first]
}

func getEvent(s *Sandbox, rq *request) (any, *apiError) {
	if _, err := expandList(rq.form, nil, false); err != nil {
		return nil, err
	}
	id := rq.args[0]
	seq, ok := s.ids.decode(kindEvent, id)
	var e *eventRec
	if ok {
		e = s.eventBySeq(seq)
	}
	if e == nil {
		return nil, errNoSuch("event", id, "id")
	}
	return rawJSON(e.appendJSON(nil)), nil
}

// typeMatcher matches an event type against `type` (exact, or a prefix ending in `*`) or any
// of `types[]` (exact).
type typeMatcher struct {
	exact  []string
	prefix string
	any    bool
}

func (m typeMatcher) match(t string) bool {
	switch {
	case m.any:
		return true
	case m.prefix != "":
		return strings.HasPrefix(t, m.prefix)
	}
	return slices.Contains(m.exact, t)
}

func listEvents(s *Sandbox, rq *request) (any, *apiError) {
	f := rq.form
	lp, _, err := parseListParams(f, nil)
	if err != nil {
		return nil, err
	}
	rf, err := parseRange(f, "created")
	if err != nil {
		return nil, err
	}
	if v, ok := f.str("delivery_success"); ok && v != "" && v != "true" && v != "false" {
		return nil, errInvalid("delivery_success", "Invalid boolean: %s", v)
	}
	m := typeMatcher{any: true}
	typ, hasType := f.str("type")
	types := f.strs("types")
	switch {
	case hasType && typ != "" && len(types) > 0:
		return nil, invalidRequest(400, codeParametersExclusive, "types",
			"You may only specify one of these parameters: type, types.")
	case hasType && typ != "":
		m.any = false
		if p, ok := strings.CutSuffix(typ, "*"); ok {
			m.prefix = p
			if p == "" {
				m.any = true
			}
		} else {
			m.exact = []string{typ}
		}
	case len(types) > 0:
		if len(types) > 20 {
			return nil, errInvalid("types", "You may pass at most 20 types.")
		}
		m.any, m.exact = false, types
	}
	st := &s.events
	st.mu.Lock()
	recs := st.recs
	first := st.first
	st.mu.Unlock()
	n := int64(len(recs))
	ok := func(e *eventRec) bool { return m.match(e.typ) && rf.ok(e.created) }
	// Position of the event with index i is -i: newest first.
	step := func(pos int64, fwd bool) (*eventRec, int64, bool) {
		if fwd {
			i := n - 1
			if pos != math.MinInt64 {
				i = min(i, -pos-1)
			}
			for ; i >= 0; i-- {
				if ok(recs[i]) {
					return recs[i], -i, true
				}
			}
			return nil, 0, false
		}
		for i := max(0, -pos+1); i < n; i++ {
			if ok(recs[i]) {
				return recs[i], -i, true
			}
		}
		return nil, 0, false
	}
	cursor := func(id, param string) (int64, *apiError) {
		seq, ok := s.ids.decode(kindEvent, id)
		if !ok || seq < first || seq >= first+uint64(n) {
			return 0, errNoSuch("event", id, param)
		}
		return -int64(seq - first), nil
	}
	page, more, err := paginate(lp, cursor, step)
	if err != nil {
		return nil, err
	}
	return encodeList(page, 1500, func(b []byte, e *eventRec) []byte { return e.appendJSON(b) }, more, "/v1/events"), nil
}
