package plan

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"gridplan/geo"
	"gridplan/geo/geotest"
	"gridplan/geo/synth"
)

// locationCity is a generated city of several communities without its
// communities layer, every seventh building without a community property.
func locationCity(t *testing.T) []geo.Building {
	t.Helper()
	dir := t.TempDir()
	city, err := synth.Generate(synth.Options{Buildings: 600, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if err := city.Write(dir); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, synth.BuildingsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bs, _, err := geo.LoadBuildings(synth.BuildingsFile, f, geo.DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(bs); i += 7 {
		bs[i].Community = ""
	}
	return bs
}

// TestCommunityByLocationStops: the division of the district among its
// communities, and the location of the buildings without one, stop with
// context.Canceled wherever the context turns done, leaving the buildings
// as they were; a context never done gives what context.Background gives.
func TestCommunityByLocationStops(t *testing.T) {
	bs := locationCity(t)
	want := slices.Clone(bs)
	wantWs, err := communityByLocation(context.Background(), "b.geojson", want)
	if err != nil {
		t.Fatal(err)
	}
	if len(wantWs) == 0 {
		t.Fatal("no building located: the case tests nothing")
	}
	var got []geo.Building
	var gotWs []geo.Warning
	geotest.CheckStops(t, 10, func(ctx context.Context) error {
		b := slices.Clone(bs)
		ws, err := communityByLocation(ctx, "b.geojson", b)
		switch {
		case err == nil:
			got, gotWs = b, ws
		case !reflect.DeepEqual(b, bs):
			t.Errorf("communityByLocation stopped with %v but changed the buildings", err)
		}
		return err
	})
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotWs, wantWs) {
		t.Error("communityByLocation with a context never done differs from communityByLocation with context.Background()")
	}
}

// TestCommunityEnvelopesStops: communityEnvelopes stops with
// context.Canceled wherever the context turns done; a context never done
// gives what context.Background gives.
func TestCommunityEnvelopesStops(t *testing.T) {
	bs := locationCity(t)
	if _, err := communityByLocation(context.Background(), "b.geojson", bs); err != nil {
		t.Fatal(err)
	}
	proj := geo.NewProjection(geo.CenterOf(bs))
	want, err := communityEnvelopes(context.Background(), bs, proj)
	if err != nil || len(want) < 2 {
		t.Fatalf("communityEnvelopes: %d envelopes, %v", len(want), err)
	}
	geotest.CheckStops(t, 10, func(ctx context.Context) error {
		envs, err := communityEnvelopes(ctx, bs, proj)
		if err == nil && !reflect.DeepEqual(envs, want) {
			t.Error("communityEnvelopes with a context never done differs from communityEnvelopes with context.Background()")
		}
		return err
	})
}
