package partition

import (
	"slices"
	"testing"
)

// TestRowOrder: grids in two rows (the second 40 m lower, within half the
// typical diameter of 100 m of its first grid) are numbered row by row in
// both orders, and SouthEast is NorthWest turned through 180°.
func TestRowOrder(t *testing.T) {
	// Centroids: an upper row at y 200 (x 0, 100, 200) and a lower row at
	// y 0 and -40 (x 50, 150, 250), listed out of order.
	pos := [][2]float64{{150, 0}, {0, 200}, {200, 200}, {50, -40}, {100, 200}, {250, 0}}
	grids := make([]Grid, len(pos))
	for i, p := range pos {
		grids[i] = Grid{X: p[0], Y: p[1], Atoms: []int{i}}
	}
	// The atoms span 300 x 300 m: 100 m per grid of 6 (sqrt(90000/6) ≈ 122).
	xs, ys := []float64{-25, 275}, []float64{-50, 250}
	for _, tc := range []struct {
		order Order
		want  []int
	}{
		{NorthWest, []int{1, 4, 2, 3, 0, 5}}, // (0,200) (100,200) (200,200), then (50,-40) (150,0) (250,0)
		{SouthEast, []int{5, 0, 3, 2, 4, 1}}, // (250,0) (150,0) (50,-40), then (200,200) (100,200) (0,200)
	} {
		if got := rowOrder(grids, xs, ys, tc.order); !slices.Equal(got, tc.want) {
			t.Errorf("rowOrder(order %d) = %v, want %v", tc.order, got, tc.want)
		}
	}
}
