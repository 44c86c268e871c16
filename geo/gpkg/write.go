package gpkg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/paulmach/orb"

	"gridplan/geo/feature"
)

// An SRS is a row of gpkg_spatial_ref_sys: the coordinate system of a
// layer written by [Encode]. For EPSG:4527, say: {Name: "CGCS2000 /
// 3-degree Gauss-Kruger zone 39", ID: 4527, Organization: "EPSG", OrgID:
// 4527, Definition: its WKT}. The zero SRS is srs_id 0, GeoPackage's
// undefined geographic system, and -1 its undefined Cartesian one; for
// these two the other fields are ignored.
type SRS struct {
	Name         string // srs_name
	ID           int    // srs_id, the key the layer refers to
	Organization string // e.g. "EPSG"; "NONE" for a system no authority defines
	OrgID        int    // organization_coordsys_id, the organization's code
	Definition   string // WKT (OGC 01-009)
	Description  string
}

// Encode returns a GeoPackage holding one feature layer, table, with the
// fields and features given (each feature's properties in field order,
// named as the fields) in the coordinate system srs. Features get fids
// 1, 2, ... in order; a nil geometry is written as NULL, and an empty one
// (no points) with the empty flag, so that both read back as nil. Field
// widths and precisions are not written: a GeoPackage column needs none.
//
// The geometry column "geom" has the type of the geometries: POLYGON if
// all are polygons, MULTIPOLYGON if some are multi-polygons and the rest
// polygons (which are then written as multi-polygons of one), likewise
// for points and lines, and GEOMETRY for a mix. The layer has a spatial
// index (the gpkg_rtree_index extension).
//
// The bytes depend on nothing but the arguments, the SQLite version of
// modernc.org/sqlite and the environment variable SOURCE_DATE_EPOCH: the
// layer's gpkg_contents.last_change is that time (seconds since 1970, the
// reproducible-builds convention), or 1970-01-01T00:00:00.000Z without it.
//
// Encode builds the file in a temporary file (os.CreateTemp), which it
// removes.
func Encode(table string, fields []feature.Field, features []feature.Feature, srs SRS) ([]byte, error) {
	if err := checkNames(table, fields); err != nil {
		return nil, err
	}
	if err := checkSRS(srs); err != nil {
		return nil, err
	}
	for i, f := range features {
		if err := checkFeature(f, fields); err != nil {
			return nil, fmt.Errorf("gpkg: feature %d: %w", i, err)
		}
	}
	tmp, err := os.CreateTemp("", "gridplan-*.gpkg")
	if err != nil {
		return nil, err
	}
	name := tmp.Name()
	defer os.Remove(name)
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := write(name, table, fields, features, srs); err != nil {
		return nil, fmt.Errorf("gpkg: writing %s: %w", name, err)
	}
	return os.ReadFile(name)
}

// write writes the GeoPackage to the empty file at path.
func write(path, table string, fields []feature.Field, features []feature.Feature, srs SRS) (err error) {
	db, err := sql.Open("sqlite", "file:"+uriPath(path))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, db.Close()) }()
	ctx := context.Background()
	conn, err := db.Conn(ctx) // pragmas hold for one connection
	if err != nil {
		return err
	}
	defer conn.Close()
	// No journal and no syncs: a failure leaves a temporary file that
	// Encode removes anyway.
	pragmas := fmt.Sprintf(`PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;
		PRAGMA application_id = %d; PRAGMA user_version = %d`, applicationID, userVersion)
	if _, err := conn.ExecContext(ctx, pragmas); err != nil {
		return err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fill(tx, table, fields, features, srs); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}

// fill creates the tables and writes the rows.
func fill(tx *sql.Tx, table string, fields []feature.Field, features []feature.Feature, srs SRS) error {
	if _, err := tx.Exec(createMetadata); err != nil {
		return err
	}
	rows := requiredSRS
	if srs.ID != -1 && srs.ID != 0 {
		rows = append(rows[:len(rows):len(rows)], srs) // a 4326 of the caller's replaces GDAL's
	}
	for _, s := range rows {
		_, err := tx.Exec(`INSERT OR REPLACE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)`,
			s.Name, s.ID, s.Organization, s.OrgID, s.Definition, s.Description)
		if err != nil {
			return err
		}
	}
	geomType, multi := geometryType(features)
	cols := []string{`"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`, quote(geomColumn) + " " + geomType}
	marks := []string{"?", "?"}
	for _, f := range fields {
		cols = append(cols, quote(f.Name)+" "+sqlTypes[f.Type])
		marks = append(marks, "?")
	}
	if _, err := tx.Exec("CREATE TABLE " + quote(table) + " (" + strings.Join(cols, ", ") + ")"); err != nil {
		return err
	}
	rtree := "rtree_" + table + "_" + geomColumn
	if _, err := tx.Exec("CREATE VIRTUAL TABLE " + quote(rtree) + " USING rtree(id, minx, maxx, miny, maxy)"); err != nil {
		return fmt.Errorf("spatial index: %w", err)
	}
	insert, err := tx.Prepare("INSERT INTO " + quote(table) + " VALUES (" + strings.Join(marks, ", ") + ")")
	if err != nil {
		return err
	}
	defer insert.Close()
	index, err := tx.Prepare("INSERT INTO " + quote(rtree) + " VALUES (?, ?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer index.Close()
	var bound orb.Bound
	var bounded bool
	var blob []byte
	args := make([]any, 2+len(fields))
	for i, f := range features {
		fid := int64(i + 1)
		args[0], args[1] = fid, nil
		if f.Geometry != nil {
			g := f.Geometry
			if multi {
				g = promote(g)
			}
			var env orb.Bound
			var ok bool
			blob, env, ok = encodeBlob(blob[:0], g, int32(srs.ID))
			args[1] = blob
			if ok {
				if _, err := index.Exec(fid, env.Min[0], env.Max[0], env.Min[1], env.Max[1]); err != nil {
					return fmt.Errorf("feature %d: spatial index: %w", i, err)
				}
				if bounded {
					env = env.Union(bound)
				}
				bound, bounded = env, true
			}
		}
		for j, p := range f.Properties {
			args[2+j] = p.Value
		}
		if _, err := insert.Exec(args...); err != nil {
			return fmt.Errorf("feature %d: %w", i, err)
		}
	}
	box := []any{nil, nil, nil, nil}
	if bounded {
		box = []any{bound.Min[0], bound.Min[1], bound.Max[0], bound.Max[1]}
	}
	if _, err := tx.Exec(`INSERT INTO gpkg_contents VALUES (?, 'features', ?, '', ?, ?, ?, ?, ?, ?)`,
		append(append([]any{table, table, lastChange()}, box...), srs.ID)...); err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO gpkg_geometry_columns VALUES (?, ?, ?, ?, 0, 0)`,
		table, geomColumn, geomType, srs.ID); err != nil {
		return err
	}
	if _, err := tx.Exec(`INSERT INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', ?, 'write-only')`,
		table, geomColumn, rtreeDefinition); err != nil {
		return err
	}
	_, err = tx.Exec(rtreeTriggers(table, geomColumn, rtree))
	return err
}
