package draw

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// segBoxDist is the distance between segment p–q and the box lo–hi.
func segBoxDist(p, q orb.Point, lo, hi [2]float64) float64 {
	in := func(v orb.Point) bool { return v[0] >= lo[0] && v[0] <= hi[0] && v[1] >= lo[1] && v[1] <= hi[1] }
	if in(p) || in(q) {
		return 0
	}
	corners := [4]orb.Point{{lo[0], lo[1]}, {hi[0], lo[1]}, {hi[0], hi[1]}, {lo[0], hi[1]}}
	d := math.Inf(1)
	for k := range 4 {
		a, b := corners[k], corners[(k+1)%4]
		if robust.SegmentsMeet(p, q, a, b) {
			return 0
		}
		d = min(d, shape.PointSegmentDist(p, a, b), shape.PointSegmentDist(q, a, b),
			shape.PointSegmentDist(a, p, q), shape.PointSegmentDist(b, p, q))
	}
	return d
}

// TestSegGridNear checks the segment index against testing every
// segment: meets returns, ascending and once each, only segments whose
// widened box meets the query box, and among them every segment within w
// of it; on short and long segments, diagonal, axis-parallel and points,
// with queries inside, across and outside the indexed area. Each index is
// made in the storage of the one before (reuse), of another size.
func TestSegGridNear(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var spare *squareIndex
	for trial := range 60 {
		n := 1 + r.IntN(400)
		w := []float64{0, 1e-9, 0.01, 0.5}[trial%4]
		scale := []float64{1, 100, 3000}[trial%3]
		ox, oy := r.Float64()*1e5, r.Float64()*1e5
		segs := make([][2]orb.Point, n)
		for i := range segs {
			p := orb.Point{ox + r.Float64()*scale, oy + r.Float64()*scale}
			var d orb.Point
			switch r.IntN(5) {
			case 0: // long diagonal, as outline edges
				d = orb.Point{(r.Float64() - 0.5) * scale, (r.Float64() - 0.5) * scale}
			case 1:
				d = orb.Point{(r.Float64() - 0.5) * scale / 4, 0}
			case 2:
				d = orb.Point{0, (r.Float64() - 0.5) * scale / 4}
			case 3: // a point
			default:
				d = orb.Point{(r.Float64() - 0.5) * scale / 50, (r.Float64() - 0.5) * scale / 50}
			}
			segs[i] = [2]orb.Point{p, {p[0] + d[0], p[1] + d[1]}}
		}
		g := newSegGrid(spare, n, func(i int) (orb.Point, orb.Point) { return segs[i][0], segs[i][1] }, w)
		spare = g
		for range 300 {
			c := orb.Point{ox - scale/4 + r.Float64()*scale*1.5, oy - scale/4 + r.Float64()*scale*1.5}
			e := r.Float64() * scale / 20
			if r.IntN(4) == 0 {
				e = 0 // a point
			}
			lo, hi := [2]float64{c[0] - e*r.Float64(), c[1] - e*r.Float64()}, [2]float64{c[0] + e, c[1] + e}
			got := slices.Clone(g.meets(lo, hi))
			if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
				t.Fatalf("trial %d: meets %v not ascending and distinct", trial, got)
			}
			for i, s := range segs {
				blo, bhi := segBox(s[0], s[1])
				boxMeets := blo[0]-w <= hi[0] && blo[1]-w <= hi[1] && lo[0] <= bhi[0]+w && lo[1] <= bhi[1]+w
				_, found := slices.BinarySearch(got, int32(i))
				if found && !boxMeets {
					t.Fatalf("trial %d: segment %d %v returned, its box does not meet %v %v", trial, i, s, lo, hi)
				}
				if !found && segBoxDist(s[0], s[1], lo, hi) <= w {
					t.Fatalf("trial %d: segment %d %v within %g of box %v %v not returned", trial, i, s, w, lo, hi)
				}
			}
		}
	}
	if got := newSegGrid(nil, 0, nil, 1).meets([2]float64{0, 0}, [2]float64{1, 1}); len(got) != 0 {
		t.Fatalf("empty index returned %v", got)
	}
}

