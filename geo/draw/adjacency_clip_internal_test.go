package draw

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"gridplan/geo/geotest"
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
)

// adjTolM is the tolerance on compared lengths and areas: both sides are
// computed from the same vertices in a different order, so they differ by
// rounding only (a few ulps of 1e7 m coordinates, times the edge count).
const adjTolM = 1e-6

// tessFootprints tessellates footprints (one unit each) within the bound
// the partition command uses for community.
func tessFootprints(t testing.TB, community orb.MultiPolygon, footprints []orb.Geometry) *tess.Tessellation {
	t.Helper()
	var sites []orb.Point
	var unit []int
	for u, f := range footprints {
		for _, s := range tess.Sites(f, gridSiteSpacingM) {
			sites, unit = append(sites, s), append(unit, u)
		}
	}
	ts, err := tess.Tessellate(context.Background(), sites, unit, len(footprints), CommunityBound(community, sites))
	if err != nil {
		t.Fatalf("tess.Tessellate: %v", err)
	}
	return ts
}

func clippedAdjacency(t testing.TB, ts *tess.Tessellation, community orb.MultiPolygon, cons ...Constraint) ([]tess.UnitEdge, []float64) {
	t.Helper()
	adj, area, err := ClippedUnitAdjacency(context.Background(), ts, community, cons)
	if err != nil {
		t.Fatalf("ClippedUnitAdjacency: %v", err)
	}
	if len(area) != ts.NUnits {
		t.Fatalf("ClippedUnitAdjacency returned %d areas, want %d", len(area), ts.NUnits)
	}
	for i, e := range adj {
		if e.A >= e.B || (i > 0 && (adj[i-1].A > e.A || adj[i-1].A == e.A && adj[i-1].B >= e.B)) {
			t.Fatalf("ClippedUnitAdjacency not sorted with A < B at %d: %v", i, e)
		}
		if !(e.LengthM > 0) {
			t.Errorf("ClippedUnitAdjacency edge %v has no length", e)
		}
	}
	return adj, area
}

func adjMap(adj []tess.UnitEdge) map[[2]int]float64 {
	m := map[[2]int]float64{}
	for _, e := range adj {
		m[[2]int{e.A, e.B}] = e.LengthM
	}
	return m
}

