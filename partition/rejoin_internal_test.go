package partition

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// compoundLattice is latticeSolver with the atoms of compound 0 marked.
func compoundLattice(t *testing.T, cols int, compound []int, weights ...int) (*communitySolver, []int) {
	t.Helper()
	cs, nodes := latticeSolver(t, cols, weights...)
	cs.p.Compounds = []string{"Q"}
	for _, v := range compound {
		cs.p.Atoms[v].Compound = 0
	}
	cs.near = cs.findNearMax()
	return cs, nodes
}

// TestHardToRejoin: a compound of 505 households is easy to bring back
// together when one grid holds only it and the other keeps 300 without it.
func TestHardToRejoin(t *testing.T) {
	// 0 1 2 3    atoms 0, 1, 2 are the compound (200 + 200 + 105); the
	// 4 5 6 7    others hold 90 each.
	// 8 9 10
	cs, nodes := compoundLattice(t, 4, []int{0, 1, 2}, 200, 200, 105, 90, 90, 90, 90, 90, 90, 90, 90)
	if cs.near == nil || len(cs.near.risk) != 1 || cs.near.risk[0] <= 0 {
		t.Fatalf("compound of 505 not tracked as just over max: %+v", cs.near)
	}
	for _, tc := range []struct {
		parts [][]int
		hard  bool
	}{
		{[][]int{{0, 1}, {2, 3, 6, 7, 10}, {4, 5, 8, 9}}, false}, // 400 pure, 105 + 360
		{[][]int{{0, 4, 8}, {1, 2, 5}, {3, 6, 7, 9, 10}}, true},  // no grid holds only the compound
		{[][]int{{0, 1}, {2, 3, 7}, {4, 5, 6, 8, 9, 10}}, true},  // 105 + 180: 180 left alone
		{[][]int{{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}, false},     // whole in one part
		{[][]int{{0, 1, 4}, {2, 3, 6, 7, 10}, {5, 8, 9}}, true},  // 90 beside the 400
		{[][]int{{0, 1}, {2, 3, 6, 7, 10, 4, 5, 8, 9}}, false},   // 105 + 630
		{[][]int{{0, 1, 2}, {3, 6, 7, 10}, {4, 5, 8, 9}}, false}, // 505 in one grid
		{[][]int{{0, 4}, {1, 5, 8, 9}, {2, 3, 6, 7, 10}}, true},  // two impure grids
	} {
		ls := cs.newLocalSearch(nodes, tc.parts, 400)
		if got := ls.hardToRejoin(0) > 0; got != tc.hard {
			t.Errorf("%v: hard to rejoin %v (%g), want %v", tc.parts, got, ls.hardToRejoin(0), tc.hard)
		}
	}
	// A view that sees only part of the compound counts nothing.
	ls := cs.newLocalSearch([]int{1, 5}, [][]int{{1, 5}}, 400)
	if h := ls.hardToRejoin(0); h != 0 {
		t.Errorf("view of part of the compound: %g, want 0", h)
	}
}

// TestNearMaxBounds: only compounds above max by less than their margin
// are tracked.
func TestNearMaxBounds(t *testing.T) {
	for _, tc := range []struct {
		weights []int
		tracked bool
	}{
		{[]int{250, 251}, true},  // 501
		{[]int{250, 250}, false}, // 500 is whole
		{[]int{300, 260}, false}, // 560: far above
		{[]int{500, 10}, true},   // 510, one large building: margin 31
	} {
		cs, _ := compoundLattice(t, 2, []int{0, 1}, tc.weights...)
		if got := cs.near != nil; got != tc.tracked {
			t.Errorf("compound %v: tracked %v, want %v", tc.weights, got, tc.tracked)
		}
	}
}

// TestRejoinDelta: the move delta includes the change of the rejoin term,
// so the local search and the full objective agree.
func TestRejoinDelta(t *testing.T) {
	cs, nodes := compoundLattice(t, 4, []int{0, 1, 2}, 200, 200, 105, 90, 90, 90, 90, 90, 90, 90, 90)
	ls := cs.newLocalSearch(nodes, [][]int{{0, 1}, {2, 3, 6, 7}, {4, 5, 8, 9, 10}}, 400)
	for _, mv := range [][2]int{{10, 1}, {5, 0}, {2, 0}, {6, 2}} {
		v, q := mv[0], mv[1]
		before := ls.cost()
		d := ls.moveDelta(v, q)
		p := int(ls.part[v])
		ls.move(v, q)
		if got := ls.cost() - before; !near(got, d) {
			t.Errorf("moving %d to %d: cost changed by %g, delta said %g", v, q, got, d)
		}
		ls.move(v, p)
	}
}

// TestRejoinDeltaRandom: on random lattices with two compounds just over
// max, every move's delta matches the change of the full objective.
func TestRejoinDeltaRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 8))
	for trial := 0; trial < 50; trial++ {
		const side = 5
		weights := make([]int, side*side)
		for i := range weights {
			weights[i] = 20 + 10*r.IntN(12)
		}
		// Rows 0 and 4 are compounds of 502 and 505 households.
		for i, w := range []int{100, 100, 100, 100, 102, 101, 101, 101, 101, 101} {
			weights[[]int{0, 1, 2, 3, 4, 20, 21, 22, 23, 24}[i]] = w
		}
		cs, nodes := latticeSolver(t, side, weights...)
		cs.p.Compounds = []string{"Q", "R"}
		for i := range side {
			cs.p.Atoms[i].Compound = 0
			cs.p.Atoms[20+i].Compound = 1
		}
		cs.near = cs.findNearMax()
		if cs.near == nil || len(cs.near.risk) != 2 {
			t.Fatal("compounds of 502 and 505 not tracked")
		}
		k, _ := cs.gridCount(cs.sum(nodes))
		ls := cs.newLocalSearch(nodes, cs.bisect(nodes, k), 400)
		for range 40 {
			v := r.IntN(len(nodes))
			nb := cs.adj[v][r.IntN(len(cs.adj[v]))]
			p, q := int(ls.part[v]), int(ls.part[nb])
			if p == q {
				continue
			}
			before := ls.cost()
			d := ls.moveDelta(v, q)
			ls.move(v, q)
			// Running sums of the moment of inertia lose a few digits
			// to cancellation; a wrong rejoin term is off by 1e-3 or more.
			if got := ls.cost() - before; math.Abs(got-d) > 1e-6*math.Max(1, math.Abs(before)) {
				t.Fatalf("trial %d: moving %d from %d to %d: cost changed by %g, delta said %g", trial, v, p, q, got, d)
			}
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(a)) }

