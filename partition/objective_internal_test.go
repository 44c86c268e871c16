package partition

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func TestEdgeRisk(t *testing.T) {
	s := Settings{Min: 300, Target: 400, Max: 500}
	// Three towers of 150: a margin of 0.06·√67500 + 1 ≈ 16.6 households.
	sq := 3 * 150.0 * 150
	for _, tc := range []struct {
		w    int
		want func(r float64) bool
	}{
		{299, func(r float64) bool { return r == 1 }},
		{300, func(r float64) bool { return r == 1 }},
		{500, func(r float64) bool { return r == 1 }},
		{501, func(r float64) bool { return r == 1 }},
		{308, func(r float64) bool { return r > 0.2 && r < 0.4 }},
		{492, func(r float64) bool { return r > 0.2 && r < 0.4 }},
		{317, func(r float64) bool { return r == 0 }},
		{400, func(r float64) bool { return r == 0 }},
	} {
		if r := s.edgeRisk(tc.w, sq); !tc.want(r) {
			t.Errorf("edgeRisk(%d, 3 towers of 150) = %g", tc.w, r)
		}
	}
	// Many small houses need hardly any margin; one big tower a wide one.
	if r := s.edgeRisk(496, 150*9); r != 0 {
		t.Errorf("edgeRisk(496, 150 houses of 3) = %g, want 0", r)
	}
	if r := s.edgeRisk(480, 2*250*250); r == 0 {
		t.Errorf("edgeRisk(480, 2 towers of 250) = 0, want > 0")
	}
}

// TestCompoundCut: a grid boundary between two buildings of a compound costs
// more than one of the same length elsewhere, so that moving a compound's
// building away from its compound costs the search more.
func TestCompoundCut(t *testing.T) {
	// 0 1   0-1 and 2-3 are buildings of compound 0; 4-5 stand alone.
	// 2 3
	// 4 5
	p := Problem{Communities: []string{"C"}, Compounds: []string{"Q"}}
	for i := range 6 {
		c := -1
		if i < 4 {
			c = 0
		}
		p.Atoms = append(p.Atoms, Atom{Weight: 100, Compound: c, X: float64(i%2) * 50, Y: float64(i/2) * 50})
	}
	for _, e := range [][2]int{{0, 1}, {0, 2}, {1, 3}, {2, 3}, {2, 4}, {3, 5}, {4, 5}} {
		p.Edges = append(p.Edges, Edge{A: e[0], B: e[1], LengthM: 50})
	}
	set, err := (&Settings{Min: 200, Target: 300, Max: 400}).withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	cs := newCommunitySolver(&p, buildAdjacency(p), 0, []int{0, 1, 2, 3, 4, 5}, &set, rand.New(rand.NewPCG(1, 1)))
	// Cut the compound between its rows, or cut below it: equal lengths.
	through := cs.newLocalSearch([]int{0, 1, 2, 3, 4, 5}, [][]int{{0, 1}, {2, 3, 4, 5}}, 300)
	along := cs.newLocalSearch([]int{0, 1, 2, 3, 4, 5}, [][]int{{0, 1, 2, 3}, {4, 5}}, 300)
	if got := cs.length[0][1] / cs.length[4][1]; got != compoundCutFactor {
		t.Errorf("a boundary through the compound costs %g times one outside, want %d", got, compoundCutFactor)
	}
	// Balance and inertia differ between the two; the boundary terms do not
	// once the compound is discounted.
	bt := through.cost() - through.costOf(0) - through.costOf(1)
	ba := along.cost() - along.costOf(0) - along.costOf(1)
	if bt <= ba {
		t.Errorf("boundary cost through the compound %g, along its wall %g: want more through it", bt, ba)
	}
}

// latticeSolver is the solver of one community of atoms of the given
// weights in rows of cols, 60 m apart, each joined to its neighbours in its
// row and column, in the default band.
func latticeSolver(t *testing.T, cols int, weights ...int) (*communitySolver, []int) {
	t.Helper()
	p := Problem{Communities: []string{"C"}}
	for i, w := range weights {
		p.Atoms = append(p.Atoms, Atom{Weight: w, Compound: -1, X: float64(i%cols) * 60, Y: float64(i/cols) * 60})
		if i%cols > 0 {
			p.Edges = append(p.Edges, Edge{A: i - 1, B: i, LengthM: 60})
		}
		if i >= cols {
			p.Edges = append(p.Edges, Edge{A: i - cols, B: i, LengthM: 60})
		}
	}
	set, err := (&Settings{}).withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	nodes := seq(len(weights))
	return newCommunitySolver(&p, buildAdjacency(p), 0, nodes, &set, rand.New(rand.NewPCG(1, 1))), nodes
}

// TestSwapOffTheEdge: a grid at the band's edge whose atoms are too lumpy
// for any single move swaps an atom with its neighbour instead.
func TestSwapOffTheEdge(t *testing.T) {
	// 0 1    grid {0 1 2} holds 300 households, {3 4 5} 380; moving any
	// 2 3    one atom breaks the band, swapping 2 and 3 gives 330 and 350.
	// 4 5
	cs, nodes := latticeSolver(t, 2, 100, 100, 100, 130, 125, 125)
	ls := cs.newLocalSearch(nodes, [][]int{{0, 1, 2}, {3, 4, 5}}, 400)
	ls.run()
	got := ls.parts()
	if fmt.Sprint(got) != "[[0 1 3] [2 4 5]]" {
		t.Errorf("after the local search: %v, want [[0 1 3] [2 4 5]]", got)
	}
}

