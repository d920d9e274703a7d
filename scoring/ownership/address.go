package ownership

import (
	"strings"
	"unicode/utf8"
)

// addr is a postal address parsed into USPS components, every word in its standard
// abbreviation (Street→st, North→n, Apartment→apt).
type addr struct {
	words   []string // folded words before standardization, for exact equality
	tokens  []string // all standardized words, for addresses that do not parse
	poBox   string   // box number when the address is a PO box
	route   string   // "rr 2" or "hc 1" for rural routes; number then holds the box
	number  string   // house number, with a fraction or letter (123 1/2, 12b)
	preDir  string
	street  []string // street name words
	suffix  string   // street type (st, ave, ...)
	postDir string
	units   []string // unit identifiers (4b); designators dropped except bare ones (rear)
	city    []string
	state   string // postal code of the state, or the folded region name
	zip5    string
	zip4    string
	foreign bool // outside the US: compared word by word
	parsed  bool // a house number and street, a PO box or a rural route was found
}

// atok is one lexed address word; brk marks a comma or line break before it.
type atok struct {
	s   string
	brk bool
}

// lexAddr splits an address into folded words, noting commas and line breaks. Words
// are substrings of one folded buffer.
func lexAddr(s string) []atok {
	buf := make([]byte, 0, len(s)+4)
	type span struct {
		b0, b1 int
		brk    bool
	}
	spans := make([]span, 0, 12)
	start := 0
	brk := false
	emit := func() {
		if len(buf) > start {
			spans = append(spans, span{start, len(buf), brk})
			start = len(buf)
			brk = false
		}
	}
	for i, r := range s {
		if r < utf8.RuneSelf {
			// ASCII fast path: letters and digits straight into the buffer.
			switch c := byte(r); {
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				buf = append(buf, c)
				continue
			case c >= 'A' && c <= 'Z':
				buf = append(buf, c+'a'-'A')
				continue
			case c == ' ':
				emit()
				continue
			}
		}
		if isApostrophe(r) || r == '.' {
			continue
		}
		if f, ok := foldRune(r); ok {
			buf = append(buf, f...)
			continue
		}
		switch {
		case isHyphen(r) || r == '/':
			next := nextRune(s, i)
			word := len(buf) > start
			lastDigit := word && isDigitByte(buf[len(buf)-1])
			switch {
			case lastDigit && next >= '0' && next <= '9':
				// 62704-1234, 123-45, 1/2
				if r == '/' {
					buf = append(buf, '/')
				} else {
					buf = append(buf, '-')
				}
			case r != '/' && word && isAlnumRune(next) && (len(buf)-start == 1 && next >= '0' && next <= '9' || lastDigit && !isAlnumRune(nextRune(s, i+utf8.RuneLen(next)))):
				// 4-B and B-4 are unit numbers: join them.
			default:
				emit()
			}
		case r == '#':
			emit()
			buf = append(buf, '#')
			emit()
		case r == ',' || r == ';' || r == '\n' || r == '\r':
			emit()
			brk = len(spans) > 0
		case r == fieldSep:
			emit()
			spans = append(spans, span{-1, -1, false})
			brk = false
		default:
			emit()
		}
	}
	emit()
	folded := string(buf)
	toks := make([]atok, len(spans))
	for i, sp := range spans {
		if sp.b0 < 0 {
			toks[i] = atok{s: string(fieldSep)}
			continue
		}
		toks[i] = atok{s: folded[sp.b0:sp.b1], brk: sp.brk}
	}
	return toks
}

// fieldSep separates the fields of a structured address lexed in one pass.
const fieldSep = '\x1e'

func isAlnumRune(r rune) bool {
	if r == 0 || isApostrophe(r) {
		return false
	}
	_, ok := foldRune(r)
	return ok
}