// TestClippedUnitAdjacencyU: two buildings at the tips of a U whose cells
// meet across the notch are neighbours in UnitAdjacency but not once
// clipped, and a grid of the two is two polygons.
func TestClippedUnitAdjacencyU(t *testing.T) {
	for _, off := range []orb.Point{{}, {512345.25, 4412345.5}} {
		t.Run(fmt.Sprintf("off=%v", off), func(t *testing.T) {
			comm := uShape(off)
			fs := []orb.Geometry{
				box(off[0]+82, off[1]+172, 10),  // 0: tip of the left arm
				box(off[0]+208, off[1]+172, 10), // 1: tip of the right arm
				box(off[0]+145, off[1]+15, 10),  // 2: middle of the base
			}
			ts := tessFootprints(t, comm, fs)
			if _, ok := adjMap(ts.UnitAdjacency())[[2]int{0, 1}]; !ok {
				t.Fatalf("UnitAdjacency() = %v: the tips are not neighbours, the case tests nothing", ts.UnitAdjacency())
			}
			adj, area := clippedAdjacency(t, ts, comm)
			m := adjMap(adj)
			if l, ok := m[[2]int{0, 1}]; ok {
				t.Errorf("ClippedUnitAdjacency has the tips as neighbours (%.3f m), want not", l)
			}
			for _, p := range [][2]int{{0, 2}, {1, 2}} {
				if m[p] <= 0 {
					t.Errorf("ClippedUnitAdjacency = %v, want %v neighbours", adj, p)
				}
			}
			sum := 0.0
			for _, a := range area {
				sum += a
			}
			if want := 300.0*200 - 100*140; math.Abs(sum-want) > adjTolM*want {
				t.Errorf("areas sum to %.6f, want the community's %.6f", sum, want)
			}
			grids, err := GridPolygons(context.Background(), ts, []int{0, 0, 1}, 2, comm, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(grids[0]) != 2 || len(grids[1]) != 1 {
				t.Errorf("GridPolygons pieces = %d, %d, want 2, 1 (disconnected in the graph)", len(grids[0]), len(grids[1]))
			}
		})
	}
}

// clipSegmentToBox returns the length of p–q inside the closed box
// (Liang–Barsky).
func clipSegmentToBox(p, q orb.Point, b orb.Bound) float64 {
	t0, t1 := 0.0, 1.0
	d := orb.Point{q[0] - p[0], q[1] - p[1]}
	for k := range 2 {
		for _, s := range [2]struct{ pp, qq float64 }{{-d[k], p[k] - b.Min[k]}, {d[k], b.Max[k] - p[k]}} {
			if s.pp == 0 {
				if s.qq < 0 {
					return 0
				}
				continue
			}
			r := s.qq / s.pp
			if s.pp < 0 {
				t0 = max(t0, r)
			} else {
				t1 = min(t1, r)
			}
		}
	}
	if t1 <= t0 {
		return 0
	}
	return (t1 - t0) * math.Hypot(d[0], d[1])
}

// TestClippedUnitAdjacencyConvex: in a rectangular community the clipped
// adjacency is UnitAdjacency with every cell edge cut to the rectangle,
// computed here independently, edge by edge.
func TestClippedUnitAdjacencyConvex(t *testing.T) {
	for _, off := range []orb.Point{{}, {512345.25, 4412345.5}} {
		t.Run(fmt.Sprintf("off=%v", off), func(t *testing.T) {
			fs, _ := latticeBuildings(6, 5, 20, 9, orb.Point{off[0] + 4, off[1] + 3})
			fs = append(fs,
				orb.Polygon{geotest.Square(off[0]+116, off[1]+40, off[0]+131, off[1]+50)}, // across x = 125
				orb.Polygon{geotest.Square(off[0]+50, off[1]+96, off[0]+58, off[1]+104)},  // across y = 100
			)
			b := orb.Bound{Min: off, Max: orb.Point{off[0] + 125, off[1] + 100}}
			comm := orb.MultiPolygon{{geotest.Square(b.Min[0], b.Min[1], b.Max[0], b.Max[1])}}
			ts := tessFootprints(t, comm, fs)
			want := map[[2]int]float64{}
			for g := range ts.NumGens() {
				u := ts.GenUnit[g]
				if u < 0 {
					continue
				}
				ring, nbr := ts.Cell(g)
				for k, c := range nbr {
					if c < 0 || ts.GenUnit[c] <= u {
						continue
					}
					if l := clipSegmentToBox(ts.Verts[ring[k]], ts.Verts[ring[(k+1)%len(ring)]], b); l > 0 {
						want[[2]int{u, ts.GenUnit[c]}] += l
					}
				}
			}
			adj, area := clippedAdjacency(t, ts, comm)
			got := adjMap(adj)
			unclipped := adjMap(ts.UnitAdjacency())
			for p, l := range got {
				if w, ok := want[p]; !ok || math.Abs(l-w) > adjTolM {
					t.Errorf("ClippedUnitAdjacency %v = %.9f m, want %.9f (present %v)", p, l, w, ok)
				}
				if l > unclipped[p]+adjTolM {
					t.Errorf("ClippedUnitAdjacency %v = %.9f m > unclipped %.9f", p, l, unclipped[p])
				}
			}
			for p, w := range want {
				if _, ok := got[p]; !ok && w > adjTolM {
					t.Errorf("ClippedUnitAdjacency lacks %v (%.9f m inside)", p, w)
				}
			}
			if len(got) == len(unclipped) {
				t.Logf("%d pairs, none cut away by the outline", len(got))
			}
			sum := 0.0
			unitArea := ts.UnitAreaM2()
			for u, a := range area {
				sum += a
				if !(a > 0) || a > unitArea[u]+adjTolM {
					t.Errorf("area[%d] = %.6f, unclipped %.6f", u, a, unitArea[u])
				}
			}
			if math.Abs(sum-125*100) > adjTolM*125*100 {
				t.Errorf("areas sum to %.6f, want %d", sum, 125*100)
			}
		})
	}
}

// TestClippedUnitAdjacencyOutside: a building wholly outside the outline,
// whose cell does not reach in, keeps its unclipped neighbours; a building
// drawn across the outline with most sites outside gets neighbours inside.
func TestClippedUnitAdjacencyOutside(t *testing.T) {
	comm := orb.MultiPolygon{{geotest.Square(0, 0, 100, 100)}}
	var fs []orb.Geometry
	for y := 5.0; y < 100; y += 5 {
		fs = append(fs, orb.Point{99, y}) // a row along x = 100, 1 m inside
	}
	for y := 10.0; y < 100; y += 20 {
		fs = append(fs, box(40, y, 8))
	}
	out := len(fs)
	fs = append(fs, orb.Point{103, 50})                          // outside; cell within x > 100.5
	fs = append(fs, orb.Polygon{geotest.Square(-12, 40, 3, 52)}) // across x = 0, mostly outside
	ts := tessFootprints(t, comm, fs)
	adj, area := clippedAdjacency(t, ts, comm)
	if area[out] != 0 {
		t.Errorf("area of the building outside = %g, want 0", area[out])
	}
	got := adjMap(adj)
	n := 0
	for _, e := range ts.UnitAdjacency() {
		if e.A == out || e.B == out {
			n++
			if l := got[[2]int{e.A, e.B}]; l != e.LengthM {
				t.Errorf("ClippedUnitAdjacency %v = %g, want unclipped %g", [2]int{e.A, e.B}, l, e.LengthM)
			}
		}
	}
	if n == 0 {
		t.Errorf("building outside has no unclipped neighbours: the case tests nothing")
	}
	across := out + 1
	nb := 0
	for _, e := range adj {
		if e.A == across || e.B == across {
			nb++
		}
	}
	if nb == 0 || !(area[across] > 0) {
		t.Errorf("building across the outline: %d neighbours, area %g; want some", nb, area[across])
	}
}

// starCase is a random star-shaped community around c with rectangular
// footprints on a jittered lattice, some drawn across the outline.
func starCase(r *rand.Rand, c orb.Point) (orb.MultiPolygon, []orb.Geometry) {
	var ring orb.Ring
	nv := 5 + r.IntN(14)
	for i := range nv {
		a := 2 * math.Pi * float64(i) / float64(nv)
		rad := 40 + r.Float64()*110
		ring = append(ring, orb.Point{c[0] + rad*math.Cos(a), c[1] + rad*math.Sin(a)})
	}
	ring = append(ring, ring[0])
	step := 12 + r.Float64()*10
	var fs []orb.Geometry
	for y := -150.0; y < 150; y += step {
		for x := -150.0; x < 150; x += step {
			p := orb.Point{c[0] + x + r.Float64()*3, c[1] + y + r.Float64()*3}
			w, h := 4+r.Float64()*6, 4+r.Float64()*6
			if r.IntN(8) == 0 {
				w, h = w*2.5, h*2.5 // large: more likely drawn across
			}
			fp := orb.Polygon{geotest.Square(p[0], p[1], p[0]+w, p[1]+h)}
			if shape.PolygonCovers(orb.Polygon{ring}, shape.RepresentativePoint(fp)) {
				fs = append(fs, fp)
			}
		}
	}
	return orb.MultiPolygon{{ring}}, fs
}

// TestClippedUnitAdjacencyRandom checks, on random star-shaped communities,
// that ClippedUnitAdjacency agrees with the unit polygons GridPolygons
// traces (shared edges matched coordinate for coordinate, from both sides),
// and that for random labellings a grid connected in the graph is one
// polygon and a disconnected one is not (exactly where no unit's cell is cut
// in pieces; otherwise at most one polygon plus the stray pieces). It runs
// without constraints and with every footprint a constraint of its unit
// (and grid), as the partition command draws them.
func TestClippedUnitAdjacencyRandom(t *testing.T) {
	for _, withFootprints := range []bool{false, true} {
		t.Run(fmt.Sprintf("footprints=%v", withFootprints), func(t *testing.T) {
			testClippedUnitAdjacencyRandom(t, withFootprints)
		})
	}
}

func testClippedUnitAdjacencyRandom(t *testing.T, withFootprints bool) {
	r := geotest.Rand(t)
	n := 30
	if testing.Short() {
		n = 8
	}
	far := orb.Point{512345.25, 4412345.5}
	var split, disconnected, connected, strayUnits int
	for i := range n {
		comm, fs := starCase(r, orb.Point{far[0] + 150, far[1] + 150})
		if len(fs) < 2 {
			continue
		}
		t.Run(fmt.Sprintf("%d", i), func(t *testing.T) {
			ts := tessFootprints(t, comm, fs)
			nu := len(fs)
			ident := make([]int, nu)
			for u := range ident {
				ident[u] = u
			}
			consFor := func(group []int) []Constraint {
				if !withFootprints {
					return nil
				}
				return FootprintConstraints(fs, group)
			}
			adj, area := clippedAdjacency(t, ts, comm, consFor(ident)...)
			if adj2, area2, _ := ClippedUnitAdjacency(context.Background(), ts, comm, consFor(ident)); !slices.Equal(adj, adj2) || !slices.Equal(area, area2) {
				t.Errorf("ClippedUnitAdjacency differs between two calls")
			}
			units, err := GridPolygons(context.Background(), ts, ident, nu, comm, consFor(ident))
			if err != nil {
				t.Fatal(err)
			}
			// Areas.
			sum := 0.0
			for u, mp := range units {
				sum += area[u]
				pa := 0.0
				for _, poly := range mp {
					for _, rr := range poly {
						pa += shape.RingArea(rr[:len(rr)-1])
					}
				}
				if math.Abs(pa-area[u]) > adjTolM {
					t.Errorf("area[%d] = %.9f, unit polygon %.9f", u, area[u], pa)
				}
			}
			ca := shape.RingArea(comm[0][0][:len(comm[0][0])-1])
			if math.Abs(sum-ca) > 1e-9*ca {
				t.Errorf("areas sum to %.9f, community %.9f", sum, ca)
			}
			// Shared lengths from the unit polygons, from both sides.
			owner := map[[2]orb.Point]int{}
			for u, mp := range units {
				for _, poly := range mp {
					for _, rr := range poly {
						for k := 0; k+1 < len(rr); k++ {
							owner[[2]orb.Point{rr[k], rr[k+1]}] = u
						}
					}
				}
			}
			side := map[[2]int]float64{} // length of u's boundary against v
			for key, u := range owner {
				if v, ok := owner[[2]orb.Point{key[1], key[0]}]; ok && v != u {
					side[[2]int{u, v}] += math.Hypot(key[1][0]-key[0][0], key[1][1]-key[0][1])
				}
			}
			multi := make([]bool, nu)
			for u, mp := range units {
				if len(mp) > 1 {
					multi[u] = true
					strayUnits++
				}
			}
			got := adjMap(adj)
			unclipped := adjMap(ts.UnitAdjacency())
			for p, l := range side {
				if p[0] > p[1] {
					continue
				}
				if m := side[[2]int{p[1], p[0]}]; math.Abs(l-m) > adjTolM {
					t.Errorf("shared length %v = %.9f from one side, %.9f from the other", p, l, m)
				}
				if !multi[p[0]] && !multi[p[1]] {
					if g := got[p]; math.Abs(g-l) > adjTolM {
						t.Errorf("ClippedUnitAdjacency %v = %.9f, unit polygons share %.9f", p, g, l)
					}
				}
			}
			for p, l := range got {
				if withFootprints && (area[p[0]] == 0 || area[p[1]] == 0) {
					continue // a footprint under an earlier one: unclipped fallback
				}
				// Footprint outlines may be longer than the Voronoi edges
				// they replace: the unclipped length bounds only cells.
				if l > side[p]+adjTolM || (!withFootprints && l > unclipped[p]+adjTolM) {
					t.Errorf("ClippedUnitAdjacency %v = %.9f > polygons' %.9f or unclipped %.9f", p, l, side[p], unclipped[p])
				}
			}

			// Labellings: random, and grown over the graph from random seeds.
			nbrs := make([][]int, nu)
			for _, e := range adj {
				if area[e.A] > 0 && area[e.B] > 0 {
					nbrs[e.A] = append(nbrs[e.A], e.B)
					nbrs[e.B] = append(nbrs[e.B], e.A)
				}
			}
			for trial := range 12 {
				ng := 2 + r.IntN(8)
				group := make([]int, nu)
				if trial%2 == 0 {
					for u := range group {
						group[u] = r.IntN(ng)
					}
				} else {
					for u := range group {
						group[u] = -1
					}
					var queue []int
					for g := range ng {
						s := r.IntN(nu)
						if group[s] < 0 {
							group[s] = g
							queue = append(queue, s)
						}
					}
					for len(queue) > 0 {
						k := r.IntN(len(queue))
						u := queue[k]
						queue = slices.Delete(queue, k, k+1)
						for _, v := range nbrs[u] {
							if group[v] < 0 {
								group[v] = group[u]
								queue = append(queue, v)
							}
						}
					}
				}
				grids, err := GridPolygons(context.Background(), ts, group, ng, comm, consFor(group))
				if err != nil {
					t.Fatal(err)
				}
				for g := range ng {
					var members []int
					stray, anyMulti := 0, false
					for u := range nu {
						if group[u] == g && area[u] > 0 {
							members = append(members, u)
							stray += len(units[u]) - 1
							anyMulti = anyMulti || multi[u]
						}
					}
					if len(members) == 0 {
						if len(grids[g]) != 0 {
							t.Errorf("trial %d grid %d: no area, %d polygons", trial, g, len(grids[g]))
						}
						continue
					}
					conn := groupConnected(members, group, nbrs)
					pieces := len(grids[g])
					switch {
					case conn && !anyMulti && pieces != 1:
						t.Errorf("trial %d grid %d: connected in the graph, %d polygons", trial, g, pieces)
					case !conn && !anyMulti && pieces == 1:
						t.Errorf("trial %d grid %d: disconnected in the graph, one polygon", trial, g)
					case conn && pieces > 1+stray:
						t.Errorf("trial %d grid %d: connected, %d polygons, more than 1 + %d stray pieces", trial, g, pieces, stray)
					}
					if conn {
						connected++
					} else {
						disconnected++
					}
					if pieces > 1 {
						split++
					}
				}
			}
		})
	}
	t.Logf("grids: %d connected, %d disconnected, %d in several polygons; %d units whose cell the outline cuts in pieces",
		connected, disconnected, split, strayUnits)
	if connected == 0 || disconnected == 0 {
		t.Errorf("labellings exercised %d connected and %d disconnected grids, want both", connected, disconnected)
	}
}

// groupConnected reports whether members (all in one group) form a
// connected subgraph.
func groupConnected(members, group []int, nbrs [][]int) bool {
	g := group[members[0]]
	seen := map[int]bool{members[0]: true}
	stack := []int{members[0]}
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, v := range nbrs[u] {
			if group[v] == g && !seen[v] {
				seen[v] = true
				stack = append(stack, v)
			}
		}
	}
	return len(seen) == len(members)
}

