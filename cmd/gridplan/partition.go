package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gridplan/fixtures"
	"gridplan/geo"
	"gridplan/partition"

	"github.com/paulmach/orb"
	"github.com/urfave/cli/v2"
)

func partitionCommand() *cli.Command {
	return &cli.Command{
		Name:      "partition",
		Usage:     "divide the communities of a district into grids",
		UsageText: "gridplan partition [flags] [BUILDINGS]",
		Description: "Reads BUILDINGS, a GeoJSON FeatureCollection of building footprints (Polygon,\n" +
			"MultiPolygon or Point, longitude/latitude) with household counts, and writes to the\n" +
			"output directory:\n" +
			"   assignment.csv  building_id,grid_code,community for every building\n" +
			"   stats.json      totals, per-community and per-grid balance, reasons for every\n" +
			"                   grid out of the band, input warnings (repairs, stacked buildings)\n" +
			"and a summary on stdout. Every building lands in exactly one grid, grids never cross\n" +
			"communities, compounds with at most --max households stay whole, and every grid is\n" +
			"connected. Grids are in [--min, --max] wherever the search finds such a plan; every\n" +
			"other grid names its reason (community_too_small, band_gap, compound_too_large,\n" +
			"oversized_building, isolated, indivisible_units), and stats.json says whether the\n" +
			"reason is proven or only that no plan in band was found.\n\n" +
			"With no BUILDINGS, runs on the embedded sample district.\n\n" + exitStatusHelp,
		Flags:  append(planFlags(), fieldFlags()...),
		Action: runPartition,
	}
}

