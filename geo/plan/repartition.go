package plan

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"gridplan/geo"
	"gridplan/geo/draw"
	"gridplan/geo/report"
	"gridplan/partition"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Repartition redraws an earlier plan prev for the loaded input with as
// little change as possible (SPEC §6): earlier grids still in band are
// kept with their codes and polygons, the others are split, merged or
// redrawn around them, and the plan reports what changed. A done ctx stops
// it as it stops [Partition].
func Repartition(ctx context.Context, prev *Previous, li *Input, o *Options) (*Plan, error) {
	ctx = withProgress(ctx, o.Progress)
	c, err := codingOf(o)
	if err != nil {
		return nil, err
	}
	if err := prev.sharesBuildings(li.buildings, li.in.Buildings); err != nil {
		return nil, err
	}
	warnings := append(slices.Clip(prev.warnings), prev.layoutWarnings(c)...)
	warnings = append(warnings, prev.renameCommunities(li.buildings, li.communities, c)...)
	o.warn(warnings)
	keepAll := false // earlier polygons laid down in every community
	if moved := prev.moved(li.buildings); li.communities == nil && len(moved) > 0 {
		// Buildings added or demolished: tile what the earlier plan
		// tiled. (Otherwise the division of the area among communities is
		// the earlier one, drawn from the same buildings.)
		if li.envelopes = prev.envelopes(li.buildings); li.envelopes != nil {
			li.tiling = "the earlier plan's grids of each community"
			keepAll = true
		}
	}
	d, err := li.district(ctx, o, true)
	if err != nil {
		return nil, err
	}
	if err := c.distinct(d.communities); err != nil {
		return nil, err
	}
	// Every community is tessellated before the search, which needs the
	// whole city's graph; a large city's cells are not kept until drawing
	// but made again there.
	d.dropCells = len(li.buildings) > keepCellsUpTo
	if err := begin(ctx, phaseTessellate); err != nil {
		return nil, err
	}
	if err := d.adjacency(ctx); err != nil {
		return nil, err
	}
	if err := begin(ctx, phaseSearch); err != nil {
		return nil, err
	}
	pv := prev.atoms(d)
	set := o.Settings
	set.Progress = progressOf(ctx).communities(phaseSearch)
	res, err := partition.Repartition(ctx, d.problem, pv, &set)
	if err != nil {
		return nil, err
	}
	res, codes, cont := prev.code(d, res, c)
	fresh := make([]bool, len(codes))
	for i, k := range cont {
		fresh[i] = k < 0
	}
	if err := c.check(res.Grids, d.communities, codes, fresh); err != nil {
		return nil, err
	}
	if err := begin(ctx, phaseDrawing); err != nil {
		return nil, err
	}
	fixed, laid := prev.keptShapes(d, res, keepAll)
	shapes, err := d.drawGrids(ctx, res, fixed, laid)
	if err != nil {
		return nil, err
	}
	warnings = append(warnings, prev.revertedEdits(shapes.reverted, codes)...)
	p, err := li.plan(ctx, d, o, res, codes, shapes)
	if err != nil {
		return nil, err
	}
	var rows []report.ChangeRow
	p.Stats.Changes, p.changes, p.moves, rows = prev.changes(d, res, codes, cont)
	if rl := p.report; rl != nil {
		rl.changeRows = rows
		rl.moved, rl.added = prev.movedShapes(d, res, codes, rl.plane)
		pen := rl.plane.Pen(nil)
		for _, mp := range prev.shapes {
			pen.Draw(mp)
		}
		rl.previous = pen.Shape()
	}
	p.Stats.Warnings = append(p.Stats.Warnings, warnings...)
	return p, nil
}

// keepCellsUpTo is the most buildings for which Repartition keeps every
// community's tessellation from the adjacency to the drawing: about 2.5 GB
// at 600,000 buildings. Above it each community is tessellated again as it
// is drawn, for about a quarter more time and half the memory.
var keepCellsUpTo = 250_000

