package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// cellSlack is the share by which the cells of joinNearPoints are
// narrower than the least tolerance: far above the rounding of a cell
// index (about 1e9 cells of a longitude, rounded to 1e-16 of that).
const cellSlack = 1e-5

// cellTreeMin is the number of points of a cell above which
// joinNearPoints indexes them rather than trying each.
const cellTreeMin = 16

// cellSearchMax is the number of cells above which a point's tolerance
// (wide in longitude within a metre of a pole) is searched among all the
// points of its community instead.
const cellSearchMax = 16

// joinNearPoints joins (union) the point buildings among the first copies
// (first) that stand within StackTolM of one another ([standsOn]): as a
// search of every point's neighbourhood does, but in O(n log n) however
// many points crowd one spot. Points are binned in cells a little narrower
// than the least tolerance, so that the points of a cell all stand on one
// another; each point then looks, in every other cell its tolerance
// reaches and not yet joined to it, for one point within it, and stops at
// the first.
func joinNearPoints(bs []Building, first []int, find func(int) int, union func(a, b int)) {
	community := map[string]int{}
	var pts []int
	minDLon, dLat := math.Inf(1), 0.0
	for i := range bs {
		p, ok := bs[i].Geometry.(orb.Point)
		if !ok || first[i] != i {
			continue
		}
		if _, ok := community[bs[i].Community]; !ok {
			community[bs[i].Community] = len(community)
		}
		pts = append(pts, i)
		dLon, dl := degreesFor(StackTolM, p[1])
		minDLon, dLat = min(minDLon, dLon), dl
	}
	if len(pts) < 2 {
		return
	}
	type cellKey struct {
		community int
		x, y      int64
	}
	type cell struct {
		members []int
		tr      *rtree.RTreeG[int] // for cells of more than a few points
	}
	cx, cy := minDLon*(1-cellSlack), dLat*(1-cellSlack)
	cellOf := func(c int, p orb.Point) cellKey {
		return cellKey{c, int64(math.Floor(p[0] / cx)), int64(math.Floor(p[1] / cy))}
	}
	cells := map[cellKey]*cell{}
	for _, i := range pts {
		k := cellOf(community[bs[i].Community], bs[i].Geometry.(orb.Point))
		c := cells[k]
		if c == nil {
			c = &cell{}
			cells[k] = c
		} else {
			union(c.members[0], i)
		}
		c.members = append(c.members, i)
	}
	for _, c := range cells {
		if len(c.members) > cellTreeMin {
			c.tr = &rtree.RTreeG[int]{}
			for _, i := range c.members {
				p := bs[i].Geometry.(orb.Point)
				c.tr.Insert(p, p, i)
			}
		}
	}
	for _, j := range pts {
		p := bs[j].Geometry.(orb.Point)
		ci := community[bs[j].Community]
		dLon, _ := degreesFor(StackTolM, p[1])
		lo, hi := orb.Point{p[0] - dLon, p[1] - dLat}, orb.Point{p[0] + dLon, p[1] + dLat}
		near := func(i int) bool { return standsOn(p, bs[i].Geometry, true, dLon, dLat) }
		// The cells of the corners, and one more each way for the
		// rounding of lo and hi.
		clo, chi := cellOf(ci, lo), cellOf(ci, hi)
		if chi.x-clo.x > cellSearchMax {
			for _, i := range pts {
				if i != j && community[bs[i].Community] == ci && find(i) != find(j) && near(i) {
					union(i, j)
				}
			}
			continue
		}
		for x := clo.x - 1; x <= chi.x+1; x++ {
			for y := clo.y - 1; y <= chi.y+1; y++ {
				c := cells[cellKey{ci, x, y}]
				if c == nil || find(c.members[0]) == find(j) {
					continue
				}
				hit := -1
				if c.tr != nil {
					c.tr.Search(lo, hi, func(_, _ [2]float64, i int) bool {
						if near(i) {
							hit = i
						}
						return hit < 0
					})
				} else {
					for _, i := range c.members {
						if near(i) {
							hit = i
							break
						}
					}
				}
				if hit >= 0 {
					union(hit, j)
				}
			}
		}
	}
}
