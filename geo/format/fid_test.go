package format

import (
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/crs"
	"gridplan/geo/feature"

	"github.com/paulmach/orb"
)

// writeKeyedGeoPackage writes three buildings to a GeoPackage whose
// primary key is called OBJECTID, as ArcGIS exports them, with the
// feature ids 11, 21 and 31, and returns its path. A building's fields are
// households and, if ids is not nil, id.
func writeKeyedGeoPackage(t *testing.T, ids []any) string {
	t.Helper()
	fields := []feature.Field{{Name: "households", Type: feature.Integer}}
	if ids != nil {
		fields = append(fields, feature.Field{Name: "id", Type: feature.String})
	}
	var fs []feature.Feature
	for i := range 3 {
		x := 116.9 + float64(i)*0.001
		ps := []feature.Property{{Name: "households", Value: int64(10 + i)}}
		if ids != nil {
			ps = append(ps, feature.Property{Name: "id", Value: ids[i]})
		}
		fs = append(fs, feature.Feature{Geometry: orb.Polygon{{{x, 36.65}, {x + 0.0005, 36.65}, {x + 0.0005, 36.6505}, {x, 36.6505}, {x, 36.65}}}, Properties: ps})
	}
	files, err := Encode("b", fields, fs, WriteOptions{Kind: GeoPackage, System: crs.WGS84})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b.gpkg")
	if err := os.WriteFile(path, files[0].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The spatial index's triggers call functions GDAL provides and a bare
	// SQLite lacks.
	for _, s := range []string{"insert", "update1", "update2", "update3", "update4", "delete"} {
		if _, err := db.Exec(`DROP TRIGGER rtree_b_geom_` + s); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []string{`ALTER TABLE b RENAME COLUMN fid TO OBJECTID`, `UPDATE b SET OBJECTID = OBJECTID * 10 + 1`} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return path
}

// loadBuildings reads the buildings layer at path as gridplan does, the
// building id being the property idField.
func loadBuildings(t *testing.T, path, idField string) ([]geo.Building, error) {
	t.Helper()
	l, err := Open(path, ReadOptions{IDFields: [2]string{idField, "id"}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := l.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	f := geo.DefaultFields()
	f.ID = idField
	bs, _, err := geo.LoadBuildings(path, rc, f)
	return bs, err
}

func buildingIDs(bs []geo.Building) []string {
	var ids []string
	for _, b := range bs {
		ids = append(ids, b.ID)
	}
	return ids
}

// TestGeoPackageFeatureIDs: a GeoPackage feature's id (its primary key,
// ArcGIS's OBJECTID or GDAL's fid) is the feature's id, which a building
// without an id property takes, as a GeoJSON feature's "id" is; and the
// key column may be named as the id property (--id-field OBJECTID). An id
// column, where there is one, is the building id, as before.
func TestGeoPackageFeatureIDs(t *testing.T) {
	fids := []string{"11", "21", "31"}
	path := writeKeyedGeoPackage(t, nil)
	for _, idField := range []string{"id", "OBJECTID"} {
		bs, err := loadBuildings(t, path, idField)
		if err != nil || !slices.Equal(buildingIDs(bs), fids) {
			t.Errorf("id property %s: buildings %v, %v; want the feature ids %v", idField, buildingIDs(bs), err, fids)
		}
	}

	path = writeKeyedGeoPackage(t, []any{"B1", "B2", "B3"})
	if bs, err := loadBuildings(t, path, "id"); err != nil || !slices.Equal(buildingIDs(bs), []string{"B1", "B2", "B3"}) {
		t.Errorf("with an id column: buildings %v, %v; want B1, B2, B3", buildingIDs(bs), err)
	}
	// A null id falls back to the feature id, as in a GeoJSON layer.
	path = writeKeyedGeoPackage(t, []any{"B1", nil, "B3"})
	if bs, err := loadBuildings(t, path, "id"); err != nil || !slices.Equal(buildingIDs(bs), []string{"B1", "21", "B3"}) {
		t.Errorf("with a null id: buildings %v, %v; want B1, 21, B3", buildingIDs(bs), err)
	}

	// The stream gives the key column as a property only where an id
	// field names it: the layer's properties are otherwise as before.
	l, err := Open(path, ReadOptions{IDFields: [2]string{"id", "id"}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := l.Open()
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	want := `{"type":"Feature","id":11,"properties":{"households":10,"id":"B1"},"geometry":`
	if got := string(data); !strings.Contains(got, want) || strings.Contains(got, "OBJECTID") {
		t.Errorf("the collection reads\n%.300s\nwant features such as %s and no OBJECTID property", got, want)
	}
}
