package geo

import (
	"math"
	"sort"

	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// The region that rings wind around, exactly: the rings are noded at every
// point where two of their edges meet, and each noded edge is labelled with
// the winding number of every ring on either side. Across an edge a ring's
// winding number changes by the number of times it runs along the edge one
// way minus the other, so one ray cast from the edge's midpoint (counted
// with exact orientation tests) labels both sides; and along a run of
// edges between vertices visited more than once the labels stay the same,
// so one ray per run suffices. The edges with the region on one side only
// bound it, and are traced into polygons ([shape.Trace]).

// maxRepairWork bounds the work of noding and labelling, counted in pairs
// of edges compared and in edges a winding ray passes (about 2^26, a few
// tenths of a second): a real outline of 100,000 vertices with a few
// self-intersections needs a few hundred thousand; a ring of thousands of
// random vertices, with millions of crossings, is given up instead of
// hanging the run.
const maxRepairWork = 1 << 26

// repairAreaRelTol bounds the relative difference between the area of the
// polygons traced from the boundary edges and the shoelace sum of those
// edges, which are equal when the tracing is right: they differ by
// round-off only (1e-15 relative), so more than 1e-6 means the tracing or
// an overlay that mended it went wrong.
const repairAreaRelTol = 1e-6

// nodedRings are rings noded together.
type nodedRings struct {
	ws [][]orb.Point // each ring (open) with the meeting points inserted
	// selfCrossings counts the pairs of a ring's own edges that cross;
	// touches holds the input positions of the vertices where a ring
	// touches itself (of each position it visits twice, the later).
	selfCrossings []int
	touches       [][]int
	// meet names two rings that cross, touch or overlap ([-1 -1] if none).
	meet [2]int
}

// nodeRings nodes the open rings vs (no consecutive duplicates, no
// spikes, at least three vertices each; idx the input position of each
// vertex) at every point where two edges meet. ok is false if that took
// more than maxRepairWork.
func nodeRings(vs [][]orb.Point, idx [][]int) (nr nodedRings, ok bool) {
	type edge struct{ ring, i int }
	var es []edge
	for r, v := range vs {
		for i := range v {
			es = append(es, edge{r, i})
		}
	}
	ends := func(e edge) (orb.Point, orb.Point) {
		v := vs[e.ring]
		return v[e.i], v[(e.i+1)%len(v)]
	}
	extra := make([][][]orb.Point, len(vs)) // points to insert into each edge
	for r, v := range vs {
		extra[r] = make([][]orb.Point, len(v))
	}
	nr.selfCrossings = make([]int, len(vs))
	nr.meet = [2]int{-1, -1}
	var all []orb.Point
	for _, v := range vs {
		all = append(all, v...)
	}
	snap := newSnapper(all)
	n := len(es)
	// Each point inserted may start a run of windingRegion, which casts
	// a ray across all edges: give up before that work passes the bound.
	inserted := 0
	ok = edgePairs(n, maxRepairWork, func(k int) (orb.Point, orb.Point) { return ends(es[k]) }, func(k, l int) bool {
		e, f := es[k], es[l]
		if e.ring == f.ring {
			m := len(vs[e.ring])
			i, j := min(e.i, f.i), max(e.i, f.i)
			if j == i+1 || (i == 0 && j == m-1) {
				return true // they share a vertex and, with no spikes, nothing else
			}
		}
		a, b := ends(e)
		c, d := ends(f)
		o1, o2 := robust.Orient(a, b, c), robust.Orient(a, b, d)
		o3, o4 := robust.Orient(c, d, a), robust.Orient(c, d, b)
		met := false
		if o1*o2 < 0 && o3*o4 < 0 {
			x := snap.point(crossingPoint(a, b, c, d), a, b, c, d)
			extra[e.ring][e.i] = append(extra[e.ring][e.i], x)
			extra[f.ring][f.i] = append(extra[f.ring][f.i], x)
			inserted += 2
			met = true
			if e.ring == f.ring {
				nr.selfCrossings[e.ring]++
			}
		} else {
			// Touching or overlapping: an end of one edge on the other.
			for _, t := range []struct {
				o       int
				on      edge
				a, b, p orb.Point
			}{{o1, e, a, b, c}, {o2, e, a, b, d}, {o3, f, c, d, a}, {o4, f, c, d, b}} {
				if t.o == 0 && robust.InBox(t.a, t.b, t.p) {
					met = true
					if t.p != t.a && t.p != t.b {
						extra[t.on.ring][t.on.i] = append(extra[t.on.ring][t.on.i], t.p)
						inserted++
					}
				}
			}
		}
		if met && e.ring != f.ring && nr.meet[0] < 0 {
			nr.meet = [2]int{min(e.ring, f.ring), max(e.ring, f.ring)}
		}
		return (inserted+1)*(n+inserted) <= maxRepairWork
	})
	if !ok {
		return nr, false
	}
	nr.ws = make([][]orb.Point, len(vs))
	nr.touches = make([][]int, len(vs))
	for r, v := range vs {
		var w []orb.Point
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
			add(v[i], idx[r][i])
			pts := extra[r][i]
			a, b := v[i], v[(i+1)%len(v)]
			sort.Slice(pts, func(x, y int) bool { return shape.Param(a, b, pts[x]) < shape.Param(a, b, pts[y]) })
			for _, p := range pts {
				if p != a && p != b {
					add(p, -1)
				}
			}
		}
		for len(w) > 1 && w[len(w)-1] == w[0] {
			w = w[:len(w)-1]
		}
		for p, k := range visits {
			if i, ok := last[p]; ok && k > 1 {
				nr.touches[r] = append(nr.touches[r], i)
			}
		}
		sort.Ints(nr.touches[r])
		nr.ws[r] = w
	}
	return nr, true
}

