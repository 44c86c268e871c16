package gpkg

import (
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gridplan/geo/feature"
)

// A Reader yields the features of one layer of a GeoPackage, in primary
// key (fid) order, one row at a time. It implements [feature.Reader].
type Reader struct {
	path, layer string
	db          *sql.DB
	rows        *sql.Rows
	fields      []feature.Field
	crs         string
	index       int    // of the next feature
	pk          bool   // whether the first column is the primary key
	fidColumn   string // the primary key's name; "" for rowid or none
	vals        []any  // a row: fid, geometry, then the fields
	ptrs        []any  // &vals[i], the scan targets
}

// Open opens the feature layer named layer of the GeoPackage at path, or
// its only feature layer if layer is "". A file holding several layers,
// none, or none of that name gives a [*LayerError] listing them. The file
// is only read, as the package documentation says; Close closes it.
func Open(path, layer string) (*Reader, error) {
	db, err := openDB(path)
	if err != nil {
		return nil, err
	}
	r, err := open(db, path, layer)
	if err != nil {
		db.Close()
		return nil, err
	}
	return r, nil
}

func open(db *sql.DB, path, name string) (*Reader, error) {
	ls, err := layers(db, path, false)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ls))
	for i, l := range ls {
		names[i] = l.Name
	}
	l, ok := pick(ls, name)
	if !ok {
		return nil, &LayerError{File: path, Layer: name, Layers: names}
	}
	r := &Reader{path: path, layer: l.Name, db: db}
	if r.crs, err = crs(db, l.SRSID); err != nil {
		return nil, fmt.Errorf("%s: layer %s: %w", path, l.Name, err)
	}
	cols, err := r.columns(l.geomColumn)
	if err != nil {
		return nil, fmt.Errorf("%s: layer %s: %w", path, l.Name, err)
	}
	query := "SELECT " + strings.Join(cols, ", ") + " FROM " + quote(l.Name)
	if r.pk {
		query += " ORDER BY 1"
	}
	if r.rows, err = db.Query(query); err != nil {
		return nil, fmt.Errorf("%s: layer %s: %w", path, l.Name, err)
	}
	r.vals = make([]any, len(cols))
	r.ptrs = make([]any, len(cols))
	for i := range r.vals {
		r.ptrs[i] = &r.vals[i]
	}
	return r, nil
}

// pick returns the layer called name, matched as SQLite matches table
// names (ASCII letters in any case), or the only layer if name is "".
func pick(ls []layer, name string) (layer, bool) {
	if name == "" {
		if len(ls) != 1 {
			return layer{}, false
		}
		return ls[0], true
	}
	for _, l := range ls {
		if strings.EqualFold(l.Name, name) {
			return l, true
		}
	}
	return layer{}, false
}

// columns reads the table's columns, sets r.fields and r.pk, and returns
// the expressions to select: the primary key (or NULL for a view without
// one), the geometry column, then the fields. A field is selected as +col
// so that SQLite reports no declared type and the driver hands over the
// stored text of a DATE column instead of parsing it into a time.Time.
func (r *Reader) columns(geom string) ([]string, error) {
	rows, err := r.db.Query(`SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid`, r.layer)
	if err != nil {
		return nil, err
	}
	pk, nPK := "", 0
	var fields []string
	for rows.Next() {
		var name, typ string
		var key int
		if err := rows.Scan(&name, &typ, &key); err != nil {
			rows.Close()
			return nil, err
		}
		if key > 0 {
			nPK++
			if isIntegerType(typ) {
				pk = name
			}
		}
		switch f, ok := field(name, typ); {
		case strings.EqualFold(name, geom) || key > 0:
		case ok:
			r.fields = append(r.fields, f)
			fields = append(fields, "+"+quote(name))
		}
	}
	// Closed before isView queries: the database has one connection.
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	var fid string
	switch {
	case nPK == 1 && pk != "":
		fid, r.pk, r.fidColumn = quote(pk), true, pk
	case nPK == 0 && !r.isView():
		fid, r.pk = "rowid", true
	case nPK == 0:
		// A feature view (GeoPackage 1.2 allows them) declares no key:
		// its integer fid column, as GDAL writes views, is the key; else
		// features are numbered in order.
		fid = "NULL"
		for k, f := range r.fields {
			if strings.EqualFold(f.Name, "fid") && f.Type == feature.Integer {
				fid, r.pk, r.fidColumn = quote(f.Name), true, f.Name
				r.fields = append(r.fields[:k], r.fields[k+1:]...)
				fields = append(fields[:k], fields[k+1:]...)
				break
			}
		}
	default:
		return nil, errors.New("no INTEGER PRIMARY KEY, which a GeoPackage feature table must have")
	}
	return append([]string{fid, quote(geom)}, fields...), nil
}

func (r *Reader) isView() bool {
	var typ string
	err := r.db.QueryRow(`SELECT type FROM sqlite_master WHERE name = ? COLLATE NOCASE`, r.layer).Scan(&typ)
	return err == nil && typ == "view"
}

func isIntegerType(typ string) bool { return strings.Contains(strings.ToUpper(typ), "INT") }

