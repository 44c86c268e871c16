package synth

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// emptyCommunities removes every building of a few ordinary communities
// (two, or one in five per hundred communities; one in cities of three or
// four communities) and, in one more, every building with households but
// the shops and institutions, which it leaves with none.
func (m *mess) emptyCommunities(r *rand.Rand) {
	comms := m.c.Communities.Features
	nc := len(comms)
	if nc < 3 {
		return
	}
	k := 1
	if nc >= 5 {
		k = max(2, nc/50)
	}
	empty := map[string]bool{}
	var shops string
	for _, i := range r.Perm(nc) {
		if m.class[i] != normal {
			continue
		}
		id := comms[i].Properties["id"].(string)
		if len(empty) < k {
			empty[id] = true
		} else {
			shops = id
			break
		}
	}
	bs := m.c.Buildings.Features
	keep := bs[:0]
	for _, f := range bs {
		switch c := f.Properties["community"].(string); {
		case empty[c]:
			continue
		case c == shops:
			if k, _ := f.Properties["kind"].(string); k != "shop" && k != "institution" {
				continue
			}
			f.Properties["households"] = 0
		}
		keep = append(keep, f)
	}
	clear(bs[len(keep):])
	m.c.Buildings.Features = keep
}

// insertAfter returns the buildings with extra[f] inserted after each f.
func (m *mess) insertAfter(extra map[*geojson.Feature][]*geojson.Feature, before bool) {
	if len(extra) == 0 {
		return
	}
	n := 0
	for _, fs := range extra {
		n += len(fs)
	}
	out := make([]*geojson.Feature, 0, len(m.c.Buildings.Features)+n)
	for _, f := range m.c.Buildings.Features {
		if before {
			out = append(out, extra[f]...)
		}
		out = append(out, f)
		if !before {
			out = append(out, extra[f]...)
		}
	}
	m.c.Buildings.Features = out
}

// rowHouses redraws some walk-ups as rows of 2–6 houses (units) that share
// whole walls: the cuts are computed once, so neighbouring units have
// exactly the same coordinates along their common wall. The first unit
// keeps the walk-up's id; the households are shared out.
func (m *mess) rowHouses(r *rand.Rand) {
	var walkups []*geojson.Feature
	for _, f := range m.footprints() {
		hh, _ := f.Properties["households"].(int)
		_, hasKind := f.Properties["kind"]
		if b := m.boundM(f.Geometry); !hasKind && hh >= walkupMin && hh <= walkupMax && b.Max[0]-b.Min[0] >= 24 {
			walkups = append(walkups, f)
		}
	}
	extra := map[*geojson.Feature][]*geojson.Feature{}
	for _, i := range pick(r, len(walkups), rowShare) {
		f := walkups[i]
		ring, _ := m.footprint(f)
		hh := f.Properties["households"].(int)
		b := m.boundM(f.Geometry)
		u := min(max(int(math.Round((b.Max[0]-b.Min[0])/12)), 2), 6)
		hhs := split(r, hh, u, 1, hh)
		x0, x1, y0, y1 := ring[0][0], ring[1][0], ring[0][1], ring[2][1]
		cuts := make([]float64, u+1)
		for k := range cuts {
			cuts[k] = round7(x0 + (x1-x0)*float64(k)/float64(u))
		}
		cuts[0], cuts[u] = x0, x1
		for k := range u {
			unit := orb.Polygon{orb.Ring{{cuts[k], y0}, {cuts[k+1], y0}, {cuts[k+1], y1}, {cuts[k], y1}, {cuts[k], y0}}}
			g := f
			if k == 0 {
				f.Geometry = unit
			} else {
				g = m.newBuilding(unit, f.Properties)
				extra[f] = append(extra[f], g)
				m.idx.add(m.boundM(unit), g)
			}
			g.Properties["households"] = hhs[k]
			m.touched[g] = true
		}
	}
	m.insertAfter(extra, false)
}

