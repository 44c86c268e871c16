package tess_test

import (
	"context"
	"fmt"

	"gridplan/geo/geotest"
	"gridplan/geo/tess"

	"github.com/paulmach/orb"
)

// Two buildings (units 0 and 1), each represented by the sites along its
// footprint, in a 40 m × 20 m block: the unit cells split the block down the
// middle, sharing a 20 m border. Outlines keep every cell vertex on them
// (here the collinear ones too), so neighbouring outlines match vertex for
// vertex.
func ExampleTessellate() {
	a := tess.Sites(orb.Polygon{geotest.Square(5, 5, 15, 15)}, 5)
	b := tess.Sites(orb.Polygon{geotest.Square(25, 5, 35, 15)}, 5)
	sites := append(a, b...)
	unit := make([]int, len(sites))
	for i := len(a); i < len(sites); i++ {
		unit[i] = 1
	}
	ts, err := tess.Tessellate(context.Background(), sites, unit, 2, geotest.Square(0, 0, 40, 20))
	if err != nil {
		panic(err)
	}
	fmt.Println(ts.UnitAdjacency())
	fmt.Println(ts.UnitAreaM2(), ts.UnitOuterM())
	fmt.Println(ts.Regions([]int{0, 1}, 2)[1])
	// Output:
	// [{0 1 20}]
	// [400 400] [60 60]
	// [[[[20 7.5] [20 0] [27.5 0] [32.5 0] [40 0] [40 7.5] [40 12.5] [40 20] [32.5 20] [27.5 20] [20 20] [20 12.5] [20 7.5]]]]
}
