package geo

import (
	"fmt"
	"hash/maphash"
	"slices"

	"gridplan/geo/internal/parallel"
)

// duplicateIDs reports every feature whose id (when not "") an earlier
// feature has, naming the first feature with it.
//
// Ids are split by a hash into shards, each searched for duplicates in
// index order on parallel goroutines: every id is in one shard, so the
// pairs found are those of one pass over the layer.
func duplicateIDs(file string, n int, idOf func(int) string) []*FeatureError {
	const shards = 64
	seed := maphash.MakeSeed()
	shard := make([]uint8, n) // 1 to shards; 0 for no id
	parallel.Each(n, func(i int) {
		if id := idOf(i); id != "" {
			shard[i] = uint8(1 + maphash.String(seed, id)%shards)
		}
	})
	var count [shards + 1]int
	for _, s := range shard {
		count[s]++
	}
	start := make([]int, shards+2) // of each shard's indices in order
	for s := 1; s <= shards; s++ {
		start[s+1] = start[s] + count[s]
	}
	order, at := make([]int32, start[shards+1]), slices.Clone(start[:shards+1])
	for i, s := range shard {
		if s > 0 {
			order[at[s]] = int32(i)
			at[s]++
		}
	}
	type dup struct{ i, first int }
	found := make([][]dup, shards+1)
	parallel.EachChunk(shards, 1, func(k int) {
		s := k + 1
		seen := make(map[string]int, count[s])
		for _, i := range order[start[s]:start[s+1]] {
			id := idOf(int(i))
			if j, ok := seen[id]; ok {
				found[s] = append(found[s], dup{int(i), j})
				continue
			}
			seen[id] = int(i)
		}
	})
	dups := slices.Concat(found...)
	slices.SortFunc(dups, func(a, b dup) int { return a.i - b.i })
	var fes []*FeatureError
	for _, d := range dups {
		fes = append(fes, &FeatureError{File: file, Index: d.i, ID: idOf(d.i), Err: fmt.Errorf("%w: feature %d has the same id", ErrDuplicateID, d.first)})
	}
	return fes
}
