package shape

import (
	"cmp"
	"math"
	"slices"

	"gridplan/geo/internal/robust"

	"github.com/paulmach/orb"
)

// Exact pre-test for community overlaps.
//
// Neighbouring communities of a cleaned layer share long stretches of
// boundary, and a polygon overlay of two such neighbours costs milliseconds
// only to find an intersection of zero area. [interiorsMayOverlap] decides
// with exact orientation predicates ([robustOrientation]) that most such
// pairs cannot overlap, so that the overlay runs only for the rest.
//
// The test rests on this: if the interiors of polygons A and B meet, their
// common part X is a bounded open set whose boundary lies on ∂A ∪ ∂B, so some
// stretch of an edge of A (or of B) bounds X, with X on that edge's interior
// side. Such a stretch either runs along an edge of the other shape whose
// interior is on the same side, or lies strictly inside the other shape. We
// look for it: every edge of A is cut at the points where it touches ∂B
// (vertices of either shape, never computed intersections: a proper crossing
// of two edges already answers "may overlap"), and each piece next to such a
// contact is classified from the corner of ∂B at the contact, exactly.
// Pieces away from every contact have the same status as the nearest piece
// next to one along their ring; a ring touching ∂B nowhere is tested by one
// point-in-polygon. Anything unusual (rings of the other shape meeting at
// the contact, degenerate edges) answers "may overlap", which only costs an
// overlay, so the answer "cannot overlap" is always right and "may overlap"
// is right for every pair whose overlap has positive area.

// OverlapShape is a multipolygon prepared for [interiorsMayOverlap].
type OverlapShape struct {
	mp    orb.MultiPolygon
	bound orb.Bound
	left  [][]bool // per polygon and ring: whether the interior lies left of its edges
	ok    bool     // rings closed, long enough and finite; otherwise always overlay
}

// Bound returns the bound of the multipolygon.
func (s *OverlapShape) Bound() orb.Bound { return s.bound }

// NewOverlapShape prepares mp for [InteriorsMayOverlap].
func NewOverlapShape(mp orb.MultiPolygon) *OverlapShape {
	s := &OverlapShape{mp: mp, left: make([][]bool, len(mp)), ok: len(mp) > 0}
	first := true
	for i, p := range mp {
		if len(p) == 0 {
			s.ok = false
			continue
		}
		s.left[i] = make([]bool, len(p))
		for k, r := range p {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				s.ok = false
				continue
			}
			for _, pt := range r {
				if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) {
					s.ok = false
				}
			}
			// Exterior rings have the interior on their left when
			// counter-clockwise, holes when clockwise.
			s.left[i][k] = RingIsCCW(r) == (k == 0)
			b := r.Bound()
			if first {
				s.bound, first = b, false
			} else {
				s.bound = s.bound.Union(b)
			}
		}
	}
	return s
}

// ovSeg is one ring edge a→b of one of the two shapes of a pair.
type ovSeg struct {
	a, b       orb.Point
	side       int  // 0 for the first shape, 1 for the second
	poly, ring int  // position in its shape
	left       bool // the shape's interior lies left of a→b
}

// InteriorsMayOverlap reports whether the interiors of a and b may meet,
// that is whether a ∩ b may have positive area. It is false only when they
// certainly do not (see the comment at the top of this file).
func InteriorsMayOverlap(a, b *OverlapShape) bool {
	if !a.ok || !b.ok {
		return true
	}
	if !a.bound.Intersects(b.bound) {
		return false
	}
	// Only edges meeting the common box can touch the other shape.
	box := orb.Bound{
		Min: orb.Point{math.Max(a.bound.Min[0], b.bound.Min[0]), math.Max(a.bound.Min[1], b.bound.Min[1])},
		Max: orb.Point{math.Min(a.bound.Max[0], b.bound.Max[0]), math.Min(a.bound.Max[1], b.bound.Max[1])},
	}
	var segs []ovSeg
	for side, s := range [2]*OverlapShape{a, b} {
		for i, p := range s.mp {
			for k, r := range p {
				for e := 0; e+1 < len(r); e++ {
					p0, p1 := r[e], r[e+1]
					if math.Max(p0[0], p1[0]) < box.Min[0] || math.Min(p0[0], p1[0]) > box.Max[0] ||
						math.Max(p0[1], p1[1]) < box.Min[1] || math.Min(p0[1], p1[1]) > box.Max[1] {
						continue
					}
					if p0 == p1 {
						return true // degenerate edge: leave it to the overlay
					}
					segs = append(segs, ovSeg{a: p0, b: p1, side: side, poly: i, ring: k, left: s.left[i][k]})
				}
			}
		}
	}
	cand := candidatePairs(segs, box)

	touched := [2][][]bool{make([][]bool, len(a.mp)), make([][]bool, len(b.mp))}
	for side, s := range [2]*OverlapShape{a, b} {
		for i, p := range s.mp {
			touched[side][i] = make([]bool, len(p))
		}
	}
	var scratch edgeScratch
	for k := range segs {
		touches, may := scratch.edgeTest(&segs[k], segs, cand[k])
		if may {
			return true
		}
		if touches {
			touched[segs[k].side][segs[k].poly][segs[k].ring] = true
		}
	}
	// Rings touching the other boundary nowhere lie wholly inside or
	// wholly outside the other shape.
	for side, s := range [2]*OverlapShape{a, b} {
		other := [2]*OverlapShape{b, a}[side]
		for i, p := range s.mp {
			for k, r := range p {
				if !touched[side][i][k] && MultiPolygonCovers(other.mp, r[0]) {
					return true
				}
			}
		}
	}
	return false
}

