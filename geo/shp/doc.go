// Package shp reads and writes ESRI Shapefiles: the geometry (.shp), its
// index (.shx), the attribute table (.dbf, dBASE III), the text encoding
// of that table (.cpg) and the coordinate system (.prj, WKT), after the
// ESRI Shapefile Technical Description (July 1998) and what GDAL, the
// reader QGIS uses, reads and writes.
//
// [Open] returns a [Reader], a [feature.Reader] that streams a layer one
// record at a time, so that a layer of hundreds of megabytes is never
// held whole; [Encode] returns the files of a layer as bytes.
//
// Polygons are returned in RFC 7946 orientation (outer rings
// counter-clockwise, holes clockwise) and written in the shapefile's
// (outer rings clockwise). Text is returned as UTF-8 whatever the table's
// encoding; see [ReadOptions] for how that encoding is found.
//
// Corrupt input is an [*Error] naming the file and the record, never a
// panic; every allocation is bounded by the size of the file read.
package shp
