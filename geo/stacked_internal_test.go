package geo

import (
	"fmt"
	"testing"

	"gridplan/geo/geotest"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

func TestStacked(t *testing.T) {
	sq := func(x, y, d float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}
	}
	const m = 1.0 / 111000 // about a metre in degrees of latitude
	x, y := 113.3, 40.08
	for _, tc := range []struct {
		name  string
		gs    []orb.Geometry
		comm  []string // community of each building; "" for all
		want  string
		holds string // "" for none
	}{
		{"apart", []orb.Geometry{sq(x, y, 20*m), sq(x+40*m, y, 20*m)}, nil, "[0 1]", ""},
		{"sharing a wall", []orb.Geometry{sq(x, y, 20*m), sq(x+20*m, y, 20*m)}, nil, "[0 1]", ""},
		{"digitised twice", []orb.Geometry{sq(x, y, 20*m), sq(x+40*m, y, 20*m), sq(x, y, 20*m)}, nil, "[0 1 0]", ""},
		{"a copy a little smaller inside", []orb.Geometry{sq(x+40*m, y, 5*m), sq(x, y, 20*m), sq(x+1*m, y+1*m, 18*m)}, nil, "[0 1 1]", ""},
		{"a tower on a podium", []orb.Geometry{sq(x+40*m, y, 5*m), sq(x, y, 20*m), sq(x+5*m, y+5*m, 5*m)}, nil, "[0 1 2]", "[[] [2] []]"},
		{"a tower in the middle of a podium", []orb.Geometry{sq(x, y, 20*m), sq(x+8*m, y+8*m, 4*m)}, nil, "[0 1]", "[[1] []]"},
		{"a tower across a podium's edge", []orb.Geometry{sq(x, y, 40*m), sq(x+30*m, y+10*m, 15*m)}, nil, "[0 1]", "[[1] []]"},
		{"inside a multipolygon", []orb.Geometry{orb.MultiPolygon{sq(x+40*m, y, 20*m), sq(x, y, 20*m)}, orb.Point{x + 10*m, y + 10*m}}, nil, "[0 0]", ""},
		{"point on an outline", []orb.Geometry{orb.Point{x + 20*m + 0.001*m, y + 10*m}, sq(x, y, 20*m)}, nil, "[0 0]", ""},
		{"points at one spot", []orb.Geometry{orb.Point{x, y}, orb.Point{x + 1e-9, y}, orb.Point{x + m, y}}, nil, "[0 0 2]", ""},
		{"a chain", []orb.Geometry{orb.Point{x + 50*m, y}, sq(x, y, 20*m), orb.Point{x + 50*m, y}, orb.Point{x + 5*m, y + 5*m}}, nil, "[0 1 0 1]", ""},
		{"other community", []orb.Geometry{sq(x, y, 20*m), sq(x, y, 20*m)}, []string{"A", "B"}, "[0 1]", ""},
		{"overlapping by a third", []orb.Geometry{sq(x, y, 20*m), sq(x+40*m, y, 20*m), sq(x+14*m, y, 20*m)}, nil, "[0 1 0]", ""},
		{"a wall digitised 10 cm over", []orb.Geometry{sq(x, y, 20*m), sq(x+19.9*m, y, 20*m)}, nil, "[0 1]", ""},
		{"an L inside another's bounds", []orb.Geometry{
			orb.Polygon{{{x, y}, {x + 20*m, y}, {x + 20*m, y + 5*m}, {x + 5*m, y + 5*m}, {x + 5*m, y + 20*m}, {x, y + 20*m}, {x, y}}},
			sq(x+8*m, y+8*m, 10*m)}, nil, "[0 1]", ""},
		{"no geometry", []orb.Geometry{nil, sq(x, y, 20*m)}, nil, "[0 1]", ""},
		{"copies of a podium and of its tower", []orb.Geometry{sq(x, y, 20*m), sq(x+5*m, y+5*m, 5*m), sq(x, y, 20*m), sq(x+5*m, y+5*m, 5*m)}, nil, "[0 1 0 1]", "[[1 3] [] [1 3] []]"},
		{"copies of a point on an outline", []orb.Geometry{orb.Point{x + 20*m, y + 10*m}, sq(x+40*m, y, 5*m), orb.Point{x + 20*m, y + 10*m}, sq(x, y, 20*m)}, nil, "[0 1 0 0]", ""},
		{"copies in other communities", []orb.Geometry{orb.Point{x, y}, orb.Point{x, y}, orb.Point{x, y}, sq(x, y, 20*m), sq(x, y, 20*m)}, []string{"A", "B", "A", "A", "B"}, "[0 1 0 0 1]", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bs := make([]Building, len(tc.gs))
			for i, g := range tc.gs {
				bs[i] = Building{Index: i, ID: fmt.Sprint(i), Geometry: g}
				if tc.comm != nil {
					bs[i].Community = tc.comm[i]
				}
			}
			group, holds := Stacked(bs)
			if got := fmt.Sprint(group); got != tc.want {
				t.Errorf("Stacked = %s, want %s", got, tc.want)
			}
			want := tc.holds
			if want == "" {
				want = fmt.Sprint(make([][]int, len(bs)))
			}
			if got := fmt.Sprint(holds); got != want {
				t.Errorf("holds = %s, want %s", got, want)
			}
		})
	}
}

