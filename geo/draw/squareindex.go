package draw

import (
	"math"
	"slices"

	"gridplan/geo/internal/reuse"

	"github.com/paulmach/orb"
)

// A squareIndex files items (segments or boxes) in the squares of a
// uniform grid, for finding those that meet a box or hold a point: what an
// R-tree of the items' boxes finds, built in two passes with no tree to
// balance. A segment is filed only in the squares along it (a long
// diagonal outline edge is not filed over its whole box), a box in every
// square it meets.
//
// It is built once and then only read; [squareIndex.meets] is not safe
// for concurrent use (it marks the items it has seen), [squareIndex.at] is.
type squareIndex struct {
	x0, y0 float64 // the lower left corner of square (0, 0)
	side   float64
	nx, ny int
	start  []int32 // square k holds items[start[k]:start[k+1]]
	items  []int32
	boxes  [][4]float64 // by item: minX, minY, maxX, maxY (widened)
	seen   []uint32     // by item: the query that last met it
	query  uint32
	out    []int32
	// fill is the filing's scratch; ownBoxes the boxes a segment index
	// made for itself, kept for the next index made in its storage.
	fill     []int32
	ownBoxes [][4]float64
}

// emptied returns g emptied, its storage kept for the index made in it,
// or a new index for a nil g. Nothing g's queries returned may be used
// afterwards.
func (g *squareIndex) emptied() *squareIndex {
	if g == nil {
		return new(squareIndex)
	}
	*g = squareIndex{seen: g.seen[:0], start: g.start[:0], items: g.items[:0], out: g.out[:0], fill: g.fill[:0], ownBoxes: g.ownBoxes[:0]}
	return g
}

// Bounds of a squareIndex: about maxSquaresPerItem squares for each item
// indexed, and at most maxEntriesPerItem filings of an item in a square.
const (
	maxSquaresPerItem = 4
	maxEntriesPerItem = 32
)

// newSegGrid indexes the segments seg(0) … seg(n-1), each widened by w:
// meets then finds every segment within w of a point of the query box,
// and of the others only those whose widened box meets it. It is made in
// the storage of into, an index no longer used, if not nil.
func newSegGrid(into *squareIndex, n int, seg func(i int) (p, q orb.Point), w float64) *squareIndex {
	g := into.emptied()
	boxes := reuse.Resize(g.ownBoxes, n)
	g.ownBoxes = boxes
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	sumLen := 0.0
	for i := range n {
		p, q := seg(i)
		boxes[i] = [4]float64{min(p[0], q[0]) - w, min(p[1], q[1]) - w, max(p[0], q[0]) + w, max(p[1], q[1]) + w}
		minX, maxX = min(minX, p[0], q[0]), max(maxX, p[0], q[0])
		minY, maxY = min(minY, p[1], q[1]), max(maxY, p[1], q[1])
		sumLen += max(math.Abs(q[0]-p[0]), math.Abs(q[1]-p[1]))
	}
	if n == 0 {
		return g // no squares: nothing is found
	}
	// A margin beyond w covers the rounding of the rasterisation.
	w += 1e-9*max(maxX-minX, maxY-minY) + 1e-12*max(math.Abs(minX), math.Abs(maxX), math.Abs(minY), math.Abs(maxY))
	return g.build(boxes, n, [4]float64{minX - w, minY - w, maxX + w, maxY + w}, sumLen/float64(n),
		func(g *squareIndex, i int, fn func(k int)) {
			p, q := seg(i)
			g.segmentSquares(p, q, w, fn)
		})
}

// newBoxGrid indexes boxes (minX, minY, maxX, maxY); an empty, NaN or
// infinite box is never found. It is made in the storage of into, an index
// no longer used, if not nil.
func newBoxGrid(into *squareIndex, boxes [][4]float64) *squareIndex {
	ext := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	sum, used := 0.0, 0
	for _, b := range boxes {
		if !usableBox(b) {
			continue
		}
		ext = [4]float64{min(ext[0], b[0]), min(ext[1], b[1]), max(ext[2], b[2]), max(ext[3], b[3])}
		sum += max(b[2]-b[0], b[3]-b[1])
		used++
	}
	g := into.emptied()
	if used == 0 {
		g.boxes = boxes
		return g
	}
	return g.build(boxes, used, ext, sum/float64(used), func(g *squareIndex, i int, fn func(k int)) {
		b := g.boxes[i]
		if !usableBox(b) {
			return
		}
		c0, c1 := cell(b[0], g.x0, g.side, g.nx), cell(b[2], g.x0, g.side, g.nx)
		r0, r1 := cell(b[1], g.y0, g.side, g.ny), cell(b[3], g.y0, g.side, g.ny)
		for r := r0; r <= r1; r++ {
			for c := c0; c <= c1; c++ {
				fn(r*g.nx + c)
			}
		}
	})
}

func usableBox(b [4]float64) bool {
	return b[0] <= b[2] && b[1] <= b[3] && !math.IsInf(b[0], 0) && !math.IsInf(b[1], 0) && !math.IsInf(b[2], 0) && !math.IsInf(b[3], 0)
}

