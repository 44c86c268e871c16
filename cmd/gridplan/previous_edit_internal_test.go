package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gridplan/geo/plan/plantest"
)

// TestRepartitionKeepsEdits: grids of an earlier plan edited by hand (a
// vertex two grids share moved in both, by ten metres or by one) and
// kept by a repartition keep their polygons as edited, though no building
// changed. An edit that
// moves the vertex of one grid 200 m, over buildings of other grids,
// cannot be kept: the grid is drawn afresh, with a warning naming it.
func TestRepartitionKeepsEdits(t *testing.T) {
	dir := t.TempDir()
	b, c := writeCity(t, dir, 1500, 2)
	pf := plantest.Files{Buildings: b, Communities: c, Out: filepath.Join(dir, "p0"), Min: 300, Max: 500}
	if code, _, stderr := gridplan(t, pf.Args()...); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	type feature struct {
		Type       string         `json:"type"`
		Properties map[string]any `json:"properties"`
		Geometry   struct {
			Type        string        `json:"type"`
			Coordinates [][][]float64 `json:"coordinates"`
		} `json:"geometry"`
	}
	read := func(path string) (fc struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}) {
		data, err := os.ReadFile(path)
		must(t, err)
		must(t, json.Unmarshal(data, &fc))
		return fc
	}
	grids := read(filepath.Join(pf.Out, "grids.geojson"))
	// The first vertex that two polygons share, away from their
	// community's outline (only those two grids hold it).
	holders := map[[2]float64][]int{}
	for i, f := range grids.Features {
		if f.Geometry.Type != "Polygon" {
			continue
		}
		for _, p := range f.Geometry.Coordinates[0] {
			k := [2]float64{p[0], p[1]}
			if !slices.Contains(holders[k], i) {
				holders[k] = append(holders[k], i)
			}
		}
	}
	var shared [2]float64
	var pair []int
	for _, p := range grids.Features[0].Geometry.Coordinates[0] {
		k := [2]float64{p[0], p[1]}
		if h := holders[k]; len(h) == 2 {
			shared, pair = k, h
			break
		}
	}
	if pair == nil {
		t.Fatal("no vertex shared by two grids alone")
	}
	codes := []string{grids.Features[pair[0]].Properties["code"].(string), grids.Features[pair[1]].Properties["code"].(string)}
	edit := func(name string, in []int, d float64) string {
		prev := filepath.Join(dir, name)
		must(t, os.CopyFS(prev, os.DirFS(pf.Out)))
		fc := read(filepath.Join(pf.Out, "grids.geojson"))
		for _, i := range in {
			for _, r := range fc.Features[i].Geometry.Coordinates {
				for _, p := range r {
					if p[0] == shared[0] && p[1] == shared[1] {
						p[0], p[1] = p[0]+d, p[1]+d/2
					}
				}
			}
		}
		data, err := json.Marshal(fc)
		must(t, err)
		must(t, os.WriteFile(filepath.Join(prev, "grids.geojson"), data, 0o644))
		return prev
	}
	geometryOf := func(path, code string) string {
		for _, f := range read(path).Features {
			if f.Properties["code"] == code {
				data, err := json.Marshal(f.Geometry)
				must(t, err)
				return string(data)
			}
		}
		t.Fatalf("%s has no grid %s", path, code)
		return ""
	}

	both := edit("both", pair, 0.0001) // ten metres
	pf1 := pf
	pf1.Out = filepath.Join(dir, "r-both")
	repartition(t, both, pf1)
	checkRepartition(t, both, pf1)
	for _, code := range codes {
		if got, want := geometryOf(filepath.Join(pf1.Out, "grids.geojson"), code), geometryOf(filepath.Join(both, "grids.geojson"), code); got != want {
			t.Errorf("grid %s: the edit is not kept", code)
		}
	}
	if ch := changesOf(t, pf1.Out); ch.Classes["U"] != ch.PreviousGrids {
		t.Errorf("changes %+v, want all unchanged", ch)
	}

	// A metre: both areas change by less than 5 cm times the perimeter,
	// as a boundary nudged or straightened by hand; the outlines part by
	// the metre. It is kept too (it was drawn away, in silence).
	nudged := edit("nudged", pair, 0.00001)
	pf4 := pf
	pf4.Out = filepath.Join(dir, "r-nudged")
	repartition(t, nudged, pf4)
	checkRepartition(t, nudged, pf4)
	for _, code := range codes {
		if got, want := geometryOf(filepath.Join(pf4.Out, "grids.geojson"), code), geometryOf(filepath.Join(nudged, "grids.geojson"), code); got != want {
			t.Errorf("grid %s: the nudge is not kept", code)
		}
	}

	// Ten metres in one grid only: a gap one way, an overlap the other.
	// The edit is kept as it is, or the warning names the grid.
	for i, d := range []float64{0.0001, -0.0001} {
		name := fmt.Sprintf("one-sided-%d", i)
		prev := edit(name, pair[:1], d)
		pf3 := pf
		pf3.Out = filepath.Join(dir, "r-"+name)
		repartition(t, prev, pf3)
		plantest.CheckInvariants(t, pf3)
		kept := geometryOf(filepath.Join(pf3.Out, "grids.geojson"), codes[0]) == geometryOf(filepath.Join(prev, "grids.geojson"), codes[0])
		warned := false
		for _, w := range statsOf(t, pf3.Out).Warnings {
			warned = warned || w.Kind == "previous_edit_reverted" && strings.Contains(w.Note, codes[0])
		}
		if !kept && !warned {
			t.Errorf("%s: grid %s neither keeps its edit nor is warned of", name, codes[0])
		}
	}

	one := edit("one", pair[:1], 0.002) // 200 m, over buildings of the other
	pf2 := pf
	pf2.Out = filepath.Join(dir, "r-one")
	repartition(t, one, pf2)
	plantest.CheckInvariants(t, pf2)
	warned := false
	for _, w := range statsOf(t, pf2.Out).Warnings {
		warned = warned || w.Kind == "previous_edit_reverted" && strings.Contains(w.Note, codes[0])
	}
	if !warned {
		t.Errorf("no previous_edit_reverted warning naming %s: %+v", codes[0], statsOf(t, pf2.Out).Warnings)
	}
	if geometryOf(filepath.Join(pf2.Out, "grids.geojson"), codes[0]) == geometryOf(filepath.Join(one, "grids.geojson"), codes[0]) {
		t.Errorf("grid %s keeps an edit that takes in buildings of another grid", codes[0])
	}
}

