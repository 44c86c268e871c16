package audit_test

import (
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/audit"

	"github.com/paulmach/orb"
)

// rect returns the rectangle [x0,x1]×[y0,y1] (degrees) counter-clockwise.
func rect(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

// smallDistrict is one community 200 m × 100 m near Beijing split into two
// grids, A (west) and B (east), with one building in each.
func smallDistrict(householdsA, householdsB int) ([]geo.Building, []geo.Grid, []geo.Region) {
	const x0, y0, w, h = 116.4, 39.9, 0.002, 0.001
	comm := []geo.Region{{ID: "C1", Geometry: orb.MultiPolygon{rect(x0, y0, x0+w, y0+h)}}}
	grids := []geo.Grid{
		{Index: 0, Code: "A", Geometry: orb.MultiPolygon{rect(x0, y0, x0+w/2, y0+h)}},
		{Index: 1, Code: "B", Geometry: orb.MultiPolygon{rect(x0+w/2, y0, x0+w, y0+h)}},
	}
	bs := []geo.Building{
		{ID: "a1", Households: householdsA, Community: "C1", Geometry: rect(x0+0.0002, y0+0.0002, x0+0.0004, y0+0.0004)},
		{ID: "b1", Households: householdsB, Community: "C1", Geometry: rect(x0+w/2+0.0002, y0+0.0002, x0+w/2+0.0004, y0+0.0004)},
	}
	return bs, grids, comm
}

func kinds(r *audit.AuditReport) []string {
	var ks []string
	for _, f := range r.Findings {
		ks = append(ks, f.Kind+" "+strings.Join(f.Grids, ",")+" "+f.Reason)
	}
	return ks
}

func TestAuditSmall(t *testing.T) {
	t.Run("clean", func(t *testing.T) {
		bs, gs, cs := smallDistrict(350, 320)
		if r := audit.Audit(bs, gs, cs, nil); len(r.Findings) != 0 {
			t.Errorf("Audit(clean) = %v, want no findings", kinds(r))
		}
	})
	t.Run("under_full", func(t *testing.T) {
		bs, gs, cs := smallDistrict(350, 100)
		r := audit.Audit(bs, gs, cs, nil)
		if got := kinds(r); len(got) != 1 || got[0] != "out_of_band B " {
			t.Errorf("Audit(B with 100) = %v, want [out_of_band B]", got)
		}
		if f := r.Findings[0]; !f.Fixable || f.Measured["band_households"] != 100 {
			t.Errorf("finding %+v, want fixable with 100 households", f)
		}
	})
	t.Run("band_gap", func(t *testing.T) {
		// 550 households: one grid is over, two are under; no plan fits.
		bs, gs, cs := smallDistrict(350, 200)
		r := audit.Audit(bs, gs, cs, nil)
		if got := kinds(r); len(got) != 1 || got[0] != "out_of_band B band_gap" {
			t.Errorf("Audit(550 households) = %v, want [out_of_band B band_gap]", got)
		}
	})
	t.Run("no households", func(t *testing.T) {
		// A community of shops only: its grids cover it, nothing to balance.
		bs, gs, cs := smallDistrict(0, 0)
		if r := audit.Audit(bs, gs, cs, nil); len(r.Findings) != 0 {
			t.Errorf("Audit(no households) = %v, want no findings", kinds(r))
		}
	})
	t.Run("oversized_building", func(t *testing.T) {
		bs, gs, cs := smallDistrict(520, 320)
		r := audit.Audit(bs, gs, cs, nil)
		if got := kinds(r); len(got) != 1 || got[0] != "out_of_band A oversized_building" {
			t.Errorf("Audit(a1 with 520) = %v, want [out_of_band A oversized_building]", got)
		} else if d := r.Findings[0].Detail; !strings.Contains(d, "building a1 has 520 households") {
			t.Errorf("detail %q does not name the building", d)
		}
	})
	t.Run("unclosed_ring", func(t *testing.T) {
		bs, gs, cs := smallDistrict(350, 320)
		data := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[116.4,39.9],[116.401,39.9],[116.401,39.901],[116.4,39.901]]]}},
{"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Polygon","coordinates":[[[116.401,39.9],[116.402,39.9],[116.402,39.901],[116.401,39.901],[116.401,39.9]]]}}]}`
		gs, err := geo.LoadGrids("grids.geojson", strings.NewReader(data), "")
		if err != nil {
			t.Fatal(err)
		}
		r := audit.Audit(bs, gs, cs, nil)
		if got := kinds(r); len(got) != 1 || got[0] != "invalid_geometry A " {
			t.Errorf("Audit(unclosed A) = %v, want [invalid_geometry A] (the repaired ring covers the rest)", got)
		}
	})
	t.Run("straddling", func(t *testing.T) {
		bs, gs, cs := smallDistrict(350, 320)
		// b1 moved west across the A|B line by 0.0001° (about 8.5 m of 17 m).
		bs[1].Geometry = rect(116.4009, 39.9002, 116.4011, 39.9004)
		r := audit.Audit(bs, gs, cs, &audit.AuditSettings{StraddleM2: audit.DefaultStraddleM2})
		got := kinds(r)
		if len(got) == 0 || !strings.HasPrefix(got[0], "straddling_building") {
			t.Errorf("Audit(b1 across A|B) = %v, want straddling_building first", got)
		}
	})
}

// TestAuditSharedFootprints: two footprints drawn over each other in
// different grids. The shared part is the smaller one's ground (as
// partition gives it): the larger, whose only part in the other grid is
// that, does not straddle. Where the overlapping one is the larger, the
// shared part is the other's, and the other straddles.
func TestAuditSharedFootprints(t *testing.T) {
	const x0, y0, w, h = 116.4, 39.9, 0.002, 0.001
	mid := x0 + w/2
	comm := []geo.Region{{ID: "C1", Geometry: orb.MultiPolygon{rect(x0, y0, x0+w, y0+h)}}}
	grids := []geo.Grid{
		{Index: 0, Code: "A", Geometry: orb.MultiPolygon{rect(x0, y0, mid, y0+h)}},
		{Index: 1, Code: "B", Geometry: orb.MultiPolygon{rect(mid, y0, x0+w, y0+h)}},
	}
	// big lies in A but for a strip 5 m wide across the border, which
	// small (in B) covers.
	big := rect(mid-0.0004, y0+0.0002, mid+0.00006, y0+0.0005)
	for _, tc := range []struct {
		name  string
		small orb.Polygon
		want  int // straddling findings
	}{
		{"smaller over it", rect(mid, y0+0.0002, mid+0.0002, y0+0.0005), 0},
		{"larger over it", rect(mid, y0+0.0001, mid+0.0008, y0+0.0008), 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bs := []geo.Building{
				{ID: "big", Households: 350, Community: "C1", Geometry: big},
				{ID: "other", Households: 320, Community: "C1", Geometry: tc.small},
			}
			n := 0
			for _, f := range audit.Audit(bs, grids, comm, nil).Findings {
				if f.Kind == audit.FindingStraddlingBuilding {
					n++
					if f.Buildings[0] != "big" {
						t.Errorf("straddling %v, want big", f.Buildings)
					}
				}
			}
			if n != tc.want {
				t.Errorf("%d straddling findings, want %d", n, tc.want)
			}
		})
	}
}
