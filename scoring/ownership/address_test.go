package ownership

import (
	"slices"
	"testing"
)

var springfield = Address{Line1: "123 Main Street", Line2: "Apt 4B", City: "Springfield", State: "IL", PostalCode: "62704"}

func addressResult(t *testing.T, a Address, raw string) *FieldResult {
	t.Helper()
	r := Match(Applicant{Address: &a}, []Owner{{RawAddress: raw}}, DefaultPolicy())
	if r.Address == nil {
		t.Fatalf("%+v vs %q: no address result", a, raw)
	}
	return r.Address
}

func TestAddressMatching(t *testing.T) {
	tests := []struct {
		raw    string
		match  bool
		reason string
	}{
		{"123 MAIN ST APT 4B, SPRINGFIELD, IL 62704-1234", true, "standardized"},
		{"123 MAIN ST #4B SPRINGFIELD IL 62704", true, "standardized"},
		{"123 Main Street Apartment 4B\nSpringfield, Illinois 62704", true, "standardized"},
		{"123 MAIN ST SPRINGFIELD IL 62704", true, "unit_omitted"},
		{"123 MAIN ST APT 4B SPRINGFEILD IL 62704", true, "city_typo"},
		{"123 MAIN ST APT 4B SPRINGFIELD IL 62701", true, "postal_code_mismatch"},
		{"123 MAIN ST APT 5C SPRINGFIELD IL 62704", true, "unit_mismatch"},
		{"125 MAIN ST APT 4B SPRINGFIELD IL 62704", false, "house_number_mismatch"},
		{"123 MAPLE ST APT 4B SPRINGFIELD IL 62704", false, "street_name_mismatch"},
		{"123 MAIN AVE APT 4B SPRINGFIELD IL 62704", false, "street_suffix_mismatch"},
		{"123 MAIN ST APT 4B, CHICAGO, IL 60601", false, "city_mismatch"},
		{"123 MAIN ST APT 4B SPRINGFIELD MO 65804", false, "state_mismatch"},
		{"PO BOX 123, SPRINGFIELD, IL 62704", false, "po_box_vs_street"},
	}
	for _, tt := range tests {
		fr := addressResult(t, springfield, tt.raw)
		if fr.Match != tt.match || !hasReason(fr, tt.reason) {
			t.Errorf("%q = %d %v %v; want match %v with %s", tt.raw, fr.Score, fr.Match, fr.Reasons, tt.match, tt.reason)
		}
	}
}

func TestAddressFlags(t *testing.T) {
	fr := addressResult(t, springfield, "123 MAIN ST APT 5C SPRINGFIELD IL 62704")
	if fr.IsUnitMismatch == nil || !*fr.IsUnitMismatch || fr.IsPostalCodeMatch == nil || !*fr.IsPostalCodeMatch {
		t.Errorf("unit mismatch flags: %+v", fr)
	}
	fr = addressResult(t, springfield, "123 MAIN ST APT 4B SPRINGFIELD IL 62701")
	if fr.IsPostalCodeMatch == nil || *fr.IsPostalCodeMatch || *fr.IsUnitMismatch {
		t.Errorf("ZIP mismatch flags: %+v", fr)
	}
	fr = addressResult(t, springfield, "123 MAIN ST SPRINGFIELD")
	if fr.IsPostalCodeMatch != nil {
		t.Errorf("no ZIP at the bank: is_postal_code_match = %v, want absent", *fr.IsPostalCodeMatch)
	}
}

func TestParseRawAddress(t *testing.T) {
	tests := []struct {
		raw  string
		hint addrHint
		want addr
	}{
		{"123 N MAIN ST APT 4B, SPRINGFIELD, IL 62704-1234", addrHint{},
			addr{number: "123", preDir: "n", street: []string{"main"}, suffix: "st", units: []string{"4b"},
				city: []string{"springfield"}, state: "il", zip5: "62704", zip4: "1234"}},
		{"456 BROADWAY NEW YORK NY 10013", addrHint{city: []string{"new", "york"}},
			addr{number: "456", street: []string{"broadway"}, city: []string{"new", "york"}, state: "ny", zip5: "10013"}},
		{"1234 45TH ST NE SEATTLE WA 98105", addrHint{},
			addr{number: "1234", postDir: "ne", street: []string{"45th"}, suffix: "st", city: []string{"seattle"}, state: "wa", zip5: "98105"}},
		{"P.O. Box 77\nAustin, Texas 78701", addrHint{},
			addr{poBox: "77", city: []string{"austin"}, state: "tx", zip5: "78701"}},
		{"RURAL ROUTE 2 BOX 15 HARLAN IA 51537", addrHint{city: []string{"harlan"}},
			addr{route: "rr 2", number: "15", city: []string{"harlan"}, state: "ia", zip5: "51537"}},
		{"9 ELM CT HARTFORD CT 6103", addrHint{},
			addr{number: "9", street: []string{"elm"}, suffix: "ct", city: []string{"hartford"}, state: "ct", zip5: "06103"}},
		{"789 US HIGHWAY 101, EUREKA, CA 95501", addrHint{},
			addr{number: "789", street: []string{"hwy", "101"}, city: []string{"eureka"}, state: "ca", zip5: "95501"}},
	}
	for _, tt := range tests {
		got := parseRawAddress(tt.raw, tt.hint)
		w := tt.want
		if got.number != w.number || got.poBox != w.poBox || got.route != w.route || got.preDir != w.preDir ||
			got.postDir != w.postDir || !slices.Equal(got.street, w.street) || got.suffix != w.suffix ||
			!slices.Equal(got.units, w.units) || !slices.Equal(got.city, w.city) || got.state != w.state ||
			got.zip5 != w.zip5 || got.zip4 != w.zip4 {
			t.Errorf("parseRawAddress(%q) =\n %+v\nwant\n %+v", tt.raw, got, w)
		}
	}
}

func TestNormalizeAddress(t *testing.T) {
	tests := map[string]string{
		"123 North Main Street Apartment 4B, Springfield, Illinois 62704": "123 N MAIN ST APT 4B, SPRINGFIELD, IL 62704",
		"P.O. Box 77\nAustin TX 78701":                                    "PO BOX 77, AUSTIN TX 78701",
		"One Microsoft Way, Redmond, Washington 98052-6399":               "1 MICROSOFT WAY, REDMOND, WA 98052-6399",
	}
	for in, want := range tests {
		if got := NormalizeAddress(in); got != want {
			t.Errorf("NormalizeAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestForeignAddress(t *testing.T) {
	london := Address{Line1: "10 Downing Street", City: "London", PostalCode: "SW1A 2AA", Country: "GB"}
	if fr := addressResult(t, london, "10 DOWNING ST LONDON SW1A 2AA UNITED KINGDOM"); !fr.Match {
		t.Errorf("same UK address: %+v", fr)
	}
	if fr := addressResult(t, london, "11 DOWNING ST LONDON SW1A 2AB UNITED KINGDOM"); fr.Match {
		t.Errorf("different UK house: %+v", fr)
	}
}
