package shape

import (
	"cmp"
	"math"
	"slices"
	"sort"

	"gridplan/geo/internal/robust"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// ToSF converts a multipolygon to simplefeatures, for overlay.
func ToSF(mp orb.MultiPolygon) geom.Geometry {
	polys := make([][][]float64, len(mp))
	for i, p := range mp {
		rings := make([][]float64, len(p))
		for k, r := range p {
			xy := make([]float64, 0, 2*len(r))
			for _, pt := range r {
				xy = append(xy, pt[0], pt[1])
			}
			rings[k] = xy
		}
		polys[i] = rings
	}
	return geom.NewMultiPolygonXY(polys...).AsGeometry()
}

// FromSF returns the polygonal part of g as a multipolygon with RFC 7946
// ring orientation.
func FromSF(g geom.Geometry) orb.MultiPolygon {
	var out orb.MultiPolygon
	addPoly := func(p geom.Polygon) {
		if p.IsEmpty() {
			return
		}
		ring := func(ls geom.LineString, ccw bool) orb.Ring {
			seq := ls.Coordinates()
			r := make(orb.Ring, seq.Length())
			for i := range r {
				xy := seq.GetXY(i)
				r[i] = orb.Point{xy.X, xy.Y}
			}
			if len(r) >= 4 && RingIsCCW(r) != ccw {
				r.Reverse()
			}
			return r
		}
		op := orb.Polygon{ring(p.ExteriorRing(), true)}
		for k := 0; k < p.NumInteriorRings(); k++ {
			op = append(op, ring(p.InteriorRingN(k), false))
		}
		out = append(out, op)
	}
	switch g.Type() {
	case geom.TypePolygon:
		p, _ := g.AsPolygon()
		addPoly(p)
	case geom.TypeMultiPolygon:
		mp, _ := g.AsMultiPolygon()
		for i := 0; i < mp.NumPolygons(); i++ {
			addPoly(mp.PolygonN(i))
		}
	case geom.TypeGeometryCollection:
		gc, _ := g.AsGeometryCollection()
		for i := 0; i < gc.NumGeometries(); i++ {
			out = append(out, FromSF(gc.GeometryN(i))...)
		}
	}
	return out
}

// PointSegmentDist returns the distance from p to the segment ab.
func PointSegmentDist(p, a, b orb.Point) float64 {
	_, d := NearestOnSegment(p, a, b)
	return d
}

// NearestOnSegment returns the point of the segment ab nearest to p, and
// its distance from p.
func NearestOnSegment(p, a, b orb.Point) (orb.Point, float64) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	return orb.Point{a[0] + t*dx, a[1] + t*dy}, math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}

// PolygonCovers reports whether p lies in the closed polygon (inside the
// exterior or on its boundary, and not strictly inside a hole).
func PolygonCovers(poly orb.Polygon, p orb.Point) bool {
	in, on := RingContainsExact(poly[0], p)
	if !in && !on {
		return false
	}
	for _, h := range poly[1:] {
		if in, _ := RingContainsExact(h, p); in {
			return false
		}
	}
	return true
}

// RepresentativePoint returns a point that stands for a building in
// point-in-polygon tests: a Point itself; for a footprint, the centroid of
// its largest polygon if that lies inside it, else the midpoint of the
// widest interior run of the horizontal line through the polygon's middle,
// which always does.
func RepresentativePoint(g orb.Geometry) orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return g
	case orb.Polygon:
		return PolygonPoint(g)
	case orb.MultiPolygon:
		best, bestA := -1, -1.0
		for i, p := range g {
			if len(p) == 0 {
				continue
			}
			if a := PolygonArea(p); a > bestA {
				best, bestA = i, a
			}
		}
		if best >= 0 {
			return PolygonPoint(g[best])
		}
	}
	if g == nil {
		return orb.Point{}
	}
	return g.Bound().Center()
}

// PolygonPoint returns the centroid of p if it lies strictly inside p, else
// the midpoint of the widest interior run of the horizontal line through
// p's middle.
func PolygonPoint(p orb.Polygon) orb.Point {
	if len(p) == 0 || len(p[0]) == 0 {
		return orb.Point{}
	}
	m := Moments{O: p[0][0]}
	for k, r := range p {
		// The exterior adds and holes subtract, whatever their orientation.
		sign := 1.0
		if (RingArea2(r, m.O) < 0) == (k == 0) {
			sign = -1
		}
		m.Add(r, sign)
	}
	if c, ok := m.Centroid(); ok {
		if in, _ := RingContainsExact(p[0], c); in && PolygonCovers(p, c) && !onAnyHole(p, c) {
			return c
		}
	}
	return scanlinePoint(p)
}

func onAnyHole(p orb.Polygon, c orb.Point) bool {
	for _, h := range p[1:] {
		if _, on := RingContainsExact(h, c); on {
			return true
		}
	}
	return false
}

