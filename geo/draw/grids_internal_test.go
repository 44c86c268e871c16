package draw

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"gridplan/geo/geotest"
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// gridSiteSpacingM is the site spacing the partition command uses along
// footprints (cmd/gridplan siteSpacingM).
const gridSiteSpacingM = 5

type gridCase struct {
	name       string
	community  orb.MultiPolygon // nil: the tessellation bound
	footprints []orb.Geometry   // projected metres
	gridOf     []int
	nGrids     int
	pieces     map[int]int // expected len(grids[g]) where not 1
	// compounds are constraints after the footprints' (buildGrids makes
	// each polygonal footprint a constraint of its grid, in order).
	compounds []Constraint
	// clipped: without constraints, some footprint is not wholly in its
	// grid (the case tests what the constraints fix).
	clipped bool
	// notWhole are footprints that an earlier constraint overlaps: not
	// checked to lie wholly in their grid; whole are polygons that must
	// (a compound, a footprint less the part an earlier one takes).
	notWhole []int
	whole    []Constraint
}

// constraints are the case's footprints, then its compounds.
func (c gridCase) constraints() []Constraint {
	return append(FootprintConstraints(c.footprints, c.gridOf), c.compounds...)
}

// box is a square footprint of side s at (x, y).
func box(x, y, s float64) orb.Polygon { return orb.Polygon{geotest.Square(x, y, x+s, y+s)} }

// latticeBuildings places nx×ny square footprints of side s every step
// metres from off, labelled by quadrant (grid = 2·(row ≥ ny/2) + (col ≥ nx/2)).
func latticeBuildings(nx, ny int, step, s float64, off orb.Point) ([]orb.Geometry, []int) {
	var fs []orb.Geometry
	var g []int
	for j := range ny {
		for i := range nx {
			fs = append(fs, box(off[0]+float64(i)*step, off[1]+float64(j)*step, s))
			q := 0
			if i >= nx/2 {
				q++
			}
			if j >= ny/2 {
				q += 2
			}
			g = append(g, q)
		}
	}
	return fs, g
}

// uShape is a U-shaped community: a 300 m × 200 m block with a 100 m wide
// notch from the top down to y = 60.
func uShape(off orb.Point) orb.MultiPolygon {
	r := orb.Ring{{0, 0}, {300, 0}, {300, 200}, {200, 200}, {200, 60}, {100, 60}, {100, 200}, {0, 200}, {0, 0}}
	for i := range r {
		r[i] = orb.Point{r[i][0] + off[0], r[i][1] + off[1]}
	}
	return orb.MultiPolygon{{r}}
}

