package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"reflect"

	"github.com/riskd/riskd/scoring/ownership"
)

// maxMatchLine is the longest input line riskctl match reads (16 MiB).
const maxMatchLine = 16 << 20

// matchInput is one line of `riskctl match` input. Any field may be missing or null.
type matchInput struct {
	ID        json.RawMessage   `json:"id"`
	Applicant *matchApplicant   `json:"applicant"`
	Owners    []ownership.Owner `json:"owners"`
}

type matchApplicant struct {
	Name    string             `json:"name"`
	Email   string             `json:"email"`
	Phone   string             `json:"phone"`
	Address *ownership.Address `json:"address"`
}

// matchOutput is one line of `riskctl match` output; a field is null when the
// applicant or every owner lacks it.
type matchOutput struct {
	ID      json.RawMessage         `json:"id"`
	Name    *ownership.FieldResult  `json:"name"`
	Email   *ownership.FieldResult  `json:"email"`
	Phone   *ownership.FieldResult  `json:"phone"`
	Address *ownership.FieldResult  `json:"address"`
	Owners  []ownership.OwnerResult `json:"owners,omitempty"`
}

// lineError reports an input line that could not be matched.
type lineError struct {
	Line  int    `json:"line"`
	Error string `json:"error"`
}

// runMatch implements `riskctl match`: it reads JSON Lines from stdin, each
//
//	{"id": ..., "applicant": {"name", "email", "phone", "address": {"line1", "line2",
//	 "city", "state", "postal_code", "country"}}, "owners": [{"name", "email", "phone",
//	 "raw_address"}]}
//
// and writes one JSON line per input line, in order:
//
//	{"id": ..., "name": F, "email": F, "phone": F, "address": F}
//
// where F is null or {"score", "match", "owner_index", "reasons", ...flags}. A line
// that is not valid JSON, or has a field of the wrong type, gets {"line": N, "error":
// "..."} instead; the other lines still run and the exit status is 1. Blank lines are
// skipped. Flags set the per-field thresholds (0–100) and -owners adds every owner's
// results. It returns the exit status: 0, 1 for bad lines, 2 for bad flags or I/O.
func runMatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("riskctl match", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: riskctl match [flags] < applicants.jsonl > results.jsonl")
		fs.PrintDefaults()
	}
	p := ownership.DefaultPolicy()
	fs.IntVar(&p.NameThreshold, "name-threshold", p.NameThreshold, "name match threshold, 0–100")
	fs.IntVar(&p.EmailThreshold, "email-threshold", p.EmailThreshold, "e-mail match threshold, 0–100")
	fs.IntVar(&p.PhoneThreshold, "phone-threshold", p.PhoneThreshold, "phone match threshold, 0–100")
	fs.IntVar(&p.AddressThreshold, "address-threshold", p.AddressThreshold, "address match threshold, 0–100")
	withOwners := fs.Bool("owners", false, "also write every owner's results under \"owners\"")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "riskctl match: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if err := p.Validate(); err != nil {
		fmt.Fprintf(stderr, "riskctl match: %v\n", err)
		return 2
	}

	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 0, 64<<10), maxMatchLine)
	status := 0
	n := 0
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var v any
		in, err := decodeMatchLine(line)
		if err != nil {
			v, status = lineError{Line: n, Error: err.Error()}, 1
		} else {
			v = matchLine(in, p, *withOwners)
		}
		if err := enc.Encode(v); err != nil {
			fmt.Fprintf(stderr, "riskctl match: write: %v\n", err)
			return 2
		}
	}
	if err := sc.Err(); err != nil {
		msg := err.Error()
		if errors.Is(err, bufio.ErrTooLong) {
			msg = fmt.Sprintf("line longer than %d bytes; input not read further", maxMatchLine)
		}
		if err := enc.Encode(lineError{Line: n + 1, Error: msg}); err != nil {
			fmt.Fprintf(stderr, "riskctl match: write: %v\n", err)
			return 2
		}
		status = 1
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "riskctl match: write: %v\n", err)
		return 2
	}
	return status
}

// matchLine compares one applicant with its owners.
func matchLine(in *matchInput, p ownership.Policy, withOwners bool) matchOutput {
	var a ownership.Applicant
	if in.Applicant != nil {
		a = ownership.Applicant{Name: in.Applicant.Name, Email: in.Applicant.Email,
			Phone: in.Applicant.Phone, Address: in.Applicant.Address}
	}
	r := ownership.Match(a, in.Owners, p)
	out := matchOutput{ID: in.ID, Name: r.Name, Email: r.Email, Phone: r.Phone, Address: r.Address}
	if out.ID == nil {
		out.ID = json.RawMessage("null")
	}
	if withOwners {
		out.Owners = r.Owners
	}
	return out
}

// decodeMatchLine parses one input line, naming the field when a value has the wrong
// type.
func decodeMatchLine(line []byte) (*matchInput, error) {
	if line[0] != '{' {
		if !json.Valid(line) {
			return nil, invalidJSON(line)
		}
		return nil, errors.New("expected a JSON object")
	}
	var in matchInput
	if err := json.Unmarshal(line, &in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%s: expected %s, got %s", te.Field, describeType(te.Type), te.Value)
		}
		return nil, invalidJSON(line)
	}
	if len(in.ID) > 0 {
		switch in.ID[0] {
		case '"', 'n', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		default:
			return nil, errors.New("id: expected a string or number")
		}
	}
	return &in, nil
}

// invalidJSON explains where a line stops being JSON.
func invalidJSON(line []byte) error {
	var v any
	err := json.Unmarshal(line, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("invalid JSON at byte %d: %v", se.Offset, se)
	}
	if err != nil {
		return fmt.Errorf("invalid JSON: %v", err)
	}
	return errors.New("invalid JSON")
}

// describeType names a Go type the way a JSON user thinks of it.
func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	}
	return t.String()
}
