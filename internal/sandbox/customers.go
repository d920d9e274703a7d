package sandbox

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// customerRec is a customer created through POST /v1/customers.
type customerRec struct {
	created     int64
	email       *string
	name        *string
	phone       *string
	description *string
	address     *addressJSON
	metadata    map[string]string
}

type addressJSON struct {
	City       *string `json:"city"`
	Country    *string `json:"country"`
	Line1      *string `json:"line1"`
	Line2      *string `json:"line2"`
	PostalCode *string `json:"postal_code"`
	State      *string `json:"state"`
}

type invoiceSettingsJSON struct {
	CustomFields         *struct{} `json:"custom_fields"`
	DefaultPaymentMethod *string   `json:"default_payment_method"`
	Footer               *string   `json:"footer"`
	RenderingOptions     *struct{} `json:"rendering_options"`
}

type customerJSON struct {
	ID                  string              `json:"id"`
	Object              string              `json:"object"`
	Address             *addressJSON        `json:"address"`
	Balance             int64               `json:"balance"`
	Created             int64               `json:"created"`
	Currency            *string             `json:"currency"`
	DefaultSource       *string             `json:"default_source"`
	Delinquent          bool                `json:"delinquent"`
	Description         *string             `json:"description"`
	Discount            *struct{}           `json:"discount"`
	Email               *string             `json:"email"`
	InvoicePrefix       string              `json:"invoice_prefix"`
	InvoiceSettings     invoiceSettingsJSON `json:"invoice_settings"`
	Livemode            bool                `json:"livemode"`
	Metadata            map[string]string   `json:"metadata"`
	Name                *string             `json:"name"`
	NextInvoiceSequence int64               `json:"next_invoice_sequence"`
	Phone               *string             `json:"phone"`
	PreferredLocales    []string            `json:"preferred_locales"`
	Shipping            *struct{}           `json:"shipping"`
	TaxExempt           string              `json:"tax_exempt"`
	TestClock           *string             `json:"test_clock"`
}

// customerExpand are expandable customer fields; all are null on sandbox customers, so
// expanding them changes nothing.
var customerExpand = []string{"default_source", "invoice_settings.default_payment_method", "test_clock"}

func (s *Sandbox) customerID(key uint64) string { return s.ids.encode(kindCustomer, key) }

// customerKey resolves a cus_ id to its key, if the customer exists.
func (s *Sandbox) customerKey(id string) (uint64, bool) {
	k, ok := s.ids.decode(kindCustomer, id)
	if !ok {
		return 0, false
	}
	if k < uint64(s.n) {
		return k, true
	}
	if k&linkedBit != 0 {
		s.mu.Lock()
		defer s.mu.Unlock()
		return k, k&^linkedBit < uint64(len(s.customers))
	}
	return 0, false
}

func (s *Sandbox) runtimeCustomer(key uint64) *customerRec {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.customers[key&^linkedBit]
}

// renderCustomer returns the customer object for an existing customer key.
func (s *Sandbox) renderCustomer(key uint64, rq *request) *customerJSON {
	id := s.customerID(key)
	c := &customerJSON{
		ID: id, Object: "customer", Livemode: rq.livemode, NextInvoiceSequence: 1, TaxExempt: "none",
		PreferredLocales: []string{}, Metadata: map[string]string{},
		InvoicePrefix: strings.ToUpper(string(s.ids.body(kindSecret, mixAll(key, 0x1f))[:8])),
	}
	if key < uint64(s.n) {
		idn := s.genIdentity(key)
		a := idn.Addr
		l2 := nullable(a.line2())
		c.Address = &addressJSON{City: &a.City, Country: ptr("US"), Line1: ptr(a.line1()), Line2: l2, PostalCode: &a.Zip, State: &a.State}
		c.Created = s.genCustomerCreated(key)
		c.Email = &idn.Email
		c.Name = ptr(idn.fullName())
		c.Phone = &idn.Phone
		c.Metadata["persona"] = s.personaOf(key)
		return c
	}
	rec := s.runtimeCustomer(key)
	c.Address, c.Created, c.Description, c.Email, c.Name, c.Phone = rec.address, rec.created, rec.description, rec.email, rec.name, rec.phone
	for k, v := range rec.metadata {
		c.Metadata[k] = v
	}
	return c
}

func ptr[T any](v T) *T { return &v }

func getCustomer(s *Sandbox, rq *request) (any, *apiError) {
	key, ok := s.customerKey(rq.args[0])
	if !ok {
		return nil, errNoSuch("customer", rq.args[0], "id")
	}
	if _, err := expandList(rq.form, customerExpand, false); err != nil {
		return nil, err
	}
	return s.renderCustomer(key, rq), nil
}

