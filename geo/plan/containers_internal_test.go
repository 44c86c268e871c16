package plan

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/geotest"

	"github.com/paulmach/orb"
)

// TestWholeContainers: a footprint holding smaller buildings joins them
// when together, with what stands on any of them, they weigh at most max;
// otherwise it is drawn as a point.
func TestWholeContainers(t *testing.T) {
	for _, tc := range []struct {
		name       string
		group      []int
		holds      [][]int
		weight     []int
		wantGroup  []int
		wantPoints [][]int
	}{
		{"fits", []int{0, 1, 2, 3}, [][]int{nil, {2, 3}, nil, nil}, []int{100, 0, 150, 150}, []int{0, 1, 1, 1}, [][]int{nil, nil, nil, nil}},
		{"exactly max", []int{0, 1, 2}, [][]int{{1, 2}, nil, nil}, []int{0, 250, 250}, []int{0, 0, 0}, [][]int{nil, nil, nil}},
		{"over max", []int{0, 1, 2}, [][]int{{1, 2}, nil, nil}, []int{0, 250, 251}, []int{0, 1, 2}, [][]int{{1, 2}, nil, nil}},
		// Building 3 stands on tower 2 (a unit drawn as a point): its
		// households count too.
		{"stacked on a tower", []int{0, 1, 2, 2}, [][]int{{1, 2}, nil, nil, nil}, []int{0, 200, 200, 200}, []int{0, 1, 2, 2}, [][]int{{1, 2}, nil, nil, nil}},
		// A parcel holding a podium that holds a tower: the podium joins
		// its tower first, then the parcel both.
		{"nested", []int{0, 1, 2}, [][]int{{1, 2}, {2}, nil}, []int{10, 0, 300}, []int{0, 0, 0}, [][]int{nil, nil, nil}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			group, points := wholeContainers(tc.group, tc.holds, tc.weight, 500)
			if !slices.Equal(group, tc.wantGroup) {
				t.Errorf("wholeContainers group = %v, want %v", group, tc.wantGroup)
			}
			for i := range points {
				if !slices.Equal(points[i], tc.wantPoints[i]) {
					t.Errorf("wholeContainers points[%d] = %v, want %v", i, points[i], tc.wantPoints[i])
				}
			}
			if tc.group[0] != 0 || (len(tc.group) > 1 && tc.group[1] != 1) {
				t.Errorf("wholeContainers modified its input group: %v", tc.group)
			}
		})
	}
}

// TestWholeContainersCopies: footprints sharing one list of holds (copies
// of a footprint, geo.Stacked, in one group) are resolved as when each has
// a list of its own.
func TestWholeContainersCopies(t *testing.T) {
	r := geotest.Rand(t)
	for range 200 {
		// Buildings 0..n-1: copies of a few footprints (each copy in its
		// footprint's group, sharing its list), and the buildings they
		// hold, some standing on one another.
		n := 4 + r.IntN(20)
		group, weight := make([]int, n), make([]int, n)
		for i := range group {
			group[i] = i
			weight[i] = r.IntN(300)
			if i > 0 && r.IntN(4) == 0 {
				group[i] = group[r.IntN(i)]
			}
		}
		shared, own := make([][]int, n), make([][]int, n)
		lists := map[int][]int{} // by group: the list its copies share
		for i := range n {
			if r.IntN(2) == 0 {
				continue
			}
			l, ok := lists[group[i]]
			if !ok {
				for j := range n {
					if group[j] != group[i] && r.IntN(3) == 0 {
						l = append(l, j)
					}
				}
				lists[group[i]] = l
			}
			if len(l) > 0 {
				shared[i], own[i] = l, slices.Clone(l)
			}
		}
		wantGroup, wantPoints := wholeContainers(group, own, weight, 500)
		gotGroup, gotPoints := wholeContainers(group, shared, weight, 500)
		if !slices.Equal(gotGroup, wantGroup) || !slices.EqualFunc(gotPoints, wantPoints, slices.Equal) {
			t.Fatalf("group %v, weight %v, holds %v:\nshared lists give group %v, points %v\nown lists give group %v, points %v",
				group, weight, shared, gotGroup, gotPoints, wantGroup, wantPoints)
		}
	}
}

