package plan

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync/atomic"

	"gridplan/geo"
	"gridplan/geo/draw"
	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"
	"gridplan/geo/tess"
	"gridplan/partition"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// siteSpacingM is the distance between tessellation sites along a footprint's
// outline. Buildings stand at least a few metres apart, so sites every 5 m
// keep a footprint's Voronoi cells around it while a city of 60,000
// buildings stays near a million sites.
const siteSpacingM = 5.0

// maxSitesPerBuilding bounds the sites of one footprint: a footprint with a
// perimeter beyond 10 km (a digitising error, or a whole block drawn as one
// building) gets sites spaced wider, so it cannot flood the tessellation.
const maxSitesPerBuilding = 2000

// siteSpacing returns the site spacing for a footprint in metres.
func siteSpacing(g orb.Geometry) float64 {
	var per float64
	switch g := g.(type) {
	case orb.Polygon:
		per = planar.Length(g)
	case orb.MultiPolygon:
		per = planar.Length(g)
	}
	return max(siteSpacingM, per/maxSitesPerBuilding)
}

// wholeContainers resolves the footprints that hold smaller buildings
// (holds, [geo.Stacked]: a podium under towers, a parcel drawn as a
// building). Where a footprint and the buildings it holds, with those
// standing on any of them (group), weigh at most max together, they are
// one indivisible unit that a grid holds whole: the returned group joins
// them. Otherwise no grid can hold the footprint whole while they are in
// others: points lists, by footprint, the buildings it holds as before,
// and the footprint is drawn as a point (drawAsPoints). Footprints are
// taken in input order, each with the joins of those before it.
//
// Copies of a footprint share one list of holds and stand in one group:
// the first decides for all, so that n copies holding m buildings cost
// O(n + m), not n·m.
func wholeContainers(group []int, holds [][]int, weight []int, max int) (joined []int, points [][]int) {
	joined = slices.Clone(group)
	find := func(i int) int {
		for joined[i] != i {
			joined[i] = joined[joined[i]]
			i = joined[i]
		}
		return i
	}
	total := make([]int, len(group)) // by root
	for i, w := range weight {
		total[find(i)] += w
	}
	points = make([][]int, len(holds))
	decided := map[*int]int{}     // by shared list of holds: the first footprint holding it
	in := make([]int, len(group)) // by root: 1 + the footprint whose roots it is among
	for i, held := range holds {
		if len(held) == 0 {
			continue
		}
		// A footprint with the list of one before it, in its group: the
		// buildings of both are in the same groups, joined since only
		// into larger ones. If the first was joined with them, they weigh
		// at most max and this one is in their group already; if it was
		// drawn as a point, they weigh more, and so does this one.
		if f, ok := decided[&held[0]]; ok && len(holds[f]) == len(held) && find(f) == find(i) {
			points[i] = points[f]
			continue
		}
		decided[&held[0]] = i
		roots := []int{find(i)}
		sum := total[roots[0]]
		in[roots[0]] = i + 1
		for _, j := range held {
			if r := find(j); in[r] != i+1 {
				in[r] = i + 1
				roots = append(roots, r)
				sum += total[r]
			}
		}
		if sum > max {
			points[i] = held
			continue
		}
		r0 := slices.Min(roots)
		for _, r := range roots {
			joined[r] = r0
		}
		total[r0] = sum
	}
	for i := range joined {
		joined[i] = find(i)
	}
	return joined, points
}

