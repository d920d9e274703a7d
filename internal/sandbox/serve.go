package sandbox

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
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
	reqID    string // the Request-Id answered
	apiKey   string
	idemKey  string // Idempotency-Key, on POSTs that carry one
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

	handle("GET", "/v1/events", append([]string{"created", "delivery_success", "type", "types"}, listKeys...), listEvents)
	handle("GET", "/v1/events/*", []string{"expand"}, getEvent)

	pm := []string{"billing_details", "expand", "metadata", "radar_options", "type", "us_bank_account"}
	handle("POST", "/v1/payment_methods", pm, createPaymentMethod)
	handle("GET", "/v1/payment_methods/*", []string{"expand"}, getPaymentMethod)
	handle("POST", "/v1/payment_methods/*/attach", []string{"customer", "expand"}, attachPaymentMethod)
	handle("POST", "/v1/payment_methods/*/detach", []string{"expand"}, detachPaymentMethod)
	handle("GET", "/v1/mandates/*", []string{"expand"}, getMandate)
	handle("GET", "/v1/charges/*", []string{"expand"}, getCharge)
	handle("GET", "/v1/disputes/*", []string{"expand"}, getDispute)

	confirm := []string{"capture_method", "error_on_requires_action", "expand", "mandate", "mandate_data", "off_session",
		"payment_method", "payment_method_data", "payment_method_options", "radar_options", "receipt_email",
		"return_url", "setup_future_usage", "shipping", "use_stripe_sdk"}
	pi := append([]string{"amount", "application_fee_amount", "automatic_payment_methods", "confirm",
		"confirmation_method", "currency", "customer", "description", "metadata", "on_behalf_of",
		"payment_method_configuration", "payment_method_types", "statement_descriptor", "statement_descriptor_suffix",
		"transfer_data", "transfer_group"}, confirm...)
	handle("POST", "/v1/payment_intents", pi, createPaymentIntent)
	handle("GET", "/v1/payment_intents/*", []string{"client_secret", "expand"}, getPaymentIntent)
	handle("POST", "/v1/payment_intents/*/confirm", confirm, confirmPaymentIntent)
	handle("POST", "/v1/payment_intents/*/cancel", []string{"cancellation_reason", "expand"}, cancelPaymentIntent)

	si := []string{"attach_to_self", "automatic_payment_methods", "confirm", "customer", "description", "expand",
		"flow_directions", "mandate_data", "metadata", "on_behalf_of", "payment_method", "payment_method_configuration",
		"payment_method_data", "payment_method_options", "payment_method_types", "return_url", "single_use", "usage",
		"use_stripe_sdk"}
	handle("POST", "/v1/setup_intents", si, createSetupIntent)
	handle("GET", "/v1/setup_intents/*", []string{"client_secret", "expand"}, getSetupIntent)
	handle("POST", "/v1/setup_intents/*/confirm", []string{"expand", "mandate_data", "payment_method",
		"payment_method_data", "payment_method_options", "return_url", "use_stripe_sdk"}, confirmSetupIntent)
	handle("POST", "/v1/setup_intents/*/cancel", []string{"cancellation_reason", "expand"}, cancelSetupIntent)
}

// response is an API answer before it is written.
type response struct {
	status   int
	body     []byte
	replayed *idemEntry // set when replaying a stored idempotent response
}

// ServeHTTP serves the Stripe API under /v1 and the sandbox's control endpoints under
// /_sandbox. An API request goes through: injected latency and faults, auth, the read/write
// rate limit, routing and form parsing, due scheduled work, idempotency, the handler, and
// finally the write (whole, trickled, or cut off by an injected dropped connection).
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	reqID := s.nextRequestID()
	h.Set("Request-Id", reqID)
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		h.Set("Idempotency-Key", k)
	}
	h.Set("Stripe-Version", APIVersion)
	if strings.HasPrefix(r.URL.Path, "/_sandbox/") {
		s.serveControl(w, r)
		return
	}
	plan := s.faults.plan()
	if plan.delay > 0 && !wait(r.Context(), plan.delay) {
		return
	}
	res := s.serveAPI(r, reqID, plan)
	if res.replayed != nil {
		h.Set("Idempotent-Replayed", "true")
		h.Set("Original-Request", res.replayed.reqID)
	}
	if res.status == http.StatusUnauthorized {
		h.Set("Www-Authenticate", `Bearer realm="Stripe"`)
	}
	s.log.Debug("sandbox request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", res.status))
	switch {
	case plan.kind == faultDrop && dropConnection(w, res):
	case plan.kind == faultSlow:
		s.trickle(w, r, res)
	default:
		w.WriteHeader(res.status)
		_, _ = w.Write(res.body)
	}
}

// wait blocks for d, or until ctx is done (then it reports false).
func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func errorResponse(err *apiError) response {
	return response{status: err.Status, body: encodeBody(map[string]*apiError{"error": err})}
}

