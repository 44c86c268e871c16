package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync/atomic"

	"gridplan/geo"
	"gridplan/geo/draw"
	"gridplan/geo/feature"
	"gridplan/geo/format"
	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"
	"gridplan/partition"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// gridShapes are the grid polygons of a plan, in metres, with the coverage
// check of each community (SPEC §4).
type gridShapes struct {
	polygons []orb.MultiPolygon // by grid, as res.Grids, in its community's plane
	written  []orb.MultiPolygon // the same in the coordinates written (Options.Out)
	invalid  []error            // by grid: why its lon/lat polygon is invalid, nil if valid
	coverage []draw.Coverage    // by community
	tolM2    []float64          // by community: the coverage tolerance
	// reverted lists the kept grids whose earlier polygon, edited since
	// it was drawn, could not be kept (see drawEdited), ascending.
	reverted []int
}

// drawGrids traces the polygon of every grid from its community's
// tessellation, clipped to the community's outline (the layer's, or its
// envelope without one; a single community without a layer: the
// tessellation's bound, a buffered hull of the buildings), and measures
// how the grids tile the community. Communities are drawn in parallel;
// results are stored by index.
//
// fixed, if not nil, holds for some grids a polygon (lon/lat) to keep: an
// earlier plan's polygon of a grid kept unchanged by repartition. In a
// community with fixed polygons these are laid down first and the other
// grids fill the rest, so that a kept grid keeps its polygon exactly even
// where buildings around it were added or demolished. If that leaves a
// building outside its grid (a new building across the old boundary) or a
// gap or overlap, the community is drawn afresh from its tessellation.
//
// laid, if not nil, says by community where fixed polygons are laid
// down first; elsewhere the community is drawn afresh, and its fixed
// polygons kept only where they differ from those drawn (drawEdited).
//
// Once ctx is done no further community is drawn and drawGrids returns
// ctx.Err().
func (d *district) drawGrids(ctx context.Context, res *partition.Result, fixed []orb.MultiPolygon, laid []bool) (*gridShapes, error) {
	gs := &gridShapes{
		polygons: make([]orb.MultiPolygon, len(res.Grids)),
		written:  make([]orb.MultiPolygon, len(res.Grids)),
		invalid:  make([]error, len(res.Grids)),
		coverage: make([]draw.Coverage, len(d.communities)),
		tolM2:    make([]float64, len(d.communities)),
	}
	first := make([]int, len(d.communities)+1) // grids of community c: first[c]..first[c+1]
	for c := range first {
		first[c] = len(res.Grids)
	}
	for gi := len(res.Grids) - 1; gi >= 0; gi-- {
		first[res.Grids[gi].Community] = gi
	}
	for c := len(d.communities) - 1; c >= 0; c-- {
		first[c] = min(first[c], first[c+1])
	}
	errs := make([]error, len(d.communities))
	reverted := make([][]int, len(d.communities))
	progress := progressOf(ctx)
	progress.report(phaseDrawing, 0, len(d.tess), unitCommunities)
	var done atomic.Int64
	if err := parallel.EachChunkContext(ctx, len(d.tess), 1, func(c int) {
		defer func() { progress.report(phaseDrawing, int(done.Add(1)), len(d.tess), unitCommunities) }()
		lo, hi := first[c], first[c+1]
		group := make([]int, len(d.members[c]))
		for u, i := range d.members[c] {
			group[u] = res.AtomGrid[d.atomOf[i]] - lo
		}
		var fx []orb.MultiPolygon
		if fixed != nil {
			fx = fixed[lo:hi]
		}
		cc := communityCells{t: d.tess[c]}
		if cc.t == nil && d.tessellated[c] {
			// adjacency kept no cells (dropCells): the same again.
			if _, cc, errs[c] = d.communityEdges(ctx, c, d.members[c]); errs[c] != nil {
				return
			}
		}
		var cs communityShapes
		if fx != nil && laid != nil && !laid[c] {
			cs, errs[c] = d.drawEdited(ctx, c, cc, group, hi-lo, fx)
		} else {
			cs, errs[c] = d.drawCommunity(ctx, c, cc, group, hi-lo, fx)
		}
		for _, g := range cs.reverted {
			reverted[c] = append(reverted[c], lo+g)
		}
		gs.set(c, lo, cs)
		if errs[c] == nil {
			// Drawn: the next community's tessellation (made again
			// here, or kept from the adjacency) takes this one's storage.
			cc.release()
			d.tess[c] = nil
		}
	}); err != nil {
		return nil, err
	}
	for c, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("community %q: %w", d.communities[c], err)
		}
		gs.reverted = append(gs.reverted, reverted[c]...)
	}
	return gs, nil
}

