package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/plan/plantest"
	"gridplan/geo/synth"
)

// TestMessyCities plans a generated city with each fault of real layers
// (synth's --messy faults), one at a time and all together, and asserts
// that the run succeeds, that the fault is reported by the warning that
// names its repair, and that every rule of the plan holds, the geometry
// included (plantest.CheckInvariants).
func TestMessyCities(t *testing.T) {
	for _, tc := range []struct {
		fault string
		warn  []string // warning kinds the run must report
		empty bool     // some grid is of type empty
	}{
		{"spikes", []string{"repaired_geometry"}, false},
		{"pinched", []string{"repaired_geometry"}, false},
		{"bowtie", []string{"repaired_geometry"}, false},
		{"clockwise", []string{"ring_orientation"}, false},
		{"duplicates", []string{"duplicate_vertex"}, false},
		{"rowhouses", nil, false},
		{"podiums", []string{"container_footprint"}, false},
		{"tileoverlap", nil, false},
		{"rounding", []string{"repaired_geometry"}, false},
		{"nullcommunity", []string{"community_by_location"}, false},
		{"dupcommunity", []string{"duplicate_id"}, false},
		{"emptycommunity", nil, true},
		{"selfintersecting", []string{"repaired_geometry"}, false},
		{"outside", []string{"nearest_community", "community_extended"}, false},
		{"straddle", []string{"across_community_boundary"}, false},
		{"all", []string{"repaired_geometry", "ring_orientation", "community_by_location", "duplicate_id", "nearest_community", "across_community_boundary"}, true},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			dir := t.TempDir()
			faults, err := synth.ParseFaults(tc.fault)
			must(t, err)
			city, err := synth.Generate(synth.Options{Buildings: 1500, Seed: 4, Messy: faults})
			must(t, err)
			must(t, city.Write(dir))
			pf := plantest.Files{Buildings: filepath.Join(dir, "buildings.geojson"), Communities: filepath.Join(dir, "communities.geojson"),
				Out: filepath.Join(dir, "out"), Min: 300, Max: 500, Outside: geo.OutsideNearest}
			code, _, stderr := gridplan(t, pf.Args()...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			s := statsOf(t, pf.Out)
			kinds := map[string]int{}
			for _, w := range s.Warnings {
				kinds[w.Kind]++
			}
			for _, k := range tc.warn {
				if kinds[k] == 0 {
					t.Errorf("no %s warning; warnings: %v", k, kinds)
				}
			}
			if tc.empty != (s.Totals.EmptyGrids > 0) {
				t.Errorf("%d empty grids", s.Totals.EmptyGrids)
			}
			if len(s.SelfCheck) > 0 || !s.Coverage.OK {
				t.Errorf("self-check: %q, coverage %+v", s.SelfCheck, s.Coverage)
			}
			plantest.CheckInvariants(t, pf)
			t.Log(fmt.Sprintf("%d grids, warnings %v", s.Totals.Grids, kinds), strings.Count(stderr, "\n"))
		})
	}
}
