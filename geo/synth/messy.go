package synth

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// A Fault is a set of the defects of real layers that [Generate] can put
// into a city ([Options.Messy]); each constant is one defect, and they
// combine with |. The package documentation describes each.
type Fault uint32

// The faults, in the order of [FaultNames].
const (
	Spikes Fault = 1 << iota
	Pinched
	Bowtie
	Clockwise
	Duplicates
	RowHouses
	Podiums
	TileOverlap
	Rounding
	NullCommunity
	DupCommunity
	EmptyCommunity
	SelfIntersecting
	Outside
	Straddle
	CommunityNames

	// AllFaults is the set of every fault.
	AllFaults = CommunityNames<<1 - 1
)

// faultNames are the names of the faults, by bit.
var faultNames = [...]string{
	"spikes", "pinched", "bowtie", "clockwise", "duplicates", "rowhouses", "podiums",
	"tileoverlap", "rounding", "nullcommunity", "dupcommunity", "emptycommunity",
	"selfintersecting", "outside", "straddle", "communitynames",
}

// ErrFault is returned by [ParseFaults] for a name it does not know.
var ErrFault = errors.New("synth: unknown fault")

// FaultNames returns the names of the faults, as [ParseFaults] takes them.
func FaultNames() []string { return slices.Clone(faultNames[:]) }

// ParseFaults parses a comma-separated list of fault names, or "all" for
// every fault. Spaces around names and empty items are ignored, so "" is
// the empty set.
func ParseFaults(list string) (Fault, error) {
	var f Fault
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if name == "all" {
			f |= AllFaults
			continue
		}
		i := slices.Index(faultNames[:], name)
		if i < 0 {
			return 0, fmt.Errorf("%w %q (valid: %s, or all)", ErrFault, name, strings.Join(faultNames[:], ", "))
		}
		f |= 1 << i
	}
	return f, nil
}

