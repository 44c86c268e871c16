package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gridplan/geo"
	"gridplan/partition"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/urfave/cli/v2"
)

func repartitionCommand() *cli.Command {
	return &cli.Command{
		Name:      "repartition",
		Usage:     "redraw an earlier plan after a census update, changing as little as possible",
		UsageText: "gridplan repartition --previous DIR --buildings FILE [--households CSV] --out DIR [flags]",
		Description: "Reads an earlier plan (--previous: a partition or repartition output directory, or a\n" +
			"bare assignment CSV building_id,grid_code,community), the current buildings and,\n" +
			"optionally, a table of updated household counts (--households: CSV id,households).\n" +
			"An earlier grid that is still connected, still whole within one community, keeps its\n" +
			"compounds whole and is still in [--min, --max] (counting new buildings that join it)\n" +
			"is kept with its code and polygon, less any demolished buildings (its polygon is\n" +
			"redrawn only where a building added across its boundary forces it). The other grids\n" +
			"are split, merged or redrawn with the kept grids around them fixed: a piece that\n" +
			"cannot be planned in band alone moves a few buildings across its boundary with a\n" +
			"neighbouring grid, or is redrawn with the smallest neighbour that makes it work, or\n" +
			"else takes in one more neighbour and tries again, so changes spread only as far as\n" +
			"needed. Where no plan in band exists, the earlier plan stays unless a new one lowers\n" +
			"the households out of band by more than --min/20. A new building joins the earlier\n" +
			"grid whose polygon holds it while that stays in band.\n" +
			"Kept grids keep their codes, and so does a grid whose boundary only moved: one that\n" +
			"holds at least 3/4 of an earlier grid's households, 3/4 of its own coming from there\n" +
			"(it shed or took in a building or two). Other grids take the next sequence numbers\n" +
			"of their community, never a code of the earlier plan. Writes everything partition\n" +
			"writes, and\n" +
			"   changes.csv     old_code,new_codes,class,households_before,households_after: one\n" +
			"                   row per earlier grid (U unchanged, S split, M merged, X redrawn or\n" +
			"                   demolished; an X grid that continues keeps its code) and one per\n" +
			"                   new grid drawn from new buildings only\n" +
			"   moves.csv       building_id,old_grid,new_grid for every building whose grid\n" +
			"                   changed, was added (old_grid empty) or removed (new_grid empty)\n" +
			"and a change summary in stats.json (\"changes\") and on stdout. Unchanged input gives\n" +
			"the earlier assignment.csv and grids.geojson byte for byte.\n\n" +
			"Bad --households rows (unknown or duplicate ids, counts that are not whole numbers\n" +
			"or negative) are bad input.\n\n" + exitStatusHelp,
		Flags: append(append([]cli.Flag{
			&cli.StringFlag{Name: "previous", Usage: "earlier plan: an output `DIR` of partition or repartition, or an assignment CSV (required)"},
			&cli.StringFlag{Name: "buildings", Usage: "current buildings from `FILE` (GeoJSON) (required)"},
			&cli.StringFlag{Name: "households", Usage: "updated household counts from `CSV` (rows id,households, under an optional header), overriding the buildings file"},
		}, planFlags()...), fieldFlags()...),
		Action: runRepartition,
	}
}

// previousPlan is an earlier plan as read from its files. Earlier grids are
// numbered in the order their codes first appear in assignment.csv.
type previousPlan struct {
	source     string
	codes      []string
	community  []string       // community of each earlier grid
	gridOf     map[string]int // building id -> earlier grid
	buildings  []string       // building ids in file order
	households []int          // households of each earlier grid as recorded, -1 if unknown
	shapes     []orb.MultiPolygon
	bounds     []orb.Bound
}

// errPrevious is wrapped by every error in the earlier plan's files.
var errPrevious = errors.New("previous plan")

