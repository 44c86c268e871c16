package shp

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gridplan/geo/feature"
)

// The main file (.shp) and the index (.shx) share a 100-byte header:
// file code 9994 and length (in 16-bit words), big-endian, then version
// 1000, shape type and bounding box, little-endian. A .shp record is an
// 8-byte header (number and content length in words, big-endian) and
// its content; a .shx entry is a record's offset and content length, in
// words, big-endian.
const (
	shpHeaderLen    = 100
	shpFileCode     = 9994
	shpVersion      = 1000
	shpRecHeaderLen = 8
	shxEntryLen     = 8
)

var be = binary.BigEndian

// ReadOptions configure [Open]. The zero value finds the encoding itself
// and drops warnings.
type ReadOptions struct {
	// Encoding is the text encoding of the .dbf: "utf-8", "gbk" (also
	// spelled "cp936", "936" or "gb2312"), "gb18030", "big5", "latin1",
	// or a code page such as "cp1252". If it is empty, the reader takes
	// the encoding that the .cpg names, else the one the language driver
	// id of the .dbf header names (0x4D: GBK; 0x57, "ANSI", names none),
	// else UTF-8 if every text value is valid UTF-8 and, should all be
	// ASCII, every field name is (a name cut at dBASE's 10 bytes inside a
	// character counts as valid), and GBK if not. [Reader.EncodingSource]
	// says which.
	Encoding string
	// Warn, if not nil, is called with each problem the reader worked
	// around: a value read as null because it is not of its field's type,
	// rings nested by containment because their orientation breaks the
	// shapefile rule, an unknown .cpg or a damaged .shx ignored, a field
	// name that is not text in the encoding read with U+FFFD. (A text
	// value that is not is an [ErrEncoding] from [Reader.Next].)
	Warn func(*Error)
}

// A Reader reads the features of a shapefile one record at a time. It
// implements [feature.Reader]. Deleted records of the .dbf are skipped
// with their shapes.
type Reader struct {
	shpPath, shxPath, dbfPath string
	shp, shx, dbf             *os.File
	warn                      func(*Error)

	shapeType int32
	shpEnd    int64         // end of the records in the .shp
	shpPos    int64         // offset in the .shp at which shpBuf reads
	shpBuf    *bufio.Reader // over shp from shpPos
	shxBuf    *bufio.Reader // over the entries of shx; nil without a .shx
	buf       []byte        // the current record's content

	hdr    *dbfHeader
	dbfBuf *bufio.Reader // over the records of dbf
	rec    []byte        // the current .dbf record
	fields []feature.Field
	codec  codec
	source string
	stated string // with SourceCorrected: what the file states
	td     *textDecoder
	crs    string

	next int   // the next record number, 0-based
	err  error // a damage that ends the reading
}

var _ feature.Reader = (*Reader)(nil)

