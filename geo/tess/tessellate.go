package tess

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/reuse"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// Errors of [Tessellate].
var (
	ErrNoSites          = errors.New("no tessellation sites")
	ErrUnitRange        = errors.New("site unit out of range")
	ErrBoundNotConvex   = errors.New("tessellation bound is not a counter-clockwise convex polygon")
	ErrSiteOutsideBound = errors.New("site outside the tessellation bound")
)

// HullMarginM is the margin, in metres, by which [Tessellate] buffers the
// convex hull of the sites when no bound is given: wide enough that the
// outermost buildings get a cell around them, as a street half-width would.
const HullMarginM = 20

// A Tessellation is the Voronoi diagram of a set of labelled sites, clipped
// to a convex bound, with every cell a ring of indices into one shared vertex
// table: neighbouring cells use the very same vertices along their common
// edge, so grid outlines traced from them tile the bound without gaps or
// slivers.
//
// Sites closer than the near-duplicate tolerance of [Delaunay] share one
// generator and one cell; the generator takes the lowest unit among its sites.
// Vertices are circumcentres of Delaunay triangles (index = triangle), then the
// bound's corners, then the points where Voronoi edges cross the bound.
type Tessellation struct {
	Sites  []orb.Point // input sites, metres
	Unit   []int       // unit of each site
	NUnits int
	Bound  orb.Ring // the convex bound, counter-clockwise, closed

	// Gen maps each site to its generator: a distinct point of Del.
	Gen []int
	// GenUnit is the unit of each generator (-1 for the frame points that
	// [Tessellate] adds far outside the bound so that every cell is finite).
	GenUnit []int
	// Del is the Delaunay triangulation of the sites and the frame points.
	Del *Triangulation
	// Verts are the cell vertices, metres.
	Verts []orb.Point

	cellStart []int32 // cell of generator g: cellVert[cellStart[g]:cellStart[g+1]]
	cellVert  []int32
	cellNbr   []int32 // generator across the edge cellVert[k] → next, or -1 on the bound
}

// Cell returns the cell of generator g as a counter-clockwise ring of indices
// into Verts (not closed) and, for each edge from ring[k] to ring[k+1], the
// generator on the other side, or -1 where the edge lies on the bound.
func (t *Tessellation) Cell(g int) (ring, nbr []int32) {
	a, b := t.cellStart[g], t.cellStart[g+1]
	return t.cellVert[a:b], t.cellNbr[a:b]
}

// Cells returns the part of t that drawing reads ([GridPolygons],
// [Tessellation.Regions], [Tessellation.Cell], the adjacency and area
// methods): the bound, the cells, their vertices and the unit of each
// generator. It shares t's storage; its Sites, Unit, Gen and Del are nil,
// so a caller that keeps only the result lets the triangulation and the
// per-site slices, most of a tessellation's memory, be freed.
func (t *Tessellation) Cells() *Tessellation {
	return &Tessellation{NUnits: t.NUnits, Bound: t.Bound, GenUnit: t.GenUnit, Verts: t.Verts,
		cellStart: t.cellStart, cellVert: t.cellVert, cellNbr: t.cellNbr}
}

// Release hands t's storage (vertices, cells, triangulation) on to a later
// [Tessellate], which then allocates little of its own: a planner that
// tessellates community after community releases each once drawn. Neither
// t, nor its [Tessellation.Cells] view or triangulation, nor any slice read
// from them may be used afterwards; what was traced or copied from them
// stays valid. Sites and Unit are the caller's and are not kept.
func (t *Tessellation) Release() {
	t.ReleaseTriangulation()
	cellPool.Put(&results{verts: t.Verts, genUnit: t.GenUnit, cellStart: t.cellStart, cellVert: t.cellVert, cellNbr: t.cellNbr})
	*t = Tessellation{}
}

// ReleaseTriangulation hands the storage of t's triangulation on to a
// later [Tessellate], as [Tessellation.Release] does the rest, and leaves
// t without it (Del and Gen nil): what [Tessellation.Cells] keeps.
func (t *Tessellation) ReleaseTriangulation() {
	if d := t.Del; d != nil {
		triPool.Put(&results{vertex: d.Vertex, points: d.Points, triangles: d.Triangles, halfedges: d.Halfedges})
		*d = Triangulation{}
	}
	t.Del, t.Gen = nil, nil
}

