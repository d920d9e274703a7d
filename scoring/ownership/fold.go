package ownership

import (
	"strings"
	"unicode"
)

// latinFold spells every letter from U+00C0 to U+017F (Latin-1 Supplement and Latin
// Extended-A) in lowercase ASCII, sixteen code points per row. "-" marks the two
// non-letters in the range (× and ÷). Ligatures and letters without a base letter are
// transliterated: Æ→ae, ß→ss, Þ→th, Œ→oe, Ĳ→ij.
const latinFold = `
a a a a a a ae c e e e e i i i i
d n o o o o o - o u u u u y th ss
a a a a a a ae c e e e e i i i i
d n o o o o o - o u u u u y th y
a a a a a a c c c c c c c c d d
d d e e e e e e e e e e g g g g
g g g g h h h h i i i i i i i i
i i ij ij j j k k k l l l l l l l
l l l n n n n n n n n n o o o o
o o oe oe r r r r r r s s s s s s
s s t t t t t t u u u u u u u u
u u u u w w y y y z z z z z z s`

// cyrillicFold transliterates the Russian alphabet А..я (U+0410..U+044F), uppercase
// row then lowercase row, in a simple passport-style romanisation. "_" means the
// letter has no sound of its own (hard and soft signs) and is dropped.
const cyrillicFold = `
a b v g d e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya
a b v g d e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya`

var (
	latinTable    [0x180 - 0xC0]string
	cyrillicTable [0x450 - 0x410]string
)

func init() {
	f := strings.Fields(latinFold)
	if len(f) != len(latinTable) {
		panic("ownership: latin fold table has wrong size")
	}
	for i, s := range f {
		if s != "-" {
			latinTable[i] = s
		}
	}
	c := strings.Fields(cyrillicFold)
	if len(c) != len(cyrillicTable) {
		panic("ownership: cyrillic fold table has wrong size")
	}
	for i, s := range c {
		if s != "_" {
			cyrillicTable[i] = s
		}
	}
}

// foldRune returns the lowercase ASCII spelling of a letter or digit, and ok=false
// for anything that is not a letter or digit. Letters outside the tables (Greek, CJK,
// ...) are kept, lowercased, so that two such names can still be compared.
func foldRune(r rune) (s string, ok bool) {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return asciiStrings[r], true
	case r >= 'A' && r <= 'Z':
		return asciiStrings[r+('a'-'A')], true
	case r < 0x80:
		return "", false
	case r >= 0xC0 && r < 0x180:
		s := latinTable[r-0xC0]
		return s, s != ""
	case r >= 0x410 && r < 0x450:
		s := cyrillicTable[r-0x410]
		return s, true // hard and soft signs fold to "" but are still letters
	}
	switch r {
	case 0x401, 0x451: // Ё ё
		return "e", true
	case 0x404, 0x454: // Є є
		return "ye", true
	case 0x406, 0x456: // І і
		return "i", true
	case 0x407, 0x457: // Ї ї
		return "yi", true
	case 0x490, 0x491: // Ґ ґ
		return "g", true
	case 0x218, 0x219: // Ș ș
		return "s", true
	case 0x21A, 0x21B: // Ț ț
		return "t", true
	case 0x1E9E: // ẞ
		return "ss", true
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		l := unicode.ToLower(r)
		if !unicode.IsLetter(l) && !unicode.IsDigit(l) {
			l = r
		}
		return string(l), true
	}
	return "", false
}

// altSpelling returns the second common ASCII spelling of a letter whose plain
// folding loses information: the German umlauts (ä→ae, ö→oe, ü→ue), so that "Müller"
// matches a bank's "MUELLER" as well as "MULLER", and the South Slavic đ→dj
// (Đorđe, DJORDJE).
func altSpelling(r rune) (string, bool) {
	switch r {
	case 'ä', 'Ä':
		return "ae", true
	case 'ö', 'Ö':
		return "oe", true
	case 'ü', 'Ü':
		return "ue", true
	case 'đ', 'Đ':
		return "dj", true
	}
	return "", false
}

// isApostrophe reports whether r is an apostrophe-like mark that joins the letters on
// either side (O'Brien, D’Angelo).
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', 0xB4, 0x2018, 0x2019, 0x02BC, 0x02B9:
		return true
	}
	return false
}

// isHyphen reports whether r is a hyphen or dash.
func isHyphen(r rune) bool {
	switch r {
	case '-', 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212:
		return true
	}
	return false
}

var asciiStrings = func() (t [128]string) {
	for c := 0; c < 128; c++ {
		t[c] = string(rune(c))
	}
	return t
}()

// foldString folds s to lowercase ASCII letters and digits separated by single spaces;
// apostrophes join, everything else separates. It is the basis of every comparison
// that is "equal after case, punctuation and diacritics".
func foldString(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if isApostrophe(r) {
			continue
		}
		f, ok := foldRune(r)
		if !ok {
			space = b.Len() > 0
			continue
		}
		if f == "" {
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteString(f)
	}
	return b.String()
}
