package geo

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
	"github.com/tidwall/rtree"
)

// DefaultSliverM2 is the default tolerance of [ResolveCommunities]: two
// communities may overlap by up to this many square metres before the
// overlap is an error. Hand-digitized neighbours disagree along their common
// boundary by a metre or so; over a 50 m stretch of boundary that is a sliver
// of a few tens of square metres, while the smallest building footprint a
// wrong assignment could hide is about 100 m².
const DefaultSliverM2 = 50.0

// DefaultSnapM is the default snap distance of [AssignCommunities]: a
// building whose representative point lies this close outside a community
// is taken to belong to it. Digitizing errors of community boundaries are a
// few metres; a building 10 m outside its community is a data error worth
// refusing.
const DefaultSnapM = 10.0

// ResolveCommunities checks a communities layer for overlaps (SPEC §2.4).
// Areas are measured in a [Projection] centred on the layer. Two communities
// overlapping by more than tolM2 square metres are an error naming both
// ([ErrCommunityOverlap]), unless the overlap is a strip along their border
// no wider than [SliverWidthM] on average; every such pair is named, in a
// [*LayerError]. A smaller or thinner overlap is a digitizing sliver, given
// to the community that comes first in the file (subtracted from the other)
// and reported as a "sliver" [Warning]. cs is not modified; the returned slice holds the repaired
// regions in the same order.
func ResolveCommunities(file string, cs []Region, tolM2 float64) ([]Region, []Warning, error) {
	return resolveOverlaps(file, cs, tolM2, false)
}

// ResolveCompounds is [ResolveCommunities] for a compounds layer, whose
// overlaps refuse nothing: compounds drawn across each other give the
// shared part to the one that comes first in the file, as buildings there
// take its id ([AssignCompounds]), with a "compound_overlap" warning
// naming both where it is more than a sliver; a compound wholly inside
// another keeps its outline, with that warning, and none of the buildings.
// A pair that cannot be overlaid is left as it is.
func ResolveCompounds(file string, cs []Region, tolM2 float64) ([]Region, []Warning) {
	out, ws, _ := resolveOverlaps(file, cs, tolM2, true)
	return out, ws
}

// SliverWidthM is the mean width up to which an overlap of two regions is
// a sliver whatever its area: a strip along their border, as two outlines
// digitised by hand or merged from tiles meet.
const SliverWidthM = 1.0

