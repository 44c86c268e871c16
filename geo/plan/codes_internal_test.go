package plan

import (
	"errors"
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
