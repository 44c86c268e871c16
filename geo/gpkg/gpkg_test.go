package gpkg_test

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"gridplan/geo/feature"
	"gridplan/geo/gpkg"
)

// gk39 is EPSG:4527, CGCS2000 / 3-degree Gauss-Kruger zone 39, with the
// WKT of `gdalsrsinfo -o wkt1 EPSG:4527` (GDAL 3.6.2).
func gk39(t testing.TB) gpkg.SRS {
	t.Helper()
	wkt, err := os.ReadFile("testdata/epsg4527.wkt")
	if err != nil {
		t.Fatal(err)
	}
	return gpkg.SRS{Name: "CGCS2000 / 3-degree Gauss-Kruger zone 39", ID: 4527, Organization: "EPSG",
		OrgID: 4527, Definition: strings.TrimSpace(string(wkt))}
}

var (
	square = orb.Ring{{39500000, 3380000}, {39500040, 3380000}, {39500040, 3380040}, {39500000, 3380040}, {39500000, 3380000}}
	hole   = orb.Ring{{39500010, 3380010}, {39500010, 3380020}, {39500020, 3380020}, {39500020, 3380010}, {39500010, 3380010}}
	far    = orb.Ring{{39600000.125, 3390000.5}, {39600001, 3390000.5}, {39600001, 3390001}, {39600000.125, 3390000.5}}
)

var testFields = []feature.Field{
	{Name: "name", Type: feature.String},
	{Name: "households", Type: feature.Integer},
	{Name: "area_m2", Type: feature.Real},
	{Name: "elevator", Type: feature.Bool},
	{Name: "built", Type: feature.Date},
}

func props(vals ...any) []feature.Property {
	ps := make([]feature.Property, len(vals))
	for i, v := range vals {
		ps[i] = feature.Property{Name: testFields[i].Name, Value: v}
	}
	return ps
}

// testFeatures are polygons with a hole, multipolygons, a feature without
// geometry, nulls, Chinese and other non-ASCII text and extreme numbers.
func testFeatures() []feature.Feature {
	return []feature.Feature{
		{Geometry: orb.MultiPolygon{{square, hole}}, Properties: props("幸福里小区 3号楼", int64(420), 812.25, true, "1998-06-30")},
		{Geometry: orb.MultiPolygon{{square}, {far}}, Properties: props("東方明珠苑「北区」🏠\t\"引号\"", int64(0), -3.5, false, nil)},
		{Geometry: nil, Properties: props(nil, nil, nil, nil, "2024-02-29")},
		{Geometry: orb.MultiPolygon{{far}}, Properties: props("", int64(math.MaxInt64), 0.1, nil, "2000-01-01")},
		{Geometry: orb.MultiPolygon{{hole}}, Properties: props("x", int64(math.MinInt64), 1e300, true, nil)},
		{Geometry: orb.MultiPolygon{{square}}, Properties: props("y", int64(-1), 5e-324, false, "1970-01-01")},
	}
}

// writeFile encodes a layer and writes it to a file in a new directory.
func writeFile(t *testing.T, name, table string, fields []feature.Field, fs []feature.Feature, srs gpkg.SRS) string {
	t.Helper()
	b, err := gpkg.Encode(table, fields, fs, srs)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll reads a layer whole, failing the test on any error.
func readAll(t *testing.T, path, layer string) (*gpkg.Reader, []feature.Feature) {
	t.Helper()
	r, err := gpkg.Open(path, layer)
	if err != nil {
		t.Fatalf("Open(%q, %q): %v", path, layer, err)
	}
	var fs []feature.Feature
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Next after %d features: %v", len(fs), err)
		}
		fs = append(fs, f)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return r, fs
}

func TestRoundTrip(t *testing.T) {
	want := testFeatures()
	path := writeFile(t, "grids.gpkg", "grids", testFields, want, gk39(t))
	r, got := readAll(t, path, "")
	if !reflect.DeepEqual(r.Fields(), testFields) {
		t.Errorf("Fields() = %v, want %v", r.Fields(), testFields)
	}
	if r.CRS() != "EPSG:4527" {
		t.Errorf("CRS() = %q, want EPSG:4527", r.CRS())
	}
	if len(got) != len(want) {
		t.Fatalf("read %d features, want %d", len(got), len(want))
	}
	for i := range want {
		want[i].ID = int64(i + 1) // the fid, in the order written
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("feature %d = %v, want %v", i, got[i], want[i])
		}
	}
	layers, err := gpkg.Layers(path)
	wantLayers := []gpkg.LayerInfo{{Name: "grids", GeometryType: "MULTIPOLYGON", SRSID: 4527, Features: int64(len(want))}}
	if err != nil || !reflect.DeepEqual(layers, wantLayers) {
		t.Errorf("Layers = %v, %v; want %v", layers, err, wantLayers)
	}
}

