package robust

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestInCircleIntAgreesWithExpansions checks the integer evaluation
// against the expansion arithmetic and big.Float on what the tessellation
// asks: cocircular quadruples (sites along the sides of rotated and
// axis-parallel rectangles), the same nudged by a few ulps, points of very
// unlike magnitude, subnormal and zero differences.
func TestInCircleIntAgreesWithExpansions(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	nudge := func(x float64) float64 {
		switch r.IntN(4) {
		case 0:
			return math.Nextafter(x, math.Inf(1))
		case 1:
			return math.Nextafter(x, math.Inf(-1))
		}
		return x
	}
	var ints, zeros int
	for trial := range 200000 {
		var q [8]float64
		switch trial % 5 {
		case 0, 1: // sites on opposite sides of a rectangle
			ox, oy := r.Float64()*2000-1000, r.Float64()*2000-1000
			w, h := 1+r.Float64()*60, 1+r.Float64()*60
			th := 0.0
			if trial%5 == 1 {
				th = r.Float64() * math.Pi
			}
			c, s := math.Cos(th), math.Sin(th)
			f, g := r.Float64(), r.Float64()
			pt := func(u, v float64) (float64, float64) { return ox + c*u*w - s*v*h, oy + s*u*w + c*v*h }
			q[0], q[1] = pt(f, 0)
			q[2], q[3] = pt(1-f, 0)
			q[4], q[5] = pt(1-g, 1)
			q[6], q[7] = pt(g, 1)
			if trial%2 == 0 {
				for k := range q {
					q[k] = nudge(q[k])
				}
			}
		case 2: // a lattice with exact coordinates
			for k := range q {
				q[k] = float64(r.IntN(64))*0.125 + 512
			}
		case 3: // unlike magnitudes
			for k := range q {
				q[k] = math.Ldexp(r.Float64()-0.5, r.IntN(80)-40)
			}
		default: // subnormals and zeros
			for k := range q {
				switch r.IntN(3) {
				case 0:
					q[k] = 0
				case 1:
					q[k] = math.Ldexp(float64(r.IntN(16)-8), -1070)
				default:
					q[k] = math.Ldexp(float64(r.IntN(16)-8), -1060)
				}
			}
		}
		ax, ay, bx, by, cx, cy, dx, dy := q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7]
		want := inCircleBig(ax, ay, bx, by, cx, cy, dx, dy)
		if got := InCircle(ax, ay, bx, by, cx, cy, dx, dy); got != want {
			t.Fatalf("InCircle%v = %d, big.Float says %d", q, got, want)
		}
		d := [6]float64{ax - dx, ay - dy, bx - dx, by - dy, cx - dx, cy - dy}
		exact := true
		for k, p := range [6][2]float64{{ax, dx}, {ay, dy}, {bx, dx}, {by, dy}, {cx, dx}, {cy, dy}} {
			if _, lo := predTwoDiff(p[0], p[1]); lo != 0 || math.IsInf(d[k], 0) {
				exact = false
			}
		}
		if !exact {
			continue
		}
		s, ok := inCircleInt(d[0], d[1], d[2], d[3], d[4], d[5])
		if !ok {
			continue
		}
		ints++
		if s == 0 {
			zeros++
		}
		if s != want {
			t.Fatalf("inCircleInt of %v = %d, big.Float says %d", q, s, want)
		}
	}
	if ints < 50000 || zeros < 1000 {
		t.Fatalf("only %d quadruples (%d cocircular) took the integer path", ints, zeros)
	}
}

// TestInCircleIntRefuses checks that differences of too unlike precision
// are left to the expansions rather than overflowing.
func TestInCircleIntRefuses(t *testing.T) {
	if _, ok := inCircleInt(1000.1, 0x1p-60, 1, 2, 3, 4); ok {
		t.Fatal("a 2^-60 difference beside 1000.1 should not fit 62 bits")
	}
	if s, ok := inCircleInt(0, 0, 0, 0, 0, 0); !ok || s != 0 {
		t.Fatalf("all zero: %d %v", s, ok)
	}
}
