package synth

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// outerEdges returns the edges of community rings that no other community
// shares, the district's outline, as (community, edge) indices in order.
// Edges of zero length are left out.
func (m *mess) outerEdges() [][2]int {
	type seg struct{ a, b orb.Point }
	key := func(a, b orb.Point) seg {
		if a[0] > b[0] || (a[0] == b[0] && a[1] > b[1]) {
			a, b = b, a
		}
		return seg{a, b}
	}
	count := map[seg]int{}
	comms := m.c.Communities.Features
	for _, f := range comms {
		ring := f.Geometry.(orb.Polygon)[0]
		for i := 0; i+1 < len(ring); i++ {
			count[key(ring[i], ring[i+1])]++
		}
	}
	var out [][2]int
	for c, f := range comms {
		ring := f.Geometry.(orb.Polygon)[0]
		for i := 0; i+1 < len(ring); i++ {
			if ring[i] != ring[i+1] && count[key(ring[i], ring[i+1])] == 1 {
				out = append(out, [2]int{c, i})
			}
		}
	}
	return out
}

// selfIntersecting draws a small bow-tie at a corner V of one community,
// whose next vertex is W: the ring goes from V to P2, back to P3 and on to
// P5, where P5 lies on the edge V→W 1.5–2.5 m from V, and P2 and P3 lie
// 1.5–2.5 m outside that edge, P2 beside P5 and P3 beside V. V→P2 and P3→P5
// cross: the ring gains a triangle of about 1 m² outside the edge and
// makes a reversed loop of the same size beyond it. P5 is the point of the
// 7-decimal grid nearest the edge, so the long edges keep their lines. V
// is a convex corner of 50–130° on the district's outline, if there is
// one, so the bow-tie meets no other community.
func (m *mess) selfIntersecting(r *rand.Rand) {
	comms := m.c.Communities.Features
	outer := map[[2]int]bool{}
	for _, e := range m.outerEdges() {
		outer[e] = true
	}
	var corners, all [][2]int
	for c, f := range comms {
		ring := f.Geometry.(orb.Polygon)[0]
		n := len(ring) - 1
		for v := range n {
			u, p, w := m.toM(ring[(v+n-1)%n]), m.toM(ring[v]), m.toM(ring[v+1])
			cos := ((u[0]-p[0])*(w[0]-p[0]) + (u[1]-p[1])*(w[1]-p[1])) /
				(math.Hypot(u[0]-p[0], u[1]-p[1]) * math.Hypot(w[0]-p[0], w[1]-p[1]))
			if math.Abs(cos) > math.Cos(50*math.Pi/180) || orient(u, p, w) <= 0 || math.Hypot(w[0]-p[0], w[1]-p[1]) < 30 {
				continue
			}
			all = append(all, [2]int{c, v})
			if outer[[2]int{c, (v + n - 1) % n}] && outer[[2]int{c, v}] {
				corners = append(corners, [2]int{c, v})
			}
		}
	}
	if len(corners) == 0 {
		corners = all
	}
	if len(corners) == 0 {
		return
	}
	cv := corners[r.IntN(len(corners))]
	f := comms[cv[0]]
	ring := f.Geometry.(orb.Polygon)[0]
	v := cv[1]
	p, w := m.toM(ring[v]), m.toM(ring[v+1])
	l := math.Hypot(w[0]-p[0], w[1]-p[1])
	ux, uy := (w[0]-p[0])/l, (w[1]-p[1])/l
	h := 1.5 + r.Float64()
	p5 := m.gridPointOnLine(ring[v], ring[v+1], 1.5, 2.5)
	q := m.toM(p5)
	s := math.Hypot(q[0]-p[0], q[1]-p[1])
	// Right of V→W is outside a counter-clockwise ring.
	p2 := m.fromM(orb.Point{p[0] + s*ux + h*uy, p[1] + s*uy - h*ux})
	p3 := m.fromM(orb.Point{p[0] + h*uy, p[1] - h*ux})
	f.Geometry = orb.Polygon{slices.Concat(ring[:v+1], orb.Ring{p2, p3, p5}, ring[v+1:])}
	m.touched[f] = true
}

// gridPointOnLine returns the point of the 7-decimal grid nearest the line
// through a and b (longitude/latitude) among those lo to hi metres from a
// towards b.
func (m *mess) gridPointOnLine(a, b orb.Point, lo, hi float64) orb.Point {
	am, bm := m.toM(a), m.toM(b)
	l := math.Hypot(bm[0]-am[0], bm[1]-am[1])
	at := func(t float64) orb.Point {
		return m.fromMExact(orb.Point{am[0] + t*(bm[0]-am[0])/l, am[1] + t*(bm[1]-am[1])/l})
	}
	p0, p1 := at(lo), at(hi)
	// Step along the axis in which the line moves most, round the other.
	x, y := 0, 1
	if math.Abs(b[0]-a[0]) < math.Abs(b[1]-a[1]) {
		x, y = 1, 0
	}
	best, bestD := p0, math.Inf(1)
	k0, k1 := math.Ceil(min(p0[x], p1[x])*1e7), math.Floor(max(p0[x], p1[x])*1e7)
	for k := k0; k <= k1; k++ {
		var q orb.Point
		q[x] = k / 1e7
		exact := a[y] + (q[x]-a[x])*(b[y]-a[y])/(b[x]-a[x])
		q[y] = round7(exact)
		if d := math.Abs(q[y] - exact); d < bestD {
			best, bestD = q, d
		}
	}
	return best
}

