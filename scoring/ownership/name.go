package ownership

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token kinds produced by the name lexer.
const (
	tWord  = iota
	tAmp   // &, +, "and", "or", "and/or", "/" between names: another person follows
	tComma // ,
	tSemi  // ; or a line break
)

// ntok is one lexed piece of a name string.
type ntok struct {
	s     string // folded lowercase ASCII
	alt   string // second spelling of s (ä→ae, đ→dj), "" when there is none
	kind  int
	hy    bool   // joined to the previous word by a hyphen (Rodriguez-Sanchez)
	dot   bool   // a single letter written with a period (J.)
	slash bool   // followed directly by a slash (d/b/a)
	trunc bool   // the final word of a long owner string: a bank may have cut it short
	cls   uint32 // word classes (cHonorific, ...), looked up once when lexed
}

// Word classes of name words, as bits, so that each word is looked up once.
const (
	cHonorific uint32 = 1 << iota
	cSuffix
	cCredential
	cParticle
	cLegalForm
	cWeakForm
	cBusiness
	cWeakBusiness
	cTrustWord
	cTrustee
	cCustodian
	cMinorAct
	cBeneficiaryPre
	cFiduciary
	cEstate
	cJointTenancy
	cTenancyFiller
	cRoleFiller
	cMonth
)

// nameClass maps a folded word to its classes.
var nameClass = map[string]uint32{}

func init() {
	for _, c := range []struct {
		bit uint32
		set map[string]bool
	}{
		{cHonorific, honorifics}, {cCredential, credentials}, {cParticle, particles},
		{cWeakForm, weakForms}, {cBusiness, businessWords}, {cWeakBusiness, weakBusiness},
		{cTrustWord, trustWords}, {cTrustee, trusteeWords}, {cCustodian, custodianWords},
		{cMinorAct, minorActWords}, {cBeneficiaryPre, beneficiaryPre}, {cFiduciary, fiduciaryWords},
		{cEstate, estateWords}, {cJointTenancy, jointTenancy}, {cTenancyFiller, tenancyFiller},
		{cRoleFiller, roleFiller}, {cMonth, months},
	} {
		for w := range c.set {
			nameClass[w] |= c.bit
		}
	}
	for w := range suffixes {
		nameClass[w] |= cSuffix
	}
	for w := range legalForms {
		nameClass[w] |= cLegalForm
	}
}

// is reports whether the word belongs to any of the classes c.
func (t ntok) is(c uint32) bool { return t.cls&c != 0 }

// word returns a lexed word with its classes.
func word(s string) ntok { return ntok{s: s, kind: tWord, cls: nameClass[s]} }

// truncMinLen is the shortest owner name (in folded bytes) that a bank is assumed to
// have truncated; shorter names end where they end.
const truncMinLen = 15

// person is one human named in a name string, in given-name-first order when known.
type person struct {
	toks    []ntok
	ordered bool   // order is known: written "Last, First" and reordered
	suffix  string // generational suffix: jr, sr, ii, iii, iv
	role    string // "" for an ordinary owner; see roleReasons
	groups  []grp  // name parts, computed once for an applicant
}

// entity is a business, trust or other organisation named in a name string.
type entity struct {
	toks []string // folded words, legal form included
	core []string // words that name it: legal forms and filler removed
	form string   // canonical legal form (llc, inc, corp, ltd, trust, ...) or ""
	role string
}

// parsedName is a name string split into the people and organisations it names.
type parsedName struct {
	raw        string // the original string, for exact equality
	persons    []person
	entities   []entity
	honorific  bool // an honorific (Mr, Dr, ...) was removed
	credential bool // a credential (MD, PhD, ...) was removed
	diacritics bool // a letter outside ASCII was folded
	joint      bool // the string names more than one party
	dba        bool // "doing business as": a person trading under a business name
}

// honorifics are titles dropped from the front of a person's name.
var honorifics = setOf(`mr mrs ms miss mstr mx dr doctor prof professor rev reverend
	pastor rabbi imam fr sir dame hon honorable judge capt captain col colonel lt maj major
	gen general sgt cpl pvt adm cmdr sra srta mme mlle herr frau sen rep gov`)