func gridCases(t *testing.T) []gridCase {
	r := geotest.Rand(t)
	far := orb.Point{512345.25, 4412345.5}
	var cases []gridCase

	fs, g := latticeBuildings(10, 10, 20, 10, orb.Point{5, 5})
	cases = append(cases, gridCase{name: "square lattice", community: orb.MultiPolygon{{geotest.Square(0, 0, 200, 200)}},
		footprints: fs, gridOf: g, nGrids: 4})
	// Point buildings on a lattice, the community covering 5×5 of them:
	// its outline runs exactly along Voronoi edges (x = 100, y = 100) and
	// through a Voronoi vertex (100, 100). The buildings outside are left
	// out (group -1).
	var lp []orb.Geometry
	var lg []int
	for j := range 8 {
		for i := range 8 {
			p := orb.Point{10 + 20*float64(i), 10 + 20*float64(j)}
			lp = append(lp, p)
			switch {
			case i >= 5 || j >= 5:
				lg = append(lg, -1)
			default:
				lg = append(lg, (i+j)%3)
			}
		}
	}
	cases = append(cases, gridCase{name: "outline on Voronoi edges", community: orb.MultiPolygon{{geotest.Square(0, 0, 100, 100)}},
		footprints: lp, gridOf: lg, nGrids: 3, pieces: map[int]int{-1: 0}})
	fs, g = latticeBuildings(10, 10, 20, 10, orb.Point{far[0] + 5, far[1] + 5})
	cases = append(cases, gridCase{name: "square lattice far", community: orb.MultiPolygon{{geotest.Square(far[0], far[1], far[0]+200, far[1]+200)}},
		footprints: fs, gridOf: g, nGrids: 4})
	cases = append(cases, gridCase{name: "no community", footprints: fs, gridOf: g, nGrids: 4})

	// U shape: buildings in both arms and the base; grid 0 is every
	// building above y = 100, in both arms, so the notch cuts it in two.
	var ufs []orb.Geometry
	var ug []int
	for y := 10.0; y < 190; y += 20 {
		for x := 10.0; x < 290; x += 20 {
			if x > 90 && x < 200 && y > 50 {
				continue
			}
			ufs = append(ufs, box(x, y, 8))
			switch {
			case y > 100:
				ug = append(ug, 0)
			case x < 150:
				ug = append(ug, 1)
			default:
				ug = append(ug, 2)
			}
		}
	}
	cases = append(cases, gridCase{name: "U-shaped", community: uShape(orb.Point{}), footprints: ufs, gridOf: ug, nGrids: 3,
		pieces: map[int]int{0: 2}})

	cases = append(cases, gridCase{name: "single building", community: orb.MultiPolygon{{geotest.Square(0, 0, 50, 40)}},
		footprints: []orb.Geometry{box(20, 15, 10)}, gridOf: []int{0}, nGrids: 1})

	fs, _ = latticeBuildings(12, 8, 25, 12, orb.Point{3, 3})
	var ofs []orb.Geometry
	for _, f := range fs {
		if shape.PolygonCovers(uShape(orb.Point{})[0], shape.RepresentativePoint(f)) {
			ofs = append(ofs, f)
		}
	}
	cases = append(cases, gridCase{name: "one grid", community: uShape(orb.Point{}), footprints: ofs, gridOf: make([]int, len(ofs)), nGrids: 1})

	// Footprints on the outline: one with an edge on it, one drawn across
	// it (its representative point still inside), one touching a corner.
	touch := []orb.Geometry{
		box(20, 20, 15), box(60, 20, 15),
		orb.Polygon{geotest.Square(85, 40, 100, 55)},  // edge on x = 100
		orb.Polygon{geotest.Square(80, 70, 104, 85)},  // across x = 100
		orb.Polygon{geotest.Square(88, 88, 100, 100)}, // in the corner
		box(20, 70, 15),
	}
	cases = append(cases, gridCase{name: "touching outline", community: orb.MultiPolygon{{geotest.Square(0, 0, 100, 100)}},
		footprints: touch, gridOf: []int{0, 1, 1, 1, 1, 0}, nGrids: 2})

	// Two close footprints: B stands 0.5 m below the middle of A's 10 m
	// south wall, whose sites are 5 m apart, so B's cells reach into A.
	cases = append(cases, gridCase{name: "close footprints clip a corner", community: orb.MultiPolygon{{geotest.Square(-20, -30, 30, 30)}},
		footprints: []orb.Geometry{orb.Polygon{geotest.Square(0, 0, 10, 10)}, orb.Polygon{geotest.Square(1.5, -3, 3.5, -0.5)},
			box(-15, -25, 6), box(20, -25, 6), box(-15, 20, 6), box(20, 20, 6)},
		gridOf: []int{0, 1, 0, 1, 0, 1}, nGrids: 2, clipped: true})

	// A compound wall reaching beyond its buildings' cells: the buildings
	// inside are grid 0, the lattice east of x = 100 grid 1; the wall runs
	// 3 m past the bisectors around them, into other buildings' cells.
	fs, _ = latticeBuildings(10, 5, 20, 10, orb.Point{5, 5})
	wall := Constraint{Polygon: orb.MultiPolygon{{geotest.Square(37, 17, 123, 83)}}, Group: 0}
	var cg []int
	for _, f := range fs {
		switch c := shape.RepresentativePoint(f); {
		case shape.PolygonCovers(wall.Polygon[0], c), c[0] < 100:
			cg = append(cg, 0)
		default:
			cg = append(cg, 1)
		}
	}
	cases = append(cases, gridCase{name: "compound larger than its cells", community: orb.MultiPolygon{{geotest.Square(0, 0, 200, 100)}},
		footprints: fs, gridOf: cg, nGrids: 2, compounds: []Constraint{wall}, whole: []Constraint{wall}})

	// Overlapping constraints: footprint A (grid 0) overlaps B (grid 1),
	// and B overlaps compound C (grid 2, holding D): A keeps the overlap
	// (lower index), B keeps its part of C (footprints before compounds).
	cases = append(cases, gridCase{name: "overlapping constraints", community: orb.MultiPolygon{{geotest.Square(0, 0, 100, 100)}},
		footprints: []orb.Geometry{orb.Polygon{geotest.Square(20, 20, 40, 40)}, orb.Polygon{geotest.Square(35, 25, 60, 35)}, box(65, 38, 6),
			box(10, 70, 10), box(70, 75, 10), box(70, 5, 10)},
		gridOf: []int{0, 1, 2, 0, 2, 1}, nGrids: 3, notWhole: []int{1},
		compounds: []Constraint{{Polygon: orb.MultiPolygon{{geotest.Square(55, 30, 85, 50)}}, Group: 2}},
		whole: []Constraint{
			{Polygon: orb.MultiPolygon{{geotest.Square(40, 25, 60, 35)}}, Group: 1},
			{Polygon: orb.MultiPolygon{{{{60, 30}, {85, 30}, {85, 50}, {55, 50}, {55, 35}, {60, 35}, {60, 30}}}}, Group: 2},
		}})

	// Points, random in a concave community, with grids by x band.
	var pts []orb.Geometry
	var pg []int
	for len(pts) < 200 {
		p := orb.Point{r.Float64() * 300, r.Float64() * 200}
		if p[0] > 99 && p[0] < 201 && p[1] > 59 {
			continue
		}
		pts = append(pts, p)
		pg = append(pg, int(p[0]/60))
	}
	cases = append(cases, gridCase{name: "points", community: uShape(orb.Point{}), footprints: pts, gridOf: pg, nGrids: 5})

	// Near-duplicate and collinear sites: two rows of points 1 nm apart
	// and a collinear row parallel to the outline's diagonal.
	var nd []orb.Geometry
	var ndg []int
	for i := range 20 {
		x := 5 + float64(i)*5
		nd = append(nd, orb.Point{x, 30}, orb.Point{x + 1e-9, 30}, orb.Point{x, 70}, orb.Point{x, x + 2.5})
		ndg = append(ndg, i/5, i/5, (i/5+1)%4, 3-i/5)
	}
	cases = append(cases, gridCase{name: "near-duplicate and collinear", community: orb.MultiPolygon{{geotest.Square(0, 0, 110, 110)}},
		footprints: nd, gridOf: ndg, nGrids: 4, pieces: map[int]int{-1: 0}})

	// A community with a hole (a park) and a second part.
	hole := orb.Ring{{80, 80}, {80, 120}, {120, 120}, {120, 80}, {80, 80}}
	fs, g = latticeBuildings(10, 10, 20, 10, orb.Point{5, 5})
	var hfs []orb.Geometry
	var hg []int
	for i, f := range fs {
		if c := shape.RepresentativePoint(f); c[0] > 75 && c[0] < 125 && c[1] > 75 && c[1] < 125 {
			continue
		}
		hfs, hg = append(hfs, f), append(hg, g[i])
	}
	hfs = append(hfs, box(280, 50, 10))
	hg = append(hg, 3)
	cases = append(cases, gridCase{name: "hole and second part",
		community:  orb.MultiPolygon{{geotest.Square(0, 0, 200, 200), hole}, {geotest.Square(260, 20, 310, 90)}},
		footprints: hfs, gridOf: hg, nGrids: 4, pieces: map[int]int{3: 2}})

	// Random rectangles in a random star-shaped community.
	for k := range 3 {
		c := orb.Point{far[0] + 150, far[1] + 150}
		var ring orb.Ring
		nv := 7 + r.IntN(10)
		for i := range nv {
			a := 2 * math.Pi * float64(i) / float64(nv)
			rad := 80 + r.Float64()*70
			ring = append(ring, orb.Point{c[0] + rad*math.Cos(a), c[1] + rad*math.Sin(a)})
		}
		ring = append(ring, ring[0])
		comm := orb.MultiPolygon{{ring}}
		var rfs []orb.Geometry
		var rg []int
		for y := -140.0; y < 140; y += 17 {
			for x := -140.0; x < 140; x += 17 {
				p := orb.Point{c[0] + x + r.Float64()*3, c[1] + y + r.Float64()*3}
				fp := orb.Polygon{geotest.Square(p[0], p[1], p[0]+6+r.Float64()*6, p[1]+5+r.Float64()*6)}
				if !shape.PolygonCovers(orb.Polygon{ring}, shape.RepresentativePoint(fp)) {
					continue
				}
				rfs = append(rfs, fp)
				rg = append(rg, int(math.Atan2(y, x)/math.Pi*3+3)%6)
			}
		}
		cases = append(cases, gridCase{name: fmt.Sprintf("random star %d", k), community: comm, footprints: rfs, gridOf: rg, nGrids: 6,
			pieces: map[int]int{-1: 0}})
	}
	return cases
}

