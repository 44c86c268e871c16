package shp_test

import (
	"encoding/binary"
	"math"

	"github.com/paulmach/orb"
)

// shpPoints decodes little-endian x, y pairs.
func shpPoints(b []byte) ([]orb.Point, error) {
	pts := make([]orb.Point, len(b)/16)
	for i := range pts {
		pts[i] = orb.Point{
			math.Float64frombits(binary.LittleEndian.Uint64(b[16*i:])),
			math.Float64frombits(binary.LittleEndian.Uint64(b[16*i+8:])),
		}
	}
	return pts, nil
}

func le32(b []byte) int32 { return int32(binary.LittleEndian.Uint32(b)) }

func nan() float64 { return math.NaN() }