// MultiPolygonCovers reports whether p lies in the closed multipolygon mp.
func MultiPolygonCovers(mp orb.MultiPolygon, p orb.Point) bool {
	for _, pg := range mp {
		if len(pg) > 0 && PolygonBound(pg).Contains(p) && PolygonCovers(pg, p) {
			return true
		}
	}
	return false
}

// candidatePairs returns, for each segment, the segments of the other shape
// whose bounding boxes meet its own. It sweeps along the longer side of box,
// so that the long thin box of a shared border is swept lengthwise.
func candidatePairs(segs []ovSeg, box orb.Bound) [][]int32 {
	ax := 0
	if box.Max[1]-box.Min[1] > box.Max[0]-box.Min[0] {
		ax = 1
	}
	lo := func(s *ovSeg, d int) float64 { return math.Min(s.a[d], s.b[d]) }
	hi := func(s *ovSeg, d int) float64 { return math.Max(s.a[d], s.b[d]) }
	order := make([]int32, len(segs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		if c := cmp.Compare(lo(&segs[i], ax), lo(&segs[j], ax)); c != 0 {
			return c
		}
		return int(i - j)
	})
	cand := make([][]int32, len(segs))
	for n, i := range order {
		si := &segs[i]
		end := hi(si, ax)
		lo1, hi1 := lo(si, 1-ax), hi(si, 1-ax)
		for _, j := range order[n+1:] {
			sj := &segs[j]
			if lo(sj, ax) > end {
				break
			}
			if sj.side == si.side || hi(sj, 1-ax) < lo1 || lo(sj, 1-ax) > hi1 {
				continue
			}
			cand[i] = append(cand[i], j)
			cand[j] = append(cand[j], i)
		}
	}
	return cand
}

// edgeScratch holds buffers reused across edges.
type edgeScratch struct {
	contacts []orb.Point
	covered  [][2]float64
}

