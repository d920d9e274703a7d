package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// request is what a handler sees: the parsed form, path arguments and the sandbox time the
// request is served at (one instant per request).
type request struct {
	r        *http.Request
	method   string
	path     string
	args     []string // path arguments, in pattern order
	form     *form
	livemode bool
	now      time.Time
}

// rawJSON is a response body a handler already encoded.
type rawJSON []byte

type handlerFunc func(s *Sandbox, rq *request) (any, *apiError)

type route struct {
	method  string
	pattern []string // "*" matches one path segment
	params  []string // allowed top-level form parameters
	h       handlerFunc
}

var routes []route

func handle(method, pattern string, params []string, h handlerFunc) {
	routes = append(routes, route{method, strings.Split(strings.Trim(pattern, "/"), "/"), params, h})
}

func init() {
	cust := []string{"address", "balance", "cash_balance", "coupon", "description", "email", "expand",
		"invoice_prefix", "invoice_settings", "metadata", "name", "next_invoice_sequence", "payment_method", "phone",
		"preferred_locales", "promotion_code", "shipping", "source", "tax", "tax_exempt", "tax_id_data", "test_clock",
		"validate"}
	handle("GET", "/v1/customers", append([]string{"email", "created", "test_clock"}, listKeys...), listCustomers)
	handle("POST", "/v1/customers", cust, createCustomer)
	handle("GET", "/v1/customers/*", []string{"expand"}, getCustomer)

	fca := "/v1/financial_connections/accounts"
	handle("GET", fca, append([]string{"account_holder", "session"}, listKeys...), listAccounts)
	handle("GET", fca+"/*", []string{"expand"}, getAccount)
	handle("POST", fca+"/*/refresh", []string{"expand", "features"}, refreshAccount)
	handle("POST", fca+"/*/subscribe", []string{"expand", "features"}, subscribeAccount)
	handle("POST", fca+"/*/unsubscribe", []string{"expand", "features"}, unsubscribeAccount)
	handle("POST", fca+"/*/disconnect", []string{"expand"}, disconnectAccount)
	handle("GET", fca+"/*/owners", append([]string{"ownership"}, listKeys...), listOwners)

	handle("GET", "/v1/financial_connections/transactions",
		append([]string{"account", "transacted_at", "transaction_refresh"}, listKeys...), listTransactions)
	handle("GET", "/v1/financial_connections/transactions/*", []string{"expand"}, getTransaction)

	handle("POST", "/v1/financial_connections/sessions",
		[]string{"account_holder", "expand", "filters", "permissions", "prefetch", "return_url"}, createSession)
	handle("GET", "/v1/financial_connections/sessions/*", []string{"expand"}, getSession)
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// ServeHTTP serves the Stripe API under /v1 and the sandbox's control endpoints under
// /_sandbox.
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Request-Id", s.nextRequestID())
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		h.Set("Idempotency-Key", k)
	}
	h.Set("Stripe-Version", "2023-10-16")
	if strings.HasPrefix(r.URL.Path, "/_sandbox/") {
		s.serveControl(w, r)
		return
	}
	body, err := s.serveAPI(r)
	if err != nil {
		if err.Status == http.StatusUnauthorized {
			h.Set("Www-Authenticate", `Bearer realm="Stripe"`)
		}
		writeJSON(w, err.Status, map[string]*apiError{"error": err})
		s.log.Debug("sandbox request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", err.Status), slog.String("code", err.Code))
		return
	}
	writeJSON(w, http.StatusOK, body)
	s.log.Debug("sandbox request", slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", 200))
}

func (s *Sandbox) serveAPI(r *http.Request) (any, *apiError) {
	live, err := authenticate(r)
	if err != nil {
		return nil, err
	}
	rt, args := match(r.Method, r.URL.Path)
	if rt == nil {
		return nil, errUnrecognizedURL(r.Method, r.URL.Path)
	}
	raw := r.URL.RawQuery
	if r.Method == http.MethodPost {
		b, rerr := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if rerr != nil {
			return nil, errInvalid("", "Could not read the request body.")
		}
		if len(b) > 0 {
			if raw != "" {
				raw += "&"
			}
			raw += string(b)
		}
	}
	f, perr := parseForm(raw)
	if perr != nil {
		return nil, errInvalid("", "Invalid request body: %v", perr)
	}
	for _, k := range f.topKeys() {
		if !slices.Contains(rt.params, k) {
			return nil, errUnknownParam(k)
		}
	}
	rq := &request{r: r, method: r.Method, path: r.URL.Path, args: args, form: f, livemode: live, now: s.Now()}
	return rt.h(s, rq)
}

func match(method, path string) (*route, []string) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := range routes {
		rt := &routes[i]
		if rt.method != method || len(rt.pattern) != len(segs) {
			continue
		}
		var args []string
		ok := true
		for j, p := range rt.pattern {
			if p == "*" {
				if segs[j] == "" {
					ok = false
					break
				}
				args = append(args, segs[j])
			} else if p != segs[j] {
				ok = false
				break
			}
		}
		if ok {
			return rt, args
		}
	}
	return nil, nil
}

// authenticate accepts `Authorization: Bearer sk_test_…|sk_live_…` or HTTP Basic with the key
// as the username, and reports whether the key is a live one.
func authenticate(r *http.Request) (bool, *apiError) {
	hdr := r.Header.Get("Authorization")
	var key string
	switch {
	case hdr == "":
		return false, &apiError{Status: 401, Type: "invalid_request_error", Message: "You did not provide an API key. " +
			"You need to provide your API key in the Authorization header, using Bearer auth " +
			"(e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, " +
			"or we can help at https://support.stripe.com/."}
	case len(hdr) > 7 && strings.EqualFold(hdr[:7], "bearer "):
		key = strings.TrimSpace(hdr[7:])
	case len(hdr) > 6 && strings.EqualFold(hdr[:6], "basic "):
		dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(hdr[6:]))
		if err == nil {
			key, _, _ = strings.Cut(string(dec), ":")
		}
	}
	for _, p := range []string{"sk_test_", "sk_live_"} {
		if strings.HasPrefix(key, p) && len(key) > len(p) {
			return p == "sk_live_", nil
		}
	}
	shown := key
	if len(shown) > 12 {
		shown = shown[:8] + strings.Repeat("*", 4) + shown[len(shown)-4:]
	}
	return false, &apiError{Status: 401, Type: "invalid_request_error",
		Message: "Invalid API Key provided: " + shown}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	if raw, ok := v.(rawJSON); ok {
		w.WriteHeader(status)
		_, _ = w.Write(raw)
		return
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":{"type":"api_error","message":"sandbox: could not encode the response"}}`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Sandbox) nextRequestID() string {
	s.mu.Lock()
	s.reqSeq++
	n := s.reqSeq
	s.mu.Unlock()
	return s.ids.encode(kindRequest, n)
}

// expandList returns the expand[] values, validated against what the object supports.
// Lists accept the same paths prefixed with "data.".
func expandList(f *form, allowed []string, isList bool) ([]string, *apiError) {
	var out []string
	for _, e := range f.strs("expand") {
		p := e
		if isList {
			var ok bool
			if p, ok = strings.CutPrefix(e, "data."); !ok {
				return nil, errInvalid("expand", "This property cannot be expanded (%s).", e)
			}
		}
		if !slices.Contains(allowed, p) {
			return nil, errInvalid("expand", "This property cannot be expanded (%s).", e)
		}
		out = append(out, p)
	}
	return out, nil
}
