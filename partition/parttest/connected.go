package parttest

import (
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"

	"gridplan/partition"
)

// Connected reports whether atoms, indices into p.Atoms, induce a connected
// subgraph of p's atom graph, whose edges are p.Edges; no atoms are
// connected. It is an oracle for the solver's own connectivity checks and
// shares no code with them: it reads p.Edges afresh into a gonum graph and
// counts the pieces with graph/topo.
func Connected(p partition.Problem, atoms []int) bool {
	return pieces(p, [][]int{atoms})[0] <= 1
}

// pieces returns, for each part, the number of connected pieces into which
// the edges of p between atoms of that part join its atoms. An atom listed
// in several parts counts in the first; atoms out of range are left out.
func pieces(p partition.Problem, parts [][]int) []int {
	partOf := make(map[int]int)
	g := simple.NewUndirectedGraph()
	for i, part := range parts {
		for _, a := range part {
			if _, dup := partOf[a]; dup || a < 0 || a >= len(p.Atoms) {
				continue
			}
			partOf[a] = i
			g.AddNode(simple.Node(a))
		}
	}
	for _, e := range p.Edges {
		pa, okA := partOf[e.A]
		pb, okB := partOf[e.B]
		if okA && okB && pa == pb && e.A != e.B {
			g.SetEdge(g.NewEdge(simple.Node(e.A), simple.Node(e.B)))
		}
	}
	n := make([]int, len(parts))
	for _, comp := range topo.ConnectedComponents(g) {
		n[partOf[int(comp[0].ID())]]++
	}
	return n
}
