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
		for _, code := range strings.Split(string(grids), `"code":"`)[1:] {
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
}
