package shape_test

import (
	"math"
	"slices"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// TestFirstCopies: geometries equal bit for bit, of one type and class,
// are told; anything else, however close, is not.
func TestFirstCopies(t *testing.T) {
	sq := orb.Polygon{square(0, 0, 10, 10)}
	for _, tc := range []struct {
		name  string
		gs    []orb.Geometry
		class []string
		want  []int
	}{
		{"points", []orb.Geometry{orb.Point{1, 2}, orb.Point{1, 2}, orb.Point{2, 1}, orb.Point{1, 2}}, nil, []int{0, 0, 2, 0}},
		{"a point a little apart", []orb.Geometry{orb.Point{1, 2}, orb.Point{math.Nextafter(1, 2), 2}}, nil, []int{0, 1}},
		{"footprints", []orb.Geometry{sq, orb.Polygon{square(0, 0, 10, 10)}, orb.Polygon{square(0, 0, 10, 11)}, sq}, nil, []int{0, 0, 2, 0}},
		{"another first vertex", []orb.Geometry{sq, orb.Polygon{append(slices.Clone(sq[0][1:]), sq[0][1])}}, nil, []int{0, 1}},
		{"a polygon and a multipolygon of it", []orb.Geometry{sq, orb.MultiPolygon{sq}, orb.MultiPolygon{sq}}, nil, []int{0, 1, 1}},
		{"a hole", []orb.Geometry{orb.Polygon{sq[0], square(2, 2, 4, 4)}, sq, orb.Polygon{sq[0], square(2, 2, 4, 4)}}, nil, []int{0, 1, 0}},
		{"rings split otherwise", []orb.Geometry{orb.MultiPolygon{{sq[0], sq[0]}}, orb.MultiPolygon{{sq[0]}, {sq[0]}}}, nil, []int{0, 1}},
		{"classes", []orb.Geometry{sq, sq, sq, sq}, []string{"A", "B", "A", "AB"}, []int{0, 1, 0, 3}},
		{"nil", []orb.Geometry{nil, nil, orb.Point{}}, nil, []int{0, 1, 2}},
	} {
		if got := shape.FirstCopies(tc.gs, tc.class); !slices.Equal(got, tc.want) {
			t.Errorf("%s: FirstCopies = %v, want %v", tc.name, got, tc.want)
		}
	}
}
