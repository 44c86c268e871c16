package tess

import (
	"math"
	"testing"

	"gridplan/geo/geotest"

	"github.com/paulmach/orb"
)

func TestSites(t *testing.T) {
	sq := orb.Polygon{geotest.Square(0, 0, 10, 4)}
	tests := []struct {
		name    string
		g       orb.Geometry
		spacing float64
		want    []orb.Point
	}{
		{"point", orb.Point{3, 4}, 2, []orb.Point{{3, 4}}},
		{"square no spacing", sq, 0, []orb.Point{{0, 0}, {10, 0}, {10, 4}, {0, 4}}},
		{"square 5 m", sq, 5, []orb.Point{{0, 0}, {5, 0}, {10, 0}, {10, 4}, {5, 4}, {0, 4}}},
		{"square 4 m", sq, 4, []orb.Point{
			{0, 0}, {10.0 / 3, 0}, {20.0 / 3, 0}, {10, 0}, {10, 4}, {20.0 / 3, 4}, {10.0 / 3, 4}, {0, 4}}},
		{"line", orb.LineString{{0, 0}, {0, 3}}, 1, []orb.Point{{0, 0}, {0, 1}, {0, 2}, {0, 3}}},
		{"multipoint", orb.MultiPoint{{1, 1}, {2, 2}}, 1, []orb.Point{{1, 1}, {2, 2}}},
		{"polygon with hole", orb.Polygon{geotest.Square(0, 0, 4, 4), geotest.Square(1, 1, 3, 3)}, 0,
			[]orb.Point{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {1, 1}, {3, 1}, {3, 3}, {1, 3}}},
		{"repeated vertex", orb.Polygon{{{0, 0}, {2, 0}, {2, 0}, {2, 2}, {0, 0}}}, 0,
			[]orb.Point{{0, 0}, {2, 0}, {2, 0}, {2, 2}}},
		{"multipolygon", orb.MultiPolygon{{geotest.Square(0, 0, 1, 1)}, {geotest.Square(5, 5, 6, 6)}}, 0,
			[]orb.Point{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {5, 5}, {6, 5}, {6, 6}, {5, 6}}},
		{"nil", nil, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sites(tt.g, tt.spacing)
			if len(got) != len(tt.want) {
				t.Fatalf("Sites(%v, %v) = %v, want %v", tt.g, tt.spacing, got, tt.want)
			}
			for i := range got {
				if math.Abs(got[i][0]-tt.want[i][0]) > 1e-12 || math.Abs(got[i][1]-tt.want[i][1]) > 1e-12 {
					t.Fatalf("Sites(%v, %v) = %v, want %v", tt.g, tt.spacing, got, tt.want)
				}
			}
		})
	}
}

// TestSitesSpacing checks that no gap between consecutive sites along an
// edge exceeds the spacing.
func TestSitesSpacing(t *testing.T) {
	r := geotest.Rand(t)
	for range 100 {
		ring := orb.Ring{}
		for range 5 {
			ring = append(ring, orb.Point{r.Float64() * 50, r.Float64() * 50})
		}
		ring = append(ring, ring[0])
		spacing := 0.5 + r.Float64()*3
		s := Sites(orb.Polygon{ring}, spacing)
		for i := range s {
			p, q := s[i], s[(i+1)%len(s)]
			if d := math.Hypot(q[0]-p[0], q[1]-p[1]); d > spacing*(1+1e-12) {
				t.Fatalf("Sites(spacing %v): gap %v between sites %d and %d", spacing, d, i, i+1)
			}
		}
	}
}
