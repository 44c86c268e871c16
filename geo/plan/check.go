package plan

import (
	"context"
	"fmt"
	"gridplan/geo/format"
	"io"
	"math"

	"gridplan/geo"
	"gridplan/geo/audit"
	"gridplan/partition"
)

// podiumStraddles marks as not fixable by redrawing the straddling
// footprints that hold smaller buildings of other grids (geo.Stacked: a
// podium under towers, a parcel drawn as a building): no grid can hold the
// footprint whole while the buildings standing in it are in different
// grids, and partition draws such a footprint as a point when it and
// the buildings in it weigh more than max together (wholeContainers).
func podiumStraddles(a *audit.AuditReport, bs []geo.Building) {
	index := make(map[string]int, len(bs))
	for i, b := range bs {
		index[b.ID] = i
	}
	var holds [][]int
	type list struct {
		first *int
		n     int
	}
	gridsOf := map[list]int{} // by list of holds (shared by copies of a footprint): the grids of its buildings
	for k := range a.Findings {
		f := &a.Findings[k]
		if f.Kind != audit.FindingStraddlingBuilding || !f.Fixable || len(f.Buildings) != 1 {
			continue
		}
		if holds == nil {
			_, holds = geo.Stacked(bs)
		}
		i := index[f.Buildings[0]]
		if len(holds[i]) == 0 {
			continue
		}
		key := list{&holds[i][0], len(holds[i])}
		n, ok := gridsOf[key]
		if !ok {
			grids := map[int]bool{}
			for _, j := range holds[i] {
				if h := a.Home[j]; h >= 0 {
					grids[h] = true
				}
			}
			n = len(grids)
			gridsOf[key] = n
		}
		if n >= 2 {
			f.Fixable, f.Reason = false, audit.ReasonContainerFootprint
			f.Detail += fmt.Sprintf("; cannot be fixed by redrawing: it holds %d smaller buildings of %d grids (a podium or a parcel?)", len(holds[i]), n)
		}
	}
}

// CheckReport is findings.json.
type CheckReport struct {
	Input    CheckInput    `json:"input"`
	Settings CheckSettings `json:"settings"`
	Totals   CheckTotals   `json:"totals"`
	// Findings are ordered by kind (as in the summary), then grid code and
	// building id.
	Findings  []audit.Finding   `json:"findings"`
	Grids     []audit.GridAudit `json:"grids"`
	Warnings  []geo.Warning     `json:"warnings"`
	RunTimeMS int64             `json:"run_time_ms"`

	out   Coordinates
	layer format.WriteOptions
	// report is what Report draws; nil with CheckOptions.NoReport.
	report *checkLayers
}

type CheckInput struct {
	Grids       string `json:"grids"`
	Buildings   string `json:"buildings"`
	Communities string `json:"communities,omitempty"`
	Households  string `json:"households,omitempty"`
}

type CheckSettings struct {
	Min        int     `json:"min"`
	Max        int     `json:"max"`
	ShopWeight float64 `json:"shop_weight"`
	StraddleM2 float64 `json:"straddle_tolerance_m2"`
}

type CheckTotals struct {
	Grids       int `json:"grids"`
	Buildings   int `json:"buildings"`
	Households  int `json:"households"`
	Communities int `json:"communities"`
	Findings    int `json:"findings"`
	// MustFix counts findings that a redrawing can remove; CannotFix
	// those no redrawing can (their reason says why).
	MustFix   int            `json:"must_fix"`
	CannotFix int            `json:"cannot_fix"`
	ByKind    map[string]int `json:"by_kind"`
}

