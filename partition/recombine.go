package partition

import "sort"

// recombine lowers the band violation of parts by redrawing small unions of
// neighbouring parts, in the manner of the ReCom chain: the union of an
// out-of-band part with one neighbour (or two) is split anew along random
// spanning trees, and the new split is kept if it has less violation than the
// parts it replaces. parts is modified and returned.
func (cs *communitySolver) recombine(parts [][]int) [][]int {
	const (
		maxRounds     = 30 // each successful round lowers the violation
		treesPerUnion = 24 // random trees drawn per union
	)
	owner := make([]int32, len(cs.global))
	for round := 0; round < maxRounds; round++ {
		for i := range owner {
			owner[i] = -1
		}
		for j, p := range parts {
			for _, v := range p {
				owner[v] = int32(j)
			}
		}
		improved := false
		for j := range parts {
			vj := cs.violation(cs.sum(parts[j]), 1)
			if vj == 0 {
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
				if after < before {
					for i, g := range group {
						parts[g] = split[i]
					}
					improved = true
					break
				}
			}
			if improved {
				break
			}
		}
		if !improved {
			break
		}
	}
	return parts
}

// unions lists the groups of parts to redraw around part j: j with each
// neighbour, then j with each pair of neighbours-of-the-union.
func (cs *communitySolver) unions(j int, parts [][]int, owner []int32) [][]int {
	neighbours := func(set map[int]bool) []int {
		seen := map[int]bool{}
		var out []int
		for g := range set {
			for _, v := range parts[g] {
				for _, u := range cs.adj[v] {
					if q := int(owner[u]); q >= 0 && !set[q] && !seen[q] {
						seen[q] = true
						out = append(out, q)
					}
				}
			}
		}
		sort.Ints(out)
		return out
	}
	var groups [][]int
	first := neighbours(map[int]bool{j: true})
	for _, q := range first {
		groups = append(groups, []int{j, q})
	}
	for _, q := range first {
		for _, r := range neighbours(map[int]bool{j: true, q: true}) {
			if r > q || !contains(first, r) {
				groups = append(groups, []int{j, q, r})
			}
		}
	}
	return groups
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
// up to tries trees, and returns the least violating split found.
func (cs *communitySolver) resplit(nodes []int, k, tries int) ([][]int, int) {
	var best [][]int
	bestV := int(^uint(0) >> 1)
	for t := 0; t < tries; t++ {
		parts := cs.bisect(nodes, k)
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
