package audit

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"gridplan/geo"
	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
	"github.com/tidwall/rtree"
)

// Audit of an existing grid layer (SPEC §6 check).
//
// The audit measures a grid layer against the hard rules of SPEC §3 and the
// tiling rules of §4 and reports each violation as a [Finding]. Containment
// of points (which grid holds a building) is decided with the exact
// predicates of validate.go in longitude/latitude. Areas (gaps, overlaps,
// parts of grids outside their community, parts of footprints in each grid)
// come from simplefeatures' overlay in a [LocalPlane]: one per community for
// the community's own grids, so that a grid edge running along the
// community's outline (a straight line in longitude/latitude) stays exactly
// on it, and one per pair or building elsewhere. Exact pre-tests
// ([interiorsMayOverlap], insideInterior) keep the overlay away from the
// pairs that cannot overlap, which on a clean layer is almost all of them.
//
// Overlay areas are compared with a tolerance derived per piece in
// [pieceIsReal], not with a fixed epsilon.

// Kinds of [Finding], in the order the summary lists them: problems of the
// layer's geometry first, then of coverage, then of the rules on households.
const (
	FindingBadCode            = "bad_code"            // a grid's code is blank, absent or another's
	FindingInvalidGeometry    = "invalid_geometry"    // a grid is not a valid OGC (multi)polygon
	FindingOutsideCommunities = "outside_communities" // a grid lies in no community
	FindingCrossesCommunity   = "crosses_community"   // part of a grid lies outside its community
	FindingOverlap            = "overlap"             // an area covered by two grids
	FindingGap                = "gap"                 // an area of a community covered by no grid
	FindingUncoveredBuilding  = "uncovered_building"  // a building in no grid
	FindingStraddlingBuilding = "straddling_building" // a footprint no single grid contains
	FindingSplitCompound      = "split_compound"      // a compound of <= max households in several grids
	FindingMultipart          = "multipart"           // a grid in several pieces
	FindingOutOfBand          = "out_of_band"         // households outside [min, max]
)

// FindingKinds lists the kinds of [Finding] in report order.
var FindingKinds = []string{
	FindingBadCode, FindingInvalidGeometry, FindingOutsideCommunities, FindingCrossesCommunity,
	FindingOverlap, FindingGap, FindingUncoveredBuilding, FindingStraddlingBuilding,
	FindingSplitCompound, FindingMultipart, FindingOutOfBand,
}

// ReasonContainerFootprint is the reason a straddling footprint cannot be
// fixed by redrawing: it holds smaller buildings of several grids (a podium
// under towers). The other reasons are partition's ([partition.Reason]).
const ReasonContainerFootprint = "container_footprint"

// ReasonMultipartBuilding is the reason a multipart grid cannot be made
// one piece by redrawing: a building of it is drawn in parts far apart
// (a MultiPolygon), each part in its grid, which joins them.
const ReasonMultipartBuilding = "multipart_building"

// A Finding is one violation found by [Audit].
type Finding struct {
	Kind      string   `json:"kind"`
	Grids     []string `json:"grids,omitempty"`     // codes of the grids involved
	Buildings []string `json:"buildings,omitempty"` // ids of the buildings involved
	Community string   `json:"community,omitempty"`
	Compound  string   `json:"compound,omitempty"`
	// Measured holds the figures behind the finding, by name: households,
	// min, max, area_m2, outside_m2, pieces, shares...
	Measured map[string]float64 `json:"measured,omitempty"`
	// Fixable is false when no redrawing of the grids can avoid the
	// finding; Reason then says why. It is true otherwise, including when
	// a fix may exist but has not been proven to.
	Fixable bool   `json:"fixable"`
	Reason  string `json:"reason,omitempty"`
	Detail  string `json:"detail"`
	// Area is the problem area in longitude/latitude (a gap, an overlap,
	// the part of a grid outside its community, a straddling footprint, an
	// out-of-band grid's outline), nil when there is none to show.
	Area orb.Geometry `json:"-"`
}

