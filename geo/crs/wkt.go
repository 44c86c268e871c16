package crs

import (
	"fmt"
	"strconv"
	"strings"
)

// WKT returns the system's OGC WKT1 definition with AUTHORITY nodes, on
// one line, exactly as GDAL 3 writes it in a GeoPackage's
// gpkg_spatial_ref_sys table (AXIS nodes included); GDAL, QGIS and ArcGIS
// also accept it in a .prj file.
//
// GCJ-02 and BD-09 have no definition in any registry; layers in them are
// labelled WGS 84 in practice (they are longitude/latitude, merely
// offset), so WKT returns the WGS 84 definition and the offset is not
// recorded in the file.
func (s System) WKT() string {
	if s.kind == webMercator {
		return `PROJCS["WGS 84 / Pseudo-Mercator",` + WGS84.geogcs(false) + `,PROJECTION["Mercator_1SP"],` +
			`PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],` +
			`UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],` +
			`EXTENSION["PROJ4","` + webMercatorPROJ + `"],AUTHORITY["EPSG","3857"]]`
	}
	if s.kind != gaussKruger && s.kind != utm {
		return s.geogcs(true)
	}
	axes := `AXIS["Northing",NORTH],AXIS["Easting",EAST]`
	if s.kind == utm {
		axes = `AXIS["Easting",EAST],AXIS["Northing",NORTH]`
	}
	return fmt.Sprintf(`PROJCS["%s",%s,PROJECTION["Transverse_Mercator"],`+
		`PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",%s],`+
		`PARAMETER["scale_factor",%s],PARAMETER["false_easting",%s],PARAMETER["false_northing",0],`+
		`UNIT["metre",1,AUTHORITY["EPSG","9001"]],%s,AUTHORITY["EPSG","%d"]]`,
		s.Name(), s.base().geogcs(false), num(s.CentralMeridian()), num(s.ScaleFactor()),
		num(s.FalseEasting()), axes, s.EPSG())
}

// webMercatorPROJ is the PROJ string by which GDAL's WKT1 of Web Mercator
// tells it from World Mercator (EPSG:3395), whose WKT1 differs only in it:
// the Mercator of a sphere of WGS 84's semi-major axis.
const webMercatorPROJ = "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"

// base returns the geographic system of a projected one (CGCS2000 for
// Gauss–Krüger, WGS 84 for UTM, Web Mercator, GCJ-02 and BD-09).
func (s System) base() System {
	if s.kind == gaussKruger || s.cgcs {
		return CGCS2000
	}
	return WGS84
}

// geogcs writes the WKT1 of the geographic base system, with the AXIS
// nodes GDAL writes for a geographic system on its own.
func (s System) geogcs(axes bool) string {
	name, datum, sph, rf, sphID, datumID, code := "WGS 84", "WGS_1984", "WGS 84", "298.257223563", 7030, 6326, 4326
	if s.base().cgcs {
		name, datum, sph, rf, sphID, datumID, code = "China Geodetic Coordinate System 2000", "China_2000", "CGCS2000", "298.257222101", 1024, 1043, 4490
	}
	ax := ""
	if axes {
		ax = `AXIS["Latitude",NORTH],AXIS["Longitude",EAST],`
	}
	return fmt.Sprintf(`GEOGCS["%s",DATUM["%s",SPHEROID["%s",6378137,%s,AUTHORITY["EPSG","%d"]],AUTHORITY["EPSG","%d"]],`+
		`PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],%sAUTHORITY["EPSG","%d"]]`,
		name, datum, sph, rf, sphID, datumID, ax, code)
}

// ESRIWKT returns the system's ESRI WKT1 definition, as ArcGIS and GDAL
// write it in a shapefile's .prj (e.g. PROJCS["CGCS2000_3_Degree_GK_Zone_39",
// ... PROJECTION["Gauss_Kruger"] ...]), from which GDAL identifies the
// EPSG code (gdalsrsinfo -e finds it for every system). GCJ-02 and BD-09
// give WGS 84's, as [System.WKT] does.
func (s System) ESRIWKT() string {
	g := `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],` +
		`PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
	if s.base().cgcs {
		g = `GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",` +
			`SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`
	}
	method := "Gauss_Kruger"
	switch s.kind {
	case gaussKruger:
	case utm:
		method = "Transverse_Mercator"
	case webMercator:
		return `PROJCS["` + s.esriName() + `",` + g + `,PROJECTION["Mercator_Auxiliary_Sphere"],` +
			`PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],` +
			`PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]`
	default:
		return g
	}
	return fmt.Sprintf(`PROJCS["%s",%s,PROJECTION["%s"],PARAMETER["False_Easting",%s],`+
		`PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",%s],PARAMETER["Scale_Factor",%s],`+
		`PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`,
		s.esriName(), g, method, esriNum(s.FalseEasting()), esriNum(s.CentralMeridian()), esriNum(s.ScaleFactor()))
}

// esriName returns the system's name in ESRI's projection engine, as
// ArcGIS and GDAL write it in a .prj.
func (s System) esriName() string {
	switch s.kind {
	case gaussKruger:
		width := ""
		if s.width == 3 {
			width = "3_Degree_"
		}
		if s.prefix {
			return fmt.Sprintf("CGCS2000_%sGK_Zone_%d", width, s.zone)
		}
		return fmt.Sprintf("CGCS2000_%sGK_CM_%dE", width, int(s.CentralMeridian()))
	case utm:
		return fmt.Sprintf("WGS_1984_UTM_Zone_%dN", s.zone)
	case webMercator:
		return "WGS_1984_Web_Mercator_Auxiliary_Sphere"
	case geographic:
		if s.cgcs {
			return "GCS_China_Geodetic_Coordinate_System_2000"
		}
	}
	return "GCS_WGS_1984"
}

// num formats a parameter as GDAL does: shortest, no trailing ".0".
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// esriNum formats a parameter as ArcGIS does: shortest, always with a
// decimal point.
func esriNum(v float64) string {
	s := num(v)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// A SpatialRefSys is a row of a GeoPackage's gpkg_spatial_ref_sys table
// (OGC 12-128r19, §1.1.2.1.1).
type SpatialRefSys struct {
	Name         string // srs_name
	ID           int    // srs_id: the EPSG code, as GDAL writes it
	Organization string // organization: "EPSG"
	OrgID        int    // organization_coordsys_id
	Definition   string // definition: [System.WKT]
	Description  string // description; "" for NULL
}

// SpatialRefSys returns the system's gpkg_spatial_ref_sys row, as GDAL
// writes it. For EPSG:4326 that is the row the GeoPackage standard
// requires ("WGS 84 geodetic"). GCJ-02 and BD-09 get WGS 84's row (see
// [System.WKT]).
func (s System) SpatialRefSys() SpatialRefSys {
	if s.kind == gcj02 || s.kind == bd09 {
		s = WGS84
	}
	r := SpatialRefSys{Name: s.Name(), ID: s.EPSG(), Organization: "EPSG", OrgID: s.EPSG(), Definition: s.WKT()}
	if s == WGS84 {
		r.Name = "WGS 84 geodetic"
		r.Description = "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"
	}
	return r
}
