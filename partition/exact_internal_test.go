package partition

import (
	"context"
	"fmt"
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
		p := LatticeProblem(seed, 1, 4)
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
			checkParts(t, fmt.Sprint("seed ", seed), cs, comp, parts, true)
		case exactInfeasible:
			infeasible++
			// A proof of infeasibility must never meet a plan in band:
			// the heuristic search, with many seeds, must fail too.
			for s := uint64(1); s <= 5; s++ {
				res, err := Solve(context.Background(), p, &Settings{Seed: s, Effort: 3})
				if err != nil {
					t.Fatal(err)
				}
				out := 0
				for _, g := range res.Grids {
					if g.Status != OK {
						out++
					}
				}
				if out == 0 {
					t.Errorf("seed %d: exhaustive search says infeasible, Solve(seed %d) found a plan in band", seed, s)
				}
			}
		}
	}
	t.Logf("found %d, infeasible %d", found, infeasible)
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
		checkParts(t, fmt.Sprint("weights ", weights), cs, comp, parts, false)
		if sum := cs.totalViolation(parts); sum != v {
			t.Errorf("weights %v: parts %v violate the band by %d, reported %d", weights, parts, sum, v)
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
// into connected parts.
func bruteLeast(cs *communitySolver, nodes []int) int {
	best := math.MaxInt
	bruteParts(cs, nodes, func(parts [][]int) {
		v := 0
		for _, p := range parts {
			v += cs.violation(cs.sum(p), 1)
		}
		best = min(best, v)
	})
	return best
}

// TestExactPlanUnrealisable: four buildings of 200 households around one
// empty atom. Any two of them make a grid in band when joined through the
// empty atom, but only one grid can have it: there is no plan in band, and
// the search proves it instead of giving up.
func TestExactPlanUnrealisable(t *testing.T) {
	p := Problem{Communities: []string{"C"}}
	for i, w := range []int{0, 200, 200, 200, 200} {
		p.Atoms = append(p.Atoms, Atom{Weight: w, Compound: -1, X: float64(i), Y: float64(i % 2)})
		if i > 0 {
			p.Edges = append(p.Edges, Edge{A: 0, B: i, LengthM: 10})
		}
	}
	set, _ := (&Settings{}).withDefaults()
	cs := newCommunitySolver(&p, buildAdjacency(p), 0, seq(5), &set, rand.New(rand.NewPCG(1, 1)))
	if _, r := cs.exactPlan(seq(5)); r != exactInfeasible {
		t.Errorf("exact search: %v, want a proof of infeasibility (%v)", r, exactInfeasible)
	}
}

// TestRealiseExactly compares the exact realisation with brute force: on
// small random lattices, with the non-empty atoms dealt to grids at
// random, the empty atoms can be handed out so that every grid is
// connected exactly when some assignment of them does so. One realiser
// serves every plan of a lattice, as in the exhaustive search.
func TestRealiseExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 5))
	found, proven := 0, 0
	for trial := 0; trial < 800; trial++ {
		weights := make([]int, 12)
		var full, empty []int
		for i := range weights {
			if rng.IntN(5) < 2 {
				empty = append(empty, i)
				continue
			}
			weights[i] = 100
			full = append(full, i)
		}
		k := 2 + rng.IntN(2)
		if len(full) < k {
			continue
		}
		cs, comp := latticeSolver(t, 4, weights...)
		rz := newRealiser(cs, comp)
		for plan := 0; plan < 2; plan++ {
			k := k + plan // the second plan has one grid more
			if len(full) < k {
				continue
			}
			grid := make([]int, len(full))
			for i := range grid {
				grid[i] = i % k // every grid gets an atom
				if i >= k {
					grid[i] = rng.IntN(k)
				}
			}
			want := bruteRealise(cs, full, grid, empty, k)
			parts, r, _ := rz.realise(full, grid, k, 1<<20)
			switch {
			case r == exactUnknown:
				t.Fatalf("trial %d: budget ran out", trial)
			case want != (r == exactFound):
				t.Errorf("trial %d plan %d: realisable %v, exact search says %v", trial, plan, want, r)
			case r == exactFound:
				found++
				checkParts(t, fmt.Sprint("trial ", trial), cs, comp, parts, false)
				for i, v := range full {
					if !contains(parts[grid[i]], v) {
						t.Errorf("trial %d: atom %d not in its grid %d", trial, v, grid[i])
					}
				}
			default:
				proven++
			}
		}
	}
	if found == 0 || proven == 0 {
		t.Errorf("%d realised, %d proven impossible: want both", found, proven)
	}
}