// AuditSettings configures [Audit]. A nil *AuditSettings or zero band
// means the band of SPEC §3, [300, 500].
type AuditSettings struct {
	Min, Max int
	// ShopWeight is the number of households each shop counts for in the
	// band (partition's --shop-weight).
	ShopWeight float64
	// StraddleM2 is the area of a footprint, in square metres, that may lie
	// outside the grid holding the rest of it before the building is a
	// straddling_building finding. Zero reports every straddle beyond
	// rounding; see [DefaultStraddleM2].
	StraddleM2 float64
	// BendM is how far, in metres, edges of the layers may stray from the
	// straight lines between their vertices in longitude/latitude: layers
	// drawn in projected coordinates (Gauss–Krüger) and converted vertex by
	// vertex bend by up to millimetres, so that layers meeting exactly in
	// metres leave slivers that wide in longitude/latitude. Slivers no
	// wider than twice BendM are not findings.
	BendM float64
	// Progress, if not nil, is told how far each step of the audit has
	// got, done of total, from any goroutine: step "grids" (the community
	// of each grid), "buildings" (the grid of each building), "coverage"
	// (communities) and "overlaps" (grids), in this order; "grids" and
	// "coverage" only with communities. It never changes the report.
	Progress func(step string, done, total int)
}

// DefaultStraddleM2 is check's default [AuditSettings.StraddleM2]. Grid
// lines on community maps (1:2000) are drawn to about a metre; a line off
// by that much across the corner of a 10 m wall clips a triangle of up to
// 5 m² from a footprint without making the building's grid ambiguous.
// partition's own grid outlines, traced between points sampled along the
// footprints, clip corners by up to 1.5 m² in generated cities.
const DefaultStraddleM2 = 5.0

// GridAudit is one grid's tally: what the audit counted in it.
type GridAudit struct {
	Code           string  `json:"code"`
	Community      string  `json:"community"`
	Dedicated      bool    `json:"dedicated,omitempty"`
	Households     int     `json:"households"`
	BandHouseholds int     `json:"band_households"`
	Buildings      int     `json:"buildings"`
	AreaM2         float64 `json:"area_m2"`
	Pieces         int     `json:"pieces"`
	Valid          bool    `json:"valid"`
	// Status is the audit's verdict on its households: ok, under or
	// over the band, or "" for a grid not weighed against it (dedicated,
	// without geometry, or of a community without households).
	Status string `json:"-"`
}

// An AuditReport is the result of [Audit]: findings in a fixed order (by
// kind, as in [FindingKinds], then by grid code and building id) and a
// tally per grid in layer order.
type AuditReport struct {
	Min, Max   int
	Households int
	Findings   []Finding
	Grids      []GridAudit
	// Home is, per building, the index in Grids of the grid it counts
	// for, -1 for none.
	Home []int
}

// Audit checks grids against buildings and, if given, communities (SPEC
// §6 check). Buildings must have their Community set as [AssignCommunities]
// does (or "" for the implicit community); Grid geometries are those of
// [LoadGrids]. No argument is modified.
//
// Households are counted by the grid that contains each building: the grid
// whose polygon holds its whole footprint, or, for a footprint that no
// single grid holds (a straddling_building finding), the grid holding its
// larger share; a Point building counts for the grid containing it.
func Audit(bs []geo.Building, grids []geo.Grid, communities []geo.Region, s *AuditSettings) *AuditReport {
	a := newAuditor(bs, grids, communities, s)
	a.homes()
	a.attribute()
	a.coverage()
	a.overlaps()
	a.rules()
	slices.SortStableFunc(a.findings, func(x, y Finding) int {
		if c := cmp.Compare(kindRank(x.Kind), kindRank(y.Kind)); c != 0 {
			return c
		}
		if c := slices.Compare(x.Grids, y.Grids); c != 0 {
			return c
		}
		return slices.Compare(x.Buildings, y.Buildings)
	})
	return &AuditReport{Min: a.min, Max: a.max, Households: a.households, Findings: a.findings, Grids: a.table, Home: a.gridOf}
}

func kindRank(k string) int {
	if i := slices.Index(FindingKinds, k); i >= 0 {
		return i
	}
	return len(FindingKinds)
}

