package tess

import (
	"context"
	"math"
	"math/big"
	"slices"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/reuse"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// builder holds the state of one Tessellate call.
type builder struct {
	t      *Tessellation
	B      []orb.Point   // bound, local
	convex *shape.Convex // B, for Inside
	o      orb.Point
	pts    []orb.Point // generators, local

	snapTol float64
	nTri    int
	cc      []orb.Point // circumcentres, local (of the canonical triangle)
	canon   []int32     // triangle → triangle whose circumcentre is used
	inside  []bool      // per triangle: canonical circumcentre inside the bound
	clipKey []int32     // half-edges whose Voronoi edge is clipped, increasing
	clips   []clip      // their clipped edges
	xs      []orb.Point // crossing vertices, local
	su, sv  []float64   // clipEdge's sides of u and v
	s       *scratch    // working memory of the cc … sv slices
	serial  bool        // work on the calling goroutine only
}

// workers is the number of goroutines for n indices, at least perWorker
// each (1 if b is serial).
func (b *builder) workers(n, perWorker int) int {
	if b.serial {
		return 1
	}
	return parallel.Workers(n, perWorker)
}

// ranges runs f over [0, n) split into contiguous ranges of at least 4096
// indices, one per worker, as parallel.RangesContext.
func (b *builder) ranges(ctx context.Context, n int, f func(lo, hi int, p *parallel.Poll)) error {
	parallel.Split(b.workers(n, 4096), n, func(_, lo, hi int) {
		p := parallel.NewPoll(ctx)
		f(lo, hi, &p)
	})
	return ctx.Err()
}

// clip is a Voronoi edge clipped to the bound, in the direction from the
// circumcentre of the triangle of its smaller half-edge to the other one.
type clip struct {
	ok        bool
	from, to  int32   // vertex ids
	inK, outK int32   // bound edge of entry / exit, or -1 at a circumcentre
	inS, outS float64 // position along that bound edge, 0..1
}

// build computes the vertices and cells of b.t; a done ctx stops it with
// ctx.Err().
func (b *builder) build(ctx context.Context) error {
	t, tr := b.t, b.t.Del
	nt := len(tr.Triangles) / 3
	b.nTri = nt
	m := len(b.B)

	// Circumcentres, in parallel.
	s := b.s
	s.cc = reuse.Resize(s.cc, nt)
	b.cc = s.cc
	if err := b.ranges(ctx, nt, func(lo, hi int, p *parallel.Poll) {
		for k := lo; k < hi && !p.Stop(); k++ {
			a, c, d := b.pts[tr.Triangles[3*k]], b.pts[tr.Triangles[3*k+1]], b.pts[tr.Triangles[3*k+2]]
			b.cc[k] = circumcenter(a, c, d)
		}
	}); err != nil {
		return err
	}
	// Merge circumcentres that coincide, to within vertexSnapRel of the
	// coordinate magnitude, across an edge (four or more cocircular sites):
	// no cell then has a zero-length edge, or a tiny one whose direction is
	// rounding noise.
	snap2 := b.snapTol * b.snapTol
	s.canon = reuse.Resize(s.canon, nt)
	b.canon = s.canon
	for k := range b.canon {
		b.canon[k] = int32(k)
	}
	find := func(x int32) int32 {
		for b.canon[x] != x {
			b.canon[x] = b.canon[b.canon[x]]
			x = b.canon[x]
		}
		return x
	}
	global := func(p orb.Point) orb.Point { return orb.Point{p[0] + b.o[0], p[1] + b.o[1]} }
	poll := parallel.NewPoll(ctx)
	for e, o := range tr.Halfedges {
		if poll.Stop() {
			return ctx.Err()
		}
		if int32(e) < o {
			t1, t2 := int32(e/3), o/3
			p, q := b.cc[t1], b.cc[t2]
			if shape.SqDist(p[0], p[1], q[0], q[1]) <= snap2 || global(p) == global(q) {
				r1, r2 := find(t1), find(t2)
				if r1 != r2 {
					b.canon[max(r1, r2)] = min(r1, r2)
				}
			}
		}
	}
	for k := range b.canon {
		b.canon[k] = find(int32(k))
	}
	s.inside = reuse.Resize(s.inside, nt)
	b.inside = s.inside
	if err := b.ranges(ctx, nt, func(lo, hi int, p *parallel.Poll) {
		for k := lo; k < hi && !p.Stop(); k++ {
			if c := b.canon[k]; c == int32(k) {
				b.inside[k] = b.convex.Inside(b.cc[k])
			}
		}
	}); err != nil {
		return err
	}
	for k := range b.inside {
		b.inside[k] = b.inside[b.canon[k]]
	}

	// Clip the Voronoi edges that leave the bound, each once.
	b.clipKey, b.clips, b.xs = s.clipKey[:0], s.clips[:0], s.xs[:0]
	s.su, s.sv = reuse.Resize(s.su, m), reuse.Resize(s.sv, m)
	b.su, b.sv = s.su, s.sv
	for e, o := range tr.Halfedges {
		if poll.Stop() {
			return ctx.Err()
		}
		if int32(e) > o || o < 0 {
			continue
		}
		u, v := b.canon[e/3], b.canon[o/3]
		if u == v || (b.inside[u] && b.inside[v]) {
			continue
		}
		g1, g2 := tr.Triangles[e], tr.Triangles[nextHalfedge(int32(e))]
		if t.GenUnit[g1] < 0 && t.GenUnit[g2] < 0 {
			continue
		}
		b.clipKey = append(b.clipKey, int32(e))
		b.clips = append(b.clips, b.clipEdge(u, v, g1, g2))
	}
	s.clipKey, s.clips, s.xs = b.clipKey, b.clips, b.xs

	// Vertices in metres.
	t.Verts = reuse.Resize(s.res.verts, nt+m+len(b.xs))
	b.ranges(ctx, nt, func(lo, hi int, _ *parallel.Poll) {
		for k := lo; k < hi; k++ {
			t.Verts[k] = global(b.cc[b.canon[k]])
		}
	})
	for k, p := range b.B {
		t.Verts[nt+k] = global(p)
	}
	for k, p := range b.xs {
		t.Verts[nt+m+k] = global(p)
	}

	// Cells, in parallel chunks assembled in order.
	ng := len(tr.Points)
	s.out = reuse.Resize(s.out, ng)
	out := s.out // an outgoing half-edge of each generator
	clear(out)
	for e, g := range tr.Triangles {
		out[g] = int32(e)
	}
	nw := b.workers(ng, 1)
	if len(s.chunks) < nw {
		s.chunks = append(s.chunks, make([]chunk, nw-len(s.chunks))...)
	}
	chunks := s.chunks[:nw]
	parallel.Split(nw, ng, func(w, lo, hi int) {
		c := &chunks[w]
		c.start, c.vert, c.nbr = c.start[:0], c.vert[:0], c.nbr[:0]
		p := parallel.NewPoll(ctx)
		for g := lo; g < hi; g++ {
			if p.Stop() {
				return
			}
			c.start = append(c.start, int32(len(c.vert)))
			if t.GenUnit[g] < 0 {
				continue
			}
			c.pieces = b.cellPieces(int32(g), out[g], c.pieces[:0])
			c.vert, c.nbr = b.assemble(c.pieces, c.vert, c.nbr)
		}
	})
	if err := ctx.Err(); err != nil {
		return err // the chunks are incomplete
	}
	nv := 0
	for _, c := range chunks {
		nv += len(c.vert)
	}
	t.cellStart = reuse.Grow(s.res.cellStart, ng+1)
	t.cellVert = reuse.Grow(s.res.cellVert, nv)
	t.cellNbr = reuse.Grow(s.res.cellNbr, nv)
	for _, c := range chunks {
		base := int32(len(t.cellVert))
		for _, s := range c.start {
			t.cellStart = append(t.cellStart, base+s)
		}
		t.cellVert = append(t.cellVert, c.vert...)
		t.cellNbr = append(t.cellNbr, c.nbr...)
	}
	t.cellStart = append(t.cellStart, int32(len(t.cellVert)))
	return nil
}

// piece is the part of one Voronoi edge of a cell inside the bound.
type piece struct {
	from, to  int32
	inK, outK int32 // bound edge at from / to, or -1
	inS, outS float64
	nbr       int32
}

// cellPieces lists, counter-clockwise, the clipped Voronoi edges of
// generator g, whose outgoing half-edge e0 starts the walk.
func (b *builder) cellPieces(g, e0 int32, dst []piece) []piece {
	tr := b.t.Del
	e := e0
	for {
		h := prevHalfedge(e) // edge c→g; the Voronoi edge crosses it
		o := tr.Halfedges[h]
		if o < 0 {
			panic("geo: tessellation site on the hull of the framed triangulation") // frame points enclose every site
		}
		c := tr.Triangles[h]
		nbr := c
		if b.t.GenUnit[c] < 0 {
			nbr = -1 // a frame cell (never within the bound, but be safe)
		}
		u, v := b.canon[h/3], b.canon[o/3]
		switch {
		case u == v:
		case b.inside[u] && b.inside[v]:
			dst = append(dst, piece{from: u, to: v, inK: -1, outK: -1, nbr: nbr})
		default:
			key, fwd := h, true
			if o < h {
				key, fwd = o, false
			}
			var cl clip
			if j, ok := slices.BinarySearch(b.clipKey, key); ok {
				cl = b.clips[j]
			}
			if cl.ok {
				p := piece{from: cl.from, to: cl.to, inK: cl.inK, outK: cl.outK, inS: cl.inS, outS: cl.outS, nbr: nbr}
				if !fwd {
					p = piece{from: cl.to, to: cl.from, inK: cl.outK, outK: cl.inK, inS: cl.outS, outS: cl.inS, nbr: nbr}
				}
				if p.from != p.to {
					dst = append(dst, p)
				}
			}
		}
		e = o
		if e == e0 {
			break
		}
	}
	return dst
}

// assemble joins the pieces of a cell, with the bound between an exit and
// the next entry, into a ring appended to vert and nbr.
func (b *builder) assemble(pieces []piece, vert, nbr []int32) ([]int32, []int32) {
	if closedRing(pieces) {
		// Each piece ends where the next begins: no arc along the bound
		// between them, the ring is the pieces (most cells).
		for _, p := range pieces {
			if p.from != p.to && (p.nbr >= 0 || b.t.Verts[p.from] != b.t.Verts[p.to]) {
				vert = append(vert, p.from)
				nbr = append(nbr, p.nbr)
			}
		}
		return vert, nbr
	}
	m := int32(len(b.B))
	corner := func(k int32) int32 { return int32(b.nTri) + k%m }
	type edge struct{ from, to, nbr int32 }
	var buf [64]edge
	edges := buf[:0]
	if len(pieces) == 0 {
		// The cell contains the whole bound (a single generator).
		for k := range m {
			edges = append(edges, edge{corner(k), corner(k + 1), -1})
		}
	}
	arc := func(a, c piece) {
		// Along the bound from a.to (exit on a.outK) to c.from (entry). A
		// circumcentre on the bound itself is located on it.
		x := a.to
		if a.to == c.from {
			return // only a lone cell goes all the way round, and it has no pieces
		}
		k, sOut := a.outK, a.outS
		if k < 0 {
			k, sOut = b.boundPos(a.to)
		}
		kIn, sIn := c.inK, c.inS
		if kIn < 0 {
			kIn, sIn = b.boundPos(c.from)
		}
		var nc int32
		switch {
		case k != kIn:
			nc = (kIn - k + m) % m
		case sIn < sOut:
			nc = m
		}
		for j := int32(1); j <= nc; j++ {
			edges = append(edges, edge{x, corner(k + j), -1})
			x = corner(k + j)
		}
		edges = append(edges, edge{x, c.from, -1})
	}
	for i, p := range pieces {
		if i > 0 {
			arc(pieces[i-1], p)
		}
		edges = append(edges, edge{p.from, p.to, p.nbr})
	}
	if len(pieces) > 0 {
		arc(pieces[len(pieces)-1], pieces[0])
	}
	for _, e := range edges {
		if e.from != e.to && (e.nbr >= 0 || b.t.Verts[e.from] != b.t.Verts[e.to]) {
			vert = append(vert, e.from)
			nbr = append(nbr, e.nbr)
		}
	}
	return vert, nbr
}

// closedRing reports whether pieces (at least one) join end to start all
// round: assemble then adds no arc along the bound.
func closedRing(pieces []piece) bool {
	if len(pieces) == 0 {
		return false
	}
	prev := pieces[len(pieces)-1].to
	for i := range pieces {
		if pieces[i].from != prev {
			return false
		}
		prev = pieces[i].to
	}
	return true
}

// boundPos locates vertex v (a circumcentre on the bound, or a corner) on
// the bound: the nearest bound edge and the position along it.
func (b *builder) boundPos(v int32) (int32, float64) {
	B := b.B
	m := len(B)
	if v >= int32(b.nTri) {
		return (v - int32(b.nTri)) % int32(m), 0
	}
	p := b.cc[v]
	best, bk, bs := math.Inf(1), 0, 0.0
	for k := range m {
		q, r := B[k], B[(k+1)%m]
		ex, ey := r[0]-q[0], r[1]-q[1]
		l2 := float64(ex*ex) + float64(ey*ey)
		s := (float64((p[0]-q[0])*ex) + float64((p[1]-q[1])*ey)) / l2
		s = max(0, min(1, s))
		if d := shape.SqDist(p[0], p[1], q[0]+s*ex, q[1]+s*ey); d < best {
			best, bk, bs = d, k, s
		}
	}
	if bs == 1 {
		return int32((bk + 1) % m), 0
	}
	return int32(bk), bs
}

// clipEdge clips the Voronoi edge from circumcentre u to v (dual of the
// Delaunay edge g1–g2) to the bound (Cyrus–Beck). The sides of u and v are
// forced to agree with their inside flags, which are decided once per vertex.
func (b *builder) clipEdge(u, v, g1, g2 int32) clip {
	B := b.B
	m := len(B)
	pu, pv := b.cc[u], b.cc[v]
	side := func(k int, p orb.Point) float64 {
		q, r := B[k], B[(k+1)%m]
		return float64((r[0]-q[0])*(p[1]-q[1])) - float64((r[1]-q[1])*(p[0]-q[0]))
	}
	su, sv := b.su, b.sv
	for k := range m {
		su[k], sv[k] = side(k, pu), side(k, pv)
	}
	force := func(s []float64, in bool) {
		if in {
			for k := range s {
				s[k] = max(s[k], 0)
			}
			return
		}
		kMin := 0
		for k := range s {
			if s[k] < s[kMin] {
				kMin = k
			}
		}
		if s[kMin] >= 0 {
			s[kMin] = -math.SmallestNonzeroFloat64
		}
	}
	force(su, b.inside[u])
	force(sv, b.inside[v])
	tIn, tOut := 0.0, 1.0
	kIn, kOut := -1, -1
	for k := range m {
		a, c := su[k], sv[k]
		switch {
		case a < 0 && c < 0:
			return clip{}
		case a >= 0 && c >= 0:
			continue
		}
		tt := a / (a - c)
		if a < 0 {
			if kIn < 0 || tt > tIn {
				tIn, kIn = tt, k
			}
		} else if kOut < 0 || tt < tOut {
			tOut, kOut = tt, k
		}
	}
	if kIn >= 0 && kOut >= 0 && tIn >= tOut {
		return clip{}
	}
	cl := clip{ok: true, from: u, to: v, inK: -1, outK: -1}
	if kIn >= 0 {
		cl.from, cl.inK, cl.inS = b.crossing(kIn, g1, g2, u, v)
	}
	if kOut >= 0 {
		cl.to, cl.outK, cl.outS = b.crossing(kOut, g1, g2, u, v)
	}
	if cl.from == cl.to {
		return clip{}
	}
	return cl
}

// crossing returns the vertex where the bisector of generators g1, g2 meets
// the bound near edge k, the edge it is on and its position along it. The
// point is computed from the sites, not from the (possibly far)
// circumcentres. Where edge k is tiny and rounding chose it over a
// neighbour, the bisector meets its line outside the edge: the search then
// moves to the neighbouring edge in that direction. The point is snapped to
// a corner or to u or v when it falls on one in metres.
func (b *builder) crossing(k int, g1, g2, u, v int32) (int32, int32, float64) {
	B := b.B
	m := len(B)
	p1, p2 := b.pts[g1], b.pts[g2]
	dx, dy := p2[0]-p1[0], p2[1]-p1[1]
	mx, my := p1[0]+dx/2, p1[1]+dy/2
	param := func(k int) float64 {
		q, r := B[k], B[(k+1)%m]
		ex, ey := r[0]-q[0], r[1]-q[1]
		den := float64(ex*dx) + float64(ey*dy)
		if den == 0 {
			return 0.5
		}
		return (float64((mx-q[0])*dx) + float64((my-q[1])*dy)) / den
	}
	s := param(k)
	dir := 0
	for range m {
		step := 0
		switch {
		case s < 0:
			step = -1
		case s > 1:
			step = 1
		}
		if step == 0 || step == -dir {
			break
		}
		dir = step
		k2 := (k + step + m) % m
		s2 := param(k2)
		if step < 0 && s2 < 1 || step > 0 && s2 > 0 {
			k, s = k2, s2
			continue
		}
		// The crossing is at the corner between the two edges.
		if step > 0 {
			s = 1
		} else {
			s = 0
		}
		break
	}
	if !(s > 0) { // also NaN
		s = 0
	}
	s = min(s, 1)
	q, r := B[k], B[(k+1)%m]
	nt := int32(b.nTri)
	if s == 0 {
		return nt + int32(k), int32(k), 0
	}
	if s == 1 {
		return nt + int32((k+1)%m), int32((k + 1) % m), 0
	}
	p := orb.Point{q[0] + s*(r[0]-q[0]), q[1] + s*(r[1]-q[1])}
	g := func(p orb.Point) orb.Point { return orb.Point{p[0] + b.o[0], p[1] + b.o[1]} }
	near := func(a orb.Point) bool {
		return g(p) == g(a) || shape.SqDist(p[0], p[1], a[0], a[1]) <= b.snapTol*b.snapTol
	}
	switch {
	case near(q):
		return nt + int32(k), int32(k), 0
	case near(r):
		return nt + int32((k+1)%m), int32((k + 1) % m), 0
	case near(b.cc[u]):
		return u, int32(k), s
	case near(b.cc[v]):
		return v, int32(k), s
	}
	b.xs = append(b.xs, p)
	return nt + int32(m) + int32(len(b.xs)-1), int32(k), s
}

// circumcenter returns the circumcentre of the counter-clockwise triangle
// a, b, c. When the float determinant underflows it is recomputed with
// math/big; the triangle is never degenerate (exact orientation).
func circumcenter(a, b, c orb.Point) orb.Point {
	x, y := circumcenterLocal(a[0], a[1], b[0], b[1], c[0], c[1])
	if robust.IsFinite(x) && robust.IsFinite(y) {
		return orb.Point{x, y}
	}
	const prec = 256
	f := func(v float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(v) }
	sub := func(p, q float64) *big.Float { return new(big.Float).SetPrec(prec).Sub(f(p), f(q)) }
	mul := func(p, q *big.Float) *big.Float { return new(big.Float).SetPrec(prec).Mul(p, q) }
	dx, dy := sub(b[0], a[0]), sub(b[1], a[1])
	ex, ey := sub(c[0], a[0]), sub(c[1], a[1])
	bl := new(big.Float).Add(mul(dx, dx), mul(dy, dy))
	cl := new(big.Float).Add(mul(ex, ex), mul(ey, ey))
	det := new(big.Float).Sub(mul(dx, ey), mul(dy, ex))
	det.Mul(det, f(2))
	if det.Sign() == 0 {
		return orb.Point{(a[0] + b[0] + c[0]) / 3, (a[1] + b[1] + c[1]) / 3} // unreachable for a triangle
	}
	nx := new(big.Float).Sub(mul(ey, bl), mul(dy, cl))
	ny := new(big.Float).Sub(mul(dx, cl), mul(ex, bl))
	fx, _ := nx.Quo(nx, det).Float64()
	fy, _ := ny.Quo(ny, det).Float64()
	// Clamp to a finite value: such a vertex is far outside the bound.
	lim := math.MaxFloat64 / 4
	return orb.Point{a[0] + math.Max(-lim, math.Min(lim, fx)), a[1] + math.Max(-lim, math.Min(lim, fy))}
}
