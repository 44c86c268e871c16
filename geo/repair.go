package geo

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// Repair of the polygons [cleanPolygon] refuses (SPEC §2.4): what a GIS
// user would expect to be repaired is repaired, and each repair is noted
// for a "repaired_geometry" [Warning].
//
//   - A spike (an edge that doubles back along its predecessor) loses its
//     tip vertex, until none is left.
//   - A ring that touches or crosses itself is noded at every point where
//     two of its edges meet. What it encloses is what it winds around (the
//     non-zero winding rule, as PostScript and SVG fill paths): across a
//     noded edge the winding number changes by the number of times the
//     ring runs along it one way minus the other, so one ray cast from
//     each edge's midpoint labels both sides, and the edges with a
//     non-zero winding number on one side only bound the region, traced
//     into polygons ([shape.Trace]). A bow-tie becomes its two triangles
//     (the sum of the loop areas); a courtyard drawn as a keyhole (the
//     ring goes in along a cut, around the courtyard the other way and
//     back out) becomes a polygon with a hole; a ring drawn twice over is
//     the ring.
//   - Holes that cross the exterior ring or each other, or lie outside it:
//     the exterior minus the union of the holes.
//   - Anything the above leaves invalid (by OGC rules, simplefeatures'
//     validation): the convex hull of the exterior ring.
//   - Nothing of positive area left: for a building, a Point at the centroid
//     of its vertices; for a region, an error.

// repairAreaRelTol bounds the relative difference between the area of the
// polygons traced from a ring's boundary edges and the shoelace sum of
// those edges, which are equal when the tracing is right: they differ by
// round-off only (1e-15 relative), so more than 1e-6 means the tracing or
// an overlay that mended it went wrong, and the ring takes its convex hull
// instead.
const repairAreaRelTol = 1e-6

// maxRepairWork bounds the work of splitting one ring, counted in pairs of
// edges compared and in edges a winding ray passes (about 2^26, a few
// tenths of a second): a real outline of 100,000 vertices with a few
// self-intersections needs a few hundred thousand; a ring of thousands of
// random vertices, with millions of crossings, takes its convex hull
// instead of hanging the run.
const maxRepairWork = 1 << 26

// maxListedVertices is the number of vertices a repair note names.
const maxListedVertices = 5

// fixPolygon returns rings as a valid polygonal geometry: the polygon as
// cleanPolygon returns it when it accepts it, else repaired (repairPolygon).
// where prefixes the notes ("polygon 2: "). A nil result with no error
// means that nothing of positive area is left.
func fixPolygon(rings [][]orb.Point, where string, rep *ringRepairs) (orb.MultiPolygon, error) {
	var clean ringRepairs
	p, err := cleanPolygon(rings, &clean)
	if err == nil {
		rep.duplicates += clean.duplicates
		rep.reoriented += clean.reoriented
		return orb.MultiPolygon{p}, nil
	}
	return repairPolygon(rings, where, rep)
}

// ringFix is one ring repaired.
type ringFix struct {
	parts  orb.MultiPolygon // what the ring encloses; nil if no area
	area   float64          // its area, the shoelace sum of its boundary
	simple bool             // parts is the ring itself (spikes removed)
	failed bool             // no valid parts could be traced
	notes  []string
	verts  []orb.Point // the ring's distinct vertices, for hulls and centroids
}

