package draw

import (
	"context"
	"fmt"
	"math"
	"slices"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
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
	// fixed marks, by generator, the cells dirty whatever the labelling:
	// near the outline, or no plain cell of a unit; nil (exhaustive)
	// marks every cell dirty. inside says, of a cell not fixed, whether
	// it lies in the community.
	fixed, inside []bool
	// near marks, by unit, the units with a cell that may meet the
	// outline: only their regions can hold an outline edge. nil marks
	// every unit.
	near []bool
	// cons are the cells near each constraint the overlay was made
	// with, consPolys their polygons (see dirtyFor).
	cons      []consCells
	consPolys []orb.MultiPolygon
	consBoxes *squareIndex // their bounds, padded
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
// were told apart. It returns the constraints as the overlay holds them,
// with the community, at the resolution of its arrangements ([regularAt]):
// give those to newArrangement. Once ctx is done it returns ctx.Err().
func newOverlay(ctx context.Context, t *tess.Tessellation, cellGroup []int, nGroups int, community orb.MultiPolygon, constraints []Constraint, exhaustive bool) (*overlay, []Constraint, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	mag := 0.0
	for _, p := range t.Verts {
		mag = max(mag, math.Abs(p[0]), math.Abs(p[1]))
	}
	for i, poly := range community {
		for j, r := range poly {
			for k, p := range r {
				if !robust.IsFinite(p[0]) || !robust.IsFinite(p[1]) {
					return nil, nil, fmt.Errorf("community polygon %d ring %d vertex %d: %w", i, j, k, tess.ErrNonFinite)
				}
				if in, on := shape.RingContainsExact(t.Bound, p); !in && !on {
					return nil, nil, fmt.Errorf("community polygon %d ring %d vertex %d %v: %w", i, j, k, p, ErrCommunityOutsideBound)
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
						return nil, nil, fmt.Errorf("constraint %d polygon %d ring %d vertex %d: %w", ci, i, j, k, tess.ErrNonFinite)
					}
					mag = max(mag, math.Abs(p[0]), math.Abs(p[1]))
				}
			}
		}
	}
	// The outlines as the arrangement holds them.
	snapTol := mag * robust.VertexSnapRel
	if c, ok := regularAt(community, snapTol); ok && len(c) > 0 {
		community = c
	}
	cons, cloned := constraints, false
	for k, c := range constraints {
		if p, ok := regularAt(c.Polygon, snapTol); ok {
			if !cloned {
				cons, cloned = slices.Clone(constraints), true
			}
			cons[k].Polygon = p
		}
	}
	ov := &overlay{
		t:         t,
		community: community,
		snapTol:   snapTol,
		outline:   shape.NewOutlineIndex(community),
		cells:     newCellLocator(t),
	}
	if exhaustive {
		return ov, cons, nil
	}
	if err := ov.classify(ctx, cellGroup, nGroups, cons); err != nil {
		return nil, nil, err
	}
	ov.consPolys = make([]orb.MultiPolygon, len(cons))
	for k, c := range cons {
		ov.consPolys[k] = c.Polygon
	}
	return ov, cons, nil
}

// classify finds what decides which cells are dirty for any labelling no
// coarser than cellGroup: the cells that may come within cleanMarginSnaps
// snap tolerances of the outline, with those that are not plain convex
// cells of a unit (fixed); for each constraint, the cells of other groups
// that may come within that distance of its outline or lie inside it, and
// the cells of its own group that may come near its outline. It tells the
// side of the outline of every cell not fixed, once for every connected set
// of them (no outline passes between two such neighbours).
func (ov *overlay) classify(ctx context.Context, cellGroup []int, nGroups int, constraints []Constraint) error {
	t := ov.t
	ng := t.NumGens()
	pad := cleanMarginSnaps * ov.snapTol
	fixed := make([]bool, ng)
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
			fixed[g] = true
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
					if u := t.GenUnit[g]; u >= 0 && !near[u] || !fixed[g] {
						if segNearCell(r[k], r[k+1], t, int(g), pad) {
							fixed[g] = true
							if u >= 0 {
								near[u] = true
							}
						}
					}
				})
			}
		}
	}
	cons := make([]consCells, len(constraints))
	cb := make([]orb.Bound, len(constraints))
	boxes := make([][4]float64, len(constraints))
	for k, c := range constraints {
		cb[k] = shape.MultiPolygonBound(c.Polygon).Pad(pad)
		boxes[k] = [4]float64{cb[k].Min[0], cb[k].Min[1], cb[k].Max[0], cb[k].Max[1]}
	}
	ov.consBoxes = newBoxGrid(nil, boxes)
	for k, c := range constraints {
		cc := &cons[k]
		for _, poly := range c.Polygon {
			if poll.Stop() {
				return ctx.Err()
			}
			ov.constraintCells(poly, c.Group, groupOf, seen, &stamp, pad, cc)
		}
		cc.alone = true
		for _, j := range ov.consBoxes.meets(cb[k].Min, cb[k].Max) {
			if j != int32(k) {
				cc.alone = false
				break
			}
		}
	}

	inside := make([]bool, ng)
	done := make([]bool, ng)
	var stack []int32
	for g := range ng {
		if poll.Stop() {
			return ctx.Err()
		}
		if fixed[g] || done[g] {
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
				if c >= 0 && !fixed[c] && !done[c] {
					done[c] = true
					stack = append(stack, c)
				}
			}
		}
	}
	ov.fixed, ov.inside, ov.near, ov.cons = fixed, inside, near, cons
	return nil
}

