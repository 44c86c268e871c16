package partition

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// pathProblem builds one community whose atoms have the given weights and
// are joined in a path, in order, 100 m apart.
func pathProblem(weights ...int) Problem {
	p := Problem{Communities: []string{"C1"}}
	for i, w := range weights {
		p.Atoms = append(p.Atoms, Atom{Weight: w, X: float64(100 * i), Compound: -1, Name: fmt.Sprintf("building %q", fmt.Sprint("B", i))})
		if i > 0 {
			p.Edges = append(p.Edges, Edge{A: i - 1, B: i, LengthM: 10})
		}
	}
	return p
}

func gridWeights(res *Result) []int {
	var ws []int
	for _, g := range res.Grids {
		ws = append(ws, g.Weight)
	}
	slices.Sort(ws)
	return ws
}

func TestSolveReasons(t *testing.T) {
	compound := func(p Problem, atoms ...int) Problem {
		p.Compounds = append(p.Compounds, "Q1")
		for _, a := range atoms {
			p.Atoms[a].Compound = len(p.Compounds) - 1
		}
		return p
	}
	dedicated := pathProblem(200, 250, 0)
	dedicated.Atoms[2].Dedicated = true
	// A dedicated institution between two halves cuts them apart.
	cutByDedicated := pathProblem(200, 0, 250)
	cutByDedicated.Atoms[1].Dedicated = true
	isolated := pathProblem(400, 100)
	isolated.Edges = nil

	for _, tc := range []struct {
		name        string
		p           Problem
		wantWeights []int    // grid weights, ascending
		wantReasons []Reason // reasons of out-of-band grids, ascending
		wantDiag    []Reason // diagnoses, in order
	}{
		{"in band", pathProblem(100, 200, 100, 150, 150), []int{300, 400}, nil, nil},
		// Prefix sums 100, 250, 450, 600: no cut of the path gives two
		// grids in band, so the least violating plan has 250 and 450.
		{"path without a cut in band", pathProblem(100, 150, 200, 150, 100), []int{250, 450}, []Reason{Indivisible}, []Reason{Indivisible}},
		{"community too small", pathProblem(100, 50, 20), []int{170}, []Reason{CommunityTooSmall}, []Reason{CommunityTooSmall}},
		// 550 cannot be one grid (over by 50) or two (under by 25 each);
		// equal total violation, and two grids are closer to the target.
		{"band gap", pathProblem(50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50), []int{250, 300}, []Reason{BandGap}, []Reason{BandGap}},
		// A compound of 520 cannot be split into grids in band, and its
		// neighbour of 450 cannot take a half: least violating is 520 + 450.
		{"compound too large", compound(pathProblem(260, 260, 450), 0, 1), []int{450, 520}, []Reason{CompoundTooLarge}, []Reason{CompoundTooLarge, Indivisible}},
		// A compound of 505 cannot be grids of its own; a building of it
		// joins the neighbour, every grid is in band, nothing to diagnose.
		{"compound too large, spilled", compound(pathProblem(100, 205, 200, 300), 0, 1, 2), []int{305, 500}, nil, nil},
		{"oversized building", pathProblem(150, 150, 100, 600), []int{400, 600}, []Reason{OversizedBuilding}, []Reason{OversizedBuilding}},
		// An oversized building in the middle leaves two pieces that can
		// only be grids of their own.
		{"oversized building cuts", pathProblem(150, 600, 150, 100), []int{150, 250, 600}, []Reason{Isolated, Isolated, OversizedBuilding}, []Reason{OversizedBuilding, Isolated}},
		{"isolated", isolated, []int{100, 400}, []Reason{Isolated}, []Reason{Isolated}},
		// Two 450s joined only through a 200: no connected plan in band;
		// three grids violate by 100, two by 150.
		{"indivisible", pathProblem(450, 200, 450), []int{200, 450, 450}, []Reason{Indivisible}, []Reason{Indivisible}},
		{"dedicated", dedicated, []int{0, 450}, nil, nil},
		{"cut by dedicated", cutByDedicated, []int{0, 200, 250}, []Reason{Isolated, Isolated}, []Reason{Isolated}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := checkDeterministic(t, tc.p, Settings{})
			checkPlan(t, tc.p, nil, res)
			if got := gridWeights(res); !slices.Equal(got, tc.wantWeights) {
				t.Errorf("grid weights = %v, want %v", got, tc.wantWeights)
			}
			var reasons []Reason
			for _, g := range res.Grids {
				if g.Reason != "" {
					reasons = append(reasons, g.Reason)
				}
			}
			slices.Sort(reasons)
			if !slices.Equal(reasons, tc.wantReasons) {
				t.Errorf("reasons = %v, want %v", reasons, tc.wantReasons)
			}
			var diags []Reason
			for _, d := range res.Diagnoses {
				diags = append(diags, d.Reason)
				if len(d.Units) == 0 || d.Detail == "" {
					t.Errorf("diagnosis %v names no units or has no detail", d)
				}
			}
			if !slices.Equal(diags, tc.wantDiag) {
				t.Errorf("diagnoses = %v, want %v", diags, tc.wantDiag)
			}
		})
	}
}