// repairPolygon repairs a polygon that cleanPolygon refused. Unclosed
// rings are still refused. It returns the parts with RFC 7946
// orientation, nil if no area is left, and notes each repair in rep.
func repairPolygon(rings [][]orb.Point, where string, rep *ringRepairs) (orb.MultiPolygon, error) {
	if len(rings) == 0 {
		return nil, fmt.Errorf("%w: polygon has no rings", ErrEmptyGeometry)
	}
	for k, r := range rings {
		if len(r) == 0 {
			return nil, fmt.Errorf("ring %d: %w: no positions", k, ErrRingTooShort)
		}
		if r[0] != r[len(r)-1] {
			return nil, fmt.Errorf("ring %d: %w: first position %v, last %v", k, ErrRingNotClosed, r[0], r[len(r)-1])
		}
	}
	fixes := make([]ringFix, len(rings))
	for k, r := range rings {
		fixes[k] = repairRing(r, k == 0, rep)
		name := where
		if len(rings) > 1 {
			name += fmt.Sprintf("ring %d: ", k)
		}
		for _, n := range fixes[k].notes {
			rep.repaired = append(rep.repaired, name+n)
		}
		if k > 0 && fixes[k].parts == nil && !fixes[k].failed {
			rep.repaired = append(rep.repaired, name+"dropped a hole of zero area")
		}
	}
	ext := fixes[0]
	if ext.parts == nil && !ext.failed {
		return nil, nil
	}
	ref := ext.area
	failed := ext.failed
	allSimple := ext.simple
	var holes orb.MultiPolygon
	for _, f := range fixes[1:] {
		ref -= f.area
		failed = failed || f.failed
		allSimple = allSimple && (f.simple || f.parts == nil)
		holes = append(holes, f.parts...)
	}
	var out orb.MultiPolygon
	var err error
	if !failed {
		if allSimple {
			// Every ring is simple now: the polygon stands unless its
			// holes cross the exterior or each other.
			poly := orb.Polygon{ext.parts[0][0]}
			for _, h := range holes {
				poly = append(poly, h[0])
			}
			issue := ringsApartIssue(poly)
			if issue == "" {
				out = orb.MultiPolygon{poly}
			} else {
				rep.repaired = append(rep.repaired, where+issue+": took the exterior ring minus the holes")
			}
		}
		if out == nil {
			out, err = subtractHoles(ext.parts, holes)
		}
	}
	if failed || err != nil || !validParts(out) {
		out = hullOf(ext.verts)
		if out == nil {
			return nil, nil
		}
		rep.repaired = append(rep.repaired, where+"replaced by its convex hull")
	}
	if len(out) == 0 {
		rep.repaired = append(rep.repaired, where+"its holes cover it")
		return nil, nil
	}
	rep.changeDeg2 += math.Abs(shape.MultiPolygonArea(out) - ref)
	return out, nil
}

// subtractHoles returns ext minus the union of holes, by overlay.
func subtractHoles(ext, holes orb.MultiPolygon) (orb.MultiPolygon, error) {
	if len(holes) == 0 {
		return ext, nil
	}
	h, err := geom.UnaryUnion(shape.ToSF(holes))
	if err != nil {
		return nil, err
	}
	d, err := geom.Difference(shape.ToSF(ext), h)
	if err != nil {
		return nil, err
	}
	return shape.FromSF(d), nil
}

// validParts reports whether mp is a valid MultiPolygon by OGC rules.
func validParts(mp orb.MultiPolygon) bool {
	return len(mp) == 0 || shape.ToSF(mp).Validate() == nil
}

// hullOf returns the convex hull of pts as a polygon, nil if it has no area.
func hullOf(pts []orb.Point) orb.MultiPolygon {
	h := shape.ConvexHull(pts)
	if len(h) < 3 {
		return nil
	}
	return orb.MultiPolygon{{append(orb.Ring(h), h[0])}}
}

// repairRing repairs one closed ring (the exterior if ext): duplicates
// removed, spikes removed, and if it still touches or crosses itself,
// split into the parts it encloses.
func repairRing(pts []orb.Point, ext bool, rep *ringRepairs) ringFix {
	// The open ring of distinct consecutive vertices, each with its
	// position in pts.
	var v []orb.Point
	var idx []int
	for i, p := range pts[:len(pts)-1] {
		if len(v) > 0 && p == v[len(v)-1] {
			rep.duplicates++
			continue
		}
		v, idx = append(v, p), append(idx, i)
	}
	for len(v) > 1 && v[len(v)-1] == v[0] {
		v, idx = v[:len(v)-1], idx[:len(idx)-1]
		rep.duplicates++
	}
	fix := ringFix{verts: append([]orb.Point(nil), v...)}
	v, idx, spikes := removeSpikes(v, idx)
	if len(spikes) > 0 {
		fix.notes = append(fix.notes, fmt.Sprintf("removed %d %s at %s", len(spikes), plural(len(spikes), "spike"), vertexList(spikes)))
	}
	if len(v) < 3 {
		return fix // no area
	}
	ring := append(orb.Ring(v), v[0])
	if _, found := ringSelfIntersection(ring); !found {
		fix.simple = true
		fix.area = math.Abs(shape.RingArea(ring))
		if shape.RingIsCCW(ring) != ext {
			ring.Reverse()
			rep.reoriented++
		}
		fix.parts = orb.MultiPolygon{{ring}}
		return fix
	}
	w, crossings, touches, ok := nodeRing(v, idx)
	var parts orb.MultiPolygon
	var area float64
	if ok {
		parts, area, ok = windingRegion(w)
	}
	fix.area = area
	if !ok {
		fix.failed = true
		return fix
	}
	fix.parts = parts
	if len(parts) == 0 {
		return fix
	}
	specks := ""
	if ext && rep.speckM2 > 0 && len(parts) > 1 {
		var dropped []float64
		k := sqMetresPerSqDegree(v[0][1])
		fix.parts, dropped = dropSpecks(parts, rep.speckM2/k)
		for _, a := range dropped {
			rep.speckM2 -= a * k // the rest of the budget, for the next ring
		}
		if len(dropped) > 0 {
			specks = fmt.Sprintf(" (and dropped %d %s of %s m² it left)", len(dropped), plural(len(dropped), "speck"), formatAreasM2(dropped, v[0][1]))
		}
	}
	how := "self-crossing ring"
	if crossings == 0 {
		how = "self-touching ring"
		if len(touches) > 0 {
			how += " at " + vertexList(touches)
		}
	}
	fix.notes = append(fix.notes, fmt.Sprintf("split a %s into %s%s", how, describeParts(fix.parts), specks))
	return fix
}

