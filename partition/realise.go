package partition

import "math"

// Realising the plans of the exhaustive search. Its grids are sets of
// non-empty atoms; a plan becomes real once every empty atom is handed to
// a grid and every grid is connected: quickly along shortest paths
// (realise), or, where those fail, exactly (realiseExactly).

// realise turns a plan of the non-empty atoms into a plan of comp. Grid by
// grid, the pieces of a grid are joined by shortest paths through empty atoms
// that no grid has claimed yet; the empty atoms left over join the grid that
// reaches them first in a breadth-first growth from all grids. It reports
// false if some grid cannot be joined up.
func (cs *communitySolver) realise(comp, full, grid []int, ngrids int) ([][]int, bool) {
	sc := &cs.joins
	owner := sc.begin(comp)
	// The atoms of each grid, in the order of full, in compressed rows.
	start := sc.start[:0]
	for range ngrids + 1 {
		start = append(start, 0)
	}
	for i, v := range full {
		owner[v] = int32(grid[i])
		start[grid[i]+1]++
	}
	for g := range ngrids {
		start[g+1] += start[g]
	}
	atoms := append(sc.atoms[:0], full...)
	fill := append(sc.fill[:0], start[:ngrids]...)
	for i, v := range full {
		atoms[fill[grid[i]]] = v
		fill[grid[i]]++
	}
	sc.start, sc.atoms, sc.fill = start, atoms, fill
	for g := range ngrids {
		own := atoms[start[g]:start[g+1]]
		for {
			// The connected piece of g holding its first atom.
			reached := sc.reached.next()
			sc.reached.mark[own[0]] = reached
			queue := append(sc.queue[:0], own[0])
			for i := 0; i < len(queue); i++ {
				for _, u := range cs.adj[queue[i]] {
					if sc.in.mark[u] == sc.inGen && owner[u] == int32(g) && sc.reached.mark[u] != reached {
						sc.reached.mark[u] = reached
						queue = append(queue, int(u))
					}
				}
			}
			sc.queue = queue
			missing := false
			for _, v := range own {
				missing = missing || sc.reached.mark[v] != reached
			}
			if !missing {
				break
			}
			// Shortest path from the piece through unclaimed empty atoms to
			// another atom of g.
			seen := sc.seen.next()
			frontier := append(sc.frontier[:0], queue...)
			target := -1
			for i := 0; i < len(frontier) && target < 0; i++ {
				v := frontier[i]
				for _, u := range cs.adj[v] {
					x := int(u)
					if sc.in.mark[x] != sc.inGen || sc.reached.mark[x] == reached || sc.seen.mark[x] == seen {
						continue
					}
					switch o := owner[x]; {
					case o == int32(g):
						sc.seen.mark[x], sc.prev[x], target = seen, int32(v), x
					case o < 0 && cs.w[x] == 0:
						sc.seen.mark[x], sc.prev[x] = seen, int32(v)
						frontier = append(frontier, x)
					}
					if target >= 0 {
						break
					}
				}
			}
			sc.frontier = frontier
			if target < 0 {
				return nil, false
			}
			for x := sc.prev[target]; sc.reached.mark[x] != reached; x = sc.prev[x] {
				owner[x] = int32(g)
			}
		}
	}
	return cs.fillEmpty(comp, ngrids)
}

// joinScratch holds the buffers of realise and fillEmpty, indexed by local
// node, so that joining up a plan allocates only the plan.
type joinScratch struct {
	owner    []int32 // grid of each node of comp, -1 for none yet
	prev     []int32 // predecessor on a shortest path
	in       marks   // == inGen: node of comp
	inGen    int32
	reached  marks
	seen     marks
	start    []int // compressed rows of the atoms of each grid
	atoms    []int
	fill     []int
	queue    []int
	frontier []int
}

// begin resets the scratch for comp and returns owner, every node of comp
// without a grid.
func (sc *joinScratch) begin(comp []int) []int32 {
	sc.inGen = sc.in.next()
	for _, v := range comp {
		sc.in.mark[v] = sc.inGen
		sc.owner[v] = -1
	}
	return sc.owner
}

func (sc *joinScratch) init(n int) {
	sc.owner, sc.prev = make([]int32, n), make([]int32, n)
	sc.in.init(n)
	sc.reached.init(n)
	sc.seen.init(n)
}