// resolveOverlaps is ResolveCommunities, or, with compounds,
// ResolveCompounds.
func resolveOverlaps(file string, cs []Region, tolM2 float64, compounds bool) ([]Region, []Warning, error) {
	out := make([]Region, len(cs))
	copy(out, cs)
	if len(cs) < 2 {
		return out, nil, nil
	}
	proj := NewProjection(CenterOfRegions(cs))
	var tr rtree.RTreeG[int]
	for i, c := range cs {
		b := c.Geometry.Bound()
		tr.Insert(b.Min, b.Max, i)
	}
	// Candidate pairs (bounding boxes meet), in index order.
	type pair struct {
		i, j        int
		area, width float64 // the overlap's area, m², and mean width, m
		err         error
	}
	var pairs []pair
	for i, c := range cs {
		b := c.Geometry.Bound()
		var cand []int
		tr.Search(b.Min, b.Max, func(_, _ [2]float64, j int) bool {
			if j > i {
				cand = append(cand, j)
			}
			return true
		})
		sort.Ints(cand)
		for _, j := range cand {
			pairs = append(pairs, pair{i: i, j: j})
		}
	}
	// Most pairs are neighbours sharing a border exactly; the exact
	// pre-test spares them the overlay (overlap.go).
	shapes := make([]*shape.OverlapShape, len(cs))
	parallel.EachChunk(len(cs), 1, func(i int) { shapes[i] = shape.NewOverlapShape(cs[i].Geometry) })
	overlap := func(i, j int, a, b Region) (area, width float64, err error) {
		if !shape.InteriorsMayOverlap(shapes[i], shapes[j]) {
			return 0, 0, nil
		}
		inter, err := geom.Intersection(shape.ToSF(a.Geometry), shape.ToSF(b.Geometry))
		if err != nil {
			return 0, 0, overlayError(file, a, b, err)
		}
		m := inter.TransformXY(func(xy geom.XY) geom.XY {
			p := proj.Forward(orb.Point{xy.X, xy.Y})
			return geom.XY{X: p[0], Y: p[1]}
		})
		// A thin strip of length l and width w has area l·w and
		// boundary about 2·l.
		area = m.Area()
		if per := m.Boundary().Length(); per > 0 {
			width = 2 * area / per
		}
		return area, width, nil
	}
	// Overlay is the expensive part; measure every pair in parallel on the
	// input geometry, then resolve in order, measuring again only pairs
	// that involve a region already repaired.
	const pairsPerTask = 4
	parallel.EachChunk(len(pairs), pairsPerTask, func(k int) {
		i, j := pairs[k].i, pairs[k].j
		pairs[k].area, pairs[k].width, pairs[k].err = overlap(i, j, cs[i], cs[j])
	})
	repaired := make([]bool, len(cs))
	var warns []Warning
	var refused []*FeatureError
	refuse := func(j int, err error) {
		var fe *FeatureError
		if !errors.As(err, &fe) {
			fe = &FeatureError{File: file, Index: out[j].Index, ID: out[j].ID, Err: err}
		}
		refused = append(refused, fe)
	}
	for _, pr := range pairs {
		i, j, area, width, err := pr.i, pr.j, pr.area, pr.width, pr.err
		if repaired[i] || repaired[j] {
			area, width, err = overlap(i, j, out[i], out[j])
		}
		if err != nil {
			if !compounds {
				refuse(j, err)
			}
			continue
		}
		if area == 0 {
			continue
		}
		// A sliver: small, or a strip along the border however long (two
		// outlines digitised apart by decimetres).
		large := area > tolM2 && width > SliverWidthM
		if large && !compounds {
			refuse(j, fmt.Errorf("%w: overlaps feature %d (id %q) by %.0f m², %.1f m wide on average: more than the %g m² tolerance for slivers (--sliver-tolerance) and wider than %g m",
				ErrCommunityOverlap, out[i].Index, out[i].ID, area, width, tolM2, SliverWidthM))
			continue
		}
		diff, err := geom.Difference(shape.ToSF(out[j].Geometry), shape.ToSF(out[i].Geometry))
		if err != nil {
			if !compounds {
				refuse(j, overlayError(file, out[i], out[j], err))
			}
			continue
		}
		mp := shape.FromSF(diff)
		switch {
		case len(mp) == 0 && compounds:
			warns = append(warns, Warning{File: file, Index: out[j].Index, ID: out[j].ID, Kind: "compound_overlap",
				Note: fmt.Sprintf("lies wholly inside feature %d (id %q): the buildings in it take that compound's id", out[i].Index, out[i].ID)})
			continue
		case len(mp) == 0:
			refuse(j, fmt.Errorf("%w: lies entirely inside feature %d (id %q)", ErrCommunityOverlap, out[i].Index, out[i].ID))
			continue
		}
		out[j].Geometry = mp
		shapes[j] = shape.NewOverlapShape(mp)
		repaired[j] = true
		if large {
			warns = append(warns, Warning{File: file, Index: out[j].Index, ID: out[j].ID, Kind: "compound_overlap",
				Note: fmt.Sprintf("overlaps feature %d (id %q) by %.0f m²: the overlap, and the buildings in it, left to that compound", out[i].Index, out[i].ID, area)})
			continue
		}
		note := fmt.Sprintf("overlap of %.1f m² with feature %d (id %q) left to that feature", area, out[i].Index, out[i].ID)
		if area > tolM2 {
			note = fmt.Sprintf("overlap of %.0f m² with feature %d (id %q), a strip %.2f m wide on average along their border, left to that feature", area, out[i].Index, out[i].ID, width)
		}
		warns = append(warns, Warning{File: file, Index: out[j].Index, ID: out[j].ID, Kind: "sliver", Note: note})
	}
	if len(refused) > 0 {
		sort.SliceStable(refused, func(a, b int) bool { return refused[a].Index < refused[b].Index })
		return nil, nil, &LayerError{File: file, Features: refused}
	}
	return out, warns, nil
}

