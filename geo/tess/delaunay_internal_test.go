package tess

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gridplan/geo/geotest"
	"gridplan/geo/internal/robust"

	"github.com/paulmach/orb"
)

type delaunayCase struct {
	name      string
	pts       []orb.Point
	wantUniq  int  // distinct points expected, or -1 to skip
	wantTris  int  // triangles expected, or -1 to skip
	checkFull bool // check the empty-circle property on every triangle
}

func delaunayCases(t *testing.T) []delaunayCase {
	r := geotest.Rand(t)
	far := orb.Point{512345.25, 4412345.5}
	row := geotest.Lattice(20, 1, 1, orb.Point{})
	diag := make([]orb.Point, 30)
	for i := range diag {
		diag[i] = orb.Point{far[0] + float64(i)*0.5, far[1] + float64(i)*0.25}
	}
	near := geotest.Lattice(10, 10, 1, orb.Point{})
	for i := range 10 {
		near = append(near, orb.Point{near[i*7][0] + 1e-9, near[i*7][1]})
	}
	dups := geotest.Lattice(5, 5, 2, orb.Point{})
	dups = append(dups, dups...)
	dups = append(dups, dups[3], dups[3])
	circle := make([]orb.Point, 64)
	for i := range circle {
		a := 2 * math.Pi * float64(i) / 64
		circle[i] = orb.Point{100 * math.Cos(a), 100 * math.Sin(a)}
	}
	circle = append(circle, orb.Point{0, 0})
	return []delaunayCase{
		{"empty", nil, 0, 0, true},
		{"one", []orb.Point{{3, 4}}, 1, 0, true},
		{"two", []orb.Point{{3, 4}, {5, 6}}, 2, 0, true},
		{"two dup", []orb.Point{{3, 4}, {3, 4}}, 1, 0, true},
		{"three", []orb.Point{{0, 0}, {1, 0}, {0, 1}}, 3, 1, true},
		{"three cw", []orb.Point{{0, 0}, {0, 1}, {1, 0}}, 3, 1, true},
		{"three collinear", []orb.Point{{0, 0}, {2, 2}, {1, 1}}, 3, 0, true},
		{"collinear row", row, 20, 0, true},
		{"collinear diagonal far", diag, 30, 0, true},
		{"collinear plus one", append(geotest.Lattice(10, 1, 1, orb.Point{}), orb.Point{4.5, 1}), 11, 9, true},
		{"lattice 50x50", geotest.Lattice(50, 50, 1, orb.Point{}), 2500, 2 * 49 * 49, true},
		{"lattice far", geotest.Lattice(40, 30, 0.5, far), 1200, 2 * 39 * 29, true},
		{"lattice 0.1", geotest.Lattice(30, 30, 0.1, orb.Point{}), 900, 2 * 29 * 29, true},
		{"near duplicates", near, 100, 2 * 9 * 9, true},
		{"exact duplicates", dups, 25, 2 * 4 * 4, true},
		{"cocircular", circle, 65, 64, true},
		{"random 1000", geotest.RandomPoints(r, 1000, 1000, orb.Point{}), 1000, -1, true},
		{"random far", geotest.RandomPoints(r, 2000, 3000, far), 2000, -1, true},
		{"random tiny grid", randomGrid(r, 3000), -1, -1, true},
	}
}

// randomGrid picks points on a coarse integer grid, so many are duplicates,
// collinear or cocircular.
func randomGrid(r *rand.Rand, n int) []orb.Point {
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{float64(r.IntN(40)), float64(r.IntN(40))}
	}
	return pts
}

func TestDelaunay(t *testing.T) {
	for _, c := range delaunayCases(t) {
		t.Run(c.name, func(t *testing.T) {
			tr, err := Delaunay(c.pts)
			if err != nil {
				t.Fatalf("Delaunay(%s) error: %v", c.name, err)
			}
			if c.wantUniq >= 0 && len(tr.Points) != c.wantUniq {
				t.Errorf("Delaunay(%s): %d points, want %d", c.name, len(tr.Points), c.wantUniq)
			}
			if c.wantTris >= 0 && len(tr.Triangles)/3 != c.wantTris {
				t.Errorf("Delaunay(%s): %d triangles, want %d", c.name, len(tr.Triangles)/3, c.wantTris)
			}
			checkTriangulation(t, c.pts, tr, c.checkFull)
		})
	}
}

