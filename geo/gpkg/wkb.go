package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// WKB geometry type codes (OGC 06-103r4 §8.2.8), without the Z/M
// thousands.
const (
	wkbPoint              = 1
	wkbLineString         = 2
	wkbPolygon            = 3
	wkbMultiPoint         = 4
	wkbMultiLineString    = 5
	wkbMultiPolygon       = 6
	wkbGeometryCollection = 7
)

// EWKB (PostGIS) flags in the high bits of the type, which some writers
// put in GeoPackages instead of the ISO thousands.
const (
	ewkbZ    = 0x80000000
	ewkbM    = 0x40000000
	ewkbSRID = 0x20000000
)

// maxCollectionDepth bounds the nesting of geometry collections, so that a
// blob of nested collections cannot exhaust the stack. Real layers nest
// one level at most.
const maxCollectionDepth = 32

// Flags of the GeoPackage binary header (GeoPackage 1.2 §2.1.3.1.1).
const (
	gpFlagLittleEndian = 0x01
	gpFlagEmpty        = 0x10
	gpFlagExtended     = 0x20
)

// decodeBlob decodes a GeoPackage geometry blob: the "GP" header with its
// flags, srs id and optional envelope, then standard WKB. An empty
// geometry decodes to nil. Z and M ordinates are read and dropped.
func decodeBlob(b []byte) (orb.Geometry, error) {
	if len(b) < 8 || b[0] != 'G' || b[1] != 'P' {
		return nil, errors.New("no GeoPackage geometry header (magic \"GP\")")
	}
	flags := b[3]
	if flags&gpFlagExtended != 0 {
		return nil, errors.New("extended (non-standard) geometry type")
	}
	var envBytes int
	switch env := (flags >> 1) & 7; env {
	case 0:
	case 1:
		envBytes = 32
	case 2, 3:
		envBytes = 48
	case 4:
		envBytes = 64
	default:
		return nil, fmt.Errorf("envelope indicator %d (want 0 to 4)", env)
	}
	if len(b) < 8+envBytes {
		return nil, errors.New("truncated geometry header")
	}
	if flags&gpFlagEmpty != 0 {
		return nil, nil
	}
	d := wkbDecoder{b: b[8+envBytes:]}
	g, err := d.geometry(0, 0)
	if err != nil {
		return nil, err
	}
	if isEmpty(g) {
		return nil, nil
	}
	return g, nil
}

// isEmpty reports whether g has no coordinates at its top level: a point
// whose coordinates are NaN (the WKB convention for POINT EMPTY), or a
// geometry with no members.
func isEmpty(g orb.Geometry) bool {
	switch g := g.(type) {
	case orb.Point:
		return math.IsNaN(g[0]) && math.IsNaN(g[1])
	case orb.LineString:
		return len(g) == 0
	case orb.Polygon:
		return len(g) == 0
	case orb.MultiPoint:
		return len(g) == 0
	case orb.MultiLineString:
		return len(g) == 0
	case orb.MultiPolygon:
		return len(g) == 0
	case orb.Collection:
		return len(g) == 0
	}
	return g == nil
}

// A wkbDecoder reads WKB from b, checking every count against the bytes
// that remain before allocating for it.
type wkbDecoder struct {
	b   []byte
	off int
}

var errTruncated = errors.New("truncated WKB")

func (d *wkbDecoder) remaining() int { return len(d.b) - d.off }

func (d *wkbDecoder) uint32(bo binary.ByteOrder) (uint32, error) {
	if d.remaining() < 4 {
		return 0, errTruncated
	}
	v := bo.Uint32(d.b[d.off:])
	d.off += 4
	return v, nil
}

