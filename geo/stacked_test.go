package geo

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"
)

func TestStacked(t *testing.T) {
	sq := func(x, y, d float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}
	}
	const m = 1.0 / 111000 // about a metre in degrees of latitude
	x, y := 113.3, 40.08
	for _, tc := range []struct {
		name string
		gs   []orb.Geometry
		comm []string // community of each building; "" for all
		want string
	}{
		{"apart", []orb.Geometry{sq(x, y, 20*m), sq(x+40*m, y, 20*m)}, nil, "[0 1]"},
		{"sharing a wall", []orb.Geometry{sq(x, y, 20*m), sq(x+20*m, y, 20*m)}, nil, "[0 1]"},
		{"digitised twice", []orb.Geometry{sq(x, y, 20*m), sq(x+40*m, y, 20*m), sq(x, y, 20*m)}, nil, "[0 1 0]"},
		{"unit inside", []orb.Geometry{sq(x+40*m, y, 5*m), sq(x, y, 20*m), sq(x+5*m, y+5*m, 5*m)}, nil, "[0 1 1]"},
		{"inside a multipolygon", []orb.Geometry{orb.MultiPolygon{sq(x+40*m, y, 20*m), sq(x, y, 20*m)}, orb.Point{x + 10*m, y + 10*m}}, nil, "[0 0]"},
		{"point on an outline", []orb.Geometry{orb.Point{x + 20*m + 0.001*m, y + 10*m}, sq(x, y, 20*m)}, nil, "[0 0]"},
		{"points at one spot", []orb.Geometry{orb.Point{x, y}, orb.Point{x + 1e-9, y}, orb.Point{x + m, y}}, nil, "[0 0 2]"},
		{"a chain", []orb.Geometry{orb.Point{x + 50*m, y}, sq(x, y, 20*m), orb.Point{x + 50*m, y}, orb.Point{x + 5*m, y + 5*m}}, nil, "[0 1 0 1]"},
		{"other community", []orb.Geometry{sq(x, y, 20*m), sq(x, y, 20*m)}, []string{"A", "B"}, "[0 1]"},
		{"overlapping by a third", []orb.Geometry{sq(x, y, 20*m), sq(x+40*m, y, 20*m), sq(x+14*m, y, 20*m)}, nil, "[0 1 0]"},
		{"a wall digitised 10 cm over", []orb.Geometry{sq(x, y, 20*m), sq(x+19.9*m, y, 20*m)}, nil, "[0 1]"},
		{"an L inside another's bounds", []orb.Geometry{
			orb.Polygon{{{x, y}, {x + 20*m, y}, {x + 20*m, y + 5*m}, {x + 5*m, y + 5*m}, {x + 5*m, y + 20*m}, {x, y + 20*m}, {x, y}}},
			sq(x+8*m, y+8*m, 10*m)}, nil, "[0 1]"},
		{"no geometry", []orb.Geometry{nil, sq(x, y, 20*m)}, nil, "[0 1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bs := make([]Building, len(tc.gs))
			for i, g := range tc.gs {
				bs[i] = Building{Index: i, ID: fmt.Sprint(i), Geometry: g}
				if tc.comm != nil {
					bs[i].Community = tc.comm[i]
				}
			}
			if got := fmt.Sprint(Stacked(bs)); got != tc.want {
				t.Errorf("Stacked = %s, want %s", got, tc.want)
			}
		})
	}
}