// windingRegion returns the region of the points where include, given the
// winding number of each of the noded rings ws about the point, is true,
// as valid polygons with RFC 7946 orientation; area is its area, and
// areas[r] that of the region ring r alone winds around, each the shoelace
// sum of the region's boundary edges. ok is false if the work would pass
// maxRepairWork, or the polygons are not valid or disagree with area.
func windingRegion(ws [][]orb.Point, include func(winding []int) bool) (out orb.MultiPolygon, area float64, areas []float64, ok bool) {
	rings := len(ws)
	type key [2]orb.Point
	keyOf := func(a, b orb.Point) (key, int) {
		if b[0] < a[0] || (b[0] == a[0] && b[1] < a[1]) {
			return key{b, a}, -1
		}
		return key{a, b}, 1
	}
	// Each edge by its lexicographically smaller end first, with the
	// number of times each ring runs along it that way minus the other.
	net := map[key][]int{}
	visits := map[orb.Point]int{}
	edges := 0
	for r, w := range ws {
		for k := range w {
			e, m := keyOf(w[k], w[(k+1)%len(w)])
			if net[e] == nil {
				net[e] = make([]int, rings)
			}
			net[e][r] += m
			visits[w[k]]++
		}
		edges += len(w)
	}
	runs := rings
	for _, w := range ws {
		for _, p := range w {
			if visits[p] > 1 {
				runs++
			}
		}
	}
	if runs*edges > maxRepairWork {
		return nil, 0, nil, false
	}
	o := ws[0][0]
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
	areas2 := make([]float64, rings)
	left, right := make([]int, rings), make([]int, rings)
	for _, w := range ws {
		n := len(w)
		start := 0
		for k := range w {
			if visits[w[k]] > 1 {
				start = k
				break
			}
		}
		for j := range n {
			k := (start + j) % n
			a, b := w[k], w[(k+1)%n]
			e, sign := keyOf(a, b)
			if j == 0 || visits[a] > 1 {
				leftWindings(ws, a, b, net[e], sign, left)
			}
			if done[e] {
				continue
			}
			done[e] = true
			for q := range rings {
				right[q] = left[q] - sign*net[e][q]
				if l, r := left[q] != 0, right[q] != 0; l && !r {
					areas2[q] += shape.EdgeArea2(a, b, o)
				} else if r && !l {
					areas2[q] += shape.EdgeArea2(b, a, o)
				}
			}
			switch inL, inR := include(left), include(right); {
			case inL && !inR:
				es = append(es, shape.Edge{From: id(a), To: id(b)})
				area2 += shape.EdgeArea2(a, b, o)
			case inR && !inL:
				es = append(es, shape.Edge{From: id(b), To: id(a)})
				area2 += shape.EdgeArea2(b, a, o)
			}
		}
	}
	areas = make([]float64, rings)
	for q := range areas {
		areas[q] = areas2[q] / 2
	}
	area = area2 / 2
	if len(es) == 0 {
		return nil, 0, areas, true
	}
	out = shape.Trace(verts, es)
	if !validParts(out) {
		// Parts traced touching along an edge, say: one overlay mends it.
		u, err := geom.UnaryUnion(shape.ToSF(out))
		if err != nil {
			return nil, area, areas, false
		}
		out = fromOverlay(u)
	}
	if !validParts(out) || math.Abs(shape.MultiPolygonArea(out)-area) > repairAreaRelTol*area {
		return nil, area, areas, false
	}
	return out, area, areas, true
}

