package partition_test

import (
	"context"
	"fmt"
	"log"

	"gridplan/partition"
)

// Six buildings in two rows of three, 50 m apart, each sharing a wall with
// its neighbours in its row and column, make one community of 800
// households: two grids in the default band of 300 to 500.
func ExampleSolve() {
	weights := []int{120, 150, 130, 140, 160, 100}
	p := partition.Problem{Communities: []string{"Xinhua"}}
	for i, w := range weights {
		p.Atoms = append(p.Atoms, partition.Atom{
			Weight: w, Compound: -1, // no compound larger than the band's maximum
			X: float64(i%3) * 50, Y: -float64(i/3) * 50,
			Name: fmt.Sprintf("building %q", fmt.Sprint("B", i+1)),
		})
		if i%3 > 0 {
			p.Edges = append(p.Edges, partition.Edge{A: i - 1, B: i, LengthM: 20})
		}
		if i >= 3 {
			p.Edges = append(p.Edges, partition.Edge{A: i - 3, B: i, LengthM: 30})
		}
	}
	res, err := partition.Solve(context.Background(), p, nil) // nil: the default band and seed
	if err != nil {
		log.Fatal(err)
	}
	for _, g := range res.Grids {
		fmt.Printf("grid %d: atoms %v, %d households, %v\n", g.Seq, g.Atoms, g.Weight, g.Status)
	}
	fmt.Println(len(res.Diagnoses), "diagnoses")
	// Output:
	// grid 1: atoms [0 1 2], 400 households, ok
	// grid 2: atoms [3 4 5], 400 households, ok
	// 0 diagnoses
}

// A community below the band's minimum is one grid, under the band, and a
// diagnosis says why.
func ExampleSolve_diagnosis() {
	p := partition.Problem{
		Communities: []string{"Hamlet"},
		Atoms: []partition.Atom{
			{Weight: 80, Compound: -1, Name: `building "H1"`},
			{Weight: 90, X: 40, Compound: -1, Name: `building "H2"`},
		},
		Edges: []partition.Edge{{A: 0, B: 1, LengthM: 15}},
	}
	res, err := partition.Solve(context.Background(), p, nil)
	if err != nil {
		log.Fatal(err)
	}
	g := res.Grids[0]
	fmt.Printf("grid %d: %d households, %v (%s)\n", g.Seq, g.Weight, g.Status, g.Reason)
	for _, d := range res.Diagnoses {
		fmt.Printf("%s: %s (proven: %v)\n", d.Reason, d.Detail, d.Proven)
	}
	// Output:
	// grid 1: 170 households, under (community_too_small)
	// community_too_small: total 170 households is below the minimum 300 (proven: true)
}