// standardize maps every word to its USPS spelling and rewrites multi-word forms:
// PO boxes, rural routes, county and state roads.
func standardize(in []atok) []atok {
	return appendStandard(make([]atok, 0, len(in)), in)
}

// appendStandard appends the standardized form of in to out.
func appendStandard(out, in []atok) []atok {
	for i := 0; i < len(in); i++ {
		t := in[i]
		next := func(k int) string {
			if i+k < len(in) {
				return in[i+k].s
			}
			return ""
		}
		switch {
		case t.s == "p" && next(1) == "o" && next(2) == "box":
			out = append(out, atok{"pobox", t.brk})
			i += 2
		case t.s == "p" && next(1) == "o" && next(2) == "b":
			out = append(out, atok{"pobox", t.brk})
			i += 2
		case (t.s == "po" || t.s == "post") && next(1) == "box":
			out = append(out, atok{"pobox", t.brk})
			i++
		case t.s == "post" && (next(1) == "office" || next(1) == "ofc") && next(2) == "box":
			out = append(out, atok{"pobox", t.brk})
			i += 2
		case t.s == "pob" || t.s == "pobox":
			out = append(out, atok{"pobox", t.brk})
		case t.s == "box" && (i == 0 || t.brk) && hasDigit(next(1)):
			out = append(out, atok{"pobox", t.brk})
		case t.s == "rural" && (next(1) == "route" || next(1) == "rte" || next(1) == "rt"):
			out = append(out, atok{"rr", t.brk})
			i++
		case t.s == "rfd" || (t.s == "rt" && i == 0 && hasDigit(next(1))):
			out = append(out, atok{"rr", t.brk})
		case (t.s == "highway" || t.s == "hwy") && next(1) == "contract":
			out = append(out, atok{"hc", t.brk})
			i++
		case (t.s == "county" || t.s == "co" || t.s == "cnty") && (next(1) == "road" || next(1) == "rd"):
			out = append(out, atok{"cr", t.brk})
			i++
		case t.s == "state" && (next(1) == "route" || next(1) == "rte" || next(1) == "road" || next(1) == "rd"):
			out = append(out, atok{"state", t.brk}, atok{"rte", false})
			i++
		case t.s == "us" && (next(1) == "highway" || next(1) == "hwy") && hasDigit(next(2)):
			out = append(out, atok{"hwy", t.brk})
			i++
		case t.s == "farm" && next(1) == "to" && next(2) == "market":
			out = append(out, atok{"fm", t.brk})
			i += 2
			if next(1) == "road" || next(1) == "rd" {
				i++
			}
		case t.s == "fm" && (next(1) == "road" || next(1) == "rd"):
			out = append(out, atok{"fm", t.brk})
			i++
		case t.s == "interstate":
			out = append(out, atok{"i", t.brk})
		case (i == 0 || t.brk) && numberWords[t.s] != "" && i+1 < len(in) && !hasDigit(next(1)):
			// ONE MICROSOFT WAY: a house number written as a word.
			out = append(out, atok{numberWords[t.s], t.brk})
		case t.s == "sr" && hasDigit(next(1)):
			out = append(out, atok{"state", t.brk}, atok{"rte", false})
		case t.s == "sh" && hasDigit(next(1)):
			out = append(out, atok{"state", t.brk}, atok{"hwy", false})
		default:
			out = append(out, atok{canonAddrToken(t.s), t.brk})
		}
	}
	return out
}

// addrHint is what the applicant gave, used to read an owner's free-text address where
// its layout is ambiguous: the city, to split "123 MAIN ST SPRINGFIELD", and the
// state, to read "SPRINGFIELD IL" without a ZIP code.
type addrHint struct {
	city  []string
	state string
}

// highwayWords name numbered roads; the number after them is the road, not a unit.
var highwayWords = setOf(`hwy rte fm cr i expy fwy tpke pike rr hc`)

// numberWords spell small house numbers (ONE MICROSOFT WAY).
var numberWords = map[string]string{"one": "1", "two": "2", "three": "3", "four": "4",
	"five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
	"eleven": "11", "twelve": "12"}

