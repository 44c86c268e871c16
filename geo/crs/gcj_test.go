package crs_test

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"gridplan/geo/crs"
)

// publishedTolDeg is the agreement asked of published outputs of the same
// double-precision formulas: 1e-11° (1 µm), above the last-bit
// differences of other languages' sin and sqrt.
const publishedTolDeg = 1e-11

// offsetTolDeg is the agreement asked of the iterative inverses: 1e-9°,
// 0.1 mm of latitude.
const offsetTolDeg = 1e-9

func near(p, q orb.Point, tol float64) bool {
	return math.Abs(p[0]-q[0]) <= tol && math.Abs(p[1]-q[1]) <= tol
}

// TestGCJ02Published checks the forward offsets against published pairs.
func TestGCJ02Published(t *testing.T) {
	for _, tc := range []struct {
		sys       crs.System
		wgs, want orb.Point
		from      string
	}{
		// github.com/googollee/eviltransform, go/transform_test.go (lat, lng there).
		{crs.GCJ02, orb.Point{121.5272106, 31.1774276}, orb.Point{121.531541859215, 31.17530398364597}, "eviltransform, Shanghai"},
		{crs.GCJ02, orb.Point{113.912316, 22.543847}, orb.Point{113.9171764808363, 22.540796131694766}, "eviltransform, Shenzhen"},
		{crs.GCJ02, orb.Point{116.377817, 39.911954}, orb.Point{116.38404722455657, 39.91334545536069}, "eviltransform, Beijing"},
		// github.com/wandergis/coordtransform, README (wgs84togcj02).
		{crs.GCJ02, orb.Point{116.404, 39.915}, orb.Point{116.41024449916938, 39.91640428150164}, "coordtransform wgs84togcj02"},
		// The geocraft Python package's README (wgs84_to_bd09: coordtransform's
		// gcj02tobd09 after wgs84togcj02).
		{crs.BD09, orb.Point{116.404, 39.915}, orb.Point{116.41662724378733, 39.922699552216216}, "geocraft wgs84_to_bd09"},
	} {
		if got := tc.sys.FromLonLat(tc.wgs); !near(got, tc.want, publishedTolDeg) {
			t.Errorf("%s: %v.FromLonLat(%v) = %.15f, want %v", tc.from, tc.sys, tc.wgs, got, tc.want)
		}
		if got := tc.sys.ToLonLat(tc.want); !near(got, tc.wgs, offsetTolDeg) {
			t.Errorf("%s: %v.ToLonLat(%v) = %.15f, want %v", tc.from, tc.sys, tc.want, got, tc.wgs)
		}
	}
	// coordtransform's gcj02tobd09(116.404, 39.915) = 116.41036949371029,
	// 39.92133699351021 (README): the BD-09 step alone, reached here
	// through the WGS 84 point of that GCJ-02 one.
	gcj, bd := orb.Point{116.404, 39.915}, orb.Point{116.41036949371029, 39.92133699351021}
	if got := crs.BD09.FromLonLat(crs.GCJ02.ToLonLat(gcj)); !near(got, bd, offsetTolDeg) {
		t.Errorf("gcj02 %v as bd09 = %.15f, want %v (coordtransform gcj02tobd09)", gcj, got, bd)
	}
}

// chinaGrid calls f at points 0.37° × 0.29° apart over the GCJ-02
// rectangle, a little inside its edges (where the offset jumps).
func chinaGrid(f func(p orb.Point)) {
	for lon := 73.0; lon < 137.5; lon += 0.37 {
		for lat := 1.0; lat < 55.5; lat += 0.29 {
			f(orb.Point{lon, lat})
		}
	}
}

// TestOffsetRoundTrip: the iterative inverses undo the offsets to 1e-9°
// over China, where the one-step inverse most ports use
// (w = p − (f(p) − p)) is metres off.
func TestOffsetRoundTrip(t *testing.T) {
	for _, sys := range []crs.System{crs.GCJ02, crs.BD09} {
		var worst, worstOneStep float64
		chinaGrid(func(w orb.Point) {
			p := sys.FromLonLat(w)
			back := sys.ToLonLat(p)
			d := math.Max(math.Abs(back[0]-w[0]), math.Abs(back[1]-w[1]))
			worst = math.Max(worst, d)
			if d > offsetTolDeg {
				t.Errorf("%v: %v → %.12f → %.12f, %.3g° off", sys, w, p, back, d)
			}
			f := sys.FromLonLat(p)
			oneStep := orb.Point{2*p[0] - f[0], 2*p[1] - f[1]}
			worstOneStep = math.Max(worstOneStep, groundM(oneStep, w))
		})
		t.Logf("%v: worst round trip %.3g°, one-step inverse up to %.2f m off", sys, worst, worstOneStep)
		if worstOneStep < 1 {
			t.Errorf("%v: the one-step inverse is at most %.2f m off; the iteration would not matter", sys, worstOneStep)
		}
	}
}

// TestGCJ02OutsideChina: outside the rectangle GCJ-02 is WGS 84.
func TestGCJ02OutsideChina(t *testing.T) {
	for _, p := range []orb.Point{{2.2945, 48.8584}, {139.7671, 35.6812}, {0, 0}, {-74.0445, 40.6892}, {72, 30}, {100, 56}} {
		if got := crs.GCJ02.FromLonLat(p); got != p {
			t.Errorf("GCJ02.FromLonLat(%v) = %v, want it unchanged", p, got)
		}
		if got := crs.GCJ02.ToLonLat(p); got != p {
			t.Errorf("GCJ02.ToLonLat(%v) = %v, want it unchanged", p, got)
		}
	}
}
