package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"gridplan/cmd/gridplan/internal/outset"
	"gridplan/cmd/gridplan/internal/progress"
	"gridplan/fixtures"
	"gridplan/geo"
	"gridplan/geo/plan"
	"gridplan/partition"

	"github.com/urfave/cli/v2"
)

func partitionCommand() *cli.Command {
	return &cli.Command{
		Name:      "partition",
		Usage:     "divide the communities of a district into grids",
		UsageText: "gridplan partition [flags] [BUILDINGS]",
		Description: "Reads BUILDINGS, a layer of building footprints (Polygon, MultiPolygon or Point)\n" +
			"with household counts — GeoJSON, Shapefile (.shp) or GeoPackage (.gpkg, a layer named\n" +
			"as FILE.gpkg:LAYER), in WGS 84, CGCS2000 (geographic or Gauss–Krüger), GCJ-02 or BD-09\n" +
			"(see --crs) — and writes to the output directory, in its format and system:\n" +
			"   grids.geojson   the grid polygons (or grids.shp, grids.gpkg; see --format)\n" +
			"   assignment.csv  building_id,grid_code,community for every building\n" +
			"   stats.json      totals, per-community and per-grid balance, reasons for every\n" +
			"                   grid out of the band, input warnings (repairs, stacked buildings)\n" +
			"and a summary on stdout. Every building lands in exactly one grid, grids never cross\n" +
			"communities, compounds with at most --max households stay whole, and every grid is\n" +
			"connected. Grids are in [--min, --max] wherever the search finds such a plan; every\n" +
			"other grid names its reason (community_too_small, band_gap, compound_too_large,\n" +
			"oversized_building, isolated, indivisible_units), and stats.json says whether the\n" +
			"reason is proven or only that no plan in band was found.\n\n" +
			"The output directory is replaced as a whole, in one rename, when the run succeeds;\n" +
			"one holding other files or an input is refused, and so is a second run while\n" +
			"<out>.lock says one is writing it.\n\n" +
			"With no BUILDINGS, runs on the embedded sample district.\n\n" + exitStatusHelp,
		Flags:  append(append(planFlags(), fieldFlags()...), layerFlags()...),
		Action: runPartition,
	}
}

// planFlags are the layer, band, search and output flags shared by the
// commands that write a plan (partition, repartition).
func planFlags() []cli.Flag {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "communities", Usage: "community polygons from `LAYER` (any format, property id); buildings without a community property take the community they lie in"},
		&cli.StringFlag{Name: "compounds", Usage: "compound (小区) polygons from `LAYER` (any format, property id); buildings inside without a compound property inherit its id"},
		&cli.StringFlag{Name: "barriers", Usage: "barrier lines (arterial roads, rivers, railways) from `LAYER` (any format)"},
		&cli.StringFlag{Name: "out", Value: "gridplan-out", Usage: "write results to `DIR`, replaced as a whole when the run succeeds: it must be new, empty or hold only the files partition and repartition write"},
	}
	flags = append(flags, bandFlags()...)
	flags = append(flags,
		&cli.IntFlag{Name: "target", Value: 400, Usage: "households `N` a grid should ideally hold"},
		&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed `N` of the search; equal input and seed give identical output"},
		&cli.Float64Flag{Name: "effort", Value: 1, Usage: "search effort `E`: more tries more plans in hard communities (slower); the output depends on it"},
		&cli.BoolFlag{Name: "json", Usage: "print stats.json to stdout instead of the summary"},
		&cli.BoolFlag{Name: "no-report", Usage: "do not write report.html (batch jobs)"},
		&cli.BoolFlag{Name: "strict", Usage: "exit with status 1 if any grid is out of the band (after writing the plan)"},
		&cli.BoolFlag{Name: "dedicated-grids", Usage: "make each institution a dedicated grid (专属网格) of its own, outside the band"},
		&cli.StringFlag{Name: "code-sep", Value: "", Usage: "separator `SEP` between community code and grid sequence"},
		&cli.IntFlag{Name: "code-width", Value: 3, Usage: "`N` digits of the grid sequence in grid codes"},
		&cli.StringFlag{Name: "code-template", Usage: "lay out grid codes as `TEMPLATE` instead of --code-sep and --code-width: text with {community}, {seq} and {seq:0N} (N digits), e.g. {community}{seq:03} (a 12-digit community code makes GB/T 47678's 15 characters) or {community}-{seq}; without {community} only one community can be planned"},
		&cli.StringFlag{Name: "code-order", Value: "nw", Usage: "number a community's grids in `ORDER` nw (rows from the north, each from the west: CJ/T 349, Beijing, Xi'an) or se (rows from the south, each from the east: GB/T 37149)"},
		&cli.BoolFlag{Name: "csv-bom", Usage: "begin every CSV file written (assignment.csv; changes.csv, moves.csv, outside.csv) with a UTF-8 byte order mark, so that Excel on Chinese Windows opens it as UTF-8, not GBK; off by default, as diff, cut and many scripts take the mark for part of the first field"},
		&cli.StringFlag{Name: "outside", Value: "error", Usage: "buildings farther than --snap outside every community: `MODE` error (refuse the layer, naming them), skip (leave them out of the plan, listed in outside.csv) or nearest (join each to the nearest community, with a warning)"},
	)
	return append(flags, communityFlags()...)
}

