package geo

import (
	"math"
	"os"
	"strconv"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// seed returns the random seed for property tests: GEO_SEED or 1.
func seed(t *testing.T) uint64 {
	t.Helper()
	s := uint64(1)
	if v := os.Getenv("GEO_SEED"); v != "" {
		var err error
		if s, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("GEO_SEED: %v", err)
		}
	}
	t.Logf("GEO_SEED=%d", s)
	return s
}

func ringOf(xy ...float64) orb.Ring {
	var r orb.Ring
	for i := 0; i+1 < len(xy); i += 2 {
		r = append(r, orb.Point{xy[i], xy[i+1]})
	}
	return append(r, r[0])
}

func TestRingSelfIntersection(t *testing.T) {
	// A comb: a long simple ring (the sweep path) with one tooth bent back
	// across its neighbour when broken is true.
	comb := func(teeth int, broken bool) orb.Ring {
		var r orb.Ring
		for i := range teeth {
			x := float64(i)
			r = append(r, orb.Point{x, 0}, orb.Point{x, 10}, orb.Point{x + 0.5, 10}, orb.Point{x + 0.5, 1})
		}
		if broken {
			r[4*(teeth/2)+2][0] -= 0.75 // crosses the previous tooth
		}
		r = append(r, orb.Point{float64(teeth), 1}, orb.Point{float64(teeth), -1}, orb.Point{0, -1})
		return append(r, r[0])
	}
	for _, c := range []struct {
		name string
		ring orb.Ring
		want bool
	}{
		{"square", ringOf(0, 0, 1, 0, 1, 1, 0, 1), false},
		{"square with collinear vertices", ringOf(0, 0, 0.5, 0, 1, 0, 1, 1, 0, 1), false},
		{"bow tie", ringOf(0, 0, 1, 1, 1, 0, 0, 1), true},
		{"vertex on edge", ringOf(0, 0, 2, 0, 2, 2, 1, 0, 0, 2), true},
		{"repeated vertex", ringOf(0, 0, 2, 0, 1, 1, 2, 2, 0, 2, 1, 1), true},
		{"spike", ringOf(0, 0, 2, 0, 2, 2, 2, 1, 0, 2), true},
		{"spike at last vertex", ringOf(2, 1, 0, 2, 0, 0, 2, 0, 2, 2), true},
		{"spike at first vertex", ringOf(2, 2, 2, 1, 0, 2, 0, 0, 2, 0), true},
		{"collinear closing vertex", ringOf(1, 0, 2, 0, 2, 2, 0, 2, 0, 0), false},
		{"degenerate triangle", ringOf(0, 0, 2, 0, 1, 0), true},
		{"long simple comb", comb(40, false), false},
		{"long broken comb", comb(40, true), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			issue, got := ringSelfIntersection(c.ring)
			if got != c.want {
				t.Errorf("ringSelfIntersection(%v) = %v (%v), want %v", c.ring, got, issue, c.want)
			}
		})
	}
}

func TestRingIsCCW(t *testing.T) {
	sq := ringOf(0, 0, 1, 0, 1, 1, 0, 1)
	if !shape.RingIsCCW(sq) {
		t.Errorf("shape.RingIsCCW(%v) = false", sq)
	}
	sq.Reverse()
	if shape.RingIsCCW(sq) {
		t.Errorf("shape.RingIsCCW(%v) = true", sq)
	}
}

// A community boundary of 20,000 vertices must validate in milliseconds.
func BenchmarkRingSelfIntersection(b *testing.B) {
	const n = 20000
	r := make(orb.Ring, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / n
		rad := 0.01 * (1 + 0.1*math.Sin(37*a))
		r = append(r, orb.Point{113.3 + rad*math.Cos(a), 40.08 + rad*math.Sin(a)})
	}
	r = append(r, r[0])
	for b.Loop() {
		if _, found := ringSelfIntersection(r); found {
			b.Fatal("star ring reported self-intersecting")
		}
	}
}
