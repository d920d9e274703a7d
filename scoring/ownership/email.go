package ownership

import (
	"strings"
	"unicode"
)

// email is a parsed e-mail address.
type email struct {
	raw    string // lowercased, white space removed
	local  string // mailbox part as written (lowercased)
	domain string
	canon  string // local part after the provider's own rules
	valid  bool   // has a non-empty local part and a domain
}

// dotBlindDomains ignore dots in the mailbox name and deliver name+tag to name.
var dotBlindDomains = setOf(`gmail.com googlemail.com`)

// plusTagDomains deliver name+tag to name but treat dots as significant.
var plusTagDomains = setOf(`outlook.com hotmail.com live.com msn.com icloud.com me.com mac.com
	fastmail.com fastmail.fm protonmail.com proton.me pm.me`)

// appleDomains are one iCloud mailbox under three domain names.
var appleDomains = setOf(`icloud.com me.com mac.com`)

// knownProviders are large consumer mail domains; a domain one or two letters away
// from one of them is a typing slip, not another provider.
var knownProviders = []string{"gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "aol.com",
	"icloud.com", "live.com", "msn.com", "comcast.net", "att.net", "verizon.net",
	"sbcglobal.net", "protonmail.com", "me.com", "mac.com", "ymail.com", "bellsouth.net",
	"charter.net", "cox.net", "earthlink.net", "gmx.com", "mail.com", "zoho.com"}

// cleanEmail lowercases s, removes white space, a "mailto:" prefix and a display name
// ("Ann Lee <ann@x.com>"), and trailing dots of the domain.
func cleanEmail(s string) string {
	s = strings.ToLower(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			s = s[i+1 : i+j]
		}
	}
	for strings.HasPrefix(s, "mailto:") {
		s = s[len("mailto:"):]
	}
	for strings.HasSuffix(s, ".") {
		s = s[:len(s)-1]
	}
	return s
}

// parseEmail splits an address into mailbox and domain and applies the provider's
// rules: Gmail ignores dots and +tags; Outlook, iCloud, Fastmail and Proton drop +tags.
// Other domains are taken literally.
func parseEmail(s string) email {
	e := email{raw: cleanEmail(s)}
	at := strings.LastIndexByte(e.raw, '@')
	if at < 0 {
		e.local, e.canon = e.raw, e.raw
		return e
	}
	e.local, e.domain = e.raw[:at], e.raw[at+1:]
	if e.domain == "googlemail.com" {
		e.domain = "gmail.com"
	}
	e.valid = e.local != "" && e.domain != ""
	e.canon = canonLocal(e.local, e.domain)
	return e
}

// canonLocal applies a provider's mailbox rules to a local part.
func canonLocal(local, domain string) string {
	if dotBlindDomains[domain] || plusTagDomains[domain] {
		if i := strings.IndexByte(local, '+'); i >= 0 {
			local = local[:i]
		}
	}
	if dotBlindDomains[domain] {
		local = strings.ReplaceAll(local, ".", "")
	}
	return local
}

// NormalizeEmail returns the mailbox an address delivers to: lowercased, without
// white space, with the provider's dot and +tag rules applied (john.doe+shop@gmail.com
// becomes johndoe@gmail.com; john.doe@yahoo.com is unchanged).
func NormalizeEmail(s string) string {
	e := parseEmail(s)
	if e.domain == "" && !strings.Contains(e.raw, "@") {
		return e.raw
	}
	return e.canon + "@" + e.domain
}

// compareEmails scores an applicant's e-mail address against an owner's, 0–100.
func compareEmails(a, b email) (int, []string) {
	if a.raw == "" || b.raw == "" {
		return 0, []string{"no_email_match"}
	}
	if a.raw == b.raw {
		return 100, []string{"exact"}
	}
	if !a.valid || !b.valid {
		return min(20, int(20*jaroWinkler(a.raw, b.raw))), []string{"invalid_email"}
	}
	sameDomain := a.domain == b.domain
	if a.canon == b.canon && sameDomain {
		var reasons []string
		if strings.Contains(a.local, "+") || strings.Contains(b.local, "+") {
			reasons = append(reasons, "plus_tag_removed")
		}
		if strings.ReplaceAll(a.local, ".", "") != a.local || strings.ReplaceAll(b.local, ".", "") != b.local {
			if dotBlindDomains[a.domain] && stripTag(a.local) != stripTag(b.local) {
				reasons = append(reasons, "gmail_dots_ignored")
			}
		}
		if len(reasons) == 0 {
			reasons = append(reasons, "provider_alias") // googlemail.com
		}
		return 98, reasons
	}
	if isDomainTypo(a.domain, b.domain) {
		// Read both mailboxes by the rules of the provider that was meant.
		provider := a.domain
		if !isKnownProvider(provider) {
			provider = b.domain
		}
		if canonLocal(a.local, provider) == canonLocal(b.local, provider) {
			return 80, []string{"domain_typo"}
		}
	}
	if a.canon == b.canon || a.local == b.local {
		if appleDomains[a.domain] && appleDomains[b.domain] {
			return 95, []string{"icloud_domain_alias"}
		}
		return 45, []string{"same_local_different_domain"}
	}
	if sameDomain {
		switch {
		case strings.ReplaceAll(a.canon, ".", "") == strings.ReplaceAll(b.canon, ".", ""):
			return 60, []string{"local_part_dots_differ"}
		case stripTag(a.canon) == stripTag(b.canon):
			return 65, []string{"plus_tag_differs"}
		case len(a.canon) >= 5 && osaDistance(a.canon, b.canon, 1) <= 1:
			return 55, []string{"local_part_typo"}
		}
		jw := jaroWinkler(a.canon, b.canon)
		return int(40 * jw * jw), []string{"local_part_mismatch"}
	}
	return int(20 * jaroWinkler(a.canon, b.canon)), []string{"no_email_match"}
}

func stripTag(local string) string {
	if i := strings.IndexByte(local, '+'); i >= 0 {
		return local[:i]
	}
	return local
}

// isDomainTypo reports whether one domain is a known provider and the other a slip
// of it (gmial.com, gmail.con) that is not itself a known provider.
func isDomainTypo(x, y string) bool {
	kx, ky := isKnownProvider(x), isKnownProvider(y)
	if kx == ky {
		return false
	}
	return osaDistance(x, y, 2) <= 2
}

func isKnownProvider(d string) bool {
	for _, p := range knownProviders {
		if p == d {
			return true
		}
	}
	return false
}
