package partition

import (
	"fmt"
	"math"
	"sort"
)

// Exact repair around grids out of band. In a large community the
// exhaustive search of the whole is hopeless, but where the heuristics
// leave a grid out of band, the trouble is usually local: a few lumpy atoms
// that no spanning-tree cut or single move sorts out. The union of that grid
// with one to three neighbouring grids is small, and its exhaustive search
// settles quickly whether it has a plan in band, possibly with one grid
// more or fewer, or else the least violating plan it has: the violation
// then moves on to other grids, and falls, a step at a time. The rest of
// the plan keeps the shapes the heuristics gave it.
const (
	// regionBudget bounds the candidate grids of all the unions' searches
	// in a component (times Settings.Effort); a union's search gets at
	// most exactRegionBudget of them.
	regionBudget = 200000
	// regionRounds bounds the rounds; each that succeeds lowers the
	// violation.
	regionRounds = 10
)

// repairRegions lowers the violation of a plan of the connected nodes comp
// by planning small unions of neighbouring grids exhaustively: around each
// grid out of band (in the order of unions: up to 120, smaller first), a
// union of two to four grids of at most maxExactRegion atoms is searched
// for a plan in band (where its total admits one), then for the least
// violating plan below what its grids violate now; the first union that
// gains takes the plan found, and a new round begins. It stops once the
// violation is down to floor or the budget is spent, and returns the plan
// (improved by local search) and its violation; parts is not modified.
func (cs *communitySolver) repairRegions(comp []int, parts [][]int, floor int) ([][]int, int) {
	parts = append([][]int(nil), parts...)
	v := cs.totalViolation(parts)
	budget := int(regionBudget * cs.set.Effort)
	owner := make([]int32, len(cs.global))
	changed := false
	for round := 0; round < regionRounds && v > floor && budget > 0; round++ {
		setOwners(owner, parts)
		improved := false
		for j := 0; j < len(parts) && !improved && budget > 0; j++ {
			if cs.violation(cs.sum(parts[j]), 1) == 0 || cs.anyHopeless(parts[j]) {
				continue
			}
			for _, group := range cs.unions(j, parts, owner) {
				if budget <= 0 {
					break
				}
				var union []int
				before := 0
				for _, g := range group {
					union = append(union, parts[g]...)
					before += cs.violation(cs.sum(parts[g]), 1)
				}
				if len(union) > maxExactRegion || before == 0 {
					continue
				}
				sort.Ints(union)
				// A plan in band for the union if it has one, else the
				// least violating below what its grids violate now: the
				// violation moves on, and falls, a step at a time.
				after := before
				var ps [][]int
				if lo, hi := cs.gridRange(cs.sum(union)); lo <= hi {
					var r exactResult
					var used int
					ps, r, used = cs.exactPlanBudget(union, min(budget, exactRegionBudget))
					budget -= used
					if r == exactFound {
						after = 0
					}
				}
				if after > 0 && budget > 0 {
					var ok bool
					var viol, used int
					ps, viol, ok, used = cs.exactLeastUsed(union, before, min(budget, exactRegionBudget))
					budget -= max(used, 1)
					if ok {
						after = viol
					}
				}
				if after >= before {
					continue
				}
				// The group's grids give way to the union's new plan.
				out := parts[:0:0]
				for g, p := range parts {
					if !contains(group, g) {
						out = append(out, p)
					}
				}
				parts = append(out, ps...)
				v -= before - after
				improved, changed = true, true
				break
			}
		}
		if !improved {
			break
		}
	}
	if !changed {
		return parts, v
	}
	ls := cs.newLocalSearch(comp, parts, float64(cs.set.Target))
	ls.run() // never raises the violation, which dominates
	return ls.parts(), ls.violation()
}

// Wider unions, for the grids the unions of two to four grids leave out of
// band. There the trouble is rarely in the grid's neighbours alone: its
// lumpy atoms sort out only with slack taken from further off. A union is
// grown from such a grid, one grid at a time, nearest centroid first, so
// that it stays round; where the reduction proves the union infeasible
// (see infeasible), it takes next the grids around the atoms of the proof
// instead, reached directly or through empty atoms, since those are what
// the contradiction lacks. Each union of five grids or more, of at most
// maxWideAtoms atoms, is searched exhaustively for a plan in band.
const (
	maxWideAtoms = 120 // atoms of a union
	// wideUnionBudget bounds the candidate grids of one union's search,
	// and wideBudget those of all the unions grown around one grid (times
	// Settings.Effort); a component gets wideBudget for each grid out of
	// band, up to wideGrids of them.
	wideUnionBudget = 50000
	wideBudget      = 200000
	wideGrids       = 4
	minWideGroup    = 5 // smaller unions are repairRegions'
)

