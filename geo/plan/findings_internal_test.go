package plan

import (
	"bytes"
	"strings"
	"testing"

	"gridplan/geo/audit"
	"gridplan/geo/format"

	"github.com/paulmach/orb"
)

// TestFindingsLayerMeasuredNames: a measured quantity named like a
// finding's own property (a split compound measures its grids) gets a name
// of its own in every format, rather than a repeated column (refused by
// Shapefiles and GeoPackages) or a property overwritten (GeoJSON).
func TestFindingsLayerMeasuredNames(t *testing.T) {
	sq := orb.Polygon{{{116.9, 36.65}, {116.901, 36.65}, {116.901, 36.651}, {116.9, 36.651}, {116.9, 36.65}}}
	fs := []audit.Finding{
		{Kind: audit.FindingSplitCompound, Grids: []string{"C001001", "C001002"}, Compound: "X1", Area: orb.MultiPolygon{sq},
			Measured: map[string]float64{"households": 420, "grids": 2, "max": 500}, Fixable: true, Detail: "split"},
		{Kind: audit.FindingGap, Community: "C001", Area: sq, Measured: map[string]float64{"area_m2": 12}, Detail: "gap"},
		{Kind: audit.FindingUncoveredBuilding, Detail: "no area"},
	}
	for _, kind := range []format.Kind{format.GeoJSON, format.Shapefile, format.GeoPackage} {
		out, err := findingsLayer(fs, &Coordinates{}, format.WriteOptions{Kind: kind})
		if err != nil {
			t.Fatalf("%v: %v", kind, err)
		}
		var all []byte
		for _, o := range out {
			all = append(all, o.Data...)
		}
		if !bytes.Contains(all, []byte("n_grids")) {
			t.Errorf("%v: no n_grids column", kind)
		}
		if kind == format.GeoJSON {
			if !strings.Contains(string(all), `"grids":"C001001,C001002"`) || strings.Count(string(all), `"type":"Feature"`) != 2 {
				t.Errorf("GeoJSON findings: the grid codes lost, or a finding without an area written:\n%s", all)
			}
		}
	}
}
