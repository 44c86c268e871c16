package gpkg

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the driver "sqlite"
)

// sqliteMagic opens every SQLite 3 database file (sqlite.org/fileformat).
const sqliteMagic = "SQLite format 3\x00"

// openDB opens the GeoPackage at path read-only, as immutable: SQLite
// then takes no locks and creates no journal, -wal or -shm file, so that
// reading leaves the file and its directory as they were, even on a
// read-only medium. A database in WAL mode whose -wal file holds pages
// not yet written back is refused, since an immutable reader would miss
// them.
func openDB(path string) (*sql.DB, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 100) // the database header
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || !bytes.HasPrefix(head, []byte(sqliteMagic)) {
		return nil, fmt.Errorf("%s: %w: not a SQLite database", path, ErrNotGeoPackage)
	}
	const walVersion = 2 // header bytes 18 and 19, the read and write versions
	if head[18] == walVersion {
		if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
			return nil, fmt.Errorf("%s: its write-ahead log %s-wal holds changes not yet in the file; close the program writing it (QGIS?) and try again", path, path)
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+uriPath(abs)+"?mode=ro&immutable=1")
	if err != nil {
		return nil, err
	}
	// One connection: a Reader streams its rows on it, and no two
	// statements of this package run at once.
	db.SetMaxOpenConns(1)
	var n int
	err = db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view')
		AND name IN ('gpkg_contents', 'gpkg_geometry_columns', 'gpkg_spatial_ref_sys')`).Scan(&n)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if n != 3 {
		db.Close()
		return nil, fmt.Errorf("%s: %w: a SQLite database without the tables gpkg_contents, gpkg_geometry_columns and gpkg_spatial_ref_sys", path, ErrNotGeoPackage)
	}
	return db, nil
}

// uriPath escapes the absolute path p for a SQLite file: URI
// (sqlite.org/uri.html): '%', '?' and '#' are percent-encoded, and a
// Windows drive path gets the leading slash URIs need.
func uriPath(p string) string {
	p = filepath.ToSlash(p)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// LayerInfo describes a feature layer of a GeoPackage.
type LayerInfo struct {
	Name         string // the feature table
	GeometryType string // gpkg_geometry_columns.geometry_type_name, e.g. "MULTIPOLYGON"
	SRSID        int    // the geometry column's srs_id in gpkg_spatial_ref_sys
	Features     int64  // rows in the table
}

// layer is a LayerInfo and the name of its geometry column.
type layer struct {
	LayerInfo
	geomColumn string
}

// Layers returns the feature layers of the GeoPackage at path, in name
// order: the gpkg_contents rows of data_type 'features' that have a
// geometry column.
func Layers(path string) ([]LayerInfo, error) {
	db, err := openDB(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	ls, err := layers(db, path, true)
	if err != nil {
		return nil, err
	}
	infos := make([]LayerInfo, len(ls))
	for i, l := range ls {
		infos[i] = l.LayerInfo
	}
	return infos, nil
}

// layers lists the feature layers, counting their rows if count is set.
func layers(db *sql.DB, path string, count bool) ([]layer, error) {
	rows, err := db.Query(`SELECT c.table_name, g.column_name, g.geometry_type_name, g.srs_id
		FROM gpkg_contents c JOIN gpkg_geometry_columns g ON lower(g.table_name) = lower(c.table_name)
		WHERE lower(c.data_type) = 'features' ORDER BY c.table_name`)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var ls []layer
	for rows.Next() {
		var l layer
		if err := rows.Scan(&l.Name, &l.geomColumn, &l.GeometryType, &l.SRSID); err != nil {
			rows.Close()
			return nil, fmt.Errorf("%s: gpkg_geometry_columns: %w", path, err)
		}
		ls = append(ls, l)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i := range ls {
		if !count {
			break
		}
		if err := db.QueryRow("SELECT count(*) FROM " + quote(ls[i].Name)).Scan(&ls[i].Features); err != nil {
			return nil, fmt.Errorf("%s: layer %s: %w", path, ls[i].Name, err)
		}
	}
	return ls, nil
}

// crs returns the coordinate system of srs_id id as [feature.Reader.CRS]
// states it: "EPSG:n" for an EPSG definition, else the definition's WKT;
// "" for the undefined systems -1 and 0.
func crs(db *sql.DB, id int) (string, error) {
	if id == -1 || id == 0 {
		return "", nil
	}
	var org, def string
	var code int64
	err := db.QueryRow(`SELECT organization, organization_coordsys_id, definition
		FROM gpkg_spatial_ref_sys WHERE srs_id = ?`, id).Scan(&org, &code, &def)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", fmt.Errorf("srs_id %d is not in gpkg_spatial_ref_sys", id)
	case err != nil:
		return "", fmt.Errorf("gpkg_spatial_ref_sys: %w", err)
	case strings.EqualFold(org, "EPSG"):
		return fmt.Sprintf("EPSG:%d", code), nil
	case strings.EqualFold(def, "undefined"):
		return "", nil
	}
	return def, nil
}

// quote quotes a SQL identifier.
func quote(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
