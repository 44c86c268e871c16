package crs_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"gridplan/geo/crs"
)

// gdalGK is, for each CGCS2000 Gauss–Krüger code, its central meridian
// and false easting as the EPSG dataset has them, produced once with
//
//	for n in $(seq 4491 4554); do gdalsrsinfo -o proj4 EPSG:$n; done
//
// (GDAL 3.6.2, PROJ 9.1; all have k=1, ellps=GRS80 — CGCS2000's a and f).
const gdalGK = `4491:75:13500000 4492:81:14500000 4493:87:15500000 4494:93:16500000 4495:99:17500000
4496:105:18500000 4497:111:19500000 4498:117:20500000 4499:123:21500000 4500:129:22500000 4501:135:23500000
4502:75:500000 4503:81:500000 4504:87:500000 4505:93:500000 4506:99:500000 4507:105:500000 4508:111:500000
4509:117:500000 4510:123:500000 4511:129:500000 4512:135:500000 4513:75:25500000 4514:78:26500000
4515:81:27500000 4516:84:28500000 4517:87:29500000 4518:90:30500000 4519:93:31500000 4520:96:32500000
4521:99:33500000 4522:102:34500000 4523:105:35500000 4524:108:36500000 4525:111:37500000 4526:114:38500000
4527:117:39500000 4528:120:40500000 4529:123:41500000 4530:126:42500000 4531:129:43500000 4532:132:44500000
4533:135:45500000 4534:75:500000 4535:78:500000 4536:81:500000 4537:84:500000 4538:87:500000 4539:90:500000
4540:93:500000 4541:96:500000 4542:99:500000 4543:102:500000 4544:105:500000 4545:108:500000 4546:111:500000
4547:114:500000 4548:117:500000 4549:120:500000 4550:123:500000 4551:126:500000 4552:129:500000
4553:132:500000 4554:135:500000`

func TestGaussKrugerCodes(t *testing.T) {
	for _, f := range strings.Fields(gdalGK) {
		var code int
		var cm, fe float64
		if _, err := fmt.Sscanf(f, "%d:%g:%g", &code, &cm, &fe); err != nil {
			t.Fatal(err)
		}
		s := mustParse(t, fmt.Sprint(code))
		if s.EPSG() != code || s.CentralMeridian() != cm || s.FalseEasting() != fe || s.ScaleFactor() != 1 || s.Geographic() {
			t.Errorf("Parse(%d) = %v: EPSG %d, central meridian %g, false easting %g, scale %g; want %d, %g, %g, 1",
				code, s, s.EPSG(), s.CentralMeridian(), s.FalseEasting(), s.ScaleFactor(), code, cm, fe)
		}
	}
}

// allCoded returns every system with an EPSG code.
func allCoded(t *testing.T) []crs.System {
	out := []crs.System{crs.WebMercator, crs.WGS84, crs.CGCS2000}
	for code := 4491; code <= 4554; code++ {
		out = append(out, mustParse(t, fmt.Sprint(code)))
	}
	for code := 32601; code <= 32660; code++ {
		out = append(out, mustParse(t, fmt.Sprint(code)))
	}
	return out
}

// TestStringParse: String, the EPSG code and the definitions read back as
// the same system.
func TestStringParse(t *testing.T) {
	for _, s := range append(allCoded(t), crs.GCJ02, crs.BD09) {
		if got, err := crs.Parse(s.String()); err != nil || got != s {
			t.Errorf("Parse(%q) = %v, %v; want %v", s.String(), got, err, s)
		}
		if s.EPSG() == 0 {
			continue
		}
		for _, def := range []string{s.WKT(), s.ESRIWKT()} {
			if got, err := crs.FromWKT(def); err != nil || got != s {
				t.Errorf("FromWKT(%s) = %v, %v; want %v", def, got, err, s)
			}
		}
	}
}

