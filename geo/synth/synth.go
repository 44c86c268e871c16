package synth

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Options for Generate. Zero values mean defaults.
type Options struct {
	// Buildings is the approximate number of building features; the city
	// holds within 5% of it (required, >= 1).
	Buildings int
	// Seed selects the city; the same options give byte-identical output.
	Seed uint64
	// Center is the longitude/latitude of the district centre. The zero
	// point means Datong, (113.30, 40.08).
	Center orb.Point
	// Messy is the set of faults of real layers to put into the city (see
	// the package documentation); none by default. Faults add and remove
	// buildings, so the count may stray from Buildings by more than 5%.
	Messy Fault
	// CommunityHouseholds is the mean number of households per community
	// the city is laid out for, MinCommunityHouseholds to
	// MaxCommunityHouseholds; zero means DefaultCommunityHouseholds, the
	// size of Datong's communities. Larger communities hold proportionally
	// more of the same content (compounds, towers, courtyards, shops,
	// institutions) on proportionally larger lattice cells; the deliberately
	// infeasible communities keep their sizes.
	CommunityHouseholds int
}

// A City is a generated district.
type City struct {
	// Buildings has one feature per building: a counter-clockwise Polygon,
	// or for about 3% of them a Point, with properties id (string),
	// households (int), compound (string, absent outside compounds),
	// community (string) and kind (string, absent for residential).
	// [Options.Messy] breaks some of these promises on purpose.
	Buildings *geojson.FeatureCollection
	// Communities has one Polygon per community with property id, in the
	// order of their ids; they tile the district without gaps or overlaps,
	// unless [Options.Messy] says otherwise.
	Communities *geojson.FeatureCollection
}

// Errors returned by Generate for unusable options.
var (
	ErrBuildings = errors.New("synth: number of buildings out of range")
	ErrCenter    = errors.New("synth: centre is not a longitude/latitude")
	// ErrCommunityHouseholds: Options.CommunityHouseholds out of range.
	ErrCommunityHouseholds = errors.New("synth: households per community out of range")
)

// Bounds and default of Options.CommunityHouseholds. Real Chinese
// communities hold from about 1,500 to more than 10,000 households.
const (
	DefaultCommunityHouseholds = 2500
	MinCommunityHouseholds     = 1500
	MaxCommunityHouseholds     = 12000
)

// MaxBuildings bounds Options.Buildings; a city of that size takes about a
// gigabyte of memory.
const MaxBuildings = 10_000_000

// DefaultCenter is the centre of Datong, Shanxi.
var DefaultCenter = orb.Point{113.30, 40.08}

// City-wide proportions, after Datong: about 150 buildings, 2,500
// households per community (for the default CommunityHouseholds, scaled
// with it otherwise), i.e. about 17 households per building.
const (
	buildingsPerCommunity = 150
	smallShare            = 0.03 // communities of fewer than 300 households
	gapShare              = 0.03 // communities of 500–600 households
	oversizedPer          = 20000
	oversizedMinCity      = 5000  // no tower above 500 households in smaller cities
	pointShare            = 0.045 // of bungalows and shops written as Points, 3% of all buildings
	pcgStream             = 0x9e3779b97f4a7c15
	metresPerDegLat       = 111132.0
	metresPerDegLonEq     = 111320.0
)

// streetsM are the widths tried, in turn, for the streets between blocks
// of a community: a two-lane street with pavements, narrower ones where
// the community is dense.
var streetsM = [...]float64{16, 12, 8}

// A community under construction.
type community struct {
	id    string
	cells []int // lattice cells, row-major
	lots  []*lot
	class int // normal, small or gap
}

const (
	normal = iota
	small
	gap
)

