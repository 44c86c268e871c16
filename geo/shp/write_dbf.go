package shp

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gridplan/geo/feature"
)

// DBFDate is the last-update date that [Encode] writes in every .dbf
// header, 1970-01-01, instead of the day of writing (as GDAL does), so
// that the same layer always gives the same bytes.
const DBFDate = "1970-01-01"

const (
	dbfVersion       = 0x03 // dBASE III, no memo file
	dbfMaxHeaderLen  = math.MaxUint16
	dbfMaxRecordLen  = math.MaxUint16
	realWidth        = 24 // GDAL's default Real column: N(24,15)
	realPrecision    = 15
	dbfMaxFieldWidth = 254 // widest column this package writes (dBASE III's limit for text)
)

// A column is a field as written: its dBASE type and size, and each
// feature's value already formatted (nil for null).
type column struct {
	name  []byte
	typ   byte
	width int
	dec   int
	vals  [][]byte
}

// encodeDBF returns the .dbf of the features' properties.
func encodeDBF(fields []feature.Field, features []feature.Feature, wc writeCodec) ([]byte, error) {
	errf := func(rec int, format string, args ...any) error {
		return &Error{File: ".dbf", Record: rec, Err: fmt.Errorf(format, args...)}
	}
	cols := make([]column, len(fields))
	seen := map[string]bool{}
	for k, f := range fields {
		name, err := encodeText(wc.codec, f.Name)
		if err != nil {
			return nil, errf(NoRecord, "field %q: %w", f.Name, err)
		}
		switch {
		case len(name) == 0 || len(name) > dbfMaxNameLen || bytes.IndexByte(name, 0) >= 0:
			return nil, errf(NoRecord, "%w: name %q is %d bytes in %s; a dBASE name has 1 to %d",
				ErrField, f.Name, len(name), wc.name, dbfMaxNameLen)
		case seen[strings.ToUpper(f.Name)]:
			return nil, errf(NoRecord, "%w: name %q repeated (dBASE names ignore case)", ErrField, f.Name)
		}
		seen[strings.ToUpper(f.Name)] = true
		c := &cols[k]
		c.name = name
		c.vals = make([][]byte, len(features))
		if err := c.setType(f); err != nil {
			return nil, errf(NoRecord, "field %q: %w", f.Name, err)
		}
	}
	for i, ft := range features {
		if len(ft.Properties) != len(fields) {
			return nil, errf(i, "%w: %d properties for %d fields", ErrField, len(ft.Properties), len(fields))
		}
		for k, p := range ft.Properties {
			if p.Name != fields[k].Name {
				return nil, errf(i, "%w: property %d is %q, field %d is %q", ErrField, k, p.Name, k, fields[k].Name)
			}
			if err := cols[k].add(i, p.Value, wc.codec); err != nil {
				return nil, errf(i, "field %q: %w", p.Name, err)
			}
		}
	}
	headerLen, recordLen := dbfHeaderLen+dbfDescriptorLen*len(cols)+1, 1
	for _, c := range cols {
		recordLen += c.width
	}
	if headerLen > dbfMaxHeaderLen || recordLen > dbfMaxRecordLen {
		return nil, errf(NoRecord, "%w: %d columns of %d bytes", ErrTooLarge, len(cols), recordLen-1)
	}
	if int64(len(features)) > math.MaxUint32 {
		return nil, errf(NoRecord, "%w: %d records", ErrTooLarge, len(features))
	}
	out := make([]byte, headerLen, headerLen+len(features)*recordLen+1)
	out[0] = dbfVersion
	out[1], out[2], out[3] = 70, 1, 1 // DBFDate: years since 1900, month, day
	le.PutUint32(out[4:], uint32(len(features)))
	le.PutUint16(out[8:], uint16(headerLen))
	le.PutUint16(out[10:], uint16(recordLen))
	out[29] = wc.ldid
	for k, c := range cols {
		d := out[dbfHeaderLen+dbfDescriptorLen*k:]
		copy(d[:dbfNameLen], c.name)
		d[11] = c.typ
		d[16], d[17] = byte(c.width), byte(c.dec)
	}
	out[headerLen-1] = dbfTerminator
	for i := range features {
		out = append(out, ' ')
		for _, c := range cols {
			out = c.appendValue(out, c.vals[i])
		}
	}
	return append(out, dbfEOF), nil
}

