package gpkg_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"gridplan/geo/feature"
	"gridplan/geo/geotest"
	"gridplan/geo/gpkg"
)

// gdal runs a GDAL tool, failing the test if it fails, and returns its
// standard output and error.
func gdal(t *testing.T, tool string, args ...string) (stdout, stderr string) {
	t.Helper()
	cmd := osexec.Command(geotest.GDAL(t, tool), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, errb.String())
	}
	return out.String(), errb.String()
}

// ogrFeatures parses the features `ogrinfo -al` prints into their field
// values as text, by fid.
func ogrFeatures(out string) map[int]map[string]string {
	fs := map[int]map[string]string{}
	var cur map[string]string
	head := regexp.MustCompile(`^OGRFeature\(.*\):(\d+)$`)
	field := regexp.MustCompile(`^  (\S+) \(.*?\) = (.*)$`) // "  ok (Integer(Boolean)) = 1"
	for _, line := range strings.Split(out, "\n") {
		if m := head.FindStringSubmatch(line); m != nil {
			var fid int
			fmt.Sscan(m[1], &fid)
			cur = map[string]string{}
			fs[fid] = cur
		} else if m := field.FindStringSubmatch(line); m != nil && cur != nil {
			cur[m[1]] = m[2]
		}
	}
	return fs
}

// ogrValue is the text ogrinfo prints for a property value.
func ogrValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "(null)"
	case bool:
		if v {
			return "1"
		}
		return "0"
	case float64:
		return fmt.Sprintf("%.15g", v)
	case string:
		if len(v) == 10 && v[4] == '-' && v[7] == '-' {
			return strings.ReplaceAll(v, "-", "/") // a date
		}
	}
	return fmt.Sprint(v)
}

func TestGDALReadsEncode(t *testing.T) {
	want := testFeatures()
	path := writeFile(t, "grids.gpkg", "grids", testFields, want, gk39(t))
	out, errs := gdal(t, "ogrinfo", "-al", "-so", path)
	if s := out + errs; strings.Contains(s, "Warning") || strings.Contains(s, "ERROR") {
		t.Errorf("ogrinfo -al -so warns:\n%s", s)
	}
	for _, s := range []string{
		"Layer name: grids\n", "Geometry: Multi Polygon\n", fmt.Sprintf("Feature Count: %d\n", len(want)),
		"Extent: (39500000.000000, 3380000.000000) - (39600001.000000, 3390001.000000)\n",
		`ID["EPSG",4527]]`, "FID Column = fid\n", "Geometry Column = geom\n",
		"name: String (0.0)\n", "households: Integer64 (0.0)\n", "area_m2: Real (0.0)\n",
		"elevator: Integer(Boolean) (0.0)\n", "built: Date (0.0)\n",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("ogrinfo -al -so prints no %q:\n%s", s, out)
		}
	}

	out, errs = gdal(t, "ogrinfo", "-al", path)
	if strings.Contains(out+errs, "Warning") || strings.Contains(out+errs, "ERROR") {
		t.Errorf("ogrinfo -al warns:\n%s", errs)
	}
	got := ogrFeatures(out)
	for i, f := range want {
		for _, p := range f.Properties {
			if g, w := got[i+1][p.Name], ogrValue(p.Value); g != w {
				t.Errorf("ogrinfo: feature %d: %s = %q, want %q", i+1, p.Name, g, w)
			}
		}
	}

	// Geometries and values exactly, through GDAL's GeoJSON writer.
	out, _ = gdal(t, "ogr2ogr", "-f", "GeoJSON", "-lco", "COORDINATE_PRECISION=17", "/vsistdout/", path)
	fc, err := geojson.UnmarshalFeatureCollection([]byte(out))
	if err != nil || len(fc.Features) != len(want) {
		t.Fatalf("ogr2ogr GeoJSON: %v, %d features, want %d", err, len(fc.Features), len(want))
	}
	for i, f := range want {
		g := fc.Features[i]
		if !reflect.DeepEqual(g.Geometry, f.Geometry) {
			t.Errorf("GDAL feature %d geometry %v, want %v", i, g.Geometry, f.Geometry)
		}
		for _, p := range f.Properties {
			// JSON numbers decode to float64, which holds the integers
			// only to 2^53; ogrinfo's text above checks them exactly.
			w := p.Value
			if n, ok := w.(int64); ok {
				w = float64(n)
			}
			if gv := g.Properties[p.Name]; !reflect.DeepEqual(gv, w) {
				t.Errorf("GDAL feature %d: %s = %#v, want %#v", i, p.Name, gv, w)
			}
		}
	}
}

