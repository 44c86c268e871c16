package geo_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"gridplan/geo"
)

// cityJSON returns a buildings FeatureCollection of n footprints around
// Datong: rotated rectangles of 8–32 vertices (extra vertices on the walls,
// as digitizers leave them), coordinates with 7 decimals (about 1 cm), ids,
// households and compounds. The seed is fixed so runs compare.
func cityJSON(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 1))
	var buf bytes.Buffer
	buf.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	side := int(math.Ceil(math.Sqrt(float64(n))))
	const cell = 0.0006 // degrees between building centres, about 50 m
	for i := range n {
		if i > 0 {
			buf.WriteString(",\n")
		}
		cx := 113.1 + cell*float64(i%side)
		cy := 39.95 + cell*float64(i/side)
		w, h := 0.0001+0.0002*rng.Float64(), 0.00005+0.0001*rng.Float64()
		rot := rng.Float64() * math.Pi / 2
		perSide := 2 + rng.IntN(7)
		fmt.Fprintf(&buf, `{"type":"Feature","properties":{"id":"B%06d","households":%d,"compound":"C%d","kind":"residential"},"geometry":{"type":"Polygon","coordinates":[[`,
			i, rng.IntN(200), i/40)
		corners := [][2]float64{{-w, -h}, {w, -h}, {w, h}, {-w, h}}
		s, c := math.Sincos(rot)
		var first []byte
		for k := range 4 {
			a, b := corners[k], corners[(k+1)%4]
			for j := range perSide {
				t := float64(j) / float64(perSide)
				x, y := a[0]+t*(b[0]-a[0]), a[1]+t*(b[1]-a[1])
				pt := []byte("[" + strconv.FormatFloat(cx+x*c-y*s, 'f', 7, 64) + "," + strconv.FormatFloat(cy+x*s+y*c, 'f', 7, 64) + "]")
				if first == nil {
					first = pt
				}
				buf.Write(pt)
				buf.WriteByte(',')
			}
		}
		buf.Write(first)
		buf.WriteString("]]}}")
	}
	buf.WriteString("\n]}\n")
	return buf.Bytes()
}

func TestCityJSONLoads(t *testing.T) {
	bs, _, err := geo.LoadBuildings("city.geojson", bytes.NewReader(cityJSON(2000)), geo.DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	checkBuildings(t, bs)
}

// go test -run XXX -bench LoadBuildings ./geo
func BenchmarkLoadBuildings(b *testing.B) {
	for _, n := range []int{5000, 60000} {
		data := cityJSON(n)
		b.Run(fmt.Sprintf("buildings=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var bs []geo.Building
			for b.Loop() {
				var err error
				bs, _, err = geo.LoadBuildings("city.geojson", bytes.NewReader(data), geo.DefaultFields())
				if err != nil {
					b.Fatal(err)
				}
			}
			if len(bs) != n {
				b.Fatalf("loaded %d buildings, want %d", len(bs), n)
			}
			b.ReportMetric(float64(len(data))/1e6, "MB")
		})
	}
}
