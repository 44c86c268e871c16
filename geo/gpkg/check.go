package gpkg

import (
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"gridplan/geo/feature"
)

// sqlTypes are the declared column types of the field types (GeoPackage
// 1.2 Table 1).
var sqlTypes = [...]string{
	feature.String:  "TEXT",
	feature.Integer: "INTEGER",
	feature.Real:    "REAL",
	feature.Bool:    "BOOLEAN",
	feature.Date:    "DATE",
}

// checkNames checks the table and field names: non-empty UTF-8, the
// table's not in the namespaces GeoPackage and SQLite reserve, the
// fields' distinct (SQLite ignores the case of ASCII letters) and other
// than the primary key and geometry columns.
func checkNames(table string, fields []feature.Field) error {
	if table == "" || !utf8.ValidString(table) || strings.ContainsRune(table, 0) {
		return fmt.Errorf("gpkg: table name %q is empty or not UTF-8", table)
	}
	for _, p := range []string{"gpkg_", "rtree_", "sqlite_"} {
		if len(table) >= len(p) && strings.EqualFold(table[:len(p)], p) {
			return fmt.Errorf("gpkg: table name %q begins with the reserved %q", table, p)
		}
	}
	seen := []string{"fid", geomColumn}
	for _, f := range fields {
		if f.Name == "" || !utf8.ValidString(f.Name) || strings.ContainsRune(f.Name, 0) {
			return fmt.Errorf("gpkg: field name %q is empty or not UTF-8", f.Name)
		}
		if slices.ContainsFunc(seen, func(s string) bool { return strings.EqualFold(s, f.Name) }) {
			return fmt.Errorf("gpkg: field %q repeats a field or the column fid or geom", f.Name)
		}
		if int(f.Type) >= len(sqlTypes) {
			return fmt.Errorf("gpkg: field %q has unknown type %d", f.Name, f.Type)
		}
		seen = append(seen, f.Name)
	}
	return nil
}

// checkSRS checks that srs fills the NOT NULL columns of its row and
// that its id fits the 32 bits of a geometry blob's srs_id.
func checkSRS(srs SRS) error {
	if srs.ID < math.MinInt32 || srs.ID > math.MaxInt32 {
		return fmt.Errorf("gpkg: srs id %d does not fit in 32 bits", srs.ID)
	}
	if srs.ID == -1 || srs.ID == 0 {
		return nil
	}
	if srs.Name == "" || srs.Organization == "" || srs.Definition == "" {
		return fmt.Errorf("gpkg: srs %d lacks a name, organization or definition", srs.ID)
	}
	return nil
}

// checkFeature checks that f's properties follow fields, name by name,
// with values of their types, and that its geometry can be written.
func checkFeature(f feature.Feature, fields []feature.Field) error {
	if len(f.Properties) != len(fields) {
		return fmt.Errorf("%d properties for %d fields", len(f.Properties), len(fields))
	}
	for j, p := range f.Properties {
		fd := fields[j]
		if p.Name != fd.Name {
			return fmt.Errorf("property %d is %q, where field %q is", j, p.Name, fd.Name)
		}
		if err := checkValue(fd.Type, p.Value); err != nil {
			return fmt.Errorf("property %q: %w", p.Name, err)
		}
	}
	if f.Geometry == nil {
		return nil
	}
	if err := checkGeometry(f.Geometry); err != nil {
		return fmt.Errorf("geometry: %w", err)
	}
	return nil
}

// checkValue checks that v is nil or of t's Go type, finite if a number,
// valid UTF-8 if text, a real day if a date.
func checkValue(t feature.Type, v any) error {
	var ok bool
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		if !utf8.ValidString(v) {
			return errors.New("text that is not UTF-8")
		}
		if t == feature.Date {
			_, err := time.Parse(time.DateOnly, v)
			ok = err == nil
		} else {
			ok = t == feature.String
		}
	case int64:
		ok = t == feature.Integer
	case float64:
		ok = t == feature.Real && !math.IsNaN(v) && !math.IsInf(v, 0)
	case bool:
		ok = t == feature.Bool
	}
	if !ok {
		return fmt.Errorf("%#v is not %s", v, typeNames[t])
	}
	return nil
}

// checkGeometry checks that g is of a type [appendWKB] writes and has
// finite coordinates.
func checkGeometry(g orb.Geometry) error {
	var pts []orb.Point
	switch g := g.(type) {
	case orb.Point:
		pts = []orb.Point{g}
	case orb.MultiPoint:
		pts = g
	case orb.LineString:
		pts = g
	case orb.MultiLineString:
		for _, l := range g {
			pts = append(pts, l...)
		}
	case orb.Polygon:
		for _, r := range g {
			pts = append(pts, r...)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				pts = append(pts, r...)
			}
		}
	case orb.Collection:
		for i, m := range g {
			if err := checkGeometry(m); err != nil {
				return fmt.Errorf("member %d: %w", i, err)
			}
		}
	default:
		return fmt.Errorf("an %T is not a GeoPackage geometry", g)
	}
	for _, p := range pts {
		if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0) {
			return fmt.Errorf("coordinate %v is not finite", p)
		}
	}
	return nil
}

// geometryType returns the geometry_type_name of the features'
// geometries, and whether the single geometries among multi ones are to
// be written as multi-geometries of one.
func geometryType(features []feature.Feature) (name string, promote bool) {
	var types []string
	for _, f := range features {
		if f.Geometry == nil {
			continue
		}
		t := strings.ToUpper(f.Geometry.GeoJSONType())
		if !slices.Contains(types, t) {
			types = append(types, t)
		}
		if len(types) > 2 {
			return "GEOMETRY", false
		}
	}
	switch {
	case len(types) == 0:
		return "GEOMETRY", false
	case len(types) == 1:
		return types[0], false
	}
	slices.Sort(types) // MULTIPOLYGON before POLYGON
	if types[0] == "MULTI"+types[1] {
		return types[0], true
	}
	return "GEOMETRY", false
}

// promote returns a single point, line or polygon as a multi-geometry
// of one, and other geometries as they are.
func promote(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		return orb.MultiPoint{g}
	case orb.LineString:
		return orb.MultiLineString{g}
	case orb.Polygon:
		return orb.MultiPolygon{g}
	}
	return g
}

// lastChange is the gpkg_contents.last_change of the layer written: the
// time SOURCE_DATE_EPOCH gives (reproducible-builds.org), or else the
// Unix epoch, so that equal inputs give equal files.
func lastChange() string {
	var sec int64
	if s, ok := os.LookupEnv("SOURCE_DATE_EPOCH"); ok {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 && n < 253402300800 { // before year 10000
			sec = n
		}
	}
	return time.Unix(sec, 0).UTC().Format("2006-01-02T15:04:05.000Z")
}
