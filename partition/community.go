package partition

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
)

// communitySolver plans one community. Nodes are numbered locally 0..n-1;
// global[i] is node i's atom index in the Problem. Its methods follow the
// steps of the package documentation, a file for each:
//
//	community.go  solve: fixed grids, pieces, diagnosis, the final diagnoses
//	search.go     solveFeasible: compounds first, quick and deep plans
//	              (solveK, bisect), the steadier plan, around stranded atoms
//	improve.go    the objective and the local search (moves, swaps)
//	repair.go     ejection chains
//	recombine.go  recombination of grids out of band
//	reduce.go     proofs of infeasibility by reduction (infeasible)
//	exact.go      the exhaustive searches (searchMode)
//	realise.go    realising their plans
//	region.go     exact repair of small unions of grids out of band
//	margin.go     redrawing pairs of grids for their margins
//	rejoin.go     compounds just over max
//	previous.go   Repartition
//	grids.go      numbering the grids
//	stop.go       stopping when the context is done
type communitySolver struct {
	ctx    context.Context // polled by poll
	polls  uint            // calls of pollEvery
	p      *Problem
	set    *Settings
	rng    *rand.Rand
	c      int
	global []int
	adj    [][]int32 // local adjacency, ascending
	// length[i][j] is the shared boundary of i and adj[i][j] in metres,
	// counted compoundCutFactor times between two buildings of a compound
	// not parted by a barrier: a grid boundary there cuts the compound.
	length [][]float64
	// barrier[i][j] reports whether a barrier separates i and adj[i][j].
	barrier [][]bool
	w       []int     // band weight
	m       []float64 // inertia mass
	sq      []float64 // weight squares (see Atom.WeightSquares)
	x, y    []float64
	// budget counts spanning trees left for this community (randomTree
	// spends them), so a pathological community cannot run away with the
	// time of the whole city: about 200 plus 80 per grid.
	budget int
	// hopeless marks atoms that the diagnosis proves cannot be in a grid in
	// band; recombination does not spend its effort on their grids.
	hopeless []bool
	scratch  treeScratch
	// joins, conn and connStack are the scratch of realise and fillEmpty,
	// and of connected.
	joins     joinScratch
	conn      marks
	connStack []int32
	// stay, stayNbrs and stayStack are the scratch of staysConnected.
	stay      marks
	stayNbrs  []int32
	stayStack []int32
	// reduceAt is the scratch of the reducer (see reduce.go).
	reduceAt []int32
	// prev is the earlier plan in local numbering, nil for a fresh plan.
	prev *localPrevious
	// near tracks the compounds just over max (see rejoin.go), nil if none.
	near *nearMax
	// proofCompounds marks the compounds (by index in Problem.Compounds)
	// with buildings among the atoms of diagnose's proofs.
	proofCompounds map[int]bool
	// disproved marks the nodes of the components that diagnose proves
	// admit no plan with every grid in band.
	disproved []bool
}

type communityResult struct {
	grids     []Grid
	diagnoses []Diagnosis
}

func newCommunitySolver(p *Problem, adj [][]neighbour, c int, atoms []int, set *Settings, rng *rand.Rand) *communitySolver {
	n := len(atoms)
	cs := &communitySolver{
		p: p, set: set, rng: rng, c: c, global: atoms,
		adj: make([][]int32, n), length: make([][]float64, n), barrier: make([][]bool, n), w: make([]int, n), m: make([]float64, n),
		sq: make([]float64, n), x: make([]float64, n), y: make([]float64, n), hopeless: make([]bool, n),
	}
	local := make(map[int]int32, n)
	for i, a := range atoms {
		local[a] = int32(i)
	}
	for i, a := range atoms {
		at := &p.Atoms[a]
		cs.w[i] = at.Weight
		cs.m[i] = at.Mass
		if cs.m[i] <= 0 {
			cs.m[i] = float64(at.Weight) + 1
		}
		cs.sq[i] = at.WeightSquares
		if cs.sq[i] <= 0 {
			cs.sq[i] = float64(at.Weight) * float64(at.Weight)
		}
		cs.x[i], cs.y[i] = at.X, at.Y
		for _, nb := range adj[a] {
			// atoms ascend, so local numbers ascend with global ones and
			// the list stays sorted.
			if j, ok := local[nb.atom]; ok {
				l := nb.lengthM
				if c := at.Compound; c >= 0 && !nb.barrier && p.Atoms[nb.atom].Compound == c {
					l *= compoundCutFactor
				}
				cs.adj[i] = append(cs.adj[i], j)
				cs.length[i] = append(cs.length[i], l)
				cs.barrier[i] = append(cs.barrier[i], nb.barrier)
			}
		}
	}
	cs.scratch.init(n)
	cs.joins.init(n)
	cs.conn.init(n)
	cs.stay.init(n)
	cs.near = cs.findNearMax()
	cs.budget = int(float64(200+80*n/max(1, set.Target/max(1, meanWeight(cs.w)))) * set.Effort)
	return cs
}

