package sandbox

import (
	"fmt"
	"strings"
)

// identity is a person as an applicant types it into a form (the Stripe customer).
type identity struct {
	First, Middle, Last string
	Nick                string // common nickname of First, or ""
	Email, Phone        string // phone in E.164
	Addr                address
}

type address struct {
	Number    int
	Dir       string // "", "N", "S", "E", "W"
	Street    string // "Main"
	Suffix    string // "St"
	Unit      string // "" or "4", "12B"
	UnitLabel string // "" means APT; businesses use STE
	City      string
	State     string
	Zip, Zip4 string
	// Line1Raw and Line2Raw hold an address typed by an API caller, printed as given.
	Line1Raw, Line2Raw string
}

type firstName struct{ name, nick string }

var firstNames = []firstName{
	{"Maria", ""}, {"James", "Jim"}, {"Robert", "Bob"}, {"Jennifer", "Jen"}, {"Michael", "Mike"},
	{"Linda", ""}, {"William", "Bill"}, {"Elizabeth", "Liz"}, {"David", "Dave"}, {"Patricia", "Pat"},
	{"Richard", "Rick"}, {"Barbara", ""}, {"Joseph", "Joe"}, {"Susan", "Sue"}, {"Thomas", "Tom"},
	{"Jessica", "Jess"}, {"Christopher", "Chris"}, {"Sarah", ""}, {"Daniel", "Dan"}, {"Karen", ""},
	{"Matthew", "Matt"}, {"Nancy", ""}, {"Anthony", "Tony"}, {"Lisa", ""}, {"Mark", ""},
	{"Betty", ""}, {"Luis", ""}, {"Ashley", ""}, {"Jose", "Pepe"}, {"Kimberly", "Kim"},
	{"Kevin", ""}, {"Emily", ""}, {"Brian", ""}, {"Donna", ""}, {"Andre", ""}, {"Michelle", ""},
	{"Wei", ""}, {"Priya", ""}, {"Olumide", ""}, {"Nguyen", ""}, {"Carlos", ""}, {"Ana", ""},
	{"Jamal", ""}, {"Aaliyah", ""}, {"Hiroshi", ""}, {"Fatima", ""}, {"Dmitri", ""}, {"Keisha", ""},
	{"Samuel", "Sam"}, {"Katherine", "Kate"}, {"Alexander", "Alex"}, {"Margaret", "Peggy"},
	{"Edward", "Ed"}, {"Deborah", "Debbie"}, {"Timothy", "Tim"}, {"Rebecca", "Becky"},
	{"Nicholas", "Nick"}, {"Victoria", "Vicky"}, {"Gabriel", "Gabe"}, {"Juan", ""},
}

var middleNames = []string{
	"Ann", "Marie", "Lynn", "Lee", "James", "Michael", "Lourdes", "Elena", "Ray", "Jean",
	"Alan", "Grace", "Jose", "Louise", "Wayne", "Renee", "Paul", "Rose", "Dean", "Kay",
}

var lastNames = []string{
	"Perez", "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
	"Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
	"Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Sanchez",
	"Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
	"Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
	"Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Okafor", "Patel", "Chen", "Kim",
	"Washington", "Petrov", "Tanaka", "Haddad", "O'Brien", "McDonald", "Van Dyke", "St. John",
}

type city struct {
	name, state string
	zip         int // first zip of the city's range
	area        []string
}

