package partition

import (
	"context"
	"fmt"
	"math"
	"sort"
)

// Previous is an earlier plan, for [Repartition]. The caller numbers the
// earlier grids 0, 1, 2, ... in any order.
type Previous struct {
	// Grid[a] is the earlier grid of atom a, or -1 if it had none (or its
	// buildings lay in several). For a new atom (New[a]) it is the earlier
	// grid whose area the atom lies in, or -1: the grid it should join.
	Grid []int
	// New marks atoms that did not exist in the earlier plan; nil means
	// none did.
	New []bool
	// Broken marks earlier grids that cannot be kept whatever their total,
	// for instance because a compound they shared with another grid is now
	// one indivisible atom. Grids beyond its length are not broken.
	Broken []bool
}

// Repartition plans p with the least change from an earlier plan (SPEC §6,
// repartition). An earlier grid all of whose atoms still lie in one
// community, which is connected, not broken and in band (counting the new
// atoms that join it) is kept as it is. The atoms of the other earlier grids,
// and new atoms that no kept grid can take, are planned afresh, piece by
// piece, with the kept grids around them fixed. A piece that cannot be
// planned in band alone first tries to move atoms across its boundary with
// one neighbouring grid, then a redraw with one neighbour, the smallest
// that works; failing both it takes in the neighbour that came closest and
// tries again, so changes spread one grid at a time, as far as needed and
// no further. Where no plan in band is found, the earlier plan (or the kept
// grids with only the others redrawn) stays unless a new plan lowers the
// total violation by more than Min/20 households. [Result.Kept] says which
// earlier grid each grid keeps. The hard rules and the band are those of
// [Solve], and so is what a done ctx does.
func Repartition(ctx context.Context, p Problem, prev Previous, s *Settings) (*Result, error) {
	return solve(ctx, p, s, &prev)
}

func (pv *Previous) validate(p *Problem) error {
	if pv == nil {
		return nil
	}
	if len(pv.Grid) != len(p.Atoms) {
		return fmt.Errorf("%w: previous plan has %d atoms, problem %d", ErrProblem, len(pv.Grid), len(p.Atoms))
	}
	if pv.New != nil && len(pv.New) != len(p.Atoms) {
		return fmt.Errorf("%w: previous plan marks %d atoms new, problem has %d", ErrProblem, len(pv.New), len(p.Atoms))
	}
	for a, g := range pv.Grid {
		if g < -1 {
			return fmt.Errorf("%w: atom %d: previous grid %d", ErrProblem, a, g)
		}
	}
	return nil
}

func (pv *Previous) isNew(a int) bool { return pv.New != nil && pv.New[a] }

func (pv *Previous) broken(g int) bool { return g >= 0 && g < len(pv.Broken) && pv.Broken[g] }

// counts returns the number of earlier (not new) atoms of each earlier grid.
func (pv *Previous) counts() []int {
	n := 0
	for _, g := range pv.Grid {
		n = max(n, g+1)
	}
	c := make([]int, n)
	for a, g := range pv.Grid {
		if g >= 0 && !pv.isNew(a) {
			c[g]++
		}
	}
	return c
}

// kept finds, for each grid of res, the earlier grid whose earlier atoms are
// exactly the grid's earlier atoms.
func (pv *Previous) kept(p *Problem, res *Result) []int {
	count := pv.counts()
	kept := make([]int, len(res.Grids))
	for gi, g := range res.Grids {
		kept[gi] = -1
		id, n := -1, 0
		for _, a := range g.Atoms {
			if pv.isNew(a) {
				continue
			}
			if pv.Grid[a] < 0 || id >= 0 && pv.Grid[a] != id {
				id = -2
				break
			}
			id = pv.Grid[a]
			n++
		}
		if id >= 0 && n == count[id] && !pv.broken(id) {
			kept[gi] = id
		}
	}
	return kept
}

// localPrevious is the earlier plan seen by one community's solver.
type localPrevious struct {
	pv    *Previous
	grid  []int // earlier grid of each node
	isNew []bool
	count []int // earlier atoms of each earlier grid, in the whole problem
}

// newLocalPrevious returns the earlier plan pv of the atoms global (a
// community's, in local numbering), nil if pv is nil.
func newLocalPrevious(pv *Previous, global, count []int) *localPrevious {
	if pv == nil {
		return nil
	}
	lp := &localPrevious{pv: pv, grid: make([]int, len(global)), isNew: make([]bool, len(global)), count: count}
	for i, a := range global {
		lp.grid[i] = pv.Grid[a]
		lp.isNew[i] = pv.isNew(a)
	}
	return lp
}