func overlayError(file string, a, b Region, err error) error {
	return &FeatureError{File: file, Index: b.Index, ID: b.ID,
		Err: fmt.Errorf("cannot intersect with feature %d (id %q): %w", a.Index, a.ID, err)}
}

// regionIndex finds the regions containing a point.
type regionIndex struct {
	rs []Region
	tr rtree.RTreeG[[2]int] // region index, polygon index
}

func newRegionIndex(rs []Region) *regionIndex {
	ix := &regionIndex{rs: rs}
	for i, r := range rs {
		for k, p := range r.Geometry {
			if len(p) == 0 {
				continue
			}
			b := p.Bound()
			ix.tr.Insert(b.Min, b.Max, [2]int{i, k})
		}
	}
	return ix
}

// containing returns the lowest index of a region whose closed polygon
// contains p, or -1.
func (ix *regionIndex) containing(p orb.Point) int {
	best := -1
	ix.tr.Search(p, p, func(_, _ [2]float64, v [2]int) bool {
		if best >= 0 && v[0] >= best {
			return true
		}
		if shape.PolygonCovers(ix.rs[v[0]].Geometry[v[1]], p) {
			best = v[0]
		}
		return true
	})
	return best
}

// holding returns the region that holds geometry g: the one containing
// its representative point, or, where that point lies on the border of
// several (a building over the corner where communities meet), the one
// of those holding most of g (the lowest index among equals); -1 for
// none.
func (ix *regionIndex) holding(g orb.Geometry) int {
	p := shape.RepresentativePoint(g)
	var cover []int
	ix.tr.Search(p, p, func(_, _ [2]float64, v [2]int) bool {
		if !slices.Contains(cover, v[0]) && shape.PolygonCovers(ix.rs[v[0]].Geometry[v[1]], p) {
			cover = append(cover, v[0])
		}
		return true
	})
	if len(cover) == 0 {
		return -1
	}
	slices.Sort(cover) // cover[0] is what containing gives
	fp := shape.Polygons(g)
	if len(cover) == 1 || len(fp) == 0 {
		return cover[0]
	}
	best, bestA := cover[0], -1.0
	for _, c := range cover {
		in, err := geom.Intersection(shape.ToSF(fp), shape.ToSF(ix.rs[c].Geometry))
		if err != nil {
			continue
		}
		if a := in.Area(); a > bestA {
			best, bestA = c, a
		}
	}
	return best
}

// nearest returns the region whose boundary is nearest to p within maxM
// metres (measured in proj), the lowest index among equals, or -1.
func (ix *regionIndex) nearest(p orb.Point, proj *Projection, maxM float64) (int, float64) {
	dLon, dLat := degreesFor(maxM, p[1])
	best, bestD := -1, math.Inf(1)
	pp := proj.Forward(p)
	ix.tr.Search(orb.Point{p[0] - dLon, p[1] - dLat}, orb.Point{p[0] + dLon, p[1] + dLat}, func(_, _ [2]float64, v [2]int) bool {
		if _, d := nearestOnBoundary(pp, orb.MultiPolygon{ix.rs[v[0]].Geometry[v[1]]}, proj); d < bestD || (d == bestD && v[0] < best) {
			best, bestD = v[0], d
		}
		return true
	})
	if bestD > maxM {
		return -1, bestD
	}
	return best, bestD
}

// degreesFor returns longitude and latitude spans at latitude lat that are
// at least m metres long: an index query box for a search radius. One degree
// of latitude is at least 110,574 m (at the equator) and one degree of
// longitude at least 111,320·cos(lat) m less 0.7% for the ellipsoid; 1%
// margin covers both.
func degreesFor(m, lat float64) (dLon, dLat float64) {
	const minMetresPerDegree = 110574 * 0.99
	dLat = m / minMetresPerDegree
	cos := math.Cos(math.Min(math.Abs(lat)+dLat, 90) * math.Pi / 180)
	if cos < 1e-6 { // within 0.1 m of a pole: search every longitude
		return 360, dLat
	}
	return dLat / cos, dLat
}

// Outside says what becomes of a building that lies outside every
// community polygon, farther than the snap distance (SPEC §2.4).
type Outside uint8