// parseRawAddress parses a free-text address as a bank reports it ("123 MAIN ST APT
// 4B, SPRINGFIELD, IL 62704-1234").
func parseRawAddress(s string, hint addrHint) addr {
	lexed := lexAddr(s)
	var a addr
	a.words = make([]string, len(lexed))
	for i, t := range lexed {
		a.words[i] = t.s
	}
	toks := standardize(lexed)
	end := len(toks)
	end, a.foreign = stripCountry(toks, end)
	a.tokens = make([]string, end)
	for i, t := range toks[:end] {
		a.tokens[i] = t.s
	}
	if a.foreign {
		return a
	}
	end = a.takeZipState(toks, end, hint.state)
	a.parseLines(toks[:end], hint.city)
	return a
}

// stripCountry removes a trailing country name and reports whether it is foreign.
func stripCountry(toks []atok, end int) (int, bool) {
	for _, c := range usWords {
		if hasTail(toks[:end], c) && end > len(c) {
			return end - len(c), false
		}
	}
	for _, c := range foreignWords {
		if hasTail(toks[:end], c) && end > len(c) {
			return end - len(c), true
		}
	}
	return end, false
}

func hasTail(toks []atok, words []string) bool {
	if len(words) > len(toks) {
		return false
	}
	off := len(toks) - len(words)
	for i, w := range words {
		if toks[off+i].s != w {
			return false
		}
	}
	return true
}

// takeZipState reads the ZIP code and state from the end of the address.
func (a *addr) takeZipState(toks []atok, end int, stateHint string) int {
	if end >= 2 {
		z := toks[end-1].s
		switch {
		case isZip(z):
			a.zip5, a.zip4 = splitZip(z)
			end--
		case isDigits(z, 4) && isDigits(toks[end-2].s, 5) && end >= 3 && stateAt(toks, end-1) != "":
			a.zip5, a.zip4 = toks[end-2].s, z
			end -= 2
		case isDigits(z, 4) && stateAt(toks, end-1) != "" && end >= 3:
			// A ZIP code that lost its leading zero in a spreadsheet (2134 for 02134).
			a.zip5 = "0" + z
			end--
		}
	}
	for l := min(maxStateLen, end-1); l >= 1; l-- {
		if l > 1 && !stateFirstWords[toks[end-l].s] {
			continue
		}
		code, ok := stateByWords[joinToks(toks[end-l:end])]
		if !ok {
			continue
		}
		// Without a ZIP code, a state must stand in its own comma-separated part or be
		// the applicant's state, so that "123 OAK CT" keeps its court.
		if a.zip5 == "" && !toks[end-l].brk && code != stateHint || end-l < 2 {
			continue
		}
		a.state = code
		end -= l
		break
	}
	return end
}

// stateAt returns the state code of the words just before position end, if any.
func stateAt(toks []atok, end int) string {
	for l := min(maxStateLen, end-1); l >= 1; l-- {
		if l > 1 && !stateFirstWords[toks[end-l].s] {
			continue
		}
		if code, ok := stateByWords[joinToks(toks[end-l:end])]; ok {
			return code
		}
	}
	return ""
}

func joinToks(toks []atok) string {
	if len(toks) == 1 {
		return toks[0].s
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.s)
	}
	return b.String()
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if !isDigitByte(s[i]) {
			return false
		}
	}
	return true
}

// isZip reports whether s is a ZIP code: 12345, 123456789 or 12345-6789.
func isZip(s string) bool {
	return isDigits(s, 5) || isDigits(s, 9) || len(s) == 10 && s[5] == '-' && isDigits(s[:5], 5) && isDigits(s[6:], 4)
}

func splitZip(s string) (string, string) {
	switch len(s) {
	case 9:
		return s[:5], s[5:]
	case 10:
		return s[:5], s[6:]
	}
	return s, ""
}

