package metrics

import (
	"bytes"
	"math"
	"testing"
)

func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	w.Family("riskd_requests_total", "counter", "Requests sent.")
	w.Sample("riskd_requests_total", 3, "endpoint", `GET /v1/x "q"`, "status", "200")
	w.Labeled("riskd_age_seconds", "gauge", "Age.", "account", map[string]float64{"b": 2.5, "a": math.Inf(1)})
	want := `# HELP riskd_requests_total Requests sent.
# TYPE riskd_requests_total counter
riskd_requests_total{endpoint="GET /v1/x \"q\"",status="200"} 3
# HELP riskd_age_seconds Age.
# TYPE riskd_age_seconds gauge
riskd_age_seconds{account="a"} +Inf
riskd_age_seconds{account="b"} 2.5
`
	if b.String() != want || w.Err() != nil {
		t.Fatalf("got\n%s\nwant\n%s", b.String(), want)
	}
}
