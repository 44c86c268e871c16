package plan

import (
	"gridplan/geo"
	"gridplan/geo/internal/robust"

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
		if robust.SegmentsCross(a, b, s[0], s[1]) {
			found = true
			return false
		}
		return true
	})
	return found
}