// earlierGrids groups the earlier nodes of comp by earlier grid and returns
// the groups that are intact: every earlier atom of the grid lies in comp,
// the grid is not broken, and the group is connected, by itself or with the
// new atoms that lie in the grid's area. Groups are ordered by their first
// node.
func (cs *communitySolver) earlierGrids(comp []int) (groups [][]int, ids []int) {
	lp := cs.prev
	byGrid := map[int][]int{}
	for _, v := range comp {
		if g := lp.grid[v]; !lp.isNew[v] && g >= 0 {
			byGrid[g] = append(byGrid[g], v)
		}
	}
	var joining map[int][]int // new atoms by the earlier grid they lie in
	for g, nodes := range byGrid {
		if len(nodes) != lp.count[g] || lp.pv.broken(g) {
			continue
		}
		if !cs.connected(nodes) {
			// A new building may stand between the parts of a grid (its
			// cell parts them): with the new buildings inside it the
			// grid may be whole again.
			if joining == nil {
				joining = map[int][]int{}
				for _, v := range comp {
					if lp.isNew[v] && lp.grid[v] >= 0 {
						joining[lp.grid[v]] = append(joining[lp.grid[v]], v)
					}
				}
			}
			if len(joining[g]) == 0 {
				continue
			}
			nodes = append(append([]int(nil), nodes...), joining[g]...)
			sort.Ints(nodes)
			if !cs.connected(nodes) {
				continue
			}
		}
		groups = append(groups, nodes)
		ids = append(ids, g)
	}
	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return groups[order[a]][0] < groups[order[b]][0] })
	sg, si := make([][]int, len(groups)), make([]int, len(groups))
	for i, o := range order {
		sg[i], si[i] = groups[o], ids[o]
	}
	return sg, si
}

// previousPlan returns the earlier plan of comp if every node of comp lies
// in an intact earlier grid or is a new atom that joins one (its own earlier
// grid's if adjacent, else any adjacent one); ok is false otherwise.
func (cs *communitySolver) previousPlan(comp []int) (parts [][]int, ok bool) {
	groups, ids := cs.earlierGrids(comp)
	owner := make(map[int]int, len(comp))
	for i, g := range groups {
		for _, v := range g {
			owner[v] = i
		}
	}
	pending := 0
	for _, v := range comp {
		if _, in := owner[v]; !in {
			if !cs.prev.isNew[v] {
				return nil, false
			}
			pending++
		}
	}
	for pending > 0 {
		progress := false
		for _, v := range comp {
			if _, in := owner[v]; in {
				continue
			}
			best := -1
			for _, u := range cs.adj[v] {
				i, in := owner[int(u)]
				if !in {
					continue
				}
				if ids[i] == cs.prev.grid[v] {
					best = i
					break
				}
				if best < 0 {
					best = i
				}
			}
			if best >= 0 {
				owner[v] = best
				groups[best] = append(groups[best], v)
				pending--
				progress = true
			}
		}
		if !progress {
			return nil, false
		}
	}
	for _, g := range groups {
		sort.Ints(g)
	}
	return groups, true
}

func (cs *communitySolver) totalViolation(parts [][]int) int {
	v := 0
	for _, p := range parts {
		v += cs.violation(cs.sum(p), 1)
	}
	return v
}

// resolveInfeasible plans a component whose total admits no whole number of
// grids in band: the earlier plan stays unless a new one violates clearly
// less (see worthRedrawing).
func (cs *communitySolver) resolveInfeasible(comp []int, k int) [][]int {
	w := cs.sum(comp)
	old, ok := cs.previousPlan(comp)
	oldV := 0
	if ok {
		oldV = cs.totalViolation(old)
		if len(old) == k && oldV == cs.violation(w, k) {
			return old // no plan of k grids violates less
		}
	}
	ps, v := cs.solveK(comp, k, float64(w)/float64(k), false)
	if ok && !cs.worthRedrawing(oldV, v) {
		return old
	}
	return ps
}

// maxSingleNeighbours bounds the neighbouring grids tried one at a time
// before a piece takes in one of them for good.
const maxSingleNeighbours = 8

