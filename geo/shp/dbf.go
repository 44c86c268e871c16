package shp

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gridplan/geo/feature"
)

// dBASE III/IV table layout: a 32-byte header, 32-byte field descriptors
// ended by 0x0D, then fixed-length records, each a deletion flag (' ' or
// '*') followed by the fields' text.
const (
	dbfHeaderLen     = 32
	dbfDescriptorLen = 32
	dbfTerminator    = 0x0D
	dbfEOF           = 0x1A
	dbfNameLen       = 11 // bytes of the name slot, NUL-padded; names are at most 10
	dbfMaxNameLen    = 10
	dbfDeleted       = '*'
	maxIntWidth      = 18 // widest Integer column: every 18-character integer fits an int64
)

// A dbfField is a column of the table and where its bytes lie in a record.
type dbfField struct {
	rawName []byte
	typ     byte // dBASE type letter
	off     int  // offset in the record, after the deletion flag
	width   int
	dec     int
	ftype   feature.Type
}

type dbfHeader struct {
	ldid      byte
	records   int
	headerLen int
	recordLen int
	fields    []dbfField
}

// readDBFHeader reads and checks the header of a table of size bytes.
func readDBFHeader(r io.Reader, size int64) (*dbfHeader, error) {
	var head [dbfHeaderLen]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return nil, fmt.Errorf("%w: %d bytes, shorter than the 32-byte dBASE header", ErrTruncated, size)
	}
	h := &dbfHeader{
		ldid:      head[29],
		records:   int(binary.LittleEndian.Uint32(head[4:8])),
		headerLen: int(binary.LittleEndian.Uint16(head[8:10])),
		recordLen: int(binary.LittleEndian.Uint16(head[10:12])),
	}
	if h.headerLen < dbfHeaderLen+1 {
		return nil, fmt.Errorf("%w: dBASE header length %d", ErrCorrupt, h.headerLen)
	}
	if int64(h.headerLen) > size {
		return nil, fmt.Errorf("%w: header of %d bytes in a file of %d", ErrTruncated, h.headerLen, size)
	}
	if h.recordLen < 1 {
		return nil, fmt.Errorf("%w: dBASE record length %d", ErrCorrupt, h.recordLen)
	}
	desc := make([]byte, h.headerLen-dbfHeaderLen) // < 64 KiB and present in the file
	if _, err := io.ReadFull(r, desc); err != nil {
		return nil, fmt.Errorf("%w: reading the field descriptors: %v", ErrTruncated, err)
	}
	off := 0
	for i := 0; len(desc) >= dbfDescriptorLen && desc[0] != dbfTerminator; i++ {
		d := desc[:dbfDescriptorLen]
		desc = desc[dbfDescriptorLen:]
		name := d[:dbfNameLen]
		if j := bytes.IndexByte(name, 0); j >= 0 {
			name = name[:j]
		}
		f := dbfField{
			rawName: bytes.TrimSpace(name),
			typ:     d[11],
			off:     off,
			width:   int(d[16]),
			dec:     int(d[17]),
		}
		if f.typ == 'C' && f.dec > 0 {
			// Clipper and FoxPro store widths above 255 of character
			// fields in the decimal byte.
			f.width += 256 * f.dec
			f.dec = 0
		}
		if f.width == 0 {
			return nil, fmt.Errorf("%w: field %d (%q) has width 0", ErrCorrupt, i, f.rawName)
		}
		f.ftype = fieldType(f.typ, f.width, f.dec)
		off += f.width
		h.fields = append(h.fields, f)
	}
	if off+1 > h.recordLen {
		return nil, fmt.Errorf("%w: fields need %d bytes but records have %d", ErrCorrupt, off+1, h.recordLen)
	}
	if avail := (size - int64(h.headerLen)) / int64(h.recordLen); avail < int64(h.records) {
		return nil, fmt.Errorf("%w: header says %d records of %d bytes, the file holds %d",
			ErrTruncated, h.records, h.recordLen, avail)
	}
	return h, nil
}

