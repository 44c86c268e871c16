// Package feature is what the layer formats gridplan reads and writes have
// in common: features with a geometry and ordered properties, the fields
// (columns) of a layer, and a reader that yields a layer's features one by
// one, so that a large layer need not be held whole.
//
// Geometries are orb geometries in the layer's own coordinates; the
// coordinate system travels beside them as text ([Reader.CRS]), and
// package crs interprets it.
package feature

import "github.com/paulmach/orb"

// A Type is the type of a field's values.
type Type uint8

// Field types. A value of a field is nil (null) or of the Go type named.
const (
	String  Type = iota // string
	Integer             // int64
	Real                // float64
	Bool                // bool
	Date                // string, YYYY-MM-DD
)

// A Field is a column of a layer. Width and Precision are the dBASE sizes
// where the format has them (zero: the writer chooses).
type Field struct {
	Name      string
	Type      Type
	Width     int
	Precision int
}

// A Property is one value of a feature: nil, string, int64, float64 or
// bool, or, as a reader gives it, [Unreadable].
type Property struct {
	Name  string
	Value any
}

// Unreadable is the value of a numeric field that holds text that is not
// a number of the field's type (a dBASE "1,234", "abc", "12.5" in a field
// without decimals, or "*****", the mark of a number too wide for the
// field), as the file holds it, trimmed. It stands for null, and keeps the
// text for a reader's caller to show where a number is needed. Writers
// take no Unreadable values.
type Unreadable string

// A Feature is a geometry (nil when the record has none) and its
// properties in field order.
type Feature struct {
	Geometry   orb.Geometry
	Properties []Property
	// ID is the feature's own id where the format keeps one apart from
	// the properties, as GDAL's feature id (FID): a GeoPackage's integer
	// primary key, as an int64. It is nil where there is none; writers
	// ignore it.
	ID any
}

// A Reader yields the features of one layer in file order.
type Reader interface {
	// Fields are the layer's columns, in order.
	Fields() []Field
	// CRS is the layer's coordinate system as the file states it: WKT
	// (a .prj, a GeoPackage srs definition), an authority code such as
	// "EPSG:4527", or "" when the file states none.
	CRS() string
	// Next returns the next feature, or io.EOF after the last. An error
	// about one feature names it by its index (0-based, file order).
	Next() (Feature, error)
	Close() error
}