// consCells are the cells of other groups near one constraint
// (classify).
type consCells struct {
	// other are the cells of other groups that may come near its
	// outline, or lie inside it.
	other []otherCell
	// alone: no other constraint's box comes near its box.
	alone bool
}

type otherCell struct {
	g    int32
	near bool // near the outline; else inside
}

// dirtyFor returns the dirty cells, by generator, of the labelling that
// puts cell g in group cellGroup(g) and constraint k (of those the overlay
// was made with) in consGroup[k] (negative: left out): those fixed, and
// those near or inside a constraint of another group. And it tells which
// constraints are isolated: alone, with every cell near its outline a
// clean cell of its own group and none of another group inside. Nothing of
// the arrangement then comes within cleanMarginSnaps snap tolerances of an
// isolated constraint's outline (the outline, a dirty cell's edge or
// another constraint would make a cell near it dirty, or meet its box),
// and its edges have its group, or nothing, on both sides. With an
// exhaustive overlay it returns nil, nil: every cell dirty, no constraint
// isolated.
func (ov *overlay) dirtyFor(cellGroup func(g int32) int32, consGroup []int) (dirty, iso []bool) {
	if ov.fixed == nil {
		return nil, nil
	}
	dirty = slices.Clone(ov.fixed)
	for k, cc := range ov.cons {
		if x := consGroup[k]; x >= 0 {
			for _, o := range cc.other {
				if cellGroup(o.g) != int32(x) {
					dirty[o.g] = true
				}
			}
		}
	}
	iso = make([]bool, len(ov.cons))
	for k, cc := range ov.cons {
		x := int32(consGroup[k])
		if x < 0 || !cc.alone {
			continue
		}
		iso[k] = true
		for _, o := range cc.other {
			// Of another group here, or of its own and near but dirty.
			if cellGroup(o.g) != x || o.near && dirty[o.g] {
				iso[k] = false
				break
			}
		}
	}
	// A dirty cell of a constraint's own group near its outline.
	pad := cleanMarginSnaps * ov.snapTol
	t := ov.t
	for g, d := range dirty {
		ring, _ := t.Cell(g)
		if !d || len(ring) == 0 {
			continue
		}
		lo, hi := t.Verts[ring[0]], t.Verts[ring[0]]
		for _, v := range ring[1:] {
			p := t.Verts[v]
			lo = orb.Point{min(lo[0], p[0]), min(lo[1], p[1])}
			hi = orb.Point{max(hi[0], p[0]), max(hi[1], p[1])}
		}
		x := cellGroup(int32(g))
		for _, k := range ov.consBoxes.meets(lo, hi) {
			if iso[k] && int32(consGroup[k]) == x && (len(ring) < 3 || polygonsNearCell(ov.consPolys[k], t, int32(g), pad)) {
				iso[k] = false
			}
		}
	}
	return dirty, iso
}

// constraintCells adds to cc the cells of groups other than group that may
// come within pad of an edge of polygon poly, or lie inside it. A small
// polygon (a footprint) looks at the cells in its box once; a large one (a
// compound's wall) at those along each edge, then at those in its box for
// the ones inside.
func (ov *overlay) constraintCells(poly orb.Polygon, group int, groupOf func(int32) int, seen []int32, stamp *int32, pad float64, cc *consCells) {
	t, l := ov.t, ov.cells
	b := shape.PolygonBound(poly)
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
			// No edge comes near the cell (or it is listed already), so
			// any vertex of it tells.
			ring, _ := t.Cell(int(g))
			if shape.PolygonCovers(poly, t.Verts[ring[0]]) {
				cc.other = append(cc.other, otherCell{g, false})
			}
		}
	}
	*stamp++
	if nEdges <= smallConstraintEdges {
		l.visit(orb.Point{b.Min[0] - pad, b.Min[1] - pad}, orb.Point{b.Max[0] + pad, b.Max[1] + pad}, seen, *stamp, func(g int32) {
			switch {
			case groupOf(g) == group:
			case nearEdge(g):
				cc.other = append(cc.other, otherCell{g, true})
			default:
				inside(g)
			}
		})
		return
	}
	for _, r := range poly {
		for k := 0; k+1 < len(r); k++ {
			ov.along(r[k], r[k+1], pad, seen, stamp, func(g int32) {
				if groupOf(g) != group && segNearCell(r[k], r[k+1], t, int(g), pad) {
					cc.other = append(cc.other, otherCell{g, true})
				}
			})
		}
	}
	*stamp++
	l.visit(b.Min, b.Max, seen, *stamp, inside)
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