// scanlinePoint returns the midpoint of the widest interval in which the
// horizontal line through the middle of p's bounding box is inside p.
func scanlinePoint(p orb.Polygon) orb.Point {
	b := p.Bound()
	y := (b.Min[1] + b.Max[1]) / 2
	var xs []float64
	for _, r := range p {
		for i := 0; i+1 < len(r); i++ {
			a, c := r[i], r[i+1]
			if (a[1] > y) != (c[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(c[0]-a[0])/(c[1]-a[1]))
			}
		}
	}
	sort.Float64s(xs)
	best, bestW := b.Center(), -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > bestW {
			best, bestW = orb.Point{(xs[i] + xs[i+1]) / 2, y}, w
		}
	}
	return best
}

// Param is the position of p along a→b, 0 at a and 1 at b.
func Param(a, b, p orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	return (float64((p[0]-a[0])*dx) + float64((p[1]-a[1])*dy)) / (float64(dx*dx) + float64(dy*dy))
}

// BoundsMagnitude returns the largest absolute coordinate of the bounds of mps.
func BoundsMagnitude(mps []orb.MultiPolygon) float64 {
	mag := 0.0
	for _, mp := range mps {
		if len(mp) == 0 {
			continue
		}
		// The exteriors bound a polygon (as in orb's Bound); a
		// multipolygon with none is orb's empty bound, whose corners
		// are 1 or -1.
		found := false
		for _, p := range mp {
			if len(p) == 0 || len(p[0]) == 0 {
				continue
			}
			found = true
			for _, q := range p[0] {
				mag = max(mag, math.Abs(q[0]), math.Abs(q[1]))
			}
		}
		if !found {
			mag = max(mag, 1)
		}
	}
	return mag
}

// Polygons returns the polygons of a footprint: a Polygon as one, a
// MultiPolygon as it is, nothing for any other geometry.
func Polygons(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// ConvexHull returns the strictly convex hull of pts, counter-clockwise
// (Andrew's monotone chain with exact orientation).
func ConvexHull(pts []orb.Point) []orb.Point {
	// Akl–Toussaint: points strictly inside the octagon of the extreme
	// points in eight directions cannot be on the hull. The octagon is
	// the closed path through them, counter-clockwise; a point strictly
	// left of all its edges is strictly inside the hull of the points
	// (the path winds around it), whatever rounding in x±y picked.
	var ext [8]orb.Point
	for i, p := range pts {
		if i == 0 {
			ext = [8]orb.Point{p, p, p, p, p, p, p, p}
		}
		if p[1] < ext[0][1] {
			ext[0] = p
		}
		if p[0]-p[1] > ext[1][0]-ext[1][1] {
			ext[1] = p
		}
		if p[0] > ext[2][0] {
			ext[2] = p
		}
		if p[0]+p[1] > ext[3][0]+ext[3][1] {
			ext[3] = p
		}
		if p[1] > ext[4][1] {
			ext[4] = p
		}
		if p[1]-p[0] > ext[5][1]-ext[5][0] {
			ext[5] = p
		}
		if p[0] < ext[6][0] {
			ext[6] = p
		}
		if p[0]+p[1] < ext[7][0]+ext[7][1] {
			ext[7] = p
		}
	}
	var edges [][2]orb.Point
	for k := range 8 {
		if a, b := ext[k], ext[(k+1)%8]; a != b {
			edges = append(edges, [2]orb.Point{a, b})
		}
	}
	var s []orb.Point
	for _, p := range pts {
		in := len(edges) > 0
		for _, e := range edges {
			if robust.OrientXY(e[0][0], e[0][1], e[1][0], e[1][1], p[0], p[1]) <= 0 {
				in = false
				break
			}
		}
		if !in {
			s = append(s, p)
		}
	}
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
	for pass := 0; pass < 2; pass++ {
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

func SqDist(ax, ay, bx, by float64) float64 {
	dx, dy := ax-bx, ay-by
	return float64(dx*dx) + float64(dy*dy)
}

// MapVertices returns mp with every vertex v replaced by f(v), dropping the
// consecutive repeats this makes, the rings it leaves under three distinct
// vertices (or open), and the polygons whose exterior it drops. f must map
// equal points to equal points.
func MapVertices(mp orb.MultiPolygon, f func(orb.Point) orb.Point) orb.MultiPolygon {
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, p := range mp {
		poly := make(orb.Polygon, 0, len(p))
		for k, r := range p {
			ring := make(orb.Ring, 0, len(r))
			for _, v := range r {
				if w := f(v); len(ring) == 0 || ring[len(ring)-1] != w {
					ring = append(ring, w)
				}
			}
			if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
				if k == 0 {
					break
				}
				continue
			}
			poly = append(poly, ring)
		}
		if len(poly) > 0 {
			out = append(out, poly)
		}
	}
	return out
}
