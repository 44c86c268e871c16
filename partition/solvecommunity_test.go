package partition_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"gridplan/partition"
)

// communityProblem returns the atoms of community c of p alone, numbered
// in ascending order, with the edges between them, and the atoms' indices
// in p.
func communityProblem(p partition.Problem, c int) (partition.Problem, []int) {
	sub := partition.Problem{Communities: p.Communities, Compounds: p.Compounds}
	local := map[int]int{}
	var atoms []int
	for a, at := range p.Atoms {
		if at.Community == c {
			local[a] = len(atoms)
			atoms = append(atoms, a)
			sub.Atoms = append(sub.Atoms, at)
		}
	}
	for _, e := range p.Edges {
		if la, ok := local[e.A]; ok {
			e.A, e.B = la, local[e.B]
			sub.Edges = append(sub.Edges, e)
		}
	}
	return sub, atoms
}

// checkSolveCommunity checks that SolveCommunity plans every community of p
// as Solve does in the whole problem: the same grids of the same atoms, the
// same diagnoses.
func checkSolveCommunity(t *testing.T, p partition.Problem, s *partition.Settings) {
	t.Helper()
	whole, err := partition.Solve(context.Background(), p, s)
	if err != nil {
		t.Fatal(err)
	}
	for c := range p.Communities {
		sub, atoms := communityProblem(p, c)
		got, err := partition.SolveCommunity(context.Background(), sub, c, s)
		if err != nil {
			t.Fatalf("community %d: %v", c, err)
		}
		var want []partition.Grid
		for _, g := range whole.Grids {
			if g.Community == c {
				want = append(want, g)
			}
		}
		var wantDiag []partition.Diagnosis
		for _, d := range whole.Diagnoses {
			if d.Community == c {
				wantDiag = append(wantDiag, d)
			}
		}
		if len(got.Grids) != len(want) {
			t.Fatalf("community %d: %d grids alone, %d in the whole problem", c, len(got.Grids), len(want))
		}
		for i, g := range got.Grids {
			mapped := g
			mapped.Atoms = make([]int, len(g.Atoms))
			for k, a := range g.Atoms {
				mapped.Atoms[k] = atoms[a]
			}
			if !reflect.DeepEqual(mapped, want[i]) {
				t.Fatalf("community %d grid %d: alone %+v, in the whole problem %+v", c, i, mapped, want[i])
			}
			for _, a := range g.Atoms {
				if got.AtomGrid[a] != i {
					t.Fatalf("community %d: atom %d in grid %d, AtomGrid says %d", c, a, i, got.AtomGrid[a])
				}
			}
		}
		if len(got.Diagnoses) != len(wantDiag) || (len(wantDiag) > 0 && !reflect.DeepEqual(got.Diagnoses, wantDiag)) {
			t.Fatalf("community %d: diagnoses alone %+v, in the whole problem %+v", c, got.Diagnoses, wantDiag)
		}
	}
}

// TestSolveCommunityAsSolve plans random lattices of several communities
// community by community and compares with Solve.
func TestSolveCommunityAsSolve(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		rng := rand.New(rand.NewPCG(seed, 7))
		const communities, side = 3, 9
		p := partition.Problem{Communities: []string{"A", "B", "C"}, Compounds: []string{"Q", "R"}}
		for c := 0; c < communities; c++ {
			first := len(p.Atoms)
			for i := 0; i < side*side; i++ {
				a := partition.Atom{Community: c, Weight: 20 + rng.IntN(120), X: float64(i % side * 50), Y: float64(i / side * 50), Compound: -1}
				switch r := rng.IntN(40); {
				case r == 0:
					a.Weight = 520 + rng.IntN(100) // oversized
				case r < 4:
					a.Compound = rng.IntN(2)
				case r < 6:
					a.Weight = 0
				}
				p.Atoms = append(p.Atoms, a)
			}
			for i := 0; i < side*side; i++ {
				if i%side < side-1 && rng.IntN(8) > 0 {
					p.Edges = append(p.Edges, partition.Edge{A: first + i, B: first + i + 1, LengthM: 10 + rng.Float64()*40, Barrier: rng.IntN(20) == 0})
				}
				if i+side < side*side && rng.IntN(8) > 0 {
					p.Edges = append(p.Edges, partition.Edge{A: first + i, B: first + i + side, LengthM: 10 + rng.Float64()*40})
				}
			}
		}
		checkSolveCommunity(t, p, &partition.Settings{Seed: seed})
	}
}

// TestSolveCommunityRefuses checks that SolveCommunity refuses an atom of
// another community and a community out of range.
func TestSolveCommunityRefuses(t *testing.T) {
	p := partition.Problem{Communities: []string{"A", "B"}, Atoms: []partition.Atom{{Community: 0, Weight: 350, Compound: -1}, {Community: 1, Weight: 350, Compound: -1}}}
	if _, err := partition.SolveCommunity(context.Background(), p, 0, nil); err == nil {
		t.Error("atoms of two communities: no error")
	}
	if _, err := partition.SolveCommunity(context.Background(), partition.Problem{Communities: []string{"A"}}, 3, nil); err == nil {
		t.Error("community 3 of 1: no error")
	}
}
