package ownership

import (
	"slices"
	"strings"
)

// Name score bands, after Plaid's published calibration: 100 identical, 99 identical
// after normalization, 95–98 nickname or suffix strength, 90–94 one typo or a missing
// part of a compound surname, 70–89 weaker but still a match, 50–69 for a human to
// review, below 50 unlikely.
const (
	scoreNormalized      = 99
	scoreSuffixOmitted   = 97
	scoreVariant         = 96
	scoreNickname        = 95
	scoreHyphenPartial   = 95
	scoreParticle        = 95
	scoreTruncated       = 94
	scoreCompoundMiddle  = 93
	scoreCompoundPartial = 92
	scoreTypoFirst       = 92
	scoreTypoLast        = 91
	scoreTypoMiddle      = 95
	scoreGoesByMiddle    = 90
	scoreShortForm       = 90
	scoreGoesByMiddleFul = 82
	scoreFirstInitial    = 80
	scoreRoleCap         = 60 // beneficiary, care-of or estate: named, but not an owner
	scoreMiddleConflict  = 60
	scoreBusinessPerson  = 60 // a business named after the applicant
	scoreSuffixConflict  = 55 // Jr against Sr: parent and child
	scoreLastOnly        = 50 // same surname, different given name: a family member
	scoreSingleWord      = 45
	scoreFirstOnly       = 40 // same given name, different surname
)

// component is one deviation found while comparing two names, with the highest score
// it allows.
type component struct {
	score  int
	reason string
}

// nameOutcome is the comparison of an applicant's name with one owner string.
type nameOutcome struct {
	score    int
	reasons  []string
	nickname bool
	family   bool // shares only a given name or a surname: a relative, not the owner
	business bool // the owner string names an organisation
	block    bool // never a match whatever the threshold (family, business, role)
	party    int  // index of the matched party, for tie-breaking
}

// grp is a run of tokens that forms one name part: a hyphenated or particle surname
// (de la Cruz), a hyphenated given name, or a single word.
type grp struct {
	toks   []ntok
	joined string
	alt    string
	trunc  bool
}

// groupsOf groups a given-name-first token list into name parts.
func groupsOf(toks []ntok) []grp {
	return groupsInto(make([]grp, 0, len(toks)), toks)
}

// groupsInto appends the name parts of toks to gs.
func groupsInto(gs []grp, toks []ntok) []grp {
	start := 0
	for i := 1; i <= len(toks); i++ {
		if i < len(toks) && (toks[i].hy || i-1 > 0 && toks[i-1].is(cParticle) && i-1 < len(toks)-1) {
			continue
		}
		g := grp{toks: toks[start:i]} // capacity left open so regroup can widen it
		finishGroup(&g)
		gs = append(gs, g)
		start = i
	}
	return gs
}

func finishGroup(g *grp) {
	if len(g.toks) == 1 {
		g.joined, g.alt, g.trunc = g.toks[0].s, g.toks[0].alt, g.toks[0].trunc
		return
	}
	n, hasAlt := 0, false
	for _, t := range g.toks {
		n += len(t.s)
		hasAlt = hasAlt || t.alt != ""
	}
	b := make([]byte, 0, n)
	for _, t := range g.toks {
		b = append(b, t.s...)
	}
	g.joined = string(b)
	g.trunc = g.toks[len(g.toks)-1].trunc
	if hasAlt {
		var a strings.Builder
		for _, t := range g.toks {
			if t.alt != "" {
				a.WriteString(t.alt)
			} else {
				a.WriteString(t.s)
			}
		}
		g.alt = a.String()
	}
}

