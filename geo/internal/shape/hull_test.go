package shape_test

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// chainHull is Andrew's monotone chain over every point, as ConvexHull
// runs it on the points its filter keeps: the reference.
func chainHull(pts []orb.Point) []orb.Point {
	s := slices.Clone(pts)
	slices.SortFunc(s, func(a, b orb.Point) int {
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		return cmp.Compare(a[1], b[1])
	})
	s = slices.Compact(s)
	if len(s) < 3 {
		return s
	}
	var h []orb.Point
	for range 2 {
		start := len(h)
		for _, p := range s {
			for len(h) >= start+2 {
				a, b := h[len(h)-2], h[len(h)-1]
				if robust.OrientXY(a[0], a[1], b[0], b[1], p[0], p[1]) > 0 {
					break
				}
				h = h[:len(h)-1]
			}
			h = append(h, p)
		}
		h = h[:len(h)-1]
		slices.Reverse(s)
	}
	if len(h) < 3 {
		return h[:min(len(h), 2)]
	}
	return h
}

// TestConvexHullFilter: the points ConvexHull drops before the chain
// (strictly inside the octagon of extreme points) change nothing, on
// random clouds, lattices full of collinear and repeated points, lines
// and single points, far from the origin.
func TestConvexHullFilter(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11)) // fixed: the cases are the same every run
	for it := range 3000 {
		n := 1 + r.IntN(60)
		off := orb.Point{500000, 4400000}
		var pts []orb.Point
		for range n {
			var p orb.Point
			switch it % 4 {
			case 0: // cloud
				p = orb.Point{r.Float64() * 100, r.Float64() * 100}
			case 1: // lattice
				p = orb.Point{float64(r.IntN(5)), float64(r.IntN(5))}
			case 2: // a line
				x := float64(r.IntN(9))
				p = orb.Point{x, 2*x + 1}
			default: // a disc
				x, y := r.Float64()*2-1, r.Float64()*2-1
				if x*x+y*y > 1 {
					x, y = x/2, y/2
				}
				p = orb.Point{x * 50, y * 50}
			}
			pts = append(pts, orb.Point{p[0] + off[0], p[1] + off[1]})
		}
		if got, want := shape.ConvexHull(pts), chainHull(pts); !slices.Equal(got, want) {
			t.Fatalf("case %d: ConvexHull(%v) = %v, want %v", it, pts, got, want)
		}
	}
}

// TestInsideConvexMatchesEveryEdge checks the wedge search against testing
// every edge, on random strictly convex polygons and on points inside,
// outside, on edges and at corners.
func TestInsideConvexMatchesEveryEdge(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for trial := range 400 {
		var pts []orb.Point
		for range 3 + r.IntN(60) {
			pts = append(pts, orb.Point{r.Float64()*200 - 100, r.Float64()*200 - 100})
		}
		B := chainHull(pts)
		if len(B) < 3 {
			continue
		}
		m := len(B)
		var probes []orb.Point
		for range 200 {
			probes = append(probes, orb.Point{r.Float64()*240 - 120, r.Float64()*240 - 120})
		}
		for k := range m {
			a, b := B[k], B[(k+1)%m]
			f := r.Float64()
			probes = append(probes, a, orb.Point{a[0] + (b[0]-a[0])*f, a[1] + (b[1]-a[1])*f},
				orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
		}
		for _, p := range probes {
			want := true
			for k := range m {
				q, s := B[k], B[(k+1)%m]
				if robust.OrientXY(q[0], q[1], s[0], s[1], p[0], p[1]) < 0 {
					want = false
					break
				}
			}
			if got := shape.InsideConvex(B, p); got != want {
				t.Fatalf("trial %d: InsideConvex(%v) = %v, every edge says %v", trial, p, got, want)
			}
		}
	}
}

// TestConvexInsideMatchesInsideConvex: the disc shortcut never changes
// the answer, on random strictly convex polygons (thin ones too) and
// points inside, outside and on the boundary.
func TestConvexInsideMatchesInsideConvex(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for trial := range 300 {
		var pts []orb.Point
		sx, sy := 1+r.Float64()*500, 1+r.Float64()*500
		if trial%3 == 0 {
			sy = sx * 1e-3 // thin
		}
		for range 3 + r.IntN(80) {
			pts = append(pts, orb.Point{r.NormFloat64() * sx, r.NormFloat64() * sy})
		}
		B := chainHull(pts)
		if len(B) < 3 {
			continue
		}
		c := shape.NewConvex(B)
		var probes []orb.Point
		for range 300 {
			probes = append(probes, orb.Point{r.NormFloat64() * sx * 1.5, r.NormFloat64() * sy * 1.5})
		}
		for k := range B {
			a, b := B[k], B[(k+1)%len(B)]
			probes = append(probes, a, orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
		}
		for _, p := range probes {
			if got, want := c.Inside(p), shape.InsideConvex(B, p); got != want {
				t.Fatalf("trial %d: Inside(%v) = %v, InsideConvex %v", trial, p, got, want)
			}
		}
	}
}
