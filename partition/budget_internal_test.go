package partition

import (
	"math/rand/v2"
	"testing"
)

// TestTreeBudget: a community draws no more random spanning trees than its
// budget, but for the one plan per number of grids (and one tree per cut)
// that each step still makes once the budget is spent. The lattices of
// lumpy atoms (towers of 150 to 480 households among walk-ups) are hard for
// the heuristics, some without any plan in band, where the search would
// otherwise recombine without end.
func TestTreeBudget(t *testing.T) {
	overdrawn := 0
	for seed := uint64(1); seed <= 30; seed++ {
		rng := rand.New(rand.NewPCG(seed, 8))
		const side = 8
		weights := make([]int, side*side)
		for i := range weights {
			switch r := rng.IntN(10); {
			case r < 1:
				weights[i] = 0
			case r < 6:
				weights[i] = 30 + rng.IntN(60)
			default:
				weights[i] = 150 + 10*rng.IntN(34)
			}
		}
		cs, _ := latticeSolver(t, side, weights...)
		budget := cs.budget
		res := cs.solve()
		drawn := budget - cs.budget
		// Once the budget is spent: up to ten plans per piece (five numbers
		// of grids, quick and deep), each of at most one tree per grid,
		// for the piece and for the pieces around stranded atoms.
		grids := len(res.grids)
		if limit := budget + 20*grids*grids; drawn > limit {
			t.Errorf("seed %d: %d trees drawn, budget %d, limit %d (%d grids)", seed, drawn, budget, limit, grids)
		}
		if drawn > budget {
			overdrawn++
		}
	}
	t.Logf("%d of 30 communities spent their budget", overdrawn)
	if overdrawn == 0 {
		t.Error("no community spent its budget: the test tries nothing")
	}
}