// TestSegGridBounded: long segments among many short ones (outline edges
// across a community of footprints), or all crossing one another, keep the
// index within maxEntriesPerItem filings a segment and
// maxSquaresPerItem squares, and meets still finds every segment within
// w.
func TestSegGridBounded(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for _, longShare := range []float64{0.01, 0.5, 1} {
		n := 3000
		segs := make([][2]orb.Point, n)
		for i := range segs {
			p := orb.Point{r.Float64() * 5000, r.Float64() * 5000}
			d := orb.Point{r.Float64() * 2, r.Float64() * 2}
			if r.Float64() < longShare {
				d = orb.Point{(r.Float64() - 0.5) * 10000, (r.Float64() - 0.5) * 10000}
			}
			segs[i] = [2]orb.Point{p, {p[0] + d[0], p[1] + d[1]}}
		}
		g := newSegGrid(nil, n, func(i int) (orb.Point, orb.Point) { return segs[i][0], segs[i][1] }, 0.01)
		if len(g.items) > maxEntriesPerItem*n+1024 || len(g.start) > maxSquaresPerItem*n+18 {
			t.Fatalf("long share %g: %d filings in %d squares for %d segments", longShare, len(g.items), len(g.start)-1, n)
		}
		for range 200 {
			c := orb.Point{r.Float64() * 5000, r.Float64() * 5000}
			lo, hi := [2]float64{c[0], c[1]}, [2]float64{c[0] + 3, c[1] + 3}
			got := g.meets(lo, hi)
			for i, s := range segs {
				if _, found := slices.BinarySearch(got, int32(i)); !found && segBoxDist(s[0], s[1], lo, hi) <= 0.01 {
					t.Fatalf("long share %g: segment %d within 0.01 of %v %v not returned", longShare, i, lo, hi)
				}
			}
		}
	}
}

// TestBoxGrid holds meets and at to testing every box: boxes of mixed
// sizes (one spanning everything), points and empty boxes among them,
// queried with boxes and points inside, across and outside.
func TestBoxGrid(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 8))
	var spare *squareIndex
	for trial := range 40 {
		n := 1 + r.IntN(300)
		boxes := make([][4]float64, n)
		for i := range boxes {
			x, y := r.Float64()*1000, r.Float64()*1000
			w, h := r.Float64()*20, r.Float64()*20
			switch r.IntN(10) {
			case 0:
				w, h = 0, 0 // a point
			case 1:
				w, h = -1, 5 // empty
			case 2:
				x, y, w, h = -10, -10, 1020, 1020 // everything
			}
			boxes[i] = [4]float64{x, y, x + w, y + h}
		}
		g := newBoxGrid(spare, boxes) // in the storage of the last trial's
		spare = g
		meet := func(b [4]float64, lo, hi [2]float64) bool {
			return b[0] <= b[2] && b[1] <= b[3] && b[0] <= hi[0] && b[1] <= hi[1] && lo[0] <= b[2] && lo[1] <= b[3]
		}
		for q := range 300 {
			c := [2]float64{r.Float64()*1100 - 50, r.Float64()*1100 - 50}
			if q%5 == 0 && n > 0 { // a box's corner: touching counts
				b := boxes[r.IntN(n)]
				c = [2]float64{b[2], b[3]}
			}
			e := r.Float64() * 30
			lo, hi := c, [2]float64{c[0] + e, c[1] + e}
			var want []int32
			for i, b := range boxes {
				if meet(b, lo, hi) {
					want = append(want, int32(i))
				}
			}
			if got := g.meets(lo, hi); !slices.Equal(got, want) {
				t.Fatalf("trial %d: meets(%v, %v) = %v, want %v", trial, lo, hi, got, want)
			}
			want = want[:0]
			for i, b := range boxes {
				if meet(b, c, c) {
					want = append(want, int32(i))
				}
			}
			var got []int32
			g.at(orb.Point{c[0], c[1]}, func(i int32) { got = append(got, i) })
			if !slices.Equal(got, want) {
				t.Fatalf("trial %d: at(%v) = %v, want %v", trial, c, got, want)
			}
		}
	}
	var g *squareIndex
	if got := g.meets([2]float64{0, 0}, [2]float64{1, 1}); len(got) != 0 {
		t.Fatal("a nil index found boxes")
	}
}
