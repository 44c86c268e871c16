package draw

import (
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// hookCase is a community with a hook-shaped arm whose tip bends back over
// the main body: the tip is nearer the top building of the body (grid 0)
// than the building in the arm (grid 1), so grid 0's cell there is cut off
// from its building by the gap under the hook.
func hookCase() gridCase {
	// The body is [0,100]², joined by a strip along the bottom to an arm
	// going up the right side, across the top and down to a tip over
	// the body's top left corner.
	outline := orb.Ring{{0, 0}, {140, 0}, {140, 220}, {10, 220}, {10, 150}, {30, 150}, {30, 200}, {120, 200},
		{120, 20}, {100, 20}, {100, 100}, {0, 100}, {0, 0}}
	var fs []orb.Geometry
	var g []int
	for _, p := range [][2]float64{{10, 10}, {50, 10}, {10, 50}, {50, 50}, {20, 85}, {45, 85}} {
		fs = append(fs, box(p[0], p[1], 8))
		g = append(g, 0)
	}
	fs = append(fs, box(125, 60, 8))
	g = append(g, 1)
	return gridCase{name: "hook", community: orb.MultiPolygon{{outline}}, footprints: fs, gridOf: g, nGrids: 2}
}

// TestMergeStrays: the pieces of the hook that no building of theirs holds
// go to the grid around them; the grids still tile the community, every
// building in its own grid, and each grid is one polygon.
func TestMergeStrays(t *testing.T) {
	c := hookCase()
	_, grids := buildGrids(t, c)
	multi := 0
	for _, mp := range grids {
		if len(mp) > 1 {
			multi++
		}
	}
	if multi == 0 {
		t.Fatalf("the hook's grids are one polygon each before merging: the case tests nothing")
	}
	anchors := make([]orb.Point, len(c.footprints))
	for u, f := range c.footprints {
		anchors[u] = shape.RepresentativePoint(f)
	}
	merged, n := MergeStrays(grids, anchors, c.gridOf, c.constraints())
	if n == 0 {
		t.Fatalf("MergeStrays merged nothing")
	}
	for g, mp := range merged {
		if len(mp) != 1 {
			t.Errorf("grid %d: %d pieces after merging %d strays, want 1", g, len(mp), n)
		}
	}
	checkTiling(t, c.community, merged, c.footprints, c.gridOf)
	// The input is left as it was.
	_, again := buildGrids(t, c)
	for g := range grids {
		if len(grids[g]) != len(again[g]) {
			t.Errorf("grid %d: MergeStrays modified its input", g)
		}
	}
}

// TestClippedUnitAdjacencyMainPiece: in the hook case, the cell of the
// body's top right building (5) reaches under the tip, where the outline
// cuts it off; that stray piece is larger than the piece around the
// building, but the building neighbours its body neighbours through the
// piece holding its sites, not the arm's building (6) through the stray.
func TestClippedUnitAdjacencyMainPiece(t *testing.T) {
	c := hookCase()
	ts, _ := buildGrids(t, c)
	ident := []int{0, 1, 2, 3, 4, 5, 6}
	adj, _ := clippedAdjacency(t, ts, c.community, FootprintConstraints(c.footprints, ident)...)
	m := adjMap(adj)
	if l, ok := m[[2]int{5, 6}]; ok {
		t.Errorf("ClippedUnitAdjacency has 5 and 6 as neighbours (%.3f m) through 5's stray piece", l)
	}
	if _, ok := m[[2]int{3, 5}]; !ok {
		t.Errorf("ClippedUnitAdjacency = %v, want 3 and 5 neighbours", adj)
	}
}