// podiums puts the first 2–4 towers of some tower compounds on a podium:
// a footprint 3–6 m larger on every side than the towers' bounds, of kind
// shop with no households, in the towers' compound, written before them.
func (m *mess) podiums(r *rand.Rand) {
	towers := map[string][]*geojson.Feature{}
	var compounds []string
	for _, f := range m.footprints() {
		hh, _ := f.Properties["households"].(int)
		_, hasKind := f.Properties["kind"]
		q, _ := f.Properties["compound"].(string)
		if hasKind || hh < towerMin || q == "" {
			continue
		}
		if towers[q] == nil {
			compounds = append(compounds, q)
		}
		towers[q] = append(towers[q], f)
	}
	compounds = slices.DeleteFunc(compounds, func(q string) bool { return len(towers[q]) < 2 })
	extra := map[*geojson.Feature][]*geojson.Feature{}
	for _, i := range pick(r, len(compounds), podiumShare) {
		ts := towers[compounds[i]]
		margin := 3 + 3*r.Float64()
		for g := min(2+r.IntN(3), len(ts)); g >= 2; g-- {
			b := m.boundM(ts[0].Geometry)
			for _, t := range ts[1:g] {
				b = b.Union(m.boundM(t.Geometry))
			}
			b = b.Pad(margin)
			if !m.clear(b, 1, ts[:g]...) {
				continue
			}
			podium := m.newBuilding(m.rectM(b), geojson.Properties{
				"households": 0, "kind": kindNames[shop],
				"compound": compounds[i], "community": ts[0].Properties["community"],
			})
			extra[ts[0]] = []*geojson.Feature{podium}
			m.idx.add(b, podium)
			m.touched[podium] = true
			for _, t := range ts[:g] {
				m.touched[t] = true
			}
			break
		}
	}
	m.insertAfter(extra, true)
}

// tileOverlap moves the east wall of 3% of the footprints 5–50 cm into
// their eastern neighbour, trying footprints in random order until that
// many have a neighbour less than 6 m away and beside them over at least
// 2 m, and copies a rare footprint a few centimetres
// off, with an id of its own and the same properties.
func (m *mess) tileOverlap(r *rand.Rand) {
	fs := m.footprints()
	want := len(pick(r, len(fs), overlapShare))
	for _, i := range r.Perm(len(fs)) {
		if want == 0 {
			break
		}
		a := fs[i]
		ra, ok := m.footprint(a)
		if !ok {
			continue // already some other footprint's neighbour
		}
		ba := m.boundM(a.Geometry)
		look := orb.Bound{Min: orb.Point{ba.Max[0], ba.Min[1]}, Max: orb.Point{ba.Max[0] + 6, ba.Max[1]}}
		var nb *geojson.Feature
		var bb orb.Bound
		for _, e := range m.idx.near(look) {
			if _, ok := m.footprint(e.f); !ok || e.f == a {
				continue
			}
			eb := m.boundM(e.f.Geometry)
			if eb.Min[0] < ba.Max[0]+0.2 || min(eb.Max[1], ba.Max[1])-max(eb.Min[1], ba.Min[1]) < 2 {
				continue
			}
			if nb == nil || eb.Min[0] < bb.Min[0] {
				nb, bb = e.f, eb
			}
		}
		if nb == nil {
			continue
		}
		ov := 0.06 + 0.43*r.Float64()
		grown := ba
		grown.Max[0] = bb.Min[0] + ov
		if !m.clear(grown, 0.3, a, nb) {
			continue
		}
		rb, _ := m.footprint(nb)
		x := round7(rb[0][0] + ov*m.p.degPerX)
		nr := slices.Clone(ra)
		nr[1][0], nr[2][0] = x, x
		a.Geometry = orb.Polygon{nr}
		m.touched[a], m.touched[nb] = true, true
		m.idx.add(grown, a)
		want--
	}
	fs = m.footprints()
	extra := map[*geojson.Feature][]*geojson.Feature{}
	for _, i := range pick(r, len(fs), copyShare) {
		f := fs[i]
		ring, _ := m.footprint(f)
		d, angle := 0.02+0.06*r.Float64(), 2*math.Pi*r.Float64()
		dx, dy := d*math.Cos(angle)*m.p.degPerX, d*math.Sin(angle)*m.p.degPerY
		nr := make(orb.Ring, len(ring))
		for k, v := range ring {
			nr[k] = orb.Point{round7(v[0] + dx), round7(v[1] + dy)}
		}
		g := m.newBuilding(orb.Polygon{nr}, f.Properties)
		extra[f] = []*geojson.Feature{g}
		m.touched[f], m.touched[g] = true, true
		m.idx.add(m.boundM(g.Geometry), g)
	}
	m.insertAfter(extra, false)
}

