package partition

import "math/bits"

// A side of a unit x is a piece of what is left of x's piece without x:
// every grid but x's lies within one side, and x's grid takes from each
// side a connected part next to x, its loan, while the rest of the side
// makes grids of its own.
type side struct {
	units []int32 // nil: not listed (more than sideUnits non-empty units)
	w     int     // total weight
	full  int     // non-empty units
}

// loanScratch is the storage sideLoans reuses.
type loanScratch struct {
	w          []int
	part, lend []bool
	grid       []int8
}

// sideUnits is the most non-empty units of a side whose loans are found
// exactly (2^sideUnits subsets), and sideWork bounds the steps of those
// searches for a piece, in multiples of its atoms.
const (
	sideUnits = 8
	sideWork  = 4096
)

// lendable reports whether the grid of x can hold a total in band from
// what its sides can lend: a side listed with at most sideUnits non-empty
// units lends any total of a connected part next to x whose rest makes
// grids in band (empty units shared, as a relaxation: it lends no less
// than it could); another side lends anything from its remainder to its
// whole total. Otherwise no plan exists.
func (r *reducer) lendable(x int32, sides []side, adj [][]int32) bool {
	set := r.cs.set
	exact := false
	for _, sd := range sides {
		exact = exact || sd.units != nil && sd.full <= sideUnits
	}
	if !exact || r.w[x] > set.Max {
		return true
	}
	// The totals x's grid can have, up to max or all the sides hold,
	// whichever is less: a maximum far above the households at hand
	// costs nothing.
	top := r.w[x]
	for _, sd := range sides {
		top += sd.w
	}
	top = min(top, set.Max)
	r.totals = [2][]bool{sized(r.totals[0], top+1), sized(r.totals[1], top+1)}
	reach, next := r.totals[0], r.totals[1] // totals x's grid can have so far
	clear(reach)
	reach[r.w[x]] = true
	for _, sd := range sides {
		clear(next)
		var lend []bool
		if sd.units != nil && sd.full <= sideUnits && r.sideWork > 0 {
			lend = r.sideLoans(x, sd, adj, top)
		}
		if lend == nil {
			// Any loan in [lo, hi]: t is reached if some reached total
			// lies in [t-hi, t-lo].
			lo, hi := r.remainder(sd.w), sd.w
			count := 0 // reached totals in the window
			for t := range next {
				if a := t - lo; a >= 0 {
					if reach[a] {
						count++
					}
				}
				if b := t - hi - 1; b >= 0 && reach[b] {
					count--
				}
				next[t] = count > 0
			}
		} else {
			for t, ok := range reach {
				if !ok {
					continue
				}
				for l, can := range lend {
					if can && t+l <= top {
						next[t+l] = true
					}
				}
			}
		}
		reach, next = next, reach
	}
	for t := set.Min; t <= top; t++ {
		if reach[t] {
			return true
		}
	}
	return false
}

// sideLoans returns, over 0..top, the loans the listed side sd can make to
// the grid of x (see lendable; top is at most max), or nil once the work
// budget runs out. The result is the reducer's scratch, valid until the
// next call.
func (r *reducer) sideLoans(x int32, sd side, adj [][]int32, top int) []bool {
	set := r.cs.set
	// The side's non-empty units, as bits; the units of the side marked.
	var bits []int32
	in := r.mark.next()
	for _, u := range sd.units {
		r.mark.mark[u] = in
		if r.w[u] > 0 {
			bits = append(bits, u)
		}
	}
	bit := func(u int32) int {
		for k, b := range bits {
			if b == u {
				return k
			}
		}
		return -1
	}
	// joined reports whether the units of mask are connected through
	// empty units of the side (and, with from, to x).
	joined := func(mask int, from bool) bool {
		r.sideWork -= len(sd.units)
		seen := r.seen.next()
		queue := r.queue[:0]
		open := func(v int32) bool {
			if r.mark.mark[v] != in || r.seen.mark[v] == seen {
				return false
			}
			if r.w[v] > 0 && mask&(1<<bit(v)) == 0 {
				return false
			}
			r.seen.mark[v] = seen
			queue = append(queue, v)
			return true
		}
		if from {
			for _, v := range adj[x] {
				open(v)
			}
		} else {
			open(bits[bitsIndexLow(mask)])
		}
		got := 0
		for k := 0; k < len(queue); k++ {
			if r.w[queue[k]] > 0 {
				got++
			}
			for _, v := range adj[queue[k]] {
				open(v)
			}
		}
		r.queue = queue
		return got == popCount(mask)
	}
	n := 1 << len(bits)
	sc := &r.loans
	w := sized(sc.w, n)
	part := sized(sc.part, n) // mask makes grids in band
	grid := sized(sc.grid, n) // 1: one grid in band, -1: not, 0: not yet known
	lend := sized(sc.lend, top+1)
	sc.w, sc.part, sc.grid, sc.lend = w, part, grid, lend
	clear(part)
	clear(grid)
	clear(lend)
	w[0], part[0] = 0, true
	for mask := 1; mask < n; mask++ {
		low := mask & -mask
		w[mask] = w[mask^low] + r.w[bits[bitsIndexLow(mask)]]
		for sub := mask; sub > 0; sub = (sub - 1) & mask {
			r.sideWork--
			if sub&low == 0 || !part[mask^sub] || w[sub] < set.Min || w[sub] > set.Max {
				continue
			}
			if grid[sub] == 0 {
				grid[sub] = -1
				if joined(sub, false) {
					grid[sub] = 1
				}
			}
			if grid[sub] > 0 {
				part[mask] = true
				break
			}
		}
		if r.sideWork <= 0 {
			return nil
		}
	}
	for t := 0; t < n; t++ {
		if r.w[x]+w[t] > top || !part[(n-1)^t] {
			continue
		}
		if t == 0 || joined(t, true) {
			lend[w[t]] = true
		}
	}
	return lend
}

// bitsIndexLow returns the index of the lowest set bit of mask (> 0).
func bitsIndexLow(mask int) int { return bits.TrailingZeros(uint(mask)) }

// popCount returns the set bits of mask.
func popCount(mask int) int { return bits.OnesCount(uint(mask)) }

// sized returns s with length n, in its own storage if that is large
// enough; the contents are not cleared.
func sized[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
