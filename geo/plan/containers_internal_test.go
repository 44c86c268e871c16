package plan

import (
	"slices"
	"testing"
)

// TestWholeContainers: a footprint holding smaller buildings joins them
// when together, with what stands on any of them, they weigh at most max;
// otherwise it is drawn as a point.
func TestWholeContainers(t *testing.T) {
	for _, tc := range []struct {
		name       string
		group      []int
		holds      [][]int
		weight     []int
		wantGroup  []int
		wantPoints [][]int
	}{
		{"fits", []int{0, 1, 2, 3}, [][]int{nil, {2, 3}, nil, nil}, []int{100, 0, 150, 150}, []int{0, 1, 1, 1}, [][]int{nil, nil, nil, nil}},
		{"exactly max", []int{0, 1, 2}, [][]int{{1, 2}, nil, nil}, []int{0, 250, 250}, []int{0, 0, 0}, [][]int{nil, nil, nil}},
		{"over max", []int{0, 1, 2}, [][]int{{1, 2}, nil, nil}, []int{0, 250, 251}, []int{0, 1, 2}, [][]int{{1, 2}, nil, nil}},
		// Building 3 stands on tower 2 (a unit drawn as a point): its
		// households count too.
		{"stacked on a tower", []int{0, 1, 2, 2}, [][]int{{1, 2}, nil, nil, nil}, []int{0, 200, 200, 200}, []int{0, 1, 2, 2}, [][]int{{1, 2}, nil, nil, nil}},
		// A parcel holding a podium that holds a tower: the podium joins
		// its tower first, then the parcel both.
		{"nested", []int{0, 1, 2}, [][]int{{1, 2}, {2}, nil}, []int{10, 0, 300}, []int{0, 0, 0}, [][]int{nil, nil, nil}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			group, points := wholeContainers(tc.group, tc.holds, tc.weight, 500)
			if !slices.Equal(group, tc.wantGroup) {
				t.Errorf("wholeContainers group = %v, want %v", group, tc.wantGroup)
			}
			for i := range points {
				if !slices.Equal(points[i], tc.wantPoints[i]) {
					t.Errorf("wholeContainers points[%d] = %v, want %v", i, points[i], tc.wantPoints[i])
				}
			}
			if tc.group[0] != 0 || (len(tc.group) > 1 && tc.group[1] != 1) {
				t.Errorf("wholeContainers modified its input group: %v", tc.group)
			}
		})
	}
}
