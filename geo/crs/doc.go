// Package crs holds the coordinate reference systems that Chinese GIS
// offices use for the layers gridplan reads and writes, and converts
// between them and WGS 84 longitude/latitude, the system everything
// inside gridplan works in.
//
// The systems ([System]) are WGS 84 (EPSG:4326) and CGCS2000 (EPSG:4490)
// longitude/latitude; the CGCS2000 Gauss–Krüger zones, 3° and 6° wide,
// with and without the zone number in the false easting (EPSG:4491–4554);
// WGS 84 / UTM north (EPSG:32601–32660); Web Mercator (EPSG:3857), the
// spherical Mercator of web tiles and online maps; and the offset
// longitude/latitude of Chinese web maps, GCJ-02 (Amap, Tencent) and BD-09
// (Baidu). A system is named by [Parse] ("EPSG:4527", "gcj02"), recognised
// from a .prj or a GeoPackage's definition by [FromWKT], and written back by
// [System.ESRIWKT], [System.WKT] and [System.SpatialRefSys] as GDAL
// writes them. [System.Check] tells whether a layer's extent can be in a
// system and [Suggest] which systems it can be in.
//
// Assumptions:
//
//   - WGS 84 and CGCS2000 are the same frame. Their realisations differ
//     by a few centimetres, well below the accuracy of building and
//     boundary layers, and no transformation between them is published
//     for general use. Each projection uses its own ellipsoid (CGCS2000's
//     a = 6378137 m, 1/f = 298.257222101; WGS 84's 1/f = 298.257223563 for
//     UTM), as the EPSG definitions do; the two differ by 0.1 mm on the
//     ground.
//   - Coordinates are in "traditional GIS order", x east and y north,
//     whatever axis order an EPSG definition states, as in shapefiles,
//     GeoPackages and GeoJSON.
//   - Beijing 1954, Xi'an 1980 and New Beijing are refused
//     ([ErrOldDatum]): converting them needs local transformation
//     parameters.
//   - GCJ-02 and BD-09 have no registry code; their layers are labelled
//     WGS 84 when written, as GIS software does.
//
// Sources: Web Mercator is as IOGP Guidance Note 7-2 gives EPSG method
// 1024 (Popular Visualisation Pseudo Mercator) and agrees with GDAL 3.6 /
// PROJ 9.1 to a micrometre. The transverse Mercator projection is
// Krüger's series to sixth order as given by C. F. F. Karney, "Transverse
// Mercator with an accuracy of a few nanometers", J. Geodesy 85(8),
// 475–485 (2011); it
// agrees with GDAL 3.6 / PROJ 9.1 to 45 nm over China's zones. The GCJ-02
// and BD-09 offsets are the widely circulated reconstructions (as in
// github.com/googollee/eviltransform and github.com/wandergis/coordtransform),
// inverted here by iteration to 1e-10° rather than the one step those
// libraries take, which is up to 4.6 m off.
package crs
