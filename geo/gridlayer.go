package geo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// ErrMissingCode is reported by [LoadGrids] for a grid feature without a
// code property: findings name grids by code, so a grid without one cannot
// be reported.
var ErrMissingCode = errors.New("grid has no code")

// A Grid is one feature of an existing grid layer read by [LoadGrids]. A
// layer drawn by hand may hold invalid polygons; they are kept, described
// in Invalid, and repaired for measuring.
type Grid struct {
	Index int    // position in the input FeatureCollection
	Code  string // grid code, unique in the layer
	// CodeProblem, from [LoadGridsAudit] only, says why Code stands in
	// for the one the layer gives: it is blank or absent ("(feature 7)"
	// stands in), or another grid has it ("C001002 (feature 7)").
	CodeProblem string
	Community   string // the community property, "" if absent
	Dedicated   bool   // the type property is "dedicated" (专属网格): outside the band
	// Raw is the geometry as read (rings closed only if the file closed
	// them), in longitude/latitude; nil for a null geometry.
	Raw orb.MultiPolygon
	// Invalid says what is wrong with Raw as an OGC (multi)polygon: a
	// self-intersection, an unclosed or too short ring, rings that cross
	// or a hole outside its exterior, an empty or non-polygon geometry.
	// It is "" for a valid grid.
	Invalid string
	// Geometry is the area the grid covers: Raw when valid, otherwise Raw
	// with its rings closed and resolved by a zero-width buffer (the usual
	// repair, as PostGIS ST_Buffer(g, 0)); nil when nothing usable is left.
	Geometry orb.MultiPolygon
}

// LoadGrids reads a grid layer (SPEC §6 check): a FeatureCollection of
// Polygon or MultiPolygon features with a unique code in the codeField
// property (default "code"). It is lenient about geometry, strict about
// the file: a grid whose polygon is invalid is returned with
// [Grid.Invalid] set, so that the audit can report it, while a file that
// is not a FeatureCollection, a feature that is not a Feature, a missing or
// duplicate code, or coordinates outside longitude/latitude range are
// errors ([*FileError], or a [*LayerError] naming every bad feature).
func LoadGrids(file string, r io.Reader, codeField string) ([]Grid, error) {
	return loadGrids(file, r, codeField, false)
}

// LoadGridsAudit is [LoadGrids] for an audit of a layer drawn by hand,
// where a code left blank or given twice is a finding, not an error: such
// a grid gets a code of its own, and CodeProblem says why.
func LoadGridsAudit(file string, r io.Reader, codeField string) ([]Grid, error) {
	return loadGrids(file, r, codeField, true)
}

func loadGrids(file string, r io.Reader, codeField string, audit bool) ([]Grid, error) {
	if codeField == "" {
		codeField = "code"
	}
	feats, err := readCollection(file, r)
	if err != nil {
		return nil, err
	}
	gs := make([]Grid, len(feats))
	errs := make([]error, len(feats))
	parallel.Each(len(feats), func(i int) {
		gs[i], errs[i] = decodeGrid(i, feats[i], codeField)
		if audit && errors.Is(errs[i], ErrMissingCode) {
			// The rest of the grid, decoded without a code.
			var rest error
			gs[i], rest = decodeGrid(i, withCode(feats[i], codeField), codeField)
			problem := strings.TrimPrefix(errs[i].Error(), ErrMissingCode.Error()+": ")
			gs[i].Code, gs[i].CodeProblem, errs[i] = fmt.Sprintf("(feature %d)", i), problem, rest
		}
	})
	if audit {
		seen := make(map[string]int, len(gs))
		for i := range gs {
			if errs[i] != nil {
				continue
			}
			if j, ok := seen[gs[i].Code]; ok {
				gs[i].CodeProblem = fmt.Sprintf("code %q is also feature %d's", gs[i].Code, j)
				gs[i].Code = fmt.Sprintf("%s (feature %d)", gs[i].Code, i)
				continue
			}
			seen[gs[i].Code] = i
		}
	}
	idOf := func(i int) string { return gs[i].Code }
	if err := layerError(file, errs, idOf, true); err != nil {
		return nil, err
	}
	if err := checkExtent(file, len(gs), func(i int) (orb.Bound, bool) { return verticesBound(gs[i].Raw) }, idOf); err != nil {
		return nil, err
	}
	return gs, nil
}

