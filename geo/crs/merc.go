package crs

import (
	"math"

	"github.com/paulmach/orb"
)

// Web Mercator (EPSG:3857, "Popular Visualisation Pseudo Mercator", EPSG
// method 1024) is the Mercator projection of a sphere of radius WGS 84's
// semi-major axis, applied to WGS 84 longitude and latitude as they are
// (IOGP Guidance Note 7-2, §3.5.1.1):
//
//	x = R·λ,  y = R·ln(tan(π/4 + φ/2))
//	λ = x/R,  φ = 2·atan(exp(y/R)) − π/2
//
// with no false easting or northing. The latitude formulas are computed in
// the equal forms y = R·asinh(tan φ) and φ = atan(sinh(y/R)), which lose
// no digits near the equator; a point goes there and back to within 1e-13
// degree.
const webMercatorR = 6378137

// mercFromLonLat projects longitude/latitude in degrees (|lat| ≤ 90; at the
// poles y is large but finite).
func mercFromLonLat(p orb.Point) orb.Point {
	return orb.Point{webMercatorR * p[0] * deg, webMercatorR * math.Asinh(math.Tan(p[1]*deg))}
}

// mercToLonLat is the inverse of mercFromLonLat.
func mercToLonLat(p orb.Point) orb.Point {
	return orb.Point{p[0] / webMercatorR / deg, math.Atan(math.Sinh(p[1]/webMercatorR)) / deg}
}

// The extent a Web Mercator layer may have: China with the margin the
// Gauss–Krüger zones give it (70°E–140°E, 0°–60°N), in metres. Web
// Mercator reaches round the world, but a layer of a Chinese district
// outside this range is one in other coordinates (Gauss–Krüger without
// zone prefix, longitude/latitude) labelled as Web Mercator.
const (
	mercMinLon, mercMaxLon = 70, 140
	mercMinLat, mercMaxLat = 0, 60
)

// mercExtent returns the corners of the Web Mercator extent Check accepts.
func mercExtent() (lo, hi orb.Point) {
	return mercFromLonLat(orb.Point{mercMinLon, mercMinLat}), mercFromLonLat(orb.Point{mercMaxLon, mercMaxLat})
}
