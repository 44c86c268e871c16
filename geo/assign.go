package geo

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
	"github.com/tidwall/rtree"
)

// DefaultSliverM2 is the default tolerance of [ResolveCommunities]: two
// communities may overlap by up to this many square metres before the
// overlap is an error. Hand-digitized neighbours disagree along their common
// boundary by a metre or so; over a 50 m stretch of boundary that is a sliver
// of a few tens of square metres, while the smallest building footprint a
// wrong assignment could hide is about 100 m².
const DefaultSliverM2 = 50.0

// DefaultSnapM is the default snap distance of [AssignCommunities]: a
// building whose representative point lies this close outside a community
// is taken to belong to it. Digitizing errors of community boundaries are a
// few metres; a building 10 m outside its community is a data error worth
// refusing.
const DefaultSnapM = 10.0

// ResolveCommunities checks a communities layer for overlaps (SPEC §2.4).
// Areas are measured in a [Projection] centred on the layer. Two communities
// overlapping by more than tolM2 square metres are an error naming both
// ([ErrCommunityOverlap]); a smaller overlap is a digitizing sliver, given to
// the community that comes first in the file (subtracted from the other) and
// reported as a "sliver" [Warning]. cs is not modified; the returned slice
// holds the repaired regions in the same order.
func ResolveCommunities(file string, cs []Region, tolM2 float64) ([]Region, []Warning, error) {
	out := make([]Region, len(cs))
	copy(out, cs)
	if len(cs) < 2 {
		return out, nil, nil
	}
	proj := NewProjection(CenterOfRegions(cs))
	var tr rtree.RTreeG[int]
	for i, c := range cs {
		b := c.Geometry.Bound()
		tr.Insert(b.Min, b.Max, i)
	}
	// Candidate pairs (bounding boxes meet), in index order.
	type pair struct {
		i, j int
		area float64
		err  error
	}
	var pairs []pair
	for i, c := range cs {
		b := c.Geometry.Bound()
		var cand []int
		tr.Search(b.Min, b.Max, func(_, _ [2]float64, j int) bool {
			if j > i {
				cand = append(cand, j)
			}
			return true
		})
		sort.Ints(cand)
		for _, j := range cand {
			pairs = append(pairs, pair{i: i, j: j})
		}
	}
	// Most pairs are neighbours sharing a border exactly; the exact
	// pre-test spares them the overlay (overlap.go).
	shapes := make([]*overlapShape, len(cs))
	forEachParallelChunk(len(cs), 1, func(i int) { shapes[i] = newOverlapShape(cs[i].Geometry) })
	overlap := func(i, j int, a, b Region) (float64, error) {
		if !interiorsMayOverlap(shapes[i], shapes[j]) {
			return 0, nil
		}
		inter, err := geom.Intersection(toSF(a.Geometry), toSF(b.Geometry))
		if err != nil {
			return 0, overlayError(file, a, b, err)
		}
		return inter.TransformXY(func(xy geom.XY) geom.XY {
			p := proj.Forward(orb.Point{xy.X, xy.Y})
			return geom.XY{X: p[0], Y: p[1]}
		}).Area(), nil
	}
	// Overlay is the expensive part; measure every pair in parallel on the
	// input geometry, then resolve in order, measuring again only pairs
	// that involve a region already repaired.
	const pairsPerTask = 4
	forEachParallelChunk(len(pairs), pairsPerTask, func(k int) {
		i, j := pairs[k].i, pairs[k].j
		pairs[k].area, pairs[k].err = overlap(i, j, cs[i], cs[j])
	})
	repaired := make([]bool, len(cs))
	var warns []Warning
	for _, pr := range pairs {
		i, j, area, err := pr.i, pr.j, pr.area, pr.err
		if repaired[i] || repaired[j] {
			area, err = overlap(i, j, out[i], out[j])
		}
		if err != nil {
			return nil, nil, err
		}
		if area == 0 {
			continue
		}
		if area > tolM2 {
			return nil, nil, &FeatureError{File: file, Index: out[j].Index, ID: out[j].ID,
				Err: fmt.Errorf("%w: overlaps feature %d (id %q) by %.0f m², more than the %g m² tolerance for slivers",
					ErrCommunityOverlap, out[i].Index, out[i].ID, area, tolM2)}
		}
		diff, err := geom.Difference(toSF(out[j].Geometry), toSF(out[i].Geometry))
		if err != nil {
			return nil, nil, overlayError(file, out[i], out[j], err)
		}
		mp := fromSF(diff)
		if len(mp) == 0 {
			return nil, nil, &FeatureError{File: file, Index: out[j].Index, ID: out[j].ID,
				Err: fmt.Errorf("%w: lies entirely inside feature %d (id %q)", ErrCommunityOverlap, out[i].Index, out[i].ID)}
		}
		out[j].Geometry = mp
		shapes[j] = newOverlapShape(mp)
		repaired[j] = true
		warns = append(warns, Warning{File: file, Index: out[j].Index, ID: out[j].ID, Kind: "sliver",
			Note: fmt.Sprintf("overlap of %.1f m² with feature %d (id %q) left to that feature", area, out[i].Index, out[i].ID)})
	}
	return out, warns, nil
}

