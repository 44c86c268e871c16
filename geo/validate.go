package geo

import (
	"fmt"
	"math"
	"sort"

	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// ringIssue describes why a ring is not simple.
type ringIssue struct {
	i, j int // edge indexes; edge k runs from vertex k to vertex k+1
}

func (r ringIssue) String() string {
	if r.i == r.j {
		return fmt.Sprintf("edge %d doubles back on itself", r.i)
	}
	return fmt.Sprintf("edges %d and %d cross or touch", r.i, r.j)
}

// naiveRingLimit is the edge count up to which all pairs of edges are
// tested: below it the sweep's sorting costs more than it saves (footprints
// have 5–30 vertices).
const naiveRingLimit = 32

// ringSelfIntersection reports the first pair of edges of the closed ring v
// (v[0] == v[len(v)-1], no consecutive duplicates, at least 3 distinct
// vertices) that meet anywhere except at the vertex two consecutive edges
// share, including an edge that doubles back along its predecessor (a
// spike). ok is false when the ring is simple.
func ringSelfIntersection(v []orb.Point) (issue ringIssue, found bool) {
	n := len(v) - 1                   // number of edges
	adjacent := func(i, j int) bool { // i < j
		return j == i+1 || (i == 0 && j == n-1)
	}
	// spike reports whether edges i and i+1 (mod n), which share a vertex,
	// overlap along a positive length.
	spike := func(i int) bool {
		a, b, d := v[i], v[i+1], v[(i+2)%n]
		if robust.Orient(a, b, d) != 0 {
			return false
		}
		return robust.InBox(a, b, d) || robust.InBox(b, d, a)
	}
	for i := 0; i < n; i++ {
		if spike(i) {
			return ringIssue{(i + 1) % n, (i + 1) % n}, true
		}
	}
	test := func(i, j int) bool {
		if i > j {
			i, j = j, i
		}
		if adjacent(i, j) {
			return false // covered by spike
		}
		return robust.SegmentsMeet(v[i], v[i+1], v[j], v[j+1])
	}
	if n <= naiveRingLimit {
		for i := 0; i < n; i++ {
			for j := i + 2; j < n; j++ {
				if test(i, j) {
					return ringIssue{i, j}, true
				}
			}
		}
		return ringIssue{}, false
	}
	// Sweep along x: sort edges by their smallest x and compare each edge
	// only with the later edges whose x-range begins before it ends and
	// whose y-range overlaps. O(n log n + k) for k x-overlapping pairs,
	// small for real boundaries.
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	minX := func(i int) float64 { return math.Min(v[i][0], v[i+1][0]) }
	sort.Slice(idx, func(a, b int) bool { return minX(idx[a]) < minX(idx[b]) })
	for k, i := range idx {
		maxX := math.Max(v[i][0], v[i+1][0])
		loY, hiY := math.Min(v[i][1], v[i+1][1]), math.Max(v[i][1], v[i+1][1])
		for _, j := range idx[k+1:] {
			if minX(j) > maxX {
				break
			}
			if math.Max(v[j][1], v[j+1][1]) < loY || math.Min(v[j][1], v[j+1][1]) > hiY {
				continue
			}
			if test(i, j) {
				if i > j {
					i, j = j, i
				}
				return ringIssue{i, j}, true
			}
		}
	}
	return ringIssue{}, false
}

// ringRepairs counts the repairs made to a feature's rings (SPEC §2.4).
type ringRepairs struct {
	duplicates int // consecutive duplicate vertices removed
	reoriented int // rings reversed to RFC 7946 orientation
	// mergedFrom polygons of a MultiPolygon that overlapped were merged
	// into mergedTo.
	mergedFrom, mergedTo int
	// repaired notes each repair of a ring that cleanPolygon refused
	// (repairPolygon), e.g. "ring 0: removed 1 spike at vertex 4".
	repaired []string
	// changeDeg2 sums the area, in square degrees, that those repairs
	// added or removed.
	changeDeg2 float64
	// speckM2, if positive, is the area in square metres that the repair of
	// an exterior ring may drop in small parts left by splitting it (a
	// rounding-made lobe of a community outline), smallest first, never
	// the largest part.
	speckM2 float64
}

// cleanRing validates one ring and returns it repaired: consecutive
// duplicate vertices removed and, if ccw differs from the ring's
// orientation, reversed. pts is not modified when a repair is needed; the
// returned ring may share pts' storage otherwise.
func cleanRing(pts []orb.Point, ccw bool, rep *ringRepairs) (orb.Ring, error) {
	if len(pts) == 0 {
		return nil, fmt.Errorf("%w: no positions", ErrRingTooShort)
	}
	if pts[0] != pts[len(pts)-1] {
		return nil, fmt.Errorf("%w: first position %v, last %v", ErrRingNotClosed, pts[0], pts[len(pts)-1])
	}
	dups := 0
	for i := 1; i < len(pts); i++ {
		if pts[i] == pts[i-1] {
			dups++
		}
	}
	ring := orb.Ring(pts)
	if dups > 0 {
		ring = make(orb.Ring, 0, len(pts)-dups)
		ring = append(ring, pts[0])
		for _, p := range pts[1:] {
			if p != ring[len(ring)-1] {
				ring = append(ring, p)
			}
		}
		rep.duplicates += dups
	}
	if len(ring) < 4 {
		return nil, fmt.Errorf("%w: %d distinct", ErrRingTooShort, max(len(ring)-1, 1))
	}
	if issue, found := ringSelfIntersection(ring); found {
		return nil, fmt.Errorf("%w: %v", ErrSelfIntersection, issue)
	}
	if shape.RingIsCCW(ring) != ccw {
		if dups == 0 {
			ring = append(orb.Ring(nil), ring...)
		}
		for i, j := 0, len(ring)-1; i < j; i, j = i+1, j-1 {
			ring[i], ring[j] = ring[j], ring[i]
		}
		rep.reoriented++
	}
	return ring, nil
}

// cleanPolygon validates every ring of a polygon (exterior counter-clockwise,
// holes clockwise, RFC 7946 §3.1.6) and checks that rings do not cross or
// share an edge and that holes start inside the exterior.
func cleanPolygon(rings [][]orb.Point, rep *ringRepairs) (orb.Polygon, error) {
	if len(rings) == 0 {
		return nil, fmt.Errorf("%w: polygon has no rings", ErrEmptyGeometry)
	}
	poly := make(orb.Polygon, len(rings))
	for k, r := range rings {
		ring, err := cleanRing(r, k == 0, rep)
		if err != nil {
			return nil, fmt.Errorf("ring %d: %w", k, err)
		}
		poly[k] = ring
	}
	if len(poly) > 1 {
		if err := checkRingsApart(poly); err != nil {
			return nil, err
		}
	}
	return poly, nil
}

// checkRingsApart reports rings of one polygon that cross or share an edge,
// and holes not inside the exterior ring. Rings may touch at single points
// (OGC Simple Features).
func checkRingsApart(poly orb.Polygon) error {
	if issue := ringsApartIssue(poly); issue != "" {
		return fmt.Errorf("%w: %s", ErrSelfIntersection, issue)
	}
	return nil
}

// ringsApartIssue says what checkRingsApart finds wrong with the simple
// rings of poly, "" if nothing.
func ringsApartIssue(poly orb.Polygon) string {
	if r1, r2, found := ringsCross(poly, nil); found {
		return fmt.Sprintf("rings %d and %d cross", r1, r2)
	}
	for k, h := range poly[1:] {
		// Some vertex of the hole off the exterior decides; rings do not
		// cross, so all of the hole is on that side.
		for _, p := range h[:len(h)-1] {
			in, on := shape.RingContainsExact(poly[0], p)
			if on {
				continue
			}
			if !in {
				return fmt.Sprintf("ring %d (a hole) lies outside the exterior ring", k+1)
			}
			break
		}
	}
	return ""
}

// ringsCross reports two rings of rings that cross or share part of an
// edge (a sweep over the edges by x), among rings of different groups
// (group[k] of ring k; nil: every ring its own group).
func ringsCross(rings []orb.Ring, group []int) (r1, r2 int, found bool) {
	type seg struct{ ring, edge int }
	var segs []seg
	for k, r := range rings {
		for e := 0; e+1 < len(r); e++ {
			segs = append(segs, seg{k, e})
		}
	}
	same := func(a, b int) bool { return a == b || group != nil && group[a] == group[b] }
	ends := func(s seg) (orb.Point, orb.Point) { return rings[s.ring][s.edge], rings[s.ring][s.edge+1] }
	minX := func(s seg) float64 { a, b := ends(s); return math.Min(a[0], b[0]) }
	sort.Slice(segs, func(i, j int) bool { return minX(segs[i]) < minX(segs[j]) })
	for k, s := range segs {
		a, b := ends(s)
		maxX := math.Max(a[0], b[0])
		for _, t := range segs[k+1:] {
			if minX(t) > maxX {
				break
			}
			if same(t.ring, s.ring) {
				continue
			}
			c, d := ends(t)
			o1, o2 := robust.Orient(a, b, c), robust.Orient(a, b, d)
			o3, o4 := robust.Orient(c, d, a), robust.Orient(c, d, b)
			if (o1*o2 < 0 && o3*o4 < 0) || robust.SegmentsOverlap(a, b, c, d) {
				return min(s.ring, t.ring), max(s.ring, t.ring), true
			}
		}
	}
	return 0, 0, false
}

// partsOverlap reports whether two polygons of mp (each valid) overlap or
// share part of an edge, which OGC Simple Features forbids in a
// MultiPolygon: their rings cross, or one lies inside the other (and not in
// one of its holes).
func partsOverlap(mp orb.MultiPolygon) bool {
	if len(mp) < 2 {
		return false
	}
	var rings []orb.Ring
	var group []int
	for k, p := range mp {
		for _, r := range p {
			rings = append(rings, r)
			group = append(group, k)
		}
	}
	if _, _, found := ringsCross(rings, group); found {
		return true
	}
	for i, a := range mp {
		for j, b := range mp {
			if i == j || !a.Bound().Intersects(b.Bound()) {
				continue
			}
			// Rings do not cross: a vertex of b off a's rings decides.
			for _, p := range b[0][:len(b[0])-1] {
				if shape.OnRings(a, p) {
					continue
				}
				if shape.PolygonCovers(a, p) {
					return true
				}
				break
			}
		}
	}
	return false
}

// PolygonIssue says why mp is not valid as an audit of a grid layer reads
// its polygons (each ring simple, no edge touching another but where
// consecutive edges meet, holes inside), "" if it is. A plan checks its own
// grids so before it writes them.
func PolygonIssue(mp orb.MultiPolygon) string {
	var rep ringRepairs
	for k, p := range mp {
		rings := make([][]orb.Point, len(p))
		for i, r := range p {
			rings[i] = r
		}
		if _, err := cleanPolygon(rings, &rep); err != nil {
			if len(mp) == 1 {
				return err.Error()
			}
			return fmt.Sprintf("polygon %d: %v", k, err)
		}
	}
	return ""
}
