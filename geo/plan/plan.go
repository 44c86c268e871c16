package plan

import (
	"context"
	"strings"
	"sync"

	"gridplan/geo/format"

	"gridplan/geo/internal/parallel"
	"gridplan/partition"

	"github.com/paulmach/orb"
)

// A Plan is the result of [Partition] or [Repartition]: the grids drawn, the
// assignment of every building and the statistics, ready to be written.
type Plan struct {
	// Stats is stats.json; the caller sets RunTimeMS before [Plan.Files].
	Stats  *Stats
	shapes *gridShapes
	rows   [][3]string // building_id, grid_code, community, in input order
	// changes and moves are changes.csv and moves.csv of a repartition.
	changes, moves []byte
	// outside lists the buildings left out of the plan (outside.csv).
	outside []outsideRow
	// layer is the format and system of the grid layer.
	layer format.WriteOptions
	bom   bool // Options.CSVBOM
	// report is what Report draws beyond shapes and Stats; nil with
	// Options.NoReport.
	report *reportLayers
}

// An Output is one output file of a run.
type Output struct {
	Name string
	Data []byte
}

// Files returns the files of the plan in the order they are listed:
// changes.csv and moves.csv (repartition only), outside.csv (buildings left
// out, if any), the grid layer (grids.geojson, or the files of grids.shp or
// grids.gpkg as Options.Layer asks), assignment.csv, stats.json and,
// unless Options.NoReport, report.html ([Plan.Report]). The large ones are
// encoded at once. With [Options.CSVBOM] each CSV file
// begins with a UTF-8 byte order mark. An error is a grid layer the format
// cannot hold (a Shapefile's dBASE limits).
func (p *Plan) Files() ([]Output, error) {
	var mu sync.Mutex
	data := map[string][]byte{}
	names, err := p.WriteFiles(func(o Output) error {
		mu.Lock()
		defer mu.Unlock()
		data[o.Name] = o.Data
		return nil
	})
	if err != nil {
		return nil, err
	}
	fs := make([]Output, len(names))
	for i, name := range names {
		fs[i] = Output{name, data[name]}
	}
	return fs, nil
}

// WriteFiles encodes the files of [Plan.Files] and hands each to write as
// soon as it is encoded, from the goroutine that encoded it, so that one
// file is written while others are still being encoded: write must be
// safe for concurrent use. It returns the files' names in Files' order.
// The first error of write, or of encoding, is returned, and files may
// have been written before it.
func (p *Plan) WriteFiles(write func(Output) error) ([]string, error) {
	// Slots in Files' order: the small files known already, the grid
	// layer, assignment.csv, stats.json, report.html.
	var names [5][]string
	var errs [5]error
	put := func(slot int, fs ...Output) {
		for _, f := range fs {
			names[slot] = append(names[slot], f.Name)
		}
		for _, f := range fs {
			if p.bom && strings.HasSuffix(f.Name, ".csv") {
				f.Data = append([]byte(utf8BOM), f.Data...)
			}
			if err := write(f); err != nil {
				errs[slot] = err
				return
			}
		}
	}
	var small []Output
	if p.Stats.Changes != nil {
		small = append(small, Output{"changes.csv", p.changes}, Output{"moves.csv", p.moves})
	}
	if len(p.outside) > 0 {
		small = append(small, Output{"outside.csv", outsideCSV(p.outside)})
	}
	put(0, small...)
	if errs[0] != nil {
		return nil, errs[0]
	}
	// The report, the longest to encode, first.
	parallel.EachChunk(4, 1, func(i int) {
		switch i {
		case 0:
			if p.report != nil {
				page, err := p.Report()
				if err != nil {
					errs[4] = err
					return
				}
				put(4, Output{"report.html", page})
			}
		case 1:
			grids, err := gridLayer(p.shapes, p.Stats.Grids, p.layer)
			if err != nil {
				errs[1] = err
				return
			}
			put(1, grids...)
		case 2:
			put(3, Output{"stats.json", p.StatsJSON()})
		default:
			put(2, Output{"assignment.csv", assignmentCSV(p.rows)})
		}
	})
	var all []string
	for slot := range names {
		if errs[slot] != nil {
			return nil, errs[slot]
		}
		all = append(all, names[slot]...)
	}
	return all, nil
}

