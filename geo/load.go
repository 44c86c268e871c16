package geo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// MaxBuildingHouseholds is the largest household count accepted for one
// building. The tallest Chinese residential towers hold a few thousand
// households; a larger number is a data error (a district total typed into
// a building, or a projected coordinate in the wrong column).
const MaxBuildingHouseholds = 100000

// LoadBuildings reads a buildings FeatureCollection (SPEC §2.1). file is the
// name used in errors and warnings. Empty names in f are replaced by those of
// [DefaultFields].
//
// Geometries are Polygon, MultiPolygon or Point in longitude/latitude. They
// are returned valid by OGC rules and repaired (SPEC §2.4): consecutive
// duplicate vertices removed and rings oriented as RFC 7946 asks (exterior
// counter-clockwise, holes clockwise), each counted in one summary
// [Warning] for the layer; spikes removed, rings that touch or cross
// themselves split into the parts they enclose, holes that cross the
// exterior subtracted from it, and what none of that makes valid replaced
// by its convex hull, each a "repaired_geometry" Warning naming the
// feature. A footprint with no area left is taken as a Point at the
// centroid of its vertices. Anything else wrong is an error: a
// [*FileError] for the whole file (not JSON, not a FeatureCollection, no
// features, projected coordinates) or a [*LayerError] naming every bad
// feature by index and id. Both wrap the package's sentinel errors.
func LoadBuildings(file string, r io.Reader, f Fields) ([]Building, []Warning, error) {
	return LoadBuildingsContext(context.Background(), file, r, f)
}