// TestRepartitionDemolishedInOtherSystems: plans of districts given in
// Gauss–Krüger, and in GCJ-02 (--crs gcj02), repartitioned after buildings
// were demolished: the kept grids are laid down as they were written and
// the others drawn around them. Where a kept polygon met a drawn one, a
// spike of no width (a third of a millimetre out and back; in GCJ-02 an
// edge back past its base, micrometres off) made a grid invalid, and the
// run failed its own check.
func TestRepartitionDemolishedInOtherSystems(t *testing.T) {
	for _, tc := range []struct {
		name       string
		generate   []string
		crs        []string
		demolished []string
		counts     map[string]int // new household counts
	}{
		{"gauss-kruger", []string{"--buildings", "300", "--seed", "6", "--center", "113.30,40.08", "--out-crs", "EPSG:4526"}, nil,
			[]string{"B000005", "B000100", "B000200"}, nil},
		{"gcj02", []string{"--buildings", "592", "--seed", "24283", "--center", "126.6,45.75"}, []string{"--crs", "gcj02"},
			[]string{"B000012", "B000025", "B000080", "B000091", "B000107", "B000109", "B000278", "B000294", "B000298",
				"B000321", "B000332", "B000424", "B000448", "B000498", "B000520", "B000555", "B000592"}, nil},
		// Written back in Gauss–Krüger, a spike of 1.4 µm was valid, but
		// read by check (converted) it doubled back exactly.
		{"gauss-kruger spike", []string{"--buildings", "563", "--seed", "59820", "--center", "121.47,31.23", "--community-households", "2000", "--out-crs", "EPSG:4549"}, nil,
			[]string{"B000441"}, map[string]int{"B000484": 152}},
		// A kept grid whose drawing differed from its earlier polygon by
		// a tenth of a square metre, within the coverage tolerance, was
		// written as the earlier polygon beside a neighbour written as
		// drawn: a gap 2.6 cm wide, which check found.
		{"kept grid as drawn", []string{"--buildings", "1379", "--seed", "27816", "--center", "87.60,43.80", "--out-crs", "EPSG:4517"}, nil,
			[]string{"B000933"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			city := filepath.Join(dir, "city")
			if code, _, stderr := gridplan(t, append(append([]string{"generate"}, tc.generate...), "--out", city)...); code != 0 {
				t.Fatalf("generate: exit %d\n%s", code, stderr)
			}
			b, c := filepath.Join(city, "buildings.geojson"), filepath.Join(city, "communities.geojson")
			pf := plantest.Files{Buildings: b, Communities: c, Out: filepath.Join(dir, "p0"), Min: 300, Max: 500}
			args := pf.Args() // partition …flags BUILDINGS
			args = append(append(append([]string{}, args[0]), tc.crs...), args[1:]...)
			if code, _, stderr := gridplan(t, args...); code != 0 {
				t.Fatalf("partition: exit %d\n%s", code, stderr)
			}
			gone := map[string]bool{}
			for _, id := range tc.demolished {
				gone[id] = true
			}
			pf1 := pf
			pf1.Buildings, pf1.Out = filepath.Join(dir, "b1.geojson"), filepath.Join(dir, "p1")
			rewriteBuildings(t, b, pf1.Buildings, func(id string) bool { return !gone[id] }, tc.counts)
			repartition(t, pf.Out, pf1, tc.crs...) // exit 0: its own check passed
			checkNothingToFix(t, append([]string{"--grids", filepath.Join(pf1.Out, "grids.geojson"), "--buildings", pf1.Buildings, "--communities", c, "--out", filepath.Join(dir, "audit")}, tc.crs...)...)
		})
	}
}

