package crs

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// The extent a projected layer may have. A 6° zone reaches 3° of
// longitude, at most 334 km, from its central meridian (at the equator;
// 317 km at 18°N, the south of Hainan); 400 km also admits layers that run
// some way past a zone's edge, as a city on the edge is often kept in one
// zone. Northings are those of the northern hemisphere.
const (
	maxFromCentralMeridianM = 400e3
	maxNorthingM            = 10e6
)

// Check reports whether the extent b of a layer's coordinates, in the
// system's own units, can be in the system: longitude in [-180, 180] and
// latitude in [-90, 90] for WGS 84 and CGCS2000; the same within the
// rectangle where the offset applies (72.004°–137.8347°E,
// 0.8293°–55.8271°N) for GCJ-02 and BD-09; for a projected system,
// eastings within 400 km of the false easting (zone·1,000,000 + 500,000 m
// with the zone prefix, else 500,000 m) and northings in [0, 10,000,000);
// for Web Mercator, the metres of 70°E–140°E, 0°–60°N (China, with a
// margin: eastings 7,792,364…15,584,729 m, northings 0…8,399,738 m).
// If they cannot, the error wraps [ErrMismatch] and says what the system
// expects and what the extent looks like, e.g. "crs: coordinates do not
// fit the coordinate system: EPSG:4527 expects eastings 39,100,000…39,900,000 m
// (zone 39 prefix) and northings 0…10,000,000 m; the layer's extent is
// 116.3…116.5, 39.9…40, which looks like longitude/latitude".
func (s System) Check(b orb.Bound) error {
	if s.fits(b) {
		return nil
	}
	return fmt.Errorf("%w: %s expects %s; the layer's extent is %s…%s, %s…%s%s", ErrMismatch, s, s.expects(),
		coord(b.Min[0]), coord(b.Max[0]), coord(b.Min[1]), coord(b.Max[1]), s.looksLike(b))
}

// fits is Check's test.
func (s System) fits(b orb.Bound) bool {
	for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	in := func(lo, hi float64, v ...float64) bool {
		for _, x := range v {
			if x < lo || x > hi {
				return false
			}
		}
		return true
	}
	switch s.kind {
	case geographic:
		return in(-180, 180, b.Min[0], b.Max[0]) && in(-90, 90, b.Min[1], b.Max[1])
	case gcj02, bd09:
		return in(gcjMinLon, gcjMaxLon, b.Min[0], b.Max[0]) && in(gcjMinLat, gcjMaxLat, b.Min[1], b.Max[1])
	case webMercator:
		lo, hi := mercExtent()
		return in(lo[0], hi[0], b.Min[0], b.Max[0]) && in(lo[1], hi[1], b.Min[1], b.Max[1])
	}
	fe := s.FalseEasting()
	return in(fe-maxFromCentralMeridianM, fe+maxFromCentralMeridianM, b.Min[0], b.Max[0]) &&
		in(0, maxNorthingM, b.Min[1], b.Max[1]) && b.Max[1] < maxNorthingM
}

// expects says what Check wants.
func (s System) expects() string {
	switch s.kind {
	case geographic:
		return "longitudes -180…180 and latitudes -90…90 (degrees)"
	case gcj02, bd09:
		return fmt.Sprintf("longitudes %s…%s and latitudes %s…%s (degrees, where the GCJ-02 offset applies)",
			coord(gcjMinLon), coord(gcjMaxLon), coord(gcjMinLat), coord(gcjMaxLat))
	case webMercator:
		lo, hi := mercExtent()
		return fmt.Sprintf("eastings %s…%s m and northings %s…%s m (Web Mercator of %d°E–%d°E, %d°–%d°N: China)",
			coord(lo[0]), coord(hi[0]), coord(lo[1]), coord(hi[1]), mercMinLon, mercMaxLon, mercMinLat, mercMaxLat)
	}
	fe := s.FalseEasting()
	e := fmt.Sprintf("eastings %s…%s m", coord(fe-maxFromCentralMeridianM), coord(fe+maxFromCentralMeridianM))
	if s.prefix {
		e += fmt.Sprintf(" (zone %d prefix)", s.zone)
	}
	return e + " and northings 0…" + coord(maxNorthingM) + " m"
}

