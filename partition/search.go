package partition

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// solveFeasible plans a connected component whose total admits k grids in
// band. Compounds larger than max whose own total admits grids in band are
// planned first, alone, so their grids lie inside them (SPEC §3); the rest is
// planned around them. If that leaves a piece that cannot be planned in band,
// the whole component is planned jointly instead: first with quick plans for
// k and the other feasible counts nearest to it, then, if none is in band,
// with recombination of the parts that are not, then exhaustively: the whole
// component where it is small enough, and small unions of grids around
// those out of band. exhausted reports whether a proof (by reduction or
// exhaustive search) shows that comp, or a piece of it planned on its own,
// admits no plan with every grid in band.
//
// A component proven infeasible before the search (see infeasible) gets no
// search for a plan in band: its plans stop improving at a violation of one
// household, the least it can have.
func (cs *communitySolver) solveFeasible(comp []int, k int) (parts [][]int, exhausted bool) {
	_, proven := cs.infeasible(comp)
	trees := cs.budget // spanning trees left as the search begins
	floor := 0         // the least violation a plan of comp can have
	if proven {
		floor = 1
	} else if parts, ok := cs.solveCompoundsFirst(comp); ok {
		return parts, false
	}
	lo, hi := cs.gridRange(cs.sum(comp))
	ks := []int{k}
	for d := 1; d <= hi-lo; d++ {
		for _, j := range []int{k - d, k + d} {
			if j >= lo && j <= hi {
				ks = append(ks, j)
			}
		}
	}
	const maxCounts = 5 // beyond a few counts away from the target the plan is poor anyway
	ks = ks[:min(len(ks), maxCounts)]
	var best [][]int
	bestV, bestCost := math.MaxInt, math.Inf(1)
	// nearer reports whether a plan of violation v is better than the best
	// so far: less violating, or as violating with a number of grids nearer
	// k (its grids are nearer the target), or as near and cheaper by the
	// whole objective; if so, it becomes the best.
	nearer := func(parts [][]int, v int) bool {
		if v > bestV {
			return false
		}
		d, bestD := abs(len(parts)-k), abs(len(best)-k)
		if v == bestV && d > bestD {
			return false
		}
		cost := cs.newLocalSearch(comp, parts, float64(cs.set.Target)).cost()
		if v == bestV && d == bestD && (len(parts) != len(best) || cost >= bestCost-minGain) {
			return false
		}
		best, bestV, bestCost = parts, v, cost
		return true
	}
	// plan runs steps 3 to 5 and reports whether best is then in band.
	plan := func() bool {
	search:
		for _, deep := range []bool{false, true} {
			for _, j := range ks {
				parts, v := cs.solveKTo(comp, j, float64(cs.set.Target), deep, floor)
				nearer(parts, v)
				if bestV <= floor {
					break search
				}
			}
		}
		if bestV == 0 {
			return true
		}
		// Exactly around each grid out of band, a few grids at a time: the
		// rest of the plan keeps the heuristics' shapes.
		if parts, v := cs.repairRegions(comp, best, floor); nearer(parts, v) && bestV == 0 {
			return true
		}
		// Then, where nothing proves the component infeasible, wider unions
		// around the grids still out of band.
		if floor == 0 {
			if parts, v := cs.widenRegions(comp, best); nearer(parts, v) && bestV == 0 {
				return true
			}
		}
		return false
	}
	if plan() {
		return cs.steadier(comp, best), false
	}
	if !proven {
		// The heuristics found no plan in band: settle it exhaustively
		// where the component is small enough.
		switch parts, r, _ := cs.exactPlanBudget(comp, cs.scaledBudget(comp, exactBudget)); r {
		case exactFound:
			ls := cs.newLocalSearch(comp, parts, float64(cs.set.Target))
			ls.run() // keeps every grid in band: violations dominate the objective
			return ls.parts(), false
		case exactInfeasible:
			proven, floor = true, 1
		}
	}
	if cs.nearMiss(best, bestV) && (!proven || len(best) != k) {
		// A near miss that nothing proves: the plans of one random
		// stream often all settle around the same lumpy atoms. Steps 3
		// to 5 run once more on another stream, with as many trees. So
		// do they for a near miss that is proven the least violation
		// possible but has other than k grids: as violating a plan of k
		// grids (nearer the target) is often on another stream.
		rng, left := cs.rng, cs.budget
		cs.rng = rand.New(rand.NewPCG(cs.set.Seed, uint64(cs.c)+retryStream))
		cs.budget = trees
		inBand := plan()
		cs.rng, cs.budget = rng, left
		if inBand {
			return cs.steadier(comp, best), false
		}
	}
	exhausted = proven
	if proven && bestV > floor {
		// No plan in band: the least violating one, exactly where the
		// budget allows (the heuristics settle in local minima here).
		if parts, _, ok := cs.exactLeast(comp, bestV, cs.scaledBudget(comp, leastBudget)); ok {
			ls := cs.newLocalSearch(comp, parts, float64(cs.set.Target))
			ls.run() // never raises the violation, which dominates
			best, bestV, bestCost = ls.parts(), ls.violation(), ls.cost()
		}
	}
	// Not in a repartition: there the earlier plan, found this way when
	// the search could, is what stays unless it violates clearly more.
	if cs.prev == nil && bestV > floor {
		alt, altExhausted, ok := cs.solveAroundHopeless(comp)
		exhausted = exhausted || altExhausted
		if ok {
			nearer(alt, cs.totalViolation(alt))
		}
	}
	return best, exhausted
}

