package plan

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gridplan/geo"
	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"
	"gridplan/geo/report"

	"github.com/paulmach/orb"
)

// ErrNoReport is returned by [Plan.Report] and [CheckReport.Report] when
// the run was told not to keep what the report draws ([Options.NoReport],
// [CheckOptions.NoReport]).
var ErrNoReport = errors.New("plan: the report was not kept (NoReport)")

// reportLayers are what report.html draws of a plan beyond its grid
// polygons and statistics: drawn as the plan is made, as compact path
// data, so that the buildings and the district can be freed (at 60,000
// buildings they take about 2 MB here).
type reportLayers struct {
	plane *report.Plane
	// planes are, by community, the planes of its grid polygons
	// (gridShapes.polygons); nil for a check, whose grids are in lon/lat.
	planes     []*geo.LocalPlane
	names      []string // by community: its name property, "" if none
	outlines   []report.Shape
	footprints []report.Shape
	compounds  [][]report.Compound
	// highlights are, by community and diagnosis (as in
	// CommunityStats.Diagnoses), the units the diagnosis names, by the
	// grid (index in Stats.Grids) their buildings are in; unitGrids, by
	// community, diagnosis and unit, the grids of a unit's buildings
	// (nil for a unit that is no building or compound: the community, a
	// count).
	highlights [][]map[int]report.Shape
	unitGrids  [][][][]int
	barriers   report.Shape
	// moved (by community) are the buildings in both plans whose grid
	// code changed in a repartition, added those new to it, previous the
	// earlier grids, changeRows changes.csv.
	moved      []report.Shape
	added      []report.Shape
	previous   report.Shape
	changeRows []report.ChangeRow
}

// reportLayers draws, for each community of d, its outline, buildings,
// compounds and the units its diagnoses name (diagnoses, by community),
// by the grid each unit's buildings are in (gridOf, by building: index in
// Stats.Grids). grids are each community's grid polygons, in its plane:
// their outer edges stand in for an outline the district does not keep (a
// community without a layer or envelope tiles a hull of its buildings).
func (d *district) reportLayers(li *Input, diagnoses [][]diagnosis, grids [][]orb.MultiPolygon, gridOf func(i int) int) *reportLayers {
	n := len(d.communities)
	rl := &reportLayers{
		plane: report.NewPlane(geo.CenterOf(d.buildings)), planes: d.plane,
		names: make([]string, n), outlines: make([]report.Shape, n), footprints: make([]report.Shape, n),
		compounds: make([][]report.Compound, n), highlights: make([][]map[int]report.Shape, n), unitGrids: make([][][][]int, n),
	}
	names := communityNames(li.communities)
	walls := map[string]orb.MultiPolygon{}
	for _, r := range li.compounds {
		if _, ok := walls[r.ID]; !ok {
			walls[r.ID] = r.Geometry
		}
	}
	parallel.EachChunk(n, 1, func(c int) {
		rl.names[c] = names[d.communities[c]]
		pen := rl.plane.Pen(nil)
		members := d.members[c]
		if c < len(d.lonLatOutline) && d.lonLatOutline[c] != nil {
			pen.Draw(d.lonLatOutline[c])
			rl.outlines[c] = pen.Shape()
		} else {
			p := rl.plane.Pen(d.plane[c].Inverse)
			p.Draw(outerEdges(grids[c]))
			rl.outlines[c] = p.Shape()
		}
		byCompound := map[string][]int{}
		var ids []string
		for _, i := range members {
			b := &d.buildings[i]
			pen.Draw(b.Geometry)
			if b.Compound != "" {
				if _, ok := byCompound[b.Compound]; !ok {
					ids = append(ids, b.Compound)
				}
				byCompound[b.Compound] = append(byCompound[b.Compound], i)
			}
		}
		rl.footprints[c] = pen.Shape()
		sort.Strings(ids)
		shapes := map[string]report.Shape{}
		for _, id := range ids {
			cp := report.Compound{ID: id}
			if w, ok := walls[id]; ok {
				pen.Draw(w)
				cp.Wall = true
			} else {
				pen.Draw(hullOf(d.buildings, byCompound[id]))
			}
			cp.Shape = pen.Shape()
			shapes[id] = cp.Shape
			rl.compounds[c] = append(rl.compounds[c], cp)
		}
		if len(diagnoses[c]) > 0 {
			rl.highlights[c] = make([]map[int]report.Shape, len(diagnoses[c]))
			rl.unitGrids[c] = make([][][]int, len(diagnoses[c]))
			byID := map[string]int{}
			for _, i := range members {
				byID[d.buildings[i].ID] = i
			}
			for k, dg := range diagnoses[c] {
				hl := map[int]report.Shape{}
				rl.unitGrids[c][k] = make([][]int, len(dg.Units))
				for u, unit := range dg.Units {
					var in []int // the grids of the unit's buildings, ascending
					switch kind, id := unitOf(unit); kind {
					case "building":
						if i, ok := byID[id]; ok {
							g := gridOf(i)
							in = []int{g}
							pen.Draw(d.buildings[i].Geometry)
							hl[g] = report.Join(hl[g], pen.Shape())
						}
					case "compound":
						for _, i := range byCompound[id] {
							if g := gridOf(i); !slices.Contains(in, g) {
								in = append(in, g)
							}
						}
						slices.Sort(in)
						for _, g := range in {
							hl[g] = report.Join(hl[g], shapes[id])
						}
					default:
						continue
					}
					if in == nil {
						in = []int{} // names a unit of no grid: in none
					}
					rl.unitGrids[c][k][u] = in
				}
				rl.highlights[c][k] = hl
			}
		}
	})
	pen := rl.plane.Pen(nil)
	for _, b := range li.barriers {
		pen.Draw(b.Geometry)
	}
	rl.barriers = pen.Shape()
	return rl
}

