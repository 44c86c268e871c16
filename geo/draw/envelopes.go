package draw

import (
	"context"
	"fmt"

	"gridplan/geo"
	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Sites along footprints when the area of a district is divided among its
// communities. A building near another community (inside its hull) gets
// sites as dense as the drawing's own, so that the border runs between the
// two footprints however close they stand; a building far from any other
// community only needs its vertices, which keep its cells in its own
// community.
const (
	envelopeNearSpacingM = 5
	envelopeFarSpacingM  = 0
)

// CommunityEnvelopes divides the area around the buildings among their
// communities when no communities layer gives it (SPEC §4: a sensible
// envelope): the Voronoi diagram of sites along every footprint, in proj's
// plane, within the convex hull of all sites buffered by [HullMarginM];
// each community's envelope is the union of its buildings' cells. The
// envelopes tile that area without gap or overlap, and their borders run
// between buildings of different communities, so grids of neighbouring
// communities never overlap as their separate hulls would.
//
// community[i] is the community (0 <= c < n) of building i. The envelopes
// are returned in longitude/latitude; a community without buildings gets
// nil.
//
// A city of hundreds of thousands of buildings takes seconds: once ctx is
// done CommunityEnvelopes returns ctx.Err() within milliseconds. It only
// reads ctx, so the result does not depend on it.
func CommunityEnvelopes(ctx context.Context, bs []geo.Building, community []int, n int, proj *geo.Projection) ([]orb.MultiPolygon, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	fps := make([]orb.Geometry, len(bs))
	verts := make([][]orb.Point, n)
	poll := parallel.NewPoll(ctx)
	for i, b := range bs {
		if poll.Stop() {
			return nil, ctx.Err()
		}
		fps[i] = proj.Geometry(b.Geometry)
		verts[community[i]] = tess.AppendSites(verts[community[i]], fps[i], 0)
	}
	// Each community's hull, buffered as a tessellation of it alone would be.
	hulls := make([][]orb.Point, n)
	var tr rtree.RTreeG[int]
	for c, vs := range verts {
		if len(vs) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil { // every hull: a look costs nothing beside one
			return nil, err
		}
		hulls[c] = shape.BufferedHull(vs, tess.HullMarginM)
		b := orb.MultiPoint(hulls[c]).Bound()
		tr.Insert(b.Min, b.Max, c)
	}
	var sites []orb.Point
	var unit []int
	for i, fp := range fps {
		if poll.Stop() {
			return nil, ctx.Err()
		}
		c := community[i]
		near := false
		b := fp.Bound()
		tr.Search(b.Min, b.Max, func(_, _ [2]float64, o int) bool {
			if o == c {
				return true
			}
			for _, v := range tess.AppendSites(nil, fp, 0) {
				if shape.InsideConvex(hulls[o], v) {
					near = true
					return false
				}
			}
			return true
		})
		spacing := float64(envelopeFarSpacingM)
		if near {
			spacing = envelopeNearSpacingM
		}
		before := len(sites)
		sites = tess.AppendSites(sites, fp, spacing)
		for range sites[before:] {
			unit = append(unit, c)
		}
	}
	if len(sites) == 0 {
		return make([]orb.MultiPolygon, n), nil
	}
	t, err := tess.Tessellate(ctx, sites, unit, n, nil)
	if err != nil {
		return nil, fmt.Errorf("dividing the district among its communities: %w", err)
	}
	group := make([]int, n)
	for c := range group {
		group[c] = c
	}
	out := make([]orb.MultiPolygon, n)
	for c, mp := range t.Regions(group, n) {
		if err := ctx.Err(); err != nil { // every envelope: a look costs nothing beside unprojecting one
			return nil, err
		}
		if len(mp) > 0 {
			out[c], _ = proj.Unproject(mp).(orb.MultiPolygon)
		}
	}
	return out, nil
}