// A near miss is a plan of a component with a single grid out of band, by
// at most nearMissViolation households: one retry (see solveFeasible) may
// well find a plan in band. retryStream offsets the retry's random stream
// from the community's own.
const (
	nearMissViolation = 20
	retryStream       = 0x7f4a7c159e3779b9
)

// nearMiss reports whether parts, of violation v, is a near miss.
func (cs *communitySolver) nearMiss(parts [][]int, v int) bool {
	if v <= 0 || v > nearMissViolation {
		return false
	}
	out := 0
	for _, p := range parts {
		if cs.violation(cs.sum(p), 1) > 0 {
			out++
		}
	}
	return out == 1
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Small components whose plan leaves some grid near an edge of the band, or
// a compound just over max hard to rejoin, are searched exhaustively for a
// plan in band that is steadier: lumpy atoms (towers, whole compounds) often admit only a few plans
// in band, which local moves do not reach from one another.
const (
	maxMarginAtoms = 40    // non-empty atoms
	marginBudget   = 50000 // candidate grids
)

// steadier returns, for a plan in band of the connected nodes comp, a plan
// at less risk under a census update (planRisk) if the exhaustive search
// finds one that is also cheaper by the whole objective, after local search;
// otherwise parts.
func (cs *communitySolver) steadier(comp []int, parts [][]int) [][]int {
	risk := cs.planRisk(parts)
	nonEmpty := 0
	for _, v := range comp {
		if cs.w[v] > 0 {
			nonEmpty++
		}
	}
	if risk == 0 || nonEmpty > maxMarginAtoms {
		return parts
	}
	alt, ok := cs.exactMargins(comp, risk-minGain, cs.scaledBudget(comp, marginBudget))
	if !ok {
		return parts
	}
	cur := cs.newLocalSearch(comp, parts, float64(cs.set.Target))
	ls := cur.view(comp, alt)
	ls.run()
	if ls.violation() > 0 || ls.cost() >= cur.cost()-minGain || cs.planRisk(ls.parts()) >= risk {
		return parts
	}
	return ls.parts()
}

// planRisk is the risk of a plan under a census update, as exactMargins
// weighs it.
func (cs *communitySolver) planRisk(parts [][]int) float64 {
	var nodes, of []int
	risk := 0.0
	for j, p := range parts {
		risk += cs.set.edgeRisk(cs.sum(p), cs.sumSquares(p))
		nodes = append(nodes, p...)
		for range p {
			of = append(of, j)
		}
	}
	return risk + cs.rejoinRisk(nodes, func(i int) int { return of[i] }, len(parts))
}

// solveAroundHopeless plans a component that holds atoms no grid in band
// can hold (stranded, see [communitySolver.stranded]): each such atom first
// takes the grid that violates least, alone or with one neighbour, and the
// rest is then planned as a component of its own, in band where it can be.
// Planned jointly, the search spends itself on the stranded atoms and
// leaves other grids out of band too. ok is false without stranded atoms;
// exhausted is as for solveFeasible, for the pieces planned around them.
func (cs *communitySolver) solveAroundHopeless(comp []int) (parts [][]int, exhausted, ok bool) {
	taken := make([]bool, len(cs.global))
	in := make([]bool, len(cs.global))
	for _, v := range comp {
		in[v] = true
	}
	for _, h := range comp {
		if !cs.hopeless[h] || taken[h] {
			continue
		}
		grid := []int{h}
		v := cs.violation(cs.w[h], 1)
		best := -1
		for _, u := range cs.adj[h] {
			n := int(u)
			if !in[n] || taken[n] || cs.hopeless[n] {
				continue
			}
			if nv := cs.violation(cs.w[h]+cs.w[n], 1); nv < v || nv == v && best >= 0 && n < best {
				best, v = n, nv
			}
		}
		if best >= 0 {
			grid = append(grid, best)
			sort.Ints(grid)
		}
		for _, x := range grid {
			taken[x] = true
		}
		parts = append(parts, grid)
	}
	if len(parts) == 0 {
		return nil, false, false
	}
	rest := make([]bool, len(cs.global))
	for _, v := range comp {
		rest[v] = !taken[v]
	}
	for _, piece := range cs.components(rest) {
		w := cs.sum(piece)
		if w == 0 {
			// Empty atoms cut off by the stranded ones join a grid
			// next to them.
			if g := cs.neighbourPart(piece, parts); g >= 0 {
				parts[g] = append(parts[g], piece...)
				sort.Ints(parts[g])
				continue
			}
		}
		if k, ok := cs.gridCount(w); ok {
			ps, ex := cs.solveFeasible(piece, k)
			parts = append(parts, ps...)
			exhausted = exhausted || ex
			continue
		}
		k, _ := cs.gridCount(w)
		ps, _ := cs.solveK(piece, k, float64(w)/float64(k), false)
		parts = append(parts, ps...)
	}
	return parts, exhausted, true
}

// solveCompoundsFirst plans each large compound of comp on its own and then
// the pieces left around them; ok is false when there is no large compound
// or some piece cannot be planned in band.
func (cs *communitySolver) solveCompoundsFirst(comp []int) (parts [][]int, ok bool) {
	groups := map[int][]int{}
	for _, v := range comp {
		if c := cs.atom(v).Compound; c >= 0 {
			groups[c] = append(groups[c], v)
		}
	}
	if len(groups) == 0 {
		return nil, false
	}
	in := make([]bool, len(cs.global))
	for _, v := range comp {
		in[v] = true
	}
	var keys []int
	for c := range groups {
		keys = append(keys, c)
	}
	sort.Ints(keys)
	planned := 0
	for _, c := range keys {
		g := groups[c]
		k, feasible := cs.gridCount(cs.sum(g))
		if !feasible || !cs.connected(g) {
			continue // its buildings join the grids around it
		}
		ps, v := cs.solveK(g, k, float64(cs.set.Target), false)
		if v > 0 {
			continue
		}
		ps = cs.steadier(g, ps)
		for _, v := range g {
			in[v] = false
		}
		parts = append(parts, ps...)
		planned++
	}
	if planned == 0 {
		return nil, false
	}
	nInside := len(parts)
	for _, rest := range cs.components(in) {
		w := cs.sum(rest)
		if w == 0 {
			// Empty pieces (a shop enclosed by a compound) join the
			// neighbouring grid they share most atoms with.
			if g := cs.neighbourPart(rest, parts[:nInside]); g >= 0 {
				parts[g] = append(parts[g], rest...)
				sort.Ints(parts[g])
				continue
			}
		}
		k, feasible := cs.gridCount(w)
		if !feasible {
			return nil, false
		}
		ps, v := cs.solveK(rest, k, float64(cs.set.Target), false)
		if v > 0 {
			return nil, false
		}
		parts = append(parts, cs.steadier(rest, ps)...)
	}
	return parts, true
}

// neighbourPart returns the index of the part adjacent to nodes with the most
// adjacencies, or -1.
func (cs *communitySolver) neighbourPart(nodes []int, parts [][]int) int {
	owner := map[int]int{}
	for i, p := range parts {
		for _, v := range p {
			owner[v] = i
		}
	}
	count := make([]int, len(parts))
	for _, v := range nodes {
		for _, u := range cs.adj[v] {
			if i, ok := owner[int(u)]; ok {
				count[i]++
			}
		}
	}
	best := -1
	for i, c := range count {
		if c > 0 && (best < 0 || c > count[best]) {
			best = i
		}
	}
	return best
}

// connected reports whether nodes induce a connected subgraph.
func (cs *communitySolver) connected(nodes []int) bool {
	if len(nodes) == 0 {
		return true
	}
	// Reached nodes get a second stamp, so one array serves both.
	m := &cs.conn
	in, seen := m.pair()
	for _, v := range nodes {
		m.mark[v] = in
	}
	m.mark[nodes[0]] = seen
	stack := append(cs.connStack[:0], int32(nodes[0]))
	found := 1
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range cs.adj[v] {
			if m.mark[u] == in {
				m.mark[u] = seen
				found++
				stack = append(stack, u)
			}
		}
	}
	cs.connStack = stack
	return found == len(nodes)
}

