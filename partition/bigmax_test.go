package partition_test

import (
	"context"
	"runtime"
	"testing"

	"gridplan/partition"
)

// TestHugeMaxCostsNothing: a maximum far above the households at hand
// (--max 1000000000000) must cost no more than the households there are:
// the rules that tabulate totals up to the maximum once allocated two
// bytes for every household of it, and such a maximum exhausted memory.
func TestHugeMaxCostsNothing(t *testing.T) {
	// A unit of 367 with a chain of four 120s on one side and, through an
	// empty unit, 101, 119, 250 and 156 on the other: sides the rule of
	// lending sides tabulates.
	weights := []int{367, 120, 120, 120, 120, 0, 101, 119, 250, 156}
	edges := [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {0, 5}, {5, 6}, {5, 7}, {5, 9}, {6, 8}, {7, 8}}
	p := partition.Problem{Communities: []string{"C"}}
	for i, w := range weights {
		p.Atoms = append(p.Atoms, partition.Atom{Weight: w, Compound: -1, X: float64(i%4) * 60, Y: float64(i/4) * 60})
	}
	for _, e := range edges {
		p.Edges = append(p.Edges, partition.Edge{A: e[0], B: e[1], LengthM: 60})
	}
	for _, max := range []int{500, 1 << 26} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		res, err := partition.Solve(context.Background(), p, &partition.Settings{Min: 300, Target: 400, Max: max, Seed: 1})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatalf("max %d: %v", max, err)
		}
		if len(res.AtomGrid) != len(weights) {
			t.Fatalf("max %d: %d atoms assigned, want %d", max, len(res.AtomGrid), len(weights))
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
			t.Errorf("max %d: Solve allocated %d MB", max, got>>20)
		}
	}
}