// TestPointOutside: a podium is drawn at a point outside the towers on it.
func TestPointOutside(t *testing.T) {
	podium := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}
	tower := orb.Polygon{{{3, 3}, {7, 3}, {7, 7}, {3, 7}, {3, 3}}}
	corner := orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}}
	for _, tc := range []struct {
		name   string
		others []orb.Geometry
		want   orb.Point
	}{
		{"nothing on it", nil, shape.RepresentativePoint(podium)},
		{"a tower in the middle", []orb.Geometry{tower}, orb.Point{0, 0}},
		{"a tower in a corner", []orb.Geometry{corner}, shape.RepresentativePoint(podium)},
	} {
		if got := PointOutside(podium, tc.others); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// sameSpot returns n buildings of one community, each drawn as g.
func sameSpot(n int, g orb.Geometry) []Building {
	bs := make([]Building, n)
	for i := range bs {
		bs[i] = Building{Index: i, ID: fmt.Sprint(i), Geometry: g, Households: 3}
	}
	return bs
}

// jittered returns n buildings of one community at points within 5 mm of p.
func jittered(n int, p orb.Point) []Building {
	bs := sameSpot(n, p)
	for i := range bs {
		bs[i].Geometry = orb.Point{p[0] + float64(i%61)*1e-9, p[1] + float64(i%67)*6e-10}
	}
	return bs
}

// TestStackedSize: buildings at one spot are grouped without comparing
// every pair, so what Stacked allocates grows linearly with their number
// (each of n points once listed the n others; each pair of n footprints
// cost an overlay).
func TestStackedSize(t *testing.T) {
	const m = 1.0 / 111000
	x, y := 113.3, 40.08
	square := orb.Polygon{geotest.Square(x, y, x+20*m, y+20*m)}
	for _, tc := range []struct {
		name string
		bs   []Building
	}{
		{"points", sameSpot(4000, orb.Point{x, y})},
		{"points a few millimetres apart", jittered(4000, orb.Point{x, y})},
		{"footprints", sameSpot(300, square)},
		{"points on footprints", append(sameSpot(300, square), sameSpot(3000, orb.Point{x + 10*m, y + 10*m})...)},
	} {
		var group []int
		bytes := geotest.BytesAllocated(func() { group, _ = Stacked(tc.bs) })
		for i, g := range group {
			if g != 0 {
				t.Fatalf("%s: building %d in group %d, want all in group 0", tc.name, i, g)
			}
		}
		// About 300 bytes a building are needed; n² entries take n·8
		// bytes a building and more.
		if per := bytes / uint64(len(tc.bs)); per > 2000 {
			t.Errorf("%s: Stacked of %d buildings at one spot allocated %d bytes, %d a building, want at most 2000", tc.name, len(tc.bs), bytes, per)
		}
	}
}

// TestStackedCopiesShareHolds: copies of a podium holding copies of a tower
// share one list of the towers, not one each.
func TestStackedCopiesShareHolds(t *testing.T) {
	const m = 1.0 / 111000
	x, y := 113.3, 40.08
	const n = 300
	bs := append(sameSpot(n, orb.Polygon{geotest.Square(x, y, x+40*m, y+40*m)}), sameSpot(n, orb.Polygon{geotest.Square(x+10*m, y+10*m, x+20*m, y+20*m)})...)
	for i := range bs {
		bs[i].Index, bs[i].ID = i, fmt.Sprint(i)
	}
	group, holds := Stacked(bs)
	stored := map[*int]int{} // backing array of each list: its length
	for i := range bs {
		podium := i < n
		if want := map[bool]int{true: 0, false: n}[podium]; group[i] != want {
			t.Fatalf("building %d in group %d, want %d", i, group[i], want)
		}
		if !podium {
			if len(holds[i]) != 0 {
				t.Fatalf("tower %d holds %v, want nothing", i, holds[i])
			}
			continue
		}
		if len(holds[i]) != n || holds[i][0] != n || holds[i][n-1] != 2*n-1 {
			t.Fatalf("podium %d holds %d buildings (%v ...), want the %d towers", i, len(holds[i]), holds[i][:min(3, len(holds[i]))], n)
		}
		stored[&holds[i][0]] = len(holds[i])
	}
	total := 0
	for _, l := range stored {
		total += l
	}
	if total > n {
		t.Errorf("holds store %d entries in %d lists for %d podiums holding %d towers, want one list of %d", total, len(stored), n, n, n)
	}
}

// TestJoinNearPoints: points are joined as by trying every pair, crowded
// at one spot, along a line a little closer than the tolerance, on cell
// boundaries and in several communities.
func TestJoinNearPoints(t *testing.T) {
	r := geotest.Rand(t)
	dLon, dLat := degreesFor(StackTolM, 40.08)
	for trial := range 100 {
		var bs []Building
		add := func(x, y float64) {
			bs = append(bs, Building{Index: len(bs), Community: fmt.Sprint(r.IntN(2)), Geometry: orb.Point{x, y}})
		}
		x0, y0 := 113.3+r.Float64()*1e-3, 40.08+r.Float64()*1e-3
		for range r.IntN(40) { // a crowd
			add(x0+r.Float64()*dLon*3, y0+r.Float64()*dLat*3)
		}
		for k := range r.IntN(10) { // a line, each within the tolerance of the last or just beyond
			add(x0+float64(k)*dLon*(0.9+0.2*r.Float64()), y0-5*dLat)
		}
		for range r.IntN(10) { // copies and neighbours on a tolerance's edge
			if len(bs) > 0 {
				p := bs[r.IntN(len(bs))].Geometry.(orb.Point)
				add(p[0]+float64(r.IntN(3)-1)*dLon, p[1]+float64(r.IntN(3)-1)*dLat)
			}
		}
		group := make([]int, len(bs))
		want := make([]int, len(bs))
		for i := range group {
			group[i], want[i] = i, i
		}
		uf := func(g []int) (func(int) int, func(a, b int)) {
			find := func(i int) int {
				for g[i] != i {
					i = g[i]
				}
				return i
			}
			return find, func(a, b int) {
				ra, rb := find(a), find(b)
				g[max(ra, rb)] = min(ra, rb)
			}
		}
		find, union := uf(group)
		first := make([]int, len(bs))
		for i := range first {
			first[i] = i
		}
		joinNearPoints(bs, first, find, union)
		wfind, wunion := uf(want)
		for j := range bs {
			p := bs[j].Geometry.(orb.Point)
			dl, dt := degreesFor(StackTolM, p[1])
			for i := range bs {
				if i != j && bs[i].Community == bs[j].Community && standsOn(p, bs[i].Geometry, true, dl, dt) {
					wunion(i, j)
				}
			}
		}
		for i := range bs {
			if find(i) != wfind(i) {
				t.Fatalf("trial %d: point %d %v in group %d, want %d (every pair tried)", trial, i, bs[i].Geometry, find(i), wfind(i))
			}
		}
	}
}