// drawAsPoints replaces the footprint of each building that holds smaller
// ones it cannot share a grid with (points, [wholeContainers]) by a point
// of it outside them: no grid can hold it whole while they are in others,
// and a footprint around other buildings' would take their place in the
// drawing. bs is modified in place.
//
// Copies of a footprint sharing one list (geo.Stacked) are drawn at the
// point of the first, found once, as long as none of the buildings in the
// list was drawn as a point in between: n copies holding m buildings cost
// O(n + m), not n·m.
func drawAsPoints(bs []geo.Building, points [][]int) {
	type drawing struct {
		at    int // the footprint drawn
		fp    orb.Geometry
		point orb.Point
	}
	drawn := map[*int]drawing{} // by shared list: the last footprint drawn with it
	for i, held := range points {
		if len(held) == 0 {
			continue
		}
		if d, ok := drawn[&held[0]]; ok && len(points[d.at]) == len(held) && orb.Equal(d.fp, bs[i].Geometry) && !redrawnIn(points, held, d.at, i) {
			bs[i].Geometry = d.point
			drawn[&held[0]] = drawing{i, d.fp, d.point}
			continue
		}
		others := make([]orb.Geometry, len(held))
		for k, j := range held {
			others[k] = bs[j].Geometry
		}
		fp := bs[i].Geometry
		p := geo.PointOutside(fp, others)
		bs[i].Geometry = p
		drawn[&held[0]] = drawing{i, fp, p}
	}
}

// redrawnIn reports whether a building of held (ascending) is drawn as a
// point (points) after footprint from and before footprint to: held
// buildings [from+1, to).
func redrawnIn(points [][]int, held []int, from, to int) bool {
	k, _ := slices.BinarySearch(held, from+1)
	for ; k < len(held) && held[k] < to; k++ {
		if len(points[held[k]]) > 0 {
			return true
		}
	}
	return false
}

// joinStacked makes one atom of the atoms of buildings that stand on one
// another (group, [geo.Stacked]): no boundary can run
// between them. The joined atom keeps the place of its first atom and the
// kind of compound atom its parts share; it is dedicated only if they all
// are.
func (d *district) joinStacked(group []int) {
	into := make([]int, len(d.atoms)) // atom each atom joins
	for a := range into {
		into[a] = a
	}
	root := func(a int) int {
		for into[a] != a {
			into[a] = into[into[a]]
			a = into[a]
		}
		return a
	}
	joined := false
	for i, g := range group {
		if g == i {
			continue
		}
		a, b := root(d.atomOf[i]), root(d.atomOf[g])
		if a != b {
			into[max(a, b)] = min(a, b)
			joined = true
		}
	}
	if !joined {
		return
	}
	var atoms [][]int
	var problemAtoms []partition.Atom
	var extra []int // atoms joined into each
	renumber := make([]int, len(d.atoms))
	for a := range d.atoms {
		r := root(a)
		if r == a {
			renumber[a] = len(atoms)
			atoms = append(atoms, append([]int(nil), d.atoms[a]...))
			problemAtoms = append(problemAtoms, d.problem.Atoms[a])
			extra = append(extra, 0)
			continue
		}
		n := renumber[r] // r < a: already numbered
		atoms[n] = append(atoms[n], d.atoms[a]...)
		pa, pb := &problemAtoms[n], d.problem.Atoms[a]
		if pa.Compound != pb.Compound {
			pa.Compound = -1
		}
		pa.Dedicated = pa.Dedicated && pb.Dedicated
		extra[n]++
	}
	for n, k := range extra {
		if k > 0 {
			problemAtoms[n].Name += fmt.Sprintf(" with %d more on the same spot", k)
		}
	}
	for n := range atoms {
		sort.Ints(atoms[n])
		for _, i := range atoms[n] {
			d.atomOf[i] = n
		}
	}
	d.atoms, d.problem.Atoms = atoms, problemAtoms
}

