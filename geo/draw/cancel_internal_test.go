package draw

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"gridplan/geo"
	"gridplan/geo/geotest"
	"gridplan/geo/internal/parallel"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
)

// The functions that take seconds on a large community stop with
// context.Canceled when their context is done before the call or at any
// of their looks at it (geotest.CheckStops); their loops look at it every
// parallel.PollEvery steps at least, so the looks grow with the input; and
// a run whose context is never done gives what context.Background gives.

// stopsCommunity is a concave community of about 800 buildings in 24
// grids, tessellated.
func stopsCommunity(t *testing.T) (gridCase, *tess.Tessellation) {
	t.Helper()
	c := benchCommunity(600, 24)
	return c, tessFootprints(t, c.community, c.footprints)
}

func TestGridPolygonsStops(t *testing.T) {
	c, ts := stopsCommunity(t)
	want, err := GridPolygons(context.Background(), ts, c.gridOf, c.nGrids, c.community, c.constraints())
	if err != nil {
		t.Fatal(err)
	}
	var got []orb.MultiPolygon
	looks := geotest.CheckStops(t, 10, func(ctx context.Context) error {
		grids, err := GridPolygons(ctx, ts, c.gridOf, c.nGrids, c.community, c.constraints())
		if err == nil {
			got = grids
		}
		return err
	})
	if least := 1 + ts.NumGens()/parallel.PollEvery; looks < least {
		t.Errorf("GridPolygons of %d cells looked at its context %d times, want at least %d", ts.NumGens(), looks, least)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("GridPolygons with a context never done differs from GridPolygons with context.Background()")
	}
}

func TestClippedUnitAdjacencyStops(t *testing.T) {
	c, ts := stopsCommunity(t)
	ident := make([]int, len(c.footprints))
	for u := range ident {
		ident[u] = u
	}
	cons := FootprintConstraints(c.footprints, ident)
	wantAdj, wantArea, err := ClippedUnitAdjacency(context.Background(), ts, c.community, cons)
	if err != nil {
		t.Fatal(err)
	}
	var gotAdj []tess.UnitEdge
	var gotArea []float64
	looks := geotest.CheckStops(t, 10, func(ctx context.Context) error {
		adj, area, err := ClippedUnitAdjacency(ctx, ts, c.community, cons)
		if err == nil {
			gotAdj, gotArea = adj, area
		}
		return err
	})
	// The cells are looked through twice: for those near the outline,
	// and for the arrangement.
	if least := 1 + 2*ts.NumGens()/parallel.PollEvery; looks < least {
		t.Errorf("ClippedUnitAdjacency of %d cells looked at its context %d times, want at least %d", ts.NumGens(), looks, least)
	}
	if !reflect.DeepEqual(gotAdj, wantAdj) || !reflect.DeepEqual(gotArea, wantArea) {
		t.Error("ClippedUnitAdjacency with a context never done differs from ClippedUnitAdjacency with context.Background()")
	}
}

func TestCheckCoverageStops(t *testing.T) {
	c, ts := stopsCommunity(t)
	grids, err := GridPolygons(context.Background(), ts, c.gridOf, c.nGrids, c.community, c.constraints())
	if err != nil {
		t.Fatal(err)
	}
	vertices := 0
	for _, mp := range grids {
		for _, p := range mp {
			for _, r := range p {
				vertices += len(r) - 1
			}
		}
	}
	// Also the overlay, which only a community with no outline measures.
	for _, community := range []orb.MultiPolygon{c.community, nil} {
		t.Run(fmt.Sprintf("outline=%t", community != nil), func(t *testing.T) {
			want := coverage(t, community, grids, c.footprints, c.gridOf)
			var got Coverage
			looks := geotest.CheckStops(t, 10, func(ctx context.Context) error {
				cov, err := CheckCoverage(ctx, community, grids, c.footprints, c.gridOf)
				if err == nil {
					got = cov
				}
				return err
			})
			// The grids' vertices are looked through once to index the
			// borders between grids, and once more for the outline.
			least := 1 + vertices/parallel.PollEvery
			if community != nil {
				least += vertices / parallel.PollEvery
			}
			if looks < least {
				t.Errorf("CheckCoverage of grids of %d vertices looked at its context %d times, want at least %d", vertices, looks, least)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("CheckCoverage with a context never done = %+v, with context.Background() %+v", got, want)
			}
		})
	}
}

// TestOwnFootprintsStops trims 5,000 footprints in rows, of which some
// overlap their neighbour and some are copies.
func TestOwnFootprintsStops(t *testing.T) {
	var fps []orb.Geometry
	for i := range 5000 {
		x, y := float64(i%100)*20, float64(i/100)*20
		w := 10.0
		if i%97 == 0 {
			w = 25 // over the next footprint
		}
		fps = append(fps, orb.Polygon{geotest.Square(x, y, x+w, y+10)})
		if i%211 == 0 {
			fps = append(fps, orb.Polygon{geotest.Square(x, y, x+w, y+10)})
		}
	}
	wantOwn, wantChanged, err := OwnFootprints(context.Background(), fps)
	if err != nil {
		t.Fatal(err)
	}
	if len(wantChanged) < 40 {
		t.Fatalf("%d footprints trimmed: the case tests little", len(wantChanged))
	}
	var gotOwn []orb.Geometry
	var gotChanged []int
	looks := geotest.CheckStops(t, 10, func(ctx context.Context) error {
		own, changed, err := OwnFootprints(ctx, fps)
		if err == nil {
			gotOwn, gotChanged = own, changed
		}
		return err
	})
	if least := 1 + 2*len(fps)/parallel.PollEvery; looks < least {
		t.Errorf("OwnFootprints of %d footprints looked at its context %d times, want at least %d", len(fps), looks, least)
	}
	if !reflect.DeepEqual(gotOwn, wantOwn) || !reflect.DeepEqual(gotChanged, wantChanged) {
		t.Error("OwnFootprints with a context never done differs from OwnFootprints with context.Background()")
	}
}

// TestCommunityEnvelopesStops divides 4,500 buildings among three
// communities in stripes.
func TestCommunityEnvelopesStops(t *testing.T) {
	const m = 1.0 / 111000
	var bs []geo.Building
	var community []int
	for i := range 4500 {
		x, y := 113.3+float64(i%75)*20*m, 40.08+float64(i/75)*20*m
		p := orb.Polygon{{{x, y}, {x + 10*m, y}, {x + 10*m, y + 10*m}, {x, y + 10*m}, {x, y}}}
		bs = append(bs, geo.Building{Index: i, Geometry: p})
		community = append(community, i%75/25)
	}
	proj := geo.NewProjection(geo.CenterOf(bs))
	want, err := CommunityEnvelopes(context.Background(), bs, community, 3, proj)
	if err != nil {
		t.Fatal(err)
	}
	var got []orb.MultiPolygon
	looks := geotest.CheckStops(t, 10, func(ctx context.Context) error {
		envs, err := CommunityEnvelopes(ctx, bs, community, 3, proj)
		if err == nil {
			got = envs
		}
		return err
	})
	if least := 1 + 2*len(bs)/parallel.PollEvery; looks < least {
		t.Errorf("CommunityEnvelopes of %d buildings looked at its context %d times, want at least %d", len(bs), looks, least)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("CommunityEnvelopes with a context never done differs from CommunityEnvelopes with context.Background()")
	}
}
