package geo_test

import (
	"bytes"
	"fmt"
	"testing"

	"gridplan/geo"

	"github.com/paulmach/orb"
)

// BenchmarkStacked finds stacked buildings among 60,000 footprints, none of
// which stand on another.
func BenchmarkStacked(b *testing.B) {
	bs, _, err := geo.LoadBuildings("city.geojson", bytes.NewReader(cityJSON(60000)), geo.DefaultFields())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		geo.Stacked(bs)
	}
}

// atOneSpot returns n buildings of one community, each drawn as g: every
// unit of a tower given the tower's point or footprint.
func atOneSpot(n int, g orb.Geometry) []geo.Building {
	bs := make([]geo.Building, n)
	for i := range bs {
		bs[i] = geo.Building{Index: i, ID: fmt.Sprintf("U%06d", i), Households: 3, Geometry: g}
	}
	return bs
}

// BenchmarkStackedPointsAtOneSpot groups 100,000 points at one spot.
func BenchmarkStackedPointsAtOneSpot(b *testing.B) {
	bs := atOneSpot(100000, orb.Point{113.3, 40.08})
	b.ReportAllocs()
	for b.Loop() {
		geo.Stacked(bs)
	}
}

// BenchmarkStackedPointsNearOneSpot groups 100,000 points, all distinct,
// within 5 mm of one spot.
func BenchmarkStackedPointsNearOneSpot(b *testing.B) {
	bs := atOneSpot(100000, nil)
	for i := range bs {
		bs[i].Geometry = orb.Point{113.3 + float64(i%331)*2e-10, 40.08 + float64(i%307)*1.5e-10}
	}
	b.ReportAllocs()
	for b.Loop() {
		geo.Stacked(bs)
	}
}

// BenchmarkStackedFootprintsAtOneSpot groups 2,000 copies of one footprint
// with 2,000 copies of a smaller one inside it (a podium and its tower,
// each drawn once for every unit).
func BenchmarkStackedFootprintsAtOneSpot(b *testing.B) {
	const d = 20.0 / 111000 // 20 m in degrees of latitude
	x, y := 113.3, 40.08
	podium := orb.Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}
	tower := orb.Polygon{{{x + d/4, y + d/4}, {x + d/2, y + d/4}, {x + d/2, y + d/2}, {x + d/4, y + d/2}, {x + d/4, y + d/4}}}
	bs := append(atOneSpot(2000, podium), atOneSpot(2000, tower)...)
	b.ReportAllocs()
	for b.Loop() {
		geo.Stacked(bs)
	}
}