// encodeBody renders a handler's result as the response body.
func encodeBody(v any) []byte {
	if raw, ok := v.(rawJSON); ok {
		return raw
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte(`{"error":{"type":"api_error","message":"sandbox: could not encode the response"}}`)
	}
	return buf.Bytes()
}

func (s *Sandbox) serveAPI(r *http.Request, reqID string, plan faultPlan) response {
	key, live, aerr := authenticate(r)
	if aerr != nil {
		return errorResponse(aerr)
	}
	switch plan.kind {
	case fault500, fault503:
		status := http.StatusInternalServerError
		if plan.kind == fault503 {
			status = http.StatusServiceUnavailable
		}
		return errorResponse(errServer(status))
	case faultRateLimit:
		return errorResponse(errRateLimited())
	case faultLock:
		return errorResponse(errLockTimeout())
	}
	b := s.writeBucket
	if r.Method == http.MethodGet {
		b = s.readBucket
	}
	if !b.take(s.clock()) {
		return errorResponse(errRateLimited())
	}
	rt, args := match(r.Method, r.URL.Path)
	if rt == nil {
		return errorResponse(errUnrecognizedURL(r.Method, r.URL.Path))
	}
	raw := r.URL.RawQuery
	if r.Method == http.MethodPost {
		body, rerr := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if rerr != nil {
			return errorResponse(errInvalid("", "Could not read the request body."))
		}
		if len(body) > 0 {
			if raw != "" {
				raw += "&"
			}
			raw += string(body)
		}
	}
	f, perr := parseForm(raw)
	if perr != nil {
		return errorResponse(errInvalid("", "Invalid request body: %v", perr))
	}
	for _, k := range f.topKeys() {
		if !slices.Contains(rt.params, k) {
			return errorResponse(errUnknownParam(k))
		}
	}
	now := s.Now()
	s.processDue(now)
	rq := &request{r: r, method: r.Method, path: r.URL.Path, args: args, form: f, livemode: live, now: now,
		reqID: reqID, apiKey: key}
	idem := r.Header.Get("Idempotency-Key")
	if r.Method != http.MethodPost || idem == "" {
		return run(s, rt, rq)
	}
	if len(idem) > 255 {
		return errorResponse(errInvalid("", "Idempotency-Key must be at most 255 characters long."))
	}
	rq.idemKey = idem
	entry, replay, ierr := s.idem.begin(key, idem, fingerprint(r.Method, r.URL.Path, f), reqID, now)
	switch {
	case ierr != nil:
		return errorResponse(ierr)
	case replay != nil:
		return response{status: replay.status, body: replay.body, replayed: replay}
	}
	res := run(s, rt, rq)
	s.idem.finish(key, idem, entry, res.status, res.body, storable(res.status))
	return res
}

func run(s *Sandbox, rt *route, rq *request) response {
	if s.inHandler != nil {
		s.inHandler()
	}
	v, err := rt.h(s, rq)
	if err != nil {
		return errorResponse(err)
	}
	return response{status: http.StatusOK, body: encodeBody(v)}
}

// dropConnection writes the status line, the headers and half the body, then closes the
// connection. It reports false if the connection cannot be hijacked.
func dropConnection(w http.ResponseWriter, res response) bool {
	hj, ok := w.(http.Hijacker)
	if !ok {
		return false
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return false
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", res.status, http.StatusText(res.status))
	w.Header().Set("Content-Length", strconv.Itoa(len(res.body)))
	_ = w.Header().Write(buf)
	buf.WriteString("\r\n")
	_, _ = buf.Write(res.body[:len(res.body)/2])
	_ = buf.Flush()
	return true
}

// trickle writes the body in slices spread over the slow-body duration.
func (s *Sandbox) trickle(w http.ResponseWriter, r *http.Request, res response) {
	const parts = 8
	w.Header().Set("Content-Length", strconv.Itoa(len(res.body)))
	w.WriteHeader(res.status)
	fl, _ := w.(http.Flusher)
	step := s.faults.slow / parts
	for i := 0; i < parts; i++ {
		lo, hi := len(res.body)*i/parts, len(res.body)*(i+1)/parts
		if _, err := w.Write(res.body[lo:hi]); err != nil {
			return
		}
		if fl != nil {
			fl.Flush()
		}
		if i < parts-1 && !wait(r.Context(), step) {
			return
		}
	}
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
func authenticate(r *http.Request) (string, bool, *apiError) {
	hdr := r.Header.Get("Authorization")
	var key string
	switch {
	case hdr == "":
		return "", false, &apiError{Status: 401, Type: "invalid_request_error", Message: "You did not provide an API key. " +
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
			return key, p == "sk_live_", nil
		}
	}
	shown := key
	if len(shown) > 12 {
		shown = shown[:8] + strings.Repeat("*", 4) + shown[len(shown)-4:]
	}
	return "", false, &apiError{Status: 401, Type: "invalid_request_error",
		Message: "Invalid API Key provided: " + shown}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.WriteHeader(status)
	_, _ = w.Write(encodeBody(v))
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
