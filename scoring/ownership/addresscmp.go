package ownership

import (
	"slices"
	"strings"
)

// addrOutcome is the comparison of an applicant's address with one owner address.
type addrOutcome struct {
	score        int
	reasons      []string
	postalMatch  *bool // nil when either side has no ZIP code
	unitMismatch bool
}

// compareAddresses compares an applicant's address with an owner's. A different house
// number, street, city or state, or a PO box against a street address, is never a
// match; a different unit in the same building is flagged but still the building.
func compareAddresses(a, b *addr) addrOutcome {
	var out addrOutcome
	if a.zip5 != "" && b.zip5 != "" {
		m := a.zip5 == b.zip5
		out.postalMatch = &m
	}
	if len(a.words) > 0 && slices.Equal(a.words, b.words) {
		out.score, out.reasons = 100, []string{"exact"}
		return out
	}
	if a.foreign || b.foreign || !a.parsed || !b.parsed {
		out.score, out.reasons = compareAddressWords(a.tokens, b.tokens)
		return out
	}
	var comps []component
	add := func(score int, reason string) { comps = append(comps, component{score, reason}) }
	switch {
	case (a.poBox != "") != (b.poBox != ""):
		add(20, "po_box_vs_street")
	case a.poBox != "":
		if a.poBox != b.poBox {
			add(20, "po_box_mismatch")
		}
	case (a.route != "") != (b.route != ""):
		add(30, "rural_route_vs_street")
	case a.route != "" && a.route != b.route:
		add(30, "rural_route_mismatch")
	}
	if a.poBox == "" && b.poBox == "" {
		compareStreets(a, b, add)
		switch {
		case len(a.units) > 0 && len(b.units) > 0:
			if strings.Join(a.units, " ") != strings.Join(b.units, " ") {
				add(75, "unit_mismatch")
				out.unitMismatch = true
			}
		case len(a.units) > 0 || len(b.units) > 0:
			add(96, "unit_omitted")
		}
	}
	compareLocality(a, b, add)
	out.score, out.reasons = combine(comps)
	if len(out.reasons) == 0 {
		out.reasons = []string{"standardized"}
	}
	return out
}

// compareStreets compares house number, street name, type and direction.
func compareStreets(a, b *addr, add func(int, string)) {
	if houseKey(a.number) != houseKey(b.number) {
		add(25, "house_number_mismatch")
	}
	sa, sb := streetKey(a.street), streetKey(b.street)
	switch {
	case sa == sb:
	case a.suffix == "" && sa == streetKey(append(b.street[:len(b.street):len(b.street)], b.suffix)),
		b.suffix == "" && sb == streetKey(append(a.street[:len(a.street):len(a.street)], a.suffix)):
		// The suffix was read as part of the name on one side only.
	case len(sa) >= 5 && osaDistance(sa, sb, 1+len(sa)/10) <= 1+len(sa)/10 && !differentNumbers(sa, sb):
		add(90, "street_name_typo")
	default:
		add(30, "street_name_mismatch")
	}
	switch {
	case a.suffix != "" && b.suffix != "" && a.suffix != b.suffix:
		add(60, "street_suffix_mismatch")
	case a.suffix != b.suffix && sa != sb:
		// handled above as part of the name
	case a.suffix != b.suffix:
		add(97, "street_suffix_omitted")
	}
	da, db := a.preDir+a.postDir, b.preDir+b.postDir
	switch {
	case da != "" && db != "" && da != db:
		add(45, "directional_mismatch")
	case da != db:
		add(95, "directional_omitted")
	case da != "" && a.preDir != b.preDir:
		add(95, "directional_position")
	}
}

// streetKey joins street words without spaces (MC KINLEY = MCKINLEY), ignoring the
// "us"/"state" before a highway number.
func streetKey(words []string) string {
	if len(words) == 1 {
		return words[0]
	}
	var b strings.Builder
	for i, w := range words {
		if (w == "us" || w == "state") && i+1 < len(words) && (words[i+1] == "hwy" || words[i+1] == "rte") {
			continue
		}
		b.WriteString(w)
	}
	return b.String()
}

// differentNumbers reports whether two street names differ in their digits (5th and
// 6th are different streets, however close the spelling).
func differentNumbers(x, y string) bool {
	return digitsOf(x) != digitsOf(y)
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// compareLocality compares city, state and ZIP code.
func compareLocality(a, b *addr, add func(int, string)) {
	ca, cb := strings.Join(a.city, ""), strings.Join(b.city, "")
	cityOK := false
	switch {
	case ca == "" || cb == "":
		if a.zip5 == "" || b.zip5 == "" {
			add(85, "city_missing")
		} else {
			add(98, "city_missing")
		}
	default:
		switch cityRel(ca, cb) {
		case "same":
			cityOK = true
		case "typo":
			cityOK = true
			add(94, "city_typo")
		case "truncated":
			cityOK = true
			add(95, "city_truncated")
		default:
			add(55, "city_mismatch")
		}
	}
	if a.state != "" && b.state != "" && a.state != b.state {
		add(40, "state_mismatch")
	}
	switch {
	case a.zip5 != "" && b.zip5 != "":
		if a.zip5 != b.zip5 {
			if cityOK {
				add(80, "postal_code_mismatch")
			} else {
				add(50, "postal_code_mismatch")
			}
		} else if a.zip4 != "" && b.zip4 != "" && a.zip4 != b.zip4 {
			add(97, "zip4_mismatch")
		}
	case (a.zip5 == "" || b.zip5 == "") && !cityOK:
		add(80, "locality_missing")
	}
}

// compareAddressWords grades addresses that could not be parsed (foreign ones, or no
// house number): every number must agree, and the score follows the share of words
// that agree.
func compareAddressWords(x, y []string) (int, []string) {
	var nx, ny, wx, wy []string
	for _, t := range x {
		if hasDigit(t) {
			nx = append(nx, strings.ReplaceAll(t, "-", ""))
		} else {
			wx = append(wx, t)
		}
	}
	for _, t := range y {
		if hasDigit(t) {
			ny = append(ny, strings.ReplaceAll(t, "-", ""))
		} else {
			wy = append(wy, t)
		}
	}
	if len(x) == 0 || len(y) == 0 {
		return 0, []string{"no_address_match"}
	}
	if !sameMultiset(nx, ny) {
		return min(30, int(30*wordCoverage(wx, wy))), []string{"address_unparsed", "address_number_mismatch"}
	}
	c := wordCoverage(wx, wy)
	if len(wx) == 0 && len(wy) == 0 {
		c = 1
	}
	return min(95, int(100*c)-5), []string{"address_unparsed"}
}

// wordCoverage is the share of words, out of the longer list, that have an equal or
// one-typo partner in the other list.
func wordCoverage(x, y []string) float64 {
	if len(x) == 0 || len(y) == 0 {
		return 0
	}
	used := make([]bool, len(y))
	n := 0
	for _, w := range x {
		for j, v := range y {
			if used[j] {
				continue
			}
			if w == v || len(w) >= 5 && osaDistance(w, v, 1) <= 1 {
				used[j] = true
				n++
				break
			}
		}
	}
	return float64(n) / float64(max(len(x), len(y)))
}

func sameMultiset(x, y []string) bool {
	if len(x) != len(y) {
		return false
	}
	used := make([]bool, len(y))
	for _, w := range x {
		found := false
		for j, v := range y {
			if !used[j] && w == v {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// houseKey is a house number without leading zeros or hyphens (Queens writes 12-34
// for 1234).
func houseKey(n string) string {
	return strings.TrimLeft(strings.ReplaceAll(n, "-", ""), "0")
}
