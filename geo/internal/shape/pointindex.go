package shape

import (
	"math"

	"github.com/paulmach/orb"
)

// PointIndex maps coordinate pairs to indices into a slice of points held
// by the caller, as a map[orb.Point]int32 over that slice would, in a
// quarter of its memory: an open-addressed table of indices, probed
// linearly, keyed by the points they index. Points are equal as floats
// are (0 and -0 are one point, a NaN is no point's equal). The zero value
// is empty.
type PointIndex struct {
	slots []int32 // index into the points, or -1
	n     int
}

// NewPointIndex returns an index sized for n points.
func NewPointIndex(n int) PointIndex {
	var ix PointIndex
	ix.alloc(n)
	return ix
}

// Reset empties the index and sizes it for n points, reusing its table
// where that is large enough.
func (ix *PointIndex) Reset(n int) {
	ix.alloc(n)
}

func (ix *PointIndex) alloc(n int) {
	size := 8
	for size < 2*n {
		size *= 2
	}
	if cap(ix.slots) >= size {
		ix.slots = ix.slots[:size]
	} else {
		ix.slots = make([]int32, size)
	}
	for i := range ix.slots {
		ix.slots[i] = -1
	}
	ix.n = 0
}

func pointHash(p orb.Point) uint64 {
	x, y := p[0], p[1]
	if x == 0 {
		x = 0 // -0 is 0
	}
	if y == 0 {
		y = 0
	}
	h := math.Float64bits(x)*0x9E3779B97F4A7C15 ^ math.Float64bits(y)
	h ^= h >> 31
	h *= 0xBF58476D1CE4E5B9
	h ^= h >> 29
	return h
}

// Find returns the index of the point of pts equal to p, or -1 and the
// slot to pass to Add.
func (ix *PointIndex) Find(pts []orb.Point, p orb.Point) (int32, int) {
	if len(ix.slots) == 0 {
		return -1, -1
	}
	mask := len(ix.slots) - 1
	for s := int(pointHash(p)) & mask; ; s = (s + 1) & mask {
		v := ix.slots[s]
		if v < 0 {
			return -1, s
		}
		if pts[v] == p {
			return v, s
		}
	}
}

// Add records pts[v] at slot, which Find returned for it with the index
// unchanged since.
func (ix *PointIndex) Add(pts []orb.Point, v int32, slot int) {
	if slot < 0 || 2*(ix.n+1) > len(ix.slots) {
		old := ix.slots
		ix.alloc(max(ix.n+1, len(old)))
		for _, w := range old {
			if w >= 0 {
				_, s := ix.Find(pts, pts[w])
				ix.slots[s] = w
				ix.n++
			}
		}
		_, slot = ix.Find(pts, pts[v])
	}
	ix.slots[slot] = v
	ix.n++
}

// Intern returns the index in *pts of the point equal to p, appending p to
// *pts (and to the index) if there is none.
func (ix *PointIndex) Intern(pts *[]orb.Point, p orb.Point) int32 {
	v, slot := ix.Find(*pts, p)
	if v >= 0 {
		return v
	}
	v = int32(len(*pts))
	*pts = append(*pts, p)
	ix.Add(*pts, v, slot)
	return v
}
