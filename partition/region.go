package partition

import "sort"

// Exact repair around grids out of band. In a large community the
// exhaustive search of the whole is hopeless, but where the heuristics
// leave a grid out of band, the trouble is usually local: a few lumpy atoms
// that no spanning-tree cut or single move sorts out. The union of that grid
// with one to three neighbouring grids is small, and its exhaustive search
// settles quickly whether it has a plan in band, possibly with one grid
// more or fewer.
const (
	// regionsPerGrid bounds the unions searched around one grid out of
	// band in a round, smaller unions first; those that the rules of
	// infeasible settle at once do not count.
	regionsPerGrid = 12
	// regionBudget bounds the candidate grids of all the unions' searches
	// in a component (times Settings.Effort).
	regionBudget = 200000
	// regionRounds bounds the rounds; each that succeeds lowers the
	// violation.
	regionRounds = 10
)

// repairRegions lowers the violation of a plan of the connected nodes comp
// by planning small unions of neighbouring grids exhaustively: around each
// grid out of band, a union of two to four grids of at most maxExactRegion
// atoms whose total admits grids in band and whose exhaustive search finds
// a plan in band replaces its grids. It stops once the violation is down
// to floor or the budget is spent, and returns the plan (improved by local
// search) and its violation; parts is not modified.
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
			tried := 0
			for _, group := range cs.unions(j, parts, owner) {
				if tried == regionsPerGrid || budget <= 0 {
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
				if lo, hi := cs.gridRange(cs.sum(union)); lo > hi {
					continue
				}
				sort.Ints(union)
				ps, r, used := cs.exactPlanBudget(union, min(budget, exactRegionBudget))
				budget -= used
				if used > 0 {
					tried++
				}
				if r != exactFound {
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
				v -= before
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
