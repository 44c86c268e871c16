package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportWritten: partition, repartition and check write report.html
// beside their outputs, self-contained and naming every grid, and
// --no-report leaves it out.
func TestReportWritten(t *testing.T) {
	root := t.TempDir()
	plan := filepath.Join(root, "plan")
	if code, _, stderr := gridplan(t, "partition", "--out", plan); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	b, c := filepath.Join("..", "..", "fixtures", "sample", "buildings.geojson"), filepath.Join("..", "..", "fixtures", "sample", "communities.geojson")
	again := filepath.Join(root, "again")
	if code, _, stderr := gridplan(t, "repartition", "--previous", plan, "--buildings", b, "--communities", c, "--out", again); code != 0 {
		t.Fatalf("repartition: exit %d\n%s", code, stderr)
	}
	audit := filepath.Join(root, "audit")
	if code, _, stderr := gridplan(t, "check", "--grids", filepath.Join(plan, "grids.geojson"), "--buildings", b, "--communities", c, "--out", audit); code > 1 {
		t.Fatalf("check: exit %d\n%s", code, stderr)
	}
	grids, err := os.ReadFile(filepath.Join(plan, "grids.geojson"))
	must(t, err)
	codes := strings.Split(string(grids), `"code":"`)[1:]
	if len(codes) == 0 {
		t.Fatalf("no grid code found in %s/grids.geojson", plan)
	}
	for _, dir := range []string{plan, again, audit} {
		data, err := os.ReadFile(filepath.Join(dir, "report.html"))
		if err != nil {
			t.Errorf("%s: no report.html: %v", dir, err)
			continue
		}
		page := string(data)
		if strings.Contains(page, "http://") || strings.Contains(page, "https://") {
			t.Errorf("%s/report.html refers to the network", dir)
		}
		for _, code := range codes {
			code = code[:strings.IndexByte(code, '"')]
			if !strings.Contains(page, code) {
				t.Errorf("%s/report.html lacks grid %s", dir, code)
				break
			}
		}
	}
	none := filepath.Join(root, "none")
	if code, _, stderr := gridplan(t, "partition", "--no-report", "--out", none); code != 0 {
		t.Fatalf("partition --no-report: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(none, "report.html")); !os.IsNotExist(err) {
		t.Errorf("--no-report wrote report.html: %v", err)
	}
	// --no-report also leaves out (and removes) a report.html left from
	// an earlier run, in repartition and check.
	for _, run := range []struct {
		name string
		args []string
	}{
		{"repartition", []string{"repartition", "--no-report", "--previous", plan, "--buildings", b, "--communities", c, "--out"}},
		{"check", []string{"check", "--no-report", "--grids", filepath.Join(plan, "grids.geojson"), "--buildings", b, "--communities", c, "--out"}},
	} {
		dir := filepath.Join(root, run.name+"-stale")
		must(t, os.MkdirAll(dir, 0o755))
		must(t, os.WriteFile(filepath.Join(dir, "report.html"), []byte("stale"), 0o644))
		if code, _, stderr := gridplan(t, append(run.args, dir)...); code > 1 || run.name == "repartition" && code != 0 {
			t.Fatalf("%s --no-report: exit %d\n%s", run.name, code, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "report.html")); !os.IsNotExist(err) {
			t.Errorf("%s --no-report left report.html: %v", run.name, err)
		}
	}
}

// TestCheckWithoutOut: check without --out writes no file, report.html
// neither, in the working directory or beside its inputs.
func TestCheckWithoutOut(t *testing.T) {
	root := t.TempDir()
	plan := filepath.Join(root, "plan")
	if code, _, stderr := gridplan(t, "partition", "--out", plan); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	inputs := filepath.Join(root, "in")
	must(t, os.MkdirAll(inputs, 0o755))
	for _, f := range []string{filepath.Join("..", "..", "fixtures", "sample", "buildings.geojson"), filepath.Join("..", "..", "fixtures", "sample", "communities.geojson"), filepath.Join(plan, "grids.geojson")} {
		data, err := os.ReadFile(f)
		must(t, err)
		must(t, os.WriteFile(filepath.Join(inputs, filepath.Base(f)), data, 0o644))
	}
	t.Chdir(inputs)
	if code, _, stderr := gridplan(t, "check", "--grids", "grids.geojson", "--buildings", "buildings.geojson", "--communities", "communities.geojson"); code > 1 {
		t.Fatalf("check: exit %d\n%s", code, stderr)
	}
	es, err := os.ReadDir(inputs)
	must(t, err)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "buildings.geojson communities.geojson grids.geojson" {
		t.Errorf("check without --out left %s in its directory, want the inputs alone", got)
	}
}
