package plan

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gridplan/geo"
	"gridplan/partition"
)

// A coding writes and reads grid codes: the community code and the grid's
// sequence number laid out by a template (see [ParseCodeTemplate]); without
// one, the community code, --code-sep and the number in --code-width digits
// (CJ/T 349-2010 layout).
type coding struct {
	parts    []codePart
	width    int    // digits of {seq}, 0 for as many as the number has
	template string // the template given, "" for --code-sep and --code-width
}

// A codePart is literal text or a placeholder of a code template.
type codePart struct {
	text string
	kind int // partLiteral, partCommunity or partSeq
}

const (
	partLiteral = iota
	partCommunity
	partSeq
)

// errCodeTemplate is wrapped by the error of a template that cannot be used.
var errCodeTemplate = errors.New("grid code template")

// ParseCodeTemplate checks a grid code template ([Options.CodeTemplate]):
// literal text with the placeholders {community} (the community code, at
// most once), {seq} (the grid's sequence number, exactly once) or {seq:0N}
// (the number in N digits, N from 1 to 9, with leading zeros); {{ and }}
// stand for literal braces. A community's codes must be told apart by their
// number, so {seq} is required.
func ParseCodeTemplate(template string) error {
	_, err := parseCoding(template)
	return err
}

func parseCoding(t string) (coding, error) {
	c := coding{template: t}
	fail := func(format string, a ...any) (coding, error) {
		return coding{}, fmt.Errorf("%w %q: %s; use literal text, {community}, {seq} and {seq:0N} (N digits), e.g. {community}-{seq:03}",
			errCodeTemplate, t, fmt.Sprintf(format, a...))
	}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			c.parts = append(c.parts, codePart{text: lit.String()})
			lit.Reset()
		}
	}
	seen := map[int]bool{}
	for i := 0; i < len(t); i++ {
		switch {
		case strings.HasPrefix(t[i:], "{{") || strings.HasPrefix(t[i:], "}}"):
			lit.WriteByte(t[i])
			i++
		case t[i] == '}':
			return fail("a } that closes nothing at byte %d (write }} for a literal brace)", i+1)
		case t[i] == '{':
			end := strings.IndexByte(t[i:], '}')
			if end < 0 {
				return fail("a { that is not closed at byte %d (write {{ for a literal brace)", i+1)
			}
			name := t[i+1 : i+end]
			kind := partCommunity
			switch {
			case name == "community":
			case name == "seq":
				kind = partSeq
			case strings.HasPrefix(name, "seq:"):
				n := strings.TrimPrefix(name, "seq:")
				if len(n) != 2 || n[0] != '0' || n[1] < '1' || n[1] > '9' {
					return fail("{%s}: the width of {seq:0N} is 0 and one digit N from 1 to 9", name)
				}
				kind, c.width = partSeq, int(n[1]-'0')
			default:
				return fail("unknown placeholder {%s}", name)
			}
			if seen[kind] {
				return fail("{%s} twice", strings.SplitN(name, ":", 2)[0])
			}
			seen[kind] = true
			flush()
			c.parts = append(c.parts, codePart{kind: kind})
			i += end
		default:
			lit.WriteByte(t[i])
		}
	}
	flush()
	if !seen[partSeq] {
		return fail("no {seq}: the grids of a community would all have one code")
	}
	return c, nil
}

// codingOf returns the coding of o: its template, or else its separator
// and width.
func codingOf(o *Options) (coding, error) {
	if o.CodeTemplate != "" {
		return parseCoding(o.CodeTemplate)
	}
	return sepCoding(o.CodeSep, o.CodeWidth), nil
}

// sepCoding is the coding of --code-sep and --code-width: the template
// {community}<sep>{seq:0<width>}.
func sepCoding(sep string, width int) coding {
	return coding{parts: []codePart{{kind: partCommunity}, {text: sep}, {kind: partSeq}}, width: max(width, 0)}
}

