package robust

import (
	"math"
	"math/big"
)

// InCircle reports whether d lies inside (+1), outside (-1) or on (0) the
// circle through a, b, c, which must be counter-clockwise.
func InCircle(ax, ay, bx, by, cx, cy, dx, dy float64) int {
	adx, ady := ax-dx, ay-dy
	bdx, bdy := bx-dx, by-dy
	cdx, cdy := cx-dx, cy-dy
	bdxcdy, cdxbdy := float64(bdx*cdy), float64(cdx*bdy)
	alift := float64(adx*adx) + float64(ady*ady)
	cdxady, adxcdy := float64(cdx*ady), float64(adx*cdy)
	blift := float64(bdx*bdx) + float64(bdy*bdy)
	adxbdy, bdxady := float64(adx*bdy), float64(bdx*ady)
	clift := float64(cdx*cdx) + float64(cdy*cdy)
	det := float64(alift*(bdxcdy-cdxbdy)) + float64(blift*(cdxady-adxcdy)) + float64(clift*(adxbdy-bdxady))
	permanent := float64((math.Abs(bdxcdy)+math.Abs(cdxbdy))*alift) +
		float64((math.Abs(cdxady)+math.Abs(adxcdy))*blift) +
		float64((math.Abs(adxbdy)+math.Abs(bdxady))*clift)
	bound := iccErrBound * permanent
	if det > bound {
		return 1
	}
	if -det > bound {
		return -1
	}
	if math.IsInf(permanent, 0) || math.IsNaN(det) {
		return inCircleBig(ax, ay, bx, by, cx, cy, dx, dy)
	}
	if exactDiff(ax, dx, adx) && exactDiff(ay, dy, ady) && exactDiff(bx, dx, bdx) &&
		exactDiff(by, dy, bdy) && exactDiff(cx, dx, cdx) && exactDiff(cy, dy, cdy) {
		if s, ok := inCircleInt(adx, ady, bdx, bdy, cdx, cdy); ok {
			return s
		}
	}
	return inCircleExact(ax, ay, bx, by, cx, cy, dx, dy)
}

// exactDiff reports whether d, the rounded a-b, is exact.
func exactDiff(a, b, d float64) bool {
	bv := a - d
	av := d + bv
	return (a-av)+(bv-b) == 0
}

// inCircleExact evaluates the in-circle determinant exactly, with the
// differences taken exactly as two-component expansions.
func inCircleExact(ax, ay, bx, by, cx, cy, dx, dy float64) int {
	var adx, ady, bdx, bdy, cdx, cdy [2]float64
	diff := func(dst *[2]float64, a, b float64) []float64 {
		hi, lo := predTwoDiff(a, b)
		dst[0], dst[1] = lo, hi
		return compress(dst[:])
	}
	ax_, ay_ := diff(&adx, ax, dx), diff(&ady, ay, dy)
	bx_, by_ := diff(&bdx, bx, dx), diff(&bdy, by, dy)
	cx_, cy_ := diff(&cdx, cx, dx), diff(&cdy, cy, dy)

	if len(ax_)+len(ay_)+len(bx_)+len(by_)+len(cx_)+len(cy_) == 6 {
		// Every difference exact, as for nearby coordinates (Sterbenz):
		// lifts and cross products have at most 4 components, the three
		// products 32 each, the sum 96.
		var t1, t2, t3 [32]float64
		var s1 [64]float64
		var s2 [96]float64
		return inCircleTerms(ax_, ay_, bx_, by_, cx_, cy_, t1[:0], t2[:0], t3[:0], s1[:0], s2[:0])
	}
	var t1, t2, t3 [512]float64
	var s1 [1024]float64
	var s2 [1536]float64
	return inCircleTerms(ax_, ay_, bx_, by_, cx_, cy_, t1[:0], t2[:0], t3[:0], s1[:0], s2[:0])
}

// inCircleTerms is the sign of the in-circle determinant of the exact
// differences ax..cy (expansions of at most two components), with t1, t2,
// t3, s1 and s2 the space for its three products and two sums.
func inCircleTerms(ax, ay, bx, by, cx, cy, t1, t2, t3, s1, s2 []float64) int {
	lift := func(dst []float64, x, y []float64) []float64 {
		var p, q [8]float64
		return expSum(dst, expMul(p[:0], x, x), expMul(q[:0], y, y))
	}
	crossE := func(dst []float64, x1, y1, x2, y2 []float64) []float64 {
		var p, q [8]float64
		m := expMul(q[:0], y1, x2)
		for k := range m {
			m[k] = -m[k]
		}
		return expSum(dst, expMul(p[:0], x1, y2), m)
	}
	var la, lb, lc, ca, cb, cc [16]float64
	al := lift(la[:0], ax, ay)
	bl := lift(lb[:0], bx, by)
	cl := lift(lc[:0], cx, cy)
	bc := crossE(ca[:0], bx, by, cx, cy)
	caE := crossE(cb[:0], cx, cy, ax, ay)
	ab := crossE(cc[:0], ax, ay, bx, by)
	u := expSum(s1, expMul(t1, al, bc), expMul(t2, bl, caE))
	return expSign(expSum(s2, u, expMul(t3, cl, ab)))
}

