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

func parseListParams(f *form) (listParams, *apiError) {
	lp := listParams{limit: 10}
	if v, ok := f.str("limit"); ok && v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return lp, errInvalidInteger("limit", v)
		}
		if n < 1 || n > 100 {
			return lp, errInvalid("limit", "Invalid limit: must be between 1 and 100")
		}
		lp.limit = n
	}
	lp.startingAfter, _ = f.str("starting_after")
	lp.endingBefore, _ = f.str("ending_before")
	if lp.startingAfter != "" && lp.endingBefore != "" {
		return lp, invalidRequest(400, codeParametersExclusive, "ending_before",
			"You may only specify one of these parameters: ending_before, starting_after.")
	}
	return lp, nil
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

func newList[T any](data []T, more bool, url string) *listJSON {
	if data == nil {
		data = []T{}
	}
	return &listJSON{Object: "list", Data: data, HasMore: more, URL: url}
}