// solveK splits the connected nodes into k connected parts, trying several
// random spanning-tree bisections, each improved by local search, and keeps
// the least violating, then cheapest. target is the ideal part total. A deep
// search tries more plans and recombines the parts still out of band.
func (cs *communitySolver) solveK(nodes []int, k int, target float64, deep bool) ([][]int, int) {
	return cs.solveKTo(nodes, k, target, deep, 0)
}

// solveKTo is solveK for nodes whose plans are known to violate the band by
// at least floor households in all: it stops trying once a plan does no
// more.
func (cs *communitySolver) solveKTo(nodes []int, k int, target float64, deep bool, floor int) ([][]int, int) {
	k = min(k, len(nodes))
	if k <= 1 {
		return [][]int{nodes}, cs.violation(cs.sum(nodes), 1)
	}
	const minAttempts = 2 // a second plan is cheap and often more compact
	maxAttempts := 3      // quick: a few plans
	if deep {
		maxAttempts = 12 // while the band is violated and the budget lasts
	}
	var best [][]int
	bestV, bestCost := math.MaxInt, math.Inf(1)
	for attempt := 0; attempt < maxAttempts; attempt++ {
		parts := cs.bisect(nodes, k)
		ls := cs.newLocalSearch(nodes, parts, target)
		ls.run()
		if ls.violation() > 0 {
			ls.repair()
			ls.run()
		}
		if deep && ls.violation() > floor {
			ls = cs.newLocalSearch(nodes, cs.recombine(ls.parts(), floor), target)
			ls.run()
		}
		parts = ls.parts()
		v, cost := ls.violation(), ls.cost()
		if v < bestV || v == bestV && cost < bestCost {
			best, bestV, bestCost = parts, v, cost
		}
		if bestV == 0 && attempt+1 >= minAttempts || bestV > 0 && bestV <= floor || cs.budget <= 0 {
			break
		}
	}
	if bestV == 0 {
		best = cs.polishMargins(nodes, best, target)
		best = cs.polishRejoins(nodes, best, target)
	}
	return best, bestV
}