// editBandM is the width of the band along a grid's boundary within which
// drawEdited takes an earlier polygon for the one drawn: what reading it
// back through another coordinate system moves (a vertex of a community
// outline written in Gauss–Krüger lies on the straight edge there, up to a
// few millimetres off), with room to spare; an edit moves a boundary by
// metres.
const editBandM = 0.05

// drawEdited draws community c afresh, as drawCommunity without fixed
// polygons, then compares the grids it keeps with their earlier polygons
// fixed: where one differs in area by more than the coverage tolerance,
// or its outline parts from the drawing's by more than editBandM (a grid
// layer edited by hand in a GIS since it was drawn, a boundary moved or
// a jagged one straightened), the community is
// drawn again with the earlier polygons laid down first, so that the
// edits stay. Edited grids that cannot be kept so (the edit left a gap,
// an overlap or a building outside its grid) are drawn afresh and listed
// in reverted.
func (d *district) drawEdited(ctx context.Context, c int, cc communityCells, group []int, n int, fixed []orb.MultiPolygon) (communityShapes, error) {
	cs, err := d.drawCommunity(ctx, c, cc, group, n, nil)
	if err != nil || cc.t == nil {
		return cs, err
	}
	var edited []int
	earlier := map[int]orb.MultiPolygon{} // each edited grid's earlier polygon
	differs := func(was, drawn orb.MultiPolygon, tolM2 float64) bool {
		a, _ := shape.AreaPerimeter(was)
		b, p := shape.AreaPerimeter(drawn)
		return math.Abs(a-b) > max(tolM2, editBandM*p) || shape.Departs(was, drawn, editBandM)
	}
	for _, k := range fixedConstraints(d.plane[c], fixed) {
		if differs(k.Polygon, cs.polygons[k.Group], cs.tolM2) {
			edited = append(edited, k.Group)
			earlier[k.Group] = k.Polygon
		}
	}
	if len(edited) == 0 {
		return cs, nil
	}
	ks, err := d.drawCommunity(ctx, c, cc, group, n, fixed)
	if err := ctx.Err(); err != nil {
		return cs, err
	}
	if err != nil {
		cs.reverted = edited // the fresh drawing stands
		return cs, nil
	}
	// An edit stands where the grid was laid down and drawn as edited: an
	// edit that opened a gap, which the tessellation fills, does not.
	for _, g := range edited {
		if !slices.Contains(ks.keptGrids, g) || differs(earlier[g], ks.polygons[g], ks.tolM2) {
			ks.reverted = append(ks.reverted, g)
		}
	}
	return ks, nil
}

// communityShapes are the grid polygons of one community, by its grids in
// order, with its coverage check.
type communityShapes struct {
	polygons, written []orb.MultiPolygon
	invalid           []error // see gridShapes
	coverage          draw.Coverage
	tolM2             float64
	// keptGrids are the grids whose fixed polygons were laid down (those
	// not dropped for a building across them or a fresh drawing);
	// reverted is as in gridShapes, by grid of the community.
	keptGrids []int
	reverted  []int
}

// set stores the shapes of community c, whose grids begin at lo.
func (gs *gridShapes) set(c, lo int, cs communityShapes) {
	copy(gs.polygons[lo:], cs.polygons)
	copy(gs.written[lo:], cs.written)
	copy(gs.invalid[lo:], cs.invalid)
	gs.coverage[c], gs.tolM2[c] = cs.coverage, cs.tolM2
}