// dupCommunity splits one community into two features with the same id,
// along the chord between two of its vertices that gives the most even
// halves, and names every community: "<id>社区", and the halves
// "<id>社区西片" and "<id>社区东片" (west and east part).
func (m *mess) dupCommunity(r *rand.Rand) {
	comms := m.c.Communities.Features
	for _, f := range comms {
		if _, ok := f.Properties["name"]; !ok {
			f.Properties["name"] = f.Properties["id"].(string) + "社区"
		}
	}
	for _, c := range r.Perm(len(comms)) {
		f := comms[c]
		if m.touched[f] {
			continue
		}
		ring := f.Geometry.(orb.Polygon)[0]
		n := len(ring) - 1
		pts := make([]orb.Point, n)
		for k := range n {
			pts[k] = m.toM(ring[k])
		}
		i, j, ok := halves(pts)
		if !ok {
			continue
		}
		west := slices.Concat(ring[i:j+1], orb.Ring{ring[i]})
		east := slices.Concat(ring[j:n], ring[:i+1], orb.Ring{ring[j]})
		if centroidX(west) > centroidX(east) {
			west, east = east, west
		}
		name := f.Properties["name"].(string)
		g := geojson.NewFeature(orb.Polygon{east})
		for k, v := range f.Properties {
			g.Properties[k] = v
		}
		f.Geometry = orb.Polygon{west}
		f.Properties["name"] = name + "西片"
		g.Properties["name"] = name + "东片"
		m.c.Communities.Features = slices.Insert(comms, c+1, g)
		m.touched[f], m.touched[g] = true, true
		return
	}
}

func centroidX(r orb.Ring) float64 {
	c, _ := planar.CentroidArea(orb.Polygon{r})
	return c[0]
}

// halves returns the chord between vertices i < j of the ring (open, in
// metres, counter-clockwise) that lies inside it, meets its boundary only
// at its ends, and splits it most evenly by area.
func halves(pts []orb.Point) (i, j int, ok bool) {
	n := len(pts)
	best := 0.0
	for a := 0; a < n; a++ {
		for b := a + 2; b < n; b++ {
			if a == 0 && b == n-1 {
				continue
			}
			p, q := pts[a], pts[b]
			inside := true
			for k := range n {
				k1 := (k + 1) % n
				if k == a || k1 == a || k == b || k1 == b {
					continue
				}
				if segsMeet(p, q, pts[k], pts[k1]) {
					inside = false
					break
				}
			}
			mid := orb.Point{(p[0] + q[0]) / 2, (p[1] + q[1]) / 2}
			ring := append(orb.Ring(slices.Clone(pts)), pts[0])
			if !inside || !planar.RingContains(ring, mid) {
				continue
			}
			a1 := planar.Area(append(orb.Ring(slices.Clone(pts[a:b+1])), p))
			a2 := planar.Area(slices.Concat(orb.Ring(pts[b:]), orb.Ring(pts[:a+1]), orb.Ring{q}))
			if s := min(a1, a2); s > best {
				best, i, j, ok = s, a, b, true
			}
		}
	}
	return i, j, ok
}

// rounding gives a few communities on the district's outline (two, or one
// in twenty) a narrow inlet 1–3 m deep in one outer edge, whose mouth is
// 3 mm wide: the ring goes from X, the point of the 7-decimal grid nearest
// the edge along its middle 40%, inwards and back to a point 3 mm beyond X
// along the edge. The rings held by the City
// are simple; Write rounds the second point onto X, and the written ring
// visits X twice, which makes it invalid.
func (m *mess) rounding(r *rand.Rand) {
	comms := m.c.Communities.Features
	byComm := map[int][]int{}
	var cands []int
	for _, e := range m.outerEdges() {
		f := comms[e[0]]
		ring := f.Geometry.(orb.Polygon)[0]
		a, b := m.toM(ring[e[1]]), m.toM(ring[e[1]+1])
		if m.touched[f] || math.Hypot(b[0]-a[0], b[1]-a[1]) < 30 {
			continue
		}
		if byComm[e[0]] == nil {
			cands = append(cands, e[0])
		}
		byComm[e[0]] = append(byComm[e[0]], e[1])
	}
	chosen := r.Perm(len(cands))[:min(max(2, len(comms)/20), len(cands))]
	slices.Sort(chosen)
	for _, k := range chosen {
		c := cands[k]
		f := comms[c]
		es := byComm[c]
		e := es[r.IntN(len(es))]
		ring := f.Geometry.(orb.Polygon)[0]
		a, b := m.toM(ring[e]), m.toM(ring[e+1])
		l := math.Hypot(b[0]-a[0], b[1]-a[1])
		ux, uy := (b[0]-a[0])/l, (b[1]-a[1])/l
		depth := 1 + 2*r.Float64()
		x := m.gridPointOnLine(ring[e], ring[e+1], 0.3*l, 0.7*l)
		const mouth = 0.003 // metres: under half a unit of the 7th decimal
		x2 := orb.Point{x[0] + mouth*ux*m.p.degPerX, x[1] + mouth*uy*m.p.degPerY}
		xm := m.toM(x)
		tip := m.fromM(orb.Point{xm[0] - depth*uy + mouth/2*ux, xm[1] + depth*ux + mouth/2*uy}) // left of a→b: inside
		f.Geometry = orb.Polygon{slices.Concat(ring[:e+1], orb.Ring{x, tip, x2}, ring[e+1:])}
		m.touched[f] = true
	}
}
