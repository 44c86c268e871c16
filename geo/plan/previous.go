package plan

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gridplan/geo"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// Previous is an earlier plan as read from its files. Earlier grids are
// numbered in the order their codes first appear in assignment.csv.
type Previous struct {
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

func LoadPrevious(path string) (*Previous, error) {
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
	pp := &Previous{source: path, gridOf: map[string]int{}}
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
func (pp *Previous) containing(p orb.Point) int {
	for g, mp := range pp.shapes {
		if mp != nil && pp.bounds[g].Contains(p) && shape.MultiPolygonCovers(mp, p) {
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

// Households is a --households table: counts by building id, and the
// row of each id for error messages.
type Households struct {
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

func LoadHouseholds(path string) (*Households, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--households: %w", err)
	}
	r := csvReader(data)
	r.FieldsPerRecord = -1
	t := &Households{file: path, counts: map[string]int{}, row: map[string]int{}}
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

// Apply overrides the counts of bs; an id not among the buildings is an
// error.
func (t *Households) Apply(bs []geo.Building) error {
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