func meanWeight(w []int) int {
	if len(w) == 0 {
		return 1
	}
	s := 0
	for _, v := range w {
		s += v
	}
	return max(1, s/len(w))
}

func (cs *communitySolver) atom(i int) *Atom { return &cs.p.Atoms[cs.global[i]] }

func (cs *communitySolver) sum(nodes []int) int {
	s := 0
	for _, v := range nodes {
		s += cs.w[v]
	}
	return s
}

// violation is how far a total w of k grids is from k grids' band.
func (cs *communitySolver) violation(w, k int) int {
	lo, hi := k*cs.set.Min, k*cs.set.Max
	switch {
	case w < lo:
		return lo - w
	case w > hi:
		return w - hi
	}
	return 0
}

// gridRange returns the numbers of grids k with k·min <= w <= k·max; lo > hi
// when there is none.
func (cs *communitySolver) gridRange(w int) (lo, hi int) {
	return GridRange(w, cs.set.Min, cs.set.Max)
}

// gridCount picks the number of grids for a total w: the feasible k of the
// best balance, or, when none is feasible, the least violating k (smallest total
// violation with equal shares, then mean closest to target).
func (cs *communitySolver) gridCount(w int) (k int, feasible bool) {
	lo, hi := cs.gridRange(w)
	if lo <= hi {
		// k grids of equal shares deviate from the target by
		// k·(w/(k·target) − 1)² in all, least for the k nearest
		// w/target on a geometric scale: between k and k+1 the turn
		// is at √(k(k+1)), so 990 households make three grids of 330,
		// not two of 495 at the band's edge.
		x := float64(w) / float64(cs.set.Target)
		k = int(x)
		if float64(k)*float64(k+1) < x*x {
			k++
		}
		return min(max(k, lo), hi), true
	}
	best, bestV, bestD := 1, math.Inf(1), math.Inf(1)
	for k := max(1, w/cs.set.Max); k <= max(1, (w+cs.set.Min-1)/cs.set.Min); k++ {
		share := float64(w) / float64(k)
		v := float64(k) * (math.Max(0, float64(cs.set.Min)-share) + math.Max(0, share-float64(cs.set.Max)))
		d := math.Abs(share - float64(cs.set.Target))
		if v < bestV || (v == bestV && d < bestD) {
			best, bestV, bestD = k, v, d
		}
	}
	return best, false
}

