package ownership

import (
	"slices"
	"strings"
	"testing"
)

func nameResult(t *testing.T, applicant, owner string) *FieldResult {
	t.Helper()
	r := Match(Applicant{Name: applicant}, []Owner{{Name: owner}}, DefaultPolicy())
	if r.Name == nil {
		t.Fatalf("%q vs %q: no name result", applicant, owner)
	}
	return r.Name
}

func hasReason(fr *FieldResult, want string) bool {
	for _, r := range fr.Reasons {
		if r == want || strings.HasSuffix(want, ":") && strings.HasPrefix(r, want) {
			return true
		}
	}
	return false
}

// TestNameBands pins each kind of name agreement to its score band and reason.
func TestNameBands(t *testing.T) {
	tests := []struct {
		applicant, owner string
		match            bool
		lo, hi           int
		reason           string
	}{
		{"Elizabeth Carter", "Elizabeth Carter", true, 100, 100, "exact"},
		{"Elizabeth Carter", "ELIZABETH  CARTER", true, 100, 100, "exact"},
		{"Chidi Okafor", "OKAFOR CHIDI", true, 99, 99, "name_order_swapped"},
		{"Chidi Okafor", "Okafor, Chidi", true, 99, 99, "normalized"},
		{"John Michael Reyes", "JOHN M REYES", true, 99, 99, "middle_initial"},
		{"John Michael Reyes", "JOHN REYES", true, 99, 99, "middle_name_omitted"},
		{"Dr. Susan Park", "SUSAN PARK", true, 99, 99, "honorific_removed"},
		{"José García", "JOSE GARCIA", true, 99, 99, "diacritics_folded"},
		{"James Whitfield Jr.", "JAMES WHITFIELD", true, 97, 97, "suffix_omitted"},
		{"Steven Clarke", "STEPHEN CLARKE", true, 95, 98, "name_variant:"},
		{"Elizabeth Carter", "BETSY CARTER", true, 95, 95, "nickname:elizabeth=betsy"},
		{"Maria Rodriguez-Sanchez", "MARIA RODRIGUEZ", true, 90, 94, "compound_surname_partial"},
		{"Christopher Montgomery-Washington", "CHRISTOPHER MONTGOMERY-WASHIN", true, 90, 94, "truncated_name"},
		{"Robert Johnson", "ROBERT JONHSON", true, 90, 94, "typo_last_name"},
		{"Oluwaseun Adeyemi", "OLUWASUEN ADEYEMI", true, 90, 94, "typo_first_name"},
		{"Michael Smith", "J MICHAEL SMITH", true, 85, 94, "goes_by_middle_name"},
		{"Robert Chen", "R CHEN", true, 70, 89, "first_name_initial"},
		{"John Smith Jr", "JOHN SMITH SR", false, 50, 69, "suffix_conflict"},
		{"John Michael Reyes", "JOHN ROBERT REYES", false, 50, 69, "middle_name_conflict"},
		{"Mary Smith", "JOHN SMITH", false, 40, 69, "first_name_mismatch"},
		{"Robert Johnson", "ROBERT JOHNSTON", false, 0, 49, "last_name_mismatch"},
		{"Olivia Brown", "NOAH WILSON", false, 0, 30, "no_name_match"},
	}
	for _, tt := range tests {
		fr := nameResult(t, tt.applicant, tt.owner)
		if fr.Match != tt.match || fr.Score < tt.lo || fr.Score > tt.hi || !hasReason(fr, tt.reason) {
			t.Errorf("%q vs %q = score %d match %v %v; want match %v, score %d–%d, reason %s",
				tt.applicant, tt.owner, fr.Score, fr.Match, fr.Reasons, tt.match, tt.lo, tt.hi, tt.reason)
		}
	}
}