// regroup merges runs of groups in ys whose letters spell one group of xs, so that
// "VAN DER BERG" lines up with "Vanderberg" and "MARY KATE" with "Mary-Kate".
func regroup(xs, ys []grp) []grp {
	out := ys
	copied := false
	for _, x := range xs {
		for i := 0; i < len(out); i++ {
			if !strings.HasPrefix(x.joined, out[i].joined) || len(out[i].joined) == len(x.joined) {
				continue
			}
			pos := len(out[i].joined)
			n := len(out[i].toks)
			j := i + 1
			for j < len(out) && pos < len(x.joined) && strings.HasPrefix(x.joined[pos:], out[j].joined) {
				pos += len(out[j].joined)
				n += len(out[j].toks)
				j++
			}
			if pos != len(x.joined) || j-i < 2 {
				continue
			}
			// The groups are consecutive views of one token slice: widen the first.
			merged := grp{toks: out[i].toks[:n]}
			finishGroup(&merged)
			if !copied {
				out = append([]grp(nil), out...)
				copied = true
			}
			out[i] = merged
			out = append(out[:i+1], out[j:]...)
		}
	}
	return out
}

func sameGroup(a, b grp) (bool, string) {
	switch {
	case a.joined == b.joined:
		if len(a.toks) != len(b.toks) {
			return true, "name_spacing"
		}
		return true, ""
	case a.alt != "" && a.alt == b.joined, b.alt != "" && b.alt == a.joined, a.alt != "" && a.alt == b.alt:
		return true, "transliteration"
	}
	return false, ""
}

// rel is how one name part of the applicant relates to one of an owner.
type rel struct {
	ok       bool
	score    int
	reason   string
	nickname bool
	initial  bool
}

// givenRel compares given names (first or middle); pos is "first" or "middle".
func givenRel(a, b grp, pos string) rel {
	if ok, why := sameGroup(a, b); ok {
		return rel{ok: true, score: 100, reason: why}
	}
	x, y := a.joined, b.joined
	if len(a.toks) == 1 && len(b.toks) == 1 {
		if len(x) == 1 || len(y) == 1 {
			if x[0] == y[0] {
				if pos == "first" {
					return rel{ok: true, score: scoreFirstInitial, reason: "first_name_initial", initial: true}
				}
				return rel{ok: true, score: 100, reason: "middle_initial", initial: true}
			}
			return rel{}
		}
		for _, xx := range alts(a) {
			for _, yy := range alts(b) {
				switch givenNameRelation(xx, yy) {
				case relVariant:
					return rel{ok: true, score: scoreVariant, reason: "name_variant:" + xx + "=" + yy}
				case relNickname:
					return rel{ok: true, score: scoreNickname, reason: "nickname:" + xx + "=" + yy, nickname: true}
				}
			}
		}
		if silentVariant(x, y) {
			return rel{ok: true, score: scoreVariant - 1, reason: "spelling_variant:" + x + "=" + y}
		}
		if shortForm(x, y) {
			return rel{ok: true, score: scoreShortForm, reason: "short_form:" + x + "=" + y, nickname: true}
		}
		if !genderForms(x, y) && typoOK(x, y, isGivenName) {
			if pos == "first" {
				return rel{ok: true, score: scoreTypoFirst, reason: "typo_first_name"}
			}
			return rel{ok: true, score: scoreTypoMiddle, reason: "typo_middle_name"}
		}
		if b.trunc && len(y) >= 3 && strings.HasPrefix(x, y) {
			return rel{ok: true, score: scoreTruncated, reason: "truncated_name"}
		}
		return rel{}
	}
	// A hyphenated given name against one of its parts: Mary-Kate and MARY.
	if len(a.toks) > 1 && len(b.toks) == 1 && a.toks[0].s == y ||
		len(b.toks) > 1 && len(a.toks) == 1 && b.toks[0].s == x {
		return rel{ok: true, score: scoreHyphenPartial, reason: "hyphenated_name_partial"}
	}
	if b.trunc && len(y) >= 3 && strings.HasPrefix(x, y) {
		return rel{ok: true, score: scoreTruncated, reason: "truncated_name"}
	}
	return rel{}
}

func alts(g grp) []string {
	if g.alt != "" {
		return []string{g.joined, g.alt}
	}
	return []string{g.joined}
}