// compactWKT removes the line breaks and indentation gdalsrsinfo puts
// between a definition's nodes.
func compactWKT(s string) string {
	var b strings.Builder
	quoted := false
	for _, r := range s {
		if r == '"' {
			quoted = !quoted
		}
		if quoted || !strings.ContainsRune(" \t\r\n", r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestDefinitionsAreGDALs: WKT is what GDAL writes in a GeoPackage and
// ESRIWKT what it writes in a .prj (testdata/wkt/README.md). Every
// system's were also checked once against GDAL 3.6.2: WKT equals
// `gdalsrsinfo --single-line -o wkt1 EPSG:n`, and `gdalsrsinfo -e` finds
// EPSG:n from ESRIWKT.
func TestDefinitionsAreGDALs(t *testing.T) {
	for _, code := range []int{3857, 4326, 4490, 4499, 4509, 4527, 4548, 32650} {
		s := mustParse(t, fmt.Sprint(code))
		for ext, got := range map[string]string{"wkt1": s.WKT(), "esri": s.ESRIWKT()} {
			want, err := os.ReadFile(fmt.Sprintf("testdata/wkt/%d.%s", code, ext))
			if err != nil {
				t.Fatal(err)
			}
			if got != compactWKT(string(want)) {
				t.Errorf("%v as %s:\n%s\nwant\n%s", s, ext, got, compactWKT(string(want)))
			}
		}
	}
	for _, s := range []crs.System{crs.GCJ02, crs.BD09} {
		if s.WKT() != crs.WGS84.WKT() || s.ESRIWKT() != crs.WGS84.ESRIWKT() || s.SpatialRefSys() != crs.WGS84.SpatialRefSys() {
			t.Errorf("%v: definitions are not WGS 84's", s)
		}
	}
}

// TestSpatialRefSys compares with the gpkg_spatial_ref_sys rows
// `ogr2ogr -f GPKG out.gpkg in.geojson -t_srs EPSG:n` writes (GDAL 3.6.2).
func TestSpatialRefSys(t *testing.T) {
	for _, tc := range []struct {
		code              int
		name, description string
	}{
		{4326, "WGS 84 geodetic", "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"},
		{4490, "China Geodetic Coordinate System 2000", ""},
		{4527, "CGCS2000 / 3-degree Gauss-Kruger zone 39", ""},
		{3857, "WGS 84 / Pseudo-Mercator", ""},
	} {
		s := mustParse(t, fmt.Sprint(tc.code))
		want := crs.SpatialRefSys{Name: tc.name, ID: tc.code, Organization: "EPSG", OrgID: tc.code, Definition: s.WKT(), Description: tc.description}
		if got := s.SpatialRefSys(); got != want {
			t.Errorf("%v.SpatialRefSys() = %+v, want %+v", s, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // String() of the result, or the error's sentinel
	}{
		{"EPSG:4326", "EPSG:4326"}, {"epsg:4490", "EPSG:4490"}, {"4527", "EPSG:4527"}, {" 4527\n", "EPSG:4527"},
		{"urn:ogc:def:crs:EPSG::4527", "EPSG:4527"}, {"urn:ogc:def:crs:EPSG:9.8.15:4527", "EPSG:4527"},
		{"http://www.opengis.net/def/crs/EPSG/0/4548", "EPSG:4548"},
		{"urn:ogc:def:crs:OGC:1.3:CRS84", "EPSG:4326"}, {"CRS84", "EPSG:4326"}, {"WGS84", "EPSG:4326"}, {"WGS 84", "EPSG:4326"},
		{"cgcs2000", "EPSG:4490"}, {"CGCS2000", "EPSG:4490"},
		{"gcj02", "gcj02"}, {"GCJ-02", "gcj02"}, {"bd09", "bd09"}, {"BD-09", "bd09"},
		{"EPSG:4491", "EPSG:4491"}, {"EPSG:4554", "EPSG:4554"}, {"EPSG:32601", "EPSG:32601"}, {"EPSG:32660", "EPSG:32660"},
		{"EPSG:2401", "old"}, {"EPSG:4214", "old"}, {"4610", "old"}, {"EPSG:4555", "old"}, {"EPSG:21460", "old"},
		{"EPSG:4490x", "unknown"}, {"EPSG:4555555555555", "unknown"}, {"EPSG:32600", "unknown"}, {"EPSG:32661", "unknown"},
		{"EPSG:32750", "unknown"}, {"EPSG:3395", "unknown"}, {"EPSG:", "unknown"}, {"", "unknown"}, {"urn:ogc:def:crs:EPSG:", "unknown"},
		{"EPSG:-4326", "unknown"}, {"wgs", "unknown"},
	} {
		s, err := crs.Parse(tc.in)
		switch tc.want {
		case "old", "unknown":
			want := map[string]error{"old": crs.ErrOldDatum, "unknown": crs.ErrUnknown}[tc.want]
			if !errors.Is(err, want) || !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.in)) {
				t.Errorf("Parse(%q) = %v, %v; want an error wrapping %v that names the input", tc.in, s, err, want)
			}
		default:
			if err != nil || s.String() != tc.want {
				t.Errorf("Parse(%q) = %v, %v; want %s", tc.in, s, err, tc.want)
			}
		}
	}
	if _, err := crs.Parse("EPSG:2000"); err == nil || !strings.Contains(err.Error(), "EPSG:4491–4554") {
		t.Errorf("Parse(EPSG:2000) = %v; want the error to list what is accepted", err)
	}
}

// TestZoneAt: the zone of a system's family that holds a longitude.
func TestZoneAt(t *testing.T) {
	for _, tc := range []struct {
		of   string
		lon  float64
		want string // "" for none
	}{
		{"EPSG:4513", 116.9, "EPSG:4527"}, // 3°, zone prefix: zone 39
		{"EPSG:4534", 116.9, "EPSG:4548"}, // 3°, by central meridian: 117°E
		{"EPSG:4502", 116.9, "EPSG:4509"}, // 6°: central meridian 117°E
		{"EPSG:4502", 113.99, "EPSG:4508"},
		{"EPSG:32650", 104.1, "EPSG:32648"},
		{"EPSG:4527", 170, ""}, // no CGCS2000 zone there
		{"EPSG:4326", 116.9, ""},
	} {
		s, err := crs.Parse(tc.of)
		if err != nil {
			t.Fatal(err)
		}
		z, ok := s.ZoneAt(tc.lon)
		if got := z.String(); ok != (tc.want != "") || ok && got != tc.want {
			t.Errorf("%s.ZoneAt(%g) = %s, %v; want %q", tc.of, tc.lon, got, ok, tc.want)
		}
	}
}
