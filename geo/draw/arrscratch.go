package draw

import (
	"sync"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// arrScratch is the working memory of one arrangement: its vertices, edges
// and the tables that build them, which a community's arrangement needs by
// the hundred thousand and drops once its adjacency or grids are read. A
// pool keeps it for the next community, so that building arrangements
// allocates (and the collector sweeps) little beyond what they return.
type arrScratch struct {
	verts       []orb.Point
	ids         shape.PointIndex
	cellIDs     []int32 // addGridEdges: arrangement id of each tessellation vertex
	genGroup    []int32
	grid        []aEdge
	direct      []dEdge
	comm, comm2 []aEdge // the fixed edges, and nodeFixed's noded ones
	edges       []aEdge
	gEnd        []int32
	seen        map[uint64]int32 // mergeEdge's, in nodeFixed and node
	// sq are the squareIndexes nodeFixed, node and label make: 0 the
	// outline's and then node's, 1 the constraints', 2 label's boxes.
	sq [3]squareIndex
}

var arrPool = sync.Pool{New: func() any { return &arrScratch{seen: map[uint64]int32{}} }}

// seenMap returns the scratch's mergeEdge map, emptied.
func (s *arrScratch) seenMap() map[uint64]int32 {
	clear(s.seen)
	return s.seen
}

// release hands the arrangement's storage back to the pool. Nothing may
// use a, or anything aliasing its vertices or edges, afterwards: callers
// release only once the results they return are copied out of it.
func (a *arrangement) release() {
	s := a.s
	if s == nil {
		return
	}
	s.verts, s.ids, s.grid, s.direct, s.comm, s.edges, s.gEnd = a.verts[:0], a.ids, a.grid[:0], a.direct[:0], a.comm[:0], a.edges[:0], a.gEnd[:0]
	*a = arrangement{}
	arrPool.Put(s)
}
