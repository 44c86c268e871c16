package geo

import (
	"math"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// WGS 84 ellipsoid (NIMA TR8350.2). CGCS2000 differs only in f, by 1e-10
// relative, which moves projected points by well under a millimetre.
const (
	wgs84A  = 6378137.0             // semi-major axis, metres
	wgs84F  = 1 / 298.257223563     // flattening
	wgs84E2 = wgs84F * (2 - wgs84F) // first eccentricity squared
)

// A Projection is a transverse Mercator projection on the WGS 84 ellipsoid
// with scale factor 1 on its central meridian, centred on the data: the
// central meridian and the latitude of origin pass through the centre, so the
// centre maps to (0, 0), x grows east and y north, in metres.
//
// Formulas are Snyder's series (J. P. Snyder, Map Projections: A Working
// Manual, USGS Professional Paper 1395, 1987, §8, eqs. 8-9 to 8-25). The
// linear scale at distance x from the central meridian is about
// 1 + x²/(2R²), so the area scale error is below 1e-4 within 60 km of the
// centre, and a forward/inverse round trip is exact to well under a
// millimetre within 100 km. Beyond a few hundred kilometres the series lose
// accuracy (a round trip is off by 4 cm 500 km east of the centre, by 5 m
// 1,000 km east); one city is far smaller, and layers wider than
// [MaxExtentKM] are refused.
//
// The zero value is not usable; use [NewProjection].
type Projection struct {
	lon0, lat0 float64 // centre, radians
	m0         float64 // meridian distance of lat0, metres
	ep2        float64 // second eccentricity squared, e'²
	// coefficients of the meridian distance series (Snyder 3-21)
	mc0, mc2, mc4, mc6 float64
	// coefficients of the footpoint latitude series (Snyder 3-26)
	e1c2, e1c4, e1c6, e1c8 float64
}

// NewProjection returns the transverse Mercator projection centred on
// center, a longitude/latitude point in degrees.
func NewProjection(center orb.Point) *Projection {
	e2 := wgs84E2
	e4 := e2 * e2
	e6 := e4 * e2
	p := &Projection{
		lon0: center[0] * math.Pi / 180,
		lat0: center[1] * math.Pi / 180,
		ep2:  e2 / (1 - e2),
		mc0:  1 - e2/4 - 3*e4/64 - 5*e6/256,
		mc2:  3*e2/8 + 3*e4/32 + 45*e6/1024,
		mc4:  15*e4/256 + 45*e6/1024,
		mc6:  35 * e6 / 3072,
	}
	s := math.Sqrt(1 - e2)
	e1 := (1 - s) / (1 + s) // Snyder 3-24
	e1s2 := e1 * e1
	p.e1c2 = 3*e1/2 - 27*e1*e1s2/32
	p.e1c4 = 21*e1s2/16 - 55*e1s2*e1s2/32
	p.e1c6 = 151 * e1 * e1s2 / 96
	p.e1c8 = 1097 * e1s2 * e1s2 / 512
	p.m0 = p.meridian(p.lat0)
	return p
}

// Center returns the longitude/latitude centre of p in degrees.
func (p *Projection) Center() orb.Point {
	return orb.Point{p.lon0 * 180 / math.Pi, p.lat0 * 180 / math.Pi}
}

// meridian returns the distance along the meridian from the equator to
// latitude phi (radians), Snyder eq. 3-21.
func (p *Projection) meridian(phi float64) float64 {
	return wgs84A * (p.mc0*phi - p.mc2*math.Sin(2*phi) + p.mc4*math.Sin(4*phi) - p.mc6*math.Sin(6*phi))
}

// Forward projects a longitude/latitude point (degrees) to metres.
func (p *Projection) Forward(lonlat orb.Point) orb.Point {
	phi := lonlat[1] * math.Pi / 180
	dlon := lonlat[0]*math.Pi/180 - p.lon0
	// Keep the longitude difference in (-π, π] so data near the antimeridian
	// stays near the central meridian.
	if dlon > math.Pi {
		dlon -= 2 * math.Pi
	} else if dlon <= -math.Pi {
		dlon += 2 * math.Pi
	}
	sin, cos := math.Sincos(phi)
	n := wgs84A / math.Sqrt(1-wgs84E2*sin*sin)
	tan := 0.0
	if cos != 0 {
		tan = sin / cos
	}
	t := tan * tan
	c := p.ep2 * cos * cos
	a := dlon * cos
	a2 := a * a
	x := n * a * (1 + a2*((1-t+c)/6+a2*(5-18*t+t*t+72*c-58*p.ep2)/120))                                       // 8-9
	y := p.meridian(phi) - p.m0 + n*tan*a2*(0.5+a2*((5-t+9*c+4*c*c)/24+a2*(61-58*t+t*t+600*c-330*p.ep2)/720)) // 8-10
	return orb.Point{x, y}
}

// Inverse maps a projected point in metres back to longitude/latitude
// (degrees).
func (p *Projection) Inverse(xy orb.Point) orb.Point {
	e2 := wgs84E2
	m := p.m0 + xy[1]
	mu := m / (wgs84A * p.mc0)                                                                                 // 7-19
	phi1 := mu + p.e1c2*math.Sin(2*mu) + p.e1c4*math.Sin(4*mu) + p.e1c6*math.Sin(6*mu) + p.e1c8*math.Sin(8*mu) // 3-26
	// Series 3-26 inverts 3-21 only to O(e⁸): about 1e-4 m, enough for
	// mapping but not for an exact round trip. Two Newton steps on
	// meridian(φ1) = m, with dM/dφ = a(1−e²)/(1−e²sin²φ)^(3/2), make the
	// footpoint latitude consistent with Forward to rounding error.
	for range 2 {
		s := math.Sin(phi1)
		w := 1 - e2*s*s
		phi1 -= (p.meridian(phi1) - m) * w * math.Sqrt(w) / (wgs84A * (1 - e2))
	}
	sin, cos := math.Sincos(phi1)
	if cos == 0 { // at a pole every longitude is the same point
		return orb.Point{p.lon0 * 180 / math.Pi, math.Copysign(90, phi1)}
	}
	tan := sin / cos
	w := 1 - e2*sin*sin
	n1 := wgs84A / math.Sqrt(w)
	r1 := wgs84A * (1 - e2) / (w * math.Sqrt(w))
	c1 := p.ep2 * cos * cos
	t1 := tan * tan
	d := xy[0] / n1
	d2 := d * d
	phi := phi1 - (n1*tan/r1)*d2*(0.5-d2*((5+3*t1+10*c1-4*c1*c1-9*p.ep2)/24-d2*(61+90*t1+298*c1+45*t1*t1-252*p.ep2-3*c1*c1)/720)) // 8-17
	lon := p.lon0 + d*(1-d2*((1+2*t1+c1)/6-d2*(5-2*c1+28*t1-3*c1*c1+8*p.ep2+24*t1*t1)/120))/cos                                   // 8-18
	lonDeg := lon * 180 / math.Pi
	if lonDeg > 180 {
		lonDeg -= 360
	} else if lonDeg < -180 {
		lonDeg += 360
	}
	return orb.Point{lonDeg, phi * 180 / math.Pi}
}

// Geometry returns a copy of g (longitude/latitude) projected to metres.
// g is not modified. Unknown geometry types and nil give nil.
func (p *Projection) Geometry(g orb.Geometry) orb.Geometry {
	return mapGeometry(g, p.Forward)
}

// Unproject returns a copy of g (metres) mapped back to longitude/latitude.
// g is not modified.
func (p *Projection) Unproject(g orb.Geometry) orb.Geometry {
	return mapGeometry(g, p.Inverse)
}

// mapGeometry returns a deep copy of g with every point replaced by f(point).
func mapGeometry(g orb.Geometry, f func(orb.Point) orb.Point) orb.Geometry {
	mapPoints := func(ps []orb.Point) []orb.Point {
		if ps == nil {
			return nil
		}
		out := make([]orb.Point, len(ps))
		for i, pt := range ps {
			out[i] = f(pt)
		}
		return out
	}
	mapRings := func(rs []orb.Ring) []orb.Ring {
		if rs == nil {
			return nil
		}
		out := make([]orb.Ring, len(rs))
		for i, r := range rs {
			out[i] = orb.Ring(mapPoints(r))
		}
		return out
	}
	switch g := g.(type) {
	case nil:
		return nil
	case orb.Point:
		return f(g)
	case orb.MultiPoint:
		return orb.MultiPoint(mapPoints(g))
	case orb.LineString:
		return orb.LineString(mapPoints(g))
	case orb.MultiLineString:
		if g == nil {
			return orb.MultiLineString(nil)
		}
		out := make(orb.MultiLineString, len(g))
		for i, ls := range g {
			out[i] = orb.LineString(mapPoints(ls))
		}
		return out
	case orb.Ring:
		return orb.Ring(mapPoints(g))
	case orb.Polygon:
		return orb.Polygon(mapRings(g))
	case orb.MultiPolygon:
		if g == nil {
			return orb.MultiPolygon(nil)
		}
		out := make(orb.MultiPolygon, len(g))
		for i, pg := range g {
			out[i] = orb.Polygon(mapRings(pg))
		}
		return out
	case orb.Collection:
		if g == nil {
			return orb.Collection(nil)
		}
		out := make(orb.Collection, len(g))
		for i, c := range g {
			out[i] = mapGeometry(c, f)
		}
		return out
	case orb.Bound:
		// A bound does not stay a bound under projection; return the bound
		// of its mapped corners and edge midpoints.
		b := orb.Bound{Min: f(g.Min), Max: f(g.Min)}
		mid := g.Center()
		for _, pt := range []orb.Point{g.Max, {g.Min[0], g.Max[1]}, {g.Max[0], g.Min[1]},
			{mid[0], g.Min[1]}, {mid[0], g.Max[1]}, {g.Min[0], mid[1]}, {g.Max[0], mid[1]}} {
			b = b.Extend(f(pt))
		}
		return b
	}
	return nil
}

// CenterOf returns the centre of the bounding box of the buildings'
// geometries, in longitude/latitude: a deterministic centre for
// [NewProjection]. It returns (0, 0) when there is no geometry.
func CenterOf(bs []Building) orb.Point {
	var b orb.Bound
	seen := false
	for _, bl := range bs {
		if bl.Geometry == nil {
			continue
		}
		gb := shape.GeometryBound(bl.Geometry)
		if !seen {
			b, seen = gb, true
		} else {
			b = b.Union(gb)
		}
	}
	if !seen {
		return orb.Point{}
	}
	return b.Center()
}

// CenterOfRegions is [CenterOf] for regions (communities, compounds).
func CenterOfRegions(rs []Region) orb.Point {
	var b orb.Bound
	seen := false
	for _, r := range rs {
		if len(r.Geometry) == 0 {
			continue
		}
		gb := shape.GeometryBound(r.Geometry)
		if !seen {
			b, seen = gb, true
		} else {
			b = b.Union(gb)
		}
	}
	if !seen {
		return orb.Point{}
	}
	return b.Center()
}
