package tess

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"gridplan/geo/geotest"
	"gridplan/geo/internal/parallel"

	"github.com/paulmach/orb"
)

// TestTessellateStops cancels a tessellation of 10,000 sites, some of them
// near-duplicates (so that the sweep runs twice), before the call and at
// its looks at the context: each returns context.Canceled. The sweep and
// the check of the sites against the bound look every PollEvery sites at
// least, and a run that is never cancelled gives the tessellation that
// context.Background gives.
func TestTessellateStops(t *testing.T) {
	r := rand.New(rand.NewPCG(geotest.Seed(), 9))
	pts := geotest.RandomPoints(r, 10_000, 300, orb.Point{500000, 4400000})
	for i := 0; i < 200; i++ {
		p := pts[r.IntN(len(pts))]
		pts = append(pts, orb.Point{p[0] + 1e-4, p[1]}) // within the 1 mm tolerance
	}
	unit, nu := unitsOf(len(pts), 20)
	want, err := Tessellate(context.Background(), pts, unit, nu, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Del.Points) == len(pts) {
		t.Fatal("no near-duplicate merged: the second sweep is not exercised")
	}
	var got *Tessellation
	looks := geotest.CheckStops(t, 10, func(ctx context.Context) error {
		ts, err := Tessellate(ctx, pts, unit, nu, nil)
		if err == nil {
			got = ts
		}
		return err
	})
	if least := 1 + 2*len(pts)/parallel.PollEvery; looks < least {
		t.Errorf("Tessellate of %d sites looked at its context %d times, want at least %d", len(pts), looks, least)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("Tessellate with a context never cancelled differs from Tessellate with context.Background()")
	}
}