// jsonValue converts a GeoJSON property value, which is a float64 for
// every number, to the Go type of field type t.
func jsonValue(v any, t feature.Type) any {
	if f, ok := v.(float64); ok && t == feature.Integer {
		return int64(f)
	}
	return v
}

// ogrFile converts a GeoJSON file under testdata to a GeoPackage with
// ogr2ogr, into dir, returning its path.
func ogrFile(t *testing.T, dir, gpkgName string, args ...string) string {
	t.Helper()
	path := filepath.Join(dir, gpkgName)
	gdal(t, "ogr2ogr", append([]string{"-f", "GPKG", path}, args...)...)
	return path
}

// geojsonFeatures reads a GeoJSON file under testdata.
func geojsonFeatures(t *testing.T, name string) []*geojson.Feature {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	return fc.Features
}

func TestReadOGR(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join("testdata", "buildings.geojson")
	want := geojsonFeatures(t, "buildings.geojson")
	wantFields := []feature.Field{
		{Name: "id", Type: feature.String}, {Name: "name", Type: feature.String},
		{Name: "households", Type: feature.Integer}, {Name: "area_m2", Type: feature.Real},
		{Name: "elevator", Type: feature.Bool}, {Name: "built", Type: feature.Date},
	}
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"buildings.gpkg", []string{"-a_srs", "EPSG:4527", src}},
		{"xyz.gpkg", []string{"-a_srs", "EPSG:4527", "-dim", "XYZ", src}}, // Z dropped on reading
		{"multi.gpkg", []string{"-a_srs", "EPSG:4527", "-nlt", "PROMOTE_TO_MULTI", src}},
	} {
		path := ogrFile(t, dir, tt.name, tt.args...)
		r, got := readAll(t, path, "")
		if r.CRS() != "EPSG:4527" || !reflect.DeepEqual(r.Fields(), wantFields) {
			t.Errorf("%s: CRS %q, fields %v; want EPSG:4527, %v", tt.name, r.CRS(), r.Fields(), wantFields)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d features, want %d", tt.name, len(got), len(want))
		}
		for i, w := range want {
			wg := w.Geometry
			if p, ok := wg.(orb.Polygon); ok && tt.name == "multi.gpkg" {
				wg = orb.MultiPolygon{p}
			}
			if !reflect.DeepEqual(got[i].Geometry, wg) {
				t.Errorf("%s: feature %d geometry %v, want %v", tt.name, i, got[i].Geometry, wg)
			}
			for j, p := range got[i].Properties {
				if wv := jsonValue(w.Properties[p.Name], wantFields[j].Type); !reflect.DeepEqual(p.Value, wv) {
					t.Errorf("%s: feature %d: %s = %#v, want %#v", tt.name, i, p.Name, p.Value, wv)
				}
			}
		}
	}

	// Two layers, the second projected from CGCS2000 longitude/latitude.
	two := ogrFile(t, dir, "two.gpkg", "-a_srs", "EPSG:4527", src)
	gdal(t, "ogr2ogr", "-update", "-f", "GPKG", "-s_srs", "EPSG:4490", "-t_srs", "EPSG:4527", two,
		filepath.Join("testdata", "communities.geojson"))
	var le *gpkg.LayerError
	_, err := gpkg.Open(two, "")
	wantErr := two + " holds 2 layers: buildings, communities; name one as " + two + ":LAYER"
	if !errors.As(err, &le) || err.Error() != wantErr {
		t.Errorf("Open(two.gpkg, \"\") = %v, want %q", err, wantErr)
	}
	layers, err := gpkg.Layers(two)
	wantLayers := []gpkg.LayerInfo{{"buildings", "GEOMETRY", 4527, 4}, {"communities", "POLYGON", 4527, 2}}
	if err != nil || !reflect.DeepEqual(layers, wantLayers) {
		t.Errorf("Layers(two.gpkg) = %v, %v; want %v", layers, err, wantLayers)
	}
	r, got := readAll(t, two, "communities")
	if r.CRS() != "EPSG:4527" || len(got) != 2 || got[0].Properties[0].Value != "和平社区" || got[1].Properties[1].Value != "110105001002" {
		t.Fatalf("communities: CRS %q, features %v", r.CRS(), got)
	}
	// Zone 39's central meridian is 117°E, 39 500 000 m east; 30.5°N is
	// about 3 375 km north of the equator.
	for _, p := range got[0].Geometry.(orb.Polygon)[0] {
		if p[0] < 39497000 || p[0] > 39503000 || p[1] < 3370000 || p[1] > 3380000 {
			t.Errorf("communities: vertex %v is not in zone 39 near 117°E 30.5°N", p)
		}
	}
}
