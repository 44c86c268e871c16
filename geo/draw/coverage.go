package draw

import (
	"context"
	"math"
	"sync"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// CoverageTolM2 returns the area below which [CheckCoverage]'s gap, outside
// and overlap figures for a community are rounding, not geometry.
//
// [GridPolygons] keeps every edge once, so neighbours share their edges
// exactly and the outline is the community's own, except that points on it
// (crossings, and grid vertices snapped onto outline vertices) are off the
// true lines by at most vertexSnapRel times the coordinate magnitude M: an
// area of at most perimeter·M·2^-40. [CheckCoverage] measures in
// coordinates relative to the community's corner, of magnitude D (its
// extent); on near-degenerate input its overlay snaps vertices by up to
// D·overlaySnapRel, which may add perimeter·D·1e-8. The tolerance is twice
// the sum, with a floor of 1e-6 m² for the areas' own rounding. For a
// 1 km community with a 4 km outline, 100 km from the projection centre, it
// is 0.08 m², under the 1 m² allowed; the figures measured on generated
// communities are below 1e-7 m².
func CoverageTolM2(community orb.MultiPolygon) float64 {
	mag, per := 0.0, 0.0
	for _, poly := range community {
		for _, r := range poly {
			for i, p := range r {
				mag = max(mag, math.Abs(p[0]), math.Abs(p[1]))
				if i > 0 {
					per += math.Hypot(p[0]-r[i-1][0], p[1]-r[i-1][1])
				}
			}
		}
	}
	b := community.Bound()
	ext := max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	return max(1e-6, 2*per*(mag*robust.VertexSnapRel+ext*robust.OverlaySnapRel))
}

// Coverage measures how grid polygons tile a community (SPEC §4).
type Coverage struct {
	// GapM2 is the area of the community not covered by any grid.
	GapM2 float64
	// OutsideM2 is the area of the grids outside the community.
	OutsideM2 float64
	// OverlapM2 is the total area of the pairwise overlaps of grids.
	OverlapM2 float64
	// BuildingsOutside counts the footprints not wholly in their own grid
	// where the community reaches: a footprint counts when its
	// representative point ([RepresentativePoint]; that of each part of a
	// MultiPolygon inside the community) is neither in the closed polygon
	// of its grid nor within vertexSnapRel of the coordinate magnitude of
	// it (points on the outline are rounded that far), or when an edge
	// its grid shares with another grid passes through the footprint's
	// interior farther than that from its outline. Borders with no twin
	// run along the community's outline and may cut a footprint drawn
	// across it. Testing vertices would not do: a footprint's vertices
	// are tessellation sites, always in their own cells, while a
	// neighbour's cell may still clip an edge between them.
	BuildingsOutside int
	// Outside lists the indices of those footprints, ascending.
	Outside []int
}

// Within reports whether the grids tile their community up to tolM2 (gap,
// overlap and area outside at most that) with every building in its grid.
func (c Coverage) Within(tolM2 float64) bool {
	return c.GapM2 <= tolM2 && c.OverlapM2 <= tolM2 && c.OutsideM2 <= tolM2 && c.BuildingsOutside == 0
}

// CheckCoverage measures how grids (projected metres) tile community,
// independently of how [GridPolygons] builds the grids; the figures are
// zero up to [CoverageTolM2]. A nil community leaves GapM2 and OutsideM2
// zero. footprints[i] (projected) belongs to grid gridOf[i]; a footprint
// with a negative grid is not counted (it is not part of the community),
// one with a grid beyond len(grids) is outside.
//
// When the grids' edges prove the tiling (every edge shared exactly with a
// neighbour, or running along the community outline; see
// twinnedCoverage), the gap and outside areas are those of the slivers
// between the outline and the grids' edges along it, and there is no
// overlap. Otherwise the areas are computed with simplefeatures' overlay;
// an overlay that fails makes the figure it measures NaN, so a comparison
// with a tolerance fails.
//
// A community of tens of thousands of buildings takes a second: once ctx
// is done CheckCoverage returns ctx.Err() within milliseconds, except
// within the overlay's union of all grids. It only reads ctx, so the
// result does not depend on it.
func CheckCoverage(ctx context.Context, community orb.MultiPolygon, grids []orb.MultiPolygon, footprints []orb.Geometry, gridOf []int) (Coverage, error) {
	if len(gridOf) != len(footprints) {
		panic("geo: CheckCoverage: len(gridOf) != len(footprints)") // programmer error
	}
	var cov Coverage
	if err := ctx.Err(); err != nil {
		return cov, err
	}
	ok := false
	if len(community) > 0 {
		cov.GapM2, cov.OutsideM2, ok = twinnedCoverage(ctx, community, grids)
	}
	if err := ctx.Err(); err != nil {
		return Coverage{}, err // twinnedCoverage may have stopped short
	}
	if !ok {
		cov.GapM2, cov.OutsideM2, cov.OverlapM2 = overlayCoverage(ctx, community, grids)
	}
	tol := shape.BoundsMagnitude(grids) * robust.VertexSnapRel
	borders := newBorderIndex(ctx, grids)
	if err := ctx.Err(); err != nil {
		return Coverage{}, err
	}
	cover := newCoverIndex(grids, gridOf, community, tol)
	outside := make([]bool, len(footprints))
	if err := parallel.RangesContext(ctx, len(footprints), func(lo, hi int, poll *parallel.Poll) {
		for i := lo; i < hi && !poll.Stop(); i++ {
			outside[i] = !footprintInGrid(footprints[i], gridOf[i], cover, borders, tol)
		}
	}); err != nil {
		return Coverage{}, err
	}
	borders.release()
	for i, o := range outside {
		if o && gridOf[i] >= 0 {
			cov.BuildingsOutside++
			cov.Outside = append(cov.Outside, i)
		}
	}
	return cov, nil
}

// footprintInGrid reports whether footprint fp is wholly in grid g, as far
// as the community reaches (see [Coverage.BuildingsOutside]). A negative g
// is in.
func footprintInGrid(fp orb.Geometry, g int, cover *coverIndex, borders *borderIndex, tol float64) bool {
	if g < 0 {
		return true
	}
	if g >= len(cover.grids) || !cover.grid(g, shape.RepresentativePoint(fp)) {
		return false
	}
	for i, poly := range shape.Polygons(fp) {
		if len(poly) == 0 {
			continue
		}
		if borders.crosses(poly, int32(g), tol) {
			return false
		}
		// Each part of a MultiPolygon: its own point must be in g too,
		// where the community reaches.
		if i > 0 {
			p := shape.PolygonPoint(poly)
			if !cover.grid(g, p) && (len(cover.community) == 0 || cover.inCommunity(p)) {
				return false
			}
		}
	}
	return true
}

// A coverIndex answers gridCovers for the grids that hold footprints and
// for the community, each polygon's edges indexed by strips of y
// ([shape.OutlineIndex]): a grid's outline has thousands of vertices and
// each of its footprints is located in it.
type coverIndex struct {
	grids     []orb.MultiPolygon
	ix        []*shape.OutlineIndex // by grid; nil for a grid without footprints
	community orb.MultiPolygon
	cix       *shape.OutlineIndex // nil until wanted
	once      sync.Once
	tol       float64
}

func newCoverIndex(grids []orb.MultiPolygon, gridOf []int, community orb.MultiPolygon, tol float64) *coverIndex {
	c := &coverIndex{grids: grids, ix: make([]*shape.OutlineIndex, len(grids)), community: community, tol: tol}
	for _, g := range gridOf {
		if g >= 0 && g < len(grids) && c.ix[g] == nil {
			c.ix[g] = shape.NewOutlineIndex(grids[g])
		}
	}
	return c
}

// grid is gridCovers(grids[g], p, tol).
func (c *coverIndex) grid(g int, p orb.Point) bool {
	ix := c.ix[g]
	if ix == nil {
		return gridCovers(c.grids[g], p, c.tol)
	}
	return ix.Covers(p) || nearRings(c.grids[g], p, c.tol)
}

// inCommunity is gridCovers(community, p, tol).
func (c *coverIndex) inCommunity(p orb.Point) bool {
	c.once.Do(func() { c.cix = shape.NewOutlineIndex(c.community) })
	return c.cix.Covers(p) || nearRings(c.community, p, c.tol)
}

// overlayCoverage measures the gap, outside and overlap areas of grids in
// community with simplefeatures' overlay: the union of the grids against
// the community both ways, and every pair of grids whose envelopes meet.
// Once ctx is done it returns early: the caller returns ctx.Err().
func overlayCoverage(ctx context.Context, community orb.MultiPolygon, grids []orb.MultiPolygon) (gap, outside, overlap float64) {
	// Overlay relative to a corner: the overlay's rounding and its snap
	// tolerances scale with the coordinates' magnitude.
	var o orb.Point
	for _, mp := range append([]orb.MultiPolygon{community}, grids...) {
		if len(mp) > 0 && len(mp[0]) > 0 && len(mp[0][0]) > 0 {
			o = mp[0][0][0]
			break
		}
	}
	local := func(mp orb.MultiPolygon) geom.Geometry {
		return shape.ToSF(mp).TransformXY(func(xy geom.XY) geom.XY { return geom.XY{X: xy.X - o[0], Y: xy.Y - o[1]} })
	}
	sf := make([]geom.Geometry, len(grids))
	env := make([]orb.Bound, len(grids))
	for g, mp := range grids {
		sf[g] = local(mp)
		env[g] = mp.Bound()
	}
	if len(community) > 0 {
		c := local(community)
		u, err := geom.UnionMany(sf)
		if err != nil {
			gap, outside = math.NaN(), math.NaN()
		} else {
			gap = coverageArea(geom.Difference(c, u))
			outside = coverageArea(geom.Difference(u, c))
		}
	}
	for i := range grids {
		for j := i + 1; j < len(grids); j++ {
			if len(grids[i]) == 0 || len(grids[j]) == 0 || !env[i].Intersects(env[j]) {
				continue
			}
			if ctx.Err() != nil { // every pair: a look costs nothing beside an overlay
				return gap, outside, overlap
			}
			overlap += coverageArea(geom.Intersection(sf[i], sf[j]))
		}
	}
	return gap, outside, overlap
}

func coverageArea(g geom.Geometry, err error) float64 {
	if err != nil {
		return math.NaN()
	}
	return g.Area()
}

// gridCovers reports whether p is in the closed multipolygon or within tol
// of its boundary.
func gridCovers(mp orb.MultiPolygon, p orb.Point, tol float64) bool {
	for _, poly := range mp {
		if len(poly) > 0 && shape.PolygonCovers(poly, p) {
			return true
		}
	}
	return nearRings(mp, p, tol)
}

// nearRings reports whether p is within tol of an edge of mp.
func nearRings(mp orb.MultiPolygon, p orb.Point, tol float64) bool {
	for _, poly := range mp {
		for _, r := range poly {
			for k := 0; k+1 < len(r); k++ {
				if shape.PointSegmentDist(p, r[k], r[k+1]) <= tol {
					return true
				}
			}
		}
	}
	return false
}
