package partition

import (
	"math"
	"sort"
)

// exactResult says what the exhaustive search of a component found.
type exactResult int8

const (
	exactUnknown    exactResult = iota // budget exhausted, or the plan found could not be realised
	exactFound                         // a plan with every grid in band
	exactInfeasible                    // proof that none exists
)

// exactBudget bounds the number of candidate grids the exhaustive search
// examines per component (times Settings.Effort): enough for the small
// communities where the heuristics fail, bounded for large ones.
const exactBudget = 500000

// leastBudget bounds the search for the least violating plan the same way:
// it has more plans to weigh and finds the better ones early, if at all.
const leastBudget = 50000

// exactPlan searches exhaustively for a plan of the connected nodes comp with
// every grid in band. It works on a relaxation: grids are sets of non-empty
// atoms, connected when joined directly or through empty atoms (which a
// real plan could not share between two grids). If the relaxation has no
// plan, no plan exists: the result is a proof. If it has one, its grids are
// joined up through empty atoms (by shortest paths, or exactly where those
// fail, see realiseExactly), and the plan is returned if every grid is then
// connected.
func (cs *communitySolver) exactPlan(comp []int) ([][]int, exactResult) {
	return cs.exactPlanBudget(comp, int(exactBudget*cs.set.Effort))
}

// exactPlanBudget is exactPlan with a budget of candidate grids.
func (cs *communitySolver) exactPlanBudget(comp []int, budget int) ([][]int, exactResult) {
	e := cs.newExactSearch(comp, searchInBand, budget)
	if e == nil {
		return nil, exactUnknown
	}
	if !e.restFeasible() {
		return nil, exactInfeasible
	}
	switch ok := e.search(); {
	case ok:
		return e.parts, exactFound
	case e.budget < 0 || e.unrealised:
		return nil, exactUnknown
	}
	return nil, exactInfeasible
}

// exactLeast searches exhaustively, within a budget of candidate grids, for
// a plan of the connected nodes comp that violates the band less than bound
// households in all, and returns the least violating it finds. Grids may
// then be out of band; the search prunes a branch as soon as the violation
// of the grids so far and the least the rest must violate reach the best.
func (cs *communitySolver) exactLeast(comp []int, bound, budget int) (parts [][]int, viol int, ok bool) {
	e := cs.newExactSearch(comp, searchLeast, budget)
	if e == nil {
		return nil, 0, false
	}
	e.best = bound
	e.search()
	return e.parts, e.best, e.parts != nil
}

// exactMargins searches exhaustively, within a budget of candidate grids,
// for a plan of comp with every grid in band at less risk than bound, and
// returns the one of least risk it finds. The risk of a plan is that of its
// grids from the band's edges (edgeRisk) and of its compounds just over max
// (rejoinRisk), the terms of the objective that keep a plan steady under a
// census update.
func (cs *communitySolver) exactMargins(comp []int, bound float64, budget int) ([][]int, bool) {
	e := cs.newExactSearch(comp, searchMargins, budget)
	if e == nil {
		return nil, false
	}
	e.bestRisk = bound
	e.search()
	return e.parts, e.parts != nil
}

// newExactSearch prepares a search of comp in the given mode; nil if comp
// has no household.
func (cs *communitySolver) newExactSearch(comp []int, mode searchMode, budget int) *exactSearch {
	var full []int // non-empty atoms
	index := make(map[int]int, len(comp))
	in := make(map[int]bool, len(comp))
	for _, v := range comp {
		in[v] = true
		if cs.w[v] > 0 {
			index[v] = len(full)
			full = append(full, v)
		}
	}
	n := len(full)
	if n == 0 {
		return nil
	}
	// h[i]: non-empty atoms reachable from full[i] directly or through empty atoms.
	h := make([][]int, n)
	for i, a := range full {
		seen := map[int]bool{a: true}
		stack := []int{a}
		var out []int
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, u := range cs.adj[v] {
				if !in[int(u)] || seen[int(u)] {
					continue
				}
				seen[int(u)] = true
				if cs.w[u] == 0 {
					stack = append(stack, int(u))
				} else {
					out = append(out, index[int(u)])
				}
			}
		}
		sort.Ints(out)
		h[i] = out
	}
	e := &exactSearch{mode: mode, cs: cs, comp: comp, full: full, h: h, grid: make([]int, n), budget: budget, realiseLeft: realiseBudget,
		seen: make([]int32, n)}
	for i := range e.grid {
		e.grid[i] = -1
	}
	return e
}

// A searchMode is what an exactSearch looks for.
type searchMode int8

const (
	// searchInBand looks for any plan with every grid in band and stops at
	// the first; failing that, with the budget left, it proves that none
	// exists (exactPlan).
	searchInBand searchMode = iota
	// searchLeast looks for the plan that violates the band least, grids
	// out of band allowed, and keeps the best found (exactLeast).
	searchLeast
	// searchMargins looks for the plan with every grid in band at least
	// risk from the band's edges, and keeps the best found (exactMargins).
	searchMargins
)

