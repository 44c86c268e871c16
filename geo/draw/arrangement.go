package draw

import (
	"cmp"
	"context"
	"math"
	"slices"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/reuse"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
)

// Side labels of arrangement edges.
const (
	noGroup      = -1 // outside every grid (beyond the bound, or a unit left out)
	unknownGroup = -2 // not yet known: an edge of the community outline
	sideOut      = 0  // outside the community
	sideIn       = 1  // inside the community
	sideUnknown  = -1 // not yet known: a grid edge
)

// aEdge is an edge of the arrangement from vertex a to vertex b, with the
// grid and the community side on its left and on its right, and the
// constraints whose outline it lies on.
type aEdge struct {
	a, b   int32
	gl, gr int32 // group of the cells, noGroup or unknownGroup
	cl, cr int32 // after label: the first constraint covering the side, or -1
	// seq is a grid edge's place among the cell edges between groups, in
	// the order addGridEdges meets them.
	seq    int32
	il, ir int8 // sideIn, sideOut or sideUnknown
	// iso marks the edges of an isolated constraint (overlay.iso): left
	// out of the arrangement.
	iso bool
	// on lists the constraints whose outline holds the edge: k+1 with
	// constraint k on the left, -(k+1) with it on the right. Shared by the
	// pieces of a split edge: never appended to in place.
	on []int32
}

// dEdge is a direct edge: a cell edge between two groups whose cells are
// both clean (or a clean cell's edge on the bound), kept whole from the
// tessellation, with the grid on its left and on its right (noGroup
// outside the community).
type dEdge struct {
	a, b int32
	l, r int32
	seq  int32
}

// split is a vertex inserted into an edge, at parameter s along it.
type split struct {
	s float64
	v int32
}

// splits gathers the split points of many edges, by edge number, in one
// list rather than a slice an edge.
type splits struct {
	edge []int32
	sp   []split
}

func (ss *splits) add(e int32, s split) {
	ss.edge = append(ss.edge, e)
	ss.sp = append(ss.sp, s)
}

