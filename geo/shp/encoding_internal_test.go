package shp

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gridplan/geo/feature"
)

func TestLookupCodec(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"UTF-8", UTF8}, {"utf8", UTF8}, {"65001", UTF8}, {" UTF-8\r\n", UTF8},
		{"GBK", GBK}, {"936", GBK}, {"CP936", GBK}, {"ANSI 936", GBK}, {"GB2312", GBK}, {"cp_936", GBK}, {"LDID/77", GBK},
		{"GB18030", "gb18030"}, {"BIG5", "big5"},
		{"88591", "latin1"}, {"ISO-8859-1", "latin1"}, {"latin1", "latin1"},
		{"1252", "cp1252"}, {"windows-1252", "cp1252"}, {"CP1251", "cp1251"}, {"LDID/3", "cp1252"},
		{"", ""}, {"klingon", ""}, {"LDID/87", ""}, {"LDID/x", ""}, {"9999", ""}, {"01252", ""},
	} {
		c, ok := lookupCodec(tc.name)
		if ok != (tc.want != "") || c.name != tc.want {
			t.Errorf("lookupCodec(%q) = %q, %v; want %q", tc.name, c.name, ok, tc.want)
		}
	}
	for id, want := range map[byte]string{0x4D: GBK, 0x7A: GBK, 0x57: "", 0x00: "", 0x03: "cp1252", 0xC9: "cp1251"} {
		c, ok := ldidCodec(id)
		if ok != (want != "") || c.name != want {
			t.Errorf("ldidCodec(%#x) = %q, %v; want %q", id, c.name, ok, want)
		}
	}
}

func TestDecode(t *testing.T) {
	for _, tc := range []struct {
		c    codec
		in   string
		want string // "" for an error
	}{
		{codecUTF8, "社区", "社区"},
		{codecUTF8, "\xc9\xe7\xc7\xf8", ""},
		{codecGBK, "\xc9\xe7\xc7\xf8", "社区"},
		{codecGBK, "\xff\xfe", ""},
		{codecGBK, "\x81", ""}, // a lead byte alone
		{codecLatin1, "caf\xe9", "café"},
	} {
		got, err := newTextDecoder(tc.c).decode([]byte(tc.in))
		if (err != nil) != (tc.want == "") || got != tc.want || (err != nil && !errors.Is(err, ErrEncoding)) {
			t.Errorf("decode(%s, %q) = %q, %v; want %q", tc.c.name, tc.in, got, err, tc.want)
		}
	}
}

// gbkLayer is a layer of one Polygon whose name is 社区 in GBK, with
// language driver ldid and, if cpg is not nil, a .cpg.
func gbkLayer(t *testing.T, ldid byte, cpg []byte) string {
	t.Helper()
	shp, shx, _ := rawFiles(shapePolygon, rawShape(shapePolygon, ring))
	dbf, err := encodeDBF([]feature.Field{{Name: "名称", Type: feature.String}},
		[]feature.Feature{{Properties: []feature.Property{{Name: "名称", Value: "社区"}}}},
		writeCodec{codec: codecGBK, ldid: ldid})
	if err != nil {
		t.Fatal(err)
	}
	return writeLayer(t, t.TempDir(), "l", map[string][]byte{".shp": shp, ".shx": shx, ".dbf": dbf, ".cpg": cpg})
}

func TestReadEncoding(t *testing.T) {
	for _, tc := range []struct {
		name       string
		ldid       byte
		cpg        string
		opt        string
		wantEnc    string
		wantSource string
		wantValue  string // "" for ErrEncoding
		warnings   int
	}{
		{"detected", 0x00, "", "", GBK, SourceDetected, "社区", 0},
		{"ANSI driver", 0x57, "", "", GBK, SourceDetected, "社区", 0},
		{"language driver", 0x4D, "", "", GBK, SourceLDID, "社区", 0},
		{".cpg", 0x00, "ANSI 936", "", GBK, SourceCPG, "社区", 0},
		{".cpg over the driver", 0x03, "GBK", "", GBK, SourceCPG, "社区", 0},
		{"unknown .cpg", 0x00, "klingon", "", GBK, SourceDetected, "社区", 1},
		// GBK text under a .cpg of UTF-8: read as GBK, corrected.
		{"wrong .cpg", 0x00, "UTF-8", "", GBK, SourceCorrected, "社区", 0},
		{"option over all", 0x4D, "GBK", "latin1", "latin1", SourceFlag, "ÉçÇø", 0},
		// The name is read with U+FFFD and a warning, the value refused.
		{"wrong option", 0x00, "", "utf-8", UTF8, SourceFlag, "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var cpg []byte
			if tc.cpg != "" {
				cpg = []byte(tc.cpg)
			}
			warnings := 0
			r, err := Open(gbkLayer(t, tc.ldid, cpg), ReadOptions{Encoding: tc.opt, Warn: func(*Error) { warnings++ }})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Encoding() != tc.wantEnc || r.EncodingSource() != tc.wantSource || warnings != tc.warnings {
				t.Errorf("Encoding(), EncodingSource() = %q, %q with %d warnings; want %q, %q with %d",
					r.Encoding(), r.EncodingSource(), warnings, tc.wantEnc, tc.wantSource, tc.warnings)
			}
			f, err := r.Next()
			if tc.wantValue == "" {
				if !errors.Is(err, ErrEncoding) {
					t.Errorf("Next() = %v, %v; want ErrEncoding", f.Properties, err)
				}
			} else if err != nil || f.Properties[0].Value != tc.wantValue {
				t.Errorf("Next() = %v, %v; want the name %q", f.Properties, err, tc.wantValue)
			}
		})
	}
	if _, err := Open(gbkLayer(t, 0, nil), ReadOptions{Encoding: "klingon"}); !errors.Is(err, ErrEncoding) {
		t.Errorf("Open(encoding klingon) = %v, want ErrEncoding", err)
	}
}

