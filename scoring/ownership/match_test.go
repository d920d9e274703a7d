package ownership

import (
	"math"
	"testing"
)

// TestMatchBestOwner: each field reports its best owner, and every owner is kept.
func TestMatchBestOwner(t *testing.T) {
	a := Applicant{Name: "Luis Perez", Email: "luis@example.com", Phone: "415-555-0132",
		Address: &Address{Line1: "9 Elm Ct", City: "Hartford", State: "CT", PostalCode: "06103"}}
	owners := []Owner{
		{Name: "MARIA PEREZ", Email: "maria@example.com", Phone: "4155550132"},
		{Name: "LUIS A PEREZ", RawAddress: "9 ELM COURT HARTFORD CT 06103"},
	}
	r := Match(a, owners, DefaultPolicy())
	if r.Name == nil || r.Name.OwnerIndex != 1 || !r.Name.Match {
		t.Errorf("name: want owner 1 matched, got %+v", r.Name)
	}
	if r.Phone == nil || r.Phone.OwnerIndex != 0 || !r.Phone.Match {
		t.Errorf("phone: want owner 0 matched, got %+v", r.Phone)
	}
	if r.Email == nil || r.Email.Match || r.Email.OwnerIndex != 0 {
		t.Errorf("email: want owner 0 not matched, got %+v", r.Email)
	}
	if r.Address == nil || r.Address.OwnerIndex != 1 || !r.Address.Match {
		t.Errorf("address: want owner 1 matched, got %+v", r.Address)
	}
	if len(r.Owners) != 2 || r.Owners[0].Name.Match || r.Owners[1].Email != nil || r.Owners[0].Address != nil {
		t.Errorf("per-owner results wrong: %+v", r.Owners)
	}
	if !*r.Owners[0].Name.IsFirstOrLastNameMatch {
		t.Errorf("owner 0 shares only the surname: want the family flag")
	}
}

// TestMatchMissingFields: a field is nil when either side lacks it.
func TestMatchMissingFields(t *testing.T) {
	r := Match(Applicant{Name: "Ann Lee", Address: &Address{}}, []Owner{{Name: " ", Email: "a@b.c"}}, DefaultPolicy())
	if r.Name != nil || r.Email != nil || r.Phone != nil || r.Address != nil {
		t.Errorf("want all fields nil, got %+v", r)
	}
	if r = Match(Applicant{Name: "Ann Lee"}, nil, DefaultPolicy()); r.Name != nil || len(r.Owners) != 0 {
		t.Errorf("no owners: %+v", r)
	}
}

func TestPolicy(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (Policy{PhoneThreshold: 101}).Validate(); err == nil || err.Error() != "ownership: phone_threshold must be between 0 and 100, got 101" {
		t.Errorf("Validate = %v", err)
	}
	// A stricter policy turns a nickname match (95) into a non-match.
	strict := DefaultPolicy()
	strict.NameThreshold = 96
	if r := Match(Applicant{Name: "Betsy Carter"}, []Owner{{Name: "ELIZABETH CARTER"}}, strict); r.Name.Match || r.Name.Score != 95 {
		t.Errorf("strict policy: %+v", r.Name)
	}
	// A zero threshold means the default, not "everything matches".
	if r := Match(Applicant{Name: "Ann Lee"}, []Owner{{Name: "BOB STONE"}}, Policy{}); r.Name.Match {
		t.Errorf("zero policy matched unrelated names: %+v", r.Name)
	}
}

func TestLongInputIsBounded(t *testing.T) {
	long := ""
	for range 5000 {
		long += "smith & "
	}
	r := Match(Applicant{Name: long, Email: long, Phone: long, Address: &Address{Line1: long}},
		[]Owner{{Name: long, Email: long, Phone: long, RawAddress: long}}, DefaultPolicy())
	if r.Name == nil || r.Address == nil {
		t.Fatalf("long input: %+v", r)
	}
}

func TestFoldString(t *testing.T) {
	tests := map[string]string{
		"José Müller":         "jose muller",
		"Łukasz Ørsted-Æbelø": "lukasz orsted aebelo",
		"Straße, ĲSSEL":       "strasse ijssel",
		"O'Brien":             "obrien",
		"Дмитрий Иванов":      "dmitriy ivanov",
		"Ștefan Țurcanu":      "stefan turcanu",
		"  many   spaces  ":   "many spaces",
		"ÀÁÂÃÄÅàáâãäå":        "aaaaaaaaaaaa",
		"ĀāĂăĄąĆćĈĉĊċČčĎďĐđ":  "aaaaaaccccccccdddd",
	}
	for in, want := range tests {
		if got := foldString(in); got != want {
			t.Errorf("foldString(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOSADistance(t *testing.T) {
	tests := []struct {
		a, b     string
		max, out int
	}{
		{"johnson", "johnson", 2, 0},
		{"johnson", "jonhson", 2, 1}, // transposition
		{"johnson", "johnston", 2, 1},
		{"frances", "francis", 2, 1},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 2, 3}, // over max: max+1
		{"", "abc", 3, 3},
		{"abcdefghijklmnopqrstuvwxyz0123456789", "abcdefghijklmnopqrstuvwxyz0123456780", 1, 2}, // long: exact only
	}
	for _, tt := range tests {
		if got := osaDistance(tt.a, tt.b, tt.max); got != tt.out {
			t.Errorf("osaDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.max, got, tt.out)
		}
	}
}

// TestJaroWinkler checks the classic reference values from Winkler's papers.
func TestJaroWinkler(t *testing.T) {
	tests := []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.961},
		{"dwayne", "duane", 0.840},
		{"dixon", "dicksonx", 0.813},
		{"abc", "abc", 1},
		{"abc", "xyz", 0},
		{"", "", 0},
	}
	for _, tt := range tests {
		got := jaroWinkler(tt.a, tt.b)
		if math.IsNaN(got) || math.Abs(got-tt.want) > 0.001 {
			t.Errorf("jaroWinkler(%q, %q) = %.3f, want %.3f", tt.a, tt.b, got, tt.want)
		}
	}
}