// TestClippedUnitAdjacencyErrors: a nil community is UnitAdjacency; a
// community beyond the bound or with NaN is refused.
func TestClippedUnitAdjacencyErrors(t *testing.T) {
	fs, _ := latticeBuildings(3, 3, 20, 10, orb.Point{5, 5})
	comm := orb.MultiPolygon{{geotest.Square(0, 0, 60, 60)}}
	ts := tessFootprints(t, comm, fs)
	adj, area, err := ClippedUnitAdjacency(context.Background(), ts, nil, nil)
	if err != nil || !slices.Equal(adj, ts.UnitAdjacency()) || !slices.Equal(area, ts.UnitAreaM2()) {
		t.Errorf("ClippedUnitAdjacency(nil) = %v, %v, %v; want UnitAdjacency, UnitAreaM2", adj, area, err)
	}
	if _, _, err := ClippedUnitAdjacency(context.Background(), ts, orb.MultiPolygon{{geotest.Square(-100, -100, 100, 100)}}, nil); !errors.Is(err, ErrCommunityOutsideBound) {
		t.Errorf("ClippedUnitAdjacency(community beyond the bound) error = %v, want %v", err, ErrCommunityOutsideBound)
	}
	if _, _, err := ClippedUnitAdjacency(context.Background(), ts, orb.MultiPolygon{{{{0, 0}, {math.NaN(), 1}, {1, 1}, {0, 0}}}}, nil); !errors.Is(err, tess.ErrNonFinite) {
		t.Errorf("ClippedUnitAdjacency(NaN community) error = %v, want %v", err, tess.ErrNonFinite)
	}
}

