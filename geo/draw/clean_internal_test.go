package draw

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"gridplan/geo"
	"gridplan/geo/synth"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
)

// A cityCommunity is one community of a generated city as the partition
// command draws it: outline and footprints in the community's plane (the
// footprints clipped to the outline and rid of overlaps) and their
// tessellation.
type cityCommunity struct {
	outline    orb.MultiPolygon
	footprints []orb.Geometry
	tess       *tess.Tessellation
}

// cityCommunities generates a city and prepares each of its communities
// with buildings as the partition command does for adjacency and drawing
// (geo/plan communityEdges).
func cityCommunities(t *testing.T, o synth.Options) []cityCommunity {
	t.Helper()
	city, err := synth.Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := city.Write(dir); err != nil {
		t.Fatal(err)
	}
	open := func(name string) *os.File {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	bs, _, err := geo.LoadBuildings("buildings.geojson", open("buildings.geojson"), geo.DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	rs, _, err := geo.LoadRegions("communities.geojson", open("communities.geojson"), "id", geo.DefaultSliverM2)
	if err != nil {
		t.Fatal(err)
	}
	if rs, _, err = geo.ResolveCommunities("communities.geojson", rs, geo.DefaultSliverM2); err != nil {
		t.Fatal(err)
	}
	if _, _, err := geo.AssignCommunities("buildings.geojson", bs, rs, 5, geo.OutsideNearest, true); err != nil {
		t.Fatal(err)
	}
	var out []cityCommunity
	for _, r := range rs {
		var members []orb.Geometry
		for _, b := range bs {
			if b.Community == r.ID && b.Geometry != nil {
				members = append(members, b.Geometry)
			}
		}
		if len(members) == 0 {
			continue
		}
		plane := geo.NewLocalPlane(r.Geometry.Bound().Center())
		outline, ok := plane.Geometry(r.Geometry).(orb.MultiPolygon)
		if !ok {
			t.Fatalf("community %s: projected outline is %T", r.ID, plane.Geometry(r.Geometry))
		}
		fps := make([]orb.Geometry, len(members))
		for u, g := range members {
			fps[u] = plane.Geometry(g)
		}
		fps, _ = ClipToOutline(fps, outline)
		if fps, _, err = OwnFootprints(context.Background(), fps); err != nil {
			t.Fatal(err)
		}
		var sites []orb.Point
		var unit []int
		for u, fp := range fps {
			for _, s := range tess.Sites(fp, gridSiteSpacingM) {
				sites, unit = append(sites, s), append(unit, u)
			}
		}
		ts, err := tess.Tessellate(context.Background(), sites, unit, len(fps), CommunityBound(outline, sites))
		if err != nil {
			t.Fatalf("community %s: %v", r.ID, err)
		}
		out = append(out, cityCommunity{outline, fps, ts})
	}
	return out
}

// binGroups labels each footprint with a square of side m metres that its
// representative point falls in, numbered in order of first use; every
// skip-th unit is left out (-1) if skip > 0.
func binGroups(fps []orb.Geometry, m float64, skip int) ([]int, int) {
	ids := map[[2]int]int{}
	group := make([]int, len(fps))
	for u, fp := range fps {
		if skip > 0 && u%skip == skip-1 {
			group[u] = -1
			continue
		}
		c := fp.Bound().Center()
		k := [2]int{int(math.Floor(c[0] / m)), int(math.Floor(c[1] / m))}
		if _, ok := ids[k]; !ok {
			ids[k] = len(ids)
		}
		group[u] = ids[k]
	}
	return group, len(ids)
}

// TestCleanCellsCities checks, on generated cities of both layouts and on
// one with every fault of real layers, that taking the edges between
// clean cells from the tessellation changes nothing: ClippedUnitAdjacency
// and GridPolygons give, to the bit, what the overlay of every cell gives,
// and an Arrangement kept from the adjacency draws the grids GridPolygons
// draws.
func TestCleanCellsCities(t *testing.T) {
	all, err := synth.ParseFaults("all")
	if err != nil {
		t.Fatal(err)
	}
	n := 2500
	if testing.Short() {
		n = 800
	}
	for _, c := range []struct {
		name string
		o    synth.Options
	}{
		{"large", synth.Options{Buildings: n, Seed: 2, CommunityHouseholds: 8000}},
		{"default", synth.Options{Buildings: n, Seed: 3}},
		{"messy", synth.Options{Buildings: n, Seed: 1, Messy: all}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			ccs := cityCommunities(t, c.o)
			cells := 0
			for _, cc := range ccs {
				cells += cc.tess.NumGens()
			}
			t.Logf("%d communities, %d cells", len(ccs), cells)
			for ci, cc := range ccs {
				ident := make([]int, len(cc.footprints))
				for u := range ident {
					ident[u] = u
				}
				cons := FootprintConstraints(cc.footprints, ident)
				community := cc.outline
				if ci == 0 {
					community = nil // the bound stands for it
				}
				wantAdj, wantArea, _, err := clippedUnitAdjacency(ctx, cc.tess, community, cons, true)
				if err != nil {
					t.Fatal(err)
				}
				adj, area, kept, err := ClippedUnitAdjacencyArrangement(ctx, cc.tess, community, cons)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(adj, wantAdj) || !reflect.DeepEqual(area, wantArea) {
					t.Errorf("community %d: ClippedUnitAdjacency differs from the overlay of every cell:%s", ci, adjDiff(adj, wantAdj))
				}
				for _, skip := range []int{0, 7} {
					group, ng := binGroups(cc.footprints, 150, skip)
					gcons := FootprintConstraints(cc.footprints, group)
					want, err := gridPolygons(ctx, cc.tess, group, ng, community, gcons, true)
					if err != nil {
						t.Fatal(err)
					}
					got, err := GridPolygons(ctx, cc.tess, group, ng, community, gcons)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("community %d (every %dth unit left out): GridPolygons differs from the overlay of every cell", ci, skip)
					}
					got, err = kept.GridPolygons(ctx, group, ng)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("community %d (every %dth unit left out): Arrangement.GridPolygons differs from GridPolygons", ci, skip)
					}
				}
			}
		})
	}
}

