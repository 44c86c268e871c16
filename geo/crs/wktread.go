package crs

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A wktNode is one keyword of a WKT definition (WKT1, ESRI or WKT2; they
// share this grammar) with its arguments: PROJCS["name", GEOGCS[...], ...].
type wktNode struct {
	key  string // upper case
	args []wktValue
}

// A wktValue is one argument: a quoted string, a number, a bare word
// (NORTH, Cartesian) or a nested node.
type wktValue struct {
	text  string // the string or word; the literal of a number
	num   float64
	isNum bool
	node  *wktNode
}

// maxWKTDepth bounds the nesting the reader accepts. The deepest real
// definitions, WKT2 BOUNDCRS and COMPOUNDCRS, nest about 8 levels; the
// bound keeps hostile input from exhausting the stack.
const maxWKTDepth = 32

var errWKTSyntax = errors.New("not WKT")

type wktReader struct {
	s     string
	i     int
	depth int
}

// readWKT parses the first WKT node of s; a UTF-8 byte order mark and
// anything after the node (a .prj's line break) are ignored.
func readWKT(s string) (*wktNode, error) {
	r := &wktReader{s: strings.TrimPrefix(s, "\ufeff")}
	r.space()
	return r.node()
}

func (r *wktReader) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: %s at byte %d", errWKTSyntax, fmt.Sprintf(format, args...), r.i)
}

func (r *wktReader) space() {
	for r.i < len(r.s) && strings.IndexByte(" \t\r\n", r.s[r.i]) >= 0 {
		r.i++
	}
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func (r *wktReader) word() string {
	start := r.i
	for r.i < len(r.s) && isWordByte(r.s[r.i]) {
		r.i++
	}
	return r.s[start:r.i]
}

// node reads KEYWORD[arg, ...] or KEYWORD(arg, ...).
func (r *wktReader) node() (*wktNode, error) {
	key := r.word()
	if key == "" {
		return nil, r.errorf("want a keyword")
	}
	r.space()
	if r.i == len(r.s) || (r.s[r.i] != '[' && r.s[r.i] != '(') {
		return nil, r.errorf("want [ after %s", key)
	}
	closer := byte(']')
	if r.s[r.i] == '(' {
		closer = ')'
	}
	r.i++
	if r.depth++; r.depth > maxWKTDepth {
		return nil, r.errorf("nested more than %d deep", maxWKTDepth)
	}
	defer func() { r.depth-- }()
	n := &wktNode{key: strings.ToUpper(key)}
	r.space()
	if r.i < len(r.s) && r.s[r.i] == closer {
		r.i++
		return n, nil
	}
	for {
		v, err := r.value()
		if err != nil {
			return nil, err
		}
		n.args = append(n.args, v)
		r.space()
		switch {
		case r.i == len(r.s):
			return nil, r.errorf("%s is not closed", n.key)
		case r.s[r.i] == ',':
			r.i++
		case r.s[r.i] == closer:
			r.i++
			return n, nil
		default:
			return nil, r.errorf("want , or %c in %s", closer, n.key)
		}
	}
}

func (r *wktReader) value() (wktValue, error) {
	r.space()
	if r.i == len(r.s) {
		return wktValue{}, r.errorf("unexpected end")
	}
	switch c := r.s[r.i]; {
	case c == '"':
		return r.quoted()
	case c == '-' || c == '+' || c == '.' || '0' <= c && c <= '9':
		start := r.i
		for r.i < len(r.s) && strings.IndexByte("0123456789+-.eE", r.s[r.i]) >= 0 {
			r.i++
		}
		f, err := strconv.ParseFloat(r.s[start:r.i], 64)
		if err != nil {
			return wktValue{}, r.errorf("bad number %q", r.s[start:r.i])
		}
		return wktValue{text: r.s[start:r.i], num: f, isNum: true}, nil
	}
	start := r.i
	w := r.word()
	if w == "" {
		return wktValue{}, r.errorf("unexpected %q", r.s[r.i])
	}
	r.space()
	if r.i < len(r.s) && (r.s[r.i] == '[' || r.s[r.i] == '(') {
		r.i = start
		n, err := r.node()
		return wktValue{node: n}, err
	}
	return wktValue{text: w}, nil
}

// quoted reads a string; WKT2 writes a quote inside one as "".
func (r *wktReader) quoted() (wktValue, error) {
	var b strings.Builder
	for r.i++; r.i < len(r.s); r.i++ {
		if r.s[r.i] == '"' {
			if r.i+1 < len(r.s) && r.s[r.i+1] == '"' {
				b.WriteByte('"')
				r.i++
				continue
			}
			r.i++
			return wktValue{text: b.String()}, nil
		}
		b.WriteByte(r.s[r.i])
	}
	return wktValue{}, r.errorf("unterminated string")
}

// name returns the node's first argument if it is a string ("" if not).
func (n *wktNode) name() string {
	if len(n.args) > 0 && n.args[0].node == nil && !n.args[0].isNum {
		return n.args[0].text
	}
	return ""
}

// num returns the node's i-th argument if it is a number.
func (n *wktNode) num(i int) (float64, bool) {
	if i < len(n.args) && n.args[i].isNum {
		return n.args[i].num, true
	}
	return 0, false
}

// child returns the first argument of n that is a node with one of keys.
func (n *wktNode) child(keys ...string) *wktNode {
	for _, a := range n.args {
		if a.node != nil {
			for _, k := range keys {
				if a.node.key == k {
					return a.node
				}
			}
		}
	}
	return nil
}

// children returns the arguments of n that are nodes with key.
func (n *wktNode) children(key string) []*wktNode {
	var out []*wktNode
	for _, a := range n.args {
		if a.node != nil && a.node.key == key {
			out = append(out, a.node)
		}
	}
	return out
}

// find returns the first node with one of keys in n's subtree, n
// included, depth first.
func (n *wktNode) find(keys ...string) *wktNode {
	for _, k := range keys {
		if n.key == k {
			return n
		}
	}
	for _, a := range n.args {
		if a.node != nil {
			if m := a.node.find(keys...); m != nil {
				return m
			}
		}
	}
	return nil
}
