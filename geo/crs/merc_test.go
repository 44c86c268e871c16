package crs_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"gridplan/geo/crs"
)

func TestWebMercatorParse(t *testing.T) {
	for _, in := range []string{"EPSG:3857", "3857", "epsg:3857", "urn:ogc:def:crs:EPSG::3857", "http://www.opengis.net/def/crs/EPSG/0/3857",
		"EPSG:900913", "EPSG:3785", "ESRI:102100", "esri:102113", "EPSG:102100", "urn:ogc:def:crs:ESRI::102100",
		"webmercator", "Web Mercator", "pseudo-mercator"} {
		if s, err := crs.Parse(in); err != nil || s != crs.WebMercator {
			t.Errorf("Parse(%q) = %v, %v; want EPSG:3857", in, s, err)
		}
	}
	s := crs.WebMercator
	if s.String() != "EPSG:3857" || s.EPSG() != 3857 || s.Name() != "WGS 84 / Pseudo-Mercator" || s.Geographic() || s.Identity() {
		t.Errorf("WebMercator: %s, %d, %q, geographic %v, identity %v", s, s.EPSG(), s.Name(), s.Geographic(), s.Identity())
	}
	if _, ok := s.ZoneAt(117); ok {
		t.Errorf("WebMercator.ZoneAt(117): Web Mercator has no zones")
	}
	// World Mercator, on the ellipsoid, is another projection (40 km off in
	// northing at 40°N).
	if _, err := crs.Parse("EPSG:3395"); !errors.Is(err, crs.ErrUnknown) || !strings.Contains(err.Error(), "EPSG:3857") {
		t.Errorf("Parse(EPSG:3395) = %v; want ErrUnknown listing EPSG:3857 as accepted", err)
	}
}

// Definitions of Web Mercator as GDAL 3.6.2 writes them: the .prj of
// `ogr2ogr -t_srs EPSG:3857 out.shp` (also for ESRI:102100) and of
// `-t_srs EPSG:900913` and `-t_srs ESRI:102113`; the gpkg_spatial_ref_sys
// definition of `ogr2ogr -f GPKG -t_srs EPSG:3857` and of `-t_srs
// ESRI:102100`; `OSR_USE_NON_DEPRECATED=NO gdalsrsinfo -o wkt1 EPSG:3785`
// and `gdalsrsinfo -o wkt2_2019` of the PROJ string (name changed to "my
// tiles" where noted, so that only the parameters tell).
const (
	prj3857 = `PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",` +
		`SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],` +
		`PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],` +
		`PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]`
	prj900913 = `PROJCS["Google_Maps_Global_Mercator",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",` +
		`SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],` +
		`PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],` +
		`PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]`
	prj102113 = `PROJCS["WGS_1984_Web_Mercator",GEOGCS["GCS_WGS_1984_Major_Auxiliary_Sphere",` +
		`DATUM["D_WGS_1984_Major_Auxiliary_Sphere",SPHEROID["WGS_1984_Major_Auxiliary_Sphere",6378137.0,0.0]],` +
		`PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator"],PARAMETER["False_Easting",0.0],` +
		`PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],UNIT["Meter",1.0]]`
	prj3395 = `PROJCS["WGS_1984_World_Mercator",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",` +
		`SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],` +
		`PROJECTION["Mercator"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],` +
		`PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],UNIT["Meter",1.0]]`
	gpkgGeog = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],` +
		`AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],` +
		`UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]`
	gpkgMerc = `PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],` +
		`PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],` +
		`AXIS["Easting",EAST],AXIS["Northing",NORTH]`
	proj3857   = `EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"]`
	gpkg3857   = `PROJCS["WGS 84 / Pseudo-Mercator",` + gpkgGeog + `,` + gpkgMerc + `,` + proj3857 + `,AUTHORITY["EPSG","3857"]]`
	gpkg102100 = `PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere (deprecated)",GEOGCS["WGS 84",DATUM["WGS_1984",` +
		`SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0],` +
		`UNIT["Degree",0.0174532925199433]],` + gpkgMerc + `,` + proj3857 + `,AUTHORITY["ESRI","102100"]]`
	wkt3785 = `PROJCS["Popular Visualisation CRS / Mercator",GEOGCS["Popular Visualisation CRS (deprecated)",` +
		`DATUM["Popular_Visualisation_Datum",SPHEROID["Popular Visualisation Sphere",6378137,0,AUTHORITY["EPSG","7059"]],` +
		`TOWGS84[0,0,0,0,0,0,0],AUTHORITY["EPSG","6055"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],` +
		`UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],` +
		`AUTHORITY["EPSG","4055"]],` + gpkgMerc + `,` + proj3857 + `,AUTHORITY["EPSG","3785"]]`
	wkt2Tiles = `PROJCRS["my tiles",BASEGEOGCRS["WGS 84",DATUM["World Geodetic System 1984",` +
		`ELLIPSOID["WGS 84",6378137,298.257223563,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]],` +
		`ID["EPSG",4326]],CONVERSION["unnamed",METHOD["Popular Visualisation Pseudo Mercator",ID["EPSG",1024]],` +
		`PARAMETER["Latitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433],ID["EPSG",8801]],` +
		`PARAMETER["Longitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433],ID["EPSG",8802]],` +
		`PARAMETER["False easting",0,LENGTHUNIT["metre",1],ID["EPSG",8806]],` +
		`PARAMETER["False northing",0,LENGTHUNIT["metre",1],ID["EPSG",8807]]],CS[Cartesian,2],` +
		`AXIS["(E)",east,ORDER[1],LENGTHUNIT["metre",1,ID["EPSG",9001]]],AXIS["(N)",north,ORDER[2],LENGTHUNIT["metre",1,ID["EPSG",9001]]]]`
)

