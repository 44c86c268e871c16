package partition_test

import (
	"testing"

	"gridplan/partition"
)

func TestGridRange(t *testing.T) {
	for _, tc := range []struct{ total, min, max, lo, hi int }{
		{0, 300, 500, 1, 0},
		{299, 300, 500, 1, 0},
		{300, 300, 500, 1, 1},
		{500, 300, 500, 1, 1},
		{501, 300, 500, 2, 1}, // band gap: one grid is too full, two too empty
		{600, 300, 500, 2, 2},
		{1000, 300, 500, 2, 3},
		{2400, 300, 500, 5, 8},
	} {
		lo, hi := partition.GridRange(tc.total, tc.min, tc.max)
		if lo != tc.lo || hi != tc.hi {
			t.Errorf("GridRange(%d, %d, %d) = %d, %d, want %d, %d", tc.total, tc.min, tc.max, lo, hi, tc.lo, tc.hi)
		}
	}
}
