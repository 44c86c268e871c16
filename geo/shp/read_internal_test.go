package shp

import (
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"gridplan/geo/feature"
)

// rawShape is the content of a PolyLine or Polygon record (of 2-D type
// st or its Z variant) with parts as given, in their given orientation.
func rawShape(st int32, parts ...[]orb.Point) []byte {
	b := le.AppendUint32(nil, uint32(st))
	b = append(b, make([]byte, 32)...) // the box, which the reader ignores
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	b = le.AppendUint32(b, uint32(len(parts)))
	b = le.AppendUint32(b, uint32(n))
	start := 0
	for _, p := range parts {
		b = le.AppendUint32(b, uint32(start))
		start += len(p)
	}
	for _, p := range parts {
		for _, q := range p {
			b = rawXY(b, q)
		}
	}
	if st == shapePolygonZ || st == shapePolyLineZ { // Z range and values, M range and values
		b = append(b, make([]byte, 2*(16+8*n))...)
	}
	return b
}

// rawXY appends p, unchecked.
func rawXY(b []byte, p orb.Point) []byte {
	b = le.AppendUint64(b, math.Float64bits(p[0]))
	return le.AppendUint64(b, math.Float64bits(p[1]))
}

func rawPoint(st int32, p orb.Point) []byte {
	b := rawXY(le.AppendUint32(nil, uint32(st)), p)
	if st == shapePointZ {
		b = append(b, make([]byte, 16)...)
	}
	return b
}

// rawFiles returns a .shp of file type st holding the record contents
// given, its .shx, and a .dbf with a column "id" numbering them.
func rawFiles(st int32, contents ...[]byte) (shp, shx, dbf []byte) {
	shp = make([]byte, shpHeaderLen)
	shx = make([]byte, shpHeaderLen)
	fs := make([]feature.Feature, len(contents))
	for i, c := range contents {
		shx = be.AppendUint32(shx, uint32(len(shp)/2))
		shx = be.AppendUint32(shx, uint32(len(c)/2))
		shp = be.AppendUint32(shp, uint32(i+1))
		shp = be.AppendUint32(shp, uint32(len(c)/2))
		shp = append(shp, c...)
		fs[i].Properties = []feature.Property{{Name: "id", Value: int64(i)}}
	}
	putHeader(shp, st, len(shp), orb.Bound{})
	putHeader(shx, st, len(shx), orb.Bound{})
	dbf, err := encodeDBF([]feature.Field{{Name: "id", Type: feature.Integer}}, fs, writeCodec{codec: codecUTF8})
	if err != nil {
		panic(err) // the test's own table
	}
	return shp, shx, dbf
}

// writeLayer writes the files of a layer named base in dir; a nil file
// is left out. It returns the .shp's path.
func writeLayer(t *testing.T, dir, base string, files map[string][]byte) string {
	t.Helper()
	for ext, b := range files {
		if b == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, base+ext), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, base+".shp")
}

// readLayer returns the features of the layer at path, and the error
// that stopped the reading (nil at io.EOF).
func readLayer(t *testing.T, path string, opts ReadOptions) ([]feature.Feature, error) {
	t.Helper()
	r, err := Open(path, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out []feature.Feature
	for {
		f, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, f)
	}
}

var (
	ring   = []orb.Point{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}} // clockwise
	ccw    = []orb.Point{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	line   = []orb.Point{{0, 0}, {1, 1}, {2, 0}}
	line2  = []orb.Point{{5, 5}, {6, 6}}
	square = orb.Ring(ccw)
)

func TestReadShapeTypes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		st      int32
		content []byte
		want    orb.Geometry
	}{
		{"Point", shapePoint, rawPoint(shapePoint, orb.Point{1, 2}), orb.Point{1, 2}},
		{"PointZ", shapePointZ, rawPoint(shapePointZ, orb.Point{1, 2}), orb.Point{1, 2}},
		{"null in a Point file", shapePoint, le.AppendUint32(nil, shapeNull), nil},
		{"MultiPoint", shapeMultiPoint, func() []byte {
			b := le.AppendUint32(nil, shapeMultiPoint)
			b = append(b, make([]byte, 32)...)
			b = le.AppendUint32(b, 2)
			b = rawXY(b, orb.Point{1, 2})
			b = rawXY(b, orb.Point{3, 4})
			return b
		}(), orb.MultiPoint{{1, 2}, {3, 4}}},
		{"PolyLine", shapePolyLine, rawShape(shapePolyLine, line), orb.LineString(line)},
		{"PolyLineZ of 2 parts", shapePolyLineZ, rawShape(shapePolyLineZ, line, line2), orb.MultiLineString{line, line2}},
		{"Polygon", shapePolygon, rawShape(shapePolygon, ring), orb.Polygon{square}},
		{"PolygonZ", shapePolygonZ, rawShape(shapePolygonZ, ring), orb.Polygon{square}},
		{"unclosed ring", shapePolygon, rawShape(shapePolygon, ring[:4]), orb.Polygon{square}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shp, shx, dbf := rawFiles(tc.st, tc.content)
			path := writeLayer(t, t.TempDir(), "l", map[string][]byte{".shp": shp, ".shx": shx, ".dbf": dbf})
			got, err := readLayer(t, path, ReadOptions{})
			if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0].Geometry, tc.want) {
				t.Errorf("read %v, %v; want %#v", got, err, tc.want)
			}
		})
	}
}