// Generate builds a synthetic city. It fails only for out-of-range options.
func Generate(o Options) (*City, error) {
	if o.Buildings < 1 || o.Buildings > MaxBuildings {
		return nil, fmt.Errorf("%w: %d (want 1 to %d)", ErrBuildings, o.Buildings, MaxBuildings)
	}
	center := o.Center
	if center == (orb.Point{}) {
		center = DefaultCenter
	}
	if !(center[0] >= -179 && center[0] <= 179 && center[1] >= -80 && center[1] <= 80) {
		return nil, fmt.Errorf("%w: %v", ErrCenter, center)
	}
	if o.Messy&^AllFaults != 0 {
		return nil, fmt.Errorf("%w: %#x", ErrFault, uint32(o.Messy&^AllFaults))
	}
	hh := o.CommunityHouseholds
	if hh == 0 {
		hh = DefaultCommunityHouseholds
	}
	if hh < MinCommunityHouseholds || hh > MaxCommunityHouseholds {
		return nil, fmt.Errorf("%w: %d (want %d to %d)", ErrCommunityHouseholds, hh, MinCommunityHouseholds, MaxCommunityHouseholds)
	}
	// scale is the size of a community relative to the default one, by
	// its content; the default gives exactly 1, and today's cities.
	scale := float64(hh) / DefaultCommunityHouseholds
	r := rand.New(rand.NewPCG(o.Seed, pcgStream))
	n := o.Buildings

	// Communities: a jittered lattice with some cells merged. Cells grow
	// with the content, so that density stays that of the default; they
	// never shrink, since the largest compounds need a default cell.
	nc := max(1, int(math.Round(float64(n)/(buildingsPerCommunity*scale))))
	rows, cols := latticeShape(int(math.Ceil(float64(nc) * (1 + mergeShare))))
	lat := newLattice(r, rows, cols, cellM*math.Sqrt(max(scale, 1)))
	group := mergeCells(r, rows, cols, nc)
	comms := make([]*community, nc)
	width := max(3, len(strconv.Itoa(nc)))
	for i := range comms {
		comms[i] = &community{id: fmt.Sprintf("C%0*d", width, i+1)}
	}
	for c, g := range group {
		comms[g].cells = append(comms[g].cells, c)
	}

	// Infeasible communities and oversized towers, at random places.
	perm := r.Perm(nc)
	nSmall, nGap := share(nc, smallShare), share(nc, gapShare)
	for k, c := range perm {
		switch {
		case k < nSmall:
			comms[c].class = small
		case k < nSmall+nGap:
			comms[c].class = gap
		}
	}
	oversized := make(map[int]bool)
	if n >= oversizedMinCity {
		k := max(1, int(math.Round(float64(n)/oversizedPer)))
		for _, c := range perm[nSmall+nGap:] {
			if k == 0 {
				break
			}
			oversized[c] = true
			k--
		}
	}

	// Content: the infeasible communities first, since they are small and
	// fixed, then the others share out the remaining buildings.
	built := 0
	for _, c := range comms {
		if c.class != normal {
			c.lots = specialContent(r, c.class)
			built += countBuildings(c.lots)
		}
	}
	left := nc - nSmall - nGap
	towerDraws := max(1, int(math.Round(scale)))
	for ci, c := range comms {
		if c.class != normal {
			continue
		}
		budget := float64(n-built) / float64(left)
		if left > 1 {
			budget *= 0.75 + 0.55*r.Float64()
		}
		c.lots = normalContent(r, max(int(math.Round(budget)), 1), oversized[ci], towerDraws)
		built += countBuildings(c.lots)
		left--
	}

	// Layout and output.
	p := newProjector(center)
	city := &City{
		Buildings:   geojson.NewFeatureCollection(),
		Communities: geojson.NewFeatureCollection(),
	}
	city.Buildings.Features = make([]*geojson.Feature, 0, built)
	bwidth := max(6, len(strconv.Itoa(built)))
	next := 1
	for _, c := range comms {
		ring := lat.groupRing(c.cells)
		poly := make(orb.Ring, 0, len(ring)+1)
		for _, v := range ring {
			poly = append(poly, p.project(lat.vert[v]))
		}
		poly = append(poly, poly[0])
		f := geojson.NewFeature(orb.Polygon{poly})
		f.Properties["id"] = c.id
		city.Communities.Append(f)

		cells := make([]rect, len(c.cells))
		for k, cell := range c.cells {
			cells[k] = lat.innerRect(cell/cols, cell%cols)
		}
		// Streets narrow in the densest communities, so that all fits.
		var placed []*lot
		for k, street := range streetsM {
			var dropped bool
			if placed, dropped = pack(r, cells, c.lots, street, k == len(streetsM)-1); !dropped {
				break
			}
		}
		nq := 0
		for _, l := range placed {
			if l.compound {
				nq++
			}
		}
		qwidth := max(2, len(strconv.Itoa(nq)))
		q := 0
		for _, l := range placed {
			var compound string
			if l.compound {
				q++
				compound = fmt.Sprintf("%s-Q%0*d", c.id, qwidth, q)
			}
			for _, b := range l.b {
				// Some small buildings are known only by their location.
				b.point = (b.kind == bungalow || b.kind == shop) && r.Float64() < pointShare
				f := geojson.NewFeature(p.geometry(b, l.x, l.y))
				f.Properties["id"] = fmt.Sprintf("B%0*d", bwidth, next)
				next++
				f.Properties["households"] = b.households
				f.Properties["community"] = c.id
				if b.inCompound {
					f.Properties["compound"] = compound
				}
				if b.kind != residential {
					f.Properties["kind"] = kindNames[b.kind]
				}
				city.Buildings.Append(f)
			}
		}
	}
	if o.Messy != 0 {
		class := make([]int, nc)
		for i, c := range comms {
			class[i] = c.class
		}
		messUp(city, o, p, class, next, bwidth)
	}
	return city, nil
}

