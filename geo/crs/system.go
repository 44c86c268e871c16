package crs

import (
	"fmt"
	"math"
	"strconv"

	"github.com/paulmach/orb"
)

// kind is the family of a System.
type kind uint8

const (
	geographic  kind = iota // longitude/latitude, WGS 84 or CGCS2000
	gaussKruger             // CGCS2000 transverse Mercator, scale 1
	utm                     // WGS 84 / UTM north
	gcj02                   // Amap/Tencent offset longitude/latitude
	bd09                    // Baidu offset longitude/latitude
	webMercator             // WGS 84 / Pseudo-Mercator, spherical
)

// A System is one coordinate reference system that gridplan reads and
// writes. It is a small comparable value: two Systems are the same system
// if and only if they are ==. The zero System is [WGS84], the system of
// GeoJSON (RFC 7946).
//
// Coordinates are always in "traditional GIS order": x is the longitude or
// easting, y the latitude or northing, whatever axis order the EPSG
// definition states (EPSG:4326 and the Gauss–Krüger systems list north
// first; shapefiles, GeoPackages and GeoJSON store east first).
type System struct {
	kind   kind
	cgcs   bool  // geographic: CGCS2000 (EPSG:4490) rather than WGS 84
	width  uint8 // gaussKruger: zone width, 3 or 6 degrees
	prefix bool  // gaussKruger: the false easting carries the zone number
	zone   uint8 // gaussKruger and utm: zone number
}

// The systems that have no zone.
var (
	WGS84    = System{}                             // EPSG:4326
	CGCS2000 = System{kind: geographic, cgcs: true} // EPSG:4490
	GCJ02    = System{kind: gcj02}                  // Amap, Tencent; no EPSG code
	BD09     = System{kind: bd09}                   // Baidu; no EPSG code
	// WebMercator is the spherical Mercator of web maps (EPSG:3857; also
	// EPSG:900913 and 3785, ESRI:102100 and 102113).
	WebMercator = System{kind: webMercator}
)

// Gauss–Krüger zones of the CGCS2000 EPSG systems: 3° zones 25–45 (central
// meridian 3·zone, 75°E–135°E), 6° zones 13–23 (central meridian
// 6·zone − 3, 75°E–135°E).
const (
	minZone3, maxZone3 = 25, 45
	minZone6, maxZone6 = 13, 23
)

// GaussKruger returns the CGCS2000 Gauss–Krüger system of a zone: width is
// 3 or 6 (degrees), zone is 25–45 for 3° zones and 13–23 for 6° zones, and
// prefix tells whether the false easting carries the zone number
// (zone·1,000,000 + 500,000 m) or not (500,000 m).
func GaussKruger(width, zone int, prefix bool) (System, error) {
	lo, hi := minZone3, maxZone3
	if width == 6 {
		lo, hi = minZone6, maxZone6
	}
	switch {
	case width != 3 && width != 6:
		return System{}, fmt.Errorf("%w: Gauss-Kruger zones are 3 or 6 degrees wide, not %d", ErrUnknown, width)
	case zone < lo || zone > hi:
		return System{}, fmt.Errorf("%w: CGCS2000 %d-degree Gauss-Kruger zone %d is not one of China's (%d–%d)",
			ErrUnknown, width, zone, lo, hi)
	}
	return System{kind: gaussKruger, width: uint8(width), zone: uint8(zone), prefix: prefix}, nil
}

// UTM returns the WGS 84 / UTM north system of zone 1–60 (EPSG:32601–32660).
func UTM(zone int) (System, error) {
	if zone < 1 || zone > 60 {
		return System{}, fmt.Errorf("%w: UTM zone %d is not 1–60", ErrUnknown, zone)
	}
	return System{kind: utm, zone: uint8(zone)}, nil
}

