package draw

import (
	"context"
	"fmt"
	"math"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// An overlay is what the arrangements of one community share whatever the
// labelling of its units: the validated community and its indexes, the
// tessellation's cells, and which of them the arrangement must clip.
//
// Most cells meet neither the community's outline nor a constraint of
// another grid: the arrangement would keep their edges whole, with the
// cells' own grids on either side, inside the community or outside it
// throughout. Such a cell is clean, and its edges to other clean cells are
// taken from the tessellation as they are (the arrangement's direct
// edges); only the edges of the other cells, dirty, are overlaid with the
// outline and the constraints. The vertices are numbered as if every cell
// were overlaid, so what is traced from the two kinds of edges together is
// what the overlay of every cell gives, to the bit.
type overlay struct {
	t         *tess.Tessellation
	community orb.MultiPolygon // not empty
	snapTol   float64
	outline   *shape.OutlineIndex
	cells     *cellLocator
	// dirty marks, by generator, the cells the arrangement overlays; nil
	// marks every one. inside says, of a clean cell, whether it lies in
	// the community.
	dirty, inside []bool
	// near marks, by unit, the units with a cell that may meet the
	// outline: only their regions can hold an outline edge. nil marks
	// every unit.
	near []bool
	// iso marks, by constraint, the isolated constraints, whose edges
	// the arrangement leaves out (see classify); nil marks none.
	iso []bool
}

// cleanMarginSnaps is the distance, in snap tolerances, within which a
// cell counts as meeting the outline or a constraint. The arrangement
// joins points within one snap tolerance of each other (crossings, grid
// vertices near fixed ones, vertices near edges), so a cell farther than
// that is left as the tessellation has it. The distances compared here are
// computed from differences of nearby coordinates, which are exact to the
// last bit of the difference: their error is a few ulps of the coordinate
// magnitude, 2^-52 of it where the snap tolerance is 2^-40 of it. Sixteen
// tolerances are ample and still well under a micrometre on a city.
const cleanMarginSnaps = 16

// newOverlay validates community (not empty) and the constraints, with the
// constraints' groups in the labelling cellGroup of the units, and finds
// the cells to clip for that labelling or any finer one (a labelling in
// which two units of different groups of cellGroup are never in one
// group). With exhaustive every cell is clipped, as before clean cells
// were told apart. Once ctx is done it returns ctx.Err().
func newOverlay(ctx context.Context, t *tess.Tessellation, cellGroup []int, nGroups int, community orb.MultiPolygon, constraints []Constraint, exhaustive bool) (*overlay, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	mag := 0.0
	for _, p := range t.Verts {
		mag = max(mag, math.Abs(p[0]), math.Abs(p[1]))
	}
	for i, poly := range community {
		for j, r := range poly {
			for k, p := range r {
				if !robust.IsFinite(p[0]) || !robust.IsFinite(p[1]) {
					return nil, fmt.Errorf("community polygon %d ring %d vertex %d: %w", i, j, k, tess.ErrNonFinite)
				}
				if in, on := shape.RingContainsExact(t.Bound, p); !in && !on {
					return nil, fmt.Errorf("community polygon %d ring %d vertex %d %v: %w", i, j, k, p, ErrCommunityOutsideBound)
				}
				mag = max(mag, math.Abs(p[0]), math.Abs(p[1]))
			}
		}
	}
	for ci, c := range constraints {
		for i, poly := range c.Polygon {
			for j, r := range poly {
				for k, p := range r {
					if !robust.IsFinite(p[0]) || !robust.IsFinite(p[1]) {
						return nil, fmt.Errorf("constraint %d polygon %d ring %d vertex %d: %w", ci, i, j, k, tess.ErrNonFinite)
					}
					mag = max(mag, math.Abs(p[0]), math.Abs(p[1]))
				}
			}
		}
	}
	ov := &overlay{
		t:         t,
		community: community,
		snapTol:   mag * robust.VertexSnapRel,
		outline:   shape.NewOutlineIndex(community),
		cells:     newCellLocator(t),
	}
	if exhaustive {
		return ov, nil
	}
	if err := ov.classify(ctx, cellGroup, nGroups, constraints); err != nil {
		return nil, err
	}
	return ov, nil
}

// classify marks the dirty cells: those that may come within
// cleanMarginSnaps snap tolerances of the outline or of a constraint of
// another group, or lie inside such a constraint, and every cell that is
// not a plain convex cell of a unit. Then it tells each clean cell's side
// of the outline, once for every connected set of clean cells (no outline
// passes between two neighbouring clean cells).
func (ov *overlay) classify(ctx context.Context, cellGroup []int, nGroups int, constraints []Constraint) error {
	t := ov.t
	ng := t.NumGens()
	pad := cleanMarginSnaps * ov.snapTol
	dirty := make([]bool, ng)
	near := make([]bool, t.NUnits)
	groupOf := func(g int32) int {
		if u := t.GenUnit[g]; u >= 0 {
			if x := cellGroup[u]; x >= 0 && x < nGroups {
				return x
			}
		}
		return noGroup
	}
	poll := parallel.NewPoll(ctx)
	for g := range ng {
		if poll.Stop() {
			return ctx.Err()
		}
		if ring, _ := t.Cell(g); t.GenUnit[g] < 0 || len(ring) < 3 {
			dirty[g] = true
			if u := t.GenUnit[g]; u >= 0 {
				near[u] = true // its box tells nothing
			}
		}
	}
	seen := make([]int32, ng)
	stamp := int32(0)
	for _, poly := range ov.community {
		for _, r := range poly {
			for k := 0; k+1 < len(r); k++ {
				if poll.Stop() {
					return ctx.Err()
				}
				ov.along(r[k], r[k+1], pad, seen, &stamp, func(g int32) {
					if u := t.GenUnit[g]; u >= 0 && !near[u] || !dirty[g] {
						if segNearCell(r[k], r[k+1], t, int(g), pad) {
							dirty[g] = true
							if u >= 0 {
								near[u] = true
							}
						}
					}
				})
			}
		}
	}
	// Constraints: a cell of another group near an edge, or inside, is
	// dirty; the cells near the edges are kept (nearCells) to tell the
	// isolated constraints below.
	nearStart := make([]int, len(constraints)+1)
	var nearCells []int32
	for k, c := range constraints {
		nearStart[k] = len(nearCells)
		for _, poly := range c.Polygon {
			if poll.Stop() {
				return ctx.Err()
			}
			nearCells = ov.constraintCells(poly, c.Group, groupOf, dirty, seen, &stamp, pad, nearCells)
		}
	}
	nearStart[len(constraints)] = len(nearCells)

	// A constraint is isolated when every cell near its outline is a
	// clean cell of its own group and no other constraint's box comes
	// near its box: then nothing of the arrangement comes within pad of
	// its outline (the outline, a dirty cell's edge or another
	// constraint would make a cell near it dirty, or meet its box), and
	// its edges have its group, or nothing, on both sides.
	iso := make([]bool, len(constraints))
	var boxes rtree.RTreeG[int32]
	cb := make([]orb.Bound, len(constraints))
	for k, c := range constraints {
		cb[k] = c.Polygon.Bound().Pad(pad)
		boxes.Insert(cb[k].Min, cb[k].Max, int32(k))
	}
	for k, c := range constraints {
		if poll.Stop() {
			return ctx.Err()
		}
		ok := true
		for _, g := range nearCells[nearStart[k]:nearStart[k+1]] {
			// A cell of another group here is near; one of the
			// constraint's own group may be in its box only.
			if groupOf(g) != c.Group || dirty[g] && polygonsNearCell(c.Polygon, t, g, pad) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		boxes.Search(cb[k].Min, cb[k].Max, func(_, _ [2]float64, j int32) bool {
			ok = j == int32(k)
			return ok
		})
		iso[k] = ok
	}

	inside := make([]bool, ng)
	done := make([]bool, ng)
	var stack []int32
	for g := range ng {
		if poll.Stop() {
			return ctx.Err()
		}
		if dirty[g] || done[g] {
			continue
		}
		ring, _ := t.Cell(g)
		in := ov.outline.Covers(t.Verts[ring[0]])
		done[g] = true
		stack = append(stack[:0], int32(g))
		for len(stack) > 0 {
			h := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			inside[h] = in
			_, nbr := t.Cell(int(h))
			for _, c := range nbr {
				if c >= 0 && !dirty[c] && !done[c] {
					done[c] = true
					stack = append(stack, c)
				}
			}
		}
	}
	ov.dirty, ov.inside, ov.near, ov.iso = dirty, inside, near, iso
	return nil
}

// constraintCells marks dirty the cells of groups other than group that
// come within pad of an edge of poly, or lie inside it, and appends to
// near those and every cell of its own group that may come within pad of
// an edge (those in its box, for a small polygon). A small polygon (a
// footprint) looks at the cells in its box once; a large one (a compound's
// wall) at those along each edge, then at those in its box for the ones
// inside.
func (ov *overlay) constraintCells(poly orb.Polygon, group int, groupOf func(int32) int, dirty []bool, seen []int32, stamp *int32, pad float64, near []int32) []int32 {
	t, l := ov.t, ov.cells
	b := poly.Bound()
	nEdges := 0
	for _, r := range poly {
		nEdges += max(len(r)-1, 0)
	}
	nearEdge := func(g int32) bool {
		gb := l.boxes[g].Pad(pad)
		for _, r := range poly {
			for k := 0; k+1 < len(r); k++ {
				lo, hi := segBox(r[k], r[k+1])
				if gb.Intersects(orb.Bound{Min: lo, Max: hi}) && segNearCell(r[k], r[k+1], t, int(g), pad) {
					return true
				}
			}
		}
		return false
	}
	inside := func(g int32) {
		if groupOf(g) != group && b.Contains(l.boxes[g].Min) && b.Contains(l.boxes[g].Max) {
			// No edge comes near the cell, so any vertex of it tells.
			ring, _ := t.Cell(int(g))
			if shape.PolygonCovers(poly, t.Verts[ring[0]]) {
				dirty[g] = true
				near = append(near, g) // the constraint is not isolated
			}
		}
	}
	*stamp++
	if nEdges <= smallConstraintEdges {
		l.visit(orb.Point{b.Min[0] - pad, b.Min[1] - pad}, orb.Point{b.Max[0] + pad, b.Max[1] + pad}, seen, *stamp, func(g int32) {
			switch {
			case groupOf(g) == group:
				near = append(near, g) // perhaps near: it must be clean
			case nearEdge(g):
				near = append(near, g)
				dirty[g] = true
			default:
				inside(g)
			}
		})
		return near
	}
	for _, r := range poly {
		for k := 0; k+1 < len(r); k++ {
			ov.along(r[k], r[k+1], pad, seen, stamp, func(g int32) {
				if segNearCell(r[k], r[k+1], t, int(g), pad) {
					near = append(near, g)
					if groupOf(g) != group {
						dirty[g] = true
					}
				}
			})
		}
	}
	*stamp++
	l.visit(b.Min, b.Max, seen, *stamp, inside)
	return near
}

// polygonsNearCell reports whether an edge of mp may come within pad of
// the cell of generator g (segNearCell).
func polygonsNearCell(mp orb.MultiPolygon, t *tess.Tessellation, g int32, pad float64) bool {
	for _, poly := range mp {
		for _, r := range poly {
			for k := 0; k+1 < len(r); k++ {
				if segNearCell(r[k], r[k+1], t, int(g), pad) {
					return true
				}
			}
		}
	}
	return false
}

// along visits the cells whose boxes meet segment p–q widened by pad, each
// once (a new stamp), in boxes of about a bucket's size along the segment:
// a long outline edge across the community would otherwise visit every
// cell in its box.
func (ov *overlay) along(p, q orb.Point, pad float64, seen []int32, stamp *int32, f func(g int32)) {
	l := ov.cells
	*stamp++
	n := 1
	if l.size > 0 {
		n = int(min(math.Ceil(math.Hypot(q[0]-p[0], q[1]-p[1])/l.size), 1<<16))
	}
	// The pieces' ends are interpolated, off the segment by a few ulps:
	// pad covers that.
	a := p
	for i := 1; i <= max(n, 1); i++ {
		b := q
		if i < n {
			s := float64(i) / float64(n)
			b = orb.Point{p[0] + s*(q[0]-p[0]), p[1] + s*(q[1]-p[1])}
		}
		lo, hi := segBox(a, b)
		l.visit(orb.Point{lo[0] - pad, lo[1] - pad}, orb.Point{hi[0] + pad, hi[1] + pad}, seen, *stamp, f)
		a = b
	}
}

// smallConstraintEdges is the most edges a constraint polygon may have for
// constraintCells to look at the cells in its box rather than along each
// edge.
const smallConstraintEdges = 32

// segNearCell reports whether segment p–q may come within pad of the cell
// of generator g, a convex counter-clockwise polygon: false only when a
// line through an edge of the cell, or the segment's own line, has the one
// farther than pad on its other side (separating axes). A distance d from
// the line through a–b is cross/|b−a|; it is compared squared, d² > pad².
func segNearCell(p, q orb.Point, t *tess.Tessellation, g int, pad float64) bool {
	ring, _ := t.Cell(g)
	n := len(ring)
	pad2 := pad * pad
	for k := range n {
		a, b := t.Verts[ring[k]], t.Verts[ring[(k+1)%n]]
		dx, dy := b[0]-a[0], b[1]-a[1]
		l2 := dx*dx + dy*dy
		// The cell is on the left of a→b; the segment is separated if
		// both its ends are farther than pad on the right.
		if c := cross2(dx, dy, p[0]-a[0], p[1]-a[1]); c >= 0 || c*c <= pad2*l2 {
			continue
		}
		if c := cross2(dx, dy, q[0]-a[0], q[1]-a[1]); c < 0 && c*c > pad2*l2 {
			return false
		}
	}
	dx, dy := q[0]-p[0], q[1]-p[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return true
	}
	left, right := true, true
	for _, v := range ring {
		c := cross2(dx, dy, t.Verts[v][0]-p[0], t.Verts[v][1]-p[1])
		far := c*c > pad2*l2
		left = left && c > 0 && far
		right = right && c < 0 && far
		if !left && !right {
			return true
		}
	}
	return false
}

// cross2 is the cross product of (ax, ay) and (bx, by); float64() blocks
// FMA (Go spec).
func cross2(ax, ay, bx, by float64) float64 {
	return float64(ax*by) - float64(ay*bx)
}
