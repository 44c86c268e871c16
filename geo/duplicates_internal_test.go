package geo

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// duplicateIDs, which searches shards of the ids in parallel, reports the
// features one pass in index order does, in index order, each naming the
// first feature with its id, whatever GOMAXPROCS.
func TestDuplicateIDsAsOnePass(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	rng := rand.New(rand.NewPCG(1, 2))
	ids := make([]string, 20_000)
	for i := range ids {
		if rng.IntN(10) > 0 { // a tenth without id
			ids[i] = fmt.Sprint(rng.IntN(15_000))
		}
	}
	idOf := func(i int) string { return ids[i] }
	var want []string
	first := map[string]int{}
	for i, id := range ids {
		if id == "" {
			continue
		}
		if j, ok := first[id]; ok {
			want = append(want, fmt.Sprintf("%d %s %d", i, id, j))
			continue
		}
		first[id] = i
	}
	if len(want) < 1000 {
		t.Fatalf("only %d duplicates: a weak test", len(want))
	}
	for _, procs := range []int{1, 2, 7} {
		runtime.GOMAXPROCS(procs)
		fes := duplicateIDs("f", len(ids), idOf)
		if len(fes) != len(want) {
			t.Fatalf("GOMAXPROCS %d: %d duplicates, want %d", procs, len(fes), len(want))
		}
		for k, fe := range fes {
			var i, j int
			var id string
			fmt.Sscanf(want[k], "%d %s %d", &i, &id, &j)
			if fe.Index != i || fe.ID != id || fe.Err.Error() != fmt.Sprintf("%v: feature %d has the same id", ErrDuplicateID, j) {
				t.Fatalf("GOMAXPROCS %d: duplicate %d is %d %q %v, want %q", procs, k, fe.Index, fe.ID, fe.Err, want[k])
			}
		}
	}
	if fes := duplicateIDs("f", 0, idOf); len(fes) != 0 {
		t.Errorf("duplicateIDs of no features = %v", fes)
	}
}
