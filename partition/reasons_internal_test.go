package partition

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSolveAroundStranded: atoms no grid in band can hold take the least
// violating grid first, and the rest is planned in band.
func TestSolveAroundStranded(t *testing.T) {
	// B1 (100) has only B0 (450) and B2 (450) as mates, both taking it
	// over 500: stranded. Alone it is 200 under; with a 450 it is 50 over.
	// The rest, a 450 and 300 | 300, fits in band.
	p := PathProblem(450, 100, 450, 300, 300)
	set, err := (&Settings{}).withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	nodes := seq(5)
	cs := newCommunitySolver(&p, buildAdjacency(p), 0, nodes, &set, rand.New(rand.NewPCG(1, 1)))
	units, atoms := cs.stranded([][]int{nodes})
	if !slices.Equal(units, []string{`building "B1"`}) {
		t.Fatalf("stranded = %v, want building B1 alone", units)
	}
	for _, v := range atoms {
		cs.hopeless[v] = true
	}
	parts, _, ok := cs.solveAroundHopeless(nodes)
	if !ok {
		t.Fatal("no plan around the stranded atom")
	}
	checkParts(t, "around the stranded atom", cs, nodes, parts, false)
	var out []int
	for _, part := range parts {
		if w := cs.sum(part); cs.violation(w, 1) > 0 {
			out = append(out, w)
		}
	}
	if !slices.Equal(out, []int{550}) {
		t.Errorf("grids out of band hold %v households, want only the stranded atom's 550", out)
	}
}