func overlayError(file string, a, b Region, err error) error {
	return &FeatureError{File: file, Index: b.Index, ID: b.ID,
		Err: fmt.Errorf("cannot intersect with feature %d (id %q): %w", a.Index, a.ID, err)}
}

// toSF converts a multipolygon to simplefeatures, for overlay.
func toSF(mp orb.MultiPolygon) geom.Geometry {
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

// fromSF returns the polygonal part of g as a multipolygon with RFC 7946
// ring orientation.
func fromSF(g geom.Geometry) orb.MultiPolygon {
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
			if len(r) >= 4 && ringIsCCW(r) != ccw {
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
			out = append(out, fromSF(gc.GeometryN(i))...)
		}
	}
	return out
}

// regionIndex finds the regions containing a point.
type regionIndex struct {
	rs []Region
	tr rtree.RTreeG[[2]int] // region index, polygon index
}

func newRegionIndex(rs []Region) *regionIndex {
	ix := &regionIndex{rs: rs}
	for i, r := range rs {
		for k, p := range r.Geometry {
			if len(p) == 0 {
				continue
			}
			b := p.Bound()
			ix.tr.Insert(b.Min, b.Max, [2]int{i, k})
		}
	}
	return ix
}

// containing returns the lowest index of a region whose closed polygon
// contains p, or -1.
func (ix *regionIndex) containing(p orb.Point) int {
	best := -1
	ix.tr.Search(p, p, func(_, _ [2]float64, v [2]int) bool {
		if best >= 0 && v[0] >= best {
			return true
		}
		if polygonCovers(ix.rs[v[0]].Geometry[v[1]], p) {
			best = v[0]
		}
		return true
	})
	return best
}

// nearest returns the region whose boundary is nearest to p within maxM
// metres (measured in proj), the lowest index among equals, or -1.
func (ix *regionIndex) nearest(p orb.Point, proj *Projection, maxM float64) (int, float64) {
	dLon, dLat := degreesFor(maxM, p[1])
	best, bestD := -1, math.Inf(1)
	pp := proj.Forward(p)
	ix.tr.Search(orb.Point{p[0] - dLon, p[1] - dLat}, orb.Point{p[0] + dLon, p[1] + dLat}, func(_, _ [2]float64, v [2]int) bool {
		for _, r := range ix.rs[v[0]].Geometry[v[1]] {
			for e := 0; e+1 < len(r); e++ {
				d := pointSegmentDist(pp, proj.Forward(r[e]), proj.Forward(r[e+1]))
				if d < bestD || (d == bestD && v[0] < best) {
					best, bestD = v[0], d
				}
			}
		}
		return true
	})
	if bestD > maxM {
		return -1, bestD
	}
	return best, bestD
}

// degreesFor returns longitude and latitude spans at latitude lat that are
// at least m metres long: an index query box for a search radius. One degree
// of latitude is at least 110,574 m (at the equator) and one degree of
// longitude at least 111,320·cos(lat) m less 0.7% for the ellipsoid; 1%
// margin covers both.
func degreesFor(m, lat float64) (dLon, dLat float64) {
	const minMetresPerDegree = 110574 * 0.99
	dLat = m / minMetresPerDegree
	cos := math.Cos(math.Min(math.Abs(lat)+dLat, 90) * math.Pi / 180)
	if cos < 1e-6 { // within 0.1 m of a pole: search every longitude
		return 360, dLat
	}
	return dLat / cos, dLat
}

func pointSegmentDist(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	return math.Hypot(p[0]-a[0]-t*dx, p[1]-a[1]-t*dy)
}

// polygonCovers reports whether p lies in the closed polygon (inside the
// exterior or on its boundary, and not strictly inside a hole).
func polygonCovers(poly orb.Polygon, p orb.Point) bool {
	in, on := ringContainsExact(poly[0], p)
	if !in && !on {
		return false
	}
	for _, h := range poly[1:] {
		if in, _ := ringContainsExact(h, p); in {
			return false
		}
	}
	return true
}