// inCircleBig is the last resort for coordinates so large that the products
// overflow float64; it is never reached with coordinates in metres.
func inCircleBig(ax, ay, bx, by, cx, cy, dx, dy float64) int {
	f := func(x float64) *big.Float { return new(big.Float).SetPrec(0).SetFloat64(x) }
	const prec = 1 << 13 // exact for any float64 inputs: products of 4 differences
	sub := func(a, b float64) *big.Float { return new(big.Float).SetPrec(prec).Sub(f(a), f(b)) }
	mul := func(a, b *big.Float) *big.Float { return new(big.Float).SetPrec(prec).Mul(a, b) }
	add := func(a, b *big.Float) *big.Float { return new(big.Float).SetPrec(prec).Add(a, b) }
	adx, ady := sub(ax, dx), sub(ay, dy)
	bdx, bdy := sub(bx, dx), sub(by, dy)
	cdx, cdy := sub(cx, dx), sub(cy, dy)
	al := add(mul(adx, adx), mul(ady, ady))
	bl := add(mul(bdx, bdx), mul(bdy, bdy))
	cl := add(mul(cdx, cdx), mul(cdy, cdy))
	neg := func(x *big.Float) *big.Float { return new(big.Float).Neg(x) }
	bc := add(mul(bdx, cdy), neg(mul(cdx, bdy)))
	ca := add(mul(cdx, ady), neg(mul(adx, cdy)))
	ab := add(mul(adx, bdy), neg(mul(bdx, ady)))
	return add(add(mul(al, bc), mul(bl, ca)), mul(cl, ab)).Sign()
}

// predTwoSum returns a+b as hi + lo exactly (Knuth).
func predTwoSum(a, b float64) (hi, lo float64) {
	hi = a + b
	bv := hi - a
	av := hi - bv
	lo = (a - av) + (b - bv)
	return
}

// predTwoDiff returns a-b as hi + lo exactly.
func predTwoDiff(a, b float64) (hi, lo float64) {
	hi = a - b
	bv := a - hi
	av := hi + bv
	lo = (a - av) + (bv - b)
	return
}

// predTwoProd returns a·b as hi + lo exactly; FMA computes the rounding error.
func predTwoProd(a, b float64) (hi, lo float64) {
	hi = a * b
	lo = math.FMA(a, b, -hi)
	return
}

// compress drops zero components of an expansion (keeping one if all are
// zero).
func compress(e []float64) []float64 {
	out := e[:0]
	for _, x := range e {
		if x != 0 {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		out = append(out, 0)
	}
	return out
}

// expSum appends the expansion e+f to dst (Shewchuk's fast expansion sum
// with zero elimination, using Two-Sum throughout). e and f are
// non-overlapping expansions ordered by increasing magnitude.
func expSum(dst, e, f []float64) []float64 {
	i, j := 0, 0
	next := func() float64 {
		if j >= len(f) || (i < len(e) && math.Abs(e[i]) <= math.Abs(f[j])) {
			i++
			return e[i-1]
		}
		j++
		return f[j-1]
	}
	total := len(e) + len(f)
	q := next()
	for k := 1; k < total; k++ {
		var h float64
		q, h = predTwoSum(q, next())
		if h != 0 {
			dst = append(dst, h)
		}
	}
	if q != 0 || len(dst) == 0 {
		dst = append(dst, q)
	}
	return dst
}

// expScale appends e·b to dst (Shewchuk's scale expansion with zero
// elimination).
func expScale(dst, e []float64, b float64) []float64 {
	q, h := predTwoProd(e[0], b)
	if h != 0 {
		dst = append(dst, h)
	}
	for _, x := range e[1:] {
		p1, p0 := predTwoProd(x, b)
		var sum float64
		sum, h = predTwoSum(q, p0)
		if h != 0 {
			dst = append(dst, h)
		}
		q, h = predTwoSum(p1, sum)
		if h != 0 {
			dst = append(dst, h)
		}
	}
	if q != 0 || len(dst) == 0 {
		dst = append(dst, q)
	}
	return dst
}

// expMul appends e·f to dst. len(e)·len(f)·2 components at most. The
// scratch space is sized to the operands: most products in the exact
// predicates are of expansions of one to four components, and zeroing
// scratch for the largest would cost more than the arithmetic.
func expMul(dst, e, f []float64) []float64 {
	switch {
	case len(f) == 1:
		return expScale(dst, e, f[0])
	case len(e) <= 16 && 2*len(e)*len(f) <= 64:
		var b1, b2 [64]float64
		var t [32]float64
		return append(dst, expMulIn(b1[:0], b2[:0], t[:0], e, f)...)
	}
	var b1, b2 [512]float64
	var t [64]float64
	return append(dst, expMulIn(b1[:0], b2[:0], t[:0], e, f)...)
}

// expMulIn is e·f, accumulated in turn in b1 and b2 (of capacity at least
// 2·len(e)·len(f)), each partial product scaled into t (at least
// 2·len(e)).
func expMulIn(b1, b2, t, e, f []float64) []float64 {
	acc := expScale(b1, e, f[0])
	inFirst := true
	for _, y := range f[1:] {
		s := expScale(t, e, y)
		if inFirst {
			acc = expSum(b2, acc, s)
		} else {
			acc = expSum(b1, acc, s)
		}
		inFirst = !inFirst
	}
	return acc
}

// expSign is the sign of an expansion: that of its largest component.
func expSign(e []float64) int { return Sign(e[len(e)-1]) }