func TestReadRefusedTypes(t *testing.T) {
	for _, st := range []int32{shapeMultiPatch, 2, 99, -1} {
		shp, shx, dbf := rawFiles(st)
		path := writeLayer(t, t.TempDir(), "l", map[string][]byte{".shp": shp, ".shx": shx, ".dbf": dbf})
		_, err := Open(path, ReadOptions{})
		var e *Error
		if !errors.Is(err, ErrShapeType) || !errors.As(err, &e) || e.File != path {
			t.Errorf("Open(a %s file) = %v, want an *Error naming %s wrapping ErrShapeType", typeName(st), err, path)
		}
	}
	// A record of another type than its file's.
	shp, shx, dbf := rawFiles(shapePolygon, rawPoint(shapePoint, orb.Point{1, 2}), rawShape(shapePolygon, ring))
	path := writeLayer(t, t.TempDir(), "l", map[string][]byte{".shp": shp, ".shx": shx, ".dbf": dbf})
	r, err := Open(path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var e *Error
	if _, err := r.Next(); !errors.Is(err, ErrCorrupt) || !errors.As(err, &e) || e.Record != 0 {
		t.Errorf("Next() on a Point in a Polygon file = %v, want ErrCorrupt for record 0", err)
	}
	if f, err := r.Next(); err != nil || !reflect.DeepEqual(f.Geometry, orb.Polygon{square}) {
		t.Errorf("Next() after it = %v, %v; want the next record", f, err)
	}
}

func TestReadSiblings(t *testing.T) {
	shp, shx, dbf := rawFiles(shapePolygon, rawShape(shapePolygon, ring), rawShape(shapePolygon, ring))
	want, err := readLayer(t, writeLayer(t, t.TempDir(), "l", map[string][]byte{".shp": shp, ".shx": shx, ".dbf": dbf}), ReadOptions{})
	if err != nil || len(want) != 2 {
		t.Fatalf("read %v, %v", want, err)
	}
	t.Run("mixed case", func(t *testing.T) {
		dir := t.TempDir()
		for name, b := range map[string][]byte{"BUILDINGS.SHP": shp, "Buildings.Shx": shx, "buildings.dbf": dbf, "buildings.PRJ": []byte(" PROJCS[\"x\"]\n")} {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		r, err := Open(filepath.Join(dir, "BUILDINGS.SHP"), ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if r.shxPath == "" || r.CRS() != `PROJCS["x"]` {
			t.Errorf("found .shx %q and CRS() %q; want Buildings.Shx and PROJCS[\"x\"]", r.shxPath, r.CRS())
		}
	})
	t.Run("no .shx", func(t *testing.T) {
		got, err := readLayer(t, writeLayer(t, t.TempDir(), "l", map[string][]byte{".shp": shp, ".dbf": dbf}), ReadOptions{})
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("read %v, %v; want %v", got, err, want)
		}
	})
	t.Run("no .dbf", func(t *testing.T) {
		dir := t.TempDir()
		_, err := Open(writeLayer(t, dir, "l", map[string][]byte{".shp": shp, ".shx": shx}), ReadOptions{})
		var e *Error
		if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &e) || e.File != filepath.Join(dir, "l.dbf") {
			t.Errorf("Open() = %v, want an *Error naming l.dbf wrapping fs.ErrNotExist", err)
		}
	})
	t.Run("deleted record", func(t *testing.T) {
		d := append([]byte(nil), dbf...)
		d[dbfHeaderLen+dbfDescriptorLen+1] = dbfDeleted // the first record's flag
		for _, files := range []map[string][]byte{{".shp": shp, ".shx": shx, ".dbf": d}, {".shp": shp, ".dbf": d}} {
			got, err := readLayer(t, writeLayer(t, t.TempDir(), "l", files), ReadOptions{})
			if err != nil || !reflect.DeepEqual(got, want[1:]) {
				t.Errorf("read %v, %v; want %v", got, err, want[1:])
			}
		}
	})
}

func TestAssemble(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	rev := func(r orb.Ring) orb.Ring {
		r = r.Clone()
		r.Reverse()
		return r
	}
	outer, hole := sq(0, 0, 100, 100), rev(sq(10, 10, 90, 90))
	island, lake := sq(20, 20, 80, 80), rev(sq(30, 30, 70, 70))
	far, farHole := sq(200, 0, 210, 10), rev(sq(202, 2, 204, 4))
	for _, tc := range []struct {
		name  string
		rings []orb.Ring // in the file's orientation
		want  orb.Geometry
		warn  error
	}{
		{"outer and hole", []orb.Ring{rev(outer), rev(hole)}, orb.Polygon{outer, hole}, nil},
		{"hole listed first", []orb.Ring{rev(hole), rev(outer)}, orb.Polygon{outer, hole}, nil},
		{"hole to the smallest container", []orb.Ring{rev(outer), rev(hole), rev(island), rev(lake)},
			orb.MultiPolygon{{outer, hole}, {island, lake}}, nil},
		{"two polygons", []orb.Ring{rev(far), rev(outer), rev(farHole)}, orb.MultiPolygon{{far, farHole}, {outer}}, nil},
		// Written the other way round, as some tools write them: one
		// warning for the layer.
		{"all reversed", []orb.Ring{outer, hole}, orb.Polygon{outer, hole}, ErrReversedRings},
		{"all reversed, two polygons", []orb.Ring{far, outer, hole, farHole, island, lake},
			orb.MultiPolygon{{far, farHole}, {outer, hole}, {island, lake}}, ErrReversedRings},
		{"one ring alone", []orb.Ring{far}, orb.Polygon{far}, ErrReversedRings},
		// Some rings by the rule, some not: warned of feature by feature.
		{"all counter-clockwise", []orb.Ring{outer, rev(hole)}, orb.Polygon{outer, hole}, errMixedRings},
		{"lone counter-clockwise ring", []orb.Ring{rev(outer), far}, orb.MultiPolygon{{outer}, {far}}, errMixedRings},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rings := make([]orb.Ring, len(tc.rings))
			for i, r := range tc.rings {
				rings[i] = r.Clone()
			}
			got, warn, err := assemble(rings)
			if err != nil || !reflect.DeepEqual(got, tc.want) || warn != tc.warn {
				t.Errorf("assemble() = %v, %v, %v; want %v (warning: %v)", got, warn, err, tc.want, tc.warn)
			}
		})
	}
}

