package plan

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"gridplan/partition"
)

func TestGridCode(t *testing.T) {
	for _, tc := range []struct {
		community, sep string
		width, seq     int
		want           string
	}{
		{"C01", "", 3, 7, "C01007"},
		{"C01", "-", 4, 12, "C01-0012"},
		{"C01", "-", 2, 123, "C01-123"}, // a sequence wider than width is not cut
		{"C01", "", 0, 5, "C015"},
		{"", "", 3, 7, "007"},
		{"", "-", 3, 1, "001"}, // no community, no separator
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := sepCoding(tc.sep, tc.width).code(tc.community, tc.seq); got != tc.want {
				t.Errorf("sepCoding(%q, %d).code(%q, %d) = %q, want %q", tc.sep, tc.width, tc.community, tc.seq, got, tc.want)
			}
			if tc.community == "" {
				return
			}
			if seq, ok := sepCoding(tc.sep, tc.width).seq(tc.want, tc.community); !ok || seq != tc.seq {
				t.Errorf("sepCoding(%q, %d).seq(%q, %q) = %d, %v, want %d, true", tc.sep, tc.width, tc.want, tc.community, seq, ok, tc.seq)
			}
		})
	}
}

func TestGridCodeSeqRefuses(t *testing.T) {
	c := sepCoding("-", 3)
	for _, code := range []string{"C02-001", "C01001", "C01-", "C01-00x", "C01-+12", "C01--12"} {
		if seq, ok := c.seq(code, "C01"); ok {
			t.Errorf("seq(%q, \"C01\") = %d, true: want no sequence", code, seq)
		}
	}
}

// TestCodesCheck: numbers wider than the width, and any code given to two
// grids, are refused, naming the communities and what to change.
func TestCodesCheck(t *testing.T) {
	communities := []string{"C1", "C11", "C2"}
	grid := func(community, seq int) partition.Grid { return partition.Grid{Community: community, Seq: seq} }
	for _, tc := range []struct {
		name  string
		c     coding
		grids []partition.Grid
		codes []string
		fresh []bool
		want  []string // substrings of the error; none: no error
	}{
		{"fits", sepCoding("", 1), []partition.Grid{grid(0, 9), grid(1, 1)}, []string{"C19", "C111"}, []bool{true, true}, nil},
		{"too wide", sepCoding("", 1), []partition.Grid{grid(0, 1), grid(0, 10), grid(2, 12)}, []string{"C11", "C110", "C212"}, []bool{true, true, true},
			[]string{`community "C1" needs grid number 10 (it has 2 grids`, `community "C2" needs grid number 12`, "--code-width 1 holds grid numbers up to 9", "use --code-width 2"}},
		{"kept code wider", sepCoding("", 1), []partition.Grid{grid(0, 12)}, []string{"C1012"}, []bool{false}, nil},
		{"kept code taken", sepCoding("", 3), []partition.Grid{grid(0, 1), grid(1, 1)}, []string{"C11001", "C11001"}, []bool{false, true},
			[]string{`"C11001" for grid 1 of community "C1" and grid 1 of community "C11"`, "--code-sep -"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.check(tc.grids, communities, tc.codes, tc.fresh)
			if tc.want == nil {
				if err != nil {
					t.Errorf("check() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, errCodes) {
				t.Fatalf("check() = %v, want errCodes", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("check() = %v, want it to mention %q", err, w)
				}
			}
		})
	}
}

// TestCodeTemplate: codes laid out by templates, and read back (the seq of
// a code is its number, whatever the width).
func TestCodeTemplate(t *testing.T) {
	for _, tc := range []struct {
		template, community string
		seq                 int
		want                string
	}{
		{"{community}{seq:03}", "110101001001", 7, "110101001001007"}, // GB/T 47678: 15 characters
		{"{community}-{seq}", "C01", 12, "C01-12"},
		{"{community}-{seq:02}", "C01", 123, "C01-123"}, // a sequence wider than width is not cut
		{"{community}网格{seq:02}号", "C1", 7, "C1网格07号"},
		{"{seq:03}@{community}", "C01", 4, "004@C01"},
		{"{{{community}}}-{seq}", "C01", 4, "{C01}-4"},
		{"G{seq:04}", "C01", 4, "G0004"},
		{"{community}-{seq:03}", "", 7, "007"}, // no community, no separator
		{"X{community}/{seq:03}Y", "", 7, "X007Y"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			c, err := parseCoding(tc.template)
			if err != nil {
				t.Fatalf("parseCoding(%q) = %v", tc.template, err)
			}
			if got := c.code(tc.community, tc.seq); got != tc.want {
				t.Errorf("parseCoding(%q).code(%q, %d) = %q, want %q", tc.template, tc.community, tc.seq, got, tc.want)
			}
			if seq, ok := c.seq(tc.want, tc.community); !ok || seq != tc.seq {
				t.Errorf("parseCoding(%q).seq(%q, %q) = %d, %v, want %d, true", tc.template, tc.want, tc.community, seq, ok, tc.seq)
			}
			if _, ok := c.seq(tc.want+"x", tc.community); ok {
				t.Errorf("parseCoding(%q).seq(%q, %q) reads a number", tc.template, tc.want+"x", tc.community)
			}
		})
	}
}

// TestCodeTemplateRefuses: a template that cannot be used is refused,
// naming itself and what is wrong.
func TestCodeTemplateRefuses(t *testing.T) {
	for _, tc := range []struct{ template, want string }{
		{"", "no {seq}"},
		{"{community}", "no {seq}"},
		{"{community}-{seq}-{seq:02}", "{seq} twice"},
		{"{community}{community}{seq}", "{community} twice"},
		{"{community}{seq:3}", "{seq:3}: the width"},
		{"{community}{seq:00}", "{seq:00}: the width"},
		{"{community}{seq:010}", "{seq:010}: the width"},
		{"{name}{seq}", "unknown placeholder {name}"},
		{"{community}{seq", "not closed at byte 12"},
		{"{community}}{seq}", "closes nothing at byte 12"},
	} {
		t.Run(tc.template, func(t *testing.T) {
			err := ParseCodeTemplate(tc.template)
			if !errors.Is(err, errCodeTemplate) {
				t.Fatalf("ParseCodeTemplate(%q) = %v, want errCodeTemplate", tc.template, err)
			}
			for _, w := range []string{strconv.Quote(tc.template), tc.want} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ParseCodeTemplate(%q) = %v, want it to mention %q", tc.template, err, w)
				}
			}
		})
	}
}