// coded returns every system that has an EPSG code, in code order.
func coded() []System {
	out := []System{WebMercator, WGS84, CGCS2000}
	for _, f := range []struct {
		width, lo, hi int
		prefix        bool
	}{{6, minZone6, maxZone6, true}, {6, minZone6, maxZone6, false}, {3, minZone3, maxZone3, true}, {3, minZone3, maxZone3, false}} {
		for z := f.lo; z <= f.hi; z++ {
			s, _ := GaussKruger(f.width, z, f.prefix)
			out = append(out, s)
		}
	}
	for z := 1; z <= 60; z++ {
		s, _ := UTM(z)
		out = append(out, s)
	}
	return out
}

// EPSG returns the system's EPSG code, or 0 for GCJ-02 and BD-09, which
// have none.
func (s System) EPSG() int {
	z := int(s.zone)
	switch s.kind {
	case geographic:
		if s.cgcs {
			return 4490
		}
		return 4326
	case gaussKruger:
		switch {
		case s.width == 3 && s.prefix:
			return epsgGK3Prefix + z - minZone3
		case s.width == 3:
			return epsgGK3 + z - minZone3
		case s.prefix:
			return epsgGK6Prefix + z - minZone6
		default:
			return epsgGK6 + z - minZone6
		}
	case utm:
		return epsgUTMNorth + z
	case webMercator:
		return epsgWebMercator
	}
	return 0
}

// Name returns the system's EPSG name (as in the EPSG dataset and GDAL,
// e.g. "CGCS2000 / 3-degree Gauss-Kruger zone 39"), or "GCJ-02" or
// "BD-09".
func (s System) Name() string {
	switch s.kind {
	case geographic:
		if s.cgcs {
			return "China Geodetic Coordinate System 2000"
		}
		return "WGS 84"
	case gaussKruger:
		width := ""
		if s.width == 3 {
			width = "3-degree "
		}
		if s.prefix {
			return fmt.Sprintf("CGCS2000 / %sGauss-Kruger zone %d", width, s.zone)
		}
		return fmt.Sprintf("CGCS2000 / %sGauss-Kruger CM %dE", width, int(s.CentralMeridian()))
	case utm:
		return fmt.Sprintf("WGS 84 / UTM zone %dN", s.zone)
	case gcj02:
		return "GCJ-02"
	case bd09:
		return "BD-09"
	case webMercator:
		return "WGS 84 / Pseudo-Mercator"
	}
	panic("crs: invalid System") // unreachable: Systems are built only here
}

// String returns the system's short name, the one [Parse] reads back:
// "EPSG:<code>" (e.g. "EPSG:4527"), or "gcj02" or "bd09".
func (s System) String() string {
	switch s.kind {
	case gcj02:
		return "gcj02"
	case bd09:
		return "bd09"
	}
	return "EPSG:" + strconv.Itoa(s.EPSG())
}

// Geographic reports whether the system's coordinates are longitude and
// latitude in degrees: WGS 84, CGCS2000, GCJ-02 and BD-09. The others are
// projected, in metres.
func (s System) Geographic() bool {
	return s.kind == geographic || s.kind == gcj02 || s.kind == bd09
}

// Identity reports whether [System.ToLonLat] and [System.FromLonLat]
// return their argument unchanged: WGS 84 and CGCS2000 longitude/latitude.
func (s System) Identity() bool { return s.kind == geographic }

// CentralMeridian returns the central meridian of a projected system in
// degrees east (0 for Web Mercator), or 0 for a geographic one.
func (s System) CentralMeridian() float64 {
	switch s.kind {
	case gaussKruger:
		if s.width == 3 {
			return 3 * float64(s.zone)
		}
		return 6*float64(s.zone) - 3
	case utm:
		return 6*float64(s.zone) - 183
	}
	return 0
}