// generational suffixes, mapped to one spelling.
var suffixes = map[string]string{
	"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr",
	"ii": "ii", "2nd": "ii", "iii": "iii", "3rd": "iii", "iv": "iv", "4th": "iv",
}

// credentials are degrees and post-nominals dropped from the end of a name.
var credentials = setOf(`md phd dds dmd dvm jd esq esquire cpa rn mba cfa cfp lcsw
	pharmd edd psyd facs ret usn usmc usaf`)

// particles start compound surnames (van der Berg, de la Cruz).
var particles = setOf(`van von der den de del della dela di da dos das du la le st ter ten
	bin ibn al el mc mac`)

// legalForms end a business name; they are kept apart from the words that name it.
var legalForms = map[string]string{
	"llc": "llc", "inc": "inc", "incorporated": "inc", "corp": "corp", "corporation": "corp",
	"co": "co", "company": "co", "ltd": "ltd", "limited": "ltd", "llp": "llp", "lp": "lp",
	"lllp": "lllp", "pllc": "pllc", "plc": "plc", "pc": "pc", "pa": "pa", "gmbh": "gmbh",
	"trust": "trust", "foundation": "foundation", "fdn": "foundation",
	"assn": "association", "association": "association", "partnership": "partnership",
	"cooperative": "coop", "coop": "coop",
}

// weakForms are legal forms that are also ordinary words or initials and only count
// after at least one other word (SMITH & CO, JONES PA).
var weakForms = setOf(`co pa pc lp`)

// businessWords mark a business name even without a legal form. None of them is a
// common surname; the ambiguous ones are in weakBusiness.
var businessWords = setOf(`holdings enterprises enterprise ventures industries technologies
	technology solutions services consulting consultants properties realty ministries
	partners associates management mgmt investments capital group systems international
	intl logistics trucking construction plumbing landscaping roofing electric electrical
	cleaning restaurant cafe bakery salon studio studios design designs marketing media
	productions pharmacy dental medical clinic hospital academy school university college
	insurance agency motors automotive auto repair farms dairy supply supplies store stores
	boutique transport transportation trading imports exports builders contractors
	contracting development developers sons bros brothers society club institute council
	credit union federal county department dept firm llc inc corp ltd`)

// weakBusiness words are businesses unless they are the surname of a plain person
// name ("JOHN CHURCH" is a person, "FIRST BAPTIST CHURCH" is not).
var weakBusiness = setOf(`church law bank farm market shop center centre`)

// trustWords describe a trust rather than name it.
var trustWords = setOf(`family living revocable irrevocable rev irrev liv marital bypass
	survivors credit declaration agreement dtd dated ua uad uta udt the of`)

// role markers.
var (
	trusteeWords   = setOf(`ttee ttees trustee trustees tstee trste tte cotrustee`)
	custodianWords = setOf(`cust custodian cstdn cusdn`)
	minorActWords  = setOf(`utma ugma unif`)
	beneficiaryPre = setOf(`itf pod tod atf`)
	fiduciaryWords = setOf(`executor executrix exec exr admin administrator administratrix
		guardian gdn conservator poa payee`)
	estateWords   = setOf(`deceased decd`)
	jointTenancy  = setOf(`jtwros jtten jt wros tic tenants tenancy jtws`)
	tenancyFiller = setOf(`ten com comm common in by the entirety entireties wros with rights
		of survivorship jt tenants`)
	roleFiller = setOf(`as for the of`)
)

