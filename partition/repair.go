package partition

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
	for round := 0; round < maxRounds; round++ {
		before := ls.violation()
		if before == 0 {
			return
		}
		improved := false
		for j := range ls.w {
			in := make([]bool, len(ls.w))
			in[j] = true
			switch {
			case ls.w[j] > ls.cs.set.Max:
				improved = ls.push(j, maxDepth, before, in)
			case ls.w[j] < ls.cs.set.Min:
				improved = ls.pull(j, maxDepth, before, in)
			}
			if improved {
				break
			}
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
	for _, v := range ls.nodes {
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
				if ls.push(int(q), depth-1, before, chain) {
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
	for _, v := range ls.nodes {
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
