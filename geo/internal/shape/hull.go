package shape

import (
	"math"

	"gridplan/geo/internal/robust"

	"github.com/paulmach/orb"
)

// hullArcStep is the largest angle between consecutive vertices of the round
// corners of the buffered hull (π/8: 16 vertices for a full turn, within 2% of
// the true buffer distance).
const hullArcStep = math.Pi / 8

// hullArcMin is the turn below which a hull vertex gets one buffer vertex
// instead of an arc: 2^-20 rad moves it by under 20 µm at a 20 m margin.
const hullArcMin = 0x1p-20

// BufferedHull returns the convex hull of pts buffered by margin with round
// corners, counter-clockwise, strictly convex.
func BufferedHull(pts []orb.Point, margin float64) []orb.Point {
	h := ConvexHull(pts)
	var ring []orb.Point
	if len(h) == 1 {
		for k := range 16 {
			a := float64(k) * hullArcStep
			ring = append(ring, orb.Point{h[0][0] + margin*math.Cos(a), h[0][1] + margin*math.Sin(a)})
		}
		return ConvexHull(ring)
	}
	for k := range h {
		p, q, s := h[(k+len(h)-1)%len(h)], h[k], h[(k+1)%len(h)]
		a0 := math.Atan2(q[1]-p[1], q[0]-p[0]) - math.Pi/2 // outward normal of p→q
		a1 := math.Atan2(s[1]-q[1], s[0]-q[0]) - math.Pi/2 // outward normal of q→s
		for a1 < a0 {
			a1 += 2 * math.Pi
		}
		steps := int(math.Ceil((a1 - a0) / hullArcStep))
		if a1-a0 < hullArcMin {
			// Nearly straight: one vertex, so the bound has no tiny edges.
			a0, steps = (a0+a1)/2, 0
		}
		for j := 0; j <= steps; j++ {
			a := a0
			if steps > 0 {
				a = a0 + (a1-a0)*float64(j)/float64(steps)
			}
			ring = append(ring, orb.Point{q[0] + margin*math.Cos(a), q[1] + margin*math.Sin(a)})
		}
	}
	return ConvexHull(ring)
}

// InsideConvex reports whether p is in the convex counter-clockwise polygon
// B (boundary included), by binary search over the fan from B[0].
func InsideConvex(B []orb.Point, p orb.Point) bool {
	m := len(B)
	o := B[0]
	if robust.OrientXY(o[0], o[1], B[1][0], B[1][1], p[0], p[1]) < 0 ||
		robust.OrientXY(o[0], o[1], B[m-1][0], B[m-1][1], p[0], p[1]) > 0 {
		return false
	}
	lo, hi := 1, m-1 // p is in the wedge between B[lo] and B[hi]
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if robust.OrientXY(o[0], o[1], B[mid][0], B[mid][1], p[0], p[1]) >= 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return robust.OrientXY(B[lo][0], B[lo][1], B[hi][0], B[hi][1], p[0], p[1]) >= 0
}

// A Convex answers [InsideConvex] for one polygon many times: a point in
// the polygon's inscribed disc about its vertex centroid (shrunk by a
// millionth, far beyond any rounding of the distance) is inside without
// the wedge search.
type Convex struct {
	B      []orb.Point
	cx, cy float64
	r2     float64 // squared radius of the disc; 0 for none
}

// NewConvex prepares B, strictly convex and counter-clockwise (open), for
// [Convex.Inside].
func NewConvex(B []orb.Point) *Convex {
	c := &Convex{B: B}
	if len(B) < 3 {
		return c
	}
	for _, p := range B {
		c.cx += p[0]
		c.cy += p[1]
	}
	c.cx /= float64(len(B))
	c.cy /= float64(len(B))
	r := math.Inf(1)
	for k, a := range B {
		b := B[(k+1)%len(B)]
		l := math.Hypot(b[0]-a[0], b[1]-a[1])
		if !(l > 0) {
			return c
		}
		// Distance from the centroid to the edge's line, inside positive.
		r = min(r, ((b[0]-a[0])*(c.cy-a[1])-(b[1]-a[1])*(c.cx-a[0]))/l)
	}
	if r > 0 && !math.IsInf(r, 0) {
		r *= 1 - 1e-6
		c.r2 = r * r
	}
	return c
}

// Inside is InsideConvex(c.B, p).
func (c *Convex) Inside(p orb.Point) bool {
	if dx, dy := p[0]-c.cx, p[1]-c.cy; dx*dx+dy*dy < c.r2 {
		return true
	}
	return InsideConvex(c.B, p)
}