// TestPolishOffTheEdge: a grid at the band's edge that neither a single
// move nor a swap of adjacent atoms can take off it is redrawn with its
// neighbour.
func TestPolishOffTheEdge(t *testing.T) {
	// 0 1 2    grid {0 1 3} holds 300 households, {2 4 5} 340. Moving 2
	// 3 4 5    or 3 alone breaks the band and they are not adjacent, so no
	//          swap; {0 1 2} and {3 4 5} hold 320 each.
	cs, nodes := latticeSolver(t, 3, 90, 140, 90, 70, 90, 160)
	ls := cs.newLocalSearch(nodes, [][]int{{0, 1, 3}, {2, 4, 5}}, 400)
	ls.run()
	if got := fmt.Sprint(ls.parts()); got != "[[0 1 3] [2 4 5]]" {
		t.Fatalf("the local search alone gives %s: the case no longer needs a redraw", got)
	}
	before := ls.cost()
	got := cs.polishMargins(nodes, ls.parts(), 400)
	if fmt.Sprint(got) != "[[0 1 2] [3 4 5]]" {
		t.Errorf("after polishing: %v, want [[0 1 2] [3 4 5]]", got)
	}
	if after := cs.newLocalSearch(nodes, got, 400).cost(); after >= before {
		t.Errorf("cost %g after polishing, %g before: want lower", after, before)
	}
}

// TestPolishProperties: on random lumpy lattices, polishing keeps every
// node in exactly one connected part in band, keeps the number of parts and
// never raises the objective.
func TestPolishProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	improved := 0
	for trial := 0; trial < 300; trial++ {
		const side = 4
		p := Problem{Communities: []string{"C"}}
		for i := range side * side {
			w := 40 + 10*r.IntN(14)
			p.Atoms = append(p.Atoms, Atom{Weight: w, Compound: -1, X: float64(i%side) * 50, Y: float64(i/side) * 50})
		}
		for i := range side * side {
			if i%side < side-1 {
				p.Edges = append(p.Edges, Edge{A: i, B: i + 1, LengthM: 50})
			}
			if i/side < side-1 {
				p.Edges = append(p.Edges, Edge{A: i, B: i + side, LengthM: 50})
			}
		}
		set, err := (&Settings{}).withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		nodes := seq(side * side)
		cs := newCommunitySolver(&p, buildAdjacency(p), 0, nodes, &set, rand.New(rand.NewPCG(uint64(trial), 1)))
		ls, k, ok := plannedInBand(cs, nodes)
		if !ok {
			continue
		}
		before := ls.cost()
		got := cs.polishMargins(nodes, ls.parts(), 400)
		if len(got) != k {
			t.Fatalf("trial %d: %d parts after polishing, want %d", trial, len(got), k)
		}
		checkParts(t, fmt.Sprint("trial ", trial), cs, nodes, got, true)
		after := cs.newLocalSearch(nodes, got, 400).cost()
		if after > before+minGain {
			t.Fatalf("trial %d: cost %g after polishing, %g before", trial, after, before)
		}
		if after < before-minGain {
			improved++
		}
	}
	if improved == 0 {
		t.Error("polishing improved no plan of 300")
	}
	t.Logf("%d plans improved", improved)
}

// plannedInBand plans nodes by one bisection into k parts and local search;
// ok is false when the total admits no two or more grids in band or the
// plan is not in band.
func plannedInBand(cs *communitySolver, nodes []int) (ls *localSearch, k int, ok bool) {
	k, ok = cs.gridCount(cs.sum(nodes))
	if !ok || k < 2 {
		return nil, k, false
	}
	ls = cs.newLocalSearch(nodes, cs.bisect(nodes, k), 400)
	ls.run()
	return ls, k, ls.violation() == 0
}

// TestCostOfFresh: the part costs the local search keeps between moves are
// those computed afresh from its sums, bit for bit, after random moves.
func TestCostOfFresh(t *testing.T) {
	cs, nodes := latticeSolver(t, 6, 120, 80, 150, 60, 200, 90, 110, 130, 70, 40, 160, 100)
	ls := cs.newLocalSearch(nodes, [][]int{nodes[:4], nodes[4:8], nodes[8:]}, 400)
	r := rand.New(rand.NewPCG(2, 3))
	check := func(step int) {
		for j := range ls.w {
			if got, want := ls.costOf(j), ls.partCost(ls.w[j], ls.sq[j], ls.m[j], ls.sx[j], ls.sy[j], ls.sxx[j]); got != want {
				t.Fatalf("step %d: costOf(%d) = %v, afresh %v", step, j, got, want)
			}
		}
	}
	for step := range 500 {
		check(step)
		v := nodes[r.IntN(len(nodes))]
		p, q := int(ls.part[v]), r.IntN(len(ls.w))
		if p == q || ls.count[p] == 1 {
			continue
		}
		ls.add(v, p, -1)
		ls.add(v, q, 1)
		ls.part[v] = int32(q)
	}
}