// moved returns the communities where a building of bs was added or one of
// the earlier plan was demolished; "" if such a building's community is
// not known (an earlier assignment without communities): any may have.
func (pp *Previous) moved(bs []geo.Building) map[string]bool {
	moved := map[string]bool{}
	present := make(map[string]bool, len(bs))
	known := map[string]bool{}
	for _, b := range bs {
		present[b.ID] = true
		known[b.Community] = true
		if _, ok := pp.gridOf[b.ID]; !ok {
			moved[b.Community] = true
		}
	}
	for _, id := range pp.buildings {
		if present[id] {
			continue
		}
		if c := pp.community[pp.gridOf[id]]; known[c] {
			moved[c] = true
		} else {
			moved[""] = true
		}
	}
	return moved
}

// envelopes returns, for every community of bs, the union of its earlier
// grids, or nil unless every building lies in its community's: without a
// communities layer, the area the earlier plan tiled, so that grids kept as
// they were keep their polygons (keptShapes lays them all down) even where
// buildings at the edge were demolished or communities around changed.
func (pp *Previous) envelopes(bs []geo.Building) map[string]orb.MultiPolygon {
	shapes := map[string][]orb.MultiPolygon{}
	for g, mp := range pp.shapes {
		if len(mp) > 0 && pp.community[g] != "" {
			shapes[pp.community[g]] = append(shapes[pp.community[g]], mp)
		}
	}
	if len(shapes) == 0 {
		return nil
	}
	footprints := map[string][]orb.Geometry{}
	for _, b := range bs {
		footprints[b.Community] = append(footprints[b.Community], b.Geometry)
	}
	out := map[string]orb.MultiPolygon{}
	for c, fps := range footprints {
		env, ok := draw.Envelope(shapes[c], fps)
		if !ok {
			return nil // a building beyond: divide the area afresh
		}
		out[c] = env
	}
	return out
}

// sharesBuildings returns an error if no building of bs (read from file) is
// in the earlier plan: a plan of other ids (another district, or ids read
// from another field) has nothing to keep, and redrawing everything under
// new codes would hide the mistake.
func (pp *Previous) sharesBuildings(bs []geo.Building, file string) error {
	if len(pp.buildings) == 0 || len(bs) == 0 {
		return nil
	}
	for _, b := range bs {
		if _, ok := pp.gridOf[b.ID]; ok {
			return nil
		}
	}
	return fmt.Errorf("%s: %w: none of its %d building ids is among the %d of %s (first there %q, here %q); check --previous and --id-field",
		pp.source, errPrevious, len(pp.buildings), len(bs), file, pp.buildings[0], bs[0].ID)
}

// atoms maps the earlier plan onto the atoms of d.
func (pp *Previous) atoms(d *district) partition.Previous {
	n := len(d.atoms)
	pv := partition.Previous{Grid: make([]int, n), New: make([]bool, n), Broken: make([]bool, len(pp.codes))}
	empty := map[string]int{} // earlier grid without buildings, by community
	for g := range pp.codes {
		empty[pp.community[g]] = g
	}
	for _, g := range pp.gridOf {
		delete(empty, pp.community[g])
	}
	for a, members := range d.atoms {
		if len(members) == 0 {
			// A community without buildings: its earlier grid, if it had
			// one of no buildings.
			pv.Grid[a], pv.New[a] = -1, true
			if g, ok := empty[d.communities[d.problem.Atoms[a].Community]]; ok {
				pv.Grid[a], pv.New[a] = g, false
			}
			continue
		}
		id, old, conflict := -1, false, false
		for _, i := range members {
			b := &d.buildings[i]
			g, ok := pp.gridOf[b.ID]
			if !ok {
				continue
			}
			old = true
			if pp.community[g] != "" && pp.community[g] != b.Community {
				pv.Broken[g] = true // the building changed community
			}
			if id >= 0 && g != id {
				// A compound now whole spans earlier grids: none of
				// them can stay as it was.
				conflict = true
				pv.Broken[id], pv.Broken[g] = true, true
			}
			id = g
		}
		switch {
		case !old:
			pv.New[a] = true
			pv.Grid[a] = pp.containing(lonLatCentroid(d.buildings[members[0]].Geometry))
		case conflict:
			pv.Grid[a] = -1
		default:
			pv.Grid[a] = id
		}
	}
	return pv
}

