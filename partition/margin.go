package partition

import "sort"

// Redrawing pairs of grids for their margins. A grid of a few large towers
// that sits at an edge of the band often cannot step off it by moving or
// swapping single atoms: every move overshoots the other edge or leaves its
// neighbour out of band. Redrawing the grid together with one neighbour, in
// the manner of the ReCom chain (split the union along a random spanning
// tree), reaches the splits that need several atoms to change sides at once.
const (
	polishTrees  = 12 // spanning trees drawn per pair of grids
	polishRounds = 3  // passes over the grids at an edge; each keeps only gains
)

// polishMargins redraws pairs of neighbouring parts of nodes, one of them
// near an edge of the band, where a split of their union lowers the
// objective with both in band. parts are connected and in band; the result
// is too, with the same number of parts.
func (cs *communitySolver) polishMargins(nodes []int, parts [][]int, target float64) [][]int {
	if len(parts) < 2 {
		return parts
	}
	// Pairs are weighed with the normalisers of the whole, so that a gain
	// for the pair is a gain for the plan.
	whole := cs.newLocalSearch(nodes, parts, target)
	owner := make(map[int]int, len(nodes))
	for j, p := range parts {
		for _, v := range p {
			owner[v] = j
		}
	}
	for round := 0; round < polishRounds; round++ {
		improved := false
		for j := range parts {
			if cs.set.edgeRisk(cs.sum(parts[j]), cs.sumSquares(parts[j])) == 0 {
				continue
			}
			for _, q := range cs.adjacentParts(parts[j], owner) {
				split, ok := cs.redrawPair(parts[j], parts[q], whole)
				if !ok {
					continue
				}
				parts[j], parts[q] = split[0], split[1]
				for i, p := range split {
					for _, v := range p {
						owner[v] = []int{j, q}[i]
					}
				}
				improved = true
				break
			}
		}
		if !improved {
			break
		}
	}
	return parts
}

func (cs *communitySolver) sumSquares(nodes []int) float64 {
	s := 0.0
	for _, v := range nodes {
		s += cs.sq[v]
	}
	return s
}

// adjacentParts lists the parts other than p's own that touch p, ascending.
func (cs *communitySolver) adjacentParts(p []int, owner map[int]int) []int {
	self := owner[p[0]]
	seen := map[int]bool{}
	var out []int
	for _, v := range p {
		for _, u := range cs.adj[v] {
			if q, ok := owner[int(u)]; ok && q != self && !seen[q] {
				seen[q] = true
				out = append(out, q)
			}
		}
	}
	sort.Ints(out)
	return out
}

// redrawPair splits the union of parts a and b of whole anew: the best cut
// of a few random spanning trees by the parts' own costs, improved by local
// search. ok is true, with the two new parts, if both are in band and the
// objective of the pair (with their common boundary) is lower than before.
func (cs *communitySolver) redrawPair(a, b []int, whole *localSearch) ([][]int, bool) {
	union := append(append(make([]int, 0, len(a)+len(b)), a...), b...)
	sort.Ints(union)
	before := whole.view(union, [][]int{a, b})
	old := before.cost()

	pos := make(map[int]int, len(union))
	for i, v := range union {
		pos[v] = i
	}
	n := len(union)

	own := make([]pairSums, n)
	for i, v := range union {
		x, y := cs.x[v]-before.ox, cs.y[v]-before.oy
		m := cs.m[v]
		own[i] = pairSums{cs.w[v], cs.sq[v], m, m * x, m * y, m * (x*x + y*y)}
	}
	var total pairSums
	for _, s := range own {
		total.add(s)
	}
	sub := make([]pairSums, n)
	var side []int
	bestCost := 0.0
	for t := 0; t < polishTrees && cs.budget > 0; t++ {
		parent, order := cs.randomTree(union)
		for _, v := range order {
			sub[pos[v]] = own[pos[v]]
		}
		for i := len(order) - 1; i > 0; i-- {
			sub[pos[parent[order[i]]]].add(sub[pos[order[i]]])
		}
		cut := -1
		for _, v := range order[1:] {
			s := sub[pos[v]]
			if cs.violation(s.w, 1) > 0 || cs.violation(total.w-s.w, 1) > 0 {
				continue
			}
			c := before.partCost(s.w, s.sq, s.m, s.x, s.y, s.xx) +
				before.partCost(total.w-s.w, total.sq-s.sq, total.m-s.m, total.x-s.x, total.y-s.y, total.xx-s.xx)
			if side == nil && cut < 0 || c < bestCost {
				cut, bestCost = v, c
			}
		}
		if cut < 0 {
			continue
		}
		// The side is the subtree under cut; parents come first in order.
		in := make([]bool, n)
		in[pos[cut]] = true
		side = side[:0]
		for _, v := range order {
			if v == cut || parent[v] >= 0 && in[pos[parent[v]]] {
				in[pos[v]] = true
				side = append(side, v)
			}
		}
	}
	if side == nil {
		return nil, false
	}
	inSide := make(map[int]bool, len(side))
	for _, v := range side {
		inSide[v] = true
	}
	var pa, pb []int
	for _, v := range union {
		if inSide[v] {
			pa = append(pa, v)
		} else {
			pb = append(pb, v)
		}
	}
	ls := whole.view(union, [][]int{pa, pb})
	ls.run()
	if ls.violation() > 0 || ls.cost() >= old-minGain {
		return nil, false
	}
	return ls.parts(), true
}

// pairSums are the running sums of partCost for a set of atoms.
type pairSums struct {
	w               int
	sq, m, x, y, xx float64
}

func (s *pairSums) add(o pairSums) {
	s.w += o.w
	s.sq += o.sq
	s.m += o.m
	s.x += o.x
	s.y += o.y
	s.xx += o.xx
}
