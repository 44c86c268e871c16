package partition

import "slices"

// repair lowers the band violation of a partition with chains of moves that
// single improving moves cannot find (ejection chains): an over-full grid
// passes a boundary atom to a neighbour, which, if now over-full, passes one
// on, and so on; an under-full grid pulls an atom from a neighbour, which may
// pull from the next. A chain is kept only if it lowers the total violation.
// Every move keeps the giving grid connected, so the partition stays valid.
func (ls *localSearch) repair() {
	const (
		maxDepth  = 4  // grids a chain may pass through
		maxRounds = 50 // successful chains per call; each lowers the violation by at least 1
	)
	in := make([]bool, len(ls.w)) // the parts of the chain
	defer func() { ls.members = nil }()
	for round := 0; round < maxRounds; round++ {
		ls.cs.poll()
		before := ls.violation()
		if before == 0 {
			return
		}
		// The atoms of each part, ascending: a chain that fails undoes its
		// moves and one that succeeds ends the round, so they hold for the
		// round (a large community has thousands of parts to scan).
		ls.members = make([][]int, len(ls.w))
		if ls.pos == nil {
			ls.pos = make(map[int]int, len(ls.nodes))
			for i, v := range ls.nodes {
				ls.pos[v] = i
			}
		}
		for _, v := range ls.nodes {
			p := ls.part[v]
			ls.members[p] = append(ls.members[p], v)
		}
		improved := false
		for j := range ls.w {
			in[j] = true
			switch {
			case ls.w[j] > ls.cs.set.Max:
				improved = ls.push(j, maxDepth, before, in)
			case ls.w[j] < ls.cs.set.Min:
				improved = ls.pull(j, maxDepth, before, in)
			}
			if improved {
				clear(in) // a chain that succeeds leaves its parts marked
				break
			}
			in[j] = false
		}
		if !improved {
			return
		}
	}
}

// move reassigns v to part q, keeping the running sums.
func (ls *localSearch) move(v, q int) {
	p := int(ls.part[v])
	ls.add(v, p, -1)
	ls.add(v, q, 1)
	ls.part[v] = int32(q)
}

// push tries to move an atom of part p to a neighbouring part not yet in the
// chain, continuing from that part if it becomes over-full.
func (ls *localSearch) push(p, depth, before int, chain []bool) bool {
	cs := ls.cs
	for _, v := range ls.members[p] {
		if int(ls.part[v]) != p || ls.count[p] == 1 || cs.w[v] == 0 {
			continue
		}
		tried := map[int32]bool{}
		for _, u := range cs.adj[v] {
			q := ls.part[u]
			if q < 0 || int(q) == p || chain[q] || tried[q] {
				continue
			}
			tried[q] = true
			if !ls.staysConnected(v) {
				break
			}
			ls.move(v, int(q))
			if ls.violation() < before {
				return true
			}
			if depth > 1 && ls.w[q] > cs.set.Max {
				chain[q] = true
				// q passes on from its atoms as they now are, v among them.
				saved := ls.members[q]
				ls.members[q] = ls.insertInOrder(saved, v)
				pushed := ls.push(int(q), depth-1, before, chain)
				ls.members[q] = saved
				if pushed {
					return true
				}
				chain[q] = false
			}
			ls.move(v, p)
		}
	}
	return false
}

// pull tries to move into part p an atom of a neighbouring part not yet in
// the chain, continuing from that part if it becomes under-full.
func (ls *localSearch) pull(p, depth, before int, chain []bool) bool {
	cs := ls.cs
	for _, v := range ls.members[p] {
		if int(ls.part[v]) != p {
			continue
		}
		for _, u := range cs.adj[v] {
			q := ls.part[u]
			if q < 0 || int(q) == p || chain[q] || ls.count[q] == 1 || cs.w[u] == 0 {
				continue
			}
			if !ls.staysConnected(int(u)) {
				continue
			}
			ls.move(int(u), p)
			if ls.violation() < before {
				return true
			}
			if depth > 1 && ls.w[q] < cs.set.Min {
				chain[q] = true
				if ls.pull(int(q), depth-1, before, chain) {
					return true
				}
				chain[q] = false
			}
			ls.move(int(u), int(q))
		}
	}
	return false
}

// insertInOrder returns a copy of s, atoms in the order of ls.nodes, with v
// inserted in that order.
func (ls *localSearch) insertInOrder(s []int, v int) []int {
	i, _ := slices.BinarySearchFunc(s, v, func(a, b int) int { return ls.pos[a] - ls.pos[b] })
	out := make([]int, 0, len(s)+1)
	return append(append(append(out, s[:i]...), v), s[i:]...)
}
