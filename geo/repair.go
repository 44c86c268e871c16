package geo

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// Repair of the polygons [cleanPolygon] refuses (SPEC §2.4): what a GIS
// user would expect to be repaired is repaired, and each repair is noted
// for a "repaired_geometry" [Warning].
//
//   - A spike (an edge that doubles back along its predecessor) loses its
//     tip vertex, until none is left.
//   - A ring that touches or crosses itself encloses what it winds around
//     (the non-zero winding rule, as PostScript and SVG fill paths), and a
//     polygon whose rings cross, overlap or touch so as to cut it apart is
//     what its exterior ring winds around and none of its holes does, both
//     computed exactly ([windingRegion]). A bow-tie becomes its two
//     triangles (the sum of the loop areas); a courtyard drawn as a
//     keyhole (the ring goes in along a cut, around the courtyard the
//     other way and back out) becomes a polygon with a hole; a ring drawn
//     twice over is the ring; a hole across the exterior is cut out of it.
//   - Anything the above cannot make valid (by OGC rules, simplefeatures'
//     validation), or a tangle too costly to unpick: the convex hull of
//     the exterior ring.
//   - Nothing of positive area left: for a building, a Point at the centroid
//     of its vertices; for a region, an error.

// maxListedVertices is the number of vertices a repair note names.
const maxListedVertices = 5

// fixPolygon returns rings as a valid polygonal geometry: the polygon as
// cleanPolygon returns it when it accepts it, else repaired (repairPolygon).
// where prefixes the notes ("polygon 2: "). A nil result with no error
// means that nothing of positive area is left.
func fixPolygon(rings [][]orb.Point, where string, rep *ringRepairs) (orb.MultiPolygon, error) {
	var clean ringRepairs
	p, err := cleanPolygon(rings, &clean)
	// cleanPolygon lets holes touch the exterior and each other at
	// points; at two or more they cut the polygon apart, which OGC rules
	// forbid.
	if err == nil && (len(p) == 1 || validParts(orb.MultiPolygon{p})) {
		rep.duplicates += clean.duplicates
		rep.reoriented += clean.reoriented
		return orb.MultiPolygon{p}, nil
	}
	return repairPolygon(rings, where, rep)
}