// header reads a geometry's byte order and type, returning the base type
// (1 to 7) and the number of ordinates per point (2 to 4).
func (d *wkbDecoder) header() (bo binary.ByteOrder, typ uint32, dims int, err error) {
	if d.remaining() < 5 {
		return nil, 0, 0, errTruncated
	}
	switch d.b[d.off] {
	case 0:
		bo = binary.BigEndian
	case 1:
		bo = binary.LittleEndian
	default:
		return nil, 0, 0, fmt.Errorf("WKB byte order %d (want 0 or 1)", d.b[d.off])
	}
	d.off++
	t, _ := d.uint32(bo)
	dims = 2
	if t&ewkbZ != 0 {
		dims++
	}
	if t&ewkbM != 0 {
		dims++
	}
	if t&ewkbSRID != 0 {
		if _, err := d.uint32(bo); err != nil {
			return nil, 0, 0, err
		}
	}
	t &^= ewkbZ | ewkbM | ewkbSRID
	switch t / 1000 {
	case 0:
	case 1, 2: // Z or M
		dims++
	case 3: // ZM
		dims += 2
	default:
		return nil, 0, 0, fmt.Errorf("WKB geometry type %d", t)
	}
	if dims > 4 {
		return nil, 0, 0, fmt.Errorf("WKB geometry type %d with both Z/M codes and flags", t)
	}
	typ = t % 1000
	if typ < wkbPoint || typ > wkbGeometryCollection {
		return nil, 0, 0, fmt.Errorf("WKB geometry type %d", t)
	}
	return bo, typ, dims, nil
}

// count reads a count of items of at least minSize bytes each and checks
// that they fit in the bytes that remain.
func (d *wkbDecoder) count(bo binary.ByteOrder, minSize int) (int, error) {
	n, err := d.uint32(bo)
	if err != nil {
		return 0, err
	}
	if uint64(n)*uint64(minSize) > uint64(d.remaining()) {
		return 0, fmt.Errorf("WKB count %d exceeds the %d bytes that remain", n, d.remaining())
	}
	return int(n), nil
}

func (d *wkbDecoder) point(bo binary.ByteOrder, dims int) orb.Point {
	// The caller has checked that dims*8 bytes remain.
	p := orb.Point{
		math.Float64frombits(bo.Uint64(d.b[d.off:])),
		math.Float64frombits(bo.Uint64(d.b[d.off+8:])),
	}
	d.off += dims * 8
	return p
}

func (d *wkbDecoder) points(bo binary.ByteOrder, dims int) ([]orb.Point, error) {
	n, err := d.count(bo, dims*8)
	if err != nil {
		return nil, err
	}
	ps := make([]orb.Point, n)
	for i := range ps {
		ps[i] = d.point(bo, dims)
	}
	return ps, nil
}

func (d *wkbDecoder) polygon(bo binary.ByteOrder, dims int) (orb.Polygon, error) {
	n, err := d.count(bo, 4)
	if err != nil {
		return nil, err
	}
	p := make(orb.Polygon, n)
	for i := range p {
		r, err := d.points(bo, dims)
		if err != nil {
			return nil, fmt.Errorf("ring %d: %w", i, err)
		}
		p[i] = r
	}
	return p, nil
}

// minGeometry is the size of the smallest WKB geometry: byte order, type
// and a zero count.
const minGeometry = 1 + 4 + 4

// geometry reads one WKB geometry. want, when not zero, is the type a
// member of a multi-geometry must have; depth is the collection nesting.
func (d *wkbDecoder) geometry(want uint32, depth int) (orb.Geometry, error) {
	bo, typ, dims, err := d.header()
	if err != nil {
		return nil, err
	}
	if want != 0 && typ != want {
		return nil, fmt.Errorf("WKB type %d inside a multi-geometry of type %d", typ, want)
	}
	switch typ {
	case wkbPoint:
		if d.remaining() < dims*8 {
			return nil, errTruncated
		}
		return d.point(bo, dims), nil
	case wkbLineString:
		ps, err := d.points(bo, dims)
		return orb.LineString(ps), err
	case wkbPolygon:
		return d.polygon(bo, dims)
	}
	n, err := d.count(bo, minGeometry)
	if err != nil {
		return nil, err
	}
	switch typ {
	case wkbMultiPoint:
		mp := make(orb.MultiPoint, n)
		for i := range mp {
			g, err := d.geometry(wkbPoint, depth)
			if err != nil {
				return nil, fmt.Errorf("point %d: %w", i, err)
			}
			mp[i] = g.(orb.Point)
		}
		return mp, nil
	case wkbMultiLineString:
		ml := make(orb.MultiLineString, n)
		for i := range ml {
			g, err := d.geometry(wkbLineString, depth)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", i, err)
			}
			ml[i] = g.(orb.LineString)
		}
		return ml, nil
	case wkbMultiPolygon:
		mp := make(orb.MultiPolygon, n)
		for i := range mp {
			g, err := d.geometry(wkbPolygon, depth)
			if err != nil {
				return nil, fmt.Errorf("polygon %d: %w", i, err)
			}
			mp[i] = g.(orb.Polygon)
		}
		return mp, nil
	default: // wkbGeometryCollection
		if depth >= maxCollectionDepth {
			return nil, fmt.Errorf("geometry collections nested deeper than %d", maxCollectionDepth)
		}
		c := make(orb.Collection, n)
		for i := range c {
			g, err := d.geometry(0, depth+1)
			if err != nil {
				return nil, fmt.Errorf("member %d: %w", i, err)
			}
			c[i] = g
		}
		return c, nil
	}
}

