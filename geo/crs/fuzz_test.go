package crs_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"

	"gridplan/geo/crs"
)

// go test -fuzz=FuzzParse ./geo/crs
func FuzzParse(f *testing.F) {
	for _, s := range []string{"EPSG:4326", "4527", "urn:ogc:def:crs:EPSG::4527", "urn:ogc:def:crs:OGC:1.3:CRS84",
		"http://www.opengis.net/def/crs/EPSG/0/4548", "gcj-02", "BD09", "EPSG:2401", "epsg:99999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := crs.Parse(in)
		if err != nil {
			return // rejecting input is fine; panicking is not
		}
		if back, err := crs.Parse(s.String()); err != nil || back != s {
			t.Errorf("Parse(%q) = %v, but Parse(%q) = %v, %v", in, s, s.String(), back, err)
		}
	})
}

// go test -fuzz=FuzzFromWKT ./geo/crs
func FuzzFromWKT(f *testing.F) {
	files, _ := filepath.Glob("testdata/wkt/*")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(string(data))
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := crs.FromWKT(in)
		if err != nil {
			return
		}
		if back, err := crs.FromWKT(s.WKT()); err != nil || back != s {
			t.Errorf("FromWKT(%q) = %v, but FromWKT of its WKT = %v, %v", in, s, back, err)
		}
	})
}

// fuzzSystems are the systems FuzzConvert picks from.
var fuzzSystems = []string{"EPSG:4326", "EPSG:4490", "gcj02", "bd09", "EPSG:4527", "EPSG:4548", "EPSG:4491", "EPSG:4501",
	"EPSG:4513", "EPSG:4554", "EPSG:32601", "EPSG:32650", "EPSG:32660", "EPSG:3857"}

// go test -fuzz=FuzzConvert ./geo/crs
//
// FromLonLat gives no NaN for any longitude in [-180, 180] and latitude
// in [-90, 90], and ToLonLat none for any point its system's Check
// accepts.
func FuzzConvert(f *testing.F) {
	f.Add(uint8(4), 117.0, 40.0)
	f.Add(uint8(4), 39500000.0, 4429000.0)
	f.Add(uint8(5), 297.0, 0.0)
	f.Add(uint8(2), 72.004, 55.8271)
	f.Add(uint8(3), 137.8347, 0.8293)
	f.Add(uint8(11), -63.0, -90.0)
	f.Add(uint8(4), 27.0, 0.0) // 90° from the central meridian, on the equator
	f.Add(uint8(4), -153.0, 0.0)
	f.Add(uint8(4), 117.0, 90.0)
	f.Add(uint8(4), -63.0, -90.0)
	f.Fuzz(func(t *testing.T, i uint8, x, y float64) {
		s := mustParse(t, fuzzSystems[int(i)%len(fuzzSystems)])
		p := orb.Point{x, y}
		if math.Abs(x) <= 180 && math.Abs(y) <= 90 {
			if q := s.FromLonLat(p); math.IsNaN(q[0]) || math.IsNaN(q[1]) {
				t.Errorf("%v.FromLonLat(%v) = %v", s, p, q)
			}
		}
		if s.Check(orb.Bound{Min: p, Max: p}) == nil {
			if q := s.ToLonLat(p); math.IsNaN(q[0]) || math.IsNaN(q[1]) {
				t.Errorf("%v.ToLonLat(%v) = %v", s, p, q)
			}
		}
	})
}
