package partition_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"gridplan/partition"
	"gridplan/partition/parttest"
)

func gridWeights(res *partition.Result) []int {
	var ws []int
	for _, g := range res.Grids {
		ws = append(ws, g.Weight)
	}
	slices.Sort(ws)
	return ws
}

func TestSolveReasons(t *testing.T) {
	compound := func(p partition.Problem, atoms ...int) partition.Problem {
		p.Compounds = append(p.Compounds, "Q1")
		for _, a := range atoms {
			p.Atoms[a].Compound = len(p.Compounds) - 1
		}
		return p
	}
	dedicated := partition.PathProblem(200, 250, 0)
	dedicated.Atoms[2].Dedicated = true
	// A dedicated institution between two halves cuts them apart.
	cutByDedicated := partition.PathProblem(200, 0, 250)
	cutByDedicated.Atoms[1].Dedicated = true
	// Shops (no households) cut off by a dedicated institution join its
	// grid: nothing is out of band.
	shopsBehindDedicated := partition.PathProblem(400, 0, 0, 0)
	shopsBehindDedicated.Atoms[1].Dedicated = true
	isolated := partition.PathProblem(400, 100)
	isolated.Edges = nil
	apart := partition.PathProblem(0, 0)
	apart.Edges = nil

	for _, tc := range []struct {
		name        string
		p           partition.Problem
		wantWeights []int              // grid weights, ascending
		wantReasons []partition.Reason // reasons of out-of-band grids, ascending
		wantDiag    []partition.Reason // diagnoses, in order
	}{
		{"in band", partition.PathProblem(100, 200, 100, 150, 150), []int{300, 400}, nil, nil},
		// Prefix sums 100, 250, 450, 600: no cut of the path gives two
		// grids in band, so the least violating plan has 250 and 450.
		{"path without a cut in band", partition.PathProblem(100, 150, 200, 150, 100), []int{250, 450}, []partition.Reason{partition.Indivisible}, []partition.Reason{partition.Indivisible}},
		{"community too small", partition.PathProblem(100, 50, 20), []int{170}, []partition.Reason{partition.CommunityTooSmall}, []partition.Reason{partition.CommunityTooSmall}},
		// 550 cannot be one grid (over by 50) or two (under by 25 each);
		// equal total violation, and two grids are closer to the target.
		{"band gap", partition.PathProblem(50, 50, 50, 50, 50, 50, 50, 50, 50, 50, 50), []int{250, 300}, []partition.Reason{partition.BandGap}, []partition.Reason{partition.BandGap}},
		// A compound of 520 cannot be split into grids in band, and its
		// neighbour of 450 cannot take a half: least violating is 520 + 450.
		{"compound too large", compound(partition.PathProblem(260, 260, 450), 0, 1), []int{450, 520}, []partition.Reason{partition.CompoundTooLarge}, []partition.Reason{partition.CompoundTooLarge, partition.Indivisible}},
		// A compound of 505 cannot be grids of its own; a building of it
		// joins the neighbour, every grid is in band, nothing to diagnose.
		{"compound too large, spilled", compound(partition.PathProblem(100, 205, 200, 300), 0, 1, 2), []int{305, 500}, nil, nil},
		{"oversized building", partition.PathProblem(150, 150, 100, 600), []int{400, 600}, []partition.Reason{partition.OversizedBuilding}, []partition.Reason{partition.OversizedBuilding}},
		// A community of one oversized building is not also too small.
		{"oversized building alone", partition.PathProblem(600), []int{600}, []partition.Reason{partition.OversizedBuilding}, []partition.Reason{partition.OversizedBuilding}},
		// An oversized building in the middle leaves two pieces that can
		// only be grids of their own.
		{"oversized building cuts", partition.PathProblem(150, 600, 150, 100), []int{150, 250, 600}, []partition.Reason{partition.Isolated, partition.Isolated, partition.OversizedBuilding}, []partition.Reason{partition.OversizedBuilding, partition.Isolated}},
		{"isolated", isolated, []int{100, 400}, []partition.Reason{partition.Isolated}, []partition.Reason{partition.Isolated}},
		// Two 450s joined only through a 200: no connected plan in band;
		// three grids violate by 100, two by 150.
		{"indivisible", partition.PathProblem(450, 200, 450), []int{200, 450, 450}, []partition.Reason{partition.Indivisible}, []partition.Reason{partition.Indivisible}},
		{"dedicated", dedicated, []int{0, 450}, nil, nil},
		// A community of shops only: covered, nothing to balance.
		{"no households", partition.PathProblem(0, 0, 0), []int{0}, nil, nil},
		{"no households, apart", apart, []int{0, 0}, nil, nil},
		{"empty piece beside dedicated", shopsBehindDedicated, []int{0, 400}, nil, nil},
		{"cut by dedicated", cutByDedicated, []int{0, 200, 250}, []partition.Reason{partition.Isolated, partition.Isolated}, []partition.Reason{partition.Isolated}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := parttest.Solve(t, tc.p, nil)
			parttest.CheckResult(t, tc.p, nil, res)
			if got := gridWeights(res); !slices.Equal(got, tc.wantWeights) {
				t.Errorf("grid weights = %v, want %v", got, tc.wantWeights)
			}
			var reasons []partition.Reason
			for _, g := range res.Grids {
				if g.Reason != "" {
					reasons = append(reasons, g.Reason)
				}
			}
			slices.Sort(reasons)
			if !slices.Equal(reasons, tc.wantReasons) {
				t.Errorf("reasons = %v, want %v", reasons, tc.wantReasons)
			}
			var diags []partition.Reason
			for _, d := range res.Diagnoses {
				diags = append(diags, d.Reason) // CheckResult saw units and a detail
			}
			if !slices.Equal(diags, tc.wantDiag) {
				t.Errorf("diagnoses = %v, want %v", diags, tc.wantDiag)
			}
		})
	}
}

