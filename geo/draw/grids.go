package draw

import (
	"context"
	"errors"
	"math"
	"slices"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/reuse"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
)

// ErrCommunityOutsideBound is reported by [GridPolygons] when the community
// is not inside the tessellation's bound: the cells would not cover it.
var ErrCommunityOutsideBound = errors.New("community extends beyond the tessellation bound")

// CommunityMarginM is the margin, in metres, by which [CommunityBound]
// buffers the convex hull of a community and its sites. Any positive margin
// keeps the community's outline off the bound (no outline edge then runs
// along a bound edge); the cells beyond the outline are clipped away, so a
// wider one gains nothing.
const CommunityMarginM = 1

// CommunityBound returns a convex bound for [Tessellate] that holds the
// community polygon and every site (a site may lie outside the community: a
// building drawn across its outline): the convex hull of both buffered by
// [CommunityMarginM], counter-clockwise and closed. With no community and no
// sites it returns nil.
func CommunityBound(community orb.MultiPolygon, sites []orb.Point) orb.Ring {
	n := len(sites)
	for _, p := range community {
		if len(p) > 0 {
			n += len(p[0])
		}
	}
	pts := make([]orb.Point, 0, n) // a copy, moved to the local origin in place
	for _, p := range community {
		if len(p) > 0 {
			pts = append(pts, p[0]...)
		}
	}
	pts = append(pts, sites...)
	if len(pts) == 0 {
		return nil
	}
	minX, minY, maxX, maxY := pts[0][0], pts[0][1], pts[0][0], pts[0][1]
	for _, p := range pts {
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	o := orb.Point{robust.ExactOrigin(minX, maxX), robust.ExactOrigin(minY, maxY)}
	local := pts
	for i, p := range pts {
		local[i] = orb.Point{p[0] - o[0], p[1] - o[1]}
	}
	B := shape.BufferedHull(local, CommunityMarginM)
	for i, p := range B {
		B[i] = orb.Point{p[0] + o[0], p[1] + o[1]}
	}
	// Adding the origin back rounds; the hull of the rounded points is
	// strictly convex again (exact orientation), as Tessellate requires.
	B = shape.ConvexHull(B)
	r := make(orb.Ring, len(B)+1)
	copy(r, B)
	r[len(B)] = B[0]
	return r
}

// A Constraint is a polygon of fixed grid for [GridPolygons]: its inside
// belongs to grid Group whatever the cells there say, and its outline is a
// grid boundary where the grids on either side differ. A building's
// footprint is one (so no neighbour's cell clips it), a compound polygon
// another (so the compound's wall is its grid's boundary). Polygon is in the
// tessellation's metres and valid; parts outside the community are cut
// away. A Group outside [0, nGroups) leaves the constraint out.
type Constraint struct {
	Polygon orb.MultiPolygon
	Group   int
}

// GridPolygons returns, for each grid g in [0, nGroups), its polygon: the
// union of the cells of the units labelled g (group[unit] = g; a negative
// group leaves a unit out) clipped to the community, in the tessellation's
// metres, with every constraint's inside given to its grid. Where
// constraints overlap, the one with the lower index wins (callers list
// footprints before compounds). With a nil community the envelope is the
// tessellation's bound ([Tessellation.Regions]). The community must lie
// inside the bound (see [CommunityBound]); otherwise the error wraps
// [ErrCommunityOutsideBound].
//
// A community of tens of thousands of buildings takes seconds: once ctx is
// done GridPolygons returns ctx.Err() within milliseconds. It only reads
// ctx, so the result does not depend on it.
//
// Neighbouring grids share exactly identical coordinates along their common
// edges, and along the outline every grid uses the community's own
// vertices: the grid outlines, the community outline and the constraints'
// outlines are overlaid once, as one planar arrangement in which each
// crossing point is computed once and each edge exists once, and every grid
// is traced from that arrangement. No floating-point union or overlay is
// involved. Crossing points are computed from exact orientation tests; a
// crossing within vertexSnapRel of the coordinate magnitude of an existing
// vertex is that vertex. Constraint vertices are kept exactly, so a
// footprint's vertices are vertices (or interior points) of its grid.
// Only the cells near the outline or a constraint of another grid are
// overlaid: the edges between the others are the tessellation's, whole.
//
// Exteriors are counter-clockwise, holes clockwise, rings closed (RFC 7946);
// a grid that touches itself at a single point is split there, so every
// ring is simple. A grid that the community's outline cuts into pieces (a
// concave community) is a MultiPolygon with more than one polygon:
// len(grids[g]) is the number of pieces, and callers report it. A grid
// with no cell inside the community is nil.
func GridPolygons(ctx context.Context, t *tess.Tessellation, group []int, nGroups int, community orb.MultiPolygon, constraints []Constraint) ([]orb.MultiPolygon, error) {
	return gridPolygons(ctx, t, group, nGroups, community, constraints, false)
}

// gridPolygons is GridPolygons, with every cell overlaid if exhaustive (as
// before clean cells were told apart: the reference the tests compare
// with).
func gridPolygons(ctx context.Context, t *tess.Tessellation, group []int, nGroups int, community orb.MultiPolygon, constraints []Constraint, exhaustive bool) ([]orb.MultiPolygon, error) {
	if len(group) != t.NUnits {
		panic("geo: GridPolygons: len(group) != NUnits") // programmer error
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	constraints = usedConstraints(constraints, nGroups)
	if len(community) == 0 {
		if len(constraints) == 0 {
			return t.Regions(group, nGroups), nil
		}
		community = orb.MultiPolygon{{t.Bound}}
	}
	ov, constraints, err := newOverlay(ctx, t, group, nGroups, community, constraints, exhaustive)
	if err != nil {
		return nil, err
	}
	consGroup := make([]int, len(constraints))
	for k, c := range constraints {
		consGroup[k] = c.Group
	}
	dirty, iso := ov.dirtyFor(cellGroupOf(t, group, nGroups), consGroup)
	return ov.gridPolygons(ctx, group, nGroups, constraints, dirty, iso)
}

// cellGroupOf returns the function giving the group of a cell (by
// generator) in the labelling group of the units: noGroup for a frame
// cell or a unit in none of the nGroups.
func cellGroupOf(t *tess.Tessellation, group []int, nGroups int) func(g int32) int32 {
	return func(g int32) int32 {
		if u := t.GenUnit[g]; u >= 0 {
			if x := group[u]; x >= 0 && x < nGroups {
				return int32(x)
			}
		}
		return noGroup
	}
}

// MergeStrays hands each stray piece of a grid to the neighbouring grid it
// shares the longest boundary with, and returns the grids (a new slice;
// grids is not modified) and the number of pieces handed over. grids are
// [GridPolygons]' result for units labelled by group; anchors holds a point
// of each unit (its building's representative point) and constraints are
// those GridPolygons drew with. A stray piece holds neither an anchor of
// one of its grid's units nor a vertex of one of its grid's constraints:
// the part of a cell that a concave community outline cuts off from the
// cell's building, on the far side of a notch, inside another grid. A piece
// with no neighbouring grid stays, and so do all pieces of a grid none of
// whose pieces holds anything. Pieces share their boundary coordinates
// exactly, so a union is traced from the two grids' edges with the shared
// ones cancelled.
func MergeStrays(grids []orb.MultiPolygon, anchors []orb.Point, group []int, constraints []Constraint) ([]orb.MultiPolygon, int) {
	out := slices.Clone(grids)
	multi := false
	for _, mp := range out {
		multi = multi || len(mp) > 1
	}
	if !multi {
		return out, 0
	}
	held := make([][]orb.Point, len(out)) // anchors and constraint vertices by grid
	for u, p := range anchors {
		if g := group[u]; g >= 0 && g < len(out) && len(out[g]) > 1 {
			held[g] = append(held[g], p)
		}
	}
	for _, c := range constraints {
		if g := c.Group; g >= 0 && g < len(out) && len(out[g]) > 1 {
			for _, p := range c.Polygon {
				for _, r := range p {
					held[g] = append(held[g], r...)
				}
			}
		}
	}
	// A point on a piece's outline, within the rounding of computed
	// vertices, is held: a building on the community's outline must not
	// lose its piece.
	tol := shape.BoundsMagnitude(out) * robust.VertexSnapRel
	holds := func(poly orb.Polygon, ps []orb.Point) bool {
		b := shape.PolygonBound(poly).Pad(tol)
		for _, p := range ps {
			if b.Contains(p) && gridCovers(orb.MultiPolygon{poly}, p, tol) {
				return true
			}
		}
		return false
	}
	owner := map[[2]orb.Point]int{} // directed boundary segment -> grid
	for g, mp := range out {
		for _, p := range mp {
			for _, r := range p {
				for i := 0; i+1 < len(r); i++ {
					owner[[2]orb.Point{r[i], r[i+1]}] = g
				}
			}
		}
	}
	merged := 0
	for g := range out {
		if len(out[g]) <= 1 {
			continue
		}
		stray := make([]bool, len(out[g]))
		anchored := false
		for i, piece := range out[g] {
			stray[i] = !holds(piece, held[g])
			anchored = anchored || !stray[i]
		}
		if !anchored {
			continue
		}
		var keep orb.MultiPolygon
		for i, piece := range out[g] {
			if !stray[i] {
				keep = append(keep, piece)
				continue
			}
			shared := map[int]float64{}
			for _, r := range piece {
				for i := 0; i+1 < len(r); i++ {
					if h, ok := owner[[2]orb.Point{r[i+1], r[i]}]; ok && h != g {
						shared[h] += math.Hypot(r[i+1][0]-r[i][0], r[i+1][1]-r[i][1])
					}
				}
			}
			best := -1
			for h, l := range shared {
				if best < 0 || l > shared[best] || l == shared[best] && h < best {
					best = h
				}
			}
			if best < 0 {
				keep = append(keep, piece)
				continue
			}
			out[best] = unionAdjacent(out[best], piece)
			merged++
			for _, r := range piece {
				for i := 0; i+1 < len(r); i++ {
					owner[[2]orb.Point{r[i], r[i+1]}] = best
				}
			}
		}
		out[g] = keep
	}
	return out, merged
}

// unionAdjacent returns the union of a grid and a polygon that shares
// boundary segments with it exactly: the segments of both, the shared ones
// (met in opposite directions) cancelled, traced into rings.
func unionAdjacent(mp orb.MultiPolygon, piece orb.Polygon) orb.MultiPolygon {
	count := map[[2]orb.Point]int{}
	var order [][2]orb.Point
	addRing := func(r orb.Ring) {
		for i := 0; i+1 < len(r); i++ {
			s := [2]orb.Point{r[i], r[i+1]}
			if count[[2]orb.Point{s[1], s[0]}] > 0 {
				count[[2]orb.Point{s[1], s[0]}]--
				continue
			}
			if count[s] == 0 {
				order = append(order, s)
			}
			count[s]++
		}
	}
	for _, p := range mp {
		for _, r := range p {
			addRing(r)
		}
	}
	for _, r := range piece {
		addRing(r)
	}
	id := map[orb.Point]int32{}
	var verts []orb.Point
	vid := func(p orb.Point) int32 {
		if i, ok := id[p]; ok {
			return i
		}
		id[p] = int32(len(verts))
		verts = append(verts, p)
		return id[p]
	}
	var es []shape.Edge
	for _, s := range order {
		for range count[s] {
			es = append(es, shape.Edge{From: vid(s[0]), To: vid(s[1])})
		}
	}
	return shape.Trace(verts, es)
}

// usedConstraints returns the constraints with a grid in [0, nGroups) and a
// polygon, keeping their order (their priority) and their indices' meaning
// only through it.
func usedConstraints(cs []Constraint, nGroups int) []Constraint {
	var out []Constraint
	for _, c := range cs {
		if c.Group >= 0 && c.Group < nGroups && len(c.Polygon) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// newArrangement builds the arrangement of the tessellation's grid
// outlines (for the labelling group), the community outline and the
// constraints' outlines, noded and labelled, over the overlay's dirty cells
// (the edges between clean cells are its direct edges). The overlay must
// have been made for group, or for a labelling no coarser, and the
// constraints' (group's) outlines must be those it was made with, or some
// of them. Once ctx is done it returns ctx.Err().
func newArrangement(ctx context.Context, ov *overlay, group []int, nGroups int, constraints []Constraint, dirty, iso []bool) (*arrangement, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t := ov.t
	a := &arrangement{ctx: ctx, ov: ov, cells: ov.cells, snapTol: ov.snapTol, cons: constraints, dirty: dirty, iso: iso, s: arrPool.Get().(*arrScratch)}
	if a.cells == nil {
		a.cells = newCellLocator(t)
	}
	fixedVerts := 0
	for _, poly := range ov.community {
		for _, r := range poly {
			fixedVerts += len(r)
		}
	}
	for _, c := range constraints {
		for _, poly := range c.Polygon {
			for _, r := range poly {
				fixedVerts += len(r)
			}
		}
	}
	a.comm = reuse.Grow(a.s.comm, fixedVerts)
	// Each step returns early once ctx is done; the next is not begun.
	var nGridVerts int
	for _, step := range []func(){
		func() { a.addGridEdges(t, group, nGroups, fixedVerts); nGridVerts = len(a.verts) },
		func() { a.addCommunity(ov.community); a.addConstraints(constraints) },
		a.nodeFixed,
		func() { a.snapGridVertices(nGridVerts) },
		a.node,
	} {
		step()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	near := group
	if ov.near != nil {
		near = make([]int, len(group))
		for u := range near {
			near[u] = -1
			if ov.near[u] {
				near[u] = group[u]
			}
		}
	}
	if err := a.label(t, group, nGroups, near); err != nil {
		return nil, err
	}
	return a, nil
}

// gridPolygons traces the grids of the labelling group from the overlay;
// see GridPolygons. constraints are those of GridPolygons, used; dirty and
// iso are overlay.dirtyFor's for them.
func (ov *overlay) gridPolygons(ctx context.Context, group []int, nGroups int, constraints []Constraint, dirty, iso []bool) ([]orb.MultiPolygon, error) {
	a, err := newArrangement(ctx, ov, group, nGroups, constraints, dirty, iso)
	if err != nil {
		return nil, err
	}
	edges := a.gridEdges(nGroups)
	out := make([]orb.MultiPolygon, nGroups)
	parallel.Ranges(nGroups, func(lo, hi int) {
		for g := lo; g < hi && ctx.Err() == nil; g++ { // every grid: a look costs nothing beside tracing one
			out[g] = shape.Trace(a.verts, edges[g])
		}
	})
	a.release() // the grids hold copies of the vertices they use
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// FootprintConstraints makes every polygonal footprint (projected) a
// constraint of grid group[u], in unit order, so that no neighbour's cell
// clips a building (SPEC §4: every building inside its grid). Points have no
// area to keep.
func FootprintConstraints(footprints []orb.Geometry, group []int) []Constraint {
	var cs []Constraint
	for u, fp := range footprints {
		switch fp := fp.(type) {
		case orb.Polygon:
			cs = append(cs, Constraint{Polygon: orb.MultiPolygon{fp}, Group: group[u]})
		case orb.MultiPolygon:
			cs = append(cs, Constraint{Polygon: fp, Group: group[u]})
		}
	}
	return cs
}