// markers rebuilt from single letters written with periods or slashes (D.B.A., d/b/a).
var letterMarkers = map[string]string{
	"dba": "dba", "aka": "aka", "fka": "fka", "nka": "aka", "fbo": "fbo", "pod": "pod",
	"tod": "tod", "itf": "itf", "llc": "llc", "llp": "llp", "lp": "lp", "pc": "pc",
	"pa": "pa", "ua": "ua", "uta": "ua", "udt": "ua", "cf": "cust", "co": "careof",
	"ta": "dba", "jt": "jt", "poa": "poa", "plc": "plc", "jtwros": "jtwros", "wros": "wros",
}

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// lexName splits a name string into words and separators. Words are substrings of
// one folded buffer, so lexing allocates little.
func lexName(s string) (toks []ntok, diacritics bool) {
	buf := make([]byte, 0, len(s)+8)
	type span struct {
		b0, b1 int // bytes in buf
		r0, r1 int // bytes in s, for the alternative spelling
		alt    bool
	}
	spans := make([]span, 0, 8)
	toks = make([]ntok, 0, 8)
	start, rstart := 0, 0
	hasAlt, hyNext := false, false
	emit := func(end int) {
		if len(buf) == start {
			return
		}
		spans = append(spans, span{start, len(buf), rstart, end, hasAlt})
		toks = append(toks, ntok{kind: tWord, hy: hyNext, s: "\x00"})
		start = len(buf)
		hasAlt, hyNext = false, false
	}
	sep := func(i, kind int) {
		emit(i)
		hyNext = false
		toks = append(toks, ntok{kind: kind})
	}
	for i, r := range s {
		if r < utf8.RuneSelf {
			// ASCII fast path: letters and digits straight into the buffer.
			c := byte(r)
			lower := c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
			if lower || c >= 'A' && c <= 'Z' {
				if len(buf) == start {
					rstart = i
				}
				if !lower {
					c += 'a' - 'A'
				}
				buf = append(buf, c)
				continue
			}
			if c == ' ' {
				emit(i)
				hyNext = false
				continue
			}
		}
		if isApostrophe(r) {
			continue
		}
		if f, ok := foldRune(r); ok {
			if len(buf) == start {
				rstart = i
			}
			if r >= 0x80 {
				diacritics = true
				if _, ok := altSpelling(r); ok {
					hasAlt = true
				}
			}
			buf = append(buf, f...)
			continue
		}
		next := nextRune(s, i)
		switch {
		case isHyphen(r):
			wasWord := len(buf) > start
			emit(i)
			hyNext = wasWord && next != 0 && !isSpace(next)
		case r == '.':
			n := len(buf) - start
			emit(i)
			if n == 1 {
				toks[len(toks)-1].dot = true
			}
		case r == '&' || r == '+':
			sep(i, tAmp)
		case r == ',':
			sep(i, tComma)
		case r == ';' || r == '\n' || r == '\r':
			sep(i, tSemi)
		case r == '/' || r == '\\':
			// Digits around a slash are a date (DTD 01/15/2010): keep them together.
			if len(buf) > start && isDigitByte(buf[len(buf)-1]) && next >= '0' && next <= '9' {
				buf = append(buf, '/')
				continue
			}
			wasWord := len(buf) > start
			emit(i)
			if wasWord {
				toks[len(toks)-1].slash = true
			} else {
				toks = append(toks, ntok{kind: tAmp})
			}
		default:
			emit(i)
			hyNext = false
		}
	}
	emit(len(s))
	folded := string(buf)
	k := 0
	for i := range toks {
		if toks[i].kind != tWord {
			continue
		}
		sp := spans[k]
		k++
		toks[i].s = folded[sp.b0:sp.b1]
		toks[i].cls = nameClass[toks[i].s]
		if sp.alt {
			toks[i].alt = altFold(s[sp.r0:sp.r1])
		}
	}
	return mergeLetterMarkers(toks), diacritics
}

// altFold folds s using the second spelling of letters that have one (ä→ae, đ→dj).
func altFold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if a, ok := altSpelling(r); ok {
			b.WriteString(a)
		} else if f, ok := foldRune(r); ok {
			b.WriteString(f)
		} else if r == '/' {
			b.WriteByte('/')
		}
	}
	return b.String()
}

