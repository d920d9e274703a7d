package sandbox

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// formNode is one node of a Stripe-style form tree. `a[b][c]=v` nests maps, `k[]=v` appends to
// a list and `k[0]=v` (stripe-go's indexed arrays) addresses list items; a key given without
// brackets is a leaf. Lists and maps are the same node type: kids in arrival order, each with
// the bracket segment that named it ("" for `[]`).
type formNode struct {
	value  string
	isLeaf bool
	kids   []formKid
}

type formKid struct {
	seg  string
	node *formNode
}

// form is the parsed request: the tree, plus every raw pair for the control endpoints, where
// a repeated key (`persona=a&persona=b`) means a list.
type form struct {
	root  formNode
	pairs [][2]string
}

// parseForm parses an application/x-www-form-urlencoded string. Repeated scalar keys keep the
// last value, as Stripe does.
func parseForm(raw string) (*form, error) {
	f := &form{}
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			return nil, err
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			return nil, err
		}
		f.add(key, val)
	}
	return f, nil
}

// splitKey turns "a[b][]" into ["a", "b", ""]. Malformed brackets are kept literally.
func splitKey(key string) []string {
	i := strings.IndexByte(key, '[')
	if i <= 0 || !strings.HasSuffix(key, "]") {
		return []string{key}
	}
	segs := []string{key[:i]}
	rest := key[i:]
	for rest != "" {
		if rest[0] != '[' {
			return []string{key}
		}
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			return []string{key}
		}
		segs = append(segs, rest[1:j])
		rest = rest[j+1:]
	}
	return segs
}

func (f *form) add(key, val string) {
	f.pairs = append(f.pairs, [2]string{key, val})
	n := &f.root
	for _, seg := range splitKey(key) {
		n = n.child(seg, seg == "")
	}
	n.value, n.isLeaf = val, true
}

// child returns the kid named seg, creating it; fresh forces a new kid (for `[]`).
func (n *formNode) child(seg string, fresh bool) *formNode {
	if !fresh {
		for _, k := range n.kids {
			if k.seg == seg {
				return k.node
			}
		}
	}
	c := &formNode{}
	n.kids = append(n.kids, formKid{seg, c})
	return c
}

func (n *formNode) get(seg string) *formNode {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		if k.seg == seg {
			return k.node
		}
	}
	return nil
}

// items returns the kids of a list node: `[]` kids in arrival order, then indexed kids in
// numeric order. A leaf (e.g. `features=balance`, or `features=` for "empty") yields itself
// unless it is empty.
func (n *formNode) items() []*formNode {
	if n == nil {
		return nil
	}
	if len(n.kids) == 0 {
		if n.isLeaf && n.value != "" {
			return []*formNode{n}
		}
		return nil
	}
	type ik struct {
		idx  int
		ord  int
		node *formNode
	}
	list := make([]ik, 0, len(n.kids))
	for i, k := range n.kids {
		idx := -1
		if k.seg != "" {
			v, err := strconv.Atoi(k.seg)
			if err != nil {
				idx = 1 << 30
			} else {
				idx = v
			}
		}
		list = append(list, ik{idx, i, k.node})
	}
	sort.SliceStable(list, func(a, b int) bool { return list[a].idx < list[b].idx })
	out := make([]*formNode, len(list))
	for i, x := range list {
		out[i] = x.node
	}
	return out
}

// topKeys returns the top-level parameter names, deduplicated, in arrival order.
func (f *form) topKeys() []string {
	out := make([]string, 0, len(f.root.kids))
	for _, k := range f.root.kids {
		out = append(out, k.seg)
	}
	return out
}

func (f *form) node(path ...string) *formNode {
	n := &f.root
	for _, p := range path {
		n = n.get(p)
		if n == nil {
			return nil
		}
	}
	return n
}

// str returns the scalar at path and whether it was given at all.
func (f *form) str(path ...string) (string, bool) {
	n := f.node(path...)
	if n == nil || !n.isLeaf {
		return "", false
	}
	return n.value, true
}

// strs returns the string items of a list parameter (`k[]`, `k[0]` or a bare `k`).
func (f *form) strs(path ...string) []string {
	return f.node(path...).strs()
}

// strs returns the string items of a list node; nil-safe.
func (n *formNode) strs() []string {
	var out []string
	for _, it := range n.items() {
		if it.isLeaf {
			out = append(out, it.value)
		}
	}
	return out
}

// repeated returns every value given for key, plus the items of key[] / key[N].
func (f *form) repeated(key string) []string {
	var out []string
	for _, p := range f.pairs {
		if p[0] == key && p[1] != "" {
			out = append(out, p[1])
		}
	}
	if n := f.node(key); n != nil && len(n.kids) > 0 {
		out = append(out, f.strs(key)...)
	}
	return out
}

// dict returns a flat map parameter such as metadata[k]=v, in arrival order.
func (f *form) dict(path ...string) []formKid {
	n := f.node(path...)
	if n == nil {
		return nil
	}
	return n.kids
}

// paramName renders a path as Stripe names params in errors: a[b][c].
func paramName(path ...string) string {
	var b strings.Builder
	for i, p := range path {
		if i == 0 {
			b.WriteString(p)
			continue
		}
		b.WriteByte('[')
		b.WriteString(p)
		b.WriteByte(']')
	}
	return b.String()
}