// LoadBuildingsContext is [LoadBuildings], returning ctx.Err() once ctx is
// done: reading stops at the next block read and decoding at the next
// feature. A large city takes seconds to decode.
//
// The layer is decoded as it is read, a few MiB of features at a time on
// parallel goroutines, so that memory grows with the buildings decoded,
// not with the file.
func LoadBuildingsContext(ctx context.Context, file string, r io.Reader, f Fields) ([]Building, []Warning, error) {
	f = f.withDefaults()
	named := namedOptional(f)
	type decoded struct {
		bs    []Building
		fails []featureErr
		reps  repairTally
		names []string // of the first features' properties
		seen  []bool   // of named: found in some feature
	}
	batches, err := streamCollection(ctx, file, contextReader{ctx, r}, func(first int, feats [][]byte) (d decoded) {
		d.bs = make([]Building, len(feats))
		d.seen = seenIn(feats, named)
		d.names = propertyNames(nil, feats...)
		for k, raw := range feats {
			if ctx.Err() != nil {
				break
			}
			i := first + k
			b, rep, err := decodeBuilding(i, raw, f)
			d.bs[k] = b
			if err != nil {
				d.fails = append(d.fails, featureErr{i, err})
			}
			d.reps.add(i, rep)
		}
		return d
	})
	if err != nil {
		return nil, nil, err
	}
	n := 0
	for _, d := range batches {
		n += len(d.bs)
	}
	bs := make([]Building, 0, n)
	var fails []featureErr
	var reps repairTally
	var names []string
	seen := make([]bool, len(named))
	for k := range batches {
		for _, name := range batches[k].names {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
		for j, ok := range batches[k].seen {
			seen[j] = seen[j] || ok
		}
		bs = append(bs, batches[k].bs...)
		batches[k].bs = nil
		fails = append(fails, batches[k].fails...)
		reps.merge(&batches[k].reps)
	}
	idOf := func(i int) string { return bs[i].ID }
	// The bounds that checkExtent takes are found in parallel while
	// layerErrors looks for duplicate ids, serially.
	var lerr error
	bounds := make([]orb.Bound, len(bs))
	parallel.Do(func() {
		parallel.Each(len(bs), func(i int) {
			if g := bs[i].Geometry; g != nil { // nil: a feature that failed
				bounds[i] = shape.GeometryBound(g)
			}
		})
	}, func() { lerr = layerErrors(file, n, fails, idOf, true) })
	if lerr != nil {
		if err := absentFields(file, n, fails, names); err != nil {
			return nil, nil, err
		}
		return nil, nil, lerr
	}
	if err := unseenFields(file, n, named, seen, names); err != nil {
		return nil, nil, err
	}
	if err := checkExtent(file, len(bs), func(i int) (orb.Bound, bool) { return bounds[i], true }, idOf); err != nil {
		return nil, nil, err
	}
	return bs, append(unusedCompounds(file, f, bs, names), reps.warnings(file, idOf)...), nil
}

// LoadRegions reads a communities or compounds layer (SPEC §2.2): Polygon or
// MultiPolygon features whose id is the idField property (default "id"),
// falling back to the feature's id. Geometries are validated and repaired
// as in [LoadBuildings] and always returned as MultiPolygons, except that a
// region with no area left is an error, and so is a repair that adds or
// removes more than tolM2 square metres (a convex hull in place of a
// tangled outline, say; splitting a self-crossing outline into the parts
// it encloses changes no area). Features that share an id are one area in
// several parts: they are returned as one region, the union of their
// polygons, with a "duplicate_id" warning.
func LoadRegions(file string, r io.Reader, idField string, tolM2 float64) ([]Region, []Warning, error) {
	if idField == "" {
		idField = "id"
	}
	feats, err := readCollection(file, r)
	if err != nil {
		return nil, nil, err
	}
	rs := make([]Region, len(feats))
	reps := make([]ringRepairs, len(feats))
	errs := make([]error, len(feats))
	parallel.Each(len(feats), func(i int) {
		rs[i], reps[i], errs[i] = decodeRegion(i, feats[i], idField, tolM2)
	})
	idOf := func(i int) string { return rs[i].ID }
	if err := layerError(file, errs, idOf, false); err != nil {
		if aerr := absentFields(file, len(feats), fails(errs), propertyNames(nil, feats...)); aerr != nil {
			return nil, nil, aerr
		}
		return nil, nil, err
	}
	if err := checkExtent(file, len(rs), func(i int) (orb.Bound, bool) { return rs[i].Geometry.Bound(), len(rs[i].Geometry) > 0 }, idOf); err != nil {
		return nil, nil, err
	}
	ws := repairWarnings(file, reps, idOf)
	rs, dws, err := dissolveDuplicates(file, rs)
	if err != nil {
		return nil, nil, err
	}
	return rs, append(ws, dws...), nil
}

// LoadBarriers reads a barriers layer (SPEC §2.2): LineString and
// MultiLineString features, and the outlines of Polygon and MultiPolygon
// features (a river drawn as an area, say), all returned as lines. The id
// is the idField property (default "id") or the feature's id; barriers
// without one get "" (ids only label barriers in reports). Consecutive
// duplicate vertices are dropped silently.
func LoadBarriers(file string, r io.Reader, idField string) ([]Barrier, error) {
	if idField == "" {
		idField = "id"
	}
	feats, err := readCollection(file, r)
	if err != nil {
		return nil, err
	}
	bs := make([]Barrier, len(feats))
	errs := make([]error, len(feats))
	parallel.Each(len(feats), func(i int) {
		bs[i], errs[i] = decodeBarrier(i, feats[i], idField)
	})
	idOf := func(i int) string { return bs[i].ID }
	if err := layerError(file, errs, idOf, false); err != nil {
		return nil, err
	}
	if err := checkExtent(file, len(bs), func(i int) (orb.Bound, bool) { return bs[i].Geometry.Bound(), len(bs[i].Geometry) > 0 }, idOf); err != nil {
		return nil, err
	}
	return bs, nil
}

func (f Fields) withDefaults() Fields {
	d := DefaultFields()
	for _, p := range []struct{ v, d *string }{
		{&f.ID, &d.ID}, {&f.Households, &d.Households}, {&f.Compound, &d.Compound},
		{&f.Community, &d.Community}, {&f.Kind, &d.Kind},
	} {
		if *p.v == "" {
			*p.v = *p.d
		}
	}
	return f
}

// rawFeature is the second decoding stage.
type rawFeature struct {
	ID         json.RawMessage
	Geometry   json.RawMessage
	Properties props
	// Unreadable holds the .dbf text of null numeric properties that is
	// not a number (the member "unreadable" package format streams).
	Unreadable props
}

type rawGeometry struct {
	Type        string
	Coordinates json.RawMessage
}

// featureFail carries a feature's error and, once known, its id from the
// decoding goroutine to layerError.
type featureFail struct {
	id  string
	err error
}

func (f *featureFail) Error() string { return f.err.Error() }
func (f *featureFail) Unwrap() error { return f.err }

func fail(id string, err error) error { return &featureFail{id, err} }

func parseFeature(raw json.RawMessage) (rawFeature, error) {
	return scanFeature(raw)
}

// featureID returns the id property, or the feature's own id.
func featureID(rf rawFeature, field, flag string) (string, error) {
	return propertyID(rf, field, flag, true)
}

// propertyID returns the id property, or, if fallback is true, the
// feature's own id (a GeoJSON member, a GeoPackage primary key).
func propertyID(rf rawFeature, field, flag string, fallback bool) (string, error) {
	raw, ok := rf.Properties.get(field)
	if (!ok || isNull(raw)) && fallback {
		raw = rf.ID
	}
	if isNull(raw) {
		if !ok {
			return "", &absentField{field: field, flag: flag, err: ErrMissingID}
		}
		return "", ErrMissingID
	}
	id, err := scalarString(raw, true)
	if err != nil {
		return "", fmt.Errorf("id: %w", err)
	}
	if strings.TrimSpace(id) == "" {
		return "", fmt.Errorf("%w: id is blank", ErrMissingID)
	}
	return id, nil
}

func isNull(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// scalarString returns a JSON string or number as a string. Whole numbers
// are written without decimals ("12", not "12.0"); other numbers are allowed
// only if fractional is true.
func scalarString(raw json.RawMessage, fractional bool) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0:
		return "", nil
	case raw[0] == '"':
		if err := checkText(raw); err != nil {
			return "", err
		}
		s, err := unquote(raw)
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrBadProperty, err)
		}
		return s, nil
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		return formatNumber(raw, fractional)
	}
	return "", fmt.Errorf("%w: %s is not a string or number", ErrBadProperty, abbreviate(raw))
}

