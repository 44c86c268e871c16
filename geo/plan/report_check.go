package plan

import (
	"fmt"
	"slices"
	"sort"

	"gridplan/geo"
	"gridplan/geo/audit"
	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"
	"gridplan/geo/report"
	"gridplan/partition"

	"github.com/paulmach/orb"
)

// checkLayers are what the report of a check draws: the audited layer's
// grids and the communities with their buildings, drawn as the audit
// ends so that the layers can be freed.
type checkLayers struct {
	plane *report.Plane
	// communities are the communities shown: those of the layer, then
	// the other ids that grids or buildings name, sorted.
	communities []report.Community
	// ids are the communities' ids ("" for the buildings and grids of
	// none, shown as noCommunity).
	ids       []string
	grids     []report.Shape // by grid of CheckReport.Grids
	labels    []report.XY
	compounds []int // by grid: compounds with buildings counted in it
}

// checkLayers draws the layers of an audit a of grids, buildings bs and
// communities (nil without a layer).
func newCheckLayers(a *audit.AuditReport, grids []geo.Grid, bs []geo.Building, communities []geo.Region) *checkLayers {
	cl := &checkLayers{plane: report.NewPlane(geo.CenterOf(bs))}
	index := map[string]int{}
	var outlines []orb.MultiPolygon
	names := communityNames(communities)
	for _, r := range communities {
		if _, ok := index[r.ID]; !ok {
			index[r.ID] = len(cl.communities)
			cl.communities = append(cl.communities, report.Community{ID: r.ID, Name: names[r.ID]})
			outlines = append(outlines, r.Geometry)
		}
	}
	// A building without a community property is of its grid's
	// community.
	commOf := make([]string, len(bs))
	for i, b := range bs {
		commOf[i] = b.Community
		if g := a.Home[i]; commOf[i] == "" && g >= 0 {
			commOf[i] = a.Grids[g].Community
		}
	}
	var extra []string
	for _, id := range append(gridCommunities(a.Grids), buildingCommunities(commOf)...) {
		if _, ok := index[id]; !ok {
			index[id] = -1
			extra = append(extra, id)
		}
	}
	sort.Strings(extra)
	for _, id := range extra {
		index[id] = len(cl.communities)
		cl.communities = append(cl.communities, report.Community{ID: id})
		outlines = append(outlines, nil)
	}
	for _, rc := range cl.communities {
		cl.ids = append(cl.ids, rc.ID)
	}
	for c := range cl.communities {
		if cl.ids[c] == "" {
			cl.communities[c].ID = noCommunity
		}
	}
	members := make([][]int, len(cl.communities))
	for i, b := range bs {
		c := index[commOf[i]]
		members[c] = append(members[c], i)
		cl.communities[c].Buildings++
		cl.communities[c].Households += b.Households
	}
	parallel.EachChunk(len(cl.communities), 1, func(c int) {
		rc := &cl.communities[c]
		pen := cl.plane.Pen(nil)
		pen.Draw(outlines[c])
		rc.Outline = pen.Shape()
		byCompound := map[string][]int{}
		var ids []string
		for _, i := range members[c] {
			pen.Draw(bs[i].Geometry)
			if id := bs[i].Compound; id != "" {
				if _, ok := byCompound[id]; !ok {
					ids = append(ids, id)
				}
				byCompound[id] = append(byCompound[id], i)
			}
		}
		rc.Footprints = pen.Shape()
		sort.Strings(ids)
		for _, id := range ids {
			pen.Draw(hullOf(bs, byCompound[id]))
			rc.Compounds = append(rc.Compounds, report.Compound{ID: id, Shape: pen.Shape()})
		}
	})
	cl.grids = make([]report.Shape, len(grids))
	cl.labels = make([]report.XY, len(grids))
	parallel.EachChunk(len(grids), 16, func(g int) {
		mp := grids[g].Geometry
		if mp == nil {
			mp = grids[g].Raw
		}
		pen := cl.plane.Pen(nil)
		pen.Draw(mp)
		cl.grids[g] = pen.Shape()
		if len(mp) > 0 {
			cl.labels[g] = cl.plane.XY(shape.RepresentativePoint(mp))
		}
	})
	cl.compounds = make([]int, len(grids))
	seen := map[[2]string]bool{}
	for i, g := range a.Home {
		if g < 0 || bs[i].Compound == "" {
			continue
		}
		k := [2]string{a.Grids[g].Code, bs[i].Compound}
		if !seen[k] {
			seen[k] = true
			cl.compounds[g]++
		}
	}
	return cl
}

func gridCommunities(gs []audit.GridAudit) []string {
	var ids []string
	for _, g := range gs {
		ids = append(ids, g.Community)
	}
	return ids
}

