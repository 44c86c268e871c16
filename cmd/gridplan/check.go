package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"gridplan/geo"
	"gridplan/partition"

	"github.com/paulmach/orb/geojson"
	"github.com/urfave/cli/v2"
)

const checkExitStatusHelp = `EXIT STATUS:
   0    the layer keeps every rule: nothing found
   1    violations found (reported on stdout and, with --out, written)
   2    bad usage, bad input or I/O failure; nothing partial is written
   130  interrupted by SIGINT or SIGTERM`

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "audit an existing grid layer against the rules",
		UsageText: "gridplan check --grids FILE --buildings FILE [--households CSV] [--communities FILE] [--out DIR] [--json]",
		Description: "Reads a grid layer (GeoJSON polygons with a code property, drawn by hand or by any\n" +
			"tool), the buildings and optionally the communities, and reports every violation:\n" +
			"   invalid_geometry     a grid polygon that self-intersects, has an unclosed ring or\n" +
			"                        wrongly nested rings (reported per grid; the run goes on)\n" +
			"   outside_communities  a grid in no community\n" +
			"   crosses_community    part of a grid beyond its community's outline\n" +
			"   overlap              an area covered by two grids, with the buildings in it\n" +
			"   gap                  an area of a community covered by no grid, with the buildings\n" +
			"   uncovered_building   a building in no grid\n" +
			"   straddling_building  a footprint no single grid holds (counted in its larger share)\n" +
			"   split_compound       a compound of at most --max households in several grids\n" +
			"   multipart            a grid in several pieces\n" +
			"   out_of_band          a grid with fewer than --min or more than --max households\n" +
			"Each finding says whether redrawing can fix it (fixable) or why not: a community\n" +
			"total with no whole number of grids in the band (community_too_small, band_gap), a\n" +
			"building above --max (oversized_building), or a footprint holding smaller buildings\n" +
			"of several grids (container_footprint: a podium under towers). Areas below the rounding of the\n" +
			"coordinates and of the overlay (about 0.1 mm of width) are not findings.\n\n" +
			"stdout gets a summary (counts per kind, worst first), or the full report with --json.\n" +
			"With --out, findings.json (the full report) and findings.geojson (the problem areas:\n" +
			"gaps, overlaps, straddling footprints, out-of-band grids, ...) are written there.\n\n" +
			checkExitStatusHelp,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "grids", Usage: "grid layer `FILE` to audit (GeoJSON Polygon/MultiPolygon features with a code)"},
			&cli.StringFlag{Name: "buildings", Usage: "buildings `FILE` (GeoJSON, as for partition)"},
			&cli.StringFlag{Name: "communities", Usage: "community polygons from `FILE`; without it gaps are holes between grids and crossing is not checked"},
			&cli.StringFlag{Name: "out", Usage: "write findings.json and findings.geojson to `DIR` (created if missing)"},
			&cli.BoolFlag{Name: "json", Usage: "print the full report (findings.json) to stdout instead of the summary"},
			&cli.StringFlag{Name: "code-field", Value: "code", Usage: "grid code property `NAME` of the grid layer"},
			&cli.StringFlag{Name: "households", Usage: "household counts from `CSV` (rows id,households, as for repartition), overriding the buildings file"},
			&cli.Float64Flag{Name: "straddle-tolerance", Value: geo.DefaultStraddleM2, Usage: "a footprint with up to `M2` square metres outside the grid holding the rest is not straddling (grid lines are drawn to about a metre)"},
		}, append(append(bandFlags(), communityFlags()...), fieldFlags()...)...),
		Action: runCheck,
	}
}

// podiumStraddles marks as not fixable by redrawing the straddling
// footprints that hold smaller buildings of other grids (geo.Stacked: a
// podium under towers, a parcel drawn as a building): no grid can hold the
// footprint whole while the buildings standing in it are in different
// grids, and partition draws such a footprint as a point.
func podiumStraddles(a *geo.AuditReport, bs []geo.Building) {
	index := make(map[string]int, len(bs))
	for i, b := range bs {
		index[b.ID] = i
	}
	var holds [][]int
	for k := range a.Findings {
		f := &a.Findings[k]
		if f.Kind != geo.FindingStraddlingBuilding || !f.Fixable || len(f.Buildings) != 1 {
			continue
		}
		if holds == nil {
			_, holds = geo.Stacked(bs)
		}
		i := index[f.Buildings[0]]
		grids := map[int]bool{}
		for _, j := range holds[i] {
			if h := a.Home[j]; h >= 0 {
				grids[h] = true
			}
		}
		if len(grids) >= 2 {
			f.Fixable, f.Reason = false, "container_footprint"
			f.Detail += fmt.Sprintf("; cannot be fixed by redrawing: it holds %d smaller buildings of %d grids (a podium or a parcel?)", len(holds[i]), len(grids))
		}
	}
}

