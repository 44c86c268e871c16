package robust

import (
	"math"
	"math/big"

	"github.com/paulmach/orb"
)

// eps is half a unit in the last place of 1.0 for float64, 2⁻⁵³: the
// relative error of one correctly rounded operation.
const eps = 1.0 / (1 << 53)

// ccwErrBound bounds the absolute error of the float64 determinant
// relative to |detleft|+|detright| (Shewchuk 1997, §4.2: (3+16ε)ε).
const ccwErrBound = (3 + 16*eps) * eps

// iccErrBound bounds the rounding error of the float64 in-circle
// determinant relative to its permanent (Shewchuk 1997, §4.4:
// (10+96ε)ε).
const iccErrBound = (10 + 96*eps) * eps

// Orient returns +1 if c lies to the left of the directed line
// a→b (a, b, c counter-clockwise), -1 if to the right, 0 if the three points
// are exactly collinear.
func Orient(a, b, c orb.Point) int {
	return OrientXY(a[0], a[1], b[0], b[1], c[0], c[1])
}

// OrientXY is [Orient] of the points (ax, ay), (bx, by), (cx, cy).
func OrientXY(ax, ay, bx, by, cx, cy float64) int {
	// float64() forces rounding of each product, so the compiler cannot
	// fuse them into an FMA and invalidate the error bound (Go spec,
	// "Floating-point operators").
	detleft := float64((ax - cx) * (by - cy))
	detright := float64((ay - cy) * (bx - cx))
	det := detleft - detright
	detsum := math.Abs(detleft) + math.Abs(detright)
	// The error bound assumes products that do not underflow: below
	// minExactProduct (far below any real coordinate difference) the
	// rounding error of a product is no longer relative to it, so go exact.
	if bound := ccwErrBound * detsum; (det > bound || -det > bound) && detsum >= minExactProduct {
		return Sign(det)
	}
	return exactOrientation(orb.Point{ax, ay}, orb.Point{bx, by}, orb.Point{cx, cy})
}

// Sign returns +1, -1 or 0 for x > 0, x < 0 and x == 0.
func Sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// exactOrientation evaluates the orientation determinant exactly with
// Shewchuk's expansion arithmetic: each coordinate difference is split into
// an exact sum of two float64s (TwoSum), the products into exact pairs
// (TwoProduct, by FMA), and the 16 terms are summed into a non-overlapping
// expansion whose most significant component has the sign of the
// determinant. Where a product could underflow, and TwoProduct would no
// longer be exact, it falls back to big.Rat. Coordinates must be finite.
func exactOrientation(a, b, c orb.Point) int {
	axh, axl := twoSum(a[0], -c[0])
	byh, byl := twoSum(b[1], -c[1])
	ayh, ayl := twoSum(a[1], -c[1])
	bxh, bxl := twoSum(b[0], -c[0])
	var terms [16]float64
	n := 0
	for _, f := range [8][2]float64{
		{axh, byh}, {axh, byl}, {axl, byh}, {axl, byl},
		{-ayh, bxh}, {-ayh, bxl}, {-ayl, bxh}, {-ayl, bxl},
	} {
		p := float64(f[0] * f[1])
		if f[0] != 0 && f[1] != 0 && math.Abs(p) < minExactProduct {
			return ratOrientation(a, b, c)
		}
		terms[n], terms[n+1] = p, math.FMA(f[0], f[1], -p)
		n += 2
	}
	// Grow-Expansion (Shewchuk 1997, §2.5), one term at a time.
	var e [16]float64
	m := 0
	for _, x := range terms {
		q := x
		for i := 0; i < m; i++ {
			q, e[i] = twoSum(q, e[i])
		}
		e[m] = q
		m++
	}
	for i := m - 1; i >= 0; i-- {
		if e[i] != 0 {
			return Sign(e[i])
		}
	}
	return 0
}

// minExactProduct is the smallest product magnitude for which TwoProduct's
// error term is still representable: the error is below ulp(p)/2, which
// must stay above the smallest normal float64, 2⁻¹⁰²², so |p| must exceed
// 2⁻¹⁰²²⁺⁵³; 2⁻⁹⁶⁰ leaves a margin. Only fuzzed or degenerate input gets
// there (a footprint is 1e-5 degrees wide; its squared size is 1e-10).
const minExactProduct = 0x1p-960

// twoSum returns s = fl(a+b) and the rounding error e, so that a+b = s+e
// exactly (Knuth's TwoSum, valid without overflow).
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// ratOrientation is the slow exact path, in big.Rat.
func ratOrientation(a, b, c orb.Point) int {
	r := func(x float64) *big.Rat { return new(big.Rat).SetFloat64(x) }
	ax, ay, bx, by, cx, cy := r(a[0]), r(a[1]), r(b[0]), r(b[1]), r(c[0]), r(c[1])
	l := new(big.Rat).Mul(ax.Sub(ax, cx), new(big.Rat).Sub(by, cy))
	rr := new(big.Rat).Mul(ay.Sub(ay, cy), new(big.Rat).Sub(bx, cx))
	return l.Cmp(rr)
}

// InBox reports whether p lies in the closed bounding box of a and b.
// Together with Orient(a, b, p) == 0 it decides exactly whether
// p lies on the segment ab.
func InBox(a, b, p orb.Point) bool {
	return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
}

// SegmentsMeet reports whether the closed segments ab and cd share at least
// one point, exactly.
func SegmentsMeet(a, b, c, d orb.Point) bool {
	if math.Max(a[0], b[0]) < math.Min(c[0], d[0]) || math.Max(c[0], d[0]) < math.Min(a[0], b[0]) ||
		math.Max(a[1], b[1]) < math.Min(c[1], d[1]) || math.Max(c[1], d[1]) < math.Min(a[1], b[1]) {
		return false // bounding boxes apart (exact comparisons)
	}
	o1 := Orient(a, b, c)
	o2 := Orient(a, b, d)
	o3 := Orient(c, d, a)
	o4 := Orient(c, d, b)
	if o1*o2 < 0 && o3*o4 < 0 {
		return true // proper crossing
	}
	return (o1 == 0 && InBox(a, b, c)) || (o2 == 0 && InBox(a, b, d)) ||
		(o3 == 0 && InBox(c, d, a)) || (o4 == 0 && InBox(c, d, b))
}

// SegmentsOverlap reports whether the closed segments ab and cd share more
// than a single point: they are collinear and their overlap has positive
// length. Used between rings, which may touch at points but not along edges.
func SegmentsOverlap(a, b, c, d orb.Point) bool {
	if Orient(a, b, c) != 0 || Orient(a, b, d) != 0 {
		return false
	}
	// Collinear: project on the dominant axis, exactly.
	ax := 0
	if math.Abs(b[0]-a[0]) < math.Abs(b[1]-a[1]) {
		ax = 1
	}
	lo1, hi1 := math.Min(a[ax], b[ax]), math.Max(a[ax], b[ax])
	lo2, hi2 := math.Min(c[ax], d[ax]), math.Max(c[ax], d[ax])
	return math.Max(lo1, lo2) < math.Min(hi1, hi2)
}

// SegmentsCross reports whether the segments ab and cd cross at a single
// point interior to both, exactly.
func SegmentsCross(a, b, c, d orb.Point) bool {
	return Orient(a, b, c)*Orient(a, b, d) < 0 && Orient(c, d, a)*Orient(c, d, b) < 0
}
