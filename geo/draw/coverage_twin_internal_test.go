package draw

import (
	"context"
	"math"
	"testing"

	"gridplan/geo/geotest"
	"gridplan/geo/internal/robust"

	"github.com/paulmach/orb"
)

// TestTwinnedCoverageGridPolygons checks that the grids GridPolygons draws
// are proven to tile by their edges alone, with the figures the overlay
// measures (to within CoverageTolM2).
func TestTwinnedCoverageGridPolygons(t *testing.T) {
	for _, c := range gridCases(t) {
		t.Run(c.name, func(t *testing.T) {
			ts, grids := buildGrids(t, c)
			env := c.community
			if env == nil {
				env = orb.MultiPolygon{{ts.Bound}}
			}
			tol := CoverageTolM2(env)
			gap, outside, ok := twinnedCoverage(context.Background(), env, grids)
			oGap, oOutside, oOverlap := overlayCoverage(context.Background(), env, grids)
			if oGap > tol || oOutside > tol || oOverlap > tol {
				t.Skipf("overlay: gap %g, outside %g, overlap %g m²: not a tiling", oGap, oOutside, oOverlap)
			}
			if !ok {
				t.Fatalf("twinnedCoverage: not proven; overlay: gap %g, outside %g, overlap %g m²", oGap, oOutside, oOverlap)
			}
			if math.Abs(gap-oGap) > tol || math.Abs(outside-oOutside) > tol {
				t.Errorf("twinnedCoverage = gap %g, outside %g; overlay gap %g, outside %g (tolerance %g m²)", gap, outside, oGap, oOutside, tol)
			}
		})
	}
}

// TestTwinnedCoverage checks the proof and the sliver areas on grids made
// by hand: a 100 m square community split into two halves.
func TestTwinnedCoverage(t *testing.T) {
	comm := orb.MultiPolygon{{geotest.Square(0, 0, 100, 100)}}
	left := func(p orb.Point) orb.MultiPolygon { // p: a vertex on the bottom edge
		return orb.MultiPolygon{{{{0, 0}, p, {50, 0}, {50, 100}, {0, 100}, {0, 0}}}}
	}
	right := orb.MultiPolygon{{geotest.Square(50, 0, 100, 100)}}
	// The slack at a magnitude of 100 m is 3.6e-10 m.
	const h = 1e-10
	tests := []struct {
		name         string
		grids        []orb.MultiPolygon
		ok           bool
		gap, outside float64
	}{
		{"exact", []orb.MultiPolygon{left(orb.Point{20, 0}), right}, true, 0, 0},
		// A vertex h inside the outline leaves a triangle uncovered; h
		// outside, it covers one beyond the outline.
		{"inside", []orb.MultiPolygon{left(orb.Point{20, h}), right}, true, 50 * h / 2, 0},
		{"outside", []orb.MultiPolygon{left(orb.Point{20, -h}), right}, true, 0, 50 * h / 2},
		// Further off than the slack: measured by the overlay instead.
		{"far", []orb.MultiPolygon{left(orb.Point{20, 1e-3}), right}, false, 0, 0},
		// A T-junction: the right half split in two, its neighbour's edge
		// is not twinned.
		{"t-junction", []orb.MultiPolygon{left(orb.Point{20, 0}), {{geotest.Square(50, 0, 100, 50)}}, {{geotest.Square(50, 50, 100, 100)}}}, false, 0, 0},
		// Overlapping and reversed grids.
		{"overlap", []orb.MultiPolygon{left(orb.Point{20, 0}), right, right}, false, 0, 0},
		{"reversed", []orb.MultiPolygon{left(orb.Point{20, 0}), {{{{50, 0}, {50, 100}, {100, 100}, {100, 0}, {50, 0}}}}}, false, 0, 0},
		{"missing", []orb.MultiPolygon{left(orb.Point{20, 0})}, false, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gap, outside, ok := twinnedCoverage(context.Background(), comm, tc.grids)
			if ok != tc.ok {
				t.Fatalf("twinnedCoverage ok = %v, want %v", ok, tc.ok)
			}
			if ok && (math.Abs(gap-tc.gap) > 1e-20 || math.Abs(outside-tc.outside) > 1e-20) {
				t.Errorf("twinnedCoverage = gap %g, outside %g, want %g, %g", gap, outside, tc.gap, tc.outside)
			}
		})
	}
}

func TestTrapezoidSides(t *testing.T) {
	tests := []struct{ w, h0, h1, pos, neg float64 }{
		{2, 1, 3, 4, 0},
		{2, -1, -3, 0, 4},
		{2, 1, -1, 0.5, 0.5},
		{4, -3, 1, 0.5, 4.5},
		{1, 0, 0, 0, 0},
	}
	for _, tc := range tests {
		if pos, neg := trapezoidSides(tc.w, tc.h0, tc.h1); math.Abs(pos-tc.pos) > 1e-12 || math.Abs(neg-tc.neg) > 1e-12 {
			t.Errorf("trapezoidSides(%g, %g, %g) = %g, %g, want %g, %g", tc.w, tc.h0, tc.h1, pos, neg, tc.pos, tc.neg)
		}
	}
}

// TestBorderIndexUlp: a border whose vertex the two grids hold an ulp
// apart (computed once per side) is still a border, and a footprint it
// crosses is not in its grid.
func TestBorderIndexUlp(t *testing.T) {
	y := 24.573104190696238
	yUlp := math.Nextafter(y, 0)
	a := orb.MultiPolygon{{{{0, 0}, {30, 0}, {30, y}, {0, y}, {0, 0}}}}
	b := orb.MultiPolygon{{{{30, 0}, {60, 0}, {60, y}, {30, yUlp}, {30, 0}}}}
	grids := []orb.MultiPolygon{a, b}
	bi := newBorderIndex(context.Background(), grids)
	if len(bi.edges) != 1 {
		t.Fatalf("%d borders, want the one at x = 30", len(bi.edges))
	}
	across := orb.Polygon{{{25, 5}, {35, 5}, {35, 10}, {25, 10}, {25, 5}}}
	inside := orb.Polygon{{{5, 5}, {15, 5}, {15, 10}, {5, 10}, {5, 5}}}
	tol := 60 * robust.VertexSnapRel
	cover := newCoverIndex(grids, []int{0}, nil, tol)
	if footprintInGrid(across, 0, cover, bi, tol) {
		t.Error("a footprint across the border counts as in its grid")
	}
	if !footprintInGrid(inside, 0, cover, bi, tol) {
		t.Error("a footprint inside its grid counts as outside")
	}
}