// TestCodesCheckTemplate: the check of a template's codes names the
// template to use instead.
func TestCodesCheckTemplate(t *testing.T) {
	communities := []string{"C1", "C11", "C2"}
	c, err := parseCoding("{community}{seq:01}")
	if err != nil {
		t.Fatal(err)
	}
	grids := []partition.Grid{{Community: 0, Seq: 1}, {Community: 0, Seq: 10}}
	err = c.check(grids, communities, []string{"C11", "C110"}, []bool{true, true})
	if err == nil || !strings.Contains(err.Error(), `use --code-template "{community}{seq:02}"`) {
		t.Errorf("check() = %v, want it to name the template of width 2", err)
	}
	grids = []partition.Grid{{Community: 0, Seq: 1}, {Community: 1, Seq: 1}}
	err = c.check(grids, communities, []string{"C11", "C11"}, []bool{false, true})
	if err == nil || !strings.Contains(err.Error(), "between {community} and {seq}") {
		t.Errorf("check() = %v, want it to ask for text between {community} and {seq}", err)
	}
}

// TestCodesDistinct: a template without {community} serves one community.
func TestCodesDistinct(t *testing.T) {
	noCommunity, err := parseCoding("G{seq:03}")
	if err != nil {
		t.Fatal(err)
	}
	if err := noCommunity.distinct([]string{"C1"}); err != nil {
		t.Errorf("distinct(one community) = %v, want nil", err)
	}
	err = noCommunity.distinct([]string{"C1", "C2"})
	if !errors.Is(err, errCodes) || !strings.Contains(err.Error(), `"G{seq:03}" has no {community}`) || !strings.Contains(err.Error(), `"C2"`) {
		t.Errorf("distinct(two communities) = %v, want errCodes naming the template and the communities", err)
	}
	if err := sepCoding("", 3).distinct([]string{"C1", "C2"}); err != nil {
		t.Errorf("sepCoding.distinct = %v, want nil", err)
	}
}

// TestLayoutWarnings: earlier codes that do not read in the layout are
// named in one warning; codes that do give none.
func TestLayoutWarnings(t *testing.T) {
	pp := &Previous{source: "prev", codes: []string{"C1-001", "C1-002", "C2-001"}, community: []string{"C1", "C1", "C2"}}
	c, err := parseCoding("{community}-{seq:03}")
	if err != nil {
		t.Fatal(err)
	}
	if ws := pp.layoutWarnings(c); ws != nil {
		t.Errorf("layoutWarnings(own layout) = %v, want none", ws)
	}
	ws := pp.layoutWarnings(sepCoding("", 3))
	if len(ws) != 1 || ws[0].Kind != "code_layout" || ws[0].File != "prev" || !strings.Contains(ws[0].Note, `3 of its 3 grid codes`) || !strings.Contains(ws[0].Note, `"C001"`) {
		t.Errorf("layoutWarnings(another layout) = %+v, want one code_layout warning naming the 3 codes", ws)
	}
}
