package plantest

import (
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/geotest"
	"gridplan/geo/internal/shape"
	"gridplan/geo/plan"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	sfgeom "github.com/peterstace/simplefeatures/geom"
	"github.com/tidwall/rtree"
)

// earthRadiusM is the mean Earth radius: areas are compared, not reported.
const earthRadiusM = 6371008.8

// Geometric tolerances of the checks, in square metres.
const (
	// CoverM2 bounds the gap between a community and its grids, and the
	// area of its grids outside it.
	CoverM2 = 1.0
	// WholeM2 bounds the area of a footprint outside its grid, less the
	// parts it shares with other footprints (only one of them can hold
	// those): rounding only.
	WholeM2 = 0.01
)

// CheckGeometry asserts the geometric rules of SPEC §4 on a written plan,
// from the files alone and independently of how gridplan draws: every
// grid has a valid polygon with RFC 7946 orientation, in one piece unless
// stats.json explains it (isolated); grids never overlap (every edge shared
// with at most one other grid, reversed); with a communities layer, the
// grids of each community cover it with gap and excess under CoverM2 (a
// community extended to hold buildings joined from outside is measured
// against its grids only); and every footprint lies whole in its grid up
// to WholeM2, except for the parts it shares with another footprint. bs
// and rs are the run's input (Load), gridOf the grid code of each building.
func CheckGeometry(t testing.TB, pf Files, bs []geo.Building, rs []geo.Region, gridOf []string, s *plan.Stats) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(pf.Out, "grids.geojson"))
	must(t, err)
	fc, err := geojson.UnmarshalFeatureCollection(data)
	must(t, err)
	reason := map[string]string{}
	for _, g := range s.Grids {
		reason[g.Code] = g.Reason
	}
	grids := map[string]orb.MultiPolygon{}
	var pieces []orb.MultiPolygon
	byCommunity := map[string][]orb.MultiPolygon{}
	for i, f := range fc.Features {
		code, _ := f.Properties["code"].(string)
		community, _ := f.Properties["community"].(string)
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			t.Errorf("grid %s (feature %d): geometry %T, want a Polygon or MultiPolygon", code, i, f.Geometry)
			continue
		}
		if len(mp) == 0 {
			t.Errorf("grid %s: empty geometry", code)
			continue
		}
		if len(mp) > 1 && reason[code] != "isolated" {
			t.Errorf("grid %s: %d pieces, not explained (reason %q)", code, len(mp), reason[code])
		}
		grids[code] = mp
		pieces = append(pieces, mp)
		byCommunity[community] = append(byCommunity[community], mp)
	}
	geotest.CheckTiling(t, pieces, nil, 0)

	// An affine map to metres (equirectangular at the data's latitude):
	// unlike a transverse Mercator, it keeps an edge straight in lon/lat
	// straight, so a vertex of a grid on the community's edge stays on it.
	centre := geo.CenterOf(bs)
	kx := math.Pi / 180 * earthRadiusM * math.Cos(centre[1]*math.Pi/180)
	ky := math.Pi / 180 * earthRadiusM
	toSF := func(mp orb.MultiPolygon) sfgeom.Geometry {
		return shape.ToSF(mp).TransformXY(func(xy sfgeom.XY) sfgeom.XY {
			return sfgeom.XY{X: (xy.X - centre[0]) * kx, Y: (xy.Y - centre[1]) * ky}
		})
	}

	extended := map[string]bool{}
	for _, w := range s.Warnings {
		if w.Kind == "community_extended" {
			extended[w.ID] = true
		}
	}
	unions := map[string]sfgeom.Geometry{} // of each community's grids
	for _, r := range rs {
		gs := byCommunity[r.ID]
		if len(gs) == 0 {
			t.Errorf("community %s: no grid covers it", r.ID)
			continue
		}
		var u orb.MultiPolygon
		for _, g := range gs {
			u = append(u, g...)
		}
		union, err := sfgeom.UnaryUnion(toSF(u))
		if err != nil {
			t.Errorf("community %s: union of its grids: %v", r.ID, err)
			continue
		}
		unions[r.ID] = union
		c := toSF(r.Geometry)
		gap, err1 := sfgeom.Difference(c, union)
		excess, err2 := sfgeom.Difference(union, c)
		switch {
		case err1 != nil || err2 != nil:
			t.Errorf("community %s: overlay: %v, %v", r.ID, err1, err2)
		case gap.Area() > pf.coverM2():
			t.Errorf("community %s: %.2f m² not covered by its grids", r.ID, gap.Area())
		case excess.Area() > pf.coverM2() && !extended[r.ID]:
			t.Errorf("community %s: its grids reach %.2f m² beyond it", r.ID, excess.Area())
		}
	}

	// A podium or parcel whose buildings together exceed the band is drawn
	// as a point of it, and grids may cross it (its warning says so).
	crossed := map[string]bool{}
	for _, w := range s.Warnings {
		if w.Kind == "container_footprint" && strings.Contains(w.Note, "grids may cross it") {
			crossed[w.ID] = true
		}
	}
	// A footprint drawn across its community's outline is its grid's only
	// as far as the community reaches: its polygon, or, where it was
	// extended to hold buildings from outside, its grids (checked above to
	// cover it).
	home := map[string]sfgeom.Geometry{}
	for _, r := range rs {
		if extended[r.ID] {
			if u, ok := unions[r.ID]; ok {
				home[r.ID] = u
			}
		} else {
			home[r.ID] = toSF(r.Geometry)
		}
	}
	checkWhole(t, bs, gridOf, grids, crossed, home, toSF)
}

