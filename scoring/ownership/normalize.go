package ownership

import "strings"

// NormalizeName returns a name string in the canonical form riskd compares:
// lowercase ASCII with diacritics folded (José→jose, Müller→muller), punctuation
// dropped, honorifics and credentials removed, "Last, First" turned into "first last",
// and the people and organisations it names separated by "; " with role markers
// (TTEE, CUST, POD, JTWROS, ...) removed. Generational suffixes are kept.
//
// One pass can expose something a further pass removes (a filler word left alone once
// its neighbours are dropped), so the result is taken to the point where a pass
// changes nothing; every pass only removes or reorders words, so this ends quickly.
func NormalizeName(s string) string {
	out := normalizeNameOnce(s)
	for range 8 {
		next := normalizeNameOnce(out)
		if next == out {
			break
		}
		out = next
	}
	return out
}

func normalizeNameOnce(s string) string {
	p := parseName(s)
	parts := make([]string, 0, len(p.persons)+len(p.entities))
	for _, e := range p.entities {
		parts = append(parts, strings.Join(e.toks, " "))
	}
	for _, ps := range p.persons {
		var b strings.Builder
		for i, t := range ps.toks {
			if i > 0 {
				if t.hy {
					b.WriteByte('-')
				} else {
					b.WriteByte(' ')
				}
			}
			b.WriteString(t.s)
		}
		if ps.suffix != "" {
			b.WriteByte(' ')
			b.WriteString(ps.suffix)
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, "; ")
}

// NormalizeAddress returns an address with every word in its USPS standard form and
// upper case: "123 North Main Street Apartment 4B, Springfield, Illinois 62704" becomes
// "123 N MAIN ST APT 4B, SPRINGFIELD, IL 62704". Commas and line breaks become ", ".
// Like NormalizeName, it repeats until a pass changes nothing, since one rewrite can
// enable another (a number word that becomes a digit after BOX).
func NormalizeAddress(s string) string {
	out := normalizeAddressOnce(s)
	for range 8 {
		next := normalizeAddressOnce(out)
		if next == out {
			break
		}
		out = next
	}
	return out
}

func normalizeAddressOnce(s string) string {
	toks := standardize(lexAddr(s))
	// A state name just before the ZIP code becomes its postal code.
	if n := len(toks); n >= 2 && isZip(toks[n-1].s) {
		for l := min(maxStateLen, n-1); l >= 1; l-- {
			if code, ok := stateByWords[joinToks(toks[n-1-l:n-1])]; ok && (l > 1 || code != toks[n-2].s) {
				brk := toks[n-1-l].brk
				toks = append(toks[:n-1-l:n-1-l], atok{code, brk}, toks[n-1])
				break
			}
		}
	}
	var b strings.Builder
	for i, t := range toks {
		switch {
		case i == 0:
		case t.brk:
			b.WriteString(", ")
		default:
			b.WriteByte(' ')
		}
		w := t.s
		if w == "pobox" {
			w = "po box"
		}
		for k := 0; k < len(w); k++ {
			c := w[k]
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}