type auditor struct {
	bs          []geo.Building
	grids       []geo.Grid
	cs          []geo.Region
	min, max    int
	shopWeight  float64
	straddleM2  float64
	bendM       float64 // AuditSettings.BendM
	households  int
	weight      []int // band weight of each building (0 for dedicated-grid buildings is decided per grid)
	gridShape   []*shape.OverlapShape
	gridTree    rtree.RTreeG[int]
	commShape   []*shape.OverlapShape
	commPlane   []*geo.LocalPlane
	commTree    rtree.RTreeG[int]
	commIndex   map[string]int
	home        []int      // per grid: community index, -1 for none
	into        [][]string // per grid: other communities it reaches into
	gridOf      []int      // per building: the grid it counts for, -1 for none
	buildingsIn [][]int    // per grid: buildings counted in it
	findings    []Finding
	table       []GridAudit
	bTree       rtree.RTreeG[int]
	bTreeOnce   sync.Once
	progress    func(step string, done, total int) // AuditSettings.Progress
}

// counter reports step begun, of n items, and returns the function to call
// as each is done, which reports every every-th and the last.
func (a *auditor) counter(step string, n, every int) func() {
	if a.progress == nil {
		return func() {}
	}
	a.progress(step, 0, n)
	var done atomic.Int64
	return func() {
		if d := int(done.Add(1)); d%every == 0 || d == n {
			a.progress(step, d, n)
		}
	}
}

func newAuditor(bs []geo.Building, grids []geo.Grid, cs []geo.Region, s *AuditSettings) *auditor {
	a := &auditor{bs: bs, grids: grids, cs: cs, min: 300, max: 500}
	if s != nil {
		if s.Min != 0 || s.Max != 0 {
			a.min, a.max = s.Min, s.Max
		}
		a.shopWeight = s.ShopWeight
		a.straddleM2 = max(0, s.StraddleM2)
		a.bendM = max(0, s.BendM)
		a.progress = s.Progress
	}
	a.weight = make([]int, len(bs))
	// The loaders bound each count by geo.MaxBuildingHouseholds = 10^5,
	// so n buildings sum to at most 10^5·n < 2^63: no overflow.
	for i, b := range bs {
		a.weight[i] = b.Households
		if b.Kind == geo.Shop {
			a.weight[i] += int(math.Round(a.shopWeight))
		}
		a.households += b.Households
	}
	a.gridShape = make([]*shape.OverlapShape, len(grids))
	parallel.EachChunk(len(grids), 8, func(k int) {
		if len(grids[k].Geometry) > 0 {
			a.gridShape[k] = shape.NewOverlapShape(grids[k].Geometry)
		}
	})
	for k, sh := range a.gridShape {
		if sh != nil {
			a.gridTree.Insert(sh.Bound().Min, sh.Bound().Max, k)
		}
	}
	a.commShape = make([]*shape.OverlapShape, len(cs))
	a.commPlane = make([]*geo.LocalPlane, len(cs))
	a.commIndex = make(map[string]int, len(cs))
	for c, r := range cs {
		a.commShape[c] = shape.NewOverlapShape(r.Geometry)
		b := r.Geometry.Bound()
		a.commPlane[c] = geo.NewLocalPlane(b.Center())
		a.commTree.Insert(b.Min, b.Max, c)
		a.commIndex[r.ID] = c
	}
	return a
}

// searchGrids returns, in index order, the grids whose bounds meet b.
func (a *auditor) searchGrids(b orb.Bound) []int {
	var ks []int
	a.gridTree.Search(b.Min, b.Max, func(_, _ [2]float64, k int) bool {
		ks = append(ks, k)
		return true
	})
	sort.Ints(ks)
	return ks
}

func (a *auditor) searchCommunities(b orb.Bound) []int {
	var cs []int
	a.commTree.Search(b.Min, b.Max, func(_, _ [2]float64, c int) bool {
		cs = append(cs, c)
		return true
	})
	sort.Ints(cs)
	return cs
}

