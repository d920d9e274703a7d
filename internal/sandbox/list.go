package sandbox

import (
	"math"
	"strconv"
)

// Lists are newest first. Each list handler maps its objects to int64 positions, smaller =
// newer, and supplies step(pos, forward): the first matching object strictly after pos
// (older when forward, newer otherwise). paginate does the rest, so every list honours
// limit / starting_after / ending_before / has_more the same way.

type listParams struct {
	limit         int
	startingAfter string
	endingBefore  string
}

var listKeys = []string{"limit", "starting_after", "ending_before", "expand"}

// parseListParams reads a list call's pagination parameters, then its expand[] (each entry
// "data." and one of expandable).
func parseListParams(f *form, expandable []string) (listParams, []string, *apiError) {
	lp := listParams{limit: 10}
	if v, ok := f.str("limit"); ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return lp, nil, errInvalidInteger("limit", v)
		}
		if n < 1 || n > 100 {
			return lp, nil, errInvalid("limit", "Invalid limit: must be between 1 and 100")
		}
		lp.limit = n
	}
	lp.startingAfter, _ = f.str("starting_after")
	lp.endingBefore, _ = f.str("ending_before")
	if lp.startingAfter != "" && lp.endingBefore != "" {
		return lp, nil, invalidRequest(400, codeParametersExclusive, "ending_before",
			"You may only specify one of these parameters: ending_before, starting_after.")
	}
	exp, err := expandList(f, expandable, true)
	return lp, exp, err
}

// paginate returns one page and has_more. cursorPos resolves a starting_after/ending_before id
// (param names which one) to its position.
func paginate[T any](lp listParams, cursorPos func(id, param string) (int64, *apiError),
	step func(pos int64, forward bool) (T, int64, bool)) ([]T, bool, *apiError) {
	forward := lp.endingBefore == ""
	pos := int64(math.MinInt64)
	switch {
	case lp.startingAfter != "":
		p, err := cursorPos(lp.startingAfter, "starting_after")
		if err != nil {
			return nil, false, err
		}
		pos = p
	case lp.endingBefore != "":
		p, err := cursorPos(lp.endingBefore, "ending_before")
		if err != nil {
			return nil, false, err
		}
		pos = p
	}
	out := make([]T, 0, min(lp.limit, 16))
	more := false
	for {
		item, p, ok := step(pos, forward)
		if !ok {
			break
		}
		if len(out) == lp.limit {
			more = true
			break
		}
		out = append(out, item)
		pos = p
	}
	if !forward {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, more, nil
}

// listJSON is Stripe's list envelope.
type listJSON struct {
	Object  string `json:"object"`
	Data    any    `json:"data"`
	HasMore bool   `json:"has_more"`
	URL     string `json:"url"`
}

// mixedCursor is the cursorPos of a list of objects of kind k (what names them in errors)
// made of nr run-time ones, newest first at positions 0..nr-1 with linkedBit keys, followed
// by the generated ones, key i at nr+i.
func (s *Sandbox) mixedCursor(k idKind, what string, nr int64) func(id, param string) (int64, *apiError) {
	return func(id, param string) (int64, *apiError) {
		key, ok := s.ids.decode(k, id)
		switch {
		case ok && key < uint64(s.n):
			return nr + int64(key), nil
		case ok && key&linkedBit != 0 && int64(key&^linkedBit) < nr:
			return nr - 1 - int64(key&^linkedBit), nil
		}
		return 0, errNoSuch(what, id, param)
	}
}

// encodeList writes the list envelope (as in listJSON) by hand, for lists too hot for
// encoding/json: add appends one item of page (sizeHint bytes or so); url is the list's path
// and needs no escaping.
func encodeList[T any](page []T, sizeHint int, add func(b []byte, item T) []byte, more bool, url string) rawJSON {
	b := make([]byte, 0, 64+len(page)*sizeHint)
	b = append(b, `{"object":"list","data":[`...)
	for i, item := range page {
		if i > 0 {
			b = append(b, ',')
		}
		b = add(b, item)
	}
	b = append(b, `],"has_more":`...)
	b = strconv.AppendBool(b, more)
	b = append(b, `,"url":"`+url+`"}`...)
	return b
}

func newList[T any](data []T, more bool, url string) *listJSON {
	if data == nil {
		data = []T{}
	}
	return &listJSON{Object: "list", Data: data, HasMore: more, URL: url}
}