// bandFlags are the band flags of every command that weighs grids.
func bandFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "min", Value: 300, Usage: "fewest households `N` in a grid"},
		&cli.IntFlag{Name: "max", Value: 500, Usage: "most households `N` in a grid; a compound of at most N is never split"},
		&cli.Float64Flag{Name: "shop-weight", Value: 0, Usage: "households `H` that each shop counts for in the band (shops are always covered)"},
	}
}

// communityFlags are the repair flags of every command that reads a
// communities layer.
func communityFlags() []cli.Flag {
	return []cli.Flag{
		&cli.Float64Flag{Name: "sliver-tolerance", Value: 50, Usage: "overlaps between communities up to `M2` square metres are repaired (given to the lower-numbered community) with a warning, and so are community and compound outlines whose repair changes their area by no more; larger ones are refused"},
		&cli.Float64Flag{Name: "snap", Value: 5, Usage: "a building up to `M` metres outside every community joins the nearest one with a warning; farther out is an error (partition and repartition: as --outside says)"},
	}
}

// fieldFlags are the property-name flags shared by commands that read buildings.
func fieldFlags() []cli.Flag {
	f := geo.DefaultFields()
	return []cli.Flag{
		&cli.StringFlag{Name: "id-field", Value: f.ID, Usage: "building id property `NAME` (falls back to the feature id)"},
		&cli.StringFlag{Name: "households-field", Value: f.Households, Usage: "household count property `NAME` (e.g. 户数)"},
		&cli.StringFlag{Name: "compound-field", Value: f.Compound, Usage: "compound id property `NAME`"},
		&cli.StringFlag{Name: "community-field", Value: f.Community, Usage: "community id property `NAME`"},
		&cli.StringFlag{Name: "kind-field", Value: f.Kind, Usage: "building kind property `NAME` (residential, bungalow, shop, institution)"},
		&cli.StringFlag{Name: "region-id-field", Value: "id", Usage: "id property `NAME` of the communities and compounds layers"},
	}
}

func fieldsFrom(c *cli.Context) geo.Fields {
	return geo.Fields{
		ID: c.String("id-field"), Households: c.String("households-field"),
		Compound: c.String("compound-field"), Community: c.String("community-field"), Kind: c.String("kind-field"),
	}
}

