package shp_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"gridplan/geo/feature"
	"gridplan/geo/shp"
)

// maxAllocPerByte and maxAllocBase bound what reading a layer may
// allocate: buffers of fixed size (64 KiB for each file read in turn)
// plus, per byte of input, what its decoding into orb values costs at
// worst (a part of one point is 20 bytes of .shp and some 200 bytes of
// rings, polygons and bookkeeping).
const (
	maxAllocPerByte = 64
	maxAllocBase    = 1 << 20
)

// go test -fuzz=FuzzRead ./geo/shp
func FuzzRead(f *testing.F) {
	for _, enc := range []string{"utf-8", "gbk"} {
		files, err := shp.Encode(testFields, testFeatures(), shp.WriteOptions{Encoding: enc})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(files[".shp"], files[".shx"], files[".dbf"])
		f.Add(files[".shp"], []byte(nil), files[".dbf"])
	}
	points, err := shp.Encode(nil, []feature.Feature{{Geometry: orb.Point{1, 2}}, {}}, shp.WriteOptions{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(points[".shp"], points[".shx"], points[".dbf"])
	f.Fuzz(func(t *testing.T, shpData, shxData, dbfData []byte) {
		dir := t.TempDir()
		write := func(ext string, b []byte) {
			if err := os.WriteFile(filepath.Join(dir, "l"+ext), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write(".shp", shpData)
		write(".dbf", dbfData)
		if len(shxData) > 0 {
			write(".shx", shxData)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		readChecked(t, filepath.Join(dir, "l.shp"))
		runtime.ReadMemStats(&after)
		limit := uint64(maxAllocBase + maxAllocPerByte*(len(shpData)+len(shxData)+len(dbfData)))
		if got := after.TotalAlloc - before.TotalAlloc; got > limit {
			t.Errorf("reading %d+%d+%d bytes allocated %d bytes, more than %d",
				len(shpData), len(shxData), len(dbfData), got, limit)
		}
	})
}

// readChecked reads a layer to its end or first lasting error, and checks
// what it returns: every error an *Error, every value of its field's
// type, every polygon's rings closed and oriented as RFC 7946 says.
func readChecked(t *testing.T, path string) {
	r, err := shp.Open(path, shp.ReadOptions{Warn: func(*shp.Error) {}})
	if err != nil {
		var e *shp.Error
		if !errors.As(err, &e) {
			t.Fatalf("Open() = %v, not an *Error", err)
		}
		return
	}
	defer r.Close()
	fields := r.Fields()
	for _, f := range fields {
		if !utf8.ValidString(f.Name) {
			t.Fatalf("field name %q is not UTF-8", f.Name)
		}
	}
	var last error
	for range 1 << 20 {
		f, err := r.Next()
		if err == io.EOF {
			return
		}
		if err != nil {
			var e *shp.Error
			if !errors.As(err, &e) {
				t.Fatalf("Next() = %v, not an *Error", err)
			}
			if err == last {
				return // it lasts
			}
			last = err
			continue
		}
		checkFeature(t, fields, f)
	}
	t.Fatalf("Next() did not end")
}

func checkFeature(t *testing.T, fields []feature.Field, f feature.Feature) {
	t.Helper()
	if len(f.Properties) != len(fields) {
		t.Fatalf("%d properties for %d fields", len(f.Properties), len(fields))
	}
	for k, p := range f.Properties {
		ok := true
		switch p.Value.(type) {
		case nil:
		case string:
			ok = fields[k].Type == feature.String || fields[k].Type == feature.Date
		case int64:
			ok = fields[k].Type == feature.Integer
		case float64:
			ok = fields[k].Type == feature.Real
		case bool:
			ok = fields[k].Type == feature.Bool
		case feature.Unreadable:
			ok = fields[k].Type == feature.Integer || fields[k].Type == feature.Real
		default:
			ok = false
		}
		if !ok || p.Name != fields[k].Name {
			t.Fatalf("property %q = %#v in field %+v", p.Name, p.Value, fields[k])
		}
	}
	var polys []orb.Polygon
	switch g := f.Geometry.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, p := range polys {
		for j, r := range p {
			if len(r) == 0 || r[0] != r[len(r)-1] {
				t.Fatalf("ring %d of %v is not closed", j, p)
			}
			if o := r.Orientation(); o != 0 && (j == 0) != (o == orb.CCW) {
				t.Fatalf("ring %d of %v is %v", j, p, o)
			}
		}
	}
}