// outside places 3 to 10 buildings (3 plus one per 2,000) 20–100 m beyond
// the district's outline, each with the community whose border it faces:
// walk-ups, shops and bungalow houses in turn. They are appended to the
// buildings.
func (m *mess) outside(r *rand.Rand) {
	edges := m.outerEdges()
	if len(edges) == 0 {
		return
	}
	comms := m.c.Communities.Features
	segs := make([][2]orb.Point, len(edges))
	for k, e := range edges {
		ring := comms[e[0]].Geometry.(orb.Polygon)[0]
		segs[k] = [2]orb.Point{m.toM(ring[e[1]]), m.toM(ring[e[1]+1])}
	}
	want := min(3+len(m.c.Buildings.Features)/2000, 10)
	for placed, try := 0, 0; placed < want && try < 50*want; try++ {
		k := r.IntN(len(edges))
		a, b := segs[k][0], segs[k][1]
		dx, dy := b[0]-a[0], b[1]-a[1]
		l := math.Hypot(dx, dy)
		if l < 60 {
			continue
		}
		nx, ny := dy/l, -dx/l // right of a→b: outside a counter-clockwise ring
		var w, h float64
		props := geojson.Properties{"community": comms[edges[k][0]].Properties["id"]}
		switch placed % 3 {
		case 0:
			w, h = 40, 12
			props["households"] = walkupMin + r.IntN(walkupMax-walkupMin+1)
		case 1:
			w, h = 10, 9
			props["households"] = 0
			props["kind"] = kindNames[shop]
		default:
			w, h = 9, 7
			props["households"] = 1 + r.IntN(3)
			props["kind"] = kindNames[bungalow]
		}
		d := 20.2 + 79.6*r.Float64()
		t := 0.25 + 0.5*r.Float64()
		reach := math.Abs(nx)*w/2 + math.Abs(ny)*h/2 // half the box across the edge
		c := orb.Point{a[0] + t*dx + nx*(d+reach), a[1] + t*dy + ny*(d+reach)}
		box := orb.Bound{Min: orb.Point{c[0] - w/2, c[1] - h/2}, Max: orb.Point{c[0] + w/2, c[1] + h/2}}
		if !outsideBy(box, segs, 20.1) || !m.clear(box, 2) {
			continue
		}
		f := m.newBuilding(m.rectM(box), props)
		m.c.Buildings.Append(f)
		m.idx.add(box, f)
		m.touched[f] = true
		placed++
	}
}

