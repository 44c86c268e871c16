package partition

import (
	"fmt"
	"testing"
)

// checkPlan asserts the hard rules of SPEC §3 that the core owns, and the
// consistency of the result: every atom in exactly one grid, weights
// conserved, grids within one community, grids connected, statuses and
// reasons consistent with the band.
func checkPlan(t *testing.T, p Problem, s *Settings, res *Result) {
	t.Helper()
	set, err := s.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.AtomGrid) != len(p.Atoms) {
		t.Fatalf("AtomGrid has %d entries, want %d", len(res.AtomGrid), len(p.Atoms))
	}
	seen := make([]int, len(p.Atoms))
	total, gridTotal := 0, 0
	for _, a := range p.Atoms {
		total += a.Weight
	}
	adj := buildAdjacency(p)
	seqs := map[[2]int]bool{}
	for gi, g := range res.Grids {
		if len(g.Atoms) == 0 {
			t.Errorf("grid %d is empty", gi)
			continue
		}
		if seqs[[2]int{g.Community, g.Seq}] || g.Seq < 1 {
			t.Errorf("grid %d: sequence %d repeated or invalid in community %d", gi, g.Seq, g.Community)
		}
		seqs[[2]int{g.Community, g.Seq}] = true
		w := 0
		in := map[int]bool{}
		for _, a := range g.Atoms {
			seen[a]++
			if res.AtomGrid[a] != gi {
				t.Errorf("atom %d listed in grid %d but AtomGrid says %d", a, gi, res.AtomGrid[a])
			}
			if p.Atoms[a].Community != g.Community {
				t.Errorf("grid %d (community %d) holds atom %d of community %d", gi, g.Community, a, p.Atoms[a].Community)
			}
			w += p.Atoms[a].Weight
			in[a] = true
		}
		gridTotal += w
		if w != g.Weight {
			t.Errorf("grid %d: Weight %d, atoms sum to %d", gi, g.Weight, w)
		}
		// Connectivity: a traversal from the first atom inside the grid
		// reaches every atom.
		reached := map[int]bool{g.Atoms[0]: true}
		stack := []int{g.Atoms[0]}
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, nb := range adj[v] {
				if in[nb.atom] && !reached[nb.atom] {
					reached[nb.atom] = true
					stack = append(stack, nb.atom)
				}
			}
		}
		if len(reached) != len(g.Atoms) {
			t.Errorf("grid %d (community %d, seq %d) is not connected: %d of %d atoms reachable", gi, g.Community, g.Seq, len(reached), len(g.Atoms))
		}
		inBand := w >= set.Min && w <= set.Max
		switch {
		case g.Dedicated:
			if len(g.Atoms) != 1 && countDedicated(p, g) != 1 {
				t.Errorf("dedicated grid %d holds %d dedicated atoms", gi, countDedicated(p, g))
			}
		case inBand && (g.Status != OK || g.Reason != ""):
			t.Errorf("grid %d: weight %d in band but status %v reason %q", gi, w, g.Status, g.Reason)
		case !inBand && (g.Status == OK || g.Reason == ""):
			t.Errorf("grid %d: weight %d out of band but status %v reason %q", gi, w, g.Status, g.Reason)
		}
	}
	if gridTotal != total {
		t.Errorf("grids hold %d households, atoms %d", gridTotal, total)
	}
	for a, n := range seen {
		if n != 1 {
			t.Errorf("atom %d is in %d grids, want 1", a, n)
		}
	}
}

func countDedicated(p Problem, g Grid) int {
	n := 0
	for _, a := range g.Atoms {
		if p.Atoms[a].Dedicated {
			n++
		}
	}
	return n
}

// checkDeterministic solves p with one and with four workers and asserts the
// results are identical.
func checkDeterministic(t *testing.T, p Problem, s Settings) *Result {
	t.Helper()
	s.Workers = 1
	r1, err := Solve(p, &s)
	if err != nil {
		t.Fatal(err)
	}
	s.Workers = 4
	r4, err := Solve(p, &s)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := fmt.Sprint(r1), fmt.Sprint(r4); a != b {
		t.Fatalf("Solve with 1 and 4 workers differ")
	}
	return r1
}