// String returns the names of the faults in f, comma-separated.
func (f Fault) String() string {
	var names []string
	for i, n := range faultNames {
		if f&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return strings.Join(names, ",")
}

// Shares of the features that get each fault; every fault that has a
// candidate feature hits at least one.
const (
	spikeShare     = 0.03  // of polygon footprints
	pinchShare     = 0.02  // of polygon footprints
	bowtieShare    = 0.02  // of polygon footprints
	dupVertexShare = 0.05  // of polygon footprints, and of communities
	rowShare       = 0.10  // of walk-ups
	podiumShare    = 0.30  // of tower compounds
	overlapShare   = 0.03  // of polygon footprints
	copyShare      = 0.003 // of polygon footprints
	nullShare      = 0.05  // of buildings, exactly
	nameShare      = 0.6   // of buildings with a community, named by its name
	messStream     = 0x6a09e667f3bcc909
)

// A mess adds faults to a generated city. Geometry is edited in local
// metres (x east, y north, as the layout) and stored as longitude/latitude
// rounded to 7 decimals, except where the rounding fault needs more.
type mess struct {
	c       *City
	o       Options
	p       projector
	class   []int // of each community, in the order of c.Communities
	next    int   // number of the next building id
	width   int   // digits of building ids
	idx     *boxIndex
	touched map[*geojson.Feature]bool // features that already carry a fault
}

// messUp adds the faults of o.Messy to the clean city c. Each fault draws
// from a random source of its own, seeded with o.Seed, so a fault hits the
// same features whatever other faults are asked for, as far as the faults
// applied before it leave those features alone.
func messUp(c *City, o Options, p projector, class []int, next, width int) {
	m := &mess{c: c, o: o, p: p, class: class, next: next, width: width, touched: map[*geojson.Feature]bool{}}
	// Content first: these add, remove or move footprints.
	m.apply(EmptyCommunity, m.emptyCommunities)
	m.idx = newBoxIndex()
	for _, f := range c.Buildings.Features {
		m.idx.add(m.boundM(f.Geometry), f)
	}
	m.apply(RowHouses, m.rowHouses)
	m.apply(Podiums, m.podiums)
	m.apply(TileOverlap, m.tileOverlap)
	m.apply(Outside, m.outside)
	m.apply(Straddle, m.straddle)
	// Then the rings of single footprints, each footprint one fault at most.
	m.apply(Spikes, m.spikes)
	m.apply(Pinched, m.pinched)
	m.apply(Bowtie, m.bowties)
	// Communities and attributes.
	m.apply(SelfIntersecting, m.selfIntersecting)
	m.apply(DupCommunity, m.dupCommunity)
	m.apply(CommunityNames, m.communityNames)
	m.apply(NullCommunity, m.nullCommunity)
	// Faults of the encoding, last, so that they hit every ring as written.
	m.apply(Duplicates, m.duplicateVertices)
	m.apply(Rounding, m.rounding)
	m.apply(Clockwise, m.clockwise)
}

func (m *mess) apply(f Fault, fn func(r *rand.Rand)) {
	if m.o.Messy&f == 0 {
		return
	}
	fn(rand.New(rand.NewPCG(m.o.Seed, messStream+uint64(f))))
}

// pick returns k = round(share·n), at least 1 when n > 0, distinct
// indices below n, in increasing order.
func pick(r *rand.Rand, n int, share float64) []int {
	if n == 0 {
		return nil
	}
	k := max(1, int(math.Round(share*float64(n))))
	idx := r.Perm(n)[:min(k, n)]
	slices.Sort(idx)
	return idx
}

// toM converts longitude/latitude to local metres; fromM converts back and
// rounds to 7 decimals; fromMExact does not round.
func (m *mess) toM(q orb.Point) orb.Point {
	return orb.Point{(q[0] - m.p.center[0]) / m.p.degPerX, (q[1] - m.p.center[1]) / m.p.degPerY}
}
func (m *mess) fromM(q orb.Point) orb.Point { return m.p.project(q) }
func (m *mess) fromMExact(q orb.Point) orb.Point {
	return orb.Point{m.p.center[0] + q[0]*m.p.degPerX, m.p.center[1] + q[1]*m.p.degPerY}
}

// boundM returns the bound of g in metres; the conversion is affine with
// positive scales, so it maps bounds to bounds.
func (m *mess) boundM(g orb.Geometry) orb.Bound {
	b := g.Bound()
	return orb.Bound{Min: m.toM(b.Min), Max: m.toM(b.Max)}
}

// rectM returns a box in metres as a counter-clockwise footprint from its
// south-west corner, as the clean generator writes them.
func (m *mess) rectM(b orb.Bound) orb.Polygon {
	a, c := m.fromM(b.Min), m.fromM(b.Max)
	return orb.Polygon{orb.Ring{a, {c[0], a[1]}, c, {a[0], c[1]}, a}}
}

// footprint returns the ring of a building that is still the clean
// generator's axis-aligned rectangle, with no fault on it.
func (m *mess) footprint(f *geojson.Feature) (orb.Ring, bool) {
	if m.touched[f] {
		return nil, false
	}
	p, ok := f.Geometry.(orb.Polygon)
	if !ok || len(p) != 1 || len(p[0]) != 5 {
		return nil, false
	}
	return p[0], true
}

// footprints returns the buildings with a clean footprint, in file order.
func (m *mess) footprints() []*geojson.Feature {
	var fs []*geojson.Feature
	for _, f := range m.c.Buildings.Features {
		if _, ok := m.footprint(f); ok {
			fs = append(fs, f)
		}
	}
	return fs
}

// newBuilding returns a building with the next id and a copy of props.
func (m *mess) newBuilding(g orb.Geometry, props geojson.Properties) *geojson.Feature {
	f := geojson.NewFeature(g)
	for k, v := range props {
		f.Properties[k] = v
	}
	f.Properties["id"] = fmt.Sprintf("B%0*d", m.width, m.next)
	m.next++
	return f
}

// clear reports whether b, grown by margin metres, meets no building but
// those in except.
func (m *mess) clear(b orb.Bound, margin float64, except ...*geojson.Feature) bool {
	return !m.idx.hits(b.Pad(margin), except...)
}

// spikes gives some footprints a spike: on a random wall, the ring goes
// out 2–5 m and back (A, B, A), where the spike meets no other building.
func (m *mess) spikes(r *rand.Rand) {
	fs := m.footprints()
	for _, i := range pick(r, len(fs), spikeShare) {
		f := fs[i]
		ring, _ := m.footprint(f)
		first := r.IntN(4)
		t, length := 0.3+0.4*r.Float64(), 2+3*r.Float64()
		for k := range 4 {
			e := (first + k) % 4
			a, b := m.toM(ring[e]), m.toM(ring[e+1])
			base := orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
			dx, dy := b[0]-a[0], b[1]-a[1]
			l := math.Hypot(dx, dy)
			tip := orb.Point{base[0] + length*dy/l, base[1] - length*dx/l} // right of a→b: outside a CCW ring
			sb := orb.Bound{Min: base, Max: base}.Extend(tip)
			if !m.clear(sb, 0.5, f) {
				continue
			}
			A, B := m.fromM(base), m.fromM(tip)
			nr := slices.Concat(ring[:e+1], orb.Ring{A, B, A}, ring[e+1:])
			f.Geometry = orb.Polygon{nr}
			m.touched[f] = true
			m.idx.add(sb, f)
			break
		}
	}
}

// pinched gives some footprints an annex of 2–4 m square that touches the
// footprint at one corner only, drawn as one ring that visits the corner
// twice.
func (m *mess) pinched(r *rand.Rand) {
	fs := m.footprints()
	// Outward diagonal at each corner of a clean ring: SW, SE, NE, NW.
	dirs := [4][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}}
	for _, i := range pick(r, len(fs), pinchShare) {
		f := fs[i]
		ring, _ := m.footprint(f)
		first := r.IntN(4)
		s := 2 + 2*r.Float64()
		for k := range 4 {
			e := (first + k) % 4
			c := m.toM(ring[e])
			sx, sy := dirs[e][0]*s, dirs[e][1]*s
			ab := orb.Bound{Min: c, Max: c}.Extend(orb.Point{c[0] + sx, c[1] + sy})
			if !m.clear(ab, 0.5, f) {
				continue
			}
			// The annex from the corner, counter-clockwise.
			q1, q2, q3 := orb.Point{c[0] + sx, c[1]}, orb.Point{c[0] + sx, c[1] + sy}, orb.Point{c[0], c[1] + sy}
			if sx*sy < 0 {
				q1, q3 = q3, q1
			}
			annex := orb.Ring{m.fromM(q1), m.fromM(q2), m.fromM(q3), ring[e]}
			f.Geometry = orb.Polygon{slices.Concat(ring[:e+1], annex, ring[e+1:])}
			m.touched[f] = true
			m.idx.add(ab, f)
			break
		}
	}
}

