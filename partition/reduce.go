package partition

import (
	"fmt"
	"slices"
)

// Proofs of infeasibility by reduction. A plan in band divides a connected
// piece into connected grids, each of total in [min, max]. The rules below
// hold for every such plan, so a contradiction among them proves that none
// exists; they never claim more (each is argued at its rule). Atoms are
// merged into units that every plan in band keeps in one grid:
//
//   - Two units whose total exceeds max never share a grid, so the edge
//     between them is never used to connect one: it is dropped.
//   - A unit below min shares its grid with some non-empty unit. Its grid is
//     connected, so it holds a path from the unit to the nearest such unit,
//     a mate, through empty units only, and the two ends total at most max.
//     Without a mate the unit is stranded; with one mate, or one neighbour
//     that starts a path to any, the two merge. (A unit need not be
//     connected: it is a set of atoms that share a grid in every plan.)
//   - A unit above max (a 250 and a 200 merged, which a 100 must then
//     join) is a contradiction.
//   - A connected piece (without the dropped edges) is a union of grids: its
//     total must lie in [k·min, k·max] for some whole number k.
//   - The grid of a non-empty unit u holds no unit v with w(u)+w(v) > max,
//     so it lies within what u reaches without passing such a unit. A set
//     Z of non-empty units holding every non-empty unit each of its own
//     so reaches is closed: the grids holding its units hold no other
//     non-empty unit, so its total must lie in [k·min, k·max] for some
//     whole number k (three towers of 176, 218 and 165 households, walled
//     in by units of 400 that none of them can share a grid with).
//   - Around a unit x, every other grid of its piece lies within one side
//     of x (a connected piece of what is left without x), so a side whose
//     total is not a union of grids (0 or in some [k·min, k·max]) lends at
//     least the difference to x's grid, through x's neighbours on that
//     side. If x and its loans exceed max, there is no plan; if x has one
//     neighbour on a side that must lend, they merge. A bridge that every
//     plan must cross is the case of a side reached by one edge. Where a
//     side holds few non-empty units, the loans it can make are found
//     exactly: the totals of its parts next to x whose rest makes grids in
//     band (empty units shared between them, which only adds loans); if no
//     choice of loans puts x's grid in band, there is no plan (see lend.go).
//
// Empty atoms are units like any other: a grid holds each of them or not,
// so two grids never share one (the relaxation of the exhaustive search
// allows that; these rules do not).

// A reducer applies the rules to one connected piece of a community.
type reducer struct {
	cs    *communitySolver
	nodes []int   // the piece, local nodes of cs
	at    []int32 // at[v]: index in nodes of cs node v (valid for nodes only)
	uf    []int32 // union-find over indices in nodes
	w     []int   // weight of each unit, at its root
	// members lists the indices of each unit, at its root.
	members [][]int32
	mark    marks // over indices, for neighbours
	seen    marks // over indices, for the searches through empty units
	// The scratch of units and cuts.
	nbrs, queue []int32
	roots       []int32
	pairs       [][2]int32 // merges found by cuts
	sides       []side
	totals      [2][]bool // scratch of lendable
	loans       loanScratch
	// sideWork is what is left of the steps that lending's exact sides may
	// take (see lendable).
	sideWork int
	// why is the contradiction met, if any.
	why proof
}

// A proof says why a piece admits no plan with every grid in band.
type proof struct {
	kind proofKind
	// atoms are where the contradiction was found: the unit or the piece,
	// ascending.
	atoms []int
	// w is the unit's or piece's total; for proofLoan, the least total of
	// a grid holding the unit.
	w int
	// pivot names, for proofSides, an atom of the unit that cuts the
	// others off.
	pivot string
}

type proofKind int8

const (
	proofOverMax  proofKind = iota + 1 // atoms that must share a grid hold more than max
	proofStranded                      // a unit below min that no grid in band can hold
	proofCount                         // a piece whose total fits no whole number of grids
	proofLoan                          // a unit whose grid must take more than max from around it
	proofClosed                        // units whose grids hold no other, whose total fits no whole number of grids
	proofSides                         // a unit whose grid no loans of the sides around it bring into the band
)

