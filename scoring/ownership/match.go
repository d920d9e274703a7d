package ownership

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Applicant is what a person applying for credit or a debit told us about themselves.
type Applicant struct {
	Name    string   `json:"name"`
	Email   string   `json:"email"`
	Phone   string   `json:"phone"`
	Address *Address `json:"address"`
}

// Owner is one owner of a bank account as the bank reports it (a Stripe Financial
// Connections account_owner). Name may name several people ("MARIA AND LUIS PEREZ")
// or a business; RawAddress is free text.
type Owner struct {
	Name       string `json:"name"`
	Email      string `json:"email"`
	Phone      string `json:"phone"`
	RawAddress string `json:"raw_address"`
}

// DefaultThreshold is the score (0–100) at or above which a field matches. It is the
// boundary of the "likely match" band; scores 50–69 are for human review.
const DefaultThreshold = 70

// Policy holds the per-field match thresholds, each a score 0–100. A zero threshold
// means DefaultThreshold.
type Policy struct {
	NameThreshold    int `json:"name_threshold"`
	EmailThreshold   int `json:"email_threshold"`
	PhoneThreshold   int `json:"phone_threshold"`
	AddressThreshold int `json:"address_threshold"`
}

// DefaultPolicy returns DefaultThreshold for every field.
func DefaultPolicy() Policy {
	return Policy{DefaultThreshold, DefaultThreshold, DefaultThreshold, DefaultThreshold}
}

// Validate reports the first threshold outside 0–100, naming it.
func (p Policy) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"name_threshold", p.NameThreshold}, {"email_threshold", p.EmailThreshold},
		{"phone_threshold", p.PhoneThreshold}, {"address_threshold", p.AddressThreshold}} {
		if f.v < 0 || f.v > 100 {
			return fmt.Errorf("ownership: %s must be between 0 and 100, got %d", f.name, f.v)
		}
	}
	return nil
}

func threshold(v int) int {
	if v <= 0 {
		return DefaultThreshold
	}
	return v
}

// FieldResult is the comparison of one applicant field with an account's owners.
type FieldResult struct {
	// Score is 0–100: 100 identical, 99 identical after normalization, 90–98 strong,
	// 70–89 match, 50–69 review, below 50 unlikely.
	Score int `json:"score"`
	// Match is Score ≥ the policy threshold, except that a family-member or
	// business-name outcome is never a match.
	Match bool `json:"match"`
	// OwnerIndex is the position in the owners list of the owner compared.
	OwnerIndex int `json:"owner_index"`
	// Reasons are stable machine codes saying why, e.g. "name_order_swapped",
	// "nickname:betsy=elizabeth", "unit_mismatch". See the package documentation.
	Reasons []string `json:"reasons"`

	// Name flags (set on name results only).
	IsNicknameMatch        *bool `json:"is_nickname_match,omitempty"`
	IsFirstOrLastNameMatch *bool `json:"is_first_or_last_name_match,omitempty"`
	IsBusinessNameDetected *bool `json:"is_business_name_detected,omitempty"`

	// Address flags (set on address results only). IsPostalCodeMatch is absent when
	// either side has no ZIP code.
	IsPostalCodeMatch *bool `json:"is_postal_code_match,omitempty"`
	IsUnitMismatch    *bool `json:"is_unit_mismatch,omitempty"`
}

// OwnerResult holds the comparison of the applicant with one owner; a nil field means
// the applicant or that owner has no value for it.
type OwnerResult struct {
	Index   int          `json:"index"`
	Name    *FieldResult `json:"name"`
	Email   *FieldResult `json:"email"`
	Phone   *FieldResult `json:"phone"`
	Address *FieldResult `json:"address"`
}

// Result is the comparison of an applicant with all owners of an account. Each field
// holds the best owner for that field (nil when no owner could be compared), and
// Owners holds every owner's results, for storage and explanation.
type Result struct {
	Name    *FieldResult  `json:"name"`
	Email   *FieldResult  `json:"email"`
	Phone   *FieldResult  `json:"phone"`
	Address *FieldResult  `json:"address"`
	Owners  []OwnerResult `json:"owners"`
}

// preparedApplicant holds the applicant's fields parsed once for all owners.
type preparedApplicant struct {
	name    *parsedName
	email   *email
	phone   *phone
	address *addr
	hint    addrHint
}

// maxFieldLen caps the bytes of any field that are read. Real values are far shorter
// (Stripe allows 256 for a name, 512 for an e-mail); the cap keeps the cost of a
// hostile input bounded.
const maxFieldLen = 1024