// TestRepartitionUnchangedGaussKrugerPlan: a plan written in Gauss–Krüger
// (its community outlines' vertices a few millimetres off, placed on the
// straight edges there), repartitioned unchanged, is the same plan: the
// polygons read back are no edits. Taken for edits, they were laid down
// again, and the run failed its own check.
func TestRepartitionUnchangedGaussKrugerPlan(t *testing.T) {
	dir := t.TempDir()
	city := filepath.Join(dir, "city")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "800", "--seed", "24684", "--center", "87.60,43.80", "--community-households", "10000", "--out", city); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	b, c := filepath.Join(city, "buildings.geojson"), filepath.Join(city, "communities.geojson")
	prev, out := filepath.Join(dir, "p0"), filepath.Join(dir, "p1")
	if code, _, stderr := gridplan(t, "partition", "--out-crs", "EPSG:4538", "--communities", c, "--out", prev, b); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	code, _, stderr := gridplan(t, "repartition", "--out-crs", "EPSG:4538", "--previous", prev, "--buildings", b, "--communities", c, "--out", out)
	if code != 0 {
		t.Fatalf("repartition: exit %d\n%s", code, stderr)
	}
	for _, name := range differingFiles(t, prev, out, "grids.geojson", "assignment.csv") {
		t.Errorf("%s differs from the earlier plan's", name)
	}
	if strings.Contains(stderr, "previous_edit_reverted") {
		t.Errorf("an unchanged plan taken for edited:\n%s", stderr)
	}
}

