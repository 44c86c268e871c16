package draw

import (
	"context"
	"testing"

	"gridplan/geo"
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// TestCommunityEnvelopes: two communities whose hulls interlock (an L and
// a square in its corner), with footprints 4 m apart across the border, get
// envelopes that do not overlap, hold all their footprints and tile the
// hull of all buildings.
func TestCommunityEnvelopes(t *testing.T) {
	const m = 1.0 / 111000
	x, y := 113.3, 40.08
	sq := func(ex, ey, d float64) orb.Polygon { // ex, ey, d in metres
		return orb.Polygon{{{x + ex*m, y + ey*m}, {x + (ex+d)*m, y + ey*m}, {x + (ex+d)*m, y + (ey+d)*m}, {x + ex*m, y + (ey+d)*m}, {x + ex*m, y + ey*m}}}
	}
	var bs []geo.Building
	var community []int
	add := func(c int, p orb.Polygon) {
		bs = append(bs, geo.Building{Index: len(bs), Geometry: p})
		community = append(community, c)
	}
	// Community 0: an L of 30 m squares along x = 0..300 and y = 0..300.
	for i := 0; i < 10; i++ {
		add(0, sq(float64(i)*34, 0, 30))
		if i > 0 {
			add(0, sq(0, float64(i)*34, 30))
		}
	}
	// Community 1: a block in the L's corner, its first row 4 m above the
	// L and its corners facing the middle of the L's walls, where the L's
	// own corners are 15 m away; its first column 4 m from the L.
	for i := 0; i < 4; i++ {
		for j := 0; j < 4; j++ {
			add(1, sq(51+float64(i)*34, 34+float64(j)*34, 30))
		}
	}
	proj := geo.NewProjection(geo.CenterOf(bs))
	envs, err := CommunityEnvelopes(context.Background(), bs, community, 2, proj)
	if err != nil {
		t.Fatal(err)
	}
	// Every footprint lies in its community's envelope: points every
	// half metre along its walls.
	for i, b := range bs {
		ix := shape.NewOutlineIndex(envs[community[i]])
		for _, p := range tess.AppendSites(nil, b.Geometry, m/2) {
			if !ix.Covers(p) {
				t.Errorf("building %d of community %d: %v outside its envelope", i, community[i], p)
				break
			}
		}
	}
	inter, err := geom.Intersection(shape.ToSF(envs[0]), shape.ToSF(envs[1]))
	if err != nil {
		t.Fatal(err)
	}
	if a := inter.Area() / (m * m); a > 1e-6 {
		t.Errorf("envelopes overlap by %g m²", a)
	}
}

// TestEnvelope: the union of grids is an envelope of the buildings inside
// it, not of one beyond it.
func TestEnvelope(t *testing.T) {
	a := orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}
	b := orb.MultiPolygon{{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}}}
	in := orb.Polygon{{{0.5, 0.2}, {1.5, 0.2}, {1.5, 0.8}, {0.5, 0.8}, {0.5, 0.2}}}
	env, ok := Envelope([]orb.MultiPolygon{a, b}, []orb.Geometry{in, orb.Point{2, 1}})
	if !ok || len(env) != 1 || len(env[0]) != 1 {
		t.Fatalf("Envelope = %v, %v; want one polygon", env, ok)
	}
	if got := shape.PolygonArea(env[0]); got != 2 {
		t.Errorf("area %g, want 2", got)
	}
	if _, ok := Envelope([]orb.MultiPolygon{a, b}, []orb.Geometry{orb.Point{2.5, 0.5}}); ok {
		t.Error("a building beyond the grids: want no envelope")
	}
}