// drawCommunity draws the n grids of community c from its tessellation cc.t
// (nil for a community without buildings, whose one grid is the
// community: emptyCommunityAtoms); group[u] is the grid of member u, and
// fixed, if not nil, the polygons to keep of its grids (see drawGrids).
// cc.ar, if not nil, is the arrangement its adjacency was read from: drawn
// afresh, the grids are traced in it, its constraints given to their
// units' grids, rather than in one built anew. cc.footprints, if not nil,
// are district.footprints(c), made already. A large community takes
// seconds: a done ctx stops it within milliseconds, with ctx.Err().
func (d *district) drawCommunity(ctx context.Context, c int, cc communityCells, group []int, n int, fixed []orb.MultiPolygon) (communityShapes, error) {
	t, ar := cc.t, cc.ar
	if t == nil {
		var out communityShapes
		if n == 1 && d.outline[c] != nil {
			out.polygons = []orb.MultiPolygon{d.outline[c]}
			out.written = []orb.MultiPolygon{d.out.geometry(d.lonLatOutline[c])}
			out.tolM2 = draw.CoverageTolM2(d.outline[c])
		}
		out.validate(d.out.ToLonLat)
		return out, nil
	}
	footprints := cc.footprints
	if footprints == nil {
		footprints = d.footprints(c)
	}
	envelope := d.outline[c]
	if envelope == nil {
		envelope = orb.MultiPolygon{{t.Bound}}
	}
	tol := draw.CoverageTolM2(envelope)
	constraints := d.constraints(c, footprints, group)
	var kept []draw.Constraint
	if fixed != nil {
		kept = crossedKept(fixedConstraints(d.plane[c], fixed), footprints, group)
	}
	var polys []orb.MultiPolygon
	var cov draw.Coverage
	// A building that leaves its grid (one added across a kept grid's old
	// boundary) frees the kept grids near it; once.
	for try := 0; try < 2 && len(kept) > 0 && polys == nil; try++ {
		ps, err := draw.GridPolygons(ctx, t, group, n, d.outline[c], append(kept[:len(kept):len(kept)], constraints...))
		if err := ctx.Err(); err != nil {
			return communityShapes{}, err
		}
		if err != nil {
			break
		}
		if cov, err = draw.CheckCoverage(ctx, envelope, ps, footprints, group); err != nil {
			return communityShapes{}, err
		}
		switch {
		case cov.Within(tol):
			polys = ps
		case cov.BuildingsOutside > 0:
			kept = freeKept(kept, cov.Outside, footprints, group)
		default:
			kept = nil
		}
	}
	// drawn afresh, without kept polygons.
	fresh := func() ([]orb.MultiPolygon, draw.Coverage, error) {
		var polys []orb.MultiPolygon
		var err error
		if ar != nil {
			// The constraints of d.constraints for group, as the
			// arrangement holds them for the units.
			polys, err = ar.GridPolygons(ctx, group, n)
		} else {
			polys, err = draw.GridPolygons(ctx, t, group, n, d.outline[c], constraints)
		}
		if err := ctx.Err(); err != nil {
			return nil, draw.Coverage{}, err
		}
		if err != nil {
			return nil, draw.Coverage{}, fmt.Errorf("grid polygons: %w", err)
		}
		cov, err := draw.CheckCoverage(ctx, envelope, polys, footprints, group)
		if err != nil || !anyMultipart(polys) {
			return polys, cov, err
		}
		// Stray pieces of cells that the outline cut off from their
		// buildings go to the grid around them, unless that would leave a
		// building outside its grid.
		anchors := make([]orb.Point, len(footprints))
		for u, fp := range footprints {
			anchors[u] = shape.RepresentativePoint(fp)
		}
		if merged, moved := draw.MergeStrays(polys, anchors, group, constraints); moved > 0 {
			mc, err := draw.CheckCoverage(ctx, envelope, merged, footprints, group)
			if err != nil {
				return nil, draw.Coverage{}, err
			}
			if mc.Within(tol) {
				polys, cov = merged, mc
			}
		}
		return polys, cov, nil
	}
	if polys != nil && anyMultipart(polys) {
		// Kept polygons can leave a grid drawn around them in pieces
		// (its buildings meet through cells a kept grid now covers):
		// drawn afresh where that leaves fewer grids in pieces, and covers
		// the community as well.
		ps, pc, err := fresh()
		if err := ctx.Err(); err != nil {
			return communityShapes{}, err
		}
		if err == nil && pc.Within(tol) && multipart(ps) < multipart(polys) {
			polys, cov, kept = ps, pc, nil
		}
	}
	if polys == nil {
		kept = nil
		var err error
		if polys, cov, err = fresh(); err != nil {
			return communityShapes{}, err
		}
	}
	out := communityShapes{polygons: polys, written: make([]orb.MultiPolygon, len(polys)), coverage: cov, tolM2: tol}
	unproject := d.writtenVertices(c, kept, fixed)
	for g, mp := range polys {
		out.written[g] = unproject(mp)
	}
	for _, k := range kept {
		out.keptGrids = append(out.keptGrids, k.Group)
		// The kept grid's polygon as it was, where the drawing reproduces
		// it: to the rounding of the areas, not to the coverage
		// tolerance, for the neighbours are written as drawn (a kept
		// grid clipped by half a square metre and written whole left a
		// gap or an overlap that check found).
		a, _ := shape.AreaPerimeter(polys[k.Group])
		if b, _ := shape.AreaPerimeter(k.Polygon); math.Abs(a-b) <= 1e-9*max(a, b) {
			out.written[k.Group] = d.out.geometry(fixed[k.Group])
		}
	}
	out.validate(d.out.ToLonLat)
	return out, nil
}

