package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo/plan/plantest"
)

// TestPartitionRepairsGeometry: footprints with a spike, a bow-tie and a
// ring pinched at a vertex, and a community outline that rounding made
// cross itself, are planned (exit 0) with a repaired_geometry warning for
// each in stats.json, and the plan keeps every rule.
func TestPartitionRepairsGeometry(t *testing.T) {
	const d = 0.0001 // about 10 m
	poly := func(pts ...[2]float64) string {
		var s []string
		for _, p := range pts {
			s = append(s, fmt.Sprintf("[%.7f,%.7f]", p[0], p[1]))
		}
		return `{"type":"Polygon","coordinates":[[` + strings.Join(s, ",") + `]]}`
	}
	var fs []string
	for i := range 12 {
		fs = append(fs, plantest.Building(fmt.Sprintf("B%d", i), "60", plantest.Square(113.3+float64(i%4)*0.0003, 40.08+float64(i/4)*0.0003)))
	}
	x, y := 113.3, 40.081
	fs = append(fs,
		plantest.Building("spike", "50", poly([2]float64{x, y}, [2]float64{x + d, y}, [2]float64{x + d, y + d/2}, [2]float64{x + 1.5*d, y + d/2},
			[2]float64{x + d, y + d/2}, [2]float64{x + d, y + d}, [2]float64{x, y + d}, [2]float64{x, y})),
		plantest.Building("bowtie", "50", poly([2]float64{x + 3*d, y}, [2]float64{x + 4*d, y + d}, [2]float64{x + 4*d, y}, [2]float64{x + 3*d, y + d}, [2]float64{x + 3*d, y})),
		plantest.Building("pinched", "50", poly([2]float64{x + 6*d, y}, [2]float64{x + 6.5*d, y + d/2}, [2]float64{x + 7*d, y}, [2]float64{x + 7*d, y + d},
			[2]float64{x + 6.5*d, y + d/2}, [2]float64{x + 6*d, y + d}, [2]float64{x + 6*d, y})))
	// One community around them all, which rounding has made cross
	// itself: a vertex at its north-east corner pushed across the east
	// edge (a speck of a lobe, dropped), or the tip of a notch from the
	// north edge put on the south edge (two parts meeting at a point).
	lo, hi, bot, top := 113.2995, 113.3015, 40.0795, 40.0815
	for _, tc := range []struct {
		name    string
		outline [][2]float64
		note    string
	}{
		{"corner", [][2]float64{{lo, bot}, {hi, bot}, {hi, top}, {hi + 1e-7, top - 1e-7}, {lo, top}, {lo, bot}},
			"split a self-crossing ring into 1 part (and dropped 1 speck of"},
		{"notch", [][2]float64{{lo, bot}, {hi, bot}, {hi, top}, {113.3003, top}, {113.30025, bot}, {113.3002, top}, {lo, top}, {lo, bot}},
			"split a self-touching ring at vertex 4 into 2 parts"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			community := `{"type":"Feature","properties":{"id":"C1"},"geometry":` + poly(tc.outline...) + `}`
			dir := t.TempDir()
			pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Communities: filepath.Join(dir, "c.geojson"), Out: filepath.Join(dir, "out"), Min: 300, Max: 500}
			must(t, os.WriteFile(pf.Buildings, []byte(plantest.Collection(fs...)), 0o644))
			must(t, os.WriteFile(pf.Communities, []byte(plantest.Collection(community)), 0o644))
			code, _, stderr := gridplan(t, pf.Args()...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			data, err := os.ReadFile(filepath.Join(pf.Out, "stats.json"))
			must(t, err)
			var s struct {
				Warnings []struct{ File, ID, Kind, Note string } `json:"warnings"`
			}
			must(t, json.Unmarshal(data, &s))
			want := map[string]string{
				"spike":   "removed 1 spike at vertex 3",
				"bowtie":  "split a self-crossing ring into 2 parts",
				"pinched": "split a self-touching ring at vertex 4 into 2 parts",
				"C1":      tc.note,
			}
			for _, w := range s.Warnings {
				if w.Kind != "repaired_geometry" {
					continue
				}
				if note, ok := want[w.ID]; ok && strings.HasPrefix(w.Note, note) {
					delete(want, w.ID)
				} else {
					t.Errorf("unexpected warning %+v", w)
				}
			}
			for id, note := range want {
				t.Errorf("stats.json lacks the repaired_geometry warning %q for %s:\n%s", note, id, data)
			}
			plantest.CheckInvariants(t, pf)
			checkTiling(t, pf.Out)
		})
	}
}