// dropSpecks removes the smallest parts of mp, never the largest, while
// their total area stays within maxDeg2 square degrees, and returns what
// is left and the areas dropped.
func dropSpecks(mp orb.MultiPolygon, maxDeg2 float64) (orb.MultiPolygon, []float64) {
	order := make([]int, len(mp))
	area := make([]float64, len(mp))
	for i, p := range mp {
		order[i], area[i] = i, shape.PolygonArea(p)
	}
	sort.SliceStable(order, func(x, y int) bool { return area[order[x]] < area[order[y]] })
	drop := make([]bool, len(mp))
	var dropped []float64
	total := 0.0
	for _, i := range order[:len(order)-1] {
		if total+area[i] > maxDeg2 {
			break
		}
		total += area[i]
		drop[i] = true
		dropped = append(dropped, area[i])
	}
	var out orb.MultiPolygon
	for i, p := range mp {
		if !drop[i] {
			out = append(out, p)
		}
	}
	return out, dropped
}

// formatAreasM2 writes areas in square degrees at latitude lat as square
// metres: "0.3" for one, "2.5 in total" for several.
func formatAreasM2(deg2 []float64, lat float64) string {
	k := sqMetresPerSqDegree(lat)
	if len(deg2) == 1 {
		return fmt.Sprintf("%.2g", deg2[0]*k)
	}
	sum := 0.0
	for _, a := range deg2 {
		sum += a
	}
	return fmt.Sprintf("%.2g in total", sum*k)
}