func TestSolveDiagnosisNamesUnits(t *testing.T) {
	p := pathProblem(150, 150, 100, 600)
	p.Atoms[3].Name = `building "tower-9"`
	res, err := Solve(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnoses) != 1 || !slices.Equal(res.Diagnoses[0].Units, []string{`building "tower-9"`}) {
		t.Errorf("Diagnoses = %+v, want one naming building \"tower-9\"", res.Diagnoses)
	}
}

func TestSolveLargeCompoundInside(t *testing.T) {
	// A compound of 800 in the middle of a row of free buildings: its grids
	// lie inside it (two of 400), and the free buildings form their own.
	p := pathProblem(100, 100, 100, 200, 200, 200, 200, 100, 100, 100)
	p.Compounds = []string{"Q1"}
	for a := 3; a <= 6; a++ {
		p.Atoms[a].Compound = 0
	}
	p.Edges = append(p.Edges, Edge{A: 2, B: 7, LengthM: 1}) // a path around the compound
	res := checkDeterministic(t, p, Settings{})
	checkPlan(t, p, nil, res)
	for _, g := range res.Grids {
		inside := 0
		for _, a := range g.Atoms {
			if p.Atoms[a].Compound == 0 {
				inside++
			}
		}
		if inside != 0 && inside != len(g.Atoms) {
			t.Errorf("grid %d mixes compound and outside atoms: %v", g.Seq, g.Atoms)
		}
	}
}

func TestSettingsValidation(t *testing.T) {
	for _, s := range []Settings{{Min: 500, Target: 400, Max: 300}, {Min: -1, Target: 1, Max: 2}, {Min: 10, Target: 20, Max: 15}} {
		if _, err := Solve(pathProblem(1), &s); err == nil {
			t.Errorf("Solve with %+v: no error", s)
		}
	}
}

func TestSolveMalformed(t *testing.T) {
	p := pathProblem(1, 2)
	p.Edges = append(p.Edges, Edge{A: 0, B: 9})
	if _, err := Solve(p, nil); err == nil {
		t.Error("Solve with an edge to a missing atom: no error")
	}
}

func TestSolveStranded(t *testing.T) {
	// A 250 between two 400s, with an empty atom joining it to a 260:
	// 250 + 260 = 510, 250 + 400 = 650, 260 + 400 = 660: neither the 250
	// nor the 260 has a grid-mate that keeps it in band.
	p := pathProblem(400, 250, 0, 260, 400)
	res := checkDeterministic(t, p, Settings{})
	checkPlan(t, p, nil, res)
	if len(res.Diagnoses) != 1 || res.Diagnoses[0].Reason != Indivisible || !slices.Equal(res.Diagnoses[0].Units, []string{`building "B1"`, `building "B3"`}) || !res.Diagnoses[0].Proven {
		t.Errorf("Diagnoses = %+v, want indivisible_units naming buildings \"B1\" and \"B3\"", res.Diagnoses)
	}
	// With a 240 instead of the 260, 250 + 240 fits: nothing is proven.
	p = pathProblem(400, 250, 0, 240, 400)
	res = checkDeterministic(t, p, Settings{})
	if len(res.Diagnoses) != 0 {
		t.Errorf("Diagnoses = %+v, want none", res.Diagnoses)
	}
	in, out := bandShare(res)
	if out != 0 {
		t.Errorf("%d grids in band, %d out; want all in band", in, out)
	}
}

// TestSolveAroundStranded: atoms no grid in band can hold take the least
// violating grid first, and the rest is planned in band.
func TestSolveAroundStranded(t *testing.T) {
	// B1 (100) has only B0 (450) and B2 (450) as mates, both taking it
	// over 500: stranded. Alone it is 200 under; with a 450 it is 50 over.
	// The rest, a 450 and 300 | 300, fits in band.
	p := pathProblem(450, 100, 450, 300, 300)
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
	seen := make([]int, len(nodes))
	var out []int
	for _, part := range parts {
		if !cs.connected(part) {
			t.Errorf("part %v is not connected", part)
		}
		for _, v := range part {
			seen[v]++
		}
		if w := cs.sum(part); cs.violation(w, 1) > 0 {
			out = append(out, w)
		}
	}
	for v, n := range seen {
		if n != 1 {
			t.Errorf("atom %d in %d parts", v, n)
		}
	}
	if !slices.Equal(out, []int{550}) {
		t.Errorf("grids out of band hold %v households, want only the stranded atom's 550", out)
	}
}