// buildGrids tessellates footprints within the community's bound and
// returns the grid polygons.
func buildGrids(t testing.TB, c gridCase) (*tess.Tessellation, []orb.MultiPolygon) {
	t.Helper()
	var sites []orb.Point
	var unit []int
	for u, f := range c.footprints {
		for _, s := range tess.Sites(f, gridSiteSpacingM) {
			sites = append(sites, s)
			unit = append(unit, u)
		}
	}
	var bound orb.Ring
	if c.community != nil {
		bound = CommunityBound(c.community, sites)
	}
	ts, err := tess.Tessellate(context.Background(), sites, unit, len(c.footprints), bound)
	if err != nil {
		t.Fatalf("tess.Tessellate: %v", err)
	}
	grids, err := GridPolygons(context.Background(), ts, c.gridOf, c.nGrids, c.community, c.constraints())
	if err != nil {
		t.Fatalf("GridPolygons: %v", err)
	}
	if len(grids) != c.nGrids {
		t.Fatalf("GridPolygons returned %d grids, want %d", len(grids), c.nGrids)
	}
	return ts, grids
}

func TestGridPolygons(t *testing.T) {
	for _, c := range gridCases(t) {
		t.Run(c.name, func(t *testing.T) {
			ts, grids := buildGrids(t, c)
			env := c.community
			if env == nil {
				env = orb.MultiPolygon{{ts.Bound}}
			}
			check := slices.Clone(c.gridOf)
			for _, i := range c.notWhole {
				check[i] = -1
			}
			checkTiling(t, env, grids, c.footprints, check)
			var whole []orb.Geometry
			var wholeGrid []int
			for _, w := range c.whole {
				whole, wholeGrid = append(whole, w.Polygon), append(wholeGrid, w.Group)
			}
			checkWhole(t, env, grids, whole, wholeGrid, CoverageTolM2(env))
			if cov := coverage(t, env, grids, whole, wholeGrid); cov.BuildingsOutside != 0 {
				t.Errorf("CheckCoverage: %d of the polygons that must be whole are not", cov.BuildingsOutside)
			}
			if c.clipped {
				plain, err := GridPolygons(context.Background(), ts, c.gridOf, c.nGrids, c.community, nil)
				if err != nil {
					t.Fatal(err)
				}
				if cov := coverage(t, env, plain, c.footprints, c.gridOf); cov.BuildingsOutside == 0 {
					t.Errorf("without constraints no footprint is clipped: the case tests nothing")
				}
			}
			for g, mp := range grids {
				want, ok := c.pieces[g]
				if !ok {
					want = 1
				}
				if _, any := c.pieces[-1]; any {
					continue // random: pieces not known in advance
				}
				if len(mp) != want {
					t.Errorf("len(grids[%d]) = %d pieces, want %d", g, len(mp), want)
				}
			}
		})
	}
}