// BenchmarkClippedUnitAdjacency times ClippedUnitAdjacency against
// UnitAdjacency on one concave community (tessellation built before the
// timer) and reports the extrapolation to the 400 communities of the
// 60,000-building city on GOMAXPROCS cores.
func BenchmarkClippedUnitAdjacency(b *testing.B) {
	for _, n := range []int{150, 600} { // about 200 and 800 buildings
		c := benchCommunity(n, 1)
		ts := tessFootprints(b, c.community, c.footprints)
		b.Run(fmt.Sprintf("buildings=%d", len(c.footprints)), func(b *testing.B) {
			b.ReportAllocs()
			start := time.Now()
			var adj []tess.UnitEdge
			for b.Loop() {
				var err error
				if adj, _, err = ClippedUnitAdjacency(context.Background(), ts, c.community, nil); err != nil {
					b.Fatal(err)
				}
			}
			per := time.Since(start).Seconds() / float64(b.N)
			b.ReportMetric(per*400/float64(runtime.GOMAXPROCS(0)), "city-s")
			b.ReportMetric(float64(len(adj)), "edges")
		})
		b.Run(fmt.Sprintf("unclipped/buildings=%d", len(c.footprints)), func(b *testing.B) {
			b.ReportAllocs()
			var adj []tess.UnitEdge
			for b.Loop() {
				adj = ts.UnitAdjacency()
			}
			b.ReportMetric(float64(len(adj)), "edges")
		})
	}
}