// proveUnfixable settles, for the communities with out-of-band grids that
// the audit could not prove unavoidable, whether any plan could put every
// grid in band: it runs partition's search on those communities' buildings
// and marks the findings of each community with a proven diagnosis (a unit
// no grid in band can hold, cut-off pieces, an exhaustive search) as not
// fixable by redrawing, with partition's reason.
func proveUnfixable(ctx context.Context, findings []audit.Finding, bs []geo.Building, communities []geo.Region, min, max int, shopWeight float64) error {
	open := map[string]bool{}
	for _, f := range findings {
		if f.Kind == audit.FindingOutOfBand && f.Fixable {
			open[f.Community] = true
		}
	}
	if len(open) == 0 {
		return nil
	}
	var sub []geo.Building
	for _, b := range bs {
		if open[b.Community] {
			sub = append(sub, b)
		}
	}
	var regions []geo.Region
	for _, r := range communities {
		if open[r.ID] {
			regions = append(regions, r)
		}
	}
	if len(sub) == 0 {
		return nil
	}
	d, err := newDistrict(ctx, sub, geo.NewProjection(geo.CenterOf(sub)), atomOptions{max: max, shopWeight: shopWeight, communities: regions})
	if err != nil {
		return err
	}
	if err := begin(ctx, phaseSearch); err != nil {
		return err
	}
	target := (min + max) / 2
	res, err := partition.Solve(ctx, d.problem, &partition.Settings{Min: min, Target: target, Max: max, Seed: 1,
		Progress: progressOf(ctx).communities(phaseSearch)})
	if err != nil {
		return err
	}
	proven := map[string]string{}
	for _, dg := range res.Diagnoses {
		if dg.Proven && proven[d.communities[dg.Community]] == "" {
			proven[d.communities[dg.Community]] = string(dg.Reason)
		}
	}
	for i := range findings {
		f := &findings[i]
		if reason := proven[f.Community]; f.Kind == audit.FindingOutOfBand && f.Fixable && reason != "" {
			f.Fixable, f.Reason = false, reason
			f.Detail += fmt.Sprintf("; cannot be fixed by redrawing: %s (proven for community %s by partition's search)", reason, f.Community)
		}
	}
	return nil
}

// CheckOptions are the settings of an audit.
type CheckOptions struct {
	Min, Max   int     // the band
	ShopWeight float64 // households each shop counts for in the band
	// StraddleM2 is the area of a footprint outside the grid holding the
	// rest below which it does not straddle.
	StraddleM2 float64

	Fields            geo.Fields // property names of the buildings layer
	RegionIDField     string     // id property of the communities layer
	CodeField         string     // code property of the grid layer
	SliverToleranceM2 float64    // as [Options.SliverToleranceM2]
	SnapM             float64    // as [Options.SnapM]
	// Outside, if geo.OutsideSkip or geo.OutsideNearest, treats the
	// buildings farther than SnapM outside every community (or the one
	// they name) as partition --outside does: left out of the audit, or
	// joined to the nearest community, extended to hold them; each with a
	// warning. Otherwise (geo.OutsideError) a grid must hold them where
	// they are.
	Outside geo.Outside

	// Out and Layer say how the findings layer is written, as
	// [Options.Out] and [Options.Layer] say for the grid layer.
	Out   Coordinates
	Layer format.WriteOptions

	// NoReport skips what only report.html needs ([CheckReport.Report]):
	// the grids, communities and buildings drawn as the audit ends.
	// Report then returns ErrNoReport.
	NoReport bool

	// Warnings, if not nil, receives the input warnings once loading has
	// found them all, before the audit.
	Warnings func([]geo.Warning)
	// Progress, if not nil, is told how far the audit has got, as
	// [Options.Progress] is.
	Progress func(Progress)
}

// CheckLayers are the layers an audit reads; Grids and Buildings are
// required.
type CheckLayers struct {
	Grids, Buildings, Communities Source
	Households                    string // a census update's counts (CSV), or ""
}