func lonLatCentroid(g orb.Geometry) orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return g
	case orb.Polygon, orb.MultiPolygon:
		p, _ := planar.CentroidArea(g)
		return p
	}
	return g.Bound().Center()
}

// keptShapes returns, for each grid of res, the earlier polygon of the
// earlier grid it keeps unchanged (nil for the others), and, by community,
// whether those are laid down first: where a building was added or
// demolished (or all is true). Elsewhere the tessellation is as it was and
// draws the same polygons, but for those edited since (drawEdited).
func (pp *Previous) keptShapes(d *district, res *partition.Result, all bool) (fixed []orb.MultiPolygon, laid []bool) {
	moved := pp.moved(d.buildings)
	laid = make([]bool, len(d.communities))
	for c, id := range d.communities {
		laid[c] = all || moved[id] || moved[""]
	}
	for g := range res.Grids {
		if k := res.Kept[g]; k >= 0 && len(pp.shapes[k]) > 0 {
			if fixed == nil {
				fixed = make([]orb.MultiPolygon, len(res.Grids))
			}
			fixed[g] = pp.shapes[k]
		}
	}
	return fixed, laid
}

// revertedEdits warns of the kept grids (by index in codes) whose earlier
// polygons, edited since they were drawn, could not be kept.
func (pp *Previous) revertedEdits(grids []int, codes []string) []geo.Warning {
	if len(grids) == 0 {
		return nil
	}
	names := make([]string, len(grids))
	for i, g := range grids {
		names[i] = codes[g]
	}
	return []geo.Warning{{File: pp.source, Index: -1, Kind: "previous_edit_reverted", Note: fmt.Sprintf(
		"the earlier polygons of the kept grids %s differ from those drawn from the buildings (edited by hand?) and cannot be kept as they are: they leave a gap, an overlap or a building outside its grid; drawn afresh",
		some(names))}}
}

// householdFlows are the households (today's counts) between the grids of
// the earlier plan and those of a new one.
type householdFlows struct {
	before []int         // of each earlier grid's surviving buildings
	after  []int         // of each new grid
	gave   []map[int]int // gave[new][earlier]: of buildings that went from earlier to new
}

func (pp *Previous) flows(d *district, res *partition.Result) householdFlows {
	f := householdFlows{before: make([]int, len(pp.codes)), after: make([]int, len(res.Grids)), gave: make([]map[int]int, len(res.Grids))}
	for i, b := range d.buildings {
		ng := res.AtomGrid[d.atomOf[i]]
		f.after[ng] += b.Households
		og, ok := pp.gridOf[b.ID]
		if !ok {
			continue
		}
		f.before[og] += b.Households
		if f.gave[ng] == nil {
			f.gave[ng] = map[int]int{}
		}
		f.gave[ng][og] += b.Households
	}
	return f
}

// continuationShare is the share of households that make a changed grid the
// continuation of an earlier one: it holds at least this share of the
// earlier grid's households, and at least this share of its own come from
// there. A grid that sheds or takes in a building or two continues; halves
// of a split and partners of a merge do not.
const continuationShare = 0.75

