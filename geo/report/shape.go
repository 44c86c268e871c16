package report

import (
	"math"
	"strconv"

	"gridplan/geo"

	"github.com/paulmach/orb"
)

// UnitM is the length of one unit of the page's plane: coordinates are
// whole decimetres. Rounding to it moves a vertex by at most 7 cm, far
// below a pixel even on an atlas page (a 1 km community on 190 mm of A4
// is 5 m a millimetre), and keeps the numbers short.
const UnitM = 0.1

// pointSideM is the side of the square drawn for a point (a building known
// only by its location, a finding at a point).
const pointSideM = 4.0

// A Plane draws longitude/latitude geometry on the page: a transverse
// Mercator projection centred on the data ([geo.Projection]), conformal,
// so that grids keep their shape and north is up along the central
// meridian (a city is a few tens of kilometres across: elsewhere north
// turns by well under a degree). Coordinates are whole units of [UnitM],
// x east and y south, as SVG has them.
type Plane struct {
	proj *geo.Projection
}

// NewPlane returns the plane centred on center (longitude/latitude).
func NewPlane(center orb.Point) *Plane {
	return &Plane{proj: geo.NewProjection(center)}
}

// XY is a point of the plane in units.
type XY [2]int

// XY returns the point of the plane of ll (longitude/latitude).
func (pl *Plane) XY(ll orb.Point) XY {
	p := pl.proj.Forward(ll)
	return XY{int(math.Round(p[0] / UnitM)), int(math.Round(-p[1] / UnitM))}
}

// A Box is a rectangle of the plane, in units; the zero Box is empty.
type Box struct {
	Min, Max XY
	NonEmpty bool
}

// Extend returns the box grown to hold p.
func (b Box) Extend(p XY) Box {
	if !b.NonEmpty {
		return Box{Min: p, Max: p, NonEmpty: true}
	}
	b.Min = XY{min(b.Min[0], p[0]), min(b.Min[1], p[1])}
	b.Max = XY{max(b.Max[0], p[0]), max(b.Max[1], p[1])}
	return b
}

// Union returns the smallest box holding b and o.
func (b Box) Union(o Box) Box {
	if !o.NonEmpty {
		return b
	}
	return b.Extend(o.Min).Extend(o.Max)
}

// W and H are the width and height of the box in units.
func (b Box) W() int { return b.Max[0] - b.Min[0] }
func (b Box) H() int { return b.Max[1] - b.Min[1] }

// A Shape is geometry ready to draw: SVG path data in the plane's units
// (absolute first point of each ring, then relative steps) and its box.
type Shape struct {
	D   string
	Box Box
}

// Join returns one shape that draws all of ss.
func Join(ss ...Shape) Shape {
	var out Shape
	n := 0
	for _, s := range ss {
		n += len(s.D)
	}
	b := make([]byte, 0, n)
	for _, s := range ss {
		b = append(b, s.D...)
		if !s.Empty() {
			out.Box = out.Box.Union(s.Box)
		}
	}
	out.D = string(b)
	return out
}

// Empty reports whether the shape draws nothing.
func (s Shape) Empty() bool { return s.D == "" }

// A Pen draws geometries into one Shape. Rings of polygons are closed,
// lines left open, points drawn as squares of pointSideM. Vertices that
// fall on the same unit as the one before, or exactly on the line through
// their neighbours, are dropped: both sides of a boundary shared by two
// polygons lose the same vertices, so neighbours still meet exactly.
type Pen struct {
	pl  *Plane
	via func(orb.Point) orb.Point
	b   []byte
	box Box
	pts []XY // scratch
}

// Pen returns a pen for geometries whose points via takes to
// longitude/latitude; nil via takes them as longitude/latitude already.
func (pl *Plane) Pen(via func(orb.Point) orb.Point) *Pen {
	return &Pen{pl: pl, via: via}
}

// Shape returns what was drawn, and starts afresh.
func (p *Pen) Shape() Shape {
	s := Shape{D: string(p.b), Box: p.box}
	p.b, p.box = p.b[:0], Box{}
	return s
}

