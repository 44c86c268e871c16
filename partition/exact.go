package partition

import "sort"

// exactResult says what the exhaustive search of a component found.
type exactResult int8

const (
	exactUnknown    exactResult = iota // budget exhausted, or the plan found could not be realised
	exactFound                         // a plan with every grid in band
	exactInfeasible                    // proof that none exists
)

// exactBudget bounds the number of candidate grids the exhaustive search
// examines per component (times Settings.Effort, see scaledBudget): enough
// for the small communities where the heuristics fail.
const exactBudget = 500000

// leastBudget bounds the search for the least violating plan the same way:
// it has more plans to weigh and finds the better ones early, if at all.
const leastBudget = 50000

// exactAtoms is the number of non-empty atoms up to which an exhaustive
// search gets its whole budget. Each candidate grid costs time in
// proportion to the atoms (the pieces of the rest are traced anew), so
// beyond it the budget shrinks in inverse proportion: a search of a large
// community costs no more than one of exactAtoms atoms, where it has a far
// better chance to settle anything.
const exactAtoms = 40

// scaledBudget is base times Settings.Effort for comp, scaled down for
// more than exactAtoms non-empty atoms.
func (cs *communitySolver) scaledBudget(comp []int, base int) int {
	n := 0
	for _, v := range comp {
		if cs.w[v] > 0 {
			n++
		}
	}
	b := float64(base) * cs.set.Effort
	if n > exactAtoms {
		b *= float64(exactAtoms) / float64(n)
	}
	return int(b)
}

// exactPlan searches exhaustively for a plan of the connected nodes comp with
// every grid in band. It works on a relaxation: grids are sets of non-empty
// atoms, connected when joined directly or through empty atoms (which a
// real plan could not share between two grids). If the relaxation has no
// plan, no plan exists: the result is a proof. If it has one, its grids are
// joined up through empty atoms (by shortest paths, or exactly where those
// fail, see realiseExactly), and the plan is returned if every grid is then
// connected. It searches only where the rules of infeasible prove nothing.
func (cs *communitySolver) exactPlan(comp []int) ([][]int, exactResult) {
	parts, r, _ := cs.exactPlanBudget(comp, cs.scaledBudget(comp, exactBudget))
	return parts, r
}

// exactPlanBudget is exactPlan with a budget of candidate grids; used is
// the number of candidate grids it examined.
func (cs *communitySolver) exactPlanBudget(comp []int, budget int) (parts [][]int, r exactResult, used int) {
	if _, proven := cs.infeasible(comp); proven {
		return nil, exactInfeasible, 0
	}
	e := cs.newExactSearch(comp, searchInBand, budget)
	if e == nil {
		return nil, exactUnknown, 0
	}
	if !e.restFeasible() {
		return nil, exactInfeasible, 0
	}
	ok := e.search()
	used = budget - max(0, e.budget)
	switch {
	case ok:
		return e.parts, exactFound, used
	case e.budget < 0 || e.unrealised:
		return nil, exactUnknown, used
	}
	return nil, exactInfeasible, used
}

// exactLeast searches exhaustively, within a budget of candidate grids, for
// a plan of the connected nodes comp that violates the band less than bound
// households in all, and returns the least violating it finds. Grids may
// then be out of band; the search prunes a branch as soon as the violation
// of the grids so far and the least the rest must violate reach the best.
func (cs *communitySolver) exactLeast(comp []int, bound, budget int) (parts [][]int, viol int, ok bool) {
	parts, viol, ok, _ = cs.exactLeastUsed(comp, bound, budget)
	return parts, viol, ok
}

// exactLeastUsed is exactLeast that also reports the candidate grids it
// examined.
func (cs *communitySolver) exactLeastUsed(comp []int, bound, budget int) (parts [][]int, viol int, ok bool, used int) {
	e := cs.newExactSearch(comp, searchLeast, budget)
	if e == nil {
		return nil, 0, false, 0
	}
	e.best = bound
	e.search()
	return e.parts, e.best, e.parts != nil, budget - max(0, e.budget)
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
	// realiseLeft is what is left of realiseBudget for this search, and
	// realiser the exact realisation of its plans, made when first needed.
	realiseLeft int
	realiser    *realiser
	// seen (== gen: visited) and stack are the scratch of pieces.
	seen  []int32
	gen   int32
	stack []int
	// cands holds the candidate lists of the grids being grown, each
	// above the one it was made from; a list is dropped when its branch
	// returns.
	cands []int
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
		// A complete relaxed plan: keep it only if it beats the best and
		// empty atoms can join its grids up; otherwise search on for
		// another. Joining up costs far more than weighing the plan.
		var risk float64
		if e.mode == searchMargins {
			risk = e.risk + e.cs.rejoinRisk(e.full, func(i int) int { return e.grid[i] }, e.ngrids)
			if risk >= e.bestRisk {
				return false
			}
		}
		parts, ok := e.cs.realise(e.comp, e.full, e.grid, e.ngrids)
		if !ok && len(e.comp) <= maxExactRealise && e.realiseLeft > 0 {
			// The quick joining failed: decide it exactly, so that a
			// plan that truly cannot be joined up leaves the proof intact.
			var res exactResult
			if e.realiser == nil {
				e.realiser = newRealiser(e.cs, e.comp)
			}
			parts, res, e.realiseLeft = e.realiser.realise(e.full, e.grid, e.ngrids, e.realiseLeft)
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
			if ok {
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
	top := len(e.cands)
	e.cands = e.extend(e.cands, r)
	cand := e.cands[top:]
	if e.grow(e.cs.w[e.full[r]], e.cs.sq[e.full[r]], cand) {
		return true
	}
	e.release(cand)
	e.cands = e.cands[:top]
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
		top := len(e.cands)
		e.cands = append(e.cands, cand[i+1:]...) // cand lies below top: not overwritten
		e.cands = e.extend(e.cands, c)
		next := e.cands[top:]
		if e.grow(wc, sq+e.cs.sq[e.full[c]], next) {
			return true
		}
		e.release(next[len(cand)-i-1:])
		e.cands = e.cands[:top]
		e.grid[c] = -1
		if e.budget < 0 {
			return false
		}
	}
	return false
}

// restFeasible reports whether the unassigned atoms may still make grids
// in band: every connected piece of them has a total that some whole
// number of grids in band can hold, and every one below min has an
// unassigned neighbour (in the relaxation: directly or through empty atoms)
// that it could share a grid with.
func (e *exactSearch) restFeasible() bool {
	set := e.cs.set
	e.gen++
	gen := e.gen
	stack := e.stack[:0]
	feasible := true
	for s := range e.grid {
		if e.grid[s] >= 0 || e.seen[s] == gen {
			continue
		}
		e.seen[s] = gen
		stack = append(stack, s)
		w := 0
		for len(stack) > 0 && feasible {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			wv := e.cs.w[e.full[v]]
			w += wv
			mate := wv >= set.Min
			for _, u := range e.h[v] {
				if e.grid[u] >= 0 {
					continue
				}
				mate = mate || wv+e.cs.w[e.full[u]] <= set.Max
				if e.seen[u] != gen {
					e.seen[u] = gen
					stack = append(stack, u)
				}
			}
			feasible = mate
		}
		if lo, hi := e.cs.gridRange(w); lo > hi {
			feasible = false
		}
		if !feasible {
			break
		}
	}
	e.stack = stack[:0]
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