// field returns the field of a column of declared type typ: GeoPackage's
// own types first (GeoPackage 1.2 Table 1), then SQLite's affinity rules
// (sqlite.org/datatype3.html §3.1) for other declarations. A column of
// BLOB affinity is no field (ok false): no [feature.Type] holds bytes.
func field(name, typ string) (f feature.Field, ok bool) {
	f.Name = name
	t := strings.ToUpper(strings.TrimSpace(typ))
	if i := strings.IndexByte(t, '('); i >= 0 { // TEXT(n): a maximum length
		if n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(t[i+1:], ")"))); err == nil && n > 0 {
			f.Width = n
		}
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "BOOLEAN":
		f.Type = feature.Bool
	case "DATE":
		f.Type = feature.Date
	case "DATETIME", "TEXT":
		f.Type = feature.String
	case "REAL", "DOUBLE", "FLOAT":
		f.Type = feature.Real
	default:
		switch {
		case strings.Contains(t, "INT"):
			f.Type = feature.Integer
		case strings.Contains(t, "CHAR"), strings.Contains(t, "CLOB"), strings.Contains(t, "TEXT"):
			f.Type = feature.String
		case t == "" || strings.Contains(t, "BLOB"):
			return f, false
		default: // REAL and NUMERIC affinity
			f.Type = feature.Real
		}
	}
	return f, true
}

// Fields returns the layer's columns other than the primary key and the
// geometry, in table order. Columns of BLOB affinity are left out.
func (r *Reader) Fields() []feature.Field { return r.fields }

// FIDColumn returns the name of the layer's primary key column, whose
// values are the features' ids ([feature.Feature] ID), as GDAL reports it
// ("FID Column = OBJECTID"); it is no field. It is "" for a table keyed
// by its rowid and a view without an fid column.
func (r *Reader) FIDColumn() string { return r.fidColumn }

// CRS returns the layer's coordinate system: "EPSG:n" when
// gpkg_spatial_ref_sys names an EPSG code, else the definition's WKT; ""
// for the undefined systems (srs_id -1 and 0).
func (r *Reader) CRS() string { return r.crs }

// Next returns the next feature, or io.EOF after the last. A NULL or
// empty geometry is nil. The feature's ID is its primary key (fid), an
// int64, where the layer has one. An error about a row is a
// [*FeatureError].
func (r *Reader) Next() (feature.Feature, error) {
	if r.rows == nil {
		return feature.Feature{}, io.EOF
	}
	if !r.rows.Next() {
		err := r.rows.Err()
		r.rows.Close()
		r.rows = nil
		if err != nil {
			return feature.Feature{}, fmt.Errorf("%s: layer %s: after feature %d: %w", r.path, r.layer, r.index, err)
		}
		return feature.Feature{}, io.EOF
	}
	i := r.index
	r.index++
	fid := int64(i + 1)
	if err := r.rows.Scan(r.ptrs...); err != nil {
		return feature.Feature{}, &FeatureError{r.path, r.layer, i, fid, err}
	}
	key, keyed := r.vals[0].(int64) // not for a view without an fid column
	if keyed {
		fid = key
	}
	f, err := r.feature()
	if err != nil {
		return feature.Feature{Properties: f.Properties}, &FeatureError{r.path, r.layer, i, fid, err}
	}
	if keyed {
		f.ID = key
	}
	return f, nil
}

// feature converts the scanned row. A row whose geometry cannot be read
// comes with its properties, for the error to name the feature by its id.
func (r *Reader) feature() (f feature.Feature, err error) {
	f.Properties = make([]feature.Property, len(r.fields))
	for j, fd := range r.fields {
		v, err := value(fd.Type, r.vals[2+j])
		if err != nil {
			return feature.Feature{}, fmt.Errorf("field %s: %w", fd.Name, err)
		}
		f.Properties[j] = feature.Property{Name: fd.Name, Value: v}
	}
	switch b := r.vals[1].(type) {
	case nil:
	case []byte:
		if f.Geometry, err = decodeBlob(b); err != nil {
			return f, fmt.Errorf("geometry: %w", err)
		}
	default:
		return f, fmt.Errorf("geometry: a %T, not a GeoPackage blob", b)
	}
	return f, nil
}

// value converts v, a value as SQLite stored it (int64, float64, string,
// []byte or nil), to the Go type of t, or reports why it cannot. A
// column's declared type does not bind its values in SQLite, so a number
// may sit in a TEXT column and text in an INTEGER one.
func value(t feature.Type, v any) (any, error) {
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	if v == nil {
		return nil, nil
	}
	s, isText := v.(string)
	if isText && !utf8.ValidString(s) {
		return nil, errors.New("text that is not UTF-8")
	}
	switch t {
	case feature.String:
		switch v := v.(type) {
		case int64:
			return strconv.FormatInt(v, 10), nil
		case float64:
			return strconv.FormatFloat(v, 'g', -1, 64), nil
		}
		return s, nil
	case feature.Integer:
		switch v := v.(type) {
		case int64:
			return v, nil
		case float64:
			// 2^63 is exact in float64, and the largest int64 is below it.
			if v == math.Trunc(v) && v >= -(1<<63) && v < 1<<63 {
				return int64(v), nil
			}
		}
	case feature.Real:
		switch v := v.(type) {
		case float64:
			return v, nil
		case int64:
			return float64(v), nil
		}
	case feature.Bool:
		switch v {
		case int64(0):
			return false, nil
		case int64(1):
			return true, nil
		}
	case feature.Date:
		if _, err := time.Parse(time.DateOnly, s); isText && err == nil {
			return s, nil
		}
	}
	return nil, fmt.Errorf("%#v is not %s", v, typeNames[t])
}

// typeNames describe the field types in errors.
var typeNames = [...]string{
	feature.String:  "text",
	feature.Integer: "an integer",
	feature.Real:    "a number",
	feature.Bool:    "a boolean (0 or 1)",
	feature.Date:    "a date (YYYY-MM-DD)",
}

// Close ends the reading and closes the file.
func (r *Reader) Close() error {
	var err error
	if r.rows != nil {
		err = r.rows.Close()
		r.rows = nil
	}
	return errors.Join(err, r.db.Close())
}