// maxExactInt is 2⁵³, the largest integer below which every integer is a
// float64.
const maxExactInt = 1 << 53

func formatNumber(raw json.RawMessage, fractional bool) (string, error) {
	s := string(raw)
	if isIntegerLiteral(s) {
		return s, nil // any length, exactly as written
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) {
		return "", fmt.Errorf("%w: number %s out of range", ErrBadProperty, abbreviate(raw))
	}
	if v == math.Trunc(v) && math.Abs(v) < maxExactInt {
		return strconv.FormatInt(int64(v), 10), nil
	}
	if !fractional {
		return "", fmt.Errorf("%w: %s is not a whole number", ErrBadProperty, s)
	}
	return strconv.FormatFloat(v, 'g', -1, 64), nil
}

// isIntegerLiteral reports whether the JSON number s has neither fraction
// nor exponent. "-0" is not one: it is written "0".
func isIntegerLiteral(s string) bool {
	return s != "-0" && !strings.ContainsAny(s, ".eE")
}

func abbreviate(raw []byte) string {
	const max = 40
	if len(raw) > max {
		return string(raw[:max]) + "..."
	}
	return string(raw)
}

// optionalString reads an optional string-or-integer property (compound,
// community): absent, null and "" mean none.
func optionalString(ps props, name string) (string, error) {
	raw, ok := ps.get(name)
	if !ok || isNull(raw) {
		return "", nil
	}
	s, err := scalarString(raw, false)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

func decodeBuilding(i int, raw json.RawMessage, f Fields) (b Building, rep ringRepairs, err error) {
	b.Index = i
	rf, err := parseFeature(raw)
	if err != nil {
		return b, rep, err
	}
	// The id first, so that every later error can name it.
	b.ID, err = featureID(rf, f.ID, "--id-field")
	if err != nil {
		if _, ok := rf.Properties.get(f.Households); !ok {
			// Named with the id where the layer has neither.
			_, herr := parseHouseholds(f.Households, nil, false)
			err = fmt.Errorf("%w; %w", err, herr) // one line, both wrapped
		}
		return b, rep, err
	}
	b.Geometry, err = decodeGeometry(rf.Geometry, true, &rep)
	if err != nil {
		return b, rep, fail(b.ID, err)
	}
	if b.Households, err = featureHouseholds(rf, f.Households); err != nil {
		return b, rep, fail(b.ID, err)
	}
	if b.Compound, err = optionalString(rf.Properties, f.Compound); err != nil {
		return b, rep, fail(b.ID, err)
	}
	if b.Community, err = optionalString(rf.Properties, f.Community); err != nil {
		return b, rep, fail(b.ID, err)
	}
	if kraw, ok := rf.Properties.get(f.Kind); ok && !isNull(kraw) {
		s, err := unquote(kraw)
		if err != nil {
			return b, rep, fail(b.ID, fmt.Errorf("%w: %s is %s, not a string", ErrBadKind, f.Kind, abbreviate(kraw)))
		}
		k, ok := ParseKind(strings.ToLower(strings.TrimSpace(s)))
		if !ok {
			return b, rep, fail(b.ID, fmt.Errorf("%w: %s is %q; want one of %s", ErrBadKind, f.Kind, s, kindChoices()))
		}
		b.Kind = k
	}
	return b, rep, nil
}

func decodeRegion(i int, raw json.RawMessage, idField string, tolM2 float64) (r Region, rep ringRepairs, err error) {
	r.Index = i
	rf, err := parseFeature(raw)
	if err != nil {
		return r, rep, err
	}
	if r.ID, err = featureID(rf, idField, "--region-id-field"); err != nil {
		return r, rep, err
	}
	for _, f := range nameFields {
		if raw, ok := rf.Properties.get(f); ok && !isNull(raw) {
			r.Name, _ = scalarString(raw, true) // a name only labels warnings
			break
		}
	}
	rep.speckM2 = tolM2
	g, err := decodeGeometry(rf.Geometry, false, &rep)
	if err != nil {
		return r, rep, fail(r.ID, err)
	}
	switch g := g.(type) {
	case orb.Polygon:
		r.Geometry = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		r.Geometry = g
	}
	if rep.changeDeg2 > 0 {
		if m2 := rep.changeDeg2 * sqMetresPerSqDegree(r.Geometry.Bound().Center()[1]); m2 > tolM2 {
			return r, rep, fail(r.ID, fmt.Errorf("%w: repairing it (%s) would change its area by %.1f m², more than the tolerance of %g m²",
				ErrSelfIntersection, strings.Join(rep.repaired, "; "), m2, tolM2))
		}
	}
	return r, rep, nil
}

func decodeBarrier(i int, raw json.RawMessage, idField string) (b Barrier, err error) {
	b.Index = i
	rf, err := parseFeature(raw)
	if err != nil {
		return b, err
	}
	if b.ID, err = featureID(rf, idField, "--region-id-field"); errors.Is(err, ErrMissingID) {
		b.ID, err = "", nil
	} else if err != nil {
		return b, err
	}
	b.Geometry, err = decodeLines(rf.Geometry)
	if err != nil {
		return b, fail(b.ID, err)
	}
	return b, nil
}

// repairWarnings returns the warnings of a layer's repairs: one for all
// duplicate vertices and one for all reversed rings (a layer exported
// with the other orientation has one in every feature), with Index -1,
// then one per feature for its merged parts and each repaired ring.
func repairWarnings(file string, reps []ringRepairs, idOf func(int) string) []Warning {
	var t repairTally
	for i, rep := range reps {
		t.add(i, rep)
	}
	return t.warnings(file, idOf)
}

// A repairTally is what repairWarnings reports of the repairs of features
// added in order: counts for the layer, and the features that have
// warnings of their own.
type repairTally struct {
	dups, dupFeats, rev, revFeats int
	feats                         []featureRepairs
}

// featureRepairs are the repairs of feature i that are warned of one by one.
type featureRepairs struct {
	i                    int
	mergedFrom, mergedTo int
	repaired             []string
}

func (t *repairTally) add(i int, rep ringRepairs) {
	if rep.duplicates > 0 {
		t.dups, t.dupFeats = t.dups+rep.duplicates, t.dupFeats+1
	}
	if rep.reoriented > 0 {
		t.rev, t.revFeats = t.rev+rep.reoriented, t.revFeats+1
	}
	if rep.mergedFrom > 0 || len(rep.repaired) > 0 {
		t.feats = append(t.feats, featureRepairs{i, rep.mergedFrom, rep.mergedTo, rep.repaired})
	}
}

// merge adds the repairs of u, of features after those of t.
func (t *repairTally) merge(u *repairTally) {
	t.dups, t.dupFeats = t.dups+u.dups, t.dupFeats+u.dupFeats
	t.rev, t.revFeats = t.rev+u.rev, t.revFeats+u.revFeats
	t.feats = append(t.feats, u.feats...)
}

func (t *repairTally) warnings(file string, idOf func(int) string) []Warning {
	var ws []Warning
	if t.dups > 0 {
		ws = append(ws, Warning{File: file, Index: -1, Kind: "duplicate_vertex",
			Note: fmt.Sprintf("removed %d duplicate consecutive %s in %d %s", t.dups, plural(t.dups, "vertex"), t.dupFeats, plural(t.dupFeats, "feature"))})
	}
	if t.rev > 0 {
		ws = append(ws, Warning{File: file, Index: -1, Kind: "ring_orientation",
			Note: fmt.Sprintf("reversed %d %s in %d %s (RFC 7946: exterior counter-clockwise, holes clockwise)", t.rev, plural(t.rev, "ring"), t.revFeats, plural(t.revFeats, "feature"))})
	}
	for _, f := range t.feats {
		if f.mergedFrom > 0 {
			ws = append(ws, Warning{File: file, Index: f.i, ID: idOf(f.i), Kind: "overlapping_parts",
				Note: fmt.Sprintf("merged %d overlapping polygons of the MultiPolygon into %d", f.mergedFrom, f.mergedTo)})
		}
		for _, n := range f.repaired {
			ws = append(ws, Warning{File: file, Index: f.i, ID: idOf(f.i), Kind: "repaired_geometry", Note: n})
		}
	}
	return ws
}

// coordRangeError is an ErrCoordinateRange that keeps the offending
// position, so that a layer in projected metres can be recognised.
type coordRangeError struct{ pos orb.Point }

func (e *coordRangeError) Error() string {
	return fmt.Sprintf("%v: [%g, %g]", ErrCoordinateRange, e.pos[0], e.pos[1])
}
func (e *coordRangeError) Unwrap() error { return ErrCoordinateRange }

// position checks one GeoJSON position: longitude and latitude (any further
// members, such as an altitude, are dropped).
func position(c []float64) (orb.Point, error) {
	if len(c) < 2 {
		return orb.Point{}, fmt.Errorf("%w: position %v has fewer than 2 numbers", ErrBadGeometry, c)
	}
	p := orb.Point{c[0], c[1]}
	// NaN fails both comparisons and is refused too; JSON cannot write
	// NaN or Inf, but geometries built in code can.
	if !(math.Abs(p[0]) <= 180 && math.Abs(p[1]) <= 90) {
		return p, &coordRangeError{p}
	}
	return p, nil
}

// isEmptyArray reports whether raw is [] (with any whitespace).
func isEmptyArray(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) >= 2 && raw[0] == '[' && len(bytes.TrimSpace(raw[1:len(raw)-1])) == 0 && raw[len(raw)-1] == ']'
}

