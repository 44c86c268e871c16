package plan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"gridplan/geo"
)

// TestReadHouseholdsHeader: the first row is a header only if it names the
// columns; otherwise it is data, and a bad first row is an error naming
// line 1, not a header skipped.
func TestReadHouseholdsHeader(t *testing.T) {
	for _, tc := range []struct {
		name, csv string
		fields    geo.Fields
		want      map[string]int // nil: an error naming line 1
	}{
		{"id,households", "id,households\nB1,40\n", geo.Fields{}, map[string]int{"B1": 40}},
		{"any case, spaces", "Building_ID , HOUSEHOLDS\nB1,40\n", geo.Fields{}, map[string]int{"B1": 40}},
		{"户数", "building_id,户数\nB1,40\n", geo.Fields{}, map[string]int{"B1": 40}},
		{"byte order mark", "\xef\xbb\xbfid,households\r\nB1,40\r\n", geo.Fields{}, map[string]int{"B1": 40}},
		{"the field flags' names", "楼栋编码,hh\nB1,40\n", geo.Fields{ID: "楼栋编码", Households: "hh"}, map[string]int{"B1": 40}},
		{"any id column name", "楼栋编码,户数\nB1,40\n", geo.Fields{}, map[string]int{"B1": 40}},
		{"no header", "B1,40\nB2,7\n", geo.Fields{}, map[string]int{"B1": 40, "B2": 7}},
		{"bad first row", "B000001,abc\nB2,7\n", geo.Fields{}, nil},
		{"unknown header", "building,count\nB2,7\n", geo.Fields{}, nil},
		{"a header of three columns without an id column", "households,note,x\nB2,7\n", geo.Fields{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := readHouseholds("h.csv", []byte(tc.csv), tc.fields)
			if tc.want == nil {
				var te *TableError
				if !errors.As(err, &te) || te.Bad != 1 || te.Lines[0].Line != 1 || !strings.HasPrefix(err.Error(), "h.csv: line 1") {
					t.Fatalf("readHouseholds(%q) = %v, want an error naming line 1 of h.csv", tc.csv, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("readHouseholds(%q): %v", tc.csv, err)
			}
			if fmt.Sprint(h.counts) != fmt.Sprint(tc.want) {
				t.Errorf("readHouseholds(%q) = %v, want %v", tc.csv, h.counts, tc.want)
			}
		})
	}
}

// TestReadHouseholdsSpreadsheet: tables as spreadsheets save them read as
// the plain table does: cleared rows (",", ",,") are skipped, a header
// naming the id and count columns lets other columns be, in any order,
// and a table separated by semicolons or TABs is read with that separator.
func TestReadHouseholdsSpreadsheet(t *testing.T) {
	want := map[string]int{"B1": 40, "B2": 7}
	for _, tc := range []struct {
		name   string
		csv    []byte
		fields geo.Fields
	}{
		{"comma", []byte("id,households\nB1,40\nB2,7\n"), geo.DefaultFields()},
		{"cleared rows at the end", []byte("id,households\r\nB1,40\r\nB2,7\r\n,\r\n,\r\n"), geo.DefaultFields()},
		{"cleared rows anywhere", []byte(",,\nid,households\n , \nB1,40\n\"\",\t\nB2,7\n,\n"), geo.DefaultFields()},
		{"cleared rows, no header", []byte("B1,40\n,\nB2,7\n,\n"), geo.DefaultFields()},
		{"extra columns", []byte("id,households,备注\nB1,40,核实\nB2,7,\n"), geo.DefaultFields()},
		{"extra columns in another order", []byte("备注,户数,name,楼栋编码\nx,40,甲,B1\n,7,,B2\n"), geo.DefaultFields()},
		{"extra columns, GBK", gbk(t, "楼栋编码,户数,备注\r\nB1,40,核实\r\nB2,7,核实\r\n"), geo.DefaultFields()},
		{"extra columns, the field flags' names", []byte("name,hh,楼栋ID\n甲,40,B1\n乙,7,B2\n"), geo.Fields{ID: "楼栋ID", Households: "hh"}},
		{"two id columns, one the --id-field name", []byte("id,楼栋编码,户数\n1,B1,40\n2,B2,7\n"), geo.Fields{ID: "楼栋编码", Households: "households"}},
		{"households,id", []byte("households,id\n40,B1\n7,B2\n"), geo.DefaultFields()},
		{"semicolons", []byte("id;households\r\nB1;40\r\nB2;7\r\n"), geo.DefaultFields()},
		{"semicolons, quoted, no header", []byte("\"B1\";\"40\"\n\"B2\";\"7\"\n"), geo.DefaultFields()},
		{"semicolons after a blank line", []byte("\n;\nid;households\nB1;40\nB2;7\n;\n"), geo.DefaultFields()},
		{"TABs", []byte("id\thouseholds\nB1\t40\nB2\t7\n\t\n"), geo.DefaultFields()},
		{"TABs, extra columns, GBK", gbk(t, "楼栋编码\t备注\t户数\r\nB1\t核实; 新建\t40\r\nB2\t\t7\r\n"), geo.DefaultFields()},
		{"Excel's Unicode Text (UTF-16, TABs)", utf16LE("\ufeff楼栋编码\t户数\t备注\r\nB1\t40\t核实\r\nB2\t7\t\r\n"), geo.DefaultFields()},
		{"UTF-16 big-endian without a byte order mark", utf16BE("id,households\nB1,40\nB2,7\n"), geo.DefaultFields()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := readHouseholds("h.csv", tc.csv, tc.fields)
			if err != nil {
				t.Fatalf("readHouseholds(%q): %v", tc.csv, err)
			}
			if fmt.Sprint(h.counts) != fmt.Sprint(want) {
				t.Errorf("readHouseholds(%q) = %v, want %v", tc.csv, h.counts, want)
			}
		})
	}
	// A comma on the first line keeps the comma, whatever the others have.
	h, err := readHouseholds("h.csv", []byte("id,households\nB;1,40\n"), geo.DefaultFields())
	if err != nil || fmt.Sprint(h.counts) != "map[B;1:40]" {
		t.Errorf("readHouseholds of a comma table with a semicolon in an id = %v, %v; want B;1 at 40", h, err)
	}
}

// TestReadHouseholdsSpreadsheetBadRows: a row with an id and no count, or
// a count and no id, is still an error naming its line, with the blank
// rows skipped; rows must have the fields of the header, or 2 without
// one; and a header naming the count column but no id column, or a column
// twice, is an error naming line 1.
func TestReadHouseholdsSpreadsheetBadRows(t *testing.T) {
	for _, tc := range []struct {
		name, csv string
		lines     []int    // the bad lines
		says      []string // in the message
	}{
		{"half-empty rows", "id,households\nB1,40\n,7\nB3,\n,\n,,\n", []int{3, 4}, []string{"line 3: empty building id", `line 4 (id "B3")`, "empty"}},
		{"half-empty rows, semicolons", "id;households\nB1;40\n;7\nB3;\n;\n", []int{3, 4}, []string{"line 3: empty building id", `line 4 (id "B3")`}},
		{"half-empty rows, extra columns", "户数,楼栋编码,备注\n40,B1,\n7,,核实\n,B3,\n,,\n", []int{3, 4}, []string{"line 3: empty building id", `line 4 (id "B3")`}},
		{"extra columns without a header", "B1,40,核实\nB2,7\n", []int{1}, []string{"line 1: want 2 fields (id,households), have 3", "header", "names the id and households columns"}},
		{"a row short of the header's fields", "id,households,备注\nB1,40,x\nB2,7\n", []int{3}, []string{"line 3: want 3 fields, as the header has, have 2"}},
		{"a header without an id column", "户数,名称,地址\n40,甲,x\n7,乙,y\n", []int{1}, []string{"line 1", "no id column"}},
		{"a header naming the count twice", "id,户数,户数\nB1,40,40\n", []int{1}, []string{"line 1", "fields 2", "and 3", "households column"}},
		{"a bad count, semicolons", "id;households\nB1;4,5\nB2;7\n", []int{2}, []string{`line 2 (id "B1")`, `"4,5"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readHouseholds("h.csv", []byte(tc.csv), geo.DefaultFields())
			var te *TableError
			if !errors.As(err, &te) {
				t.Fatalf("readHouseholds(%q) = %v, want a *TableError", tc.csv, err)
			}
			var lines []int
			for _, l := range te.Lines {
				lines = append(lines, l.Line)
			}
			if te.Bad != len(tc.lines) || fmt.Sprint(lines) != fmt.Sprint(tc.lines) {
				t.Errorf("readHouseholds(%q) = %v, want bad lines %v", tc.csv, err, tc.lines)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("readHouseholds(%q) = %q, want it to say %q", tc.csv, err, s)
				}
			}
		})
	}
}

// TestReadHouseholdsBadLines: every bad row is an error naming its line,
// and all of them are counted; counts are bounded and read as the
// buildings layer reads them.
func TestReadHouseholdsBadLines(t *testing.T) {
	for _, tc := range []struct {
		name, csv string
		want      error    // wrapped, if not nil
		says      []string // in the message
	}{
		{"too large", "id,households\nB1,40\nB2,1000000\n", geo.ErrTooManyHouseholds, []string{`h.csv: line 3 (id "B2")`, "too large", "limit of 100000"}},
		{"past int64", "id,households\nB1,40\nB2,99999999999999999999\n", geo.ErrTooManyHouseholds, []string{"line 3", "too large"}},
		{"wrapping int64", "B1,4611686018427387904\nB2,4611686018427387904\nB3,4611686018427387904\nB4,4611686018427387904\n", geo.ErrTooManyHouseholds, []string{"4 bad lines", "line 1", "line 4"}},
		{"underflowing", "id,households\nB1,1e-400\n", geo.ErrBadHouseholds, []string{"line 2", "whole number", "1e-400"}},
		{"overflowing", "id,households\nB1,1e400\n", geo.ErrTooManyHouseholds, []string{"line 2", "too large"}},
		{"empty count", "id,households\nB1,\n", geo.ErrMissingHouseholds, []string{"line 2", "empty"}},
		{"duplicate", "id,households\nB1,4\nB2,5\nB1,6\n", geo.ErrDuplicateID, []string{`line 4 (id "B1")`, "line 2"}},
		{"not UTF-8", "id,households\nB1,4\nB\xff2,5\n", nil, []string{"line 3", "not UTF-8", `B\xff2`}},
		{"not UTF-8, first row", "B\xff1,4\n", nil, []string{"line 1", "not UTF-8"}},
		{"not CSV", "id,households\nB1,4\nB\"2,5\n", nil, []string{"line 3"}},
		{"a quoted field over two lines", "id,households\n\"B\n1\",x\nB2,y\n", geo.ErrBadHouseholds, []string{"2 bad lines", `line 2 (id "B\n1")`, "line 4"}},
		{"empty", "", nil, []string{"h.csv", "no rows"}},
		{"a header alone", "id,households\n", nil, []string{"h.csv", "no rows"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readHouseholds("h.csv", []byte(tc.csv), geo.DefaultFields())
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("readHouseholds(%q) = %v, want an error wrapping %v", tc.csv, err, tc.want)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("readHouseholds(%q) = %q, want it to say %q", tc.csv, err, s)
				}
			}
		})
	}
	// Many bad lines: the first maxBadLines named, in line order, the
	// others counted.
	var b strings.Builder
	b.WriteString("id,households\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "B%d,%d\n", i, 40+(i%3)*1000000) // every third row in band
	}
	_, err := readHouseholds("h.csv", []byte(b.String()), geo.DefaultFields())
	var te *TableError
	if !errors.As(err, &te) || te.Bad != 20 || len(te.Lines) != maxBadLines || te.Lines[0].Line != 2 || te.Lines[19].Line != 30 {
		t.Fatalf("30 rows, 20 bad: %v", err)
	}
	b.Reset()
	b.WriteString("id,households\n")
	for i := 1; i <= 25; i++ {
		fmt.Fprintf(&b, "B%d,-%d\n", i, i)
	}
	_, err = readHouseholds("h.csv", []byte(b.String()), geo.DefaultFields())
	if !errors.As(err, &te) || te.Bad != 25 || len(te.Lines) != maxBadLines || !strings.Contains(err.Error(), "25 bad lines:") ||
		!strings.HasSuffix(err.Error(), "\n  and 5 more") || !strings.Contains(err.Error(), `line 21 (id "B20")`) || strings.Contains(err.Error(), `"B21"`) {
		t.Errorf("25 bad lines: %v", err)
	}
}

// TestHouseholdsApply: ids the buildings do not have are all named, and
// the buildings are left as they were.
func TestHouseholdsApply(t *testing.T) {
	h, err := readHouseholds("h.csv", []byte("id,households\nB1,7\nX1,3\nB2,9\nX2,4\n"), geo.DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	bs := []geo.Building{{ID: "B1", Households: 50}, {ID: "B2", Households: 50}}
	err = h.Apply(bs)
	var te *TableError
	if !errors.As(err, &te) || te.Bad != 2 || te.Lines[0].ID != "X1" || te.Lines[0].Line != 3 || te.Lines[1].ID != "X2" || te.Lines[1].Line != 5 {
		t.Fatalf("Apply = %v, want X1 on line 3 and X2 on line 5 named", err)
	}
	if bs[0].Households != 50 || bs[1].Households != 50 {
		t.Errorf("Apply changed counts on error: %+v", bs)
	}
	h, err = readHouseholds("h.csv", []byte("B2,9\n"), geo.DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Apply(bs); err != nil || bs[1].Households != 9 || bs[0].Households != 50 {
		t.Errorf("Apply = %v, counts %+v; want B2 at 9", err, bs)
	}
}

// TestLoadBoundsCounts: counts set by an adjustment beyond the limit, or
// below zero, are refused as those of the buildings layer are, so that
// their sums cannot wrap.
func TestLoadBoundsCounts(t *testing.T) {
	data := `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"B1","households":100},"geometry":{"type":"Point","coordinates":[113.3,40.08]}},
{"type":"Feature","properties":{"id":"B2","households":250},"geometry":{"type":"Point","coordinates":[113.3002,40.08]}}]}`
	src := Source{Name: "b.geojson", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader([]byte(data))), nil }}
	for _, tc := range []struct {
		n    int
		want error
	}{{math.MaxInt64 / 4, geo.ErrTooManyHouseholds}, {geo.MaxBuildingHouseholds + 1, geo.ErrTooManyHouseholds}, {-1, geo.ErrNegativeHouseholds}} {
		adjust := func(bs []geo.Building) error { bs[1].Households = tc.n; return nil }
		_, err := Load(context.Background(), Layers{Buildings: src}, &Options{Fields: geo.DefaultFields()}, adjust)
		var fe *geo.FeatureError
		if !errors.Is(err, tc.want) || !errors.As(err, &fe) || fe.ID != "B2" || fe.File != "b.geojson" {
			t.Errorf("Load with B2 at %d households = %v, want %v naming B2", tc.n, err, tc.want)
		}
	}
	adjust := func(bs []geo.Building) error { bs[1].Households = geo.MaxBuildingHouseholds; return nil }
	if _, err := Load(context.Background(), Layers{Buildings: src}, &Options{Fields: geo.DefaultFields()}, adjust); err != nil {
		t.Errorf("Load with B2 at the limit: %v", err)
	}
}

// FuzzTables reads fuzzed CSV as a household table and as an earlier
// assignment: rejecting input is fine, panicking is not; a table read
// holds ids of UTF-8 text and counts within the limit, and an error names
// at most maxBadLines lines, each a line of the input.
//
//	go test -fuzz=FuzzTables ./geo/plan
func FuzzTables(f *testing.F) {
	f.Add([]byte("id,households\nB1,40\nB2,0\n"))
	f.Add([]byte("building_id,grid_code,community\nB1,A001,A\nB2,A001,A\n"))
	// A bad first row that is no header; counts that wrap an int64 sum,
	// underflow or overflow a float64; an id that is not UTF-8; an
	// assignment cut mid-row.
	f.Add([]byte("B000001,abc\nB2,40\n"))
	f.Add([]byte("B1,4611686018427387904\nB2,4611686018427387904\nB3,4611686018427387904\nB4,4611686018427387904\n"))
	f.Add([]byte("id,households\nB1,1e-400\nB2,1e400\n"))
	f.Add([]byte("id,households\nB\xff1,40\n"))
	f.Add([]byte("building_id,grid_code,community\nB1,A001,A\nB2,C0"))
	// Spreadsheet saves: cleared rows, other columns, semicolons, TABs.
	f.Add([]byte("备注,户数,楼栋编码\r\nx,40,B1\r\n,,\r\n"))
	f.Add([]byte("id;households\nB1;40\n;\n"))
	f.Add([]byte("id\thouseholds\nB1\t40\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		checkErr := func(err error) {
			var te *TableError
			if !errors.As(err, &te) {
				return
			}
			if te.Bad < len(te.Lines) || len(te.Lines) == 0 || len(te.Lines) > maxBadLines {
				t.Fatalf("%d bad lines, %d listed", te.Bad, len(te.Lines))
			}
			for _, l := range te.Lines {
				if l.Line < 1 || l.Line > lines {
					t.Fatalf("bad line %d of %d: %v", l.Line, lines, l)
				}
			}
		}
		h, err := readHouseholds("h.csv", data, geo.DefaultFields())
		checkErr(err)
		if err == nil {
			for id, n := range h.counts {
				if id == "" || !utf8.ValidString(id) || n < 0 || n > geo.MaxBuildingHouseholds {
					t.Fatalf("read id %q with %d households", id, n)
				}
			}
		}
		pp, err := readAssignment("a.csv", data)
		checkErr(err)
		if err == nil {
			if data[len(data)-1] != '\n' {
				t.Fatalf("read an assignment that does not end with a line break")
			}
			for _, id := range pp.buildings {
				if g := pp.gridOf[id]; id == "" || !utf8.ValidString(id) || pp.codes[g] == "" || !utf8.ValidString(pp.codes[g]+pp.community[g]) {
					t.Fatalf("read building %q in grid %q of community %q", id, pp.codes[g], pp.community[g])
				}
			}
		}
	})
}

// TestHouseholdsBadRowsAndUnknownIDs: rows that cannot be read and ids no
// building has are reported together, in line order, in one run; the
// table of the good rows comes back with the rows' error.
func TestHouseholdsBadRowsAndUnknownIDs(t *testing.T) {
	h, err := readHouseholds("h.csv", []byte("id,households\nB1,40\nNOPE,5\nB2,-1\n"), geo.DefaultFields())
	var te *TableError
	if !errors.As(err, &te) || te.Bad != 1 || te.Lines[0].Line != 4 {
		t.Fatalf("read = %v, want line 4's negative count", err)
	}
	if h == nil {
		t.Fatal("no table of the good rows")
	}
	bs := []geo.Building{{ID: "B1", Households: 50}, {ID: "B2", Households: 50}}
	err = h.Apply(bs)
	if !errors.As(err, &te) || te.Bad != 2 || te.Lines[0].Line != 3 || te.Lines[0].ID != "NOPE" || te.Lines[1].Line != 4 {
		t.Fatalf("Apply = %v, want NOPE on line 3 and the count on line 4", err)
	}
	if bs[0].Households != 50 {
		t.Errorf("Apply changed counts on error: %+v", bs)
	}
	if h, err := readHouseholds("h.csv", []byte("B1,x\nB2,-1\n"), geo.DefaultFields()); h != nil || !errors.As(err, &te) || te.Bad != 2 {
		t.Errorf("a table of bad rows only: %v, %v; want no table and both rows", h, err)
	}
}

// TestHouseholdsIDsAsRead: a building id with spaces around it (ids are
// kept exactly as read) is named by the table as it gives it; a table
// whose ids have spaces the buildings' do not still names them.
func TestHouseholdsIDsAsRead(t *testing.T) {
	h, err := readHouseholds("h.csv", []byte("id,households\n\" B1\",7\n\"B2 \",9\n\" B3\",4\n"), geo.DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	bs := []geo.Building{{ID: " B1", Households: 50}, {ID: "B2 ", Households: 50}, {ID: "B3", Households: 50}}
	if err := h.Apply(bs); err != nil || bs[0].Households != 7 || bs[1].Households != 9 || bs[2].Households != 4 {
		t.Errorf("Apply = %v, counts %+v; want 7, 9 and 4", err, bs)
	}
}

// utf16LE and utf16BE encode s (of the Basic Multilingual Plane) in
// UTF-16.
func utf16LE(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

func utf16BE(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r>>8), byte(r))
	}
	return b
}

// TestReadHouseholdsUTF16Warning: a UTF-16 table with its byte order mark
// is read without a warning; one without is read with one.
func TestReadHouseholdsUTF16Warning(t *testing.T) {
	for _, tc := range []struct {
		data []byte
		warn bool
	}{{utf16LE("\ufeffid,households\nB1,40\n"), false}, {utf16LE("id,households\nB1,40\n"), true}} {
		h, err := readHouseholds("h.csv", tc.data, geo.DefaultFields())
		if err != nil || h.counts["B1"] != 40 {
			t.Fatalf("%q: %v, %v", tc.data, h, err)
		}
		if warned := len(h.warnings) == 1 && h.warnings[0].Kind == "encoding"; warned != tc.warn || len(h.warnings) > 1 {
			t.Errorf("%q: warnings %+v, want a warning: %v", tc.data, h.warnings, tc.warn)
		}
	}
}

// TestReadHouseholdsWorkbook: an Excel workbook given for the table is
// refused as one, naming the CSV to save it as; it was refused row by row
// as text that is not UTF-8.
func TestReadHouseholdsWorkbook(t *testing.T) {
	for _, data := range [][]byte{[]byte("PK\x03\x04\x14\x00\x06\x00[Content_Types].xml"), []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00")} {
		_, err := readHouseholds("census.xlsx", data, geo.DefaultFields())
		if err == nil || !strings.Contains(err.Error(), "Excel workbook") || !strings.Contains(err.Error(), "save the sheet as CSV") {
			t.Errorf("%q: %v, want it refused as a workbook", data[:4], err)
		}
	}
}

// TestHouseholdsApplyLeadingZeros: a census table saved from a spreadsheet
// that took the ids 000123 for numbers (123) is refused naming, line by
// line, the building that has the id with leading zeros, and once what
// to do; an id that two buildings have so is refused plainly.
func TestHouseholdsApplyLeadingZeros(t *testing.T) {
	bs := []geo.Building{{ID: "000123"}, {ID: "000124"}, {ID: "0125"}, {ID: "00125"}}
	h, err := readHouseholds("h.csv", []byte("id,households\n123,40\n124,7\n125,3\n"), geo.DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	err = h.Apply(bs)
	var te *TableError
	if !errors.As(err, &te) || len(te.Lines) != 3 {
		t.Fatalf("Apply: %v, want 3 lines", err)
	}
	for i, want := range []string{`building "000123" has it with leading zeros, which a spreadsheet drops`, `building "000124" has it with leading zeros`, ""} {
		msg := te.Lines[i].Error()
		if !errors.Is(te.Lines[i].Err, errUnknownID) || want != "" && !strings.Contains(msg, want) || want == "" && strings.Contains(msg, "leading zeros") {
			t.Errorf("line %d: %s, want %q", te.Lines[i].Line, msg, want)
		}
	}
	if strings.Count(err.Error(), "spreadsheet") != 1 {
		t.Errorf("the advice is given %d times, want once:\n%v", strings.Count(err.Error(), "spreadsheet"), err)
	}
}

// TestHouseholdsApplyExponentIDs: ids a spreadsheet wrote in exponent form
// (110105001001000001 as 1.10105E+17) are refused saying so.
func TestHouseholdsApplyExponentIDs(t *testing.T) {
	bs := []geo.Building{{ID: "110105001001000001"}}
	h, err := readHouseholds("h.csv", []byte("id,households\n1.10105E+17,40\n1.1e+17,3\n"), geo.DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	err = h.Apply(bs)
	var te *TableError
	if !errors.As(err, &te) || len(te.Lines) != 2 || !strings.Contains(te.Lines[0].Error(), "exponent form") || !strings.Contains(te.Lines[1].Error(), "exponent form") {
		t.Errorf("Apply: %v, want both lines named as in exponent form", err)
	}
}
