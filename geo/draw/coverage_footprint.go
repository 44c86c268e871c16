package draw

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sync"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/reuse"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// borderIndex holds the edges two grids share (each once, with both grids),
// bucketed on a uniform grid, to find the borders near a footprint.
type borderIndex struct {
	edges  []border
	lo     orb.Point
	size   float64
	nx, ny int
	start  []int32
	items  []int32
	s      *borderScratch // where its storage came from, if pooled
}

type border struct {
	p, q orb.Point
	g, h int32 // the grids on either side
}

// borderKey is a directed edge between rounded vertices (newBorderIndex).
type borderKey struct{ p, q [2]int64 }

// borderScratch is newBorderIndex's working memory, and the storage of
// the index it makes, which CheckCoverage hands back (release) for the
// next community's.
type borderScratch struct {
	owner map[borderKey]int32
	ix    borderIndex
	fill  []int32
}

var borderPool sync.Pool // of *borderScratch

// release hands ix's storage, made in s, to the next newBorderIndex.
func (ix *borderIndex) release() {
	if ix.s == nil {
		return
	}
	s := ix.s
	edges, start, items := ix.edges[:0], ix.start[:0], ix.items[:0]
	*ix = borderIndex{} // ix is &s.ix
	s.ix = borderIndex{edges: edges, start: start, items: items}
	borderPool.Put(s)
}

// newBorderIndex indexes the edges of grids that another grid has
// reversed: the borders between grids. Edges without a twin lie on the
// community's outline (or leave a gap, which the area figures report).
// Once ctx is done it returns early, the index incomplete: the caller
// returns ctx.Err().
func newBorderIndex(ctx context.Context, grids []orb.MultiPolygon) *borderIndex {
	poll := parallel.NewPoll(ctx)
	// Twins are matched on vertices rounded to vertexSnapRel of the
	// coordinate magnitude: the drawing may compute a vertex where two
	// borders meet a third edge once per side, an ulp apart, and the border
	// must still be found there.
	unit := shape.BoundsMagnitude(grids) * robust.VertexSnapRel
	if !(unit > 0) || math.IsInf(unit, 0) {
		unit = 1
	}
	round := func(p orb.Point) [2]int64 {
		return [2]int64{int64(math.Round(p[0] / unit)), int64(math.Round(p[1] / unit))}
	}
	s, _ := borderPool.Get().(*borderScratch)
	if s == nil {
		s = &borderScratch{owner: map[borderKey]int32{}}
	}
	n := 0
	for _, mp := range grids {
		for _, poly := range mp {
			for _, r := range poly {
				n += max(len(r)-1, 0)
			}
		}
	}
	owner := s.owner
	clear(owner)
	for g, mp := range grids {
		for _, poly := range mp {
			for _, r := range poly {
				for k := 0; k+1 < len(r); k++ {
					if poll.Stop() {
						return &borderIndex{}
					}
					owner[borderKey{round(r[k]), round(r[k+1])}] = int32(g)
				}
			}
		}
	}
	ix := &s.ix // each border once, from one side
	*ix = borderIndex{edges: reuse.Grow(s.ix.edges, n/2), start: s.ix.start, items: s.ix.items, s: s}
	lo := orb.Point{math.Inf(1), math.Inf(1)}
	hi := orb.Point{math.Inf(-1), math.Inf(-1)}
	for g, mp := range grids { // grid order: deterministic
		for _, poly := range mp {
			for _, r := range poly {
				for k := 0; k+1 < len(r); k++ {
					if poll.Stop() {
						return &borderIndex{}
					}
					p, q := r[k], r[k+1]
					h, ok := owner[borderKey{round(q), round(p)}]
					if !ok || h == int32(g) || cmpPoint(p, q) > 0 {
						continue // no twin, or added from the other side
					}
					ix.edges = append(ix.edges, border{p, q, int32(g), h})
					lo = orb.Point{min(lo[0], p[0], q[0]), min(lo[1], p[1], q[1])}
					hi = orb.Point{max(hi[0], p[0], q[0]), max(hi[1], p[1], q[1])}
				}
			}
		}
	}
	if len(ix.edges) == 0 {
		return ix
	}
	w, h := max(hi[0]-lo[0], 1e-9), max(hi[1]-lo[1], 1e-9)
	ix.size = max(math.Sqrt(w*h/float64(len(ix.edges))), w/4096, h/4096)
	ix.lo = lo
	ix.nx, ix.ny = int(w/ix.size)+1, int(h/ix.size)+1
	ix.start = reuse.Resize(ix.start, ix.nx*ix.ny+1)
	clear(ix.start)
	each := func(e border, f func(k int)) {
		x0, y0 := ix.bucket(orb.Point{min(e.p[0], e.q[0]), min(e.p[1], e.q[1])})
		x1, y1 := ix.bucket(orb.Point{max(e.p[0], e.q[0]), max(e.p[1], e.q[1])})
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				f(y*ix.nx + x)
			}
		}
	}
	for _, e := range ix.edges {
		each(e, func(k int) { ix.start[k+1]++ })
	}
	for i := 1; i < len(ix.start); i++ {
		ix.start[i] += ix.start[i-1]
	}
	ix.items = reuse.Resize(ix.items, int(ix.start[len(ix.start)-1]))
	s.fill = append(s.fill[:0], ix.start[:len(ix.start)-1]...)
	fill := s.fill
	for i, e := range ix.edges {
		each(e, func(k int) { ix.items[fill[k]] = int32(i); fill[k]++ })
	}
	return ix
}