// communityNames gives each community id of rs its name: the names of its
// features, each once, joined with " / " where features of one id name it
// differently.
func communityNames(rs []geo.Region) map[string]string {
	names := map[string]string{}
	for _, r := range rs {
		switch old := names[r.ID]; {
		case r.Name == "" || old == r.Name:
		case old == "":
			names[r.ID] = r.Name
		case !slices.Contains(strings.Split(old, " / "), r.Name):
			names[r.ID] = old + " / " + r.Name
		}
	}
	return names
}

// unitOf reads a unit named by a diagnosis: `building "B7"`, `building "B7"
// of compound "Q1"`, `compound "Q1"` or `community "C1"`; other units
// (grids, counts) give "". A community is not highlighted: its grid is
// the community, marked out of band already.
func unitOf(u string) (kind, id string) {
	for _, k := range []string{"building", "compound", "community"} {
		rest, ok := strings.CutPrefix(u, k+" ")
		if !ok || !strings.HasPrefix(rest, `"`) {
			continue
		}
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return "", ""
		}
		id, err := strconv.Unquote(q)
		if err != nil {
			return "", ""
		}
		return k, id
	}
	return "", ""
}

// hullOf is the convex hull of the footprints of buildings is of bs
// (longitude/latitude: the hull is the same in any affine plane): the
// extent of a compound drawn without a compounds layer.
func hullOf(bs []geo.Building, is []int) orb.Polygon {
	var pts []orb.Point
	for _, i := range is {
		switch g := bs[i].Geometry.(type) {
		case orb.Point:
			pts = append(pts, g)
		case orb.Polygon:
			if len(g) > 0 {
				pts = append(pts, g[0]...)
			}
		case orb.MultiPolygon:
			for _, p := range g {
				if len(p) > 0 {
					pts = append(pts, p[0]...)
				}
			}
		}
	}
	if len(pts) < 3 {
		return nil
	}
	return orb.Polygon{orb.Ring(shape.ConvexHull(pts))}
}

// outerEdges returns the edges of a community's grid polygons that no
// other ring of them shares: the outline they tile, as lines. Neighbouring
// grids of a community share their vertices exactly (they are traced from
// one tessellation).
func outerEdges(grids []orb.MultiPolygon) orb.MultiLineString {
	type edge [2]orb.Point
	count := map[edge]int{}
	var order []edge
	for _, mp := range grids {
		for _, p := range mp {
			for _, r := range p {
				for i := 1; i < len(r); i++ {
					a, b := r[i-1], r[i]
					if a == b {
						continue
					}
					k := edge{a, b}
					if b[0] < a[0] || b[0] == a[0] && b[1] < a[1] {
						k = edge{b, a}
					}
					if count[k] == 0 {
						order = append(order, k)
					}
					count[k]++
				}
			}
		}
	}
	var out orb.MultiLineString
	for _, e := range order {
		if count[e] != 1 {
			continue
		}
		if n := len(out); n > 0 && out[n-1][len(out[n-1])-1] == e[0] {
			out[n-1] = append(out[n-1], e[1])
			continue
		}
		out = append(out, orb.LineString{e[0], e[1]})
	}
	return out
}