func decodeGrid(i int, raw json.RawMessage, codeField string) (g Grid, err error) {
	g.Index = i
	rf, err := parseFeature(raw)
	if err != nil {
		return g, err
	}
	// A grid's code is its code property: a GeoPackage's feature ids
	// number the rows, they are no code.
	if g.Code, err = propertyID(rf, codeField, "--code-field", false); err != nil {
		var absent *absentField
		switch {
		case errors.As(err, &absent):
			err = fmt.Errorf("%w: no %q property", ErrMissingCode, codeField)
		case errors.Is(err, ErrMissingID):
			err = fmt.Errorf("%w: %q is blank", ErrMissingCode, codeField)
		}
		return g, err
	}
	if g.Community, err = optionalString(rf.Properties, "community"); err != nil {
		return g, fail(g.Code, err)
	}
	if t, ok := rf.Properties.get("type"); ok {
		var s string
		if json.Unmarshal(t, &s) == nil && strings.EqualFold(strings.TrimSpace(s), "dedicated") {
			g.Dedicated = true
		}
	}
	polys, invalid, err := decodeGridGeometry(rf.Geometry)
	if err != nil {
		return g, fail(g.Code, err)
	}
	g.Invalid = invalid
	for _, p := range polys {
		op := make(orb.Polygon, len(p))
		for k, r := range p {
			op[k] = orb.Ring(r)
		}
		g.Raw = append(g.Raw, op)
	}
	if invalid == "" {
		var rep ringRepairs
		for k, p := range polys {
			clean, err := cleanPolygon(p, &rep)
			if err != nil {
				g.Invalid = fmt.Sprintf("polygon %d: %v", k, err)
				if len(polys) == 1 {
					g.Invalid = err.Error()
				}
				break
			}
			g.Geometry = append(g.Geometry, clean)
		}
	}
	if g.Invalid != "" {
		g.Geometry = repairGrid(polys)
	}
	return g, nil
}

// decodeGridGeometry reads a grid's rings as given. Structural problems
// (malformed JSON arrays, coordinates out of range) are errors; a null,
// empty or non-polygonal geometry is returned as invalid.
func decodeGridGeometry(raw json.RawMessage) (polys [][][]orb.Point, invalid string, err error) {
	if isNull(raw) {
		return nil, "geometry is null", nil
	}
	rg, err := scanGeometry(raw)
	if err != nil {
		return nil, "", err
	}
	if isNull(rg.Coordinates) || isEmptyArray(rg.Coordinates) {
		return nil, fmt.Sprintf("%s has no coordinates", rg.Type), nil
	}
	cr := newCoordReader(rg.Coordinates)
	switch rg.Type {
	case "Polygon":
		rings, err := cr.rings()
		if err = cr.finish(err); err != nil {
			return nil, "", err
		}
		polys = [][][]orb.Point{rings}
	case "MultiPolygon":
		polys, err = cr.polygons()
		if err = cr.finish(err); err != nil {
			return nil, "", err
		}
	default:
		return nil, fmt.Sprintf("geometry is a %s, not a Polygon or MultiPolygon", rg.Type), nil
	}
	for k, p := range polys {
		if len(p) == 0 {
			return polys, fmt.Sprintf("polygon %d has no rings", k), nil
		}
	}
	return polys, "", nil
}

// repairGrid returns the area of an invalid grid: its rings closed where
// they are not and resolved by a zero-width buffer (JTS semantics: a lobe
// of a self-intersecting ring that winds against the rest may be dropped;
// the grid is reported invalid either way). Rings with fewer than three
// distinct vertices enclose nothing and are dropped.
func repairGrid(polys [][][]orb.Point) orb.MultiPolygon {
	var sfPolys [][][]float64
	for _, p := range polys {
		var rings [][]float64
		for k, r := range p {
			var xy []float64
			distinct := 0
			for i, pt := range r {
				if i == 0 || pt != r[i-1] {
					xy = append(xy, pt[0], pt[1])
					distinct++
				}
			}
			if distinct > 1 && r[0] == r[len(r)-1] {
				distinct--
			} else if distinct > 0 {
				xy = append(xy, r[0][0], r[0][1]) // close it
			}
			if distinct < 3 {
				if k == 0 {
					break // no exterior: nothing of this polygon is usable
				}
				continue
			}
			rings = append(rings, xy)
		}
		if len(rings) > 0 {
			sfPolys = append(sfPolys, rings)
		}
	}
	if len(sfPolys) == 0 {
		return nil
	}
	g, err := geom.Buffer(geom.NewMultiPolygonXY(sfPolys...).AsGeometry(), 0)
	if err != nil {
		return nil
	}
	return shape.FromSF(g)
}

// withCode returns grid feature raw with a placeholder in its code
// property, so that the rest of it decodes as a grid with a code does.
func withCode(raw json.RawMessage, codeField string) json.RawMessage {
	var f map[string]json.RawMessage
	if json.Unmarshal(raw, &f) != nil {
		return raw
	}
	var ps map[string]json.RawMessage
	json.Unmarshal(f["properties"], &ps)
	if ps == nil {
		ps = map[string]json.RawMessage{}
	}
	ps[codeField] = json.RawMessage(`"-"`)
	var err error
	if f["properties"], err = json.Marshal(ps); err != nil {
		return raw
	}
	out, err := json.Marshal(f)
	if err != nil {
		return raw
	}
	return out
}