// bowties swaps two neighbouring corners of some footprints, so that the
// ring crosses itself in its middle.
func (m *mess) bowties(r *rand.Rand) {
	fs := m.footprints()
	for _, i := range pick(r, len(fs), bowtieShare) {
		f := fs[i]
		ring, _ := m.footprint(f)
		nr := slices.Clone(ring)
		e := 1 + r.IntN(2)
		nr[e], nr[e+1] = nr[e+1], nr[e]
		f.Geometry = orb.Polygon{nr}
		m.touched[f] = true
	}
}

// nullCommunity sets the community of exactly 5% of the buildings to null.
func (m *mess) nullCommunity(r *rand.Rand) {
	bs := m.c.Buildings.Features
	k := int(math.Round(nullShare * float64(len(bs))))
	idx := r.Perm(len(bs))[:k]
	slices.Sort(idx)
	for _, i := range idx {
		bs[i].Properties["community"] = nil
	}
}

// communityNames names every community that has no name (幸福里社区,
// 光明社区 …) and gives 60% of the buildings their community's name, the
// first feature's where it has several, in place of its id.
func (m *mess) communityNames(r *rand.Rand) {
	names := map[string]string{} // by id: the name of its first feature
	for i, f := range m.c.Communities.Features {
		id := f.Properties["id"].(string)
		if _, ok := f.Properties["name"]; !ok {
			f.Properties["name"] = fmt.Sprintf("%s社区", communityNameStems[i%len(communityNameStems)])
			if k := i / len(communityNameStems); k > 0 {
				f.Properties["name"] = fmt.Sprintf("%s%d社区", communityNameStems[i%len(communityNameStems)], k+1)
			}
		}
		if _, ok := names[id]; !ok {
			names[id] = f.Properties["name"].(string)
		}
	}
	bs := m.c.Buildings.Features
	for _, i := range pick(r, len(bs), nameShare) {
		if id, ok := bs[i].Properties["community"].(string); ok && names[id] != "" {
			bs[i].Properties["community"] = names[id]
		}
	}
}