// atomOptions are the options of the partition command that shape atoms.
type atomOptions struct {
	max            int     // households above which a compound is split into its buildings
	shopWeight     float64 // band weight of a shop, in households
	dedicatedGrids bool    // institutions become dedicated grids
	barriers       []geo.Barrier
	// communities are the polygons of the communities layer, if any; grids
	// tile them. Their order is the order of communities in the output.
	communities []geo.Region
	// stacked and holds are [geo.Stacked] of the buildings, computed if
	// stacked is nil.
	stacked []int
	holds   [][]int
	// coverEmpty gives each community of the layer without buildings a
	// grid of its own (emptyCommunityAtoms).
	coverEmpty bool
	// envelopes are the areas to tile of communities not in the layer, by
	// id (lon/lat; see geo.Envelope); the others tile a hull of their
	// buildings.
	envelopes map[string]orb.MultiPolygon
	// compounds are the walls of the compounds layer, if any: the outline
	// of a compound held whole by one grid is a boundary of that grid.
	compounds []geo.Region
	// deferAdjacency leaves the tessellation to the caller: to
	// planCommunities, which plans each community from its tessellation
	// to its grids in one go, or to Repartition, which calls adjacency
	// itself; otherwise newDistrict tessellates every community.
	deferAdjacency bool
	// out are the coordinates the grids are written in (nil: lon/lat).
	out *Coordinates
}

// A district is the input of one run turned into a partition problem.
type district struct {
	buildings   []geo.Building
	centroids   []orb.Point // footprint centroids in metres
	communities []string    // community ids in output order
	weight      []int       // band weight of each building
	atomOf      []int       // atom of each building
	atoms       [][]int     // buildings of each atom, ascending
	problem     partition.Problem
	// compoundSize is the band weight of each (community, compound).
	compoundSize map[compoundKey]int
	barriers     *barrierIndex
	// outline is each community's polygon in metres, nil without a
	// communities layer; tess and members are its tessellation and the
	// buildings of its units, kept to draw the grid polygons.
	outline []orb.MultiPolygon
	// lonLatOutline is each community's polygon as the layer gives it.
	lonLatOutline []orb.MultiPolygon
	// out are the coordinates the grids are written in.
	out     *Coordinates
	tess    []*tess.Tessellation
	members [][]int
	// tessellated marks the communities tessellated (those with buildings).
	tessellated []bool
	// dropCells makes adjacency keep no tessellation: drawGrids then
	// tessellates each community again as it draws it, which costs time
	// but holds one community's cells per worker rather than the city's.
	dropCells bool
	// own holds, per community, the footprints (in its plane, by member
	// index) that lose to others the parts they overlap them by
	// (draw.OwnFootprints): what the tessellation, the drawing and the
	// coverage check take as theirs.
	own []map[int]orb.Geometry
	// plane is each community's local plane: the tessellation, the outline
	// and the grid polygons are in its metres, so that outlines shared by
	// two communities, straight in lon/lat, stay straight and shared.
	plane []*geo.LocalPlane
	// walls are, per community, the compound polygons (in its plane) that
	// the grid of one of its units must hold whole.
	walls         [][]wall
	compoundWalls []geo.Region
}

// A wall is a compound polygon held by the grid of unit (a member index of
// its community).
type wall struct {
	polygon orb.MultiPolygon
	unit    int
}

type compoundKey struct{ community, compound string }

