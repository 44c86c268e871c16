package robust

import (
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
)

// seed returns the random seed for property tests: GEO_SEED or 1.
func seed(t *testing.T) uint64 {
	t.Helper()
	s := uint64(1)
	if v := os.Getenv("GEO_SEED"); v != "" {
		var err error
		if s, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("GEO_SEED: %v", err)
		}
	}
	t.Logf("GEO_SEED=%d", s)
	return s
}

func TestRobustOrientationAgreesWithRat(t *testing.T) {
	rng := rand.New(rand.NewPCG(seed(t), 2))
	// Nearly collinear triples at city coordinates: c on the segment ab,
	// nudged by a few ulps, where the float determinant is unreliable.
	for range 20000 {
		a := orb.Point{113 + rng.Float64(), 40 + rng.Float64()}
		b := orb.Point{a[0] + 1e-3*rng.NormFloat64(), a[1] + 1e-3*rng.NormFloat64()}
		t0 := rng.Float64()
		c := orb.Point{a[0] + t0*(b[0]-a[0]), a[1] + t0*(b[1]-a[1])}
		for k := rng.IntN(4); k > 0; k-- {
			c[rng.IntN(2)] = math.Nextafter(c[rng.IntN(2)], math.Inf(2*rng.IntN(2)-1))
		}
		want := ratOrientation(a, b, c)
		if got := Orient(a, b, c); got != want {
			t.Fatalf("Orient(%v, %v, %v) = %d, big.Rat says %d", a, b, c, got, want)
		}
		if got := exactOrientation(a, b, c); got != want {
			t.Fatalf("exactOrientation(%v, %v, %v) = %d, big.Rat says %d", a, b, c, got, want)
		}
		if got := Orient(b, a, c); got != -want {
			t.Fatalf("robustOrientation is not antisymmetric at %v, %v, %v", a, b, c)
		}
	}
}

func TestRobustOrientationCases(t *testing.T) {
	tiny := 0x1p-1070 // subnormal: forces the big.Rat path
	for _, c := range []struct {
		a, b, c orb.Point
		want    int
	}{
		{orb.Point{0, 0}, orb.Point{1, 0}, orb.Point{0, 1}, 1},
		{orb.Point{0, 0}, orb.Point{1, 0}, orb.Point{0, -1}, -1},
		{orb.Point{0, 0}, orb.Point{1, 1}, orb.Point{2, 2}, 0},
		{orb.Point{113.3, 40.08}, orb.Point{113.4, 40.18}, orb.Point{113.5, 40.28}, ratOrientation(orb.Point{113.3, 40.08}, orb.Point{113.4, 40.18}, orb.Point{113.5, 40.28})},
		{orb.Point{0, 0}, orb.Point{tiny, tiny}, orb.Point{2 * tiny, 3 * tiny}, 1},
		{orb.Point{0.1, 0.1}, orb.Point{0.2, 0.2}, orb.Point{0.30000000000000004, 0.30000000000000004}, 0},
	} {
		if got := Orient(c.a, c.b, c.c); got != c.want {
			t.Errorf("Orient(%v, %v, %v) = %d, want %d", c.a, c.b, c.c, got, c.want)
		}
	}
}