// parseLines parses what precedes the state: the delivery line(s) and the city.
func (a *addr) parseLines(toks []atok, cityHint []string) {
	// Split at commas and line breaks; the lines are views of one slice.
	words := make([]string, len(toks))
	segs := make([][]string, 0, 4)
	start := 0
	for i, t := range toks {
		words[i] = t.s
		if t.brk && i > start {
			segs = append(segs, words[start:i:i])
			start = i
		}
	}
	if len(toks) > start {
		segs = append(segs, words[start:len(toks):len(toks)])
	}
	primary := -1
	for i, sg := range segs {
		if startsDelivery(sg) {
			primary = i
			break
		}
	}
	if primary < 0 {
		return
	}
	a.parsed = true
	cityFound := false
	for i := len(segs) - 1; i > primary; i-- {
		sg := segs[i]
		switch {
		case isUnitWord(sg[0]) || hasDigit(sg[0]) && len(sg) <= 2:
			a.units = append(parseUnits(sg), a.units...)
		case sg[0] == "pobox":
			a.poBox = unitID(at(sg, 1))
			if !cityFound && len(sg) > 2 {
				a.city, cityFound = sg[2:], true
			}
		case !cityFound:
			a.city, cityFound = sg, true
		}
	}
	rest := a.parseDelivery(segs[primary])
	if a.poBox != "" || a.route != "" {
		// A box or rural route has no street: what follows is the city.
		if !cityFound {
			a.city = rest
		}
		return
	}
	if !cityFound && len(rest) > 0 {
		street, city := cutCity(rest, cityHint)
		a.city = city
		rest = street
	}
	a.parseStreet(rest)
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return ""
}

// startsDelivery reports whether a line starts a delivery address: a house number, a
// PO box, a rural route, or a unit followed by a house number.
func startsDelivery(sg []string) bool {
	if len(sg) == 0 {
		return false
	}
	switch {
	case hasDigit(sg[0]) && isDigitByte(sg[0][0]):
		return true
	case sg[0] == "pobox" || (sg[0] == "rr" || sg[0] == "hc") && len(sg) > 1:
		return true
	case isUnitWord(sg[0]) && len(sg) > 2 && isDigitByte(sg[2][0]):
		return true
	}
	return false
}

// parseDelivery reads the house number, PO box or rural route at the start of a line
// and returns the words after it.
func (a *addr) parseDelivery(sg []string) []string {
	if isUnitWord(sg[0]) && len(sg) > 2 && isDigitByte(sg[2][0]) {
		a.units = append(a.units, unitID(sg[1]))
		sg = sg[2:]
	}
	switch sg[0] {
	case "pobox":
		a.poBox = unitID(at(sg, 1))
		return sg[min(2, len(sg)):]
	case "rr", "hc":
		a.route = sg[0] + " " + unitID(at(sg, 1))
		rest := sg[min(2, len(sg)):]
		if len(rest) >= 2 && (rest[0] == "box" || rest[0] == "pobox") {
			a.number = unitID(rest[1])
			rest = rest[2:]
		}
		return rest
	}
	a.number = sg[0]
	i := 1
	if i < len(sg) && strings.Contains(sg[i], "/") {
		a.number += " " + sg[i] // 123 1/2
		i++
	}
	if i+1 < len(sg) && len(sg[i]) == 1 && directionals[sg[i]] == "" && !isDigitByte(sg[i][0]) {
		a.number += sg[i] // 123 B MAIN ST
		i++
	}
	return sg[i:]
}