// checkWhole asserts that every footprint lies whole in its grid, less the
// parts it shares with other footprints (see CheckGeometry). A footprint
// that no edge of its grid comes near is inside or outside as one of its
// points is; only the others need an overlay.
func checkWhole(t testing.TB, bs []geo.Building, gridOf []string, grids map[string]orb.MultiPolygon, crossed map[string]bool, home map[string]sfgeom.Geometry, toSF func(orb.MultiPolygon) sfgeom.Geometry) {
	t.Helper()
	var edges rtree.RTreeG[string] // grid edges, by grid code
	for code, mp := range grids {
		for _, poly := range mp {
			for _, r := range poly {
				for k := 0; k+1 < len(r); k++ {
					b := orb.LineString{r[k], r[k+1]}.Bound()
					edges.Insert(b.Min, b.Max, code)
				}
			}
		}
	}
	var fpIndex rtree.RTreeG[int]
	for i, b := range bs {
		if fp := shape.Polygons(b.Geometry); len(fp) > 0 {
			bb := fp.Bound()
			fpIndex.Insert(bb.Min, bb.Max, i)
		}
	}
	sfGrids := map[string]sfgeom.Geometry{}
	for i, b := range bs {
		fp := shape.Polygons(b.Geometry)
		code := gridOf[i]
		grid, ok := grids[code]
		if len(fp) == 0 || !ok || crossed[b.ID] {
			continue
		}
		bb := fp.Bound()
		near := false
		edges.Search(bb.Min, bb.Max, func(_, _ [2]float64, c string) bool {
			near = near || c == code
			return !near
		})
		if !near {
			if !shape.MultiPolygonCovers(grid, fp[0][0][0]) {
				t.Errorf("building %q: footprint outside its grid %s", b.ID, code)
			}
			continue
		}
		g, ok := sfGrids[code]
		if !ok {
			g = toSF(grid)
			sfGrids[code] = g
		}
		rest, err := sfgeom.Difference(toSF(fp), g)
		if err != nil {
			t.Errorf("building %q: overlay with grid %s: %v", b.ID, code, err)
			continue
		}
		if h, ok := home[b.Community]; ok && rest.Area() >= WholeM2 {
			if rest, err = sfgeom.Intersection(rest, h); err != nil {
				t.Errorf("building %q: overlay with its community: %v", b.ID, err)
				continue
			}
		}
		if rest.Area() < WholeM2 {
			continue
		}
		var others []int
		fpIndex.Search(bb.Min, bb.Max, func(_, _ [2]float64, j int) bool {
			if j != i {
				others = append(others, j)
			}
			return true
		})
		slices.Sort(others)
		for _, j := range others {
			if rest, err = sfgeom.Difference(rest, toSF(shape.Polygons(bs[j].Geometry))); err != nil {
				break
			}
		}
		if err != nil {
			t.Errorf("building %q: overlay with other footprints: %v", b.ID, err)
		} else if a := rest.Area(); a >= WholeM2 {
			t.Errorf("building %q: %.4f m² of its footprint, shared with no other, outside its grid %s", b.ID, a, code)
		}
	}
}