const (
	// OutsideError refuses the buildings layer, naming such buildings.
	OutsideError Outside = iota
	// OutsideSkip leaves such buildings out of the plan.
	OutsideSkip
	// OutsideNearest joins each to the nearest community, with a warning.
	OutsideNearest
)

// ParseOutside returns the Outside named s ("error", "skip", "nearest").
func ParseOutside(s string) (Outside, bool) {
	for i, n := range outsideNames {
		if n == s {
			return Outside(i), true
		}
	}
	return 0, false
}

var outsideNames = [...]string{"error", "skip", "nearest"}

func (o Outside) String() string { return outsideNames[o] }

// communitiesByName gives the buildings whose community property is no
// community's id but the name of exactly one (幸福里社区 where the layer
// has C001, named 幸福里社区: an attribute table that carries names, a
// layer that carries codes) that community's id, and returns the warning
// that says so, once for the layer; nil if there are none.
func communitiesByName(file string, bs []Building, cs []Region, ids map[string]int) []Warning {
	named := map[string]int{}
	for c, r := range cs {
		names := r.Names // the parts' names, of a community drawn in parts
		if names == nil && r.Name != "" {
			names = []string{r.Name}
		}
		for _, name := range names {
			if k, twice := named[name]; twice && k != c {
				named[name] = -1 // two communities of one name: neither
				continue
			}
			named[name] = c
		}
	}
	n, matched := 0, map[string]string{}
	for i := range bs {
		b := &bs[i]
		if _, ok := ids[b.Community]; ok || b.Community == "" {
			continue
		}
		if c, ok := named[b.Community]; ok && c >= 0 {
			matched[b.Community] = cs[c].ID
			b.Community = cs[c].ID
			n++
		}
	}
	if n == 0 {
		return nil
	}
	pairs := make([]string, 0, len(matched))
	for name, id := range matched {
		pairs = append(pairs, fmt.Sprintf("%q is %q", name, id))
	}
	sort.Strings(pairs)
	if len(pairs) > 5 {
		pairs = append(pairs[:5], fmt.Sprintf("and %d more", len(matched)-5))
	}
	return []Warning{{File: file, Index: -1, Kind: "community_by_name",
		Note: fmt.Sprintf("%d %s name their community by the name the communities layer gives it, not its id (%s): matched by name", n, plural(n, "building"), strings.Join(pairs, ", "))}}
}

// unknownCommunities is the error of the buildings whose community
// property names no community of cs (ids maps their ids): all of them,
// the first saying which ids the layer has (a community renamed in one
// layer only leaves many), nil if there are none.
func unknownCommunities(file string, bs []Building, cs []Region, ids map[string]int) error {
	var fes []*FeatureError
	for _, b := range bs {
		if _, ok := ids[b.Community]; b.Community != "" && !ok {
			fes = append(fes, &FeatureError{File: file, Index: b.Index, ID: b.ID, Err: fmt.Errorf("%w: %q", ErrUnknownCommunity, b.Community)})
		}
	}
	if len(fes) == 0 {
		return nil
	}
	have := make([]string, 0, len(cs))
	for _, r := range cs {
		have = append(have, strconv.Quote(r.ID))
	}
	sort.Strings(have)
	if len(have) > 20 {
		have = append(have[:20], fmt.Sprintf("and %d more", len(cs)-20))
	}
	// Said once, with the first.
	fes[0].Err = fmt.Errorf("%w; the communities layer has %s (correct the property or the layer, or --community-field names another property)", fes[0].Err, strings.Join(have, ", "))
	return &LayerError{File: file, Features: fes}
}

// An OutsideBuilding is a building outside every community polygon.
type OutsideBuilding struct {
	Index     int       // in bs
	Point     orb.Point // its representative point, lon/lat
	DistanceM float64   // to the nearest community's boundary
	Nearest   string    // id of that community
	// Joined reports a building given to the nearest community (within
	// the snap distance, or by OutsideNearest); otherwise it is left out.
	Joined bool
	// Inside reports a building whose community property names another
	// community than the one whose polygon holds it: Nearest is the latter.
	Inside bool
}

