package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Control endpoints, outside Stripe's API and without auth:
//
//	POST   /_sandbox/clock/advance               seconds=N (form or JSON) → {"now": unix}; runs everything due
//	GET    /_sandbox/clock                       → {"now": unix}
//	GET    /_sandbox/accounts                    ?persona=&offset=&limit= → {"data":[{"id","customer","persona"}],"total":N}
//	POST   /_sandbox/accounts/{id}/deactivate    the bank connection breaks: status inactive (.deactivated)
//	POST   /_sandbox/accounts/{id}/reactivate    the connection is repaired: status active (.reactivated)
//	POST   /_sandbox/sessions/{id}/complete      persona=NAME (repeatable) → the session, as the Stripe sheet would
//	POST   /_sandbox/webhook_endpoints           url=URL [secret=whsec_...] [enabled_events[]=TYPE] → the endpoint
//	GET    /_sandbox/webhook_endpoints           → {"data":[endpoint]} with delivery counts
//	DELETE /_sandbox/webhook_endpoints/{id}      → {"id","deleted":true}
func (s *Sandbox) serveControl(w http.ResponseWriter, r *http.Request) {
	body, err := s.control(r)
	if err != nil {
		writeJSON(w, err.Status, map[string]*apiError{"error": err})
		return
	}
	writeJSON(w, http.StatusOK, body)
}

func (s *Sandbox) control(r *http.Request) (any, *apiError) {
	path := strings.Trim(strings.TrimPrefix(r.URL.Path, "/_sandbox"), "/")
	segs := strings.Split(path, "/")
	f, err := controlForm(r)
	if err != nil {
		return nil, err
	}
	s.processDue(s.Now())
	switch {
	case r.Method == http.MethodPost && path == "clock/advance":
		v, _ := f.str("seconds")
		n, perr := strconv.ParseFloat(v, 64)
		if v == "" {
			return nil, errMissing("seconds")
		}
		if perr != nil || n < 0 {
			return nil, errInvalid("seconds", "seconds must be a non-negative number, got %q", v)
		}
		s.Advance(time.Duration(n * float64(time.Second)))
		return map[string]int64{"now": s.Now().Unix()}, nil
	case r.Method == http.MethodGet && path == "clock":
		return map[string]int64{"now": s.Now().Unix()}, nil
	case r.Method == http.MethodGet && path == "accounts":
		return s.controlAccounts(f)
	case r.Method == http.MethodPost && len(segs) == 3 && segs[0] == "sessions" && segs[2] == "complete":
		n, ok := s.sessionIndex(segs[1])
		if !ok {
			return nil, errNoSuch("financial connections session", segs[1], "id")
		}
		personas := f.repeated("persona")
		if len(personas) == 0 {
			personas = []string{defaultPersonaForNewAccount}
		}
		for _, p := range personas {
			if !isPersona(p) {
				return nil, errInvalidEnum("persona", Personas)
			}
		}
		rq := &request{r: r, form: &form{}, now: s.Now()}
		if err := s.completeSession(n, personas, rq); err != nil {
			return nil, err
		}
		return s.renderSession(n, rq), nil
	case r.Method == http.MethodPost && len(segs) == 3 && segs[0] == "accounts" &&
		(segs[2] == "deactivate" || segs[2] == "reactivate"):
		rq := &request{r: r, form: &form{}, now: s.Now()}
		return s.setAccountActive(rq, segs[1], segs[2] == "reactivate")
	case path == "webhook_endpoints" && r.Method == http.MethodPost:
		u, _ := f.str("url")
		if u == "" {
			return nil, errMissing("url")
		}
		secret, _ := f.str("secret")
		ep, aerr := s.AddWebhookEndpoint(u, secret, f.repeated("enabled_events"))
		if aerr != nil {
			return nil, errInvalid("url", "%v", aerr)
		}
		return endpointJSON(ep), nil
	case path == "webhook_endpoints" && r.Method == http.MethodGet:
		out := []map[string]any{}
		for _, ep := range s.WebhookEndpoints() {
			out = append(out, endpointJSON(ep))
		}
		return map[string]any{"data": out}, nil
	case len(segs) == 2 && segs[0] == "webhook_endpoints" && r.Method == http.MethodDelete:
		if !s.RemoveWebhookEndpoint(segs[1]) {
			return nil, errNoSuch("webhook endpoint", segs[1], "id")
		}
		return map[string]any{"id": segs[1], "deleted": true}, nil
	}
	return nil, errUnrecognizedURL(r.Method, r.URL.Path)
}