// bruteRealise tries every assignment of the empty atoms to the k grids.
func bruteRealise(cs *communitySolver, full, grid, empty []int, k int) bool {
	assign := make([]int, len(empty))
	for {
		parts := make([][]int, k)
		for i, v := range full {
			parts[grid[i]] = append(parts[grid[i]], v)
		}
		for i, v := range empty {
			parts[assign[i]] = append(parts[assign[i]], v)
		}
		ok := true
		for _, p := range parts {
			ok = ok && cs.connected(p)
		}
		if ok {
			return true
		}
		i := 0
		for ; i < len(assign); i++ {
			assign[i]++
			if assign[i] < k {
				break
			}
			assign[i] = 0
		}
		if i == len(assign) {
			return false
		}
	}
}

// TestExactMargins compares the search for the plan in band at least risk
// from the band's edges with brute force over every partition of small
// random lattices into connected parts.
func TestExactMargins(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 2))
	tried := 0
	for trial := 0; trial < 150; trial++ {
		weights := make([]int, 9)
		for i := range weights {
			if rng.IntN(6) > 0 {
				weights[i] = 40 + 10*rng.IntN(20)
			}
		}
		cs, comp := latticeSolver(t, 3, weights...)
		want := math.Inf(1)
		bruteParts(cs, comp, func(parts [][]int) {
			risk := 0.0
			for _, p := range parts {
				if cs.violation(cs.sum(p), 1) > 0 {
					return
				}
				risk += cs.set.edgeRisk(cs.sum(p), cs.sumSquares(p))
			}
			want = math.Min(want, risk)
		})
		parts, ok := cs.exactMargins(comp, math.Inf(1), 1<<30)
		if ok != !math.IsInf(want, 1) {
			t.Errorf("weights %v: found %v, brute force least risk %g", weights, ok, want)
			continue
		}
		if !ok {
			continue
		}
		tried++
		checkParts(t, fmt.Sprint("weights ", weights), cs, comp, parts, true)
		risk := 0.0
		for _, p := range parts {
			risk += cs.set.edgeRisk(cs.sum(p), cs.sumSquares(p))
		}
		// The same risks summed in another order: they agree to rounding.
		if math.Abs(risk-want) > 1e-9 {
			t.Errorf("weights %v: risk %g, brute force least risk %g", weights, risk, want)
		}
	}
	if tried == 0 {
		t.Error("no lattice with a plan in band")
	}
}

// bruteParts calls f with every partition of nodes into connected parts.
func bruteParts(cs *communitySolver, nodes []int, f func([][]int)) {
	n := len(nodes)
	label := make([]int, n)
	var rec func(i, k int)
	rec = func(i, k int) {
		if i == n {
			parts := make([][]int, k)
			for j, l := range label {
				parts[l] = append(parts[l], nodes[j])
			}
			for _, p := range parts {
				if !cs.connected(p) {
					return
				}
			}
			f(parts)
			return
		}
		for l := 0; l <= k; l++ {
			label[i] = l
			rec(i+1, max(k, l+1))
		}
	}
	rec(0, 0)
}

// TestSteadier: on random lumpy lattices, a plan in band is replaced only
// by one in band, connected, covering every atom once, of lower objective
// and lower risk from the band's edges.
func TestSteadier(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 4))
	improved := 0
	for trial := 0; trial < 200; trial++ {
		const side = 4
		weights := make([]int, side*side)
		for i := range weights {
			weights[i] = 40 + 10*r.IntN(14)
		}
		cs, nodes := latticeSolver(t, side, weights...)
		ls, _, ok := plannedInBand(cs, nodes)
		if !ok {
			continue
		}
		before := ls.parts()
		got := cs.steadier(nodes, before)
		if fmt.Sprint(got) == fmt.Sprint(before) {
			continue
		}
		improved++
		checkParts(t, fmt.Sprint("trial ", trial), cs, nodes, got, true)
		whole := cs.newLocalSearch(nodes, before, 400)
		if c := whole.view(nodes, got).cost(); c >= whole.cost() {
			t.Errorf("trial %d: objective %g after, %g before", trial, c, whole.cost())
		}
		if riskAfter, riskBefore := cs.planRisk(got), cs.planRisk(before); riskAfter >= riskBefore {
			t.Errorf("trial %d: edge risk %g after, %g before", trial, riskAfter, riskBefore)
		}
	}
	if improved == 0 {
		t.Error("no plan of 200 was made steadier")
	}
	t.Logf("%d plans made steadier", improved)
}
