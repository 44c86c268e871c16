package tess

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"gridplan/geo/internal/reuse"
	"gridplan/geo/internal/robust"

	"github.com/paulmach/orb"
)

// ErrNonFinite is reported when a point handed to [Delaunay] or [Tessellate]
// has a NaN or infinite coordinate.
var ErrNonFinite = errors.New("coordinate is NaN or infinite")

// A Triangulation is the Delaunay triangulation of a set of points in metres.
//
// Exact duplicates are merged, and so are near-duplicates: points closer than
// [Triangulation.MergeTolM], chained (two points can end up merged through a
// third one that lies within the tolerance of both). A merged point keeps the
// coordinates of its lowest input index. Triangles and Halfedges follow the
// layout of Delaunator (Agafonkin): triangle t has the vertices
// Triangles[3t], Triangles[3t+1], Triangles[3t+2] in counter-clockwise order;
// half-edge e runs from Triangles[e] to Triangles[next(e)] and Halfedges[e] is
// its twin in the neighbouring triangle, or -1 on the convex hull. They are
// int32 to halve the memory traffic of million-point inputs.
type Triangulation struct {
	// Points are the distinct points, in order of their first occurrence.
	Points []orb.Point
	// Vertex maps each input index to its point in Points.
	Vertex []int
	// Triangles holds three indices into Points per triangle.
	Triangles []int32
	// Halfedges holds the twin of each half-edge, or -1.
	Halfedges []int32
	// Hull is the convex hull, counter-clockwise, as indices into Points.
	// Points on a hull edge may or may not be hull vertices. If there are no
	// triangles (fewer than 3 points, or all collinear) Hull lists every point
	// in order along the line.
	Hull []int
	// MergeTolM is the near-duplicate tolerance that was applied, in metres.
	MergeTolM float64
}

// nearDupRel scales the largest input coordinate magnitude M to the distance
// below which two points are taken as one. Inputs come from a float64
// projection of longitude/latitude (a few ulps, M·2^-52 each) and from footprint
// sampling; 2^-32 leaves a factor of about a million above that rounding noise
// while staying far below survey precision: for projected northings
// (M ≈ 4.4e6 m) it is 1 mm, and GeoJSON at 7 decimals of a degree is only good
// to about 1 cm. Merging such points keeps triangles (and hence Voronoi
// vertices) well conditioned.
const nearDupRel = 0x1p-32

// Delaunay triangulates points (metres). It is deterministic, never panics on
// input and returns [ErrNonFinite] for NaN or infinite coordinates. Orientation
// and in-circle tests are exact (a floating-point filter with Shewchuk's error
// bounds, falling back to exact expansion arithmetic), so lattices, collinear
// rows and cocircular sets are triangulated correctly.
func Delaunay(points []orb.Point) (*Triangulation, error) {
	for i, p := range points {
		if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0) {
			return nil, fmt.Errorf("point %d: %w", i, ErrNonFinite)
		}
	}
	mag := 0.0
	for _, p := range points {
		mag = max(mag, math.Abs(p[0]), math.Abs(p[1]))
	}
	s := scratchPool.Get().(*scratch)
	defer scratchPool.Put(s)
	return triangulate(context.Background(), points, mag*nearDupRel, s)
}