// projectedShare is the share of features with out-of-range coordinates
// above which a whole layer is taken to be in another coordinate system
// rather than to hold a few typing errors.
const projectedShare = 0.5

// layerError returns every failed feature of a layer, and with unique
// every feature whose id an earlier feature has, as a [*LayerError] in
// feature order; nil if there are none. When most features have
// coordinates out of range the layer is not in longitude/latitude, and one
// [*FileError] says so instead.
func layerError(file string, errs []error, idOf func(int) string, unique bool) error {
	var fails []featureErr
	for i, err := range errs {
		if err != nil {
			fails = append(fails, featureErr{i, err})
		}
	}
	return layerErrors(file, len(errs), fails, idOf, unique)
}

// featureErr is the error of feature i.
type featureErr struct {
	i   int
	err error
}

// layerErrors is layerError for a layer of n features, of which those in
// fails, in order, failed.
func layerErrors(file string, n int, fails []featureErr, idOf func(int) string, unique bool) error {
	var bad int
	var sample *coordRangeError
	sampleIdx := -1
	var fes []*FeatureError
	for _, f := range fails {
		i, err := f.i, f.err
		var ce *coordRangeError
		if errors.As(err, &ce) {
			bad++
			if sample == nil {
				sample, sampleIdx = ce, i
			}
		}
		fe := &FeatureError{File: file, Index: i, Err: err}
		var ff *featureFail
		if errors.As(err, &ff) {
			fe.ID, fe.Err = ff.id, ff.err
		}
		if fe.ID == "" {
			fe.ID = idOf(i)
		}
		fes = append(fes, fe)
	}
	if sample != nil && float64(bad) > projectedShare*float64(n) {
		if err := notLonLat(file, sample.pos, bad, n, sampleIdx, idOf(sampleIdx)); err != nil {
			return err
		}
	}
	if unique {
		fes = append(fes, duplicateIDs(file, n, idOf)...)
		// Stable: a feature's own error before its duplicate id.
		sort.SliceStable(fes, func(a, b int) bool { return fes[a].Index < fes[b].Index })
	}
	if len(fes) == 0 {
		return nil
	}
	return &LayerError{File: file, Features: fes}
}

// notLonLat is the error of a layer whose coordinates are mostly out of
// longitude/latitude range (bad of n features, the first at index i, id id,
// with position p) if they look like latitude/longitude or projected
// metres; nil if they look like neither.
func notLonLat(file string, p orb.Point, bad, n, i int, id string) error {
	where := fmt.Sprintf("%d of %d features, e.g. [%g, %g] in feature %d", bad, n, p[0], p[1], i)
	if id != "" {
		where += fmt.Sprintf(" (id %q)", id)
	}
	switch {
	case math.Abs(p[0]) <= 90 && math.Abs(p[1]) <= 180:
		return &FileError{File: file, Err: fmt.Errorf("%w: coordinates look like latitude, longitude (%s); RFC 7946 puts longitude first", ErrNotLonLat, where)}
	case math.Abs(p[0]) > 360 || math.Abs(p[1]) > 360:
		return &FileError{File: file, Err: fmt.Errorf("%w: coordinates look like projected metres (%s), not the longitude/latitude of the layer's coordinate system; "+
			"name its projected system with --crs (e.g. --crs EPSG:4527, CGCS2000 3° Gauss–Krüger zone 39) or give the file the .prj it was exported with", ErrNotLonLat, where)}
	}
	return nil
}