// resolveFeasible plans a component whose total admits k grids in band,
// keeping the valid earlier grids and redrawing the rest (see [Repartition]).
// exhausted is as for solveFeasible.
func (cs *communitySolver) resolveFeasible(comp []int, k int) (parts [][]int, exhausted bool) {
	lp := cs.prev
	n := len(cs.global)
	var blocks []block
	of := make([]int, n) // block of each node, -1 in the pool
	for i := range of {
		of[i] = -1
	}
	inComp := make([]bool, n)
	for _, v := range comp {
		inComp[v] = true
	}
	add := func(nodes []int, grid int) {
		for _, v := range nodes {
			of[v] = len(blocks)
		}
		blocks = append(blocks, block{nodes: nodes, w: cs.sum(nodes), grid: grid})
	}
	dissolve := func(b int) {
		for _, v := range blocks[b].nodes {
			of[v] = -1
		}
		blocks[b].nodes = nil
	}
	groups, ids := cs.earlierGrids(comp)
	for i, g := range groups {
		if cs.violation(cs.sum(g), 1) == 0 {
			add(g, ids[i])
		}
	}
	// New atoms join the kept grid whose area they lie in while it stays in
	// band, or, with none, the smallest adjacent kept grid that has room;
	// one whose earlier grid is being redrawn joins that redraw.
	for changed := true; changed; {
		changed = false
		for _, v := range comp {
			if !lp.isNew[v] || of[v] >= 0 {
				continue
			}
			if g := lp.grid[v]; g >= 0 && !cs.keptGrid(blocks, g) && cs.hasEarlierGrid(comp, g) {
				continue
			}
			best := -1
			for _, u := range cs.adj[v] {
				b := of[u]
				if b < 0 || !inComp[u] || blocks[b].grid < 0 || blocks[b].w+cs.w[v] > cs.set.Max {
					continue
				}
				if blocks[b].grid == lp.grid[v] {
					best = b
					break
				}
				if best < 0 || blocks[b].w < blocks[best].w {
					best = b
				}
			}
			if best >= 0 {
				of[v] = best
				blocks[best].nodes = append(blocks[best].nodes, v)
				sort.Ints(blocks[best].nodes)
				blocks[best].w += cs.w[v]
				changed = true
			}
		}
	}

	// The kept grids before any is taken in, for the plan that redraws
	// only what must change (see below).
	keptParts := make([][]int, 0, len(blocks))
	for _, b := range blocks {
		keptParts = append(keptParts, b.nodes)
	}
	keptOf := append([]int(nil), of...)

	pool := make([]bool, n)
	var snapshots [][][]int // plans before each neighbour taken in, fewest changes first
	for iter := 0; iter < 2*len(comp)+8; iter++ {
		cs.poll()
		for _, v := range comp {
			pool[v] = of[v] < 0
		}
		pieces := cs.components(pool)
		if len(pieces) == 0 {
			break
		}
		piece := pieces[0]
		if parts, _, ok := cs.tryRegion(piece); ok {
			for _, p := range parts {
				add(p, -1)
			}
			continue
		}
		nbs := cs.adjacentBlocks([][]int{piece}, -1, blocks, of, inComp)
		if len(nbs) == 0 {
			// The piece is the whole component.
			ps, ex := cs.solveFeasible(piece, k)
			for _, p := range ps {
				add(p, -1)
			}
			exhausted = exhausted || ex
			continue
		}
		// First a neighbour that can settle the piece by moving a few
		// atoms across their common boundary (the grid continues, SPEC
		// §3: stability), then one that settles it in a redraw of the two.
		done := false
		pick, pickV := nbs[0], math.MaxInt
		single := nbs[:min(len(nbs), maxSingleNeighbours)]
		regions := make([][]int, len(single))
		for i, b := range single {
			regions[i] = append(append([]int(nil), piece...), blocks[b].nodes...)
			sort.Ints(regions[i])
			if parts, ok := cs.shed(regions[i], piece, blocks[b].nodes); ok {
				dissolve(b)
				for _, p := range parts {
					add(p, -1)
				}
				done = true
				break
			}
		}
		vs := make([]int, len(single))
		for i, b := range single {
			if done {
				break
			}
			parts, v, ok := cs.tryRegion(regions[i])
			if ok {
				dissolve(b)
				for _, p := range parts {
					add(p, -1)
				}
				done = true
				break
			}
			vs[i] = v
			if v < pickV {
				pick, pickV = b, v
			}
		}
		if !done {
			// Then two neighbours at once: three grids changed rather
			// than the four or more that taking in one for good may lead to.
			if pair, parts, ok := cs.tryNeighbourPairs(piece, single, vs, blocks, of, inComp); ok {
				dissolve(pair[0])
				dissolve(pair[1])
				for _, p := range parts {
					add(p, -1)
				}
				done = true
			}
		}
		if !done {
			// No single neighbour will do: take in the one that came
			// closest (the smallest on a tie) and try again from there,
			// so the change spreads one grid at a time. The plan as it
			// stands is kept in case the band is out of reach (below).
			snapshots = append(snapshots, cs.planPool(comp, blocks, of))
			dissolve(pick)
		}
	}
	// Anything left after the iteration bound (not expected) is planned as
	// well as possible.
	for _, v := range comp {
		pool[v] = of[v] < 0
	}
	for _, piece := range cs.components(pool) {
		kk, _ := cs.gridCount(cs.sum(piece))
		ps, _ := cs.solveK(piece, kk, float64(cs.set.Target), false)
		for _, p := range ps {
			add(p, -1)
		}
	}
	for _, b := range blocks {
		if len(b.nodes) > 0 {
			parts = append(parts, b.nodes)
		}
	}
	v := cs.totalViolation(parts)
	if v == 0 {
		return parts, exhausted
	}
	// Some grid is out of band: the component may allow no plan in band.
	// Taking in neighbours then changes them for little unless it lowers
	// the violation clearly. The candidates, from the least change to the
	// most: the earlier plan, the kept grids with only the rest redrawn
	// piece by piece, the plan before each neighbour was taken in, and the
	// final plan; a candidate replaces the one chosen so far only if it
	// violates clearly less (worthRedrawing).
	var candidates [][][]int
	if old, ok := cs.previousPlan(comp); ok {
		candidates = append(candidates, old)
	}
	keptBlocks := make([]block, len(keptParts))
	for i, nodes := range keptParts {
		keptBlocks[i] = block{nodes: nodes}
	}
	candidates = append(candidates, cs.planPool(comp, keptBlocks, keptOf))
	candidates = append(append(candidates, snapshots...), parts)
	return cs.leastChange(candidates), exhausted
}

