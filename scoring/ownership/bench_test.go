package ownership

import "testing"

// benchApplicant and benchOwners are a typical comparison: a full applicant against a
// joint account whose owners have every field, in the formats banks use.
var (
	benchApplicant = Applicant{
		Name:  "Elizabeth Anne Carter-Lopez",
		Email: "liz.carter+bank@gmail.com",
		Phone: "(415) 555-0132",
		Address: &Address{Line1: "123 North Main Street", Line2: "Apt 4B",
			City: "Springfield", State: "IL", PostalCode: "62704"},
	}
	benchOwners = []Owner{
		{Name: "CARTER LOPEZ, BETSY A", Email: "LIZCARTER@GMAIL.COM", Phone: "+1 415-555-0132 ext 2",
			RawAddress: "123 N MAIN ST APT 4B, SPRINGFIELD, IL 62704-1234"},
		{Name: "MIGUEL LOPEZ & ELIZABETH CARTER LOPEZ JTWROS", Email: "m.lopez@yahoo.com", Phone: "217-555-0199",
			RawAddress: "123 NORTH MAIN STREET #4B SPRINGFIELD ILLINOIS 62704"},
	}
)

// BenchmarkMatch measures whole comparisons, applicant parsing included. It reports
// owner comparisons per wall-clock second and per CPU second; run it with -cpu 1 for
// the per-core figure (target ≥ 100,000). On a busy machine the CPU-second rate is the
// one to read.
func BenchmarkMatch(b *testing.B) {
	benchMatch(b, benchApplicant, benchOwners)
}

func benchMatch(b *testing.B, a Applicant, owners []Owner) {
	p := DefaultPolicy()
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		Match(a, owners, p)
	}
	n := float64(b.N * len(owners))
	b.ReportMetric(n/b.Elapsed().Seconds(), "owner-comparisons/s")
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(n/cpu.Seconds(), "owner-comparisons/cpu-s")
	}
}

func BenchmarkMatchName(b *testing.B) {
	p := DefaultPolicy()
	a := Applicant{Name: benchApplicant.Name}
	o := []Owner{{Name: benchOwners[1].Name}}
	b.ReportAllocs()
	for b.Loop() {
		Match(a, o, p)
	}
}

func BenchmarkMatchAddress(b *testing.B) {
	p := DefaultPolicy()
	a := Applicant{Address: benchApplicant.Address}
	o := []Owner{{RawAddress: benchOwners[0].RawAddress}}
	b.ReportAllocs()
	for b.Loop() {
		Match(a, o, p)
	}
}

// BenchmarkMatchTypical is the common case: one owner, one person, every field.
func BenchmarkMatchTypical(b *testing.B) {
	a := Applicant{Name: "John Michael Smith", Email: "jsmith@example.com", Phone: "415-555-0132",
		Address: &Address{Line1: "742 Evergreen Terrace", City: "Springfield", State: "OR", PostalCode: "97403"}}
	o := []Owner{{Name: "JOHN M SMITH", Email: "JSMITH@EXAMPLE.COM", Phone: "+14155550132",
		RawAddress: "742 EVERGREEN TER, SPRINGFIELD, OR 97403-1234"}}
	benchMatch(b, a, o)
}