// reaches reports whether footprint g has some area inside region.
func reaches(g orb.Geometry, region orb.MultiPolygon) bool {
	fp := shape.Polygons(g)
	if len(fp) == 0 || !shape.MayOverlap(fp, region) {
		return false
	}
	in, err := geom.Intersection(shape.ToSF(fp), shape.ToSF(region))
	return err == nil && in.Area() > 0
}

// NearestOnBoundary returns the point of the rings of mp (lon/lat) nearest
// to p (lon/lat), in the metres of proj, and its distance from p.
func NearestOnBoundary(p orb.Point, mp orb.MultiPolygon, proj *Projection) (orb.Point, float64) {
	return nearestOnBoundary(proj.Forward(p), mp, proj)
}

// nearestOnBoundary is NearestOnBoundary of pp, already in metres.
func nearestOnBoundary(pp orb.Point, mp orb.MultiPolygon, proj *Projection) (orb.Point, float64) {
	best, bestD := pp, math.Inf(1)
	for _, poly := range mp {
		for _, ring := range poly {
			for e := 0; e+1 < len(ring); e++ {
				if q, d := shape.NearestOnSegment(pp, proj.Forward(ring[e]), proj.Forward(ring[e+1])); d < bestD {
					best, bestD = q, d
				}
			}
		}
	}
	return best, bestD
}

// maxOutsideListed bounds the buildings an outside error names.
const maxOutsideListed = 5