// leastChange picks among plans ordered from the least change to the most:
// a plan replaces the one chosen so far only if it violates the band
// clearly less (worthRedrawing). The pick violates at most Min/20 more than
// the least violating plan, and no plan before it does as little.
func (cs *communitySolver) leastChange(candidates [][][]int) [][]int {
	best, bestV := candidates[0], cs.totalViolation(candidates[0])
	for _, c := range candidates[1:] {
		if cv := cs.totalViolation(c); cs.worthRedrawing(bestV, cv) {
			best, bestV = c, cv
		}
	}
	return best
}

// planPool completes a plan under repair: the blocks as they are, and the
// least violating plan the quick search finds for each connected piece of
// comp outside them (of[v] < 0).
func (cs *communitySolver) planPool(comp []int, blocks []block, of []int) [][]int {
	var plan [][]int
	for _, b := range blocks {
		if len(b.nodes) > 0 {
			plan = append(plan, append([]int(nil), b.nodes...))
		}
	}
	pool := make([]bool, len(cs.global))
	for _, v := range comp {
		pool[v] = of[v] < 0
	}
	for _, piece := range cs.components(pool) {
		plan = append(plan, cs.leastViolating(piece)...)
	}
	return plan
}

// worthRedrawing reports whether a plan of violation newV is worth more
// change than one of violation oldV where both leave grids out of band: it
// must lower the violation by more than a twentieth of the minimum (15
// households in the default band), about what a census update moves a
// grid by, so that grids out of band for want of any plan in band do not
// drag their neighbours along for a few households.
func (cs *communitySolver) worthRedrawing(oldV, newV int) bool {
	return newV+cs.set.Min/20 < oldV
}

// leastViolating plans connected nodes with the least band violation the
// quick search finds.
func (cs *communitySolver) leastViolating(nodes []int) [][]int {
	if parts, _, ok := cs.tryRegion(nodes); ok {
		return parts
	}
	w := cs.sum(nodes)
	k, _ := cs.gridCount(w)
	parts, _ := cs.solveK(nodes, k, float64(w)/float64(k), false)
	return parts
}

// A block is a grid of a plan under repair: an earlier grid kept as it is,
// or a grid drawn anew.
type block struct {
	nodes []int // ascending; nil once dissolved
	w     int
	grid  int // earlier grid kept as is, or -1
}

// shed brings a piece and a neighbouring grid into band by moving atoms
// across their common boundary, one at a time while both stay connected: an
// over-full piece sheds atoms to the grid, an under-full one takes atoms from
// it (the local search's repair). Few households change grid, which a
// redraw of the two would not ensure (SPEC §3: stability).
func (cs *communitySolver) shed(region, piece, grid []int) ([][]int, bool) {
	if len(piece) == 0 || len(grid) == 0 {
		return nil, false
	}
	ls := cs.newLocalSearch(region, [][]int{piece, grid}, float64(cs.set.Target))
	ls.repair()
	if ls.violation() > 0 {
		return nil, false
	}
	return ls.parts(), true
}

