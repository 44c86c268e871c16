package gpkg_test

import (
	"bytes"
	"database/sql"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

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

// snapshot is what reading must not change: the directory's entries and
// each file's bytes and modification time.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = fi.ModTime().String() + " " + string(b)
	}
	return m
}

func TestReadLeavesFileAlone(t *testing.T) {
	// A name SQLite URIs must escape, in a directory of its own.
	path := writeFile(t, "网格 #1?%20&mode=rw.gpkg", "grids", testFields, testFeatures(), gk39(t))
	// In WAL mode, as QGIS leaves files it edited, where any reader but an
	// immutable one creates the -wal and -shm files.
	exec(t, path, `PRAGMA journal_mode = WAL`)
	if b, err := os.ReadFile(path); err != nil || b[18] != 2 {
		t.Fatalf("%s is not in WAL mode (%v)", path, err)
	}
	past := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	if err := os.Chtimes(path, past, past); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, filepath.Dir(path))
	if _, err := gpkg.Layers(path); err != nil {
		t.Fatal(err)
	}
	r, err := gpkg.Open(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if during := snapshot(t, filepath.Dir(path)); !reflect.DeepEqual(during, before) {
		t.Errorf("while reading, the directory holds %v, want only %s unchanged", slices.Sorted(mapKeys(during)), filepath.Base(path))
	}
	r.Close()
	readAll(t, path, "grids")
	if after := snapshot(t, filepath.Dir(path)); !reflect.DeepEqual(after, before) {
		t.Errorf("after reading, the directory holds %v, want only %s unchanged", slices.Sorted(mapKeys(after)), filepath.Base(path))
	}
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// uri is the SQLite URI of the file at the absolute path p.
func uri(p string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// exec runs SQL statements on the file at path, read-write.
func exec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", uri(path))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// update runs SQL statements on the layer grids at path, after dropping
// the triggers of its spatial index, which call functions (ST_IsEmpty, ...)
// that GDAL and QGIS provide and a bare SQLite lacks.
func update(t *testing.T, path string, stmts ...string) {
	t.Helper()
	var drop []string
	for _, s := range []string{"insert", "update1", "update2", "update3", "update4", "delete"} {
		drop = append(drop, "DROP TRIGGER rtree_grids_geom_"+s)
	}
	exec(t, path, append(drop, stmts...)...)
}

// addLayer adds an empty feature layer to the GeoPackage at path.
func addLayer(t *testing.T, path, name string) {
	t.Helper()
	exec(t, path,
		`CREATE TABLE "`+name+`" (fid INTEGER PRIMARY KEY, geom POINT, label TEXT(20))`,
		`INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES ('`+name+`', 'features', 4326)`,
		`INSERT INTO gpkg_geometry_columns VALUES ('`+name+`', 'geom', 'POINT', 4326, 0, 0)`)
}

func TestOpenLayers(t *testing.T) {
	path := writeFile(t, "city.gpkg", "buildings", testFields, testFeatures(), gk39(t))
	addLayer(t, path, "roads")
	addLayer(t, path, "communities")
	var le *gpkg.LayerError
	_, err := gpkg.Open(path, "")
	want := path + " holds 3 layers: buildings, communities, roads; name one as " + path + ":LAYER"
	if !errors.As(err, &le) || err.Error() != want {
		t.Errorf("Open(%q, \"\") = %v, want %q", path, err, want)
	}
	_, err = gpkg.Open(path, "rivers")
	want = path + ` has no feature layer "rivers"; its layers: buildings, communities, roads`
	if !errors.As(err, &le) || err.Error() != want {
		t.Errorf("Open(%q, rivers) = %v, want %q", path, err, want)
	}
	r, fs := readAll(t, path, "ROADS")
	wantFields := []feature.Field{{Name: "label", Type: feature.String, Width: 20}}
	if len(fs) != 0 || r.CRS() != "EPSG:4326" || !reflect.DeepEqual(r.Fields(), wantFields) {
		t.Errorf("layer ROADS: %d features, CRS %q, fields %v; want 0, EPSG:4326, %v", len(fs), r.CRS(), r.Fields(), wantFields)
	}
	exec(t, path, `DELETE FROM gpkg_contents WHERE data_type = 'features'`)
	if _, err := gpkg.Open(path, ""); !errors.As(err, &le) || !strings.HasSuffix(err.Error(), "holds no feature layer") {
		t.Errorf("no layers: Open = %v, want a LayerError ending \"holds no feature layer\"", err)
	}
}

func TestOpenNotGeoPackage(t *testing.T) {
	dir := t.TempDir()
	geojson := filepath.Join(dir, "b.gpkg")
	os.WriteFile(geojson, []byte(`{"type":"FeatureCollection","features":[]}`), 0o644)
	plain := filepath.Join(dir, "plain.sqlite")
	exec(t, plain, `CREATE TABLE t (x)`)
	for _, path := range []string{geojson, plain} {
		if _, err := gpkg.Open(path, ""); !errors.Is(err, gpkg.ErrNotGeoPackage) {
			t.Errorf("Open(%s) = %v, want ErrNotGeoPackage", filepath.Base(path), err)
		}
		if _, err := gpkg.Layers(path); !errors.Is(err, gpkg.ErrNotGeoPackage) {
			t.Errorf("Layers(%s) = %v, want ErrNotGeoPackage", filepath.Base(path), err)
		}
	}
	if _, err := gpkg.Open(filepath.Join(dir, "missing.gpkg"), ""); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open(missing.gpkg) = %v, want os.ErrNotExist", err)
	}
}

func TestOpenWAL(t *testing.T) {
	path := writeFile(t, "wal.gpkg", "grids", testFields, testFeatures(), gk39(t))
	db, err := sql.Open("sqlite", uri(path))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	update(t, path)
	// An open writer in WAL mode: its change is in wal.gpkg-wal only.
	for _, s := range []string{`PRAGMA journal_mode = WAL`, `PRAGMA wal_autocheckpoint = 0`, `UPDATE grids SET name = 'changed'`} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := gpkg.Open(path, ""); err == nil || !strings.Contains(err.Error(), "write-ahead log") {
		t.Errorf("Open with a live -wal = %v, want an error about the write-ahead log", err)
	}
	db.Close() // checkpoints and removes the -wal
	_, fs := readAll(t, path, "")
	if fs[0].Properties[0].Value != "changed" {
		t.Errorf("after the checkpoint, name = %v, want changed", fs[0].Properties[0].Value)
	}
}

func TestNextErrors(t *testing.T) {
	tests := []struct {
		update string
		want   string
	}{
		{`UPDATE grids SET geom = x'4750000300000000' WHERE fid = 2`, "feature 1 (fid 2): geometry: truncated geometry header"},
		{`UPDATE grids SET geom = 'text' WHERE fid = 2`, "feature 1 (fid 2): geometry: a string, not a GeoPackage blob"},
		{`UPDATE grids SET households = 'many' WHERE fid = 3`, `feature 2 (fid 3): field households: "many" is not an integer`},
		{`UPDATE grids SET households = 2.5 WHERE fid = 3`, `feature 2 (fid 3): field households: 2.5 is not an integer`},
		{`UPDATE grids SET elevator = 2 WHERE fid = 1`, `feature 0 (fid 1): field elevator: 2 is not a boolean`},
		{`UPDATE grids SET built = '2023-02-29' WHERE fid = 1`, `feature 0 (fid 1): field built: "2023-02-29" is not a date`},
		{`UPDATE grids SET name = CAST(x'ff' AS TEXT) WHERE fid = 1`, `feature 0 (fid 1): field name: text that is not UTF-8`},
	}
	for _, tt := range tests {
		path := writeFile(t, "bad.gpkg", "grids", testFields, testFeatures(), gk39(t))
		update(t, path, tt.update)
		r, err := gpkg.Open(path, "")
		if err != nil {
			t.Fatal(err)
		}
		for err == nil {
			_, err = r.Next()
		}
		r.Close()
		var fe *gpkg.FeatureError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), path+": layer grids: "+tt.want) {
			t.Errorf("%s: Next = %v, want a FeatureError naming %q", tt.update, err, tt.want)
		}
	}
}

func TestReadConverts(t *testing.T) {
	// SQLite keeps what it is given where the declared type allows it.
	path := writeFile(t, "conv.gpkg", "grids", testFields, testFeatures(), gk39(t))
	update(t, path, `UPDATE grids SET households = 7.0, area_m2 = 3, elevator = 1.0 WHERE fid = 1`)
	_, fs := readAll(t, path, "")
	got := fs[0].Properties
	if got[1].Value != int64(7) || got[2].Value != 3.0 || got[3].Value != true {
		t.Errorf("properties %v, want households 7, area_m2 3.0, elevator true", got)
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
