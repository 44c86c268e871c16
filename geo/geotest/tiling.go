package geotest

import (
	"math"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// An Edge is a directed edge of a ring, from P to Q.
type Edge struct{ P, Q orb.Point }

// CheckTiling checks that pieces tile their union without overlap, by rules
// that need no overlay: every ring closed, exteriors counter-clockwise and
// holes clockwise (RFC 7946), every piece a valid MultiPolygon, and every
// directed edge in one piece only, its reverse, if anywhere, in another one
// (a shared border, matched coordinate for coordinate). It returns the edges
// whose reverse is in no piece: the boundary of the union.
//
// With an outline, the pieces must tile it: every boundary edge lies on the
// outline (within a millionth of the coordinates' magnitude) and the pieces'
// areas sum to the outline's to within areaTol.
func CheckTiling(t testing.TB, pieces []orb.MultiPolygon, outline orb.MultiPolygon, areaTol float64) []Edge {
	t.Helper()
	owner := map[Edge]int{}
	var order []Edge
	for g, mp := range pieces {
		for _, poly := range mp {
			for ri, r := range poly {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					t.Errorf("piece %d: ring %d not closed or under three points", g, ri)
					continue
				}
				if a := shape.RingArea(r[:len(r)-1]); (ri == 0) != (a > 0) {
					t.Errorf("piece %d: ring %d has signed area %g (exterior must be counter-clockwise, holes clockwise)", g, ri, a)
				}
				for k := 0; k+1 < len(r); k++ {
					e := Edge{r[k], r[k+1]}
					if h, dup := owner[e]; dup {
						t.Errorf("edge %v in pieces %d and %d in the same direction: they overlap", e, h, g)
						continue
					}
					owner[e] = g
					order = append(order, e)
				}
			}
		}
		if len(mp) > 0 {
			CheckValidMultiPolygon(t, mp)
		}
	}
	var boundary []Edge
	for _, e := range order {
		g := owner[e]
		h, ok := owner[Edge{e.Q, e.P}]
		switch {
		case ok && h == g:
			t.Errorf("piece %d has edge %v both ways", g, e)
		case !ok:
			boundary = append(boundary, e)
		}
	}
	if outline == nil {
		return boundary
	}
	tol := 1e-6 * max(1, magnitude(outline))
	for _, e := range boundary {
		mid := orb.Point{(e.P[0] + e.Q[0]) / 2, (e.P[1] + e.Q[1]) / 2}
		if !onOutline(outline, e.P, tol) || !onOutline(outline, e.Q, tol) || !onOutline(outline, mid, tol) {
			t.Errorf("piece %d: edge %v is neither on the outline nor shared exactly", owner[e], e)
		}
	}
	// With the edge rules above, equal areas make a tiling of the outline.
	sum, want := 0.0, 0.0
	for _, mp := range pieces {
		for _, p := range mp {
			sum += shape.PolygonArea(p)
		}
	}
	for _, p := range outline {
		want += shape.PolygonArea(p)
	}
	if d := math.Abs(sum - want); d > areaTol {
		t.Errorf("pieces' areas sum to %.9f, the outline's is %.9f (difference %.3g, tolerance %.3g)", sum, want, d, areaTol)
	}
	return boundary
}

// magnitude is the largest absolute coordinate of mp.
func magnitude(mp orb.MultiPolygon) float64 {
	m := 0.0
	for _, poly := range mp {
		for _, r := range poly {
			for _, p := range r {
				m = max(m, math.Abs(p[0]), math.Abs(p[1]))
			}
		}
	}
	return m
}

// onOutline reports whether p is within tol of a ring of mp.
func onOutline(mp orb.MultiPolygon, p orb.Point, tol float64) bool {
	for _, poly := range mp {
		for _, r := range poly {
			for k := 0; k+1 < len(r); k++ {
				if shape.PointSegmentDist(p, r[k], r[k+1]) <= tol {
					return true
				}
			}
		}
	}
	return false
}
