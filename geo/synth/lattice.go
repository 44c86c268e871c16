package synth

import (
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// Lattice geometry, in metres. A community is one lattice cell, or two or
// three merged cells (a domino, a bar or an L, which is concave).
const (
	// cellM is the nominal lattice spacing for communities of the default
	// size; larger ones get larger cells. A community of 4,000 households
	// in walk-ups needs about 0.25 km² of blocks and streets; the inner
	// rectangle of a jittered 850 m cell is at least 548 m wide (see
	// innerRect), which holds that with room to spare.
	cellM = 850.0
	// cornerJitter moves each lattice corner by up to this fraction of cellM
	// in x and in y. With edgeBulge it stays far below 0.5, so cells remain
	// simple and keep their lattice neighbours.
	cornerJitter = 0.12
	// edgeBulge moves the midpoint of each lattice edge perpendicular to it
	// by up to this fraction of cellM, so that borders are not straight.
	edgeBulge = 0.04
	// marginM is how far every building stays inside its community. The
	// brief asks for about 10 m; 15 m leaves room for rounding and for
	// tessellation slivers.
	marginM = 15.0
	// mergeShare is the share of extra cells, over the number of
	// communities, that are merged into multi-cell communities.
	mergeShare = 0.2
)

// A lattice is a jittered grid of rows×cols cells. Row 0 is the northern one.
// Vertices are corners (rows+1)×(cols+1), midpoints of horizontal edges
// (rows+1)×cols and midpoints of vertical edges rows×(cols+1); every vertex is
// stored once, so neighbouring communities share their border exactly.
type lattice struct {
	rows, cols int
	vert       []orb.Point // corners, then horizontal midpoints, then vertical midpoints
}

func (l *lattice) corner(i, j int) int { return i*(l.cols+1) + j }
func (l *lattice) hmid(i, j int) int   { return (l.rows+1)*(l.cols+1) + i*l.cols + j }
func (l *lattice) vmid(i, j int) int {
	return (l.rows+1)*(l.cols+1) + (l.rows+1)*l.cols + i*(l.cols+1) + j
}

// newLattice returns a jittered lattice of rows×cols cells of nominal
// spacing cell (at least cellM) metres, centred on the origin.
func newLattice(r *rand.Rand, rows, cols int, cell float64) *lattice {
	l := &lattice{rows: rows, cols: cols}
	n := (rows+1)*(cols+1) + (rows+1)*cols + rows*(cols+1)
	l.vert = make([]orb.Point, n)
	jit := func(f float64) float64 { return (2*r.Float64() - 1) * f * cell }
	for i := 0; i <= rows; i++ {
		for j := 0; j <= cols; j++ {
			x := (float64(j) - float64(cols)/2) * cell
			y := (float64(rows)/2 - float64(i)) * cell
			l.vert[l.corner(i, j)] = orb.Point{x + jit(cornerJitter), y + jit(cornerJitter)}
		}
	}
	for i := 0; i <= rows; i++ {
		for j := 0; j < cols; j++ {
			a, b := l.vert[l.corner(i, j)], l.vert[l.corner(i, j+1)]
			l.vert[l.hmid(i, j)] = orb.Point{(a[0] + b[0]) / 2, (a[1]+b[1])/2 + jit(edgeBulge)}
		}
	}
	for i := 0; i < rows; i++ {
		for j := 0; j <= cols; j++ {
			a, b := l.vert[l.corner(i, j)], l.vert[l.corner(i+1, j)]
			l.vert[l.vmid(i, j)] = orb.Point{(a[0]+b[0])/2 + jit(edgeBulge), (a[1] + b[1]) / 2}
		}
	}
	return l
}

// cellRing returns the vertex ids of cell (i, j), counter-clockwise from its
// south-west corner, not closed.
func (l *lattice) cellRing(i, j int) [8]int {
	return [8]int{
		l.corner(i+1, j), l.hmid(i+1, j), l.corner(i+1, j+1), l.vmid(i, j+1),
		l.corner(i, j+1), l.hmid(i, j), l.corner(i, j), l.vmid(i, j),
	}
}

// innerRect returns the axis-aligned rectangle of cell (i, j) that keeps
// marginM from every edge of the cell. Each side of the cell is a chain of
// three vertices; when all three lie beyond the rectangle's side by the
// margin, the whole chain does, so the rectangle is inside the cell and at
// least marginM from its boundary. In the worst case of the jitter it is
// cellM·(1 − 2·cornerJitter − 2·edgeBulge) − 2·marginM ≈ 548 m wide.
func (l *lattice) innerRect(i, j int) rect {
	v := l.vert
	x0 := max(v[l.corner(i, j)][0], v[l.corner(i+1, j)][0], v[l.vmid(i, j)][0]) + marginM
	x1 := min(v[l.corner(i, j+1)][0], v[l.corner(i+1, j+1)][0], v[l.vmid(i, j+1)][0]) - marginM
	y1 := min(v[l.corner(i, j)][1], v[l.corner(i, j+1)][1], v[l.hmid(i, j)][1]) - marginM
	y0 := max(v[l.corner(i+1, j)][1], v[l.corner(i+1, j+1)][1], v[l.hmid(i+1, j)][1]) + marginM
	return rect{x0, y0, x1, y1}
}

// latticeShape returns rows and cols for a lattice of about want cells,
// roughly square.
func latticeShape(want int) (rows, cols int) {
	cols = int(math.Ceil(math.Sqrt(float64(want))))
	rows = (want + cols - 1) / cols
	return rows, cols
}

// mergeCells groups the rows×cols cells into exactly k communities of one to
// three 4-connected cells (k <= rows*cols). It returns the group of each cell;
// groups are numbered row by row from the north-west, by their first cell.
func mergeCells(r *rand.Rand, rows, cols, k int) []int {
	n := rows * cols
	parent := make([]int, n) // group representative of each cell
	size := make([]int, n)   // group size, valid at representatives
	for c := range parent {
		parent[c] = c
		size[c] = 1
	}
	merges := n - k
	tryMerge := func(a, b int, maxSize int) bool {
		ga, gb := parent[a], parent[b]
		if ga == gb || size[gb] != 1 || size[ga] >= maxSize {
			return false
		}
		parent[b] = ga
		size[ga]++
		size[gb] = 0
		return true
	}
	neighbour := func(c, d int) int {
		i, j := c/cols, c%cols
		switch d {
		case 0:
			i--
		case 1:
			j++
		case 2:
			i++
		default:
			j--
		}
		if i < 0 || i >= rows || j < 0 || j >= cols {
			return -1
		}
		return i*cols + j
	}
	first := make([]int, n) // another cell of a's group, for groups of two
	for tries := 0; merges > 0 && tries < 50*n; tries++ {
		a := r.IntN(n)
		b := neighbour(a, r.IntN(4))
		if b < 0 {
			continue
		}
		// Prefer an L (concave) to a straight bar of three.
		if ga := parent[a]; size[ga] == 2 && parent[b] != ga {
			o := first[ga]
			if o == a {
				o = ga
			}
			straight := (o/cols == a/cols && a/cols == b/cols) || (o%cols == a%cols && a%cols == b%cols)
			if straight && r.Float64() < 0.8 {
				continue
			}
		}
		if tryMerge(a, b, 3) {
			if size[parent[a]] == 2 {
				first[parent[a]] = b
			}
			merges--
		}
	}
	// Random tries can leave a few merges undone on tiny lattices; finish
	// them by scanning, allowing larger groups if need be.
	for maxSize := 3; merges > 0; maxSize++ {
		for a := 0; a < n && merges > 0; a++ {
			for d := 0; d < 4 && merges > 0; d++ {
				if b := neighbour(a, d); b >= 0 && tryMerge(a, b, maxSize) {
					merges--
				}
			}
		}
	}
	group := make([]int, n)
	id := make([]int, n)
	for c := range id {
		id[c] = -1
	}
	next := 0
	for c := 0; c < n; c++ {
		p := parent[c]
		if id[p] < 0 {
			id[p] = next
			next++
		}
		group[c] = id[p]
	}
	return group
}

// groupRing returns the counter-clockwise outer ring (vertex ids, not closed)
// of the union of the given cells, which must be 4-connected and at most
// three. Edges shared by two cells of the group cancel; the rest chain up.
func (l *lattice) groupRing(cells []int) []int {
	type edge struct{ a, b int }
	var edges []edge
	for _, c := range cells {
		ring := l.cellRing(c/l.cols, c%l.cols)
		for k := range ring {
			edges = append(edges, edge{ring[k], ring[(k+1)%len(ring)]})
		}
	}
	var keep []edge
	for _, e := range edges {
		internal := false
		for _, f := range edges {
			if f.a == e.b && f.b == e.a {
				internal = true
				break
			}
		}
		if !internal {
			keep = append(keep, e)
		}
	}
	out := make([]int, 0, len(keep))
	cur := keep[0]
	for range keep {
		out = append(out, cur.a)
		for _, f := range keep {
			if f.a == cur.b {
				cur = f
				break
			}
		}
	}
	return out
}