// planSettings reads and checks the band, search, layer and code flags.
func planSettings(c *cli.Context) (*plan.Options, error) {
	o := &plan.Options{
		Settings:          partition.Settings{Min: c.Int("min"), Target: c.Int("target"), Max: c.Int("max"), Seed: c.Uint64("seed"), Effort: c.Float64("effort")},
		Fields:            fieldsFrom(c),
		RegionIDField:     c.String("region-id-field"),
		SliverToleranceM2: c.Float64("sliver-tolerance"), SnapM: c.Float64("snap"),
		ShopWeight: c.Float64("shop-weight"), DedicatedGrids: c.Bool("dedicated-grids"),
		CodeSep: c.String("code-sep"), CodeWidth: c.Int("code-width"), CSVBOM: c.Bool("csv-bom"),
	}
	o.NoReport = c.Bool("no-report")
	if o.Min <= 0 || o.Min > o.Target || o.Target > o.Max {
		return nil, fmt.Errorf("band: need 0 < --min <= --target <= --max, have %d, %d, %d", o.Min, o.Target, o.Max)
	}
	if e := c.Float64("effort"); e <= 0 || e > 100 {
		return nil, fmt.Errorf("--effort must be in (0, 100], have %g", e)
	}
	if w := o.CodeWidth; w < 1 || w > 9 {
		return nil, fmt.Errorf("--code-width must be between 1 and 9, have %d", w)
	}
	if o.CodeTemplate = c.String("code-template"); o.CodeTemplate != "" {
		for _, f := range []string{"code-sep", "code-width"} {
			if c.IsSet(f) {
				return nil, fmt.Errorf("--code-template and --%s exclude each other: the template lays out the whole code (write the separator and {seq:0N} into it)", f)
			}
		}
		if err := plan.ParseCodeTemplate(o.CodeTemplate); err != nil {
			return nil, fmt.Errorf("--code-template: %w", err)
		}
	}
	switch order := c.String("code-order"); order {
	case "nw":
	case "se":
		o.Order = partition.SouthEast
	default:
		return nil, fmt.Errorf("--code-order must be nw or se, have %q", order)
	}
	outside, ok := geo.ParseOutside(c.String("outside"))
	if !ok {
		return nil, fmt.Errorf("--outside must be error, skip or nearest, have %q", c.String("outside"))
	}
	o.Outside = outside
	if err := nonNegative(c, "shop-weight", "snap", "sliver-tolerance"); err != nil {
		return nil, err
	}
	stderr := c.App.ErrWriter
	o.Warnings = func(ws []geo.Warning) { printWarnings(stderr, ws, "stats.json") }
	o.Progress = meter(c).Func()
	return o, nil
}

// layers opens the optional layers named by the flags, and the buildings
// layer if buildings is not "".
func layers(c *cli.Context, l *plan.LayerIO, buildings string) (plan.Layers, error) {
	var ls plan.Layers
	for _, f := range []struct {
		src  *plan.Source
		name string
		keep bool
	}{{&ls.Buildings, buildings, false}, {&ls.Communities, c.String("communities"), true}, {&ls.Compounds, c.String("compounds"), false}, {&ls.Barriers, c.String("barriers"), false}} {
		if f.name == "" {
			continue
		}
		var err error
		if *f.src, err = l.Source(c.Context, f.name, f.keep); err != nil {
			return ls, err
		}
	}
	return ls, l.Unused()
}

// sample returns the Source of a file of the embedded sample district.
func sample(name string) plan.Source {
	return plan.Source{Name: "sample:" + name, Open: func() (io.ReadCloser, error) {
		data, err := fixtures.Sample.ReadFile("sample/" + name)
		return io.NopCloser(bytes.NewReader(data)), err
	}}
}