// checkTriangulation checks the invariants of a triangulation: the vertex
// map, counter-clockwise triangles, consistent twins, every point used, the
// triangle count from Euler's formula and (if full) the empty-circle property
// against every point, with exact predicates.
func checkTriangulation(t *testing.T, in []orb.Point, tr *Triangulation, full bool) {
	t.Helper()
	if len(tr.Vertex) != len(in) {
		t.Fatalf("len(Vertex) = %d, want %d", len(tr.Vertex), len(in))
	}
	for i, v := range tr.Vertex {
		if v < 0 || v >= len(tr.Points) {
			t.Fatalf("Vertex[%d] = %d out of range", i, v)
		}
		p := tr.Points[v]
		if d := math.Hypot(p[0]-in[i][0], p[1]-in[i][1]); d > 4*tr.MergeTolM {
			t.Errorf("input %d %v mapped to %v, %g m away (tolerance %g)", i, in[i], p, d, tr.MergeTolM)
		}
	}
	for a := range tr.Points {
		for _, b := range []int{a + 1} {
			if b < len(tr.Points) && tr.Points[a] == tr.Points[b] {
				t.Errorf("points %d and %d are equal", a, b)
			}
		}
	}
	pt := func(i int32) (float64, float64) { p := tr.Points[i]; return p[0], p[1] }
	used := make([]bool, len(tr.Points))
	nt := len(tr.Triangles) / 3
	for k := range nt {
		a, b, c := tr.Triangles[3*k], tr.Triangles[3*k+1], tr.Triangles[3*k+2]
		ax, ay := pt(a)
		bx, by := pt(b)
		cx, cy := pt(c)
		if o := robust.OrientXY(ax, ay, bx, by, cx, cy); o <= 0 {
			t.Errorf("triangle %d (%d %d %d) has orientation %d, want +1", k, a, b, c, o)
		}
		used[a], used[b], used[c] = true, true, true
	}
	for e, o := range tr.Halfedges {
		if o < 0 {
			continue
		}
		if tr.Halfedges[o] != int32(e) {
			t.Fatalf("Halfedges[Halfedges[%d]] = %d", e, tr.Halfedges[o])
		}
		if tr.Triangles[e] != tr.Triangles[nextHalfedge(o)] || tr.Triangles[o] != tr.Triangles[nextHalfedge(int32(e))] {
			t.Fatalf("half-edge %d and its twin %d do not join the same points", e, o)
		}
	}
	if nt == 0 {
		for _, v := range tr.Hull {
			used[v] = true
		}
		if len(tr.Hull) != len(tr.Points) {
			t.Errorf("no triangles, but hull has %d of %d points", len(tr.Hull), len(tr.Points))
		}
		for k := 2; k < len(tr.Hull); k++ {
			ax, ay := pt(int32(tr.Hull[k-2]))
			bx, by := pt(int32(tr.Hull[k-1]))
			cx, cy := pt(int32(tr.Hull[k]))
			if robust.OrientXY(ax, ay, bx, by, cx, cy) != 0 {
				t.Errorf("no triangles, but hull points %d..%d are not collinear", k-2, k)
			}
		}
		if got, want := len(tr.Edges()), max(len(tr.Points)-1, 0); got != want {
			t.Errorf("Edges() of a collinear set has %d edges, want %d", got, want)
		}
	} else {
		hullEdges := 0
		for _, o := range tr.Halfedges {
			if o < 0 {
				hullEdges++
			}
		}
		// Euler: a triangulation of n points with h boundary edges has
		// 2n - h - 2 triangles.
		if want := 2*len(tr.Points) - hullEdges - 2; nt != want {
			t.Errorf("%d triangles, want 2n-h-2 = %d (hull edges %d)", nt, want, hullEdges)
		}
	}
	for i, u := range used {
		if !u {
			t.Errorf("point %d %v is in no triangle", i, tr.Points[i])
		}
	}
	if !full || nt == 0 {
		return
	}
	for k := range nt {
		a, b, c := tr.Triangles[3*k], tr.Triangles[3*k+1], tr.Triangles[3*k+2]
		ax, ay := pt(a)
		bx, by := pt(b)
		cx, cy := pt(c)
		for p := range tr.Points {
			px, py := pt(int32(p))
			if robust.InCircle(ax, ay, bx, by, cx, cy, px, py) > 0 {
				t.Fatalf("point %d %v inside the circumcircle of triangle %d", p, tr.Points[p], k)
			}
		}
	}
}

func TestDelaunayNonFinite(t *testing.T) {
	for _, p := range []orb.Point{{math.NaN(), 0}, {0, math.Inf(1)}} {
		if _, err := Delaunay([]orb.Point{{0, 0}, p}); err == nil {
			t.Errorf("Delaunay(%v) succeeded, want ErrNonFinite", p)
		}
	}
}

// TestDelaunayShuffledOrder feeds the sweep an order in which points are not
// sorted by distance, so many land inside the hull and take the insertion
// path.
func TestDelaunayShuffledOrder(t *testing.T) {
	r := geotest.Rand(t)
	for _, pts := range [][]orb.Point{geotest.RandomPoints(r, 500, 100, orb.Point{}), geotest.Lattice(15, 15, 1, orb.Point{})} {
		coords := make([]float64, 2*len(pts))
		for i, p := range pts {
			coords[2*i], coords[2*i+1] = p[0], p[1]
		}
		d := newSweep(coords)
		d.runOrder = func(keys []sortKey) {
			// Swap neighbours at random: the order is then only roughly
			// by distance.
			for k := 4; k+1 < len(keys); k += 2 {
				if r.IntN(2) == 0 {
					keys[k], keys[k+1] = keys[k+1], keys[k]
				}
			}
			for k := 4; k+7 < len(keys); k += 8 {
				keys[k], keys[k+7] = keys[k+7], keys[k]
			}
		}
		ids := make([]int32, len(pts))
		for i := range ids {
			ids[i] = int32(i)
		}
		d.run(context.Background(), ids)
		tr := &Triangulation{Points: pts, Vertex: make([]int, len(pts)), Triangles: d.triangles, Halfedges: d.halfedges}
		for i := range tr.Vertex {
			tr.Vertex[i] = i
		}
		checkTriangulation(t, pts, tr, true)
	}
}

func BenchmarkDelaunay(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{10_000, 100_000, 1_200_000} {
		// Uniform points in a square of about 0.3 m² per point, offset to
		// projected magnitudes.
		side := math.Sqrt(float64(n) * 0.3)
		pts := geotest.RandomPoints(r, n, side, orb.Point{500000, 4400000})
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tr, err := Delaunay(pts)
				if err != nil || len(tr.Triangles) == 0 {
					b.Fatal(err)
				}
			}
		})
	}
}
