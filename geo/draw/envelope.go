package draw

import (
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// Envelope returns the union of grids (the grid polygons of one community
// in an earlier plan) if every building lies in it: the point, or every
// vertex of a footprint and points every 2 m along its walls, in the closed
// union. ok is false otherwise, or
// if the union cannot be formed. Without a communities layer, an earlier
// plan's grids are the envelope a re-plan tiles, so that grids kept as
// they were keep their polygons even where buildings at the edge were
// demolished (the buffered hull of the buildings would shrink).
func Envelope(grids []orb.MultiPolygon, buildings []orb.Geometry) (orb.MultiPolygon, bool) {
	var all orb.MultiPolygon
	for _, g := range grids {
		all = append(all, g...)
	}
	if len(all) == 0 {
		return nil, false
	}
	u, err := geom.UnaryUnion(shape.ToSF(all))
	if err != nil {
		return nil, false
	}
	env := shape.FromSF(u)
	if len(env) == 0 {
		return nil, false
	}
	// Every vertex, and points every couple of metres along every wall,
	// in the closed union.
	const stepDeg = 2.0 / 111000
	ix := shape.NewOutlineIndex(env)
	for _, b := range buildings {
		switch b.(type) {
		case orb.Point, orb.Polygon, orb.MultiPolygon:
		default:
			return nil, false
		}
		for _, p := range tess.AppendSites(nil, b, stepDeg) {
			if !ix.Covers(p) {
				return nil, false
			}
		}
	}
	return env, true
}
