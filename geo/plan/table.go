package plan

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"gridplan/geo"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// maxBadLines is how many bad lines of a CSV table an error lists; the
// others are counted.
const maxBadLines = 20

// A LineError is one bad line of a CSV table.
type LineError struct {
	Line int    // 1-based line of the file on which the row starts
	ID   string // the building id of the row, if known
	Err  error
}

func (e LineError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d (id %q): %v", e.Line, e.ID, e.Err)
}

func (e LineError) Unwrap() error { return e.Err }

// A TableError reports the bad lines of a CSV table (a --households table,
// an earlier plan's assignment.csv): the first [maxBadLines] of them in
// file order, and how many there are in all.
type TableError struct {
	File  string
	Kind  error // what the table is, e.g. errPrevious; nil for none
	Lines []LineError
	Bad   int // bad lines in all
}

func (e *TableError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	b.WriteString(": ")
	if e.Kind != nil {
		fmt.Fprintf(&b, "%v: ", e.Kind)
	}
	if e.Bad == 1 && len(e.Lines) == 1 {
		b.WriteString(e.Lines[0].Error())
		return b.String()
	}
	fmt.Fprintf(&b, "%d bad lines:", e.Bad)
	for _, l := range e.Lines {
		b.WriteString("\n  ")
		b.WriteString(l.Error())
	}
	if n := e.Bad - len(e.Lines); n > 0 {
		fmt.Fprintf(&b, "\n  and %d more", n)
	}
	return b.String()
}

// Unwrap returns the kind of table and the error of every line listed.
func (e *TableError) Unwrap() []error {
	errs := make([]error, 0, len(e.Lines)+1)
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	for _, l := range e.Lines {
		errs = append(errs, l)
	}
	return errs
}

// badLines collects the bad lines of a table.
type badLines struct {
	file  string
	kind  error
	lines []LineError
}

func (b *badLines) add(line int, id string, err error) {
	b.lines = append(b.lines, LineError{line, id, err})
}

// err returns the *TableError of the lines collected, nil if none.
func (b *badLines) err() error {
	if len(b.lines) == 0 {
		return nil
	}
	sort.SliceStable(b.lines, func(i, j int) bool { return b.lines[i].Line < b.lines[j].Line })
	return &TableError{File: b.file, Kind: b.kind, Lines: b.lines[:min(len(b.lines), maxBadLines)], Bad: len(b.lines)}
}

// csvText returns the text of the CSV table data of file as UTF-8, as
// spreadsheets save it: UTF-16 (Excel's "Unicode Text", TAB-separated) is
// decoded, a UTF-8 byte order mark (Excel's "CSV UTF-8") is
// dropped, and a file that is not UTF-8 but is GBK (Excel on Chinese
// Windows saves plain "CSV" in GBK) is decoded, with a warning. A file that
// is neither is returned as it is, for its rows that are not UTF-8 to be
// named.
func csvText(file string, data []byte) ([]byte, []geo.Warning) {
	if text, guessed, ok := utf16Text(data); ok {
		if guessed {
			return text, []geo.Warning{{File: file, Index: -1, Kind: "encoding", Note: "UTF-16 without a byte order mark; read as such"}}
		}
		return text, nil
	}
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	if utf8.Valid(data) {
		return data, nil
	}
	// The decoder turns what is not GBK into U+FFFD, which GBK itself
	// never maps to.
	text, err := simplifiedchinese.GBK.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(text, utf8.RuneError) {
		return data, nil
	}
	return text, []geo.Warning{{File: file, Index: -1, Kind: "encoding", Note: "not UTF-8; read as GBK"}}
}

// utf16Text decodes data if it is UTF-16: with a byte order mark, or
// (guessed) every other byte of its first line zero beside ASCII; ok is
// false otherwise, or where it does not decode.
func utf16Text(data []byte) (text []byte, guessed, ok bool) {
	big, bom, ok := geo.UTF16(data)
	if !ok {
		return nil, false, false
	}
	e := unicode.LittleEndian
	if big {
		e = unicode.BigEndian
	}
	text, err := unicode.UTF16(e, unicode.UseBOM).NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(text, utf8.RuneError) {
		return nil, false, false
	}
	return text, !bom, true
}

// readRows calls row for every row of the CSV table data of bad.file (see
// [csvText]), with its index among the rows (the first, 0, may be a
// header) and the line it starts on. CRLF line ends are read as line
// ends, and rows may have any number of fields. Fields are separated by
// commas, or, if sniff is set, by the separator of the first line
// ([separator]). A row that is not CSV, or not text (bytes neither UTF-8
// nor GBK, that would turn into U+FFFD on output, so that its ids no
// longer join), goes to bad instead, and reading goes on with the next
// line. It returns the warning of a file read as GBK.
func readRows(data []byte, bad *badLines, sniff bool, row func(n, line int, fields []string)) []geo.Warning {
	text, warnings := csvText(bad.file, data)
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	if sniff {
		r.Comma = separator(text)
	}
	last := 0 // line of the last row read, to stop should the reader not advance
	for n := 0; ; n++ {
		fields, err := r.Read()
		if err == io.EOF {
			return warnings
		}
		if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
			bad.add(pe.StartLine, "", fmt.Errorf("column %d: %w", pe.Column, pe.Err))
			if pe.StartLine <= last {
				return warnings
			}
			last = pe.StartLine
			continue
		}
		if err != nil {
			bad.add(last+1, "", err)
			return warnings
		}
		line, _ := r.FieldPos(0)
		last = line
		if k := invalidUTF8(fields); k >= 0 {
			bad.add(line, "", fmt.Errorf("field %d is not UTF-8 text (nor GBK): %q", k+1, abbreviateText(fields[k])))
			continue
		}
		row(n, line, fields)
	}
}

// separator returns the field separator of the CSV table text, as
// spreadsheets save it: a comma, unless the first line that is not blank
// has none but has a TAB ("Text (Tab delimited)") or a semicolon (the
// "CSV" of Excel where the comma is the decimal separator).
func separator(text []byte) rune {
	for len(text) > 0 {
		var line []byte
		line, text, _ = bytes.Cut(text, []byte("\n"))
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		switch {
		case bytes.IndexByte(line, ',') >= 0:
			return ','
		case bytes.IndexByte(line, '\t') >= 0:
			return '\t'
		case bytes.IndexByte(line, ';') >= 0:
			return ';'
		}
		return ','
	}
	return ','
}

// invalidUTF8 returns the index of the first field of fields that is not
// UTF-8 text, or -1.
func invalidUTF8(fields []string) int {
	for k, f := range fields {
		if !utf8.ValidString(f) {
			return k
		}
	}
	return -1
}

// abbreviateText shortens s to its first 40 bytes for a message.
func abbreviateText(s string) string {
	const max = 40
	if len(s) > max {
		return s[:max] + "..."
	}
	return s
}