// solve plans the community: fixed grids first (dedicated institutions,
// oversized buildings), then each connected piece of the rest.
func (cs *communitySolver) solve() communityResult {
	var res communityResult
	n := len(cs.global)
	if n == 0 {
		return res
	}
	var parts [][]int
	var reasons []Reason
	free := make([]bool, n)
	var oversized []string
	for i := 0; i < n; i++ {
		at := cs.atom(i)
		switch {
		case at.Dedicated:
			parts = append(parts, []int{i})
			reasons = append(reasons, "")
		case cs.w[i] > cs.set.Max:
			parts = append(parts, []int{i})
			reasons = append(reasons, OversizedBuilding)
			oversized = append(oversized, at.Name)
		default:
			free[i] = true
		}
	}
	nFixed := len(parts)
	comps := cs.components(free)
	total := 0
	for _, comp := range comps {
		total += cs.sum(comp)
	}
	var hopeless []int
	res.diagnoses, hopeless = cs.diagnose(comps, total, oversized)
	for _, v := range hopeless {
		cs.hopeless[v] = true
	}

	// exhausted records that an exhaustive search proved that no plan puts
	// every grid of some component in band.
	exhausted := false
	for _, comp := range comps {
		w := cs.sum(comp)
		k, feasible := cs.gridCount(w)
		if !feasible && nFixed > 0 && 2*w < cs.set.Min {
			// A small piece cut off by an oversized building (or an
			// empty one by a dedicated grid) joins that grid: it adds
			// w to one violation instead of making one of min-w.
			if g := cs.fixedNeighbour(comp, parts[:nFixed], w); g >= 0 {
				parts[g] = append(parts[g], comp...)
				sort.Ints(parts[g])
				continue
			}
		}
		var reason Reason
		switch {
		case feasible:
		case len(comps) > 1 || nFixed > 0 && cs.communityTotal() >= cs.set.Min && w < cs.set.Min:
			reason = Isolated
		case w < cs.set.Min:
			reason = CommunityTooSmall
		default:
			reason = BandGap
		}
		var ps [][]int
		var ex bool
		switch {
		case cs.prev != nil && feasible:
			ps, ex = cs.resolveFeasible(comp, k)
		case cs.prev != nil:
			ps = cs.resolveInfeasible(comp, k)
		case feasible:
			ps, ex = cs.solveFeasible(comp, k)
		default:
			// The least violating plan: no recombination, which only
			// chases a band that cannot be reached.
			ps, _ = cs.solveK(comp, k, float64(w)/float64(k), false)
		}
		exhausted = exhausted || ex
		for _, p := range ps {
			parts = append(parts, p)
			r := reason
			if r == "" && cs.violation(cs.sum(p), 1) > 0 {
				r = cs.explain(p)
				if r == CompoundTooLarge && (ex || cs.disproved != nil && cs.disproved[comp[0]]) && !cs.provenCompounds(p) {
					// A proof that holds none of the compound's buildings
					// shows that no plan of comp is all in band: that, not
					// the compound, is why (and the compound's diagnosis,
					// which proves nothing alone, is then moot).
					r = Indivisible
				}
			}
			reasons = append(reasons, r)
		}
	}
	res.grids = cs.grids(parts, reasons, total == 0 && len(oversized) == 0)
	res.diagnoses = cs.dropMoot(res.diagnoses, res.grids)
	res.diagnoses = cs.settleCompounds(res.diagnoses, res.grids)
	// A grid out of band that no diagnosis explains: say so, without
	// claiming it could not be avoided.
	proven := false
	for _, d := range res.diagnoses {
		proven = proven || d.Proven
	}
	if !proven && exhausted {
		var units []string
		for _, g := range res.grids {
			if g.Status != OK && !g.Dedicated {
				units = append(units, fmt.Sprintf("grid %d (%d households)", g.Seq, g.Weight))
			}
		}
		res.diagnoses = append(res.diagnoses, Diagnosis{Community: cs.c, Reason: Indivisible, Units: units, Proven: true,
			Detail: "an exhaustive search shows that the whole compounds and buildings here cannot be combined into connected grids all in band; the plan is the least violating found"})
		proven = true
	}
	if !proven {
		var units []string
		for _, g := range res.grids {
			if g.Status != OK && !g.Dedicated {
				units = append(units, fmt.Sprintf("grid %d (%d households)", g.Seq, g.Weight))
			}
		}
		if len(units) > 0 {
			res.diagnoses = append(res.diagnoses, Diagnosis{Community: cs.c, Reason: Indivisible, Units: units,
				Detail: "the search found no plan with every grid in band; the whole compounds and buildings here may not combine into connected grids in band, but that is not proven"})
		}
	}
	return res
}

// dropMoot drops the unproven compound_too_large diagnosis when no grid is
// out of band for it: the compounds it names, too large for one grid and too
// small for grids of their own, were split among grids that are all in band.
func (cs *communitySolver) dropMoot(ds []Diagnosis, grids []Grid) []Diagnosis {
	for _, g := range grids {
		if g.Reason == CompoundTooLarge {
			return ds
		}
	}
	out := ds[:0]
	for _, d := range ds {
		if d.Reason != CompoundTooLarge || d.Proven {
			out = append(out, d)
		}
	}
	return out
}