// checkTiling checks the SPEC §4 tiling rules for one community: the grids
// tile it by the edge and area rules of [geotest.CheckTiling]; by overlay,
// their union is the community with no overlap, to within CoverageTolM2; and
// every footprint lies in its grid.
func checkTiling(t *testing.T, community orb.MultiPolygon, grids []orb.MultiPolygon, footprints []orb.Geometry, gridOf []int) {
	t.Helper()
	tol := CoverageTolM2(community)
	geotest.CheckTiling(t, grids, community, tol)
	cov := coverage(t, community, grids, footprints, gridOf)
	if !(cov.GapM2 <= tol && cov.OutsideM2 <= tol && cov.OverlapM2 <= tol) {
		t.Errorf("CheckCoverage = %+v, want gap, outside and overlap <= %g m²", cov, tol)
	}
	if cov.BuildingsOutside != 0 {
		t.Errorf("CheckCoverage: %d buildings outside their grid", cov.BuildingsOutside)
	}
	t.Logf("coverage %+v (tolerance %.3g m²)", cov, tol)
	checkWhole(t, community, grids, footprints, gridOf, tol)
}

// checkWhole checks, by overlay and independently of CheckCoverage, that
// the part of every polygonal footprint inside the community lies in its
// grid: the area left over is within tol.
func checkWhole(t *testing.T, community orb.MultiPolygon, grids []orb.MultiPolygon, polys []orb.Geometry, gridOf []int, tol float64) {
	t.Helper()
	var o orb.Point
	if len(community) > 0 {
		o = community[0][0][0]
	}
	local := func(mp orb.MultiPolygon) geom.Geometry {
		return shape.ToSF(mp).TransformXY(func(xy geom.XY) geom.XY { return geom.XY{X: xy.X - o[0], Y: xy.Y - o[1]} })
	}
	comm := local(community)
	for i, f := range polys {
		mp := shape.Polygons(f)
		if mp == nil {
			continue
		}
		if gridOf[i] < 0 {
			continue
		}
		in, err := geom.Intersection(local(mp), comm)
		if err != nil {
			t.Fatalf("polygon %d: Intersection: %v", i, err)
		}
		rest, err := geom.Difference(in, local(grids[gridOf[i]]))
		if err != nil {
			t.Fatalf("polygon %d: Difference: %v", i, err)
		}
		if a := rest.Area(); a > tol {
			t.Errorf("polygon %d: %.6f m² inside the community lies outside its grid %d", i, a, gridOf[i])
		}
	}
}