// Check audits an existing grid layer against the rules (SPEC §4): every
// violation is a finding, and each says whether redrawing can fix it.
func Check(ctx context.Context, ls CheckLayers, o *CheckOptions) (*CheckReport, error) {
	rep := &CheckReport{
		Input:    CheckInput{Grids: ls.Grids.Name, Buildings: ls.Buildings.Name, Communities: ls.Communities.Name},
		Settings: CheckSettings{Min: o.Min, Max: o.Max, ShopWeight: o.ShopWeight, StraddleM2: o.StraddleM2},
		out:      o.Out, layer: o.Layer,
	}
	type loaded struct {
		bs []geo.Building
		ws []geo.Warning
	}
	ctx = withProgress(ctx, o.Progress)
	if err := begin(ctx, phaseBuildings); err != nil {
		return nil, err
	}
	l, err := read(ctx, phaseBuildings, ls.Buildings, func(name string, r io.Reader) (loaded, error) {
		bs, ws, err := geo.LoadBuildingsContext(ctx, name, r, o.Fields)
		return loaded{bs, ws}, err
	})
	if err != nil {
		return nil, err
	}
	bs, warnings := l.bs, l.ws
	if f := ls.Households; f != "" {
		// Counts of a census update, as repartition reads them.
		rep.Input.Households = f
		table, err := LoadHouseholds(ctx, f, o.Fields)
		if table == nil {
			return nil, err
		}
		// Bad rows are reported by Apply, with the ids no building has.
		warnings = append(warnings, table.Warnings()...)
		if err := table.Apply(bs); err != nil {
			return nil, err
		}
		if err := checkCounts(ls.Buildings.Name, bs); err != nil {
			return nil, err
		}
	}
	var communities []geo.Region
	if ls.Communities.present() {
		if err := begin(ctx, phaseCommunities); err != nil {
			return nil, err
		}
		// As partition, where --outside says the plan was made so.
		as := o.Outside == geo.OutsideSkip || o.Outside == geo.OutsideNearest
		rs, ws, out, err := loadCommunities(ctx, ls.Communities, ls.Buildings.Name, bs, &Options{RegionIDField: o.RegionIDField, SliverToleranceM2: o.SliverToleranceM2, SnapM: o.SnapM, Outside: o.Outside, audit: !as})
		if err != nil {
			return nil, err
		}
		warnings = append(warnings, ws...)
		var skipped []geo.OutsideBuilding
		for _, b := range out {
			if !b.Joined {
				skipped = append(skipped, b)
			}
		}
		if as && len(skipped) < len(out) {
			// Communities extended to hold the buildings joined to them.
			if rs, ws, err = geo.ExtendCommunities(ls.Communities.Name, bs, rs, out); err != nil {
				return nil, err
			}
			warnings = append(warnings, ws...)
		}
		if o.Outside == geo.OutsideSkip {
			bs, _ = skipOutside(bs, skipped)
		}
		communities = rs
	}
	if err := begin(ctx, phaseGrids); err != nil {
		return nil, err
	}
	grids, err := read(ctx, phaseGrids, ls.Grids, func(name string, r io.Reader) ([]geo.Grid, error) {
		return geo.LoadGridsAudit(name, r, o.CodeField)
	})
	if err != nil {
		return nil, err
	}
	warnings = append(sourceWarnings(ls.Buildings, ls.Communities, ls.Grids), warnings...)
	if o.Warnings != nil {
		o.Warnings(warnings)
	}
	if err := begin(ctx, phaseAudit); err != nil {
		return nil, err
	}
	a := audit.Audit(bs, grids, communities, &audit.AuditSettings{Min: o.Min, Max: o.Max, ShopWeight: o.ShopWeight, StraddleM2: o.StraddleM2,
		BendM: max(bendM(ls.Grids, ls.Buildings, ls.Communities), roundingM(grids)), Progress: progressOf(ctx).audit()})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := proveUnfixable(ctx, a.Findings, bs, communities, o.Min, o.Max, o.ShopWeight); err != nil {
		return nil, err
	}
	podiumStraddles(a, bs)
	if ws := communityMismatch(ls.Grids.Name, grids, a.Grids); len(ws) > 0 {
		warnings = append(warnings, ws...)
		if o.Warnings != nil {
			o.Warnings(ws)
		}
	}
	if !o.NoReport {
		rep.report = newCheckLayers(a, grids, bs, communities)
	}
	rep.Findings, rep.Grids, rep.Warnings = a.Findings, a.Grids, warnings
	if rep.Findings == nil {
		rep.Findings = []audit.Finding{}
	}
	if rep.Warnings == nil {
		rep.Warnings = []geo.Warning{}
	}
	names := map[string]bool{}
	for _, b := range bs {
		names[b.Community] = true
	}
	t := &rep.Totals
	t.Grids, t.Buildings, t.Households, t.Communities = len(grids), len(bs), a.Households, len(names)
	if len(communities) > 0 {
		t.Communities = len(communities)
	}
	t.ByKind = map[string]int{}
	for _, f := range rep.Findings {
		t.Findings++
		t.ByKind[f.Kind]++
		if f.Fixable {
			t.MustFix++
		} else {
			t.CannotFix++
		}
	}
	return rep, nil
}