// detail says what the proof shows, for a Diagnosis naming its atoms.
func (pf proof) detail(set *Settings) string {
	switch pf.kind {
	case proofOverMax:
		return fmt.Sprintf("every plan puts these in one grid (each below the minimum %d has no other way to a grid mate), which then holds %d households, above the maximum %d", set.Min, pf.w, set.Max)
	case proofStranded:
		return fmt.Sprintf("every plan puts these in one grid (%d households), and no grid holding them can reach the minimum %d without passing the maximum %d", pf.w, set.Min, set.Max)
	case proofCount:
		return fmt.Sprintf("no grid in band reaches across the edge of these (each would pass the maximum %d), and their %d households fit no whole number of grids in band", set.Max, pf.w)
	case proofClosed:
		return fmt.Sprintf("a grid holding one of these holds no other unit with households (every other it could reach would take it above the maximum %d), and their %d households fit no whole number of grids in band", set.Max, pf.w)
	case proofSides:
		return fmt.Sprintf("%s cuts the others off from the rest of the community, and whatever connected part of them joins its grid, either the rest of them cannot make grids in band or its grid cannot reach the band [%d, %d]", pf.pivot, set.Min, set.Max)
	case proofLoan:
		return fmt.Sprintf("for the atoms around them to make grids in band, the grid holding these would need at least %d households, above the maximum %d", pf.w, set.Max)
	}
	return ""
}

// infeasible reports whether the rules prove that the connected nodes comp
// admit no plan with every grid in band, and why.
func (cs *communitySolver) infeasible(comp []int) (proof, bool) {
	if len(comp) == 0 {
		return proof{}, false
	}
	r := cs.newReducer(comp)
	if r.reduce() {
		slices.Sort(r.why.atoms)
		return r.why, true
	}
	return proof{}, false
}

func (cs *communitySolver) newReducer(nodes []int) *reducer {
	n := len(nodes)
	if len(cs.reduceAt) < len(cs.global) {
		cs.reduceAt = make([]int32, len(cs.global))
	}
	r := &reducer{cs: cs, nodes: nodes, at: cs.reduceAt, uf: make([]int32, n), w: make([]int, n), members: make([][]int32, n)}
	r.mark.init(n)
	r.seen.init(n)
	r.sideWork = sideWork * (n + 16)
	for i, v := range nodes {
		r.at[v] = int32(i)
		r.uf[i] = int32(i)
		r.w[i] = cs.w[v]
		r.members[i] = []int32{int32(i)}
	}
	return r
}

func (r *reducer) find(i int32) int32 {
	for r.uf[i] != i {
		r.uf[i] = r.uf[r.uf[i]]
		i = r.uf[i]
	}
	return i
}

// merge joins the units rooted at a and b; the root with more members stays.
func (r *reducer) merge(a, b int32) int32 {
	if len(r.members[a]) < len(r.members[b]) {
		a, b = b, a
	}
	r.uf[b] = a
	r.w[a] += r.w[b]
	r.members[a] = append(r.members[a], r.members[b]...)
	r.members[b] = nil
	return a
}

// neighbours returns the roots of the units next to unit u, in the order
// first met, through edges that are kept (see the rules).
func (r *reducer) neighbours(u int32, out []int32) []int32 {
	out = out[:0]
	seen := r.mark.next()
	r.mark.mark[u] = seen
	r.adjacent(u, &r.mark, seen, func(q int32) bool {
		if r.w[u]+r.w[q] <= r.cs.set.Max {
			out = append(out, q)
		}
		return true
	})
	return out
}

// adjacent calls fn for each unit of the piece next to a member of unit u
// that m does not hold marked with stamp, in the order first met, after
// marking it; it stops, reporting false, once fn returns false.
func (r *reducer) adjacent(u int32, m *marks, stamp int32, fn func(q int32) bool) bool {
	for _, i := range r.members[u] {
		for _, x := range r.cs.adj[r.nodes[i]] {
			if !r.inPiece(int(x)) {
				continue
			}
			q := r.find(r.at[x])
			if m.mark[q] == stamp {
				continue
			}
			m.mark[q] = stamp
			if !fn(q) {
				return false
			}
		}
	}
	return true
}

// inPiece reports whether cs node v belongs to the piece.
func (r *reducer) inPiece(v int) bool {
	i := r.at[v]
	return i >= 0 && int(i) < len(r.nodes) && r.nodes[i] == v
}

// reduce applies the rules until they change nothing or meet a
// contradiction; it reports a contradiction (a proof that no plan in band
// exists), with r.why set.
func (r *reducer) reduce() bool {
	for {
		merged, stuck := r.local()
		if stuck {
			return true
		}
		if merged {
			continue
		}
		merged, stuck = r.cuts()
		if stuck {
			return true
		}
		if !merged {
			return r.closed()
		}
	}
}