// bisect splits connected nodes into k connected parts by recursive cuts of
// random spanning trees. At each level it draws trees until one has a cut
// leaving two sides whose totals can hold k1 and k-k1 grids in band (or
// maxCutTries trees are drawn, keeping the least violating cut), then
// recurses once; a plan that fails deeper down is retried whole by the
// caller.
func (cs *communitySolver) bisect(nodes []int, k int) [][]int {
	return cs.bisectTries(nodes, k, maxCutTries)
}

// maxCutTries bounds the trees drawn per cut of bisect.
const maxCutTries = 8

// bisectTries is bisect with up to tries trees per cut.
func (cs *communitySolver) bisectTries(nodes []int, k, tries int) [][]int {
	if k == 1 {
		return [][]int{nodes}
	}
	var a, b []int
	var k1 int
	bestV := math.MaxInt
	for try := 0; try < tries; try++ {
		ta, tb, tk, v := cs.cut(nodes, k)
		if v < bestV {
			a, b, k1, bestV = ta, tb, tk, v
		}
		if bestV == 0 || cs.budget <= 0 {
			break
		}
	}
	return append(cs.bisectTries(a, k1, tries), cs.bisectTries(b, k-k1, tries)...)
}

// cut draws a random spanning tree of the connected nodes and removes the
// edge that best splits it into k1 and k-k1 grids: least band violation on
// both sides, then the totals closest to k1 and k-k1 equal shares.
func (cs *communitySolver) cut(nodes []int, k int) (a, b []int, k1, viol int) {
	parent, order := cs.randomTree(nodes)
	total, n := cs.sum(nodes), len(nodes)
	sc := &cs.scratch
	for _, v := range order {
		sc.sub[v], sc.size[v] = 0, 0
	}
	for i := len(order) - 1; i >= 0; i-- {
		v := order[i]
		sc.sub[v] += cs.w[v]
		sc.size[v]++
		if p := parent[v]; p >= 0 {
			sc.sub[p] += sc.sub[v]
			sc.size[p] += sc.size[v]
		}
	}
	bestV, bestD, bestNode := math.MaxInt, math.Inf(1), -1
	share := float64(total) / float64(k)
	for _, v := range order[1:] {
		s, size := sc.sub[v], int(sc.size[v])
		guess := int(math.Round(float64(s) / share))
		guess = min(max(guess, 1), k-1)
		for j := guess - 1; j <= guess+1; j++ {
			if j < 1 || j > k-1 || size < j || n-size < k-j {
				continue // each side needs an atom per grid
			}
			viol := cs.violation(s, j) + cs.violation(total-s, k-j)
			d := math.Abs(float64(s) - float64(j)*share)
			if viol < bestV || viol == bestV && d < bestD {
				bestV, bestD, bestNode, k1 = viol, d, v, j
			}
		}
	}
	// Side a is the subtree under bestNode; parents come first in order.
	sc.stamp++
	sc.mark[bestNode] = sc.stamp
	for _, v := range order {
		if p := parent[v]; p >= 0 && sc.mark[p] == sc.stamp {
			sc.mark[v] = sc.stamp
		}
	}
	for _, v := range nodes {
		if sc.mark[v] == sc.stamp {
			a = append(a, v)
		} else {
			b = append(b, v)
		}
	}
	return a, b, k1, bestV
}

