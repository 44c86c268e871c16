package crs_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo/crs"
)

// TestFromWKTFiles reads the definitions GDAL writes (testdata/wkt/README.md)
// in each format.
func TestFromWKTFiles(t *testing.T) {
	want := map[string]any{ // file name up to the first '.' → EPSG code or error
		"4326": 4326, "4490": 4490, "4499": 4499, "4509": 4509, "4527": 4527, "4548": 4548, "32650": 32650,
		"2401": crs.ErrOldDatum, "2345": crs.ErrOldDatum, "4214": crs.ErrOldDatum, "4610": crs.ErrOldDatum,
		"4555": crs.ErrOldDatum, "4574": crs.ErrOldDatum, "21460": crs.ErrOldDatum,
		"3857": 3857, "3395": crs.ErrUnknown, "32750": crs.ErrUnknown, "4479": crs.ErrUnknown,
		"proj-bound-z39":      4527,
		"proj-grs80-cm117":    4548, // no name to tell 3° from 6°: the 3° code
		"proj-grs80-cm120-ft": crs.ErrUnknown,
		"proj-utm50":          32650,
		"compound-4527":       4527,
	}
	files, err := filepath.Glob("testdata/wkt/*")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		key, _, _ := strings.Cut(filepath.Base(f), ".")
		if strings.HasSuffix(f, ".md") {
			continue
		}
		w, ok := want[key]
		if !ok {
			t.Errorf("%s: no expected outcome", f)
			continue
		}
		seen[key] = true
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := crs.FromWKT(string(data))
		switch w := w.(type) {
		case int:
			if err != nil || s.EPSG() != w {
				t.Errorf("FromWKT(%s) = %v, %v; want EPSG:%d", f, s, err, w)
			}
		case error:
			if !errors.Is(err, w) {
				t.Errorf("FromWKT(%s) = %v, %v; want an error wrapping %v", f, s, err, w)
			}
			t.Logf("%s: %v", f, err)
		}
	}
	for k := range want {
		if !seen[k] {
			t.Errorf("no file for %s", k)
		}
	}
}

// esriGK is an ArcGIS .prj of a CGCS2000 Gauss–Krüger system, without
// AUTHORITY, with the name and parameters to fill in.
func esriGK(name string, fe, cm float64) string {
	return fmt.Sprintf(`PROJCS["%s",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",`+
		`SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],`+
		`PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",%g],PARAMETER["False_Northing",0.0],`+
		`PARAMETER["Central_Meridian",%g],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`,
		name, fe, cm)
}

func TestFromWKT(t *testing.T) {
	for _, tc := range []struct {
		name string
		wkt  string
		want any // EPSG code or error
	}{
		{"ESRI name zone 39", esriGK("CGCS2000_3_Degree_GK_Zone_39", 39500000, 117), 4527},
		{"ESRI name CM 117E", esriGK("CGCS2000_3_Degree_GK_CM_117E", 500000, 117), 4548},
		{"ESRI name 6° CM 117E", esriGK("CGCS2000_GK_CM_117E", 500000, 117), 4509},
		{"ESRI name 6° zone 20", esriGK("CGCS2000_GK_Zone_20", 20500000, 117), 4498},
		{"own name, zone from false easting", esriGK("Shanghai_city", 40500000, 120), 4528},
		{"own name, 6° zone from false easting", esriGK("my layer", 21500000, 123), 4499},
		{"own name without prefix", esriGK("my layer", 500000, 120), 4549},
		{"own Gauss-Kruger name without prefix", esriGK("CGCS2000 Gauss Kruger CM123", 500000, 123), 4510},
		{"Gauss-Kruger name, a 3° meridian", esriGK("CGCS2000 Gauss Kruger CM120", 500000, 120), 4549},
		{"name contradicts parameters", esriGK("CGCS2000_3_Degree_GK_Zone_39", 39500000, 114), crs.ErrUnknown},
		{"zone contradicts central meridian", esriGK("x", 39500000, 114), crs.ErrUnknown},
		{"central meridian off a zone", esriGK("x", 500000, 116.5), crs.ErrUnknown},
		{"false easting off a zone", esriGK("x", 39400000, 117), crs.ErrUnknown},
		{"parentheses and BOM", "\ufeffGEOGCS(\"GCS_WGS_1984\",DATUM(\"D_WGS_1984\",SPHEROID(\"WGS_1984\",6378137,298.257223563)))\r\n", 4326},
		{"WGS 84 by name only", `GEOGCS["WGS 84"]`, 4326},
		{"CGCS2000 by datum", `GEOGCS["mine",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],UNIT["degree",0.0174532925199433]]`, 4490},
		{"grads", `GEOGCS["mine",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],UNIT["grad",0.015707963267949]]`, crs.ErrUnknown},
		{"geographic code on a projection", strings.Replace(esriGK("x", 39500000, 117), `UNIT["Meter",1.0]]`, `UNIT["Meter",1.0],AUTHORITY["EPSG","4490"]]`, 1), crs.ErrUnknown},
		{"WKT2 quote", `GEOGCRS["the ""WGS 84""",DATUM["World Geodetic System 1984",ELLIPSOID["WGS 84",6378137,298.257223563]],ID["EPSG",4326]]`, 4326},
		{"Krasovsky ellipsoid", `GEOGCS["GCS_Pulkovo_1942",DATUM["D_Pulkovo_1942",SPHEROID["Krasovsky_1940",6378245.0,298.3]]]`, crs.ErrUnknown},
		{"a city's name", esriGK("Beijing_CGCS2000_zone39", 39500000, 117), 4527},
		{"Beijing 1954 by name only", `PROJCS["Beijing_1954_3_Degree_GK_Zone_39"]`, crs.ErrOldDatum},
		{"Xian 1980 datum under another name", `GEOGCS["mine",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]]]`, crs.ErrOldDatum},
		{"vertical only", `VERT_CS["Yellow Sea 1985 height",VERT_DATUM["Yellow Sea 1985",2005]]`, crs.ErrUnknown},
		{"empty", ``, crs.ErrUnknown},
		{"truncated", `PROJCS["CGCS2000_3_Degree_GK_Zone_39",GEOGCS[`, crs.ErrUnknown},
		{"unbalanced", `GEOGCS["WGS 84")`, crs.ErrUnknown},
		{"deep", strings.Repeat("A[", 100) + strings.Repeat("]", 100), crs.ErrUnknown},
	} {
		s, err := crs.FromWKT(tc.wkt)
		switch w := tc.want.(type) {
		case int:
			if err != nil || s.EPSG() != w {
				t.Errorf("%s: FromWKT(%s) = %v, %v; want EPSG:%d", tc.name, tc.wkt, s, err, w)
			}
		case error:
			if !errors.Is(err, w) {
				t.Errorf("%s: FromWKT(%s) = %v, %v; want an error wrapping %v", tc.name, tc.wkt, s, err, w)
			}
		}
	}
}

// TestFromWKTUnknownNamesIt: the error names the system the WKT states.
func TestFromWKTUnknownNamesIt(t *testing.T) {
	data, err := os.ReadFile("testdata/wkt/3395.esri")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crs.FromWKT(string(data)); err == nil || !strings.Contains(err.Error(), "WGS_1984_World_Mercator") {
		t.Errorf("FromWKT(3395.esri) = %v; want an error naming WGS_1984_World_Mercator", err)
	}
}