// fieldType is the type of a column's values. A number column without
// decimals is Integer when every value it can hold fits an int64: 18
// characters do, with a sign (GDAL reads wider ones as Real too).
func fieldType(typ byte, width, dec int) feature.Type {
	switch typ {
	case 'N', 'F':
		if dec == 0 && width <= maxIntWidth {
			return feature.Integer
		}
		return feature.Real
	case 'L':
		return feature.Bool
	case 'D':
		return feature.Date
	}
	return feature.String
}

// isBlank reports whether a value is empty or all spaces or NULs.
func isBlank(b []byte) bool {
	return len(bytes.Trim(b, " \x00")) == 0
}

// isOverflow reports whether a number's value is filled with '*', dBASE's
// mark for a number too wide for its field, and how GDAL (and Encode)
// write a null number.
func isOverflow(b []byte) bool {
	return len(bytes.Trim(b, "*")) == 0
}

// unreadable is the value of a numeric field whose text s (trimmed) is
// not a number: s, in the table's encoding where it can be decoded.
func unreadable(s []byte, td *textDecoder) feature.Unreadable {
	if t, err := td.decode(s); err == nil {
		return feature.Unreadable(t)
	}
	return feature.Unreadable(strings.ToValidUTF8(string(s), "\uFFFD"))
}

// parseValue returns the value of field f held in raw: nil, string,
// int64, float64 or bool. A value that is not what its type allows is nil
// with a warning, but for a numeric field's, which is its text as a
// [feature.Unreadable] (which also stands for null); an overflow mark
// ("*****") is one too, without a warning. Only text the encoding cannot
// decode is an error.
func parseValue(f *dbfField, raw []byte, td *textDecoder) (v any, warn string, err error) {
	switch f.typ {
	case 'C':
		// Trailing blanks are padding; leading ones are kept, as text.
		b := bytes.TrimRight(raw, " \x00")
		if len(b) == 0 {
			return nil, "", nil // GDAL too reads an empty string as null
		}
		s, err := td.decode(b)
		if err != nil {
			return nil, "", err
		}
		return s, "", nil
	case 'N', 'F':
		if isBlank(raw) {
			return nil, "", nil
		}
		b := bytes.Trim(raw, " \x00")
		if isOverflow(b) {
			return unreadable(b, td), "", nil
		}
		s := string(b)
		if f.ftype == feature.Integer {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return n, "", nil
			}
			// Some writers put "12.0" or "1e3" in a column without decimals.
			x, err := strconv.ParseFloat(s, 64)
			if err == nil && x == math.Trunc(x) && math.Abs(x) < 1<<63 {
				return int64(x), "", nil
			}
			return unreadable(b, td), fmt.Sprintf("value %q of integer field is not an integer; read as null", s), nil
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return unreadable(b, td), fmt.Sprintf("value %q of number field is not a number; read as null", s), nil
		}
		return x, "", nil
	case 'L':
		b := bytes.Trim(raw, " \x00")
		if len(b) == 0 {
			return nil, "", nil
		}
		switch b[0] {
		case 'T', 't', 'Y', 'y':
			return true, "", nil
		case 'F', 'f', 'N', 'n':
			return false, "", nil
		case '?':
			return nil, "", nil
		}
		return nil, fmt.Sprintf("value %q of logical field is not T, F, Y, N or ?; read as null", b), nil
	case 'D':
		b := bytes.Trim(raw, " \x00")
		if len(b) == 0 || string(b) == "00000000" {
			return nil, "", nil
		}
		if len(b) != 8 || !allDigits(b) || !validDate(b) {
			return nil, fmt.Sprintf("value %q of date field is not YYYYMMDD; read as null", b), nil
		}
		return string(b[0:4]) + "-" + string(b[4:6]) + "-" + string(b[6:8]), "", nil
	}
	// Memo, binary, general, picture (block numbers into a .dbt this
	// package does not read) and the dBASE 7 / Visual FoxPro binary types.
	return nil, "", nil
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func validDate(b []byte) bool {
	m, _ := strconv.Atoi(string(b[4:6]))
	d, _ := strconv.Atoi(string(b[6:8]))
	return m >= 1 && m <= 12 && d >= 1 && d <= 31
}
