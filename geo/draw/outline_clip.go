package draw

import (
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
	"github.com/tidwall/rtree"
)

// ClipToOutline returns the footprints (projected metres) with the parts
// outside outline taken away: a building drawn across its community's
// boundary (a common digitising accident, or a community property that
// the layer's outline disagrees with) is held by its grid as far as its
// community reaches, the rest being its neighbour's ground. A footprint
// wholly inside, or wholly outside (joined to the community from beyond
// it), is returned as it is, and so are points. changed lists the indices
// of the footprints clipped, ascending.
func ClipToOutline(footprints []orb.Geometry, outline orb.MultiPolygon) (own []orb.Geometry, changed []int) {
	own = footprints
	if len(outline) == 0 {
		return own, nil
	}
	var edges rtree.RTreeG[struct{}]
	for _, poly := range outline {
		for _, r := range poly {
			for k := 0; k+1 < len(r); k++ {
				b := orb.LineString{r[k], r[k+1]}.Bound()
				edges.Insert(b.Min, b.Max, struct{}{})
			}
		}
	}
	var sfOutline geom.Geometry
	for i, fp := range footprints {
		mp := shape.Polygons(fp)
		if len(mp) == 0 {
			continue
		}
		b := shape.MultiPolygonBound(mp)
		near := false
		edges.Search(b.Min, b.Max, func(_, _ [2]float64, _ struct{}) bool {
			near = true
			return false
		})
		if !near {
			continue // wholly inside or wholly outside
		}
		if sfOutline.IsEmpty() {
			sfOutline = shape.ToSF(outline)
		}
		in, err := geom.Intersection(shape.ToSF(mp), sfOutline)
		if err != nil {
			continue // the overlay failed: keep the footprint whole
		}
		// A corner on the outline up to rounding leaves a spike along it
		// narrower than a micrometre: gone, as trim's.
		clipped, _ := regularAt(shape.FromSF(in), trimSnapM)
		a, whole := shape.MultiPolygonArea(clipped), shape.MultiPolygonArea(mp)
		// Nothing inside (joined from outside), or next to nothing
		// outside (the outline drawn along the wall): keep it whole.
		if a <= 0 || whole-a <= clipFloorM2*whole {
			continue
		}
		if len(clipped) == 1 {
			own = cloneOnce(own, footprints)
			own[i] = clipped[0]
		} else {
			own = cloneOnce(own, footprints)
			own[i] = clipped
		}
		changed = append(changed, i)
	}
	return own, changed
}

// clipFloorM2 is the share of a footprint that may lie outside its
// community without clipping: rounding of a wall drawn on the outline.
const clipFloorM2 = 1e-6

// cloneOnce returns own, copied from footprints the first time it is to
// be changed, so that the caller's slice is never modified.
func cloneOnce(own, footprints []orb.Geometry) []orb.Geometry {
	if len(own) > 0 && len(footprints) > 0 && &own[0] == &footprints[0] {
		return append([]orb.Geometry(nil), footprints...)
	}
	return own
}