// share returns round(s·n), at least 1 once n >= 10 so that every city of
// 1,500 buildings or more has each infeasible case.
func share(n int, s float64) int {
	k := int(math.Round(s * float64(n)))
	if n >= 10 {
		k = max(k, 1)
	}
	return k
}

func countBuildings(lots []*lot) int {
	n := 0
	for _, l := range lots {
		n += len(l.b)
	}
	return n
}

// specialContent returns the lots of a deliberately infeasible community:
// fewer than 300 households (small) or 501–599 (gap: no whole number of
// grids of 300–500 fits).
func specialContent(r *rand.Rand, class int) []*lot {
	var lots []*lot
	var hh int
	if class == small {
		hh = 60 + r.IntN(231)
	} else {
		hh = 501 + r.IntN(99)
	}
	if class == gap {
		a := 200 + r.IntN(150)
		lots = append(lots, compoundLot(r, a))
		hh -= a
	}
	if r.Float64() < 0.4 {
		n := ceilDiv(hh, 2)
		lots = append(lots, bungalowLotHH(r, split(r, hh, n, 1, 3)))
	} else {
		lots = append(lots, walkupLot(r, hh))
	}
	if r.Float64() < 0.5 {
		lots = append(lots, institutionLot(r, 1+r.IntN(2), false))
	}
	distributeShops(r, &lots, 2+r.IntN(8))
	return lots
}

