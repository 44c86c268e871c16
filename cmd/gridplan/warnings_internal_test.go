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
// tower are warned about on
// stderr, at most maxWarningsPerKind of a kind, counted by kind in the
// summary, and all kept in stats.json.
func TestWarningsReported(t *testing.T) {
	var fs []string
	const clockwise = 14
	for i := 0; i < clockwise; i++ {
		// A square with its ring clockwise, as shapefile exports have it.
		lon, lat := 113.3+float64(i%4)*0.0003, 40.08+float64(i/4)*0.0003
		const d = 0.0001
		ring := fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]g,%[2]g],[%[1]g,%[4]g],[%[3]g,%[4]g],[%[3]g,%[2]g],[%[1]g,%[2]g]]]}`, lon, lat, lon+d, lat+d)
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
	if n := strings.Count(stderr, ": ring_orientation: "); n != maxWarningsPerKind {
		t.Errorf("%d ring_orientation warnings on stderr, want %d:\n%s", n, maxWarningsPerKind, stderr)
	}
	if want := fmt.Sprintf("... and %d more ring_orientation warnings in stats.json", clockwise-maxWarningsPerKind); !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
	if !strings.Contains(stderr, `feature 14 (id "B0-unit"): stacked_building: stands on building "B0"`) {
		t.Errorf("no stacked_building warning for B0-unit:\n%s", stderr)
	}
	if !strings.Contains(stderr, `feature 15 (id "P"): container_footprint: its footprint holds the smaller buildings "P-tower"`) {
		t.Errorf("no container_footprint warning for P:\n%s", stderr)
	}
	if want := fmt.Sprintf("input warnings: %d (ring_orientation %d, container_footprint 1, stacked_building 1)", clockwise+2, clockwise); !strings.Contains(stdout, want) {
		t.Errorf("summary lacks %q:\n%s", want, stdout)
	}
	data, err := os.ReadFile(filepath.Join(pf.Out, "stats.json"))
	must(t, err)
	var s struct {
		Warnings []struct{ Kind string } `json:"warnings"`
	}
	must(t, json.Unmarshal(data, &s))
	if len(s.Warnings) != clockwise+2 {
		t.Errorf("stats.json has %d warnings, want %d", len(s.Warnings), clockwise+2)
	}
	plantest.CheckInvariants(t, pf)
}