// maxNeighbourPairs bounds the pairs of neighbouring grids tried with a
// piece that no single neighbour settles.
const maxNeighbourPairs = 24

// tryNeighbourPairs plans a piece together with two neighbouring blocks: a
// block of single (the piece's neighbours, tried alone with violations vs)
// and a block next to the piece or to that one. Blocks whose redraw with the
// piece came closest go first, their partners smallest first.
func (cs *communitySolver) tryNeighbourPairs(piece, single, vs []int, blocks []block, of []int, inComp []bool) (pair [2]int, parts [][]int, ok bool) {
	order := make([]int, len(single))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return vs[order[a]] < vs[order[b]] })
	tried := map[[2]int]bool{}
	budget := maxNeighbourPairs
	for _, i := range order {
		b := single[i]
		partners := cs.adjacentBlocks([][]int{piece, blocks[b].nodes}, b, blocks, of, inComp)
		for _, c := range partners {
			key := [2]int{min(b, c), max(b, c)}
			if tried[key] {
				continue
			}
			if budget == 0 {
				return pair, nil, false
			}
			tried[key] = true
			budget--
			region := append(append(append([]int(nil), piece...), blocks[b].nodes...), blocks[c].nodes...)
			sort.Ints(region)
			if parts, _, ok := cs.tryRegion(region); ok {
				return [2]int{b, c}, parts, true
			}
		}
	}
	return pair, nil, false
}

// adjacentBlocks lists the blocks (other than skip) next to a node of sets
// in comp, smallest first (by households, then first node).
func (cs *communitySolver) adjacentBlocks(sets [][]int, skip int, blocks []block, of []int, inComp []bool) []int {
	seen := map[int]bool{skip: true}
	var out []int
	for _, nodes := range sets {
		for _, v := range nodes {
			for _, u := range cs.adj[v] {
				if b := of[u]; b >= 0 && inComp[u] && !seen[b] {
					seen[b] = true
					out = append(out, b)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		bi, bj := &blocks[out[i]], &blocks[out[j]]
		if bi.w != bj.w {
			return bi.w < bj.w
		}
		return bi.nodes[0] < bj.nodes[0]
	})
	return out
}

// keptGrid reports whether earlier grid g is one of the kept blocks.
func (cs *communitySolver) keptGrid(blocks []block, g int) bool {
	for _, b := range blocks {
		if b.grid == g && len(b.nodes) > 0 {
			return true
		}
	}
	return false
}

// hasEarlierGrid reports whether some earlier node of comp lies in grid g.
func (cs *communitySolver) hasEarlierGrid(comp []int, g int) bool {
	for _, v := range comp {
		if !cs.prev.isNew[v] && cs.prev.grid[v] == g {
			return true
		}
	}
	return false
}

// tryRegion plans a connected region in band, quickly; ok is false if its
// total admits no whole number of grids in band or no plan in band was
// found, and v is then the least violation found (MaxInt for no plan).
func (cs *communitySolver) tryRegion(region []int) (parts [][]int, v int, ok bool) {
	w := cs.sum(region)
	k, feasible := cs.gridCount(w)
	if !feasible {
		return nil, math.MaxInt, false
	}
	if k == 1 {
		return [][]int{region}, 0, true
	}
	if parts, ok := cs.solveCompoundsFirst(region); ok {
		return parts, 0, true
	}
	lo, hi := cs.gridRange(w)
	best := math.MaxInt
	for _, deep := range []bool{false, true} {
		for _, j := range []int{k, k - 1, k + 1} {
			if j < lo || j > hi {
				continue
			}
			parts, v := cs.solveK(region, j, float64(cs.set.Target), deep)
			if v == 0 {
				return parts, 0, true
			}
			best = min(best, v)
		}
	}
	// A small region (a grid and a neighbour or two): settle it exactly.
	if len(region) <= maxExactRegion {
		if parts, r, _ := cs.exactPlanBudget(region, exactRegionBudget); r == exactFound {
			ls := cs.newLocalSearch(region, parts, float64(cs.set.Target))
			ls.run() // keeps every grid in band: violations dominate
			return ls.parts(), 0, true
		}
	}
	return nil, best, false
}

// A region of at most maxExactRegion atoms that the quick search cannot plan
// in band is searched exhaustively, up to exactRegionBudget candidate grids.
const (
	maxExactRegion    = 80
	exactRegionBudget = 20000
)
