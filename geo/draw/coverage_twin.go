package draw

import (
	"context"
	"math"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// twinSlackRel scales the coordinate magnitude to the distance from a
// community edge within which [twinnedCoverage] accepts a grid vertex as
// lying on it. [GridPolygons] puts vertices on the outline by computing
// crossings (a few ulps off the true line) or by splitting an outline edge
// at a grid vertex within vertexSnapRel of the magnitude of it; four times
// that covers both with room for the magnitude of the bound (a metre
// beyond the community), and is still far below a visible sliver. A vertex
// further off sends the check to the overlay, which measures whatever it is.
const twinSlackRel = 4 * robust.VertexSnapRel

// twinnedCoverage measures the gap and outside area of grids in community
// without an overlay, when the grids' edges prove the tiling; ok is false
// when they do not, and the caller measures by overlay instead.
//
// The argument is by winding numbers. For a valid polygon with
// counter-clockwise exteriors and clockwise holes (checked here for the
// orientation; validity is what GridPolygons promises and the tiling tests
// and CI check with simplefeatures and shapely), the winding number of its
// rings is 1 inside and 0 outside; it is linear in the rings' directed
// edges. So the number of grids covering a point, n, is the winding
// number of all grid edges together, and 1 inside the community, 0
// outside, is the winding number of the community's edges (interior on
// the left). Now:
//
//   - An edge p→q of one grid whose reverse q→p is an edge of another grid
//     (twinned: neighbours that share the edge exactly, as GridPolygons
//     builds them) cancels with it and adds nothing to n. Each directed
//     edge must occur once; a repeat would be two grids on one side.
//   - Every other grid edge must lie along the community outline: the
//     edges left over must form, for each community edge A→B, a chain
//     A→P1→…→B whose vertices are within twinSlackRel of the magnitude of
//     the segment A–B and advance along it, and every leftover edge must be
//     used by exactly one chain.
//
// Then n minus the community's winding number is the sum over community
// edges of the winding number of chain A→…→B followed by B→A: a thin loop
// along the edge, -1 (a gap: inside the community, not covered) where the
// chain runs on the interior side of the line and +1 (covered, outside)
// where it runs on the other. Everywhere else every point of the community
// is covered exactly once and no point outside is covered: no gap, no
// outside area and no overlap, and no overlay is needed to see it. The gap
// and outside areas are the areas of those loops, computed exactly for a
// chain that advances along its edge (trapezoids, split where the chain
// crosses the line). Overlaps can only occur where two loops overlap, near
// an outline vertex, an area of the order of the slack squared (below
// 1e-10 m² at 1e7 m coordinates); overlap is reported as 0.
//
// Interior grids, whose every edge is twinned, therefore cost one map look
// up per edge, and grids along the outline one more per outline edge;
// the figures agree with the overlay's, which are rounding noise of the
// same order on grids built by GridPolygons.
//
// Once ctx is done it returns ok false early: the caller returns ctx.Err().
func twinnedCoverage(ctx context.Context, community orb.MultiPolygon, grids []orb.MultiPolygon) (gap, outside float64, ok bool) {
	poll := parallel.NewPoll(ctx)
	mag := 0.0
	nEdges := 0
	for _, mp := range append([]orb.MultiPolygon{community}, grids...) {
		for _, poly := range mp {
			for _, r := range poly {
				nEdges += len(r)
				for _, p := range r {
					mag = max(mag, math.Abs(p[0]), math.Abs(p[1]))
				}
			}
		}
	}
	if !robust.IsFinite(mag) {
		return 0, 0, false
	}
	slack := mag * twinSlackRel

	ids := shape.NewPointIndex(nEdges / 2)
	verts := make([]orb.Point, 0, nEdges/2)
	vid := func(p orb.Point) int32 { return ids.Intern(&verts, p) }
	key := func(u, v int32) uint64 { return uint64(uint32(u))<<32 | uint64(uint32(v)) }

	// Directed grid edges, each once, with their grid.
	owner := make(map[uint64]int32, nEdges)
	order := make([]uint64, 0, nEdges) // the edges in grid order, for a deterministic walk
	for g, mp := range grids {
		for _, poly := range mp {
			for j, r := range poly {
				if len(r) < 4 || r[0] != r[len(r)-1] || shape.RingIsCCW(r) != (j == 0) {
					return 0, 0, false
				}
				prev := vid(r[0])
				for _, p := range r[1:] {
					if poll.Stop() {
						return 0, 0, false
					}
					v := vid(p)
					if v == prev {
						continue // a zero-length edge winds around nothing
					}
					k := key(prev, v)
					if _, dup := owner[k]; dup {
						return 0, 0, false
					}
					owner[k] = int32(g)
					order = append(order, k)
					prev = v
				}
			}
		}
	}
	// The edges without a twin in another grid, by start vertex.
	out := map[int32][]int32{}
	nLeft := 0
	for _, k := range order {
		if poll.Stop() {
			return 0, 0, false
		}
		u, v, g := int32(k>>32), int32(uint32(k)), owner[k]
		if h, ok := owner[key(v, u)]; ok {
			if h == g {
				return 0, 0, false // a grid against itself: not a valid polygon
			}
			continue
		}
		out[u] = append(out[u], v)
		nLeft++
	}

	// Community edges, interior on the left. An edge whose reverse is also
	// an edge (two polygons touching along it) is interior to the community
	// and cancels.
	cedge := map[uint64]bool{}
	var cList [][2]int32
	for _, poly := range community {
		for j, r := range poly {
			if len(r) < 4 {
				continue
			}
			ccw := shape.RingIsCCW(r)
			n := len(r) - 1
			for k := range n {
				a, b := r[k], r[k+1]
				if (j == 0) != ccw {
					a, b = r[n-k], r[n-k-1]
				}
				if a == b {
					continue
				}
				u, v := vid(a), vid(b)
				if cedge[key(u, v)] {
					return 0, 0, false // an edge twice: not a valid community
				}
				cedge[key(u, v)] = true
				cList = append(cList, [2]int32{u, v})
			}
		}
	}

	// Follow each community edge's chain through the leftover edges.
	used := 0
	for _, e := range cList {
		if cedge[key(e[1], e[0])] {
			continue
		}
		A, B := verts[e[0]], verts[e[1]]
		dx, dy := B[0]-A[0], B[1]-A[1]
		l2 := float64(dx*dx) + float64(dy*dy)
		l := math.Sqrt(l2)
		cur, t0, h0 := e[0], 0.0, 0.0
		for cur != e[1] {
			if poll.Stop() {
				return 0, 0, false
			}
			next := int32(-1)
			var t1, h1 float64
			for i, w := range out[cur] {
				P := verts[w]
				px, py := P[0]-A[0], P[1]-A[1]
				t := (float64(px*dx) + float64(py*dy)) / l
				h := (float64(dx*py) - float64(dy*px)) / l // > 0: interior side
				if w == e[1] {
					t, h = l, 0
				}
				if t < t0 || t > l || math.Abs(h) > slack {
					continue
				}
				next, t1, h1 = w, t, h
				s := out[cur]
				s[i] = s[len(s)-1]
				out[cur] = s[:len(s)-1]
				break
			}
			if next < 0 {
				return 0, 0, false
			}
			g, o := trapezoidSides(t1-t0, h0, h1)
			gap += g
			outside += o
			used++
			cur, t0, h0 = next, t1, h1
		}
	}
	if used != nLeft {
		return 0, 0, false
	}
	return gap, outside, true
}

// trapezoidSides returns the areas between a line and a segment over it of
// width w, whose ends are h0 and h1 off the line: the part on the positive
// side and the part on the negative side (split where it crosses).
func trapezoidSides(w, h0, h1 float64) (pos, neg float64) {
	switch {
	case h0 >= 0 && h1 >= 0:
		return w * (h0 + h1) / 2, 0
	case h0 <= 0 && h1 <= 0:
		return 0, -w * (h0 + h1) / 2
	}
	f := h0 / (h0 - h1) // where it crosses, as a fraction of w
	if h0 > 0 {
		return w * f * h0 / 2, -w * (1 - f) * h1 / 2
	}
	return w * (1 - f) * h1 / 2, -w * f * h0 / 2
}