// repairPolygon repairs a polygon that cleanPolygon refused; a ring whose
// last position is not its first is closed, as GDAL reads it. It returns
// the parts with RFC 7946
// orientation, nil if no area is left, notes each repair in rep and adds
// the area it changed to rep.changeDeg2.
func repairPolygon(rings [][]orb.Point, where string, rep *ringRepairs) (orb.MultiPolygon, error) {
	if len(rings) == 0 {
		return nil, fmt.Errorf("%w: polygon has no rings", ErrEmptyGeometry)
	}
	ringName := func(k int) string {
		if len(rings) == 1 {
			return where
		}
		return where + fmt.Sprintf("ring %d: ", k)
	}
	note := func(s string) { rep.repaired = append(rep.repaired, s) }
	cloned := false
	for k, r := range rings {
		if len(r) == 0 {
			return nil, fmt.Errorf("ring %d: %w: no positions", k, ErrRingTooShort)
		}
		if r[0] != r[len(r)-1] {
			note(ringName(k) + fmt.Sprintf("closed the ring: its last position %v was not its first %v", r[len(r)-1], r[0]))
			if !cloned {
				rings, cloned = slices.Clone(rings), true // the caller's stay as they are
			}
			rings[k] = append(r[:len(r):len(r)], r[0])
		}
	}
	// Each ring open, its duplicates and spikes removed; holes with no
	// area left are dropped.
	var vs [][]orb.Point
	var idx [][]int
	var names []int // input ring of each of vs
	var hullPts []orb.Point
	for k, r := range rings {
		v, vi := openRing(r, rep)
		if k == 0 {
			hullPts = v
		}
		v, vi, tips := removeSpikes(append([]orb.Point(nil), v...), vi)
		if len(tips) > 0 {
			note(ringName(k) + fmt.Sprintf("removed %d %s at %s", len(tips), plural(len(tips), "spike"), vertexList(tips)))
		}
		if len(v) < 3 {
			if k == 0 {
				return nil, nil // the exterior has no area
			}
			note(ringName(k) + "dropped a hole of zero area")
			continue
		}
		vs, idx, names = append(vs, v), append(idx, vi), append(names, k)
	}
	// Simple rings make the polygon, oriented, unless they cross, overlap
	// or touch so as to cut it apart.
	simple := true
	for _, v := range vs {
		if _, found := ringSelfIntersection(append(orb.Ring(v), v[0])); found {
			simple = false
			break
		}
	}
	issue := ""
	ref := 0.0 // the area the rings enclose: the exterior's less the holes'
	if simple {
		poly := make(orb.Polygon, len(vs))
		for i, v := range vs {
			r := append(orb.Ring(nil), v...)
			r = append(r, v[0])
			if a := math.Abs(shape.RingArea(r)); i == 0 {
				ref += a
			} else {
				ref -= a
			}
			if shape.RingIsCCW(r) != (i == 0) {
				r.Reverse()
				rep.reoriented++
			}
			poly[i] = r
		}
		if len(poly) > 1 {
			issue = ringsApartIssue(poly)
			if issue == "" && !validParts(orb.MultiPolygon{poly}) {
				issue = "rings touch so as to cut the polygon apart"
			}
		}
		if issue == "" {
			return orb.MultiPolygon{poly}, nil // spikes removed: the same area
		}
	}
	// What the exterior winds around and no hole does.
	nr, ok := nodeRings(vs, idx)
	var out orb.MultiPolygon
	var areas []float64
	if ok {
		out, _, areas, ok = windingRegion(nr.ws, func(w []int) bool {
			if w[0] == 0 {
				return false
			}
			for _, h := range w[1:] {
				if h != 0 {
					return false
				}
			}
			return true
		})
	}
	if !ok {
		if out = hullOf(hullPts); out == nil {
			return nil, nil
		}
		note(where + "replaced by its convex hull")
		if !simple {
			// A tangle: the shoelace sums are the only measure left.
			ref = math.Abs(shape.RingArea(vs[0]))
			for _, h := range vs[1:] {
				ref -= math.Abs(shape.RingArea(h))
			}
		}
		rep.changeDeg2 += math.Abs(shape.MultiPolygonArea(out) - ref)
		return out, nil
	}
	ref = areas[0]
	for _, a := range areas[1:] {
		ref -= a
	}
	if areas[0] == 0 {
		return nil, nil
	}
	specks := ""
	if rep.speckM2 > 0 && len(out) > 1 {
		// Specks a repair left, such as the lobe of an outline that
		// rounding pushed across itself, are dropped within the budget.
		k := sqMetresPerSqDegree(vs[0][0][1])
		var dropped []float64
		out, dropped = dropSpecks(out, rep.speckM2/k)
		for _, a := range dropped {
			rep.speckM2 -= a * k
		}
		if len(dropped) > 0 {
			specks = fmt.Sprintf(" (and dropped %d %s of %s m² it left)", len(dropped), plural(len(dropped), "speck"), formatAreasM2(dropped, vs[0][0][1]))
		}
	}
	if len(vs) == 1 {
		how := "self-crossing ring"
		if nr.selfCrossings[0] == 0 {
			how = "self-touching ring"
			if len(nr.touches[0]) > 0 {
				how += " at " + vertexList(nr.touches[0])
			}
		}
		note(where + fmt.Sprintf("split a %s into %s%s", how, describeParts(out), specks))
	} else {
		var issues []string
		for i, k := range names {
			switch {
			case nr.selfCrossings[i] > 0:
				issues = append(issues, fmt.Sprintf("ring %d crosses itself", k))
			case len(nr.touches[i]) > 0:
				issues = append(issues, fmt.Sprintf("ring %d touches itself at %s", k, vertexList(nr.touches[i])))
			}
		}
		switch {
		case issue != "":
			issues = append(issues, issue)
		case nr.meet[0] >= 0:
			issues = append(issues, fmt.Sprintf("rings %d and %d meet", names[nr.meet[0]], names[nr.meet[1]]))
		}
		note(where + fmt.Sprintf("%s: took the exterior ring minus the holes, leaving %s%s", strings.Join(issues, ", "), describeParts(out), specks))
	}
	if len(out) == 0 {
		return nil, nil // the holes cover it
	}
	rep.changeDeg2 += math.Abs(shape.MultiPolygonArea(out) - ref)
	return out, nil
}

// openRing returns the closed ring pts open, with consecutive duplicate
// vertices removed (counted in rep), and the input position of each vertex.
func openRing(pts []orb.Point, rep *ringRepairs) ([]orb.Point, []int) {
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
	return v, idx
}

// hullOf returns the convex hull of pts as a polygon, nil if it has no area.
func hullOf(pts []orb.Point) orb.MultiPolygon {
	h := shape.ConvexHull(pts)
	if len(h) < 3 {
		return nil
	}
	return orb.MultiPolygon{{append(orb.Ring(h), h[0])}}
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

// plural returns word, or its plural unless n is 1 ("vertex", "vertices").
func plural(n int, word string) string {
	switch {
	case n == 1:
		return word
	case word == "vertex":
		return "vertices"
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

// describeParts says what a polygon was repaired into: "2 parts", "1 part with
// 1 hole".
func describeParts(mp orb.MultiPolygon) string {
	holes := 0
	for _, p := range mp {
		holes += len(p) - 1
	}
	if len(mp) == 0 {
		return "nothing"
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
