package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func runMatchString(t *testing.T, input string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errb bytes.Buffer
	status = runMatch(args, strings.NewReader(input), &out, &errb)
	return out.String(), errb.String(), status
}

func decodeLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var rows []map[string]any
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("output line is not JSON: %q: %v", l, err)
		}
		rows = append(rows, m)
	}
	return rows
}

const jointAccount = `{"id": "acct_1", "applicant": {"name": "Luis Perez", "email": "Luis.Perez@gmail.com", "phone": "(415) 555-0132",` +
	` "address": {"line1": "123 Main Street", "line2": "Apt 4B", "city": "Springfield", "state": "IL", "postal_code": "62704", "country": "US"}},` +
	` "owners": [{"name": "MARIA PEREZ", "email": null, "phone": "415-555-0199"},` +
	` {"name": "MARIA AND LUIS PEREZ", "email": "luisperez@gmail.com", "phone": "+14155550132", "raw_address": "123 MAIN ST APT 4B, SPRINGFIELD, IL 62704-1234"}]}`

func TestRunMatchContract(t *testing.T) {
	out, errOut, status := runMatchString(t, jointAccount+"\n")
	if status != 0 || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	rows := decodeLines(t, out)
	if len(rows) != 1 {
		t.Fatalf("want 1 line, got %d: %s", len(rows), out)
	}
	row := rows[0]
	keys := []string{"id", "name", "email", "phone", "address"}
	if len(row) != len(keys) {
		t.Errorf("output keys = %v, want exactly %v", row, keys)
	}
	if row["id"] != "acct_1" {
		t.Errorf("id = %v", row["id"])
	}
	for _, f := range keys[1:] {
		fr, ok := row[f].(map[string]any)
		if !ok {
			t.Fatalf("%s = %v, want an object", f, row[f])
		}
		if fr["match"] != true || fr["owner_index"] != 1.0 {
			t.Errorf("%s = %v, want a match with owner 1", f, fr)
		}
		if _, ok := fr["reasons"].([]any); !ok {
			t.Errorf("%s has no reasons array: %v", f, fr)
		}
	}
	name := row["name"].(map[string]any)
	for _, flag := range []string{"is_nickname_match", "is_first_or_last_name_match", "is_business_name_detected"} {
		if _, ok := name[flag].(bool); !ok {
			t.Errorf("name lacks %s: %v", flag, name)
		}
	}
	addr := row["address"].(map[string]any)
	if addr["is_postal_code_match"] != true || addr["is_unit_mismatch"] != false {
		t.Errorf("address flags: %v", addr)
	}
}

func TestRunMatchNullsAndErrors(t *testing.T) {
	input := strings.Join([]string{
		`{"id": "a", "applicant": {"name": "Ann Lee"}, "owners": [{"name": "ANN LEE", "email": "ann@x.com"}]}`,
		`this is not json`,
		``,
		`{"id": 7, "applicant": null, "owners": null}`,
		`{"id": "b", "applicant": {"name": "Ann Lee"}, "owners": 5}`,
		`{"id": "c", "applicant": {"name": 12}, "owners": []}`,
		`[1, 2]`,
		`{"id": {"x": 1}, "owners": []}`,
		`{"applicant": {"email": "x@y.z"}, "owners": [{"email": "X@Y.Z"}, null]}`,
	}, "\n")
	out, _, status := runMatchString(t, input)
	if status != 1 {
		t.Errorf("status = %d, want 1 for bad lines", status)
	}
	rows := decodeLines(t, out)
	if len(rows) != 8 {
		t.Fatalf("want 8 output lines (blank line skipped), got %d:\n%s", len(rows), out)
	}
	// Line 1: name matched, email null because the applicant has none.
	if rows[0]["id"] != "a" || rows[0]["email"] != nil || rows[0]["name"].(map[string]any)["score"] != 100.0 {
		t.Errorf("line 1 = %v", rows[0])
	}
	// Output index → expected error and input line number (line 3 is blank).
	wantErr := map[int]string{1: "invalid JSON", 3: "owners: expected an array, got number",
		4: "applicant.name: expected a string, got number", 5: "expected a JSON object", 6: "id: expected a string or number"}
	lineOf := map[int]float64{1: 2, 3: 5, 4: 6, 5: 7, 6: 8}
	for i, want := range wantErr {
		msg, _ := rows[i]["error"].(string)
		if !strings.Contains(msg, want) || rows[i]["line"] != lineOf[i] {
			t.Errorf("output %d = %v, want line %v error containing %q", i, rows[i], lineOf[i], want)
		}
	}
	// Line 4: numeric id echoed, every field null.
	if rows[2]["id"] != 7.0 || rows[2]["name"] != nil || rows[2]["address"] != nil {
		t.Errorf("line 4 = %v", rows[2])
	}
	// Last line: missing id is null; a null owner is skipped for e-mail.
	last := rows[7]
	if last["id"] != nil || last["email"].(map[string]any)["match"] != true {
		t.Errorf("last line = %v", last)
	}
}

func TestRunMatchFlags(t *testing.T) {
	in := `{"id": "n", "applicant": {"name": "Betsy Carter"}, "owners": [{"name": "ELIZABETH CARTER"}]}`
	out, _, status := runMatchString(t, in, "-name-threshold", "96", "-owners")
	if status != 0 {
		t.Fatalf("status %d", status)
	}
	row := decodeLines(t, out)[0]
	if row["name"].(map[string]any)["match"] != false {
		t.Errorf("threshold 96 should reject a nickname (95): %v", row["name"])
	}
	if owners, ok := row["owners"].([]any); !ok || len(owners) != 1 {
		t.Errorf("-owners: %v", row["owners"])
	}
	if _, errOut, status := runMatchString(t, in, "-phone-threshold", "150"); status != 2 || !strings.Contains(errOut, "phone_threshold") {
		t.Errorf("bad threshold: status %d stderr %q", status, errOut)
	}
	if _, _, status := runMatchString(t, in, "-bogus"); status != 2 {
		t.Errorf("unknown flag: status %d", status)
	}
}

func TestRunMatchOrderAndCRLF(t *testing.T) {
	var b strings.Builder
	for i := range 50 {
		b.WriteString(`{"id": "` + string(rune('A'+i%26)) + `", "applicant": {"phone": "415-555-0132"}, "owners": [{"phone": "4155550132"}]}` + "\r\n")
	}
	out, _, status := runMatchString(t, b.String())
	rows := decodeLines(t, out)
	if status != 0 || len(rows) != 50 {
		t.Fatalf("status %d, %d rows", status, len(rows))
	}
	for i, r := range rows {
		if r["id"] != string(rune('A'+i%26)) {
			t.Fatalf("row %d id %v: output out of order", i, r["id"])
		}
	}
}
