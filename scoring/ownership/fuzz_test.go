package ownership

import (
	"testing"
	"unicode/utf8"
)

// seeds are awkward real-world strings for every field.
var fuzzSeeds = []string{
	"", " ", "Okafor, Chidi", "MARIA AND LUIS PEREZ", "JANE DOE CUST JOHN DOE UTMA CA",
	"Dr. José Müller-Łukasiewicz III", "SMITH FAMILY TRUST JOHN SMITH TTEE", "d/b/a",
	"ACME WIDGETS, L.L.C.", "Иван Петров", "O'Brien; & , / -", "ESTATE OF", "et ux et al",
	"123 MAIN ST APT 4B, SPRINGFIELD, IL 62704-1234", "P.O. Box 77\nAustin, Texas 78701",
	"RR 2 BOX 15", "1/2 - # , ;", "+1 (415) 555-0132 ext. 12", "1-800-FLOWERS",
	"John.Smith+bank@Gmail.com", "Jane <jane@x.com>", "mailto:mailto:a@b", "\xff\xfe",
	"ß ẞ Æ Ø Ł ı İ", "12-34 JACKSON AVE", "ONE MICROSOFT WAY", "SR 9", "US HWY 1",
}

// FuzzNormalize checks that normalization never panics, always returns valid UTF-8,
// and is idempotent: normalizing a normalized value changes nothing.
func FuzzNormalize(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, n := range []struct {
			name string
			fn   func(string) string
		}{{"name", NormalizeName}, {"email", NormalizeEmail}, {"phone", NormalizePhone}, {"address", NormalizeAddress}} {
			once := n.fn(s)
			if !utf8.ValidString(once) && utf8.ValidString(s) {
				t.Errorf("Normalize %s(%q) = %q: invalid UTF-8", n.name, s, once)
			}
			if twice := n.fn(once); twice != once {
				t.Errorf("Normalize %s not idempotent: %q -> %q -> %q", n.name, s, once, twice)
			}
		}
	})
}

// FuzzMatch checks that no input makes Match panic or produce an out-of-range score.
func FuzzMatch(f *testing.F) {
	for i, s := range fuzzSeeds {
		f.Add(s, fuzzSeeds[(i+1)%len(fuzzSeeds)], fuzzSeeds[(i+3)%len(fuzzSeeds)])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		app := Applicant{Name: a, Email: b, Phone: c, Address: &Address{Line1: a, Line2: c, City: b, State: c, PostalCode: b}}
		owners := []Owner{{Name: b, Email: a, Phone: b, RawAddress: c}, {Name: c, Email: c, Phone: a, RawAddress: a}}
		r := Match(app, owners, DefaultPolicy())
		for _, or := range r.Owners {
			for _, fr := range []*FieldResult{or.Name, or.Email, or.Phone, or.Address} {
				if fr != nil && (fr.Score < 0 || fr.Score > 100 || fr.Reasons == nil) {
					t.Fatalf("bad result %+v for %q %q %q", fr, a, b, c)
				}
			}
		}
	})
}
