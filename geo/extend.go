package geo

import (
	"fmt"
	"math"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// reachM is the half-width of the strip that joins a building outside its
// community to the community's outline (see ExtendCommunities): wide enough
// for a tessellation cell to run along it, narrow beside any block.
const reachM = 1.0

// hullEdgeM is the longest edge of a strip (ExtendCommunities). The strip
// is drawn in longitude/latitude, and its edges are part of the grids'
// outline: written in another system vertex by vertex, an edge is
// straight there, and bends away from the strip check draws again (a 77 m
// edge 5.7 mm in BD-09, a gap). Pieces of 10 m bend a tenth of a
// millimetre (a quarter at 45°N).
const hullEdgeM = 10.0

// densify returns ll, the longitude/latitude of ring r (metres), with
// points added along every edge of r longer than maxM, at equal steps in
// longitude/latitude: on the straight line between its ends there, where
// the plan takes the edge (a plan of an earlier version, whose strips had
// the ends only, meets the new ones).
func densify(r, ll orb.Ring, maxM float64) orb.Ring {
	out := make(orb.Ring, 0, len(r))
	for i, p := range ll {
		if i > 0 {
			a, m := ll[i-1], math.Hypot(r[i][0]-r[i-1][0], r[i][1]-r[i-1][1])
			n := int(math.Ceil(m / maxM))
			for k := 1; k < n; k++ {
				t := float64(k) / float64(n)
				out = append(out, orb.Point{a[0] + t*(p[0]-a[0]), a[1] + t*(p[1]-a[1])})
			}
		}
		out = append(out, p)
	}
	return out
}

// ExtendCommunities grows each community of cs to hold the buildings of bs
// that were joined to it from outside (out, Joined: within the snap
// distance, or by --outside nearest): the convex hull of each footprint and
// the nearest point of the community's outline, widened by reachM, is added
// to the community's area, less the areas of the other communities. Grids
// then tile an area that holds each of their buildings whole, and a grid of
// such buildings has a polygon. Each extension is reported as a
// "community_extended" warning of file. cs is not modified.
func ExtendCommunities(file string, bs []Building, cs []Region, out []OutsideBuilding) ([]Region, []Warning, error) {
	return extendCommunities(file, bs, cs, out, hullEdgeM)
}

// extendCommunities is ExtendCommunities with strip edges of at most
// maxEdgeM.
func extendCommunities(file string, bs []Building, cs []Region, out []OutsideBuilding, maxEdgeM float64) ([]Region, []Warning, error) {
	index := make(map[string]int, len(cs))
	for c, r := range cs {
		index[r.ID] = c
	}
	add := make(map[int][]orb.Polygon)
	var order []int
	proj := NewProjection(CenterOfRegions(cs))
	for _, o := range out {
		if !o.Joined || o.Inside {
			continue // left out, or in the community that holds it
		}
		c := index[o.Nearest]
		if _, ok := add[c]; !ok {
			order = append(order, c)
		}
		q, _ := NearestOnBoundary(o.Point, cs[c].Geometry, proj)
		pts := []orb.Point{q}
		for _, poly := range shape.Polygons(proj.Geometry(bs[o.Index].Geometry)) {
			pts = append(pts, poly[0]...)
		}
		if p, ok := proj.Geometry(bs[o.Index].Geometry).(orb.Point); ok {
			pts = append(pts, p)
		}
		var wide []orb.Point
		for _, p := range pts {
			for _, d := range [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
				wide = append(wide, orb.Point{p[0] + d[0]*reachM, p[1] + d[1]*reachM})
			}
		}
		hull := orb.Ring(shape.ConvexHull(wide))
		hull = append(hull, hull[0])
		ll := proj.Unproject(orb.Polygon{hull}).(orb.Polygon)
		add[c] = append(add[c], orb.Polygon{densify(hull, ll[0], maxEdgeM)})
	}
	if len(order) == 0 {
		return cs, nil, nil
	}
	res := append([]Region(nil), cs...)
	var ws []Warning
	for _, c := range order {
		// One hull at a time: simplefeatures' overlay is robust for two
		// valid operands, and the hulls of neighbouring buildings overlap.
		grown := shape.ToSF(cs[c].Geometry)
		var err error
		for _, h := range add[c] {
			if grown, err = geom.Union(grown, shape.ToSF(orb.MultiPolygon{h})); err != nil {
				break
			}
		}
		if err == nil {
			// Less every other community the strips reach into.
			b := orb.MultiPolygon(add[c]).Bound()
			for k, r := range cs {
				if k != c && r.Geometry.Bound().Intersects(b) {
					if grown, err = geom.Difference(grown, shape.ToSF(r.Geometry)); err != nil {
						break
					}
				}
			}
		}
		mp := shape.FromSF(grown)
		if err != nil || len(mp) == 0 {
			return nil, nil, &FeatureError{File: file, Index: cs[c].Index, ID: cs[c].ID,
				Err: fmt.Errorf("cannot extend the community to the buildings joined to it from outside: %v", err)}
		}
		before := shape.MultiPolygonArea(proj.Geometry(cs[c].Geometry).(orb.MultiPolygon))
		after := shape.MultiPolygonArea(proj.Geometry(mp).(orb.MultiPolygon))
		res[c].Geometry = mp
		if after-before < 0.5 {
			continue // the buildings' strips fell on its neighbours: nothing added
		}
		ws = append(ws, Warning{File: file, Index: cs[c].Index, ID: cs[c].ID, Kind: "community_extended",
			Note: fmt.Sprintf("extended by %.0f m² to hold the %d %s joined to it from outside", after-before, len(add[c]), plural(len(add[c]), "building"))})
	}
	return res, ws, nil
}