// normalContent returns the lots of an ordinary community of about budget
// buildings and 13–21 households per building (1,500–4,000 households for
// the usual budgets of the default size): compounds, standalone towers,
// institutions, shops, and bungalow courtyards that take up the rest of the
// building budget. Standalone towers come in towerDraws draws of zero to
// three, one per community of the default size.
func normalContent(r *rand.Rand, budget int, oversized bool, towerDraws int) []*lot {
	hh := int(float64(budget) * (13 + 8*r.Float64()))
	shops := int(math.Round(float64(budget) * (0.10 + 0.12*r.Float64())))
	inst := int(math.Round(float64(budget) * (0.02 + 0.025*r.Float64())))
	if budget >= 40 {
		inst = max(inst, 1)
	}
	var lots []*lot
	count := 0
	for inst > 0 {
		k := min(1+r.IntN(3), inst)
		lots = append(lots, institutionLot(r, k, true))
		inst -= k
		count += k
	}
	towers := 0
	if budget >= 40 {
		for range towerDraws {
			towers += []int{0, 0, 0, 0, 1, 1, 1, 2, 2, 3}[r.IntN(10)]
		}
	}
	for range towers {
		t := towerMin + r.IntN(towerMax-towerMin+1)
		lots = append(lots, towerLot(r, t))
		hh -= t
		count++
	}
	if oversized {
		t := 501 + 20 + r.IntN(380)
		lots = append(lots, towerLot(r, t))
		hh -= t
		count++
	}
	// Bungalow houses expected to fill the budget, if compounds average
	// 44 households per building and houses 2 households.
	const perBldg, perHouse = 44.0, 2.0
	houses := (float64(budget-shops-count) - float64(hh)/perBldg) / (1 - perHouse/perBldg)
	houses = max(houses, 0)
	rest := hh - int(perHouse*houses)
	for rest > 0 {
		if rest < 50 { // too few for a compound: one walk-up on its own
			l := walkupBlock(r, []int{rest})
			l.compound = false
			l.b[0].inCompound = false
			lots = append(lots, l)
			count++
			break
		}
		q := compoundSize(r)
		if rest-q < 50 {
			if rest <= 1500 {
				q = rest
			} else {
				q = rest - 50
			}
		}
		l := compoundLot(r, q)
		lots = append(lots, l)
		count += len(l.b)
		rest -= q
	}
	left := budget - shops - count
	for left >= 20 {
		k := min(left, 20+r.IntN(280))
		if left-k < 20 {
			k = left
		}
		lots = append(lots, bungalowLot(r, k))
		left -= k
	}
	distributeShops(r, &lots, shops+max(left, 0))
	return lots
}

// distributeShops adds n shops along the south sides of lots, in random
// order, and puts what does not fit into market rows of their own.
func distributeShops(r *rand.Rand, lots *[]*lot, n int) {
	ls := *lots
	for _, i := range r.Perm(len(ls)) {
		if n == 0 {
			break
		}
		if r.Float64() < 0.4 {
			continue
		}
		k := min(n, shopsFit(ls[i]), 4+r.IntN(12))
		if k > 0 {
			addShops(r, ls[i], k)
			n -= k
		}
	}
	for n > 0 {
		k := min(n, 8+r.IntN(12))
		ls = append(ls, shopLot(r, k))
		n -= k
	}
	*lots = ls
}

// A projector converts local metres to rounded longitude/latitude.
type projector struct {
	center           orb.Point
	degPerX, degPerY float64
}

func newProjector(c orb.Point) projector {
	return projector{
		center:  c,
		degPerX: 1 / (metresPerDegLonEq * math.Cos(c[1]*math.Pi/180)),
		degPerY: 1 / metresPerDegLat,
	}
}

// round7 rounds to 7 decimals (about 1 cm), the precision of the output.
func round7(v float64) float64 {
	v = math.Round(v*1e7) / 1e7
	if v == 0 {
		return 0 // no negative zero
	}
	return v
}

func (p projector) project(q orb.Point) orb.Point {
	return orb.Point{round7(p.center[0] + q[0]*p.degPerX), round7(p.center[1] + q[1]*p.degPerY)}
}

// geometry returns b's footprint, offset by (dx, dy), as a counter-clockwise
// Polygon or, for Point buildings, as the footprint's centre.
func (p projector) geometry(b bldg, dx, dy float64) orb.Geometry {
	x0, y0, x1, y1 := b.x0+dx, b.y0+dy, b.x1+dx, b.y1+dy
	if b.point {
		return p.project(orb.Point{(x0 + x1) / 2, (y0 + y1) / 2})
	}
	a, c := p.project(orb.Point{x0, y0}), p.project(orb.Point{x1, y1})
	return orb.Polygon{orb.Ring{a, {c[0], a[1]}, c, {a[0], c[1]}, a}}
}