// TestPolishRejoins: a plan in band whose split of a compound just over
// max is hard to undo is redrawn into one that is easy to undo.
func TestPolishRejoins(t *testing.T) {
	cs, nodes := compoundLattice(t, 4, []int{0, 1, 2}, 200, 200, 105, 90, 90, 90, 90, 90, 90, 90, 90)
	start := [][]int{{0, 4, 8}, {1, 2, 5}, {3, 6, 7, 9, 10}}
	before := cs.newLocalSearch(nodes, start, 400)
	if before.violation() > 0 || before.hardToRejoin(0) == 0 {
		t.Fatal("the start is not an in-band plan that is hard to rejoin")
	}
	got := cs.polishRejoins(nodes, start, 400)
	after := cs.newLocalSearch(nodes, got, 400)
	if after.violation() > 0 || after.hardToRejoin(0) > 0 || after.cost() >= before.cost() {
		t.Errorf("after polishing %v: violation %d, hard to rejoin %g, cost %g (before %g)",
			got, after.violation(), after.hardToRejoin(0), after.cost(), before.cost())
	}
}

// TestPolishRejoinsProperties: on random lattices with a compound just over
// max, polishing keeps every node in exactly one connected part in band,
// keeps the number of parts and never raises the objective.
func TestPolishRejoinsProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 11))
	tried, eased := 0, 0
	for trial := 0; trial < 300; trial++ {
		const side = 4
		weights := make([]int, side*side)
		for i := range weights {
			weights[i] = 40 + 10*r.IntN(10)
		}
		// The first row is the compound: 501 to 510 households.
		over := 501 + r.IntN(10)
		share := over / side
		for i := range side {
			weights[i] = share
		}
		weights[0] += over - side*share
		cs, nodes := compoundLattice(t, side, []int{0, 1, 2, 3}, weights...)
		if cs.near == nil {
			continue
		}
		ls, k, ok := plannedInBand(cs, nodes)
		if !ok {
			continue
		}
		tried++
		before, hard := ls.cost(), ls.hardToRejoin(0) > 0
		got := cs.polishRejoins(nodes, ls.parts(), 400)
		if len(got) != k {
			t.Fatalf("trial %d: %d parts after polishing, want %d", trial, len(got), k)
		}
		checkParts(t, fmt.Sprint("trial ", trial), cs, nodes, got, true)
		after := cs.newLocalSearch(nodes, got, 400)
		if after.cost() > before+minGain {
			t.Fatalf("trial %d: cost %g after polishing, %g before", trial, after.cost(), before)
		}
		if hard && after.hardToRejoin(0) == 0 {
			eased++
		}
	}
	if tried == 0 || eased == 0 {
		t.Errorf("%d plans tried, %d made easy to rejoin: want some", tried, eased)
	}
	t.Logf("%d plans tried, %d made easy to rejoin", tried, eased)
}
