package plan_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/plan"
)

// TestCheckCommunityProperty: a grid whose community property was retyped
// to another community, or cleared, is warned of by check (what systems
// downstream read is not where the grid lies); a layer none of whose
// properties match (communities named otherwise) gets one warning.
func TestCheckCommunityProperty(t *testing.T) {
	dir := t.TempDir()
	b, c := sampleInputs(t, dir)
	out := filepath.Join(dir, "plan")
	partitionFiles(t, b, c, out)
	data, err := os.ReadFile(filepath.Join(out, "grids.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	check := func(name, layer string) []geo.Warning {
		t.Helper()
		grids := filepath.Join(dir, name)
		if err := os.WriteFile(grids, []byte(layer), 0o644); err != nil {
			t.Fatal(err)
		}
		o := &plan.CheckOptions{Min: 300, Max: 500, Fields: geo.DefaultFields(), RegionIDField: "id", CodeField: "code", SliverToleranceM2: 50, SnapM: 5, NoReport: true}
		rep, err := plan.Check(context.Background(), plan.CheckLayers{Grids: plan.File(grids), Buildings: plan.File(b), Communities: plan.File(c)}, o)
		if err != nil {
			t.Fatal(err)
		}
		var ws []geo.Warning
		for _, w := range rep.Warnings {
			if w.Kind == "community_property" {
				ws = append(ws, w)
			}
		}
		return ws
	}
	if ws := check("same.geojson", string(data)); len(ws) != 0 {
		t.Errorf("the plan's own layer: %+v, want no community_property warning", ws)
	}
	edited := strings.Replace(string(data), `"code":"C001002","community":"C001"`, `"code":"C001002","community":"C002"`, 1)
	edited = strings.Replace(edited, `"code":"C001003","community":"C001"`, `"code":"C001003","community":""`, 1)
	if edited == string(data) {
		t.Fatal("grids C001002 and C001003 not found")
	}
	ws := check("edited.geojson", edited)
	if len(ws) != 2 || ws[0].ID != "C001002" || !strings.Contains(ws[0].Note, `is "C002", but it lies in community "C001"`) ||
		ws[1].ID != "C001003" || !strings.Contains(ws[1].Note, "blank or absent") {
		t.Errorf("warnings %+v, want C001002's retyped and C001003's cleared property", ws)
	}
	named := regexp.MustCompile(`"community":"(C\d+)"`).ReplaceAllString(string(data), `"community":"社区$1"`)
	if ws := check("named.geojson", named); len(ws) != 1 || ws[0].Index != -1 || !strings.Contains(ws[0].Note, "by name, not id") {
		t.Errorf("a layer naming every community otherwise: %+v, want one warning for the layer", ws)
	}
}