// NumGens returns the number of generators (cells), frame points included.
func (t *Tessellation) NumGens() int { return len(t.cellStart) - 1 }

// UnitEdge is a pair of units whose cells share a boundary of LengthM metres.
type UnitEdge struct {
	A, B    int
	LengthM float64
}

// Tessellate builds the Voronoi tessellation of sites (metres) labelled by
// unit[i] (0 <= unit < nUnits), clipped to the convex polygon bound
// (counter-clockwise; closed or not). If bound is nil, the convex hull of the
// sites buffered by [HullMarginM] is used. Every site must lie in the bound.
//
// Robustness: the triangulation is exact ([Delaunay]); circumcentres with
// equal coordinates are merged into one vertex, so cocircular sites (lattices)
// give no zero-length edges; the whole diagram is bounded by four frame points
// far outside the bound, so every cell is a finite polygon, and cells are
// clipped to the bound edge by edge, each Voronoi edge once, with its crossing
// points computed from the two sites' bisector (well conditioned even when a
// circumcentre is far away). Whether a vertex is inside the bound is decided
// once per vertex, so the cells on both sides of an edge agree. No NaN or
// infinity is ever produced.
//
// A million sites take seconds: once ctx is done Tessellate returns
// ctx.Err() within milliseconds. It only reads ctx, so the result does not
// depend on it.
func Tessellate(ctx context.Context, sites []orb.Point, unit []int, nUnits int, bound orb.Ring) (*Tessellation, error) {
	return tessellate(ctx, sites, unit, nUnits, bound, false)
}

