package geo

import (
	"fmt"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

func TestStacked(t *testing.T) {
	sq := func(x, y, d float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}
	}
	const m = 1.0 / 111000 // about a metre in degrees of latitude
	x, y := 113.3, 40.08
	for _, tc := range []struct {
		name  string
		gs    []orb.Geometry
		comm  []string // community of each building; "" for all
		want  string
		holds string // "" for none
	}{
		{"apart", []orb.Geometry{sq(x, y, 20*m), sq(x+40*m, y, 20*m)}, nil, "[0 1]", ""},
		{"sharing a wall", []orb.Geometry{sq(x, y, 20*m), sq(x+20*m, y, 20*m)}, nil, "[0 1]", ""},
		{"digitised twice", []orb.Geometry{sq(x, y, 20*m), sq(x+40*m, y, 20*m), sq(x, y, 20*m)}, nil, "[0 1 0]", ""},
		{"a copy a little smaller inside", []orb.Geometry{sq(x+40*m, y, 5*m), sq(x, y, 20*m), sq(x+1*m, y+1*m, 18*m)}, nil, "[0 1 1]", ""},
		{"a tower on a podium", []orb.Geometry{sq(x+40*m, y, 5*m), sq(x, y, 20*m), sq(x+5*m, y+5*m, 5*m)}, nil, "[0 1 2]", "[[] [2] []]"},
		{"a tower in the middle of a podium", []orb.Geometry{sq(x, y, 20*m), sq(x+8*m, y+8*m, 4*m)}, nil, "[0 1]", "[[1] []]"},
		{"a tower across a podium's edge", []orb.Geometry{sq(x, y, 40*m), sq(x+30*m, y+10*m, 15*m)}, nil, "[0 1]", "[[1] []]"},
		{"inside a multipolygon", []orb.Geometry{orb.MultiPolygon{sq(x+40*m, y, 20*m), sq(x, y, 20*m)}, orb.Point{x + 10*m, y + 10*m}}, nil, "[0 0]", ""},
		{"point on an outline", []orb.Geometry{orb.Point{x + 20*m + 0.001*m, y + 10*m}, sq(x, y, 20*m)}, nil, "[0 0]", ""},
		{"points at one spot", []orb.Geometry{orb.Point{x, y}, orb.Point{x + 1e-9, y}, orb.Point{x + m, y}}, nil, "[0 0 2]", ""},
		{"a chain", []orb.Geometry{orb.Point{x + 50*m, y}, sq(x, y, 20*m), orb.Point{x + 50*m, y}, orb.Point{x + 5*m, y + 5*m}}, nil, "[0 1 0 1]", ""},
		{"other community", []orb.Geometry{sq(x, y, 20*m), sq(x, y, 20*m)}, []string{"A", "B"}, "[0 1]", ""},
		{"overlapping by a third", []orb.Geometry{sq(x, y, 20*m), sq(x+40*m, y, 20*m), sq(x+14*m, y, 20*m)}, nil, "[0 1 0]", ""},
		{"a wall digitised 10 cm over", []orb.Geometry{sq(x, y, 20*m), sq(x+19.9*m, y, 20*m)}, nil, "[0 1]", ""},
		{"an L inside another's bounds", []orb.Geometry{
			orb.Polygon{{{x, y}, {x + 20*m, y}, {x + 20*m, y + 5*m}, {x + 5*m, y + 5*m}, {x + 5*m, y + 20*m}, {x, y + 20*m}, {x, y}}},
			sq(x+8*m, y+8*m, 10*m)}, nil, "[0 1]", ""},
		{"no geometry", []orb.Geometry{nil, sq(x, y, 20*m)}, nil, "[0 1]", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bs := make([]Building, len(tc.gs))
			for i, g := range tc.gs {
				bs[i] = Building{Index: i, ID: fmt.Sprint(i), Geometry: g}
				if tc.comm != nil {
					bs[i].Community = tc.comm[i]
				}
			}
			group, holds := Stacked(bs)
			if got := fmt.Sprint(group); got != tc.want {
				t.Errorf("Stacked = %s, want %s", got, tc.want)
			}
			want := tc.holds
			if want == "" {
				want = fmt.Sprint(make([][]int, len(bs)))
			}
			if got := fmt.Sprint(holds); got != want {
				t.Errorf("holds = %s, want %s", got, want)
			}
		})
	}
}

// TestPointOutside: a podium is drawn at a point outside the towers on it.
func TestPointOutside(t *testing.T) {
	podium := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}
	tower := orb.Polygon{{{3, 3}, {7, 3}, {7, 7}, {3, 7}, {3, 3}}}
	corner := orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}}
	for _, tc := range []struct {
		name   string
		others []orb.Geometry
		want   orb.Point
	}{
		{"nothing on it", nil, shape.RepresentativePoint(podium)},
		{"a tower in the middle", []orb.Geometry{tower}, orb.Point{0, 0}},
		{"a tower in a corner", []orb.Geometry{corner}, shape.RepresentativePoint(podium)},
	} {
		if got := PointOutside(podium, tc.others); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
