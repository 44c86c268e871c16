package partition

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"
)

var seedFlag = flag.Uint64("seed", 1, "seed of the random problems")

// latticeProblem builds communities of side×side atoms on a lattice with
// four-neighbour adjacency and a mix of weights like a real district's:
// walk-ups, towers, whole compounds, shops and bungalows.
func latticeProblem(seed uint64, communities, side int) Problem {
	rng := rand.New(rand.NewPCG(seed, 7))
	var p Problem
	for c := 0; c < communities; c++ {
		p.Communities = append(p.Communities, fmt.Sprintf("C%03d", c))
		base := len(p.Atoms)
		for i := 0; i < side*side; i++ {
			var w int
			switch r := rng.Float64(); {
			case r < 0.55:
				w = 20 + rng.IntN(60)
			case r < 0.65:
				w = 80 + rng.IntN(170)
			case r < 0.75:
				w = 150 + rng.IntN(330)
			case r < 0.88:
				w = 0
			default:
				w = 1 + rng.IntN(3)
			}
			p.Atoms = append(p.Atoms, Atom{
				Community: c, Weight: w, Compound: -1,
				X: float64(c*side*100 + (i%side)*100), Y: float64((i / side) * 100),
				Name: fmt.Sprintf("atom %d", base+i),
			})
			if i%side > 0 {
				p.Edges = append(p.Edges, Edge{A: base + i - 1, B: base + i, LengthM: 100})
			}
			if i >= side {
				p.Edges = append(p.Edges, Edge{A: base + i - side, B: base + i, LengthM: 100})
			}
		}
	}
	return p
}

func TestSolveLattice(t *testing.T) {
	t.Logf("seed %d (override with -seed)", *seedFlag)
	for _, tc := range []struct{ communities, side int }{{1, 1}, {3, 4}, {20, 8}, {10, 15}} {
		t.Run(fmt.Sprintf("communities=%d,side=%d", tc.communities, tc.side), func(t *testing.T) {
			p := latticeProblem(*seedFlag, tc.communities, tc.side)
			res := checkDeterministic(t, p, Settings{Seed: 1})
			checkPlan(t, p, nil, res)
			in, out := bandShare(res)
			t.Logf("%d grids in band, %d out; diagnoses %d", in, out, len(res.Diagnoses))
		})
	}
}

func bandShare(res *Result) (in, out int) {
	for _, g := range res.Grids {
		if g.Dedicated {
			continue
		}
		if g.Status == OK {
			in++
		} else {
			out++
		}
	}
	return in, out
}