// treeScratch holds per-community buffers indexed by local node, reused by
// every spanning tree so that drawing one allocates little.
type treeScratch struct {
	stamp  int32
	mark   []int32 // == stamp: marked in the current pass
	in     []int32 // == inStamp: node belongs to the current node set
	uf     []int32
	parent []int
	sub    []int
	size   []int32
	deg    []int32
	start  []int32
	nbrs   []int32
	edges  []treeEdge
	sorted []treeEdge // sortEdges' other buffer
	count  []int32    // sortEdges' buckets
}

type treeEdge struct {
	a, b int32
	key  float64
}

// sortEdges orders sc.edges by key, ascending, in time linear in their
// number: the keys are uniform in [0, 1), or in [1, 2) for barrier edges,
// so with one bucket per edge on each side a bucket holds one edge on
// average, and an insertion sort puts the few in one bucket in order. Ties
// (two equal random float64s) keep the order of sc.edges.
func (sc *treeScratch) sortEdges() {
	m := len(sc.edges)
	if m < 2 {
		return
	}
	fm := float64(m)
	bucket := func(key float64) int {
		if key < 1 {
			return min(int(key*fm), m-1)
		}
		return m + min(int((key-1)*fm), m-1)
	}
	count := sc.count[:0]
	for range 2*m + 1 {
		count = append(count, 0)
	}
	for _, e := range sc.edges {
		count[bucket(e.key)+1]++
	}
	for b := 1; b < len(count); b++ {
		count[b] += count[b-1]
	}
	out := slices.Grow(sc.sorted[:0], m)[:m]
	for _, e := range sc.edges {
		b := bucket(e.key)
		out[count[b]] = e
		count[b]++
	}
	// Buckets are in key order; only edges within one are out of order.
	for i := 1; i < m; i++ {
		e := out[i]
		j := i
		for ; j > 0 && out[j-1].key > e.key; j-- {
			out[j] = out[j-1]
		}
		out[j] = e
	}
	sc.count, sc.sorted, sc.edges = count, sc.edges, out
}