// settleCompounds narrows an unproven compound_too_large diagnosis to the
// compounds with buildings in a grid out of band (the others were split
// among grids in band), and proves it where a proof of diagnose (stranded
// atoms, or a reduction's contradiction) that no plan is all in band
// holds buildings of each compound left.
func (cs *communitySolver) settleCompounds(ds []Diagnosis, grids []Grid) []Diagnosis {
	out := map[int]bool{} // compounds with buildings in a grid out of band
	for _, g := range grids {
		if g.Status == OK || g.Dedicated {
			continue
		}
		for _, a := range g.Atoms {
			if c := cs.p.Atoms[a].Compound; c >= 0 {
				out[c] = true
			}
		}
	}
	proven := cs.proofCompounds
	compW := cs.compoundWeights()
	for i, d := range ds {
		if d.Reason != CompoundTooLarge || d.Proven {
			continue
		}
		var units, detail []string
		all := true
		for _, c := range sortedKeys(compW) {
			if lo, hi := cs.gridRange(compW[c]); lo <= hi || !out[c] {
				continue
			}
			units = append(units, "compound "+quote(cs.p.Compounds[c]))
			detail = append(detail, fmt.Sprintf("%s has %d households", quote(cs.p.Compounds[c]), compW[c]))
			all = all && proven[c]
		}
		if len(units) == 0 {
			continue // dropMoot keeps it only while a grid names the reason
		}
		d.Units = units
		d.Detail = "no whole number of grids in band fits: " + strings.Join(detail, ", ")
		if all {
			d.Proven = true
			d.Detail += "; a proof that no plan puts every grid in band holds its buildings (see indivisible_units)"
		}
		ds[i] = d
	}
	return ds
}

// fixedNeighbour returns the fixed grid a piece of weight w may join: an
// oversized building's grid adjacent to it, or, for an empty piece, a
// dedicated grid; -1 if none.
func (cs *communitySolver) fixedNeighbour(piece []int, fixed [][]int, w int) int {
	for _, v := range piece {
		for _, u := range cs.adj[v] {
			for g, f := range fixed {
				if f[0] != int(u) {
					continue
				}
				if !cs.atom(f[0]).Dedicated || w == 0 {
					return g
				}
			}
		}
	}
	return -1
}

// besideDedicated reports whether an atom of piece neighbours a dedicated
// institution.
func (cs *communitySolver) besideDedicated(piece []int) bool {
	for _, v := range piece {
		for _, u := range cs.adj[v] {
			if cs.atom(int(u)).Dedicated {
				return true
			}
		}
	}
	return false
}

func (cs *communitySolver) communityTotal() int {
	s := 0
	for _, v := range cs.w {
		s += v
	}
	return s
}

// explain names the reason of an out-of-band grid in a component whose total
// admits a whole number of grids.
func (cs *communitySolver) explain(part []int) Reason {
	if cs.tooLargeIn(part, func(int) bool { return true }) {
		return CompoundTooLarge
	}
	return Indivisible
}

// provenCompounds reports whether diagnose's proofs hold buildings of
// every compound too large to split into grids of its own that has
// buildings in part.
func (cs *communitySolver) provenCompounds(part []int) bool {
	return !cs.tooLargeIn(part, func(c int) bool { return !cs.proofCompounds[c] })
}

// tooLargeIn reports whether part holds a building of a compound c too
// large to split into grids of its own for which also(c) holds.
func (cs *communitySolver) tooLargeIn(part []int, also func(c int) bool) bool {
	w := cs.compoundWeights()
	for _, v := range part {
		if c := cs.atom(v).Compound; c >= 0 {
			if lo, hi := cs.gridRange(w[c]); lo > hi && also(c) {
				return true
			}
		}
	}
	return false
}

// compoundWeights returns the total weight in this community of each
// compound larger than max (by index in Problem.Compounds).
func (cs *communitySolver) compoundWeights() map[int]int {
	w := map[int]int{}
	for i := range cs.global {
		if c := cs.atom(i).Compound; c >= 0 {
			w[c] += cs.w[i]
		}
	}
	return w
}

// components returns the connected components of the nodes marked in, each
// ascending, ordered by their smallest node.
func (cs *communitySolver) components(in []bool) [][]int {
	seen := make([]bool, len(in))
	var comps [][]int
	var queue []int
	for s := range in {
		if !in[s] || seen[s] {
			continue
		}
		queue = append(queue[:0], s)
		seen[s] = true
		var comp []int
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			comp = append(comp, v)
			for _, u := range cs.adj[v] {
				if in[u] && !seen[u] {
					seen[u] = true
					queue = append(queue, int(u))
				}
			}
		}
		sort.Ints(comp)
		comps = append(comps, comp)
	}
	return comps
}