func TestWebMercatorFromWKT(t *testing.T) {
	tiles := func(s string) string { // renamed, no authority: only the parameters tell
		s = strings.Replace(s, `PROJCS["WGS 84 / Pseudo-Mercator"`, `PROJCS["my tiles"`, 1)
		return strings.Replace(s, `,AUTHORITY["EPSG","3857"]]`, `]`, 1)
	}
	for _, tc := range []struct {
		name, wkt string
		err       error  // nil: Web Mercator
		words     string // in the error
	}{
		{"ESRI .prj", prj3857, nil, ""},
		{"ESRI .prj of EPSG:900913", prj900913, nil, ""},
		{"ESRI .prj of ESRI:102113 (sphere)", prj102113, nil, ""},
		{"ESRI .prj renamed", strings.Replace(prj3857, "WGS_1984_Web_Mercator_Auxiliary_Sphere", "my_tiles", 1), nil, ""},
		{"ESRI .prj of a sphere renamed", strings.Replace(prj102113, `PROJCS["WGS_1984_Web_Mercator"`, `PROJCS["my tiles"`, 1), nil, ""},
		{"GeoPackage", gpkg3857, nil, ""},
		{"GeoPackage ESRI:102100", gpkg102100, nil, ""},
		{"EPSG:3785", wkt3785, nil, ""},
		{"WKT1 by the PROJ string", tiles(gpkg3857), nil, ""},
		{"WKT2 by the method", wkt2Tiles, nil, ""},
		{"World Mercator .prj", prj3395, crs.ErrUnknown, "World Mercator (EPSG:3395)"},
		{"WKT1 Mercator on the ellipsoid", strings.Replace(tiles(gpkg3857), ","+proj3857, "", 1), crs.ErrUnknown, "on the ellipsoid"},
		{"auxiliary sphere type 2 (authalic)", strings.Replace(strings.Replace(prj3857, "WGS_1984_Web_Mercator_Auxiliary_Sphere", "x", 1),
			`Auxiliary_Sphere_Type",0.0`, `Auxiliary_Sphere_Type",2.0`, 1), crs.ErrUnknown, "auxiliary sphere type 2"},
		{"named, auxiliary sphere type 3", strings.Replace(prj3857, `Auxiliary_Sphere_Type",0.0`, `Auxiliary_Sphere_Type",3.0`, 1), crs.ErrUnknown, "auxiliary sphere type 3"},
		{"central meridian 105", strings.Replace(strings.Replace(prj3857, "WGS_1984_Web_Mercator_Auxiliary_Sphere", "x", 1),
			`Central_Meridian",0.0`, `Central_Meridian",105.0`, 1), crs.ErrUnknown, "central meridian 105"},
		{"standard parallel 30", strings.Replace(prj102113, `Standard_Parallel_1",0.0`, `Standard_Parallel_1",30.0`, 1), crs.ErrUnknown, "standard parallel 30"},
		{"named, transverse Mercator", strings.Replace(prj3857, `"Mercator_Auxiliary_Sphere"`, `"Transverse_Mercator"`, 1), crs.ErrUnknown, `projection "Transverse_Mercator"`},
		{"Gauss-Kruger name, Mercator", strings.Replace(esriGK("CGCS2000_3_Degree_GK_Zone_39", 39500000, 117), "Gauss_Kruger", "Mercator", 1), crs.ErrUnknown, `projection "Mercator"`},
		{"feet", strings.Replace(prj3857, `UNIT["Meter",1.0]]`, `UNIT["Foot_US",0.3048006096012192]]`, 1), crs.ErrUnknown, "unit"},
	} {
		s, err := crs.FromWKT(tc.wkt)
		switch {
		case tc.err == nil && (err != nil || s != crs.WebMercator):
			t.Errorf("%s: FromWKT(%s) = %v, %v; want EPSG:3857", tc.name, tc.wkt, s, err)
		case tc.err != nil && (!errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.words)):
			t.Errorf("%s: FromWKT(%s) = %v, %v; want an error wrapping %v saying %q", tc.name, tc.wkt, s, err, tc.err, tc.words)
		}
	}
	// What gridplan writes is what GDAL writes.
	if got := crs.WebMercator.ESRIWKT(); got != prj3857 {
		t.Errorf("ESRIWKT:\n%s\nwant\n%s", got, prj3857)
	}
	if got := crs.WebMercator.WKT(); got != gpkg3857 {
		t.Errorf("WKT:\n%s\nwant\n%s", got, gpkg3857)
	}
}

