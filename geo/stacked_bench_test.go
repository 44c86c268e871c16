package geo_test

import (
	"bytes"
	"testing"

	"gridplan/geo"
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
