package tess

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"gridplan/geo/geotest"

	"github.com/paulmach/orb"
)

// A tessellation made in the storage that released ones handed on (larger
// and smaller, cells and triangulation released apart) is the one made in
// fresh memory, down to every slice.
func TestReleasedStorageReused(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	type input struct {
		sites []orb.Point
		unit  []int
		nu    int
	}
	makeInput := func(n int) input {
		pts := geotest.RandomPoints(r, n, 200, orb.Point{500000, 4400000})
		unit := make([]int, n)
		for i := range unit {
			unit[i] = i / 7
		}
		return input{pts, unit, (n + 6) / 7}
	}
	tessellate := func(in input) *Tessellation {
		ts, err := Tessellate(context.Background(), in.sites, in.unit, in.nu, nil)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	small, large := makeInput(300), makeInput(3000)
	want := map[int]*Tessellation{300: tessellate(small), 3000: tessellate(large)}
	for i, in := range []input{large, small, large, small, small, large} {
		// Storage left by a tessellation of the other size, released
		// the way the planner releases it: the triangulation first.
		other := tessellate(small)
		if len(in.sites) == len(small.sites) {
			other = tessellate(large)
		}
		cells := other.Cells()
		other.ReleaseTriangulation()
		cells.Release()
		got := tessellate(in)
		if w := want[len(in.sites)]; !reflect.DeepEqual(got.Cells(), w.Cells()) || !reflect.DeepEqual(got.Del, w.Del) || !reflect.DeepEqual(got.Gen, w.Gen) {
			t.Fatalf("run %d (%d sites): a tessellation in released storage differs from a fresh one", i, len(in.sites))
		}
	}
}