// TestDrawAsPointsCopies: copies of a footprint sharing one list are drawn
// where each would be with a list of its own, also when a building of the
// list is drawn as a point between two of them (a parcel holding a podium
// holding towers).
func TestDrawAsPointsCopies(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) orb.Polygon { return orb.Polygon{geotest.Square(x0, y0, x1, y1)} }
	parcel, podium, tower := sq(0, 0, 100, 100), sq(40, 40, 60, 60), sq(42, 42, 47, 47)
	// The parcel's representative point lies in the podium: it is drawn
	// elsewhere while the podium is a footprint, at that point once the
	// podium is drawn as a point (at its own, off the tower).
	gs := []orb.Geometry{parcel, podium, parcel, tower, parcel}
	inParcel := []int{1, 3}
	points := [][]int{inParcel, {3}, inParcel, nil, inParcel}
	draw := func(points [][]int) []orb.Geometry {
		bs := make([]geo.Building, len(gs))
		for i, g := range gs {
			bs[i].Geometry = g
		}
		drawAsPoints(bs, points)
		out := make([]orb.Geometry, len(bs))
		for i := range bs {
			out[i] = bs[i].Geometry
		}
		return out
	}
	own := make([][]int, len(points))
	for i, l := range points {
		own[i] = slices.Clone(l)
	}
	want, got := draw(own), draw(points)
	for i := range want {
		if !orb.Equal(got[i], want[i]) {
			t.Errorf("building %d drawn as %v with shared lists, %v with its own", i, got[i], want[i])
		}
	}
	// The parcels before and after podium 1 is drawn as a point differ:
	// the check is not vacuous.
	if orb.Equal(want[0], want[2]) || !orb.Equal(want[2], want[4]) {
		t.Errorf("parcels drawn at %v, %v, %v: want the first apart", want[0], want[2], want[4])
	}
}

// TestContainersSize: copies of a podium holding copies of a tower are
// resolved, drawn and warned about with one list of the towers, not one
// for each podium (n podiums holding n towers once took n² entries and
// n² ids formatted).
func TestContainersSize(t *testing.T) {
	const n = 1000
	const d = 40.0 / 111000
	x, y := 113.3, 40.08
	bs := make([]geo.Building, 2*n)
	for i := range bs {
		bs[i] = geo.Building{Index: i, ID: fmt.Sprintf("B%04d", i), Households: 3, Geometry: orb.Polygon{geotest.Square(x, y, x+d, y+d)}}
		if i >= n {
			bs[i].Geometry = orb.Polygon{geotest.Square(x+d/4, y+d/4, x+d/2, y+d/2)}
		}
	}
	group, holds := geo.Stacked(bs)
	o := &Options{}
	o.Max = 500
	var ws []geo.Warning
	warnBytes := geotest.BytesAllocated(func() { ws = stackingWarnings("b.geojson", bs, group, holds, o) })
	if len(ws) != n+2*(n-1) {
		t.Fatalf("%d warnings, want %d container_footprint and %d stacked_building", len(ws), n, 2*(n-1))
	}
	if want := fmt.Sprintf(`"B%04d", "B%04d", "B%04d", and %d more`, n, n+1, n+2, n-3); !strings.Contains(ws[0].Note, want) {
		t.Errorf("warning %q, want the towers listed as %s", ws[0].Note, want)
	}
	weight := make([]int, len(bs))
	for i := range weight {
		weight[i] = 3
	}
	_, points := wholeContainers(group, holds, weight, 500)
	drawBytes := geotest.BytesAllocated(func() { drawAsPoints(bs, points) })
	for i := range n {
		if _, ok := bs[i].Geometry.(orb.Point); !ok {
			t.Fatalf("podium %d drawn as %v, want a point", i, bs[i].Geometry)
		}
	}
	// A warning takes a few hundred bytes; a list of the n towers n·16.
	for what, b := range map[string]uint64{"stackingWarnings": warnBytes, "drawAsPoints": drawBytes} {
		if per := b / uint64(len(bs)); per > 2000 {
			t.Errorf("%s of %d podiums holding %d towers allocated %d bytes, %d a building, want at most 2000", what, n, n, b, per)
		}
	}
}