// byEdge returns the split points of edge e as flat[start[e]:start[e+1]],
// for edges numbered below n, each edge's in the order added (emitSplit
// sorts them by value, so that order does not matter).
func (ss *splits) byEdge(n int) (start []int32, flat []split) {
	start = make([]int32, n+1)
	for _, e := range ss.edge {
		start[e+1]++
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	flat = make([]split, len(ss.sp))
	fill := start[:n] // advanced to each edge's end, then moved back
	for k, e := range ss.edge {
		flat[fill[e]] = ss.sp[k]
		fill[e]++
	}
	copy(start[1:], start[:n])
	start[0] = 0
	return start, flat
}

// arrangement overlays the grid outlines (edges of the tessellation between
// different groups, and the bound) with the community outline and the
// constraints' outlines.
type arrangement struct {
	// ctx stops the long loops of building the arrangement: a loop polls
	// it and returns, and newArrangement returns ctx.Err().
	ctx     context.Context
	ov      *overlay
	cells   *cellLocator // the overlay's, or made again
	snapTol float64
	verts   []orb.Point
	ids     shape.PointIndex // of verts: one vertex per coordinate pair
	grid    []aEdge          // grid outline edges, each once
	// comm holds the fixed edges: the community outline (interior on the
	// left) and the constraints' outlines (inside on the left), noded
	// among themselves by nodeFixed, each undirected edge once.
	comm []aEdge
	cons []Constraint
	iso  []bool // by constraint: isolated; nil for none
	// isoVerts are the ranges of vertex ids first met on isolated
	// constraints: only theirs.
	isoVerts [][2]int32
	// dirty marks, by generator, the cells whose edges are overlaid;
	// nil marks every one (overlay.dirtyFor).
	dirty []bool
	// conEdges[k] is the range of comm holding constraint k's edges
	// before nodeFixed; the community's edges come first.
	conEdges [][2]int
	edges    []aEdge // the noded arrangement, each undirected edge once
	// gEnd[i] is the end in edges of the pieces grid edge i added; the
	// pieces of fixed edges follow the last.
	gEnd []int32
	// direct are the edges between clean cells, in the order of seq.
	direct []dEdge
	// s is the pooled storage of the slices above (release).
	s *arrScratch
}

func (a *arrangement) vid(p orb.Point) int32 { return a.ids.Intern(&a.verts, p) }

// addGridEdges adds every cell edge between different groups, and every
// cell edge on the bound, once, directed with its cell on the left: as a
// grid edge where a dirty cell is on either side, as a direct edge
// otherwise. Every one numbers its vertices, so that the numbering is the
// same whichever cells are dirty.
func (a *arrangement) addGridEdges(t *tess.Tessellation, group []int, nGroups int, fixedVerts int) {
	// The group of each generator's cell, looked up once: both passes ask
	// for every neighbour's.
	genGroup := reuse.Resize(a.s.genGroup, t.NumGens())
	a.s.genGroup = genGroup
	for g := range genGroup {
		genGroup[g] = noGroup
		if u := t.GenUnit[g]; u >= 0 {
			if gg := group[u]; gg >= 0 && gg < nGroups {
				genGroup[g] = int32(gg)
			}
		}
	}
	gen := func(g int32) int32 {
		if g < 0 {
			return noGroup
		}
		return genGroup[g]
	}
	dirty, fixed, inside := a.dirty, a.ov.fixed, a.ov.inside
	side := func(g, gg int32) int32 {
		if g < 0 || !inside[g] {
			return noGroup
		}
		return gg
	}
	// Each tessellation vertex is looked up by its coordinates once,
	// where an edge first meets it (the ids a.vid would give on every
	// call, in the same order), with the table sized for them and the
	// fixed vertices: a first pass counts the edges and the vertices
	// (marking them met), the second adds them.
	const unmet, met = -1, -2
	ids := reuse.Resize(a.s.cellIDs, len(t.Verts))
	a.s.cellIDs = ids
	for i := range ids {
		ids[i] = unmet
	}
	poll := parallel.NewPoll(a.ctx)
	isGrid := func(g int, c int32) bool { return dirty == nil || dirty[g] || (c >= 0 && dirty[c]) }
	nGrid, nDirect, nVerts := 0, 0, 0
	count := func(i int32) {
		if ids[i] == unmet {
			ids[i] = met
			nVerts++
		}
	}
	for g := range t.NumGens() {
		if poll.Stop() {
			return
		}
		gg := gen(int32(g))
		ring, nbr := t.Cell(g)
		for k, c := range nbr {
			if gen(c) == gg || (c >= 0 && int(c) < g) {
				continue
			}
			count(ring[k])
			count(ring[(k+1)%len(ring)])
			if isGrid(g, c) {
				nGrid++
			} else {
				nDirect++
			}
		}
	}
	a.ids = a.s.ids
	a.ids.Reset(nVerts + fixedVerts)
	a.verts = reuse.Grow(a.s.verts, nVerts+fixedVerts)
	id := func(i int32) int32 {
		if ids[i] < 0 {
			ids[i] = a.vid(t.Verts[i])
		}
		return ids[i]
	}
	a.grid = reuse.Grow(a.s.grid, nGrid)
	a.direct = reuse.Grow(a.s.direct, nDirect)
	seq := int32(0)
	for g := range t.NumGens() {
		if poll.Stop() {
			return
		}
		gg := gen(int32(g))
		ring, nbr := t.Cell(g)
		for k, c := range nbr {
			gc := gen(c)
			if gc == gg || (c >= 0 && int(c) < g) {
				continue // inside one grid, or added from the other cell
			}
			p, q := id(ring[k]), id(ring[(k+1)%len(ring)])
			// An edge whose ends are one point is none (but keeps its
			// place in seq).
			switch {
			case p == q:
			case isGrid(g, c):
				// Beside a clean cell, which is wholly inside the
				// community or wholly out, the edge's side is the cell's,
				// as label would find it.
				in := int8(sideUnknown)
				switch {
				case fixed == nil:
				case !fixed[g]:
					in = sideOf(inside[g])
				case c >= 0 && !fixed[c]:
					in = sideOf(inside[c])
				}
				a.grid = append(a.grid, aEdge{a: p, b: q, gl: gg, gr: gc, il: in, ir: in, seq: seq})
			default:
				a.direct = append(a.direct, dEdge{a: p, b: q, l: side(int32(g), gg), r: side(c, gc), seq: seq})
			}
			seq++
		}
	}
}

// addCommunity adds the community's rings, exteriors counter-clockwise and
// holes clockwise, so that the community is on the left of every edge.
func (a *arrangement) addCommunity(c orb.MultiPolygon) {
	for _, poly := range c {
		for j, r := range poly {
			ids := a.ringIDs(r, j == 0)
			for k := range ids {
				p, q := ids[k], ids[(k+1)%len(ids)]
				if p != q {
					a.comm = append(a.comm, aEdge{a: p, b: q, gl: unknownGroup, gr: unknownGroup, il: sideIn, ir: sideOut})
				}
			}
		}
	}
}

// ringIDs returns the vertex ids of a closed ring without repeats or the
// closing vertex, counter-clockwise for an exterior and clockwise for a
// hole, so that the polygon lies on the left of every edge; nil for a ring
// of fewer than three points.
func (a *arrangement) ringIDs(r orb.Ring, exterior bool) []int32 {
	if len(r) < 4 {
		return nil
	}
	ids := make([]int32, 0, len(r))
	for _, p := range r[:len(r)-1] {
		v := a.vid(p)
		if len(ids) == 0 || ids[len(ids)-1] != v {
			ids = append(ids, v)
		}
	}
	for len(ids) > 1 && ids[0] == ids[len(ids)-1] {
		ids = ids[:len(ids)-1]
	}
	if exterior != shape.RingIsCCW(r) {
		slices.Reverse(ids)
	}
	return ids
}

// addConstraints adds the constraints' rings as fixed edges, each
// constraint inside on the left.
func (a *arrangement) addConstraints(cs []Constraint) {
	poll := parallel.NewPoll(a.ctx)
	for k, c := range cs {
		if poll.Stop() {
			return
		}
		on := []int32{int32(k) + 1}
		iso := a.iso != nil && a.iso[k]
		first := len(a.comm)
		if iso {
			a.isoVerts = append(a.isoVerts, [2]int32{int32(len(a.verts)), 0})
		}
		for _, poly := range c.Polygon {
			for j, r := range poly {
				ids := a.ringIDs(r, j == 0)
				for i := range ids {
					p, q := ids[i], ids[(i+1)%len(ids)]
					if p != q {
						a.comm = append(a.comm, aEdge{a: p, b: q, gl: unknownGroup, gr: unknownGroup, il: sideUnknown, ir: sideUnknown, on: on, iso: iso})
					}
				}
			}
		}
		if iso {
			a.isoVerts[len(a.isoVerts)-1][1] = int32(len(a.verts))
		}
		a.conEdges = append(a.conEdges, [2]int{first, len(a.comm)})
	}
}

// nodeFixed nodes the fixed edges (community and constraint outlines)
// among themselves, as node does the grid edges against them: every
// meeting point computed once, each undirected piece kept once with the
// labels of every edge it came from. The community's own edges meet only
// at shared vertices, so with no constraints nothing changes.
func (a *arrangement) nodeFixed() {
	if len(a.cons) == 0 {
		return
	}
	var ss splits
	// Constraint edges against the community's (few, in a squareIndex),
	// and against those of the constraints whose boxes meet (footprints
	// rarely do), edge by edge.
	nComm := a.conEdges[0][0]
	poll := parallel.NewPoll(a.ctx)
	edge := func(j int32) (orb.Point, orb.Point) { return a.verts[a.comm[j].a], a.verts[a.comm[j].b] }
	outline := newSegGrid(&a.s.sq[0], nComm, func(j int) (orb.Point, orb.Point) { return edge(int32(j)) }, a.snapTol)
	for i := nComm; i < len(a.comm); i++ {
		if poll.Stop() {
			return
		}
		if a.comm[i].iso {
			continue // nothing comes near
		}
		for _, j := range outline.meets(segBox(edge(int32(i)))) {
			a.meet(&a.comm[i], int32(i), &a.comm[j], j, &ss)
		}
	}
	// Constraint edges against those of later constraints, through a
	// squareIndex of all constraint edges: a large constraint (a kept grid's
	// polygon) holds many footprints, and pairing every edge of the one
	// with every edge of the other would be slow.
	owner := make([]int32, len(a.comm))
	var cons []int32 // the constraint edges that can meet others
	for k, r := range a.conEdges {
		for j := r[0]; j < r[1]; j++ {
			owner[j] = int32(k)
			if !a.comm[j].iso {
				cons = append(cons, int32(j))
			}
		}
	}
	// Widened by snapTol on the side of the indexed edges rather than the
	// one asking: the same pairs.
	et := newSegGrid(&a.s.sq[1], len(cons), func(k int) (orb.Point, orb.Point) { return edge(cons[k]) }, a.snapTol)
	var js []int32
	for k, r := range a.conEdges {
		for i := r[0]; i < r[1]; i++ {
			if poll.Stop() {
				return
			}
			if a.comm[i].iso {
				continue
			}
			js = js[:0]
			for _, c := range et.meets(segBox(edge(int32(i)))) {
				if j := cons[c]; owner[j] > int32(k) {
					js = append(js, j)
				}
			}
			slices.SortFunc(js, func(x, y int32) int {
				if owner[x] != owner[y] {
					return int(owner[x] - owner[y])
				}
				return int(x - y)
			})
			for _, j := range js {
				a.meet(&a.comm[j], int32(j), &a.comm[i], int32(i), &ss)
			}
		}
	}
	n := len(a.comm) + len(ss.sp)
	start, sp := ss.byEdge(len(a.comm))
	out := reuse.Grow(a.s.comm2, n)
	seen := a.s.seenMap()
	for i, e := range a.comm {
		if poll.Stop() {
			return
		}
		emitSplit(e, sp[start[i]:start[i+1]], func(e aEdge) { mergeEdge(&out, seen, e) })
	}
	a.s.comm2 = a.comm
	a.comm = out
}

// sideOf is sideIn for true, sideOut for false.
func sideOf(in bool) int8 {
	if in {
		return sideIn
	}
	return sideOut
}

// mergeEdge adds e to edges unless its undirected segment is there
// already, in which case it merges e's labels into that edge's.
func mergeEdge(edges *[]aEdge, seen map[uint64]int32, e aEdge) {
	key, fwd := edgeKey(e.a, e.b), true
	if e.a > e.b {
		key, fwd = edgeKey(e.b, e.a), false
	}
	if !fwd {
		on := e.on
		if len(on) > 0 {
			on = make([]int32, len(e.on))
			for i, k := range e.on {
				on[i] = -k
			}
		}
		e = aEdge{a: e.b, b: e.a, gl: e.gr, gr: e.gl, il: e.ir, ir: e.il, on: on, iso: e.iso}
	}
	k, ok := seen[key]
	if !ok {
		seen[key] = int32(len(*edges))
		*edges = append(*edges, e)
		return
	}
	m := &(*edges)[k]
	if m.gl == unknownGroup {
		m.gl, m.gr = e.gl, e.gr
	}
	switch {
	case m.il == sideUnknown:
		m.il, m.ir = e.il, e.ir
	case e.il != sideUnknown:
		// Two outline edges on one segment (rings touching along it):
		// the community is on each side where either has it.
		m.il, m.ir = max(m.il, e.il), max(m.ir, e.ir)
	}
	if len(e.on) > 0 {
		m.on = append(slices.Clip(m.on), e.on...) // a copy: m.on may be shared
	}
}

// edgeKey packs vertex ids a and b into one map key.
func edgeKey(a, b int32) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// emitSplit passes e's pieces between its split points to add, in order.
func emitSplit(e aEdge, sp []split, add func(aEdge)) {
	slices.SortFunc(sp, func(x, y split) int {
		if c := cmp.Compare(x.s, y.s); c != 0 {
			return c
		}
		return int(x.v - y.v)
	})
	prev := e.a
	for _, s := range sp {
		if s.v == prev || s.v == e.b {
			continue
		}
		p := e
		p.a, p.b = prev, s.v
		add(p)
		prev = s.v
	}
	if prev != e.b {
		p := e
		p.a = prev
		add(p)
	}
}

// snapGridVertices moves every grid vertex (ids below nGrid) within snapTol
// of an outline vertex onto the nearest such vertex: the two are one point
// up to the rounding of the circumcentre, and kept apart they would leave
// an edge shorter than any rounding error, on which no side test can be
// trusted. Of outline vertices equally near, the first in the order of
// the squares of side 2·snapTol they fall in (by x, then y) and then of
// their ids wins.
func (a *arrangement) snapGridVertices(nGrid int) {
	if a.snapTol == 0 || len(a.verts) == nGrid {
		return
	}
	cell := 2 * a.snapTol
	key := func(p orb.Point) [2]int64 {
		return [2]int64{int64(math.Floor(p[0] / cell)), int64(math.Floor(p[1] / cell))}
	}
	// The outline vertices by x, but those of isolated constraints,
	// which no grid edge comes near.
	iso := make([]bool, len(a.verts)-nGrid)
	for _, r := range a.isoVerts {
		for v := r[0]; v < r[1]; v++ {
			iso[int(v)-nGrid] = true
		}
	}
	var byX []int32
	for v := nGrid; v < len(a.verts); v++ {
		if !iso[v-nGrid] {
			byX = append(byX, int32(v))
		}
	}
	slices.SortFunc(byX, func(u, v int32) int {
		if c := cmp.Compare(a.verts[u][0], a.verts[v][0]); c != 0 {
			return c
		}
		return int(u - v)
	})
	remap := map[int32]int32{}
	poll := parallel.NewPoll(a.ctx)
	// Only the grid edges' vertices: those of direct edges are farther
	// from every fixed vertex (overlay).
	done := make([]bool, nGrid)
	tol2 := a.snapTol * a.snapTol
	for i := range 2 * len(a.grid) {
		if poll.Stop() {
			return
		}
		v := a.grid[i/2].a
		if i%2 == 1 {
			v = a.grid[i/2].b
		}
		if done[v] {
			continue
		}
		done[v] = true
		p := a.verts[v]
		// Every vertex within snapTol (the squared distance rounded) is
		// within 2·snapTol in x.
		j, _ := slices.BinarySearchFunc(byX, p[0]-cell, func(u int32, x float64) int { return cmp.Compare(a.verts[u][0], x) })
		best, bestD := int32(-1), 0.0
		var bestK [2]int64
		for ; j < len(byX) && a.verts[byX[j]][0] <= p[0]+cell; j++ {
			c := byX[j]
			q := a.verts[c]
			d := shape.SqDist(p[0], p[1], q[0], q[1])
			if d > tol2 {
				continue
			}
			k := key(q)
			if best < 0 || d < bestD || d == bestD && (k[0] < bestK[0] || k[0] == bestK[0] && (k[1] < bestK[1] || k[1] == bestK[1] && c < best)) {
				best, bestD, bestK = c, d, k
			}
		}
		if best >= 0 {
			remap[v] = best
		}
	}
	if len(remap) == 0 {
		return
	}
	kept := a.grid[:0]
	for _, e := range a.grid {
		if w, ok := remap[e.a]; ok {
			e.a = w
		}
		if w, ok := remap[e.b]; ok {
			e.b = w
		}
		if e.a != e.b {
			kept = append(kept, e)
		}
	}
	a.grid = kept
}

// node finds where grid edges and fixed edges meet and splits both
// there, each meeting point computed once; then it merges edges that
// coincide.
func (a *arrangement) node() {
	// Split points by edge: grid edge i is i, fixed edge j len(a.grid)+j.
	var ss splits
	nGrid := int32(len(a.grid))
	poll := parallel.NewPoll(a.ctx)
	// The fixed edges that can meet others (not those of isolated
	// constraints), indexed; each grid edge meets those near it in the
	// order of their index, so that the result does not depend on the
	// index.
	var fixed []int32
	for j, e := range a.comm {
		if !e.iso {
			fixed = append(fixed, int32(j))
		}
	}
	idx := newSegGrid(&a.s.sq[0], len(fixed), func(k int) (orb.Point, orb.Point) {
		e := a.comm[fixed[k]]
		return a.verts[e.a], a.verts[e.b]
	}, a.snapTol)
	for i, e := range a.grid {
		if poll.Stop() {
			return
		}
		for _, k := range idx.meets(segBox(a.verts[e.a], a.verts[e.b])) {
			j := fixed[k]
			a.meet(&a.grid[i], int32(i), &a.comm[j], nGrid+j, &ss)
		}
	}
	// At most one piece an edge and a split point.
	n := len(a.grid) + len(ss.sp)
	for _, e := range a.comm {
		if !e.iso {
			n++
		}
	}
	start, sp := ss.byEdge(len(a.grid) + len(a.comm))
	a.edges = reuse.Grow(a.s.edges, n)
	seen := a.s.seenMap()
	add := func(e aEdge) { mergeEdge(&a.edges, seen, e) }
	a.gEnd = reuse.Resize(a.s.gEnd, len(a.grid))
	for i, e := range a.grid {
		if poll.Stop() {
			return
		}
		emitSplit(e, sp[start[i]:start[i+1]], add)
		a.gEnd[i] = int32(len(a.edges))
	}
	for j, e := range a.comm {
		if poll.Stop() {
			return
		}
		if !e.iso {
			k := int(nGrid) + j
			emitSplit(e, sp[start[k]:start[k+1]], add)
		}
	}
}

func segBox(p, q orb.Point) ([2]float64, [2]float64) {
	return [2]float64{min(p[0], q[0]), min(p[1], q[1])}, [2]float64{max(p[0], q[0]), max(p[1], q[1])}
}

// meet records in ss, as split points of edges ei and fi, where edge e (a
// grid edge, or a fixed one) and fixed edge f meet: an endpoint of one on
// the other, or a proper crossing.
func (a *arrangement) meet(ep *aEdge, ei int32, fp *aEdge, fi int32, ss *splits) {
	e, f := *ep, *fp
	A, B, C, D := a.verts[e.a], a.verts[e.b], a.verts[f.a], a.verts[f.b]
	onE := func(v int32) bool { // vertex v of f lies on e
		if v != e.a && v != e.b && a.touches(a.verts[v], A, B) {
			ss.add(ei, split{shape.Param(A, B, a.verts[v]), v})
			return true
		}
		return false
	}
	onF := func(v int32) bool {
		if v != f.a && v != f.b && a.touches(a.verts[v], C, D) {
			ss.add(fi, split{shape.Param(C, D, a.verts[v]), v})
			return true
		}
		return false
	}
	// A vertex of one edge on the other, or within snapTol of it (a
	// circumcentre that is on the outline up to rounding): the edge is
	// split there, and the segments meet nowhere else that matters.
	if t1, t2, t3, t4 := onE(f.a), onE(f.b), onF(e.a), onF(e.b); t1 || t2 || t3 || t4 {
		return
	}
	o1 := robust.OrientXY(A[0], A[1], B[0], B[1], C[0], C[1])
	o2 := robust.OrientXY(A[0], A[1], B[0], B[1], D[0], D[1])
	o3 := robust.OrientXY(C[0], C[1], D[0], D[1], A[0], A[1])
	o4 := robust.OrientXY(C[0], C[1], D[0], D[1], B[0], B[1])
	if o1*o2 >= 0 || o3*o4 >= 0 {
		return // apart, or meeting only at a shared vertex
	}
	// Proper crossing, computed once for both edges.
	P := crossPoint(A, B, C, D)
	best, bestD := int32(-1), a.snapTol*a.snapTol
	for _, v := range [4]int32{f.a, f.b, e.a, e.b} { // outline vertices first
		q := a.verts[v]
		if d := shape.SqDist(P[0], P[1], q[0], q[1]); P == q || d < bestD || (best < 0 && d == bestD) {
			best, bestD = v, d
		}
	}
	if best >= 0 {
		onE(best)
		onF(best)
		return
	}
	v := a.vid(P)
	ss.add(ei, split{shape.Param(A, B, P), v})
	ss.add(fi, split{shape.Param(C, D, P), v})
}

// touches reports whether p lies on segment a–b, exactly or within snapTol,
// strictly between its ends.
func (a *arrangement) touches(p, s, t orb.Point) bool {
	if p == s || p == t {
		return false
	}
	if robust.OrientXY(s[0], s[1], t[0], t[1], p[0], p[1]) == 0 {
		return strictlyBetween(s, t, p)
	}
	if shape.PointSegmentDist(p, s, t) > a.snapTol {
		return false
	}
	u := shape.Param(s, t, p)
	return u > 0 && u < 1
}

// strictlyBetween reports whether p, collinear with a and b, lies strictly
// between them (compared on the longer axis, exactly).
func strictlyBetween(a, b, p orb.Point) bool {
	k := 0
	if math.Abs(b[1]-a[1]) > math.Abs(b[0]-a[0]) {
		k = 1
	}
	lo, hi := min(a[k], b[k]), max(a[k], b[k])
	return lo < p[k] && p[k] < hi
}

// crossPoint returns the crossing of segments a–b and c–d, which cross
// properly. It is computed relative to a (subtracting a local origin keeps
// the products small) and clamped to the segment, so it never leaves the
// bounding box of a–b.
func crossPoint(a, b, c, d orb.Point) orb.Point {
	ex, ey := b[0]-a[0], b[1]-a[1]
	fx, fy := d[0]-c[0], d[1]-c[1]
	den := float64(ex*fy) - float64(ey*fx)
	s := (float64((c[0]-a[0])*fy) - float64((c[1]-a[1])*fx)) / den
	s = max(0, min(1, s))
	if !robust.IsFinite(s) {
		s = 0.5
	}
	return orb.Point{a[0] + s*ex, a[1] + s*ey}
}
