package draw

import (
	"math"
	"slices"
	"sync"

	"gridplan/geo/internal/reuse"
	"gridplan/geo/internal/robust"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// cellLocator finds the cell holding a point: the cells' boxes bucketed
// on a uniform grid (cheaper to build than an R-tree, and the cells are of
// similar size), then an exact test against the convex cell. Cells whose
// box spans many buckets (on the frame) are kept in a list tried always.
type cellLocator struct {
	t       *tess.Tessellation
	lo      orb.Point
	size    float64
	nx, ny  int
	start   []int32 // bucket b holds items[start[b]:start[b+1]]
	items   []int32
	big     []int32
	bigTree rtree.RTreeG[int32] // the big cells, for visit
	boxes   []orb.Bound
	fill    []int32 // newCellLocator's filing scratch
}

// cellLocatorSpan is the most buckets a cell may span on either axis
// before it goes to the list tried always.
const cellLocatorSpan = 4

func newCellLocator(t *tess.Tessellation) *cellLocator {
	l, _ := locatorPool.Get().(*cellLocator)
	if l == nil {
		l = new(cellLocator)
	}
	*l = cellLocator{t: t, boxes: l.boxes, start: l.start, items: l.items, big: l.big[:0], fill: l.fill}
	ng := t.NumGens()
	l.boxes = reuse.Resize(l.boxes, ng)
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
			if b := l.boxes[g]; b.Min[0] <= b.Max[0] {
				l.bigTree.Insert(b.Min, b.Max, int32(g))
			}
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
	l.start = reuse.Resize(l.start, l.nx*l.ny+1)
	clear(l.start)
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
	for _, g := range l.big {
		l.bigTree.Insert(l.boxes[g].Min, l.boxes[g].Max, g)
	}
	for i := 1; i < len(l.start); i++ {
		l.start[i] += l.start[i-1]
	}
	l.items = reuse.Resize(l.items, int(l.start[len(l.start)-1]))
	l.fill = append(l.fill[:0], l.start[:len(l.start)-1]...)
	fill := l.fill
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

// locatorPool keeps released locators' storage for the next community's.
var locatorPool sync.Pool // of *cellLocator

// release hands l's storage to the next newCellLocator; l must not be used
// afterwards.
func (l *cellLocator) release() {
	*l = cellLocator{boxes: l.boxes[:0], start: l.start[:0], items: l.items[:0], big: l.big[:0], fill: l.fill[:0]}
	locatorPool.Put(l)
}

func (l *cellLocator) bucket(p orb.Point) (int, int) {
	x := int(math.Floor((p[0] - l.lo[0]) / l.size))
	y := int(math.Floor((p[1] - l.lo[1]) / l.size))
	return max(0, min(x, l.nx-1)), max(0, min(y, l.ny-1))
}

// gen returns the generator of the cell holding p (closed: the first
// found, lowest generator first within a bucket, when p is on an edge), or
// -1.
func (l *cellLocator) gen(p orb.Point) int32 {
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
	if l.nx > 0 {
		x, y := l.bucket(p)
		k := y*l.nx + x
		for _, g := range l.items[l.start[k]:l.start[k+1]] {
			if in(g) {
				return g
			}
		}
	}
	if len(l.big) <= bigScanMax {
		for _, g := range l.big {
			if in(g) {
				return g
			}
		}
		return -1
	}
	// The big cells whose box holds p, lowest first, as the list gives
	// them.
	var buf [8]int32
	cand := buf[:0]
	l.bigTree.Search(p, p, func(_, _ [2]float64, g int32) bool {
		cand = append(cand, g)
		return true
	})
	slices.Sort(cand)
	for _, g := range cand {
		if in(g) {
			return g
		}
	}
	return -1
}

// bigScanMax is the most big cells gen tries in turn; beyond, it asks
// their R-tree.
const bigScanMax = 8

// wellInside reports whether p lies in the cell of generator g farther
// than margin from the line of each of its edges.
func (l *cellLocator) wellInside(g int32, p orb.Point, margin float64) bool {
	ring, _ := l.t.Cell(int(g))
	if len(ring) < 3 {
		return false
	}
	for k := range ring {
		a, b := l.t.Verts[ring[k]], l.t.Verts[ring[(k+1)%len(ring)]]
		dx, dy := b[0]-a[0], b[1]-a[1]
		// A zero-length edge is a point of its neighbours' lines.
		if d := math.Hypot(dx, dy); d > 0 && cross2(dx, dy, p[0]-a[0], p[1]-a[1]) <= margin*d {
			return false
		}
	}
	return true
}

// visit calls f once for every cell whose box meets the box lo–hi, and
// marks it seen[g] = stamp; cells already marked with stamp are skipped,
// so that the boxes along one segment visit each cell once.
func (l *cellLocator) visit(lo, hi orb.Point, seen []int32, stamp int32, f func(g int32)) {
	try := func(g int32) {
		if b := &l.boxes[g]; seen[g] != stamp && b.Min[0] <= hi[0] && lo[0] <= b.Max[0] && b.Min[1] <= hi[1] && lo[1] <= b.Max[1] {
			seen[g] = stamp
			f(g)
		}
	}
	if l.nx > 0 {
		x0, y0 := l.bucket(lo)
		x1, y1 := l.bucket(hi)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				k := y*l.nx + x
				for _, g := range l.items[l.start[k]:l.start[k+1]] {
					try(g)
				}
			}
		}
	}
	l.bigTree.Search(lo, hi, func(_, _ [2]float64, g int32) bool {
		try(g)
		return true
	})
}