// widenRegions plans unions of five grids or more around the grids of a
// plan of comp out of band (see maxWideAtoms), for a plan in band of each
// union; each union planned so leaves the rest of the plan as it was and
// removes the violation of its grids. It returns the plan (improved by local
// search if changed) and its violation; parts is not modified.
func (cs *communitySolver) widenRegions(comp []int, parts [][]int) ([][]int, int) {
	parts = append([][]int(nil), parts...)
	v := cs.totalViolation(parts)
	out := 0
	for _, p := range parts {
		if cs.violation(cs.sum(p), 1) > 0 {
			out++
		}
	}
	budget := int(float64(wideBudget*min(out, wideGrids)) * cs.set.Effort)
	owner := make([]int32, len(cs.global))
	changed := false
	for tried := map[string]bool{}; v > 0 && budget > 0; {
		setOwners(owner, parts)
		improved := false
		for j := 0; j < len(parts) && !improved && budget > 0; j++ {
			if cs.violation(cs.sum(parts[j]), 1) == 0 || cs.anyHopeless(parts[j]) {
				continue
			}
			key := fmt.Sprint(parts[j])
			if tried[key] {
				continue
			}
			tried[key] = true
			grown := int(float64(wideBudget) * cs.set.Effort)
			group, ps := cs.widen(j, parts, owner, &grown)
			budget -= int(float64(wideBudget)*cs.set.Effort) - grown
			if group == nil {
				continue
			}
			rest := parts[:0:0]
			for g, p := range parts {
				if !contains(group, g) {
					rest = append(rest, p)
				} else {
					v -= cs.violation(cs.sum(p), 1)
				}
			}
			parts = append(rest, ps...)
			improved, changed = true, true
		}
		if !improved {
			break
		}
	}
	if !changed {
		return parts, v
	}
	ls := cs.newLocalSearch(comp, parts, float64(cs.set.Target))
	ls.run() // keeps the violation: it dominates the objective
	return ls.parts(), ls.violation()
}

// widen grows unions around part j of parts (owner maps each node to its
// part) as widenRegions says, searching each of minWideGroup parts or more
// within *budget candidate grids in all, and returns the first union with a
// plan in band, and that plan; nil if none.
func (cs *communitySolver) widen(j int, parts [][]int, owner []int32, budget *int) ([]int, [][]int) {
	cx, cy := make([]float64, len(parts)), make([]float64, len(parts))
	for g, p := range parts {
		m := 0.0
		for _, v := range p {
			cx[g] += cs.x[v] * cs.m[v]
			cy[g] += cs.y[v] * cs.m[v]
			m += cs.m[v]
		}
		cx[g], cy[g] = cx[g]/m, cy[g]/m
	}
	dist := func(g int) float64 { return math.Hypot(cx[g]-cx[j], cy[g]-cy[j]) }
	in := make([]bool, len(parts))
	in[j] = true
	group := []int{j}
	union := append([]int(nil), parts[j]...)
	add := func(g int) {
		in[g] = true
		group = append(group, g)
		union = append(union, parts[g]...)
	}
	for *budget > 0 {
		sort.Ints(union)
		why, proven := cs.infeasible(union)
		if !proven && len(group) >= minWideGroup {
			if lo, hi := cs.gridRange(cs.sum(union)); lo <= hi {
				ps, r, used := cs.exactPlanBudget(union, min(*budget, int(wideUnionBudget*cs.set.Effort)))
				*budget -= max(used, 1)
				if r == exactFound {
					return group, ps
				}
			}
		}
		// The next grid: the nearest around the proof's atoms, or else
		// the nearest around the union.
		var cands []int
		if proven {
			cands = cs.partsAround(why.atoms, owner, in)
		}
		if len(cands) == 0 {
			cands = cs.partsAround(union, owner, in)
		}
		best := -1
		for _, q := range cands {
			if best < 0 || dist(q) < dist(best) {
				best = q // ascending: the lower part wins ties
			}
		}
		if best < 0 || len(union)+len(parts[best]) > maxWideAtoms {
			return nil, nil
		}
		add(best)
	}
	return nil, nil
}

// partsAround returns, ascending, the parts not marked in that hold a node
// adjacent to one of nodes, directly or through empty nodes.
func (cs *communitySolver) partsAround(nodes []int, owner []int32, in []bool) []int {
	seen := map[int]bool{}
	stack := append([]int(nil), nodes...)
	for _, v := range nodes {
		seen[v] = true
	}
	var out []int
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range cs.adj[v] {
			if seen[int(u)] {
				continue
			}
			seen[int(u)] = true
			q := int(owner[u])
			if q < 0 {
				continue
			}
			if !in[q] && !contains(out, q) {
				out = append(out, q)
			}
			if cs.w[u] == 0 {
				stack = append(stack, int(u))
			}
		}
	}
	sort.Ints(out)
	return out
}
