package format

import (
	"math"
	"math/rand/v2"
	"testing"

	"gridplan/geo/crs"

	"github.com/paulmach/orb"
)

// TestSplitPiecesBendLittle: an edge of a BD-09 layer (a community
// border 555 m long in Kunming) bends 11 mm a quarter of the way along and
// 8 mm at its middle; split for a parabola of its middle bend, its
// quarters still bent 2–3 mm, and a grid layer splitting a part of it at
// other points met the communities layer in slivers that check found.
// Every piece, sampled along its length, now keeps to the straight line
// between its ends within maxBendM (and a little for sampling between the
// measured middles).
func TestSplitPiecesBendLittle(t *testing.T) {
	for _, tc := range []struct {
		system string
		a, b   orb.Point
	}{
		{"bd09", orb.Point{102.6932604, 25.0396351}, orb.Point{102.6987559, 25.0397337}},
		// 40 m, where BD-09 bends an edge most: 2 mm.
		{"bd09", orb.Point{108.92386, 34.30932}, orb.Point{108.92430, 34.30933}},
		// 16 m in Harbin, 45.75°N: 0.6 mm.
		{"bd09", orb.Point{126.60000, 45.75000}, orb.Point{126.60020, 45.75000}},
		{"gcj02", orb.Point{116.3912, 39.9071}, orb.Point{116.4031, 39.9102}},
		{"EPSG:4527", orb.Point{39500000, 4420000}, orb.Point{39502000, 4420300}},
	} {
		s, err := crs.Parse(tc.system)
		if err != nil {
			t.Fatal(err)
		}
		c := &coords{toLonLat: s.ToLonLat, bend: new(float64), edgeBend: new(float64)}
		c.denseM, c.denseByLat = denseEdgeFor(s)
		line := c.line([]orb.Point{tc.a, tc.b})
		if len(line) < 3 {
			t.Errorf("%s: the edge was not split (bend %.2f mm)", tc.system, 1000**c.edgeBend)
			continue
		}
		// The source point of each converted vertex, by its fraction.
		n := len(line) - 1
		worst := 0.0
		for k := range n {
			for j := 1; j < 10; j++ {
				f := (float64(k) + float64(j)/10) / float64(n)
				p := orb.Point{tc.a[0] + f*(tc.b[0]-tc.a[0]), tc.a[1] + f*(tc.b[1]-tc.a[1])}
				m := s.ToLonLat(p)
				q0, q1 := line[k], line[k+1]
				u := float64(j) / 10
				mx, my := q0[0]+u*(q1[0]-q0[0]), q0[1]+u*(q1[1]-q0[1])
				worst = max(worst, math.Hypot((m[0]-mx)*metresPerDegree*math.Cos(my*math.Pi/180), (m[1]-my)*metresPerDegree))
			}
		}
		if worst > 1.25*maxBendM {
			t.Errorf("%s: %d pieces, one strays %.2f mm from its chord (want at most %.2f mm)", tc.system, n, 1000*worst, 1250*maxBendM)
		}
		if *c.bend > maxBendM || *c.bend < worst/2 {
			t.Errorf("%s: Bend %.3f mm for pieces that stray %.3f mm", tc.system, 1000**c.bend, 1000*worst)
		}
	}
}

// TestSplitEitherWayRound: an edge split as one ring has it and as the
// ring beside it has it, the other way round, gives the same points to
// the bit. Split from each end, the points differed in their last bits,
// and reading a BD-09 communities layer left "sliver" warnings of 0.0 m²
// between communities that meet exactly.
func TestSplitEitherWayRound(t *testing.T) {
	for _, system := range []string{"bd09", "gcj02", "EPSG:4527"} {
		s, err := crs.Parse(system)
		if err != nil {
			t.Fatal(err)
		}
		c := &coords{toLonLat: s.ToLonLat}
		c.denseM, c.denseByLat = denseEdgeFor(s)
		r := rand.New(rand.NewPCG(1, 2))
		split, differ := 0, 0
		for range 300 {
			// Borders 50 m to 1 km long, about Xi'an (or in zone 39).
			a := orb.Point{108.9 + 0.02*r.Float64(), 34.3 + 0.02*r.Float64()}
			b := orb.Point{a[0] + 0.01*(r.Float64()-0.5), a[1] + 0.01*(r.Float64()-0.5)}
			if system == "EPSG:4527" {
				a = orb.Point{39500000 + 2000*r.Float64(), 4420000 + 2000*r.Float64()}
				b = orb.Point{a[0] + 1000*(r.Float64()-0.5), a[1] + 1000*(r.Float64()-0.5)}
			}
			fwd, back := c.line([]orb.Point{a, b}), c.line([]orb.Point{b, a})
			if len(fwd) > 2 {
				split++
			}
			if len(fwd) != len(back) {
				differ++
				continue
			}
			for i := range fwd {
				if fwd[i] != back[len(back)-1-i] {
					differ++
					break
				}
			}
		}
		if split == 0 || differ > 0 {
			t.Errorf("%s: %d of 300 edges split, %d of them to other points the other way round", system, split, differ)
		}
	}
}