// newDistrict groups buildings into atoms (SPEC §3): a compound of at most
// max households is one atom; the buildings of a larger compound and every
// building outside compounds are atoms of their own. Communities come in the
// order of the layer; ids met only in buildings follow, sorted.
// A done ctx stops the tessellation between communities, with ctx.Err().
func newDistrict(ctx context.Context, bs []geo.Building, proj *geo.Projection, o atomOptions) (*district, error) {
	if o.stacked == nil {
		o.stacked, o.holds = geo.Stacked(bs)
	}
	d := &district{buildings: bs, compoundSize: map[compoundKey]int{}, barriers: newBarrierIndex(o.barriers, proj), compoundWalls: o.compounds, out: o.out}
	if d.out == nil {
		d.out = &Coordinates{}
	}
	d.weight = make([]int, len(bs))
	for i := range bs {
		d.weight[i] = bandWeight(&bs[i], o.shopWeight)
	}
	stacked, points := wholeContainers(o.stacked, o.holds, d.weight, o.max)
	drawAsPoints(bs, points)
	d.centroids = make([]orb.Point, len(bs))
	parallel.EachChunk(len(bs), 1024, func(i int) {
		// Only the centroid is kept: drawing works in each community's
		// own plane, so a district-wide copy of every footprint is not.
		d.centroids[i] = centroid(proj.Geometry(bs[i].Geometry))
	})

	index := map[string]int{}
	var outlines []orb.MultiPolygon // lon/lat
	for _, r := range o.communities {
		if _, dup := index[r.ID]; !dup {
			index[r.ID] = len(d.communities)
			d.communities = append(d.communities, r.ID)
			outlines = append(outlines, r.Geometry)
		}
	}
	var extra []string
	for _, b := range bs {
		if _, ok := index[b.Community]; !ok {
			index[b.Community] = -1
			extra = append(extra, b.Community)
		}
	}
	sort.Strings(extra)
	for _, c := range extra {
		index[c] = len(d.communities)
		d.communities = append(d.communities, c)
		outlines = append(outlines, o.envelopes[c]) // nil: a hull of the buildings
	}
	d.outline = outlines // in lon/lat until adjacency maps them to their planes
	d.problem.Communities = d.communities

	dedicated := func(b *geo.Building) bool { return o.dedicatedGrids && b.Kind == geo.Institution }
	for i := range bs {
		if b := &bs[i]; b.Compound != "" && !dedicated(b) {
			d.compoundSize[compoundKey{b.Community, b.Compound}] += d.weight[i]
		}
	}
	// Atoms in input order of their first building.
	d.atomOf = make([]int, len(bs))
	whole := map[compoundKey]int{}
	large := map[compoundKey]int{}
	for i := range bs {
		b := &bs[i]
		key := compoundKey{b.Community, b.Compound}
		a := partition.Atom{Community: index[b.Community], Compound: -1}
		switch {
		case b.Compound == "" || dedicated(b):
			a.Dedicated = dedicated(b)
		case d.compoundSize[key] <= o.max:
			if at, ok := whole[key]; ok {
				d.atomOf[i] = at
				d.atoms[at] = append(d.atoms[at], i)
				continue
			}
			whole[key] = len(d.atoms)
		default:
			c, ok := large[key]
			if !ok {
				c = len(d.problem.Compounds)
				large[key] = c
				d.problem.Compounds = append(d.problem.Compounds, b.Compound)
			}
			a.Compound = c
		}
		d.atomOf[i] = len(d.atoms)
		d.atoms = append(d.atoms, []int{i})
		d.problem.Atoms = append(d.problem.Atoms, a)
	}
	// Named apart, in parallel: by the first building of each atom.
	parallel.EachChunk(len(d.atoms), 1024, func(ai int) {
		a, b := &d.problem.Atoms[ai], &bs[d.atoms[ai][0]]
		switch {
		case a.Compound >= 0:
			a.Name = fmt.Sprintf("building %q of compound %q", b.ID, b.Compound)
		case b.Compound == "" || dedicated(b):
			a.Name = fmt.Sprintf("building %q", b.ID)
		default:
			a.Name = fmt.Sprintf("compound %q", b.Compound)
		}
	})
	d.joinStacked(stacked)
	parallel.EachChunk(len(d.atoms), 1024, func(ai int) {
		a := &d.problem.Atoms[ai]
		var sx, sy, m float64
		for _, i := range d.atoms[ai] {
			a.Weight += d.weight[i]
			a.WeightSquares += float64(d.weight[i]) * float64(d.weight[i])
			mi := float64(bs[i].Households) + 1
			sx += mi * d.centroids[i][0]
			sy += mi * d.centroids[i][1]
			m += mi
		}
		a.X, a.Y, a.Mass = sx/m, sy/m, m
	})
	if o.coverEmpty {
		d.emptyCommunityAtoms(proj)
	}
	d.prepare()
	if o.deferAdjacency {
		return d, nil
	}
	if err := begin(ctx, phaseTessellate); err != nil {
		return nil, err
	}
	if err := d.adjacency(ctx); err != nil {
		return nil, err
	}
	return d, nil
}

