package plan

import (
	"testing"

	"gridplan/geo/draw"

	"github.com/paulmach/orb"
)

// TestCrossedKept: an earlier polygon that a footprint of another grid
// overlaps (a building added across the earlier boundary) is not kept, nor
// is that of the footprint's grid; footprints inside their own grid's
// polygon, or only touching another, keep both.
func TestCrossedKept(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) orb.Polygon {
		return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
	}
	kept := []draw.Constraint{
		{Polygon: orb.MultiPolygon{sq(0, 0, 100, 100)}, Group: 0},
		{Polygon: orb.MultiPolygon{sq(100, 0, 200, 100)}, Group: 1},
		{Polygon: orb.MultiPolygon{sq(200, 0, 300, 100)}, Group: 2},
	}
	for _, tc := range []struct {
		name      string
		footprint orb.Geometry
		group     int
		want      []int // groups kept
	}{
		{"inside its grid", sq(10, 10, 40, 40), 0, []int{0, 1, 2}},
		{"touching the border", sq(70, 10, 100, 40), 0, []int{0, 1, 2}},
		{"across the border", sq(90, 10, 120, 40), 0, []int{2}},
		{"in a grid redrawn, over a kept one", sq(210, 10, 240, 40), 5, []int{0, 1}},
		{"a point", orb.Point{100, 50}, 0, []int{0, 1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := crossedKept(kept, []orb.Geometry{sq(20, 60, 30, 70), tc.footprint}, []int{0, tc.group})
			var groups []int
			for _, k := range got {
				groups = append(groups, k.Group)
			}
			if len(groups) != len(tc.want) {
				t.Fatalf("kept groups %v, want %v", groups, tc.want)
			}
			for i := range groups {
				if groups[i] != tc.want[i] {
					t.Fatalf("kept groups %v, want %v", groups, tc.want)
				}
			}
		})
	}
}