// buildingCommunities lists the communities of the buildings (commOf, by
// building) once each, in order.
func buildingCommunities(commOf []string) []string {
	seen := map[string]bool{}
	var ids []string
	for _, id := range commOf {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids
}

// noCommunity names, in a check's report, the community of buildings and
// grids that name none.
const noCommunity = "(无社区 no community)"

// Report returns report.html of the audit (SPEC §5): the audited grids
// coloured by households, the histogram, the community table and the
// findings drawn on the layer, each listed with whether redrawing can fix
// it. It returns [ErrNoReport] if [CheckOptions.NoReport] was set.
func (r *CheckReport) Report() ([]byte, error) {
	if r.report == nil {
		return nil, ErrNoReport
	}
	return report.HTML(r.reportData())
}

// reportData assembles the report's Data of the audit.
func (r *CheckReport) reportData() *report.Data {
	cl := r.report
	s := &r.Settings
	d := &report.Data{Command: "check", Checked: true, Title: r.Input.Grids,
		Band: report.Band{Min: s.Min, Target: (s.Min + s.Max) / 2, Max: s.Max}}
	for _, in := range [][2]string{{"grids", r.Input.Grids}, {"buildings", r.Input.Buildings}, {"communities", r.Input.Communities}, {"households", r.Input.Households}} {
		if in[1] != "" {
			d.Inputs = append(d.Inputs, in)
		}
	}
	d.Communities = append([]report.Community(nil), cl.communities...)
	index := map[string]int{}
	for c, id := range cl.ids {
		index[id] = c
	}
	// The reason of each grid out of band that no redrawing can bring
	// into band; the community's reasons.
	oob := map[string]*audit.Finding{}
	for i := range r.Findings {
		f := &r.Findings[i]
		if f.Kind == audit.FindingOutOfBand && len(f.Grids) == 1 {
			oob[f.Grids[0]] = f
		}
	}
	var weights []int
	b := &d.Balance
	d.Grids = make([]report.Grid, len(r.Grids))
	for g, ga := range r.Grids {
		c := index[ga.Community]
		rg := report.Grid{Code: ga.Code, Community: c, Type: "residential", Households: ga.Households, BandHouseholds: ga.BandHouseholds,
			Buildings: ga.Buildings, Compounds: cl.compounds[g], Status: "ok", Shape: cl.grids[g], Label: cl.labels[g]}
		rc := &d.Communities[c]
		rc.Grids++
		b.Grids++
		// The audit's own verdict: it weighs neither dedicated grids nor
		// grids without geometry nor those of communities without
		// households (drawn as empty).
		switch {
		case ga.Dedicated:
			rg.Type = "dedicated"
			b.Dedicated++
			d.Grids[g] = rg
			continue
		case ga.Status == "":
			rg.Type = "empty"
			b.Empty++
			d.Grids[g] = rg
			continue
		}
		rg.Status = ga.Status
		b.Residential++
		rc.Residential++
		weights = append(weights, ga.BandHouseholds)
		f := oob[ga.Code]
		if rg.Status == "ok" {
			b.InBand++
			rc.InBand++
		}
		if f != nil {
			rg.Reason, rg.Detail = f.Reason, f.Detail
			if !f.Fixable {
				rc.Reasons = appendNew(rc.Reasons, f.Reason)
			}
		}
		d.Grids[g] = rg
	}
	// As in partition's statistics, a building above the band's top
	// takes only its own grid out: its community is still feasible when
	// that is its only reason. The feasible grids are the residential
	// grids of feasible communities but those out of band for good.
	for c := range d.Communities {
		rc := &d.Communities[c]
		rc.Feasible = !slices.ContainsFunc(rc.Reasons, func(r string) bool { return r != string(partition.OversizedBuilding) })
	}
	for _, rg := range d.Grids {
		if f := oob[rg.Code]; rg.Type != "residential" || !d.Communities[rg.Community].Feasible || f != nil && !f.Fixable {
			continue
		}
		b.FeasibleGrids++
		if rg.Status == "ok" {
			b.FeasibleInBand++
		}
	}
	dist := distributionOf(weights)
	b.Buildings, b.Households, b.Communities = r.Totals.Buildings, r.Totals.Households, r.Totals.Communities
	b.Min, b.Max, b.Median, b.Mean, b.StdDev = dist.Min, dist.Max, dist.Median, dist.Mean, dist.StdDev
	b.ShareInBand, b.ShareFeasible = share(b.InBand, b.Residential), share(b.FeasibleInBand, b.FeasibleGrids)
	d.Facts = [][2]string{
		{"检查结果 Findings", findingsText(r.Totals)},
	}
	d.Warnings, d.WarningCount = warningLines(r.Warnings), len(r.Warnings)
	d.Findings = make([]report.Finding, len(r.Findings))
	pen := cl.plane.Pen(nil)
	for i, f := range r.Findings {
		pen.Draw(f.Area)
		d.Findings[i] = report.Finding{Kind: f.Kind, Grids: f.Grids, Buildings: f.Buildings, Community: f.Community, Compound: f.Compound,
			Fixable: f.Fixable, Reason: f.Reason, Detail: f.Detail, Area: pen.Shape()}
	}
	return d
}

// findingsText sums up the findings.
func findingsText(t CheckTotals) string {
	if t.Findings == 0 {
		return "无 none"
	}
	return fmt.Sprintf("%d 项 findings: %d 项可通过重绘修复 fixable by redrawing, %d 项无法修复 cannot be fixed", t.Findings, t.MustFix, t.CannotFix)
}
