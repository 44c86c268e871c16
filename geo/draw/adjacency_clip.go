package draw

import (
	"cmp"
	"context"
	"math"
	"slices"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
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
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	nu := t.NUnits
	constraints = usedConstraints(constraints, nu)
	if len(community) == 0 {
		if len(constraints) == 0 {
			return t.UnitAdjacency(), t.UnitAreaM2(), nil
		}
		community = orb.MultiPolygon{{t.Bound}}
	}
	ident := make([]int, nu)
	for u := range ident {
		ident[u] = u
	}
	a, err := clippedArrangement(ctx, t, ident, nu, community, constraints)
	if err != nil {
		return nil, nil, err
	}

	// Each unit's area inside, from its directed boundary edges (unit on
	// the left) relative to a local origin; and the units whose boundary
	// runs along the outline: only their clipped regions can differ from
	// their unclipped ones, so only they are traced into pieces.
	edges := a.gridEdges(nu)
	o := community[0][0][0]
	area := make([]float64, nu)
	for u, es := range edges {
		for _, e := range es {
			area[u] += shape.EdgeArea2(a.verts[e.From], a.verts[e.To], o)
		}
		area[u] = max(area[u]/2, 0)
	}
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
		return nil, nil, err
	}

	// For units in several pieces: which directed edge is in which piece,
	// and which piece is the main one.
	var sitesOf map[int][]orb.Point
	pieceOf := map[int]map[[2]orb.Point]int{}
	mainPiece := map[int]int{}
	poll := parallel.NewPoll(ctx)
	for u, mp := range pieces {
		if poll.Stop() {
			return nil, nil, ctx.Err()
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
	acc := map[[2]int32]float64{}
	for k := range a.edges {
		if poll.Stop() {
			return nil, nil, ctx.Err()
		}
		e := &a.edges[k]
		gl, gr := a.sides(e)
		if gl < 0 || gr < 0 || gl == gr || int(gl) >= nu || int(gr) >= nu {
			continue
		}
		p, q := a.verts[e.a], a.verts[e.b]
		if !inMain(gl, p, q) || !inMain(gr, q, p) {
			continue
		}
		if l := math.Hypot(q[0]-p[0], q[1]-p[1]); l > 0 {
			acc[[2]int32{min(gl, gr), max(gl, gr)}] += l
		}
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
			k := [2]int32{int32(e.A), int32(e.B)}
			if _, ok := acc[k]; !ok && (outside(e.A) || outside(e.B)) {
				acc[k] = e.LengthM
			}
		}
	}

	out := make([]tess.UnitEdge, 0, len(acc))
	for k, l := range acc {
		out = append(out, tess.UnitEdge{A: int(k[0]), B: int(k[1]), LengthM: l})
	}
	slices.SortFunc(out, func(x, y tess.UnitEdge) int {
		if c := cmp.Compare(x.A, y.A); c != 0 {
			return c
		}
		return cmp.Compare(x.B, y.B)
	})
	return out, area, nil
}

// clippedArrangement builds the arrangement of [GridPolygons] for the
// labelling group, so that adjacency and polygons are decided by the same
// arithmetic; only the regions that label locates outline edges in are
// fewer. Once ctx is done it returns ctx.Err().
func clippedArrangement(ctx context.Context, t *tess.Tessellation, group []int, nGroups int, community orb.MultiPolygon, constraints []Constraint) (*arrangement, error) {
	// label locates each outline edge in the regions; only units with a
	// cell whose box meets an outline edge's box can hold one, so only they
	// are traced (their regions are the same as with every unit traced).
	var tr rtree.RTreeG[[2]orb.Point]
	for _, poly := range community {
		for _, r := range poly {
			for k := 0; k+1 < len(r); k++ {
				lo, hi := segBox(r[k], r[k+1])
				tr.Insert(lo, hi, [2]orb.Point{r[k], r[k+1]})
			}
		}
	}
	near := make([]int, len(group))
	for u := range near {
		near[u] = -1
	}
	poll := parallel.NewPoll(ctx)
	for g := range t.NumGens() {
		if poll.Stop() {
			return nil, ctx.Err()
		}
		u := t.GenUnit[g]
		if u < 0 || near[u] >= 0 {
			continue
		}
		ring, _ := t.Cell(g)
		if len(ring) == 0 {
			continue
		}
		lo, hi := segBox(t.Verts[ring[0]], t.Verts[ring[0]])
		for _, v := range ring[1:] {
			p := t.Verts[v]
			lo = [2]float64{min(lo[0], p[0]), min(lo[1], p[1])}
			hi = [2]float64{max(hi[0], p[0]), max(hi[1], p[1])}
		}
		tr.Search(lo, hi, func(_, _ [2]float64, seg [2]orb.Point) bool {
			if segMeetsBox(seg[0], seg[1], lo, hi) {
				near[u] = group[u]
				return false
			}
			return true
		})
	}
	regions := t.Regions(near, nGroups)
	if regions == nil {
		regions = []orb.MultiPolygon{}
	}
	return newArrangement(ctx, t, group, nGroups, community, constraints, regions)
}

// segMeetsBox reports whether segment p–q, whose box meets the box lo–hi,
// may meet it: false only when all four corners are strictly on one side
// of the segment's line (exact orientation).
func segMeetsBox(p, q orb.Point, lo, hi [2]float64) bool {
	pos, neg := false, false
	for _, c := range [4]orb.Point{{lo[0], lo[1]}, {hi[0], lo[1]}, {hi[0], hi[1]}, {lo[0], hi[1]}} {
		switch robust.OrientXY(p[0], p[1], q[0], q[1], c[0], c[1]) {
		case 1:
			pos = true
		case -1:
			neg = true
		default:
			return true
		}
	}
	return pos && neg
}