// edgeTest examines segment e against the segments cand of the other shape
// that may touch it. touches reports whether e meets the other boundary;
// may reports whether some piece of e may have the interior of its own
// shape, on its interior side, inside the other shape.
func (sc *edgeScratch) edgeTest(e *ovSeg, segs []ovSeg, cand []int32) (touches, may bool) {
	if len(cand) == 0 {
		return false, false
	}
	p, q := e.a, e.b
	// Positions along e are compared on its dominant axis, exactly: points
	// on the line through p and q with equal coordinate there are equal.
	ax := 0
	if math.Abs(q[1]-p[1]) > math.Abs(q[0]-p[0]) {
		ax = 1
	}
	sgn := 1.0
	if q[ax] < p[ax] {
		sgn = -1
	}
	key := func(pt orb.Point) float64 { return sgn * pt[ax] } // increasing from p to q
	kp, kq := key(p), key(q)
	sc.contacts, sc.covered = sc.contacts[:0], sc.covered[:0]
	for _, j := range cand {
		f := &segs[j]
		r, s := f.a, f.b
		if r == s {
			return true, true
		}
		or, os := robust.Orient(p, q, r), robust.Orient(p, q, s)
		if or == 0 && os == 0 { // collinear
			kr, ks := key(r), key(s)
			lo, hi := math.Max(math.Min(kr, ks), kp), math.Min(math.Max(kr, ks), kq)
			if lo > hi {
				continue
			}
			if lo < hi {
				sameDir := ks > kr
				if sameDir == (e.left == f.left) {
					return true, true // both interiors on the same side of a common stretch
				}
				sc.covered = append(sc.covered, [2]float64{lo, hi})
			}
			for _, c := range [4]orb.Point{p, q, r, s} {
				if k := key(c); lo <= k && k <= hi {
					sc.contacts = append(sc.contacts, c)
				}
			}
			continue
		}
		op, oq := robust.Orient(r, s, p), robust.Orient(r, s, q)
		if or*os < 0 && op*oq < 0 {
			return true, true // proper crossing
		}
		if or == 0 && robust.InBox(p, q, r) {
			sc.contacts = append(sc.contacts, r)
		}
		if os == 0 && robust.InBox(p, q, s) {
			sc.contacts = append(sc.contacts, s)
		}
		if op == 0 && robust.InBox(r, s, p) {
			sc.contacts = append(sc.contacts, p)
		}
		if oq == 0 && robust.InBox(r, s, q) {
			sc.contacts = append(sc.contacts, q)
		}
	}
	if len(sc.contacts) == 0 {
		return false, false
	}
	slices.SortFunc(sc.contacts, func(x, y orb.Point) int { return cmp.Compare(key(x), key(y)) })
	sc.contacts = slices.CompactFunc(sc.contacts, func(x, y orb.Point) bool { return key(x) == key(y) })
	// Stops along e: p, the contacts, q. Each open piece between two
	// stops is either along the other boundary (covered) or off it.
	stops := sc.contacts
	isContact := func(n int) bool { return n >= 0 && n < len(stops) }
	// Walk pieces: piece n lies between stop n-1 (or p) and stop n (or q).
	for n := 0; n <= len(stops); n++ {
		k0, k1 := kp, kq
		if n > 0 {
			k0 = key(stops[n-1])
		}
		if n < len(stops) {
			k1 = key(stops[n])
		}
		if k0 >= k1 {
			continue // empty piece: a contact at p or q
		}
		if pieceCovered(sc.covered, k0, k1) {
			continue
		}
		var in bool
		if isContact(n - 1) {
			in = entersOther(stops[n-1], q, segs, cand)
		} else {
			in = entersOther(stops[n], p, segs, cand)
		}
		if in {
			return true, true
		}
	}
	return true, false
}

func pieceCovered(covered [][2]float64, k0, k1 float64) bool {
	for _, iv := range covered {
		if iv[0] <= k0 && k1 <= iv[1] {
			return true
		}
	}
	return false
}

// entersOther reports whether the segment from c towards t, where c lies on
// the boundary of the other shape and the segment does not run along it,
// starts inside the other shape; or whether that cannot be decided simply.
// cand holds every edge of the other shape that passes through c.
func entersOther(c, t orb.Point, segs []ovSeg, cand []int32) bool {
	var fin, fout, fmid *ovSeg
	nIn, nOut, nMid := 0, 0, 0
	for _, j := range cand {
		f := &segs[j]
		switch {
		case f.b == c:
			fin, nIn = f, nIn+1
		case f.a == c:
			fout, nOut = f, nOut+1
		case robust.InBox(f.a, f.b, c) && robust.Orient(f.a, f.b, c) == 0:
			fmid, nMid = f, nMid+1
		}
	}
	switch {
	case nIn == 0 && nOut == 0 && nMid == 1:
		// c inside one edge: its interior side decides. Along the edge
		// (o == 0) is a covered piece, never passed here.
		o := robust.Orient(fmid.a, fmid.b, t)
		return o != 0 && (o > 0) == fmid.left
	case nIn == 1 && nOut == 1 && nMid == 0 && fin.poly == fout.poly && fin.ring == fout.ring:
		// c is one vertex u→c→w of one ring; its interior wedge is left of
		// both edges at a convex corner, left of either at a reflex one.
		u, w := fin.a, fout.b
		if !fin.left {
			u, w = w, u
		}
		o1, o2 := robust.Orient(u, c, t), robust.Orient(c, w, t)
		switch turn := robust.Orient(u, c, w); {
		case turn > 0:
			return o1 > 0 && o2 > 0
		case turn < 0:
			return o1 > 0 || o2 > 0
		default: // straight: u, c, w collinear, c between them
			return o1 > 0
		}
	}
	return true // rings meeting at c, or worse: leave it to the overlay
}

// MayOverlap reports whether the interiors of polygons a and b may meet:
// false only when a ∩ b certainly has no area (an exact test that tells
// apart shapes sharing only edges or vertices without an overlay).
func MayOverlap(a, b orb.MultiPolygon) bool {
	return InteriorsMayOverlap(NewOverlapShape(a), NewOverlapShape(b))
}
