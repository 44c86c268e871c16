package shape

import (
	"encoding/binary"
	"math"

	"github.com/paulmach/orb"
)

// FirstCopies returns, for each geometry of gs, the lowest index of a
// geometry of gs of the same class (class[i]; all one class if class is
// nil) and the same type whose coordinates are bit for bit the same: its
// first copy, itself if it is the first. A nil geometry is its own first
// copy. Buildings drawn many times at one spot (every unit of a tower
// given the tower's point or footprint) are so told in linear time, and
// need comparing with others only once.
func FirstCopies(gs []orb.Geometry, class []string) []int {
	first := make([]int, len(gs))
	seen := make(map[string]int, len(gs))
	var key []byte
	for i, g := range gs {
		first[i] = i
		if g == nil {
			continue
		}
		key = key[:0]
		if class != nil {
			key = binary.AppendUvarint(key, uint64(len(class[i])))
			key = append(key, class[i]...)
		}
		var ok bool
		if key, ok = appendGeometryKey(key, g); !ok {
			continue
		}
		if f, dup := seen[string(key)]; dup {
			first[i] = f
		} else {
			seen[string(key)] = i
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
