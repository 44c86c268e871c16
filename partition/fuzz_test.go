package partition_test

import (
	"testing"

	"gridplan/partition"
	"gridplan/partition/parttest"
)

// FuzzSolve builds small communities from bytes — weights, edges, flags —
// and checks that Solve never fails on a well-formed problem, that every
// plan keeps the hard rules, and that SolveCommunity plans each community
// as Solve does.
//
//	go test -fuzz=FuzzSolve ./partition
func FuzzSolve(f *testing.F) {
	f.Add([]byte{10, 20, 30, 200, 1, 2, 3, 4, 5, 6, 7, 8})
	f.Add([]byte{255, 255, 255, 0, 0, 0, 9, 9, 9, 9})
	f.Add([]byte{3, 120, 130, 140, 150, 160, 170, 180, 190, 0, 1, 1, 2, 2, 3})
	// A compound of 520 households, one building of 500: just over max.
	f.Add([]byte{9, 125, 5, 81, 101, 111, 61, 71, 44, 99, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		const maxAtoms = 40 // small enough for many runs a second
		n := 1 + int(data[0])%maxAtoms
		data = data[1:]
		p := partition.Problem{Communities: []string{"A", "B"}, Compounds: []string{"Q"}}
		for i := 0; i < n; i++ {
			b := data[i%len(data)]
			a := partition.Atom{Community: int(b>>7) & 1, Weight: 4 * int(b&0x7f), X: float64(i % 7), Y: float64(i / 7), Compound: -1}
			switch {
			case b%17 == 0:
				a.Dedicated = true
			case b%13 == 0:
				a.Weight = 600 // oversized
			case b%5 == 0:
				a.Compound = 0
			}
			p.Atoms = append(p.Atoms, a)
		}
		// Edges: a lattice of 7 columns, thinned by the bytes, within communities.
		for i := 0; i < n; i++ {
			b := data[(i*3+1)%len(data)]
			for _, j := range []int{i + 1, i + 7} {
				if j < n && (j != i+1 || i%7 != 6) && b&(1<<uint(j-i)%8) == 0 && p.Atoms[i].Community == p.Atoms[j].Community {
					p.Edges = append(p.Edges, partition.Edge{A: i, B: j, LengthM: 1})
				}
			}
		}
		s := partition.Settings{Min: 300, Target: 400, Max: 500}
		res := parttest.Solve(t, p, &s)
		parttest.CheckResult(t, p, &s, res)
		checkSolveCommunity(t, p, &s)
	})
}
