package ownership

import "strings"

// phone is a parsed telephone number.
type phone struct {
	digits   string // every digit before an extension, as written
	e164     string // +<country code><national number>, or "" when it cannot be placed
	national string // national significant number (no country code, no trunk 0)
	cc       string // country calling code, "" when unknown
	trunk    bool   // written in national format with a leading trunk 0
	ext      bool   // an extension was dropped
}

// twoDigitCodes are the country calling codes of two digits. Codes starting with 1
// or 7 have one digit; every other code not listed here has three.
var twoDigitCodes = setOf(`20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53
	54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98`)

// keypad maps letters to the digits printed with them on a telephone keypad.
const keypad = "22233344455566677778889999"

// parsePhone reads a phone number written in any common style: "(415) 555-0132",
// "+1 415.555.0132", "1-415-555-0132 ext. 12", "+44 (0)20 7946 0958", "011 44 ...".
// Numbers without a country code are taken to be US numbers when they have 10 digits.
func parsePhone(s string) phone {
	var p phone
	var b strings.Builder
	plus := false
	vanity := false
	for _, r := range s {
		isLetter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if isLetter && (vanity || b.Len() >= 3 && b.Len() < 7) {
			// 1-800-FLOWERS: letters in place of digits, as on a keypad.
			vanity = true
			b.WriteByte(keypad[(r|0x20)-'a'])
			continue
		}
		vanity = false
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 0xFF10 && r <= 0xFF19: // fullwidth digits
			b.WriteRune('0' + r - 0xFF10)
		case r == '+' && b.Len() == 0:
			plus = true
		case b.Len() >= 7 && (r == 'x' || r == 'X' || r == 'e' || r == 'E' || r == '#' || r == ',' || r == ';' || r == 'p' || r == 'P' || r == 'w' || r == 'W' || r == '/' || r == '|'):
			// ext, x, #, ;ext=, and dial pauses all start an extension; a slash or bar
			// starts a second number, which parsePhones reads separately.
			p.ext = true
		}
		if p.ext {
			break
		}
	}
	d := b.String()
	p.digits = d
	switch {
	case plus:
		p.place(d)
		if p.e164 == "" {
			p.e164 = "+" + d
		}
	case strings.HasPrefix(d, "011") && len(d) > 10:
		p.place(d[3:])
	case strings.HasPrefix(d, "00") && len(d) > 9:
		p.place(d[2:])
	case len(d) == 10 && d[0] >= '2':
		p.cc, p.national, p.e164 = "1", d, "+1"+d
	case len(d) == 11 && d[0] == '1' && d[1] >= '2':
		p.cc, p.national, p.e164 = "1", d[1:], "+"+d
	case len(d) >= 9 && len(d) <= 12 && d[0] == '0' && d[1] != '0':
		p.national, p.trunk = d[1:], true
	default:
		p.national = d
	}
	return p
}

// place splits an international number into country code and national number.
func (p *phone) place(d string) {
	if len(d) < 8 || len(d) > 15 {
		return
	}
	n := 3
	switch {
	case d[0] == '1' || d[0] == '7':
		n = 1
	case twoDigitCodes[d[:2]]:
		n = 2
	case d[0] == '0':
		return
	}
	p.cc, p.national = d[:n], d[n:]
	// "+44 (0)20 ...": the trunk 0 written inside an international number is dropped,
	// except in Italy where it is part of the number.
	if len(p.national) > 6 && p.national[0] == '0' && p.national[1] != '0' && p.cc != "39" {
		p.national = p.national[1:]
	}
	p.e164 = "+" + p.cc + p.national
}

// NormalizePhone returns a phone number in E.164 form (+14155550132), assuming the US
// for ten-digit numbers without a country code and dropping extensions. A number that
// cannot be placed is returned as its digits.
func NormalizePhone(s string) string {
	p := parsePhone(s)
	if p.e164 != "" {
		return p.e164
	}
	if p.trunk {
		return "0" + p.national
	}
	return p.digits
}

// comparePhones scores an applicant's phone number against an owner's, 0–100.
func comparePhones(a, b phone) (int, []string) {
	if len(a.digits) < 4 || len(b.digits) < 4 {
		if a.digits != "" && a.digits == b.digits {
			return 60, []string{"incomplete_number"}
		}
		return 0, []string{"no_phone_match"}
	}
	var reasons []string
	if a.ext || b.ext {
		reasons = append(reasons, "extension_dropped")
	}
	switch {
	case a.digits == b.digits:
		if len(reasons) == 0 {
			return 100, []string{"exact"}
		}
		return 99, reasons
	case a.e164 != "" && a.e164 == b.e164:
		return 99, append(reasons, "e164_normalized")
	case a.national == b.national && (a.trunk && b.cc != "" || b.trunk && a.cc != ""):
		return 97, append(reasons, "national_trunk_prefix")
	case a.national == b.national && a.cc != "" && b.cc != "":
		return 40, []string{"country_code_mismatch"}
	}
	an, bn := a.national, b.national
	if len(an) == 7 && len(bn) == 10 && strings.HasSuffix(bn, an) || len(bn) == 7 && len(an) == 10 && strings.HasSuffix(an, bn) {
		return 75, append(reasons, "area_code_missing")
	}
	if len(an) == len(bn) && len(an) >= 7 {
		diff, first := 0, -1
		for i := 0; i < len(an); i++ {
			if an[i] != bn[i] {
				if first < 0 {
					first = i
				}
				diff++
			}
		}
		switch {
		case diff == 2 && first+1 < len(an) && an[first] == bn[first+1] && an[first+1] == bn[first]:
			return 60, []string{"digits_transposed"}
		case diff == 1:
			return 55, []string{"one_digit_differs"}
		case len(an) == 10 && an[3:] == bn[3:]:
			return 35, []string{"area_code_mismatch"}
		}
	}
	// Unrelated numbers: grade by the shared tail, which is where local numbers agree.
	k := 0
	for k < len(an) && k < len(bn) && an[len(an)-1-k] == bn[len(bn)-1-k] {
		k++
	}
	return min(30, 30*k/max(1, max(len(an), len(bn)))), []string{"no_phone_match"}
}

// parsePhones reads a field that may list several numbers ("415-555-0132 /
// 415-555-0199") and returns each of them.
func parsePhones(s string) []phone {
	if !strings.ContainsAny(s, "/|;,") {
		return []phone{parsePhone(s)}
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '|' || r == ';' || r == ',' })
	var out []phone
	for _, part := range parts {
		if p := parsePhone(part); len(p.digits) >= 7 {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		out = append(out, parsePhone(s))
	}
	return out
}
