package shape

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math"

	"github.com/paulmach/orb"
)

// FirstCopies returns, for each geometry of gs, the lowest index of a
// geometry of gs of the same class (class[i]; all one class if class is
// nil) and the same type whose coordinates are bit for bit the same: its
// first copy, itself if it is the first. A nil geometry is its own first
// copy, and so, in the rare case that two different geometries share a
// 64-bit hash, are the copies of the later one. Buildings drawn many
// times at one spot (every unit of a tower given the tower's point or
// footprint) are so told in linear time, and need comparing with others
// only once.
func FirstCopies(gs []orb.Geometry, class []string) []int {
	first := make([]int, len(gs))
	seed := maphash.MakeSeed()
	seen := make(map[uint64]int, len(gs)) // by hash of the key: the first copy
	keyOf := func(buf []byte, i int) ([]byte, bool) {
		buf = buf[:0]
		if class != nil {
			buf = binary.AppendUvarint(buf, uint64(len(class[i])))
			buf = append(buf, class[i]...)
		}
		return appendGeometryKey(buf, gs[i])
	}
	var key, other []byte
	for i, g := range gs {
		first[i] = i
		if g == nil {
			continue
		}
		var ok bool
		if key, ok = keyOf(key, i); !ok {
			continue
		}
		h := maphash.Bytes(seed, key)
		f, dup := seen[h]
		if !dup {
			seen[h] = i
			continue
		}
		// Another geometry of the same hash (of 2⁶⁴) is not told from
		// its own copies: they stay first copies, which is only slower.
		if other, _ = keyOf(other, f); bytes.Equal(key, other) {
			first[i] = f
		}
	}
	return first
}

// appendGeometryKey appends to key an encoding of g that equal Points,
// Polygons and MultiPolygons share, bit for bit, and no others; false for
// other types.
func appendGeometryKey(key []byte, g orb.Geometry) ([]byte, bool) {
	pt := func(p orb.Point) {
		key = binary.LittleEndian.AppendUint64(key, math.Float64bits(p[0]))
		key = binary.LittleEndian.AppendUint64(key, math.Float64bits(p[1]))
	}
	poly := func(p orb.Polygon) {
		key = binary.AppendUvarint(key, uint64(len(p)))
		for _, r := range p {
			key = binary.AppendUvarint(key, uint64(len(r)))
			for _, q := range r {
				pt(q)
			}
		}
	}
	switch g := g.(type) {
	case orb.Point:
		key = append(key, 'P')
		pt(g)
	case orb.Polygon:
		key = append(key, 'A')
		poly(g)
	case orb.MultiPolygon:
		key = append(key, 'M')
		key = binary.AppendUvarint(key, uint64(len(g)))
		for _, p := range g {
			poly(p)
		}
	default:
		return key, false
	}
	return key, true
}
