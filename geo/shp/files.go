package shp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Where the encoding of a table came from, as [Reader.EncodingSource]
// reports it.
const (
	SourceFlag     = "flag"            // ReadOptions.Encoding
	SourceCPG      = ".cpg"            // the .cpg file
	SourceLDID     = "language driver" // the language driver id of the .dbf header
	SourceDetected = "detected"        // UTF-8 if all text is valid UTF-8, else GBK
	// SourceCorrected: the .cpg or language driver names an encoding the
	// text is not in, and it is in UTF-8 or GBK ([Reader.Stated]).
	SourceCorrected = "corrected"
)

// maxSmallFile bounds what is read of a .cpg or .prj: a code page name
// is a few bytes and the longest WKT a few kilobytes, so anything larger
// is not one of them.
const maxSmallFile = 1 << 20

// sibling returns the path of the file beside the .shp at shpPath with
// extension ext (".dbf"), or "" if there is none. The base name and the
// extension are matched without regard to case, since Windows exports
// mix them (BUILDINGS.SHP beside buildings.dbf); an exact match wins, and
// of several inexact ones the first in name order.
func sibling(shpPath, ext string) string {
	base := shpPath[:len(shpPath)-len(filepath.Ext(shpPath))]
	for _, p := range []string{base + ext, base + strings.ToUpper(ext)} {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	dir := filepath.Dir(shpPath)
	want := filepath.Base(base) + ext
	entries, err := os.ReadDir(dir) // sorted by name
	if err != nil {
		return ""
	}
	for _, e := range entries {
		if strings.EqualFold(e.Name(), want) && e.Type().IsRegular() {
			return filepath.Join(dir, e.Name())
		}
	}
	return ""
}

// readSmall returns the content of a .cpg or .prj, without a UTF-8 byte
// order mark and surrounding white space.
func readSmall(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", &Error{File: path, Record: NoRecord, Err: err}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSmallFile+1))
	if err != nil {
		return "", &Error{File: path, Record: NoRecord, Err: err}
	}
	if len(b) > maxSmallFile {
		return "", &Error{File: path, Record: NoRecord, Err: fmt.Errorf("%w: larger than %d bytes", ErrCorrupt, maxSmallFile)}
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	return string(bytes.TrimSpace(b)), nil
}

// chooseEncoding sets r.codec and r.source: from the option, else the
// .cpg, else the language driver id, else by looking at the text.
func (r *Reader) chooseEncoding(name string) error {
	if name != "" {
		c, ok := lookupCodec(name)
		if !ok {
			return &Error{File: r.dbfPath, Record: NoRecord, Err: fmt.Errorf("%w: unknown encoding %q", ErrEncoding, name)}
		}
		r.codec, r.source = c, SourceFlag
		return nil
	}
	if p := sibling(r.shpPath, ".cpg"); p != "" {
		text, err := readSmall(p)
		if err != nil {
			return err
		}
		if c, ok := lookupCodec(text); ok {
			return r.declared(c, SourceCPG, p)
		}
		r.warnf(p, NoRecord, "%w: unknown code page %q; ignored", ErrEncoding, text)
	}
	if c, ok := ldidCodec(r.hdr.ldid); ok {
		return r.declared(c, SourceLDID, r.dbfPath)
	}
	gbk, err := r.notUTF8()
	if err != nil {
		return err
	}
	r.codec, r.source = codecUTF8, SourceDetected
	if gbk {
		r.codec = codecGBK
	}
	return nil
}

// declared sets r.codec to c, the encoding the file at path states
// (source), unless some text value of the table is not text in c while
// every one is in UTF-8 or GBK, China's two (tools write a .cpg of UTF-8
// over GBK text, or the language driver of GBK over UTF-8): then that one
// ([SourceCorrected]; [Reader.Stated] says what the file states). Text
// that neither reads keeps c, and each value that is not text in it is
// an error.
func (r *Reader) declared(c codec, source, path string) error {
	r.codec, r.source = c, source
	ok, err := r.decodesAll(c)
	if ok || err != nil {
		return err
	}
	for _, alt := range []codec{codecUTF8, codecGBK} {
		if alt.name == c.name {
			continue
		}
		if ok, err := r.decodesAll(alt); err != nil || ok {
			if ok {
				what := filepath.Base(path)
				if source == SourceLDID {
					what = "the language driver of " + what
				}
				r.codec, r.source, r.stated = alt, SourceCorrected, fmt.Sprintf("%s names %s", what, c.name)
			}
			return err
		}
	}
	return nil
}

// decodesAll reports whether every text value of the table is text in c.
// It reads the records once, stopping at the first value that is not.
func (r *Reader) decodesAll(c codec) (bool, error) {
	var text []*dbfField
	for i := range r.hdr.fields {
		if r.hdr.fields[i].typ == 'C' {
			text = append(text, &r.hdr.fields[i])
		}
	}
	if len(text) == 0 {
		return true, nil
	}
	d := newTextDecoder(c)
	h := r.hdr
	br := bufio.NewReaderSize(io.NewSectionReader(r.dbf, int64(h.headerLen), int64(h.records)*int64(h.recordLen)), 1<<16)
	rec := make([]byte, h.recordLen)
	for i := range h.records {
		if _, err := io.ReadFull(br, rec); err != nil {
			return false, r.dbfErr(i, err)
		}
		for _, f := range text {
			if _, err := d.decode(bytes.TrimRight(rec[1+f.off:1+f.off+f.width], " \x00")); err != nil {
				return false, nil
			}
		}
	}
	return true, nil
}

// notUTF8 reports whether the text of the table is not UTF-8: whether a
// text value is not valid UTF-8, or, if every value is ASCII, whether a
// field name is not. It reads the records once (in the order of a few
// seconds per gigabyte), stopping at the first value that is not UTF-8.
// Values decide over names because writers mangle names: GDAL (and so
// QGIS) cuts a UTF-8 name at dBASE's 10 bytes inside a character, and
// cuts it again when making it unique (备注 and two bytes of 说, then
// "_1"). A name cut at 10 bytes is UTF-8 if all but its incomplete end is.
func (r *Reader) notUTF8() (bool, error) {
	namesUTF8 := true
	utf8Names := newTextDecoder(codecUTF8)
	for _, f := range r.hdr.fields {
		if !utf8.Valid(utf8Names.wholeName(f.rawName)) {
			namesUTF8 = false
			break
		}
	}
	var text []*dbfField
	for i := range r.hdr.fields {
		if r.hdr.fields[i].typ == 'C' {
			text = append(text, &r.hdr.fields[i])
		}
	}
	if len(text) == 0 {
		return !namesUTF8, nil
	}
	h := r.hdr
	br := bufio.NewReaderSize(io.NewSectionReader(r.dbf, int64(h.headerLen), int64(h.records)*int64(h.recordLen)), 1<<16)
	rec := make([]byte, h.recordLen)
	nonASCII := false // a value not all ASCII, and valid UTF-8
	for i := range h.records {
		if _, err := io.ReadFull(br, rec); err != nil {
			return false, r.dbfErr(i, err)
		}
		for _, f := range text {
			b := rec[1+f.off : 1+f.off+f.width]
			if isASCII(b) {
				continue
			}
			if !utf8.Valid(bytes.TrimRight(b, " \x00")) {
				return true, nil
			}
			nonASCII = true
		}
	}
	return !nonASCII && !namesUTF8, nil
}

// dbfErr is the error of a failed read of record i of the table, which
// the header said the file holds.
func (r *Reader) dbfErr(i int, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w: %v", ErrTruncated, err)
	}
	return &Error{File: r.dbfPath, Record: i, Err: err}
}