// Tolerances.
//
// An overlay piece (a gap, an overlap, a part of a grid outside its
// community, a share of a footprint) is real only when it is wider than
// the positional error of the vertices that bound it. That error q, in
// metres, has two sources:
//
//   - The layers are stored as float64 longitude/latitude. A vertex that a
//     GIS (or partition's writer, which projects and unprojects) placed on
//     a neighbour's edge is off that edge by its rounding: half an ulp of
//     the coordinate per operation; posULPs ulps bound a projection round
//     trip with a wide margin. At 180° one ulp is 2⁻⁴⁵° ≈ 3 nm.
//   - simplefeatures' overlay (JTS OverlayNGRobust) snaps vertices by up to
//     overlaySnapRel of the coordinate magnitude when floating-point noding
//     fails; in a LocalPlane that magnitude is the distance from the plane's
//     centre.
//
// A sliver of mean width w = 2A/P (area A, perimeter P) narrower than
// 2q can be rounding, so a piece counts when A > P·q, with a floor of
// minPieceM2 for the areas' own rounding. For a 1 km community q is about
// 1e-5 m: a gap or overlap 0.1 mm wide is found, a numerical sliver is not.
const (
	posULPs         = 64
	minPieceM2      = 1e-6
	metresPerDegree = 111320 // largest length of a degree on the ellipsoid, to 0.01 %
)

// positionErrM returns q for vertices near lon/lat p, overlaid in a plane
// at coordinate magnitude magM.
func positionErrM(p orb.Point, magM float64) float64 {
	deg := max(math.Abs(p[0]), math.Abs(p[1]), 1)
	ulp := math.Nextafter(deg, math.Inf(1)) - deg
	return posULPs*ulp*metresPerDegree + magM*robust.OverlaySnapRel
}

// positionErrM is positionErrM with the bend of the layers added.
func (a *auditor) positionErrM(p orb.Point, magM float64) float64 {
	return positionErrM(p, magM) + a.bendM
}

// pieceIsReal reports whether a piece of area areaM2 and perimeter perM is
// more than rounding at positional error q (see Tolerances above).
func pieceIsReal(areaM2, perM, q float64) bool {
	return areaM2 > max(minPieceM2, perM*q)
}

// planeSF returns mp mapped to plane as a simplefeatures geometry.
func planeSF(mp orb.MultiPolygon, plane *geo.LocalPlane) geom.Geometry {
	return shape.ToSF(plane.Geometry(mp).(orb.MultiPolygon))
}

// planeMagnitude returns the largest absolute coordinate of mp in plane.
func planeMagnitude(mp orb.MultiPolygon, plane *geo.LocalPlane) float64 {
	b := mp.Bound()
	lo, hi := plane.Forward(b.Min), plane.Forward(b.Max)
	return max(math.Abs(lo[0]), math.Abs(lo[1]), math.Abs(hi[0]), math.Abs(hi[1]))
}

// overlayPiece is one polygon of an overlay result, in plane metres.
type overlayPiece struct {
	poly   orb.Polygon
	areaM2 float64
	perM   float64
}

// pieces splits an overlay result into polygons with their areas and
// perimeters. An overlay that fails (simplefeatures reports numerical
// degeneracy it cannot resolve) gives no pieces: the audit then reports
// less, never more.
func pieces(g geom.Geometry, err error) []overlayPiece {
	if err != nil {
		return nil
	}
	var out []overlayPiece
	for _, p := range shape.FromSF(g) {
		area, per := polygonAreaPerimeter(p)
		out = append(out, overlayPiece{p, area, per})
	}
	return out
}

// polygonAreaPerimeter returns the area and perimeter of p (planar units).
func polygonAreaPerimeter(p orb.Polygon) (area, per float64) {
	return shape.AreaPerimeter(orb.MultiPolygon{p})
}

func sumArea(ps []overlayPiece) float64 {
	s := 0.0
	for _, p := range ps {
		s += p.areaM2
	}
	return s
}

// lonlat maps plane pieces back to longitude/latitude.
func lonlat(ps []overlayPiece, plane *geo.LocalPlane) orb.MultiPolygon {
	mp := make(orb.MultiPolygon, len(ps))
	for i, p := range ps {
		mp[i] = plane.Unproject(p.poly).(orb.Polygon)
	}
	return mp
}

