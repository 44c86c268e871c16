package draw

import (
	"cmp"
	"context"
	"math"
	"slices"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
)

// ClippedUnitAdjacency is UnitAdjacency restricted to the community outline
// (projected metres): the shared boundary of two units' cells is measured
// only where it lies inside community; pairs with no inside length are not
// neighbours. A nil community is the bound (same as UnitAdjacency). Also
// returns each unit's cell area inside the community. Deterministic; A < B,
// sorted.
//
// The cells are clipped exactly as [GridPolygons] clips them: the cell
// edges between different units are overlaid with the outline in one planar
// arrangement, built by the same code, so a pair is adjacent here exactly
// where GridPolygons, given both units in one grid, joins their clipped
// cells along an edge of positive length. Hence a grid that is connected in
// this graph is one polygon on the map (SPEC §3 rule 4, issue 3 item 3),
// up to the stray pieces below, and a grid that is not is several.
// Only the cells that come near the outline, or near or into a constraint
// of another unit, are overlaid; the edges between the others are taken
// from the tessellation whole, as the overlay would leave them, and the
// result is the same to the bit.
//
// A unit's cell may itself be cut into pieces by a concave outline (a cell
// reaching across a notch into the opposite arm). Such a unit is adjacent
// only through its main piece: the one holding most of its sites, then the
// largest. Its other pieces are still part of its grid's polygon (the area
// returned counts every piece), but they do not join grids, so a connected
// grid's main pieces always form a single polygon; the stray pieces are the
// only extra polygons it may have. Pieces are found only for units whose
// boundary runs along the outline; a unit's cells away from it are taken as
// one piece, as UnitAdjacency takes them.
//
// A unit that has sites but no cell area inside the community (a building
// drawn wholly outside the outline, whose cell does not reach in) keeps its
// unclipped adjacency from [Tessellation.UnitAdjacency], so that it is not
// reported isolated for want of any neighbour; its area is 0, and it adds
// nothing to its grid's polygon, so such an edge is the one kind that can
// join a grid the map shows in pieces. A unit without
// sites of its own (merged into another unit's generator) has no neighbours,
// as in UnitAdjacency.
//
// Constraints are those of [GridPolygons], each with the unit it belongs
// to as its Group (a compound: one of its units; give GridPolygons that
// unit's grid). Units then meet where the constrained regions do, so a grid
// connected in this graph is one polygon when drawn with the same
// constraints. Units whose region a constraint changes are traced into
// pieces like units on the outline. With a nil community and constraints,
// the community is the bound, as in GridPolygons.
//
// The community must lie inside the tessellation's bound (see
// [CommunityBound]); otherwise the error wraps [ErrCommunityOutsideBound].
//
// A community of tens of thousands of buildings takes seconds: once ctx is
// done ClippedUnitAdjacency returns ctx.Err() within milliseconds. It only
// reads ctx, so the result does not depend on it.
func ClippedUnitAdjacency(ctx context.Context, t *tess.Tessellation, community orb.MultiPolygon, constraints []Constraint) ([]tess.UnitEdge, []float64, error) {
	adj, area, _, err := clippedUnitAdjacency(ctx, t, community, constraints, false)
	return adj, area, err
}

// ClippedUnitAdjacencyArrangement is [ClippedUnitAdjacency], and returns
// besides what it built that [GridPolygons] can use again for the same
// community: see [Arrangement].
func ClippedUnitAdjacencyArrangement(ctx context.Context, t *tess.Tessellation, community orb.MultiPolygon, constraints []Constraint) ([]tess.UnitEdge, []float64, *Arrangement, error) {
	return clippedUnitAdjacency(ctx, t, community, constraints, false)
}

// An Arrangement is what [ClippedUnitAdjacencyArrangement] builds for a
// community that [GridPolygons] can use again: the community and the
// constraints checked and indexed, and the cells sorted into those that
// meet the outline or a constraint of another unit, which are overlaid
// with them, and those that do not, whose edges are taken as they are.
// [Arrangement.GridPolygons] draws the grids of any labelling of the units,
// each constraint going to its unit's grid, to the bit as GridPolygons
// does, without sorting the cells again. An Arrangement holds a view of
// the tessellation's cells ([tess.Tessellation.Cells]), not its sites or
// triangulation, the constraints, and about 50 bytes a cell more (the
// cells' boxes, bucketed).
type Arrangement struct {
	ov *overlay // nil: no community and no constraints
	t  *tess.Tessellation
	// bounded: the community given was nil, the bound stands for it.
	bounded bool
	cons    []Constraint // used, Group = unit
}