// build files, in g, the used of boxes, lying in ext (minX, minY, maxX,
// maxY), in the squares file gives for each. Squares are about mean wide
// (an item of length L then fills about 2L/side of them, all together
// about twice their number), no more than maxSquaresPerItem·used in all;
// should the items still pass maxEntriesPerItem·used filings, the
// squares are made coarser (one square holding every item once at worst).
func (g *squareIndex) build(boxes [][4]float64, used int, ext [4]float64, mean float64, file func(g *squareIndex, i int, fn func(k int))) *squareIndex {
	g.boxes, g.x0, g.y0, g.query, g.out = boxes, ext[0], ext[1], 0, g.out[:0]
	g.seen = reuse.Resize(g.seen, len(boxes))
	clear(g.seen)
	W, H := ext[2]-ext[0], ext[3]-ext[1]
	side := max(mean, math.Sqrt(W*H/float64(maxSquaresPerItem*used)), 1e-9*max(W, H), math.SmallestNonzeroFloat64)
	for float64(int(W/side)+1)*float64(int(H/side)+1) > float64(maxSquaresPerItem*used+16) {
		side *= 1.5
	}
	// Pass one counts each square's items, pass two files them.
	for {
		g.side = side
		g.nx, g.ny = int(W/side)+1, int(H/side)+1
		g.start = reuse.Resize(g.start, g.nx*g.ny+1)
		clear(g.start)
		total := 0
		for i := range boxes {
			file(g, i, func(k int) { g.start[k+1]++; total++ })
		}
		if total <= maxEntriesPerItem*used+1024 || (g.nx == 1 && g.ny == 1) {
			break
		}
		side *= 2
	}
	for k := 1; k < len(g.start); k++ {
		g.start[k] += g.start[k-1]
	}
	g.items = reuse.Resize(g.items, int(g.start[len(g.start)-1]))
	g.fill = append(g.fill[:0], g.start[:len(g.start)-1]...)
	fill := g.fill
	for i := range boxes {
		file(g, i, func(k int) {
			g.items[fill[k]] = int32(i)
			fill[k]++
		})
	}
	return g
}

// cell returns the column or row of coordinate v, clamped to [0, n).
func cell(v, origin, side float64, n int) int {
	c := math.Floor((v - origin) / side)
	switch {
	case !(c >= 0): // NaN too
		return 0
	case c >= float64(n):
		return n - 1
	}
	return int(c)
}

// segmentSquares calls fn with every square that segment p–q widened by
// w reaches: column by column, the rows between the segment's lowest and
// highest point over the column's width.
func (g *squareIndex) segmentSquares(p, q orb.Point, w float64, fn func(k int)) {
	if p[0] > q[0] {
		p, q = q, p
	}
	c0 := cell(p[0]-w, g.x0, g.side, g.nx)
	c1 := cell(q[0]+w, g.x0, g.side, g.nx)
	dx := q[0] - p[0]
	for c := c0; c <= c1; c++ {
		// The part of the segment over this column (widened by w).
		xa := max(p[0], g.x0+float64(c)*g.side-w)
		xb := min(q[0], g.x0+float64(c+1)*g.side+w)
		ya, yb := p[1], q[1]
		if dx > 0 {
			if xa > xb { // the column is reached only within w of an end
				xa, xb = min(max(xa, p[0]), q[0]), min(max(xb, p[0]), q[0])
			}
			ya = p[1] + (q[1]-p[1])*((xa-p[0])/dx)
			yb = p[1] + (q[1]-p[1])*((xb-p[0])/dx)
		}
		r0 := cell(min(ya, yb)-w, g.y0, g.side, g.ny)
		r1 := cell(max(ya, yb)+w, g.y0, g.side, g.ny)
		for r := r0; r <= r1; r++ {
			fn(r*g.nx + c)
		}
	}
}

// meets returns, in ascending order, the items filed in a square that the
// box lo–hi meets whose box meets it too (closed: touching counts); none
// for a nil index. The slice is reused by the next call.
func (g *squareIndex) meets(lo, hi [2]float64) []int32 {
	if g == nil {
		return nil
	}
	g.out = g.out[:0]
	if len(g.start) == 0 || hi[0] < g.x0 || hi[1] < g.y0 ||
		lo[0] > g.x0+float64(g.nx)*g.side || lo[1] > g.y0+float64(g.ny)*g.side {
		return g.out
	}
	g.query++
	if g.query == 0 { // wrapped: forget every mark
		clear(g.seen)
		g.query = 1
	}
	c0, c1 := cell(lo[0], g.x0, g.side, g.nx), cell(hi[0], g.x0, g.side, g.nx)
	r0, r1 := cell(lo[1], g.y0, g.side, g.ny), cell(hi[1], g.y0, g.side, g.ny)
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			k := r*g.nx + c
			for _, i := range g.items[g.start[k]:g.start[k+1]] {
				if g.seen[i] == g.query {
					continue
				}
				g.seen[i] = g.query
				if b := &g.boxes[i]; b[0] <= hi[0] && b[1] <= hi[1] && lo[0] <= b[2] && lo[1] <= b[3] {
					g.out = append(g.out, i)
				}
			}
		}
	}
	slices.Sort(g.out)
	return g.out
}

// at calls fn with each item filed in p's square whose box holds p
// (closed), in ascending order; unlike meets it marks nothing, so it is
// safe for concurrent use.
func (g *squareIndex) at(p orb.Point, fn func(i int32)) {
	if g == nil || len(g.start) == 0 || p[0] < g.x0 || p[1] < g.y0 ||
		p[0] > g.x0+float64(g.nx)*g.side || p[1] > g.y0+float64(g.ny)*g.side {
		return
	}
	k := cell(p[1], g.y0, g.side, g.ny)*g.nx + cell(p[0], g.x0, g.side, g.nx)
	for _, i := range g.items[g.start[k]:g.start[k+1]] {
		if b := &g.boxes[i]; b[0] <= p[0] && b[1] <= p[1] && p[0] <= b[2] && p[1] <= b[3] {
			fn(i)
		}
	}
}
