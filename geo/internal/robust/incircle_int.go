package robust

import (
	"math"
	"math/bits"
)

// inCircleInt evaluates the in-circle determinant of six exact coordinate
// differences in integer arithmetic, which is exact and several times
// faster than expansions. Each difference is m·2^e with an odd integer m;
// scaled by 2^-E, E the least such e, all six become integers. ok is
// false when one of them would not fit in 62 bits (differences of very
// unlike precision), and the caller evaluates otherwise.
//
// With |D| < 2^62 the lifts and cross products are below 2^125, their
// products below 2^250 and the sum below 2^252: 256-bit two's complement
// holds every step.
func inCircleInt(adx, ady, bdx, bdy, cdx, cdy float64) (sign int, ok bool) {
	d := [6]float64{adx, ady, bdx, bdy, cdx, cdy}
	var mant [6]uint64
	var exp [6]int
	minExp := math.MaxInt
	for k, x := range d {
		if x == 0 {
			continue
		}
		b := math.Float64bits(x)
		m, e := b&(1<<52-1), int(b>>52&0x7ff)
		if e == 0 {
			e = 1 // subnormal
		} else {
			m |= 1 << 52
		}
		e -= 1075
		tz := bits.TrailingZeros64(m)
		mant[k], exp[k] = m>>tz, e+tz
		minExp = min(minExp, exp[k])
	}
	if minExp == math.MaxInt {
		return 0, true // all differences zero
	}
	var v [6]int64
	for k, x := range d {
		if mant[k] == 0 {
			continue
		}
		shift := exp[k] - minExp
		if shift+bits.Len64(mant[k]) > 62 {
			return 0, false
		}
		v[k] = int64(mant[k] << shift)
		if x < 0 {
			v[k] = -v[k]
		}
	}
	ax, ay, bx, by, cx, cy := v[0], v[1], v[2], v[3], v[4], v[5]
	al := addI128(sqrI128(ax), sqrI128(ay))
	bl := addI128(sqrI128(bx), sqrI128(by))
	cl := addI128(sqrI128(cx), sqrI128(cy))
	bc := subI128(mulI64(bx, cy), mulI64(cx, by))
	ca := subI128(mulI64(cx, ay), mulI64(ax, cy))
	ab := subI128(mulI64(ax, by), mulI64(bx, ay))
	det := addI256(addI256(mulI128(al, bc), mulI128(bl, ca)), mulI128(cl, ab))
	switch {
	case int64(det[3]) < 0:
		return -1, true
	case det == [4]uint64{}:
		return 0, true
	}
	return 1, true
}

// i128 is a 128-bit two's complement integer, low word first.
type i128 [2]uint64

// mulI64 is a·b.
func mulI64(a, b int64) i128 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	// Signed from unsigned: subtract b·2^64 where a < 0, a·2^64 where b < 0.
	if a < 0 {
		hi -= uint64(b)
	}
	if b < 0 {
		hi -= uint64(a)
	}
	return i128{lo, hi}
}

func sqrI128(a int64) i128 { return mulI64(a, a) }

func addI128(a, b i128) i128 {
	lo, c := bits.Add64(a[0], b[0], 0)
	hi, _ := bits.Add64(a[1], b[1], c)
	return i128{lo, hi}
}

func subI128(a, b i128) i128 {
	lo, c := bits.Sub64(a[0], b[0], 0)
	hi, _ := bits.Sub64(a[1], b[1], c)
	return i128{lo, hi}
}

// negI128 is -a.
func negI128(a i128) i128 { return subI128(i128{}, a) }

// mulI128 is a·b as a 256-bit two's complement integer, low word first.
func mulI128(a, b i128) [4]uint64 {
	neg := false
	if int64(a[1]) < 0 {
		a, neg = negI128(a), !neg
	}
	if int64(b[1]) < 0 {
		b, neg = negI128(b), !neg
	}
	// |a|, |b| < 2^127: schoolbook on 64-bit words.
	h00, l00 := bits.Mul64(a[0], b[0])
	h01, l01 := bits.Mul64(a[0], b[1])
	h10, l10 := bits.Mul64(a[1], b[0])
	h11, l11 := bits.Mul64(a[1], b[1])
	var r [4]uint64
	var c uint64
	r[0] = l00
	r[1], c = bits.Add64(h00, l01, 0)
	r[2], c = bits.Add64(h01, l11, c)
	r[3], _ = bits.Add64(h11, 0, c)
	r[1], c = bits.Add64(r[1], l10, 0)
	r[2], c = bits.Add64(r[2], h10, c)
	r[3], _ = bits.Add64(r[3], 0, c)
	if neg {
		r = addI256([4]uint64{^r[0], ^r[1], ^r[2], ^r[3]}, [4]uint64{1}) // -r
	}
	return r
}

func addI256(a, b [4]uint64) [4]uint64 {
	var r [4]uint64
	var c uint64
	r[0], c = bits.Add64(a[0], b[0], 0)
	r[1], c = bits.Add64(a[1], b[1], c)
	r[2], c = bits.Add64(a[2], b[2], c)
	r[3], _ = bits.Add64(a[3], b[3], c)
	return r
}
