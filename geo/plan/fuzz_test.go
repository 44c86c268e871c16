package plan_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"gridplan/geo"
	"gridplan/geo/plan"
	"gridplan/geo/plan/plantest"
	"gridplan/partition"
)

// FuzzPipeline runs loading, atoms, tessellation, search and grid drawing
// on fuzzed buildings layers: rejecting input is fine, panicking is not,
// and every accepted layer gets a plan whose grids hold every building.
//
//	go test -fuzz=FuzzPipeline ./geo/plan
func FuzzPipeline(f *testing.F) {
	f.Add([]byte(plantest.Collection(plantest.Building("B1", "100", plantest.Square(113.3, 40.08)), plantest.Building("B2", "250", plantest.Square(113.3002, 40.08)))))
	f.Add([]byte(plantest.Collection(plantest.Building("B1", "100", plantest.Point(113.3, 40.08)), plantest.Building("B2", "100", plantest.Point(113.3, 40.08)), plantest.Building("B3", "120", plantest.Point(113.3, 40.0801)))))
	f.Add([]byte(plantest.Collection(plantest.Building("B1", "400", `{"type":"MultiPolygon","coordinates":[[[[113.3,40.08],[113.3001,40.08],[113.3001,40.0801],[113.3,40.08]]],[[[113.301,40.08],[113.3011,40.08],[113.3011,40.0801],[113.301,40.08]]]]}`))))
	// Buildings standing on one another: a copy, a point inside, towers on
	// a podium.
	f.Add([]byte(plantest.Collection(plantest.Building("B1", "300", plantest.Square(113.3, 40.08)), plantest.Building("B1c", "300", plantest.Square(113.3, 40.08)),
		plantest.Building("U", "20", plantest.Point(113.30005, 40.08005)), plantest.Building("P", "0", plantest.BigSquare(113.301, 40.08)),
		plantest.Building("T1", "250", plantest.Square(113.30105, 40.08005)), plantest.Building("T2", "250", plantest.Square(113.30125, 40.08025)))))
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Count(data, []byte(`"Feature"`)) > 200 {
			return
		}
		src := plan.Source{Name: "fuzz.geojson", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
		o := &plan.Options{Settings: partition.Settings{Min: 300, Target: 400, Max: 500}, Fields: geo.DefaultFields(), RegionIDField: "id", CodeWidth: 3}
		in, err := plan.Load(context.Background(), plan.Layers{Buildings: src}, o, nil)
		if err != nil {
			return
		}
		p, err := plan.Partition(context.Background(), in, o)
		if err != nil {
			return // a tessellation or drawing error is reported, not a crash
		}
		n := 0
		for _, g := range p.Stats.Grids {
			n += g.Buildings
		}
		if n != p.Stats.Totals.Buildings {
			t.Fatalf("grids hold %d buildings of %d", n, p.Stats.Totals.Buildings)
		}
	})
}
