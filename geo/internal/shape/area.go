package shape

import (
	"math"

	"github.com/paulmach/orb"
)

// The shoelace formula, once. Every sum is taken relative to an origin
// vertex, which keeps round-off small for coordinates far from zero (metres
// in a projected plane are in the hundreds of thousands).

// RingArea2 returns twice the signed area of r (positive if
// counter-clockwise), with coordinates taken relative to o. The ring may be
// open or closed: when o is its first vertex the closing edge adds zero.
func RingArea2(r []orb.Point, o orb.Point) float64 {
	s := 0.0
	for i := 0; i+1 < len(r); i++ {
		s += EdgeArea2(r[i], r[i+1], o)
	}
	return s
}

// EdgeArea2 is edge p→q's term of the shoelace sum about o: twice the
// signed area of the triangle o, p, q.
func EdgeArea2(p, q, o orb.Point) float64 {
	return (p[0]-o[0])*(q[1]-o[1]) - (q[0]-o[0])*(p[1]-o[1])
}

// RingArea is the signed area of a ring, open or closed (positive if
// counter-clockwise).
func RingArea(pts []orb.Point) float64 {
	if len(pts) < 3 {
		return 0
	}
	return RingArea2(pts, pts[0]) / 2
}

// RingPerimeter is the length of a closed ring.
func RingPerimeter(r orb.Ring) float64 {
	per := 0.0
	for i := 0; i+1 < len(r); i++ {
		per += math.Hypot(r[i+1][0]-r[i][0], r[i+1][1]-r[i][1])
	}
	return per
}

// PolygonArea returns the unsigned area of p, whatever the orientation of
// its rings, summed about the first vertex.
func PolygonArea(p orb.Polygon) float64 {
	a := math.Abs(RingArea2(p[0], p[0][0]))
	for _, h := range p[1:] {
		a -= math.Abs(RingArea2(h, p[0][0]))
	}
	return a / 2
}

// MultiPolygonArea is the sum of PolygonArea over the polygons of mp.
func MultiPolygonArea(mp orb.MultiPolygon) float64 {
	a := 0.0
	for _, p := range mp {
		if len(p) > 0 {
			a += PolygonArea(p)
		}
	}
	return a
}

// AreaPerimeter returns the area and perimeter of mp, each ring summed about
// its own first vertex: the exterior ring counts positive and holes negative,
// whatever their orientation.
func AreaPerimeter(mp orb.MultiPolygon) (area, perimeter float64) {
	for _, p := range mp {
		for k, r := range p {
			if len(r) == 0 {
				continue
			}
			a := math.Abs(RingArea2(r, r[0])) / 2
			if k > 0 {
				a = -a
			}
			area += a
			perimeter += RingPerimeter(r)
		}
	}
	return area, perimeter
}

// Moments accumulates, about an origin O, twice the signed area and the
// first moments of area of rings; the centroid follows from them.
type Moments struct {
	O          orb.Point
	A2, Mx, My float64
}

// Add adds ring r, its contributions multiplied by sign (1 to take the
// ring as oriented, -1 to reverse it).
func (m *Moments) Add(r orb.Ring, sign float64) {
	o := m.O
	for i := 0; i+1 < len(r); i++ {
		x0, y0 := r[i][0]-o[0], r[i][1]-o[1]
		x1, y1 := r[i+1][0]-o[0], r[i+1][1]-o[1]
		c := x0*y1 - x1*y0
		m.A2 += sign * c
		m.Mx += sign * (x0 + x1) * c
		m.My += sign * (y0 + y1) * c
	}
}

// Centroid returns the centroid of the rings added, false if their area is
// zero.
func (m *Moments) Centroid() (orb.Point, bool) {
	if m.A2 == 0 {
		return orb.Point{}, false
	}
	return orb.Point{m.O[0] + m.Mx/(3*m.A2), m.O[1] + m.My/(3*m.A2)}, true
}
