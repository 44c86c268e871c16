package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"gridplan/cmd/gridplan/internal/outset"
	"gridplan/cmd/gridplan/internal/progress"
	"gridplan/geo"
	"gridplan/geo/audit"
	"gridplan/geo/plan"

	"github.com/urfave/cli/v2"
)

const checkExitStatusHelp = `EXIT STATUS:
   0    the layer keeps every rule: nothing found
   1    violations found (reported on stdout and, with --out, written)
   2    bad usage, bad input, I/O failure or --out being written by another run;
        nothing partial is written, the earlier output is left as it was
   130  interrupted by SIGINT or SIGTERM; the earlier output is left as it was`

func checkCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "audit an existing grid layer against the rules",
		UsageText: "gridplan check --grids FILE --buildings FILE [--households CSV] [--communities FILE] [--out DIR] [--json]",
		Description: "Reads a grid layer (polygons with a code property, drawn by hand or by any tool;\n" +
			"GeoJSON, Shapefile or GeoPackage in any system partition reads), the buildings and\n" +
			"optionally the communities, and reports every violation:\n" +
			"   bad_code             a grid whose code is blank, absent or another grid's\n" +
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
			"With --out, findings.json (the full report) and the findings layer (the problem areas:\n" +
			"gaps, overlaps, straddling footprints, out-of-band grids, ...; findings.geojson, .shp\n" +
			"or .gpkg in the grid layer's format and system) are written there,\n" +
			"replacing the directory as a whole (it may hold no other files nor an input).\n\n" +
			checkExitStatusHelp,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "grids", Usage: "grid layer `FILE` to audit (GeoJSON, Shapefile or GeoPackage; polygons with a code); the findings layer is written in its format and coordinate system"},
			&cli.StringFlag{Name: "buildings", Usage: "buildings `FILE` (as for partition)"},
			&cli.StringFlag{Name: "communities", Usage: "community polygons from `FILE`; without it gaps are holes between grids and crossing is not checked"},
			&cli.StringFlag{Name: "out", Usage: "write findings.json and the findings layer (findings.geojson, .shp or .gpkg) to `DIR`, replaced as a whole when the run succeeds: it must be new, empty or hold only these files"},
			&cli.BoolFlag{Name: "json", Usage: "print the full report (findings.json) to stdout instead of the summary"},
			&cli.BoolFlag{Name: "no-report", Usage: "do not write report.html with --out (batch jobs)"},
			&cli.StringFlag{Name: "code-field", Value: "code", Usage: "grid code property `NAME` of the grid layer"},
			&cli.StringFlag{Name: "households", Usage: "household counts from `CSV` (rows id,households, as for repartition), overriding the buildings file"},
			&cli.Float64Flag{Name: "straddle-tolerance", Value: audit.DefaultStraddleM2, Usage: "a footprint with up to `M2` square metres outside the grid holding the rest is not straddling (grid lines are drawn to about a metre)"},
			&cli.StringFlag{Name: "outside", Value: "audit", Usage: "buildings farther than --snap outside every community: `MODE` audit (a grid must hold each where it is), or skip or nearest, as the plan was made with partition --outside"},
		}, append(append(append(bandFlags(), communityFlags()...), fieldFlags()...), layerFlags()...)...),
		Action: runCheck,
	}
}