// encodeBlob appends to dst the GeoPackage blob of g: the header
// (version 1, little-endian, the [minx, maxx, miny, maxy] envelope, or
// the empty flag and no envelope) and 2D little-endian ISO WKB. It
// returns the envelope; ok is false for an empty geometry.
func encodeBlob(dst []byte, g orb.Geometry, srsID int32) (out []byte, env orb.Bound, ok bool) {
	empty := isEmpty(g)
	flags := byte(gpFlagLittleEndian)
	if empty {
		flags |= gpFlagEmpty
	} else {
		flags |= 1 << 1 // envelope indicator 1: [minx, maxx, miny, maxy]
		env = g.Bound()
	}
	dst = append(dst, 'G', 'P', 0, flags)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(srsID))
	if !empty {
		for _, v := range [4]float64{env.Min[0], env.Max[0], env.Min[1], env.Max[1]} {
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
		}
	}
	return appendWKB(dst, g), env, !empty
}

func appendWKBHeader(dst []byte, typ uint32) []byte {
	return binary.LittleEndian.AppendUint32(append(dst, 1), typ)
}

func appendPoints(dst []byte, ps []orb.Point) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(ps)))
	for _, p := range ps {
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(p[0]))
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(p[1]))
	}
	return dst
}

func appendPolygonBody(dst []byte, p orb.Polygon) []byte {
	dst = binary.LittleEndian.AppendUint32(dst, uint32(len(p)))
	for _, r := range p {
		dst = appendPoints(dst, r)
	}
	return dst
}

// appendWKB appends the little-endian 2D WKB of g, which must be one of
// the types [checkGeometry] accepts. An empty point is written with NaN
// coordinates, as GeoPackage 1.2 §2.1.3.1.2 requires.
func appendWKB(dst []byte, g orb.Geometry) []byte {
	le := binary.LittleEndian
	switch g := g.(type) {
	case orb.Point:
		dst = appendWKBHeader(dst, wkbPoint)
		dst = le.AppendUint64(dst, math.Float64bits(g[0]))
		return le.AppendUint64(dst, math.Float64bits(g[1]))
	case orb.LineString:
		return appendPoints(appendWKBHeader(dst, wkbLineString), g)
	case orb.Polygon:
		return appendPolygonBody(appendWKBHeader(dst, wkbPolygon), g)
	case orb.MultiPoint:
		dst = le.AppendUint32(appendWKBHeader(dst, wkbMultiPoint), uint32(len(g)))
		for _, p := range g {
			dst = appendWKB(dst, p)
		}
		return dst
	case orb.MultiLineString:
		dst = le.AppendUint32(appendWKBHeader(dst, wkbMultiLineString), uint32(len(g)))
		for _, l := range g {
			dst = appendWKB(dst, l)
		}
		return dst
	case orb.MultiPolygon:
		dst = le.AppendUint32(appendWKBHeader(dst, wkbMultiPolygon), uint32(len(g)))
		for _, p := range g {
			dst = appendWKB(dst, p)
		}
		return dst
	case orb.Collection:
		dst = le.AppendUint32(appendWKBHeader(dst, wkbGeometryCollection), uint32(len(g)))
		for _, m := range g {
			dst = appendWKB(dst, m)
		}
		return dst
	}
	panic(fmt.Sprintf("gpkg: appendWKB of %T, which checkGeometry refuses", g)) // programmer error
}
