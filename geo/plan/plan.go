package plan

import (
	"context"
	"strings"

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

// Files returns the files of the plan in the order they are written:
// changes.csv and moves.csv (repartition only), outside.csv (buildings left
// out, if any), the grid layer (grids.geojson, or the files of grids.shp or
// grids.gpkg as Options.Layer asks), assignment.csv, stats.json and,
// unless Options.NoReport, report.html ([Plan.Report]). The large ones are
// encoded at once. With [Options.CSVBOM] each CSV file
// begins with a UTF-8 byte order mark. An error is a grid layer the format
// cannot hold (a Shapefile's dBASE limits).
func (p *Plan) Files() ([]Output, error) {
	var fs []Output
	if p.Stats.Changes != nil {
		fs = append(fs, Output{"changes.csv", p.changes}, Output{"moves.csv", p.moves})
	}
	if len(p.outside) > 0 {
		fs = append(fs, Output{"outside.csv", outsideCSV(p.outside)})
	}
	var grids []Output
	var err, rerr error
	tables := [2]Output{{Name: "assignment.csv"}, {Name: "stats.json"}}
	var page []byte
	parallel.EachChunk(4, 1, func(i int) {
		switch i {
		case 0:
			grids, err = gridLayer(p.shapes, p.Stats.Grids, p.layer)
		case 1:
			tables[0].Data = assignmentCSV(p.rows)
		case 2:
			tables[1].Data = p.StatsJSON()
		default:
			if p.report != nil {
				page, rerr = p.Report()
			}
		}
	})
	if err != nil {
		return nil, err
	}
	if rerr != nil {
		return nil, rerr
	}
	fs = append(append(fs, grids...), tables[:]...)
	if page != nil {
		fs = append(fs, Output{"report.html", page})
	}
	if p.bom {
		for i := range fs {
			if strings.HasSuffix(fs[i].Name, ".csv") {
				fs[i].Data = append([]byte(utf8BOM), fs[i].Data...)
			}
		}
	}
	return fs, nil
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