// tessellate is Tessellate; serial keeps all its work on the calling
// goroutine (the result is the same, which the tests check). Planning one
// community per CPU measured the same either way, so Tessellate splits.
func tessellate(ctx context.Context, sites []orb.Point, unit []int, nUnits int, bound orb.Ring, serial bool) (*Tessellation, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := len(sites)
	if n == 0 {
		return nil, ErrNoSites
	}
	if len(unit) != n {
		panic("geo: Tessellate: len(unit) != len(sites)") // programmer error
	}
	mag := 0.0
	for i, p := range sites {
		if !robust.IsFinite(p[0]) || !robust.IsFinite(p[1]) {
			return nil, fmt.Errorf("site %d: %w", i, ErrNonFinite)
		}
		if unit[i] < 0 || unit[i] >= nUnits {
			return nil, fmt.Errorf("site %d: unit %d of %d: %w", i, unit[i], nUnits, ErrUnitRange)
		}
		mag = max(mag, math.Abs(p[0]), math.Abs(p[1]))
	}
	for i, p := range bound {
		if !robust.IsFinite(p[0]) || !robust.IsFinite(p[1]) {
			return nil, fmt.Errorf("bound vertex %d: %w", i, ErrNonFinite)
		}
	}

	// Local frame: an origin whose subtraction is exact (see exactOrigin).
	minX, minY, maxX, maxY := sites[0][0], sites[0][1], sites[0][0], sites[0][1]
	for _, p := range sites {
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	for _, p := range bound {
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	o := orb.Point{robust.ExactOrigin(minX, maxX), robust.ExactOrigin(minY, maxY)}
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	s.take()
	defer func() { s.res = results{} }()
	local := reuse.Resize(s.local, n+4)[:n]
	for i, p := range sites {
		local[i] = orb.Point{p[0] - o[0], p[1] - o[1]}
	}

	var B []orb.Point // bound, local, counter-clockwise, open, strictly convex
	if bound == nil {
		B = shape.BufferedHull(local, HullMarginM)
	} else {
		var err error
		if B, err = convexBound(bound, o); err != nil {
			return nil, err
		}
	}
	m := len(B)
	convex := shape.NewConvex(B)
	poll := parallel.NewPoll(ctx)
	for i, p := range local {
		if poll.Stop() {
			return nil, ctx.Err()
		}
		// B is strictly convex: a wedge search decides in O(log m) what
		// testing every edge would.
		if !convex.Inside(p) {
			return nil, fmt.Errorf("site %d %v: %w", i, sites[i], ErrSiteOutsideBound)
		}
	}

	// Frame points: every bound point is within diam of a site and at least
	// 3·diam from each frame point, so frame cells never reach the bound.
	bx0, by0, bx1, by1 := B[0][0], B[0][1], B[0][0], B[0][1]
	for _, p := range B {
		bx0, bx1 = min(bx0, p[0]), max(bx1, p[0])
		by0, by1 = min(by0, p[1]), max(by1, p[1])
	}
	diam := math.Hypot(bx1-bx0, by1-by0)
	cx, cy, R := (bx0+bx1)/2, (by0+by1)/2, 4*diam+1
	local = append(local,
		orb.Point{cx - R, cy - R}, orb.Point{cx + R, cy - R},
		orb.Point{cx + R, cy + R}, orb.Point{cx - R, cy + R})

	s.local = local
	tr, err := triangulate(ctx, local, mag*nearDupRel, s)
	if err != nil {
		return nil, err
	}
	t := &Tessellation{Sites: sites, Unit: unit, NUnits: nUnits, Del: tr, Gen: tr.Vertex[:n:n]}
	t.Bound = make(orb.Ring, m+1)
	for k, p := range B {
		t.Bound[k] = orb.Point{p[0] + o[0], p[1] + o[1]}
	}
	t.Bound[m] = t.Bound[0]
	ng := len(tr.Points)
	t.GenUnit = reuse.Resize(s.res.genUnit, ng)
	for g := range t.GenUnit {
		t.GenUnit[g] = -1
	}
	for i, g := range t.Gen {
		if u := t.GenUnit[g]; u < 0 || unit[i] < u {
			t.GenUnit[g] = unit[i]
		}
	}
	for _, p := range bound {
		mag = max(mag, math.Abs(p[0]), math.Abs(p[1]))
	}
	b := builder{t: t, B: B, convex: convex, o: o, pts: tr.Points, snapTol: mag * robust.VertexSnapRel, s: s, serial: serial}
	if err := b.build(ctx); err != nil {
		return nil, err
	}
	// Del.Points are in local coordinates while building; publish metres
	// (exact: the origin's subtraction was exact).
	for g, p := range tr.Points {
		tr.Points[g] = orb.Point{p[0] + o[0], p[1] + o[1]}
	}
	return t, nil
}

// convexBound validates a user bound and returns it in local coordinates,
// open and without collinear vertices.
func convexBound(bound orb.Ring, o orb.Point) ([]orb.Point, error) {
	r := []orb.Point(bound)
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	var B []orb.Point
	for _, p := range r {
		q := orb.Point{p[0] - o[0], p[1] - o[1]}
		if len(B) > 0 && B[len(B)-1] == q {
			continue
		}
		B = append(B, q)
	}
	for len(B) > 1 && B[0] == B[len(B)-1] {
		B = B[:len(B)-1]
	}
	// Drop collinear vertices, then require strict left turns.
	for changed := true; changed && len(B) >= 3; {
		changed = false
		for k := 0; k < len(B) && len(B) >= 3; k++ {
			p, q, s := B[(k+len(B)-1)%len(B)], B[k], B[(k+1)%len(B)]
			if robust.OrientXY(p[0], p[1], q[0], q[1], s[0], s[1]) == 0 {
				B = slices.Delete(B, k, k+1)
				changed = true
				k--
			}
		}
	}
	if len(B) < 3 {
		return nil, fmt.Errorf("%w: fewer than 3 corners", ErrBoundNotConvex)
	}
	for k := range B {
		p, q, s := B[(k+len(B)-1)%len(B)], B[k], B[(k+1)%len(B)]
		if robust.OrientXY(p[0], p[1], q[0], q[1], s[0], s[1]) < 0 {
			return nil, fmt.Errorf("%w: turns right at vertex %d", ErrBoundNotConvex, k)
		}
	}
	// A star-shaped spiral turns left everywhere but winds twice.
	turn := 0.0
	for k := range B {
		p, q, s := B[(k+len(B)-1)%len(B)], B[k], B[(k+1)%len(B)]
		turn += math.Atan2(float64((q[0]-p[0])*(s[1]-q[1]))-float64((q[1]-p[1])*(s[0]-q[0])),
			float64((q[0]-p[0])*(s[0]-q[0]))+float64((q[1]-p[1])*(s[1]-q[1])))
	}
	if turn > 3*math.Pi {
		return nil, fmt.Errorf("%w: winds more than once", ErrBoundNotConvex)
	}
	return B, nil
}
