package geo

import (
	"testing"

	"github.com/paulmach/orb"
)

// TestDissolveNames: features of one id merged into one region give it
// each of their names, once, in order.
func TestDissolveNames(t *testing.T) {
	square := func(x float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x, 40}, {x + 0.001, 40}, {x + 0.001, 40.001}, {x, 40.001}, {x, 40}}}}
	}
	rs := []Region{
		{Index: 0, ID: "C1", Name: "甲社区", Geometry: square(113)},
		{Index: 1, ID: "C2", Name: "丙", Geometry: square(113.01)},
		{Index: 2, ID: "C1", Name: "乙社区", Geometry: square(113.002)},
		{Index: 3, ID: "C1", Name: "甲社区", Geometry: square(113.004)},
	}
	out, ws, err := dissolveDuplicates("c.geojson", rs)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || len(ws) != 1 {
		t.Fatalf("%d regions, %d warnings, want 2 and 1", len(out), len(ws))
	}
	if out[0].Name != "甲社区 / 乙社区" || out[1].Name != "丙" {
		t.Errorf("names %q, %q, want %q, %q", out[0].Name, out[1].Name, "甲社区 / 乙社区", "丙")
	}
	if rs[0].Name != "甲社区" {
		t.Errorf("the input region was renamed %q", rs[0].Name)
	}
}