// TestNameHardNegatives are pairs one letter apart that are different people.
func TestNameHardNegatives(t *testing.T) {
	for _, p := range [][2]string{
		{"Frances Miller", "FRANCIS MILLER"}, {"Robert Johnson", "ROBERT JOHNSTON"},
		{"Maria Garcia", "MARIO GARCIA"}, {"Eric Olsen", "ERICA OLSEN"},
		{"Kevin Park", "KELVIN PARK"}, {"Daniel Fischer", "DANIELLE FISCHER"},
		{"Victor Hale", "VICTORIA HALE"}, {"Christine Baker", "CHRISTINA BAKER"},
		{"Alexander Petrov", "ALEXANDRA PETROV"}, {"Samuel Green", "SAMANTHA GREEN"},
	} {
		if fr := nameResult(t, p[0], p[1]); fr.Match {
			t.Errorf("%q vs %q matched (score %d %v); they are different names", p[0], p[1], fr.Score, fr.Reasons)
		}
	}
}

func TestNameFlags(t *testing.T) {
	fr := nameResult(t, "Katherine Lee", "KATE LEE")
	if !*fr.IsNicknameMatch || *fr.IsFirstOrLastNameMatch || *fr.IsBusinessNameDetected {
		t.Errorf("nickname flags = %v/%v/%v", *fr.IsNicknameMatch, *fr.IsFirstOrLastNameMatch, *fr.IsBusinessNameDetected)
	}
	fr = nameResult(t, "Luis Perez", "MARIA PEREZ")
	if !*fr.IsFirstOrLastNameMatch || fr.Match {
		t.Errorf("family member: flag %v match %v", *fr.IsFirstOrLastNameMatch, fr.Match)
	}
	fr = nameResult(t, "John Smith", "JOHN SMITH LLC")
	if !*fr.IsBusinessNameDetected || fr.Match || !hasReason(fr, "business_named_after_person") {
		t.Errorf("business named after person: %+v", fr)
	}
}

// TestFlagsNeverMatch: the family and business outcomes stay non-matches even when a
// policy sets the threshold below their scores.
func TestFlagsNeverMatch(t *testing.T) {
	low := Policy{NameThreshold: 1}
	for _, p := range [][2]string{{"Luis Perez", "MARIA PEREZ"}, {"John Smith", "JOHN SMITH LLC"},
		{"John Smith Jr", "JOHN SMITH SR"}, {"Robert Hayes", "SUSAN HAYES POD ROBERT HAYES"}} {
		r := Match(Applicant{Name: p[0]}, []Owner{{Name: p[1]}}, low)
		if r.Name.Match {
			t.Errorf("%q vs %q matched at threshold 1: %+v", p[0], p[1], r.Name)
		}
	}
}

func TestJointAndRoles(t *testing.T) {
	tests := []struct {
		applicant, owner string
		match            bool
		reason           string
	}{
		{"Luis Perez", "MARIA AND LUIS PEREZ", true, "joint_owner"},
		{"Maria Perez", "MARIA & LUIS PEREZ", true, "joint_owner"},
		{"Grace Cho", "DANIEL CHO OR GRACE CHO", true, "joint_owner"},
		{"James Cameron", "LINDA HAMILTON / JAMES CAMERON", true, "joint_owner"},
		{"Jane Smith", "SMITH, JOHN & JANE", true, "joint_owner"},
		{"David Ross", "MR AND MRS DAVID ROSS", true, "honorific_removed"},
		{"Ana Perez", "MARIA AND LUIS PEREZ", false, "first_name_mismatch"},
		{"Patricia Lewis", "PATRICIA A LEWIS TRUSTEE OF THE LEWIS FAMILY TRUST", true, "role_trustee"},
		{"Karen White", "KAREN WHITE CUST FOR TYLER WHITE UTMA OH", true, "role_custodian"},
		{"Tyler White", "KAREN WHITE CUST FOR TYLER WHITE UTMA OH", true, "role_minor"},
		{"Robert Hayes", "SUSAN HAYES POD ROBERT HAYES", false, "role_beneficiary"},
		{"Helen Carter", "ESTATE OF HELEN CARTER", false, "role_estate"},
		{"Joan Baez", "JOHN DOE C/O JOAN BAEZ", false, "role_care_of"},
		{"Anthony Russo", "ANTHONY RUSSO DBA RUSSO LANDSCAPING", true, "dba"},
		{"Mark Twain", "SAMUEL CLEMENS AKA MARK TWAIN", true, "role_alias"},
		{"James Lee", "JAMES LEE & ANNA LEE JTWROS", true, "joint_owner"},
	}
	for _, tt := range tests {
		fr := nameResult(t, tt.applicant, tt.owner)
		if fr.Match != tt.match || !hasReason(fr, tt.reason) {
			t.Errorf("%q vs %q = %d %v %v; want match %v with %s", tt.applicant, tt.owner, fr.Score, fr.Match, fr.Reasons, tt.match, tt.reason)
		}
	}
}

