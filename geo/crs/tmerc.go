package crs

import "math"

// An ellipsoid holds the constants of the transverse Mercator projection
// on one ellipsoid by Krüger's series to sixth order in the third
// flattening n, as given by C. F. F. Karney, "Transverse Mercator with an
// accuracy of a few nanometers", J. Geodesy 85(8), 475–485 (2011),
// eqs. (7), (9), (14), (35), (36). Karney shows the truncation error of
// the sixth-order series is below 5 nm within 3,900 km of the central
// meridian, far wider than any zone used here (a 6° zone is ±340 km at the
// equator). Snyder's series, used by [gridplan/geo.Projection] for small
// local extents, lose centimetres 500 km out and are not used here.
type ellipsoid struct {
	e, e2m float64    // eccentricity and 1 − e²
	bigA   float64    // rectifying radius A, metres (Karney eq. 14)
	alpha  [7]float64 // α₁…α₆, forward series (eq. 35); [0] unused
	beta   [7]float64 // β₁…β₆, inverse series (eq. 36); [0] unused
}

// The two ellipsoids: CGCS2000 (GB/T 18522 / EPSG:1024, the same a and f as
// GRS 80) and WGS 84 (EPSG:7030). They differ only in f, by 1.6e-11, which
// moves projected points by about 0.1 mm.
var (
	cgcs2000Ellipsoid = newEllipsoid(6378137, 1/298.257222101)
	wgs84Ellipsoid    = newEllipsoid(6378137, 1/298.257223563)
)

func newEllipsoid(a, f float64) *ellipsoid {
	n := f / (2 - f)
	n2, n3 := n*n, n*n*n
	n4, n5, n6 := n3*n, n3*n2, n3*n3
	e2 := f * (2 - f)
	return &ellipsoid{
		e:    math.Sqrt(e2),
		e2m:  1 - e2,
		bigA: a / (1 + n) * (1 + n2/4 + n4/64 + n6/256),
		alpha: [7]float64{0,
			n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180 - 127*n5/288 + 7891*n6/37800,
			13*n2/48 - 3*n3/5 + 557*n4/1440 + 281*n5/630 - 1983433*n6/1935360,
			61*n3/240 - 103*n4/140 + 15061*n5/26880 + 167603*n6/181440,
			49561*n4/161280 - 179*n5/168 + 6601661*n6/7257600,
			34729*n5/80640 - 3418889*n6/1995840,
			212378941 * n6 / 319334400,
		},
		beta: [7]float64{0,
			n/2 - 2*n2/3 + 37*n3/96 - n4/360 - 81*n5/512 + 96199*n6/604800,
			n2/48 + n3/15 - 437*n4/1440 + 46*n5/105 - 1118711*n6/3870720,
			17*n3/480 - 37*n4/840 - 209*n5/4480 + 5569*n6/90720,
			4397*n4/161280 - 11*n5/504 - 830251*n6/7257600,
			4583*n5/161280 - 108847*n6/3991680,
			20648693 * n6 / 638668800,
		},
	}
}

// taup returns τ′ = tan χ, the tangent of the conformal latitude, of
// τ = tan φ (Karney eqs. 7–9, written to avoid cancellation).
func (el *ellipsoid) taup(tau float64) float64 {
	tau1 := math.Hypot(1, tau)
	sig := math.Sinh(el.e * math.Atanh(el.e*tau/tau1))
	return math.Hypot(1, sig)*tau - sig*tau1
}

// tauTol stops the Newton iteration of tau: a relative change of
// √ε/10 ≈ 1.5e-9 in tan φ means the next step, quadratically smaller, is
// below ε; Karney (§2) finds two or three steps suffice for every latitude.
var tauTol = math.Sqrt(0x1p-52) / 10

// tau inverts taup by Newton's method (Karney eqs. 19–21).
func (el *ellipsoid) tau(taup float64) float64 {
	tau := taup / el.e2m
	for range 5 {
		tp := el.taup(tau)
		d := (taup - tp) * (1 + el.e2m*tau*tau) /
			(el.e2m * math.Hypot(1, tau) * math.Hypot(1, tp))
		tau += d
		if math.Abs(d) <= tauTol*math.Max(1, math.Abs(tau)) {
			break
		}
	}
	return tau
}

// forward projects latitude phi and longitude lam from the central
// meridian (radians, |phi| < π/2) to x east of the central meridian and y
// north of the equator, in metres at unit scale.
func (el *ellipsoid) forward(phi, lam float64) (x, y float64) {
	taup := el.taup(math.Tan(phi))
	sl, cl := math.Sincos(lam)
	xip := math.Atan2(taup, cl)
	etap := math.Asinh(sl / math.Hypot(taup, cl))
	xi, eta := xip, etap
	for j := 1; j <= 6; j++ {
		s, c := math.Sincos(float64(2*j) * xip)
		xi += el.alpha[j] * s * math.Cosh(float64(2*j)*etap)
		eta += el.alpha[j] * c * math.Sinh(float64(2*j)*etap)
	}
	return el.bigA * eta, el.bigA * xi
}

// inverse is the inverse of forward: latitude and longitude from the
// central meridian, radians.
func (el *ellipsoid) inverse(x, y float64) (phi, lam float64) {
	xi, eta := y/el.bigA, x/el.bigA
	xip, etap := xi, eta
	for j := 1; j <= 6; j++ {
		s, c := math.Sincos(float64(2*j) * xi)
		xip -= el.beta[j] * s * math.Cosh(float64(2*j)*eta)
		etap -= el.beta[j] * c * math.Sinh(float64(2*j)*eta)
	}
	sx, cx := math.Sincos(xip)
	sh := math.Sinh(etap)
	r := math.Hypot(sh, cx)
	lam = math.Atan2(sh, cx)
	phi = math.Atan(el.tau(sx / r))
	return phi, lam
}
