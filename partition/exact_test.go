package partition

import (
	"math/rand/v2"
	"testing"
)

// TestExactPlan checks the exhaustive search on small random lattices: a
// plan it finds has every grid in band, connected, and covers every atom.
func TestExactPlan(t *testing.T) {
	found, infeasible := 0, 0
	for seed := uint64(1); seed <= 200; seed++ {
		rng := rand.New(rand.NewPCG(seed, 3))
		p := latticeProblem(seed, 1, 4)
		for i := range p.Atoms {
			if rng.IntN(4) == 0 {
				p.Atoms[i].Weight = 0
			}
		}
		set, _ := (&Settings{}).withDefaults()
		cs := newCommunitySolver(&p, buildAdjacency(p), 0, seq(len(p.Atoms)), &set, rand.New(rand.NewPCG(1, 1)))
		comp := seq(len(p.Atoms))
		if lo, hi := cs.gridRange(cs.sum(comp)); lo > hi {
			continue
		}
		parts, r := cs.exactPlan(comp)
		switch r {
		case exactFound:
			found++
			n := 0
			for _, part := range parts {
				n += len(part)
				if v := cs.violation(cs.sum(part), 1); v != 0 {
					t.Errorf("seed %d: part %v of weight %d out of band", seed, part, cs.sum(part))
				}
				if !cs.connected(part) {
					t.Errorf("seed %d: part %v not connected", seed, part)
				}
			}
			if n != len(comp) {
				t.Errorf("seed %d: parts cover %d of %d atoms", seed, n, len(comp))
			}
		case exactInfeasible:
			infeasible++
			// A proof of infeasibility must never meet a plan in band:
			// the heuristic search, with many seeds, must fail too.
			for s := uint64(1); s <= 5; s++ {
				res, err := Solve(p, &Settings{Seed: s, Effort: 3})
				if err != nil {
					t.Fatal(err)
				}
				if _, out := bandShare(res); out == 0 {
					t.Errorf("seed %d: exhaustive search says infeasible, Solve(seed %d) found a plan in band", seed, s)
				}
			}
		}
	}
	t.Logf("found %d, infeasible %d", found, infeasible)
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
