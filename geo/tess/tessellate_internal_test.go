package tess

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gridplan/geo/geotest"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

type tessCase struct {
	name  string
	sites []orb.Point
	unit  []int
	bound orb.Ring
}

// unitsOf labels sites in runs of size k (consecutive sites of one unit,
// like the points along one footprint).
func unitsOf(n, k int) ([]int, int) {
	u := make([]int, n)
	for i := range u {
		u[i] = i / k
	}
	return u, (n + k - 1) / k
}

func tessCases(t *testing.T) []tessCase {
	r := geotest.Rand(t)
	far := orb.Point{512345.25, 4412345.5}
	near := geotest.Lattice(10, 10, 1, orb.Point{})
	for i := range 10 {
		near = append(near, orb.Point{near[i*7][0] + 1e-9, near[i*7][1]})
	}
	dups := geotest.Lattice(5, 5, 2, orb.Point{})
	dups = append(dups, dups...)
	var foot []orb.Point
	for k := range 30 {
		x, y := far[0]+float64(k%6)*25, far[1]+float64(k/6)*30
		foot = append(foot, Sites(orb.Polygon{geotest.Square(x, y, x+12+float64(k%3), y+9)}, 2)...)
	}
	return []tessCase{
		{name: "one", sites: []orb.Point{{5, 5}}},
		{name: "one bound", sites: []orb.Point{{5, 5}}, bound: geotest.Square(0, 0, 10, 10)},
		{name: "two", sites: []orb.Point{{0, 0}, {3, 1}}},
		{name: "three", sites: []orb.Point{{0, 0}, {3, 1}, {1, 4}}},
		{name: "collinear row", sites: geotest.Lattice(20, 1, 1, orb.Point{})},
		{name: "collinear far", sites: geotest.Lattice(20, 1, 0.5, far)},
		{name: "lattice 50x50", sites: geotest.Lattice(50, 50, 1, orb.Point{})},
		{name: "lattice bound", sites: geotest.Lattice(50, 50, 1, orb.Point{}), bound: geotest.Square(-0.5, -0.5, 49.5, 49.5)},
		{name: "lattice far", sites: geotest.Lattice(30, 30, 0.5, far)},
		{name: "near duplicates", sites: near},
		{name: "exact duplicates", sites: dups},
		{name: "random", sites: geotest.RandomPoints(r, 2000, 500, orb.Point{})},
		{name: "random far", sites: geotest.RandomPoints(r, 2000, 500, far)},
		{name: "random grid", sites: randomGrid(r, 1500)},
		{name: "footprints far", sites: foot},
		{name: "sites on the bound", sites: geotest.Lattice(11, 11, 1, orb.Point{}), bound: geotest.Square(0, 0, 10, 10)},
		{name: "sites on the bound far", sites: geotest.Lattice(11, 11, 1, far), bound: geotest.Square(far[0], far[1], far[0]+10, far[1]+10)},
		{name: "random triangle bound", sites: geotest.RandomPoints(r, 300, 10, orb.Point{40, 10}),
			bound: orb.Ring{{0, 0}, {100, 0}, {50, 80}, {0, 0}}},
	}
}

func TestTessellate(t *testing.T) {
	for _, c := range tessCases(t) {
		for _, k := range []int{1, 7} {
			t.Run(fmt.Sprintf("%s/unit=%d", c.name, k), func(t *testing.T) {
				unit, nu := unitsOf(len(c.sites), k)
				ts, err := Tessellate(context.Background(), c.sites, unit, nu, c.bound)
				if err != nil {
					t.Fatalf("Tessellate(%s) error: %v", c.name, err)
				}
				checkTessellation(t, ts)
				r := rand.New(rand.NewPCG(geotest.Seed(), 3))
				for _, ng := range []int{1, 2, 5} {
					group := make([]int, nu)
					for u := range group {
						group[u] = r.IntN(ng)
					}
					checkRegions(t, ts, group, ng)
				}
			})
		}
	}
}