// bandWeight is the weight of building b in the band: its households, and
// shopWeight more for a shop.
func bandWeight(b *geo.Building, shopWeight float64) int {
	if b.Kind == geo.Shop {
		return b.Households + int(math.Round(shopWeight))
	}
	return b.Households
}

// emptyCommunityAtoms adds an atom without buildings for each community of
// the layer that holds no building, so that a grid (of no households,
// community_too_small) covers it: the grid layer tiles every community
// (SPEC §4), and a planner sees the community rather than a hole.
func (d *district) emptyCommunityAtoms(proj *geo.Projection) {
	has := make([]bool, len(d.communities))
	for _, a := range d.problem.Atoms {
		has[a.Community] = true
	}
	for c, outline := range d.outline {
		if has[c] || len(outline) == 0 {
			continue
		}
		at := partition.Atom{Community: c, Compound: -1, Name: fmt.Sprintf("community %q (no buildings)", d.communities[c]), Mass: 1}
		p := centroid(proj.Geometry(outline))
		at.X, at.Y = p[0], p[1]
		d.atoms = append(d.atoms, nil)
		d.problem.Atoms = append(d.problem.Atoms, at)
	}
}

// prepare readies every community for tessellation: the buildings of its
// units (members), its local plane, its outline in that plane and its
// compound walls.
func (d *district) prepare() {
	byCommunity := make([][]int, len(d.communities))
	for i, a := range d.atomOf {
		c := d.problem.Atoms[a].Community
		byCommunity[c] = append(byCommunity[c], i)
	}
	d.members = byCommunity
	d.tessellated = make([]bool, len(d.communities))
	d.plane = make([]*geo.LocalPlane, len(d.communities))
	d.own = make([]map[int]orb.Geometry, len(d.communities))
	outlines := d.outline
	d.lonLatOutline = outlines
	d.outline = make([]orb.MultiPolygon, len(d.communities))
	for c, members := range byCommunity {
		var b orb.Bound
		switch {
		case outlines[c] != nil:
			b = outlines[c].Bound()
		case len(members) > 0:
			b = d.buildings[members[0]].Geometry.Bound()
			for _, i := range members[1:] {
				b = b.Union(d.buildings[i].Geometry.Bound())
			}
		}
		d.plane[c] = geo.NewLocalPlane(b.Center())
		if outlines[c] != nil {
			d.outline[c], _ = d.plane[c].Geometry(outlines[c]).(orb.MultiPolygon)
		}
	}
	d.walls = d.compoundWallsByCommunity()
}

// adjacency joins atoms whose buildings' tessellation cells share an edge
// inside the same community, weighted by the shared length, for every
// community at once, and keeps each community's tessellation cells (tess)
// for drawGrids unless dropCells says not to. Communities are tessellated
// in parallel, until ctx is done; edges are assembled in community order.
// [Partition] does without: it plans each community from tessellation to
// drawing in one go (planCommunities).
func (d *district) adjacency(ctx context.Context) error {
	d.tess = make([]*tess.Tessellation, len(d.communities))
	edges := make([][]partition.Edge, len(d.communities))
	errs := make([]error, len(d.communities))
	progress := progressOf(ctx)
	progress.report(phaseTessellate, 0, len(d.members), unitCommunities)
	var done atomic.Int64
	if err := parallel.EachChunkContext(ctx, len(d.members), 1, func(c int) {
		if members := d.members[c]; len(members) > 0 {
			var cc communityCells
			edges[c], cc, errs[c] = d.communityEdges(ctx, c, members)
			if !d.dropCells {
				d.tess[c] = cc.t
			}
		}
		progress.report(phaseTessellate, int(done.Add(1)), len(d.members), unitCommunities)
	}); err != nil {
		return err
	}
	for c := range edges {
		if errs[c] != nil {
			return fmt.Errorf("community %q: %w", d.communities[c], errs[c])
		}
		d.problem.Edges = append(d.problem.Edges, edges[c]...)
	}
	return nil
}