// nextRune returns the rune after the one at byte i of s, or 0 at the end.
func nextRune(s string, i int) rune {
	_, n := utf8.DecodeRuneInString(s[i:])
	if i+n >= len(s) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s[i+n:])
	return r
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// mergeLetterMarkers rebuilds D.B.A., d/b/a, L.L.C., c/o and and/or, and turns any
// other slash between words into a joint separator.
func mergeLetterMarkers(toks []ntok) []ntok {
	need := false
	for _, t := range toks {
		if t.slash || t.dot && len(t.s) == 1 {
			need = true
			break
		}
	}
	if !need {
		return toks
	}
	out := make([]ntok, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tWord && len(t.s) == 1 && (t.dot || t.slash) {
			j := i
			var b strings.Builder
			for j < len(toks) && toks[j].kind == tWord && len(toks[j].s) == 1 {
				b.WriteString(toks[j].s)
				last := !(toks[j].dot || toks[j].slash)
				j++
				if last {
					break
				}
			}
			if m, ok := letterMarkers[b.String()]; ok && j-i >= 2 {
				out = append(out, word(m))
				i = j - 1
				continue
			}
		}
		if t.kind == tWord && t.s == "and" && t.slash && i+1 < len(toks) && toks[i+1].s == "or" {
			out = append(out, ntok{kind: tAmp})
			i++
			continue
		}
		if t.kind == tWord && t.slash {
			t.slash = false
			out = append(out, t)
			if i+1 < len(toks) && toks[i+1].kind == tWord {
				out = append(out, ntok{kind: tAmp})
			}
			continue
		}
		out = append(out, t)
	}
	return out
}

// segment is a run of tokens that plays one role in an owner string.
type segment struct {
	toks []ntok
	role string
}

// parseName splits a name string into the people and organisations it names, with
// their roles. It never fails; an empty or meaningless string yields no parties.
func parseName(s string) parsedName {
	p := parsedName{raw: s}
	p.persons = make([]person, 0, 2)
	toks, diacritics := lexName(s)
	p.diacritics = diacritics
	if n := len(toks); n > 0 && toks[n-1].kind == tWord && foldedLen(toks) >= truncMinLen {
		toks[n-1].trunc = true
	}
	segs := splitRoles(toks, &p)
	for _, sg := range segs {
		parseSegment(sg, &p)
	}
	if len(p.persons)+len(p.entities) > 1 {
		p.joint = true
	}
	return p
}

// foldedLen is the length of the name's words joined by single spaces.
func foldedLen(toks []ntok) int {
	n := -1
	for _, t := range toks {
		if t.kind == tWord {
			n += len(t.s) + 1
		}
	}
	return n
}

// splitRoles cuts the token stream at role markers (TTEE, CUST, POD, DBA, ...) and
// gives each piece its role.
func splitRoles(toks []ntok, p *parsedName) []segment {
	segs := make([]segment, 0, 2)
	// Segments are consecutive runs of one buffer; cur.toks is always its open tail.
	buf := make([]ntok, 0, len(toks)+4)
	segStart := 0
	cur := segment{}
	next := ""
	closeSeg := func(role string) {
		if role != "" && cur.role == "" {
			cur.role = role
		}
		cur.toks = cur.toks[:len(cur.toks):len(cur.toks)]
		trimFiller(&cur)
		if hasWord(cur.toks) {
			segs = append(segs, cur)
		}
		segStart = len(buf)
		cur = segment{role: next, toks: buf[segStart:]}
		next = ""
	}
	push := func(t ntok) {
		buf = append(buf, t)
		cur.toks = buf[segStart:]
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		w := t.s
		if t.kind == tSemi {
			closeSeg("")
			continue
		}
		if t.kind != tWord {
			push(t)
			continue
		}
		nextWord := ""
		if i+1 < len(toks) && toks[i+1].kind == tWord {
			nextWord = toks[i+1].s
		}
		switch {
		case w == "dba" || (w == "doing" && nextWord == "business"):
			if w == "doing" {
				i++ // "business"
				if i+1 < len(toks) && toks[i+1].s == "as" {
					i++
				}
			}
			p.dba = true
			next = "tradename"
			closeSeg("")
		case w == "aka" || w == "fka" || w == "nka":
			next = "alias"
			closeSeg("")
		case t.is(cTrustee):
			if n := len(cur.toks); n > 0 && cur.toks[n-1].s == "co" && t.hy {
				buf = buf[:len(buf)-1]
				cur.toks = buf[segStart:]
			}
			closeSeg("trustee")
		case w == "tr" || w == "trs":
			if n := len(cur.toks); n > 0 && cur.toks[n-1].is(cTrustWord) {
				t = word("trust")
				push(t)
			} else {
				closeSeg("trustee")
			}
		case t.is(cCustodian):
			next = "minor"
			closeSeg("custodian")
		case t.is(cMinorAct):
			closeSeg("")
			i = len(toks) // the state code and act wording that follow name no one
		case t.is(cBeneficiaryPre):
			role := ""
			if w == "atf" {
				role = "trustee"
			}
			next = "beneficiary"
			closeSeg(role)
		case w == "fbo":
			next = "beneficial"
			closeSeg("")
		case w == "careof" || w == "attn" || w == "attention":
			next = "careof"
			closeSeg("")
		case (w == "estate" || w == "est") && nextWord == "of":
			i++
			next = "estate"
			closeSeg("")
		case w == "estate" && nextWord == "" && hasWord(cur.toks):
			closeSeg("estate")
		case t.is(cEstate):
			closeSeg("estate")
		case t.is(cFiduciary):
			closeSeg("fiduciary")
		case t.is(cJointTenancy):
			p.joint = true
			for i+1 < len(toks) && toks[i+1].kind == tWord && toks[i+1].is(cTenancyFiller) {
				i++
			}
		case w == "et" && (nextWord == "ux" || nextWord == "vir"):
			i++
			push(ntok{kind: tAmp})
		case w == "et" && nextWord == "al":
			i++
		case w == "etal" || w == "etux":
			if w == "etux" {
				push(ntok{kind: tAmp})
			}
		case w == "dtd" || w == "dated" || w == "ua" || w == "uad":
			for i+1 < len(toks) && toks[i+1].kind == tWord && (hasDigit(toks[i+1].s) || toks[i+1].is(cMonth)) {
				i++
			}
		default:
			push(t)
		}
	}
	closeSeg("")
	return segs
}