func TestTessellateErrors(t *testing.T) {
	tests := []struct {
		name  string
		sites []orb.Point
		unit  []int
		bound orb.Ring
		want  error
	}{
		{"no sites", nil, nil, nil, ErrNoSites},
		{"NaN", []orb.Point{{0, math.NaN()}}, []int{0}, nil, ErrNonFinite},
		{"unit", []orb.Point{{0, 0}}, []int{3}, nil, ErrUnitRange},
		{"outside", []orb.Point{{20, 0}}, []int{0}, geotest.Square(0, 0, 10, 10), ErrSiteOutsideBound},
		{"clockwise", []orb.Point{{2, 2}}, []int{0}, orb.Ring{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}, ErrBoundNotConvex},
		{"concave", []orb.Point{{2, 2}}, []int{0}, orb.Ring{{0, 0}, {10, 0}, {5, 2}, {10, 10}, {0, 10}, {0, 0}}, ErrBoundNotConvex},
		{"flat", []orb.Point{{2, 0}}, []int{0}, orb.Ring{{0, 0}, {10, 0}, {5, 0}, {0, 0}}, ErrBoundNotConvex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Tessellate(context.Background(), tt.sites, tt.unit, 1, tt.bound)
			if !errors.Is(err, tt.want) {
				t.Errorf("Tessellate(%s) error = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
}

func TestTessellateLowestUnit(t *testing.T) {
	sites := []orb.Point{{0, 0}, {10, 0}, {10, 0}, {0, 10}, {0, 10}}
	ts, err := Tessellate(context.Background(), sites, []int{0, 3, 1, 2, 4}, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g := ts.Gen[1]; ts.GenUnit[g] != 1 || ts.Gen[2] != g {
		t.Errorf("coincident sites 1, 2 (units 3, 1): generator %d unit %d, want one generator with unit 1", g, ts.GenUnit[g])
	}
	if g := ts.Gen[3]; ts.GenUnit[g] != 2 {
		t.Errorf("coincident sites 3, 4 (units 2, 4): unit %d, want 2", ts.GenUnit[g])
	}
	area := ts.UnitAreaM2()
	if area[3] != 0 || area[4] != 0 {
		t.Errorf("UnitAreaM2 of merged-away units = %v, %v, want 0", area[3], area[4])
	}
}

// tessTol derives the tolerances of the checks from the coordinate
// magnitude: a vertex is computed to within a few ulps of the magnitude in
// well-conditioned cases; circumcentres of nearly cocircular sites are
// worse, so 2^14 ulps are allowed for a vertex position (1 µm at 4.4e6 m).
func tessTol(ts *Tessellation) (distTol float64) {
	mag := 1.0
	for _, p := range ts.Bound {
		mag = max(mag, math.Abs(p[0]), math.Abs(p[1]))
	}
	return mag * 0x1p-52 * 0x1p14
}

func ringPerimeter(pts []orb.Point) float64 {
	s := 0.0
	for k := range pts {
		p, q := pts[k], pts[(k+1)%len(pts)]
		s += math.Hypot(q[0]-p[0], q[1]-p[1])
	}
	return s
}

// checkTessellation checks the tiling invariants: cells convex,
// counter-clockwise, containing their sites, twin edges on shared vertices,
// areas summing to the bound's, adjacency symmetric.
func checkTessellation(t *testing.T, ts *Tessellation) {
	t.Helper()
	distTol := tessTol(ts)
	for _, p := range ts.Verts {
		if !robust.IsFinite(p[0]) || !robust.IsFinite(p[1]) {
			t.Fatalf("non-finite vertex %v", p)
		}
	}
	bound := []orb.Point(ts.Bound[:len(ts.Bound)-1])
	boundArea, boundPerim := shape.RingArea(bound), ringPerimeter(bound)
	type dirEdge struct{ a, b int32 }
	owner := map[dirEdge]int32{}
	sumArea, sumPerim := 0.0, 0.0
	for g := range ts.NumGens() {
		ring, nbr := ts.Cell(g)
		if ts.GenUnit[g] < 0 {
			if len(ring) != 0 {
				t.Errorf("frame generator %d has a cell", g)
			}
			continue
		}
		if len(ring) < 3 {
			t.Fatalf("cell %d has %d vertices", g, len(ring))
		}
		pts := make([]orb.Point, len(ring))
		for k, v := range ring {
			pts[k] = ts.Verts[v]
		}
		sumPerim += ringPerimeter(pts)
		a := ts.CellAreaM2(g)
		if a <= 0 {
			t.Errorf("cell %d area %g, want > 0", g, a)
		}
		sumArea += a
		for k := range ring {
			p, q, s := pts[k], pts[(k+1)%len(pts)], pts[(k+2)%len(pts)]
			if ring[k] == ring[(k+1)%len(ring)] {
				t.Errorf("cell %d repeats vertex %d", g, ring[k])
			}
			// Convex: q is not right of p→s by more than distTol.
			l := math.Hypot(s[0]-p[0], s[1]-p[1])
			if c := (s[0]-p[0])*(q[1]-p[1]) - (s[1]-p[1])*(q[0]-p[0]); l > 0 && c/l > distTol {
				t.Errorf("cell %d not convex at vertex %d (%g m)", g, (k+1)%len(ring), c/l)
			}
			e := dirEdge{ring[k], ring[(k+1)%len(ring)]}
			if _, dup := owner[e]; dup {
				t.Errorf("edge %v used twice", e)
			}
			owner[e] = int32(g)
			if nbr[k] >= 0 && ts.GenUnit[nbr[k]] < 0 {
				t.Errorf("cell %d borders frame generator %d", g, nbr[k])
			}
		}
		// The site is inside its own cell.
		site := ts.Del.Points[g]
		for k := range pts {
			p, q := pts[k], pts[(k+1)%len(pts)]
			l := math.Hypot(q[0]-p[0], q[1]-p[1])
			// (An edge of a few distTol has a direction of rounding noise.)
			if c := (q[0]-p[0])*(site[1]-p[1]) - (q[1]-p[1])*(site[0]-p[0]); l > 64*distTol && c/l < -distTol {
				t.Errorf("site of generator %d %v outside its cell (edge %d, %g m)", g, site, k, c/l)
			}
		}
	}
	for g := range ts.NumGens() {
		ring, nbr := ts.Cell(g)
		for k, c := range nbr {
			if c < 0 {
				continue
			}
			tw := dirEdge{ring[(k+1)%len(ring)], ring[k]}
			if o, ok := owner[tw]; !ok || o != c {
				t.Errorf("edge %d→%d of cell %d (neighbour %d) has no twin in the neighbour (owner %d, %v)", ring[k], ring[(k+1)%len(ring)], g, c, o, ok)
			}
		}
	}
	areaTol := sumPerim*distTol + boundArea*0x1p-40
	if math.Abs(sumArea-boundArea) > areaTol {
		t.Errorf("cell areas sum to %.9g, bound area %.9g (tolerance %g)", sumArea, boundArea, areaTol)
	}
	sumUnit := 0.0
	for _, a := range ts.UnitAreaM2() {
		sumUnit += a
	}
	if math.Abs(sumUnit-boundArea) > areaTol {
		t.Errorf("UnitAreaM2 sums to %.9g, bound area %.9g", sumUnit, boundArea)
	}
	outer := 0.0
	for _, l := range ts.UnitOuterM() {
		outer += l
	}
	if math.Abs(outer-boundPerim) > float64(len(owner))*distTol+boundPerim*0x1p-40 {
		t.Errorf("UnitOuterM sums to %.9g, bound perimeter %.9g", outer, boundPerim)
	}
	// Adjacency: lengths seen from both sides agree; UnitAdjacency matches.
	side := map[[2]int]float64{}
	for g := range ts.NumGens() {
		ring, nbr := ts.Cell(g)
		for k, c := range nbr {
			if c < 0 {
				continue
			}
			ug, uc := ts.GenUnit[g], ts.GenUnit[c]
			if ug != uc {
				side[[2]int{ug, uc}] += ts.edgeLen(ring[k], ring[(k+1)%len(ring)])
			}
		}
	}
	adj := ts.UnitAdjacency()
	for i, e := range adj {
		if e.A >= e.B || (i > 0 && (adj[i-1].A > e.A || adj[i-1].A == e.A && adj[i-1].B >= e.B)) {
			t.Fatalf("UnitAdjacency not sorted with A < B at %d: %v", i, e)
		}
		ab, ba := side[[2]int{e.A, e.B}], side[[2]int{e.B, e.A}]
		if !(e.LengthM > 0) || math.Abs(ab-ba) > distTol*8 || math.Abs(e.LengthM-ab) > distTol*8 {
			t.Errorf("UnitAdjacency %v: lengths from the two sides %g, %g", e, ab, ba)
		}
	}
}

func BenchmarkTessellate(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{10_000, 100_000, 1_200_000} {
		side := math.Sqrt(float64(n) * 0.3)
		pts := geotest.RandomPoints(r, n, side, orb.Point{500000, 4400000})
		// Units are clusters of about 20 points, as the sites of one
		// footprint are.
		cs := math.Sqrt(20 * 0.3)
		nx := int(side/cs) + 1
		unit := make([]int, n)
		for i, p := range pts {
			unit[i] = int((p[0]-500000)/cs)*nx + int((p[1]-4400000)/cs)
		}
		nu := nx * nx
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ts, err := Tessellate(context.Background(), pts, unit, nu, nil)
				if err != nil || len(ts.UnitAdjacency()) == 0 {
					b.Fatal(err)
				}
			}
		})
	}
}

// checkRegions checks the outlines of a grouping: valid polygons (OGC, via
// simplefeatures), areas summing to the bound's, every region's area equal to
// its cells', and every vertex of a region boundary being a tessellation
// vertex (so neighbours share identical coordinates).
func checkRegions(t *testing.T, ts *Tessellation, group []int, ng int) {
	t.Helper()
	regs := ts.Regions(group, ng)
	if len(regs) != ng {
		t.Fatalf("Regions returned %d groups, want %d", len(regs), ng)
	}
	distTol := tessTol(ts)
	verts := map[orb.Point]bool{}
	for _, v := range ts.Verts {
		verts[v] = true
	}
	want := make([]float64, ng)
	for u, a := range ts.UnitAreaM2() {
		want[group[u]] += a
	}
	bound := []orb.Point(ts.Bound[:len(ts.Bound)-1])
	boundArea := shape.RingArea(bound)
	total := 0.0
	perim := 0.0
	for gg, mp := range regs {
		area := 0.0
		for _, poly := range mp {
			for ri, r := range poly {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					t.Fatalf("group %d: ring %d not closed", gg, ri)
				}
				a := shape.RingArea(r[:len(r)-1])
				if (ri == 0) != (a > 0) {
					t.Errorf("group %d: ring %d has area %g (exterior must be counter-clockwise, holes clockwise)", gg, ri, a)
				}
				area += a
				perim += ringPerimeter(r[:len(r)-1])
				for _, p := range r {
					if !verts[p] {
						t.Fatalf("group %d: vertex %v is not a tessellation vertex", gg, p)
					}
				}
			}
		}
		if len(mp) > 0 {
			geotest.CheckValidMultiPolygon(t, mp)
		}
		if math.Abs(area-want[gg]) > boundArea*0x1p-30+perim*distTol {
			t.Errorf("group %d: region area %.9g, cells %.9g", gg, area, want[gg])
		}
		total += area
	}
	if math.Abs(total-boundArea) > boundArea*0x1p-30+perim*distTol {
		t.Errorf("region areas sum to %.9g, bound %.9g", total, boundArea)
	}
}

// FuzzTessellate decodes bytes into a small labelled point set (coordinates
// on a coarse lattice, so duplicates, collinear rows and cocircular sets are
// common; optionally tiny perturbations and a projected-metres offset) and
// checks the triangulation and tessellation invariants.
//
//	go test -fuzz=FuzzTessellate ./geo
func FuzzTessellate(f *testing.F) {
	f.Add([]byte{0, 1, 1, 2, 2, 3, 3})
	f.Add([]byte{1, 0, 0, 0, 4, 4, 0, 4, 4, 2, 2})
	f.Add([]byte{2, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4})
	f.Add([]byte{3, 5, 5, 5, 5, 5, 6, 9, 1, 0, 7})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 3 || len(data) > 600 {
			return
		}
		mode := data[0]
		var off orb.Point
		if mode&1 != 0 {
			off = orb.Point{512345.25, 4412345.5}
		}
		var sites []orb.Point
		var unit []int
		for k := 1; k+1 < len(data); k += 2 {
			x, y := float64(data[k]&15), float64(data[k+1]&15)
			if mode&2 != 0 {
				// Perturb by a few ulps of the coordinate magnitude.
				x += float64(data[k]>>4) * 0x1p-44
				y += float64(data[k+1]>>4) * 0x1p-44
			}
			sites = append(sites, orb.Point{off[0] + x, off[1] + y})
			unit = append(unit, int(data[k]>>5))
		}
		tr, err := Delaunay(sites)
		if err != nil {
			t.Fatalf("Delaunay: %v", err)
		}
		checkTriangulation(t, sites, tr, true)
		var bound orb.Ring
		if mode&4 != 0 {
			bound = geotest.Square(off[0]-1, off[1]-1, off[0]+17, off[1]+17)
		}
		ts, err := Tessellate(context.Background(), sites, unit, 8, bound)
		if err != nil {
			t.Fatalf("Tessellate: %v", err)
		}
		checkTessellation(t, ts)
		group := make([]int, 8)
		for u := range group {
			group[u] = (u * int(mode>>3)) % 3
		}
		checkRegions(t, ts, group, 3)
	})
}

// BenchmarkTessellateConcurrent runs one community-sized tessellation
// (about 8,000 footprint sites) per CPU at once, as the planner does,
// with Tessellate's own split and serially.
func BenchmarkTessellateConcurrent(b *testing.B) {
	var sites []orb.Point
	for k := range 400 {
		x, y := 500000+float64(k%20)*25, 4400000+float64(k/20)*30
		sites = append(sites, Sites(orb.Polygon{geotest.Square(x, y, x+12+float64(k%3), y+9)}, 2)...)
	}
	unit, nu := unitsOf(len(sites), 20)
	for _, c := range []struct {
		name string
		f    func(context.Context, []orb.Point, []int, int, orb.Ring) (*Tessellation, error)
	}{{"split", Tessellate}, {"serial", func(ctx context.Context, s []orb.Point, u []int, n int, b orb.Ring) (*Tessellation, error) {
		return tessellate(ctx, s, u, n, b, true)
	}}} {
		b.Run(fmt.Sprintf("%s/n=%d", c.name, len(sites)), func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := c.f(context.Background(), sites, unit, nu, nil); err != nil {
						b.Error(err)
					}
				}
			})
		})
	}
}