// marks stamps nodes pass by pass: mark[v] == gen marks v in the pass that
// next returned gen, so a pass starts without clearing anything.
type marks struct {
	mark []int32
	gen  int32
}

func (m *marks) init(n int) { m.mark, m.gen = make([]int32, n), 0 }

// next starts a pass and returns its stamp.
func (m *marks) next() int32 {
	if m.gen == math.MaxInt32 {
		clear(m.mark)
		m.gen = 0
	}
	m.gen++
	return m.gen
}

// pair starts a pass with two stamps, a < b, for two kinds of mark.
func (m *marks) pair() (a, b int32) {
	if m.gen >= math.MaxInt32-1 {
		clear(m.mark)
		m.gen = 0
	}
	m.gen += 2
	return m.gen - 1, m.gen
}

// fillEmpty hands the nodes of comp without a grid in cs.joins (see begin)
// to the grid that reaches them first in a breadth-first growth from all
// grids, and returns the grids if each is connected.
func (cs *communitySolver) fillEmpty(comp []int, ngrids int) ([][]int, bool) {
	sc := &cs.joins
	owner := sc.owner
	queue := sc.queue[:0]
	for _, v := range comp {
		if owner[v] >= 0 {
			queue = append(queue, v)
		}
	}
	for i := 0; i < len(queue); i++ {
		v := queue[i]
		for _, u := range cs.adj[v] {
			if owner[u] < 0 && sc.in.mark[u] == sc.inGen {
				owner[u] = owner[v]
				queue = append(queue, int(u))
			}
		}
	}
	sc.queue = queue
	parts := make([][]int, ngrids)
	for _, v := range comp {
		if owner[v] < 0 {
			return nil, false // not reached: comp is not connected
		}
		parts[owner[v]] = append(parts[owner[v]], v)
	}
	for _, p := range parts {
		if !cs.connected(p) {
			return nil, false
		}
	}
	return parts, true
}

// An exact realisation is tried for components of at most maxExactRealise
// atoms, with at most realiseBudget branches in all for one search.
const (
	maxExactRealise = 200
	realiseBudget   = 2000
)

// realiseExactly decides by backtracking whether the empty atoms of comp can
// be handed to the grids of a plan of its non-empty atoms (grid[i] holds
// full[i]) so that every grid is connected. An empty atom without which a
// grid can no longer be joined up (through its own atoms and the empty atoms
// still open to it) is handed to that grid at once; a branch fails when
// some grid cannot be joined up at all. Otherwise the search grows one
// disconnected grid by an empty atom next to its first piece, on a
// shortest way to the rest of the grid (see towards), or rules that atom
// out for the grid. The result is a plan (exactFound), a proof that
// none exists (exactInfeasible) or, when the budget of branches runs out,
// exactUnknown; left is the budget left.
func (cs *communitySolver) realiseExactly(comp, full, grid []int, ngrids, budget int) (parts [][]int, res exactResult, left int) {
	return newRealiser(cs, comp).realise(full, grid, ngrids, budget)
}

// realise is realiseExactly on the realiser's comp; a realiser serves any
// number of plans of its comp, one at a time.
func (r *realiser) realise(full, grid []int, ngrids, budget int) (parts [][]int, res exactResult, left int) {
	cs, comp := r.cs, r.comp
	r.reset(full, grid, ngrids, budget)
	ok := r.search()
	left = max(0, r.budget)
	switch {
	case ok:
		owner := cs.joins.begin(comp)
		for i, g := range r.own {
			owner[comp[i]] = int32(g)
		}
		if parts, joined := cs.fillEmpty(comp, ngrids); joined {
			return parts, exactFound, left
		}
		return nil, exactUnknown, left // not expected: each grid was connected
	case r.budget < 0:
		return nil, exactUnknown, left
	}
	return nil, exactInfeasible, left
}

