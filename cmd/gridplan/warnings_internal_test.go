package main

import (
	"encoding/json"
	"fmt"
	"gridplan/geo/plan/plantest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWarningsReported: repairs, stacked buildings and a podium under a
// tower are warned about on stderr, at most maxWarningsPerKind of a kind,
// counted by kind in the summary, and all kept in stats.json; reversed
// rings, one in every feature of a layer exported clockwise, are one
// warning for the layer.
func TestWarningsReported(t *testing.T) {
	var fs []string
	const spiked = 14
	for i := 0; i < spiked; i++ {
		// A square with its ring clockwise, as shapefile exports have
		// it, and a spike out of its east wall.
		x, y := 113.3+float64(i%4)*0.0003, 40.08+float64(i/4)*0.0003
		const d = 0.0001
		ring := fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]g,%[2]g],[%[1]g,%[4]g],[%[3]g,%[4]g],[%[3]g,%[5]g],[%[6]g,%[5]g],[%[3]g,%[5]g],[%[3]g,%[2]g],[%[1]g,%[2]g]]]}`,
			x, y, x+d, y+d, y+d/2, x+1.5*d)
		fs = append(fs, plantest.Building(fmt.Sprintf("B%d", i), "60", ring))
	}
	fs = append(fs, plantest.Building("B0-unit", "20", plantest.Point(113.30005, 40.08005)),
		plantest.Building("P", "0", plantest.BigSquare(113.302, 40.08)), plantest.Building("P-tower", "200", plantest.Square(113.30215, 40.08015)))
	dir := t.TempDir()
	pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Out: filepath.Join(dir, "out"), Min: 300, Max: 500}
	must(t, os.WriteFile(pf.Buildings, []byte(plantest.Collection(fs...)), 0o644))
	code, stdout, stderr := gridplan(t, pf.Args()...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if n := strings.Count(stderr, ": repaired_geometry: removed 1 spike at vertex 4\n"); n != maxWarningsPerKind {
		t.Errorf("%d repaired_geometry warnings on stderr, want %d:\n%s", n, maxWarningsPerKind, stderr)
	}
	if want := fmt.Sprintf("... and %d more repaired_geometry warnings in stats.json", spiked-maxWarningsPerKind); !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if want := fmt.Sprintf("gridplan: warning: %s: ring_orientation: reversed %d rings in %[2]d features (RFC 7946", pf.Buildings, spiked); strings.Count(stderr, "ring_orientation") != 1 || !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks the one line %q:\n%s", want, stderr)
	}
	if !strings.Contains(stderr, `feature 14 (id "B0-unit"): stacked_building: stands on building "B0"`) {
		t.Errorf("no stacked_building warning for B0-unit:\n%s", stderr)
	}
	if !strings.Contains(stderr, `feature 15 (id "P"): container_footprint: its footprint holds the smaller buildings "P-tower"`) {
		t.Errorf("no container_footprint warning for P:\n%s", stderr)
	}
	if want := fmt.Sprintf("input warnings: %d (ring_orientation 1, repaired_geometry %d, container_footprint 1, stacked_building 1)", spiked+3, spiked); !strings.Contains(stdout, want) {
		t.Errorf("summary lacks %q:\n%s", want, stdout)
	}
	data, err := os.ReadFile(filepath.Join(pf.Out, "stats.json"))
	must(t, err)
	var s struct {
		Warnings []struct {
			Kind    string
			Feature int
			ID      string
		} `json:"warnings"`
	}
	must(t, json.Unmarshal(data, &s))
	if len(s.Warnings) != spiked+3 {
		t.Errorf("stats.json has %d warnings, want %d", len(s.Warnings), spiked+3)
	}
	if w := s.Warnings[0]; w.Kind != "ring_orientation" || w.Feature != -1 || w.ID != "" {
		t.Errorf("first warning in stats.json %+v, want the layer's ring_orientation (feature -1, no id)", w)
	}
	plantest.CheckInvariants(t, pf)
}
