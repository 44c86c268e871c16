package geo_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"gridplan/geo"
)

// borderLayer describes a generated communities layer.
type borderLayer struct {
	n, vertsPerSide int
	slivers         int     // borders where the later side bulges 0.3 m into its neighbour over ~20 m
	bulgeM          float64 // if > 0, one more border bulges this far over ~200 m
	seed            uint64
}

// communities returns an n×n tiling of roughly 1 km cells with jittered
// corners, as hand-digitized and then cleaned: neighbours share every
// border vertex exactly; borders wiggle by a few metres, alternately along
// and across the border in exact axis-parallel steps (street blocks), and
// every fifth border carries extra collinear vertices on one side only.
func (l borderLayer) communities() []geo.Region {
	const x0, y0 = 113.2, 40.0
	rng := rand.New(rand.NewPCG(l.seed, 7))
	n, m := l.n, l.vertsPerSide
	nodes := make([][]orb.Point, n+1)
	for i := range nodes {
		nodes[i] = make([]orb.Point, n+1)
		for j := range nodes[i] {
			jx, jy := 0.0, 0.0
			if i > 0 && i < n && j > 0 && j < n {
				jx, jy = 300*(rng.Float64()-0.5), 300*(rng.Float64()-0.5)
			}
			nodes[i][j] = orb.Point{x0 + (1000*float64(i)+jx)/mLon, y0 + (1000*float64(j)+jy)/mLat}
		}
	}
	// border returns the vertices from a to b inclusive; across is the
	// axis the wiggle moves (1 for an east-west border).
	border := func(a, b orb.Point, across int) []orb.Point {
		scale := [2]float64{1 / mLon, 1 / mLat}[across]
		phase := rng.Float64() * 6
		pts := []orb.Point{a}
		for k := 1; k < m; k++ {
			t := float64(k) / float64(m)
			p := orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
			taper := math.Min(1, math.Min(t, 1-t)*20) // meet the corners exactly
			p[across] += taper * (4*math.Sin(float64(k)*0.15+phase) + rng.Float64()) * scale
			if k%2 == 0 {
				p[across] = pts[k-1][across] // an exact axis-parallel step
			}
			pts = append(pts, p)
		}
		return append(pts, b)
	}
	type edge struct{ fwd, rev []orb.Point } // as seen from the cell on its left and on its right
	h := make([][]edge, n)                   // h[i][j]: node(i,j) → node(i+1,j)
	v := make([][]edge, n+1)                 // v[i][j]: node(i,j) → node(i,j+1)
	for i := range n + 1 {
		if i < n {
			h[i] = make([]edge, n+1)
		}
		v[i] = make([]edge, n)
		for j := range n + 1 {
			if i < n {
				pts := border(nodes[i][j], nodes[i+1][j], 1)
				h[i][j] = edge{pts, pts}
			}
			if j < n {
				pts := border(nodes[i][j], nodes[i][j+1], 0)
				v[i][j] = edge{pts, pts}
			}
		}
	}
	// Extra vertices, slivers and the bulge go on interior borders.
	var inner []*edge
	for i := range n + 1 {
		for j := range n + 1 {
			if i < n && j > 0 && j < n {
				inner = append(inner, &h[i][j])
			}
			if j < n && i > 0 && i < n {
				inner = append(inner, &v[i][j])
			}
		}
	}
	for k, e := range inner {
		if k%5 == 2 { // midpoints of the axis-parallel steps: exactly collinear
			var pts []orb.Point
			for q := range len(e.fwd) - 1 {
				a, b := e.fwd[q], e.fwd[q+1]
				pts = append(pts, a)
				if a[0] == b[0] || a[1] == b[1] {
					pts = append(pts, orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
				}
			}
			e.fwd = append(pts, e.fwd[len(e.fwd)-1])
		}
	}
	// bulge pushes vertices [from, to) of the forward copy right of the
	// border, into the neighbour, by dM metres.
	bulge := func(e *edge, from, to int, dM float64) {
		pts := append([]orb.Point(nil), e.fwd...)
		a, b := pts[0], pts[len(pts)-1]
		dx, dy := (b[0]-a[0])*mLon, (b[1]-a[1])*mLat
		l := math.Hypot(dx, dy)
		for q := from; q < to; q++ {
			pts[q][0] += dM * dy / l / mLon
			pts[q][1] -= dM * dx / l / mLat
		}
		e.fwd = pts
	}
	for s := range l.slivers {
		e := inner[(7+s*len(inner)/max(l.slivers, 1))%len(inner)]
		mid := len(e.fwd) / 2
		bulge(e, mid, mid+10, 0.3)
	}
	if l.bulgeM > 0 {
		e := inner[len(inner)/3]
		mid := len(e.fwd) / 2
		bulge(e, mid, mid+100, l.bulgeM)
	}
	rev := func(pts []orb.Point) []orb.Point {
		out := make([]orb.Point, 0, len(pts)-1)
		for q := len(pts) - 1; q > 0; q-- {
			out = append(out, pts[q])
		}
		return out
	}
	var rs []geo.Region
	for j := range n {
		for i := range n {
			var r orb.Ring
			r = append(r, h[i][j].fwd[:len(h[i][j].fwd)-1]...)
			r = append(r, v[i+1][j].fwd[:len(v[i+1][j].fwd)-1]...)
			r = append(r, rev(h[i][j+1].rev)...)
			r = append(r, rev(v[i][j].rev)...)
			r = append(r, r[0])
			rs = append(rs, geo.Region{Index: len(rs), ID: fmt.Sprintf("C%d", len(rs)), Geometry: orb.MultiPolygon{{r}}})
		}
	}
	return rs
}

func TestResolveCommunitiesDetailed(t *testing.T) {
	t.Run("clean", func(t *testing.T) {
		rs := borderLayer{n: 6, vertsPerSide: 300, seed: 1}.communities()
		got, ws, err := geo.ResolveCommunities("c.geojson", rs, geo.DefaultSliverM2)
		if err != nil || len(ws) != 0 {
			t.Fatalf("ResolveCommunities(clean layer) = %v, %v; want no warnings", ws, err)
		}
		for i := range got {
			if !orb.Equal(got[i].Geometry, rs[i].Geometry) {
				t.Errorf("community %d changed", i)
			}
		}
	})
	t.Run("slivers", func(t *testing.T) {
		const slivers = 4
		rs := borderLayer{n: 6, vertsPerSide: 300, slivers: slivers, seed: 1}.communities()
		_, ws, err := geo.ResolveCommunities("c.geojson", rs, geo.DefaultSliverM2)
		if err != nil {
			t.Fatal(err)
		}
		if len(ws) != slivers {
			t.Errorf("ResolveCommunities gave %d warnings, want %d slivers: %+v", len(ws), slivers, ws)
		}
		for _, w := range ws {
			var a float64
			if _, err := fmt.Sscanf(w.Note, "overlap of %f m²", &a); w.Kind != "sliver" || err != nil || a < 1 || a > 10 {
				t.Errorf("warning %+v, want a sliver of a few m²", w)
			}
		}
	})
	t.Run("substantial", func(t *testing.T) {
		rs := borderLayer{n: 6, vertsPerSide: 300, bulgeM: 8, seed: 1}.communities()
		_, _, err := geo.ResolveCommunities("c.geojson", rs, geo.DefaultSliverM2)
		if !errors.Is(err, geo.ErrCommunityOverlap) || !strings.Contains(err.Error(), "c.geojson") {
			t.Fatalf("ResolveCommunities = %v, want ErrCommunityOverlap", err)
		}
	})
}

// go test -run XXX -bench ResolveCommunitiesDetailed ./geo
func BenchmarkResolveCommunitiesDetailed(b *testing.B) {
	for _, n := range []int{5, 20} {
		rs := borderLayer{n: n, vertsPerSide: 500, slivers: n, seed: 1}.communities()
		verts := 0
		for _, r := range rs {
			verts += len(r.Geometry[0][0])
		}
		b.Run(fmt.Sprintf("communities=%d", n*n), func(b *testing.B) {
			b.ReportAllocs()
			var ws []geo.Warning
			for b.Loop() {
				var err error
				if _, ws, err = geo.ResolveCommunities("c.geojson", rs, geo.DefaultSliverM2); err != nil {
					b.Fatal(err)
				}
			}
			if len(ws) != n {
				b.Fatalf("%d warnings, want %d slivers", len(ws), n)
			}
			b.ReportMetric(float64(verts)/float64(len(rs)), "vertices/community")
		})
	}
}