// TestRepartitionBD09Added: a BD-09 district (--crs bd09, its plan written
// in BD-09) repartitioned after a building was added: a kept grid's
// written polygon held vertices micrometres apart, one where the layer
// has it and one converted beside it, valid as written but crossing once
// read back to longitude and latitude, as check reads it. It is written
// without such near repeats.
func TestRepartitionBD09Added(t *testing.T) {
	dir := t.TempDir()
	city := filepath.Join(dir, "city")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "648", "--seed", "45349", "--center", "115.40,38.90", "--out", city); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	b, c := filepath.Join(city, "buildings.geojson"), filepath.Join(city, "communities.geojson")
	prev, out := filepath.Join(dir, "p0"), filepath.Join(dir, "p1")
	if code, _, stderr := gridplan(t, "partition", "--crs", "bd09", "--communities", c, "--out", prev, b); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	// A copy of B000062, 35 m off, as a new building.
	data, err := os.ReadFile(b)
	must(t, err)
	var fc map[string]any
	must(t, json.Unmarshal(data, &fc))
	features := fc["features"].([]any)
	var added map[string]any
	for _, f := range features {
		if f.(map[string]any)["properties"].(map[string]any)["id"] == "B000062" {
			raw, err := json.Marshal(f)
			must(t, err)
			must(t, json.Unmarshal(raw, &added))
		}
	}
	if added == nil {
		t.Fatal("no building B000062")
	}
	added["properties"].(map[string]any)["id"] = "NB1000"
	var shift func(c any) any
	shift = func(c any) any {
		xs := c.([]any)
		if x, ok := xs[0].(float64); ok {
			return []any{x + 0.00031104406480584083, xs[1].(float64) + 0.00035464033136180294}
		}
		for i := range xs {
			xs[i] = shift(xs[i])
		}
		return xs
	}
	g := added["geometry"].(map[string]any)
	g["coordinates"] = shift(g["coordinates"])
	fc["features"] = append(features, added)
	data, err = json.Marshal(fc)
	must(t, err)
	b1 := filepath.Join(dir, "b1.geojson")
	must(t, os.WriteFile(b1, data, 0o644))
	if code, _, stderr := gridplan(t, "repartition", "--crs", "bd09", "--previous", prev, "--buildings", b1, "--communities", c, "--out", out); code != 0 {
		t.Fatalf("repartition: exit %d\n%s", code, stderr)
	}
	checkNothingToFix(t, "--crs", "bd09", "--grids", filepath.Join(out, "grids.geojson"), "--buildings", b1, "--communities", c, "--out", filepath.Join(dir, "audit"))
}