// communityEdges tessellates community c and returns the edges between its
// atoms and what drawing needs again: the cells of the tessellation, the
// arrangement of cells, outline and constraints the adjacency was read
// from, and the footprints. A large community takes seconds: a done ctx
// stops it within milliseconds, with ctx.Err().
func (d *district) communityEdges(ctx context.Context, c int, members []int) ([]partition.Edge, communityCells, error) {
	d.tessellated[c] = true
	var sites []orb.Point
	var unit []int
	footprints := make([]orb.Geometry, len(members))
	for u, i := range members {
		footprints[u] = d.plane[c].Geometry(d.buildings[i].Geometry)
	}
	// A footprint across the outline is its grid's only as far as the
	// community reaches; of overlapping footprints, one keeps the overlap.
	footprints, clipped := draw.ClipToOutline(footprints, d.outline[c])
	footprints, changed, err := draw.OwnFootprints(ctx, footprints)
	if err != nil {
		return nil, communityCells{}, err
	}
	if len(changed)+len(clipped) > 0 {
		d.own[c] = make(map[int]orb.Geometry, len(changed)+len(clipped))
		for _, u := range append(clipped, changed...) {
			d.own[c][u] = footprints[u]
		}
	}
	spacing := make([]float64, len(footprints))
	total := 0
	for u, fp := range footprints {
		spacing[u] = siteSpacing(fp)
		total += tess.NumSites(fp, spacing[u])
	}
	sites, unit = make([]orb.Point, 0, total), make([]int, 0, total)
	for u, fp := range footprints {
		n := len(sites)
		sites = tess.AppendSites(sites, fp, spacing[u])
		for range len(sites) - n {
			unit = append(unit, u)
		}
	}
	// With a communities layer the tessellation covers the community
	// polygon, whose outline later clips the grids; without, it covers a
	// buffered hull of the buildings.
	var bound orb.Ring
	if d.outline[c] != nil {
		bound = draw.CommunityBound(d.outline[c], sites)
	}
	t, err := tess.Tessellate(ctx, sites, unit, len(members), bound)
	if err != nil {
		return nil, communityCells{}, err
	}
	lengths := map[[2]int]float64{}
	barrier := map[[2]int]bool{}
	// Buildings whose sites all coincide with another building's (points
	// digitised at the same spot, a footprint inside another) have no cell
	// of their own: they neighbour the building whose cell holds them.
	for i, g := range t.Gen {
		if owner := t.GenUnit[g]; owner >= 0 && owner != unit[i] {
			a, b := d.atomOf[members[owner]], d.atomOf[members[unit[i]]]
			if a != b {
				lengths[[2]int{min(a, b), max(a, b)}] += 0
			}
		}
	}
	// Neighbours share a cell edge inside the community's outline, so that a
	// grid connected in the graph is one polygon on the map (SPEC §4); the
	// regions are those drawGrids draws, footprints included.
	ident := make([]int, len(members))
	for u := range ident {
		ident[u] = u
	}
	adjacent, _, arrangement, err := draw.ClippedUnitAdjacencyArrangement(ctx, t, d.outline[c], d.constraints(c, footprints, ident))
	if err != nil {
		return nil, communityCells{}, err
	}
	for _, e := range adjacent {
		a, b := d.atomOf[members[e.A]], d.atomOf[members[e.B]]
		if a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		lengths[[2]int{a, b}] += e.LengthM
		if d.barriers.separates(d.centroids[members[e.A]], d.centroids[members[e.B]]) {
			barrier[[2]int{a, b}] = true
		}
	}
	out := make([]partition.Edge, 0, len(lengths))
	for k, l := range lengths {
		out = append(out, partition.Edge{A: k[0], B: k[1], LengthM: l, Barrier: barrier[k]})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].A != out[j].A {
			return out[i].A < out[j].A
		}
		return out[i].B < out[j].B
	})
	// Drawing needs the cells only: the next community's triangulation
	// takes this one's storage.
	cells := t.Cells()
	t.ReleaseTriangulation()
	return out, communityCells{t: cells, ar: arrangement, footprints: footprints}, nil
}

