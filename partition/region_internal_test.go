package partition

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestWidenRegions checks the wider unions on random lumpy lattices whose
// quick plans leave grids out of band: the plan returned covers every atom
// once in connected parts, its violation is what it reports and no more
// than before, the plan given is left as it was, and where the whole
// lattice has a plan in band that a small exhaustive search finds, the
// unions, which grow to the whole lattice, find one too.
func TestWidenRegions(t *testing.T) {
	tried, settled, must := 0, 0, 0
	for seed := uint64(1); seed <= 300 && tried < 60; seed++ {
		rng := rand.New(rand.NewPCG(seed, 11))
		weights := make([]int, 40)
		for i := range weights {
			switch rng.IntN(6) {
			case 0:
				weights[i] = 0
			case 1:
				weights[i] = 150 + rng.IntN(150) // lumpy
			default:
				weights[i] = 10 + rng.IntN(60)
			}
		}
		cs, comp := latticeSolver(t, 8, weights...)
		k, feasible := cs.gridCount(cs.sum(comp))
		if !feasible || k < minWideGroup {
			continue
		}
		parts, v := cs.solveK(comp, k, float64(cs.set.Target), false)
		if v == 0 {
			parts = perturb(cs, parts, rng)
			if v = cs.totalViolation(parts); v == 0 {
				continue
			}
		}
		tried++
		before := fmt.Sprint(parts)
		got, gv := cs.widenRegions(comp, parts)
		what := fmt.Sprint("seed ", seed)
		if fmt.Sprint(parts) != before {
			t.Fatalf("%s: widenRegions modified the plan it was given", what)
		}
		checkParts(t, what, cs, comp, got, gv == 0)
		if tv := cs.totalViolation(got); tv != gv {
			t.Errorf("%s: reported violation %d, plan violates %d", what, gv, tv)
		}
		if gv > v {
			t.Errorf("%s: violation rose from %d to %d", what, v, gv)
		}
		if gv == 0 {
			settled++
		}
		if _, r, _ := cs.exactPlanBudget(slices.Clone(comp), 1000); r == exactFound {
			must++
			if gv > 0 {
				t.Errorf("%s: the lattice has a plan in band, widenRegions left violation %d", what, gv)
			}
		}
	}
	if tried < 20 || must == 0 {
		t.Fatalf("only %d lattices tried, %d with a plan in band: the test proves little", tried, must)
	}
	t.Logf("tried %d, settled %d, with a plan in band found quickly %d", tried, settled, must)
}

// perturb moves single atoms across grid boundaries, keeping every grid
// connected and non-empty, until some grid is out of band (or it gives up).
func perturb(cs *communitySolver, parts [][]int, rng *rand.Rand) [][]int {
	parts = slices.Clone(parts)
	owner := map[int]int{}
	for j, p := range parts {
		parts[j] = slices.Clone(p)
		for _, v := range p {
			owner[v] = j
		}
	}
	for try := 0; try < 200 && cs.totalViolation(parts) == 0; try++ {
		v := rng.IntN(len(cs.w))
		for _, u := range cs.adj[v] {
			from, to := owner[v], owner[int(u)]
			if from == to || len(parts[from]) == 1 {
				continue
			}
			rest := slices.DeleteFunc(slices.Clone(parts[from]), func(x int) bool { return x == v })
			if !connectedIn(cs, rest) {
				continue
			}
			parts[from] = rest
			parts[to] = append(parts[to], v)
			slices.Sort(parts[to])
			owner[v] = to
			break
		}
	}
	return parts
}

func connectedIn(cs *communitySolver, nodes []int) bool {
	in := map[int]bool{}
	for _, v := range nodes {
		in[v] = true
	}
	seen := map[int]bool{nodes[0]: true}
	stack := []int{nodes[0]}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range cs.adj[v] {
			if in[int(u)] && !seen[int(u)] {
				seen[int(u)] = true
				stack = append(stack, int(u))
			}
		}
	}
	return len(seen) == len(nodes)
}

// TestSettleCompounds: a compound_too_large diagnosis names only the
// compounds with buildings in a grid out of band, and is proven only when
// diagnose's proofs hold buildings of each of them.
func TestSettleCompounds(t *testing.T) {
	// Two compounds of 520 (no whole number of grids fits): Q on atoms
	// 0-1, R on atoms 4-5.
	cs, _ := latticeSolver(t, 4, 260, 260, 100, 100, 260, 260, 100, 100)
	cs.p.Compounds = []string{"Q", "R"}
	for v, c := range []int{0, 0, -1, -1, 1, 1, -1, -1} {
		cs.p.Atoms[v].Compound = c
	}
	grids := []Grid{
		{Atoms: []int{0, 2, 3}, Weight: 460, Status: OK},
		{Atoms: []int{1, 6, 7}, Weight: 460, Status: OK},
		{Atoms: []int{4, 5}, Weight: 520, Status: Over, Reason: CompoundTooLarge},
	}
	diag := func() []Diagnosis {
		return []Diagnosis{{Reason: CompoundTooLarge, Units: []string{`compound "Q"`, `compound "R"`}}}
	}
	for _, tc := range []struct {
		proofs map[int]bool
		proven bool
	}{
		{nil, false},
		{map[int]bool{0: true}, false}, // Q's split landed in band
		{map[int]bool{1: true}, true},
	} {
		cs.proofCompounds = tc.proofs
		ds := cs.settleCompounds(diag(), grids)
		if len(ds) != 1 || fmt.Sprint(ds[0].Units) != `[compound "R"]` || ds[0].Proven != tc.proven {
			t.Errorf("proofs %v: got %+v, want R alone, proven %v", tc.proofs, ds, tc.proven)
		}
	}
}