func TestGridPolygonsErrors(t *testing.T) {
	fs, g := latticeBuildings(3, 3, 20, 10, orb.Point{})
	var sites []orb.Point
	var unit []int
	for u, f := range fs {
		for _, s := range tess.Sites(f, gridSiteSpacingM) {
			sites, unit = append(sites, s), append(unit, u)
		}
	}
	ts, err := tess.Tessellate(context.Background(), sites, unit, len(fs), nil) // buffered hull: 20 m margin
	if err != nil {
		t.Fatal(err)
	}
	_, err = GridPolygons(context.Background(), ts, g, 4, orb.MultiPolygon{{geotest.Square(-100, -100, 100, 100)}}, nil)
	if !errors.Is(err, ErrCommunityOutsideBound) {
		t.Errorf("GridPolygons(community beyond the bound) error = %v, want %v", err, ErrCommunityOutsideBound)
	}
	_, err = GridPolygons(context.Background(), ts, g, 4, orb.MultiPolygon{{{{0, 0}, {math.NaN(), 1}, {1, 1}, {0, 0}}}}, nil)
	if !errors.Is(err, tess.ErrNonFinite) {
		t.Errorf("GridPolygons(NaN community) error = %v, want %v", err, tess.ErrNonFinite)
	}
}

// TestCheckCoverage checks the measure itself on grids with a known gap,
// overlap and misplaced building.
// coverage is CheckCoverage with a context that is never done.
func coverage(t testing.TB, community orb.MultiPolygon, grids []orb.MultiPolygon, footprints []orb.Geometry, gridOf []int) Coverage {
	t.Helper()
	cov, err := CheckCoverage(context.Background(), community, grids, footprints, gridOf)
	if err != nil {
		t.Fatalf("CheckCoverage: %v", err)
	}
	return cov
}

