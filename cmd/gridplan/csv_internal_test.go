package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo/plan/plantest"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestCSVBOM: with --csv-bom every CSV file written begins with a UTF-8
// byte order mark (without it none does: plantest checks both), and a
// plan so written is read back by repartition, which gives the same
// assignment.csv for unchanged input.
func TestCSVBOM(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "buildings.geojson")
	writeBuildings(t, b, communityBuildings("朝阳", 4, 113.30, 40.08), communityBuildings("东风", 2, 113.30, 40.09))
	pf := plantest.Files{Buildings: b, Out: filepath.Join(dir, "p0"), Min: 300, Max: 500, BOM: true}
	if code, _, stderr := gridplan(t, pf.Args()...); code != 0 {
		t.Fatalf("partition --csv-bom: exit %d\n%s", code, stderr)
	}
	plantest.CheckInvariants(t, pf)
	p1 := pf
	p1.Out = filepath.Join(dir, "p1")
	repartition(t, pf.Out, p1, "--csv-bom")
	checkRepartition(t, pf.Out, p1)
	for _, name := range []string{"assignment.csv", "changes.csv", "moves.csv"} {
		data, err := os.ReadFile(filepath.Join(p1.Out, name))
		must(t, err)
		if !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
			t.Errorf("repartition --csv-bom: %s does not begin with a byte order mark", name)
		}
	}
	a0, err := os.ReadFile(filepath.Join(pf.Out, "assignment.csv"))
	must(t, err)
	a1, err := os.ReadFile(filepath.Join(p1.Out, "assignment.csv"))
	must(t, err)
	if !bytes.Equal(a0, a1) {
		t.Errorf("repartition of unchanged input: assignment.csv differs")
	}
	// Without --csv-bom, from a plan with marks: none.
	p2 := pf
	p2.Out, p2.BOM = filepath.Join(dir, "p2"), false
	repartition(t, pf.Out, p2)
	checkRepartition(t, pf.Out, p2)
}

// TestRepartitionGBKCSV: an earlier assignment and a household table
// saved in GBK (as Excel on Chinese Windows saves CSV) are read as their
// text, each with a warning naming the file; check reads such a table too.
func TestRepartitionGBKCSV(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "buildings.geojson")
	writeBuildings(t, b, communityBuildings("朝阳", 4, 113.30, 40.08), communityBuildings("东风", 2, 113.30, 40.09))
	p0 := filepath.Join(dir, "p0")
	if code, _, stderr := gridplan(t, "partition", "--out", p0, b); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	toGBK := func(s string) []byte {
		t.Helper()
		g, err := simplifiedchinese.GBK.NewEncoder().String(strings.ReplaceAll(s, "\n", "\r\n"))
		must(t, err)
		return []byte(g)
	}
	data, err := os.ReadFile(filepath.Join(p0, "assignment.csv"))
	must(t, err)
	assignment := filepath.Join(dir, "assignment.csv")
	must(t, os.WriteFile(assignment, toGBK(string(data)), 0o644))
	var hh strings.Builder
	hh.WriteString("building_id,户数\n")
	for id := range readAssignment(t, filepath.Join(p0, "assignment.csv")) {
		fmt.Fprintf(&hh, "%s,400\n", id)
	}
	households := filepath.Join(dir, "households.csv")
	must(t, os.WriteFile(households, toGBK(hh.String()), 0o644))
	out := filepath.Join(dir, "out")
	code, _, stderr := gridplan(t, "repartition", "--previous", assignment, "--buildings", b, "--households", households, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, file := range []string{households, assignment} {
		if w := file + ": encoding: not UTF-8; read as GBK"; !strings.Contains(stderr, w) {
			t.Errorf("stderr does not say %q:\n%s", w, stderr)
		}
	}
	if ch := changesOf(t, out); ch.Classes["U"] != ch.PreviousGrids || ch.PreviousGrids != 6 || ch.BuildingsMoved != 0 {
		t.Errorf("changes %+v; want all 6 grids unchanged", ch)
	}
	before, after := readAssignment(t, filepath.Join(p0, "assignment.csv")), readAssignment(t, filepath.Join(out, "assignment.csv"))
	if fmt.Sprint(before) != fmt.Sprint(after) {
		t.Errorf("assignment %v after, %v before", after, before)
	}
	code, _, stderr = gridplan(t, "check", "--grids", filepath.Join(p0, "grids.geojson"), "--buildings", b, "--households", households)
	if code != 0 || !strings.Contains(stderr, households+": encoding: not UTF-8; read as GBK") {
		t.Errorf("check --households GBK: exit %d, want 0 and the warning:\n%s", code, stderr)
	}
}