// plural returns word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// vertexList names vertices: "vertex 4", "vertices 2, 4 and 9", at most
// maxListedVertices of them.
func vertexList(vs []int) string {
	if len(vs) == 1 {
		return fmt.Sprintf("vertex %d", vs[0])
	}
	var s []string
	for i, v := range vs {
		if i == maxListedVertices {
			s = append(s, fmt.Sprintf("%d more", len(vs)-i))
			break
		}
		s = append(s, fmt.Sprint(v))
	}
	return "vertices " + strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// describeParts says what a ring was split into: "2 parts", "1 part with
// 1 hole".
func describeParts(mp orb.MultiPolygon) string {
	holes := 0
	for _, p := range mp {
		holes += len(p) - 1
	}
	s := fmt.Sprintf("%d %s", len(mp), plural(len(mp), "part"))
	if holes > 0 {
		s += fmt.Sprintf(" with %d %s", holes, plural(holes, "hole"))
	}
	return s
}

// isSpike reports whether the path a→b→c doubles back at b: c lies on the
// segment ab, or a on bc, so that the two edges overlap.
func isSpike(a, b, c orb.Point) bool {
	return robust.Orient(a, b, c) == 0 && (robust.InBox(a, b, c) || robust.InBox(b, c, a))
}

// removeSpikes removes the tip of every spike of the open ring v (no
// consecutive duplicates), and the duplicate vertex left where a spike
// returned to its base, until none is left (a ring of collinear vertices
// collapses to at most two). idx holds the input position of each vertex;
// the positions of the tips removed are returned in increasing order.
// Linear: a stack, each vertex pushed and removed at most once.
func removeSpikes(v []orb.Point, idx []int) ([]orb.Point, []int, []int) {
	var st []orb.Point
	var si, tips []int
	drop := func(k int) { // remove st[k]
		tips = append(tips, si[k])
		st = append(st[:k], st[k+1:]...)
		si = append(si[:k], si[k+1:]...)
	}
	for i, p := range v {
		if len(st) > 0 && st[len(st)-1] == p {
			continue // a spike's base, met again
		}
		st, si = append(st, p), append(si, idx[i])
		for n := len(st); n >= 3 && isSpike(st[n-3], st[n-2], st[n-1]); n = len(st) {
			drop(n - 2)
			if n := len(st); st[n-2] == st[n-1] {
				st, si = st[:n-1], si[:n-1]
			}
		}
	}
	// Where the ring closes: the last vertex, and the first.
	for n := len(st); n >= 3; n = len(st) {
		switch {
		case st[n-1] == st[0]:
			st, si = st[:n-1], si[:n-1]
		case isSpike(st[n-2], st[n-1], st[0]):
			drop(n - 1)
		case isSpike(st[n-1], st[0], st[1]):
			drop(0)
		default:
			sort.Ints(tips)
			return st, si, tips
		}
	}
	sort.Ints(tips)
	return st, si, tips
}

// nodeRing nodes the open ring v (no consecutive duplicates, no spikes)
// at every point where two of its edges meet: it returns the ring with a
// vertex inserted there, how many pairs of edges crossed, and the input
// positions (idx) of the vertices where the ring touches itself (of each
// position visited twice, the later visit). ok is false if that took more
// than maxRepairWork.
func nodeRing(v []orb.Point, idx []int) (w []orb.Point, crossings int, touches []int, ok bool) {
	n := len(v)
	end := func(i int) orb.Point { return v[(i+1)%n] }
	extra := make([][]orb.Point, n) // points to insert into each edge
	adjacent := func(i, j int) bool { return j == i+1 || (i == 0 && j == n-1) }
	// Each point inserted may start a run of windingRegion, which casts
	// a ray across all edges: give up before that work passes the bound.
	inserted := 0
	ok = edgePairs(n, maxRepairWork, func(i int) (orb.Point, orb.Point) { return v[i], end(i) }, func(i, j int) bool {
		if adjacent(min(i, j), max(i, j)) {
			return true // they share a vertex and, with no spikes, nothing else
		}
		a, b, c, d := v[i], end(i), v[j], end(j)
		o1, o2 := robust.Orient(a, b, c), robust.Orient(a, b, d)
		o3, o4 := robust.Orient(c, d, a), robust.Orient(c, d, b)
		if o1*o2 < 0 && o3*o4 < 0 {
			x := crossingPoint(a, b, c, d)
			extra[i] = append(extra[i], x)
			extra[j] = append(extra[j], x)
			crossings++
			inserted += 2
			return (inserted+1)*(n+inserted) <= maxRepairWork
		}
		// Touching or overlapping: an end of one edge on the other.
		for _, t := range []struct {
			o       int
			edge    int
			a, b, p orb.Point
		}{{o1, i, a, b, c}, {o2, i, a, b, d}, {o3, j, c, d, a}, {o4, j, c, d, b}} {
			if t.o == 0 && t.p != t.a && t.p != t.b && robust.InBox(t.a, t.b, t.p) {
				extra[t.edge] = append(extra[t.edge], t.p)
				inserted++
			}
		}
		return (inserted+1)*(n+inserted) <= maxRepairWork
	})
	if !ok {
		return nil, 0, nil, false
	}
	last := map[orb.Point]int{} // the latest input position at each point
	visits := map[orb.Point]int{}
	add := func(p orb.Point, i int) {
		if len(w) > 0 && w[len(w)-1] == p {
			return
		}
		w = append(w, p)
		visits[p]++
		if i >= 0 {
			last[p] = max(last[p], i)
		}
	}
	for i := range v {
		add(v[i], idx[i])
		pts := extra[i]
		a, b := v[i], end(i)
		sort.Slice(pts, func(x, y int) bool { return shape.Param(a, b, pts[x]) < shape.Param(a, b, pts[y]) })
		for _, p := range pts {
			if p != a && p != b {
				add(p, -1)
			}
		}
	}
	for p, k := range visits {
		if i, ok := last[p]; ok && k > 1 {
			touches = append(touches, i)
		}
	}
	sort.Ints(touches)
	return w, crossings, touches, ok
}

// windingRegion returns the region that the noded ring w (open, every
// meeting of two edges a vertex of both) winds around, as valid polygons
// with RFC 7946 orientation, and its area as the shoelace sum of its
// boundary edges; ok is false if the polygons are not valid or disagree
// with that area.
func windingRegion(w []orb.Point) (orb.MultiPolygon, float64, bool) {
	n := len(w)
	// Each edge by its lexicographically smaller end first, with the
	// number of times the ring runs along it that way minus the other.
	type key [2]orb.Point
	keyOf := func(a, b orb.Point) (key, int) {
		if b[0] < a[0] || (b[0] == a[0] && b[1] < a[1]) {
			return key{b, a}, -1
		}
		return key{a, b}, 1
	}
	net := map[key]int{}
	visits := map[orb.Point]int{}
	for k := range w {
		e, m := keyOf(w[k], w[(k+1)%n])
		net[e] += m
		visits[w[k]]++
	}
	// The winding number left of the ring is the same all along a run of
	// edges between vertices it visits twice: at a vertex visited once
	// only the edges in and out meet. So one ray per run, started at a
	// vertex visited twice.
	start, runs := -1, 1
	for k := range w {
		if visits[w[k]] > 1 {
			runs++
			if start < 0 {
				start = k
			}
		}
	}
	if runs*n > maxRepairWork {
		return nil, 0, false
	}
	start = max(start, 0)
	vert := map[orb.Point]int32{}
	var verts []orb.Point
	id := func(p orb.Point) int32 {
		i, ok := vert[p]
		if !ok {
			i = int32(len(verts))
			vert[p] = i
			verts = append(verts, p)
		}
		return i
	}
	done := map[key]bool{}
	var es []shape.Edge
	area2 := 0.0
	left := 0
	for j := range n {
		k := (start + j) % n
		a, b := w[k], w[(k+1)%n]
		e, sign := keyOf(a, b)
		m := sign * net[e] // net runs along a→b
		if j == 0 || visits[a] > 1 {
			left = leftWinding(w, a, b, m)
		}
		right := left - m
		if done[e] || (left != 0) == (right != 0) {
			continue
		}
		done[e] = true
		if left == 0 {
			a, b = b, a
		}
		es = append(es, shape.Edge{From: id(a), To: id(b)})
		area2 += shape.EdgeArea2(a, b, w[0])
	}
	area := area2 / 2
	if len(es) == 0 {
		return nil, 0, true
	}
	out := shape.Trace(verts, es)
	if !validParts(out) {
		// Parts traced touching along an edge, say: one overlay mends it.
		u, err := geom.UnaryUnion(shape.ToSF(out))
		if err != nil {
			return nil, area, false
		}
		out = shape.FromSF(u)
	}
	if !validParts(out) || math.Abs(shape.MultiPolygonArea(out)-area) > repairAreaRelTol*area {
		return nil, area, false
	}
	return out, area, true
}

// leftWinding returns the winding number of the closed ring w just left of
// its edge a→b, along which it runs m times net: a ray cast from the
// edge's midpoint along +x, or along +y for a horizontal edge, counts the
// other edges it crosses; that is the winding number of the side it
// enters, and across a→b the winding number drops by m from left to
// right. The ray along +y is the ray along +x with every point turned a
// quarter turn clockwise, (x, y) → (y, -x), which is exact and keeps
// winding numbers.
func leftWinding(w []orb.Point, a, b orb.Point, m int) int {
	vertical := a[1] == b[1]
	turn := func(p orb.Point) orb.Point {
		if vertical {
			return orb.Point{p[1], -p[0]}
		}
		return p
	}
	ta, tb := turn(a), turn(b)
	mid := orb.Point{(ta[0] + tb[0]) / 2, (ta[1] + tb[1]) / 2}
	n := len(w)
	wn := 0
	for k := range w {
		p, q := w[k], w[(k+1)%n]
		if (p == a && q == b) || (p == b && q == a) {
			continue
		}
		p, q = turn(p), turn(q)
		switch {
		case p[1] <= mid[1] && q[1] > mid[1] && robust.Orient(p, q, mid) > 0:
			wn++ // upward, with the midpoint on its left
		case p[1] > mid[1] && q[1] <= mid[1] && robust.Orient(p, q, mid) < 0:
			wn--
		}
	}
	// In the turned plane the ray runs along +x, into the left of a→b
	// if b is below a there.
	if tb[1] < ta[1] {
		return wn
	}
	return wn + m
}

// crossingPoint returns the point where the segments ab and cd cross
// (they do, properly), computed about a and kept within both segments'
// bounding boxes.
func crossingPoint(a, b, c, d orb.Point) orb.Point {
	bx, by := b[0]-a[0], b[1]-a[1]
	cx, cy := c[0]-a[0], c[1]-a[1]
	dx, dy := d[0]-c[0], d[1]-c[1]
	t := (float64(cx*dy) - float64(cy*dx)) / (float64(bx*dy) - float64(by*dx))
	t = math.Max(0, math.Min(1, t))
	p := orb.Point{a[0] + t*bx, a[1] + t*by}
	for k := range 2 {
		lo := math.Max(math.Min(a[k], b[k]), math.Min(c[k], d[k]))
		hi := math.Min(math.Max(a[k], b[k]), math.Max(c[k], d[k]))
		p[k] = math.Max(lo, math.Min(hi, p[k]))
	}
	return p
}

// edgePairs calls visit(i, j) for every pair of the n segments (seg(i))
// whose bounding boxes meet: a sweep along x, O(n log n + k) for k pairs
// that overlap in x. It gives up, returning false, after max such pairs or
// when visit returns false.
func edgePairs(n, max int, seg func(int) (orb.Point, orb.Point), visit func(i, j int) bool) bool {
	order := make([]int, n)
	lo := make([]float64, n)
	for i := range order {
		order[i] = i
		a, b := seg(i)
		lo[i] = math.Min(a[0], b[0])
	}
	sort.Slice(order, func(x, y int) bool { return lo[order[x]] < lo[order[y]] })
	for k, i := range order {
		a, b := seg(i)
		hiX := math.Max(a[0], b[0])
		loY, hiY := math.Min(a[1], b[1]), math.Max(a[1], b[1])
		for _, j := range order[k+1:] {
			if lo[j] > hiX {
				break
			}
			if max--; max < 0 {
				return false
			}
			c, d := seg(j)
			if math.Max(c[1], d[1]) < loY || math.Min(c[1], d[1]) > hiY {
				continue
			}
			if !visit(i, j) {
				return false
			}
		}
	}
	return true
}

// vertexCentroid returns the mean of the distinct consecutive vertices of
// the exterior rings of polys (closing vertex excluded), summed about the
// first.
func vertexCentroid(polys [][][]orb.Point) orb.Point {
	var o orb.Point
	var sx, sy float64
	n := 0
	for _, rings := range polys {
		if len(rings) == 0 {
			continue
		}
		r := rings[0]
		for i, p := range r {
			if (i > 0 && p == r[i-1]) || (i == len(r)-1 && len(r) > 1 && p == r[0]) {
				continue
			}
			if n == 0 {
				o = p
			}
			sx, sy = sx+(p[0]-o[0]), sy+(p[1]-o[1])
			n++
		}
	}
	if n == 0 {
		return o
	}
	return orb.Point{o[0] + sx/float64(n), o[1] + sy/float64(n)}
}

// sqMetresPerSqDegree is the area in square metres of one square degree of
// longitude/latitude at latitude lat (degrees) on the WGS 84 ellipsoid:
// (π/180)² M N cos φ, with M and N the meridian and prime-vertical radii of
// curvature. It is the area scale of a [Projection] at its centre, where
// its scale factor is 1, so a small area measured in square degrees near a
// feature converts to the square metres of the projection centred on it.
func sqMetresPerSqDegree(lat float64) float64 {
	phi := lat * math.Pi / 180
	s := math.Sin(phi)
	w := 1 - wgs84E2*s*s
	m := wgs84A * (1 - wgs84E2) / (w * math.Sqrt(w))
	n := wgs84A / math.Sqrt(w)
	k := math.Pi / 180
	return k * k * m * n * math.Cos(phi)
}