// triangulate is [Delaunay] on finite points with near-duplicate tolerance
// tol, working in s; once ctx is done it returns ctx.Err().
func triangulate(ctx context.Context, points []orb.Point, tol float64, s *scratch) (*Triangulation, error) {
	n := len(points)
	tr := &Triangulation{Vertex: reuse.Resize(s.res.vertex, n)}
	if n == 0 {
		return tr, nil
	}
	// Subtract a local origin so that the predicates and circumcentres work
	// on small numbers. The origin is chosen so that the subtraction is
	// exact: the predicates on local coordinates then decide exactly what
	// they would decide on the input.
	minX, minY, maxX, maxY := points[0][0], points[0][1], points[0][0], points[0][1]
	for _, p := range points {
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	ox, oy := robust.ExactOrigin(minX, maxX), robust.ExactOrigin(minY, maxY)
	s.coords = reuse.Resize(s.coords, 2*n)
	coords := s.coords
	for i, p := range points {
		coords[2*i] = p[0] - ox
		coords[2*i+1] = p[1] - oy
	}
	tr.MergeTolM = tol

	s.ids = reuse.Resize(s.ids, n)
	ids := s.ids
	for i := range ids {
		ids[i] = int32(i)
	}
	d := newSweepIn(coords, s)
	d.tol2 = tol * tol
	if err := d.run(ctx, ids); err != nil {
		return nil, err
	}
	rep := d.rep

	// Near-duplicates are Delaunay neighbours (the minimum spanning tree is a
	// subgraph of the triangulation), so short edges find them all.
	tol2 := tol * tol
	merged := false
	uf := rep // union-find parent, initialised with the exact duplicates
	var find func(int32) int32
	find = func(i int32) int32 {
		for uf[i] != i {
			uf[i] = uf[uf[i]]
			i = uf[i]
		}
		return i
	}
	union := func(a, b int32) {
		ra, rb := find(a), find(b)
		if ra == rb {
			return
		}
		merged = true
		if ra < rb {
			uf[rb] = ra
		} else {
			uf[ra] = rb
		}
	}
	short := func(a, b int32) bool {
		dx, dy := coords[2*a]-coords[2*b], coords[2*a+1]-coords[2*b+1]
		return float64(dx*dx)+float64(dy*dy) <= tol2
	}
	if len(d.triangles) == 0 {
		for k := 1; k < len(d.hull); k++ {
			if short(d.hull[k-1], d.hull[k]) {
				union(d.hull[k-1], d.hull[k])
			}
		}
	} else {
		for _, e := range d.short {
			union(e[0], e[1])
		}
	}
	if merged {
		ids = ids[:0]
		for i := range int32(n) {
			if find(i) == i {
				ids = append(ids, i)
			}
		}
		s.keep = reuse.Resize(s.keep, n)
		keep := s.keep
		for i := range keep {
			keep[i] = find(int32(i))
		}
		s.hull, s.short = d.hull, d.short
		d = newSweepIn(coords, s)
		if err := d.run(ctx, ids); err != nil {
			return nil, err
		}
		// Points that became exact duplicates of a kept point here are
		// already mapped; re-apply the sweep's own duplicate map on top.
		for i := range keep {
			keep[i] = d.rep[keep[i]]
		}
		rep = keep
	} else {
		for i := range rep {
			rep[i] = find(int32(i))
		}
	}

	s.hull, s.short = d.hull, d.short

	// Number the distinct points in input order.
	s.index = reuse.Resize(s.index, n)
	index := s.index
	nd := 0
	for i := range n {
		if rep[i] == int32(i) {
			nd++
		}
	}
	tr.Points = reuse.Grow(s.res.points, nd)
	for i := range n {
		if rep[i] == int32(i) {
			index[i] = int32(len(tr.Points))
			tr.Points = append(tr.Points, points[i])
		}
	}
	for i := range n {
		tr.Vertex[i] = int(index[rep[i]])
	}
	tr.Triangles = d.triangles
	for k, v := range tr.Triangles {
		tr.Triangles[k] = index[v]
	}
	tr.Halfedges = d.halfedges
	tr.Hull = make([]int, len(d.hull))
	for k, v := range d.hull {
		tr.Hull[k] = int(index[v])
	}
	return tr, nil
}

// Edges returns each edge of the triangulation once as a pair of indices into
// Points, smaller first, sorted. Without triangles the edges join consecutive
// points along the line, so collinear rows are still connected.
func (tr *Triangulation) Edges() [][2]int {
	var out [][2]int
	if len(tr.Triangles) == 0 {
		for k := 1; k < len(tr.Hull); k++ {
			a, b := tr.Hull[k-1], tr.Hull[k]
			out = append(out, [2]int{min(a, b), max(a, b)})
		}
	} else {
		for e, o := range tr.Halfedges {
			if int32(e) < o || o < 0 {
				a, b := int(tr.Triangles[e]), int(tr.Triangles[nextHalfedge(int32(e))])
				out = append(out, [2]int{min(a, b), max(a, b)})
			}
		}
	}
	slices.SortFunc(out, func(x, y [2]int) int {
		if x[0] != y[0] {
			return x[0] - y[0]
		}
		return x[1] - y[1]
	})
	return out
}

func nextHalfedge(e int32) int32 {
	if e%3 == 2 {
		return e - 2
	}
	return e + 1
}

func prevHalfedge(e int32) int32 {
	if e%3 == 0 {
		return e + 2
	}
	return e - 1
}
