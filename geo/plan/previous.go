package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gridplan/geo"
	"gridplan/geo/format"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// Previous is an earlier plan as read from its files. Earlier grids are
// numbered in the order their codes first appear in assignment.csv.
type Previous struct {
	source     string
	codes      []string
	now        []string       // code of each earlier grid in a renamed community, else "" (nil: none)
	community  []string       // community of each earlier grid (renamed: the one now)
	gridOf     map[string]int // building id -> earlier grid
	buildings  []string       // building ids in file order
	line       []int          // line of each building in assignment.csv
	households []int          // households of each earlier grid as recorded, -1 if unknown
	retired    []string       // codes the earlier plan had retired (stats.json)
	shapes     []orb.MultiPolygon
	bounds     []orb.Bound
	unchecked  string        // why the plan could not be cross-checked, "" if it was
	warnings   []geo.Warning // of reading assignment.csv (read as GBK)
}

// errPrevious is wrapped by every error in the earlier plan's files.
var errPrevious = errors.New("previous plan")

// The files of a plan directory that LoadPrevious reads.
const (
	assignmentFile = "assignment.csv"
	gridsFile      = "grids.geojson"
	statsFile      = "stats.json"
)

// A LayerOpener opens a layer file of an earlier plan in the coordinate
// system stats.json records for it (its crs, "" if it records none),
// until ctx is done.
type LayerOpener func(ctx context.Context, path, system string) (Source, error)

// gridLayerFiles are the names the grid layer of a plan directory may
// have, one per format.
var gridLayerFiles = []string{"grids.geojson", "grids.shp", "grids.gpkg"}

// LoadPrevious reads an earlier plan: an output directory of partition or
// repartition, or its assignment.csv alone. The plan must be whole and
// consistent, since what it lacks would be taken for change: every row of
// assignment.csv has a building id, a grid code and a community (empty on
// every row of a plan without communities), no building is assigned twice,
// and the file ends with a line break (one cut short ends mid-row). In a
// directory, assignment.csv, the grid layer (grids.geojson, grids.shp or
// grids.gpkg, opened by open; nil reads GeoJSON files only) and stats.json
// must all be there and agree: the same grids, each holding the buildings
// stats.json counts in it, and as many buildings in all as its totals say.
// An assignment alone is checked alone; [Previous.Unchecked] says so.
// Once ctx is done it returns ctx.Err(), even while it waits for a named
// pipe's writer.
func LoadPrevious(ctx context.Context, path string, open LayerOpener) (*Previous, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("--previous: %w", err)
	}
	if !info.IsDir() && isLayerFile(path) {
		// A grid layer: the plan is the directory it is in, with this
		// layer as its grids.
		dir, name := filepath.Split(path)
		if dir == "" {
			dir = "."
		}
		for _, f := range []string{assignmentFile, statsFile} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				return nil, fmt.Errorf("--previous %s: %w: a grid layer alone is not a plan: pass the directory partition wrote it in, with its %s and %s (there is no %s beside it), or that plan's %s",
					path, errPrevious, assignmentFile, statsFile, f, assignmentFile)
			}
		}
		return loadPreviousDir(ctx, dir, name, open)
	}
	if !info.IsDir() {
		data, err := geo.ReadFileContext(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("--previous: %w", err)
		}
		pp, err := readAssignment(path, data)
		if err != nil {
			return nil, err
		}
		pp.source = path
		pp.unchecked = fmt.Sprintf("an assignment alone: no %s and %s to cross-check it against, so a file cut short at a line break goes unnoticed", gridsFile, statsFile)
		return pp, nil
	}
	gridsName := gridsFile
	var layers []string
	for _, name := range gridLayerFiles {
		if _, err := os.Stat(filepath.Join(path, name)); err == nil {
			layers = append(layers, name)
		}
	}
	switch {
	case len(layers) > 1:
		// One edited in a GIS and saved beside the one written, say.
		return nil, fmt.Errorf("--previous %s: %w: it holds %s; name the grid layer to start from (--previous %s)",
			path, errPrevious, strings.Join(layers, " and "), filepath.Join(path, layers[len(layers)-1]))
	case len(layers) == 1:
		gridsName = layers[0]
	}
	return loadPreviousDir(ctx, path, gridsName, open)
}

// isLayerFile reports whether path names a grid layer file (GeoJSON,
// Shapefile or GeoPackage), not an assignment table.
func isLayerFile(path string) bool {
	file, _ := format.SplitLayer(path)
	switch strings.ToLower(filepath.Ext(file)) {
	case ".geojson", ".json", ".shp", ".gpkg":
		return true
	}
	return false
}