// planFlags are the layer, band, search and output flags shared by the
// commands that write a plan (partition, repartition).
func planFlags() []cli.Flag {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "communities", Usage: "community polygons from `FILE` (GeoJSON, property id); buildings without a community property take the community they lie in"},
		&cli.StringFlag{Name: "compounds", Usage: "compound (小区) polygons from `FILE` (GeoJSON, property id); buildings inside without a compound property inherit its id"},
		&cli.StringFlag{Name: "barriers", Usage: "barrier lines (arterial roads, rivers, railways) from `FILE` (GeoJSON)"},
		&cli.StringFlag{Name: "out", Value: "gridplan-out", Usage: "write results to `DIR` (created if missing)"},
	}
	flags = append(flags, bandFlags()...)
	flags = append(flags,
		&cli.IntFlag{Name: "target", Value: 400, Usage: "households `N` a grid should ideally hold"},
		&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed `N` of the search; equal input and seed give identical output"},
		&cli.Float64Flag{Name: "effort", Value: 1, Usage: "search effort `E`: more tries more plans in hard communities (slower); the output depends on it"},
		&cli.BoolFlag{Name: "json", Usage: "print stats.json to stdout instead of the summary"},
		&cli.BoolFlag{Name: "strict", Usage: "exit with status 1 if any grid is out of the band (after writing the plan)"},
		&cli.BoolFlag{Name: "dedicated-grids", Usage: "make each institution a dedicated grid (专属网格) of its own, outside the band"},
		&cli.StringFlag{Name: "code-sep", Value: "", Usage: "separator `SEP` between community code and grid sequence"},
		&cli.IntFlag{Name: "code-width", Value: 3, Usage: "`N` digits of the grid sequence in grid codes"},
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
		&cli.Float64Flag{Name: "sliver-tolerance", Value: 50, Usage: "overlaps between communities up to `M2` square metres are repaired (given to the lower-numbered community) with a warning; larger ones are refused"},
		&cli.Float64Flag{Name: "snap", Value: 5, Usage: "a building up to `M` metres outside every community joins the nearest one with a warning; farther is an error"},
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

// input names a layer and opens it: a file, or a file of the embedded sample.
type input struct {
	name string
	open func() (io.ReadCloser, error)
}

func fileInput(path string) input {
	return input{name: path, open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

func sampleInput(name string) input {
	return input{name: "sample:" + name, open: func() (io.ReadCloser, error) {
		data, err := fixtures.Sample.ReadFile("sample/" + name)
		return io.NopCloser(bytes.NewReader(data)), err
	}}
}

// read opens in and passes it to load, closing it afterwards.
func read[T any](in input, load func(name string, r io.Reader) (T, error)) (T, error) {
	f, err := in.open()
	if err != nil {
		var zero T
		return zero, err // os errors name the path
	}
	defer f.Close()
	return load(in.name, f)
}

// planSettings reads and checks the band, search and code flags.
func planSettings(c *cli.Context) (*partition.Settings, error) {
	set := &partition.Settings{Min: c.Int("min"), Target: c.Int("target"), Max: c.Int("max"), Seed: c.Uint64("seed"), Effort: c.Float64("effort")}
	if set.Min <= 0 || set.Min > set.Target || set.Target > set.Max {
		return nil, fmt.Errorf("band: need 0 < --min <= --target <= --max, have %d, %d, %d", set.Min, set.Target, set.Max)
	}
	if e := c.Float64("effort"); e <= 0 || e > 100 {
		return nil, fmt.Errorf("--effort must be in (0, 100], have %g", e)
	}
	if w := c.Int("code-width"); w < 1 || w > 9 {
		return nil, fmt.Errorf("--code-width must be between 1 and 9, have %d", w)
	}
	if c.Float64("shop-weight") < 0 {
		return nil, fmt.Errorf("--shop-weight must not be negative")
	}
	return set, nil
}

// loadedInput is the input of a run that writes a plan.
type loadedInput struct {
	buildings   []geo.Building
	warnings    []geo.Warning
	in          inputStats
	communities []geo.Region // nil without a communities layer
	compounds   []geo.Region // nil without a compounds layer
	barriers    []geo.Barrier
	stacked     []int   // geo.Stacked of the buildings
	holds       [][]int // and the smaller buildings in each footprint
	// envelopes are the areas tiled by the communities without a
	// communities layer (communityEnvelopes, or the earlier grids in
	// repartition); tiling says what they are.
	envelopes map[string]orb.MultiPolygon
	tiling    string
}

// loadInput reads the buildings and the optional layers named by the flags,
// and reports the repairs made on stderr. adjust, if not nil, is applied to
// the buildings before communities and compounds are assigned.
func loadInput(c *cli.Context, buildingsIn, communitiesIn input, adjust func([]geo.Building) error) (*loadedInput, error) {
	stderr := c.App.ErrWriter
	fields := fieldsFrom(c)
	type loaded struct {
		bs []geo.Building
		ws []geo.Warning
	}
	l, err := read(buildingsIn, func(name string, r io.Reader) (loaded, error) {
		bs, ws, err := geo.LoadBuildings(name, r, fields)
		return loaded{bs, ws}, err
	})
	if err != nil {
		return nil, err
	}
	bs, warnings := l.bs, l.ws
	if adjust != nil {
		if err := adjust(bs); err != nil {
			return nil, err
		}
	}
	in := inputStats{Buildings: buildingsIn.name, CommunitySource: "building property " + fields.Community}

	var communities, compounds []geo.Region
	if communitiesIn.open != nil {
		in.Communities = communitiesIn.name
		in.CommunitySource = "communities layer (building property where given)"
		type regions struct {
			rs []geo.Region
			ws []geo.Warning
		}
		rl, err := read(communitiesIn, func(name string, r io.Reader) (regions, error) {
			rs, ws, err := geo.LoadRegions(name, r, c.String("region-id-field"))
			return regions{rs, ws}, err
		})
		if err != nil {
			return nil, err
		}
		rs, ws, err := geo.ResolveCommunities(communitiesIn.name, rl.rs, c.Float64("sliver-tolerance"))
		if err != nil {
			return nil, err
		}
		warnings = append(append(warnings, rl.ws...), ws...)
		ws, err = geo.AssignCommunities(buildingsIn.name, bs, rs, c.Float64("snap"))
		if err != nil {
			return nil, err
		}
		warnings = append(warnings, ws...)
		communities = rs
	}
	if f := c.String("compounds"); f != "" {
		in.Compounds = f
		rs, err := read(fileInput(f), func(name string, r io.Reader) ([]geo.Region, error) {
			rs, ws, err := geo.LoadRegions(name, r, c.String("region-id-field"))
			warnings = append(warnings, ws...)
			return rs, err
		})
		if err != nil {
			return nil, err
		}
		geo.AssignCompounds(bs, rs)
		compounds = rs
	}
	var barriers []geo.Barrier
	if f := c.String("barriers"); f != "" {
		in.Barriers = f
		if barriers, err = read(fileInput(f), func(name string, r io.Reader) ([]geo.Barrier, error) {
			return geo.LoadBarriers(name, r, c.String("region-id-field"))
		}); err != nil {
			return nil, err
		}
	}
	stacked, holds := geo.Stacked(bs)
	for i, held := range holds {
		if len(held) == 0 {
			continue
		}
		var ids []string
		for _, j := range held {
			ids = append(ids, fmt.Sprintf("%q", bs[j].ID))
		}
		if len(ids) > 3 {
			ids = append(ids[:3], fmt.Sprintf("and %d more", len(held)-3))
		}
		warnings = append(warnings, geo.Warning{File: buildingsIn.name, Index: bs[i].Index, ID: bs[i].ID, Kind: "container_footprint",
			Note: fmt.Sprintf("its footprint holds the smaller buildings %s (a podium or a parcel?): drawn as a point of it, so grids may cross it", strings.Join(ids, ", "))})
	}
	for i, g := range stacked {
		if g != i {
			warnings = append(warnings, geo.Warning{File: buildingsIn.name, Index: bs[i].Index, ID: bs[i].ID, Kind: "stacked_building",
				Note: fmt.Sprintf("stands on building %q (at the same spot, inside its footprint or overlapping it): both stay in one grid; check that its households are not counted twice", bs[g].ID)})
		}
	}
	printWarnings(stderr, warnings, "stats.json")
	return &loadedInput{buildings: bs, warnings: warnings, in: in, communities: communities, compounds: compounds, barriers: barriers, stacked: stacked, holds: holds}, nil
}

// district builds the partition problem of the loaded input.
func (li *loadedInput) district(c *cli.Context, set *partition.Settings) (*district, error) {
	proj := geo.NewProjection(geo.CenterOf(li.buildings))
	if li.communities == nil && li.envelopes == nil {
		envs, err := communityEnvelopes(li.buildings, proj)
		if err != nil {
			return nil, err
		}
		li.envelopes = envs
		if envs != nil {
			li.tiling = "buffered convex hull (20 m) of the buildings, divided among the communities by a Voronoi diagram of their footprints"
		}
	}
	return newDistrict(li.buildings, proj, atomOptions{max: set.Max, shopWeight: c.Float64("shop-weight"), dedicatedGrids: c.Bool("dedicated-grids"), barriers: li.barriers, communities: li.communities, compounds: li.compounds, stacked: li.stacked, holds: li.holds, coverEmpty: true, envelopes: li.envelopes})
}

// communityEnvelopes divides the area around the buildings among their
// communities (geo.CommunityEnvelopes) when they are several and no layer
// gives their polygons; nil for one community, which tiles a buffered hull
// of its buildings.
func communityEnvelopes(bs []geo.Building, proj *geo.Projection) (map[string]orb.MultiPolygon, error) {
	index := map[string]int{}
	var ids []string
	community := make([]int, len(bs))
	for i, b := range bs {
		c, ok := index[b.Community]
		if !ok {
			c = len(ids)
			index[b.Community] = c
			ids = append(ids, b.Community)
		}
		community[i] = c
	}
	if len(ids) < 2 {
		return nil, nil
	}
	envs, err := geo.CommunityEnvelopes(bs, community, len(ids), proj)
	if err != nil {
		return nil, err
	}
	out := make(map[string]orb.MultiPolygon, len(ids))
	for c, id := range ids {
		out[id] = envs[c]
	}
	return out, nil
}

func runPartition(c *cli.Context) error {
	start := time.Now()
	if c.NArg() > 1 {
		return fmt.Errorf("partition takes one BUILDINGS file, got %d arguments (see --help)", c.NArg())
	}
	set, err := planSettings(c)
	if err != nil {
		return err
	}
	stderr := c.App.ErrWriter
	buildingsIn, communitiesIn := input{}, input{}
	if c.NArg() == 0 {
		buildingsIn, communitiesIn = sampleInput("buildings.geojson"), sampleInput("communities.geojson")
		fmt.Fprintln(stderr, "gridplan: no BUILDINGS given; running on the embedded sample district")
	} else {
		buildingsIn = fileInput(c.Args().First())
	}
	if f := c.String("communities"); f != "" {
		communitiesIn = fileInput(f)
	}
	out, err := openOutputDir(c.String("out"))
	if err != nil {
		return err
	}
	li, err := loadInput(c, buildingsIn, communitiesIn, nil)
	if err != nil {
		return err
	}
	d, err := li.district(c, set)
	if err != nil {
		return err
	}
	if err := c.Context.Err(); err != nil {
		return err
	}
	set.Progress = progress(stderr, "communities")
	res, err := partition.Solve(d.problem, set)
	if err != nil {
		return err
	}
	if err := c.Context.Err(); err != nil {
		return err
	}

	codes := make([]string, len(res.Grids))
	for i, g := range res.Grids {
		codes[i] = gridCode(d.communities[g.Community], c.String("code-sep"), c.Int("code-width"), g.Seq)
	}
	s, err := writePlan(c, out, d, li, set, res, codes, nil, start, nil)
	if err != nil {
		return err
	}
	if c.NArg() == 0 {
		abs, _ := filepath.Abs(c.String("out"))
		fmt.Fprintf(stderr, "gridplan: results of the sample district are in %s\n", abs)
	}
	if c.Bool("strict") {
		return strictCheck(s)
	}
	return nil
}

// writePlan draws the grids, computes the statistics and writes the plan
// (grids.geojson, assignment.csv, stats.json) and the summary. fixed holds
// the polygons of grids to keep as they were (see drawGrids). extend, if
// not nil, may add to the statistics and to the files before they are
// written, and returns a note printed after the summary.
func writePlan(c *cli.Context, out *outputDir, d *district, li *loadedInput, set *partition.Settings, res *partition.Result, codes []string, fixed []orb.MultiPolygon, start time.Time, extend func(s *stats) func(io.Writer)) (*stats, error) {
	bs := d.buildings
	rows := make([][3]string, len(bs))
	for i, b := range bs {
		g := res.AtomGrid[d.atomOf[i]]
		rows[i] = [3]string{b.ID, codes[g], d.communities[res.Grids[g].Community]}
	}
	shapes, err := d.drawGrids(res, fixed)
	if err != nil {
		return nil, err
	}
	s := planStats(d, res, shapes, codes, settingsStats{
		Min: set.Min, Target: set.Target, Max: set.Max, Seed: set.Seed,
		ShopWeight: c.Float64("shop-weight"), DedicatedGrids: c.Bool("dedicated-grids"),
	})
	s.Input = li.in
	s.Tiling = "buffered convex hull (20 m) of the buildings"
	switch {
	case li.communities != nil:
		s.Tiling = "communities layer"
	case li.tiling != "":
		s.Tiling = li.tiling
	}
	s.Warnings = append(s.Warnings, li.warnings...)
	var note func(io.Writer)
	if extend != nil {
		note = extend(s)
	}
	s.RunTimeMS = time.Since(start).Milliseconds()
	statsJSON := marshalJSON(s)
	out.add("grids.geojson", gridsGeoJSON(shapes, s.Grids))
	out.add("assignment.csv", assignmentCSV(rows))
	out.add("stats.json", statsJSON)
	paths, err := out.commit()
	if err != nil {
		return nil, err
	}
	if c.Bool("json") {
		c.App.Writer.Write(statsJSON)
	} else {
		printSummary(c.App.Writer, s, paths)
		if note != nil {
			note(c.App.Writer)
		}
	}
	return s, nil
}

// strictCheck returns errViolations if some residential grid of the plan
// just written is out of band (--strict).
func strictCheck(s *stats) error {
	if s.Totals.GridsInBand < s.Totals.ResidentialGrids {
		return fmt.Errorf("%w: %d of %d residential grids (--strict)", errViolations, s.Totals.ResidentialGrids-s.Totals.GridsInBand, s.Totals.ResidentialGrids)
	}
	return nil
}