// AssignCommunities sets Community for every building whose Community is ""
// to the id of the community containing its representative point
// ([RepresentativePoint]): where most of a footprint lies, for a footprint
// drawn across a boundary. Where communities overlap, the first in cs wins.
// A building whose point lies outside every community but within snapM
// metres of one is assigned to the nearest, with a "snapped_to_community"
// [Warning]. Farther out, outside decides: [OutsideError] makes them all one
// [*FileError] of buildingsFile wrapping [ErrOutsideCommunities] that says
// how many and names the first few; [OutsideSkip] leaves their Community "";
// [OutsideNearest] assigns each to the nearest community with a
// "nearest_community" warning. Every building outside every community is
// returned, in input order, Joined when it was given a community (see
// [ExtendCommunities]).
//
// With named, a building whose property names a community whose polygon
// does not hold it is treated the same way, except that it is kept in (or
// joined to) the community it names: snapped within snapM, and beyond
// that refused, left out or kept by outside. Without named, a property
// wins over location (an audit reports such buildings itself). A building whose Community names no
// community in cs is an error wrapping [ErrUnknownCommunity]. With no
// communities, bs is left unchanged (SPEC §2.1: one implicit community).
//
// bs is modified in place.
func AssignCommunities(buildingsFile string, bs []Building, cs []Region, snapM float64, outside Outside, named bool) ([]Warning, []OutsideBuilding, error) {
	if len(cs) == 0 {
		return nil, nil, nil
	}
	ids := make(map[string]int, len(cs))
	for c, r := range cs {
		ids[r.ID] = c
	}
	byName := communitiesByName(buildingsFile, bs, cs, ids)
	if err := unknownCommunities(buildingsFile, bs, cs, ids); err != nil {
		return nil, nil, err
	}
	ix := newRegionIndex(cs)
	found := make([]int, len(bs))
	// away marks buildings whose community property names a community
	// whose polygon does not hold them.
	away := make([]bool, len(bs))
	parallel.Each(len(bs), func(i int) {
		found[i] = -1
		switch b := &bs[i]; {
		case b.Geometry == nil:
		case b.Community == "":
			found[i] = ix.holding(b.Geometry)
		case named:
			away[i] = !shape.MultiPolygonCovers(cs[ids[b.Community]].Geometry, shape.RepresentativePoint(b.Geometry))
		}
	})
	var proj *Projection // only needed for buildings outside every community
	warns := byName
	inside := make([]bool, len(bs)) // in the community they get, by their point
	var out, joined []OutsideBuilding
	for i := range bs {
		b := &bs[i]
		if away[i] && reaches(b.Geometry, cs[ids[b.Community]].Geometry) {
			// Drawn across the outline of its community: its grid holds
			// the part inside.
			if proj == nil {
				proj = NewProjection(CenterOfRegions(cs))
			}
			note := fmt.Sprintf("its footprint lies mostly outside its community %q", b.Community)
			if share, m2, ok := outsideOf(shape.Polygons(b.Geometry), cs[ids[b.Community]].Geometry, proj); ok {
				note = fmt.Sprintf("%.0f m² (%.0f%%) of its footprint lies outside its community %q", m2, 100*share, b.Community)
			}
			warns = append(warns, Warning{File: buildingsFile, Index: b.Index, ID: b.ID, Kind: "across_community_boundary",
				Note: note + ": its grid holds the part inside, the rest is left to the grids beyond"})
			continue
		}
		if away[i] {
			// Named, but outside its community: within snapM it is
			// snapped to it; farther out it is outside, and joins the
			// community it names rather than the nearest.
			if proj == nil {
				proj = NewProjection(CenterOfRegions(cs))
			}
			p := shape.RepresentativePoint(b.Geometry)
			_, d := NearestOnBoundary(p, cs[ids[b.Community]].Geometry, proj)
			o := OutsideBuilding{Index: i, Point: p, DistanceM: d, Nearest: b.Community}
			if d <= snapM {
				o.Joined = true
				joined = append(joined, o)
				warns = append(warns, Warning{File: buildingsFile, Index: b.Index, ID: b.ID, Kind: "snapped_to_community",
					Note: fmt.Sprintf("%.1f m outside its community %q; kept in it", d, b.Community)})
			} else {
				if h := ix.containing(p); h >= 0 {
					// It lies in another community: that one is nearest.
					o.Nearest, o.Inside = cs[h].ID, true
				}
				out = append(out, o)
			}
			continue
		}
		if b.Community != "" {
			inside[i] = !away[i]
			continue
		}
		if b.Geometry == nil {
			return nil, nil, &FeatureError{File: buildingsFile, Index: b.Index, ID: b.ID, Err: ErrEmptyGeometry}
		}
		if found[i] >= 0 {
			b.Community = cs[found[i]].ID
			inside[i] = true
			continue
		}
		if proj == nil {
			proj = NewProjection(CenterOfRegions(cs))
		}
		p := shape.RepresentativePoint(b.Geometry)
		if j, d := ix.nearest(p, proj, snapM); j >= 0 {
			b.Community = cs[j].ID
			joined = append(joined, OutsideBuilding{Index: i, Point: p, DistanceM: d, Nearest: cs[j].ID, Joined: true})
			warns = append(warns, Warning{File: buildingsFile, Index: b.Index, ID: b.ID, Kind: "snapped_to_community",
				Note: fmt.Sprintf("%.1f m outside community %q; assigned to it", d, cs[j].ID)})
			continue
		}
		j, d := ix.nearest(p, proj, math.Inf(1))
		out = append(out, OutsideBuilding{Index: i, Point: p, DistanceM: d, Nearest: cs[j].ID})
	}
	switch {
	case len(out) == 0:
	case outside == OutsideNearest:
		for k := range out {
			o := &out[k]
			b := &bs[o.Index]
			note := fmt.Sprintf("%.1f m outside every community (more than --snap %g m): joined the nearest, %q", o.DistanceM, snapM, o.Nearest)
			switch {
			case o.Inside:
				note = fmt.Sprintf("%.1f m outside its community %q (more than --snap %g m), in community %q: put in %q", o.DistanceM, b.Community, snapM, o.Nearest, o.Nearest)
			case b.Community != "":
				note = fmt.Sprintf("%.1f m outside its community %q (more than --snap %g m): kept in it", o.DistanceM, b.Community, snapM)
			}
			b.Community, o.Joined = o.Nearest, true
			warns = append(warns, Warning{File: buildingsFile, Index: b.Index, ID: b.ID, Kind: "nearest_community", Note: note})
		}
	case outside == OutsideSkip:
		for _, o := range out {
			b := &bs[o.Index]
			note := fmt.Sprintf("%.1f m outside every community (nearest %q): left out of the plan, listed in outside.csv", o.DistanceM, o.Nearest)
			if b.Community != "" {
				note = fmt.Sprintf("%.1f m outside its community %q: left out of the plan, listed in outside.csv", o.DistanceM, b.Community)
			}
			b.Community = ""
			warns = append(warns, Warning{File: buildingsFile, Index: b.Index, ID: b.ID, Kind: "outside_communities", Note: note})
		}
	default:
		var named []string
		for k, o := range out {
			if k == maxOutsideListed {
				named = append(named, fmt.Sprintf("and %d more", len(out)-k))
				break
			}
			b := &bs[o.Index]
			where := fmt.Sprintf("%.0f m from %q", o.DistanceM, o.Nearest)
			if o.Inside {
				where = fmt.Sprintf("%.0f m from %q, in %q", o.DistanceM, b.Community, o.Nearest)
			}
			named = append(named, fmt.Sprintf("feature %d (id %q) at [%.7f, %.7f], %s", b.Index, b.ID, o.Point[0], o.Point[1], where))
		}
		return nil, nil, &FileError{File: buildingsFile, Err: fmt.Errorf("%w: %d buildings lie more than %g m (--snap) outside every community polygon, or outside the one their community property names: %s; --outside skip leaves them out of the plan, --outside nearest joins each to the community that holds it, else to the one it names, else to the nearest",
			ErrOutsideCommunities, len(out), snapM, strings.Join(named, "; "))}
	}
	if len(joined) > 0 {
		out = append(joined, out...)
		sort.SliceStable(out, func(a, b int) bool { return out[a].Index < out[b].Index })
	}
	warns = append(warns, straddling(buildingsFile, bs, cs, ids, inside)...)
	sort.SliceStable(warns, func(a, b int) bool { return warns[a].Index < warns[b].Index })
	return warns, out, nil
}