func runCheck(c *cli.Context) error {
	start := time.Now()
	if c.NArg() > 0 {
		return fmt.Errorf("check takes no arguments, got %q (see --help)", c.Args().First())
	}
	if err := requireFlags(c, "grids", "buildings"); err != nil {
		return err
	}
	o := &plan.CheckOptions{
		Min: c.Int("min"), Max: c.Int("max"), ShopWeight: c.Float64("shop-weight"), StraddleM2: c.Float64("straddle-tolerance"),
		Fields: fieldsFrom(c), RegionIDField: c.String("region-id-field"), CodeField: c.String("code-field"),
		SliverToleranceM2: c.Float64("sliver-tolerance"), SnapM: c.Float64("snap"),
		NoReport: c.Bool("no-report") || c.String("out") == "",
	}
	if o.Min <= 0 || o.Min > o.Max {
		return fmt.Errorf("band: need 0 < --min <= --max, have %d, %d", o.Min, o.Max)
	}
	if err := nonNegative(c, "shop-weight", "snap", "sliver-tolerance", "straddle-tolerance"); err != nil {
		return err
	}
	if m := c.String("outside"); m != "audit" {
		var ok bool
		if o.Outside, ok = geo.ParseOutside(m); !ok || o.Outside == geo.OutsideError {
			return fmt.Errorf("--outside must be audit, skip or nearest, have %q", m)
		}
	}
	var out *outset.Set
	if dir := c.String("out"); dir != "" {
		var err error
		if out, err = openOut(c, checkFiles, "grids", "buildings", "communities", "households"); err != nil {
			return err
		}
		defer out.Close()
	}
	stderr := c.App.ErrWriter
	o.Warnings = func(ws []geo.Warning) { printWarnings(stderr, ws, "findings.json") }
	o.Progress = meter(c).Func()
	lio, err := newLayerIO(c, c.String("grids"))
	if err != nil {
		return refused(c.App.Writer, c.Bool("json"), err)
	}
	o.Out, o.Layer = lio.Out, lio.Layer
	var layers plan.CheckLayers
	for _, f := range []struct {
		src  *plan.Source
		name string
		keep bool
	}{{&layers.Grids, c.String("grids"), true}, {&layers.Buildings, c.String("buildings"), false}, {&layers.Communities, c.String("communities"), true}} {
		if f.name == "" {
			continue
		}
		if *f.src, err = lio.Source(c.Context, f.name, f.keep); err != nil {
			return refused(c.App.Writer, c.Bool("json"), err)
		}
	}
	if err := lio.Unused(); err != nil {
		return refused(c.App.Writer, c.Bool("json"), err)
	}
	layers.Households = c.String("households")
	rep, err := plan.Check(c.Context, layers, o)
	if err != nil {
		return refused(c.App.Writer, c.Bool("json"), lio.Explain(err))
	}
	rep.RunTimeMS = time.Since(start).Milliseconds()
	reportJSON := rep.JSON()
	var paths []string
	if out != nil {
		meter(c).Begin(progress.Encoding)
		out.Add("findings.json", reportJSON)
		fs, err := rep.FindingsLayer()
		if err != nil {
			return err
		}
		for _, f := range fs {
			out.Add(f.Name, f.Data)
		}
		if !c.Bool("no-report") {
			report, err := rep.Report()
			if err != nil {
				return err
			}
			out.Add("report.html", report)
		}
		out.Progress = meter(c).Counter(progress.Writing, "bytes")
		if paths, err = out.Commit(c.Context); err != nil {
			return err
		}
	}
	if c.Bool("json") {
		writeJSON(c.App.Writer, reportJSON)
	} else {
		printCheckSummary(c.App.Writer, rep, paths)
	}
	if t := &rep.Totals; t.Findings > 0 {
		return &violationsError{fmt.Sprintf("check found %d violations (%d must be fixed, %d cannot be fixed by redrawing)",
			t.Findings, t.MustFix, t.CannotFix)}
	}
	return nil
}

// violationsError is errViolations (exit status 1) with check's own message.
type violationsError struct{ msg string }

func (e *violationsError) Error() string        { return e.msg }
func (e *violationsError) Is(target error) bool { return target == errViolations }

// printCheckSummary writes the human summary of an audit: counts per kind
// in report order (geometry, coverage, rules), then the findings, worst
// first, up to a limit.
func printCheckSummary(w io.Writer, r *plan.CheckReport, paths []string) {
	t := &r.Totals
	fmt.Fprintf(w, "checked %d grids: %d buildings, %d households, %d communities; band [%d, %d]\n",
		t.Grids, t.Buildings, t.Households, t.Communities, r.Settings.Min, r.Settings.Max)
	if t.Findings == 0 {
		fmt.Fprintln(w, "no violations found")
	} else {
		fmt.Fprintf(w, "%d violations: %d must be fixed, %d cannot be fixed by redrawing\n\n", t.Findings, t.MustFix, t.CannotFix)
		fmt.Fprintf(w, "  %-20s %8s %10s\n", "kind", "must fix", "cannot fix")
		for _, k := range audit.FindingKinds {
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
		slices.SortStableFunc(list, func(x, y audit.Finding) int {
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
			fmt.Fprintf(w, "  %-20s %s\n", f.Kind, oneLine(f.Detail))
		}
	}
	if len(paths) > 0 {
		fmt.Fprintf(w, "\nwritten: %s\n", strings.Join(paths, ", "))
	}
}
