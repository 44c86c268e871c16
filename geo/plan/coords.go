package plan

import (
	"gridplan/geo/draw"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// Coordinates take the longitude/latitude a plan is made in to the
// coordinates its layers are written in (SPEC §2.3). The zero value writes
// longitude/latitude.
type Coordinates struct {
	// FromLonLat converts a point; nil keeps longitude/latitude.
	FromLonLat func(orb.Point) orb.Point
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
// bit for bit; every other vertex is unprojected and converted.
func (d *district) writtenVertices(c int, kept []draw.Constraint, fixed []orb.MultiPolygon) func(orb.MultiPolygon) orb.MultiPolygon {
	plane := d.plane[c]
	exact := map[orb.Point]orb.Point{}
	add := func(mp orb.MultiPolygon) {
		for _, p := range mp {
			for _, r := range p {
				for _, v := range r {
					exact[plane.Forward(v)] = d.out.point(v)
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
			return d.out.point(plane.Inverse(v))
		})
	}
}