// setType sets the column's type and its least width from the field.
func (c *column) setType(f feature.Field) error {
	switch f.Type {
	case feature.String:
		c.typ, c.width = 'C', min(max(f.Width, 1), dbfMaxFieldWidth)
	case feature.Integer:
		c.typ, c.width = 'N', min(max(f.Width, 1), maxIntWidth)
	case feature.Real:
		c.typ, c.width, c.dec = 'N', realWidth, realPrecision
		if f.Width > 0 {
			c.width = f.Width
		}
		if f.Precision > 0 {
			c.dec = f.Precision
		}
		if c.width > dbfMaxFieldWidth || c.dec > c.width-2 {
			return fmt.Errorf("%w: Real width %d and precision %d; need precision <= width-2, width <= %d",
				ErrField, c.width, c.dec, dbfMaxFieldWidth)
		}
	case feature.Bool:
		c.typ, c.width = 'L', 1
	case feature.Date:
		c.typ, c.width = 'D', 8
	default:
		return fmt.Errorf("%w: unknown type %d", ErrField, f.Type)
	}
	return nil
}

// add formats value v of feature i, widening a String or Integer column
// to fit it.
func (c *column) add(i int, v any, cd codec) error {
	if v == nil {
		return nil
	}
	var b []byte
	bad := func() error {
		return fmt.Errorf("%w: a %T value in a %s column", ErrField, v, typeLetter(c.typ, c.dec))
	}
	switch c.typ {
	case 'C':
		s, ok := v.(string)
		if !ok {
			return bad()
		}
		var err error
		if b, err = encodeText(cd, s); err != nil {
			return err
		}
		if len(b) > dbfMaxFieldWidth {
			return fmt.Errorf("%w: %d bytes in %s; a dBASE text holds %d", ErrField, len(b), cd.name, dbfMaxFieldWidth)
		}
	case 'N':
		var err error
		if b, err = c.formatNumber(v); err != nil {
			return err
		}
		if b == nil {
			return bad()
		}
	case 'L':
		t, ok := v.(bool)
		if !ok {
			return bad()
		}
		b = []byte{'F'}
		if t {
			b[0] = 'T'
		}
	case 'D':
		s, ok := v.(string)
		if !ok {
			return bad()
		}
		if len(s) != 10 || s[4] != '-' || s[7] != '-' || !allDigits([]byte(s[:4]+s[5:7]+s[8:])) || !validDate([]byte(s[:4]+s[5:7]+s[8:])) {
			return fmt.Errorf("%w: date %q is not YYYY-MM-DD", ErrField, s)
		}
		b = []byte(s[:4] + s[5:7] + s[8:])
	}
	c.width = max(c.width, len(b))
	c.vals[i] = b
	return nil
}

// formatNumber formats v for an N column; nil, nil if v is not a number
// the column takes.
func (c *column) formatNumber(v any) ([]byte, error) {
	if c.dec == 0 { // Integer
		var n int64
		switch x := v.(type) {
		case int64:
			n = x
		case int:
			n = int64(x)
		default:
			return nil, nil
		}
		b := strconv.AppendInt(nil, n, 10)
		if len(b) > maxIntWidth {
			return nil, fmt.Errorf("%w: %d has more than the %d characters of an Integer column", ErrField, n, maxIntWidth)
		}
		return b, nil
	}
	var x float64
	switch y := v.(type) {
	case float64:
		x = y
	case int64:
		x = float64(y)
	case int:
		x = float64(y)
	default:
		return nil, nil
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil, fmt.Errorf("%w: %v cannot be written", ErrField, x)
	}
	b := strconv.AppendFloat(nil, x, 'f', c.dec, 64)
	// Too wide: fewer decimals (as many as fit; one less when rounding
	// adds a digit), else the shortest exponent form.
	for d := c.dec - (len(b) - c.width); len(b) > c.width && d >= 0; d-- {
		b = strconv.AppendFloat(b[:0], x, 'f', d, 64)
	}
	if len(b) > c.width {
		b = strconv.AppendFloat(b[:0], x, 'g', -1, 64)
	}
	if len(b) > c.width {
		return nil, fmt.Errorf("%w: %v does not fit a Real column of width %d", ErrField, x, c.width)
	}
	return b, nil
}

// appendValue appends a value (nil: null) padded to the column's width:
// text to the left, numbers to the right. Nulls are written as GDAL
// writes them: blanks for text, '*' for numbers, "00000000" for dates;
// and blank for booleans, which GDAL reads as null (it reads the dBASE
// '?' as the text "?").
func (c *column) appendValue(out, v []byte) []byte {
	pad := c.width - len(v)
	switch {
	case v == nil && c.typ == 'N':
		return append(out, bytes.Repeat([]byte{'*'}, c.width)...)
	case v == nil && c.typ == 'D':
		return append(out, "00000000"...)
	case c.typ == 'N':
		out = append(out, bytes.Repeat([]byte{' '}, pad)...)
		return append(out, v...)
	}
	out = append(out, v...)
	return append(out, bytes.Repeat([]byte{' '}, pad)...)
}

// typeLetter names a column type for messages.
func typeLetter(typ byte, dec int) string {
	switch {
	case typ == 'C':
		return "String"
	case typ == 'N' && dec == 0:
		return "Integer"
	case typ == 'N':
		return "Real"
	case typ == 'L':
		return "Bool"
	}
	return "Date"
}