func createCustomer(s *Sandbox, rq *request) (any, *apiError) {
	f := rq.form
	rec := &customerRec{created: rq.now.Unix(), metadata: map[string]string{}}
	str := func(name string, maxLen int) (*string, *apiError) {
		v, ok := f.str(name)
		if !ok || v == "" {
			return nil, nil
		}
		if utf8.RuneCountInString(v) > maxLen {
			return nil, errInvalid(name, "Invalid %s: must be at most %d characters", name, maxLen)
		}
		return &v, nil
	}
	var err *apiError
	if rec.email, err = str("email", 512); err != nil {
		return nil, err
	}
	if rec.name, err = str("name", 256); err != nil {
		return nil, err
	}
	if rec.phone, err = str("phone", 20); err != nil {
		return nil, err
	}
	if rec.description, err = str("description", 350); err != nil {
		return nil, err
	}
	if n := f.node("address"); n != nil {
		a := &addressJSON{}
		fields := map[string]**string{"city": &a.City, "country": &a.Country, "line1": &a.Line1, "line2": &a.Line2,
			"postal_code": &a.PostalCode, "state": &a.State}
		for _, k := range n.kids {
			dst, ok := fields[k.seg]
			if !ok {
				return nil, errUnknownParam(paramName("address", k.seg))
			}
			if k.node.isLeaf && k.node.value != "" {
				*dst = ptr(k.node.value)
			}
		}
		if n.isLeaf && n.value == "" && len(n.kids) == 0 {
			a = nil // address= clears it
		}
		rec.address = a
	}
	if err := setMetadata(rec.metadata, f); err != nil {
		return nil, err
	}
	if _, err := expandList(f, customerExpand, false); err != nil {
		return nil, err
	}
	s.mu.Lock()
	key := linkedBit | uint64(len(s.customers))
	s.customers = append(s.customers, rec)
	s.mu.Unlock()
	c := s.renderCustomer(key, rq)
	s.emit(evCustomerCreated, c, rec.created, rq, nil)
	return c, nil
}

// setMetadata applies metadata[k]=v pairs; an empty value deletes the key, as in Stripe.
func setMetadata(dst map[string]string, f *form) *apiError {
	for _, kv := range f.dict("metadata") {
		if kv.seg == "" || !kv.node.isLeaf {
			return errInvalid("metadata", "Invalid metadata: keys must be non-empty strings and values strings.")
		}
		if utf8.RuneCountInString(kv.seg) > 40 {
			return errInvalid(paramName("metadata", kv.seg), "Metadata keys can have up to 40 characters.")
		}
		if utf8.RuneCountInString(kv.node.value) > 500 {
			return errInvalid(paramName("metadata", kv.seg), "Metadata values can have up to 500 characters.")
		}
		if kv.node.value == "" {
			delete(dst, kv.seg)
		} else {
			dst[kv.seg] = kv.node.value
		}
	}
	if len(dst) > 50 {
		return errInvalid("metadata", "You can have up to 50 metadata keys.")
	}
	return nil
}

// rangeFilter is an int filter given as `k=N` or `k[gt|gte|lt|lte]=N`.
type rangeFilter struct {
	set                  bool
	gt, gte, lt, lte, eq *int64
}

func parseRange(f *form, name string) (rangeFilter, *apiError) {
	var rf rangeFilter
	n := f.node(name)
	if n == nil {
		return rf, nil
	}
	parse := func(param, v string) (*int64, *apiError) {
		x, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, errInvalidInteger(param, v)
		}
		return &x, nil
	}
	var err *apiError
	if len(n.kids) == 0 {
		if n.value == "" {
			return rf, nil
		}
		rf.set = true
		rf.eq, err = parse(name, n.value)
		return rf, err
	}
	for _, k := range n.kids {
		param := paramName(name, k.seg)
		var dst **int64
		switch k.seg {
		case "gt":
			dst = &rf.gt
		case "gte":
			dst = &rf.gte
		case "lt":
			dst = &rf.lt
		case "lte":
			dst = &rf.lte
		default:
			return rf, errUnknownParam(param)
		}
		if *dst, err = parse(param, k.node.value); err != nil {
			return rf, err
		}
		rf.set = true
	}
	return rf, nil
}

func (rf rangeFilter) ok(v int64) bool {
	return (rf.eq == nil || v == *rf.eq) && (rf.gt == nil || v > *rf.gt) && (rf.gte == nil || v >= *rf.gte) &&
		(rf.lt == nil || v < *rf.lt) && (rf.lte == nil || v <= *rf.lte)
}

// genRange returns the generated-customer index range [lo, hi) whose created time passes rf,
// using that created time decreases with the index.
func (s *Sandbox) genRange(rf rangeFilter) (uint64, uint64) {
	lo, hi := uint64(0), uint64(s.n)
	upper := func(t int64, incl bool) { // created <= t (incl) or < t
		lo = max(lo, s.genIndexCreatedBefore(t, incl))
	}
	lower := func(t int64, incl bool) { // created >= t (incl) or > t
		hi = min(hi, s.genIndexCreatedBefore(t, !incl))
	}
	if rf.eq != nil {
		upper(*rf.eq, true)
		lower(*rf.eq, true)
	}
	if rf.lt != nil {
		upper(*rf.lt, false)
	}
	if rf.lte != nil {
		upper(*rf.lte, true)
	}
	if rf.gt != nil {
		lower(*rf.gt, false)
	}
	if rf.gte != nil {
		lower(*rf.gte, true)
	}
	return lo, max(lo, hi)
}

