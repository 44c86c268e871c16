package shp

import (
	"errors"
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
		{"option over all", 0x4D, "GBK", "latin1", "latin1", SourceFlag, "ÉçÇø", 0},
		{"wrong option", 0x00, "", "utf-8", UTF8, SourceFlag, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var cpg []byte
			if tc.cpg != "" {
				cpg = []byte(tc.cpg)
			}
			warnings := 0
			r, err := Open(gbkLayer(t, tc.ldid, cpg), ReadOptions{Encoding: tc.opt, Warn: func(*Error) { warnings++ }})
			if tc.wantValue == "" && tc.opt == "utf-8" {
				// The field name is not UTF-8 either.
				if !errors.Is(err, ErrEncoding) {
					t.Errorf("Open() = %v, want ErrEncoding", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Encoding() != tc.wantEnc || r.EncodingSource() != tc.wantSource || warnings != tc.warnings {
				t.Errorf("Encoding(), EncodingSource() = %q, %q with %d warnings; want %q, %q with %d",
					r.Encoding(), r.EncodingSource(), warnings, tc.wantEnc, tc.wantSource, tc.warnings)
			}
			f, err := r.Next()
			if err != nil || f.Properties[0].Value != tc.wantValue {
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
