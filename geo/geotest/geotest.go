// Package geotest holds the helpers that the tests of every package
// drawing or checking polygons share: seeded random inputs, simple shapes,
// and the checks of valid polygons and of a tiling (SPEC §4). Helpers take
// a [testing.TB] and call its Helper method.
package geotest

import (
	"flag"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/paulmach/orb"
	sfgeom "github.com/peterstace/simplefeatures/geom"
)

// seed fixes the random inputs; override with -geotest.seed to explore others.
var seed = flag.Uint64("geotest.seed", 1, "seed for the random test inputs")

// Rand returns the random source of a test, logging its seed.
func Rand(t testing.TB) *rand.Rand {
	t.Helper()
	t.Logf("seed %d (override with -geotest.seed)", *seed)
	return rand.New(rand.NewPCG(*seed, 2))
}

// Square returns the closed counter-clockwise ring of the rectangle
// [x0, x1] × [y0, y1].
func Square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// Lattice returns nx × ny points step apart from off, row by row.
func Lattice(nx, ny int, step float64, off orb.Point) []orb.Point {
	var pts []orb.Point
	for j := range ny {
		for i := range nx {
			pts = append(pts, orb.Point{off[0] + float64(i)*step, off[1] + float64(j)*step})
		}
	}
	return pts
}

// RandomPoints returns n points uniform in the square of side size at off.
func RandomPoints(r *rand.Rand, n int, size float64, off orb.Point) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{off[0] + r.Float64()*size, off[1] + r.Float64()*size}
	}
	return pts
}

// CheckValidMultiPolygon reports an error unless mp is a valid
// MultiPolygon by simplefeatures' rules (an implementation independent of
// the project's own).
func CheckValidMultiPolygon(t testing.TB, mp orb.MultiPolygon) {
	t.Helper()
	xys := make([][][]float64, len(mp))
	for i, poly := range mp {
		for _, r := range poly {
			var flat []float64
			for _, p := range r {
				flat = append(flat, p[0], p[1])
			}
			xys[i] = append(xys[i], flat)
		}
	}
	if err := sfgeom.NewMultiPolygonXY(xys...).Validate(); err != nil {
		t.Errorf("region not a valid MultiPolygon: %v", err)
	}
}

// Seed returns the seed of the random test inputs (-geotest.seed), for
// tests that need several independent streams.
func Seed() uint64 { return *seed }

// BytesAllocated returns the bytes that the heap allocated while f ran:
// a measure of the size of what f builds, independent of the machine's
// speed. Tests that call it must not run in parallel with others.
func BytesAllocated(f func()) uint64 {
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	f()
	runtime.ReadMemStats(&m1)
	return m1.TotalAlloc - m0.TotalAlloc
}
