package gpkg

import (
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// byteOrder is binary.LittleEndian or binary.BigEndian.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// A wkbBuilder writes WKB by hand, in either byte order and with extra
// ordinates, for the decoder's tests.
type wkbBuilder struct {
	bo   byteOrder
	dims int // ordinates per point written
	b    []byte
}

func (w *wkbBuilder) header(typ uint32) *wkbBuilder {
	if w.bo == binary.BigEndian {
		w.b = append(w.b, 0)
	} else {
		w.b = append(w.b, 1)
	}
	return w.u32(typ)
}

func (w *wkbBuilder) u32(v uint32) *wkbBuilder {
	w.b = w.bo.AppendUint32(w.b, v)
	return w
}

// pts writes a count and the points, padding each with ordinates
// 7, 8 up to w.dims.
func (w *wkbBuilder) pts(ps ...orb.Point) *wkbBuilder {
	w.u32(uint32(len(ps)))
	for _, p := range ps {
		w.pt(p)
	}
	return w
}

func (w *wkbBuilder) pt(p orb.Point) *wkbBuilder {
	for i := range w.dims {
		v := 7.0 + float64(i)
		if i < 2 {
			v = p[i]
		}
		w.b = w.bo.AppendUint64(w.b, math.Float64bits(v))
	}
	return w
}

// gpBlob prefixes wkb with a GeoPackage header of the envelope indicator
// env (filled with junk the decoder must skip) in byte order bo.
func gpBlob(bo byteOrder, env int, wkb []byte) []byte {
	flags := byte(env << 1)
	if bo == binary.LittleEndian {
		flags |= gpFlagLittleEndian
	}
	b := bo.AppendUint32([]byte{'G', 'P', 0, flags}, 4527)
	for range envelopeSizes[env] / 8 {
		b = bo.AppendUint64(b, math.Float64bits(-1))
	}
	return append(b, wkb...)
}

var (
	square = orb.Ring{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}
	hole   = orb.Ring{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}
)

func TestDecodeBlob(t *testing.T) {
	// ISO type offsets and EWKB flags for Z, M and ZM, and the number of
	// ordinates each gives a point.
	dimCodes := []struct {
		name  string
		typ   func(uint32) uint32
		dims  int
		extra []uint32 // words after the type (an EWKB SRID)
	}{
		{"XY", func(t uint32) uint32 { return t }, 2, nil},
		{"ISO Z", func(t uint32) uint32 { return t + 1000 }, 3, nil},
		{"ISO M", func(t uint32) uint32 { return t + 2000 }, 3, nil},
		{"ISO ZM", func(t uint32) uint32 { return t + 3000 }, 4, nil},
		{"EWKB Z (GDAL 2.5D)", func(t uint32) uint32 { return t | ewkbZ }, 3, nil},
		{"EWKB ZM with SRID", func(t uint32) uint32 { return t | ewkbZ | ewkbM | ewkbSRID }, 4, []uint32{4527}},
	}
	for _, bo := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
		for _, dc := range dimCodes {
			for env := range envelopeSizes {
				w := &wkbBuilder{bo: bo, dims: dc.dims}
				w.header(dc.typ(wkbMultiPolygon))
				for _, x := range dc.extra {
					w.u32(x)
				}
				w.u32(2)
				member := dc.typ(wkbPolygon) &^ ewkbSRID // EWKB: the SRID is the outer geometry's
				w.header(member).u32(2).pts(square...).pts(hole...)
				w.header(member).u32(1).pts(square...)
				want := orb.MultiPolygon{{square, hole}, {square}}
				got, err := decodeBlob(gpBlob(bo, env, w.b))
				if err != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("%v %s envelope %d: decodeBlob = %v, %v; want %v", bo, dc.name, env, got, err, want)
				}
			}
		}
	}
}

