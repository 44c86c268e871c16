package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// WKB geometry type codes (OGC 06-103r4 §8.2.8 and ISO 13249-3), without
// the Z/M thousands. Codes 8 to 17 are the curve and surface types that
// GDAL writes to GeoPackages under its gpkg_geom_* extensions.
const (
	wkbPoint              = 1
	wkbLineString         = 2
	wkbPolygon            = 3
	wkbMultiPoint         = 4
	wkbMultiLineString    = 5
	wkbMultiPolygon       = 6
	wkbGeometryCollection = 7
	wkbCircularString     = 8
	wkbCompoundCurve      = 9
	wkbCurvePolygon       = 10
	wkbMultiCurve         = 11
	wkbMultiSurface       = 12
	wkbPolyhedralSurface  = 15
	wkbTIN                = 16
	wkbTriangle           = 17
)

// EWKB (PostGIS) flags in the high bits of the type, which GDAL's 2.5D
// types and some other writers use instead of the ISO thousands.
const (
	ewkbZ    = 0x80000000
	ewkbM    = 0x40000000
	ewkbSRID = 0x20000000
)

// maxDepth bounds the nesting of geometries, so that a blob of nested
// collections cannot exhaust the stack. Real layers nest three levels at
// most (a curve polygon of compound curves of line strings).
const maxDepth = 32

// ErrCurve is reported for a circular arc (a CIRCULARSTRING, alone or in a
// compound curve, curve polygon or multi-curve), which gridplan does not
// approximate itself.
var ErrCurve = errors.New("gpkg: circular arcs are not supported; convert them to straight segments first, e.g. with ogr2ogr -nlt CONVERT_TO_LINEAR")

var errTruncated = errors.New("truncated WKB")

// A wkbDecoder reads WKB from b, checking every count against the bytes
// that remain before allocating for it.
type wkbDecoder struct {
	b   []byte
	off int
}

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
// and the number of ordinates per point (2 to 4).
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
	if typ < wkbPoint || typ > wkbTriangle || typ == 13 || typ == 14 {
		return nil, 0, 0, fmt.Errorf("WKB geometry type %d", t) // 13, 14: the abstract Curve and Surface
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

// member reads one WKB geometry at nesting depth depth whose type is one
// of allowed (any type when allowed is empty). Curve types come back as
// their linear orb types: a compound curve as a LineString, a curve
// polygon or a triangle as a Polygon, a multi-curve as a
// MultiLineString, a multi-surface, polyhedral surface or TIN as a
// MultiPolygon.
func (d *wkbDecoder) member(depth int, allowed ...uint32) (orb.Geometry, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("geometries nested deeper than %d", maxDepth)
	}
	bo, typ, dims, err := d.header()
	if err != nil {
		return nil, err
	}
	if len(allowed) > 0 && !slices.Contains(allowed, typ) {
		return nil, fmt.Errorf("WKB type %d where %v are allowed", typ, allowed)
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
	case wkbPolygon, wkbTriangle:
		return d.polygon(bo, dims)
	case wkbCircularString:
		return nil, ErrCurve
	}
	n, err := d.count(bo, minGeometry)
	if err != nil {
		return nil, err
	}
	curves := []uint32{wkbLineString, wkbCircularString, wkbCompoundCurve}
	switch typ {
	case wkbMultiPoint:
		return collect[orb.MultiPoint, orb.Point](d, n, depth, "point", wkbPoint)
	case wkbMultiLineString:
		return collect[orb.MultiLineString, orb.LineString](d, n, depth, "line", wkbLineString)
	case wkbMultiPolygon:
		return collect[orb.MultiPolygon, orb.Polygon](d, n, depth, "polygon", wkbPolygon)
	case wkbCompoundCurve:
		parts, err := collect[[]orb.LineString, orb.LineString](d, n, depth, "curve", wkbLineString, wkbCircularString)
		return joinCurve(parts), err
	case wkbCurvePolygon:
		rings, err := collect[[]orb.LineString, orb.LineString](d, n, depth, "ring", curves...)
		p := make(orb.Polygon, len(rings))
		for i, r := range rings {
			p[i] = orb.Ring(r)
		}
		return p, err
	case wkbMultiCurve:
		return collect[orb.MultiLineString, orb.LineString](d, n, depth, "curve", curves...)
	case wkbMultiSurface:
		return collect[orb.MultiPolygon, orb.Polygon](d, n, depth, "surface", wkbPolygon, wkbCurvePolygon)
	case wkbPolyhedralSurface, wkbTIN:
		return collect[orb.MultiPolygon, orb.Polygon](d, n, depth, "patch", wkbPolygon, wkbTriangle)
	default: // wkbGeometryCollection
		return collect[orb.Collection, orb.Geometry](d, n, depth, "member")
	}
}

// collect reads n members of the types allowed, each of Go type E, into
// a slice of type S; what names a member in errors.
func collect[S ~[]E, E orb.Geometry](d *wkbDecoder, n, depth int, what string, allowed ...uint32) (S, error) {
	s := make(S, n)
	for i := range s {
		g, err := d.member(depth+1, allowed...)
		if err != nil {
			return nil, fmt.Errorf("%s %d: %w", what, i, err)
		}
		s[i] = asType[E](g)
	}
	return s, nil
}

// asType converts g, which member returned for one of the types a
// collect call allowed, to that call's element type.
func asType[E orb.Geometry](g orb.Geometry) E {
	if e, ok := g.(E); ok {
		return e
	}
	panic(fmt.Sprintf("gpkg: WKB member of Go type %T in a collection of %T", g, *new(E))) // member checked the type
}

// joinCurve joins the line strings of a compound curve, each of which
// starts where the one before ends, dropping the repeated joints.
func joinCurve(parts []orb.LineString) orb.LineString {
	var ls orb.LineString
	for _, p := range parts {
		if len(ls) > 0 && len(p) > 0 && ls[len(ls)-1] == p[0] {
			p = p[1:]
		}
		ls = append(ls, p...)
	}
	return ls
}
