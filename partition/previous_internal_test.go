package partition

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
)

// TestNeighbourPairs: a piece under the band that neither neighbour settles
// alone is planned with two neighbours at once, the pair that works.
func TestNeighbourPairs(t *testing.T) {
	// Grids on a path: {450} | {145 145} | {60 250} | {100 350}. The
	// middle piece (290) fails with either neighbour alone and with both
	// of them (1050 admits no three intervals in band), but with its right
	// neighbour and the next one it makes 350 + 350 + 350.
	p := PathProblem(450, 145, 145, 60, 250, 100, 350)
	set, err := (&Settings{}).withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	nodes := seq(7)
	cs := newCommunitySolver(&p, buildAdjacency(p), 0, nodes, &set, rand.New(rand.NewPCG(1, 1)))
	blocks := []block{{nodes: []int{0}, w: 450}, {nodes: []int{3, 4}, w: 310}, {nodes: []int{5, 6}, w: 450}}
	of := []int{0, -1, -1, 1, 1, 2, 2}
	inComp := []bool{true, true, true, true, true, true, true}
	piece := []int{1, 2}
	for _, b := range []int{0, 1} {
		region := append(append([]int(nil), piece...), blocks[b].nodes...)
		sort.Ints(region)
		if _, _, ok := cs.tryRegion(region); ok {
			t.Fatalf("the piece with block %d alone is planned in band: the case no longer needs two", b)
		}
	}
	pair, parts, ok := cs.tryNeighbourPairs(piece, []int{0, 1}, []int{10, 10}, blocks, of, inComp)
	if !ok {
		t.Fatal("no pair of neighbours found")
	}
	if pair != [2]int{1, 2} {
		t.Errorf("pair %v, want [1 2]", pair)
	}
	checkParts(t, "pair [1 2]", cs, []int{1, 2, 3, 4, 5, 6}, parts, false)
	var ws []int
	for _, part := range parts {
		ws = append(ws, cs.sum(part))
	}
	if fmt.Sprint(ws) != "[350 350 350]" {
		t.Errorf("households per grid %v, want [350 350 350]", ws)
	}
}

// TestLeastChange: among plans ordered by how much they change, a later
// plan is taken only if it lowers the violation by more than Min/20 (15
// households) below the plan taken so far.
func TestLeastChange(t *testing.T) {
	// One atom per plan: its weight is the plan's violation below 300.
	p := PathProblem(300, 290, 280, 250, 240, 236, 200)
	set, err := (&Settings{}).withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	cs := newCommunitySolver(&p, buildAdjacency(p), 0, seq(7), &set, rand.New(rand.NewPCG(1, 1)))
	plan := func(atoms ...int) [][]int { return [][]int{atoms} }
	for _, tc := range []struct {
		order []int // atoms, one plan each, least change first
		want  int
	}{
		{[]int{1, 2}, 1},       // 10 below, then 20: the first
		{[]int{2, 1}, 2},       // 20, then 10: not worth it
		{[]int{2, 0}, 0},       // 20, then in band: worth it
		{[]int{3, 2, 1}, 2},    // 50, 20 (worth it), 10 (not)
		{[]int{6, 5, 4, 3}, 5}, // 100, 64 (worth it), 60 (not), 50 (not: 14 below 64)
		{[]int{6, 5, 4, 3, 0}, 0},
	} {
		var cands [][][]int
		for _, a := range tc.order {
			cands = append(cands, plan(a))
		}
		if got := cs.leastChange(cands)[0][0]; got != tc.want {
			t.Errorf("plans of atoms %v: picked %d, want %d", tc.order, got, tc.want)
		}
	}
}
