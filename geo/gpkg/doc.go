// Package gpkg reads and writes GeoPackage feature layers (OGC 12-128,
// GeoPackage 1.4), the SQLite files that QGIS and GDAL use in place of
// shapefiles, through modernc.org/sqlite, a pure-Go SQLite, so that the
// binary needs no cgo.
//
// Geometries are the standard GeoPackage blobs: a "GP" header with an
// optional envelope, then ISO or extended (EWKB-style) WKB. Z and M
// ordinates are read and dropped; gridplan works in two dimensions.
package gpkg