// homes finds each grid's community: the one holding most of its area.
// Grids reaching into other communities by more than rounding are noted in
// into; a grid in no community is an outside_communities finding.
func (a *auditor) homes() {
	a.home = make([]int, len(a.grids))
	a.into = make([][]string, len(a.grids))
	if len(a.cs) == 0 {
		for k := range a.home {
			a.home[k] = -1
		}
		return
	}
	outside := make([]bool, len(a.grids))
	tick := a.counter("grids", len(a.grids), 1)
	parallel.EachChunk(len(a.grids), 4, func(k int) {
		defer tick()
		a.home[k] = -1
		sh := a.gridShape[k]
		if sh == nil {
			return
		}
		mp := a.grids[k].Geometry
		type share struct {
			c    int
			area float64
		}
		var cand []int
		for _, c := range a.searchCommunities(sh.Bound()) {
			if shape.InteriorsMayOverlap(sh, a.commShape[c]) {
				cand = append(cand, c)
			}
		}
		// One community the grid may overlap, holding its representative
		// point: the home, without measuring (the common case). Whether
		// the grid also reaches beyond every community is found in
		// coverage.
		if len(cand) == 1 && shape.MultiPolygonCovers(a.cs[cand[0]].Geometry, shape.RepresentativePoint(mp)) {
			a.home[k] = cand[0]
			return
		}
		var shares []share
		for _, c := range cand {
			plane := a.commPlane[c]
			q := a.positionErrM(sh.Bound().Min, max(planeMagnitude(mp, plane), planeMagnitude(a.cs[c].Geometry, plane)))
			ps := pieces(geom.Intersection(planeSF(mp, plane), planeSF(a.cs[c].Geometry, plane)))
			if area := sumArea(filterReal(ps, q)); area > 0 {
				shares = append(shares, share{c, area})
			}
		}
		if len(shares) == 0 {
			outside[k] = true
			return
		}
		best := 0
		for i, s := range shares {
			if s.area > shares[best].area {
				best = i
			}
		}
		a.home[k] = shares[best].c
		for i, s := range shares {
			if i != best {
				a.into[k] = append(a.into[k], a.cs[s.c].ID)
			}
		}
	})
	for k, out := range outside {
		if out {
			g := &a.grids[k]
			a.add(Finding{Kind: FindingOutsideCommunities, Grids: []string{g.Code}, Fixable: true,
				Detail: fmt.Sprintf("grid %s lies outside every community", g.Code), Area: g.Geometry})
		}
	}
}

// filterReal keeps the pieces that are more than rounding at error q.
func filterReal(ps []overlayPiece, q float64) []overlayPiece {
	out := ps[:0]
	for _, p := range ps {
		if pieceIsReal(p.areaM2, p.perM, q) {
			out = append(out, p)
		}
	}
	return out
}

func (a *auditor) add(f Finding) { a.findings = append(a.findings, f) }

// communityOf returns the community a grid is reported under: its home in
// the communities layer, else its community property, else the community
// of most of its buildings.
func (a *auditor) communityOf(k int) string {
	if c := a.home[k]; c >= 0 {
		return a.cs[c].ID
	}
	if a.grids[k].Community != "" {
		return a.grids[k].Community
	}
	count := map[string]int{}
	best := ""
	for _, i := range a.buildingsIn[k] {
		c := a.bs[i].Community
		count[c]++
		if count[c] > count[best] || (count[c] == count[best] && c < best) {
			best = c
		}
	}
	return best
}

// gridCommunity is the community of grid k: the one of the communities
// layer holding most of it, else its community property.
func (a *auditor) gridCommunity(k int) string {
	if c := a.home[k]; c >= 0 {
		return a.cs[c].ID
	}
	return a.grids[k].Community
}

// located is the outcome of [auditor.locate] for a footprint that no single
// grid holds.
type located struct {
	shares    []gridShare // grids holding part of it, largest first
	areaM2    float64     // the footprint's area
	outsideM2 float64     // its area in no grid
}

type gridShare struct {
	k      int
	areaM2 float64
}