var cities = []city{
	{"Springfield", "IL", 62701, []string{"217"}}, {"Columbus", "OH", 43201, []string{"614"}},
	{"Dallas", "TX", 75201, []string{"214", "469"}}, {"Phoenix", "AZ", 85003, []string{"602"}},
	{"Seattle", "WA", 98101, []string{"206"}}, {"Atlanta", "GA", 30303, []string{"404", "678"}},
	{"Charlotte", "NC", 28202, []string{"704"}}, {"Denver", "CO", 80202, []string{"303", "720"}},
	{"Miami", "FL", 33125, []string{"305", "786"}}, {"Chicago", "IL", 60601, []string{"312", "773"}},
	{"Houston", "TX", 77002, []string{"713", "832"}}, {"Los Angeles", "CA", 90001, []string{"213", "323"}},
	{"Sacramento", "CA", 95814, []string{"916"}}, {"Brooklyn", "NY", 11201, []string{"718", "347"}},
	{"Philadelphia", "PA", 19102, []string{"215", "267"}}, {"Detroit", "MI", 48201, []string{"313"}},
	{"Memphis", "TN", 38103, []string{"901"}}, {"Tampa", "FL", 33602, []string{"813"}},
	{"Las Vegas", "NV", 89101, []string{"702"}}, {"Minneapolis", "MN", 55401, []string{"612"}},
	{"St. Louis", "MO", 63101, []string{"314"}}, {"Baltimore", "MD", 21201, []string{"410", "443"}},
	{"Milwaukee", "WI", 53202, []string{"414"}}, {"Albuquerque", "NM", 87102, []string{"505"}},
	{"Fort Worth", "TX", 76102, []string{"817"}}, {"Louisville", "KY", 40202, []string{"502"}},
	{"Oklahoma City", "OK", 73102, []string{"405"}}, {"Portland", "OR", 97201, []string{"503", "971"}},
	{"Birmingham", "AL", 35203, []string{"205"}}, {"Jackson", "MS", 39201, []string{"601"}},
	{"Boise", "ID", 83702, []string{"208"}}, {"Newark", "NJ", 7102, []string{"973"}},
}

var streetNames = []string{
	"Main", "Oak", "Maple", "Pine", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
	"Sunset", "Lincoln", "Jefferson", "Highland", "Church", "Walnut", "Mill", "River", "Spring",
	"Martin Luther King Jr", "Chestnut", "Franklin", "Willow", "Meadow", "Ridge", "Magnolia",
}

var streetSuffixes = []struct{ short, long string }{
	{"St", "Street"}, {"Ave", "Avenue"}, {"Rd", "Road"}, {"Dr", "Drive"}, {"Blvd", "Boulevard"},
	{"Ln", "Lane"}, {"Ct", "Court"}, {"Way", "Way"}, {"Pl", "Place"}, {"Pkwy", "Parkway"},
}

var directions = map[string]string{"N": "North", "S": "South", "E": "East", "W": "West"}

var emailDomains = []string{
	"gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com",
	"icloud.com", "aol.com", "comcast.net", "att.net",
}

// newIdentity draws a person. Phone numbers use the fictional 555-01xx block.
func newIdentity(r *rng) identity {
	fn := pick(r, firstNames)
	id := identity{First: fn.name, Nick: fn.nick, Last: pick(r, lastNames)}
	if r.chance(0.7) {
		id.Middle = pick(r, middleNames)
	}
	c := pick(r, cities)
	id.Addr = address{
		Number: r.between(100, 9899),
		Street: pick(r, streetNames),
		City:   c.name,
		State:  c.state,
		Zip:    fmt.Sprintf("%05d", c.zip+r.intn(40)),
		Zip4:   fmt.Sprintf("%04d", r.between(1000, 9899)),
	}
	if r.chance(0.35) {
		id.Addr.Dir = pick(r, []string{"N", "S", "E", "W"})
	}
	id.Addr.Suffix = pick(r, streetSuffixes).short
	if r.chance(0.4) {
		id.Addr.Unit = fmt.Sprint(r.between(1, 40))
		if r.chance(0.3) {
			id.Addr.Unit += string(rune('A' + r.intn(4)))
		}
	}
	id.Phone = fmt.Sprintf("+1%s555%04d", pick(r, c.area), r.between(100, 199))
	id.Email = makeEmail(r, id)
	return id
}

func makeEmail(r *rng, id identity) string {
	f, l := emailPart(id.First), emailPart(id.Last)
	var local string
	switch r.intn(6) {
	case 0:
		local = f + "." + l
	case 1:
		local = f[:1] + l + fmt.Sprint(r.between(1, 99))
	case 2:
		local = f + l + fmt.Sprint(r.between(1960, 2004))
	case 3:
		local = f + "_" + l + fmt.Sprint(r.between(10, 999))
	case 4:
		local = l + "." + f + fmt.Sprint(r.between(1, 9))
	default:
		local = f + "." + l + fmt.Sprint(r.between(100, 9999))
	}
	return local + "@" + pick(r, emailDomains)
}

