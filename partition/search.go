package partition

import (
	"math"
	"sort"
)

// solveFeasible plans a connected component whose total admits k grids in
// band. Compounds larger than max whose own total admits grids in band are
// planned first, alone, so their grids lie inside them (SPEC §3); the rest is
// planned around them. If that leaves a piece that cannot be planned in band,
// the whole component is planned jointly instead: first with quick plans for
// k and the other feasible counts nearest to it, then, if none is in band,
// with recombination of the parts that are not.
func (cs *communitySolver) solveFeasible(comp []int, k int) [][]int {
	if parts, ok := cs.solveCompoundsFirst(comp); ok {
		return parts
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
	bestV := math.MaxInt
	for _, deep := range []bool{false, true} {
		for _, j := range ks {
			parts, v := cs.solveK(comp, j, float64(cs.set.Target), deep)
			if v < bestV {
				best, bestV = parts, v
			}
			if bestV == 0 {
				return best
			}
		}
	}
	return best
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
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
		parts = append(parts, ps...)
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
	in := make(map[int32]bool, len(nodes))
	for _, v := range nodes {
		in[int32(v)] = true
	}
	seen := map[int32]bool{int32(nodes[0]): true}
	stack := []int32{int32(nodes[0])}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range cs.adj[v] {
			if in[u] && !seen[u] {
				seen[u] = true
				stack = append(stack, u)
			}
		}
	}
	return len(seen) == len(nodes)
}

// solveK splits the connected nodes into k connected parts, trying several
// random spanning-tree bisections, each improved by local search, and keeps
// the least violating, then cheapest. target is the ideal part total. A deep
// search tries more plans and recombines the parts still out of band.
func (cs *communitySolver) solveK(nodes []int, k int, target float64, deep bool) ([][]int, int) {
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
		if deep && ls.violation() > 0 {
			ls = cs.newLocalSearch(nodes, cs.recombine(ls.parts()), target)
			ls.run()
		}
		parts = ls.parts()
		v, cost := ls.violation(), ls.cost()
		if v < bestV || v == bestV && cost < bestCost {
			best, bestV, bestCost = parts, v, cost
		}
		if bestV == 0 && attempt+1 >= minAttempts || cs.budget <= 0 {
			break
		}
	}
	return best, bestV
}

// bisect splits connected nodes into k connected parts by recursive cuts of
// random spanning trees. At each level it draws trees until one has a cut
// leaving two sides whose totals can hold k1 and k-k1 grids in band (or the
// tries run out, keeping the least violating cut), then recurses once; a plan
// that fails deeper down is retried whole by the caller.
func (cs *communitySolver) bisect(nodes []int, k int) [][]int {
	if k == 1 {
		return [][]int{nodes}
	}
	const maxTries = 8
	var a, b []int
	var k1 int
	bestV := math.MaxInt
	for try := 0; try < maxTries; try++ {
		cs.budget--
		ta, tb, tk, v := cs.cut(nodes, k)
		if v < bestV {
			a, b, k1, bestV = ta, tb, tk, v
		}
		if bestV == 0 || cs.budget <= 0 {
			break
		}
	}
	return append(cs.bisect(a, k1), cs.bisect(b, k-k1)...)
}

// cut draws a random spanning tree of the connected nodes and removes the
// edge that best splits it into k1 and k-k1 grids: least band violation on
// both sides, then the totals closest to k1 and k-k1 equal shares.
func (cs *communitySolver) cut(nodes []int, k int) (a, b []int, k1, viol int) {
	parent, order := cs.randomTree(nodes)
	total, n := cs.sum(nodes), len(nodes)
	sub := make(map[int]int, n)
	size := make(map[int]int, n)
	for i := len(order) - 1; i >= 0; i-- {
		v := order[i]
		sub[v] += cs.w[v]
		size[v]++
		if p := parent[v]; p >= 0 {
			sub[p] += sub[v]
			size[p] += size[v]
		}
	}
	bestV, bestD, bestNode := math.MaxInt, math.Inf(1), -1
	share := float64(total) / float64(k)
	for _, v := range order[1:] {
		s := sub[v]
		guess := int(math.Round(float64(s) / share))
		guess = min(max(guess, 1), k-1)
		for j := guess - 1; j <= guess+1; j++ {
			if j < 1 || j > k-1 || size[v] < j || n-size[v] < k-j {
				continue // each side needs an atom per grid
			}
			viol := cs.violation(s, j) + cs.violation(total-s, k-j)
			d := math.Abs(float64(s) - float64(j)*share)
			if viol < bestV || viol == bestV && d < bestD {
				bestV, bestD, bestNode, k1 = viol, d, v, j
			}
		}
	}
	// Side a is the subtree under bestNode.
	inA := map[int]bool{bestNode: true}
	for _, v := range order {
		if p := parent[v]; p >= 0 && inA[p] {
			inA[v] = true
		}
	}
	for _, v := range nodes {
		if inA[v] {
			a = append(a, v)
		} else {
			b = append(b, v)
		}
	}
	return a, b, k1, bestV
}

// randomTree returns a random spanning tree of the connected nodes as parent
// pointers (the root nodes[0] has -1) and a breadth-first order from the root
// in which parents come before children. It is the minimum spanning tree under
// random edge keys (Kruskal), barrier edges last.
func (cs *communitySolver) randomTree(nodes []int) (parent map[int]int, order []int) {
	in := make(map[int]bool, len(nodes))
	for _, v := range nodes {
		in[v] = true
	}
	type edge struct {
		a, b int
		key  float64
	}
	var edges []edge
	for _, v := range nodes {
		for i, u := range cs.adj[v] {
			if int(u) > v && in[int(u)] {
				// Barrier edges come after all others, so the tree crosses
				// a barrier only where it must, and cutting it there
				// draws the boundary along the barrier.
				key := cs.rng.Float64()
				if cs.barrier[v][i] {
					key++
				}
				edges = append(edges, edge{v, int(u), key})
			}
		}
	}
	sort.Slice(edges, func(i, j int) bool { return edges[i].key < edges[j].key })
	uf := newUnionFind(nodes)
	tree := make(map[int][]int, len(nodes))
	for _, e := range edges {
		if uf.union(e.a, e.b) {
			tree[e.a] = append(tree[e.a], e.b)
			tree[e.b] = append(tree[e.b], e.a)
		}
	}
	parent = make(map[int]int, len(nodes))
	parent[nodes[0]] = -1
	order = append(order, nodes[0])
	for i := 0; i < len(order); i++ {
		v := order[i]
		for _, u := range tree[v] {
			if _, seen := parent[u]; !seen {
				parent[u] = v
				order = append(order, u)
			}
		}
	}
	return parent, order
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

// single reports whether v's set has no other member: union makes the
// root of a set of two or more point at itself only if it was never joined.
func (uf *unionFind) single(v int) bool {
	r := uf.find(v)
	for u := range uf.parent {
		if u != r && uf.find(u) == r {
			return false
		}
	}
	return true
}

func (uf *unionFind) union(a, b int) bool {
	ra, rb := uf.find(a), uf.find(b)
	if ra == rb {
		return false
	}
	uf.parent[ra] = rb
	return true
}