// FalseEasting returns the false easting of a projected system in metres
// (zone·1,000,000 + 500,000 with the zone prefix, else 500,000; 0 for Web
// Mercator), or 0 for a geographic one.
func (s System) FalseEasting() float64 {
	switch {
	case s.kind == gaussKruger && s.prefix:
		return float64(s.zone)*1e6 + 500000
	case s.kind == gaussKruger, s.kind == utm:
		return 500000
	}
	return 0
}

// ScaleFactor returns the scale on the central meridian of a projected
// system: 1 for Gauss–Krüger and Web Mercator, 0.9996 for UTM; 0 for a
// geographic one.
func (s System) ScaleFactor() float64 {
	switch s.kind {
	case gaussKruger, webMercator:
		return 1
	case utm:
		return 0.9996
	}
	return 0
}

func (s System) ellipsoid() *ellipsoid {
	if s.kind == utm {
		return wgs84Ellipsoid
	}
	return cgcs2000Ellipsoid
}

const deg = math.Pi / 180

// ToLonLat converts a point of the system to WGS 84 longitude/latitude in
// degrees. CGCS2000 and WGS 84 are treated as the same frame: their
// realisations differ by a few centimetres, well below the accuracy of the
// building and boundary layers gridplan works with, and no transformation
// between them is published for general use. GCJ-02 and BD-09 are
// inverted iteratively to better than 1e-10 degree (about 10 µm). Web
// Mercator's latitude is taken as WGS 84's, as EPSG:3857 defines it.
func (s System) ToLonLat(p orb.Point) orb.Point {
	switch s.kind {
	case geographic:
		return p
	case gaussKruger, utm:
		k := s.ScaleFactor()
		phi, lam := s.ellipsoid().inverse((p[0]-s.FalseEasting())/k, p[1]/k)
		return orb.Point{s.CentralMeridian() + lam/deg, phi / deg}
	case gcj02:
		lon, lat := gcjToWGS(p[0], p[1])
		return orb.Point{lon, lat}
	case bd09:
		lon, lat := bdToGCJ(p[0], p[1])
		lon, lat = gcjToWGS(lon, lat)
		return orb.Point{lon, lat}
	case webMercator:
		return mercToLonLat(p)
	}
	panic("crs: invalid System") // unreachable: Systems are built only here
}

// FromLonLat converts WGS 84 longitude/latitude in degrees (|lat| ≤ 90) to
// the system; it is the inverse of [System.ToLonLat].
func (s System) FromLonLat(p orb.Point) orb.Point {
	switch s.kind {
	case geographic:
		return p
	case gaussKruger, utm:
		dlon := math.Remainder(p[0]-s.CentralMeridian(), 360)
		x, y := s.ellipsoid().forward(p[1]*deg, dlon*deg)
		k := s.ScaleFactor()
		return orb.Point{k*x + s.FalseEasting(), k * y}
	case gcj02:
		lon, lat := wgsToGCJ(p[0], p[1])
		return orb.Point{lon, lat}
	case bd09:
		lon, lat := wgsToGCJ(p[0], p[1])
		lon, lat = gcjToBD(lon, lat)
		return orb.Point{lon, lat}
	case webMercator:
		return mercFromLonLat(p)
	}
	panic("crs: invalid System") // unreachable: Systems are built only here
}

// ZoneAt returns the system of s's family (Gauss–Krüger of its width and
// zone numbering, or UTM) whose zone holds longitude lon, and whether
// there is one: false for a geographic system or Web Mercator (which has
// no zones), or a longitude outside the family's zones.
func (s System) ZoneAt(lon float64) (System, bool) {
	switch s.kind {
	case gaussKruger:
		zone := int(math.Round(lon / 3))
		if s.width == 6 {
			zone = int(math.Floor(lon/6)) + 1
		}
		z, err := GaussKruger(int(s.width), zone, s.prefix)
		return z, err == nil
	case utm:
		z, err := UTM(int(math.Floor((lon+180)/6)) + 1)
		return z, err == nil
	}
	return System{}, false
}
