package tess

import (
	"sync"

	"github.com/paulmach/orb"
)

// scratch is the working memory of one [Tessellate] or [Delaunay] call that
// does not end up in the result. A pool keeps it across calls; nothing a
// call returns may alias it.
type scratch struct {
	// triangulate
	local  []orb.Point // Tessellate: sites and frame points, local
	coords []float64
	ids    []int32
	index  []int32
	keep   []int32
	rep    []int32

	// sweep
	sc                          []float64
	keys, keyTmp                []sortKey
	orig                        []int32
	hullPrev, hullNext, hullTri []int32
	hullHash                    []int32
	hull                        []int32
	stack                       []int32
	short                       [][2]int32

	// builder
	cc       []orb.Point
	canon    []int32
	inside   []bool
	out      []int32
	clipKey  []int32
	clips    []clip
	su, sv   []float64
	xs       []orb.Point
	chunks   []chunk
	radixCnt [radixPasses][radixBuckets]int32

	// res is storage that a released tessellation handed on, for the
	// one being made (Tessellate only; empty otherwise, and emptied
	// before the scratch goes back: the result owns what it took).
	res results
}

// results is the storage of a [Tessellation]'s own slices: its vertices,
// cells and generators' units, which [Tessellation.Release] hands to the
// next Tessellate through cellPool, and its triangulation's, which
// [Tessellation.ReleaseTriangulation] hands on through triPool.
type results struct {
	verts                        []orb.Point
	genUnit                      []int
	cellStart, cellVert, cellNbr []int32
	vertex                       []int
	points                       []orb.Point
	triangles, halfedges         []int32
}

var cellPool, triPool sync.Pool // of *results

// take fills s.res with the storage released to the pools, if any.
func (s *scratch) take() {
	if r, _ := cellPool.Get().(*results); r != nil {
		s.res.verts, s.res.genUnit, s.res.cellStart, s.res.cellVert, s.res.cellNbr = r.verts, r.genUnit, r.cellStart, r.cellVert, r.cellNbr
	}
	if r, _ := triPool.Get().(*results); r != nil {
		s.res.vertex, s.res.points, s.res.triangles, s.res.halfedges = r.vertex, r.points, r.triangles, r.halfedges
	}
}

// chunk is one worker's share of the cells: starts relative to its own
// vert and nbr, and the pieces of the cell at hand.
type chunk struct {
	start, vert, nbr []int32
	pieces           []piece
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}