// TestReadEncodingValue checks that text not in the chosen encoding is an
// error naming the record, and that reading goes on after it.
func TestReadEncodingValue(t *testing.T) {
	shp, shx, _ := rawFiles(shapePolygon, rawShape(shapePolygon, ring), rawShape(shapePolygon, ring))
	fs := []feature.Feature{
		{Properties: []feature.Property{{Name: "name", Value: "Éç"}}},
		{Properties: []feature.Property{{Name: "name", Value: "ok"}}},
	}
	dbf, err := encodeDBF([]feature.Field{{Name: "name", Type: feature.String}}, fs, writeCodec{codec: codecLatin1})
	if err != nil {
		t.Fatal(err)
	}
	path := writeLayer(t, t.TempDir(), "l", map[string][]byte{".shp": shp, ".shx": shx, ".dbf": dbf})
	r, err := Open(path, ReadOptions{Encoding: "utf-8"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var e *Error
	if _, err := r.Next(); !errors.Is(err, ErrEncoding) || !errors.As(err, &e) || e.Record != 0 {
		t.Errorf("Next() = %v, want ErrEncoding for record 0", err)
	}
	if f, err := r.Next(); err != nil || f.Properties[0].Value != "ok" {
		t.Errorf("Next() = %v, %v; want the next record", f, err)
	}
}

func TestFieldName(t *testing.T) {
	for _, tc := range []struct {
		c    codec
		in   string
		want string
		bad  bool // an ErrEncoding with the name
	}{
		{codecUTF8, "households", "households", false},
		// 备注说明信息 cut at 10 bytes, as GDAL and QGIS store it.
		{codecUTF8, "备注说\xe6", "备注说", false},
		{codecUTF8, "户数统\xe8\xae", "户数统", false},        // 11 bytes: the whole name slot
		{codecUTF8, "户数\xe7\xbb", "户数\uFFFD", true},     // under 10 bytes: not cut
		{codecUTF8, "备注\xe8\xaf_1", "备注\uFFFD_1", true}, // GDAL's unique name, cut again
		{codecUTF8, "abcdefghi\xff", "abcdefghi\uFFFD", true},
		// 1户数统计值 in GBK cut at 10 bytes, in the middle of 值.
		{codecGBK, "1\xbb\xa7\xca\xfd\xcd\xb3\xbc\xc6\xd6", "1户数统计", false},
		{codecGBK, "\xb1\xb8\xd7\xa2\xcb\xb5\xc3\xf7\xd0\xc5", "备注说明信", false},
		{codecGBK, "\xc9\xe7\xff\xfe", "社\uFFFD\uFFFD", true},
		{codecBig5, "a\xb3\xc6\xb5\xf9\xbb\xa1\xa9\xfa\xab", "a備註說明", false},
		{codecLatin1, "abcdefghi\xe9", "abcdefghié", false},
	} {
		got, err := newTextDecoder(tc.c).fieldName([]byte(tc.in))
		if got != tc.want || (err != nil) != tc.bad || (err != nil && !errors.Is(err, ErrEncoding)) {
			t.Errorf("fieldName(%s, %q) = %q, %v; want %q (error: %v)", tc.c.name, tc.in, got, err, tc.want, tc.bad)
		}
	}
}

// cutNameLayer is a layer of one Polygon whose table has a field per
// name, each a String field holding value or, with value "", an Integer
// field holding 42. The names are written as the bytes given, as a
// writer that cuts names at 10 bytes leaves them; value is in c. The
// table names no encoding unless cpg is not "".
func cutNameLayer(t *testing.T, c codec, cpg, value string, names ...string) string {
	t.Helper()
	shp, shx, _ := rawFiles(shapePolygon, rawShape(shapePolygon, ring))
	var fields []feature.Field
	var props []feature.Property
	for k := range names {
		f := feature.Field{Name: fmt.Sprint("f", k), Type: feature.String}
		p := feature.Property{Name: f.Name, Value: value}
		if value == "" {
			f.Type, p.Value = feature.Integer, int64(42)
		}
		fields, props = append(fields, f), append(props, p)
	}
	dbf, err := encodeDBF(fields, []feature.Feature{{Properties: props}}, writeCodec{codec: c})
	if err != nil {
		t.Fatal(err)
	}
	for k, name := range names {
		slot := dbf[dbfHeaderLen+dbfDescriptorLen*k:][:dbfNameLen]
		clear(slot)
		copy(slot, name)
	}
	files := map[string][]byte{".shp": shp, ".shx": shx, ".dbf": dbf}
	if cpg != "" {
		files[".cpg"] = []byte(cpg)
	}
	return writeLayer(t, t.TempDir(), "l", files)
}

// TestReadCutFieldNames: a table whose field names a writer cut at 10
// bytes inside a character (GDAL and QGIS do) is read, in the encoding
// named or detected, with those names read without their partial
// character; a name not in the encoding in other ways is read with
// U+FFFD and a warning naming the .dbf and the field.
func TestReadCutFieldNames(t *testing.T) {
	const (
		remarks    = "备注说\xe6"                               // 备注说明信息 in UTF-8, cut
		unique     = "备注\xe8\xaf_1"                          // 备注说明二, cut and made unique by GDAL
		households = "1\xbb\xa7\xca\xfd\xcd\xb3\xbc\xc6\xd6" // 1户数统计值 in GBK, cut
		remarksGBK = "B\xb6\xb0\xb1\xb8\xd7\xa2\xd0\xc5\xcf" // B栋备注信息 in GBK, cut
	)
	for _, tc := range []struct {
		name      string
		c         codec
		cpg, opt  string
		value     string
		names     []string
		wantNames []string
		wantEnc   string
		warnings  int
	}{
		{"utf-8 .cpg", codecUTF8, "UTF-8", "", "无", []string{"id", remarks}, []string{"id", "备注说"}, UTF8, 0},
		{"utf-8 option", codecUTF8, "", "utf-8", "无", []string{"id", remarks}, []string{"id", "备注说"}, UTF8, 0},
		{"utf-8 detected", codecUTF8, "", "", "无", []string{"id", remarks}, []string{"id", "备注说"}, UTF8, 0},
		{"utf-8 detected, values ASCII", codecUTF8, "", "", "none", []string{"id", remarks}, []string{"id", "备注说"}, UTF8, 0},
		{"utf-8 made unique", codecUTF8, "", "", "无", []string{remarks, unique}, []string{"备注说", "备注\uFFFD_1"}, UTF8, 1},
		{"gbk .cpg", codecGBK, "CP936", "", "", []string{"id", households}, []string{"id", "1户数统计"}, GBK, 0},
		{"gbk detected", codecGBK, "", "", "", []string{households, remarksGBK}, []string{"1户数统计", "B栋备注信"}, GBK, 0},
		{"gbk detected, text", codecGBK, "", "", "无", []string{"id", remarksGBK}, []string{"id", "B栋备注信"}, GBK, 0},
		{"gbk read as utf-8", codecGBK, "", "utf-8", "", []string{"id", households}, []string{"id", "1\uFFFDͳ\uFFFD"}, UTF8, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var warns []*Error
			r, err := Open(cutNameLayer(t, tc.c, tc.cpg, tc.value, tc.names...),
				ReadOptions{Encoding: tc.opt, Warn: func(e *Error) { warns = append(warns, e) }})
			if err != nil {
				t.Fatalf("Open() = %v", err)
			}
			defer r.Close()
			var names []string
			for _, f := range r.Fields() {
				names = append(names, f.Name)
			}
			if !reflect.DeepEqual(names, tc.wantNames) || r.Encoding() != tc.wantEnc {
				t.Errorf("Fields() %q in %s; want %q in %s", names, r.Encoding(), tc.wantNames, tc.wantEnc)
			}
			if len(warns) != tc.warnings {
				t.Errorf("warnings %v; want %d", warns, tc.warnings)
			}
			for _, w := range warns {
				if !strings.HasSuffix(w.File, ".dbf") || w.Record != NoRecord || !errors.Is(w, ErrEncoding) || !strings.HasPrefix(w.Err.Error(), "field 1: ") {
					t.Errorf("warning %v; want one about field 1 of the .dbf", w)
				}
			}
			f, err := r.Next()
			if err != nil {
				t.Fatalf("Next() = %v", err)
			}
			want := any(tc.value)
			if tc.value == "" {
				want = int64(42)
			}
			if p := f.Properties[1]; p.Name != tc.wantNames[1] || p.Value != want {
				t.Errorf("Next() property 1 = %q: %#v; want %q: %#v", p.Name, p.Value, tc.wantNames[1], want)
			}
		})
	}
}
