package tess

import (
	"math"
	"slices"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// UnitAdjacency returns one entry per pair of units whose cells share a
// boundary of positive length, A < B, sorted by (A, B), with the total
// shared length in metres.
func (t *Tessellation) UnitAdjacency() []UnitEdge {
	// Generators grouped by unit (counting sort), then one pass per unit
	// with a dense accumulator: no map, output already sorted.
	nu := t.NUnits
	start := make([]int32, nu+1)
	for _, u := range t.GenUnit {
		if u >= 0 {
			start[u+1]++
		}
	}
	for u := range nu {
		start[u+1] += start[u]
	}
	gens := make([]int32, start[nu])
	fill := slices.Clone(start[:nu])
	for g, u := range t.GenUnit {
		if u >= 0 {
			gens[fill[u]] = int32(g)
			fill[u]++
		}
	}
	nw := parallel.Workers(nu, 256)
	parts := make([][]UnitEdge, nw)
	parallel.Split(nw, nu, func(w, lo, hi int) {
		acc := make([]float64, nu)
		var touched []int
		for a := lo; a < hi; a++ {
			for _, g := range gens[start[a]:start[a+1]] {
				ring, nbr := t.Cell(int(g))
				for k, c := range nbr {
					if c < 0 {
						continue
					}
					b := t.GenUnit[c]
					if b <= a {
						continue
					}
					l := t.edgeLen(ring[k], ring[(k+1)%len(ring)])
					if l > 0 {
						if acc[b] == 0 {
							touched = append(touched, b)
						}
						acc[b] += l
					}
				}
			}
			slices.Sort(touched)
			for _, b := range touched {
				parts[w] = append(parts[w], UnitEdge{a, b, acc[b]})
				acc[b] = 0
			}
			touched = touched[:0]
		}
	})
	return slices.Concat(parts...)
}

func (t *Tessellation) edgeLen(a, b int32) float64 {
	p, q := t.Verts[a], t.Verts[b]
	return math.Hypot(q[0]-p[0], q[1]-p[1])
}

// CellAreaM2 returns the area of the cell of generator g.
func (t *Tessellation) CellAreaM2(g int) float64 {
	ring, _ := t.Cell(g)
	if len(ring) < 3 {
		return 0
	}
	var buf [64]orb.Point
	pts := buf[:0]
	for _, v := range ring {
		pts = append(pts, t.Verts[v])
	}
	return shape.RingArea(pts)
}

// UnitAreaM2 returns the area of each unit's cells; the areas sum to the
// bound's area.
func (t *Tessellation) UnitAreaM2() []float64 {
	out := make([]float64, t.NUnits)
	for g := range t.NumGens() {
		if u := t.GenUnit[g]; u >= 0 {
			out[u] += t.CellAreaM2(g)
		}
	}
	return out
}

// UnitOuterM returns the length of each unit's cell boundary on the bound.
func (t *Tessellation) UnitOuterM() []float64 {
	out := make([]float64, t.NUnits)
	for g := range t.NumGens() {
		u := t.GenUnit[g]
		if u < 0 {
			continue
		}
		ring, nbr := t.Cell(g)
		for k, c := range nbr {
			if c < 0 {
				out[u] += t.edgeLen(ring[k], ring[(k+1)%len(ring)])
			}
		}
	}
	return out
}

// Regions traces, for a labelling of units into groups (group[unit] = g,
// 0 <= g < nGroups; a negative group leaves the unit out), the outline of
// each group as a MultiPolygon on the shared vertices, holes included, so
// neighbouring groups have identical coordinates along their common border.
// Exteriors are counter-clockwise, holes clockwise, rings closed. Where a
// group touches itself at a single vertex the outline is split there, so
// every ring is simple.
func (t *Tessellation) Regions(group []int, nGroups int) []orb.MultiPolygon {
	if len(group) != t.NUnits {
		panic("geo: Regions: len(group) != NUnits") // programmer error
	}
	gen := func(g int32) int {
		if g < 0 || t.GenUnit[g] < 0 {
			return -1
		}
		return group[t.GenUnit[g]]
	}
	type edge = shape.Edge
	// Count each group's boundary edges, then carve its list from one array.
	count := make([]int, nGroups)
	for g := range t.NumGens() {
		gg := gen(int32(g))
		if gg < 0 || gg >= nGroups {
			continue
		}
		_, nbr := t.Cell(g)
		for _, c := range nbr {
			if c < 0 || gen(c) != gg {
				count[gg]++
			}
		}
	}
	total := 0
	for _, c := range count {
		total += c
	}
	all := make([]edge, total)
	edges := make([][]edge, nGroups)
	off := 0
	for gg, c := range count {
		edges[gg] = all[off : off : off+c]
		off += c
	}
	for g := range t.NumGens() {
		gg := gen(int32(g))
		if gg < 0 || gg >= nGroups {
			continue
		}
		ring, nbr := t.Cell(g)
		for k, c := range nbr {
			if c < 0 || gen(c) != gg {
				edges[gg] = append(edges[gg], edge{From: ring[k], To: ring[(k+1)%len(ring)]})
			}
		}
	}
	out := make([]orb.MultiPolygon, nGroups)
	parallel.Ranges(nGroups, func(lo, hi int) {
		for gg := lo; gg < hi; gg++ {
			out[gg] = shape.Trace(t.Verts, edges[gg])
		}
	})
	return out
}