func cmpPoint(a, b orb.Point) int {
	if c := cmp.Compare(a[0], b[0]); c != 0 {
		return c
	}
	return cmp.Compare(a[1], b[1])
}

func (ix *borderIndex) bucket(p orb.Point) (int, int) {
	x := int(math.Floor((p[0] - ix.lo[0]) / ix.size))
	y := int(math.Floor((p[1] - ix.lo[1]) / ix.size))
	return max(0, min(x, ix.nx-1)), max(0, min(y, ix.ny-1))
}

// crosses reports whether a border of grid g enters the interior of
// footprint polygon poly farther than tol from its outline.
func (ix *borderIndex) crosses(poly orb.Polygon, g int32, tol float64) bool {
	if len(ix.edges) == 0 || len(poly) == 0 {
		return false
	}
	b := shape.PolygonBound(poly).Pad(tol)
	x0, y0 := ix.bucket(b.Min)
	x1, y1 := ix.bucket(b.Max)
	var seen map[int32]bool
	for y := y0; y <= y1; y++ {
		for x := x0; x <= x1; x++ {
			k := y*ix.nx + x
			for _, i := range ix.items[ix.start[k]:ix.start[k+1]] {
				e := &ix.edges[i]
				if e.g != g && e.h != g {
					continue
				}
				eb := orb.Bound{Min: orb.Point{min(e.p[0], e.q[0]), min(e.p[1], e.q[1])}, Max: orb.Point{max(e.p[0], e.q[0]), max(e.p[1], e.q[1])}}
				if !eb.Intersects(b) {
					continue
				}
				if seen == nil {
					seen = map[int32]bool{}
				}
				if seen[i] {
					continue
				}
				seen[i] = true
				if segmentEnters(e.p, e.q, poly, tol) {
					return true
				}
			}
		}
	}
	return false
}

// segmentEnters reports whether segment s–e has a point strictly inside
// poly and farther than tol from its outline: the segment is cut where it
// meets the outline (a proper crossing, or an outline vertex on it, by
// exact orientation), and the middle of each piece is tested.
func segmentEnters(s, e orb.Point, poly orb.Polygon, tol float64) bool {
	ts := []float64{0, 1}
	dx, dy := e[0]-s[0], e[1]-s[1]
	for _, r := range poly {
		for k := 0; k+1 < len(r); k++ {
			a, b := r[k], r[k+1]
			o1 := robust.OrientXY(s[0], s[1], e[0], e[1], a[0], a[1])
			o2 := robust.OrientXY(s[0], s[1], e[0], e[1], b[0], b[1])
			if o1 == 0 {
				if u := shape.Param(s, e, a); u > 0 && u < 1 {
					ts = append(ts, u)
				}
			}
			if o1*o2 < 0 {
				o3 := robust.OrientXY(a[0], a[1], b[0], b[1], s[0], s[1])
				o4 := robust.OrientXY(a[0], a[1], b[0], b[1], e[0], e[1])
				if o3*o4 < 0 {
					fx, fy := b[0]-a[0], b[1]-a[1]
					u := (float64((a[0]-s[0])*fy) - float64((a[1]-s[1])*fx)) / (float64(dx*fy) - float64(dy*fx))
					ts = append(ts, max(0, min(1, u)))
				}
			}
		}
	}
	slices.Sort(ts)
	for i := 0; i+1 < len(ts); i++ {
		if ts[i+1] == ts[i] {
			continue
		}
		u := (ts[i] + ts[i+1]) / 2
		m := orb.Point{s[0] + u*dx, s[1] + u*dy}
		if strictlyInsideBy(poly, m, tol) {
			return true
		}
	}
	return false
}

// strictlyInsideBy reports whether p is inside poly and farther than tol
// from every ring.
func strictlyInsideBy(poly orb.Polygon, p orb.Point, tol float64) bool {
	if in, _ := shape.RingContainsExact(poly[0], p); !in {
		return false
	}
	for _, h := range poly[1:] {
		if in, on := shape.RingContainsExact(h, p); in || on {
			return false
		}
	}
	for _, r := range poly {
		for k := 0; k+1 < len(r); k++ {
			if shape.PointSegmentDist(p, r[k], r[k+1]) <= tol {
				return false
			}
		}
	}
	return true
}