// straddle draws 3–10 walk-ups (one for every 2,000 buildings, and 3 at
// least) across an edge two communities share, 15–45 % of each in the
// neighbour: hand-digitised blocks often ignore a border drawn later. The
// community property names the one that holds the rest.
func (m *mess) straddle(r *rand.Rand) {
	outer := map[[2]int]bool{}
	for _, e := range m.outerEdges() {
		outer[e] = true
	}
	comms := m.c.Communities.Features
	var edges [][2]int
	for c, f := range comms {
		ring := f.Geometry.(orb.Polygon)[0]
		for i := 0; i+1 < len(ring); i++ {
			if ring[i] != ring[i+1] && !outer[[2]int{c, i}] {
				edges = append(edges, [2]int{c, i})
			}
		}
	}
	if len(edges) == 0 {
		return
	}
	want := min(3+len(m.c.Buildings.Features)/2000, 10)
	for placed, try := 0, 0; placed < want && try < 50*want; try++ {
		e := edges[r.IntN(len(edges))]
		ring := comms[e[0]].Geometry.(orb.Polygon)[0]
		a, b := m.toM(ring[e[1]]), m.toM(ring[e[1]+1])
		dx, dy := b[0]-a[0], b[1]-a[1]
		l := math.Hypot(dx, dy)
		if l < 60 {
			continue
		}
		ux, uy := dx/l, dy/l
		nx, ny := uy, -ux // right of a→b: the neighbour (rings are counter-clockwise)
		// 30 m along the edge, 12 m deep, the outer wall over it by 15–45 %.
		over := 12 * (0.15 + 0.3*r.Float64())
		t := l * (0.25 + 0.5*r.Float64())
		o := orb.Point{a[0] + t*ux + nx*over, a[1] + t*uy + ny*over}
		at := func(s, d float64) orb.Point { return orb.Point{o[0] + s*ux - d*nx, o[1] + s*uy - d*ny} }
		pts := []orb.Point{at(-15, 0), at(15, 0), at(15, 12), at(-15, 12)}
		box := orb.MultiPoint(pts).Bound()
		if !m.clear(box, 2) {
			continue
		}
		fp := orb.Ring{m.fromM(pts[0]), m.fromM(pts[1]), m.fromM(pts[2]), m.fromM(pts[3]), m.fromM(pts[0])}
		props := geojson.Properties{"community": comms[e[0]].Properties["id"], "households": walkupMin + r.IntN(walkupMax-walkupMin+1)}
		f := m.newBuilding(orb.Polygon{fp}, props)
		m.c.Buildings.Append(f)
		m.idx.add(box, f)
		m.touched[f] = true
		placed++
	}
}

// outsideBy reports whether box lies outside the region bounded by the
// segments (by the parity of crossings) and at least dist from each.
func outsideBy(box orb.Bound, segs [][2]orb.Point, dist float64) bool {
	c := box.Center()
	in := false
	for _, s := range segs {
		a, b := s[0], s[1]
		if (a[1] > c[1]) != (b[1] > c[1]) && c[0] < a[0]+(c[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
			in = !in
		}
		if segBoxDist(a, b, box) < dist {
			return false
		}
	}
	return !in
}

// segBoxDist returns the distance between the segment ab and the box.
func segBoxDist(a, b orb.Point, box orb.Bound) float64 {
	corners := [4]orb.Point{box.Min, {box.Max[0], box.Min[1]}, box.Max, {box.Min[0], box.Max[1]}}
	d := math.Inf(1)
	for k, q := range corners {
		if segsMeet(a, b, q, corners[(k+1)%4]) {
			return 0
		}
		d = min(d, pointSegDist(q, a, b))
	}
	for _, p := range [2]orb.Point{a, b} {
		if box.Contains(p) {
			return 0
		}
		dx := max(box.Min[0]-p[0], 0, p[0]-box.Max[0])
		dy := max(box.Min[1]-p[1], 0, p[1]-box.Max[1])
		d = min(d, math.Hypot(dx, dy))
	}
	return d
}

func pointSegDist(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = min(max(((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l, 0), 1)
	}
	return math.Hypot(a[0]+t*dx-p[0], a[1]+t*dy-p[1])
}

// orient is > 0 when c is left of a→b, < 0 when right, 0 when collinear.
func orient(a, b, c orb.Point) float64 {
	return float64((b[0]-a[0])*(c[1]-a[1])) - float64((b[1]-a[1])*(c[0]-a[0]))
}

// segsMeet reports whether the segments ab and cd cross or touch.
func segsMeet(a, b, c, d orb.Point) bool {
	d1, d2 := orient(a, b, c), orient(a, b, d)
	d3, d4 := orient(c, d, a), orient(c, d, b)
	if (d1 > 0 && d2 > 0) || (d1 < 0 && d2 < 0) || (d3 > 0 && d4 > 0) || (d3 < 0 && d4 < 0) {
		return false
	}
	if d1 == 0 && d2 == 0 { // collinear: whether they overlap
		return orb.Bound{Min: a, Max: a}.Extend(b).Intersects(orb.Bound{Min: c, Max: c}.Extend(d))
	}
	return true
}