// diagnose reports, before any search, why a community cannot be all in band.
// hopeless lists the atoms that it proves no grid in band can hold (see
// stranded).
func (cs *communitySolver) diagnose(comps [][]int, total int, oversized []string) (ds []Diagnosis, hopeless []int) {
	add := func(r Reason, units []string, format string, args ...any) {
		ds = append(ds, Diagnosis{Community: cs.c, Reason: r, Units: units, Detail: fmt.Sprintf(format, args...), Proven: r != CompoundTooLarge})
	}
	if total == 0 && len(oversized) == 0 {
		return nil, nil // nothing to balance: the community's grids are empty
	}
	id := cs.p.Communities[cs.c]
	// With total 0 the community holds only oversized buildings: their own
	// grids say why; nothing else is too small.
	if lo, hi := cs.gridRange(total); total > 0 && total < cs.set.Min {
		add(CommunityTooSmall, []string{"community " + quote(id)}, "total %d households is below the minimum %d", total, cs.set.Min)
	} else if total > 0 && lo > hi {
		add(BandGap, []string{"community " + quote(id)}, "total %d households: %s would hold more than %d each, %s fewer than %d each", total, grids(lo-1), cs.set.Max, grids(lo), cs.set.Min)
	}
	// Compounds larger than max that cannot be split into grids in band.
	compW := cs.compoundWeights()
	var tooLarge []string
	var detail []string
	for _, c := range sortedKeys(compW) {
		if lo, hi := cs.gridRange(compW[c]); lo > hi {
			tooLarge = append(tooLarge, "compound "+quote(cs.p.Compounds[c]))
			detail = append(detail, fmt.Sprintf("%s has %d households", quote(cs.p.Compounds[c]), compW[c]))
		}
	}
	if len(tooLarge) > 0 {
		add(CompoundTooLarge, tooLarge, "no whole number of grids in band fits: %s", strings.Join(detail, ", "))
	}
	if len(oversized) > 0 {
		add(OversizedBuilding, oversized, "each is a grid of its own above the maximum %d", cs.set.Max)
	}
	cs.proofCompounds = map[int]bool{}
	cs.disproved = make([]bool, len(cs.global))
	disprove := func(comp []int) {
		for _, v := range comp {
			cs.disproved[v] = true
		}
	}
	proofHolds := func(atoms []int) {
		for _, v := range atoms {
			if c := cs.atom(v).Compound; c >= 0 {
				cs.proofCompounds[c] = true
			}
		}
	}
	if units, atoms := cs.stranded(comps); len(units) > 0 {
		hopeless = atoms
		proofHolds(atoms)
		disprove(comps[0])
		add(Indivisible, units, "no grid in band can hold these: each is below the minimum %d, and every unit it could share a grid with would take it (or a unit it must join) above the maximum %d", cs.set.Min, cs.set.Max)
	} else {
		for _, comp := range comps {
			if lo, hi := cs.gridRange(cs.sum(comp)); lo > hi {
				continue // explained above, or as isolated below
			}
			why, ok := cs.infeasible(comp)
			if !ok {
				continue
			}
			proofHolds(why.atoms)
			disprove(comp)
			if why.kind == proofStranded || why.kind == proofOverMax {
				for _, v := range why.atoms {
					if cs.w[v] > 0 {
						hopeless = append(hopeless, v)
					}
				}
			}
			add(Indivisible, cs.names(why.atoms), "%s", why.detail(cs.set))
		}
	}
	if len(comps) > 1 {
		// Name the pieces other than the largest: those are the ones cut off.
		largest := 0
		for i, comp := range comps {
			if cs.sum(comp) > cs.sum(comps[largest]) {
				largest = i
			}
		}
		var units []string
		var sizes []string
		for i, comp := range comps {
			if i == largest {
				continue
			}
			w := cs.sum(comp)
			if lo, hi := cs.gridRange(w); lo <= hi {
				continue // a piece that can stand alone in band is no violation
			}
			if w == 0 && cs.besideDedicated(comp) {
				continue // it joins the dedicated grid (see solve): no violation either
			}
			for _, v := range comp {
				units = append(units, cs.atom(v).Name)
			}
			sizes = append(sizes, fmt.Sprintf("%d households", w))
		}
		if len(units) > 0 {
			add(Isolated, units, "%d piece(s) cut off from the rest: %s", len(sizes), strings.Join(sizes, ", "))
		}
	}
	return ds, hopeless
}

