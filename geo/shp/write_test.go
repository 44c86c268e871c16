package shp_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gridplan/geo/feature"
	"gridplan/geo/shp"
)

// save writes the files of a layer as dir/base.* and returns the .shp's
// path.
func save(t *testing.T, dir, base string, files map[string][]byte) string {
	t.Helper()
	for ext, b := range files {
		if err := os.WriteFile(filepath.Join(dir, base+ext), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, base+".shp")
}

// readAll reads every feature of the shapefile at path.
func readAll(t *testing.T, path string, opts shp.ReadOptions) (*shp.Reader, []feature.Feature) {
	t.Helper()
	r, err := shp.Open(path, opts)
	if err != nil {
		t.Fatalf("Open(%s) = %v", path, err)
	}
	t.Cleanup(func() { r.Close() })
	var fs []feature.Feature
	for {
		f, err := r.Next()
		if err == io.EOF {
			return r, fs
		}
		if err != nil {
			t.Fatalf("Next() after %d features = %v", len(fs), err)
		}
		fs = append(fs, nullMarks(f))
	}
}

// nullMarks returns f with its numbers filled with '*' as nil: that is how
// GDAL and Encode write a null number, and it reads as a
// feature.Unreadable (which stands for null), dBASE's mark of a number
// too wide for its field being the same.
func nullMarks(f feature.Feature) feature.Feature {
	for j, p := range f.Properties {
		if v, ok := p.Value.(feature.Unreadable); ok && strings.Trim(string(v), "*") == "" {
			f.Properties[j].Value = nil
		}
	}
	return f
}

// square is the counter-clockwise ring of the square [x0,x1]×[y0,y1].
func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

// cw is r clockwise.
func cw(r orb.Ring) orb.Ring {
	r = r.Clone()
	r.Reverse()
	return r
}

var testFields = []feature.Field{
	{Name: "名称", Type: feature.String},
	{Name: "households", Type: feature.Integer},
	{Name: "area_m2", Type: feature.Real},
	{Name: "ok", Type: feature.Bool},
	{Name: "built", Type: feature.Date},
}

func props(name any, hh any, area any, ok any, built any) []feature.Property {
	vals := []any{name, hh, area, ok, built}
	ps := make([]feature.Property, len(vals))
	for i, v := range vals {
		ps[i] = feature.Property{Name: testFields[i].Name, Value: v}
	}
	return ps
}

// testFeatures are polygons in RFC 7946 orientation (as the reader
// returns them) with every kind of value and null.
func testFeatures() []feature.Feature {
	return []feature.Feature{
		{Geometry: orb.Polygon{square(500000, 3400000, 500100, 3400100), cw(square(500010, 3400010, 500020, 3400020))},
			Properties: props("朝阳社区 · 第1网格", int64(420), 12345.678, true, "2024-03-05")},
		{Geometry: orb.MultiPolygon{{square(0, 0, 10, 10)}, {square(20, 0, 30, 10), cw(square(22, 2, 24, 4)), cw(square(25, 2, 27, 4))}},
			Properties: props(nil, nil, nil, nil, nil)},
		{Geometry: nil, Properties: props("  leading blanks kept", int64(-7), -0.5, false, "1999-12-31")},
		{Geometry: orb.Polygon{square(-1, -1, 1, 1)}, Properties: props("ASCII", int64(123456789012345678), 1e300, nil, nil)},
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	for _, enc := range []string{"", "utf-8", "gbk"} {
		t.Run("encoding="+enc, func(t *testing.T) {
			want := testFeatures()
			files, err := shp.Encode(testFields, want, shp.WriteOptions{Encoding: enc, PRJ: "PROJCS[\"x\"]"})
			if err != nil {
				t.Fatal(err)
			}
			again, _ := shp.Encode(testFields, testFeatures(), shp.WriteOptions{Encoding: enc, PRJ: "PROJCS[\"x\"]"})
			if !reflect.DeepEqual(files, again) {
				t.Errorf("Encode is not deterministic")
			}
			if !reflect.DeepEqual(want, testFeatures()) {
				t.Errorf("Encode modified its input")
			}
			path := save(t, t.TempDir(), "grids", files)
			r, got := readAll(t, path, shp.ReadOptions{})
			wantEnc := shp.UTF8
			if enc == "gbk" {
				wantEnc = shp.GBK
			}
			if r.Encoding() != wantEnc || r.EncodingSource() != shp.SourceCPG {
				t.Errorf("Encoding(), EncodingSource() = %q, %q, want %q, %q", r.Encoding(), r.EncodingSource(), wantEnc, shp.SourceCPG)
			}
			if r.CRS() != "PROJCS[\"x\"]" {
				t.Errorf("CRS() = %q", r.CRS())
			}
			if len(got) != len(want) {
				t.Fatalf("read %d features, want %d", len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Errorf("feature %d:\n got %#v\nwant %#v", i, got[i], want[i])
				}
			}
			fs := r.Fields()
			for k, f := range fs {
				if f.Name != testFields[k].Name || f.Type != testFields[k].Type {
					t.Errorf("Fields()[%d] = %+v, want name %q type %v", k, f, testFields[k].Name, testFields[k].Type)
				}
			}
			// The text is in the .dbf byte for byte in the chosen encoding.
			text := []byte("朝阳社区 · 第1网格")
			if enc == "gbk" {
				text, _ = simplifiedchinese.GBK.NewEncoder().Bytes(text)
			}
			if !bytes.Contains(files[".dbf"], text) {
				t.Errorf(".dbf does not hold %q", text)
			}
			if w, longest := fs[0].Width, max(len(text), len("  leading blanks kept")); w != longest {
				t.Errorf("width of the text column = %d, want its longest value's %d bytes", w, longest)
			}
		})
	}
}

// TestEncodeOrientation checks that the .shp holds outer rings clockwise
// and holes counter-clockwise, whatever the orientation given.
func TestEncodeOrientation(t *testing.T) {
	for _, p := range []orb.Polygon{
		{square(0, 0, 10, 10), cw(square(1, 1, 2, 2))},
		{cw(square(0, 0, 10, 10)), square(1, 1, 2, 2)},
	} {
		files, err := shp.Encode(nil, []feature.Feature{{Geometry: p}}, shp.WriteOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b := files[".shp"]
		// Header, record header, type, box, numParts, numPoints, 2 part starts.
		pts := b[100+8+4+32+4+4+8:]
		outer, hole := ringArea(pts[:5*16]), ringArea(pts[5*16:10*16])
		if outer >= 0 || hole <= 0 {
			t.Errorf("Encode(%v): signed areas of outer ring and hole = %v, %v; want < 0, > 0", p, outer, hole)
		}
	}
}

// ringArea is the shoelace area of the little-endian points in b.
func ringArea(b []byte) float64 {
	r, _ := shpPoints(b)
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}

func TestEncodePoints(t *testing.T) {
	want := []feature.Feature{{Geometry: orb.Point{116.4, 39.9}}, {Geometry: nil}, {Geometry: orb.Point{-1, 2}}}
	files, err := shp.Encode(nil, want, shp.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st := le32(files[".shp"][32:]); st != 1 {
		t.Errorf("shape type %d, want 1 (Point)", st)
	}
	_, got := readAll(t, save(t, t.TempDir(), "p", files), shp.ReadOptions{})
	for i := range want {
		want[i].Properties = []feature.Property{}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read %#v, want %#v", got, want)
	}
}

func TestEncodeErrors(t *testing.T) {
	str := []feature.Field{{Name: "name", Type: feature.String}}
	one := func(v any) []feature.Feature {
		return []feature.Feature{{Properties: []feature.Property{{Name: "name", Value: v}}}}
	}
	for _, tc := range []struct {
		name     string
		fields   []feature.Field
		features []feature.Feature
		opts     shp.WriteOptions
		want     error
		record   int
	}{
		{"long name", []feature.Field{{Name: "households_total", Type: feature.Integer}}, nil, shp.WriteOptions{}, shp.ErrField, shp.NoRecord},
		// 4 characters: 12 bytes in UTF-8, 8 in GBK.
		{"long name in UTF-8", []feature.Field{{Name: "社区名称", Type: feature.String}}, nil, shp.WriteOptions{}, shp.ErrField, shp.NoRecord},
		{"repeated name", []feature.Field{{Name: "a", Type: feature.String}, {Name: "A", Type: feature.String}}, nil, shp.WriteOptions{}, shp.ErrField, shp.NoRecord},
		{"value over 254 bytes", str, one(strings.Repeat("社", 85)), shp.WriteOptions{}, shp.ErrField, 0},
		{"value of the wrong type", str, one(int64(1)), shp.WriteOptions{}, shp.ErrField, 0},
		{"not in GBK", str, one("😀"), shp.WriteOptions{Encoding: "gbk"}, shp.ErrEncoding, 0},
		{"unwritable encoding", str, nil, shp.WriteOptions{Encoding: "latin1"}, shp.ErrEncoding, shp.NoRecord},
		{"missing property", str, []feature.Feature{{}}, shp.WriteOptions{}, shp.ErrField, 0},
		{"bad date", []feature.Field{{Name: "d", Type: feature.Date}},
			[]feature.Feature{{Properties: []feature.Property{{Name: "d", Value: "2024-13-01"}}}}, shp.WriteOptions{}, shp.ErrField, 0},
		{"NaN", []feature.Field{{Name: "x", Type: feature.Real}},
			[]feature.Feature{{Properties: []feature.Property{{Name: "x", Value: nan()}}}}, shp.WriteOptions{}, shp.ErrField, 0},
		{"mixed geometries", nil, []feature.Feature{{Geometry: orb.Point{}}, {Geometry: orb.Polygon{square(0, 0, 1, 1)}}}, shp.WriteOptions{}, shp.ErrShapeType, 1},
		{"line", nil, []feature.Feature{{Geometry: orb.LineString{{0, 0}, {1, 1}}}}, shp.WriteOptions{}, shp.ErrShapeType, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := shp.Encode(tc.fields, tc.features, tc.opts)
			var e *shp.Error
			if !errors.Is(err, tc.want) || !errors.As(err, &e) || e.Record != tc.record {
				t.Errorf("Encode() = %v, want an *Error wrapping %v for record %d", err, tc.want, tc.record)
			}
		})
	}
	// The same 4 characters are 8 bytes in GBK: a valid name.
	if _, err := shp.Encode([]feature.Field{{Name: "社区名称", Type: feature.String}}, nil, shp.WriteOptions{Encoding: "gbk"}); err != nil {
		t.Errorf("Encode(GBK name of 8 bytes) = %v", err)
	}
}

func TestEncodeEmpty(t *testing.T) {
	files, err := shp.Encode(testFields, nil, shp.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st := le32(files[".shp"][32:]); st != 5 || len(files[".shp"]) != 100 || len(files[".shx"]) != 100 {
		t.Errorf("shape type %d, .shp %d bytes, .shx %d; want 5 (Polygon) and bare headers", st, len(files[".shp"]), len(files[".shx"]))
	}
	r, got := readAll(t, save(t, t.TempDir(), "e", files), shp.ReadOptions{})
	if len(got) != 0 || len(r.Fields()) != len(testFields) {
		t.Errorf("read %d features and %d fields, want 0 and %d", len(got), len(r.Fields()), len(testFields))
	}
}
