package geo

import (
	"math"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// TestExtendCommunitiesStripEdges: the strip joining a building 60 m
// outside its community has no edge longer than hullEdgeM, and its added
// vertices lie on the straight lines, in longitude/latitude, between
// those the strip had before (so that plans of earlier versions meet it).
func TestExtendCommunitiesStripEdges(t *testing.T) {
	sq := func(x, y, d float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}
	}
	cs := []Region{{ID: "C1", Geometry: orb.MultiPolygon{sq(116.0, 39.0, 0.005)}}}
	b := sq(116.0056, 39.0020, 0.0001) // 50 m east of the outline
	bs := []Building{{ID: "B1", Geometry: b, Households: 10}}
	out := []OutsideBuilding{{Index: 0, Point: orb.Point{116.00565, 39.00205}, Nearest: "C1", Joined: true}}
	grown, ws, err := ExtendCommunities("c.geojson", bs, cs, out)
	if err != nil || len(ws) != 1 {
		t.Fatalf("ExtendCommunities: %v, warnings %v", err, ws)
	}
	proj := NewProjection(orb.Point{116, 39})
	outside := func(p orb.Point) bool { // beyond the community as it was
		return p[0] > 116.005+1e-9 || p[0] < 116.0-1e-9 || p[1] > 39.005+1e-9 || p[1] < 39.0-1e-9
	}
	ring := grown[0].Geometry[0][0]
	longest := 0.0
	for i := 1; i < len(ring); i++ {
		a, p := ring[i-1], ring[i]
		if !outside(a) && !outside(p) {
			continue // an edge of the community as it was
		}
		pa, pp := proj.Forward(a), proj.Forward(p)
		longest = max(longest, math.Hypot(pp[0]-pa[0], pp[1]-pa[1]))
	}
	if longest > hullEdgeM+0.01 {
		t.Errorf("an edge of the strip is %.1f m long, want at most %v", longest, hullEdgeM)
	}
	// The same outline as the strip of its corners alone.
	plain, _, err := extendCommunities("c.geojson", bs, cs, out, math.Inf(1))
	if err != nil {
		t.Fatal(err)
	}
	if len(plain[0].Geometry[0][0]) >= len(ring) {
		t.Errorf("no points added: %d vertices, %d without", len(ring), len(plain[0].Geometry[0][0]))
	}
	if shape.Departs(grown[0].Geometry, plain[0].Geometry, 1e-12) {
		t.Errorf("the strip's added points stand off its edges in longitude/latitude:\n%v\n%v", grown[0].Geometry, plain[0].Geometry)
	}
}
