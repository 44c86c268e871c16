package plan

import (
	"context"
	"fmt"
	"math"

	"gridplan/geo"
	"gridplan/geo/draw"
	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// communityByLocation gives each building of bs without a community
// property, among buildings that have one, the community whose area it
// lies in, where the area around the buildings is divided among the
// communities as it is when no communities layer is given
// ([draw.CommunityEnvelopes] of the buildings that name one); a building
// beyond every area takes the nearest. Each is reported as a
// "community_by_location" warning of file. Missing values never make a
// community of their own (SPEC §2.4). When no building, or every building,
// names a community, bs is left as it is: one implicit community, or
// nothing to do. bs is modified in place, unless ctx is done: then it
// returns ctx.Err().
func communityByLocation(ctx context.Context, file string, bs []geo.Building) ([]geo.Warning, error) {
	index := map[string]int{}
	var ids []string
	var named []geo.Building
	var community []int
	for _, b := range bs {
		if b.Community == "" {
			continue
		}
		c, ok := index[b.Community]
		if !ok {
			c = len(ids)
			index[b.Community] = c
			ids = append(ids, b.Community)
		}
		named = append(named, b)
		community = append(community, c)
	}
	if len(named) == 0 || len(named) == len(bs) {
		return nil, nil
	}
	proj := geo.NewProjection(geo.CenterOf(named))
	areas := make([]orb.MultiPolygon, len(ids))
	if len(ids) > 1 {
		var err error
		if areas, err = draw.CommunityEnvelopes(ctx, named, community, len(ids), proj); err != nil {
			return nil, err
		}
	}
	bounds := make([]orb.Bound, len(areas))
	for c, a := range areas {
		if len(a) > 0 {
			bounds[c] = a.Bound()
		}
	}
	var missing []int
	for i := range bs {
		if bs[i].Community == "" {
			missing = append(missing, i)
		}
	}
	found := make([]int, len(missing))
	if err := parallel.EachContext(ctx, len(missing), func(k int) {
		found[k] = locate(shape.RepresentativePoint(bs[missing[k]].Geometry), areas, bounds, proj)
	}); err != nil {
		return nil, err
	}
	ws := make([]geo.Warning, len(missing))
	for k, i := range missing {
		b := &bs[i]
		b.Community = ids[found[k]]
		ws[k] = geo.Warning{File: file, Index: b.Index, ID: b.ID, Kind: "community_by_location",
			Note: fmt.Sprintf("no community property: put in community %q, whose area it lies in", b.Community)}
	}
	return ws, nil
}

// locate returns the lowest c whose area covers p, else the area nearest to
// p (in proj's metres); with one community (areas of nil), 0.
func locate(p orb.Point, areas []orb.MultiPolygon, bounds []orb.Bound, proj *geo.Projection) int {
	if len(areas) == 1 {
		return 0
	}
	for c, a := range areas {
		if len(a) > 0 && bounds[c].Contains(p) && shape.MultiPolygonCovers(a, p) {
			return c
		}
	}
	best, bestD := 0, math.Inf(1)
	for c, a := range areas {
		if _, d := geo.NearestOnBoundary(p, a, proj); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}