// validate checks the validity of each grid's lon/lat polygon (OGC simple
// features, as GIS software checks it) for the self-check, here where
// communities are drawn in parallel.
func (cs *communityShapes) validate(back func(orb.Point) orb.Point) {
	cs.invalid = validity(cs.written, back)
}

// spikeEps is the width, relative to the coordinates (1e-10 of 126° is a
// millimetre), up to which validity takes a spike for a return.
const spikeEps = 1e-10

// spikeCapM caps spikeEps, in metres: Gauss–Krüger eastings with their
// zone (38,622,981 m) make 1e-10 of them 3.9 mm, and a community outline's
// inlet 3 mm wide went as a spike, the grid across it. Spikes where a kept
// polygon meets a drawn one are a third of a millimetre.
const spikeCapM = 1e-3

// spikeEpsOf is spikeEps for a polygon of written coordinates, capped at
// spikeCapM: coordinates up to 360 are degrees (longitude/latitude,
// GCJ-02, BD-09), others metres.
func spikeEpsOf(mp orb.MultiPolygon) float64 {
	b := mp.Bound()
	m := max(1, math.Abs(b.Min[0]), math.Abs(b.Min[1]), math.Abs(b.Max[0]), math.Abs(b.Max[1]))
	capped := spikeCapM // metres
	if m <= 360 {
		capped /= 111320 // metres in a degree of latitude
	}
	return min(spikeEps, capped/m)
}

// hairEps is the width, relative to the coordinates (1e-12 of 3,456,000 m
// is 3.5 µm), up to which validity takes a spike out of a valid polygon.
const hairEps = 1e-12