// gdalMerc are longitude/latitude and what GDAL 3.6.2 (PROJ 9.1) gives for
// them, produced once with
//
//	echo "lon lat" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:3857 -output_xy
var gdalMerc = []struct{ lon, lat, x, y float64 }{
	{73.5, 18, 8181982.57330561, 2037548.5447506},
	{87.6, 43.8, 9751587.39349076, 5434543.70848006},
	{104.07, 30.67, 11585019.406856, 3589966.11243971},
	{113.26, 23.13, 12608045.5272462, 2647747.52749456},
	{116.39, 39.91, 12956475.5334291, 4852872.33096687},
	{121.47, 31.23, 13521978.5466589, 3662655.18330459},
	{126.63, 45.75, 14096387.1191522, 5740376.6555565},
	{134.77, 53.56, 15002527.7742095, 7087262.07054084},
	{110.35, 3.85, 12284105.8090377, 428902.924265611},
	{0, 0, 0, 0},
	{-179.9, -85, -20026376.3937099, -19971868.8804086},
}

func TestWebMercatorMatchesGDAL(t *testing.T) {
	for _, g := range gdalMerc {
		p := crs.WebMercator.FromLonLat(orb.Point{g.lon, g.lat})
		if d := math.Hypot(p[0]-g.x, p[1]-g.y); d > 1e-6 {
			t.Errorf("FromLonLat(%g, %g) = %.9f, GDAL %.9f %.9f: %.3g m apart", g.lon, g.lat, p, g.x, g.y, d)
		}
		q := crs.WebMercator.ToLonLat(orb.Point{g.x, g.y})
		if math.Abs(q[0]-g.lon) > 1e-12 || math.Abs(q[1]-g.lat) > 1e-12 {
			t.Errorf("ToLonLat(%.9f, %.9f) = %.15f, want %g, %g", g.x, g.y, q, g.lon, g.lat)
		}
	}
}