func TestCheckCoverage(t *testing.T) {
	comm := orb.MultiPolygon{{geotest.Square(0, 0, 100, 100)}}
	grids := []orb.MultiPolygon{
		{{geotest.Square(0, 0, 60, 100)}},  // overlaps the next by 10 × 100
		{{geotest.Square(50, 0, 100, 90)}}, // leaves 50 × 10 uncovered
	}
	fps := []orb.Geometry{orb.Point{10, 10}, orb.Point{10, 50}, orb.Point{90, 95}}
	got := coverage(t, comm, grids, fps, []int{0, 1, 1})
	want := Coverage{GapM2: 400, OverlapM2: 900, BuildingsOutside: 2}
	if math.Abs(got.GapM2-want.GapM2) > 1e-9 || math.Abs(got.OverlapM2-want.OverlapM2) > 1e-9 ||
		got.OutsideM2 != 0 || got.BuildingsOutside != want.BuildingsOutside {
		t.Errorf("CheckCoverage = %+v, want %+v", got, want)
	}
}

// benchCommunity is a community of about n buildings in nGrids grids: a
// jittered lattice of rectangles in a concave outline, as generated
// districts have.
func benchCommunity(n, nGrids int) gridCase {
	r := rand.New(rand.NewPCG(1, 1)) // fixed: equal benchmarks run on equal data
	side := math.Sqrt(float64(n)) * 20
	off := orb.Point{500000, 4400000}
	ring := orb.Ring{{0, 0}, {side, 0}, {side, side}, {side * 0.6, side}, {side * 0.5, side * 0.4}, {side * 0.4, side}, {0, side}, {0, 0}}
	for i := range ring {
		ring[i] = orb.Point{ring[i][0] + off[0], ring[i][1] + off[1]}
	}
	c := gridCase{community: orb.MultiPolygon{{ring}}, nGrids: nGrids}
	for y := 2.0; y < side; y += 17 {
		for x := 2.0; x < side; x += 17 {
			p := orb.Point{off[0] + x + r.Float64()*3, off[1] + y + r.Float64()*3}
			fp := orb.Polygon{geotest.Square(p[0], p[1], p[0]+6+r.Float64()*6, p[1]+5+r.Float64()*6)}
			if !shape.PolygonCovers(orb.Polygon{ring}, shape.RepresentativePoint(fp)) {
				continue
			}
			c.footprints = append(c.footprints, fp)
			c.gridOf = append(c.gridOf, min(nGrids-1, int(x/side*float64(nGrids))))
		}
	}
	return c
}

func TestBenchCommunity(t *testing.T) {
	c := benchCommunity(150, 6)
	_, grids := buildGrids(t, c)
	checkTiling(t, c.community, grids, c.footprints, c.gridOf)
}

