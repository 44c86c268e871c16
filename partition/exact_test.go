package partition

import (
	"math"
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

// TestExactLeast compares the search for the least violating plan with
// brute force over every partition of small random lattices into
// connected parts.
func TestExactLeast(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	infeasible := 0
	for trial := 0; trial < 150; trial++ {
		weights := make([]int, 9)
		for i := range weights {
			if rng.IntN(5) > 0 {
				weights[i] = 50 * (1 + rng.IntN(9))
			}
		}
		cs, comp := latticeSolver(t, 3, weights...)
		want := bruteLeast(cs, comp)
		if want > 0 {
			infeasible++
		}
		parts, v, ok := cs.exactLeast(comp, math.MaxInt, 1<<30)
		if !ok {
			t.Errorf("weights %v: no plan found, want violation %d", weights, want)
			continue
		}
		if v != want {
			t.Errorf("weights %v: violation %d, brute force %d", weights, v, want)
		}
		n, sum := 0, 0
		for _, part := range parts {
			n += len(part)
			sum += cs.violation(cs.sum(part), 1)
			if !cs.connected(part) {
				t.Errorf("weights %v: part %v not connected", weights, part)
			}
		}
		if n != len(comp) || sum != v {
			t.Errorf("weights %v: parts %v cover %d atoms with violation %d, reported %d", weights, parts, n, sum, v)
		}
		// A bound it cannot beat gives nothing.
		if _, _, ok := cs.exactLeast(comp, want, 1<<30); ok {
			t.Errorf("weights %v: found a plan below the least violation %d", weights, want)
		}
	}
	if infeasible == 0 {
		t.Error("no lattice without a plan in band: the test tries nothing")
	}
	t.Logf("%d of 150 lattices have no plan in band", infeasible)
}

// bruteLeast is the least total violation over all partitions of nodes
// into connected parts (restricted growth strings).
func bruteLeast(cs *communitySolver, nodes []int) int {
	n := len(nodes)
	label := make([]int, n)
	best := math.MaxInt
	var rec func(i, k int)
	rec = func(i, k int) {
		if i == n {
			parts := make([][]int, k)
			for j, l := range label {
				parts[l] = append(parts[l], nodes[j])
			}
			v := 0
			for _, p := range parts {
				if !cs.connected(p) {
					return
				}
				v += cs.violation(cs.sum(p), 1)
			}
			best = min(best, v)
			return
		}
		for l := 0; l <= k; l++ {
			label[i] = l
			rec(i+1, max(k, l+1))
		}
	}
	rec(0, 0)
	return best
}
