package partition_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"gridplan/partition"
	"gridplan/partition/parttest"
)

// nearMissFile holds one community of a synthetic city (nearmiss-C2158:
// 1.35M buildings, seed 1), stored with its atoms numbered from 0 and its
// community index C, which seeds its random stream.
type nearMissFile struct {
	ID        string
	C         int
	Compounds []string
	Atoms     []partition.Atom
	Edges     []partition.Edge
}

// loadNearMiss returns the community of file as SolveCommunity takes it.
func loadNearMiss(t *testing.T, file string) (partition.Problem, int) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var f nearMissFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	p := partition.Problem{Communities: make([]string, f.C+1), Compounds: f.Compounds, Atoms: f.Atoms, Edges: f.Edges}
	p.Communities[f.C] = f.ID
	for i := range p.Atoms {
		p.Atoms[i].Community = f.C
	}
	return p, f.C
}

// A community whose first search ends with one grid at 511 households,
// nothing proving that no plan is in band: the retry on another random
// stream finds a plan with every grid in band.
func TestNearMissRetry(t *testing.T) {
	p, c := loadNearMiss(t, "testdata/nearmiss-C2158.json")
	s := &partition.Settings{Seed: 1}
	res, err := partition.SolveCommunity(context.Background(), p, c, s)
	if err != nil {
		t.Fatal(err)
	}
	// Solve holds the community's atoms the same way: check the plan's
	// invariants on it.
	parttest.CheckResult(t, p, s, res)
	for _, g := range res.Grids {
		if g.Status != partition.OK {
			t.Errorf("grid %d: %d households, out of band", g.Seq, g.Weight)
		}
	}
	if len(res.Diagnoses) > 0 {
		t.Errorf("diagnoses %v, want none", res.Diagnoses)
	}
}