// pack places lots in the community's cell rectangles: on shelves (rows of
// blocks between east–west streets), in columns within a shelf (blocks
// between north–south streets), stacking smaller lots in a column when they
// fit. Lots go tallest first, each into the least filled cell where it fits
// (first fit within the cell); then the spare space is spread between the
// streets so the blocks cover the community. A lot that fits nowhere is
// dropped, which the building budget of later communities makes up for. It
// returns the placed lots, by shelf (north to south), then column (west to
// east), then top to bottom.
//
// street is the width of the streets between blocks; unless lastTry, pack
// gives up and returns nil as soon as a lot does not fit.
func pack(r *rand.Rand, cells []rect, lots []*lot, street float64, lastTry bool) (placed []*lot, dropped bool) {
	type column struct {
		w, used float64 // used height includes a trailing street
		lots    []*lot
	}
	type shelf struct {
		top, h, used float64 // used width includes a trailing street
		cols         []*column
	}
	type bin struct {
		rect
		shelves []*shelf
		bottom  float64 // lowest shelf bottom so far, minus a street
		filled  float64 // area used, to balance multi-cell communities
	}
	bins := make([]*bin, len(cells))
	for i, c := range cells {
		bins[i] = &bin{rect: c, bottom: c.y1 + street}
	}
	order := slices.Clone(lots)
	slices.SortStableFunc(order, func(a, b *lot) int { return cmp.Compare(b.h, a.h) })
	byFill := make([]*bin, len(bins))
	fits := func(b *bin, l *lot) bool {
		for _, s := range b.shelves {
			for _, c := range s.cols {
				if l.w <= c.w && c.used+l.h <= s.h {
					c.lots = append(c.lots, l)
					c.used += l.h + street
					return true
				}
			}
			if l.h <= s.h && s.used+l.w <= b.w() {
				s.cols = append(s.cols, &column{w: l.w, used: l.h + street, lots: []*lot{l}})
				s.used += l.w + street
				return true
			}
		}
		if l.w <= b.w() && b.bottom-street-l.h >= b.y0 {
			s := &shelf{top: b.bottom - street, h: l.h, used: l.w + street}
			s.cols = []*column{{w: l.w, used: l.h + street, lots: []*lot{l}}}
			b.shelves = append(b.shelves, s)
			b.bottom = s.top - s.h
			return true
		}
		return false
	}
	for _, l := range order {
		copy(byFill, bins)
		slices.SortStableFunc(byFill, func(a, b *bin) int {
			return cmp.Compare(a.filled/(a.w()*a.h()), b.filled/(b.w()*b.h()))
		})
		ok := false
		for _, b := range byFill {
			if fits(b, l) {
				b.filled += (l.w + street) * (l.h + street)
				ok = true
				break
			}
		}
		if !ok {
			dropped = true
			if !lastTry {
				return nil, true
			}
		}
	}
	for _, b := range bins {
		// Spread the spare height between shelves, the spare width of each
		// shelf between its columns and the spare height of each column
		// between its lots. Each spread sums to less than the spare.
		dy := (b.bottom - b.y0) / float64(len(b.shelves)+1)
		for si, s := range b.shelves {
			top := s.top - dy*float64(si+1)
			dx := (b.w() - (s.used - street)) / float64(len(s.cols)+1)
			x := b.x0
			for _, c := range s.cols {
				x += dx * (0.5 + 0.5*r.Float64())
				cdy := (s.h - (c.used - street)) / float64(len(c.lots)+1)
				y := top
				for _, l := range c.lots {
					y -= cdy * (0.5 + 0.5*r.Float64())
					l.x = x + r.Float64()*(c.w-l.w)
					l.y = y - l.h
					y -= l.h + street
					placed = append(placed, l)
				}
				x += c.w + street
			}
		}
	}
	return placed, dropped
}
