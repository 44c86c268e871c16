package draw

import (
	"context"
	"math/rand/v2"
	"testing"

	"gridplan/geo/internal/robust"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
)

// TestCellLocatorGen holds gen to trying every cell in turn: the lowest
// generator whose closed cell holds the point, or -1. The sites are a
// dense cluster beside a sparse scatter, so that many cells are big
// (spanning several buckets) and gen asks their R-tree, and the points
// include cell vertices, where several cells meet.
func TestCellLocatorGen(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for trial := range 6 {
		var sites []orb.Point
		for range 1000 {
			sites = append(sites, orb.Point{r.Float64() * 20, r.Float64() * 20})
		}
		for range 30 + trial {
			sites = append(sites, orb.Point{r.Float64() * 3000, r.Float64() * 3000})
		}
		unit := make([]int, len(sites))
		for i := range unit {
			unit[i] = i
		}
		ts, err := tess.Tessellate(context.Background(), sites, unit, len(sites), nil)
		if err != nil {
			t.Fatal(err)
		}
		l := newCellLocator(ts)
		if len(l.big) <= bigScanMax {
			t.Fatalf("trial %d: only %d big cells; the R-tree path is not tried", trial, len(l.big))
		}
		want := func(p orb.Point) int32 {
			for g := range ts.NumGens() {
				ring, _ := ts.Cell(g)
				if len(ring) < 3 {
					continue
				}
				in := true
				for k := range ring {
					a, b := ts.Verts[ring[k]], ts.Verts[ring[(k+1)%len(ring)]]
					if robust.OrientXY(a[0], a[1], b[0], b[1], p[0], p[1]) < 0 {
						in = false
						break
					}
				}
				if in {
					return int32(g)
				}
			}
			return -1
		}
		var probes []orb.Point
		for range 400 {
			probes = append(probes, orb.Point{r.Float64()*3200 - 100, r.Float64()*3200 - 100})
		}
		for k := 0; k < len(ts.Verts); k += 7 {
			probes = append(probes, ts.Verts[k])
		}
		for _, p := range probes {
			if got, w := l.gen(p), want(p); got != w {
				// Bucketed cells are tried before big ones, so on an edge
				// between the two kinds either may answer; both must hold p.
				if got < 0 || w < 0 || l.isBig(got) == l.isBig(w) {
					t.Fatalf("trial %d: gen(%v) = %d, trying every cell gives %d", trial, p, got, w)
				}
			}
		}
	}
}

func (l *cellLocator) isBig(g int32) bool {
	for _, b := range l.big {
		if b == g {
			return true
		}
	}
	return false
}