// cutCity splits a single line "main st apt 4 springfield" into the street part and
// the city, using the applicant's city when it is there and the street suffix if not.
func cutCity(s []string, hint []string) (street, city []string) {
	n := len(s)
	if len(hint) > 0 {
		// Try the applicant's city at the end of the line: spelt the same first, then
		// with a typo or cut short, allowing one word more or less.
		h := strings.Join(hint, "")
		k := len(hint)
		for _, exact := range []bool{true, false} {
			for _, c := range []int{n - k, n - k - 1, n - k + 1} {
				if c < 1 || c >= n {
					continue
				}
				cand := strings.Join(s[c:], "")
				if hasDigit(cand) {
					continue
				}
				if r := cityRel(h, cand); r == "same" || !exact && r != "" {
					return s[:c], s[c:]
				}
			}
		}
	}
	for i := 1; i < n; i++ {
		if isUnitWord(s[i]) {
			j := i + 1
			if !unitWithoutID[unitWords[s[i]]] && j < n {
				j++
			}
			return s[:j], s[j:]
		}
	}
	for p := 1; p < n-1; p++ {
		if !suffixStd[s[p]] || suffixStd[s[p+1]] {
			continue
		}
		if highwayWords[s[p]] && hasDigit(s[p+1]) {
			p++ // HWY 101: the number is part of the street
			if p >= n-1 {
				break
			}
		}
		q := p + 1
		if directionals[s[q]] != "" && q+1 < n {
			q++
		}
		if q < n && hasDigit(s[q]) && q+1 < n {
			q++ // a unit number without a designator: MAIN ST 4B SPRINGFIELD
		}
		return s[:q], s[q:]
	}
	return s, nil
}

// cityRel compares the applicant's city x with the bank's y (spaces removed) and
// returns "" when they differ, or how they agree: "same", "typo" or "truncated" (the
// bank cut the name short).
func cityRel(x, y string) string {
	switch {
	case x == "" || y == "":
		return ""
	case x == y:
		return "same"
	case len(y) >= 5 && len(y) < len(x) && strings.HasPrefix(x, y):
		return "truncated"
	}
	n := min(len(x), len(y))
	maxd := 0
	switch {
	case n >= 10:
		maxd = 2
	case n >= 5:
		maxd = 1
	}
	if maxd > 0 && osaDistance(x, y, maxd) <= maxd {
		return "typo"
	}
	return ""
}

// parseStreet reads "[predir] name [suffix] [postdir] [unit ...]".
func (a *addr) parseStreet(s []string) {
	core := s
	for i := 1; i < len(s); i++ {
		if isUnitWord(s[i]) {
			core = s[:i]
			a.units = append(a.units, parseUnits(s[i:])...)
			break
		}
	}
	// A bare unit number after the suffix: MAIN ST 4B.
	if n := len(core); n >= 3 && hasDigit(core[n-1]) && suffixStd[core[n-2]] && !highwayWords[core[n-2]] {
		a.units = append(a.units, unitID(core[n-1]))
		core = core[:n-1]
	}
	if n := len(core); n >= 2 && directionals[core[n-1]] != "" && (suffixStd[core[n-2]] || n >= 3) {
		a.postDir = core[n-1]
		core = core[:n-1]
	}
	if n := len(core); n >= 2 && suffixStd[core[n-1]] {
		a.suffix = core[n-1]
		core = core[:n-1]
	}
	if len(core) >= 2 && directionals[core[0]] != "" {
		a.preDir = core[0]
		core = core[1:]
	}
	a.street = core
}

func isUnitWord(s string) bool {
	_, ok := unitWords[s]
	return ok
}

// parseUnits reads unit designators and their identifiers: "apt 4b", "# 12",
// "bldg 3 apt 12", "rear".
func parseUnits(s []string) []string {
	var ids []string
	for i := 0; i < len(s); i++ {
		w := s[i]
		if u, ok := unitWords[w]; ok {
			if unitWithoutID[u] {
				ids = append(ids, u)
				continue
			}
			if i+1 < len(s) && !isUnitWord(s[i+1]) {
				ids = append(ids, unitID(s[i+1]))
				i++
			}
			continue
		}
		ids = append(ids, unitID(w))
	}
	return ids
}