// BenchmarkGridPolygons times GridPolygons on one community (the
// tessellation is built before the timer starts) and, separately,
// tessellation plus polygons, and reports the extrapolation to the 400
// communities of the 60,000-building city run on GOMAXPROCS cores.
func BenchmarkGridPolygons(b *testing.B) {
	for _, n := range []int{150, 600} {
		c := benchCommunity(n, max(1, n/25))
		var sites []orb.Point
		var unit []int
		for u, f := range c.footprints {
			for _, s := range tess.Sites(f, gridSiteSpacingM) {
				sites, unit = append(sites, s), append(unit, u)
			}
		}
		bound := CommunityBound(c.community, sites)
		ts, err := tess.Tessellate(context.Background(), sites, unit, len(c.footprints), bound)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("buildings=%d/grids=%d", len(c.footprints), c.nGrids), func(b *testing.B) {
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				grids, err := GridPolygons(context.Background(), ts, c.gridOf, c.nGrids, c.community, nil)
				if err != nil || len(grids) != c.nGrids {
					b.Fatal(err)
				}
			}
			per := time.Since(start).Seconds() / float64(b.N)
			b.ReportMetric(per*400/float64(runtime.GOMAXPROCS(0)), "city-s")
		})
		b.Run(fmt.Sprintf("with-tessellation/buildings=%d/grids=%d", len(c.footprints), c.nGrids), func(b *testing.B) {
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				ts, err := tess.Tessellate(context.Background(), sites, unit, len(c.footprints), CommunityBound(c.community, sites))
				if err != nil {
					b.Fatal(err)
				}
				grids, err := GridPolygons(context.Background(), ts, c.gridOf, c.nGrids, c.community, nil)
				if err != nil || len(grids) != c.nGrids {
					b.Fatal(err)
				}
			}
			per := time.Since(start).Seconds() / float64(b.N)
			b.ReportMetric(per*400/float64(runtime.GOMAXPROCS(0)), "city-s")
		})
	}
}

// FuzzGridPolygons decodes bytes into a star-shaped community with vertices
// on a coarse lattice and labelled point buildings on the same lattice (so
// the outline often runs through sites, along bisectors and through Voronoi
// vertices; optionally perturbed by a few ulps and offset to projected
// magnitudes), and checks the tiling invariants. Buildings outside the
// community still get a grid, as a footprint drawn across the outline does,
// but are not checked for being inside it.
//
//	go test -fuzz=FuzzGridPolygons ./geo
func FuzzGridPolygons(f *testing.F) {
	f.Add([]byte{0, 8, 3, 5, 7, 2, 9, 6, 8, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7})
	f.Add([]byte{1, 6, 4, 4, 4, 4, 4, 4, 0x21, 0x32, 0x43, 0x54, 0x65, 0x76, 0x87, 0x98, 0xa9})
	f.Add([]byte{2, 5, 7, 1, 7, 1, 7, 0x11, 0x13, 0x15, 0x31, 0x33, 0x35, 0x51, 0x53, 0x55, 0x77})
	f.Add([]byte{7, 12, 2, 7, 3, 6, 2, 7, 3, 6, 2, 7, 3, 6, 0, 0xff, 0x0f, 0xf0, 0x88, 0x44, 0x22, 0x99})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 6 || len(data) > 400 {
			return
		}
		c, ok := fuzzGridCase(data)
		if !ok {
			return
		}
		_, grids := buildGrids(t, c)
		check := make([]int, len(c.gridOf))
		for i, fp := range c.footprints {
			check[i] = c.gridOf[i]
			if !shape.PolygonCovers(c.community[0], fp.(orb.Point)) {
				check[i] = -1
			}
		}
		checkTiling(t, c.community, grids, c.footprints, check)
		// Handing stray pieces to their neighbours keeps the tiling.
		anchors := make([]orb.Point, len(c.footprints))
		for i, fp := range c.footprints {
			anchors[i] = fp.(orb.Point)
		}
		if merged, n := MergeStrays(grids, anchors, c.gridOf, c.constraints()); n > 0 {
			checkTiling(t, c.community, merged, c.footprints, check)
		}
	})
}