var months = setOf(`jan feb mar apr may jun jul aug sep sept oct nov dec january february
	march april june july august september october november december`)

// trimFiller drops "as", "for", "the", "of" and separators from the ends of a
// segment, left over from "AS TRUSTEE FOR".
func trimFiller(sg *segment) {
	for len(sg.toks) > 0 {
		t := sg.toks[0]
		if t.kind != tWord || t.is(cRoleFiller) && len(sg.toks) > 1 && sg.role != "" {
			sg.toks = sg.toks[1:]
			continue
		}
		break
	}
	for len(sg.toks) > 0 {
		t := sg.toks[len(sg.toks)-1]
		if t.kind != tWord || t.is(cRoleFiller) && t.s != "the" {
			sg.toks = sg.toks[:len(sg.toks)-1]
			continue
		}
		break
	}
	// A leading "for"/"as" also appears when the role came from the previous marker.
	for len(sg.toks) > 1 && sg.toks[0].kind == tWord && (sg.toks[0].s == "for" || sg.toks[0].s == "as") {
		sg.toks = sg.toks[1:]
	}
}

func hasWord(toks []ntok) bool {
	for _, t := range toks {
		if t.kind == tWord {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			return true
		}
	}
	return false
}

// parseSegment adds the organisations and people named in one segment to p.
func parseSegment(sg segment, p *parsedName) {
	toks := sg.toks
	for len(toks) > 0 {
		// A legal form followed by more words ends an organisation's name:
		// "SMITH FAMILY TRUST JOHN SMITH" is a trust and then a person.
		end, isEntity := entityEnd(toks)
		if !isEntity {
			break
		}
		e := makeEntity(toks[:end])
		if end == len(toks) {
			e.role = sg.role
		}
		p.entities = append(p.entities, e)
		toks = toks[end:]
		for len(toks) > 0 && toks[0].kind != tWord {
			toks = toks[1:]
		}
	}
	if len(toks) == 0 {
		return
	}
	if sg.role == "tradename" {
		// What follows DBA is a trade name even without a business word.
		p.entities = append(p.entities, makeEntity(toks))
		return
	}
	parsePersons(toks, sg.role, p)
}

