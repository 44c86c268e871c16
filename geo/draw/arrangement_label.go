package draw

import (
	"slices"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
)

// label fills in the unknown sides: the community side of a grid or
// constraint edge, the cells' grid of a community or constraint edge, and
// the constraint covering each side of every edge, by locating the edge's
// midpoint. An edge of the noded arrangement crosses no other, so its
// midpoint is on one side of every outline it does not lie on. Community
// edges are located in the regions of the groups (as before constraints
// existed): where the midpoint is well inside a cell, the region is that
// cell's group's, and only the others trace the regions (near) to look in;
// the other fixed edges, inside the community, are located in the cells.
// Once a.ctx is done it returns a.ctx.Err(), some edges unlabelled.
func (a *arrangement) label(t *tess.Tessellation, group []int, nGroups int, near []int) error {
	groupOf := func(g int32) int32 {
		if g >= 0 {
			if u := t.GenUnit[g]; u >= 0 {
				if gg := group[u]; gg >= 0 && gg < nGroups {
					return int32(gg)
				}
			}
		}
		return noGroup
	}
	// The constraint polygons but the isolated, by their boxes; owner is
	// each box's constraint.
	var consBoxes [][4]float64
	var owner []int32
	for k, c := range a.cons {
		if a.iso != nil && a.iso[k] {
			continue // no edge's midpoint is near it but its own
		}
		for _, p := range c.Polygon {
			b := shape.PolygonBound(p)
			consBoxes = append(consBoxes, [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]})
			owner = append(owner, int32(k))
		}
	}
	ctr := newBoxGrid(&a.s.sq[2], consBoxes)
	outline, cells := a.ov.outline, a.cells
	fixed, inside := a.ov.fixed, a.ov.inside
	margin := cleanMarginSnaps * a.snapTol
	if err := parallel.RangesContext(a.ctx, len(a.edges), func(lo, hi int, poll *parallel.Poll) {
		for k := lo; k < hi && !poll.Stop(); k++ {
			e := &a.edges[k]
			p, q := a.verts[e.a], a.verts[e.b]
			m := orb.Point{(p[0] + q[0]) / 2, (p[1] + q[1]) / 2}
			fromOutline := e.il != sideUnknown
			cell := int32(-1)
			if e.gl == unknownGroup {
				if !fromOutline {
					cell = cells.gen(m)
					e.gl, e.gr = groupOf(cell), groupOf(cell)
				} else if g := cells.gen(m); g >= 0 && cells.wellInside(g, m, margin) {
					e.gl, e.gr = groupOf(g), groupOf(g)
				}
			}
			if e.il == sideUnknown {
				// In a clean cell the side is the cell's; elsewhere the
				// outline tells.
				in := int8(sideOut)
				if cell >= 0 && fixed != nil && !fixed[cell] {
					if inside[cell] {
						in = sideIn
					}
				} else if outline.Covers(m) {
					in = sideIn
				}
				e.il, e.ir = in, in
			}
			e.cl, e.cr = -1, -1
			if len(a.cons) == 0 {
				continue
			}
			first := func(c *int32, k int32) {
				if *c < 0 || k < *c {
					*c = k
				}
			}
			for _, s := range e.on {
				if s > 0 {
					first(&e.cl, s-1)
				} else {
					first(&e.cr, -s-1)
				}
			}
			ctr.at(m, func(i int32) {
				k := owner[i]
				if (e.cl >= 0 && k > e.cl && e.cr >= 0 && k > e.cr) || slices.Contains(e.on, k+1) || slices.Contains(e.on, -(k+1)) {
					return // cannot win, or its side is known
				}
				for _, poly := range a.cons[k].Polygon {
					if shape.PolygonCovers(poly, m) {
						first(&e.cl, k)
						first(&e.cr, k)
						break
					}
				}
			})
		}
	}); err != nil {
		return err
	}
	// The community edges on or near a cell's edge: the first region that
	// covers the midpoint.
	var boxes []regionBox
	for k := range a.edges {
		e := &a.edges[k]
		if e.gl != unknownGroup {
			continue
		}
		if boxes == nil {
			for g, mp := range t.Regions(near, nGroups) {
				for _, p := range mp {
					boxes = append(boxes, regionBox{shape.PolygonBound(p), int32(g), p})
				}
			}
			if boxes == nil {
				boxes = []regionBox{}
			}
		}
		p, q := a.verts[e.a], a.verts[e.b]
		m := orb.Point{(p[0] + q[0]) / 2, (p[1] + q[1]) / 2}
		g := int32(noGroup)
		for _, b := range boxes {
			if b.b.Contains(m) && shape.PolygonCovers(b.p, m) {
				g = b.g
				break
			}
		}
		e.gl, e.gr = g, g
	}
	return a.ctx.Err()
}

// regionBox is a polygon of a group's region, with its bound.
type regionBox struct {
	b orb.Bound
	g int32
	p orb.Polygon
}

// sides returns the grid on the left and on the right of e, after label:
// the first constraint covering a side inside the community, else the
// cells' grid there; noGroup outside the community.
func (a *arrangement) sides(e *aEdge) (left, right int32) {
	side := func(in int8, g, c int32) int32 {
		switch {
		case in != sideIn:
			return noGroup
		case c >= 0:
			return int32(a.cons[c].Group)
		}
		return g
	}
	return side(e.il, e.gl, e.cl), side(e.ir, e.gr, e.cr)
}

// each calls f with every edge of the arrangement and of its direct edges,
// with the grids on its left and on its right, in the order the edges
// would have in the arrangement of every cell: the pieces of the cell
// edges, edge by edge in the order addGridEdges met them (a direct edge is
// its one piece), then those of the fixed edges.
func (a *arrangement) each(f func(p, q, left, right int32)) {
	prev := int32(0)
	d := 0
	for i := range a.grid {
		for ; d < len(a.direct) && a.direct[d].seq < a.grid[i].seq; d++ {
			e := &a.direct[d]
			f(e.a, e.b, e.l, e.r)
		}
		for k := prev; k < a.gEnd[i]; k++ {
			e := &a.edges[k]
			left, right := a.sides(e)
			f(e.a, e.b, left, right)
		}
		prev = a.gEnd[i]
	}
	for ; d < len(a.direct); d++ {
		e := &a.direct[d]
		f(e.a, e.b, e.l, e.r)
	}
	for k := int(prev); k < len(a.edges); k++ {
		e := &a.edges[k]
		left, right := a.sides(e)
		f(e.a, e.b, left, right)
	}
}

// gridEdges returns, for each grid, the directed edges of its outline with
// the grid on the left, in the order of each.
func (a *arrangement) gridEdges(nGroups int) [][]shape.Edge {
	out := make([][]shape.Edge, nGroups)
	a.each(func(p, q, left, right int32) {
		if left == right {
			return
		}
		if left >= 0 && int(left) < nGroups {
			out[left] = append(out[left], shape.Edge{From: p, To: q})
		}
		if right >= 0 && int(right) < nGroups {
			out[right] = append(out[right], shape.Edge{From: q, To: p})
		}
	})
	return out
}
