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