// Report returns report.html of the plan (SPEC §5): the overview map, the
// histogram, the community table, the grids out of band with their
// reasons, the change map and table of a repartition, and an atlas page
// per community. It returns [ErrNoReport] if [Options.NoReport] was set.
func (p *Plan) Report() ([]byte, error) {
	if p.report == nil {
		return nil, ErrNoReport
	}
	return report.HTML(p.reportData())
}

// reportData assembles the report's Data from the statistics, the grid
// polygons and the layers kept.
func (p *Plan) reportData() *report.Data {
	s, rl := p.Stats, p.report
	d := &report.Data{Command: "partition", Title: s.Input.Buildings, Band: report.Band{Min: s.Settings.Min, Target: s.Settings.Target, Max: s.Settings.Max}}
	if s.Changes != nil {
		d.Command = "repartition"
	}
	for _, in := range [][2]string{{"buildings", s.Input.Buildings}, {"communities", s.Input.Communities}, {"compounds", s.Input.Compounds}, {"barriers", s.Input.Barriers}} {
		if in[1] != "" {
			d.Inputs = append(d.Inputs, in)
		}
	}
	if s.Changes != nil {
		d.Inputs = append(d.Inputs, [2]string{"previous", s.Changes.Previous})
	}
	t := &s.Totals
	h := &t.GridHouseholds
	d.Balance = report.Balance{Buildings: t.Buildings, Households: t.Households, Communities: t.Communities, Grids: t.Grids,
		Residential: t.ResidentialGrids, Dedicated: t.DedicatedGrids, Empty: t.EmptyGrids, InBand: t.GridsInBand, ShareInBand: t.ShareInBand,
		FeasibleGrids: t.FeasibleGrids, FeasibleInBand: t.FeasibleInBand, ShareFeasible: t.ShareInBandFeasible,
		Min: h.Min, Max: h.Max, Median: h.Median, Mean: h.Mean, StdDev: h.StdDev}
	d.Facts = [][2]string{
		{"小区 Compounds", fmt.Sprintf("%d, 拆分 split %d (均超过上限 all larger than %d)", s.Compounds.Total, s.Compounds.Split, s.Settings.Max)},
		{"紧凑度 Compactness", fmt.Sprintf("Polsby–Popper %.3f, 回转半径 gyration radius %.0f m", s.Compactness.MeanPolsbyPopper, s.Compactness.MeanGyrationM)},
		{"覆盖检查 Coverage", coverageText(s.Coverage)},
		{"划分范围 Tiling", s.Tiling},
		{"坐标系 Coordinates", s.CRS},
		{"随机种子 Seed", strconv.FormatUint(s.Settings.Seed, 10)},
	}
	d.Warnings, d.WarningCount = warningLines(s.Warnings), len(s.Warnings)
	index := make(map[string]int, len(s.Communities))
	residential := make(map[string]int, len(s.Communities))
	for gi := range s.Grids {
		if s.Grids[gi].Type == "residential" {
			residential[s.Grids[gi].Community]++
		}
	}
	d.Communities = make([]report.Community, len(s.Communities))
	for c, cs := range s.Communities {
		index[cs.ID] = c
		rc := report.Community{ID: cs.ID, Name: rl.names[c], Households: cs.Households, Buildings: cs.Buildings,
			Grids: cs.Grids, InBand: cs.GridsInBand, Residential: residential[cs.ID], Feasible: cs.Feasible,
			Outline: rl.outlines[c], Footprints: rl.footprints[c], Compounds: rl.compounds[c]}
		for _, dg := range cs.Diagnoses {
			rc.Reasons = appendNew(rc.Reasons, dg.Reason)
		}
		if rl.moved != nil {
			rc.Moved, rc.Added = rl.moved[c], rl.added[c]
		}
		d.Communities[c] = rc
	}
	d.Grids = make([]report.Grid, len(s.Grids))
	parallel.EachChunk(len(s.Grids), 16, func(gi int) {
		g := &s.Grids[gi]
		c := index[g.Community]
		rg := report.Grid{Code: g.Code, Community: c, Type: g.Type, Households: g.Households, BandHouseholds: g.BandHouseholds,
			Buildings: g.Buildings, Shops: g.Shops, Compounds: g.Compounds, Status: g.Status, Reason: g.Reason}
		mp := p.shapes.polygons[gi]
		pen := rl.plane.Pen(rl.planes[c].Inverse)
		pen.Draw(mp)
		rg.Shape = pen.Shape()
		if len(mp) > 0 {
			rg.Label = rl.plane.XY(rl.planes[c].Inverse(shape.RepresentativePoint(mp)))
		}
		if g.Status != "ok" && g.Reason != "" {
			for k, dg := range s.Communities[c].Diagnoses {
				if dg.Reason != g.Reason {
					continue
				}
				if rg.Detail != "" {
					rg.Detail += "; "
				}
				rg.Detail += dg.Detail
				// Of the units named, those in this grid (and those of
				// no building: the community, a count).
				ug := rl.unitGrids[c]
				for u, unit := range dg.Units {
					if k >= len(ug) || ug[k][u] == nil || slices.Contains(ug[k][u], gi) {
						rg.Units = append(rg.Units, unit)
					}
				}
				if hs := rl.highlights[c]; k < len(hs) {
					rg.Highlight = report.Join(rg.Highlight, hs[k][gi])
				}
			}
		}
		d.Grids[gi] = rg
	})
	d.Barriers = rl.barriers
	if ch := s.Changes; ch != nil {
		d.Changes = &report.Changes{PreviousGrids: ch.PreviousGrids, NewGrids: ch.NewGrids,
			Buildings: ch.Buildings, BuildingsMoved: ch.BuildingsMoved, Households: ch.Households, HouseholdsMoved: ch.HouseholdsMoved, HouseholdsRegrouped: ch.HouseholdsRegrouped,
			BuildingsAdded: ch.BuildingsAdded, BuildingsRemoved: ch.BuildingsRemoved, Rows: rl.changeRows, Previous: rl.previous}
		for k, cl := range []string{"U", "S", "M", "X"} {
			d.Changes.Classes[k] = ch.Classes[cl]
		}
		class := changeClasses(rl.changeRows)
		for gi := range d.Grids {
			d.Grids[gi].Change = class[d.Grids[gi].Code]
		}
	}
	return d
}

