package plan

import (
	"gridplan/geo"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// barrierIndex finds barrier segments (in projected metres) crossing a
// segment. Two atoms are separated by a barrier when the segment between
// the centroids of their neighbouring buildings crosses one; they stay
// neighbours (a barrier is no wall), but the search avoids grids that
// straddle it.
type barrierIndex struct {
	tr rtree.RTreeG[[2]orb.Point]
	n  int
}

func newBarrierIndex(bs []geo.Barrier, proj *geo.Projection) *barrierIndex {
	ix := &barrierIndex{}
	for _, b := range bs {
		ml, ok := proj.Geometry(b.Geometry).(orb.MultiLineString)
		if !ok {
			continue
		}
		for _, l := range ml {
			for i := 0; i+1 < len(l); i++ {
				s := [2]orb.Point{l[i], l[i+1]}
				bd := orb.MultiPoint{s[0], s[1]}.Bound()
				ix.tr.Insert(bd.Min, bd.Max, s)
				ix.n++
			}
		}
	}
	return ix
}

// separates reports whether a barrier segment properly crosses the segment
// from a to b.
func (ix *barrierIndex) separates(a, b orb.Point) bool {
	if ix == nil || ix.n == 0 {
		return false
	}
	bd := orb.MultiPoint{a, b}.Bound()
	found := false
	ix.tr.Search(bd.Min, bd.Max, func(_, _ [2]float64, s [2]orb.Point) bool {
		if crosses(a, b, s[0], s[1]) {
			found = true
			return false
		}
		return true
	})
	return found
}

// crosses reports whether segments ab and cd cross at a point interior to
// both. It decides a weight, not topology, so plain floating point will do.
func crosses(a, b, c, d orb.Point) bool {
	side := func(p, q, r orb.Point) float64 {
		return float64((q[0]-p[0])*(r[1]-p[1])) - float64((q[1]-p[1])*(r[0]-p[0]))
	}
	d1, d2 := side(a, b, c), side(a, b, d)
	d3, d4 := side(c, d, a), side(c, d, b)
	return (d1 > 0 && d2 < 0 || d1 < 0 && d2 > 0) && (d3 > 0 && d4 < 0 || d3 < 0 && d4 > 0)
}
