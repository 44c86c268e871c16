package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo/crs"
	"gridplan/geo/geotest"

	"github.com/paulmach/orb"
)

// TestProjectedWebMercator: a district handed over in Web Mercator
// (EPSG:3857) as ogr2ogr writes it — Shapefiles with ArcGIS's .prj, a
// GeoPackage holding both layers, GeoJSON with the crs member, GeoJSON
// without one read with --crs — gives the plan of the same district in
// longitude/latitude, and grids written in EPSG:3857 are read by GDAL in
// EPSG:3857, at the longitudes and latitudes gridplan reads them at. The district is in Shanghai, whose
// Web Mercator eastings are also those of Gauss–Krüger 6° zone 13: a
// GeoJSON that states no system is refused suggesting EPSG:3857.
func TestProjectedWebMercator(t *testing.T) {
	geotest.GDAL(t, "ogr2ogr")
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "400", "--seed", "9", "--center", "121.47,31.23", "--out", ref); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	chinese(t, ref)
	b, c := filepath.Join(ref, "buildings.geojson"), filepath.Join(ref, "communities.geojson")
	// A Shapefile holds no points beside polygons: its plan is that of the
	// polygons alone.
	poly := filepath.Join(ref, "polygons.geojson")
	gdal(t, "ogr2ogr", "-f", "GeoJSON", "-where", "OGR_GEOMETRY <> 'POINT'", poly, b)
	plan := func(name string, args ...string) (dir string, assignment []byte) {
		t.Helper()
		dir = filepath.Join(root, "out-"+name)
		code, _, stderr := gridplan(t, append([]string{"partition", "--out", dir}, args...)...)
		if code != 0 {
			t.Fatalf("%s: partition: exit %d\n%s", name, code, stderr)
		}
		data, err := os.ReadFile(filepath.Join(dir, "assignment.csv"))
		must(t, err)
		return dir, data
	}
	_, want := plan("lonlat", "--communities", c, b)
	_, wantPoly := plan("lonlat-polygons", "--communities", c, poly)

	in := filepath.Join(root, "in")
	must(t, os.Mkdir(in, 0o755))
	to3857 := func(dst, src string, args ...string) string {
		gdal(t, "ogr2ogr", append(append([]string{"-t_srs", "EPSG:3857"}, args...), dst, src)...)
		return dst
	}
	shpB := to3857(filepath.Join(in, "buildings.shp"), poly, "-lco", "ENCODING=UTF-8")
	shpC := to3857(filepath.Join(in, "communities.shp"), c, "-lco", "ENCODING=UTF-8")
	gpkgFile := filepath.Join(in, "district.gpkg")
	to3857(gpkgFile, b, "-f", "GPKG", "-nln", "buildings")
	to3857(gpkgFile, c, "-update", "-f", "GPKG", "-nln", "communities")
	jsonB := to3857(filepath.Join(in, "buildings.geojson"), b, "-f", "GeoJSON")
	jsonC := to3857(filepath.Join(in, "communities.geojson"), c, "-f", "GeoJSON")
	// The same without the crs member.
	bare := func(path string) string {
		data, err := os.ReadFile(path)
		must(t, err)
		s := strings.Replace(string(data), `"crs": { "type": "name", "properties": { "name": "urn:ogc:def:crs:EPSG::3857" } },`, "", 1)
		if s == string(data) {
			t.Fatalf("%s: no crs member to remove:\n%.300s", path, data)
		}
		out := strings.TrimSuffix(path, ".geojson") + "-bare.geojson"
		must(t, os.WriteFile(out, []byte(s), 0o644))
		return out
	}
	bareB, bareC := bare(jsonB), bare(jsonC)

	for _, tc := range []struct {
		name  string
		want  []byte
		grids string // the grid layer, in EPSG:3857
		args  []string
	}{
		{"shp", wantPoly, "grids.shp", []string{"--communities", shpC, shpB}},
		{"gpkg", want, "grids.gpkg", []string{"--communities", gpkgFile + ":communities", gpkgFile + ":buildings"}},
		{"geojson", want, "grids.geojson", []string{"--communities", jsonC, jsonB}},
		{"geojson-crs-flag", want, "grids.geojson", []string{"--crs", "EPSG:3857", "--communities", bareC, bareB}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, got := plan(tc.name, tc.args...)
			if !bytes.Equal(got, tc.want) {
				t.Errorf("the plan of the EPSG:3857 layers differs from that of the same layers in longitude/latitude")
			}
			if data, err := os.ReadFile(filepath.Join(dir, "stats.json")); err != nil || !strings.Contains(string(data), `"crs": "EPSG:3857"`) {
				t.Errorf("stats.json does not record EPSG:3857 (%v):\n%.2000s", err, data)
			}
			if info := gdal(t, "ogrinfo", "-so", "-al", filepath.Join(dir, tc.grids)); !strings.Contains(info, `ID["EPSG",3857]`) {
				t.Errorf("ogrinfo -so %s: not in EPSG:3857:\n%s", tc.grids, info)
			}
		})
	}

	// Stating no system, the Web Mercator metres are refused, suggesting
	// EPSG:3857 before the Gauss–Krüger zone they also fit.
	code, _, stderr := gridplan(t, "partition", "--out", filepath.Join(root, "refused"), "--communities", bareC, bareB)
	if code != 2 || !strings.Contains(stderr, "try --crs EPSG:3857") {
		t.Errorf("Web Mercator metres with no system: exit %d, want 2 suggesting --crs EPSG:3857:\n%s", code, stderr)
	}

	// --out-crs EPSG:3857 from longitude/latitude (the plan is the same):
	// GDAL takes each vertex of the grids to the longitude/latitude gridplan
	// takes it to, to 1e-9 degree.
	out, got := plan("out-crs", "--format", "shp", "--out-crs", "EPSG:3857", "--communities", c, b)
	if !bytes.Equal(got, want) {
		t.Errorf("--out-crs EPSG:3857 changes the plan")
	}
	grids := filepath.Join(out, "grids.shp")
	back := filepath.Join(root, "back.geojson")
	gdal(t, "ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4326", "-lco", "COORDINATE_PRECISION=15", back, grids)
	_, wfs := readLayer(t, grids)
	_, gfs := readLayer(t, back)
	if len(gfs) != len(wfs) {
		t.Fatalf("GDAL reads %d grids, gridplan wrote %d", len(gfs), len(wfs))
	}
	worst := 0.0
	for i := range wfs {
		w, g := vertices(wfs[i].Geometry), vertices(gfs[i].Geometry)
		for k := range w {
			w[k] = crs.WebMercator.ToLonLat(w[k])
		}
		if len(w) != len(g) {
			t.Errorf("grid %d: GDAL reads %d vertices, gridplan wrote %d", i, len(g), len(w))
		}
		worst = max(worst, farthest(w, g), farthest(g, w))
	}
	if worst > 1e-9 {
		t.Errorf("GDAL reads the EPSG:3857 grids %g degree away from where gridplan reads them", worst)
	}
}

// vertices returns the vertices of a polygonal geometry.
func vertices(g orb.Geometry) []orb.Point {
	var out []orb.Point
	for _, p := range polygons(g) {
		for _, r := range p {
			out = append(out, r...)
		}
	}
	return out
}

// farthest is the most, in degrees, that a point of ps lies from the
// nearest of qs (+Inf if qs is empty and ps is not).
func farthest(ps, qs []orb.Point) float64 {
	worst := 0.0
	for _, p := range ps {
		near := math.Inf(1)
		for _, q := range qs {
			near = min(near, math.Max(math.Abs(p[0]-q[0]), math.Abs(p[1]-q[1])))
		}
		worst = max(worst, near)
	}
	return worst
}