// continuations returns, for each grid of res, the earlier grid whose code it
// keeps, or -1: the grid it keeps unchanged ([partition.Result.Kept]) or
// the one it continues after an adjustment of its boundary (see
// continuationShare), within the same community.
func (pp *Previous) continuations(d *district, res *partition.Result) []int {
	f := pp.flows(d, res)
	before, after, gave := f.before, f.after, f.gave
	cont := make([]int, len(res.Grids))
	for n, g := range res.Grids {
		cont[n] = res.Kept[n]
		if cont[n] >= 0 {
			continue
		}
		for og, h := range gave[n] {
			if h > 0 && float64(h) >= continuationShare*float64(before[og]) && float64(h) >= continuationShare*float64(after[n]) &&
				(pp.community[og] == "" || pp.community[og] == d.communities[g.Community]) {
				cont[n] = og // unique: it holds more than half of n
			}
		}
	}
	return cont
}

// code gives each grid its code: a kept or continuing grid its earlier code
// (see [Previous.continuations]), a new grid the next sequence number of
// its community whose code the earlier plan neither used nor had retired. Grids are reordered by
// community, then sequence, as partition orders them. cont is returned in the
// new order.
func (pp *Previous) code(d *district, res *partition.Result, c coding) (*partition.Result, []string, []int) {
	cont := pp.continuations(d, res)
	used := make(map[string]bool, len(pp.codes)+len(pp.retired))
	for _, code := range pp.retired {
		used[code] = true
	}
	next := map[string]int{}
	for g, code := range pp.codes {
		used[code] = true
		code = pp.codeNow(g)
		used[code] = true
		if seq, ok := c.seq(code, pp.community[g]); ok {
			next[pp.community[g]] = max(next[pp.community[g]], seq)
		}
	}
	n := len(res.Grids)
	codes := make([]string, n)
	seqs := make([]int, n)
	for i, g := range res.Grids {
		community := d.communities[g.Community]
		if k := cont[i]; k >= 0 {
			codes[i] = pp.codeNow(k)
			seqs[i], _ = c.seq(codes[i], community)
			continue
		}
		for {
			next[community]++
			codes[i] = c.code(community, next[community])
			if !used[codes[i]] {
				break
			}
		}
		used[codes[i]] = true
		seqs[i] = next[community]
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ga, gb := &res.Grids[order[a]], &res.Grids[order[b]]
		if ga.Community != gb.Community {
			return ga.Community < gb.Community
		}
		if seqs[order[a]] != seqs[order[b]] {
			return seqs[order[a]] < seqs[order[b]]
		}
		return codes[order[a]] < codes[order[b]]
	})
	out := &partition.Result{Grids: make([]partition.Grid, n), AtomGrid: make([]int, len(res.AtomGrid)), Diagnoses: res.Diagnoses, Kept: make([]int, n)}
	outCodes, outCont := make([]string, n), make([]int, n)
	where := make([]int, n)
	for j, i := range order {
		out.Grids[j] = res.Grids[i]
		out.Grids[j].Seq = seqs[i]
		out.Kept[j] = res.Kept[i]
		outCodes[j], outCont[j] = codes[i], cont[i]
		where[i] = j
	}
	for a, g := range res.AtomGrid {
		out.AtomGrid[a] = where[g]
	}
	return out, outCodes, outCont
}

// movedShapes draws, by community, the buildings of d in both plans whose
// grid code is not the one they had in the earlier plan (moved, as
// ChangeStats.BuildingsMoved counts them), and those not in the earlier
// plan (added).
func (pp *Previous) movedShapes(d *district, res *partition.Result, codes []string, pl *report.Plane) (moved, added []report.Shape) {
	moved, added = make([]report.Shape, len(d.communities)), make([]report.Shape, len(d.communities))
	for c, members := range d.members {
		pen, newPen := pl.Pen(nil), pl.Pen(nil)
		for _, i := range members {
			b := &d.buildings[i]
			og, ok := pp.gridOf[b.ID]
			switch {
			case !ok:
				newPen.Draw(b.Geometry)
			case pp.codeNow(og) != codes[res.AtomGrid[d.atomOf[i]]]:
				pen.Draw(b.Geometry)
			}
		}
		moved[c], added[c] = pen.Shape(), newPen.Shape()
	}
	return moved, added
}
