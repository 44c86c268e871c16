package gpkg_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"

	"gridplan/geo/feature"
	"gridplan/geo/gpkg"
)

// benchLayer is n square buildings of 20 m in rows of 100, with the
// properties of testFields.
func benchLayer(n int) []feature.Feature {
	fs := make([]feature.Feature, n)
	for i := range fs {
		x, y := 39500000+float64(i%100)*30, 3380000+float64(i/100)*30
		fs[i] = feature.Feature{
			Geometry:   orb.Polygon{{{x, y}, {x + 20, y}, {x + 20, y + 20}, {x, y + 20}, {x, y}}},
			Properties: props(fmt.Sprintf("幸福里 %d 号楼", i), int64(i%500), float64(i)*0.25, i%2 == 0, "2001-02-03"),
		}
	}
	return fs
}

func BenchmarkEncode(b *testing.B) {
	srs := gk39(b)
	for _, n := range []int{1000, 50000} {
		fs := benchLayer(n)
		b.Run(fmt.Sprintf("buildings=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				out, err := gpkg.Encode("buildings", testFields, fs, srs)
				if err != nil {
					b.Fatal(err)
				}
				size = len(out)
			}
			b.ReportMetric(float64(size), "bytes")
		})
	}
}

func BenchmarkRead(b *testing.B) {
	for _, n := range []int{1000, 50000} {
		out, err := gpkg.Encode("buildings", testFields, benchLayer(n), gk39(b))
		if err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(b.TempDir(), "buildings.gpkg")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("buildings=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := gpkg.Open(path, "")
				if err != nil {
					b.Fatal(err)
				}
				read := 0
				for ; ; read++ {
					if _, err := r.Next(); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
				}
				r.Close()
				if read != n {
					b.Fatalf("read %d features, want %d", read, n)
				}
			}
		})
	}
}
