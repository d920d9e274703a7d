package ownership

import "testing"

func TestNormalizePhone(t *testing.T) {
	tests := map[string]string{
		"(415) 555-0132":         "+14155550132",
		"1-415-555-0132 ext. 12": "+14155550132",
		"+1 415.555.0132 x9":     "+14155550132",
		"tel:+1-617-555-0165":    "+16175550165",
		"+44 (0)20 7946 0958":    "+442079460958",
		"011 44 20 7946 0958":    "+442079460958",
		"0091 98765 43210":       "+919876543210",
		"1-800-FLOWERS":          "+18003569377",
		"020 7946 0958":          "02079460958", // national format, country unknown
		"555-0132":               "5550132",
		"":                       "",
		"+12125550199;ext=204":   "+12125550199",
		"２１２-５５５-０１９９":           "+12125550199",
	}
	for in, want := range tests {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPhoneMatching(t *testing.T) {
	tests := []struct {
		a, b   string
		match  bool
		reason string
	}{
		{"(415) 555-0132", "(415) 555-0132", true, "exact"},
		{"(415) 555-0132", "+14155550132", true, "e164_normalized"},
		{"415-555-0132", "4155550132 ext 12", true, "extension_dropped"},
		{"+44 20 7946 0958", "020 7946 0958", true, "national_trunk_prefix"},
		{"415-555-0132", "415-555-0132 / 415-555-0199", true, "exact"},
		{"415-555-0132", "415-555-0123", false, "digits_transposed"},
		{"415-555-0132", "415-555-0133", false, "one_digit_differs"},
		{"415-555-0132", "510-555-0132", false, "area_code_mismatch"},
		{"+44 20 7946 0958", "+33 20 7946 0958", false, "country_code_mismatch"},
	}
	for _, tt := range tests {
		r := Match(Applicant{Phone: tt.a}, []Owner{{Phone: tt.b}}, DefaultPolicy())
		if r.Phone.Match != tt.match || !hasReason(r.Phone, tt.reason) {
			t.Errorf("%q vs %q = %d %v %v; want match %v with %s", tt.a, tt.b, r.Phone.Score, r.Phone.Match, r.Phone.Reasons, tt.match, tt.reason)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := map[string]string{
		" John.Smith+Bank@GMAIL.com ": "johnsmith@gmail.com",
		"j.o.h.n@googlemail.com":      "john@gmail.com",
		"john.smith@yahoo.com":        "john.smith@yahoo.com",
		"maria+x@outlook.com":         "maria@outlook.com",
		"Jane Doe <jane@doe.com>":     "jane@doe.com",
		"mailto:ann@x.org.":           "ann@x.org",
		"not an email":                "notanemail",
	}
	for in, want := range tests {
		if got := NormalizeEmail(in); got != want {
			t.Errorf("NormalizeEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEmailMatching(t *testing.T) {
	tests := []struct {
		a, b   string
		match  bool
		reason string
	}{
		{"John.Smith@Gmail.com", "john.smith@gmail.com", true, "exact"},
		{"john.smith@gmail.com", "johnsmith@gmail.com", true, "gmail_dots_ignored"},
		{"johnsmith+bank@gmail.com", "johnsmith@gmail.com", true, "plus_tag_removed"},
		{"chris@me.com", "chris@icloud.com", true, "icloud_domain_alias"},
		{"bob.jones@gmial.com", "bob.jones@gmail.com", true, "domain_typo"},
		{"john.smith@yahoo.com", "johnsmith@yahoo.com", false, "local_part_dots_differ"},
		{"lee+bank@yahoo.com", "lee@yahoo.com", false, "plus_tag_differs"},
		{"john.smith@gmail.com", "john.smith@yahoo.com", false, "same_local_different_domain"},
		{"jsmith@acme.com", "jsmyth@acme.com", false, "local_part_typo"},
	}
	for _, tt := range tests {
		r := Match(Applicant{Email: tt.a}, []Owner{{Email: tt.b}}, DefaultPolicy())
		if r.Email.Match != tt.match || !hasReason(r.Email, tt.reason) {
			t.Errorf("%q vs %q = %d %v %v; want match %v with %s", tt.a, tt.b, r.Email.Score, r.Email.Match, r.Email.Reasons, tt.match, tt.reason)
		}
	}
}