func TestDecodeBlobTypes(t *testing.T) {
	le := func() *wkbBuilder { return &wkbBuilder{bo: binary.LittleEndian, dims: 2} }
	line := orb.LineString{{0, 0}, {1, 1}, {2, 0}}
	tests := []struct {
		name string
		wkb  []byte
		want orb.Geometry
	}{
		{"point", le().header(wkbPoint).pt(orb.Point{3, 4}).b, orb.Point{3, 4}},
		{"point empty", le().header(wkbPoint).pt(orb.Point{math.NaN(), math.NaN()}).b, nil},
		{"polygon empty", le().header(wkbPolygon).u32(0).b, nil},
		{"line", le().header(wkbLineString).pts(line...).b, line},
		{"multipoint", le().header(wkbMultiPoint).u32(1).header(wkbPoint).pt(orb.Point{1, 2}).b, orb.MultiPoint{{1, 2}}},
		{"multiline", le().header(wkbMultiLineString).u32(1).header(wkbLineString).pts(line...).b, orb.MultiLineString{line}},
		{"collection", le().header(wkbGeometryCollection).u32(2).header(wkbPoint).pt(orb.Point{1, 2}).
			header(wkbLineString).pts(line...).b, orb.Collection{orb.Point{1, 2}, line}},
		{"compound curve", le().header(wkbCompoundCurve).u32(2).header(wkbLineString).pts(line[:2]...).
			header(wkbLineString).pts(line[1:]...).b, line},
		{"curve polygon", le().header(wkbCurvePolygon).u32(2).header(wkbLineString).pts(square...).
			header(wkbCompoundCurve).u32(1).header(wkbLineString).pts(hole...).b, orb.Polygon{square, hole}},
		{"multisurface", le().header(wkbMultiSurface).u32(2).header(wkbPolygon).u32(1).pts(square...).
			header(wkbCurvePolygon).u32(1).header(wkbLineString).pts(hole...).b, orb.MultiPolygon{{square}, {hole}}},
		{"multicurve", le().header(wkbMultiCurve).u32(1).header(wkbLineString).pts(line...).b, orb.MultiLineString{line}},
		{"triangle", le().header(wkbTriangle).u32(1).pts(square[0], square[1], square[2], square[0]).b,
			orb.Polygon{{square[0], square[1], square[2], square[0]}}},
		{"TIN", le().header(wkbTIN).u32(1).header(wkbTriangle).u32(1).pts(square[0], square[1], square[2], square[0]).b,
			orb.MultiPolygon{{{square[0], square[1], square[2], square[0]}}}},
	}
	for _, tt := range tests {
		got, err := decodeBlob(gpBlob(binary.LittleEndian, 1, tt.wkb))
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: decodeBlob = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
}

func TestDecodeBlobErrors(t *testing.T) {
	le := func() *wkbBuilder { return &wkbBuilder{bo: binary.LittleEndian, dims: 2} }
	poly := le().header(wkbPolygon).u32(1).pts(square...).b
	nested := le()
	for range maxDepth + 2 {
		nested.header(wkbGeometryCollection).u32(1)
	}
	nested.header(wkbPoint).pt(orb.Point{1, 1})
	tests := []struct {
		name string
		blob []byte
		want string
	}{
		{"no magic", []byte("XP\x00\x01\x00\x00\x00\x00"), "magic"},
		{"short", []byte("GP\x00"), "magic"},
		{"envelope 5", append([]byte{'G', 'P', 0, 5<<1 | 1, 0, 0, 0, 0}, poly...), "envelope indicator 5"},
		{"envelope cut", []byte{'G', 'P', 0, 4<<1 | 1, 0, 0, 0, 0, 1, 2}, "truncated geometry header"},
		{"extended", append([]byte{'G', 'P', 0, gpFlagExtended | 1, 0, 0, 0, 0}, "ABCD"...), "extended"},
		{"byte order", gpBlob(binary.LittleEndian, 0, []byte{2, 3, 0, 0, 0}), "byte order 2"},
		{"type 99", gpBlob(binary.LittleEndian, 0, le().header(99).b), "type 99"},
		{"type 13", gpBlob(binary.LittleEndian, 0, le().header(13).u32(0).b), "type 13"},
		{"type 4000", gpBlob(binary.LittleEndian, 0, le().header(4003).b), "type 4003"},
		{"Z twice", gpBlob(binary.LittleEndian, 0, le().header(3003|ewkbZ).b), "both"},
		{"huge count", gpBlob(binary.LittleEndian, 0, le().header(wkbLineString).u32(1<<31).b), "exceeds"},
		{"huge rings", gpBlob(binary.LittleEndian, 0, le().header(wkbPolygon).u32(1<<30).b), "exceeds"},
		{"wrong member", gpBlob(binary.LittleEndian, 0, le().header(wkbMultiPolygon).u32(1).header(wkbPoint).pt(orb.Point{}).b), "WKB type 1"},
		{"circular", gpBlob(binary.LittleEndian, 0, le().header(wkbCurvePolygon).u32(1).header(wkbCircularString).pts(square...).b), "circular arcs"},
		{"nested", gpBlob(binary.LittleEndian, 0, nested.b), "nested deeper"},
	}
	for _, tt := range tests {
		g, err := decodeBlob(tt.blob)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: decodeBlob = %v, %v; want an error containing %q", tt.name, g, err, tt.want)
		}
	}
	if _, err := decodeBlob(gpBlob(binary.LittleEndian, 0, le().header(wkbCircularString).pts(square...).b)); !errors.Is(err, ErrCurve) {
		t.Errorf("circular string: err = %v, want ErrCurve", err)
	}
	// Every proper prefix of a valid blob is refused, never read past.
	valid := gpBlob(binary.BigEndian, 2, le().header(wkbMultiPolygon).u32(1).header(wkbPolygon).u32(2).pts(square...).pts(hole...).b)
	for n := range len(valid) {
		if g, err := decodeBlob(valid[:n]); err == nil {
			t.Errorf("decodeBlob(first %d of %d bytes) = %v, nil; want an error", n, len(valid), g)
		}
	}
}

