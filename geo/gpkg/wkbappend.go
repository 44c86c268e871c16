package gpkg

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

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