// validity is why each polygon of grids is invalid, nil where it is valid
// or empty. A grid of one ring that shape.PlainRing shows valid (nearly
// every grid) is not handed to simplefeatures' validation, which costs
// several times more.
//
// An invalid polygon that only a spike makes so (an edge out and back
// along itself, no wider than spikeEpsOf, where a kept polygon meets a drawn
// one), or parts that meet once written, is replaced in grids by the same
// area made valid. A valid one whose vertices lie micrometres apart is
// tested as an audit of the layer tests it, and as read back: back, if not
// nil, converts written coordinates to longitude and latitude as a reader
// of the layer does. Where either finds it invalid (vertices one where the
// layers have it and one converted beside it, that the conversion
// crosses), it is written without such near repeats or spike tips.
func validity(grids []orb.MultiPolygon, back func(orb.Point) orb.Point) []error {
	invalid := make([]error, len(grids))
	for g, mp := range grids {
		if len(mp) == 0 {
			continue
		}
		if !(len(mp) == 1 && len(mp[0]) == 1 && shape.PlainRing(mp[0][0])) {
			invalid[g] = shape.ToSF(mp).Validate()
		}
		if invalid[g] == nil && !shape.HasSpike(mp, hairEps) && !shape.DoublesBack(mp) {
			continue // no vertex near another: nothing a reader could find
		}
		drop := func(mp orb.MultiPolygon) orb.MultiPolygon { return shape.DropSpikes(mp, spikeEpsOf(mp)) }
		if invalid[g] == nil && back != nil {
			if issue := geo.PolygonIssue(shape.MapVertices(mp, back)); issue != "" {
				invalid[g] = fmt.Errorf("invalid once converted back to longitude/latitude, as a reader of the layer converts it: %s", issue)
			}
		}
		if invalid[g] == nil {
			if issue := geo.PolygonIssue(mp); issue != "" {
				// Near-repeated vertices (one where a layer has it, one
				// converted beside it) that make edges touch, as an audit
				// of the layer finds.
				invalid[g] = errors.New(issue)
			}
		}
		if invalid[g] == nil {
			if !shape.DoublesBack(mp) && !shape.HasTip(mp, hairEps) {
				continue
			}
			// Valid as written, but read back (converted, rounded) a
			// spike of micrometres doubles back exactly, as an audit of
			// the layer finds. Only its tip goes: vertices close together
			// stay, as the neighbour that shares them keeps them.
			invalid[g] = errors.New("an edge doubles back along the one before it")
			drop = func(mp orb.MultiPolygon) orb.MultiPolygon { return shape.DropTips(mp, hairEps) }
		}
		// Spikes have no area: the polygon without them keeps its own,
		// less parts that were nothing but spikes. Parts that came to
		// share an edge or touch at points once written (vertices put
		// exactly where the layers have them) are one part.
		clean := drop(mp)
		a, _ := shape.AreaPerimeter(mp)
		same := func(q orb.MultiPolygon) bool {
			b, _ := shape.AreaPerimeter(q)
			return len(q) > 0 && math.Abs(a-b) <= 1e-6*a && shape.ToSF(q).Validate() == nil && !shape.DoublesBack(q) && geo.PolygonIssue(q) == "" &&
				(back == nil || geo.PolygonIssue(shape.MapVertices(q, back)) == "")
		}
		if !same(clean) && len(clean) > 1 {
			if u, err := geom.UnaryUnion(shape.ToSF(clean)); err == nil {
				clean = shape.FromSF(u)
			}
		}
		if same(clean) {
			grids[g], invalid[g] = clean, nil
		}
	}
	return invalid
}

// multipart is the number of grids drawn in several pieces.
func multipart(polys []orb.MultiPolygon) int {
	n := 0
	for _, mp := range polys {
		if len(mp) > 1 {
			n++
		}
	}
	return n
}

// anyMultipart reports whether some grid is drawn in several pieces.
func anyMultipart(polys []orb.MultiPolygon) bool {
	for _, mp := range polys {
		if len(mp) > 1 {
			return true
		}
	}
	return false
}

// fixedConstraints returns the polygons to keep of a community's grids
// (lon/lat, by grid of the community; nil for none) as constraints in the
// community's plane, grid by grid.
func fixedConstraints(plane *geo.LocalPlane, fixed []orb.MultiPolygon) []draw.Constraint {
	var cs []draw.Constraint
	for g, mp := range fixed {
		if len(mp) == 0 {
			continue
		}
		if p, ok := plane.Geometry(mp).(orb.MultiPolygon); ok {
			cs = append(cs, draw.Constraint{Polygon: p, Group: g})
		}
	}
	return cs
}

// crossedKept drops from kept, before drawing, the polygons that a footprint
// of another grid overlaps (a building added across an earlier boundary),
// and that of the footprint's own grid: neither can stay as it was. Points
// are left to freeKept.
func crossedKept(kept []draw.Constraint, footprints []orb.Geometry, group []int) []draw.Constraint {
	bounds := make([]orb.Bound, len(kept))
	for i, k := range kept {
		bounds[i] = k.Polygon.Bound()
	}
	drop := map[int]bool{}
	for u, fp := range footprints {
		mp := shape.Polygons(fp)
		if len(mp) == 0 {
			continue
		}
		b := mp.Bound()
		for i, k := range kept {
			if k.Group != group[u] && bounds[i].Intersects(b) && shape.MayOverlap(mp, k.Polygon) {
				drop[k.Group], drop[group[u]] = true, true
			}
		}
	}
	return withoutGroups(kept, drop)
}

// freeKept drops from kept, after a drawing left the footprints listed in
// outside (by index into footprints, of grid group[i]) outside their grid,
// the polygons that may hold them: that of the footprint's own grid and
// every one whose bound meets the footprint's.
func freeKept(kept []draw.Constraint, outside []int, footprints []orb.Geometry, group []int) []draw.Constraint {
	drop := map[int]bool{}
	for _, i := range outside {
		drop[group[i]] = true
		b := footprints[i].Bound()
		for _, k := range kept {
			if k.Polygon.Bound().Intersects(b) {
				drop[k.Group] = true
			}
		}
	}
	return withoutGroups(kept, drop)
}