// loadPreviousDir is LoadPrevious of the plan directory path whose grid
// layer is gridsName.
func loadPreviousDir(ctx context.Context, path, gridsName string, open LayerOpener) (*Previous, error) {
	var err error
	var data [3][]byte
	names := [3]string{assignmentFile, gridsName, statsFile}
	for k, name := range names {
		if k == 1 {
			continue // read below, in the system stats.json records
		}
		data[k], err = geo.ReadFileContext(ctx, filepath.Join(path, name))
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("--previous %s: %w: no %s; a plan directory holds %s, %s (or grids.shp, grids.gpkg) and %s as partition writes them (to start from the assignment alone, pass its %s)",
				path, errPrevious, name, assignmentFile, gridsFile, statsFile, assignmentFile)
		}
		if err != nil {
			return nil, fmt.Errorf("--previous: %w", err)
		}
	}
	st, err := readPlanStats(filepath.Join(path, statsFile), data[2])
	if err != nil {
		return nil, err
	}
	src := File(filepath.Join(path, gridsName))
	if _, err := os.Stat(src.Name); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("--previous %s: %w: no %s; a plan directory holds %s, %s (or grids.shp, grids.gpkg) and %s as partition writes them (to start from the assignment alone, pass its %s)",
			path, errPrevious, gridsName, assignmentFile, gridsFile, statsFile, assignmentFile)
	}
	if open != nil {
		if src, err = open(ctx, src.Name, st.CRS); err != nil {
			return nil, fmt.Errorf("--previous %s: %w: %w", path, errPrevious, err)
		}
	}
	if data[1], err = read(ctx, "", src, func(_ string, r io.Reader) ([]byte, error) { return io.ReadAll(r) }); err != nil {
		return nil, fmt.Errorf("--previous %s: %w: %w", path, errPrevious, err)
	}
	csvPath, gridsPath := filepath.Join(path, assignmentFile), filepath.Join(path, gridsName)
	pp, err := readAssignment(csvPath, data[0])
	if err != nil {
		return nil, err
	}
	pp.source = path
	if src.Warnings != nil {
		// How its grid layer was read (a text encoding guessed, a .prj
		// read over stats.json's record), before those of the table.
		pp.warnings = append(src.Warnings(), pp.warnings...)
	}
	grids, err := geo.LoadGrids(gridsPath, bytes.NewReader(data[1]), "code")
	if err != nil {
		return nil, err
	}
	if err := pp.crossCheck(path, gridsName, grids, st); err != nil {
		return nil, err
	}
	if st.Changes != nil {
		pp.retired = st.Changes.Retired
	}
	// A grid of no buildings (a community without any) is an earlier grid
	// too: its code is kept, or retired, like any other.
	index := make(map[string]int, len(pp.codes))
	for g, c := range pp.codes {
		index[c] = g
	}
	for _, g := range grids {
		if _, ok := index[g.Code]; ok || g.Community == "" {
			continue
		}
		index[g.Code] = len(pp.codes)
		pp.codes = append(pp.codes, g.Code)
		pp.community = append(pp.community, g.Community)
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
	// The recorded households, for the before column of changes.csv.
	var fc struct {
		Features []struct {
			Properties struct {
				Code       string `json:"code"`
				Households *int   `json:"households"`
			} `json:"properties"`
		} `json:"features"`
	}
	if json.Unmarshal(data[1], &fc) != nil {
		fc.Features = nil
	}
	for _, f := range fc.Features {
		if i, ok := index[f.Properties.Code]; ok && f.Properties.Households != nil {
			pp.households[i] = *f.Properties.Households
		}
	}
	return pp, nil
}

// Unchecked says why the earlier plan could not be checked against its
// other files (an assignment.csv given alone), or "" if it was.
func (pp *Previous) Unchecked() string { return pp.unchecked }

// containing returns the earlier grid whose polygon holds p, or -1.
func (pp *Previous) containing(p orb.Point) int {
	for g, mp := range pp.shapes {
		if mp != nil && pp.bounds[g].Contains(p) && shape.MultiPolygonCovers(mp, p) {
			return g
		}
	}
	return -1
}