// surnameRel compares surnames, including compound and particle surnames.
func surnameRel(a, b grp) rel {
	if ok, why := sameGroup(a, b); ok {
		return rel{ok: true, score: 100, reason: why}
	}
	if len(a.toks) == 1 && len(b.toks) == 1 {
		return surnameWordRel(a, b)
	}
	ca, cb := coreWords(a), coreWords(b)
	ja, jb := coreJoined(a, ca), coreJoined(b, cb)
	if ja != "" && ja == jb {
		return rel{ok: true, score: scoreParticle, reason: "surname_particle_omitted"}
	}
	if len(ca) != len(cb) && len(ca) > 0 && len(cb) > 0 {
		short, long := ca, cb
		if len(short) > len(long) {
			short, long = long, short
		}
		if subset(short, long) {
			return rel{ok: true, score: scoreCompoundPartial, reason: "compound_surname_partial"}
		}
	}
	if len(ca) == 1 && len(cb) == 1 || len(ca) == len(cb) {
		if silentVariant(ja, jb) {
			return rel{ok: true, score: scoreVariant - 1, reason: "spelling_variant:" + ja + "=" + jb}
		}
		if typoOK(ja, jb, isSurname) {
			return rel{ok: true, score: scoreTypoLast, reason: "typo_last_name"}
		}
		if a.alt != "" && typoOK(a.alt, b.joined, isSurname) {
			return rel{ok: true, score: scoreTypoLast, reason: "typo_last_name"}
		}
	}
	if b.trunc && len(b.joined) >= 3 && strings.HasPrefix(a.joined, b.joined) {
		return rel{ok: true, score: scoreTruncated, reason: "truncated_name"}
	}
	return rel{}
}

// surnameWordRel compares two one-word surnames that are not equal.
func surnameWordRel(a, b grp) rel {
	ja, jb := a.joined, b.joined
	switch {
	case silentVariant(ja, jb):
		return rel{ok: true, score: scoreVariant - 1, reason: "spelling_variant:" + ja + "=" + jb}
	case typoOK(ja, jb, isSurname), a.alt != "" && typoOK(a.alt, jb, isSurname):
		return rel{ok: true, score: scoreTypoLast, reason: "typo_last_name"}
	case b.trunc && len(jb) >= 3 && strings.HasPrefix(ja, jb):
		return rel{ok: true, score: scoreTruncated, reason: "truncated_name"}
	}
	return rel{}
}

// coreJoined is the surname's core words run together; without particles that is
// the group's own spelling.
func coreJoined(g grp, core []string) string {
	if len(core) == len(g.toks) {
		return g.joined
	}
	return strings.Join(core, "")
}

func coreWords(g grp) []string {
	out := make([]string, 0, len(g.toks))
	for i, t := range g.toks {
		if t.is(cParticle) && i < len(g.toks)-1 {
			continue
		}
		out = append(out, t.s)
	}
	return out
}

