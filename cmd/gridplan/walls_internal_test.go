package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gridplan/geo"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/peterstace/simplefeatures/geom"
)

// TestCompoundWalls gives the sample a compounds layer — each compound's
// wall a rectangle 3 m around its buildings — and checks that every
// compound held by one grid lies whole inside that grid's polygon, within
// its community (SPEC §4: boundaries follow compound outlines).
func TestCompoundWalls(t *testing.T) {
	dir := t.TempDir()
	sample := filepath.Join("..", "..", "fixtures", "sample")
	f, err := os.Open(filepath.Join(sample, "buildings.geojson"))
	must(t, err)
	bs, _, err := geo.LoadBuildings("buildings.geojson", f, geo.DefaultFields())
	f.Close()
	must(t, err)
	bounds := map[string]orb.Bound{}
	var order []string
	for _, b := range bs {
		if b.Compound == "" {
			continue
		}
		if bd, ok := bounds[b.Compound]; ok {
			bounds[b.Compound] = bd.Union(b.Geometry.Bound())
		} else {
			bounds[b.Compound] = b.Geometry.Bound()
			order = append(order, b.Compound)
		}
	}
	const padDeg = 0.00003 // about 3 m
	fc := geojson.NewFeatureCollection()
	for _, id := range order {
		bd := bounds[id].Pad(padDeg)
		ft := geojson.NewFeature(bd.ToPolygon())
		ft.Properties["id"] = id
		fc.Append(ft)
	}
	walls, err := fc.MarshalJSON()
	must(t, err)
	wpath := filepath.Join(dir, "compounds.geojson")
	must(t, os.WriteFile(wpath, walls, 0o644))
	out := filepath.Join(dir, "out")
	grids := partitionGrids(t, filepath.Join(sample, "buildings.geojson"), out, "--communities", filepath.Join(sample, "communities.geojson"), "--compounds", wpath)
	checkTiling(t, out)

	polys := map[string]geom.Geometry{}
	data, err := os.ReadFile(filepath.Join(out, "grids.geojson"))
	must(t, err)
	var raw struct {
		Features []struct {
			Properties struct{ Code string }
			Geometry   json.RawMessage
		}
	}
	must(t, json.Unmarshal(data, &raw))
	for _, ft := range raw.Features {
		g, err := geom.UnmarshalGeoJSON(ft.Geometry)
		must(t, err)
		polys[ft.Properties.Code] = g
	}
	communities := map[string]geom.Geometry{}
	cdata, err := os.ReadFile(filepath.Join(sample, "communities.geojson"))
	must(t, err)
	cfc, err := geojson.UnmarshalFeatureCollection(cdata)
	must(t, err)
	for _, ft := range cfc.Features {
		communities[fmt.Sprint(ft.Properties["id"])] = sfGeometry(t, ft.Geometry)
	}
	held := map[string]map[string]bool{}
	community := map[string]string{}
	for _, b := range bs {
		if b.Compound != "" {
			if held[b.Compound] == nil {
				held[b.Compound] = map[string]bool{}
			}
			held[b.Compound][grids[b.ID]] = true
			community[b.Compound] = b.Community
		}
	}
	whole := 0
	for _, id := range order {
		if len(held[id]) != 1 {
			continue // split compounds bind no single grid
		}
		whole++
		var code string
		for c := range held[id] {
			code = c
		}
		wall := sfGeometry(t, bounds[id].Pad(padDeg).ToPolygon())
		inside, err := geom.Intersection(wall, communities[community[id]])
		must(t, err)
		outside, err := geom.Difference(inside, polys[code])
		must(t, err)
		// Degrees² to m² at 40°N, roughly: enough to tell a sliver from a
		// wall left to another grid.
		const m2PerDeg2 = 111320 * 85300
		if a := outside.Area() * m2PerDeg2; a > 0.01 && !math.IsNaN(a) {
			t.Errorf("compound %s (grid %s): %.3f m² of its wall lies outside its grid", id, code, a)
		}
	}
	if whole == 0 {
		t.Fatal("no compound held by one grid")
	}
}

func sfGeometry(t *testing.T, g orb.Geometry) geom.Geometry {
	t.Helper()
	raw, err := geojson.NewGeometry(g).MarshalJSON()
	must(t, err)
	out, err := geom.UnmarshalGeoJSON(raw)
	must(t, err)
	return out
}