type exactSearch struct {
	mode  searchMode
	cs    *communitySolver
	comp  []int
	full  []int
	h     [][]int
	grid  []int   // grid of each non-empty atom, -1 unassigned
	parts [][]int // the realised plan, once found
	// unrealised records a complete relaxed plan that could not be joined
	// up: the relaxation was feasible, so failure proves nothing.
	unrealised bool
	// taken[g] marks the atoms in grid g or among its candidates; one slice
	// per grid, since grids are grown inside each other's recursion.
	taken  [][]bool
	ngrids int
	budget int
	// In searchLeast, viol is the violation of the grids closed so far and
	// best that of the best plan found, in parts, or the bound to beat.
	viol, best int
	// In searchMargins, risk is the edge risk of the grids closed so far
	// and bestRisk that of the best plan found, or the bound to beat.
	risk, bestRisk float64
	// realiseLeft is what is left of realiseBudget for this search.
	realiseLeft int
	// seen (== gen: visited) and stack are the scratch of pieces.
	seen  []int32
	gen   int32
	stack []int
}

// search picks the most constrained unassigned atom (fewest unassigned
// neighbours, then heaviest: fail first), assigns it to every possible grid
// containing it, and recurses. In searchInBand it stops at the first plan and
// reports whether it found one; the other modes keep the best plan in
// e.parts, search on and report false.
func (e *exactSearch) search() bool {
	r, bestDeg := -1, 0
	for v, g := range e.grid {
		if g >= 0 {
			continue
		}
		deg := 0
		for _, u := range e.h[v] {
			if e.grid[u] < 0 {
				deg++
			}
		}
		if r < 0 || deg < bestDeg || deg == bestDeg && e.cs.w[e.full[v]] > e.cs.w[e.full[r]] {
			r, bestDeg = v, deg
		}
	}
	if r < 0 {
		// A complete relaxed plan: keep it only if empty atoms can join
		// its grids up; otherwise search on for another.
		parts, ok := e.cs.realise(e.comp, e.full, e.grid, e.ngrids)
		if !ok && len(e.comp) <= maxExactRealise && e.realiseLeft > 0 {
			// The quick joining failed: decide it exactly, so that a
			// plan that truly cannot be joined up leaves the proof intact.
			var res exactResult
			parts, res, e.realiseLeft = e.cs.realiseExactly(e.comp, e.full, e.grid, e.ngrids, e.realiseLeft)
			ok = res == exactFound
			if res == exactInfeasible {
				return false
			}
		}
		switch e.mode {
		case searchLeast:
			if ok && e.viol < e.best {
				e.parts, e.best = parts, e.viol
			}
			return false // search on for a better one
		case searchMargins:
			risk := e.risk + e.cs.rejoinRisk(e.full, func(i int) int { return e.grid[i] }, e.ngrids)
			if ok && risk < e.bestRisk {
				e.parts, e.bestRisk = parts, risk
			}
			return false
		}
		e.parts = parts
		// A relaxed plan that cannot be realised still forbids a proof.
		e.unrealised = e.unrealised || !ok
		return ok
	}
	g := e.ngrids
	e.ngrids++
	if g == len(e.taken) {
		e.taken = append(e.taken, make([]bool, len(e.grid)))
	}
	e.grid[r] = g
	e.taken[g][r] = true
	cand := e.extend(nil, r)
	if e.grow(e.cs.w[e.full[r]], e.cs.sq[e.full[r]], cand) {
		return true
	}
	e.release(cand)
	e.taken[g][r] = false
	e.grid[r] = -1
	e.ngrids--
	return false
}

// extend appends to cand the unassigned neighbours of v not yet taken by
// the grid being grown, and marks them taken.
func (e *exactSearch) extend(cand []int, v int) []int {
	taken := e.taken[e.ngrids-1]
	for _, u := range e.h[v] {
		if e.grid[u] < 0 && !taken[u] {
			taken[u] = true
			cand = append(cand, u)
		}
	}
	return cand
}

func (e *exactSearch) release(added []int) {
	taken := e.taken[e.ngrids-1]
	for _, u := range added {
		taken[u] = false
	}
}

// grow enumerates each connected set of unassigned atoms holding the current
// grid's atoms once (the candidates before the one added are excluded from
// its branch): it tries closing the grid as it stands (if its total is in
// band, or in searchLeast if that may still beat the best), then adds each
// candidate in turn.
func (e *exactSearch) grow(w int, sq float64, cand []int) bool {
	e.cs.pollEvery()
	e.budget--
	if e.budget < 0 {
		return false
	}
	set := e.cs.set
	switch e.mode {
	case searchLeast:
		// Close the grid here if that may still beat the best.
		if v := e.cs.violation(w, 1); e.viol+v+e.restBound() < e.best {
			e.viol += v
			e.search()
			e.viol -= v
		}
	case searchMargins:
		if r := set.edgeRisk(w, sq); w >= set.Min && e.risk+r < e.bestRisk && e.restFeasible() {
			e.risk += r
			e.search()
			e.risk -= r
		}
	case searchInBand:
		if w >= set.Min && e.restFeasible() && e.search() {
			return true
		}
	}
	g := e.ngrids - 1
	for i, c := range cand {
		wc := w + e.cs.w[e.full[c]]
		if wc > set.Max && (e.mode != searchLeast || e.viol+wc-set.Max >= e.best) {
			continue
		}
		e.grid[c] = g
		rest := append([]int(nil), cand[i+1:]...)
		next := e.extend(rest, c)
		if e.grow(wc, sq+e.cs.sq[e.full[c]], next) {
			return true
		}
		e.release(next[len(rest):])
		e.grid[c] = -1
		if e.budget < 0 {
			return false
		}
	}
	return false
}

