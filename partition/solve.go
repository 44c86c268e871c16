package partition

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
)

// Solve builds a plan for p. Every atom is placed in exactly one grid, grids
// never cross communities, and every grid is connected in the atom graph. Grids
// are in the band wherever the search finds a plan that allows it; the others
// carry a Reason. The result depends only on p and the settings other than
// Workers and Progress.
//
// Once ctx is done the search stops within milliseconds, in every step, and
// Solve returns ctx.Err() and no result. The context is only read: a run
// that is not cancelled gives the same result with any context.
func Solve(ctx context.Context, p Problem, s *Settings) (*Result, error) {
	return solve(ctx, p, s, nil)
}

// solve is Solve, or Repartition when prev is not nil.
func solve(ctx context.Context, p Problem, s *Settings, prev *Previous) (*Result, error) {
	set, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	if err := prev.validate(&p); err != nil {
		return nil, err
	}
	var counts []int
	if prev != nil {
		counts = prev.counts()
	}
	members := make([][]int, len(p.Communities))
	for i, a := range p.Atoms {
		members[a.Community] = append(members[a.Community], i)
	}
	adj := buildAdjacency(p)

	results := make([]communityResult, len(p.Communities))
	workers := set.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				c := int(next.Add(1) - 1)
				if c >= len(p.Communities) || ctx.Err() != nil {
					return
				}
				r, ok := solveCommunity(ctx, &p, adj, c, members[c], &set, prev, counts)
				if !ok {
					return // ctx is done
				}
				results[c] = r
				n := done.Add(1)
				if set.Progress != nil {
					set.Progress(int(n), len(p.Communities))
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	res := &Result{AtomGrid: make([]int, len(p.Atoms))}
	for c := range results {
		r := &results[c]
		for _, g := range r.grids {
			for _, a := range g.Atoms {
				res.AtomGrid[a] = len(res.Grids)
			}
			res.Grids = append(res.Grids, g)
		}
		res.Diagnoses = append(res.Diagnoses, r.diagnoses...)
	}
	if prev != nil {
		res.Kept = prev.kept(&p, res)
	}
	return res, nil
}

// solveCommunity plans community c, whose atoms are members, and reports
// false if ctx was done first. One random stream per community: the plan of
// a community never depends on which goroutine solved it, in what order, or
// which other communities the problem holds.
func solveCommunity(ctx context.Context, p *Problem, adj [][]neighbour, c int, members []int, set *Settings, prev *Previous, counts []int) (communityResult, bool) {
	rng := rand.New(rand.NewPCG(set.Seed, uint64(c)+0x9e3779b97f4a7c15))
	cs := newCommunitySolver(p, adj, c, members, set, rng)
	cs.prev = newLocalPrevious(prev, cs.global, counts)
	cs.ctx = ctx
	return cs.solveUnlessStopped()
}

// SolveCommunity plans community c alone: p holds the atoms of c only
// (Communities and Compounds may list others), numbered as the caller
// likes, and the edges between them. The plan is the one [Solve] makes of
// community c in a problem of every community, with atoms renumbered
// alike; a caller can so plan a city community by community, freeing each
// as it is done, with Workers and Progress ignored. A done ctx stops it as
// it stops Solve.
func SolveCommunity(ctx context.Context, p Problem, c int, s *Settings) (*Result, error) {
	set, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	if c < 0 || c >= len(p.Communities) {
		return nil, fmt.Errorf("%w: community %d out of range", ErrProblem, c)
	}
	members := make([]int, len(p.Atoms))
	for i, a := range p.Atoms {
		if a.Community != c {
			return nil, fmt.Errorf("%w: atom %d: community %d, not %d", ErrProblem, i, a.Community, c)
		}
		members[i] = i
	}
	r, ok := solveCommunity(ctx, &p, buildAdjacency(p), c, members, &set, nil, nil)
	if !ok {
		return nil, ctx.Err()
	}
	res := &Result{Grids: r.grids, Diagnoses: r.diagnoses, AtomGrid: make([]int, len(p.Atoms))}
	for g, grid := range r.grids {
		for _, a := range grid.Atoms {
			res.AtomGrid[a] = g
		}
	}
	return res, nil
}

func (p *Problem) validate() error {
	for i, a := range p.Atoms {
		switch {
		case a.Community < 0 || a.Community >= len(p.Communities):
			return fmt.Errorf("%w: atom %d: community %d out of range", ErrProblem, i, a.Community)
		case a.Weight < 0:
			return fmt.Errorf("%w: atom %d: negative weight", ErrProblem, i)
		case a.Compound < -1 || a.Compound >= len(p.Compounds):
			return fmt.Errorf("%w: atom %d: compound %d out of range", ErrProblem, i, a.Compound)
		}
	}
	for i, e := range p.Edges {
		if e.A < 0 || e.B < 0 || e.A >= len(p.Atoms) || e.B >= len(p.Atoms) {
			return fmt.Errorf("%w: edge %d: atom out of range", ErrProblem, i)
		}
		if p.Atoms[e.A].Community != p.Atoms[e.B].Community {
			return fmt.Errorf("%w: edge %d joins atoms %d and %d of different communities", ErrProblem, i, e.A, e.B)
		}
	}
	return nil
}

// neighbour is one entry of an atom's adjacency list.
type neighbour struct {
	atom    int
	lengthM float64
	barrier bool
}

// buildAdjacency merges parallel edges and drops loops; lists are sorted by
// atom so traversal order is deterministic.
func buildAdjacency(p Problem) [][]neighbour {
	adj := make([][]neighbour, len(p.Atoms))
	for _, e := range p.Edges {
		if e.A == e.B {
			continue
		}
		adj[e.A] = append(adj[e.A], neighbour{e.B, e.LengthM, e.Barrier})
		adj[e.B] = append(adj[e.B], neighbour{e.A, e.LengthM, e.Barrier})
	}
	for i, l := range adj {
		sort.Slice(l, func(x, y int) bool { return l[x].atom < l[y].atom })
		out := l[:0]
		for _, n := range l {
			if len(out) > 0 && out[len(out)-1].atom == n.atom {
				out[len(out)-1].lengthM += n.lengthM
				out[len(out)-1].barrier = out[len(out)-1].barrier || n.barrier
				continue
			}
			out = append(out, n)
		}
		adj[i] = out
	}
	return adj
}