// attribute decides the grid each building counts for and reports
// uncovered and straddling buildings.
func (a *auditor) attribute() {
	n := len(a.bs)
	a.gridOf = make([]int, n)
	info := make([]*located, n)
	tick := a.counter("buildings", n, 256)
	parallel.Each(n, func(i int) {
		a.gridOf[i], info[i] = a.locate(i)
		tick()
	})
	a.buildingsIn = make([][]int, len(a.grids))
	for i, k := range a.gridOf {
		if k >= 0 {
			a.buildingsIn[k] = append(a.buildingsIn[k], i)
		}
	}
	for i, b := range a.bs {
		switch {
		case b.Geometry == nil:
		case a.gridOf[i] < 0:
			a.add(Finding{Kind: FindingUncoveredBuilding, Buildings: []string{b.ID}, Community: b.Community,
				Measured: map[string]float64{"households": float64(b.Households)}, Fixable: true,
				Detail: fmt.Sprintf("building %s (%d households) lies in no grid", b.ID, b.Households), Area: b.Geometry})
		case info[i] != nil:
			l := a.withoutShared(i, info[i])
			if l == nil {
				break // its parts in other grids are smaller footprints' ground
			}
			codes := make([]string, len(l.shares))
			parts := make([]string, len(l.shares))
			for j, s := range l.shares {
				codes[j] = a.grids[s.k].Code
				parts[j] = fmt.Sprintf("%.1f m² in %s", s.areaM2, codes[j])
			}
			if l.outsideM2 > 0 {
				parts = append(parts, fmt.Sprintf("%.1f m² in no grid", l.outsideM2))
			}
			a.add(Finding{Kind: FindingStraddlingBuilding, Grids: codes, Buildings: []string{b.ID}, Community: b.Community,
				Measured: map[string]float64{"households": float64(b.Households), "footprint_m2": l.areaM2,
					"largest_share_m2": l.shares[0].areaM2, "outside_grids_m2": l.outsideM2},
				Fixable: true, Area: b.Geometry,
				Detail: fmt.Sprintf("footprint of building %s lies in several grids (%s); counted in %s", b.ID, strings.Join(parts, ", "), codes[0])})
		}
	}
}

// locate returns the grid building i counts for (-1 for none) and, for a
// footprint that no single grid holds, its shares.
func (a *auditor) locate(i int) (int, *located) {
	g := a.bs[i].Geometry
	if g == nil {
		return -1, nil
	}
	rep := shape.RepresentativePoint(g)
	var cover []int
	for _, k := range a.searchGrids(orb.Bound{Min: rep, Max: rep}) {
		if shape.MultiPolygonCovers(a.grids[k].Geometry, rep) {
			cover = append(cover, k)
		}
	}
	fp := shape.Polygons(g)
	if fp == nil {
		if len(cover) == 0 {
			return -1, nil
		}
		return cover[0], nil
	}
	if len(cover) == 1 && insideInterior(fp, a.grids[cover[0]].Geometry) {
		return cover[0], nil // the common case, decided exactly
	}
	plane := geo.NewLocalPlane(rep)
	fpSF := planeSF(fp, plane)
	var fpArea, fpPer float64
	for _, p := range plane.Geometry(fp).(orb.MultiPolygon) {
		ar, pe := polygonAreaPerimeter(p)
		fpArea, fpPer = fpArea+ar, fpPer+pe
	}
	fpShape := shape.NewOverlapShape(fp)
	var shares []gridShare
	whole := -1
	for _, k := range a.searchGrids(fp.Bound()) {
		sh := a.gridShape[k]
		if sh == nil || !shape.InteriorsMayOverlap(fpShape, sh) {
			continue
		}
		gk := a.grids[k].Geometry
		q := a.positionErrM(rep, max(planeMagnitude(fp, plane), planeMagnitude(gk, plane)))
		area := sumArea(filterReal(pieces(geom.Intersection(fpSF, planeSF(gk, plane))), q))
		if area == 0 {
			continue
		}
		shares = append(shares, gridShare{k, area})
		if rest := fpArea - area; whole < 0 && (rest <= a.straddleM2 || !pieceIsReal(rest, fpPer, q)) {
			whole = k
		}
	}
	switch {
	case whole >= 0:
		return whole, nil
	case len(shares) == 0:
		if len(cover) > 0 {
			return cover[0], nil
		}
		return -1, nil
	}
	// A footprint drawn across its community's outline (the load warns of
	// it) is held by one grid of its community as far as that reaches:
	// its parts in other communities' grids are their ground.
	if c := a.bs[i].Community; c != "" {
		var own []gridShare
		for _, sh := range shares {
			if a.gridCommunity(sh.k) == c {
				own = append(own, sh)
			}
		}
		if len(own) == 1 && len(own) < len(shares) {
			return own[0].k, nil
		}
	}
	slices.SortStableFunc(shares, func(x, y gridShare) int { return cmp.Compare(y.areaM2, x.areaM2) })
	out := fpArea - sumShares(shares)
	q := a.positionErrM(rep, planeMagnitude(fp, plane))
	if !pieceIsReal(out, fpPer, q) {
		out = 0
	}
	return shares[0].k, &located{shares: shares, areaM2: fpArea, outsideM2: out}
}

