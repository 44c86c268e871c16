package partition

import "sort"

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
		for i := range owner {
			owner[i] = -1
		}
		for j, p := range parts {
			for _, x := range p {
				owner[x] = int32(j)
			}
		}
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