// unitID drops leading zeros from a unit or box number (APT 04 = APT 4).
func unitID(s string) string {
	t := strings.TrimLeft(s, "0")
	if t == "" {
		return s
	}
	return t
}

// Address is a structured postal address as an applicant enters it.
type Address struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	City       string `json:"city"`
	State      string `json:"state"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

// IsZero reports whether the address has no content at all.
func (a *Address) IsZero() bool {
	if a == nil {
		return true
	}
	for _, f := range []string{a.Line1, a.Line2, a.City, a.State, a.PostalCode} {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// parseApplicantAddress parses a structured address.
func parseApplicantAddress(in *Address) addr {
	var a addr
	// Lex the five fields in one pass, separated by fieldSep, then cut them apart.
	fields := [5]string{in.Line1, in.Line2, in.City, in.State, in.PostalCode}
	for i, f := range fields {
		if strings.ContainsRune(f, fieldSep) {
			fields[i] = strings.ReplaceAll(f, string(fieldSep), " ")
		}
	}
	all := lexAddr(fields[0] + string(fieldSep) + fields[1] + string(fieldSep) + fields[2] +
		string(fieldSep) + fields[3] + string(fieldSep) + fields[4])
	var lex [5][]atok
	k, start := 0, 0
	for i, t := range all {
		if t.s == string(fieldSep) {
			lex[k] = all[start:i:i]
			k++
			start = i + 1
		}
	}
	lex[k] = all[start:]
	a.words = make([]string, 0, len(all))
	for _, l := range lex {
		for _, t := range l {
			a.words = append(a.words, t.s)
		}
	}
	// Standardize the first four fields into one buffer, then view each.
	stdToks := make([]atok, 0, len(all)+2)
	var bounds [5]int
	for i := 0; i < 4; i++ {
		stdToks = appendStandard(stdToks, lex[i])
		bounds[i+1] = len(stdToks)
	}
	words := make([]string, len(stdToks), len(stdToks)+len(lex[4]))
	for i, t := range stdToks {
		words[i] = t.s
	}
	var std [4][]string
	for i := 0; i < 4; i++ {
		std[i] = words[bounds[i]:bounds[i+1]:bounds[i+1]]
	}
	a.tokens = words
	for _, t := range lex[4] {
		a.tokens = append(a.tokens, t.s)
	}
	if !isUSCountry(in.Country) {
		a.foreign = true
		return a
	}
	if l1 := std[0]; len(l1) > 0 && startsDelivery(l1) {
		a.parsed = true
		a.parseStreet(a.parseDelivery(l1))
	}
	if l2 := std[1]; len(l2) > 0 {
		if l2[0] == "pobox" {
			a.poBox = unitID(at(l2, 1))
			a.parsed = true
		} else {
			a.units = append(a.units, parseUnits(l2)...)
		}
	}
	a.city = std[2]
	if st := strings.Join(std[3], " "); st != "" {
		if code, ok := stateByWords[st]; ok {
			a.state = code
		} else {
			a.state = st
		}
	}
	var pc string
	switch z := lex[4]; len(z) {
	case 0:
	case 1:
		pc = z[0].s
	default:
		parts := make([]string, len(z))
		for i, t := range z {
			parts[i] = t.s
		}
		pc = strings.Join(parts, "-")
	}
	switch {
	case isZip(pc):
		a.zip5, a.zip4 = splitZip(pc)
	case isDigits(pc, 4):
		a.zip5 = "0" + pc
	case pc != "":
		a.zip5 = pc
	}
	return a
}

// isUSCountry reports whether a country field means the United States; empty counts.
func isUSCountry(c string) bool {
	c = strings.TrimSpace(c)
	if c == "" {
		return true
	}
	switch foldString(c) {
	case "us", "usa", "united states", "united states of america", "u s", "u s a", "america":
		return true
	}
	return false
}