// AssignCommunities sets Community for every building whose Community is ""
// to the id of the community containing its representative point
// ([RepresentativePoint]): where most of a footprint lies, for a footprint
// drawn across a boundary. Where communities overlap, the first in cs wins.
// A building whose point lies outside every community but within snapM
// metres of one is assigned to the nearest, with a "snapped_to_community"
// [Warning]; farther out it is a [*FeatureError] of buildingsFile wrapping
// [ErrOutsideCommunities]. A building whose Community names no community in
// cs is an error wrapping [ErrUnknownCommunity]. With no communities, bs is
// left unchanged (SPEC §2.1: one implicit community).
//
// bs is modified in place.
func AssignCommunities(buildingsFile string, bs []Building, cs []Region, snapM float64) ([]Warning, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	ids := make(map[string]bool, len(cs))
	for _, c := range cs {
		ids[c.ID] = true
	}
	for _, b := range bs {
		if b.Community != "" && !ids[b.Community] {
			return nil, &FeatureError{File: buildingsFile, Index: b.Index, ID: b.ID,
				Err: fmt.Errorf("%w: %q", ErrUnknownCommunity, b.Community)}
		}
	}
	ix := newRegionIndex(cs)
	found := make([]int, len(bs))
	forEachParallel(len(bs), func(i int) {
		found[i] = -1
		if bs[i].Community == "" && bs[i].Geometry != nil {
			found[i] = ix.containing(RepresentativePoint(bs[i].Geometry))
		}
	})
	var proj *Projection // only needed for buildings outside every community
	var warns []Warning
	for i := range bs {
		b := &bs[i]
		if b.Community != "" {
			continue
		}
		if b.Geometry == nil {
			return nil, &FeatureError{File: buildingsFile, Index: b.Index, ID: b.ID, Err: ErrEmptyGeometry}
		}
		if found[i] >= 0 {
			b.Community = cs[found[i]].ID
			continue
		}
		if proj == nil {
			proj = NewProjection(CenterOfRegions(cs))
		}
		p := RepresentativePoint(b.Geometry)
		j, d := ix.nearest(p, proj, snapM)
		if j < 0 {
			return nil, &FeatureError{File: buildingsFile, Index: b.Index, ID: b.ID,
				Err: fmt.Errorf("%w: point [%.7f, %.7f] is more than %g m from every community", ErrOutsideCommunities, p[0], p[1], snapM)}
		}
		b.Community = cs[j].ID
		warns = append(warns, Warning{File: buildingsFile, Index: b.Index, ID: b.ID, Kind: "snapped_to_community",
			Note: fmt.Sprintf("%.1f m outside community %q; assigned to it", d, cs[j].ID)})
	}
	return warns, nil
}

// AssignCompounds sets Compound for every building whose Compound is "" to
// the id of the compound polygon containing its representative point (SPEC
// §2.2: buildings inside inherit the compound id). Buildings outside every
// compound keep "". A building naming a compound not in the layer is
// accepted: compounds need not all be drawn. bs is modified in place.
func AssignCompounds(bs []Building, compounds []Region) {
	if len(compounds) == 0 {
		return
	}
	ix := newRegionIndex(compounds)
	forEachParallel(len(bs), func(i int) {
		if bs[i].Compound == "" && bs[i].Geometry != nil {
			if j := ix.containing(RepresentativePoint(bs[i].Geometry)); j >= 0 {
				bs[i].Compound = compounds[j].ID
			}
		}
	})
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
		return polygonPoint(g)
	case orb.MultiPolygon:
		best, bestA := -1, -1.0
		for i, p := range g {
			if len(p) == 0 {
				continue
			}
			if a := polygonArea(p); a > bestA {
				best, bestA = i, a
			}
		}
		if best >= 0 {
			return polygonPoint(g[best])
		}
	}
	if g == nil {
		return orb.Point{}
	}
	return g.Bound().Center()
}

// polygonArea returns the unsigned area of p in squared input units, summed
// about the first vertex to limit roundoff.
func polygonArea(p orb.Polygon) float64 {
	a := math.Abs(ringArea2(p[0], p[0][0]))
	for _, h := range p[1:] {
		a -= math.Abs(ringArea2(h, p[0][0]))
	}
	return a / 2
}

// ringArea2 returns twice the signed area of r, with coordinates taken
// relative to o.
func ringArea2(r orb.Ring, o orb.Point) float64 {
	s := 0.0
	for i := 0; i+1 < len(r); i++ {
		s += (r[i][0]-o[0])*(r[i+1][1]-o[1]) - (r[i+1][0]-o[0])*(r[i][1]-o[1])
	}
	return s
}

func polygonPoint(p orb.Polygon) orb.Point {
	if len(p) == 0 || len(p[0]) == 0 {
		return orb.Point{}
	}
	o := p[0][0]
	var cx, cy, a float64
	for k, r := range p {
		sign := 1.0
		if k > 0 {
			sign = -1
		}
		ra := ringArea2(r, o)
		if ra < 0 == (sign > 0) {
			sign = -sign // make exterior add and holes subtract whatever the orientation
		}
		for i := 0; i+1 < len(r); i++ {
			x0, y0 := r[i][0]-o[0], r[i][1]-o[1]
			x1, y1 := r[i+1][0]-o[0], r[i+1][1]-o[1]
			c := x0*y1 - x1*y0
			cx += sign * (x0 + x1) * c
			cy += sign * (y0 + y1) * c
		}
		a += sign * ra
	}
	if a != 0 {
		c := orb.Point{o[0] + cx/(3*a), o[1] + cy/(3*a)}
		if in, _ := ringContainsExact(p[0], c); in && polygonCovers(p, c) && !onAnyHole(p, c) {
			return c
		}
	}
	return scanlinePoint(p)
}

func onAnyHole(p orb.Polygon, c orb.Point) bool {
	for _, h := range p[1:] {
		if _, on := ringContainsExact(h, c); on {
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
