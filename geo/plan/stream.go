package plan

import (
	"context"
	"fmt"
	"sort"
	"sync/atomic"
	"time"

	"gridplan/geo/draw"
	"gridplan/geo/internal/parallel"
	"gridplan/partition"

	"github.com/paulmach/orb"
)

// planCommunities plans every community of d in one go each: tessellation,
// adjacency, search and drawing, then its tessellation is freed, so that
// memory holds the tessellations of the communities in flight (one per
// CPU) rather than of the whole city. The largest communities start first,
// so that the last to finish is a small one. Each community's plan is the
// one partition.Solve makes of it in the whole problem
// (partition.SolveCommunity), and the results are assembled in community
// order: the plan does not depend on the number of threads.
// Each community done is reported to the run's progress.
func (d *district) planCommunities(ctx context.Context, set *partition.Settings) (*partition.Result, *gridShapes, error) {
	atomsOf := make([][]int, len(d.communities))
	for a, at := range d.problem.Atoms {
		atomsOf[at.Community] = append(atomsOf[at.Community], a)
	}
	local := make([]int, len(d.problem.Atoms)) // an atom's index in its community
	for _, atoms := range atomsOf {
		for i, a := range atoms {
			local[a] = i
		}
	}
	order := make([]int, len(d.communities))
	for c := range order {
		order[c] = c
	}
	sort.SliceStable(order, func(i, j int) bool { return len(d.members[order[i]]) > len(d.members[order[j]]) })

	plans := make([]communityPlan, len(d.communities))
	errs := make([]error, len(d.communities))
	var done atomic.Int64
	progress := progressOf(ctx)
	progress.report(phasePlanning, 0, len(order), unitCommunities)
	if err := parallel.EachChunkContext(ctx, len(order), 1, func(k int) {
		c := order[k]
		if len(atomsOf[c]) > 0 {
			plans[c], errs[c] = d.planCommunity(ctx, c, atomsOf[c], local, set)
		}
		progress.report(phasePlanning, int(done.Add(1)), len(order), unitCommunities)
	}); err != nil {
		return nil, nil, err
	}
	res := &partition.Result{AtomGrid: make([]int, len(d.problem.Atoms))}
	for c := range plans {
		if errs[c] != nil {
			if ctx.Err() != nil {
				return nil, nil, ctx.Err()
			}
			return nil, nil, fmt.Errorf("community %q: %w", d.communities[c], errs[c])
		}
		p := &plans[c]
		if p.res == nil {
			continue
		}
		for a, g := range p.res.AtomGrid {
			res.AtomGrid[atomsOf[c][a]] = len(res.Grids) + g
		}
		res.Grids = append(res.Grids, p.res.Grids...)
		res.Diagnoses = append(res.Diagnoses, p.res.Diagnoses...)
	}
	gs := &gridShapes{
		polygons: make([]orb.MultiPolygon, len(res.Grids)),
		written:  make([]orb.MultiPolygon, len(res.Grids)),
		invalid:  make([]error, len(res.Grids)),
		coverage: make([]draw.Coverage, len(d.communities)),
		tolM2:    make([]float64, len(d.communities)),
	}
	lo := 0
	for c := range plans {
		if p := &plans[c]; p.res != nil {
			gs.set(c, lo, p.shapes)
			lo += len(p.res.Grids)
		}
	}
	return res, gs, nil
}

// A communityPlan is the plan of one community: its result, atoms numbered
// as in the community's list and grids' atoms as in the district, and its
// grid polygons.
type communityPlan struct {
	res    *partition.Result
	shapes communityShapes
}

// planCommunity plans community c, whose atoms (ascending) are atoms;
// local[a] is atom a's index among them.
func (d *district) planCommunity(ctx context.Context, c int, atoms []int, local []int, set *partition.Settings) (communityPlan, error) {
	p := partition.Problem{Communities: d.problem.Communities, Compounds: d.problem.Compounds, Atoms: make([]partition.Atom, len(atoms))}
	for i, a := range atoms {
		p.Atoms[i] = d.problem.Atoms[a]
	}
	members := d.members[c]
	timing := TimingOf(ctx)
	start := time.Now()
	var cc communityCells
	if len(members) > 0 {
		edges, cells, err := d.communityEdges(ctx, c, members)
		if err != nil {
			return communityPlan{}, err
		}
		cc = cells
		p.Edges = edges
		for i := range p.Edges {
			e := &p.Edges[i]
			e.A, e.B = local[e.A], local[e.B]
		}
	}
	timing.add(phaseTessellate, time.Since(start))
	start = time.Now()
	res, err := partition.SolveCommunity(ctx, p, c, set)
	if err != nil {
		return communityPlan{}, err
	}
	timing.add(phaseSearch, time.Since(start))
	start = time.Now()
	for i := range res.Grids {
		g := &res.Grids[i]
		for k, a := range g.Atoms {
			g.Atoms[k] = atoms[a]
		}
	}
	group := make([]int, len(members))
	for u, i := range members {
		group[u] = res.AtomGrid[local[d.atomOf[i]]]
	}
	shapes, err := d.drawCommunity(ctx, c, cc, group, len(res.Grids), nil)
	if err != nil {
		return communityPlan{}, err
	}
	// The grids are traced copies: the next community's tessellation and
	// index of cells take over this one's storage.
	cc.release()
	timing.add(phaseDrawing, time.Since(start))
	return communityPlan{res: res, shapes: shapes}, nil
}