// A realiser works on comp in local numbering.
type realiser struct {
	cs     *communitySolver // polled for a done context
	comp   []int
	at     []int32 // at[v]: index in comp of cs node v of comp
	adj    [][]int
	empty  []bool
	own    []int  // grid of each atom, -1 for an empty atom not handed out
	banned []bool // banned[u*k+g]: empty atom u ruled out for grid g
	k      int
	first  []int   // first atom of each grid
	atoms  [][]int // non-empty atoms of each grid
	trail  []int   // atoms handed out, for undoing
	stamp  []int   // visit marks of reach and handOut
	gen    int
	stack  []int
	budget int
	// The depth-first search of handOut: discovery time, low point,
	// parent, next neighbour to visit and atoms of the grid in the subtree
	// of each atom, and the cut vertices found (== gen).
	disc, low, parent, next, held []int32
	cutAt                         []int
}

func newRealiser(cs *communitySolver, comp []int) *realiser {
	n := len(comp)
	r := &realiser{cs: cs, comp: comp, at: make([]int32, len(cs.global)), adj: make([][]int, n), empty: make([]bool, n),
		own: make([]int, n), stamp: make([]int, n),
		disc: make([]int32, n), low: make([]int32, n), parent: make([]int32, n), next: make([]int32, n), held: make([]int32, n),
		cutAt: make([]int, n)}
	for i := range r.at {
		r.at[i] = -1
	}
	for i, v := range comp {
		r.at[v] = int32(i)
	}
	for i, v := range comp {
		r.empty[i] = cs.w[v] == 0
		for _, u := range cs.adj[v] {
			if j := r.at[u]; j >= 0 {
				r.adj[i] = append(r.adj[i], int(j))
			}
		}
	}
	return r
}

// reset sets the realiser to the plan of the non-empty atoms full, grid[i]
// holding full[i], with nothing handed out and a budget of branches.
func (r *realiser) reset(full, grid []int, k, budget int) {
	r.k, r.budget = k, budget
	r.trail = r.trail[:0]
	for i := range r.own {
		r.own[i] = -1
	}
	if cap(r.banned) < len(r.comp)*k {
		r.banned = make([]bool, len(r.comp)*k)
	}
	r.banned = r.banned[:len(r.comp)*k]
	clear(r.banned)
	if cap(r.atoms) < k {
		r.atoms, r.first = make([][]int, k), make([]int, k)
	}
	r.atoms, r.first = r.atoms[:k], r.first[:k]
	for g := range r.atoms {
		r.atoms[g] = r.atoms[g][:0]
	}
	for i, v := range full {
		j := int(r.at[v])
		r.own[j] = grid[i]
		r.atoms[grid[i]] = append(r.atoms[grid[i]], j)
	}
	for g := range r.first {
		r.first[g] = r.atoms[g][0]
	}
}

// reach marks with a new stamp the atoms reachable from grid g's first atom
// through atoms of g and, if open, through empty atoms not handed out, not
// ruled out for g and other than skip; it reports whether every atom of g
// was reached.
func (r *realiser) reach(g int, open bool, skip int) bool {
	r.gen++
	start := r.first[g]
	r.stamp[start] = r.gen
	r.stack = append(r.stack[:0], start)
	for len(r.stack) > 0 {
		v := r.stack[len(r.stack)-1]
		r.stack = r.stack[:len(r.stack)-1]
		for _, u := range r.adj[v] {
			if r.stamp[u] == r.gen || u == skip {
				continue
			}
			if r.own[u] == g || open && r.own[u] < 0 && r.empty[u] && !r.banned[u*r.k+g] {
				r.stamp[u] = r.gen
				r.stack = append(r.stack, u)
			}
		}
	}
	for _, v := range r.atoms[g] {
		if r.stamp[v] != r.gen {
			return false
		}
	}
	return true
}

// propagate hands out every empty atom that some grid cannot do without,
// until none is left; it reports false if some grid cannot be joined up.
func (r *realiser) propagate() bool {
	for changed := true; changed; {
		changed = false
		for g := range r.atoms {
			if !r.reach(g, true, -1) {
				return false
			}
			if r.reach(g, false, -1) {
				continue
			}
			if r.handOut(g) {
				changed = true
			}
		}
	}
	return true
}