func (sc *treeScratch) init(n int) {
	sc.mark, sc.in = make([]int32, n), make([]int32, n)
	sc.uf, sc.parent = make([]int32, n), make([]int, n)
	sc.sub, sc.size = make([]int, n), make([]int32, n)
	sc.deg, sc.start = make([]int32, n), make([]int32, n+1)
}

func (sc *treeScratch) find(v int32) int32 {
	for sc.uf[v] != v {
		sc.uf[v] = sc.uf[sc.uf[v]]
		v = sc.uf[v]
	}
	return v
}

// randomTree returns a random spanning tree of the connected nodes as parent
// pointers (indexed by node; the root nodes[0] has -1; valid for nodes only,
// until the next call) and a breadth-first order from the root in which
// parents come before children. It is the minimum spanning tree under random
// edge keys (Kruskal), barrier edges last. Each tree counts against the
// community's budget.
func (cs *communitySolver) randomTree(nodes []int) (parent []int, order []int) {
	cs.poll()
	cs.budget--
	sc := &cs.scratch
	sc.stamp++
	in := sc.stamp
	for _, v := range nodes {
		sc.in[v] = in
		sc.uf[v] = int32(v)
		sc.deg[v] = 0
	}
	sc.edges = sc.edges[:0]
	for _, v := range nodes {
		for i, u := range cs.adj[v] {
			if int(u) > v && sc.in[u] == in {
				// Barrier edges come after all others, so the tree crosses
				// a barrier only where it must, and cutting it there
				// draws the boundary along the barrier.
				key := cs.rng.Float64()
				if cs.barrier[v][i] {
					key++
				}
				sc.edges = append(sc.edges, treeEdge{int32(v), u, key})
			}
		}
	}
	sc.sortEdges()
	tree := sc.edges[:0] // kept edges overwrite the sorted list in place
	for _, e := range sc.edges {
		ra, rb := sc.find(e.a), sc.find(e.b)
		if ra == rb {
			continue
		}
		sc.uf[ra] = rb
		tree = append(tree, e)
		sc.deg[e.a]++
		sc.deg[e.b]++
		if len(tree) == len(nodes)-1 {
			break // spanning: the edges left would close cycles
		}
	}
	// Adjacency of the tree in compressed rows over the node list order.
	pos := 0
	for _, v := range nodes {
		sc.start[v] = int32(pos)
		pos += int(sc.deg[v])
		sc.deg[v] = 0
	}
	if cap(sc.nbrs) < pos {
		sc.nbrs = make([]int32, pos)
	}
	nb := sc.nbrs[:pos]
	for _, e := range tree {
		nb[sc.start[e.a]+sc.deg[e.a]] = e.b
		sc.deg[e.a]++
		nb[sc.start[e.b]+sc.deg[e.b]] = e.a
		sc.deg[e.b]++
	}
	sc.stamp++
	seen := sc.stamp
	order = make([]int, 0, len(nodes))
	order = append(order, nodes[0])
	sc.parent[nodes[0]] = -1
	sc.mark[nodes[0]] = seen
	for i := 0; i < len(order); i++ {
		v := order[i]
		for _, u := range nb[sc.start[v] : sc.start[v]+sc.deg[v]] {
			if sc.mark[u] != seen {
				sc.mark[u] = seen
				sc.parent[u] = v
				order = append(order, int(u))
			}
		}
	}
	return sc.parent, order
}

type unionFind struct{ parent map[int]int }

func newUnionFind(nodes []int) *unionFind {
	uf := &unionFind{parent: make(map[int]int, len(nodes))}
	for _, v := range nodes {
		uf.parent[v] = v
	}
	return uf
}

func (uf *unionFind) find(v int) int {
	for uf.parent[v] != v {
		uf.parent[v] = uf.parent[uf.parent[v]]
		v = uf.parent[v]
	}
	return v
}

func (uf *unionFind) union(a, b int) bool {
	ra, rb := uf.find(a), uf.find(b)
	if ra == rb {
		return false
	}
	uf.parent[ra] = rb
	return true
}
