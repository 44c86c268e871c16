package partition

import (
	"fmt"
	"math/rand/v2"
)

// The problems the tests plan. They are exported, in this test file only,
// so that the black-box tests in partition_test build the same ones.

// LatticeProblem builds communities of side×side atoms on a lattice with
// four-neighbour adjacency and a mix of weights like a real district's:
// walk-ups, towers, whole compounds, shops and bungalows.
func LatticeProblem(seed uint64, communities, side int) Problem {
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

// PathProblem builds one community whose atoms have the given weights and
// are joined in a path, in order, 100 m apart.
func PathProblem(weights ...int) Problem {
	p := Problem{Communities: []string{"C1"}}
	for i, w := range weights {
		p.Atoms = append(p.Atoms, Atom{Weight: w, X: float64(100 * i), Compound: -1, Name: fmt.Sprintf("building %q", fmt.Sprint("B", i))})
		if i > 0 {
			p.Edges = append(p.Edges, Edge{A: i - 1, B: i, LengthM: 10})
		}
	}
	return p
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
