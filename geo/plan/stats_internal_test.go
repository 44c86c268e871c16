package plan

import (
	"slices"
	"testing"
)

func TestDistributionOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		ws   []int
		want Distribution
	}{
		{"empty", nil, Distribution{}},
		{"one value", []int{420}, Distribution{Min: 420, Median: 420, Mean: 420, Max: 420, StdDev: 0}},
		// Population deviation: sqrt(20000/3) = 81.65; the sample one would be 100.
		{"odd count", []int{500, 300, 400}, Distribution{Min: 300, Median: 400, Mean: 400, Max: 500, StdDev: 81.65}},
		// Median (350+420)/2, not the lower middle 350; deviation sqrt(17000/4) = 65.19.
		{"even count", []int{310, 480, 350, 420}, Distribution{Min: 310, Median: 385, Mean: 390, Max: 480, StdDev: 65.19}},
		{"even count, half median", []int{301, 300}, Distribution{Min: 300, Median: 300.5, Mean: 300.5, Max: 301, StdDev: 0.5}},
		// Mean 5/3 and deviation sqrt(2/9) are rounded to 2 decimals.
		{"rounded", []int{2, 1, 2}, Distribution{Min: 1, Median: 2, Mean: 1.67, Max: 2, StdDev: 0.47}},
		{"all equal", []int{400, 400, 400, 400}, Distribution{Min: 400, Median: 400, Mean: 400, Max: 400, StdDev: 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.ws)
			if got := distributionOf(tc.ws); got != tc.want {
				t.Errorf("distributionOf(%v) = %v, want %v", in, got, tc.want)
			}
			if !slices.Equal(tc.ws, in) {
				t.Errorf("distributionOf(%v) changed its argument to %v", in, tc.ws)
			}
		})
	}
}
