package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCRSForOneFile: buildings in Gauss–Krüger with their .prj, and the
// communities traced on a GCJ-02 map (labelled nothing, as such layers
// come): --crs FILE=gcj02 names the system of that file alone, and the
// plan is the one made from both layers in Gauss–Krüger. --crs gcj02 for
// every layer is refused, saying that the buildings' coordinates fit the
// system their file states.
func TestCRSForOneFile(t *testing.T) {
	dir := t.TempDir()
	gk, amap := filepath.Join(dir, "gk"), filepath.Join(dir, "amap")
	for _, g := range [][]string{
		{"--format", "shp", "--out-crs", "EPSG:4527", "--out", gk},
		{"--out-crs", "gcj02", "--out", amap},
	} {
		args := append([]string{"generate", "--buildings", "600", "--seed", "11", "--center", "116.9,36.65"}, g...)
		if code, _, stderr := gridplan(t, args...); code != 0 {
			t.Fatalf("generate %v: exit %d\n%s", g, code, stderr)
		}
	}
	b, c := filepath.Join(gk, "buildings.shp"), filepath.Join(amap, "communities.geojson")
	want, got := filepath.Join(dir, "want"), filepath.Join(dir, "got")
	if code, _, stderr := gridplan(t, "partition", "--communities", filepath.Join(gk, "communities.shp"), "--out", want, b); code != 0 {
		t.Fatalf("partition in Gauss–Krüger: exit %d\n%s", code, stderr)
	}
	// The file named as the command does not name it: one file still.
	other := filepath.Dir(c) + "/./" + filepath.Base(c)
	if code, _, stderr := gridplan(t, "partition", "--crs", other+"=gcj02", "--communities", c, "--out", got, b); code != 0 {
		t.Fatalf("--crs %s=gcj02: exit %d\n%s", c, code, stderr)
	}
	x, err := os.ReadFile(filepath.Join(want, "assignment.csv"))
	must(t, err)
	y, err := os.ReadFile(filepath.Join(got, "assignment.csv"))
	must(t, err)
	if !bytes.Equal(x, y) {
		t.Error("the plan with GCJ-02 communities differs from the plan in Gauss–Krüger")
	}
	code, _, stderr := gridplan(t, "partition", "--crs", "gcj02", "--communities", c, "--out", filepath.Join(dir, "all"), b)
	if code != 2 || !strings.Contains(stderr, "they fit EPSG:4527, which the file states") || !strings.Contains(stderr, "FILE=SYSTEM") {
		t.Errorf("--crs gcj02 for every layer: exit %d, want 2 saying the buildings fit their .prj\n%s", code, stderr)
	}
	// The same entry twice is one.
	if code, _, stderr := gridplan(t, "partition", "--crs", c+"=gcj02,"+other+"=gcj02", "--communities", c, "--out", filepath.Join(dir, "twice"), b); code != 0 {
		t.Errorf("--crs naming a file twice alike: exit %d\n%s", code, stderr)
	}
	// A file that is none of the run's layers (the GCJ-02 buildings, while
	// the run reads the Gauss–Krüger ones) is refused, not ignored.
	unread := filepath.Join(amap, "buildings.geojson") + "=gcj02"
	for _, bad := range []string{filepath.Join(dir, "none.geojson") + "=gcj02", "gcj02,EPSG:4527", c + "=gcj02," + c + "=bd09", unread} {
		if code, _, stderr := gridplan(t, "partition", "--crs", bad, "--communities", c, "--out", filepath.Join(dir, "bad"), b); code != 2 || !strings.Contains(stderr, "--crs") {
			t.Errorf("--crs %s: exit %d, want 2 naming --crs\n%s", bad, code, stderr)
		}
	}
}