// clip shortens s to at most maxFieldLen bytes, on a rune boundary.
func clip(s string) string {
	if len(s) <= maxFieldLen {
		return s
	}
	i := maxFieldLen
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

func clipAddress(a *Address) *Address {
	if a == nil {
		return nil
	}
	c := *a
	c.Line1, c.Line2, c.City, c.State, c.PostalCode, c.Country = clip(c.Line1), clip(c.Line2), clip(c.City), clip(c.State), clip(c.PostalCode), clip(c.Country)
	return &c
}

func prepare(a Applicant) preparedApplicant {
	var p preparedApplicant
	a.Name, a.Email, a.Phone, a.Address = clip(a.Name), clip(a.Email), clip(a.Phone), clipAddress(a.Address)
	if strings.TrimSpace(a.Name) != "" {
		n := parseName(a.Name)
		for i := range n.persons {
			n.persons[i].ordered = true
			for k := range n.persons[i].toks {
				n.persons[i].toks[k].trunc = false // only the bank truncates
			}
			n.persons[i].groups = groupsOf(n.persons[i].toks)
		}
		p.name = &n
	}
	if strings.TrimSpace(a.Email) != "" {
		e := parseEmail(a.Email)
		p.email = &e
	}
	if strings.TrimSpace(a.Phone) != "" {
		ph := parsePhone(a.Phone)
		p.phone = &ph
	}
	if !a.Address.IsZero() {
		ad := parseApplicantAddress(a.Address)
		p.address = &ad
		p.hint = addrHint{city: ad.city, state: ad.state}
	}
	return p
}

// Match compares an applicant with every owner of an account, field by field.
func Match(a Applicant, owners []Owner, p Policy) Result {
	pa := prepare(a)
	res := Result{Owners: make([]OwnerResult, len(owners))}
	for i := range owners {
		or := matchOwner(&pa, &owners[i], p, i)
		res.Owners[i] = or
		res.Name = bestOf(res.Name, or.Name)
		res.Email = bestOf(res.Email, or.Email)
		res.Phone = bestOf(res.Phone, or.Phone)
		res.Address = bestOf(res.Address, or.Address)
	}
	return res
}

// bestOf keeps the better of two results: a match over a non-match, then the higher
// score, then the earlier owner.
func bestOf(cur, cand *FieldResult) *FieldResult {
	switch {
	case cand == nil:
		return cur
	case cur == nil:
		return cand
	case cand.Match != cur.Match:
		if cand.Match {
			return cand
		}
		return cur
	case cand.Score > cur.Score:
		return cand
	}
	return cur
}

func matchOwner(pa *preparedApplicant, o *Owner, p Policy, idx int) OwnerResult {
	r := OwnerResult{Index: idx}
	o = &Owner{Name: clip(o.Name), Email: clip(o.Email), Phone: clip(o.Phone), RawAddress: clip(o.RawAddress)}
	if pa.name != nil && strings.TrimSpace(o.Name) != "" {
		var c nameOutcome
		if sameText(pa.name.raw, o.Name) {
			// The same text needs no parsing; it names a business if the applicant's does.
			c = nameOutcome{score: 100, reasons: []string{"exact"}, business: len(pa.name.entities) > 0}
		} else {
			on := parseName(o.Name)
			c = compareNames(pa.name, &on)
		}
		fr := &FieldResult{Score: clampScore(c.score), Reasons: c.reasons}
		fr.Match = fr.Score >= threshold(p.NameThreshold) && !c.block
		fr.IsNicknameMatch = boolPtr(c.nickname && fr.Match)
		fr.IsFirstOrLastNameMatch = boolPtr(c.family)
		fr.IsBusinessNameDetected = boolPtr(c.business)
		r.Name = fr
	}
	if pa.email != nil && strings.TrimSpace(o.Email) != "" {
		s, reasons := compareEmails(*pa.email, parseEmail(o.Email))
		r.Email = &FieldResult{Score: clampScore(s), Reasons: reasons}
		r.Email.Match = r.Email.Score >= threshold(p.EmailThreshold)
	}
	if pa.phone != nil && strings.TrimSpace(o.Phone) != "" {
		best, bestReasons := -1, []string(nil)
		for _, op := range parsePhones(o.Phone) {
			if s, reasons := comparePhones(*pa.phone, op); s > best {
				best, bestReasons = s, reasons
			}
		}
		r.Phone = &FieldResult{Score: clampScore(best), Reasons: bestReasons}
		r.Phone.Match = r.Phone.Score >= threshold(p.PhoneThreshold)
	}
	if pa.address != nil && strings.TrimSpace(o.RawAddress) != "" {
		oa := parseRawAddress(o.RawAddress, pa.hint)
		c := compareAddresses(pa.address, &oa)
		fr := &FieldResult{Score: clampScore(c.score), Reasons: c.reasons}
		fr.Match = fr.Score >= threshold(p.AddressThreshold)
		fr.IsPostalCodeMatch = c.postalMatch
		fr.IsUnitMismatch = boolPtr(c.unitMismatch)
		r.Address = fr
	}
	for _, f := range []*FieldResult{r.Name, r.Email, r.Phone, r.Address} {
		if f != nil {
			f.OwnerIndex = idx
			if f.Reasons == nil {
				f.Reasons = []string{}
			}
		}
	}
	return r
}

func clampScore(s int) int { return max(0, min(100, s)) }

func boolPtr(b bool) *bool { return &b }