// handOut hands to grid g every empty atom open to it without which some
// atom of g is cut off from g's first atom, in index order, and reports
// whether there was any. Those are the cut vertices of the atoms of g and
// the empty atoms open to g that separate a subtree holding an atom of g
// from the first atom, the root: one depth-first search (Hopcroft and
// Tarjan) finds them all.
func (r *realiser) handOut(g int) bool {
	r.gen++
	gen := r.gen
	open := func(u int) bool {
		return r.own[u] == g || r.own[u] < 0 && r.empty[u] && !r.banned[u*r.k+g]
	}
	time := int32(0)
	visit := func(u, parent int) {
		time++
		r.stamp[u] = gen
		r.disc[u], r.low[u], r.parent[u], r.next[u] = time, time, int32(parent), 0
		r.held[u] = 0
		if r.own[u] == g {
			r.held[u] = 1
		}
		r.stack = append(r.stack, u)
	}
	r.stack = r.stack[:0]
	visit(r.first[g], -1)
	cut := false
	for len(r.stack) > 0 {
		v := r.stack[len(r.stack)-1]
		if int(r.next[v]) < len(r.adj[v]) {
			u := r.adj[v][r.next[v]]
			r.next[v]++
			switch {
			case !open(u):
			case r.stamp[u] != gen:
				visit(u, v)
			case u != int(r.parent[v]):
				r.low[v] = min(r.low[v], r.disc[u])
			}
			continue
		}
		r.stack = r.stack[:len(r.stack)-1]
		p := int(r.parent[v])
		if p < 0 {
			continue
		}
		r.low[p] = min(r.low[p], r.low[v])
		r.held[p] += r.held[v]
		if r.low[v] >= r.disc[p] && r.held[v] > 0 && r.own[p] < 0 {
			r.cutAt[p] = gen // p separates v's subtree, with atoms of g
			cut = true
		}
	}
	if !cut {
		return false
	}
	for u, c := range r.cutAt {
		if c == gen {
			r.own[u] = g
			r.trail = append(r.trail, u)
		}
	}
	return true
}

func (r *realiser) undo(mark int) {
	for _, u := range r.trail[mark:] {
		r.own[u] = -1
	}
	r.trail = r.trail[:mark]
}

func (r *realiser) search() bool {
	r.cs.pollEvery()
	r.budget--
	if r.budget < 0 {
		return false
	}
	mark := len(r.trail)
	if !r.propagate() {
		r.undo(mark)
		return false
	}
	open := -1
	for g := range r.atoms {
		if !r.reach(g, false, -1) {
			open = g
			break
		}
	}
	if open < 0 {
		return true
	}
	next := r.towards(open) // the last reach marked open's first piece
	if next >= 0 {
		r.own[next] = open
		r.trail = append(r.trail, next)
		if r.search() {
			return true
		}
		r.own[next] = -1
		r.trail = r.trail[:len(r.trail)-1]
		if r.budget >= 0 {
			r.banned[next*r.k+open] = true
			found := r.search()
			r.banned[next*r.k+open] = false
			if found {
				return true
			}
		}
	}
	r.undo(mark)
	return false
}

// towards returns an empty atom next to the first piece of grid g, open to
// g, on a shortest path through atoms open to g from that piece to an atom
// of g outside it (the first met), or -1 if there is none: the atom to
// branch on. Any atom next to the piece keeps the search exact; one on the
// way to the rest of the grid is more often needed, so the branches settle
// sooner. The piece is what the last reach(g, false, -1) marked.
func (r *realiser) towards(g int) int {
	piece := r.gen
	// Breadth first from the piece, through empty atoms open to g and
	// atoms of g; parent leads back to the piece.
	r.gen++
	seen := r.gen
	queue := r.stack[:0]
	for v, st := range r.stamp {
		if st == piece {
			r.stamp[v] = seen
			r.parent[v] = -1
			queue = append(queue, v)
		}
	}
	for k := 0; k < len(queue); k++ {
		v := queue[k]
		for _, u := range r.adj[v] {
			if r.stamp[u] == seen || !(r.own[u] == g || r.own[u] < 0 && r.empty[u] && !r.banned[u*r.k+g]) {
				continue
			}
			r.stamp[u] = seen
			r.parent[u] = int32(v)
			if r.own[u] == g {
				// An atom of g outside the piece: walk back to the
				// atom next to the piece.
				for r.parent[r.parent[u]] >= 0 {
					u = int(r.parent[u])
				}
				r.stack = queue
				return u
			}
			queue = append(queue, u)
		}
	}
	r.stack = queue
	return -1
}
