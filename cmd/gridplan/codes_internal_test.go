package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gridplan/geo/plan/plantest"
)

// communityBuildings returns buildings of 400 households (a grid each with
// the band 300-500), n of them in community, in a row 100 m apart from
// lon, at lat.
func communityBuildings(community string, n int, lon, lat float64) []string {
	var fs []string
	for i := range n {
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"id":"%s-%d","households":400,"community":%q},"geometry":%s}`,
			community, i+1, community, plantest.Square(lon+0.0012*float64(i), lat)))
	}
	return fs
}

func writeBuildings(t *testing.T, path string, features ...[]string) {
	t.Helper()
	var all []string
	for _, fs := range features {
		all = append(all, fs...)
	}
	must(t, os.WriteFile(path, []byte(plantest.Collection(all...)), 0o644))
}

// TestCodeWidthTooSmall: with --code-width 1, grid 11 of C1 and grid 1 of
// C11 would both be C111: a width
// too small for a community's grids is refused before anything is written,
// naming the community, its grids and the width it needs.
func TestCodeWidthTooSmall(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "buildings.geojson")
	writeBuildings(t, b, communityBuildings("C1", 11, 113.30, 40.08), communityBuildings("C11", 1, 113.30, 40.09))
	out := filepath.Join(dir, "out")
	code, stdout, stderr := gridplan(t, "partition", "--code-width", "1", "--out", out, b)
	if code != 2 {
		t.Fatalf("exit status %d, want 2; stderr:\n%s", code, stderr)
	}
	for _, w := range []string{`community "C1" has 11 grids`, "--code-width 1", "use --code-width 2"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr does not mention %q:\n%s", w, stderr)
		}
	}
	if stdout != "" {
		t.Errorf("stdout not empty:\n%s", stdout)
	}
	if files := listFiles(t, out); len(files) > 0 {
		t.Errorf("output directory holds %v, want nothing", files)
	}
	// The width asked for is enough.
	if code, _, stderr := gridplan(t, "partition", "--code-width", "2", "--out", out, b); code != 0 {
		t.Fatalf("--code-width 2: exit status %d\n%s", code, stderr)
	}
	codes := map[string]string{}
	for id, c := range readAssignment(t, filepath.Join(out, "assignment.csv")) {
		if other, dup := codes[c]; dup {
			t.Errorf("code %s given to the grids of %s and %s", c, other, id)
		}
		codes[c] = id
	}
	for c, id := range codes {
		if community, _, _ := strings.Cut(id, "-"); len(c) != len(community)+2 {
			t.Errorf("grid %s of community %s: want a number of 2 digits", c, community)
		}
	}
	if len(codes) != 12 {
		t.Errorf("%d codes %v, want 12", len(codes), codes)
	}
}

// TestRepartitionCodeWidthTooSmall: a repartition that would issue a grid
// number wider than --code-width is refused too.
func TestRepartitionCodeWidthTooSmall(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "buildings.geojson")
	writeBuildings(t, b, communityBuildings("C1", 9, 113.30, 40.08), communityBuildings("C11", 1, 113.30, 40.09))
	p0 := filepath.Join(dir, "p0")
	if code, _, stderr := gridplan(t, "partition", "--code-width", "1", "--out", p0, b); code != 0 {
		t.Fatalf("partition: exit status %d\n%s", code, stderr)
	}
	writeBuildings(t, b, communityBuildings("C1", 11, 113.30, 40.08), communityBuildings("C11", 1, 113.30, 40.09))
	p1 := filepath.Join(dir, "p1")
	code, _, stderr := gridplan(t, "repartition", "--previous", p0, "--buildings", b, "--code-width", "1", "--out", p1)
	if code != 2 {
		t.Fatalf("exit status %d, want 2; stderr:\n%s", code, stderr)
	}
	// 10 is free, 11 would be C111, grid 1 of C11: C1 needs number 12.
	for _, w := range []string{`community "C1" needs grid number 12 (it has 11 grids`, "use --code-width 2"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr does not mention %q:\n%s", w, stderr)
		}
	}
	if files := listFiles(t, p1); len(files) > 0 {
		t.Errorf("output directory holds %v, want nothing", files)
	}
}

// TestRetiredCodesNotReused: a code retired by one repartition (its grid
// demolished) is not issued again by the next, though no grid of the plan
// before it holds it any more.
func TestRetiredCodesNotReused(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "buildings.geojson")
	c1 := communityBuildings("C1", 4, 113.30, 40.08)
	writeBuildings(t, b, c1)
	p0, p1, p2 := filepath.Join(dir, "p0"), filepath.Join(dir, "p1"), filepath.Join(dir, "p2")
	if code, _, stderr := gridplan(t, "partition", "--out", p0, b); code != 0 {
		t.Fatalf("partition: exit status %d\n%s", code, stderr)
	}
	codeOf := readAssignment(t, filepath.Join(p0, "assignment.csv"))
	demolished := codeOf["C1-4"]
	if demolished != "C1004" {
		t.Fatalf("the easternmost grid is %s, want C1004", demolished)
	}
	writeBuildings(t, b, c1[:3])
	pf := plantest.Files{Buildings: b, Out: p1, Min: 300, Max: 500}
	repartition(t, p0, pf)
	var st struct {
		Changes struct {
			Retired []string `json:"retired_codes"`
		} `json:"changes"`
	}
	data, err := os.ReadFile(filepath.Join(p1, "stats.json"))
	must(t, err)
	must(t, json.Unmarshal(data, &st))
	if got := fmt.Sprint(st.Changes.Retired); got != "[C1004]" {
		t.Errorf("p1 retired_codes = %s, want [C1004]", got)
	}
	// A new building where the demolished one stood: a new grid, not C1004.
	writeBuildings(t, b, c1[:3], communityBuildings("C1-new", 1, 113.30+0.0012*3, 40.08))
	data, err = os.ReadFile(b)
	must(t, err)
	must(t, os.WriteFile(b, []byte(strings.ReplaceAll(string(data), `"community":"C1-new"`, `"community":"C1"`)), 0o644))
	pf.Out = p2
	repartition(t, p1, pf)
	after := readAssignment(t, filepath.Join(p2, "assignment.csv"))
	if got := after["C1-new-1"]; got == demolished || got == "" {
		t.Errorf("the new building's grid is %q: want a code never issued before", got)
	}
}

// TestCodeFlagsRefused: a template beside an explicit --code-sep or
// --code-width, a template that cannot be used and an unknown order are
// usage errors that name what is wrong, and nothing is written.
func TestCodeFlagsRefused(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "buildings.geojson")
	writeBuildings(t, b, communityBuildings("C1", 2, 113.30, 40.08), communityBuildings("C2", 1, 113.30, 40.09))
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--code-template", "{community}{seq:03}", "--code-sep", "-"}, []string{"--code-template", "--code-sep"}},
		{[]string{"--code-width", "3", "--code-template", "{community}{seq:03}"}, []string{"--code-template", "--code-width"}},
		{[]string{"--code-template", "{community}-{seq:3}"}, []string{`"{community}-{seq:3}"`, "{seq:3}: the width"}},
		{[]string{"--code-template", "{community}"}, []string{`"{community}"`, "no {seq}"}},
		{[]string{"--code-order", "sw"}, []string{"--code-order", `"sw"`}},
		// Grid 1 of C1 and of C2 would have one code.
		{[]string{"--code-template", "G{seq:03}"}, []string{`"G{seq:03}" has no {community}`, `"C1", "C2"`}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out := filepath.Join(dir, "out")
			code, stdout, stderr := gridplan(t, append(append([]string{"partition", "--out", out}, tc.args...), b)...)
			if code != 2 {
				t.Fatalf("exit status %d, want 2; stderr:\n%s", code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not mention %q:\n%s", w, stderr)
				}
			}
			if stdout != "" {
				t.Errorf("stdout not empty:\n%s", stdout)
			}
			if files := listFiles(t, out); len(files) > 0 {
				t.Errorf("output directory holds %v, want nothing", files)
			}
		})
	}
}

// TestCodeTemplateRoundTrip: codes written with a template are read back
// by a repartition with the same template: the earlier codes are kept and
// a new grid takes the next number in the template's layout. Without the
// template the earlier codes do not read, which is a warning.
func TestCodeTemplateRoundTrip(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "buildings.geojson")
	c1 := communityBuildings("C1", 4, 113.30, 40.08)
	writeBuildings(t, b, c1)
	const template = "{community}-G{seq:02}"
	p0, p1, p2 := filepath.Join(dir, "p0"), filepath.Join(dir, "p1"), filepath.Join(dir, "p2")
	if code, _, stderr := gridplan(t, "partition", "--code-template", template, "--out", p0, b); code != 0 {
		t.Fatalf("partition: exit status %d\n%s", code, stderr)
	}
	before := readAssignment(t, filepath.Join(p0, "assignment.csv"))
	for i := range 4 {
		if id, want := fmt.Sprintf("C1-%d", i+1), fmt.Sprintf("C1-G%02d", i+1); before[id] != want {
			t.Errorf("building %s in grid %q, want %q", id, before[id], want)
		}
	}
	// A new building east of the others: a grid of its own, number 5.
	newBuilding := communityBuildings("C1-new", 1, 113.30+0.0012*4, 40.08)
	writeBuildings(t, b, c1, newBuilding)
	data, err := os.ReadFile(b)
	must(t, err)
	must(t, os.WriteFile(b, []byte(strings.ReplaceAll(string(data), `"community":"C1-new"`, `"community":"C1"`)), 0o644))
	pf := plantest.Files{Buildings: b, Out: p1, Min: 300, Max: 500}
	code, _, stderr := gridplan(t, "repartition", "--previous", p0, "--buildings", b, "--code-template", template, "--out", p1)
	if code != 0 {
		t.Fatalf("repartition: exit status %d\n%s", code, stderr)
	}
	if strings.Contains(stderr, "code_layout") {
		t.Errorf("repartition with the template warns of the code layout:\n%s", stderr)
	}
	checkRepartition(t, p0, pf)
	after := readAssignment(t, filepath.Join(p1, "assignment.csv"))
	for id, code := range before {
		if after[id] != code {
			t.Errorf("building %s: grid %q after, %q before", id, after[id], code)
		}
	}
	if got := after["C1-new-1"]; got != "C1-G05" {
		t.Errorf("the new building's grid is %q, want C1-G05", got)
	}
	// Without the template: the earlier codes are named in a warning.
	code, _, stderr = gridplan(t, "repartition", "--previous", p0, "--buildings", b, "--out", p2)
	if code != 0 {
		t.Fatalf("repartition without the template: exit status %d\n%s", code, stderr)
	}
	for _, w := range []string{"code_layout", "4 of its 4 grid codes", `"C1-G01"`, "--code-template"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("repartition without the template: stderr does not mention %q:\n%s", w, stderr)
		}
	}
}

// TestCodeOrderSouthEast: --code-order se numbers the grids of a generated
// city as nw numbers the same city turned through 180°, the plan otherwise
// unchanged, and every hard rule holds.
func TestCodeOrderSouthEast(t *testing.T) {
	dir := t.TempDir()
	b, c := writeCity(t, dir, 3000, 3)
	pf := plantest.Files{Buildings: b, Communities: c, Out: filepath.Join(dir, "se"), Min: 300, Max: 500}
	if code, _, stderr := gridplan(t, append([]string{"partition", "--code-order", "se"}, pf.Args()[1:]...)...); code != 0 {
		t.Fatalf("--code-order se: exit %d\n%s", code, stderr)
	}
	misses, grids := plantest.CheckInvariants(t, pf)
	checkSearchMisses(t, misses, grids)

	turned := plantest.Files{Buildings: filepath.Join(dir, "turned-buildings.geojson"), Communities: filepath.Join(dir, "turned-communities.geojson"),
		Out: filepath.Join(dir, "turned"), Min: 300, Max: 500}
	turn180(t, b, c, turned.Buildings, turned.Communities)
	if code, _, stderr := gridplan(t, turned.Args()...); code != 0 {
		t.Fatalf("turned city: exit %d\n%s", code, stderr)
	}
	nw := pf
	nw.Out = filepath.Join(dir, "nw")
	if code, _, stderr := gridplan(t, nw.Args()...); code != 0 {
		t.Fatalf("--code-order nw: exit %d\n%s", code, stderr)
	}
	se, turnedNW, plainNW := readAssignment(t, filepath.Join(pf.Out, "assignment.csv")),
		readAssignment(t, filepath.Join(turned.Out, "assignment.csv")), readAssignment(t, filepath.Join(nw.Out, "assignment.csv"))
	differ, renumbered := 0, 0
	for id, code := range se {
		if turnedNW[id] != code {
			differ++
		}
		if plainNW[id] != code {
			renumbered++
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d buildings are in a grid of another code under se than under nw in the city turned through 180°", differ, len(se))
	}
	if renumbered == 0 {
		t.Errorf("--code-order se gave every building the code nw gives it")
	}
	// The grids are the same, only numbered otherwise.
	if got, want := groups(se), groups(plainNW); !slices.Equal(got, want) {
		t.Errorf("the grids under se are not those under nw")
	}
}

// groups returns the buildings of each grid of an assignment, as sorted
// lists joined by commas, sorted.
func groups(assignment map[string]string) []string {
	byGrid := map[string][]string{}
	for id, code := range assignment {
		byGrid[code] = append(byGrid[code], id)
	}
	var out []string
	for _, ids := range byGrid {
		slices.Sort(ids)
		out = append(out, strings.Join(ids, ","))
	}
	slices.Sort(out)
	return out
}

// turn180 writes the GeoJSON layers buildings and communities turned
// through 180° about the centre of the buildings' bounding box, to the
// paths turnedBuildings and turnedCommunities.
func turn180(t *testing.T, buildings, communities, turnedBuildings, turnedCommunities string) {
	t.Helper()
	var layers [2]map[string]any
	for i, path := range []string{buildings, communities} {
		data, err := os.ReadFile(path)
		must(t, err)
		must(t, json.Unmarshal(data, &layers[i]))
	}
	// each calls f on every position of the features of layer.
	each := func(layer map[string]any, f func(p []any)) {
		var walk func(v any)
		walk = func(v any) {
			if p, ok := v.([]any); ok && len(p) >= 2 {
				if _, ok := p[0].(float64); ok {
					f(p)
					return
				}
			}
			if vs, ok := v.([]any); ok {
				for _, x := range vs {
					walk(x)
				}
			}
		}
		for _, feature := range layer["features"].([]any) {
			walk(feature.(map[string]any)["geometry"].(map[string]any)["coordinates"])
		}
	}
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	each(layers[0], func(p []any) {
		x, y := p[0].(float64), p[1].(float64)
		minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
	})
	cx, cy := (minX+maxX)/2, (minY+maxY)/2
	for i, path := range []string{turnedBuildings, turnedCommunities} {
		each(layers[i], func(p []any) { p[0], p[1] = 2*cx-p[0].(float64), 2*cy-p[1].(float64) })
		data, err := json.Marshal(layers[i])
		must(t, err)
		must(t, os.WriteFile(path, data, 0o644))
	}
}

// TestCodeWidthOneCommunity: a district planned as one community (no
// communities layer, no community property) has more grids than
// --code-width holds (2,523 in a city of 60,000 buildings); its codes
// cannot read as another community's, and it is planned, the numbers
// past the width one digit longer. It was refused once planned.
func TestCodeWidthOneCommunity(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "buildings.geojson")
	writeBuildings(t, b, communityBuildings("", 11, 113.30, 40.08))
	out := filepath.Join(dir, "out")
	if code, _, stderr := gridplan(t, "partition", "--code-width", "1", "--out", out, b); code != 0 {
		t.Fatalf("exit status %d, want 0:\n%s", code, stderr)
	}
	codes := map[string]bool{}
	for _, c := range readAssignment(t, filepath.Join(out, "assignment.csv")) {
		codes[c] = true
	}
	if len(codes) != 11 || !codes["11"] || !codes["1"] {
		t.Errorf("codes %v, want 1 to 11", codes)
	}
}