// checkReport is findings.json.
type checkReport struct {
	Input    checkInput    `json:"input"`
	Settings checkSettings `json:"settings"`
	Totals   checkTotals   `json:"totals"`
	// Findings are ordered by kind (as in the summary), then grid code and
	// building id.
	Findings  []geo.Finding   `json:"findings"`
	Grids     []geo.GridAudit `json:"grids"`
	Warnings  []geo.Warning   `json:"warnings"`
	RunTimeMS int64           `json:"run_time_ms"`
}

type checkInput struct {
	Grids       string `json:"grids"`
	Buildings   string `json:"buildings"`
	Communities string `json:"communities,omitempty"`
	Households  string `json:"households,omitempty"`
}

type checkSettings struct {
	Min        int     `json:"min"`
	Max        int     `json:"max"`
	ShopWeight float64 `json:"shop_weight"`
	StraddleM2 float64 `json:"straddle_tolerance_m2"`
}

type checkTotals struct {
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

func runCheck(c *cli.Context) error {
	start := time.Now()
	if c.NArg() > 0 {
		return fmt.Errorf("check takes no arguments, got %q (see --help)", c.Args().First())
	}
	if err := requireFlags(c, "grids", "buildings"); err != nil {
		return err
	}
	min, max := c.Int("min"), c.Int("max")
	if min <= 0 || min > max {
		return fmt.Errorf("band: need 0 < --min <= --max, have %d, %d", min, max)
	}
	if c.Float64("shop-weight") < 0 {
		return fmt.Errorf("--shop-weight must not be negative")
	}
	var out *outputDir
	if dir := c.String("out"); dir != "" {
		var err error
		if out, err = openOutputDir(dir); err != nil {
			return err
		}
	}
	stderr := c.App.ErrWriter
	rep := &checkReport{
		Input:    checkInput{Grids: c.String("grids"), Buildings: c.String("buildings"), Communities: c.String("communities")},
		Settings: checkSettings{Min: min, Max: max, ShopWeight: c.Float64("shop-weight"), StraddleM2: c.Float64("straddle-tolerance")},
	}

	fields := fieldsFrom(c)
	type loaded struct {
		bs []geo.Building
		ws []geo.Warning
	}
	l, err := read(fileInput(rep.Input.Buildings), func(name string, r io.Reader) (loaded, error) {
		bs, ws, err := geo.LoadBuildings(name, r, fields)
		return loaded{bs, ws}, err
	})
	if err != nil {
		return err
	}
	bs, warnings := l.bs, l.ws
	if f := c.String("households"); f != "" {
		// Counts of a census update, as repartition reads them.
		rep.Input.Households = f
		table, err := loadHouseholds(f)
		if err != nil {
			return err
		}
		if err := table.apply(bs); err != nil {
			return err
		}
	}
	var communities []geo.Region
	if f := rep.Input.Communities; f != "" {
		type regions struct {
			rs []geo.Region
			ws []geo.Warning
		}
		rl, err := read(fileInput(f), func(name string, r io.Reader) (regions, error) {
			rs, ws, err := geo.LoadRegions(name, r, c.String("region-id-field"))
			return regions{rs, ws}, err
		})
		if err != nil {
			return err
		}
		rs, ws, err := geo.ResolveCommunities(f, rl.rs, c.Float64("sliver-tolerance"))
		if err != nil {
			return err
		}
		warnings = append(append(warnings, rl.ws...), ws...)
		if ws, err = geo.AssignCommunities(rep.Input.Buildings, bs, rs, c.Float64("snap")); err != nil {
			return err
		}
		warnings = append(warnings, ws...)
		communities = rs
	}
	grids, err := read(fileInput(rep.Input.Grids), func(name string, r io.Reader) ([]geo.Grid, error) {
		return geo.LoadGrids(name, r, c.String("code-field"))
	})
	if err != nil {
		return err
	}
	printWarnings(stderr, warnings, "findings.json")
	if err := c.Context.Err(); err != nil {
		return err
	}

	a := geo.Audit(bs, grids, communities, &geo.AuditSettings{Min: min, Max: max, ShopWeight: rep.Settings.ShopWeight, StraddleM2: rep.Settings.StraddleM2})
	if err := c.Context.Err(); err != nil {
		return err
	}
	if err := proveUnfixable(a.Findings, bs, communities, min, max, rep.Settings.ShopWeight); err != nil {
		return err
	}
	podiumStraddles(a, bs)
	rep.Findings, rep.Grids, rep.Warnings = a.Findings, a.Grids, warnings
	if rep.Findings == nil {
		rep.Findings = []geo.Finding{}
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
	rep.RunTimeMS = time.Since(start).Milliseconds()
	reportJSON := marshalJSON(rep)
	var paths []string
	if out != nil {
		out.add("findings.json", reportJSON)
		out.add("findings.geojson", findingsGeoJSON(rep.Findings))
		if paths, err = out.commit(); err != nil {
			return err
		}
	}
	if c.Bool("json") {
		c.App.Writer.Write(reportJSON)
	} else {
		printCheckSummary(c.App.Writer, rep, paths)
	}
	if t.Findings > 0 {
		return &violationsError{fmt.Sprintf("check found %d violations (%d must be fixed, %d cannot be fixed by redrawing)",
			t.Findings, t.MustFix, t.CannotFix)}
	}
	return nil
}

// violationsError is errViolations (exit status 1) with check's own message.
type violationsError struct{ msg string }

func (e *violationsError) Error() string        { return e.msg }
func (e *violationsError) Is(target error) bool { return target == errViolations }

// findingsGeoJSON renders the findings that have a problem area as
// features, one per line, in the input's longitude/latitude.
func findingsGeoJSON(fs []geo.Finding) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	n := 0
	for _, f := range fs {
		if f.Area == nil {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		props := map[string]any{
			"kind": f.Kind, "grids": strings.Join(f.Grids, ","), "buildings": len(f.Buildings),
			"fixable": f.Fixable, "detail": f.Detail,
		}
		if f.Community != "" {
			props["community"] = f.Community
		}
		if f.Compound != "" {
			props["compound"] = f.Compound
		}
		if f.Reason != "" {
			props["reason"] = f.Reason
		}
		for k, v := range f.Measured {
			props[k] = v
		}
		feature, err := json.Marshal(map[string]any{"type": "Feature", "properties": props, "geometry": geojson.NewGeometry(f.Area)})
		if err != nil {
			// Only finite numbers and strings are marshalled; an error is a
			// programming error.
			panic(fmt.Sprintf("gridplan: marshal finding: %v", err))
		}
		b.WriteString("\n")
		b.Write(feature)
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}

// printCheckSummary writes the human summary of an audit: counts per kind
// in report order (geometry, coverage, rules), then the findings, worst
// first, up to a limit.
func printCheckSummary(w io.Writer, r *checkReport, paths []string) {
	t := &r.Totals
	fmt.Fprintf(w, "checked %d grids: %d buildings, %d households, %d communities; band [%d, %d]\n",
		t.Grids, t.Buildings, t.Households, t.Communities, r.Settings.Min, r.Settings.Max)
	if t.Findings == 0 {
		fmt.Fprintln(w, "no violations found")
	} else {
		fmt.Fprintf(w, "%d violations: %d must be fixed, %d cannot be fixed by redrawing\n\n", t.Findings, t.MustFix, t.CannotFix)
		fmt.Fprintf(w, "  %-20s %8s %10s\n", "kind", "must fix", "cannot fix")
		for _, k := range geo.FindingKinds {
			if t.ByKind[k] == 0 {
				continue
			}
			must := 0
			for _, f := range r.Findings {
				if f.Kind == k && f.Fixable {
					must++
				}
			}
			fmt.Fprintf(w, "  %-20s %8d %10d\n", k, must, t.ByKind[k]-must)
		}
		// Findings to fix first, in report order; those that redrawing
		// cannot fix after them.
		list := slices.Clone(r.Findings)
		slices.SortStableFunc(list, func(x, y geo.Finding) int {
			switch {
			case x.Fixable == y.Fixable:
				return 0
			case x.Fixable:
				return -1
			}
			return 1
		})
		const maxListed = 20
		fmt.Fprintln(w)
		for i, f := range list {
			if i == maxListed {
				fmt.Fprintf(w, "  ... and %d more in findings.json (--out) or --json\n", len(list)-maxListed)
				break
			}
			fmt.Fprintf(w, "  %-20s %s\n", f.Kind, f.Detail)
		}
	}
	if len(paths) > 0 {
		fmt.Fprintf(w, "\nwritten: %s\n", strings.Join(paths, ", "))
	}
}

// proveUnfixable settles, for the communities with out-of-band grids that
// the audit could not prove unavoidable, whether any plan could put every
// grid in band: it runs partition's search on those communities' buildings
// and marks the findings of each community with a proven diagnosis (a unit
// no grid in band can hold, cut-off pieces, an exhaustive search) as not
// fixable by redrawing, with partition's reason.
func proveUnfixable(findings []geo.Finding, bs []geo.Building, communities []geo.Region, min, max int, shopWeight float64) error {
	open := map[string]bool{}
	for _, f := range findings {
		if f.Kind == geo.FindingOutOfBand && f.Fixable {
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
	d, err := newDistrict(sub, geo.NewProjection(geo.CenterOf(sub)), atomOptions{max: max, shopWeight: shopWeight, communities: regions})
	if err != nil {
		return err
	}
	target := (min + max) / 2
	res, err := partition.Solve(d.problem, &partition.Settings{Min: min, Target: target, Max: max, Seed: 1})
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
		if reason := proven[f.Community]; f.Kind == geo.FindingOutOfBand && f.Fixable && reason != "" {
			f.Fixable, f.Reason = false, reason
			f.Detail += fmt.Sprintf("; cannot be fixed by redrawing: %s (proven for community %s by partition's search)", reason, f.Community)
		}
	}
	return nil
}
