package plantest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/fixtures"
	"gridplan/geo"
	"gridplan/geo/plan"
	"gridplan/geo/plan/plantest"
	"gridplan/partition"
)

// recorder is a testing.TB that keeps the errors reported to it.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Error(args ...any) { r.errs = append(r.errs, fmt.Sprint(args...)) }

// samplePlan writes the plan of the embedded sample district to a
// temporary directory and returns its files.
func samplePlan(t *testing.T) plantest.Files {
	t.Helper()
	dir := t.TempDir()
	pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Communities: filepath.Join(dir, "c.geojson"), Out: filepath.Join(dir, "out"), Min: 300, Max: 500}
	for name, path := range map[string]string{"buildings.geojson": pf.Buildings, "communities.geojson": pf.Communities} {
		data, err := fixtures.Sample.ReadFile("sample/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	o := &plan.Options{Settings: partition.Settings{Min: 300, Target: 400, Max: 500, Seed: 1}, Fields: geo.DefaultFields(), RegionIDField: "id",
		SliverToleranceM2: 50, SnapM: 5, CodeWidth: 3}
	in, err := plan.Load(context.Background(), plan.Layers{Buildings: plan.File(pf.Buildings), Communities: plan.File(pf.Communities)}, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Partition(context.Background(), in, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(pf.Out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range mustFiles(t, p) {
		if err := os.WriteFile(filepath.Join(pf.Out, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return pf
}

// TestCheckGeometryCatches: the geometric checks pass on a sound plan and
// catch each kind of damage: a grid shrunk (a gap, footprints outside), a
// grid given a second piece (an overlap, a piece unexplained), a grid
// without geometry.
func TestCheckGeometryCatches(t *testing.T) {
	pf := samplePlan(t)
	sound := &recorder{TB: t}
	plantest.CheckInvariants(sound, pf)
	if len(sound.errs) > 0 {
		t.Fatalf("sound plan: %q", sound.errs)
	}
	path := filepath.Join(pf.Out, "grids.geojson")
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		alter func(geometry map[string]any, first map[string]any)
		want  []string
	}{
		{"shrunk", func(g, _ map[string]any) {
			ring := g["coordinates"].([]any)[0].([]any)
			c := centroid(ring)
			for _, p := range ring {
				xy := p.([]any)
				xy[0] = c[0] + 0.9*(xy[0].(float64)-c[0])
				xy[1] = c[1] + 0.9*(xy[1].(float64)-c[1])
			}
		}, []string{"not covered by its grids", "outside its grid"}},
		{"second piece", func(g, first map[string]any) {
			g["type"] = "MultiPolygon"
			g["coordinates"] = []any{g["coordinates"], first["coordinates"]}
		}, []string{"2 pieces, not explained", "in the same direction: they overlap"}},
		{"no geometry", func(g, _ map[string]any) { g["type"] = "GeometryCollection"; g["geometries"] = []any{} }, []string{"want a Polygon or MultiPolygon"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fc map[string]any
			if err := json.Unmarshal(orig, &fc); err != nil {
				t.Fatal(err)
			}
			feats := fc["features"].([]any)
			first := feats[0].(map[string]any)["geometry"].(map[string]any)
			g := feats[1].(map[string]any)["geometry"].(map[string]any)
			tc.alter(g, first)
			data, _ := json.Marshal(fc)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(path, orig, 0o644)
			r := &recorder{TB: t}
			plantest.CheckGeometry(r, pf, loadBuildings(t, pf), loadRegions(t, pf), gridOf(t, pf), statsOf(t, pf))
			all := strings.Join(r.errs, "\n")
			for _, want := range tc.want {
				if !strings.Contains(all, want) {
					t.Errorf("errors lack %q:\n%s", want, all)
				}
			}
		})
	}
}

func centroid(ring []any) [2]float64 {
	var c [2]float64
	n := float64(len(ring) - 1)
	for _, p := range ring[:len(ring)-1] {
		xy := p.([]any)
		c[0] += xy[0].(float64) / n
		c[1] += xy[1].(float64) / n
	}
	return c
}

func loadBuildings(t *testing.T, pf plantest.Files) []geo.Building {
	bs, _ := plantest.Load(t, pf)
	return bs
}

func loadRegions(t *testing.T, pf plantest.Files) []geo.Region {
	_, rs := plantest.Load(t, pf)
	return rs
}

func gridOf(t *testing.T, pf plantest.Files) []string {
	bs := loadBuildings(t, pf)
	data, err := os.ReadFile(filepath.Join(pf.Out, "assignment.csv"))
	if err != nil {
		t.Fatal(err)
	}
	code := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
		f := strings.Split(line, ",")
		code[f[0]] = f[1]
	}
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = code[b.ID]
	}
	return out
}

func statsOf(t *testing.T, pf plantest.Files) *plan.Stats {
	var s plan.Stats
	data, err := os.ReadFile(filepath.Join(pf.Out, "stats.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// mustFiles returns the files of p, failing the test if they cannot be
// encoded.
func mustFiles(t testing.TB, p *plan.Plan) []plan.Output {
	t.Helper()
	fs, err := p.Files()
	if err != nil {
		t.Fatal(err)
	}
	return fs
}