// JSON returns findings.json.
func (r *CheckReport) JSON() []byte { return marshalJSON(r) }

// FindingsLayer returns the findings layer: findings.geojson, or the files
// of findings.shp or findings.gpkg as CheckOptions.Layer asks, holding the
// findings that have a problem area in CheckOptions.Out's coordinates.
func (r *CheckReport) FindingsLayer() ([]Output, error) {
	return findingsLayer(r.Findings, &r.out, r.layer)
}

// roundingM is half the step of the coordinates of grids, in metres, if
// all of them are rounded to 7 decimals of a degree or fewer (about a
// centimetre, as RFC 7946 output and many exports write them), else 0:
// a grid layer rounded so is taken to meet the layers it was drawn on to
// that much.
func roundingM(grids []geo.Grid) float64 {
	const step = 1e-7 // degrees
	any := false
	for _, g := range grids {
		for _, p := range g.Raw {
			for _, r := range p {
				for _, v := range r {
					for _, x := range v {
						if d := x/step - math.Round(x/step); math.Abs(d) > 1e-3 {
							return 0
						}
						any = true
					}
				}
			}
		}
	}
	if !any {
		return 0
	}
	return step / 2 * 111320
}

// communityMismatch warns of the grids whose community property (what the
// layer says, and systems downstream read) is not the community the audit
// finds them in (the communities layer's holding most of them, else their
// buildings'); the findings name the latter. Nothing where the layer gives
// no grid a community property. Where none matches, the layer likely
// names communities otherwise (by name, not id): one warning says so.
func communityMismatch(file string, grids []geo.Grid, table []audit.GridAudit) []geo.Warning {
	var ws []geo.Warning
	var first string // the first mismatch, for a layer that matches nowhere
	given, matched := 0, 0
	for k, g := range grids {
		if g.Community != "" {
			given++
		}
		want := table[k].Community
		if want == "" || g.Community == want {
			matched++
			continue
		}
		have := fmt.Sprintf("is %q", g.Community)
		if g.Community == "" {
			have = "is blank or absent"
		}
		mismatch := fmt.Sprintf("its community property %s, but it lies in community %q", have, want)
		if first == "" {
			first = fmt.Sprintf("grid %s: %s", g.Code, mismatch)
		}
		ws = append(ws, geo.Warning{File: file, Index: g.Index, ID: g.Code, Kind: "community_property",
			Note: fmt.Sprintf("%s; the findings name %q", mismatch, want)})
	}
	switch {
	case given == 0:
		return nil
	case matched == 0 && len(ws) > 1:
		return []geo.Warning{{File: file, Index: -1, Kind: "community_property", Note: fmt.Sprintf(
			"no grid's community property is the community it lies in (%s): does the layer name communities otherwise (by name, not id)? The findings name the communities' ids", first)}}
	}
	return ws
}