func sumShares(ss []gridShare) float64 {
	s := 0.0
	for _, x := range ss {
		s += x.areaM2
	}
	return s
}

// insideInterior reports whether the footprint fp lies in the interior of
// grid, exactly: no edge of fp meets an edge of grid, every ring of fp
// starts inside grid, and no vertex of grid lies in fp (a hole of the grid,
// or another of its polygons, inside the footprint). False means "not
// proven", and the caller measures by overlay.
func insideInterior(fp, grid orb.MultiPolygon) bool {
	fb := fp.Bound()
	type seg struct{ a, b orb.Point }
	var near []seg
	for _, p := range grid {
		for _, r := range p {
			for e := 0; e+1 < len(r); e++ {
				a, b := r[e], r[e+1]
				if math.Max(a[0], b[0]) < fb.Min[0] || math.Min(a[0], b[0]) > fb.Max[0] ||
					math.Max(a[1], b[1]) < fb.Min[1] || math.Min(a[1], b[1]) > fb.Max[1] {
					continue
				}
				near = append(near, seg{a, b})
				if fb.Contains(a) && shape.MultiPolygonCovers(fp, a) {
					return false
				}
			}
		}
	}
	for _, p := range fp {
		for _, r := range p {
			if len(r) == 0 {
				return false
			}
			for e := 0; e+1 < len(r); e++ {
				for _, s := range near {
					if robust.SegmentsMeet(r[e], r[e+1], s.a, s.b) {
						return false
					}
				}
			}
			if !shape.MultiPolygonCovers(grid, r[0]) {
				return false
			}
		}
	}
	return true
}

// buildingsMeeting returns the ids of the buildings whose footprint shares
// more than rounding with area (lon/lat), or whose point lies in it.
func (a *auditor) buildingsMeeting(area orb.MultiPolygon) []string {
	if len(area) == 0 {
		return nil
	}
	b := area.Bound()
	var cand []int
	a.buildingTree().Search(b.Min, b.Max, func(_, _ [2]float64, i int) bool {
		cand = append(cand, i)
		return true
	})
	sort.Ints(cand)
	areaShape := shape.NewOverlapShape(area)
	plane := geo.NewLocalPlane(b.Center())
	var areaSF geom.Geometry
	var ids []string
	for _, i := range cand {
		var fp orb.MultiPolygon
		switch g := a.bs[i].Geometry.(type) {
		case orb.Point:
			if shape.MultiPolygonCovers(area, g) {
				ids = append(ids, a.bs[i].ID)
			}
			continue
		case orb.Polygon:
			fp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			fp = g
		default:
			continue
		}
		if !shape.InteriorsMayOverlap(shape.NewOverlapShape(fp), areaShape) {
			continue
		}
		if areaSF.IsEmpty() {
			areaSF = planeSF(area, plane)
		}
		q := a.positionErrM(b.Min, max(planeMagnitude(fp, plane), planeMagnitude(area, plane)))
		if sumArea(filterReal(pieces(geom.Intersection(planeSF(fp, plane), areaSF)), q)) > 0 {
			ids = append(ids, a.bs[i].ID)
		}
	}
	return ids
}

// buildingTree returns an index of the buildings' bounds, built once.
func (a *auditor) buildingTree() *rtree.RTreeG[int] {
	a.bTreeOnce.Do(func() {
		for i, b := range a.bs {
			if b.Geometry != nil {
				bb := b.Geometry.Bound()
				a.bTree.Insert(bb.Min, bb.Max, i)
			}
		}
	})
	return &a.bTree
}
