package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Flags of the GeoPackage binary header (GeoPackage 1.2 §2.1.3.1.1): the
// byte order of the srs id and envelope, the envelope indicator in bits 1
// to 3, the empty geometry flag and the extended (non-standard) type flag.
const (
	gpFlagLittleEndian = 0x01
	gpFlagEmpty        = 0x10
	gpFlagExtended     = 0x20
)

// gpHeaderSize is the fixed part of the header: magic "GP", version,
// flags and the srs id.
const gpHeaderSize = 8

// envelopeSizes are the envelope sizes in bytes of the indicators 0 to 4:
// none, XY, XYZ, XYM, XYZM, eight bytes per bound.
var envelopeSizes = [...]int{0, 32, 48, 48, 64}

// decodeBlob decodes a GeoPackage geometry blob: the "GP" header with its
// flags, srs id and optional envelope, then standard WKB. An empty
// geometry decodes to nil. Z and M ordinates are read and dropped.
func decodeBlob(b []byte) (orb.Geometry, error) {
	if len(b) < gpHeaderSize || b[0] != 'G' || b[1] != 'P' {
		return nil, errors.New("no GeoPackage geometry header (magic \"GP\")")
	}
	flags := b[3]
	env := int(flags>>1) & 7
	if env >= len(envelopeSizes) {
		return nil, fmt.Errorf("envelope indicator %d (want 0 to 4)", env)
	}
	body := gpHeaderSize + envelopeSizes[env]
	if len(b) < body {
		return nil, errors.New("truncated geometry header")
	}
	if flags&gpFlagExtended != 0 {
		// GeoPackage 1.2 §2.1.3.2: a 4-byte extension code, then a body
		// that only the extension knows how to read.
		return nil, errors.New("extended GeoPackage geometry (header flag X), which only its extension can read")
	}
	if flags&gpFlagEmpty != 0 {
		return nil, nil
	}
	d := wkbDecoder{b: b[body:]}
	g, err := d.member(0)
	if err != nil {
		return nil, err
	}
	if _, ok := envelope(g); !ok {
		return nil, nil
	}
	return g, nil
}

// envelope returns the bounding box of g's points, leaving out NaN
// points (WKB's POINT EMPTY); ok is false when there are none, so that g
// is empty. It walks the points itself because orb's Bound spreads a NaN
// point to the whole box.
func envelope(g orb.Geometry) (b orb.Bound, ok bool) {
	add := func(ps ...orb.Point) {
		for _, p := range ps {
			switch {
			case math.IsNaN(p[0]) || math.IsNaN(p[1]):
			case !ok:
				b, ok = orb.Bound{Min: p, Max: p}, true
			default:
				b = b.Extend(p)
			}
		}
	}
	switch g := g.(type) {
	case orb.Point:
		add(g)
	case orb.MultiPoint:
		add(g...)
	case orb.LineString:
		add(g...)
	case orb.MultiLineString:
		for _, l := range g {
			add(l...)
		}
	case orb.Polygon:
		for _, r := range g {
			add(r...)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				add(r...)
			}
		}
	case orb.Collection:
		for _, m := range g {
			if mb, mok := envelope(m); mok {
				add(mb.Min, mb.Max)
			}
		}
	}
	return b, ok
}

// encodeBlob appends to dst the GeoPackage blob of g, which must be of a
// type [checkGeometry] accepts: the header (version 1, little-endian, the
// [minx, maxx, miny, maxy] envelope, or the empty flag and no envelope),
// then 2D little-endian ISO WKB. It returns the envelope; ok is false for
// an empty geometry, one without points.
func encodeBlob(dst []byte, g orb.Geometry, srsID int32) (out []byte, env orb.Bound, ok bool) {
	env, ok = envelope(g)
	flags := byte(gpFlagLittleEndian)
	if ok {
		flags |= 1 << 1 // envelope indicator 1: [minx, maxx, miny, maxy]
	} else {
		flags |= gpFlagEmpty
	}
	dst = append(dst, 'G', 'P', 0, flags)
	dst = binary.LittleEndian.AppendUint32(dst, uint32(srsID))
	if ok {
		for _, v := range [4]float64{env.Min[0], env.Max[0], env.Min[1], env.Max[1]} {
			dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
		}
	}
	return appendWKB(dst, g), env, ok
}
