package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestLocalPlane(t *testing.T) {
	centre := orb.Point{113.3, 40.08}
	p := NewLocalPlane(centre)
	tm := NewProjection(centre)
	// Round trip.
	for _, q := range []orb.Point{{113.3, 40.08}, {113.31, 40.07}, {113.2912345, 40.0876543}} {
		back := p.Inverse(p.Forward(q))
		if d := math.Hypot(back[0]-q[0], back[1]-q[1]); d > 1e-12 {
			t.Errorf("Inverse(Forward(%v)) = %v, off by %g°", q, back, d)
		}
	}
	// Straight lines stay straight: the midpoint of a lon/lat segment maps
	// to the midpoint of the mapped segment.
	a, b := orb.Point{113.29, 40.07}, orb.Point{113.31, 40.09}
	mid := p.Forward(orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2})
	fa, fb := p.Forward(a), p.Forward(b)
	if d := math.Hypot(mid[0]-(fa[0]+fb[0])/2, mid[1]-(fa[1]+fb[1])/2); d > 1e-9 {
		t.Errorf("midpoint off the mapped segment by %g m", d)
	}
	// Lengths agree with the transverse Mercator projection to 1e-4 within
	// 700 m of the centre.
	for _, q := range []orb.Point{{113.305, 40.08}, {113.3, 40.085}, {113.296, 40.0765}} {
		dp := p.Forward(q)
		dt := tm.Forward(q)
		lp, lt := math.Hypot(dp[0], dp[1]), math.Hypot(dt[0], dt[1])
		if rel := math.Abs(lp-lt) / lt; rel > 1e-4 {
			t.Errorf("distance to %v: plane %.3f m, transverse Mercator %.3f m (relative %g)", q, lp, lt, rel)
		}
	}
}
