package tess_test

import (
	"math/rand/v2"
	"testing"

	"gridplan/geo/tess"

	"github.com/paulmach/orb"
)

// TestNumSites: NumSites counts what Sites makes, for every kind of
// geometry, closed and open rings, repeated vertices and edges shorter and
// longer than the spacing, at spacings from none to wide.
func TestNumSites(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 9))
	path := func(n int) []orb.Point {
		var ps []orb.Point
		for range n {
			p := orb.Point{r.Float64() * 100, r.Float64() * 100}
			ps = append(ps, p)
			if r.IntN(5) == 0 {
				ps = append(ps, p) // repeated
			}
		}
		return ps
	}
	ring := func(n int) orb.Ring {
		rg := orb.Ring(path(n))
		if r.IntN(2) == 0 {
			rg = append(rg, rg[0])
		}
		return rg
	}
	for trial := range 300 {
		var g orb.Geometry
		switch trial % 8 {
		case 0:
			g = orb.Point{1, 2}
		case 1:
			g = orb.MultiPoint(path(1 + r.IntN(5)))
		case 2:
			g = orb.LineString(path(1 + r.IntN(6)))
		case 3:
			g = orb.MultiLineString{path(2), path(1 + r.IntN(4))}
		case 4:
			g = ring(1 + r.IntN(6))
		case 5:
			g = orb.Polygon{ring(3 + r.IntN(5)), ring(3)}
		case 6:
			g = orb.MultiPolygon{{ring(4)}, {ring(3 + r.IntN(4)), ring(3)}}
		default:
			g = orb.Collection{orb.Point{0, 0}, ring(4), orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{30, 20}}}
		}
		for _, spacing := range []float64{0, -1, 0.5, 5, 40} {
			if got, want := tess.NumSites(g, spacing), len(tess.Sites(g, spacing)); got != want {
				t.Fatalf("trial %d, spacing %g: NumSites %d, Sites made %d", trial, spacing, got, want)
			}
		}
	}
}
