package sandbox

import (
	"testing"
	"time"
)

// referenceMonthlyDue is the plain calendar version of calDay.monthlyDue.
func referenceMonthlyDue(t time.Time, dom int, back bool) bool {
	for off := -1; off <= 1; off++ {
		first := time.Date(t.Year(), t.Month()+time.Month(off), 1, 0, 0, 0, 0, time.UTC)
		target := first.AddDate(0, 0, min(dom, first.AddDate(0, 1, -1).Day())-1)
		switch target.Weekday() {
		case time.Saturday:
			target = target.AddDate(0, 0, map[bool]int{true: -1, false: 2}[back])
		case time.Sunday:
			target = target.AddDate(0, 0, map[bool]int{true: -2, false: 1}[back])
		}
		if target.Equal(t) {
			return true
		}
	}
	return false
}

func TestMonthlyDueMatchesCalendar(t *testing.T) {
	for day := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC); day.Year() < 2026; day = day.AddDate(0, 0, 1) {
		c := newCalDay(day)
		for dom := 1; dom <= 31; dom++ {
			for _, back := range []bool{false, true} {
				if got, want := c.monthlyDue(dom, back), referenceMonthlyDue(day, dom, back); got != want {
					t.Fatalf("%s dom=%d back=%v: got %v, want %v", day.Format("2006-01-02"), dom, back, got, want)
				}
			}
		}
	}
}

// BenchmarkLedger measures generating one account's 12-month history.
func BenchmarkLedger(b *testing.B) {
	start := time.Date(2024, 6, 15, 12, 0, 0, 0, time.UTC)
	s, _ := New(Config{Seed: 1, Accounts: 16, Start: start, Clock: func() time.Time { return start }})
	rows := 0
	for i := 0; i < b.N; i++ {
		a := s.account(uint64(i % 16))
		l := s.newLedger(a)
		l.ensure(start.Unix())
		rows += len(l.rows)
	}
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}
