package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"

	"github.com/paulmach/orb"
)

// TestGridsGeoJSONThreads: grids.geojson, encoded in parallel runs of
// grids, is the same bytes on one thread and on several, a valid
// FeatureCollection with one feature a line, in grid order, empty grids
// and multipart ones included.
func TestGridsGeoJSONThreads(t *testing.T) {
	const n = 5*gridsPerEncoder + 3
	shapes := &gridShapes{written: make([]orb.MultiPolygon, n)}
	table := make([]GridStats, n)
	for i := range n {
		x, y := 113+float64(i)*1e-3, 40+float64(i%7)*1e-3
		sq := orb.Polygon{{{x, y}, {x + 5e-4, y}, {x + 5e-4, y + 5e-4}, {x, y + 5e-4}, {x, y}}}
		switch i % 5 {
		case 0: // no polygon
		case 1:
			shapes.written[i] = orb.MultiPolygon{sq, sq}
		default:
			shapes.written[i] = orb.MultiPolygon{sq}
		}
		table[i] = GridStats{Code: fmt.Sprintf("C%04d", i), Community: "C", Households: 300 + i, AreaM2: float64(i) / 3, Status: "in_band"}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one := gridsGeoJSON(shapes, table, "")
	for _, procs := range []int{2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		if got := gridsGeoJSON(shapes, table, ""); !bytes.Equal(got, one) {
			t.Errorf("gridsGeoJSON on %d threads differs from on one", procs)
		}
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties struct {
				Code string `json:"code"`
			} `json:"properties"`
			Geometry *struct {
				Type string `json:"type"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(one, &fc); err != nil {
		t.Fatalf("gridsGeoJSON is not JSON: %v", err)
	}
	if len(fc.Features) != n {
		t.Fatalf("gridsGeoJSON has %d features, want %d", len(fc.Features), n)
	}
	for i, f := range fc.Features {
		if f.Properties.Code != table[i].Code {
			t.Fatalf("feature %d is grid %s, want %s", i, f.Properties.Code, table[i].Code)
		}
		want := "Polygon"
		switch i % 5 {
		case 0:
			want = ""
		case 1:
			want = "MultiPolygon"
		}
		got := ""
		if f.Geometry != nil {
			got = f.Geometry.Type
		}
		if got != want {
			t.Errorf("feature %d geometry %q, want %q", i, got, want)
		}
	}
	if lines := bytes.Count(one, []byte("\n")); lines != n+2 {
		t.Errorf("gridsGeoJSON has %d lines, want %d (one a feature)", lines, n+2)
	}
}
