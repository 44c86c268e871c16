package partition

// closedWork bounds the steps of the closed-set rule, in multiples of the
// piece's atoms and edges: the rule only adds proofs, so where it would
// take longer it is left out.
const closedWork = 16

// closed applies the rule of closed sets (see the rules above): it reports
// a contradiction, with r.why set, if some closed set of non-empty units
// fits no whole number of grids. A closed set holding a unit that every
// other can share a grid with holds every non-empty unit of the piece,
// whose count cuts checked already, so only sets of units that exclude
// some other are followed, and a set that meets any other unit is given
// up at once, as is every set that reaches one given up before.
func (r *reducer) closed() bool {
	set := r.cs.set
	// The two heaviest units: u excludes some unit if w(u) plus the
	// heaviest other exceeds max.
	first, second := int32(-1), int32(-1)
	steps := 0
	for i := range r.nodes {
		u := int32(i)
		if r.uf[u] != u {
			continue
		}
		steps += len(r.cs.adj[r.nodes[i]])
		switch {
		case first < 0 || r.w[u] > r.w[first]:
			first, second = u, first
		case second < 0 || r.w[u] > r.w[second]:
			second = u
		}
	}
	if second < 0 {
		return false
	}
	excludes := func(u int32) bool {
		other := first
		if u == first {
			other = second
		}
		return r.w[u]+r.w[other] > set.Max
	}
	budget := closedWork * (len(r.nodes) + steps)
	open := make([]bool, len(r.nodes)) // by root: its closed set holds every unit
	in := make([]int32, len(r.nodes))  // by root: 1 + the start of the set holding it
	var z []int32
	for i := range r.nodes {
		u := int32(i)
		if r.uf[u] != u || r.w[u] == 0 || open[u] || !excludes(u) {
			continue
		}
		z = append(z[:0], u)
		in[u] = u + 1
		total := r.w[u]
		escaped := false
		for k := 0; k < len(z) && !escaped; k++ {
			budget -= r.reach(z[k], func(v int32) bool {
				if open[v] || !excludes(v) {
					escaped = true
					return false
				}
				if in[v] != u+1 {
					in[v] = u + 1
					z = append(z, v)
					total += r.w[v]
				}
				return true
			})
			if budget < 0 {
				return false
			}
		}
		if escaped {
			open[u] = true
			continue
		}
		if lo, hi := GridRange(total, set.Min, set.Max); lo > hi {
			r.why = proof{kind: proofClosed, w: total}
			for _, x := range z {
				for _, m := range r.members[x] {
					r.why.atoms = append(r.why.atoms, r.nodes[m])
				}
			}
			return true
		}
	}
	return false
}

// reach walks breadth first from the unit z over the units of the piece
// that z can share a grid with (empty, or with w(z)+w(v) <= max), and
// calls visit once for each non-empty unit reached, going on through it;
// it stops once visit returns false. It returns the edges it looked at.
func (r *reducer) reach(z int32, visit func(v int32) bool) int {
	max := r.cs.set.Max
	seen := r.seen.next()
	r.seen.mark[z] = seen
	queue := append(r.queue[:0], z)
	steps := 0
	for k := 0; k < len(queue); k++ {
		for _, i := range r.members[queue[k]] {
			steps += len(r.cs.adj[r.nodes[i]])
		}
		if !r.adjacent(queue[k], &r.seen, seen, func(v int32) bool {
			if r.w[v] > 0 && r.w[z]+r.w[v] > max {
				return true
			}
			queue = append(queue, v)
			return r.w[v] == 0 || visit(v)
		}) {
			break
		}
	}
	r.queue = queue
	return steps
}