// communityCells is what communityEdges made of a community that drawing
// uses again: its cells, the arrangement its adjacency was read from and
// its footprints in its plane, each as much of it as is its own
// (district.footprints).
type communityCells struct {
	t          *tess.Tessellation
	ar         *draw.Arrangement
	footprints []orb.Geometry
}

// release hands the cells' and the arrangement's storage on to the next
// community's (tess.Tessellation.Release, draw.Arrangement.Release); cc
// must not be used afterwards.
func (cc *communityCells) release() {
	if cc.ar != nil {
		cc.ar.Release()
	}
	if cc.t != nil {
		cc.t.Release()
	}
	*cc = communityCells{}
}

// footprints returns the footprints of community c's members in its
// plane, each as much of it as is its own (see district.own).
func (d *district) footprints(c int) []orb.Geometry {
	fps := make([]orb.Geometry, len(d.members[c]))
	for u, i := range d.members[c] {
		if fp, ok := d.own[c][u]; ok {
			fps[u] = fp
		} else {
			fps[u] = d.plane[c].Geometry(d.buildings[i].Geometry)
		}
	}
	return fps
}

// constraints lists the constraint polygons of community c for a labelling
// group of its units: every footprint first (so a building keeps its own
// grid where a wall covers it), then the compound walls.
func (d *district) constraints(c int, footprints []orb.Geometry, group []int) []draw.Constraint {
	cs := draw.FootprintConstraints(footprints, group)
	for _, w := range d.walls[c] {
		cs = append(cs, draw.Constraint{Polygon: w.polygon, Group: group[w.unit]})
	}
	return cs
}

// compoundWallsByCommunity matches the compounds layer to the compounds of
// each community: a compound polygon becomes a wall of community c when the
// compound's buildings there form one atom (it is held whole, by one grid).
func (d *district) compoundWallsByCommunity() [][]wall {
	walls := make([][]wall, len(d.communities))
	if len(d.compoundWalls) == 0 {
		return walls
	}
	byID := map[string][]int{}
	for i, r := range d.compoundWalls {
		byID[r.ID] = append(byID[r.ID], i)
	}
	for c, members := range d.members {
		first := map[string]int{} // compound -> unit of its first building
		for u, i := range members {
			b := &d.buildings[i]
			if b.Compound == "" || d.problem.Atoms[d.atomOf[i]].Dedicated {
				continue // not in a compound, or an institution with a grid of its own
			}
			if _, ok := first[b.Compound]; !ok {
				first[b.Compound] = u
			}
		}
		var ids []string
		for id := range first {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			u := first[id]
			if d.problem.Atoms[d.atomOf[members[u]]].Compound >= 0 {
				continue // split across grids: its outline binds no single grid
			}
			for _, ri := range byID[id] {
				if mp, ok := d.plane[c].Geometry(d.compoundWalls[ri].Geometry).(orb.MultiPolygon); ok {
					walls[c] = append(walls[c], wall{polygon: mp, unit: u})
				}
			}
		}
	}
	return walls
}

// centroid returns the area centroid of a projected polygonal footprint, or
// the point itself.
func centroid(g orb.Geometry) orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return g
	case orb.Polygon:
		return polygonCentroid(orb.MultiPolygon{g})
	case orb.MultiPolygon:
		return polygonCentroid(g)
	}
	return g.Bound().Center()
}

func polygonCentroid(mp orb.MultiPolygon) orb.Point {
	var m shape.Moments
	if len(mp) > 0 && len(mp[0]) > 0 && len(mp[0][0]) > 0 {
		m.O = mp[0][0][0]
	}
	for _, p := range mp {
		for _, r := range p {
			m.Add(r, 1)
		}
	}
	if c, ok := m.Centroid(); ok {
		return c
	}
	return mp.Bound().Center()
}