// AssignCompounds sets Compound for every building whose Compound is "" to
// the id of the compound polygon containing its representative point (SPEC
// §2.2: buildings inside inherit the compound id). Buildings outside every
// compound keep "". A building naming a compound not in the layer is
// accepted: compounds need not all be drawn. bs is modified in place.
//
// A building inside a compound polygon that names another compound keeps
// its name, and the polygon does not hold it; the warnings (one per
// polygon, in layer order, of file) name each such polygon with the names
// its buildings give, for the layer's ids and the buildings' are then
// likely codes of two kinds (小区编码 against 小区名称).
func AssignCompounds(file string, bs []Building, compounds []Region) []Warning {
	if len(compounds) == 0 {
		return nil
	}
	ix := newRegionIndex(compounds)
	in := make([]int, len(bs))
	parallel.Each(len(bs), func(i int) {
		in[i] = -1
		if bs[i].Geometry != nil {
			in[i] = ix.containing(shape.RepresentativePoint(bs[i].Geometry))
		}
		if bs[i].Compound == "" && in[i] >= 0 {
			bs[i].Compound = compounds[in[i]].ID
		}
	})
	named := map[string]bool{}
	for _, c := range compounds {
		named[c.ID] = true
	}
	others := make([]map[string]int, len(compounds)) // by polygon: other names its buildings give, and how many
	for i, j := range in {
		if j >= 0 && bs[i].Compound != compounds[j].ID {
			if others[j] == nil {
				others[j] = map[string]int{}
			}
			others[j][bs[i].Compound]++
		}
	}
	var ws []Warning
	for j, o := range others {
		if o == nil {
			continue
		}
		names := make([]string, 0, len(o))
		n := 0
		for name, k := range o {
			names = append(names, name)
			n += k
		}
		sort.Strings(names)
		list := make([]string, 0, min(len(names), 3))
		for _, name := range names[:min(len(names), 3)] {
			list = append(list, fmt.Sprintf("%q (%d)", name, o[name]))
		}
		if len(names) > 3 {
			list = append(list, fmt.Sprintf("and %d more", len(names)-3))
		}
		hint := "the buildings keep their names and the polygon holds none of them"
		if !slices.ContainsFunc(names, func(s string) bool { return named[s] }) {
			hint += "; if these are the same compounds, give the layer and the buildings the same ids (--compound-field names the buildings' property, --region-id-field the layer's)"
		}
		ws = append(ws, Warning{File: file, Index: compounds[j].Index, ID: compounds[j].ID, Kind: "compound_name_differs", Note: fmt.Sprintf(
			"%d %s inside the compound polygon name another compound: %s; %s", n, plural(n, "building"), strings.Join(list, ", "), hint)})
	}
	return ws
}
