package geo_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"gridplan/geo"
)

// communityGrid returns an n×n grid of square communities of side 1 km
// whose boundaries are wavy (vertsPerSide vertices per side) and shared
// exactly by neighbours, as a cleaned communities layer is.
func communityGrid(n, vertsPerSide int) []geo.Region {
	const x0, y0 = 113.2, 40.0
	dx, dy := 1000/mLon, 1000/mLat
	// edge returns the vertices of the shared edge from grid node a to b,
	// excluding b; the wiggle depends only on the edge, so both
	// neighbours get the same points.
	node := func(i, j int) orb.Point { return orb.Point{x0 + float64(i)*dx, y0 + float64(j)*dy} }
	edge := func(i0, j0, i1, j1 int) []orb.Point {
		a, b := node(i0, j0), node(i1, j1)
		var pts []orb.Point
		for k := 0; k < vertsPerSide; k++ {
			t := float64(k) / float64(vertsPerSide)
			w := 0.02 * math.Sin(float64(k)*0.7) * math.Sin(math.Pi*t) // up to 20 m
			pts = append(pts, orb.Point{a[0] + t*(b[0]-a[0]) - w*(b[1]-a[1])/dy*dx, a[1] + t*(b[1]-a[1]) + w*(b[0]-a[0])/dx*dy})
		}
		return pts
	}
	rev := func(i0, j0, i1, j1 int) []orb.Point { // edge a→b traversed b→a, excluding a
		e := append(edge(i0, j0, i1, j1), node(i1, j1))
		var out []orb.Point
		for k := len(e) - 1; k > 0; k-- {
			out = append(out, e[k])
		}
		return out
	}
	var rs []geo.Region
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			var r orb.Ring
			r = append(r, edge(i, j, i+1, j)...)     // south, west to east
			r = append(r, edge(i+1, j, i+1, j+1)...) // east, south to north
			r = append(r, rev(i, j+1, i+1, j+1)...)  // north, east to west
			r = append(r, rev(i, j, i, j+1)...)      // west, north to south
			r = append(r, r[0])
			rs = append(rs, geo.Region{Index: len(rs), ID: fmt.Sprintf("C%d", len(rs)), Geometry: orb.MultiPolygon{{r}}})
		}
	}
	return rs
}

func TestResolveCommunitiesGrid(t *testing.T) {
	rs := communityGrid(4, 200)
	got, ws, err := geo.ResolveCommunities("c.geojson", rs, geo.DefaultSliverM2)
	if err != nil || len(ws) != 0 {
		t.Fatalf("ResolveCommunities(clean grid) = %v, %v", ws, err)
	}
	for i := range got {
		if !orb.Equal(got[i].Geometry, rs[i].Geometry) {
			t.Errorf("community %d changed", i)
		}
	}
}

// go test -run XXX -bench ResolveCommunities ./geo
func BenchmarkResolveCommunities(b *testing.B) {
	for _, n := range []int{5, 20} {
		rs := communityGrid(n, 500)
		b.Run(fmt.Sprintf("communities=%d", n*n), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := geo.ResolveCommunities("c.geojson", rs, geo.DefaultSliverM2); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// go test -run XXX -bench AssignCommunities ./geo
func BenchmarkAssignCommunities(b *testing.B) {
	rs := communityGrid(10, 500)
	var bs []geo.Building
	for k := 0; k < 60000; k++ {
		x := 113.2 + 10*1000/mLon*float64(k%245)/245 + 1e-5
		y := 40.0 + 10*1000/mLat*float64(k/245)/245 + 1e-5
		bs = append(bs, building(fmt.Sprint(k), x, y, 10))
	}
	b.ResetTimer()
	for b.Loop() {
		for i := range bs {
			bs[i].Community = ""
		}
		if _, _, err := geo.AssignCommunities("b.geojson", bs, rs, geo.DefaultSnapM, geo.OutsideError, false); err != nil {
			b.Fatal(err)
		}
	}
}