// entityEnd reports whether toks name an organisation and, if so, where its name
// ends: just after the last legal form, or at the end.
func entityEnd(toks []ntok) (end int, ok bool) {
	words := 0
	lastForm := -1
	business := false
	for i, t := range toks {
		if t.kind != tWord {
			continue
		}
		words++
		if t.is(cLegalForm) {
			if t.is(cWeakForm) && words == 1 {
				continue
			}
			lastForm = i
			business = true
		} else if t.is(cBusiness) {
			business = true
		} else if t.s == "the" && words == 1 {
			business = true
		}
	}
	if !business {
		// Ambiguous words count unless the segment reads as "Given [Middle] Surname".
		first := ""
		for i, t := range toks {
			if t.kind != tWord {
				continue
			}
			if first == "" {
				first = t.s
			}
			if t.is(cWeakBusiness) && !(isGivenName(first) && i == len(toks)-1 && words <= 3) {
				business = true
			}
		}
	}
	if !business {
		return 0, false
	}
	if lastForm >= 0 {
		end = lastForm + 1
		// Only split when what follows the legal form looks like a name.
		rest := 0
		for _, t := range toks[end:] {
			if t.kind == tWord {
				rest++
			}
		}
		if rest == 0 {
			return len(toks), true
		}
		return end, true
	}
	return len(toks), true
}

// makeEntity builds an organisation from its words.
func makeEntity(toks []ntok) entity {
	var e entity
	for _, t := range toks {
		if t.kind != tWord {
			continue
		}
		e.toks = append(e.toks, t.s)
		if f, ok := legalForms[t.s]; ok && !(weakForms[t.s] && len(e.toks) == 1) {
			e.form = f
			continue
		}
		if t.s == "the" || t.s == "and" || t.s == "of" {
			continue
		}
		if e.form == "trust" || trustWords[t.s] {
			if trustWords[t.s] || hasDigit(t.s) {
				continue
			}
		}
		e.core = append(e.core, t.s)
	}
	if e.form == "trust" {
		var core []string
		for _, w := range e.core {
			if !trustWords[w] && !hasDigit(w) {
				core = append(core, w)
			}
		}
		e.core = core
	}
	return e
}

// parsePersons splits a segment on "&", "and", "or" and ";" into people, handles
// "Last, First", honorifics, suffixes and shared surnames (MARIA AND LUIS PEREZ).
func parsePersons(toks []ntok, role string, p *parsedName) {
	base := len(p.persons)
	start := 0
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) {
			t := toks[i]
			isConj := t.kind == tWord && (t.s == "and" || t.s == "or") && i > 0 && i < len(toks)-1
			if !(t.kind == tAmp || t.kind == tSemi || isConj) {
				continue
			}
		}
		if i > start {
			personsFromPart(toks[start:i:i], role, p)
		}
		start = i + 1
	}
	// A lone given name borrows the surname of its neighbour: "MARIA AND LUIS PEREZ".
	people := p.persons[base:]
	for i := range people {
		if len(people[i].toks) != 1 || len(people) < 2 {
			continue
		}
		if donor := surnameDonor(people, i); donor != nil {
			people[i].toks = append(people[i].toks[:1:1], surnameGroup(donor.toks)...)
			people[i].ordered = donor.ordered
		}
	}
}

// surnameDonor finds the person whose surname people[i] shares: the next person with a
// full name, else the previous one.
func surnameDonor(people []person, i int) *person {
	for j := i + 1; j < len(people); j++ {
		if len(people[j].toks) >= 2 {
			return &people[j]
		}
	}
	for j := i - 1; j >= 0; j-- {
		if len(people[j].toks) >= 2 {
			return &people[j]
		}
	}
	return nil
}

// surnameGroup returns the trailing surname of a given-name-first token list,
// including hyphenated parts and particles. The returned tokens are copies without
// the truncation mark.
func surnameGroup(toks []ntok) []ntok {
	i := len(toks) - 1
	for i > 1 && (toks[i].hy || toks[i-1].is(cParticle)) {
		i--
	}
	if i > 1 && toks[i].hy {
		i--
	}
	out := make([]ntok, len(toks)-i)
	copy(out, toks[i:])
	for k := range out {
		out[k].trunc = false
	}
	return out
}

