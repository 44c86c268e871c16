package draw

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"gridplan/geo/tess"

	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/peterstace/simplefeatures/geom"

	"github.com/paulmach/orb"
)

func TestRegularRing(t *testing.T) {
	const tol = 1e-9
	sq := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	for _, c := range []struct {
		name string
		in   orb.Ring
		want orb.Ring // nil: collapsed
		same bool     // returned unchanged
	}{
		{"square", sq, sq, true},
		{"collinear vertex kept", orb.Ring{{0, 0}, {5, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
			orb.Ring{{0, 0}, {5, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, true},
		{"spike narrower than tol", orb.Ring{{0, 0}, {12, 4e-10}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, sq, false},
		{"spike wider than tol kept", orb.Ring{{0, 0}, {12, 4e-9}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
			orb.Ring{{0, 0}, {12, 4e-9}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, true},
		{"spike back past its base", orb.Ring{{10, 0}, {10, 10}, {0, 10}, {0, 0}, {12, 5e-10}, {-1, 0}, {0, 0}, {10, 0}},
			orb.Ring{{10, 0}, {10, 10}, {0, 10}, {0, 0}, {10, 0}}, false},
		{"spike at the closing vertex", orb.Ring{{12, 3e-10}, {10, 0}, {10, 10}, {0, 10}, {0, 0}, {12, 3e-10}},
			orb.Ring{{10, 0}, {10, 10}, {0, 10}, {0, 0}, {10, 0}}, false},
		{"vertex within tol of the one before", orb.Ring{{0, 0}, {10, 0}, {10, 5e-10}, {10, 10}, {0, 10}, {0, 0}}, sq, false},
		{"sliver", orb.Ring{{0, 0}, {10, 0}, {5, 5e-10}, {0, 0}}, nil, false},
	} {
		got, changed := regularRing(c.in, tol)
		if changed == c.same {
			t.Errorf("%s: changed %v, want %v", c.name, changed, !c.same)
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
				break
			}
		}
	}

	// A polygon whose exterior collapses goes; a collapsed hole goes alone.
	hole := orb.Ring{{2, 2}, {2, 8}, {8, 8}, {8, 2}, {2, 2}}
	sliver := orb.Ring{{1, 1}, {9, 1}, {5, 1 + 1e-10}, {1, 1}}
	mp := orb.MultiPolygon{{sq, hole, sliver}, {sliver}}
	got, changed := regularAt(mp, tol)
	if !changed || len(got) != 1 || len(got[0]) != 2 {
		t.Fatalf("regularAt = %v, %v; want the first polygon with one hole", got, changed)
	}
	if got, changed := regularAt(orb.MultiPolygon{{sq, hole}}, tol); changed || len(got) != 1 || len(got[0]) != 2 {
		t.Errorf("regularAt of a regular polygon = %v, %v; want it unchanged", got, changed)
	}
	// Every footprint of a community passes through it, twice: a regular
	// one must cost no allocation.
	regular := orb.MultiPolygon{{sq, hole}}
	if n := testing.AllocsPerRun(100, func() { regularAt(regular, tol) }); n != 0 {
		t.Errorf("regularAt of a regular polygon allocates %g times", n)
	}
}

// footprintCoverage draws the grids of the footprints' units labelled by
// group (two grids), each footprint a constraint of its unit's grid, and
// measures how they tile community.
func footprintCoverage(t *testing.T, ts *tess.Tessellation, community orb.MultiPolygon, fps []orb.Geometry, group []int) Coverage {
	t.Helper()
	ctx := context.Background()
	grids, err := GridPolygons(ctx, ts, group, 2, community, FootprintConstraints(fps, group))
	if err != nil {
		t.Fatalf("GridPolygons: %v", err)
	}
	cov, err := CheckCoverage(ctx, community, grids, fps, group)
	if err != nil {
		t.Fatal(err)
	}
	return cov
}

// TestOverlapCornerOnEdge: two footprints digitised a few decimetres across
// each other, the smaller's corner on the larger's edge up to rounding, in
// different grids. The larger loses the strip they share (OwnFootprints),
// and with it may keep a spike a nanometre wide along its edge; the grids
// must still tile the community, each footprint whole in its grid.
func TestOverlapCornerOnEdge(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	ctx := context.Background()
	spikes := 0
	for trial := range 600 {
		o := orb.Point{r.Float64() * 3000, r.Float64() * 3000}
		tilt := (r.Float64() - 0.5) * 0.1 // radians
		rot := func(x, y float64) orb.Point {
			s, c := math.Sincos(tilt)
			return orb.Point{o[0] + x*c - y*s, o[1] + x*s + y*c}
		}
		// A: 11 m by 11.7 m. B: 10 m by 8.2 m, its lower left corner on A's
		// lower edge 0.45 m in from A's right side, nudged by a few ulps.
		a0, a1 := rot(0, 0), rot(11, 0)
		f := (11 - 0.45) / 11
		c := orb.Point{a0[0] + (a1[0]-a0[0])*f, a0[1] + (a1[1]-a0[1])*f}
		dx, dy := a1[0]-a0[0], a1[1]-a0[1]
		l := math.Hypot(dx, dy)
		ux, uy := dx/l, dy/l // along A's lower edge
		// Off the edge by a few ulps, or up to a few snap tolerances.
		if trial%2 == 0 {
			for range r.IntN(4) {
				c[1] = math.Nextafter(c[1], math.Inf(2*r.IntN(2)-1))
			}
		} else {
			off := (0.5 + 2.5*r.Float64()) * math.Max(math.Abs(c[0]), math.Abs(c[1])) * robust.VertexSnapRel
			if r.IntN(2) == 0 {
				off = -off
			}
			c = orb.Point{c[0] - off*uy, c[1] + off*ux}
		}
		A := orb.Polygon{{a0, a1, rot(11, 11.7), rot(0, 11.7), a0}}
		B := orb.Polygon{{c, {c[0] + 10*ux, c[1] + 10*uy}, {c[0] + 10*ux - 8.2*uy, c[1] + 10*uy + 8.2*ux}, {c[0] - 8.2*uy, c[1] + 8.2*ux}, c}}
		community := orb.MultiPolygon{{{rot(-30, -30), rot(50, -30), rot(50, 40), rot(-30, 40), rot(-30, -30)}}}
		own, _, err := OwnFootprints(ctx, []orb.Geometry{A, B})
		if err != nil {
			t.Fatal(err)
		}
		tol := CoverageTolM2(community)
		group := []int{0, 1}
		draw := func(fps []orb.Geometry) Coverage {
			return footprintCoverage(t, tessFootprints(t, community, fps), community, fps, group)
		}
		if cov := draw(own); !cov.Within(tol) {
			t.Fatalf("trial %d (origin %v, tilt %g): coverage %+v, tolerance %g m²", trial, o, tilt, cov, tol)
		}
		// The plain difference, spike and all, drawn as it is: the
		// arrangement must hold it without gaps or overlaps (whether the
		// spike itself is in A's grid is below the check's resolution).
		rest, err := geom.Difference(shape.ToSF(orb.MultiPolygon{A}), shape.ToSF(orb.MultiPolygon{B}))
		if err != nil {
			t.Fatal(err)
		}
		restA := shape.FromSF(rest)
		if _, ok := regularAt(restA, trimSnapM); !ok {
			continue
		}
		spikes++
		if cov := draw([]orb.Geometry{restA, B}); cov.GapM2 > tol || cov.OverlapM2 > tol || cov.OutsideM2 > tol {
			t.Fatalf("trial %d (origin %v, tilt %g), spiked: coverage %+v, tolerance %g m²", trial, o, tilt, cov, tol)
		}
	}
	// The case the test is about must occur.
	if spikes == 0 {
		t.Fatal("no trial left a spike on a footprint")
	}
	t.Logf("%d of 600 trials left a spike", spikes)
}

// TestOutlineSpike: a community that lost a corner to a neighbour whose
// corner lay on its edge up to rounding keeps a spike a nanometre wide
// along that edge; the grids must still tile it.
func TestOutlineSpike(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for trial := range 200 {
		o := orb.Point{r.Float64() * 3000, r.Float64() * 3000}
		tilt := (r.Float64() - 0.5) * 0.1
		rot := func(x, y float64) orb.Point {
			s, c := math.Sincos(tilt)
			return orb.Point{o[0] + x*c - y*s, o[1] + x*s + y*c}
		}
		// The lower edge runs from a0 to a1; the notch's corner c lies on it
		// up to a few ulps, 5 m short of a1, and the ring doubles back there.
		a0, a1 := rot(-30, -30), rot(50, -30)
		f := 75.0 / 80
		c := orb.Point{a0[0] + (a1[0]-a0[0])*f, a0[1] + (a1[1]-a0[1])*f}
		for range 1 + r.IntN(3) {
			c[1] = math.Nextafter(c[1], math.Inf(2*r.IntN(2)-1))
		}
		ring := orb.Ring{a0, a1, c, rot(45, 10), rot(50, 10), rot(50, 40), rot(-30, 40), a0}
		community := orb.MultiPolygon{{ring}}
		fps := []orb.Geometry{
			orb.Polygon{{rot(0, 0), rot(11, 0), rot(11, 12), rot(0, 12), rot(0, 0)}},
			orb.Polygon{{rot(20, -20), rot(40, -20), rot(40, -10), rot(20, -10), rot(20, -20)}},
			orb.Polygon{{rot(20, 15), rot(40, 15), rot(40, 25), rot(20, 25), rot(20, 15)}},
		}
		ts := tessFootprints(t, community, fps)
		for _, group := range [][]int{{0, 1, 0}, {0, 1, 1}, {1, 0, 1}} {
			if cov, tol := footprintCoverage(t, ts, community, fps, group), CoverageTolM2(community); !cov.Within(tol) {
				t.Fatalf("trial %d (origin %v, tilt %g), grids %v: coverage %+v, tolerance %g m²", trial, o, tilt, group, cov, tol)
			}
		}
	}
}

// TestClipCornerOnOutline: a footprint drawn across its community's
// outline, its corner on the outline up to rounding (a few ulps, or a few
// snap tolerances, off it): clipped, it keeps no spike narrower than a
// micrometre, and the grids tile the community with it whole in its grid.
func TestClipCornerOnOutline(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	spikes := 0
	for trial := range 400 {
		o := orb.Point{r.Float64() * 3000, r.Float64() * 3000}
		tilt := (r.Float64() - 0.5) * 0.1
		s, c := math.Sincos(tilt)
		rot := func(x, y float64) orb.Point { return orb.Point{o[0] + x*c - y*s, o[1] + x*s + y*c} }
		// The outline's right side runs up x = 20 (rotated). A footprint
		// reaches 0.4 m across it, with its corner p on the side up to
		// rounding.
		s0, s1 := rot(20, -20), rot(20, 40)
		f := 25.0 / 60 // p at y = 5 along the side
		p := orb.Point{s0[0] + (s1[0]-s0[0])*f, s0[1] + (s1[1]-s0[1])*f}
		dx, dy := s1[0]-s0[0], s1[1]-s0[1]
		l := math.Hypot(dx, dy)
		ux, uy := dx/l, dy/l // up the side
		if trial%2 == 0 {
			for range r.IntN(4) {
				p[0] = math.Nextafter(p[0], math.Inf(2*r.IntN(2)-1))
			}
		} else {
			off := (0.5 + 2.5*r.Float64()) * math.Max(math.Abs(p[0]), math.Abs(p[1])) * robust.VertexSnapRel
			if r.IntN(2) == 0 {
				off = -off
			}
			p = orb.Point{p[0] + off*uy, p[1] - off*ux}
		}
		q := orb.Point{p[0] + 8*ux, p[1] + 8*uy}
		fp := orb.Polygon{{p, {p[0] + 0.4*uy, p[1] - 0.4*ux}, {q[0] + 0.4*uy, q[1] - 0.4*ux}, {q[0] - 10*uy, q[1] + 10*ux}, {p[0] - 10*uy, p[1] + 10*ux}, p}}
		community := orb.MultiPolygon{{{rot(-30, -20), s0, s1, rot(-30, 40), rot(-30, -20)}}}
		other := orb.Polygon{{rot(-20, 20), rot(-10, 20), rot(-10, 30), rot(-20, 30), rot(-20, 20)}}
		raw := []orb.Geometry{fp, other}
		own, changed := ClipToOutline(raw, community)
		if len(changed) != 1 {
			t.Fatalf("trial %d: %d footprints clipped, want 1", trial, len(changed))
		}
		if in, err := geom.Intersection(shape.ToSF(orb.MultiPolygon{fp}), shape.ToSF(community)); err == nil {
			if _, ok := regularAt(shape.FromSF(in), trimSnapM); ok {
				spikes++
			}
		}
		if _, ok := regularAt(shape.Polygons(own[0]), trimSnapM); ok {
			t.Fatalf("trial %d: the clipped footprint keeps a spike narrower than %g m: %v", trial, trimSnapM, own[0])
		}
		ts := tessFootprints(t, community, own)
		for _, group := range [][]int{{0, 1}, {1, 0}} {
			if cov, tol := footprintCoverage(t, ts, community, own, group), CoverageTolM2(community); !cov.Within(tol) {
				t.Fatalf("trial %d (origin %v, tilt %g): coverage %+v, tolerance %g m²", trial, o, tilt, cov, tol)
			}
		}
	}
	if spikes == 0 {
		t.Fatal("no trial clipped a footprint to a spike")
	}
	t.Logf("%d of 400 trials clipped a footprint to a spike", spikes)
}