// Open opens the shapefile whose main file is path (a .shp, in any case).
// The .dbf beside it is required; the .shx, .cpg and .prj are optional.
// The caller must Close the Reader.
func Open(path string, opts ReadOptions) (*Reader, error) {
	if !strings.EqualFold(filepath.Ext(path), ".shp") {
		return nil, &Error{File: path, Record: NoRecord, Err: fmt.Errorf("%w: not a .shp file", ErrCorrupt)}
	}
	r := &Reader{shpPath: path, warn: opts.Warn}
	if err := r.open(opts); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

func (r *Reader) open(opts ReadOptions) error {
	var err error
	if r.shp, err = os.Open(r.shpPath); err != nil {
		return &Error{File: r.shpPath, Record: NoRecord, Err: err}
	}
	st, err := r.shp.Stat()
	if err != nil {
		return &Error{File: r.shpPath, Record: NoRecord, Err: err}
	}
	size := st.Size()
	var head [shpHeaderLen]byte
	if _, err := io.ReadFull(r.shp, head[:]); err != nil {
		return &Error{File: r.shpPath, Record: NoRecord, Err: fmt.Errorf("%w: %d bytes, shorter than the 100-byte header", ErrTruncated, size)}
	}
	if code := int32(be.Uint32(head[0:])); code != shpFileCode {
		return &Error{File: r.shpPath, Record: NoRecord, Err: fmt.Errorf("%w: file code %d, not %d", ErrCorrupt, code, shpFileCode)}
	}
	r.shapeType = int32(le.Uint32(head[32:]))
	if baseType(r.shapeType) < 0 {
		return &Error{File: r.shpPath, Record: NoRecord, Err: fmt.Errorf("%w: %s", ErrShapeType, typeName(r.shapeType))}
	}
	// The length in the header bounds the records, unless it is damaged
	// (beyond the file, or shorter than the header).
	r.shpEnd = size
	if n := 2 * int64(be.Uint32(head[24:])); n >= shpHeaderLen && n < size {
		r.shpEnd = n
	}
	r.seek(shpHeaderLen)

	if err := r.openDBF(); err != nil {
		return err
	}
	if err := r.openSHX(); err != nil {
		return err
	}
	if err := r.chooseEncoding(opts.Encoding); err != nil {
		return err
	}
	r.td = newTextDecoder(r.codec)
	for i, f := range r.hdr.fields {
		name, err := r.td.fieldName(f.rawName)
		if err != nil {
			r.warnf(r.dbfPath, NoRecord, "field %d: %w; read as %q", i, err, name)
		}
		r.fields = append(r.fields, feature.Field{Name: name, Type: f.ftype, Width: f.width, Precision: f.dec})
	}
	if p := sibling(r.shpPath, ".prj"); p != "" {
		if r.crs, err = readSmall(p); err != nil {
			return err
		}
	}
	return nil
}

// openDBF opens the table and reads its header.
func (r *Reader) openDBF() error {
	r.dbfPath = sibling(r.shpPath, ".dbf")
	if r.dbfPath == "" {
		want := strings.TrimSuffix(r.shpPath, filepath.Ext(r.shpPath)) + ".dbf"
		return &Error{File: want, Record: NoRecord, Err: fmt.Errorf("the attribute table is missing: %w", fs.ErrNotExist)}
	}
	var err error
	if r.dbf, err = os.Open(r.dbfPath); err != nil {
		return &Error{File: r.dbfPath, Record: NoRecord, Err: err}
	}
	st, err := r.dbf.Stat()
	if err != nil {
		return &Error{File: r.dbfPath, Record: NoRecord, Err: err}
	}
	if r.hdr, err = readDBFHeader(bufio.NewReader(r.dbf), st.Size()); err != nil {
		return &Error{File: r.dbfPath, Record: NoRecord, Err: err}
	}
	h := r.hdr
	r.dbfBuf = bufio.NewReaderSize(io.NewSectionReader(r.dbf, int64(h.headerLen), int64(h.records)*int64(h.recordLen)), 1<<16)
	r.rec = make([]byte, h.recordLen) // < 64 KiB
	return nil
}

// openSHX opens the index, if there is one, and checks that it indexes
// as many records as the table holds. A .shx too damaged to use is
// ignored with a warning: the .shp is then read in sequence.
func (r *Reader) openSHX() error {
	if r.shxPath = sibling(r.shpPath, ".shx"); r.shxPath == "" {
		return nil
	}
	f, err := os.Open(r.shxPath)
	if err != nil {
		return &Error{File: r.shxPath, Record: NoRecord, Err: err}
	}
	r.shx = f
	st, err := f.Stat()
	if err != nil {
		return &Error{File: r.shxPath, Record: NoRecord, Err: err}
	}
	var head [shpHeaderLen]byte
	if _, err := io.ReadFull(f, head[:]); err != nil || int32(be.Uint32(head[0:])) != shpFileCode {
		r.warnf(r.shxPath, NoRecord, "%w: not a shapefile index; ignored", ErrCorrupt)
		return nil
	}
	n := (st.Size() - shpHeaderLen) / shxEntryLen
	if n != int64(r.hdr.records) {
		return &Error{File: r.shxPath, Record: NoRecord, Err: fmt.Errorf("%w: the .shx indexes %d records, the .dbf holds %d",
			ErrCountMismatch, n, r.hdr.records)}
	}
	r.shxBuf = bufio.NewReaderSize(io.NewSectionReader(f, shpHeaderLen, n*shxEntryLen), 1<<12)
	return nil
}

// seek makes shpBuf read the .shp from offset off.
func (r *Reader) seek(off int64) {
	sr := io.NewSectionReader(r.shp, off, r.shpEnd-off)
	if r.shpBuf == nil {
		r.shpBuf = bufio.NewReaderSize(sr, 1<<16)
	} else {
		r.shpBuf.Reset(sr)
	}
	r.shpPos = off
}

// Fields returns the columns of the table, in order.
func (r *Reader) Fields() []feature.Field { return slices.Clone(r.fields) }

// CRS returns the text of the .prj (WKT), or "" without one.
func (r *Reader) CRS() string { return r.crs }

// Encoding returns the name of the encoding the text is read in, such as
// "utf-8" or "gbk".
func (r *Reader) Encoding() string { return r.codec.name }

// EncodingSource says where [Reader.Encoding] came from: [SourceFlag],
// [SourceCPG], [SourceLDID] or [SourceDetected]. A caller may warn when
// it was detected, since a table of Latin-1 text passes for GBK.
func (r *Reader) EncodingSource() string { return r.source }

// Stated says, where the encoding is [SourceCorrected], which the file
// states ("b.cpg names utf-8"); "" otherwise.
func (r *Reader) Stated() string { return r.stated }

// Close closes the files.
func (r *Reader) Close() error {
	var errs []error
	for _, f := range []**os.File{&r.shp, &r.shx, &r.dbf} {
		if *f != nil {
			errs = append(errs, (*f).Close())
			*f = nil
		}
	}
	return errors.Join(errs...)
}

func (r *Reader) warnf(file string, rec int, format string, args ...any) {
	if r.warn != nil {
		r.warn(&Error{File: file, Record: rec, Err: fmt.Errorf(format, args...)})
	}
}