// fuzzGridCase decodes data (see FuzzGridPolygons): data[0] is the mode
// (bit 0: offset, bit 1: perturb, bits 2-3: grids - 1), data[1] the number
// of outline vertices (3..15), then one radius byte per vertex (low 3 bits,
// in 10 m steps from 20 m), then one byte per building (x, y in the high and
// low nibbles, 10 m steps).
func fuzzGridCase(data []byte) (gridCase, bool) {
	mode := data[0]
	nv := 3 + int(data[1])%13
	if len(data) < 2+nv+1 {
		return gridCase{}, false
	}
	var off orb.Point
	if mode&1 != 0 {
		off = orb.Point{512345.25, 4412345.5}
	}
	perturb := func(v float64, b byte) float64 {
		if mode&2 != 0 {
			v += float64(int(b>>5)-3) * 0x1p-40
		}
		return v
	}
	ng := 1 + int(mode>>2)&3
	ctr := orb.Point{75, 75}
	var ring orb.Ring
	for k := range nv {
		rad := 20 + 10*float64(data[2+k]&7)
		a := 2 * math.Pi * float64(k) / float64(nv)
		// Round to the 5 m lattice: vertices then coincide with sites
		// and Voronoi vertices of the lattice buildings.
		x := math.Round((ctr[0]+rad*math.Cos(a))/5) * 5
		y := math.Round((ctr[1]+rad*math.Sin(a))/5) * 5
		p := orb.Point{off[0] + perturb(x, data[2+k]), off[1] + perturb(y, data[2+k]>>1)}
		if len(ring) > 0 && ring[len(ring)-1] == p {
			continue
		}
		ring = append(ring, p)
	}
	if len(ring) > 1 && ring[0] == ring[len(ring)-1] {
		ring = ring[:len(ring)-1]
	}
	if len(ring) < 3 {
		return gridCase{}, false
	}
	ring = append(ring, ring[0])
	if shape.RingArea(ring[:len(ring)-1]) <= 0 {
		return gridCase{}, false
	}
	c := gridCase{community: orb.MultiPolygon{{ring}}, nGrids: ng}
	if err := shape.ToSF(c.community).Validate(); err != nil {
		return gridCase{}, false
	}
	seen := map[byte]bool{}
	for k, b := range data[2+nv:] {
		if seen[b] {
			continue // two buildings on one point: only one can have it
		}
		seen[b] = true
		x, y := float64(b>>4)*10, float64(b&15)*10
		c.footprints = append(c.footprints, orb.Point{off[0] + perturb(x, b), off[1] + perturb(y, byte(k))})
		c.gridOf = append(c.gridOf, (int(b)*7+k)%ng)
	}
	return c, true
}

// TestGridPolygonsRandom runs the fuzz decoder on random inputs.
func TestGridPolygonsRandom(t *testing.T) {
	r := geotest.Rand(t)
	n := 500
	if testing.Short() {
		n = 50
	}
	for i := range n {
		data := make([]byte, 8+r.IntN(80))
		for k := range data {
			data[k] = byte(r.UintN(256))
		}
		c, ok := fuzzGridCase(data)
		if !ok {
			continue
		}
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			_, grids := buildGrids(t, c)
			check := make([]int, len(c.gridOf))
			for i, fp := range c.footprints {
				check[i] = c.gridOf[i]
				if !shape.PolygonCovers(c.community[0], fp.(orb.Point)) {
					check[i] = -1
				}
			}
			checkTiling(t, c.community, grids, c.footprints, check)
			if t.Failed() {
				t.Logf("data %v", data)
			}
		})
	}
}

// TestCellsDraw checks that a tessellation reduced to its cells draws the
// same grids as the whole one.
func TestCellsDraw(t *testing.T) {
	for _, c := range gridCases(t) {
		t.Run(c.name, func(t *testing.T) {
			ts, want := buildGrids(t, c)
			got, err := GridPolygons(context.Background(), ts.Cells(), c.gridOf, c.nGrids, c.community, c.constraints())
			if err != nil {
				t.Fatalf("GridPolygons(Cells()): %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("GridPolygons(Cells()) differs from GridPolygons of the whole tessellation")
			}
			if !reflect.DeepEqual(ts.Cells().UnitAdjacency(), ts.UnitAdjacency()) {
				t.Errorf("Cells().UnitAdjacency() differs")
			}
		})
	}
}
