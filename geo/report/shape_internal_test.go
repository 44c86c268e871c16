package report

import (
	"regexp"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
)

// centre is where the tests' plane is centred (Datong).
var centre = orb.Point{113.3, 40.09}

// metres returns the lon/lat point x metres east and y north of centre,
// to a few millimetres (a degree of latitude is 111 km, of longitude
// 111 km times cos(latitude)).
func metres(x, y float64) orb.Point {
	return orb.Point{centre[0] + x/85185.0, centre[1] + y/111030.0}
}

// rings reads path data back into rings of absolute points (M, h, v, l,
// z as Pen writes them).
func rings(t *testing.T, d string) [][]XY {
	t.Helper()
	tok := regexp.MustCompile(`[MhvlzL]|-?\d+`).FindAllString(d, -1)
	var out [][]XY
	var cur XY
	cmd := ""
	num := func(i *int) int {
		n, err := strconv.Atoi(tok[*i])
		if err != nil {
			t.Fatalf("path %q: %v", d, err)
		}
		*i++
		return n
	}
	for i := 0; i < len(tok); {
		switch tok[i] {
		case "M", "h", "v", "l", "z":
			cmd = tok[i]
			i++
			if cmd == "z" {
				continue
			}
		}
		switch cmd {
		case "M":
			cur = XY{num(&i), 0}
			cur[1] = num(&i)
			out = append(out, []XY{cur})
			continue
		case "h":
			cur[0] += num(&i)
		case "v":
			cur[1] += num(&i)
		case "l":
			cur[0] += num(&i)
			cur[1] += num(&i)
		default:
			t.Fatalf("path %q: number after %q", d, cmd)
		}
		out[len(out)-1] = append(out[len(out)-1], cur)
	}
	return out
}

// TestPenSquare: a square 20 m wide is drawn as a closed ring of four
// corners, in decimetres, y to the south.
func TestPenSquare(t *testing.T) {
	pl := NewPlane(centre)
	pen := pl.Pen(nil)
	pen.Draw(orb.Polygon{{metres(0, 0), metres(20, 0), metres(20, 20), metres(0, 20), metres(0, 0)}})
	s := pen.Shape()
	rs := rings(t, s.D)
	if len(rs) != 1 || len(rs[0]) != 4 || s.D[len(s.D)-1] != 'z' {
		t.Fatalf("Draw(square) = %q, want one closed ring of 4 corners", s.D)
	}
	a, c := rs[0][0], rs[0][2]
	if dx, dy := c[0]-a[0], c[1]-a[1]; dx < 199 || dx > 201 || dy > -199 || dy < -201 {
		t.Errorf("Draw(square) spans %d × %d units, want 200 × -200 (north is up)", dx, dy)
	}
	if s.Box.W() < 199 || s.Box.W() > 201 || !s.Box.NonEmpty {
		t.Errorf("box %+v, want 200 units wide", s.Box)
	}
	if !regexp.MustCompile(`^M-?\d+ -?\d+[hvl]`).MatchString(s.D) {
		t.Errorf("Draw(square) = %q, want an absolute move then relative steps", s.D)
	}
}

// TestPenSharedBoundary: two polygons sharing a boundary, one with a
// vertex on it that the other lacks, and vertices closer than a unit,
// draw the boundary through the same points.
func TestPenSharedBoundary(t *testing.T) {
	pl := NewPlane(centre)
	a := orb.Polygon{{metres(0, 0), metres(50, 0), metres(50, 25), metres(50, 25.01), metres(50, 50), metres(0, 50), metres(0, 0)}}
	b := orb.Polygon{{metres(50, 0), metres(100, 0), metres(100, 50), metres(50, 50), metres(50, 0)}}
	pen := pl.Pen(nil)
	pen.Draw(a)
	ra := rings(t, pen.Shape().D)
	pen.Draw(b)
	rb := rings(t, pen.Shape().D)
	if len(ra[0]) != 4 || len(rb[0]) != 4 {
		t.Fatalf("rings %v and %v, want 4 corners each (the vertex on the edge and the one 1 cm off dropped)", ra, rb)
	}
	shared := 0
	for _, p := range ra[0] {
		for _, q := range rb[0] {
			if p == q {
				shared++
			}
		}
	}
	if shared != 2 {
		t.Errorf("rings %v and %v share %d corners, want 2", ra, rb, shared)
	}
}

// TestPenKinds: points become squares of pointSideM, lines stay open,
// rings too small after rounding are dropped.
func TestPenKinds(t *testing.T) {
	pl := NewPlane(centre)
	pen := pl.Pen(nil)
	pen.Draw(metres(10, 10))
	if rs := rings(t, pen.Shape().D); len(rs) != 1 || len(rs[0]) != 4 {
		t.Errorf("Draw(point) = %v, want a square", rs)
	}
	pen.Draw(orb.LineString{metres(0, 0), metres(30, 0), metres(30, 40)})
	if s := pen.Shape(); s.D[len(s.D)-1] == 'z' || len(rings(t, s.D)[0]) != 3 {
		t.Errorf("Draw(line) = %q, want an open line of 3 points", s.D)
	}
	pen.Draw(orb.Polygon{{metres(0, 0), metres(0.02, 0), metres(0.02, 0.02), metres(0, 0)}})
	if s := pen.Shape(); !s.Empty() || s.Box.NonEmpty {
		t.Errorf("Draw(2 cm triangle) = %+v, want nothing", s)
	}
	via := func(p orb.Point) orb.Point { return metres(p[0], p[1]) }
	pen = pl.Pen(via)
	pen.Draw(orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 0}})
	if rs := rings(t, pen.Shape().D); len(rs) != 1 || len(rs[0]) != 3 {
		t.Errorf("Draw(ring via metres) = %v, want a triangle", rs)
	}
}

// TestJoin: a joined shape draws every part, boxed together.
func TestJoin(t *testing.T) {
	pl := NewPlane(centre)
	pen := pl.Pen(nil)
	pen.Draw(metres(0, 0))
	a := pen.Shape()
	pen.Draw(metres(100, 100))
	b := pen.Shape()
	j := Join(a, Shape{}, b)
	if j.D != a.D+b.D || j.Box != a.Box.Union(b.Box) {
		t.Errorf("Join = %+v, want %q boxed %+v", j, a.D+b.D, a.Box.Union(b.Box))
	}
}
