// Package gpkg reads and writes GeoPackage feature layers (OGC 12-128,
// GeoPackage 1.2), the SQLite files QGIS and GDAL use in place of
// shapefiles, through modernc.org/sqlite, a pure-Go SQLite, so that the
// binary needs no cgo.
//
// [Open] reads one feature layer as a [feature.Reader]. The file is opened
// read-only and immutable (sqlite.org/uri.html): SQLite takes no lock and
// creates no journal, -wal or -shm file, and the file's bytes and time
// stay as they were. Rows come one at a time in primary-key (fid) order.
// Fields are typed from the columns' declared types; columns of BLOB
// affinity are left out. Geometries are the standard GeoPackage blobs in
// either byte order, with any envelope, in ISO or EWKB-flagged WKB; Z and
// M are read and dropped, since gridplan works in two dimensions. GDAL's
// curve types are read where they are straight (compound curves of line
// strings, curve polygons, multi-surfaces, triangles, TINs); circular
// arcs are refused ([ErrCurve]), as are extended blobs (the X flag).
//
// [Encode] writes one feature layer and returns the file's bytes, equal
// for equal inputs: GeoPackage 1.2, as GDAL writes by default, with the
// required metadata tables and an rtree spatial index.
//
// Tile and attribute (non-spatial) tables are neither read nor written.
package gpkg