// restFeasible reports whether every connected piece of the unassigned
// atoms has a total that some whole number of grids in band can hold.
func (e *exactSearch) restFeasible() bool {
	feasible := true
	e.pieces(func(w int) bool {
		if lo, hi := e.cs.gridRange(w); lo > hi {
			feasible = false
		}
		return feasible
	})
	return feasible
}

// restBound is the least violation the unassigned atoms must add: a
// connected piece of total w makes k ≥ 1 grids, which violate the band by
// at least the distance from w to [k·min, k·max].
func (e *exactSearch) restBound() int {
	bound := 0
	e.pieces(func(w int) bool {
		k := max(1, w/e.cs.set.Max)
		bound += min(e.cs.violation(w, k), e.cs.violation(w, k+1))
		return true
	})
	return bound
}

// pieces calls f with the total of each connected piece of the unassigned
// atoms, until f returns false. It allocates nothing: the marks and the
// stack are the search's own.
func (e *exactSearch) pieces(f func(w int) bool) {
	e.gen++
	gen := e.gen
	stack := e.stack[:0]
	for s := range e.grid {
		if e.grid[s] >= 0 || e.seen[s] == gen {
			continue
		}
		e.seen[s] = gen
		stack = append(stack, s)
		w := 0
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			w += e.cs.w[e.full[v]]
			for _, u := range e.h[v] {
				if e.grid[u] < 0 && e.seen[u] != gen {
					e.seen[u] = gen
					stack = append(stack, u)
				}
			}
		}
		if !f(w) {
			break
		}
	}
	e.stack = stack
}

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
// disconnected grid by an empty atom next to its first piece, or rules that
// atom out for the grid. The result is a plan (exactFound), a proof that
// none exists (exactInfeasible) or, when the budget of branches runs out,
// exactUnknown; left is the budget left.
func (cs *communitySolver) realiseExactly(comp, full, grid []int, ngrids, budget int) (parts [][]int, res exactResult, left int) {
	r := newRealiser(cs, comp, full, grid, ngrids, budget)
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
	adj    [][]int
	empty  []bool
	own    []int  // grid of each atom, -1 for an empty atom not handed out
	banned []bool // banned[u*k+g]: empty atom u ruled out for grid g
	k      int
	first  []int   // first atom of each grid
	atoms  [][]int // non-empty atoms of each grid
	trail  []int   // atoms handed out, for undoing
	stamp  []int   // visit marks of reach
	gen    int
	stack  []int
	budget int
}

func newRealiser(cs *communitySolver, comp, full, grid []int, k, budget int) *realiser {
	n := len(comp)
	local := make(map[int]int, n)
	for i, v := range comp {
		local[v] = i
	}
	r := &realiser{cs: cs, adj: make([][]int, n), empty: make([]bool, n), own: make([]int, n), banned: make([]bool, n*k),
		k: k, first: make([]int, k), atoms: make([][]int, k), stamp: make([]int, n), budget: budget}
	for i, v := range comp {
		r.empty[i] = cs.w[v] == 0
		r.own[i] = -1
		for _, u := range cs.adj[v] {
			if j, ok := local[int(u)]; ok {
				r.adj[i] = append(r.adj[i], j)
			}
		}
	}
	for i, v := range full {
		j := local[v]
		r.own[j] = grid[i]
		r.atoms[grid[i]] = append(r.atoms[grid[i]], j)
	}
	for g := range r.first {
		r.first[g] = r.atoms[g][0]
	}
	return r
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
			r.reach(g, true, -1)
			var open []int
			for u, st := range r.stamp {
				if st == r.gen && r.own[u] < 0 {
					open = append(open, u)
				}
			}
			for _, u := range open {
				if !r.reach(g, true, u) {
					r.own[u] = g
					r.trail = append(r.trail, u)
					changed = true
				}
			}
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
	// An empty atom next to the open grid's first piece, open to it.
	r.reach(open, false, -1)
	next := -1
	for v, st := range r.stamp {
		if st != r.gen {
			continue
		}
		for _, u := range r.adj[v] {
			if r.own[u] < 0 && r.empty[u] && !r.banned[u*r.k+open] && (next < 0 || u < next) {
				next = u
			}
		}
	}
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
