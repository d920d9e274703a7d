package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// IdempotencyTTL is how long, in sandbox time, a stored idempotent response is replayed.
const IdempotencyTTL = 24 * time.Hour

// Idempotency follows Stripe: the first response to a POST carrying an Idempotency-Key is
// stored once the endpoint has executed, and a later request with the same key (for the same
// API key) gets it back with `Idempotent-Replayed: true`. The same key with other parameters is
// a 400 idempotency_error; a key whose first request is still running is a 409
// idempotency_key_in_use. Requests rejected before executing (bad auth, unknown or invalid
// parameters, rate limits, injected 5xx faults) are not stored, so retrying them runs them.

type idemEntry struct {
	fp      string // method, path and canonical parameters
	done    bool
	status  int
	body    []byte
	reqID   string
	created time.Time
}

type idemRef struct {
	key string
	e   *idemEntry
}

type idemStore struct {
	mu    sync.Mutex
	m     map[string]*idemEntry
	order []idemRef // insertion order, for expiry
}

// fingerprint identifies a request's parameters: the same pairs in the same per-key order.
func fingerprint(method, path string, f *form) string {
	pairs := slices.Clone(f.pairs)
	slices.SortStableFunc(pairs, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	var sb strings.Builder
	sb.WriteString(method)
	sb.WriteByte(' ')
	sb.WriteString(path)
	for _, p := range pairs {
		sb.WriteByte('\n')
		sb.WriteString(p[0])
		sb.WriteByte('=')
		sb.WriteString(p[1])
	}
	return sb.String()
}

// begin looks the key up. It returns the entry to finish when the request should run, or the
// stored entry to replay, or an error.
func (st *idemStore) begin(scope, key, fp, reqID string, now time.Time) (run, replay *idemEntry, err *apiError) {
	k := scope + "\x00" + key
	st.mu.Lock()
	defer st.mu.Unlock()
	for len(st.order) > 0 && !st.order[0].e.created.Add(IdempotencyTTL).After(now) {
		old := st.order[0]
		st.order[0] = idemRef{}
		st.order = st.order[1:]
		if st.m[old.key] == old.e && old.e.done {
			delete(st.m, old.key)
		}
	}
	if e, ok := st.m[k]; ok {
		switch {
		case e.fp != fp:
			return nil, nil, &apiError{Status: http.StatusBadRequest, Type: "idempotency_error",
				Message: "Keys for idempotent requests can only be used with the same parameters they were first used with. " +
					"Try using a key other than '" + key + "' if you meant to execute a different request."}
		case !e.done:
			return nil, nil, &apiError{Status: http.StatusConflict, Type: "idempotency_error", Code: "idempotency_key_in_use",
				DocURL: docURL("idempotency_key_in_use"),
				Message: "There is currently another in-progress request using this Idempotent Key (that probably means you " +
					"submitted twice, and the other request is still going through): " + key + ". Please try again later."}
		}
		return nil, e, nil
	}
	e := &idemEntry{fp: fp, reqID: reqID, created: now}
	st.m[k] = e
	st.order = append(st.order, idemRef{k, e})
	return e, nil, nil
}

// finish stores the response of an executed request, or forgets the key when the request did
// not execute (keep is false).
func (st *idemStore) finish(scope, key string, e *idemEntry, status int, body []byte, keep bool) {
	k := scope + "\x00" + key
	st.mu.Lock()
	defer st.mu.Unlock()
	if !keep {
		if st.m[k] == e {
			delete(st.m, k)
		}
		return
	}
	e.status, e.body, e.done = status, slices.Clone(body), true
}

// storable reports whether a response means the endpoint executed: successes and payment
// failures (402). Validation errors (400, 404, 409) are not stored.
func storable(status int) bool {
	return status/100 == 2 || status == http.StatusPaymentRequired
}