// Draw adds g: a (multi)polygon, (multi)line string, (multi)point or
// collection of them; other geometries and nil draw nothing.
func (p *Pen) Draw(g orb.Geometry) {
	switch g := g.(type) {
	case orb.Point:
		p.point(g)
	case orb.MultiPoint:
		for _, q := range g {
			p.point(q)
		}
	case orb.LineString:
		p.line(g, false)
	case orb.MultiLineString:
		for _, l := range g {
			p.line(l, false)
		}
	case orb.Ring:
		p.line(g, true)
	case orb.Polygon:
		for _, r := range g {
			p.line(r, true)
		}
	case orb.MultiPolygon:
		for _, pg := range g {
			for _, r := range pg {
				p.line(r, true)
			}
		}
	case orb.Collection:
		for _, h := range g {
			p.Draw(h)
		}
	case orb.Bound:
		p.Draw(g.ToPolygon())
	}
}

// xy returns the plane's point of a point of the pen's geometries.
func (p *Pen) xy(q orb.Point) XY {
	if p.via != nil {
		q = p.via(q)
	}
	return p.pl.XY(q)
}

func (p *Pen) point(q orb.Point) {
	c := p.xy(q)
	h := int(math.Round(pointSideM / 2 / UnitM))
	p.line(nil, true, XY{c[0] - h, c[1] - h}, XY{c[0] + h, c[1] - h}, XY{c[0] + h, c[1] + h}, XY{c[0] - h, c[1] + h})
}

// line adds the points of pts (or, if pts is nil, those given as extra),
// closed as a ring if closed.
func (p *Pen) line(pts []orb.Point, closed bool, extra ...XY) {
	v := p.pts[:0]
	if pts == nil {
		v = append(v, extra...)
	}
	for _, q := range pts {
		xy := p.xy(q)
		if n := len(v); n > 0 && v[n-1] == xy {
			continue
		}
		v = append(v, xy)
	}
	if closed && len(v) > 1 && v[0] == v[len(v)-1] {
		v = v[:len(v)-1]
	}
	v = dropCollinear(v, closed)
	p.pts = v
	if closed && len(v) < 3 || len(v) < 2 {
		return
	}
	for _, q := range v {
		p.box = p.box.Extend(q)
	}
	p.b = append(p.b, 'M')
	p.b = strconv.AppendInt(p.b, int64(v[0][0]), 10)
	p.b = appendNum(p.b, v[0][1])
	last := byte('M') // the command the next pair would continue
	for i := 1; i < len(v); i++ {
		dx, dy := v[i][0]-v[i-1][0], v[i][1]-v[i-1][1]
		switch {
		case dy == 0:
			p.b = append(p.b, 'h')
			p.b = strconv.AppendInt(p.b, int64(dx), 10)
			last = 'h'
		case dx == 0:
			p.b = append(p.b, 'v')
			p.b = strconv.AppendInt(p.b, int64(dy), 10)
			last = 'v'
		default:
			if last != 'l' {
				p.b = append(p.b, 'l')
				p.b = strconv.AppendInt(p.b, int64(dx), 10)
			} else {
				p.b = appendNum(p.b, dx)
			}
			p.b = appendNum(p.b, dy)
			last = 'l'
		}
	}
	if closed {
		p.b = append(p.b, 'z')
	}
}

// appendNum appends n after a number: a minus sign separates it, else a
// space.
func appendNum(b []byte, n int) []byte {
	if n >= 0 {
		b = append(b, ' ')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// dropCollinear removes, in place, the vertices of v that lie on the
// straight segment between their neighbours (exactly: the units are
// whole numbers); of a ring (closed) also around its start.
func dropCollinear(v []XY, closed bool) []XY {
	if len(v) < 3 {
		return v
	}
	out := v[:1]
	for i := 1; i < len(v)-1; i++ {
		if !between(out[len(out)-1], v[i], v[i+1]) {
			out = append(out, v[i])
		}
	}
	out = append(out, v[len(v)-1])
	if closed {
		for len(out) >= 3 && between(out[len(out)-2], out[len(out)-1], out[0]) {
			out = out[:len(out)-1]
		}
		for len(out) >= 3 && between(out[len(out)-1], out[0], out[1]) {
			out = out[1:]
		}
	}
	return out
}

// between reports whether b lies on the segment from a to c, strictly
// inside it.
func between(a, b, c XY) bool {
	cross := (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
	if cross != 0 {
		return false
	}
	dot := (b[0]-a[0])*(c[0]-a[0]) + (b[1]-a[1])*(c[1]-a[1])
	l2 := (c[0]-a[0])*(c[0]-a[0]) + (c[1]-a[1])*(c[1]-a[1])
	return dot > 0 && dot < l2
}
