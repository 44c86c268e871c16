package shape

import (
	"slices"

	"gridplan/geo/internal/robust"

	"github.com/paulmach/orb"
)

// PlainRing reports whether r is certainly a valid polygon shell on its
// own: closed, of at least three corners, every coordinate finite, no two consecutive vertices equal
// or in line with the next (no spike, no straight-through vertex), and no
// two edges meeting but neighbours at their shared vertex, all decided
// with exact predicates. Such a ring is simple and bounds an area, so a
// polygon of it alone is valid as OGC (and simplefeatures) defines it.
// False means only "not shown": the ring may still be valid, and a caller
// asks a full validation.
//
// Edges are swept in order of their least x, so a ring of n edges costs
// O(n log n) plus the pairs whose x-ranges overlap; past maxPairsPerEdge·n
// such pairs (a ring of long, overlapping edges) it gives up with false.
func PlainRing(r orb.Ring) bool {
	n := len(r) - 1 // edges
	if n < 3 || r[0] != r[n] {
		return false
	}
	for i := range n {
		a, b, c := r[i], r[i+1], r[(i+2)%n]
		if !robust.IsFinite(a[0]) || !robust.IsFinite(a[1]) || a == b || robust.OrientXY(a[0], a[1], b[0], b[1], c[0], c[1]) == 0 {
			return false
		}
	}
	// Sorted by least x as (x, edge) pairs, small to move; the boxes
	// are read by edge.
	type key struct {
		x0 float64
		i  int32
	}
	ks := make([]key, n)
	box := make([][4]float64, n) // x0, x1, y0, y1
	for i := range n {
		a, b := r[i], r[i+1]
		box[i] = [4]float64{min(a[0], b[0]), max(a[0], b[0]), min(a[1], b[1]), max(a[1], b[1])}
		ks[i] = key{box[i][0], int32(i)}
	}
	slices.SortFunc(ks, func(p, q key) int { // finite: no NaN to order
		switch {
		case p.x0 < q.x0:
			return -1
		case p.x0 > q.x0:
			return 1
		}
		return 0
	})
	budget := maxPairsPerEdge * n
	for k, ke := range ks {
		e := &box[ke.i]
		for _, kf := range ks[k+1:] {
			if kf.x0 > e[1] {
				break
			}
			if budget--; budget < 0 {
				return false
			}
			if f := &box[kf.i]; f[2] > e[3] || e[2] > f[3] {
				continue
			}
			i, j := int(min(ke.i, kf.i)), int(max(ke.i, kf.i))
			if j == i+1 || (i == 0 && j == n-1) {
				// Neighbours share one vertex; with no straight or
				// reversing turn between them they meet nowhere else.
				continue
			}
			if robust.SegmentsMeet(r[i], r[i+1], r[j], r[j+1]) {
				return false
			}
		}
	}
	return true
}

// maxPairsPerEdge bounds the candidate pairs PlainRing tests, per edge.
const maxPairsPerEdge = 64