// checkNothingToFix runs check with args (and --json) and wants nothing it
// finds to be fixable by redrawing: what a plan of gridplan must pass.
func checkNothingToFix(t *testing.T, args ...string) {
	t.Helper()
	code, stdout, stderr := gridplan(t, append(append([]string{"check"}, args...), "--json")...)
	var rep struct {
		Totals struct {
			MustFix *int `json:"must_fix"`
		} `json:"totals"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); (code != 0 && code != 1) || err != nil || rep.Totals.MustFix == nil || *rep.Totals.MustFix != 0 {
		mustFix := "absent"
		if rep.Totals.MustFix != nil {
			mustFix = strconv.Itoa(*rep.Totals.MustFix)
		}
		t.Errorf("check of the plan: exit %d, %v, must fix %s\n%s", code, err, mustFix, stderr)
	}
}

// TestRepartitionPlanInOtherSystem: a district planned in another system
// than its communities layer, repartitioned after a building of each
// community was demolished: all layers in longitude/latitude and the plan
// in Gauss–Krüger (--out-crs); or the buildings and the plan in
// Gauss–Krüger, the communities in longitude/latitude. The kept grids
// were read back with their 420 m edges split where they bend in metres,
// 3 mm off the community outlines those edges follow, and laid down so
// beside grids drawn afresh: check found a gap, overlaps and a grid
// across its community. An earlier plan in another system than the
// communities layer is read with its edges whole.
func TestRepartitionPlanInOtherSystem(t *testing.T) {
	dir := t.TempDir()
	demolish := func(b string) string {
		data, err := os.ReadFile(b)
		must(t, err)
		var fc map[string]any // its crs member kept
		must(t, json.Unmarshal(data, &fc))
		seen, kept := map[any]bool{}, []any{}
		for _, f := range fc["features"].([]any) {
			p := f.(map[string]any)["properties"].(map[string]any)
			if hh, _ := p["households"].(float64); hh > 0 && !seen[p["community"]] {
				seen[p["community"]] = true // the community's first home is demolished
				continue
			}
			kept = append(kept, f)
		}
		fc["features"] = kept
		data, err = json.Marshal(fc)
		must(t, err)
		after := strings.TrimSuffix(b, ".geojson") + "-after.geojson"
		must(t, os.WriteFile(after, data, 0o644))
		return after
	}
	city := func(name string, flags ...string) (b, after, c string) {
		out := filepath.Join(dir, name)
		args := append([]string{"generate", "--buildings", "1530", "--seed", "95479", "--center", "87.60,43.80", "--out", out}, flags...)
		if code, _, stderr := gridplan(t, args...); code != 0 {
			t.Fatalf("generate: exit %d\n%s", code, stderr)
		}
		b = filepath.Join(out, "buildings.geojson")
		return b, demolish(b), filepath.Join(out, "communities.geojson")
	}
	b, after, c := city("ll")
	gk, gkAfter, _ := city("gk", "--out-crs", "EPSG:4538")
	for _, tc := range []struct {
		name                   string
		partition, repartition []string
	}{
		{"plan in Gauss–Krüger", []string{"--out-crs", "EPSG:4538", "--communities", c, b}, []string{"--buildings", after, "--communities", c}},
		{"buildings and plan in Gauss–Krüger", []string{"--communities", c, gk},
			[]string{"--crs", c + "=EPSG:4326", "--out-crs", "EPSG:4326", "--buildings", gkAfter, "--communities", c}},
	} {
		prev, out := filepath.Join(dir, tc.name, "p0"), filepath.Join(dir, tc.name, "p1")
		if code, _, stderr := gridplan(t, append([]string{"partition", "--out", prev}, tc.partition...)...); code != 0 {
			t.Fatalf("%s: partition: exit %d\n%s", tc.name, code, stderr)
		}
		if code, _, stderr := gridplan(t, append([]string{"repartition", "--previous", prev, "--out", out}, tc.repartition...)...); code != 0 {
			t.Fatalf("%s: repartition: exit %d\n%s", tc.name, code, stderr)
		}
		checkNothingToFix(t, "--grids", filepath.Join(out, "grids.geojson"), "--buildings", after, "--communities", c, "--no-report", "--out", filepath.Join(dir, tc.name, "check"))
	}
}

// TestRepartitionNoGridInPieces: a messy Gauss–Krüger district
// repartitioned after 15 buildings were demolished. A grid merged from two
// was drawn around the kept grids beside it in two pieces (its buildings
// met through cells a kept grid covers now), and written so, labelled
// isolated. Where the grids drawn afresh are in fewer pieces, they stand.
func TestRepartitionNoGridInPieces(t *testing.T) {
	dir := t.TempDir()
	city := filepath.Join(dir, "city")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "830", "--seed", "98635", "--center", "117.20,39.13", "--out-crs", "EPSG:4548", "--messy", "all", "--out", city); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	b, c := filepath.Join(city, "buildings.geojson"), filepath.Join(city, "communities.geojson")
	prev, out := filepath.Join(dir, "p0"), filepath.Join(dir, "p1")
	if code, _, stderr := gridplan(t, "partition", "--outside", "nearest", "--communities", c, "--out", prev, b); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	demolished := map[string]bool{}
	for _, id := range strings.Fields("B000428 B000478 B000480 B000487 B000503 B000540 B000542 B000597 B000652 B000659 B000663 B000686 B000768 B000781 B000796") {
		demolished[id] = true
	}
	data, err := os.ReadFile(b)
	must(t, err)
	var fc map[string]any
	must(t, json.Unmarshal(data, &fc))
	var kept []any
	for _, f := range fc["features"].([]any) {
		if !demolished[f.(map[string]any)["properties"].(map[string]any)["id"].(string)] {
			kept = append(kept, f)
		}
	}
	fc["features"] = kept
	data, err = json.Marshal(fc)
	must(t, err)
	after := filepath.Join(dir, "after.geojson")
	must(t, os.WriteFile(after, data, 0o644))
	if code, _, stderr := gridplan(t, "repartition", "--outside", "nearest", "--previous", prev, "--buildings", after, "--communities", c, "--out", out); code != 0 {
		t.Fatalf("repartition: exit %d\n%s", code, stderr)
	}
	checkNothingToFix(t, "--outside", "nearest", "--grids", filepath.Join(out, "grids.geojson"), "--buildings", after, "--communities", c, "--no-report", "--out", filepath.Join(dir, "check"))
}