// emailIndex maps each generated customer's email to its indexes, built on first use.
func (s *Sandbox) emailIndex() map[string][]uint64 {
	s.mu.Lock()
	idx := s.emailIdx
	s.mu.Unlock()
	if idx != nil {
		return idx
	}
	idx = make(map[string][]uint64, s.n)
	for i := uint64(0); i < uint64(s.n); i++ {
		e := s.genIdentity(i).Email
		idx[e] = append(idx[e], i)
	}
	s.mu.Lock()
	s.emailIdx = idx
	s.mu.Unlock()
	return idx
}

func listCustomers(s *Sandbox, rq *request) (any, *apiError) {
	f := rq.form
	lp, _, err := parseListParams(f, customerExpand)
	if err != nil {
		return nil, err
	}
	rf, err := parseRange(f, "created")
	if err != nil {
		return nil, err
	}
	email, hasEmail := f.str("email")
	if tc, ok := f.str("test_clock"); ok && tc != "" {
		return newList([]*customerJSON{}, false, "/v1/customers"), nil // no test clocks here
	}
	s.mu.Lock()
	runtime := slices.Clone(s.customers)
	s.mu.Unlock()
	nr := int64(len(runtime))
	lo, hi := s.genRange(rf)
	var cands []uint64 // generated candidates when filtering by email
	if hasEmail {
		for _, i := range s.emailIndex()[email] {
			if i >= lo && i < hi {
				cands = append(cands, i)
			}
		}
	}
	runtimeOK := func(n int64) bool {
		c := runtime[n]
		return rf.ok(c.created) && (!hasEmail || (c.email != nil && *c.email == email))
	}
	// Positions: runtime customers newest first (0..nr-1), then generated index i at nr+i.
	step := func(pos int64, fwd bool) (uint64, int64, bool) {
		pos = max(pos, -1)
		if fwd {
			for p := max(pos+1, 0); p < nr; p++ {
				if n := nr - 1 - p; runtimeOK(n) {
					return linkedBit | uint64(n), p, true
				}
			}
			from := uint64(max(pos+1-nr, 0))
			if hasEmail {
				j, _ := slices.BinarySearch(cands, from)
				if j < len(cands) {
					return cands[j], nr + int64(cands[j]), true
				}
				return 0, 0, false
			}
			from = max(from, lo)
			if from < hi {
				return from, nr + int64(from), true
			}
			return 0, 0, false
		}
		if pos > nr {
			to := uint64(pos - nr) // candidates < to
			if hasEmail {
				j, _ := slices.BinarySearch(cands, to)
				if j > 0 {
					return cands[j-1], nr + int64(cands[j-1]), true
				}
			} else if to > lo {
				i := min(to, hi) - 1
				if i >= lo && i < hi {
					return i, nr + int64(i), true
				}
			}
		}
		for p := min(pos-1, nr-1); p >= 0; p-- {
			if n := nr - 1 - p; runtimeOK(n) {
				return linkedBit | uint64(n), p, true
			}
		}
		return 0, 0, false
	}
	keys, more, err := paginate(lp, s.mixedCursor(kindCustomer, "customer", nr), step)
	if err != nil {
		return nil, err
	}
	out := make([]*customerJSON, len(keys))
	for i, k := range keys {
		out[i] = s.renderCustomer(k, rq)
	}
	return newList(out, more, "/v1/customers"), nil
}

// identityOfLocked returns the applicant identity behind a customer key. The caller holds s.mu.
func (s *Sandbox) identityOfLocked(key uint64) identity {
	if key < uint64(s.n) {
		return s.genIdentity(key)
	}
	id := newIdentity(newRNG(s.seed, 0xc057, key))
	rec := s.customers[key&^linkedBit]
	if rec.name != nil {
		parts := strings.Fields(*rec.name)
		if len(parts) > 0 {
			id.First, id.Last, id.Middle, id.Nick = parts[0], parts[len(parts)-1], "", ""
			if len(parts) > 2 {
				id.Middle = parts[1]
			}
		}
	}
	if rec.email != nil {
		id.Email = *rec.email
	}
	if rec.phone != nil {
		id.Phone = *rec.phone
	}
	if a := rec.address; a != nil && a.Line1 != nil {
		id.Addr = address{Line1Raw: *a.Line1, Line2Raw: deref(a.Line2), City: deref(a.City), State: deref(a.State), Zip: deref(a.PostalCode)}
	}
	return id
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
