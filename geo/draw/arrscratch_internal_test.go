package draw

import (
	"context"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// dirtyScratch is an arrangement's working memory left full of junk by a
// larger community, as the pool may hand it to the next one.
func dirtyScratch(r *rand.Rand, n int) *arrScratch {
	s := &arrScratch{seen: map[uint64]int32{}}
	junk := func() int32 { return int32(r.IntN(2*n)) - int32(n/2) }
	for range n {
		s.verts = append(s.verts, orb.Point{r.Float64() * 1e6, r.Float64() * 1e6})
		s.cellIDs = append(s.cellIDs, junk())
		s.genGroup = append(s.genGroup, junk())
		e := aEdge{a: junk(), b: junk(), gl: junk(), gr: junk(), cl: junk(), cr: junk(), seq: junk(), il: int8(junk()), ir: int8(junk()), iso: r.IntN(2) == 0, on: []int32{junk()}}
		s.grid = append(s.grid, e)
		s.comm = append(s.comm, e)
		s.comm2 = append(s.comm2, e)
		s.edges = append(s.edges, e)
		s.direct = append(s.direct, dEdge{junk(), junk(), junk(), junk(), junk()})
		s.gEnd = append(s.gEnd, junk())
		s.seen[uint64(r.Uint32())] = junk()
	}
	s.ids = shape.NewPointIndex(n)
	for i := range s.verts[:n/2] {
		s.ids.Intern(&s.verts, s.verts[i])
	}
	return s
}

// Arrangements built in working memory that an earlier, larger one left
// behind, with an index of cells a released arrangement handed on, give
// exactly what fresh memory gives: the adjacency, the areas and the grid
// polygons.
func TestArrangementScratchReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ctx := context.Background()
	type result struct {
		adj   any
		area  []float64
		grids []orb.MultiPolygon
	}
	run := func(c gridCase, s *arrScratch) result {
		ts := tessFootprints(t, c.community, c.footprints)
		cons := FootprintConstraints(c.footprints, identity(len(c.footprints)))
		if s != nil {
			arrPool.Put(s)
		}
		adj, area, ar, err := ClippedUnitAdjacencyArrangement(ctx, ts, c.community, cons)
		if err != nil {
			t.Fatal(err)
		}
		if s != nil {
			arrPool.Put(dirtyScratch(r, 60000))
		}
		grids, err := GridPolygons(ctx, ts, c.gridOf, c.nGrids, c.community, c.constraints())
		if err != nil {
			t.Fatal(err)
		}
		// The arrangement kept draws the same grids (each footprint
		// given to its unit's grid), and then hands its index of cells
		// to the next run's.
		kept, err := ar.GridPolygons(ctx, c.gridOf, c.nGrids)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(kept, grids) {
			t.Fatalf("the kept arrangement draws other grids than GridPolygons")
		}
		ar.Release()
		return result{adj, area, grids}
	}
	small, large := benchCommunity(60, 3), benchCommunity(900, 9)
	want := map[string]result{"small": run(small, nil), "large": run(large, nil)}
	for i, name := range []string{"small", "large", "small", "large", "small"} {
		c := small
		if name == "large" {
			c = large
		}
		if got := run(c, dirtyScratch(r, 60000)); !reflect.DeepEqual(got, want[name]) {
			t.Fatalf("run %d (%s community) in reused working memory differs from a fresh run", i, name)
		}
	}
}

func identity(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// CheckCoverage measures a community alike in fresh storage and in what a
// larger or smaller one's check handed on.
func TestCheckCoverageStorageReused(t *testing.T) {
	ctx := context.Background()
	type input struct {
		c     gridCase
		grids []orb.MultiPolygon
	}
	var ins []input
	for _, c := range []gridCase{benchCommunity(60, 3), benchCommunity(900, 9)} {
		_, grids := buildGrids(t, c)
		// A grid given a neighbour's footprint: borders then cross it.
		gridOf := slices.Clone(c.gridOf)
		gridOf[len(gridOf)/2] = (gridOf[len(gridOf)/2] + 1) % c.nGrids
		c.gridOf = gridOf
		ins = append(ins, input{c, grids})
	}
	check := func(in input) Coverage {
		cov, err := CheckCoverage(ctx, in.c.community, in.grids, in.c.footprints, in.c.gridOf)
		if err != nil {
			t.Fatal(err)
		}
		return cov
	}
	want := []Coverage{check(ins[0]), check(ins[1])}
	if want[1].BuildingsOutside == 0 {
		t.Fatal("the moved footprint is not found outside its grid: the case tests nothing")
	}
	for i, k := range []int{1, 0, 1, 0, 0, 1} {
		if got := check(ins[k]); !reflect.DeepEqual(got, want[k]) {
			t.Fatalf("check %d (case %d) in reused storage: %+v, want %+v", i, k, got, want[k])
		}
	}
}