// changeClasses gives each new grid of changes.csv's rows a class for the
// change map: U if it is an earlier grid kept, else S or M if it comes of
// a split or a merge, else X (redrawn, or new).
func changeClasses(rows []report.ChangeRow) map[string]string {
	rank := map[string]int{"U": 4, "S": 3, "M": 2, "X": 1}
	class := map[string]string{}
	for _, r := range rows {
		for _, code := range r.New {
			if rank[r.Class] > rank[class[code]] {
				class[code] = r.Class
			}
		}
	}
	return class
}

// appendNew appends s to list unless it holds it.
func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// coverageText says how the grids tile the communities.
func coverageText(c CoverageStats) string {
	if c.OK {
		return fmt.Sprintf("无缝无重叠 seamless: gap %.2f m², overlap %.2f m² (tolerance %.2f m²)", c.GapM2, c.OverlapM2, c.ToleranceM2)
	}
	return fmt.Sprintf("未通过 FAILED: gap %.2f m², overlap %.2f m², %d buildings outside their grid", c.GapM2, c.OverlapM2, c.BuildingsOutside)
}

// warningLines summarises input warnings: one line per kind, with its
// count and the first note.
func warningLines(ws []geo.Warning) []string {
	var kinds []string
	n := map[string]int{}
	first := map[string]geo.Warning{}
	for _, w := range ws {
		if n[w.Kind] == 0 {
			kinds = append(kinds, w.Kind)
			first[w.Kind] = w
		}
		n[w.Kind]++
	}
	lines := make([]string, len(kinds))
	for i, k := range kinds {
		w := first[k]
		lines[i] = fmt.Sprintf("%s: %d (e.g. %s", k, n[k], w.File)
		if w.ID != "" {
			lines[i] += fmt.Sprintf(" feature %q", w.ID)
		}
		lines[i] += ": " + w.Note + ")"
	}
	return lines
}