func TestBusinessNames(t *testing.T) {
	tests := []struct {
		applicant, owner string
		match            bool
	}{
		{"Acme Widgets LLC", "ACME WIDGETS, L.L.C.", true},
		{"Riverside Dental PLLC", "RIVERSIDE DENTAL", true},
		{"Acme Widgets LLC", "ACME TOOLS LLC", false},
		{"Northwind Traders Inc", "SOUTHWIND TRADERS INC", false},
		{"Emma Daniels", "EMMA LLC", false},
		{"Charles Schwab", "CHARLES SCHWAB & CO INC", false},
		{"Smith Plumbing LLC", "JOHN SMITH", false},
		{"Lopez Cleaning Services", "MARIA LOPEZ DBA LOPEZ CLEANING SERVICES", true},
		{"John Church", "JOHN CHURCH", true}, // a surname that is also a business word
	}
	for _, tt := range tests {
		if fr := nameResult(t, tt.applicant, tt.owner); fr.Match != tt.match {
			t.Errorf("%q vs %q match = %v (%d %v), want %v", tt.applicant, tt.owner, fr.Match, fr.Score, fr.Reasons, tt.match)
		}
	}
}

func TestParseNameParties(t *testing.T) {
	tests := []struct {
		in       string
		persons  []string
		entities []string
	}{
		{"MARIA AND LUIS PEREZ", []string{"maria perez", "luis perez"}, nil},
		{"Okafor, Chidi N.", []string{"chidi n okafor"}, nil},
		{"SMITH FAMILY TRUST JOHN SMITH TTEE", []string{"john smith"}, []string{"smith family trust"}},
		{"JANE DOE CUST JOHN DOE UTMA CA", []string{"jane doe", "john doe"}, nil},
		{"Dr. John A. Smith, III", []string{"john a smith"}, nil},
		{"JOHN SMITH, JANE SMITH", []string{"john smith", "jane smith"}, nil},
		{"RUSSO DBA RUSSO LANDSCAPING", []string{"russo"}, []string{"russo landscaping"}},
	}
	for _, tt := range tests {
		p := parseName(tt.in)
		var ps, es []string
		for _, x := range p.persons {
			var w []string
			for _, tk := range x.toks {
				w = append(w, tk.s)
			}
			ps = append(ps, strings.Join(w, " "))
		}
		for _, e := range p.entities {
			es = append(es, strings.Join(e.toks, " "))
		}
		if !slices.Equal(ps, tt.persons) || !slices.Equal(es, tt.entities) {
			t.Errorf("parseName(%q) = persons %q entities %q; want %q %q", tt.in, ps, es, tt.persons, tt.entities)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	tests := map[string]string{
		"Dr. José  MÜLLER-Łukasiewicz III": "jose muller-lukasiewicz iii",
		"Okafor, Chidi":                    "chidi okafor",
		"MARIA AND LUIS PEREZ":             "maria perez; luis perez",
		"ACME WIDGETS, L.L.C.":             "acme widgets llc",
		"":                                 "",
	}
	for in, want := range tests {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGivenNameRelation(t *testing.T) {
	tests := []struct {
		a, b string
		want nameRelation
	}{
		{"betsy", "elizabeth", relNickname},
		{"hal", "henry", relNickname},
		{"bill", "will", relNickname}, // both nicknames of William
		{"sara", "sarah", relVariant},
		{"frances", "francis", relNone},
		{"fran", "frances", relNickname},
		{"fran", "francis", relNickname},
		{"john", "jane", relNone},
	}
	for _, tt := range tests {
		if got := givenNameRelation(tt.a, tt.b); got != tt.want {
			t.Errorf("givenNameRelation(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	if n := len(givenNames); n < 600 {
		t.Errorf("given-name table has %d names, want a sizeable table", n)
	}
}
