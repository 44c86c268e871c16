package shape

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// PointIndex gives the ids a map[orb.Point]int32 gives, growing from its
// zero value and from a small size alike.
func TestPointIndexMatchesMap(t *testing.T) {
	for _, start := range []int{-1, 0, 3, 1000} {
		rng := rand.New(rand.NewPCG(1, uint64(start+2)))
		var ix PointIndex
		if start >= 0 {
			ix = NewPointIndex(start)
		}
		var pts []orb.Point
		ref := map[orb.Point]int32{}
		vid := func(p orb.Point) int32 {
			v, slot := ix.Find(pts, p)
			if v >= 0 {
				return v
			}
			v = int32(len(pts))
			pts = append(pts, p)
			ix.Add(pts, v, slot)
			return v
		}
		refVid := func(p orb.Point) int32 {
			if v, ok := ref[p]; ok {
				return v
			}
			v := int32(len(ref))
			ref[p] = v
			return v
		}
		special := []float64{0, math.Copysign(0, -1), 1, -1, 1e-300}
		for i := range 5000 {
			var p orb.Point
			switch rng.IntN(3) {
			case 0:
				p = orb.Point{special[rng.IntN(len(special))], special[rng.IntN(len(special))]}
			case 1:
				p = orb.Point{float64(rng.IntN(40)), float64(rng.IntN(40))}
			default:
				p = orb.Point{rng.Float64(), rng.Float64()}
			}
			if got, want := vid(p), refVid(p); got != want {
				t.Fatalf("start %d, point %d %v: id %d, map gives %d", start, i, p, got, want)
			}
		}
	}
	// A NaN equals nothing, itself included: a new id each time.
	var ix PointIndex
	var pts []orb.Point
	nan := orb.Point{math.NaN(), 0}
	for i := range 3 {
		v, slot := ix.Find(pts, nan)
		if v >= 0 {
			t.Fatalf("NaN found as %d", v)
		}
		pts = append(pts, nan)
		ix.Add(pts, int32(i), slot)
	}
}

// TestPointIndexIntern interns points with repeats (0 and -0 among them)
// and checks each gets the index of its first appearance, as a map would
// give it.
func TestPointIndexIntern(t *testing.T) {
	ix := NewPointIndex(2)
	var pts []orb.Point
	first := map[orb.Point]int32{}
	for i := range 500 {
		p := orb.Point{float64(i % 37), float64(i % 11)}
		if i%5 == 0 {
			p[0] = math.Copysign(0, -1)
		}
		want, seen := first[p]
		if !seen {
			want = int32(len(first))
			first[p] = want
		}
		if got := ix.Intern(&pts, p); got != want {
			t.Fatalf("point %d %v: index %d, want %d", i, p, got, want)
		}
	}
	if len(pts) != len(first) {
		t.Fatalf("%d points kept, want %d", len(pts), len(first))
	}
}
