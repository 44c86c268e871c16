package partition

import (
	"fmt"
	"sort"
)

// recombine lowers the band violation of parts by redrawing small unions of
// neighbouring parts, in the manner of the ReCom chain: the union of an
// out-of-band part with one neighbour (or two) is split anew along random
// spanning trees, and the new split is kept if it has less violation than the
// parts it replaces, until the violation is down to floor. parts is
// modified and returned.
func (cs *communitySolver) recombine(parts [][]int, floor int) [][]int {
	const (
		maxRounds     = 30 // each successful round lowers the violation
		treesPerUnion = 24 // random splits per union, one tree per cut
	)
	owner := make([]int32, len(cs.global))
	for round := 0; round < maxRounds && cs.budget > 0 && cs.totalViolation(parts) > floor; round++ {
		cs.poll()
		setOwners(owner, parts)
		improved := false
		for j := range parts {
			vj := cs.violation(cs.sum(parts[j]), 1)
			if vj == 0 || cs.anyHopeless(parts[j]) {
				continue
			}
			for _, group := range cs.unions(j, parts, owner) {
				var nodes []int
				before := 0
				for _, g := range group {
					nodes = append(nodes, parts[g]...)
					before += cs.violation(cs.sum(parts[g]), 1)
				}
				sort.Ints(nodes)
				split, after := cs.resplit(nodes, len(group), treesPerUnion)
				if split != nil && after < before {
					for i, g := range group {
						parts[g] = split[i]
					}
					improved = true
					break
				}
			}
			if improved || cs.budget <= 0 {
				break
			}
		}
		if !improved {
			break
		}
	}
	return parts
}

// unions lists the groups of parts to redraw around part j: the connected
// sets of two, three and four parts holding j, smaller sets first.
func (cs *communitySolver) unions(j int, parts [][]int, owner []int32) [][]int {
	const (
		maxSize   = 4   // parts in a union; larger unions rarely help and cost more
		maxGroups = 120 // unions tried per out-of-band part and round
	)
	adjParts := make([][]int, len(parts))
	for g, p := range parts {
		seen := map[int]bool{g: true}
		for _, v := range p {
			for _, u := range cs.adj[v] {
				if q := int(owner[u]); q >= 0 && !seen[q] {
					seen[q] = true
					adjParts[g] = append(adjParts[g], q)
				}
			}
		}
		sort.Ints(adjParts[g])
	}
	var groups [][]int
	seen := map[string]bool{}
	level := [][]int{{j}}
	for size := 2; size <= maxSize && len(groups) < maxGroups; size++ {
		var next [][]int
		for _, g := range level {
			for _, a := range g {
				for _, q := range adjParts[a] {
					if contains(g, q) {
						continue
					}
					ng := append(append([]int(nil), g...), q)
					sort.Ints(ng)
					key := fmt.Sprint(ng)
					if seen[key] {
						continue
					}
					seen[key] = true
					next = append(next, ng)
				}
			}
		}
		for _, g := range next {
			if len(groups) == maxGroups {
				break
			}
			groups = append(groups, g)
		}
		level = next
	}
	return groups
}

func (cs *communitySolver) anyHopeless(nodes []int) bool {
	for _, v := range nodes {
		if cs.hopeless[v] {
			return true
		}
	}
	return false
}

func contains(s []int, x int) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

// resplit splits connected nodes into k parts along random spanning trees,
// up to tries splits while the community's budget of trees lasts, and
// returns the least violating split found (nil if the budget was spent).
func (cs *communitySolver) resplit(nodes []int, k, tries int) ([][]int, int) {
	var best [][]int
	bestV := int(^uint(0) >> 1)
	for t := 0; t < tries && cs.budget > 0; t++ {
		// One tree per cut: many cheap splits find more than a few
		// careful ones.
		parts := cs.bisectTries(nodes, k, 1)
		v := 0
		for _, p := range parts {
			v += cs.violation(cs.sum(p), 1)
		}
		if v < bestV {
			best, bestV = parts, v
		}
		if bestV == 0 {
			break
		}
	}
	return best, bestV
}

// setOwners sets owner[v] to the index of the part holding v, and to -1
// for nodes in no part.
func setOwners(owner []int32, parts [][]int) {
	for i := range owner {
		owner[i] = -1
	}
	for j, p := range parts {
		for _, v := range p {
			owner[v] = int32(j)
		}
	}
}