func loadPrevious(path string) (*previousPlan, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("--previous: %w", err)
	}
	csvPath, gridsPath := path, ""
	if info.IsDir() {
		csvPath = filepath.Join(path, "assignment.csv")
		gridsPath = filepath.Join(path, "grids.geojson")
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		return nil, fmt.Errorf("--previous: %w", err)
	}
	pp := &previousPlan{source: path, gridOf: map[string]int{}}
	r := csvReader(data)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", csvPath, errPrevious, err)
	}
	if len(rows) == 0 || len(rows[0]) < 2 || rows[0][0] != "building_id" || rows[0][1] != "grid_code" {
		return nil, fmt.Errorf("%s: %w: want header building_id,grid_code,community", csvPath, errPrevious)
	}
	index := map[string]int{}
	for n, row := range rows[1:] {
		line := n + 2
		if len(row) < 2 || row[0] == "" || row[1] == "" {
			return nil, fmt.Errorf("%s: row %d: %w: want building_id,grid_code,community", csvPath, line, errPrevious)
		}
		id, code, community := row[0], row[1], ""
		if len(row) > 2 {
			community = row[2]
		}
		if _, dup := pp.gridOf[id]; dup {
			return nil, fmt.Errorf("%s: row %d (id %q): %w: building assigned twice", csvPath, line, id, errPrevious)
		}
		g, ok := index[code]
		if !ok {
			g = len(pp.codes)
			index[code] = g
			pp.codes = append(pp.codes, code)
			pp.community = append(pp.community, community)
		} else if pp.community[g] != community {
			return nil, fmt.Errorf("%s: row %d (id %q): %w: grid %s in communities %q and %q", csvPath, line, id, errPrevious, code, pp.community[g], community)
		}
		pp.gridOf[id] = g
		pp.buildings = append(pp.buildings, id)
	}
	pp.households = make([]int, len(pp.codes))
	for i := range pp.households {
		pp.households[i] = -1
	}
	pp.shapes = make([]orb.MultiPolygon, len(pp.codes))
	pp.bounds = make([]orb.Bound, len(pp.codes))
	if gridsPath == "" {
		return pp, nil
	}
	gdata, err := os.ReadFile(gridsPath)
	if errors.Is(err, os.ErrNotExist) {
		return pp, nil // an assignment alone is a plan
	}
	if err != nil {
		return nil, fmt.Errorf("--previous: %w", err)
	}
	grids, err := geo.LoadGrids(gridsPath, bytes.NewReader(gdata), "code")
	if err != nil {
		return nil, err
	}
	// The recorded communities and households, for grids without
	// buildings and the before column of changes.csv.
	var fc struct {
		Features []struct {
			Properties struct {
				Code       string `json:"code"`
				Community  string `json:"community"`
				Households *int   `json:"households"`
			} `json:"properties"`
		} `json:"features"`
	}
	if json.Unmarshal(gdata, &fc) != nil {
		fc.Features = nil
	}
	// A grid of no buildings (a community without any) is an earlier grid
	// too: its code is kept, or retired, like any other.
	for _, f := range fc.Features {
		p := f.Properties
		if _, ok := index[p.Code]; ok || p.Code == "" || p.Community == "" {
			continue
		}
		index[p.Code] = len(pp.codes)
		pp.codes = append(pp.codes, p.Code)
		pp.community = append(pp.community, p.Community)
		pp.households = append(pp.households, -1)
		pp.shapes = append(pp.shapes, nil)
		pp.bounds = append(pp.bounds, orb.Bound{})
	}
	for _, g := range grids {
		if i, ok := index[g.Code]; ok && g.Geometry != nil {
			pp.shapes[i] = g.Geometry
			pp.bounds[i] = g.Geometry.Bound()
		}
	}
	for _, f := range fc.Features {
		if i, ok := index[f.Properties.Code]; ok && f.Properties.Households != nil {
			pp.households[i] = *f.Properties.Households
		}
	}
	return pp, nil
}