// stranded names the atoms that no plan can put in a grid in band. The
// proof is local and sound, not complete. Any grid in band that holds a unit
// u below min holds another non-empty unit v reachable from u through empty
// atoms only, with w(u)+w(v) <= max: call those u's mates. A unit without
// mates is stranded. A unit with exactly one mate must share its grid with
// it, so the two are merged into one unit and the reasoning repeats; a
// merged unit above max is stranded too. It returns the names of the
// stranded atoms and the atoms themselves.
func (cs *communitySolver) stranded(comps [][]int) (units []string, atoms []int) {
	if len(comps) != 1 {
		return nil, nil // pieces are explained as isolated
	}
	if lo, hi := cs.gridRange(cs.sum(comps[0])); lo > hi {
		return nil, nil // explained as too small or a band gap
	}
	comp := comps[0]
	in := make([]bool, len(cs.global))
	for _, v := range comp {
		in[v] = true
	}
	uf := newUnionFind(comp)
	weight := map[int]int{}
	for _, v := range comp {
		weight[v] = cs.w[v]
	}
	stamp := make([]int, len(cs.global))
	round := 0
	// The non-empty atoms of each unit, in the order of comp.
	pos := make(map[int]int, len(comp))
	members := map[int][]int{}
	for i, v := range comp {
		pos[v] = i
		if cs.w[v] > 0 {
			members[v] = []int{v}
		}
	}
	join := func(a, b int) {
		ra, rb := uf.find(a), uf.find(b)
		uf.union(ra, rb)
		root, other := uf.find(ra), ra
		if root == ra {
			other = rb
		}
		x, y := members[root], members[other]
		merged := make([]int, 0, len(x)+len(y))
		for len(x) > 0 && len(y) > 0 {
			if pos[x[0]] < pos[y[0]] {
				merged, x = append(merged, x[0]), x[1:]
			} else {
				merged, y = append(merged, y[0]), y[1:]
			}
		}
		members[root] = append(append(merged, x...), y...)
		delete(members, other)
	}
	// mates returns the roots of the units that can share a grid with the
	// unit rooted at r.
	mates := func(r int) []int {
		round++
		stack := append([]int(nil), members[r]...)
		for _, v := range stack {
			stamp[v] = round
		}
		var out []int
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, u := range cs.adj[v] {
				if !in[u] || stamp[u] == round {
					continue
				}
				stamp[u] = round
				if cs.w[u] == 0 {
					stack = append(stack, int(u))
					continue
				}
				if q := uf.find(int(u)); q != r && weight[r]+weight[q] <= cs.set.Max && !contains(out, q) {
					out = append(out, q)
				}
			}
		}
		return out
	}
	stuck := map[int]bool{}
	for changed := true; changed; {
		changed = false
		for _, v := range comp {
			r := uf.find(v)
			if r != v || cs.w[v] == 0 && weight[r] == 0 || stuck[r] {
				continue
			}
			if weight[r] > cs.set.Max {
				// Only merged units can be above max here: single atoms
				// above it are oversized buildings with grids of their own.
				stuck[r] = true // forced together above max
				continue
			}
			if weight[r] >= cs.set.Min {
				continue
			}
			switch m := mates(r); len(m) {
			case 0:
				stuck[r] = true
			case 1:
				w := weight[r] + weight[m[0]]
				join(r, m[0])
				weight[uf.find(r)] = w
				changed = true
			}
		}
	}
	for _, v := range comp {
		if cs.w[v] > 0 && stuck[uf.find(v)] {
			units = append(units, cs.atom(v).Name)
			atoms = append(atoms, v)
		}
	}
	return units, atoms
}

// names names the non-empty atoms of nodes (all of them if none is),
// every one: a map marks them all, and a page that lists them shows the
// first few and how many more.
func (cs *communitySolver) names(nodes []int) []string {
	var named []int
	for _, v := range nodes {
		if cs.w[v] > 0 {
			named = append(named, v)
		}
	}
	if len(named) == 0 {
		named = nodes
	}
	out := make([]string, len(named))
	for j, v := range named {
		out[j] = cs.atom(v).Name
	}
	return out
}

// grids says "1 grid" or "n grids".
func grids(n int) string {
	if n == 1 {
		return "1 grid"
	}
	return fmt.Sprintf("%d grids", n)
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

func sortedKeys(m map[int]int) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	return keys
}