// communityNameStems are names that communities often bear.
var communityNameStems = [...]string{"幸福里", "光明", "和平", "朝阳", "长安", "新华", "建设", "胜利", "东风", "红旗", "解放", "人民", "文化", "友谊", "团结", "南苑", "北苑", "西园", "东湖", "青年"}

// duplicateVertices repeats one vertex of some footprints and communities,
// once or twice.
func (m *mess) duplicateVertices(r *rand.Rand) {
	for _, fc := range []*geojson.FeatureCollection{m.c.Buildings, m.c.Communities} {
		var polys []*geojson.Feature
		for _, f := range fc.Features {
			if _, ok := f.Geometry.(orb.Polygon); ok {
				polys = append(polys, f)
			}
		}
		for _, i := range pick(r, len(polys), dupVertexShare) {
			ring := polys[i].Geometry.(orb.Polygon)[0]
			v := r.IntN(len(ring) - 1)
			extra := slices.Repeat(orb.Ring{ring[v]}, 1+r.IntN(2))
			polys[i].Geometry = orb.Polygon{slices.Concat(ring[:v+1], extra, ring[v+1:])}
		}
	}
}

// clockwise reverses every ring of both layers.
func (m *mess) clockwise(*rand.Rand) {
	for _, fc := range []*geojson.FeatureCollection{m.c.Buildings, m.c.Communities} {
		for _, f := range fc.Features {
			if p, ok := f.Geometry.(orb.Polygon); ok {
				for _, ring := range p {
					slices.Reverse(ring)
				}
			}
		}
	}
}

// A boxIndex finds the buildings whose bounds (in metres) meet a box.
type boxIndex struct {
	cells map[[2]int][]boxEntry
}

type boxEntry struct {
	b orb.Bound
	f *geojson.Feature
}

const indexCellM = 64.0

func newBoxIndex() *boxIndex { return &boxIndex{cells: map[[2]int][]boxEntry{}} }

func cellRange(b orb.Bound) (i0, j0, i1, j1 int) {
	return int(math.Floor(b.Min[0] / indexCellM)), int(math.Floor(b.Min[1] / indexCellM)),
		int(math.Floor(b.Max[0] / indexCellM)), int(math.Floor(b.Max[1] / indexCellM))
}

func (x *boxIndex) add(b orb.Bound, f *geojson.Feature) {
	i0, j0, i1, j1 := cellRange(b)
	for i := i0; i <= i1; i++ {
		for j := j0; j <= j1; j++ {
			x.cells[[2]int{i, j}] = append(x.cells[[2]int{i, j}], boxEntry{b, f})
		}
	}
}

// hits reports whether a building other than those in except meets b.
func (x *boxIndex) hits(b orb.Bound, except ...*geojson.Feature) bool {
	i0, j0, i1, j1 := cellRange(b)
	for i := i0; i <= i1; i++ {
		for j := j0; j <= j1; j++ {
			for _, e := range x.cells[[2]int{i, j}] {
				if e.b.Intersects(b) && !slices.Contains(except, e.f) {
					return true
				}
			}
		}
	}
	return false
}

// near returns the buildings whose bounds meet b, each once (with the
// first of its boxes met), in an order that depends only on the index.
func (x *boxIndex) near(b orb.Bound) []boxEntry {
	var out []boxEntry
	seen := map[*geojson.Feature]bool{}
	i0, j0, i1, j1 := cellRange(b)
	for i := i0; i <= i1; i++ {
		for j := j0; j <= j1; j++ {
			for _, e := range x.cells[[2]int{i, j}] {
				if e.b.Intersects(b) && !seen[e.f] {
					seen[e.f] = true
					out = append(out, e)
				}
			}
		}
	}
	return out
}