func TestEncodeBlob(t *testing.T) {
	geoms := []orb.Geometry{
		orb.Point{1, 2},
		orb.LineString{{0, 0}, {1, 1}},
		orb.Polygon{square, hole},
		orb.MultiPoint{{1, 2}, {3, 4}},
		orb.MultiLineString{{{0, 0}, {1, 1}}},
		orb.MultiPolygon{{square, hole}, {hole}},
		orb.Collection{orb.Point{1, 2}, orb.Polygon{square}},
	}
	for _, g := range geoms {
		b, env, ok := encodeBlob(nil, g, 4527)
		if !ok || env != g.Bound() {
			t.Errorf("encodeBlob(%v) envelope %v, %v; want %v, true", g, env, ok, g.Bound())
		}
		if b[3] != gpFlagLittleEndian|1<<1 || binary.LittleEndian.Uint32(b[4:]) != 4527 {
			t.Errorf("encodeBlob(%v) header % x, want flags 03 and srs id 4527", g, b[:8])
		}
		got, err := decodeBlob(b)
		if err != nil || !reflect.DeepEqual(got, g) {
			t.Errorf("decodeBlob(encodeBlob(%v)) = %v, %v", g, got, err)
		}
	}
	for _, g := range []orb.Geometry{orb.Polygon{}, orb.MultiPolygon{{}}, orb.Collection{orb.LineString{}}} {
		b, _, ok := encodeBlob(nil, g, 4527)
		if d, err := decodeBlob(b); ok || b[3]&gpFlagEmpty == 0 || d != nil || err != nil {
			t.Errorf("empty %v: ok %v, flags %#x, decoded %v, %v; want false, the empty flag, nil, nil", g, ok, b[3], d, err)
		}
	}
	// Empty members, and a NaN point (POINT EMPTY), which orb's Bound
	// spreads to the whole box.
	nan := math.NaN()
	for _, g := range []orb.Geometry{
		orb.MultiPolygon{{}, {{{2, 2}, {4, 2}, {4, 4}, {2, 2}}}},
		orb.MultiPoint{{nan, nan}, {2, 2}, {4, 4}},
		orb.Collection{orb.Point{nan, nan}, orb.LineString{}, orb.LineString{{4, 4}, {2, 2}}},
	} {
		if env, ok := envelope(g); !ok || env != (orb.Bound{Min: orb.Point{2, 2}, Max: orb.Point{4, 4}}) {
			t.Errorf("envelope(%v) = %v, %v; want [2 2]-[4 4], true", g, env, ok)
		}
	}
}