func emailPart(s string) string {
	var b strings.Builder
	for _, ch := range strings.ToLower(s) {
		if ch >= 'a' && ch <= 'z' {
			b.WriteRune(ch)
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

func (id identity) fullName() string {
	return id.First + " " + id.Last
}

func (a address) line1() string {
	if a.Line1Raw != "" {
		return a.Line1Raw
	}
	parts := []string{fmt.Sprint(a.Number)}
	if a.Dir != "" {
		parts = append(parts, a.Dir)
	}
	parts = append(parts, a.Street, a.Suffix)
	return strings.Join(parts, " ")
}

func (a address) line2() string {
	if a.Line1Raw != "" {
		return a.Line2Raw
	}
	if a.Unit == "" {
		return ""
	}
	return titleCase(a.unitLabel()) + " " + a.Unit
}

func (a address) unitLabel() string {
	if a.UnitLabel != "" {
		return a.UnitLabel
	}
	return "APT"
}

func longSuffix(short string) string {
	for _, s := range streetSuffixes {
		if s.short == short {
			return s.long
		}
	}
	return short
}

// rawAddress prints the address as a bank's owner record does, in one of several styles.
func rawAddress(a address, style int) string {
	if a.Line1Raw != "" {
		var parts []string
		for _, p := range []string{a.Line1Raw, a.Line2Raw, a.City, a.State, a.Zip} {
			if p != "" {
				parts = append(parts, strings.ToUpper(p))
			}
		}
		return strings.Join(parts, " ")
	}
	switch style % 4 {
	case 0: // 123 N MAIN ST APT 4 SPRINGFIELD IL 62704-1234
		s := strings.ToUpper(a.line1())
		if a.Unit != "" {
			s += " " + a.unitLabel() + " " + a.Unit
		}
		return fmt.Sprintf("%s %s %s %s-%s", s, strings.ToUpper(a.City), a.State, a.Zip, a.Zip4)
	case 1: // 123 North Main Street, Apt 4, Springfield, IL 62704
		parts := []string{fmt.Sprint(a.Number)}
		if a.Dir != "" {
			parts = append(parts, directions[a.Dir])
		}
		parts = append(parts, a.Street, longSuffix(a.Suffix))
		s := strings.Join(parts, " ")
		if a.Unit != "" {
			s += ", " + titleCase(a.unitLabel()) + " " + a.Unit
		}
		return fmt.Sprintf("%s, %s, %s %s", s, a.City, a.State, a.Zip)
	case 2: // 123 N MAIN ST #4, SPRINGFIELD, IL, 62704
		s := strings.ToUpper(a.line1())
		if a.Unit != "" {
			s += " #" + a.Unit
		}
		return fmt.Sprintf("%s, %s, %s, %s", s, strings.ToUpper(a.City), a.State, a.Zip)
	default: // 123 N Main St Unit 4 Springfield IL 627041234
		s := a.line1()
		if a.Unit != "" {
			s += " " + map[bool]string{true: "Unit", false: "Ste"}[a.UnitLabel == ""] + " " + a.Unit
		}
		return fmt.Sprintf("%s %s %s %s%s", s, a.City, a.State, a.Zip, a.Zip4)
	}
}

// bankName prints a person's name the way bank records do, in one of several styles.
func bankName(id identity, style int) string {
	up := strings.ToUpper
	mi := ""
	if id.Middle != "" {
		mi = " " + up(id.Middle[:1])
	}
	switch style % 6 {
	case 0:
		return up(id.First) + mi + " " + up(id.Last)
	case 1:
		return up(id.Last) + " " + up(id.First) + mi
	case 2:
		return id.First + " " + id.Last
	case 3:
		if id.Middle != "" {
			return up(id.First + " " + id.Middle + " " + id.Last)
		}
		return up(id.First + " " + id.Last)
	case 4:
		if id.Nick != "" {
			return up(id.Nick + " " + id.Last)
		}
		return up(id.First) + mi + " " + up(id.Last)
	default:
		return up(id.Last) + ", " + up(id.First)
	}
}

func bankPhone(e164 string, style int) string {
	if len(e164) != 12 {
		return e164
	}
	d := e164[2:]
	switch style % 3 {
	case 0:
		return e164
	case 1:
		return d
	default:
		return fmt.Sprintf("(%s) %s-%s", d[:3], d[3:6], d[6:])
	}
}