func TestGeometryType(t *testing.T) {
	poly := orb.Polygon{square, hole}
	tests := []struct {
		geoms []orb.Geometry
		want  string
		read  []orb.Geometry // what comes back, if not geoms
	}{
		{[]orb.Geometry{poly, nil, poly}, "POLYGON", nil},
		{[]orb.Geometry{poly, orb.MultiPolygon{{far}}}, "MULTIPOLYGON", []orb.Geometry{orb.MultiPolygon{poly}, orb.MultiPolygon{{far}}}},
		{[]orb.Geometry{orb.Polygon{}, orb.MultiPolygon{{far}}}, "MULTIPOLYGON", []orb.Geometry{nil, orb.MultiPolygon{{far}}}},
		{[]orb.Geometry{orb.Point{1, 2}, orb.Point{3, 4}}, "POINT", nil},
		{[]orb.Geometry{orb.Point{1, 2}, orb.MultiPoint{{3, 4}}}, "MULTIPOINT", []orb.Geometry{orb.MultiPoint{{1, 2}}, orb.MultiPoint{{3, 4}}}},
		{[]orb.Geometry{orb.LineString{{1, 2}, {3, 4}}}, "LINESTRING", nil},
		{[]orb.Geometry{poly, orb.Point{1, 2}}, "GEOMETRY", nil},
		{[]orb.Geometry{orb.Collection{poly, orb.Point{1, 2}}}, "GEOMETRYCOLLECTION", nil},
		{[]orb.Geometry{nil}, "GEOMETRY", nil},
		{nil, "GEOMETRY", nil},
	}
	for _, tt := range tests {
		fs := make([]feature.Feature, len(tt.geoms))
		for i, g := range tt.geoms {
			fs[i].Geometry = g
		}
		path := writeFile(t, "g.gpkg", "g", nil, fs, gpkg.SRS{ID: -1})
		layers, err := gpkg.Layers(path)
		if err != nil || len(layers) != 1 || layers[0].GeometryType != tt.want {
			t.Errorf("%v: Layers = %v, %v; want geometry type %s", tt.geoms, layers, err, tt.want)
		}
		r, got := readAll(t, path, "g")
		want := tt.read
		if want == nil {
			want = tt.geoms
		}
		for i, f := range got {
			if !reflect.DeepEqual(f.Geometry, want[i]) || len(f.Properties) != 0 {
				t.Errorf("%v: feature %d = %v, want %v", tt.geoms, i, f, want[i])
			}
		}
		if r.CRS() != "" {
			t.Errorf("srs -1: CRS() = %q, want \"\"", r.CRS())
		}
	}
}

func TestEncodeDeterministic(t *testing.T) {
	srs := gk39(t)
	a, err1 := gpkg.Encode("grids", testFields, testFeatures(), srs)
	b, err2 := gpkg.Encode("grids", testFields, testFeatures(), srs)
	if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
		t.Fatalf("two Encodes of one input differ (%d and %d bytes; %v, %v)", len(a), len(b), err1, err2)
	}
	if !bytes.Contains(a, []byte("1970-01-01T00:00:00.000Z")) {
		t.Errorf("no last_change 1970-01-01T00:00:00.000Z without SOURCE_DATE_EPOCH")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	c, err := gpkg.Encode("grids", testFields, testFeatures(), srs)
	if err != nil || !bytes.Contains(c, []byte("2023-11-14T22:13:20.000Z")) {
		t.Errorf("SOURCE_DATE_EPOCH=1700000000: no last_change 2023-11-14T22:13:20.000Z (%v)", err)
	}
}

func TestEncodeErrors(t *testing.T) {
	ok := testFeatures()[0]
	tests := []struct {
		name   string
		table  string
		fields []feature.Field
		f      feature.Feature
		want   string
	}{
		{"empty table", "", testFields, ok, "table name"},
		{"reserved table", "GPKG_x", testFields, ok, "reserved"},
		{"fid field", "t", []feature.Field{{Name: "FID"}}, feature.Feature{Properties: []feature.Property{{Name: "FID"}}}, "repeats"},
		{"twice", "t", []feature.Field{{Name: "a"}, {Name: "A"}}, feature.Feature{}, "repeats"},
		{"too few", "t", testFields, feature.Feature{Properties: props("a")}, "1 properties for 5 fields"},
		{"misnamed", "t", testFields[:1], feature.Feature{Properties: []feature.Property{{Name: "nam", Value: "a"}}}, `property 0 is "nam"`},
		{"int for real", "t", testFields, feature.Feature{Properties: props("a", int64(1), int64(2), true, nil)}, "is not a number"},
		{"int", "t", testFields, feature.Feature{Properties: props("a", 1, 2.0, true, nil)}, "is not an integer"},
		{"NaN", "t", testFields, feature.Feature{Properties: props("a", int64(1), math.NaN(), true, nil)}, "is not a number"},
		{"date", "t", testFields, feature.Feature{Properties: props("a", int64(1), 2.0, true, "2024/01/02")}, "is not a date"},
		{"UTF-8", "t", testFields, feature.Feature{Properties: props("a\xff", int64(1), 2.0, true, nil)}, "not UTF-8"},
		{"ring", "t", nil, feature.Feature{Geometry: square}, "orb.Ring is not a GeoPackage geometry"},
		{"infinite", "t", nil, feature.Feature{Geometry: orb.Polygon{{{0, 0}, {math.Inf(1), 0}, {0, 1}, {0, 0}}}}, "not finite"},
	}
	for _, tt := range tests {
		_, err := gpkg.Encode(tt.table, tt.fields, []feature.Feature{tt.f}, gk39(t))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Encode = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
	if _, err := gpkg.Encode("t", nil, nil, gpkg.SRS{ID: 4527}); err == nil {
		t.Errorf("Encode with an SRS lacking its definition succeeded")
	}
}