// leftWindings sets left[q] to the winding number of ring q of the closed
// rings ws just left of their edge a→b, along which ring q runs
// sign*net[q] times (net). A ray cast from the edge's midpoint along +x,
// or along +y for a horizontal edge, counts the other edges it crosses:
// that is the winding number of the side it enters, and across a→b the
// winding number drops by the number of runs along it from left to right.
// The ray along +y is the ray along +x with every point turned a quarter
// turn clockwise, (x, y) → (y, -x), which is exact and keeps winding
// numbers.
func leftWindings(ws [][]orb.Point, a, b orb.Point, net []int, sign int, left []int) {
	vertical := a[1] == b[1]
	turn := func(p orb.Point) orb.Point {
		if vertical {
			return orb.Point{p[1], -p[0]}
		}
		return p
	}
	ta, tb := turn(a), turn(b)
	mid := orb.Point{(ta[0] + tb[0]) / 2, (ta[1] + tb[1]) / 2}
	// In the turned plane the ray runs along +x, into the left of a→b
	// if b is below a there.
	intoLeft := tb[1] < ta[1]
	for q, w := range ws {
		n := len(w)
		wn := 0
		for k := range w {
			p, r := w[k], w[(k+1)%n]
			if (p == a && r == b) || (p == b && r == a) {
				continue
			}
			p, r = turn(p), turn(r)
			switch {
			case p[1] <= mid[1] && r[1] > mid[1] && robust.Orient(p, r, mid) > 0:
				wn++ // upward, with the midpoint on its left
			case p[1] > mid[1] && r[1] <= mid[1] && robust.Orient(p, r, mid) < 0:
				wn--
			}
		}
		if !intoLeft {
			wn += sign * net[q]
		}
		left[q] = wn
	}
}

// fromOverlay returns the polygons of an overlay's result, tidied: JTS
// overlay falls back to snapping where floating point noding fails, and
// the snapped result can hold vertices an ulp or so apart that make a
// spike a few ulps long, invalid by simplefeatures' own validation. Such
// vertices (within the crossing snap tolerance of the one before) are
// merged and spikes removed; rings left with fewer than three vertices
// are dropped.
func fromOverlay(g geom.Geometry) orb.MultiPolygon {
	mp := shape.FromSF(g)
	if len(mp) == 0 {
		return mp
	}
	var pts []orb.Point
	for _, p := range mp {
		pts = append(pts, p[0]...)
	}
	tol := newSnapper(pts).tol
	near := func(a, b orb.Point) bool { return math.Abs(a[0]-b[0]) <= tol && math.Abs(a[1]-b[1]) <= tol }
	out := mp[:0]
	for _, p := range mp {
		var q orb.Polygon
		for k, r := range p {
			var v []orb.Point
			for _, pt := range r[:len(r)-1] {
				if len(v) == 0 || !near(pt, v[len(v)-1]) {
					v = append(v, pt)
				}
			}
			for len(v) > 1 && near(v[len(v)-1], v[0]) {
				v = v[:len(v)-1]
			}
			v, _, _ = removeSpikes(v, make([]int, len(v)))
			if len(v) < 3 {
				if k == 0 {
					break
				}
				continue
			}
			q = append(q, append(orb.Ring(v), v[0]))
		}
		if len(q) > 0 {
			out = append(out, q)
		}
	}
	return out
}

// validParts reports whether mp is a valid MultiPolygon by OGC rules.
func validParts(mp orb.MultiPolygon) bool {
	return len(mp) == 0 || shape.ToSF(mp).Validate() == nil
}

// crossingSnapUlps is how many units in the last place of the ring's
// largest coordinate apart two points that should be one may be computed:
// where three edges cross at one point, or an edge crosses two that
// overlap, each pair's crossing is rounded its own way, by an ulp or two
// for crossings at any useful angle. 64 ulps of a longitude near 113° is
// 1e-12°, a tenth of a micrometre.
const crossingSnapUlps = 64

// A snapper makes crossing points computed a few ulps apart one point.
type snapper struct {
	tol   float64
	cells map[[2]int64][]orb.Point
}

func newSnapper(v []orb.Point) *snapper {
	m := 0.0
	for _, p := range v {
		m = max(m, math.Abs(p[0]), math.Abs(p[1]))
	}
	return &snapper{tol: crossingSnapUlps * (math.Nextafter(m, math.Inf(1)) - m), cells: map[[2]int64][]orb.Point{}}
}

// point returns x, or the end of a crossing edge (a, b, c, d) or the
// crossing point already returned that lies within the tolerance of it.
func (s *snapper) point(x orb.Point, ends ...orb.Point) orb.Point {
	near := func(p orb.Point) bool { return math.Abs(p[0]-x[0]) <= s.tol && math.Abs(p[1]-x[1]) <= s.tol }
	for _, e := range ends {
		if near(e) {
			return e
		}
	}
	cx, cy := int64(math.Floor(x[0]/s.tol)), int64(math.Floor(x[1]/s.tol))
	for dx := int64(-1); dx <= 1; dx++ {
		for dy := int64(-1); dy <= 1; dy++ {
			for _, p := range s.cells[[2]int64{cx + dx, cy + dy}] {
				if near(p) {
					return p
				}
			}
		}
	}
	s.cells[[2]int64{cx, cy}] = append(s.cells[[2]int64{cx, cy}], x)
	return x
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