// affixes returns the text before and after the sequence number in the
// codes of community. Without a community code, {community} is left out
// with the literal text between it and {seq} (the separator).
func (c coding) affixes(community string) (before, after string) {
	var b strings.Builder
	skip := -1 // the literal between {community} and {seq}, if community is ""
	for i, p := range c.parts {
		if community == "" && p.kind == partLiteral && i > 0 && i+1 < len(c.parts) {
			if k, l := c.parts[i-1].kind, c.parts[i+1].kind; k == partCommunity && l == partSeq || k == partSeq && l == partCommunity {
				skip = i
			}
		}
	}
	for i, p := range c.parts {
		switch {
		case i == skip:
		case p.kind == partSeq:
			before = b.String()
			b.Reset()
		case p.kind == partCommunity:
			b.WriteString(community)
		default:
			b.WriteString(p.text)
		}
	}
	return before, b.String()
}

// code is the code of grid seq of community.
func (c coding) code(community string, seq int) string {
	before, after := c.affixes(community)
	return fmt.Sprintf("%s%0*d%s", before, c.width, seq, after)
}

// seq reads the sequence number of a code of community, whatever its width.
func (c coding) seq(code, community string) (int, bool) {
	before, after := c.affixes(community)
	rest, ok := strings.CutPrefix(code, before)
	if ok {
		rest, ok = strings.CutSuffix(rest, after)
	}
	if !ok || rest == "" {
		return 0, false
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	seq, err := strconv.Atoi(rest)
	return seq, err == nil
}

// distinct returns an error, before the search, if c cannot tell the grids
// of communities apart: a template without {community} gives grid 1 of
// every community one code, so it serves a plan of one community only.
func (c coding) distinct(communities []string) error {
	if len(communities) < 2 || slices.ContainsFunc(c.parts, func(p codePart) bool { return p.kind == partCommunity }) {
		return nil
	}
	named := make([]string, len(communities))
	for i, name := range communities {
		named[i] = strconv.Quote(name)
	}
	return fmt.Errorf("%w: %s has no {community}, so grid 1 of each of the %d communities (%s) would have one code: add {community} to the template, or plan one community at a time",
		errCodes, c.layout(), len(communities), some(named))
}

// layout names the coding for messages: its template, or the flags.
func (c coding) layout() string {
	if c.template != "" {
		return fmt.Sprintf("--code-template %q", c.template)
	}
	return fmt.Sprintf("--code-sep %q --code-width %d", c.parts[1].text, c.width)
}

// errCodes is wrapped by the error of grid codes that cannot be issued.
var errCodes = errors.New("grid codes")

// digits returns the number of decimal digits of n > 0.
func digits(n int) int { return len(strconv.Itoa(n)) }

// check returns an error, before anything is drawn or written, if the
// codes of a plan's grids cannot be told apart. grids are the grids (by
// community), communities the community codes, codes their codes, fresh
// whether each code is issued now (a repartition keeps the others as
// they were).
//
// A code is the community code and the sequence number in width digits
// amid fixed text (the separator, or a template's literals), so two codes
// of the same length have community codes of the same length, and differ
// unless they are the same code: codes are unique as long as every number
// fits the width. A number that does not fit makes the code one digit
// longer, and it may read as another community's (with width 1, grid 11
// of C1 and grid 1 of C11 are both C111; with --code-sep "" the community
// codes run into the digits). So each community whose numbers do not fit
// is named, with the width it needs, unless it is the only one (a
// district planned as one community: 2,523 grids numbered 001 to 2523). A template's {seq} of no fixed width
// has no such bound. Any code given to two grids all the same (a
// repartition keeps earlier codes, written with another width or
// separator; a {seq} of no fixed width) is refused too.
func (c coding) check(grids []partition.Grid, communities, codes []string, fresh []bool) error {
	type need struct{ grids, top int }
	var order []int
	needs := map[int]*need{}
	for i, g := range grids {
		n := needs[g.Community]
		if n == nil {
			n = &need{}
			needs[g.Community] = n
			order = append(order, g.Community)
		}
		n.grids++
		if fresh[i] {
			n.top = max(n.top, g.Seq)
		}
	}
	var narrow []string
	widest := 0
	for _, ci := range order {
		n := needs[ci]
		if n.top == 0 || c.width == 0 || digits(n.top) <= c.width || len(communities) == 1 {
			continue // one community's codes (a district planned whole) cannot read as another's
		}
		widest = max(widest, digits(n.top))
		if n.top == n.grids {
			narrow = append(narrow, fmt.Sprintf("community %q has %d grids", communities[ci], n.grids))
		} else {
			narrow = append(narrow, fmt.Sprintf("community %q needs grid number %d (it has %d grids; the numbers of earlier and retired grids are not issued again)", communities[ci], n.top, n.grids))
		}
	}
	if len(narrow) > 0 {
		return fmt.Errorf("%w: %s holds grid numbers up to %d, but %s; a longer number could read as another community's code (with width 1, grid 11 of C1 and grid 1 of C11 are both C111): use %s",
			errCodes, c.widthFlag(c.width), maxSeq(c.width), some(narrow), c.widthFlag(widest))
	}
	first := make(map[string]int, len(codes))
	var dups []string
	for i, code := range codes {
		j, dup := first[code]
		if !dup {
			first[code] = i
			continue
		}
		dups = append(dups, fmt.Sprintf("%q for grid %d of community %q and grid %d of community %q",
			code, grids[j].Seq, communities[grids[j].Community], grids[i].Seq, communities[grids[i].Community]))
	}
	if len(dups) > 0 {
		return fmt.Errorf("%w: %d codes would be given to two grids: %s; %s",
			errCodes, len(dups), some(dups), c.apart())
	}
	return nil
}

// widthFlag names the flag that gives c width digits.
func (c coding) widthFlag(width int) string {
	if c.template == "" {
		return fmt.Sprintf("--code-width %d", width)
	}
	var b strings.Builder
	for _, p := range c.parts {
		switch p.kind {
		case partCommunity:
			b.WriteString("{community}")
		case partSeq:
			fmt.Fprintf(&b, "{seq:0%d}", width)
		default:
			b.WriteString(strings.NewReplacer("{", "{{", "}", "}}").Replace(p.text))
		}
	}
	return fmt.Sprintf("--code-template %q", b.String())
}

// apart says how to lay out codes that tell communities apart.
func (c coding) apart() string {
	switch {
	case c.template == "":
		return "a community code followed by digits reads as another's: use a separator that no community code holds, e.g. --code-sep -"
	case !slices.ContainsFunc(c.parts, func(p codePart) bool { return p.kind == partCommunity }):
		return "the template has no {community}, so grids of two communities with the same number have one code: add {community} to --code-template"
	}
	return "a community code followed by digits reads as another's: put text that no community code holds between {community} and {seq} in --code-template, e.g. {community}-{seq:03}"
}

// maxSeq is the largest sequence number of width digits.
func maxSeq(width int) int {
	n := 1
	for range width {
		n *= 10
	}
	return n - 1
}

// layoutWarnings returns a warning unless every code of the earlier plan
// reads as a code of its community in the layout of c (in any width).
// Codes that do not (a plan drawn by hand, or written with another
// template) are kept as they are, and new grids are numbered after the
// codes that do read (from 1 in a community where none does), so the plan
// mixes two layouts; if the earlier plan was written by gridplan, most
// likely with another --code-template or --code-sep. A plan drawn by hand
// is a fair start, so this is a warning, not an error.
func (pp *Previous) layoutWarnings(c coding) []geo.Warning {
	var odd []string
	for g, code := range pp.codes {
		if _, ok := c.seq(code, pp.community[g]); !ok {
			odd = append(odd, fmt.Sprintf("%q of community %q", code, pp.community[g]))
		}
	}
	if len(odd) == 0 {
		return nil
	}
	return []geo.Warning{{File: pp.source, Index: -1, Kind: "code_layout", Note: fmt.Sprintf(
		"%d of its %d grid codes do not read as a community code and a grid number in the layout of %s (grid 1 of community C would be %q): %s; they are kept, and new grids are numbered in this layout after the codes that read in it (from 1 in a community where none does); if the earlier plan was written with another layout, give its --code-template (or --code-sep and --code-width) so that new grids are numbered after the earlier ones",
		len(odd), len(pp.codes), c.layout(), c.code("C", 1), some(odd))}}
}