// looksLike says what the extent b fits, for Check's error, or "".
func (s System) looksLike(b orb.Bound) string {
	ss := Suggest(b)
	swapped := orb.Bound{Min: orb.Point{b.Min[1], b.Min[0]}, Max: orb.Point{b.Max[1], b.Max[0]}}
	switch {
	case len(ss) == 0 && s.kind == gaussKruger && s.fits(swapped):
		return ", which looks like " + s.String() + " with the axes swapped: northings first, as surveyors write X and Y; swap the coordinates of the layer"
	case len(ss) == 0 && len(Suggest(swapped)) > 0 && Suggest(swapped)[0].kind == gaussKruger:
		t := Suggest(swapped)[0]
		return fmt.Sprintf(", which looks like %s (%s) with the axes swapped: northings first, as surveyors write X and Y; swap the coordinates of the layer", t, t.Name())
	case len(ss) > 0 && !ss[0].Geographic():
		var names []string
		for _, x := range ss {
			if !x.Geographic() {
				names = append(names, fmt.Sprintf("%s (%s)", x, x.Name()))
			}
		}
		return ", which looks like " + strings.Join(names, " or ")
	case len(ss) > 0 && s.Geographic():
		return ", which is outside the area where the GCJ-02 offset applies"
	case len(ss) > 0:
		return ", which looks like longitude/latitude (EPSG:4326 or EPSG:4490)"
	case WGS84.fits(orb.Bound{Min: orb.Point{b.Min[1], b.Min[0]}, Max: orb.Point{b.Max[1], b.Max[0]}}):
		return ", which looks like latitude/longitude, the axes swapped"
	case noPrefix.fits(b):
		return ", which looks like Gauss–Krüger or UTM metres without a zone prefix; the zone cannot be told " +
			"from such coordinates (EPSG:4534–4554 are the CGCS2000 3° zones by central meridian, 75°E–135°E)" + s.mercatorAt(b)
	}
	return s.mercatorAt(b)
}

// mercatorAt says, for Web Mercator metres outside China, where they lie,
// or "".
func (s System) mercatorAt(b orb.Bound) string {
	c := b.Center()
	if s.kind != webMercator || math.Abs(c[0]) > math.Pi*webMercatorR || math.Abs(c[1]) > math.Pi*webMercatorR ||
		math.Max(math.Abs(c[0]), math.Abs(c[1])) < 1e4 {
		return ""
	}
	ll := s.ToLonLat(c)
	return fmt.Sprintf("; as Web Mercator they lie at %.2f°, %.2f° (longitude, latitude), outside China", ll[0], ll[1])
}

// noPrefix stands for every Gauss–Krüger and UTM system without zone
// prefix: they expect the same coordinates.
var noPrefix = System{kind: gaussKruger, width: 3, zone: 39}

// Suggest returns the systems whose [System.Check] passes for the extent
// b, most likely first: Web Mercator for its metres in China; the
// Gauss–Krüger zone with zone prefix that b's eastings name (39,4xx,xxx m
// → EPSG:4527); or WGS 84, CGCS2000, GCJ-02 and BD-09 for longitudes and
// latitudes (the last two only in China).
//
// Web Mercator eastings of 117.7°E–124.9°E (13,100,000–13,900,000 m) are
// also those of the 6° Gauss–Krüger zone 13 with prefix (central meridian
// 75°E), and a few farther east those of zones 14 and 15: both are
// returned, Web Mercator first, as web data of the eastern cities is far
// more common than layers in the 6° zones of the far west (3° zones serve
// cities).
//
// It never suggests a system without zone prefix (Gauss–Krüger CM
// systems, UTM): eastings of 100,000–900,000 m fit all of their zones
// alike, so the zone cannot be told from the coordinates, and for such an
// extent Suggest returns none; Check's error says so.
func Suggest(b orb.Bound) []System {
	var out []System
	if WebMercator.fits(b) {
		out = append(out, WebMercator)
	}
	if b.Min[0] > 1e6 {
		for _, s := range coded() {
			if s.kind == gaussKruger && s.prefix && s.fits(b) {
				out = append(out, s)
			}
		}
	}
	for _, s := range []System{WGS84, CGCS2000, GCJ02, BD09} {
		if s.fits(b) {
			out = append(out, s)
		}
	}
	return out
}

// coord formats a coordinate for a message: metres (|v| ≥ 1000) as whole
// numbers with thousands separators, degrees to 1e-6 (0.1 m).
func coord(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) < 1000 {
		return strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
	}
	digits := strconv.FormatFloat(math.Abs(math.Round(v)), 'f', 0, 64)
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
	}
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