// GridPolygons returns [GridPolygons] of the arrangement's tessellation and
// community for the units labelled by group, with the arrangement's
// constraints in their order, each given to its unit's grid (Group:
// group[unit]; left out where that is negative). Once ctx is done it
// returns ctx.Err().
func (ar *Arrangement) GridPolygons(ctx context.Context, group []int, nGroups int) ([]orb.MultiPolygon, error) {
	if len(group) != ar.t.NUnits {
		panic("geo: Arrangement.GridPolygons: len(group) != NUnits") // programmer error
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var cons []Constraint
	consGroup := make([]int, len(ar.cons))
	for k, c := range ar.cons {
		consGroup[k] = -1
		if g := group[c.Group]; g >= 0 && g < nGroups {
			cons = append(cons, Constraint{Polygon: c.Polygon, Group: g})
			consGroup[k] = g
		}
	}
	if ar.ov == nil || (ar.bounded && len(cons) == 0) {
		return ar.t.Regions(group, nGroups), nil
	}
	// The cells dirty for this labelling, and the isolated constraints
	// of those used.
	dirty, iso := ar.ov.dirtyFor(cellGroupOf(ar.t, group, nGroups), consGroup)
	if iso != nil {
		used := iso[:0]
		for k, g := range consGroup {
			if g >= 0 {
				used = append(used, iso[k])
			}
		}
		iso = used
	}
	return ar.ov.gridPolygons(ctx, group, nGroups, cons, dirty, iso)
}

// Release hands the storage of the arrangement's index of cells on to the
// next community's; neither ar nor grids it has yet to draw may be used
// afterwards (grids drawn before are copies, and stay valid).
func (ar *Arrangement) Release() {
	if ov := ar.ov; ov != nil {
		if ov.cells != nil {
			ov.cells.release()
		}
		ov.cells = nil
	}
	*ar = Arrangement{}
}

// clippedUnitAdjacency is ClippedUnitAdjacencyArrangement, with every cell
// overlaid if exhaustive (as before clean cells were told apart: the
// reference the tests compare with).
func clippedUnitAdjacency(ctx context.Context, t *tess.Tessellation, community orb.MultiPolygon, constraints []Constraint, exhaustive bool) ([]tess.UnitEdge, []float64, *Arrangement, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}
	nu := t.NUnits
	ar := &Arrangement{t: t.Cells(), cons: usedConstraints(constraints, nu)}
	if len(community) == 0 {
		if len(ar.cons) == 0 {
			return t.UnitAdjacency(), t.UnitAreaM2(), ar, nil
		}
		community = orb.MultiPolygon{{t.Bound}}
		ar.bounded = true
	}
	ident := make([]int, nu)
	for u := range ident {
		ident[u] = u
	}
	ov, cons, err := newOverlay(ctx, ar.t, ident, nu, community, ar.cons, exhaustive)
	if err != nil {
		return nil, nil, nil, err
	}
	ar.ov, ar.cons = ov, cons
	consGroup := make([]int, len(ar.cons))
	for k, c := range ar.cons {
		consGroup[k] = c.Group
	}
	dirty, iso := ov.dirtyFor(cellGroupOf(t, ident, nu), consGroup)
	a, err := newArrangement(ctx, ov, ident, nu, ar.cons, dirty, iso)
	if err != nil {
		return nil, nil, nil, err
	}
	// The cells' index (about 45 bytes a cell) stays with the overlay:
	// GridPolygons, run on the same worker soon after, would make it
	// again, and the Arrangement lives only while its community is
	// planned.

	// The units whose boundary runs along the outline: only their
	// clipped regions can differ from their unclipped ones, so only they
	// are traced into pieces.
	onOutline := make([]bool, nu)
	mark := func(g int32) {
		if g >= 0 && int(g) < nu {
			onOutline[g] = true
		}
	}
	for k := range a.edges {
		e := &a.edges[k]
		if e.il != e.ir {
			mark(e.gl)
			mark(e.gr)
		}
		// A constraint that takes a side from its cells' unit may cut
		// that unit's region in pieces.
		if l, r := a.sides(e); (l != e.gl && e.il == sideIn) || (r != e.gr && e.ir == sideIn) {
			mark(e.gl)
			mark(e.gr)
			mark(l)
			mark(r)
		}
	}
	// Each unit's area inside, from its directed boundary edges (unit on
	// the left) relative to a local origin, summed in the arrangement's
	// order; the edges are kept for the units to trace.
	o := community[0][0][0]
	area := make([]float64, nu)
	edges := make([][]shape.Edge, nu)
	side := func(u, p, q int32) {
		area[u] += shape.EdgeArea2(a.verts[p], a.verts[q], o)
		if onOutline[u] {
			edges[u] = append(edges[u], shape.Edge{From: p, To: q})
		}
	}
	a.each(func(p, q, left, right int32) {
		if left == right {
			return
		}
		if left >= 0 && int(left) < nu {
			side(left, p, q)
		}
		if right >= 0 && int(right) < nu {
			side(right, q, p)
		}
	})
	for u := range area {
		area[u] = max(area[u]/2, 0)
	}
	var traced []int
	for u, ok := range onOutline {
		if ok && len(edges[u]) > 0 {
			traced = append(traced, u)
		}
	}
	shim := &tess.Tessellation{Verts: a.verts}
	pieces := make([]orb.MultiPolygon, nu)
	parallel.Ranges(len(traced), func(lo, hi int) {
		for _, u := range traced[lo:hi] {
			if ctx.Err() != nil { // every unit: a look costs nothing beside tracing one
				return
			}
			pieces[u] = shape.Trace(shim.Verts, edges[u])
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}

	// For units in several pieces: which directed edge is in which piece,
	// and which piece is the main one.
	var sitesOf map[int][]orb.Point
	pieceOf := map[int]map[[2]orb.Point]int{}
	mainPiece := map[int]int{}
	poll := parallel.NewPoll(ctx)
	for u, mp := range pieces {
		if poll.Stop() {
			return nil, nil, nil, ctx.Err()
		}
		if len(mp) < 2 {
			continue
		}
		if sitesOf == nil {
			sitesOf = map[int][]orb.Point{}
			for i, s := range t.Sites {
				if len(pieces[t.Unit[i]]) > 1 {
					sitesOf[t.Unit[i]] = append(sitesOf[t.Unit[i]], s)
				}
			}
		}
		m := map[[2]orb.Point]int{}
		best, bestN, bestA := 0, -1, 0.0
		for k, poly := range mp {
			pa := 0.0
			for _, r := range poly {
				pa += shape.RingArea(r[:len(r)-1])
				for i := 0; i+1 < len(r); i++ {
					m[[2]orb.Point{r[i], r[i+1]}] = k
				}
			}
			n := 0
			for _, s := range sitesOf[u] {
				if shape.PolygonCovers(poly, s) {
					n++
				}
			}
			if n > bestN || (n == bestN && pa > bestA) {
				best, bestN, bestA = k, n, pa
			}
		}
		pieceOf[u], mainPiece[u] = m, best
	}
	inMain := func(u int32, p, q orb.Point) bool {
		m, ok := pieceOf[int(u)]
		if !ok {
			return true
		}
		k, ok := m[[2]orb.Point{p, q}]
		return ok && k == mainPiece[int(u)]
	}

	// Shared lengths: arrangement edges inside the community on both
	// sides, between two units, each in its main piece.
	// By the lower unit of a pair, the higher and the length: a unit has
	// a few neighbours, so a list beats a map, and each sum is taken in
	// the arrangement's order all the same.
	type shared struct {
		b int32
		l float64
	}
	acc := make([][]shared, nu)
	add := func(a, b int32, l float64) {
		for k := range acc[a] {
			if acc[a][k].b == b {
				acc[a][k].l += l
				return
			}
		}
		acc[a] = append(acc[a], shared{b, l})
	}
	a.each(func(pv, qv, gl, gr int32) {
		if gl < 0 || gr < 0 || gl == gr || int(gl) >= nu || int(gr) >= nu {
			return
		}
		p, q := a.verts[pv], a.verts[qv]
		if !inMain(gl, p, q) || !inMain(gr, q, p) {
			return
		}
		if l := math.Hypot(q[0]-p[0], q[1]-p[1]); l > 0 {
			add(min(gl, gr), max(gl, gr), l)
		}
	})
	a.release() // the pieces and lengths hold copies of what they read
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}

	// Units with sites but nothing inside keep their unclipped neighbours.
	hasGen := make([]bool, nu)
	for _, u := range t.GenUnit {
		if u >= 0 {
			hasGen[u] = true
		}
	}
	outside := func(u int) bool { return hasGen[u] && area[u] == 0 }
	if slices.ContainsFunc(ident, outside) {
		for _, e := range t.UnitAdjacency() {
			if (outside(e.A) || outside(e.B)) && !slices.ContainsFunc(acc[e.A], func(s shared) bool { return s.b == int32(e.B) }) {
				acc[e.A] = append(acc[e.A], shared{int32(e.B), e.LengthM})
			}
		}
	}

	n := 0
	for _, l := range acc {
		n += len(l)
	}
	out := make([]tess.UnitEdge, 0, n)
	for u, l := range acc {
		slices.SortFunc(l, func(x, y shared) int { return cmp.Compare(x.b, y.b) })
		for _, s := range l {
			out = append(out, tess.UnitEdge{A: u, B: int(s.b), LengthM: s.l})
		}
	}
	return out, area, ar, nil
}