// readAssignment reads an earlier plan's assignment.csv (file, holding
// data): the header building_id,grid_code,community and one row per
// building. Every bad row is named (a *TableError).
func readAssignment(file string, data []byte) (*Previous, error) {
	if len(data) == 0 {
		return nil, fmt.Errorf("%s: %w: empty file; want the header building_id,grid_code,community and a row per building", file, errPrevious)
	}
	if data[len(data)-1] != '\n' {
		last := data[bytes.LastIndexByte(data, '\n')+1:]
		return nil, fmt.Errorf("%s: %w: cut short: the file does not end with a line break (its last line is %q)", file, errPrevious, abbreviateText(string(last)))
	}
	pp := &Previous{gridOf: map[string]int{}}
	bad := &badLines{file: file, kind: errPrevious}
	index := map[string]int{}  // grid code -> earlier grid
	codeLine := []int{}        // the line on which each earlier grid first appears
	idLine := map[string]int{} // building id -> its line
	var blank []int            // buildings without a community
	header := false
	pp.warnings = readRows(data, bad, false, func(n, line int, row []string) {
		if n == 0 {
			if header = len(row) == 3 && row[0] == "building_id" && row[1] == "grid_code" && row[2] == "community"; !header {
				bad.add(line, "", fmt.Errorf("header %q, want building_id,grid_code,community", abbreviateText(strings.Join(row, ","))))
			}
			return
		}
		id := ""
		if len(row) > 0 {
			id = row[0]
		}
		if len(row) != 3 {
			bad.add(line, id, fmt.Errorf("want 3 fields (building_id,grid_code,community), have %d", len(row)))
			return
		}
		code, community := row[1], row[2]
		switch {
		case id == "":
			bad.add(line, "", errors.New("empty building_id"))
			return
		case code == "":
			bad.add(line, id, errors.New("empty grid_code"))
			return
		}
		if g, dup := pp.gridOf[id]; dup {
			bad.add(line, id, fmt.Errorf("building assigned twice: to grid %s on line %d and to grid %s here", pp.codes[g], idLine[id], code))
			return
		}
		g, ok := index[code]
		if !ok {
			g = len(pp.codes)
			index[code] = g
			pp.codes = append(pp.codes, code)
			pp.community = append(pp.community, community)
			codeLine = append(codeLine, line)
		} else if pp.community[g] != community {
			bad.add(line, id, fmt.Errorf("grid %s is in community %q on line %d and in %q here", code, pp.community[g], codeLine[g], community))
			return
		}
		if community == "" {
			blank = append(blank, len(pp.buildings))
		}
		pp.gridOf[id], idLine[id] = g, line
		pp.buildings = append(pp.buildings, id)
		pp.line = append(pp.line, line)
	})
	if named := len(pp.buildings) - len(blank); named > 0 && len(blank) > 0 {
		// A plan without communities leaves the column empty on every row;
		// one row without among rows with names a community that is lost.
		for _, i := range blank {
			bad.add(pp.line[i], pp.buildings[i], fmt.Errorf("empty community, while %d other rows name one", named))
		}
	}
	if header && len(bad.lines) == 0 && len(pp.buildings) == 0 {
		bad.add(1, "", errors.New("a header and no rows: an earlier plan assigns its buildings"))
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	pp.households = make([]int, len(pp.codes))
	for i := range pp.households {
		pp.households[i] = -1
	}
	pp.shapes = make([]orb.MultiPolygon, len(pp.codes))
	pp.bounds = make([]orb.Bound, len(pp.codes))
	return pp, nil
}

// recordedStats is what LoadPrevious reads of an earlier plan's stats.json.
type recordedStats struct {
	Totals *struct {
		Buildings *int `json:"buildings"`
		Grids     *int `json:"grids"`
	} `json:"totals"`
	Changes *struct {
		Retired []string `json:"retired_codes"`
	} `json:"changes"`
	CRS   string `json:"crs"`
	Grids []struct {
		Code      string `json:"code"`
		Community string `json:"community"`
		Buildings *int   `json:"buildings"`
	} `json:"grids"`
}

// readPlanStats reads stats.json of an earlier plan (file, holding data).
func readPlanStats(file string, data []byte) (*recordedStats, error) {
	var st recordedStats
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%s: %w: not JSON (cut short?): %w", file, errPrevious, err)
	}
	switch {
	case st.Totals == nil || st.Totals.Buildings == nil:
		return nil, fmt.Errorf("%s: %w: no totals.buildings; not the stats.json of a gridplan plan", file, errPrevious)
	case st.Grids == nil:
		return nil, fmt.Errorf("%s: %w: no grids table; not the stats.json of a gridplan plan", file, errPrevious)
	}
	for k, g := range st.Grids {
		if g.Code == "" || g.Buildings == nil {
			return nil, fmt.Errorf("%s: %w: grids[%d] has no code or no buildings count", file, errPrevious, k)
		}
	}
	return &st, nil
}

// maxNamed is how many grid codes a message about an earlier plan's files
// names; the others are counted.
const maxNamed = 5

