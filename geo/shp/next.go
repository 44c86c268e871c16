package shp

import (
	"errors"
	"fmt"
	"io"

	"gridplan/geo/feature"
)

// Next returns the next feature, or io.EOF after the last. A record that
// cannot be read is an [*Error] naming its file and number; reading can
// go on after it, unless the damage leaves the remaining records unknown
// (a truncated or corrupt .shp without an index), in which case every
// later call returns the same error.
func (r *Reader) Next() (feature.Feature, error) {
	for r.err == nil {
		i := r.next
		if i >= r.hdr.records {
			if r.shxBuf == nil && r.shpPos < r.shpEnd {
				r.err = &Error{File: r.shpPath, Record: i, Err: fmt.Errorf("%w: the .shp holds more records than the %d of the .dbf",
					ErrCountMismatch, r.hdr.records)}
				break
			}
			return feature.Feature{}, io.EOF
		}
		r.next++
		if _, err := io.ReadFull(r.dbfBuf, r.rec); err != nil {
			r.err = r.dbfErr(i, err)
			break
		}
		content, err := r.readShape(i)
		var e *Error
		if errors.As(err, &e) {
			r.err = err
			break
		}
		if r.rec[0] == dbfDeleted {
			continue
		}
		if err != nil {
			return feature.Feature{Properties: r.readableProperties()}, &Error{File: r.shpPath, Record: i, Err: err}
		}
		return r.feature(i, content)
	}
	return feature.Feature{}, r.err
}

// feature decodes record i from its shape content and r.rec. A record
// whose shape cannot be read comes with the properties that can, for the
// error to name the feature by its id.
func (r *Reader) feature(i int, content []byte) (feature.Feature, error) {
	var f feature.Feature
	if t := int32(le.Uint32(content)); t != shapeNull && baseType(t) != baseType(r.shapeType) {
		return feature.Feature{Properties: r.readableProperties()}, &Error{File: r.shpPath, Record: i, Err: fmt.Errorf("%w: a %s record in a %s file",
			ErrCorrupt, typeName(t), typeName(r.shapeType))}
	}
	g, warn, err := parseShape(content)
	if err != nil {
		return feature.Feature{Properties: r.readableProperties()}, &Error{File: r.shpPath, Record: i, Err: err}
	}
	if warn != nil {
		r.warnf(r.shpPath, i, "%w", warn)
	}
	f.Geometry = g
	f.Properties = make([]feature.Property, len(r.fields))
	for k := range r.hdr.fields {
		fd := &r.hdr.fields[k]
		v, warn, err := parseValue(fd, r.rec[1+fd.off:1+fd.off+fd.width], r.td)
		if err != nil {
			return feature.Feature{}, &Error{File: r.dbfPath, Record: i, Err: fmt.Errorf("field %q: %w", r.fields[k].Name, err)}
		}
		if warn != "" {
			r.warnf(r.dbfPath, i, "field %q: %s", r.fields[k].Name, warn)
		}
		f.Properties[k] = feature.Property{Name: r.fields[k].Name, Value: v}
	}
	return f, nil
}

// readableProperties returns the fields of the record in r.rec that can
// be read, without warnings: those of a record whose shape cannot be.
func (r *Reader) readableProperties() []feature.Property {
	var ps []feature.Property
	for k := range r.hdr.fields {
		fd := &r.hdr.fields[k]
		if v, _, err := parseValue(fd, r.rec[1+fd.off:1+fd.off+fd.width], r.td); err == nil {
			ps = append(ps, feature.Property{Name: r.fields[k].Name, Value: v})
		}
	}
	return ps
}

// readShape returns the content of .shp record i, which is valid until
// the next call. A damage that leaves the next record unknown is
// returned as an [*Error]; a plain error concerns this record only.
func (r *Reader) readShape(i int) ([]byte, error) {
	// Without an index, a damaged record hides where the next one starts.
	fail := func(err error) ([]byte, error) {
		if r.shxBuf != nil {
			return nil, err
		}
		return nil, &Error{File: r.shpPath, Record: i, Err: err}
	}
	if r.shxBuf != nil {
		var e [shxEntryLen]byte
		if _, err := io.ReadFull(r.shxBuf, e[:]); err != nil {
			return nil, &Error{File: r.shxPath, Record: i, Err: fmt.Errorf("%w: %v", ErrTruncated, err)}
		}
		off := 2 * int64(be.Uint32(e[0:]))
		if off < shpHeaderLen || off > r.shpEnd-shpRecHeaderLen {
			// The index is read in order, so the next record is still known.
			return nil, fmt.Errorf("%w: the .shx puts the record at byte %d of a %d-byte .shp", ErrCorrupt, off, r.shpEnd)
		}
		if off != r.shpPos {
			r.seek(off)
		}
	}
	if r.shpPos+shpRecHeaderLen > r.shpEnd {
		if r.shpPos == r.shpEnd {
			return fail(fmt.Errorf("%w: the .shp holds %d records, the .dbf %d", ErrCountMismatch, i, r.hdr.records))
		}
		return fail(fmt.Errorf("%w: %d bytes left, less than a record header", ErrTruncated, r.shpEnd-r.shpPos))
	}
	var h [shpRecHeaderLen]byte
	if _, err := io.ReadFull(r.shpBuf, h[:]); err != nil {
		return fail(err)
	}
	r.shpPos += shpRecHeaderLen
	n := 2 * int64(be.Uint32(h[4:]))
	if n > r.shpEnd-r.shpPos {
		return fail(fmt.Errorf("%w: a record of %d bytes where %d are left", ErrTruncated, n, r.shpEnd-r.shpPos))
	}
	if int64(cap(r.buf)) < n {
		r.buf = make([]byte, n) // bounded by the file size, checked above
	}
	r.buf = r.buf[:n]
	if _, err := io.ReadFull(r.shpBuf, r.buf); err != nil {
		return fail(err)
	}
	r.shpPos += n
	if n < 4 {
		return nil, fmt.Errorf("%w: record content of %d bytes has no shape type", ErrCorrupt, n)
	}
	return r.buf, nil
}