// TestWebMercatorRoundTrip: longitude/latitude → EPSG:3857 → back is exact
// to 1e-9 degree (it is to 1e-13) over the world, from pole to pole.
func TestWebMercatorRoundTrip(t *testing.T) {
	worst := 0.0
	for lon := -180.0; lon <= 180; lon += 0.737 {
		for lat := -90.0; lat <= 90; lat += 0.291 {
			p := orb.Point{lon, lat}
			q := crs.WebMercator.ToLonLat(crs.WebMercator.FromLonLat(p))
			worst = max(worst, math.Abs(q[0]-p[0]), math.Abs(q[1]-p[1]))
		}
	}
	for _, lat := range []float64{90, -90, 1e-300, 89.999999999} {
		p := orb.Point{117, lat}
		q := crs.WebMercator.ToLonLat(crs.WebMercator.FromLonLat(p))
		worst = max(worst, math.Abs(q[0]-p[0]), math.Abs(q[1]-p[1]))
	}
	if worst > 1e-9 {
		t.Errorf("round trip off by %g degree, want at most 1e-9", worst)
	}
	t.Logf("round trip off by at most %g degree", worst)
}

func TestWebMercatorCheck(t *testing.T) {
	m := crs.WebMercator
	beijing := bound(12956000, 4852000, 12978000, 4866000) // 116.39–116.59°E, 39.91–40.0°N
	for _, tc := range []struct {
		name  string
		b     orb.Bound
		ok    bool
		words []string
	}{
		{"Beijing", beijing, true, nil},
		{"all China", bound(8181982, 428902, 15002527, 7087262), true, nil},
		{"longitude/latitude", beijingLonLat, false, []string{"EPSG:3857 expects eastings 7,792,364…15,584,729 m and northings 0…8,399,738 m",
			"116.4…116.6, 39.9…40", "looks like longitude/latitude"}},
		{"zone prefix", beijingZone39, false, []string{"looks like EPSG:4527"}},
		{"no zone prefix", beijingCM117, false, []string{"without a zone prefix"}},
		{"Paris", bound(261000, 6250000, 262000, 6251000), false, []string{"as Web Mercator they lie at 2.35°, 48.86°"}},
		{"south of the equator", bound(12956000, -4852000, 12978000, -4840000), false, nil},
		{"north of 60°N", bound(12956000, 8500000, 12978000, 8510000), false, nil},
		{"NaN", orb.Bound{Min: orb.Point{math.NaN(), 4852000}, Max: orb.Point{12978000, 4866000}}, false, nil},
	} {
		err := m.Check(tc.b)
		if tc.ok != (err == nil) || err != nil && !errors.Is(err, crs.ErrMismatch) {
			t.Errorf("%s: Check(%v) = %v, want ok %v", tc.name, tc.b, err, tc.ok)
			continue
		}
		for _, w := range tc.words {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: Check(%v) = %v, want it to say %q", tc.name, tc.b, err, w)
			}
		}
	}
	// Declared as something else, Web Mercator metres are recognised.
	if err := mustParse(t, "EPSG:4326").Check(beijing); err == nil || !strings.Contains(err.Error(), "looks like EPSG:3857 (WGS 84 / Pseudo-Mercator)") {
		t.Errorf("EPSG:4326.Check(Web Mercator metres) = %v; want it to name EPSG:3857", err)
	}
	for _, tc := range []struct {
		b    orb.Bound
		want []string
	}{
		{beijing, []string{"EPSG:3857"}},
		// Shanghai's Web Mercator eastings are also those of 6° zone 13.
		{bound(13520000, 3660000, 13530000, 3670000), []string{"EPSG:3857", "EPSG:4491"}},
		{beijingZone39, []string{"EPSG:4527"}},
	} {
		var got []string
		for _, s := range crs.Suggest(tc.b) {
			got = append(got, s.String())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Suggest(%v) = %v, want %v", tc.b, got, tc.want)
		}
	}
}