// withoutGroups returns the constraints of kept whose group is not in drop.
func withoutGroups(kept []draw.Constraint, drop map[int]bool) []draw.Constraint {
	if len(drop) == 0 {
		return kept
	}
	var out []draw.Constraint
	for _, k := range kept {
		if !drop[k.Group] {
			out = append(out, k)
		}
	}
	return out
}

// gridLayer encodes the grid layer in the format of o: grids.geojson, or
// the files of grids.shp or grids.gpkg.
func gridLayer(shapes *gridShapes, table []GridStats, o format.WriteOptions) ([]Output, error) {
	gs := make([]orb.Geometry, len(shapes.written))
	for i, mp := range shapes.written {
		gs[i] = mp
	}
	b, _ := format.BoundOf(gs)
	if err := format.CheckExtent("grids"+o.Kind.Ext(), b, o.System); err != nil {
		return nil, err
	}
	if o.Kind == format.GeoJSON {
		return []Output{{"grids.geojson", gridsGeoJSON(shapes, table, format.GeoJSONCRS(o.System))}}, nil
	}
	fs := make([]feature.Feature, len(table))
	for i, g := range table {
		fs[i] = feature.Feature{Geometry: layerGeometry(shapes.written[i]), Properties: []feature.Property{
			{Name: "code", Value: g.Code}, {Name: "community", Value: g.Community}, {Name: "type", Value: g.Type},
			{Name: "households", Value: int64(g.Households)}, {Name: "buildings", Value: int64(g.Buildings)},
			{Name: "shops", Value: int64(g.Shops)}, {Name: "compounds", Value: int64(g.Compounds)},
			{Name: "split_compound", Value: g.SplitCompound}, {Name: "area_m2", Value: g.AreaM2},
			{Name: "perimeter_m", Value: g.PerimeterM}, {Name: "polsby_popper", Value: g.PolsbyPopper},
			{Name: "pieces", Value: int64(g.Pieces)}, {Name: "status", Value: g.Status}, {Name: "reason", Value: g.Reason},
		}}
	}
	files, err := format.Encode("grids", gridFields, fs, o)
	if err != nil {
		return nil, err
	}
	out := make([]Output, len(files))
	for i, f := range files {
		out[i] = Output{f.Name, f.Data}
	}
	return out, nil
}

// gridFields are the fields of the grid layer, in order: the columns of
// grids.shp and grids.gpkg, the properties of grids.geojson.
var gridFields = []feature.Field{
	{Name: "code", Type: feature.String}, {Name: "community", Type: feature.String}, {Name: "type", Type: feature.String},
	{Name: "households", Type: feature.Integer}, {Name: "buildings", Type: feature.Integer},
	{Name: "shops", Type: feature.Integer}, {Name: "compounds", Type: feature.Integer},
	{Name: "split_compound", Type: feature.Bool}, {Name: "area_m2", Type: feature.Real},
	{Name: "perimeter_m", Type: feature.Real}, {Name: "polsby_popper", Type: feature.Real},
	{Name: "pieces", Type: feature.Integer}, {Name: "status", Type: feature.String}, {Name: "reason", Type: feature.String},
}

// layerGeometry is a grid's geometry as a layer holds it: a Polygon when
// it has one piece, a MultiPolygon when several, none when none.
func layerGeometry(mp orb.MultiPolygon) orb.Geometry {
	switch len(mp) {
	case 0:
		return nil
	case 1:
		return mp[0]
	}
	return mp
}