// local applies the rules of single units, in index order, until they
// merge nothing more: a unit above max is a contradiction, and a unit
// below min merges with its only neighbour that can lead it to a grid
// mate, or is stranded without one.
func (r *reducer) local() (merged, stuck bool) {
	set := r.cs.set
	for changed := true; changed; {
		changed = false
		for i := range r.nodes {
			u := int32(i)
			if r.uf[u] != u {
				continue
			}
			if r.w[u] > set.Max {
				r.witness(proofOverMax, u, r.w[u])
				return merged, true
			}
			if r.w[u] >= set.Min {
				continue
			}
			// Its grid holds the nearest non-empty unit on a path from u:
			// a mate. With one mate, or one neighbour leading to any, that
			// is in u's grid.
			mate, mates := r.mates(u)
			if mates == 0 {
				r.witness(proofStranded, u, r.w[u])
				return merged, true
			}
			if mates == 1 {
				r.merge(u, mate)
				merged, changed = true, true
				continue
			}
			r.nbrs = r.neighbours(u, r.nbrs)
			useful := int32(-1)
			count := 0
			for _, q := range r.nbrs {
				if r.leadsToMate(u, q) {
					useful = q
					count++
					if count > 1 {
						break
					}
				}
			}
			if count == 1 {
				r.merge(u, useful)
				merged, changed = true, true
			}
		}
	}
	return merged, false
}

// mates counts the mates of the unit u below min, up to two, and returns
// one: the non-empty units v reached from u directly or through empty
// units, with w(u)+w(v) <= max.
func (r *reducer) mates(u int32) (mate int32, count int) {
	max := r.cs.set.Max
	mate = -1
	r.throughEmpty(u, -1, func(v int32) bool {
		if r.w[u]+r.w[v] <= max && v != mate {
			mate = v
			count++
		}
		return count < 2
	})
	return mate, count
}

// leadsToMate reports whether q, a neighbour of the unit u below min, is
// non-empty or starts a path through empty units (u left out) to a
// non-empty unit v with w(u)+w(v) <= max: the first step of a path from u
// to another non-empty unit in its grid.
func (r *reducer) leadsToMate(u, q int32) bool {
	if r.w[q] > 0 {
		return true // the edge is kept: w(u)+w(q) <= max
	}
	max := r.cs.set.Max
	found := false
	r.throughEmpty(q, u, func(v int32) bool {
		found = r.w[u]+r.w[v] <= max
		return !found
	})
	return found
}

// throughEmpty walks breadth first from the unit from, through empty
// units, over the units of the piece (skip, if not -1, left out), and
// calls nonEmpty once for each non-empty unit reached, which it does not
// go through; it stops once nonEmpty returns false.
func (r *reducer) throughEmpty(from, skip int32, nonEmpty func(v int32) bool) {
	seen := r.seen.next()
	r.seen.mark[from] = seen
	if skip >= 0 {
		r.seen.mark[skip] = seen
	}
	queue := append(r.queue[:0], from)
	for k := 0; k < len(queue); k++ {
		if !r.adjacent(queue[k], &r.seen, seen, func(v int32) bool {
			if r.w[v] == 0 {
				queue = append(queue, v)
				return true
			}
			return nonEmpty(v)
		}) {
			break
		}
	}
	r.queue = queue
}

// witness records a contradiction found in unit u.
func (r *reducer) witness(kind proofKind, u int32, w int) {
	r.why = proof{kind: kind, w: w}
	for _, i := range r.members[u] {
		r.why.atoms = append(r.why.atoms, r.nodes[i])
	}
}

// remainder is the least that must leave a set of total w for the rest to
// be a union of grids in band: w less the largest total at most w that is
// 0 or in some [k·min, k·max].
func (r *reducer) remainder(w int) int {
	set := r.cs.set
	k := w / set.Min
	if k == 0 {
		return w
	}
	return max(0, w-k*set.Max)
}