// containing returns the earlier grid whose polygon holds p, or -1.
func (pp *previousPlan) containing(p orb.Point) int {
	for g, mp := range pp.shapes {
		if mp != nil && pp.bounds[g].Contains(p) && planar.MultiPolygonContains(mp, p) {
			return g
		}
	}
	return -1
}

// A householdsError names a bad row of the --households table.
type householdsError struct {
	File string
	Row  int // 1-based record number; the header is row 1
	ID   string
	Err  string
}

func (e *householdsError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("%s: row %d: %s", e.File, e.Row, e.Err)
	}
	return fmt.Sprintf("%s: row %d (id %q): %s", e.File, e.Row, e.ID, e.Err)
}

// householdTable is a --households table: counts by building id, and the
// row of each id for error messages.
type householdTable struct {
	file   string
	counts map[string]int
	row    map[string]int
	order  []string
}

// csvReader reads a CSV table as spreadsheets save it: a UTF-8 byte order
// mark (Excel's "CSV UTF-8") is skipped, and CRLF line ends are read as
// line ends.
func csvReader(data []byte) *csv.Reader {
	return csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
}

func loadHouseholds(path string) (*householdTable, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--households: %w", err)
	}
	r := csvReader(data)
	r.FieldsPerRecord = -1
	t := &householdTable{file: path, counts: map[string]int{}, row: map[string]int{}}
	for rec := 1; ; rec++ {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(row) != 2 {
			return nil, &householdsError{path, rec, "", fmt.Sprintf("want 2 fields id,households, have %d", len(row))}
		}
		id, s := strings.TrimSpace(row[0]), strings.TrimSpace(row[1])
		if _, err := strconv.Atoi(s); rec == 1 && err != nil {
			continue // a header: id,households or building_id,households or the like
		}
		if id == "" {
			return nil, &householdsError{path, rec, "", "empty building id"}
		}
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			return nil, &householdsError{path, rec, id, fmt.Sprintf("households %q is not a whole number", s)}
		case n < 0:
			return nil, &householdsError{path, rec, id, fmt.Sprintf("households %d is negative", n)}
		}
		if first, dup := t.row[id]; dup {
			return nil, &householdsError{path, rec, id, fmt.Sprintf("duplicate id (first on row %d)", first)}
		}
		t.counts[id], t.row[id] = n, rec
		t.order = append(t.order, id)
	}
	return t, nil
}

// apply overrides the counts of bs; an id not among the buildings is an
// error.
func (t *householdTable) apply(bs []geo.Building) error {
	index := make(map[string]int, len(bs))
	for i, b := range bs {
		index[b.ID] = i
	}
	for _, id := range t.order {
		i, ok := index[id]
		if !ok {
			return &householdsError{t.file, t.row[id], id, "no building has this id"}
		}
		bs[i].Households = t.counts[id]
	}
	return nil
}

func runRepartition(c *cli.Context) error {
	start := time.Now()
	if c.NArg() > 0 {
		return fmt.Errorf("repartition takes no arguments, got %q (see --help)", c.Args().First())
	}
	if err := requireFlags(c, "previous", "buildings"); err != nil {
		return err
	}
	set, err := planSettings(c)
	if err != nil {
		return err
	}
	prev, err := loadPrevious(c.String("previous"))
	if err != nil {
		return err
	}
	var table *householdTable
	if f := c.String("households"); f != "" {
		if table, err = loadHouseholds(f); err != nil {
			return err
		}
	}
	communitiesIn := input{}
	if f := c.String("communities"); f != "" {
		communitiesIn = fileInput(f)
	}
	out, err := openOutputDir(c.String("out"))
	if err != nil {
		return err
	}
	var adjust func([]geo.Building) error
	if table != nil {
		adjust = table.apply
	}
	li, err := loadInput(c, fileInput(c.String("buildings")), communitiesIn, adjust)
	if err != nil {
		return err
	}
	if err := prev.sharesBuildings(li.buildings, c.String("buildings")); err != nil {
		return err
	}
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
	d, err := li.district(c, set)
	if err != nil {
		return err
	}
	if err := c.Context.Err(); err != nil {
		return err
	}
	pv := prev.atoms(d)
	set.Progress = progress(c.App.ErrWriter, "communities")
	res, err := partition.Repartition(d.problem, pv, set)
	if err != nil {
		return err
	}
	if err := c.Context.Err(); err != nil {
		return err
	}
	res, codes, cont := prev.code(d, res, c.String("code-sep"), c.Int("code-width"))
	s, err := writePlan(c, out, d, li, set, res, codes, prev.keptShapes(d, res, keepAll), start, func(s *stats) func(io.Writer) {
		ch, changes, moves := prev.changes(d, res, codes, cont)
		s.Changes = ch
		out.add("changes.csv", changes)
		out.add("moves.csv", moves)
		return ch.print
	})
	if err != nil {
		return err
	}
	if c.Bool("strict") {
		return strictCheck(s)
	}
	return nil
}

