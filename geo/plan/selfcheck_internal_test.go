package plan

import (
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/draw"
	"gridplan/partition"

	"github.com/paulmach/orb"
)

// TestSelfCheck: each kind of failure of the plan's own check is reported,
// naming the grid, the community and the buildings; a sound plan has none.
func TestSelfCheck(t *testing.T) {
	square := orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}
	bowtie := orb.MultiPolygon{{{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}}}
	d := &district{
		buildings:   []geo.Building{{ID: "B1", Households: 200}, {ID: "B2", Households: 150}},
		communities: []string{"C1", "C2"},
		members:     [][]int{{0}, {1}},
	}
	res := &partition.Result{}
	sound := func() (*gridShapes, []string, *Stats) {
		return &gridShapes{written: []orb.MultiPolygon{square, square}, coverage: make([]draw.Coverage, 2)},
			[]string{"C1001", "C2001"},
			&Stats{
				Grids:       []GridStats{{Code: "C1001", Households: 200}, {Code: "C2001", Households: 150}},
				Communities: []CommunityStats{{Coverage: &CoverageStats{OK: true}}, {Coverage: &CoverageStats{OK: true}}},
			}
	}
	shapes, codes, s := sound()
	shapes.invalid = validity(shapes.written, nil)
	if fails := selfCheck(d, res, shapes, codes, s); len(fails) != 0 {
		t.Fatalf("sound plan: %q", fails)
	}

	for _, tc := range []struct {
		name    string
		corrupt func(*gridShapes, []string, *Stats)
		want    string
	}{
		{"duplicate code", func(_ *gridShapes, codes []string, _ *Stats) { codes[1] = "C1001" }, "grid code C1001 is used by two grids"},
		{"households lost", func(_ *gridShapes, _ []string, s *Stats) { s.Grids[1].Households = 100 }, "the grids hold 300 households, the buildings 350"},
		{"no polygon", func(g *gridShapes, _ []string, _ *Stats) { g.written[1] = nil }, "grid C2001 has no polygon"},
		{"invalid polygon", func(g *gridShapes, _ []string, _ *Stats) { g.written[0] = bowtie }, "grid C1001: invalid polygon"},
		{"gap", func(_ *gridShapes, _ []string, s *Stats) {
			s.Communities[1].Coverage = &CoverageStats{GapM2: 12.5, ToleranceM2: 0.01}
		}, `community "C2": the grids do not tile it: gap 12.50 m²`},
		{"footprint outside", func(g *gridShapes, _ []string, s *Stats) {
			s.Communities[0].Coverage = &CoverageStats{BuildingsOutside: 1, ToleranceM2: 0.01}
			g.coverage[0].Outside = []int{0}
		}, `community "C1": the grids do not tile it: 1 footprints not whole in their grid ("B1")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shapes, codes, s := sound()
			tc.corrupt(shapes, codes, s)
			shapes.invalid = validity(shapes.written, nil)
			fails := selfCheck(d, res, shapes, codes, s)
			if len(fails) != 1 || !strings.HasPrefix(fails[0], tc.want) {
				t.Errorf("failures = %q, want one starting %q", fails, tc.want)
			}
		})
	}
}