func endpointJSON(ep WebhookEndpoint) map[string]any {
	return map[string]any{"id": ep.ID, "url": ep.URL, "secret": ep.Secret, "enabled_events": ep.EnabledEvents,
		"delivered": ep.Delivered, "failed": ep.Failed}
}

// setAccountActive deactivates (the bank connection broke) or reactivates an account.
// Disconnection is terminal.
func (s *Sandbox) setAccountActive(rq *request, id string, active bool) (any, *apiError) {
	a, err := s.lockAccount(rq, id, "id")
	if err != nil {
		return nil, err
	}
	defer a.mu.Unlock()
	switch {
	case a.status == "disconnected":
		return nil, invalidRequest(400, codeAccountInactive, "",
			"The account %s is disconnected; disconnection is final (link it again in a new session).", a.id)
	case active && a.status == "inactive":
		a.status = "active"
		s.emit(evAccountReactivated, s.render(a, rq, nil), rq.now.Unix(), nil, map[string]any{"status": "inactive"})
	case !active && a.status == "active":
		a.status = "inactive"
		s.emit(evAccountDeactivated, s.render(a, rq, nil), rq.now.Unix(), nil, map[string]any{"status": "active"})
	}
	return s.render(a, rq, nil), nil
}

// controlForm reads the query plus a form or JSON body. JSON values become form strings.
func controlForm(r *http.Request) (*form, *apiError) {
	raw := r.URL.RawQuery
	var jsonBody map[string]any
	if r.Body != nil {
		b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if strings.HasPrefix(strings.TrimSpace(string(b)), "{") {
			if err := json.Unmarshal(b, &jsonBody); err != nil {
				return nil, errInvalid("", "Invalid JSON body: %v", err)
			}
		} else if len(b) > 0 {
			if raw != "" {
				raw += "&"
			}
			raw += string(b)
		}
	}
	f, err := parseForm(raw)
	if err != nil {
		return nil, errInvalid("", "Invalid form: %v", err)
	}
	for k, v := range jsonBody {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				f.add(k+"[]", jsonScalar(e))
			}
		default:
			f.add(k, jsonScalar(x))
		}
	}
	return f, nil
}

func jsonScalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

type controlAccount struct {
	ID       string `json:"id"`
	Customer string `json:"customer"`
	Persona  string `json:"persona"`
}

func (s *Sandbox) controlAccounts(f *form) (any, *apiError) {
	offset, limit := 0, s.n
	if v, ok := f.str("offset"); ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, errInvalidInteger("offset", v)
		}
		offset = n
	}
	if v, ok := f.str("limit"); ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, errInvalidInteger("limit", v)
		}
		limit = n
	}
	persona, _ := f.str("persona")
	s.mu.Lock()
	linked := append([]*linkedAccount(nil), s.linked...)
	s.mu.Unlock()
	total := s.n + len(linked)
	out := []controlAccount{}
	matched := 0
	for i := 0; i < total && len(out) < limit; i++ {
		var key, cust uint64
		var p string
		if i < s.n {
			key, cust, p = uint64(i), uint64(i), s.personaOf(uint64(i))
		} else {
			la := linked[i-s.n]
			key, cust, p = linkedBit|uint64(i-s.n), la.customer, la.persona
		}
		if persona != "" && p != persona {
			continue
		}
		matched++
		if matched <= offset {
			continue
		}
		out = append(out, controlAccount{s.ids.encode(kindAccount, key), s.customerID(cust), p})
	}
	return map[string]any{"data": out, "total": total}, nil
}