func runPartition(c *cli.Context) error {
	start := time.Now()
	if c.NArg() > 1 {
		return fmt.Errorf("partition takes one BUILDINGS file, got %d arguments (see --help)", c.NArg())
	}
	o, err := planSettings(c)
	if err != nil {
		return err
	}
	stderr := c.App.ErrWriter
	out, err := openOut(c, planFiles, "communities", "compounds", "barriers")
	if err != nil {
		return err
	}
	defer out.Close()
	lio, err := newLayerIO(c, c.Args().First())
	if err != nil {
		return refused(c.App.Writer, c.Bool("json"), err)
	}
	o.Out, o.Layer = lio.Out, lio.Layer
	ls, err := layers(c, lio, c.Args().First())
	if err != nil {
		return refused(c.App.Writer, c.Bool("json"), err)
	}
	if c.NArg() == 0 {
		ls.Buildings = sample("buildings.geojson")
		if c.String("communities") == "" {
			ls.Communities = sample("communities.geojson")
		}
		fmt.Fprintln(stderr, "gridplan: no BUILDINGS given; running on the embedded sample district")
	}
	in, err := plan.Load(c.Context, ls, o, nil)
	if err != nil {
		return refused(c.App.Writer, c.Bool("json"), lio.Explain(err))
	}
	tuneGCFor(in.Buildings())
	p, err := plan.Partition(c.Context, in, o)
	if err != nil {
		return err
	}
	if err := writePlan(c, out, p, start, nil); err != nil {
		return err
	}
	if c.NArg() == 0 {
		abs, _ := filepath.Abs(c.String("out"))
		fmt.Fprintf(stderr, "gridplan: results of the sample district are in %s\n", abs)
	}
	if c.Bool("strict") {
		return strictCheck(p)
	}
	return nil
}

// writePlan writes the files of p into out and prints the summary (or
// stats.json with --json); note, if not nil, is printed after the summary.
// A done context stops it before the swap (see outset.Set.Commit).
func writePlan(c *cli.Context, out *outset.Set, p *plan.Plan, start time.Time, note func(io.Writer)) error {
	ctx := c.Context
	if err := ctx.Err(); err != nil {
		return err
	}
	outset.Stage("encoding")
	meter(c).Begin(progress.Encoding)
	p.Stats.RunTimeMS = time.Since(start).Milliseconds()
	p.Stats.Timing = plan.TimingOf(ctx).Stats("encoding")
	// Each file is written as soon as it is encoded, while the others
	// are still being encoded.
	out.Progress = meter(c).Counter(progress.Writing, "bytes")
	paths, err := out.CommitEach(ctx, 0, func(put func(string, []byte) error) ([]string, error) {
		return p.WriteFiles(func(f plan.Output) error { return put(f.Name, f.Data) })
	})
	if err != nil {
		return err
	}
	if c.Bool("json") {
		writeJSON(c.App.Writer, p.StatsJSON())
	} else {
		printSummary(c.App.Writer, p.Stats, paths)
		if note != nil {
			note(c.App.Writer)
		}
	}
	return selfCheckError(c.App.ErrWriter, p.Stats.SelfCheck)
}

// selfCheckError prints the failures of gridplan's own check of a plan to
// stderr and returns errSelfCheck (exit status 3) if there are any.
func selfCheckError(stderr io.Writer, fails []string) error {
	if len(fails) == 0 {
		return nil
	}
	const maxListed = 20
	for i, f := range fails {
		if i == maxListed {
			fmt.Fprintf(stderr, "gridplan: error: ... and %d more in stats.json (self_check_failures)\n", len(fails)-maxListed)
			break
		}
		fmt.Fprintf(stderr, "gridplan: error: %s\n", f)
	}
	return fmt.Errorf("%w: %d failures, listed above; the plan was written for inspection, but do not use it. This is a bug in gridplan: please report it with the input", errSelfCheck, len(fails))
}

// strictCheck returns errViolations if some residential grid of the plan
// just written is out of band (--strict).
func strictCheck(p *plan.Plan) error {
	if n := p.OutOfBand(); n > 0 {
		return fmt.Errorf("%w: %d of %d residential grids (--strict)", errViolations, n, p.Stats.Totals.ResidentialGrids)
	}
	return nil
}