func TestSolveDiagnosisNamesUnits(t *testing.T) {
	p := partition.PathProblem(150, 150, 100, 600)
	p.Atoms[3].Name = `building "tower-9"`
	res, err := partition.Solve(context.Background(), p, nil)
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
	p := partition.PathProblem(100, 100, 100, 200, 200, 200, 200, 100, 100, 100)
	p.Compounds = []string{"Q1"}
	for a := 3; a <= 6; a++ {
		p.Atoms[a].Compound = 0
	}
	p.Edges = append(p.Edges, partition.Edge{A: 2, B: 7, LengthM: 1}) // a path around the compound
	res := parttest.Solve(t, p, nil)
	parttest.CheckResult(t, p, nil, res)
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
	for _, s := range []partition.Settings{{Min: 500, Target: 400, Max: 300}, {Min: -1, Target: 1, Max: 2}, {Min: 10, Target: 20, Max: 15}} {
		if _, err := partition.Solve(context.Background(), partition.PathProblem(1), &s); err == nil {
			t.Errorf("Solve with %+v: no error", s)
		}
	}
}

func TestSolveMalformed(t *testing.T) {
	p := partition.PathProblem(1, 2)
	p.Edges = append(p.Edges, partition.Edge{A: 0, B: 9})
	if _, err := partition.Solve(context.Background(), p, nil); err == nil {
		t.Error("Solve with an edge to a missing atom: no error")
	}
}

// TestDiagnosisNamesEveryUnit: a diagnosis names every unit it is about,
// not the first few: the report marks them all on its map.
func TestDiagnosisNamesEveryUnit(t *testing.T) {
	// A piece of seven buildings, 140 households, cut off from a 400.
	p := partition.PathProblem(400, 20, 20, 20, 20, 20, 20, 20)
	p.Edges = slices.DeleteFunc(p.Edges, func(e partition.Edge) bool { return min(e.A, e.B) == 0 })
	res := parttest.Solve(t, p, nil)
	parttest.CheckResult(t, p, nil, res)
	var want []string
	for i := 1; i <= 7; i++ {
		want = append(want, fmt.Sprintf("building %q", fmt.Sprintf("B%d", i)))
	}
	i := slices.IndexFunc(res.Diagnoses, func(d partition.Diagnosis) bool { return d.Reason == partition.Isolated })
	if i < 0 || !slices.Equal(res.Diagnoses[i].Units, want) {
		t.Errorf("Diagnoses = %+v, want isolated, naming %v", res.Diagnoses, want)
	}
}

func TestSolveStranded(t *testing.T) {
	// A 250 between two 400s, with an empty atom joining it to a 260:
	// 250 + 260 = 510, 250 + 400 = 650, 260 + 400 = 660: neither the 250
	// nor the 260 has a grid-mate that keeps it in band.
	p := partition.PathProblem(400, 250, 0, 260, 400)
	res := parttest.Solve(t, p, nil)
	parttest.CheckResult(t, p, nil, res)
	if len(res.Diagnoses) != 1 || res.Diagnoses[0].Reason != partition.Indivisible || !slices.Equal(res.Diagnoses[0].Units, []string{`building "B1"`, `building "B3"`}) || !res.Diagnoses[0].Proven {
		t.Errorf("Diagnoses = %+v, want indivisible_units naming buildings \"B1\" and \"B3\"", res.Diagnoses)
	}
	// With a 240 instead of the 260, 250 + 240 fits: nothing is proven.
	p = partition.PathProblem(400, 250, 0, 240, 400)
	res = parttest.Solve(t, p, nil)
	if len(res.Diagnoses) != 0 {
		t.Errorf("Diagnoses = %+v, want none", res.Diagnoses)
	}
	in, out := bandShare(res)
	if out != 0 {
		t.Errorf("%d grids in band, %d out; want all in band", in, out)
	}
}
