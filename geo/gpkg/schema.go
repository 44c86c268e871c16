package gpkg

import "strings"

// File identification in the SQLite header (GeoPackage 1.2 Req 2):
// application_id "GPKG" and user_version 10200, GeoPackage 1.2. That is
// what GDAL writes by default (VERSION=AUTO, in 3.6 and in its current
// source), and GDAL 3.6, Debian 12's, warns that a 10400 (1.4) file "may
// only be partially supported". Nothing this package writes needs 1.3 or
// 1.4.
const (
	applicationID = 0x47504B47
	userVersion   = 10200
)

// The required tables of a feature GeoPackage (GeoPackage 1.2 §1.1.2,
// §1.1.3, §2.1.5) and the extensions table (§2.3), as GDAL creates them.
const createMetadata = `
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
  identifier TEXT UNIQUE, description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
  definition TEXT NOT NULL, scope TEXT NOT NULL,
  CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
`

// wgs84WKT is the definition of srs_id 4326, one of the three rows
// gpkg_spatial_ref_sys must hold (GeoPackage 1.2 Req 11), as GDAL writes it.
const wgs84WKT = `GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]`

// requiredSRS are the rows every gpkg_spatial_ref_sys holds.
var requiredSRS = []SRS{
	{"Undefined Cartesian SRS", -1, "NONE", -1, "undefined", "undefined Cartesian coordinate reference system"},
	{"Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"},
	{"WGS 84 geodetic", 4326, "EPSG", 4326, wgs84WKT, "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"},
}

// geomColumn is the name of the geometry column of the tables written,
// GDAL's default.
const geomColumn = "geom"

// rtreeDefinition is the gpkg_extensions definition of the spatial index
// extension of GeoPackage 1.2 (Annex F.3).
const rtreeDefinition = "http://www.geopackage.org/spec120/#extension_rtree"

// rtreeTriggers returns the triggers of GeoPackage 1.2 Annex F.3 that
// keep the spatial index rtree of table t in step with its geometry
// column c and primary key fid, for programs (QGIS, GDAL) that edit the
// file later; they call the ST_ functions those programs provide.
func rtreeTriggers(t, c, rtree string) string {
	r := strings.NewReplacer("<t>", quote(t), "<c>", quote(c), "<i>", `"fid"`, "<r>", quote(rtree),
		"<n>", strings.TrimSuffix(quote(rtree), `"`))
	return r.Replace(`
CREATE TRIGGER <n>_insert" AFTER INSERT ON <t> WHEN (new.<c> NOT NULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN INSERT OR REPLACE INTO <r> VALUES (NEW.<i>, ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>), ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>)); END;
CREATE TRIGGER <n>_update1" AFTER UPDATE OF <c> ON <t>
WHEN OLD.<i> = NEW.<i> AND (NEW.<c> NOTNULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN INSERT OR REPLACE INTO <r> VALUES (NEW.<i>, ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>), ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>)); END;
CREATE TRIGGER <n>_update2" AFTER UPDATE OF <c> ON <t>
WHEN OLD.<i> = NEW.<i> AND (NEW.<c> ISNULL OR ST_IsEmpty(NEW.<c>))
BEGIN DELETE FROM <r> WHERE id = OLD.<i>; END;
CREATE TRIGGER <n>_update3" AFTER UPDATE ON <t>
WHEN OLD.<i> != NEW.<i> AND (NEW.<c> NOTNULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN DELETE FROM <r> WHERE id = OLD.<i>;
INSERT OR REPLACE INTO <r> VALUES (NEW.<i>, ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>), ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>)); END;
CREATE TRIGGER <n>_update4" AFTER UPDATE ON <t>
WHEN OLD.<i> != NEW.<i> AND (NEW.<c> ISNULL OR ST_IsEmpty(NEW.<c>))
BEGIN DELETE FROM <r> WHERE id IN (OLD.<i>, NEW.<i>); END;
CREATE TRIGGER <n>_delete" AFTER DELETE ON <t> WHEN old.<c> NOT NULL
BEGIN DELETE FROM <r> WHERE id = OLD.<i>; END;
`)
}