// personsFromPart turns one conjunction-free part into one person, or two when a
// comma separates two full names.
func personsFromPart(part []ntok, role string, p *parsedName) {
	commas := false
	for _, t := range part {
		if t.kind == tComma {
			commas = true
			break
		}
	}
	add := func(ps person, suffix string) {
		ps.role = role
		if suffix != "" {
			ps.suffix = suffix
		}
		cleanPerson(&ps, p)
		if len(ps.toks) > 0 {
			p.persons = append(p.persons, ps)
		}
	}
	if !commas {
		add(person{toks: part}, "")
		return
	}
	var chunks [][]ntok
	start := 0
	for i := 0; i <= len(part); i++ {
		if i == len(part) || part[i].kind == tComma {
			chunks = append(chunks, part[start:i:i])
			start = i + 1
		}
	}
	// Chunks after the first made only of suffixes and credentials belong to the name
	// before them: "John Smith, Jr." and "Smith, John, MD".
	var names [][]ntok
	var suffix string
	for i, c := range chunks {
		if len(c) == 0 {
			continue
		}
		if i > 0 && allSuffixes(c) {
			for _, t := range c {
				if s, ok := suffixes[t.s]; ok {
					suffix = s
				} else {
					p.credential = true
				}
			}
			continue
		}
		names = append(names, c)
	}
	switch {
	case len(names) == 0:
	case len(names) == 1:
		add(person{toks: names[0]}, suffix)
	case len(names) == 2 && isTwoFullNames(names[0], names[1]):
		add(person{toks: names[0]}, suffix)
		add(person{toks: names[1]}, suffix)
	default:
		// "Last, First Middle": the first chunk is the surname.
		reordered := make([]ntok, 0, len(part))
		reordered = append(append(reordered, names[1]...), names[0]...)
		for _, extra := range names[2:] {
			reordered = append(reordered, extra...)
		}
		// The surname's first word does not join the given names before it.
		reordered[len(names[1])].hy = false
		add(person{toks: reordered, ordered: true}, suffix)
	}
}

func allSuffixes(c []ntok) bool {
	for _, t := range c {
		if !t.is(cSuffix | cCredential) {
			return false
		}
	}
	return true
}

// isTwoFullNames reports whether "A, B" lists two people rather than "Last, First":
// both sides have two or more words and both start with a given name.
func isTwoFullNames(a, b []ntok) bool {
	return len(a) >= 2 && len(b) >= 2 && isGivenName(a[0].s) && isGivenName(b[0].s) && !isSurnameOnly(a[0].s)
}

func isSurnameOnly(s string) bool { return isSurname(s) && !isGivenName(s) }

// cleanPerson drops honorifics, suffixes, credentials and digits.
func cleanPerson(ps *person, p *parsedName) {
	toks := ps.toks
	for _, t := range ps.toks {
		if hasDigit(t.s) && !t.is(cSuffix) {
			toks = make([]ntok, 0, len(ps.toks))
			for _, t := range ps.toks {
				if !hasDigit(t.s) || t.is(cSuffix) {
					toks = append(toks, t)
				}
			}
			break
		}
	}
	for len(toks) > 1 && toks[0].is(cHonorific) {
		toks = toks[1:]
		p.honorific = true
	}
	if len(toks) == 1 && toks[0].is(cHonorific) {
		toks = nil
		p.honorific = true
	}
	for len(toks) > 1 {
		last := toks[len(toks)-1]
		if s, ok := suffixes[last.s]; ok {
			ps.suffix = s
		} else if credentials[last.s] {
			p.credential = true
		} else {
			break
		}
		toks = toks[:len(toks)-1]
	}
	ps.toks = toks
}

// sameText reports whether a and b are equal ignoring case and runs of white space.
func sameText(a, b string) bool {
	i, j := 0, 0
	for {
		for i < len(a) && isSpaceByte(a[i]) {
			i++
		}
		for j < len(b) && isSpaceByte(b[j]) {
			j++
		}
		if i == len(a) || j == len(b) {
			return i == len(a) && j == len(b)
		}
		ra, na := utf8.DecodeRuneInString(a[i:])
		rb, nb := utf8.DecodeRuneInString(b[j:])
		if ra != rb && unicode.ToLower(ra) != unicode.ToLower(rb) {
			return false
		}
		i, j = i+na, j+nb
		// A run of spaces counts as one: both sides must have one here or neither.
		sa, sb := i < len(a) && isSpaceByte(a[i]), j < len(b) && isSpaceByte(b[j])
		if sa != sb && i < len(a) && j < len(b) {
			return false
		}
	}
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
