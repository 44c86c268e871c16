package shape_test

import (
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

func TestDeparts(t *testing.T) {
	// A grid whose east boundary zigzags 5 m to and fro, and the same
	// grid with that boundary straightened: the same area, another shape.
	jagged := orb.MultiPolygon{{{{0, 0}, {100, 0}, {105, 25}, {100, 50}, {95, 75}, {100, 100}, {0, 100}, {0, 0}}}}
	straight := orb.MultiPolygon{{{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}}}
	if a, b := shape.MultiPolygonArea(jagged), shape.MultiPolygonArea(straight); a != b {
		t.Fatalf("areas %g and %g: want them equal", a, b)
	}
	// The jagged grid read back: its vertices a centimetre off, and an
	// edge split at a point of it.
	moved := orb.MultiPolygon{{{{0.01, 0}, {100, 0.01}, {102.5, 12.5}, {105, 25}, {100, 50.01}, {95, 75}, {100, 100}, {0, 100}, {0.01, 0}}}}
	for _, tc := range []struct {
		name string
		a, b orb.MultiPolygon
		want bool
	}{
		{"straightened", jagged, straight, true},
		{"straightened, other way", straight, jagged, true},
		{"read back", jagged, moved, false},
		{"itself", jagged, jagged, false},
		{"from another vertex", jagged, orb.MultiPolygon{{{{105, 25}, {100, 50}, {95, 75}, {100, 100}, {0, 100}, {0, 0}, {100, 0}, {105, 25}}}}, false},
		{"a part more", jagged, append(orb.MultiPolygon{{{{200, 0}, {210, 0}, {210, 10}, {200, 0}}}}, jagged...), true},
	} {
		if got := shape.Departs(tc.a, tc.b, 0.05); got != tc.want {
			t.Errorf("%s: Departs = %v, want %v", tc.name, got, tc.want)
		}
	}
}