// some joins the first maxNamed of items and counts the others.
func some(items []string) string {
	if len(items) <= maxNamed {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:maxNamed], ", "), len(items)-maxNamed)
}

// crossCheck returns an error unless the assignment read into pp, the
// grids of grids.geojson and stats.json of the plan directory dir agree:
// the same grid codes in all three (a grid without buildings, a community
// that has none, is in no row of the assignment), as many rows of each
// grid as stats.json counts buildings in it, as many rows in all as its
// totals count, and each grid in the same community. Whatever disagrees is
// listed, each with the first few grid codes concerned.
func (pp *Previous) crossCheck(dir, gridLayer string, grids []geo.Grid, st *recordedStats) error {
	csvName, gridsName, statsName := filepath.Join(dir, assignmentFile), filepath.Join(dir, gridLayer), filepath.Join(dir, statsFile)
	var issues []string
	if n := *st.Totals.Buildings; n != len(pp.buildings) {
		issues = append(issues, fmt.Sprintf("%s has %d rows of buildings, %s counts %d (totals.buildings)", csvName, len(pp.buildings), statsName, n))
	}
	if t := st.Totals.Grids; t != nil && *t != len(st.Grids) {
		issues = append(issues, fmt.Sprintf("%s lists %d grids, its totals.grids says %d", statsName, len(st.Grids), *t))
	}
	rows := make([]int, len(pp.codes))
	firstRow := make([]int, len(pp.codes))
	for i := len(pp.buildings) - 1; i >= 0; i-- {
		g := pp.gridOf[pp.buildings[i]]
		rows[g]++
		firstRow[g] = i
	}
	index := make(map[string]int, len(pp.codes))
	for g, c := range pp.codes {
		index[c] = g
	}
	inStats := make(map[string]int, len(st.Grids))
	var twice, counts, communities []string
	for k, g := range st.Grids {
		if _, dup := inStats[g.Code]; dup {
			twice = append(twice, g.Code)
			continue
		}
		inStats[g.Code] = k
		n := 0
		if a, ok := index[g.Code]; ok {
			n = rows[a]
			if pp.community[a] != g.Community {
				communities = append(communities, fmt.Sprintf("%s (%q in %s, %q in %s)", g.Code, pp.community[a], csvName, g.Community, statsName))
			}
		}
		if n != *g.Buildings {
			counts = append(counts, fmt.Sprintf("%s (%d buildings, %d rows)", g.Code, *g.Buildings, n))
		}
	}
	inGrids := make(map[string]bool, len(grids))
	var gridsOnly, statsOnly []string
	for _, g := range grids {
		inGrids[g.Code] = true
		if k, ok := inStats[g.Code]; !ok {
			gridsOnly = append(gridsOnly, g.Code)
		} else if c := st.Grids[k].Community; c != g.Community {
			communities = append(communities, fmt.Sprintf("%s (%q in %s, %q in %s)", g.Code, g.Community, gridsName, c, statsName))
		}
	}
	for _, g := range st.Grids {
		if !inGrids[g.Code] {
			statsOnly = append(statsOnly, g.Code)
		}
	}
	var notStats, notGrids []string
	for g, c := range pp.codes {
		row := fmt.Sprintf("%s (%d rows, the first building %q on line %d)", c, rows[g], pp.buildings[firstRow[g]], pp.line[firstRow[g]])
		if _, ok := inStats[c]; !ok {
			notStats = append(notStats, row)
		}
		if !inGrids[c] {
			notGrids = append(notGrids, row)
		}
	}
	for _, x := range []struct {
		items []string
		what  string
	}{
		{twice, fmt.Sprintf("grids listed twice in %s", statsName)},
		{notStats, fmt.Sprintf("grid codes of %s that are not grids of %s", csvName, statsName)},
		{notGrids, fmt.Sprintf("grid codes of %s that are not grids of %s", csvName, gridsName)},
		{statsOnly, fmt.Sprintf("grids of %s that are not in %s", statsName, gridsName)},
		{gridsOnly, fmt.Sprintf("grids of %s that are not in %s", gridsName, statsName)},
		{counts, fmt.Sprintf("grids whose buildings in %s are not their rows in %s", statsName, csvName)},
		{communities, "grids in different communities"},
	} {
		if len(x.items) > 0 {
			issues = append(issues, fmt.Sprintf("%d %s: %s", len(x.items), x.what, some(x.items)))
		}
	}
	if len(issues) == 0 {
		return nil
	}
	return fmt.Errorf("--previous %s: %w: its files disagree (one cut short, or files of different plans?):\n  %s", dir, errPrevious, strings.Join(issues, "\n  "))
}
