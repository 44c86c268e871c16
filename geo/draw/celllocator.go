package draw

import (
	"math"
	"slices"

	"gridplan/geo/internal/robust"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
)

// cellLocator finds the cell holding a point: the cells' boxes bucketed
// on a uniform grid (cheaper to build than an R-tree, and the cells are of
// similar size), then an exact test against the convex cell. Cells whose
// box spans many buckets (on the frame) are kept in a list tried always.
type cellLocator struct {
	t       *tess.Tessellation
	groupOf []int
	n       int
	lo      orb.Point
	size    float64
	nx, ny  int
	start   []int32 // bucket b holds items[start[b]:start[b+1]]
	items   []int32
	big     []int32
	boxes   []orb.Bound
}

// cellLocatorSpan is the most buckets a cell may span on either axis
// before it goes to the list tried always.
const cellLocatorSpan = 4

func newCellLocator(t *tess.Tessellation, group []int, nGroups int) *cellLocator {
	l := &cellLocator{t: t, groupOf: group, n: nGroups}
	ng := t.NumGens()
	l.boxes = make([]orb.Bound, ng)
	all := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for g := range ng {
		ring, _ := t.Cell(g)
		if len(ring) < 3 {
			l.boxes[g] = orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{0, 0}} // empty
			continue
		}
		lo, hi := t.Verts[ring[0]], t.Verts[ring[0]]
		for _, v := range ring[1:] {
			p := t.Verts[v]
			lo = orb.Point{min(lo[0], p[0]), min(lo[1], p[1])}
			hi = orb.Point{max(hi[0], p[0]), max(hi[1], p[1])}
		}
		l.boxes[g] = orb.Bound{Min: lo, Max: hi}
		all.Min = orb.Point{min(all.Min[0], lo[0]), min(all.Min[1], lo[1])}
		all.Max = orb.Point{max(all.Max[0], hi[0]), max(all.Max[1], hi[1])}
	}
	w, h := all.Max[0]-all.Min[0], all.Max[1]-all.Min[1]
	if !(w > 0 && h > 0) {
		l.big = make([]int32, 0, ng)
		for g := range ng {
			l.big = append(l.big, int32(g))
		}
		return l
	}
	// About two cells per bucket.
	l.size = math.Sqrt(w * h / float64(max(1, ng/2)))
	l.nx, l.ny = min(int(w/l.size)+1, 1<<12), min(int(h/l.size)+1, 1<<12)
	l.lo = all.Min
	span := func(b orb.Bound) (x0, y0, x1, y1 int, ok bool) {
		x0, y0 = l.bucket(b.Min)
		x1, y1 = l.bucket(b.Max)
		return x0, y0, x1, y1, x1-x0 < cellLocatorSpan && y1-y0 < cellLocatorSpan
	}
	l.start = make([]int32, l.nx*l.ny+1)
	for g, b := range l.boxes {
		if b.Min[0] > b.Max[0] {
			continue
		}
		x0, y0, x1, y1, ok := span(b)
		if !ok {
			l.big = append(l.big, int32(g))
			continue
		}
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				l.start[y*l.nx+x+1]++
			}
		}
	}
	for i := 1; i < len(l.start); i++ {
		l.start[i] += l.start[i-1]
	}
	l.items = make([]int32, l.start[len(l.start)-1])
	fill := slices.Clone(l.start[:len(l.start)-1])
	for g, b := range l.boxes {
		if b.Min[0] > b.Max[0] {
			continue
		}
		x0, y0, x1, y1, ok := span(b)
		if !ok {
			continue
		}
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				k := y*l.nx + x
				l.items[fill[k]] = int32(g)
				fill[k]++
			}
		}
	}
	return l
}

func (l *cellLocator) bucket(p orb.Point) (int, int) {
	x := int(math.Floor((p[0] - l.lo[0]) / l.size))
	y := int(math.Floor((p[1] - l.lo[1]) / l.size))
	return max(0, min(x, l.nx-1)), max(0, min(y, l.ny-1))
}

// group returns the grid of the cell holding p (closed: the first found,
// lowest generator first within a bucket, when p is on an edge), or
// noGroup.
func (l *cellLocator) group(p orb.Point) int32 {
	in := func(g int32) bool {
		if !l.boxes[g].Contains(p) {
			return false
		}
		ring, _ := l.t.Cell(int(g))
		for k := range ring {
			a, b := l.t.Verts[ring[k]], l.t.Verts[ring[(k+1)%len(ring)]]
			if robust.OrientXY(a[0], a[1], b[0], b[1], p[0], p[1]) < 0 {
				return false // not in this counter-clockwise cell
			}
		}
		return true
	}
	found := int32(-1)
	if l.nx > 0 {
		x, y := l.bucket(p)
		k := y*l.nx + x
		for _, g := range l.items[l.start[k]:l.start[k+1]] {
			if in(g) {
				found = g
				break
			}
		}
	}
	if found < 0 {
		for _, g := range l.big {
			if in(g) {
				found = g
				break
			}
		}
	}
	if found < 0 {
		return noGroup
	}
	if u := l.t.GenUnit[found]; u >= 0 {
		if gg := l.groupOf[u]; gg >= 0 && gg < l.n {
			return int32(gg)
		}
	}
	return noGroup
}