// adjDiff describes the first few differences between two adjacencies.
func adjDiff(got, want []tess.UnitEdge) string {
	g, w := adjMap(got), adjMap(want)
	s, n := "", 0
	for k, l := range w {
		if gl, ok := g[k]; (!ok || gl != l) && n < 5 {
			s += fmt.Sprintf(" %v: %v, want %v;", k, gl, l)
			n++
		}
	}
	for k, l := range g {
		if _, ok := w[k]; !ok && n < 5 {
			s += fmt.Sprintf(" %v: %v, want none;", k, l)
			n++
		}
	}
	return s
}

// TestCleanCellsCases is TestCleanCellsCities on the drawing cases (each
// compound given, for the adjacency, to the first unit of its grid), and
// on the hook case with two footprints of different grids overlapping by
// 30 cm under the hook's stray piece.
func TestCleanCellsCases(t *testing.T) {
	cases := gridCases(t)
	hook := hookCase()
	hook.name = "hook with overlap"
	fps := append(slices.Clone(hook.footprints), box(86, 4, 8), box(93.7, 4, 8))
	own, _, err := OwnFootprints(context.Background(), fps)
	if err != nil {
		t.Fatal(err)
	}
	hook.footprints = own
	hook.gridOf = append(slices.Clone(hook.gridOf), 0, 1)
	cases = append(cases, hook, walledCase())
	ctx := context.Background()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts, _ := buildGrids(t, c)
			ident := make([]int, len(c.footprints))
			for u := range ident {
				ident[u] = u
			}
			cons := FootprintConstraints(c.footprints, ident)
			for _, k := range c.compounds {
				if u := slices.Index(c.gridOf, k.Group); u >= 0 {
					cons = append(cons, Constraint{Polygon: k.Polygon, Group: u})
				}
			}
			wantAdj, wantArea, _, err := clippedUnitAdjacency(ctx, ts, c.community, cons, true)
			if err != nil {
				t.Fatal(err)
			}
			adj, area, kept, err := ClippedUnitAdjacencyArrangement(ctx, ts, c.community, cons)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(adj, wantAdj) || !reflect.DeepEqual(area, wantArea) {
				t.Errorf("ClippedUnitAdjacency differs from the overlay of every cell:%s", adjDiff(adj, wantAdj))
			}
			want, err := gridPolygons(ctx, ts, c.gridOf, c.nGrids, c.community, c.constraints(), true)
			if err != nil {
				t.Fatal(err)
			}
			got, err := GridPolygons(ctx, ts, c.gridOf, c.nGrids, c.community, c.constraints())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("GridPolygons differs from the overlay of every cell:\n got %v\nwant %v", got, want)
			}
			if len(c.compounds) > 0 {
				return // the kept arrangement gives a compound to one unit's grid
			}
			got, err = kept.GridPolygons(ctx, c.gridOf, c.nGrids)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Arrangement.GridPolygons differs from GridPolygons")
			}
		})
	}
}

// walledCase is a compound wall of grid 0 lined on both sides with the
// points of unit 0 (one building drawn as points), around a building of
// grid 1 drawn as a point, with the points of unit 2 (grid 1) farther out,
// where the community's outline runs. Only cells of unit 0 come near the
// wall, which is no footprint's, and the cell of unit 1 lies wholly
// inside it, where the wall gives it to grid 0.
func walledCase() gridCase {
	var frame, outer orb.MultiPoint
	for x := -2.0; x <= 62; x += 4 {
		for _, y := range []float64{-2, 2, 58, 62} {
			frame = append(frame, orb.Point{x, y}, orb.Point{y, x})
		}
	}
	for x := -20.0; x <= 80; x += 5 {
		for _, y := range []float64{-20, 80} {
			outer = append(outer, orb.Point{x, y}, orb.Point{y, x})
		}
	}
	wall := orb.MultiPolygon{{{{0, 0}, {60, 0}, {60, 60}, {0, 60}, {0, 0}}}}
	return gridCase{
		name:       "walled",
		community:  orb.MultiPolygon{{{{-30, -30}, {90, -30}, {90, 90}, {-30, 90}, {-30, -30}}}},
		footprints: []orb.Geometry{frame, orb.Point{30, 31}, outer},
		gridOf:     []int{0, 1, 1},
		nGrids:     2,
		compounds:  []Constraint{{Polygon: wall, Group: 0}},
	}
}
