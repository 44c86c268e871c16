package gpkg_test

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gridplan/geo/feature"
	"gridplan/geo/gpkg"
)

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

// TestReadFeatureView: a feature view (GeoPackage 1.2 allows them, GDAL
// reads them) declares no primary key; with its fid column it is read as
// the table is, fields and all, and without one its features are numbered
// in order.
func TestReadFeatureView(t *testing.T) {
	want := testFeatures()
	path := writeFile(t, "grids.gpkg", "grids", testFields, want, gk39(t))
	var cols []string
	for _, f := range testFields {
		cols = append(cols, `"`+f.Name+`"`)
	}
	list := strings.Join(cols, ", ")
	exec(t, path,
		`CREATE VIEW v AS SELECT fid, geom, `+list+` FROM grids`,
		`CREATE VIEW w AS SELECT geom, `+list+` FROM grids`,
		`INSERT INTO gpkg_contents (table_name, data_type, srs_id) SELECT 'v', 'features', srs_id FROM gpkg_contents WHERE table_name = 'grids'`,
		`INSERT INTO gpkg_contents (table_name, data_type, srs_id) SELECT 'w', 'features', srs_id FROM gpkg_contents WHERE table_name = 'grids'`,
		`INSERT INTO gpkg_geometry_columns SELECT 'v', column_name, geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns WHERE table_name = 'grids'`,
		`INSERT INTO gpkg_geometry_columns SELECT 'w', column_name, geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns WHERE table_name = 'grids'`)
	for _, view := range []string{"v", "w"} {
		// With an fid column, the features have the table's ids; without
		// one, none.
		for i := range want {
			want[i].ID = nil
			if view == "v" {
				want[i].ID = int64(i + 1)
			}
		}
		r, got := readAll(t, path, view)
		if !reflect.DeepEqual(r.Fields(), testFields) || !reflect.DeepEqual(got, want) {
			t.Errorf("view %s: fields %v, %d features; want the table's", view, r.Fields(), len(got))
		}
	}
}

// TestReadFeatureIDs: each feature's ID is its primary key (the fid, as
// GDAL reads it), whatever the key column is called (ArcGIS's OBJECTID);
// the key column is named by FIDColumn and is no field.
func TestReadFeatureIDs(t *testing.T) {
	path := writeFile(t, "b.gpkg", "grids", testFields, testFeatures(), gk39(t))
	exec(t, path,
		`CREATE TABLE b (OBJECTID INTEGER PRIMARY KEY, geom POINT, label TEXT(20))`,
		`INSERT INTO gpkg_contents (table_name, data_type, srs_id) VALUES ('b', 'features', 4326)`,
		`INSERT INTO gpkg_geometry_columns VALUES ('b', 'geom', 'POINT', 4326, 0, 0)`,
		`INSERT INTO b VALUES (7, NULL, 'seven'), (3, NULL, 'three'), (12, NULL, NULL)`)
	r, got := readAll(t, path, "b")
	if r.FIDColumn() != "OBJECTID" || !reflect.DeepEqual(r.Fields(), []feature.Field{{Name: "label", Type: feature.String, Width: 20}}) {
		t.Errorf("FIDColumn %q, fields %v; want OBJECTID, and label alone", r.FIDColumn(), r.Fields())
	}
	want := []feature.Feature{
		{Properties: []feature.Property{{Name: "label", Value: "three"}}, ID: int64(3)},
		{Properties: []feature.Property{{Name: "label", Value: "seven"}}, ID: int64(7)},
		{Properties: []feature.Property{{Name: "label", Value: nil}}, ID: int64(12)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("features %+v, want %+v", got, want)
	}
	r, got = readAll(t, path, "grids")
	if r.FIDColumn() != "fid" || len(got) != 6 || got[0].ID != int64(1) || got[5].ID != int64(6) {
		t.Errorf("grids: FIDColumn %q, %d features, the first and last ids %v, %v; want fid, 6, 1 and 6", r.FIDColumn(), len(got), got[0].ID, got[5].ID)
	}
}