// gridsGeoJSON renders the grids as a FeatureCollection in the input's
// coordinates (longitude/latitude), one feature per line. Coordinates are
// written with the shortest representation that reads back to the same
// float64, so vertices shared by neighbouring grids stay identical. The
// features are encoded in parallel, in contiguous runs of grids joined in
// order: the bytes do not depend on the number of threads.
func gridsGeoJSON(shapes *gridShapes, table []GridStats, crsMember string) []byte {
	n := len(shapes.written)
	parts := make([][]byte, parallel.Workers(n, gridsPerEncoder))
	parallel.Split(len(parts), n, func(w, lo, hi int) {
		size := 0
		for gi := lo; gi < hi; gi++ {
			size += featureSize(shapes.written[gi])
		}
		b := make([]byte, 0, size)
		for gi := lo; gi < hi; gi++ {
			if gi > 0 {
				b = append(b, ',')
			}
			b = append(b, '\n')
			b = appendGridFeature(b, shapes.written[gi], table[gi])
		}
		parts[w] = b
	})
	var b bytes.Buffer
	size := len(`{"type":"FeatureCollection",`+crsMember+`"features":[`) + len("\n]}\n")
	for _, p := range parts {
		size += len(p)
	}
	b.Grow(size)
	b.WriteString(`{"type":"FeatureCollection",` + crsMember + `"features":[`)
	for _, p := range parts {
		b.Write(p)
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

// gridsPerEncoder is the fewest grids worth a goroutine of gridsGeoJSON
// (a grid takes tens of microseconds to encode).
const gridsPerEncoder = 64

// gridFeature returns the GeoJSON Feature of one grid: what json.Marshal
// makes of it as a map (members in key order), with the coordinates,
// nearly all of its bytes, written directly.
func gridFeature(written orb.MultiPolygon, g GridStats) []byte {
	return appendGridFeature(make([]byte, 0, featureSize(written)), written, g)
}

// featureSize is about the size of a grid's feature: its properties, and
// 40 bytes a vertex.
func featureSize(written orb.MultiPolygon) int {
	n := 0
	for _, p := range written {
		for _, r := range p {
			n += len(r)
		}
	}
	return 400 + 40*n
}

// appendGridFeature appends [gridFeature] to b.
func appendGridFeature(b []byte, written orb.MultiPolygon, g GridStats) []byte {
	props := map[string]any{
		"code": g.Code, "community": g.Community, "type": g.Type,
		"households": g.Households, "buildings": g.Buildings, "shops": g.Shops,
		"compounds": g.Compounds, "split_compound": g.SplitCompound,
		"area_m2": g.AreaM2, "perimeter_m": g.PerimeterM, "polsby_popper": g.PolsbyPopper,
		"pieces": g.Pieces, "status": g.Status, "reason": g.Reason,
	}
	pj, err := json.Marshal(props)
	if err != nil {
		// Only finite numbers and strings are marshalled; an error is a
		// programming error.
		panic(fmt.Sprintf("gridplan: marshal grid %s: %v", g.Code, err))
	}
	b = append(b, `{"geometry":`...)
	switch len(written) {
	case 0:
		b = append(b, "null"...)
	case 1:
		b = append(b, `{"coordinates":`...)
		b = appendRings(b, written[0])
		b = append(b, `,"type":"Polygon"}`...)
	default:
		b = append(b, `{"coordinates":[`...)
		for i, p := range written {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendRings(b, p)
		}
		b = append(b, `],"type":"MultiPolygon"}`...)
	}
	b = append(b, `,"properties":`...)
	b = append(b, pj...)
	return append(b, `,"type":"Feature"}`...)
}

// appendRings appends the coordinates of polygon p as json.Marshal writes
// them (a nil ring as null, an empty one as []).
func appendRings(b []byte, p orb.Polygon) []byte {
	if p == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, r := range p {
		if i > 0 {
			b = append(b, ',')
		}
		if r == nil {
			b = append(b, "null"...)
			continue
		}
		b = append(b, '[')
		for k, q := range r {
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, '[')
			b = appendJSONFloat(b, q[0])
			b = append(b, ',')
			b = appendJSONFloat(b, q[1])
			b = append(b, ']')
		}
		b = append(b, ']')
	}
	return append(b, ']')
}

// appendJSONFloat appends a finite x exactly as encoding/json writes a
// float64: the shortest form that reads back the same, with an exponent
// only below 1e-6 or from 1e21, and a one-digit negative exponent
// without its leading zero (1e-7, not 1e-07).
func appendJSONFloat(b []byte, x float64) []byte {
	if a := math.Abs(x); a != 0 && (a < 1e-6 || a >= 1e21) {
		b = strconv.AppendFloat(b, x, 'e', -1, 64)
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
		return b
	}
	return strconv.AppendFloat(b, x, 'f', -1, 64)
}