// utf8BOM is the UTF-8 byte order mark, U+FEFF: spreadsheets take a CSV
// file that begins with it for UTF-8.
const utf8BOM = "\xef\xbb\xbf"

// StatsJSON returns stats.json.
func (p *Plan) StatsJSON() []byte { return marshalJSON(p.Stats) }

// OutOfBand returns how many residential grids are out of the band.
func (p *Plan) OutOfBand() int {
	return p.Stats.Totals.ResidentialGrids - p.Stats.Totals.GridsInBand
}

// Partition plans the loaded input afresh (SPEC §3): atoms, adjacency,
// search, grid polygons and statistics. Once ctx is done it stops within
// milliseconds, in any of these, and returns ctx.Err().
func Partition(ctx context.Context, in *Input, o *Options) (*Plan, error) {
	ctx = withProgress(ctx, o.Progress)
	c, err := codingOf(o)
	if err != nil {
		return nil, err
	}
	d, err := in.district(ctx, o, true)
	if err != nil {
		return nil, err
	}
	if err := c.distinct(d.communities); err != nil {
		return nil, err
	}
	if err := begin(ctx, phasePlanning); err != nil {
		return nil, err
	}
	set := o.Settings
	res, shapes, err := d.planCommunities(ctx, &set)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(res.Grids))
	fresh := make([]bool, len(res.Grids))
	for i, g := range res.Grids {
		codes[i], fresh[i] = c.code(d.communities[g.Community], g.Seq), true
	}
	if err := c.check(res.Grids, d.communities, codes, fresh); err != nil {
		return nil, err
	}
	return in.plan(ctx, d, o, res, codes, shapes)
}

// Buildings returns the number of buildings loaded.
func (li *Input) Buildings() int { return len(li.buildings) }

// plan computes the statistics of res, whose grids are drawn as shapes.
func (li *Input) plan(ctx context.Context, d *district, o *Options, res *partition.Result, codes []string, shapes *gridShapes) (*Plan, error) {
	bs := d.buildings
	rows := make([][3]string, len(bs))
	for i, b := range bs {
		g := res.AtomGrid[d.atomOf[i]]
		rows[i] = [3]string{b.ID, codes[g], d.communities[res.Grids[g].Community]}
	}
	if err := begin(ctx, phaseStatistics); err != nil {
		return nil, err
	}
	s := planStats(d, res, shapes, codes, SettingsStats{
		Min: o.Min, Target: o.Target, Max: o.Max, Seed: o.Seed,
		ShopWeight: o.ShopWeight, DedicatedGrids: o.DedicatedGrids,
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
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.CRS = o.Layer.System.String()
	p := &Plan{Stats: s, shapes: shapes, rows: rows, outside: li.outside, layer: o.Layer, bom: o.CSVBOM}
	if !o.NoReport {
		diagnoses := make([][]diagnosis, len(s.Communities))
		for c := range s.Communities {
			diagnoses[c] = s.Communities[c].Diagnoses
		}
		grids := make([][]orb.MultiPolygon, len(d.communities))
		for gi, g := range res.Grids {
			grids[g.Community] = append(grids[g.Community], shapes.polygons[gi])
		}
		p.report = d.reportLayers(li, diagnoses, grids, func(i int) int { return res.AtomGrid[d.atomOf[i]] })
	}
	return p, nil
}

// A Graph is the atom graph of a loaded input: what the search divides
// into grids.
type Graph struct {
	Problem partition.Problem
	// Atoms are the buildings (indices in input order) of each atom of
	// Problem; an atom without buildings covers a community that has none.
	Atoms [][]int
}

// Graph builds the atom graph that [Partition] searches. With prev, the
// communities without a layer tile the earlier plan's grids where every
// building lies in them, as [Repartition] does after buildings were added
// or demolished. A done ctx stops it as it stops [Partition].
func (li *Input) Graph(ctx context.Context, o *Options, prev *Previous) (*Graph, error) {
	ctx = withProgress(ctx, o.Progress)
	if prev != nil && li.communities == nil {
		li.envelopes = prev.envelopes(li.buildings)
	}
	d, err := li.district(ctx, o, false)
	if err != nil {
		return nil, err
	}
	return &Graph{Problem: d.problem, Atoms: d.atoms}, nil
}