func TestPredicates(t *testing.T) {
	// Near-degenerate cases where the float determinant is wrong or zero.
	r := rand.New(rand.NewPCG(seed(t), 3))
	pts := []orb.Point{{0.5, 0.5}, {12, 12}, {24, 24}, {0.5, 0.5 + 0x1p-52}, {0.1, 0.1}, {0.2, 0.2}, {0.3, 0.3},
		{512345.1, 4412345.1}, {512345.2, 4412345.2}, {512345.3, 4412345.3}, {1e-300, 1e-300}, {3e-300, 3e-300}}
	for range 40 {
		pts = append(pts, orb.Point{float64(r.IntN(3)) + float64(r.IntN(3))*0x1p-50, float64(r.IntN(3)) + float64(r.IntN(3))*0x1p-50})
	}
	for i := range pts {
		for j := range pts {
			for k := range pts {
				a, b, c := pts[i], pts[j], pts[k]
				if got, want := OrientXY(a[0], a[1], b[0], b[1], c[0], c[1]), orientRat(a, b, c); got != want {
					t.Fatalf("OrientXY(%v, %v, %v) = %d, want %d", a, b, c, got, want)
				}
			}
		}
	}
	// Cocircular lattice points, with and without a large offset.
	for _, off := range []float64{0, 512345.5, 4e6 + 0.125} {
		got := InCircle(off, off, off+1, off, off+1, off+1, off, off+1)
		if got != 0 {
			t.Errorf("inCircle2 of a unit square at %v = %d, want 0", off, got)
		}
		if got := InCircle(off, off, off+1, off, off+1, off+1, off+1+0x1p-20, off+1+0x1p-20); got != -1 {
			t.Errorf("inCircle2 just outside at %v = %d, want -1", off, got)
		}
	}
	// Compare the expansion arithmetic with math/big on random small
	// perturbations of cocircular points.
	for range 2000 {
		var v [8]float64
		for k := range v {
			v[k] = float64(r.IntN(5)) + float64(r.IntN(3))*0x1p-40
		}
		if got, want := inCircleExact(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]), inCircleBig(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]); got != want {
			t.Fatalf("inCircleExact%v = %d, big = %d", v, got, want)
		}
	}
	// Differences that are not exact in float64 (coordinates of unlike
	// magnitudes, and cocircular points far from d's coordinates), which
	// take the expansions of two components.
	for i := range 4000 {
		var v [8]float64
		for k := range v {
			v[k] = (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(24)-12))
		}
		if i%2 == 0 {
			// a, b, c on a circle of radius 1 around a far centre, d near it.
			cx, cy := 1e7*r.Float64(), 1e7*r.Float64()
			for k := 0; k < 3; k++ {
				th := r.Float64() * 2 * math.Pi
				v[2*k], v[2*k+1] = cx+math.Cos(th), cy+math.Sin(th)
			}
			v[6], v[7] = cx+math.Cos(1)+0x1p-30*float64(r.IntN(3)-1), cy+math.Sin(1)
		}
		if got, want := inCircleExact(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]), inCircleBig(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]); got != want {
			t.Fatalf("inCircleExact%v = %d, big = %d", v, got, want)
		}
	}
}

// orientRat is the reference orientation in rational arithmetic.
func orientRat(a, b, c orb.Point) int {
	q := func(x float64) *big.Rat { return new(big.Rat).SetFloat64(x) }
	sub := func(x, y float64) *big.Rat { return new(big.Rat).Sub(q(x), q(y)) }
	l := new(big.Rat).Mul(sub(a[0], c[0]), sub(b[1], c[1]))
	r := new(big.Rat).Mul(sub(a[1], c[1]), sub(b[0], c[0]))
	return l.Cmp(r)
}

func TestSegmentsCross(t *testing.T) {
	p := func(x, y float64) orb.Point { return orb.Point{x, y} }
	for _, c := range []struct {
		name       string
		a, b, c, d orb.Point
		want       bool
	}{
		{"proper crossing", p(0, 0), p(2, 2), p(0, 2), p(2, 0), true},
		{"apart", p(0, 0), p(1, 0), p(0, 1), p(1, 1), false},
		{"touching at an end", p(0, 0), p(2, 0), p(1, 0), p(1, 1), false},
		{"collinear overlap", p(0, 0), p(2, 0), p(1, 0), p(3, 0), false},
		{"crossing by an ulp", p(0, 0), p(1, 1), p(0.5, 0.5+0x1p-53), p(0.5+0x1p-53, 0.5-0x1p-52), true},
	} {
		if got := SegmentsCross(c.a, c.b, c.c, c.d); got != c.want {
			t.Errorf("%s: SegmentsCross(%v, %v, %v, %v) = %v, want %v", c.name, c.a, c.b, c.c, c.d, got, c.want)
		}
	}
}

// BenchmarkInCircleCocircular times InCircle on what the tessellation of
// footprints asks most: sites 5 m apart on the sides of rectangles, whose
// quadruples are cocircular (isosceles trapezoids) and need the exact
// evaluation.
//
//	go test ./geo/internal/robust -run XXX -bench InCircle
func BenchmarkInCircleCocircular(b *testing.B) {
	const ox, oy = 1234.567, -876.5432
	var qs [][8]float64
	for i := range 8 {
		for j := range 8 {
			x0, x1 := ox+5*float64(i), ox+5*float64(i)+12.5
			y0, y1 := oy+3.75*float64(j), oy+3.75*float64(j)+20
			qs = append(qs, [8]float64{x0, y0, x1, y0, x1, y1, x0, y1})
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := &qs[i%len(qs)]
		if InCircle(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7]) != 0 {
			b.Fatal("a rectangle's corners are cocircular")
		}
	}
}