// moved returns the communities where a building of bs was added or one of
// the earlier plan was demolished; "" if such a building's community is
// not known (an earlier assignment without communities): any may have.
func (pp *previousPlan) moved(bs []geo.Building) map[string]bool {
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
func (pp *previousPlan) envelopes(bs []geo.Building) map[string]orb.MultiPolygon {
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
		env, ok := geo.Envelope(shapes[c], fps)
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
func (pp *previousPlan) sharesBuildings(bs []geo.Building, file string) error {
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
func (pp *previousPlan) atoms(d *district) partition.Previous {
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

// keptShapes returns, for each grid of res, the earlier polygon to keep:
// that of the earlier grid it keeps unchanged, in a community where a
// building was added or demolished (elsewhere the tessellation is as it
// was and draws the same polygon); nil for the others.
func (pp *previousPlan) keptShapes(d *district, res *partition.Result, all bool) []orb.MultiPolygon {
	moved := pp.moved(d.buildings)
	var fixed []orb.MultiPolygon
	for g, grid := range res.Grids {
		if k := res.Kept[g]; k >= 0 && (all || moved[d.communities[grid.Community]] || moved[""]) && len(pp.shapes[k]) > 0 {
			if fixed == nil {
				fixed = make([]orb.MultiPolygon, len(res.Grids))
			}
			fixed[g] = pp.shapes[k]
		}
	}
	return fixed
}

// householdFlows are the households (today's counts) between the grids of
// the earlier plan and those of a new one.
type householdFlows struct {
	before []int         // of each earlier grid's surviving buildings
	after  []int         // of each new grid
	gave   []map[int]int // gave[new][earlier]: of buildings that went from earlier to new
}

func (pp *previousPlan) flows(d *district, res *partition.Result) householdFlows {
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
func (pp *previousPlan) continuations(d *district, res *partition.Result) []int {
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
// (see [previousPlan.continuations]), a new grid the next sequence number of
// its community not used by the earlier plan. Grids are reordered by
// community, then sequence, as partition orders them. cont is returned in the
// new order.
func (pp *previousPlan) code(d *district, res *partition.Result, sep string, width int) (*partition.Result, []string, []int) {
	cont := pp.continuations(d, res)
	used := make(map[string]bool, len(pp.codes))
	next := map[string]int{}
	for g, code := range pp.codes {
		used[code] = true
		if seq, ok := parseSeq(code, pp.community[g], sep); ok {
			next[pp.community[g]] = max(next[pp.community[g]], seq)
		}
	}
	n := len(res.Grids)
	codes := make([]string, n)
	seqs := make([]int, n)
	for i, g := range res.Grids {
		community := d.communities[g.Community]
		if k := cont[i]; k >= 0 {
			codes[i] = pp.codes[k]
			seqs[i], _ = parseSeq(codes[i], community, sep)
			continue
		}
		for {
			next[community]++
			codes[i] = gridCode(community, sep, width, next[community])
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

// parseSeq reads the sequence number of a code of the given community.
func parseSeq(code, community, sep string) (int, bool) {
	rest, ok := strings.CutPrefix(code, community+sep)
	if !ok || rest == "" {
		return 0, false
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	seq, err := strconv.Atoi(rest)
	return seq, err == nil
}

// changeStats is the change summary of a repartition in stats.json.
type changeStats struct {
	Previous      string `json:"previous"`
	PreviousGrids int    `json:"previous_grids"`
	// Classes counts earlier grids by class: U unchanged (kept with its
	// code), S split, M merged, X redrawn or demolished (an X grid whose
	// boundary only moved keeps its code). NewGrids counts grids with a
	// new code.
	Classes        map[string]int `json:"classes"`
	NewGrids       int            `json:"new_grids"`
	UnchangedShare float64        `json:"unchanged_share"`
	// Buildings and households of buildings present in both plans, and
	// those of them whose grid code changed: every household of a split,
	// merged or redrawn grid, and those a continuing grid shed.
	Buildings            int     `json:"buildings_in_both"`
	BuildingsMoved       int     `json:"buildings_moved"`
	BuildingsMovedShare  float64 `json:"buildings_moved_share"`
	Households           int     `json:"households_in_both"`
	HouseholdsMoved      int     `json:"households_moved"`
	HouseholdsMovedShare float64 `json:"households_moved_share"`
	// HouseholdsRegrouped counts the households of buildings in both plans
	// whose new grid does not continue their earlier grid, where a new
	// grid continues the earlier grid that gave it most of its households:
	// in a merge the smaller partner's households are regrouped, in a split
	// those outside the largest part.
	HouseholdsRegrouped      int     `json:"households_regrouped"`
	HouseholdsRegroupedShare float64 `json:"households_regrouped_share"`
	BuildingsAdded           int     `json:"buildings_added"`
	BuildingsRemoved         int     `json:"buildings_removed"`
}

func (ch *changeStats) print(w io.Writer) {
	fmt.Fprintf(w, "\nchanges from %s: %d of %d grids unchanged (%.1f%%); split %d, merged %d, redrawn %d; %d new grid codes\n",
		ch.Previous, ch.Classes["U"], ch.PreviousGrids, 100*ch.UnchangedShare, ch.Classes["S"], ch.Classes["M"], ch.Classes["X"], ch.NewGrids)
	fmt.Fprintf(w, "grid code changed: %d of %d buildings (%.2f%%), %d of %d households (%.2f%%); %d buildings added, %d removed\n",
		ch.BuildingsMoved, ch.Buildings, 100*ch.BuildingsMovedShare, ch.HouseholdsMoved, ch.Households, 100*ch.HouseholdsMovedShare, ch.BuildingsAdded, ch.BuildingsRemoved)
	fmt.Fprintf(w, "households regrouped (not in the grid that continues theirs): %d (%.2f%%)\n", ch.HouseholdsRegrouped, 100*ch.HouseholdsRegroupedShare)
}

// changes compares the new plan with the earlier one: the summary,
// changes.csv and moves.csv.
func (pp *previousPlan) changes(d *district, res *partition.Result, codes []string, cont []int) (*changeStats, []byte, []byte) {
	ch := &changeStats{Previous: pp.source, PreviousGrids: len(pp.codes), Classes: map[string]int{"U": 0, "S": 0, "M": 0, "X": 0}}
	kept, continued := make([]bool, len(pp.codes)), make([]bool, len(pp.codes))
	for n, k := range res.Kept {
		if k >= 0 {
			kept[k] = true
		}
		if og := cont[n]; og >= 0 {
			continued[og] = true
		} else {
			ch.NewGrids++
		}
	}
	newOf := make([]map[int]bool, len(pp.codes)) // earlier grid -> new grids of its buildings
	sources := make([]map[int]bool, len(res.Grids))
	for g := range newOf {
		newOf[g] = map[int]bool{}
	}
	for g := range sources {
		sources[g] = map[int]bool{}
	}
	for n, k := range res.Kept {
		if k >= 0 { // also a kept grid without buildings
			newOf[k][n], sources[n][k] = true, true
		}
	}
	f := pp.flows(d, res)
	before, after, gave := f.before, f.after, f.gave
	present := map[string]bool{}
	var moves bytes.Buffer
	mw := csv.NewWriter(&moves)
	mw.Write([]string{"building_id", "old_grid", "new_grid"})
	for i, b := range d.buildings {
		present[b.ID] = true
		ng := res.AtomGrid[d.atomOf[i]]
		og, ok := pp.gridOf[b.ID]
		if !ok {
			ch.BuildingsAdded++
			mw.Write([]string{b.ID, "", codes[ng]})
			continue
		}
		newOf[og][ng] = true
		sources[ng][og] = true
		ch.Buildings++
		ch.Households += b.Households
		if codes[ng] != pp.codes[og] {
			ch.BuildingsMoved++
			ch.HouseholdsMoved += b.Households
			mw.Write([]string{b.ID, pp.codes[og], codes[ng]})
		}
	}
	// The earlier grid each new grid continues: the one that gave it most
	// households (the lowest numbered on a tie).
	continues := make([]int, len(res.Grids))
	for n := range continues {
		continues[n] = -1
		for og, h := range gave[n] {
			if c := continues[n]; c < 0 || h > gave[n][c] || h == gave[n][c] && og < c {
				continues[n] = og
			}
		}
	}
	for i, b := range d.buildings {
		if og, ok := pp.gridOf[b.ID]; ok && continues[res.AtomGrid[d.atomOf[i]]] != og {
			ch.HouseholdsRegrouped += b.Households
		}
	}
	for _, id := range pp.buildings {
		if !present[id] {
			ch.BuildingsRemoved++
			mw.Write([]string{id, pp.codes[pp.gridOf[id]], ""})
		}
	}
	mw.Flush()

	var changes bytes.Buffer
	cw := csv.NewWriter(&changes)
	cw.Write([]string{"old_code", "new_codes", "class", "households_before", "households_after"})
	covered := make([]bool, len(res.Grids))
	for g, code := range pp.codes {
		var ns []int
		for n := range newOf[g] {
			ns = append(ns, n)
			covered[n] = true
		}
		sort.Ints(ns)
		var names []string
		hAfter := 0
		for _, n := range ns {
			names = append(names, codes[n])
			hAfter += after[n]
		}
		class := "X"
		switch {
		case kept[g]:
			class = "U"
		case continued[g]:
			// X: its boundary moved, its code stays
		case len(ns) >= 2 && onlySource(sources, ns, g):
			class = "S"
		case len(ns) == 1 && len(sources[ns[0]]) >= 2:
			class = "M"
		}
		ch.Classes[class]++
		hBefore := pp.households[g]
		if hBefore < 0 {
			hBefore = before[g] // not recorded: today's counts of its surviving buildings
		}
		cw.Write([]string{code, strings.Join(names, " "), class, strconv.Itoa(hBefore), strconv.Itoa(hAfter)})
	}
	for n, ok := range covered {
		if !ok {
			cw.Write([]string{"", codes[n], "X", "0", strconv.Itoa(after[n])})
		}
	}
	cw.Flush()
	ch.UnchangedShare = share(ch.Classes["U"], ch.PreviousGrids)
	ch.BuildingsMovedShare = share(ch.BuildingsMoved, ch.Buildings)
	ch.HouseholdsMovedShare = share(ch.HouseholdsMoved, ch.Households)
	ch.HouseholdsRegroupedShare = share(ch.HouseholdsRegrouped, ch.Households)
	return ch, changes.Bytes(), moves.Bytes()
}

// onlySource reports whether g is the only earlier grid of every new grid in ns.
func onlySource(sources []map[int]bool, ns []int, g int) bool {
	for _, n := range ns {
		if len(sources[n]) != 1 || !sources[n][g] {
			return false
		}
	}
	return true
}