func subset(short, long []string) bool {
	for _, s := range short {
		found := false
		for _, l := range long {
			if s == l {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// typoOK reports whether x and y differ by a typing slip: one edit (two for long
// words), both at least four letters, the same first letter, and not two different
// names that are both known (Johnson and Johnston, Frances and Francis).
func typoOK(x, y string, known func(string) bool) bool {
	n := min(len(x), len(y))
	if n < 4 {
		return false
	}
	maxd := 1
	if n >= 8 {
		maxd = 2
	}
	// People rarely mistype the first letter; a different initial (Minh, Linh) is a
	// different name.
	if x[0] != y[0] && !(len(x) > 1 && len(y) > 1 && x[0] == y[1] && x[1] == y[0]) {
		return false
	}
	if osaDistance(x, y, maxd) > maxd {
		return false
	}
	return !(known(x) && known(y))
}

// surnameLike reports whether a middle word is more likely a second surname than a
// middle name (Maria Rodriguez Sanchez).
func surnameLike(g grp) bool {
	return len(g.joined) > 1 && !isGivenName(g.joined)
}

// comparePersons compares an applicant with one person named by an owner, trying the
// owner's name in both orders unless its order is known.
func comparePersons(a, b *person) nameOutcome {
	ga := a.groups
	if ga == nil {
		ga = groupsOf(a.toks)
	}
	var buf [8]grp
	best := comparePersonsOriented(ga, groupsInto(buf[:0], b.toks), a, b)
	if b.ordered || len(b.toks) < 2 || best.score >= scoreNormalized {
		return best
	}
	lead := leadLen(b.toks)
	for _, k := range []int{lead, lead + 1} {
		if k >= len(b.toks) {
			break
		}
		// Read backwards, the owner's leading words become the surname; unless they
		// relate to the applicant's surname the reading cannot be a match.
		lg := grp{toks: b.toks[:k:k]}
		finishGroup(&lg)
		if !surnameRel(ga[len(ga)-1], lg).ok && !surnameRel(ga[len(ga)-1], grp{toks: b.toks[:1:1], joined: b.toks[0].s}).ok {
			continue
		}
		rot := make([]ntok, 0, len(b.toks))
		rot = append(rot, b.toks[k:]...)
		rot = append(rot, b.toks[:k]...)
		rot[0].hy = false
		rot[len(b.toks)-k].hy = false
		o := comparePersonsOriented(ga, groupsInto(buf[:0], rot), a, b)
		if o.score > 0 && !o.family {
			// Reading the name backwards is one assumption; needing another on top of
			// it costs a little more than the same deviation in written order.
			if o.score < scoreNormalized {
				o.score -= 3
			}
			o.score = min(o.score, scoreNormalized)
			o.reasons = append(o.reasons, "name_order_swapped")
		}
		if better(o, best) {
			best = o
		}
	}
	return best
}

// leadLen is the length of the surname at the front of a surname-first name:
// particles, the surname, and any hyphenated parts.
func leadLen(toks []ntok) int {
	i := 0
	for i < len(toks)-1 && toks[i].is(cParticle) {
		i++
	}
	i++
	for i < len(toks) && toks[i].hy {
		i++
	}
	return i
}

// better reports whether outcome o should replace best: a match beats a non-match,
// then the higher score wins.
func better(o, best nameOutcome) bool {
	om, bm := !o.block && o.score >= 70, !best.block && best.score >= 70
	if om != bm {
		return om
	}
	return o.score > best.score
}

// comparePersonsOriented compares two people whose names are both given-name first.
func comparePersonsOriented(ga, gb []grp, a, b *person) nameOutcome {
	gb = regroup(ga, gb)
	ga = regroup(gb, ga)
	var out nameOutcome
	if len(ga) == 0 || len(gb) == 0 {
		return out
	}
	if len(ga) == 1 || len(gb) == 1 {
		return compareSingle(ga, gb)
	}
	af, al := ga[0], ga[len(ga)-1]
	bf, bl := gb[0], gb[len(gb)-1]
	ma, mb := ga[1:len(ga)-1], gb[1:len(gb)-1]
	rf := givenRel(af, bf, "first")
	rl := surnameRel(al, bl)
	var comps []component
	add := func(score int, reason string) {
		if reason != "" {
			comps = append(comps, component{score, reason})
		}
	}
	switch {
	case rf.ok && rl.ok:
		add(rf.score, rf.reason)
		add(rl.score, rl.reason)
		out.nickname = rf.nickname
	case !rf.ok && rl.ok:
		// Goes by the middle name: "J MICHAEL SMITH" for Michael Smith.
		if i, r := findGiven(af, mb); i >= 0 {
			add(rl.score, rl.reason)
			add(r.score, r.reason)
			s := scoreGoesByMiddleFul
			if len(bf.joined) == 1 {
				s = scoreGoesByMiddle
			}
			add(s, "goes_by_middle_name")
			mb = append(mb[:i:i], mb[i+1:]...)
			out.nickname = r.nickname
			break
		}
		if i, r := findGiven(bf, ma); i >= 0 {
			add(rl.score, rl.reason)
			add(r.score, r.reason)
			s := scoreGoesByMiddleFul
			if len(af.joined) == 1 {
				s = scoreGoesByMiddle
			}
			add(s, "goes_by_middle_name")
			ma = append(ma[:i:i], ma[i+1:]...)
			out.nickname = r.nickname
			break
		}
		out.score, out.family, out.block = scoreLastOnly, true, true
		out.reasons = []string{"first_name_mismatch"}
		if len(af.joined) == 1 || len(bf.joined) == 1 {
			out.score = scoreLastOnly - 5
		}
		return out
	case rf.ok && !rl.ok:
		// Two surnames of which the bank kept one: Maria Rodriguez Sanchez, MARIA RODRIGUEZ.
		if n := len(ma); n > 0 && surnameLike(ma[n-1]) {
			if r := surnameRel(ma[n-1], bl); r.ok && r.score >= scoreTypoLast {
				add(rf.score, rf.reason)
				add(scoreCompoundPartial, "compound_surname_partial")
				ma = ma[:n-1]
				out.nickname = rf.nickname
				break
			}
		}
		if n := len(mb); n > 0 && surnameLike(mb[n-1]) {
			if r := surnameRel(al, mb[n-1]); r.ok && r.score >= scoreTypoLast {
				add(rf.score, rf.reason)
				add(scoreCompoundPartial, "compound_surname_partial")
				mb = mb[:n-1]
				out.nickname = rf.nickname
				break
			}
		}
		out.reasons = []string{"last_name_mismatch"}
		out.block = true
		if rf.initial {
			out.score = 15
			return out
		}
		out.score, out.family = scoreFirstOnly, true
		return out
	default:
		out.score = unrelatedScore(ga, gb)
		out.reasons = []string{"no_name_match"}
		out.block = true
		return out
	}
	mc, conflict, nick := middlesRel(ma, mb)
	comps = append(comps, mc...)
	out.nickname = out.nickname || nick
	if conflict {
		comps = append(comps, component{scoreMiddleConflict, "middle_name_conflict"})
		out.block = true
	}
	switch {
	case a.suffix != "" && b.suffix != "" && a.suffix != b.suffix:
		comps = append(comps, component{scoreSuffixConflict, "suffix_conflict"})
		out.family, out.block = true, true
	case a.suffix != b.suffix:
		comps = append(comps, component{scoreSuffixOmitted, "suffix_omitted"})
	}
	out.score, out.reasons = combine(comps)
	return out
}

// findGiven finds the middle name in ms that the given name g matches (not by initial).
func findGiven(g grp, ms []grp) (int, rel) {
	if len(g.joined) == 1 {
		return -1, rel{}
	}
	for i, m := range ms {
		if r := givenRel(g, m, "middle"); r.ok && !r.initial {
			return i, r
		}
	}
	return -1, rel{}
}

// middlesRel lines up middle names in order. A middle name present on one side only is
// "omitted"; two middle names that cannot be the same are a conflict.
func middlesRel(ma, mb []grp) (comps []component, conflict, nickname bool) {
	j := 0
	var leftA, leftB []grp
	for _, x := range ma {
		found := false
		for k := j; k < len(mb); k++ {
			r := givenRel(x, mb[k], "middle")
			if !r.ok {
				continue
			}
			leftB = append(leftB, mb[j:k]...)
			if r.reason != "" {
				comps = append(comps, component{r.score, r.reason})
			}
			nickname = nickname || r.nickname
			j, found = k+1, true
			break
		}
		if !found {
			leftA = append(leftA, x)
		}
	}
	leftB = append(leftB, mb[j:]...)
	if len(leftA) > 0 && len(leftB) > 0 {
		return comps, true, nickname
	}
	for _, g := range append(leftA, leftB...) {
		if surnameLike(g) {
			comps = append(comps, component{scoreCompoundMiddle, "compound_surname_partial"})
		} else {
			comps = append(comps, component{scoreNormalized, "middle_name_omitted"})
		}
	}
	return comps, false, nickname
}

// compareSingle handles a name of one word on either side.
func compareSingle(ga, gb []grp) nameOutcome {
	if len(ga) == 1 && len(gb) == 1 {
		if ok, why := sameGroup(ga[0], gb[0]); ok {
			comps := []component{}
			if why != "" {
				comps = append(comps, component{scoreNormalized, why})
			}
			s, r := combine(comps)
			return nameOutcome{score: s, reasons: r}
		}
		if typoOK(ga[0].joined, gb[0].joined, isSurname) {
			return nameOutcome{score: 90, reasons: []string{"typo_last_name"}}
		}
		return nameOutcome{score: unrelatedScore(ga, gb), reasons: []string{"no_name_match"}, block: true}
	}
	one, many := ga[0], gb
	if len(gb) == 1 {
		one, many = gb[0], ga
	}
	if r := surnameRel(many[len(many)-1], one); r.ok && r.score >= scoreTypoLast {
		return nameOutcome{score: scoreSingleWord, reasons: []string{"single_name_word"}, family: true, block: true}
	}
	if r := givenRel(many[0], one, "first"); r.ok && !r.initial {
		return nameOutcome{score: scoreSingleWord - 5, reasons: []string{"single_name_word"}, family: true, block: true}
	}
	return nameOutcome{score: unrelatedScore(ga, gb), reasons: []string{"no_name_match"}, block: true}
}

// unrelatedScore grades two names that do not match, 0–30, by how alike their words
// look, so that near misses rank above strangers.
func unrelatedScore(ga, gb []grp) int {
	best := 0.0
	total := 0.0
	for _, x := range ga {
		b := 0.0
		for _, y := range gb {
			b = max(b, jaroWinkler(x.joined, y.joined))
		}
		total += b
		best = max(best, b)
	}
	avg := total / float64(len(ga))
	return int(30*avg*avg + 0.5)
}

// combine turns the deviations found into a score: the lowest ceiling among them,
// minus 2 for each further deviation that costs anything, and at most 99 once
// anything had to be normalized.
func combine(comps []component) (int, []string) {
	if len(comps) == 0 {
		return scoreNormalized, nil
	}
	score := 100
	costly := 0
	reasons := make([]string, 0, len(comps))
	for _, c := range comps {
		score = min(score, c.score)
		if c.score < scoreNormalized {
			costly++
		}
		reasons = append(reasons, c.reason)
	}
	if costly > 1 {
		score -= 2 * (costly - 1)
	}
	return min(score, scoreNormalized), reasons
}

// compareEntity compares an applicant party with an organisation named by an owner.
func compareEntity(a *parsedName, e *entity) nameOutcome {
	out := nameOutcome{business: true, block: true}
	if len(a.entities) > 0 {
		best := nameOutcome{}
		for i := range a.entities {
			o := compareEntities(&a.entities[i], e)
			if o.score > best.score {
				best = o
			}
		}
		return best
	}
	best := 0
	reason := "business_name"
	for i := range a.persons {
		ga := groupsOf(a.persons[i].toks)
		if len(ga) == 0 {
			continue
		}
		first, last := ga[0].joined, ga[len(ga)-1].joined
		hasFirst, hasLast := containsWord(e.toks, first), containsWord(e.toks, last)
		switch {
		case hasFirst && hasLast && len(ga) > 1:
			best, reason = scoreBusinessPerson, "business_named_after_person"
		case hasLast && best < 40:
			best = 40
		default:
			gb := make([]grp, 0, len(e.toks))
			for _, w := range e.toks {
				gb = append(gb, grp{joined: w})
			}
			best = max(best, unrelatedScore(ga, gb))
		}
	}
	out.score = best
	out.reasons = []string{reason}
	return out
}

func containsWord(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

// compareEntities compares two organisations by the words that name them.
func compareEntities(a, b *entity) nameOutcome {
	out := nameOutcome{business: true}
	ja, jb := strings.Join(a.core, ""), strings.Join(b.core, "")
	var comps []component
	switch {
	case ja == "" || jb == "":
		out.score, out.block = 0, true
		out.reasons = []string{"no_name_match"}
		return out
	case ja == jb:
	case sortedJoin(a.core) == sortedJoin(b.core):
		comps = append(comps, component{95, "business_word_order"})
	case wordTypos(a.core, b.core):
		comps = append(comps, component{90, "typo_business_name"})
	default:
		short, long := a.core, b.core
		if len(short) > len(long) {
			short, long = long, short
		}
		out.block = true
		if subset(short, long) {
			out.score, out.reasons = 60, []string{"business_name_partial"}
			return out
		}
		ga := make([]grp, 0, len(a.core))
		for _, w := range a.core {
			ga = append(ga, grp{joined: w})
		}
		gb := make([]grp, 0, len(b.core))
		for _, w := range b.core {
			gb = append(gb, grp{joined: w})
		}
		out.score, out.reasons = unrelatedScore(ga, gb), []string{"no_name_match"}
		return out
	}
	switch {
	case a.form != "" && b.form != "" && a.form != b.form:
		comps = append(comps, component{90, "legal_form_differs"})
	case a.form != b.form:
		comps = append(comps, component{scoreSuffixOmitted, "legal_form_omitted"})
	}
	out.score, out.reasons = combine(comps)
	return out
}

func sortedJoin(ws []string) string {
	c := append([]string(nil), ws...)
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && c[j] < c[j-1]; j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
	return strings.Join(c, "")
}

// roleReasons says how a person is named in an owner string; capped roles are named
// on the account without owning it.
var roleReasons = map[string]struct {
	reason string
	capped bool
}{
	"trustee":     {"role_trustee", false},
	"custodian":   {"role_custodian", false},
	"minor":       {"role_minor", false},
	"fiduciary":   {"role_fiduciary", false},
	"alias":       {"role_alias", false},
	"beneficial":  {"role_beneficial_owner", false},
	"beneficiary": {"role_beneficiary", true},
	"careof":      {"role_care_of", true},
	"estate":      {"role_estate", true},
}

// compareNames compares an applicant's name with one owner's name string.
func compareNames(a, o *parsedName) nameOutcome {
	if strings.TrimSpace(a.raw) != "" && sameText(a.raw, o.raw) {
		return nameOutcome{score: 100, reasons: []string{"exact"}, business: len(o.entities) > 0}
	}
	best := nameOutcome{score: -1}
	consider := func(c nameOutcome) {
		if best.score < 0 || better(c, best) {
			best = c
		}
	}
	for i := range o.persons {
		b := &o.persons[i]
		for j := range a.persons {
			c := comparePersons(&a.persons[j], b)
			if rr, ok := roleReasons[b.role]; ok {
				c.reasons = append(c.reasons, rr.reason)
				if rr.capped && c.score > scoreRoleCap {
					c.score, c.block = scoreRoleCap, true
				}
			}
			c.party = i
			consider(c)
		}
		for j := range a.entities {
			consider(compareEntityPerson(&a.entities[j], b))
		}
	}
	for i := range o.entities {
		c := compareEntity(a, &o.entities[i])
		if rr, ok := roleReasons[o.entities[i].role]; ok {
			c.reasons = append(c.reasons, rr.reason)
		}
		consider(c)
	}
	if best.score < 0 {
		return nameOutcome{score: 0, reasons: []string{"no_name_match"}, block: true}
	}
	best.business = len(o.entities) > 0
	if len(best.reasons) == 0 {
		best.reasons = []string{"normalized"}
	}
	if o.dba && len(o.persons) > 0 {
		best.reasons = append(best.reasons, "dba")
	}
	if o.joint && len(o.persons)+len(o.entities) > 1 {
		best.reasons = append(best.reasons, "joint_owner")
	}
	if best.score >= 70 {
		if a.honorific || o.honorific {
			best.reasons = append(best.reasons, "honorific_removed")
		}
		if a.credential || o.credential {
			best.reasons = append(best.reasons, "credential_removed")
		}
		if a.diacritics || o.diacritics {
			best.reasons = append(best.reasons, "diacritics_folded")
		}
	}
	return best
}

func containsAll(ws []string, toks []ntok) bool {
	for _, t := range toks {
		if !containsWord(ws, t.s) {
			return false
		}
	}
	return len(toks) > 0
}

// wordTypos reports whether two business names have the same words up to a plural
// "s" or one typing slip in words of five letters or more, with at least one word
// identical.
func wordTypos(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	same := 0
	for i := range a {
		switch {
		case a[i] == b[i]:
			same++
		case a[i]+"s" == b[i] || b[i]+"s" == a[i]: // FARMS, FARM
		case min(len(a[i]), len(b[i])) >= 5 && osaDistance(a[i], b[i], 1) <= 1:
		default:
			return false
		}
	}
	return same > 0 || len(a) == 1
}

// genderForms reports whether x and y are the masculine and feminine forms of one
// name, which differ only at the end: Mario/Maria, Juan/Juana, Eric/Erica,
// Louis/Louise. Those are different people, not typos.
func genderForms(x, y string) bool {
	if len(x) > len(y) {
		x, y = y, x
	}
	switch {
	case len(y) == len(x)+1 && strings.HasPrefix(y, x):
		return isVowel(y[len(y)-1])
	case len(y) == len(x)+2 && strings.HasPrefix(y, x):
		return strings.HasSuffix(y, "ne") || strings.HasSuffix(y, "na") || strings.HasSuffix(y, "la")
	case len(x) == len(y) && x[:len(x)-1] == y[:len(y)-1]:
		return isVowel(x[len(x)-1]) && isVowel(y[len(y)-1])
	}
	return false
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u':
		return true
	}
	return false
}

// silentVariant reports whether x and y are spellings of one name that differ by a
// letter that is not pronounced: an h or y (Sara/Sarah, Jaden/Jayden, Yevgeny/Evgeny)
// or a doubled consonant (Philips/Phillips). Such pairs are variants even when both are known names;
// other one-letter differences between known names (Kevin/Kelvin) are not.
func silentVariant(x, y string) bool {
	if len(x) > len(y) {
		x, y = y, x
	}
	if len(y) != len(x)+1 || len(x) < 3 {
		return false
	}
	i := 0
	for i < len(x) && x[i] == y[i] {
		i++
	}
	if x[i:] != y[i+1:] {
		return false
	}
	c := y[i]
	switch {
	case c == 'h' || c == 'y':
		// Initial Russian Е is written both ye and e (Yevgeny, Evgeny).
		return i > 0 || c == 'y' && y[1] == 'e'

	case isVowel(c):
		return false
	case i > 0 && y[i-1] == c, i+1 < len(y) && y[i+1] == c:
		return true
	}
	return false
}

// shortForm reports whether the shorter of two given names is the start of the longer,
// at least three letters long and two shorter, and the longer is not a feminine form
// of it: Jill for Jillian, Raj for Rajesh. Other nicknames come from the table.
func shortForm(x, y string) bool {
	if len(x) > len(y) {
		x, y = y, x
	}
	if len(x) < 3 || len(y) < len(x)+2 || !strings.HasPrefix(y, x) {
		return false
	}
	rest := y[len(x):]
	for _, f := range feminineEndings {
		if strings.HasSuffix(rest, f) {
			return false // Daniel/Danielle, Victor/Victoria, Paul/Pauline
		}
	}
	return true
}

// feminineEndings turn a man's name into a woman's (Victor→Victoria, Paul→Pauline).
var feminineEndings = []string{"a", "e", "elle", "ine", "ette", "lyn", "lynn"}

// compareEntityPerson compares an applicant business with an owner string read as a
// person. A bank may drop the legal form ("KRIPKE ROBOTICS" for Kripke Robotics LLC),
// leaving no business word to recognise; if the words are the business's own it is
// the business. Otherwise a person is not the applicant business.
func compareEntityPerson(e *entity, b *person) nameOutcome {
	words := make([]string, len(b.toks))
	for i, t := range b.toks {
		words[i] = t.s
	}
	switch {
	case len(e.core) > 1 && slices.Equal(e.core, words):
		return nameOutcome{score: scoreSuffixOmitted, reasons: []string{"legal_form_omitted"}, business: true}
	case len(e.core) > 1 && wordTypos(e.core, words):
		return nameOutcome{score: 88, reasons: []string{"typo_business_name", "legal_form_omitted"}, business: true}
	case containsAll(e.toks, b.toks):
		return nameOutcome{score: 50, reasons: []string{"person_vs_business"}, block: true}
	}
	return nameOutcome{score: 20, reasons: []string{"person_vs_business"}, block: true}
}
