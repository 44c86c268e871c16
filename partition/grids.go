package partition

import (
	"math"
	"sort"
)

// grids turns the parts of a community into Grids numbered row by row,
// north→south, and west→east within a row (CJ/T 349-2010 practice).
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
	order := rowOrder(grids, cs.x, cs.y)
	out := make([]Grid, len(grids))
	for seq, i := range order {
		out[seq] = grids[i]
		out[seq].Seq = seq + 1
	}
	return out
}

// rowOrder returns the grid indices in reading order: grids whose centroids
// lie within half a typical grid diameter of a row's northernmost grid form
// that row. The typical diameter is the square root of the community's
// bounding box area per grid.
func rowOrder(grids []Grid, xs, ys []float64) []int {
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
	idx := make([]int, len(grids))
	for i := range idx {
		idx[i] = i
	}
	less := func(a, b int) bool { // total order: north first, then west, then first atom
		ga, gb := &grids[a], &grids[b]
		if ga.Y != gb.Y {
			return ga.Y > gb.Y
		}
		if ga.X != gb.X {
			return ga.X < gb.X
		}
		return ga.Atoms[0] < gb.Atoms[0]
	}
	sort.Slice(idx, func(i, j int) bool { return less(idx[i], idx[j]) })
	var order []int
	for start := 0; start < len(idx); {
		top := grids[idx[start]].Y
		end := start + 1
		for end < len(idx) && top-grids[idx[end]].Y <= d/2 {
			end++
		}
		row := idx[start:end]
		sort.Slice(row, func(i, j int) bool {
			ga, gb := &grids[row[i]], &grids[row[j]]
			if ga.X != gb.X {
				return ga.X < gb.X
			}
			return less(row[i], row[j])
		})
		order = append(order, row...)
		start = end
	}
	return order
}