func TestReadWarnings(t *testing.T) {
	shp, shx, dbf := rawFiles(shapePolygon, rawShape(shapePolygon, ccw), rawShape(shapePolygon, ring))
	// The second record's id is not a number.
	i := strings.LastIndex(string(dbf), "1")
	dbf[i] = 'x'
	var warns []*Error
	got, err := readLayer(t, writeLayer(t, t.TempDir(), "l", map[string][]byte{".shp": shp, ".shx": shx, ".dbf": dbf}),
		ReadOptions{Warn: func(e *Error) { warns = append(warns, e) }})
	if err != nil || len(got) != 2 || got[1].Properties[0].Value != feature.Unreadable("x") {
		t.Fatalf("read %v, %v; want 2 features, the second with an unreadable id (null)", got, err)
	}
	if len(warns) != 2 || warns[0].Record != 0 || !strings.HasSuffix(warns[0].File, ".shp") ||
		warns[1].Record != 1 || !strings.HasSuffix(warns[1].File, ".dbf") {
		t.Errorf("warnings %v; want one about the orientation of record 0, one about the id of record 1", warns)
	}
}

func TestReadNonFinite(t *testing.T) {
	shp, shx, dbf := rawFiles(shapePoint, rawPoint(shapePoint, orb.Point{math.NaN(), 0}))
	_, err := readLayer(t, writeLayer(t, t.TempDir(), "l", map[string][]byte{".shp": shp, ".shx": shx, ".dbf": dbf}), ReadOptions{})
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("read a NaN point: %v, want ErrCorrupt", err)
	}
}