// cuts applies the rules of pieces and cuts to the graph of units and kept
// edges: a piece whose total fits no whole number of grids is a
// contradiction; for each unit x, each side of x (a piece of what is left
// of x's piece without x) whose total is not a union of grids lends to
// x's grid at least its remainder, through x's neighbours on that side.
// Loans above max less w(x) are a contradiction; a side that must lend
// through a single neighbour merges it with x.
func (r *reducer) cuts() (merged, stuck bool) {
	// The graph of units: roots in index order, kept edges.
	roots := r.roots[:0]
	for i := range r.nodes {
		if r.uf[i] == int32(i) {
			roots = append(roots, int32(i))
		}
	}
	r.roots = roots
	n := len(r.nodes)
	adj := make([][]int32, n)
	for _, u := range roots {
		adj[u] = slices.Clone(r.neighbours(u, r.nbrs))
	}
	disc := make([]int32, n) // 1 + discovery time; 0: not yet
	low := make([]int32, n)
	sub := make([]int, n)    // weight of the DFS subtree
	size := make([]int32, n) // units in the DFS subtree
	full := make([]int32, n) // non-empty units in the DFS subtree
	order := make([]int32, 0, len(roots))
	parent := make([]int32, n)
	next := make([]int, n) // next neighbour to visit
	time := int32(0)
	for _, s := range roots {
		if disc[s] != 0 {
			continue
		}
		// Iterative DFS from s; order lists the piece in discovery order.
		first := len(order)
		time++
		disc[s], low[s], parent[s] = time, time, -1
		order = append(order, s)
		stack := []int32{s}
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			if next[v] < len(adj[v]) {
				u := adj[v][next[v]]
				next[v]++
				if disc[u] == 0 {
					time++
					disc[u], low[u], parent[u] = time, time, v
					order = append(order, u)
					stack = append(stack, u)
				} else if u != parent[v] {
					low[v] = min(low[v], disc[u])
				}
				continue
			}
			stack = stack[:len(stack)-1]
			sub[v] += r.w[v]
			size[v]++
			if r.w[v] > 0 {
				full[v]++
			}
			if p := parent[v]; p >= 0 {
				sub[p] += sub[v]
				size[p] += size[v]
				full[p] += full[v]
				low[p] = min(low[p], low[v])
			}
		}
		piece := order[first:]
		total := sub[s]
		if lo, hi := GridRange(total, r.cs.set.Min, r.cs.set.Max); lo > hi {
			r.why = proof{kind: proofCount, w: total}
			for _, u := range piece {
				for _, i := range r.members[u] {
					r.why.atoms = append(r.why.atoms, r.nodes[i])
				}
			}
			return false, true
		}
		// inside reports whether unit y lies in the DFS subtree of c.
		inside := func(y, c int32) bool { return disc[y] >= disc[c] && disc[y] < disc[c]+size[c] }
		for _, x := range piece {
			loans := 0
			rest := total - r.w[x]
			var must []int32 // a single neighbour on a side that must lend
			sides := r.sides[:0]
			for _, c := range adj[x] {
				if parent[c] != x || low[c] < disc[x] {
					continue // not a child cut off from the rest by x
				}
				sides = append(sides, side{units: order[disc[c]-1 : disc[c]-1+size[c]], w: sub[c], full: int(full[c])})
				rest -= sub[c]
				if m := r.remainder(sub[c]); m > 0 {
					loans += m
					if one, ok := r.single(x, adj[x], func(y int32) bool { return inside(y, c) }); ok {
						must = append(must, one)
					}
				}
			}
			if parent[x] >= 0 || rest > 0 {
				// The side holding x's parent (and the children not cut
				// off by x), if any.
				if m := r.remainder(rest); m > 0 {
					loans += m
					outside := func(y int32) bool {
						if parent[x] >= 0 && !inside(y, x) {
							return true
						}
						for _, c := range adj[x] {
							if parent[c] == x && low[c] < disc[x] && inside(y, c) {
								return true
							}
						}
						return false
					}
					if one, ok := r.single(x, adj[x], outside); ok {
						must = append(must, one)
					}
				}
			}
			if r.w[x]+loans > r.cs.set.Max {
				r.witness(proofLoan, x, r.w[x]+loans)
				return false, true
			}
			if len(sides) > 0 && r.sideWork > 0 {
				if parent[x] >= 0 || rest > 0 {
					// The rest of the piece, beside x and the sides cut
					// off, listed only if lent from exactly.
					o := side{w: rest, full: int(full[s])}
					if r.w[x] > 0 {
						o.full--
					}
					for _, sd := range sides {
						o.full -= sd.full
					}
					if o.full <= sideUnits {
						for _, y := range piece {
							if y != x && !slices.ContainsFunc(sides, func(sd side) bool { return inside(y, sd.units[0]) }) {
								o.units = append(o.units, y)
							}
						}
					}
					sides = append(sides, o)
				}
				if !r.lendable(x, sides, adj) {
					r.witness(proofSides, x, r.w[x])
					pivot := r.nodes[r.members[x][0]]
					for _, i := range r.members[x] {
						if v := r.nodes[i]; r.cs.w[v] > 0 {
							pivot = v
							break
						}
					}
					r.why.pivot = r.cs.atom(pivot).Name
					for _, sd := range sides {
						if sd.units != nil && sd.full <= sideUnits {
							for _, u := range sd.units {
								for _, i := range r.members[u] {
									r.why.atoms = append(r.why.atoms, r.nodes[i])
								}
							}
						}
					}
					return false, true
				}
			}
			r.sides = sides
			for _, y := range must {
				r.pairs = append(r.pairs, [2]int32{x, y})
			}
		}
	}
	// Each merge is a fact about every plan, found on units that are
	// facts too: it stays true once others are made, so all are made at
	// once.
	for _, p := range r.pairs {
		if a, b := r.find(p[0]), r.find(p[1]); a != b {
			r.merge(a, b)
			merged = true
		}
	}
	r.pairs = r.pairs[:0]
	return merged, false
}

// single returns x's only neighbour among nbrs for which on reports true,
// if there is exactly one.
func (r *reducer) single(x int32, nbrs []int32, on func(int32) bool) (int32, bool) {
	one, count := int32(-1), 0
	for _, y := range nbrs {
		if on(y) {
			one = y
			count++
		}
	}
	return one, count == 1
}
