package plan

import (
	"gridplan/geo/draw"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb/project"
	"github.com/tidwall/rtree"

	"github.com/paulmach/orb"
)

// Coordinates take the longitude/latitude a plan is made in to the
// coordinates its layers are written in (SPEC §2.3). The zero value writes
// longitude/latitude.
type Coordinates struct {
	// FromLonLat converts a point; nil keeps longitude/latitude.
	FromLonLat func(orb.Point) orb.Point
	// ToLonLat converts a written point back, as a reader of the layer
	// does; nil where FromLonLat is.
	ToLonLat func(orb.Point) orb.Point
	// Exact gives, for vertices of input layers (lon/lat as loaded), the
	// coordinates as the layer gave them, which are written unchanged
	// rather than converted back: the grids then keep the community
	// layer's own vertices, and a kept grid its earlier ones, bit for bit.
	Exact map[orb.Point]orb.Point
}

// point returns the written coordinates of a lon/lat point.
func (c *Coordinates) point(ll orb.Point) orb.Point {
	if p, ok := c.Exact[ll]; ok {
		return p
	}
	if c.FromLonLat == nil {
		return ll
	}
	return c.FromLonLat(ll)
}

// geometry returns g (lon/lat) in the written coordinates.
func (c *Coordinates) geometry(mp orb.MultiPolygon) orb.MultiPolygon {
	if mp == nil || (c.FromLonLat == nil && c.Exact == nil) {
		return mp
	}
	return shape.MapVertices(mp, c.point)
}

// writtenVertices returns the function that takes a grid polygon of
// community c (in its plane) to the written coordinates. A vertex of the
// community's outline, or of a kept polygon (both of which the drawing
// keeps exactly), is written as the layer gave it, so that the grids tile
// the outline the user gave, and neighbours share a kept grid's vertices,
// bit for bit; every other vertex is unprojected and converted, except
// that one on an edge of those outlines (where a boundary between grids
// meets it) is put on the written edge, at the same fraction of its
// length: the conversion bends straight lines, and the vertex would
// otherwise stand off the outline, leaving a sliver of gap or overlap.
func (d *district) writtenVertices(c int, kept []draw.Constraint, fixed []orb.MultiPolygon) func(orb.MultiPolygon) orb.MultiPolygon {
	plane := d.plane[c]
	exact := map[orb.Point]orb.Point{}
	var edges rtree.RTreeG[[2]orb.Point] // outline edges in the plane
	add := func(mp orb.MultiPolygon) {
		for _, p := range mp {
			for _, r := range p {
				for i, v := range r {
					q := plane.Forward(v)
					exact[q] = d.out.point(v)
					if i > 0 && d.out.FromLonLat != nil {
						a := plane.Forward(r[i-1])
						b := orb.Bound{Min: a, Max: a}.Extend(q)
						edges.Insert(b.Min, b.Max, [2]orb.Point{a, q})
					}
				}
			}
		}
	}
	if c < len(d.lonLatOutline) {
		add(d.lonLatOutline[c])
	}
	for _, k := range kept {
		add(fixed[k.Group])
	}
	// Two vertices a nanometre apart in metres (Voronoi vertices of nearly
	// cocircular sites, computed apart) may unproject to one lon/lat
	// point: the edge between them, shared by two grids, vanishes from
	// both, and a ring it leaves under three vertices with it.
	return func(mp orb.MultiPolygon) orb.MultiPolygon {
		if mp == nil {
			return nil
		}
		return shape.MapVertices(mp, func(v orb.Point) orb.Point {
			if p, ok := exact[v]; ok {
				return p
			}
			if p, ok := onEdge(&edges, exact, v); ok {
				return p
			}
			return d.out.point(plane.Inverse(v))
		})
	}
}

// onEdgeM is how near an edge of an outline (in metres) a vertex lies on
// it: the drawing cuts boundaries at the outline to a few nanometres.
const onEdgeM = 1e-6

// onEdge returns the written position of v if it lies on one of edges:
// the point at v's fraction of the written edge between the written ends.
func onEdge(edges *rtree.RTreeG[[2]orb.Point], exact map[orb.Point]orb.Point, v orb.Point) (orb.Point, bool) {
	var out orb.Point
	found := false
	lo, hi := orb.Point{v[0] - onEdgeM, v[1] - onEdgeM}, orb.Point{v[0] + onEdgeM, v[1] + onEdgeM}
	edges.Search(lo, hi, func(_, _ [2]float64, e [2]orb.Point) bool {
		a, b := e[0], e[1]
		dx, dy := b[0]-a[0], b[1]-a[1]
		l2 := dx*dx + dy*dy
		if l2 == 0 {
			return true
		}
		t := ((v[0]-a[0])*dx + (v[1]-a[1])*dy) / l2
		if t <= 0 || t >= 1 {
			return true
		}
		px, py := a[0]+t*dx-v[0], a[1]+t*dy-v[1]
		if px*px+py*py > onEdgeM*onEdgeM {
			return true
		}
		wa, wb := exact[a], exact[b]
		out = orb.Point{wa[0] + t*(wb[0]-wa[0]), wa[1] + t*(wb[1]-wa[1])}
		found = true
		return false
	})
	return out, found
}

// any returns any geometry (lon/lat) in the written coordinates, as a copy.
func (c *Coordinates) any(g orb.Geometry) orb.Geometry {
	if g == nil || (c.FromLonLat == nil && c.Exact == nil) {
		return g
	}
	return project.Geometry(orb.Clone(g), c.point)
}
