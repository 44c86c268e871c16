package partition

import (
	"math"
	"sort"
)

// grids turns the parts of a community into Grids numbered row by row in
// the order of the settings (see [Order]).
//
// empty reports a community without households: its grids are Empty.
func (cs *communitySolver) grids(parts [][]int, reasons []Reason, empty bool) []Grid {
	grids := make([]Grid, len(parts))
	for i, p := range parts {
		g := &grids[i]
		g.Community = cs.c
		g.Reason = reasons[i]
		var sx, sy, sxx float64
		ox, oy := cs.x[p[0]], cs.y[p[0]]
		for _, v := range p {
			g.Atoms = append(g.Atoms, cs.global[v])
			g.Weight += cs.w[v]
			g.Dedicated = g.Dedicated || cs.atom(v).Dedicated
			m := cs.m[v]
			x, y := cs.x[v]-ox, cs.y[v]-oy
			g.Mass += m
			sx += m * x
			sy += m * y
			sxx += m * (x*x + y*y)
		}
		sort.Ints(g.Atoms)
		g.X, g.Y = ox+sx/g.Mass, oy+sy/g.Mass
		g.Inertia = inertia(g.Mass, sx, sy, sxx)
		switch {
		case g.Dedicated:
		case empty:
			g.Empty = true
		case g.Weight < cs.set.Min:
			g.Status = Under
		case g.Weight > cs.set.Max:
			g.Status = Over
		}
		if g.Status == OK {
			g.Reason = ""
		}
	}
	order := rowOrder(grids, cs.x, cs.y, cs.set.Order)
	out := make([]Grid, len(grids))
	for seq, i := range order {
		out[seq] = grids[i]
		out[seq].Seq = seq + 1
	}
	return out
}

// An Order is the order in which the grids of a community are numbered:
// row by row, each row in turn. A grid's position is its centroid (the
// centre of mass of its atoms). A row is formed from the first grid not
// yet numbered (the northernmost; for SouthEast the southernmost) and
// every grid whose centroid lies within half a typical grid diameter of it
// in northing; the typical diameter is the square root of the area of the
// community's bounding box per grid.
// Equal coordinates are ordered by the lowest atom, so the order is total
// and the same whatever the number of workers.
type Order int

const (
	// NorthWest numbers rows from the north, each row from the west
	// (CJ/T 349-2010 and local practice, e.g. Beijing DB11).
	NorthWest Order = iota
	// SouthEast numbers rows from the south, each row from the east (GB/T
	// 37149): the order of NorthWest with the community turned through
	// 180°.
	SouthEast
)

// rowOrder returns the grid indices in the reading order of order (see
// [Order]); xs and ys are the atoms' coordinates, for the bounding box.
func rowOrder(grids []Grid, xs, ys []float64, order Order) []int {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i := range xs {
		minX, maxX = math.Min(minX, xs[i]), math.Max(maxX, xs[i])
		minY, maxY = math.Min(minY, ys[i]), math.Max(maxY, ys[i])
	}
	w, h := maxX-minX, maxY-minY
	d := math.Sqrt(w * h / float64(len(grids)))
	if d == 0 {
		d = math.Max(w, h) / float64(len(grids))
	}
	// SouthEast is NorthWest of the mirrored coordinates: negation is
	// exact, so both orders see the same distances.
	sign := 1.0
	if order == SouthEast {
		sign = -1
	}
	gx, gy := make([]float64, len(grids)), make([]float64, len(grids))
	idx := make([]int, len(grids))
	for i := range idx {
		idx[i] = i
		gx[i], gy[i] = sign*grids[i].X, sign*grids[i].Y
	}
	less := func(a, b int) bool { // total order: north first, then west, then first atom
		if gy[a] != gy[b] {
			return gy[a] > gy[b]
		}
		if gx[a] != gx[b] {
			return gx[a] < gx[b]
		}
		return grids[a].Atoms[0] < grids[b].Atoms[0]
	}
	sort.Slice(idx, func(i, j int) bool { return less(idx[i], idx[j]) })
	var out []int
	for start := 0; start < len(idx); {
		top := gy[idx[start]]
		end := start + 1
		for end < len(idx) && top-gy[idx[end]] <= d/2 {
			end++
		}
		row := idx[start:end]
		sort.Slice(row, func(i, j int) bool {
			if a, b := row[i], row[j]; gx[a] != gx[b] {
				return gx[a] < gx[b]
			}
			return less(row[i], row[j])
		})
		out = append(out, row...)
		start = end
	}
	return out
}
