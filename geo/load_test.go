package geo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/peterstace/simplefeatures/geom"

	"gridplan/geo"
	"gridplan/geo/internal/shape"
)

// square is a closed counter-clockwise footprint of side d degrees.
func square(x, y, d float64) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`,
		x, y, x+d, y, x+d, y+d, x, y+d, x, y)
}

// fc wraps features in a FeatureCollection.
func fc(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

// feat returns a feature with the given properties (a JSON object body) and
// geometry.
func feat(props, geom string) string {
	return `{"type":"Feature","properties":{` + props + `},"geometry":` + geom + `}`
}

// ok is a valid building at a distinct place for each n.
func ok(n int) string {
	return feat(fmt.Sprintf(`"id":"ok%d","households":10`, n), square(113.3+0.001*float64(n), 40.08, 0.0002))
}

// errCase is one bad input: the error must wrap want, and its message must
// contain every string in mention (file name, feature index, id).
type errCase struct {
	name    string
	input   string
	want    error
	mention []string
}

func runErrCases(t *testing.T, cases []errCase, load func(file string, data string) error) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := load("layer.geojson", c.input)
			if !errors.Is(err, c.want) {
				t.Fatalf("load = %v, want an error wrapping %q", err, c.want)
			}
			msg := err.Error()
			for _, m := range append([]string{"layer.geojson"}, c.mention...) {
				if !strings.Contains(msg, m) {
					t.Errorf("error %q does not mention %q", msg, m)
				}
			}
			var fe *geo.FeatureError
			var fileErr *geo.FileError
			if !errors.As(err, &fe) && !errors.As(err, &fileErr) {
				t.Errorf("error %T is neither *geo.FeatureError nor *geo.FileError", err)
			}
		})
	}
}

func loadBuildings(file, data string) error {
	_, _, err := geo.LoadBuildings(file, strings.NewReader(data), geo.DefaultFields())
	return err
}

func TestLoadBuildingsBadInput(t *testing.T) {
	projected := func(n int) string {
		return feat(fmt.Sprintf(`"id":"p%d","households":5`, n), fmt.Sprintf(`{"type":"Point","coordinates":[%d,4437000]}`, 500000+10*n))
	}
	cases := []errCase{
		{"not JSON", `{"type":"FeatureCollection","features":[`, geo.ErrNotJSON, nil},
		{"not JSON text", `id,households\nb1,3`, geo.ErrNotJSON, nil},
		{"UTF-16", "\xff\xfe{\x00\"\x00", geo.ErrNotJSON, []string{"UTF-16", "save it again as UTF-8"}},
		{"UTF-16 without a byte order mark", "{\x00\"\x00t\x00", geo.ErrNotJSON, []string{"UTF-16"}},
		{"a file of zeros", "\x00\x00\x00\x00\x00", geo.ErrNotJSON, []string{"cannot start a JSON value"}},
		{"empty file", ``, geo.ErrNotJSON, nil},
		{"JSON array", `[1,2]`, geo.ErrNotFeatureCollection, nil},
		{"single Feature", ok(0), geo.ErrNotFeatureCollection, []string{`"Feature"`}},
		{"geometry", square(1, 2, 3), geo.ErrNotFeatureCollection, []string{`"Polygon"`}},
		{"features not an array", `{"type":"FeatureCollection","features":{}}`, geo.ErrNotFeatureCollection, nil},
		{"no features", `{"type":"FeatureCollection","features":[]}`, geo.ErrEmptyLayer, nil},
		{"feature not an object", fc(ok(0), `[]`), geo.ErrBadFeature, []string{"feature 1"}},
		{"feature wrong type", fc(ok(0), `{"type":"Point","coordinates":[1,2]}`), geo.ErrBadFeature, []string{"feature 1"}},
		{"missing households", fc(ok(0), feat(`"id":"b7"`, square(113.31, 40.08, 0.001))), geo.ErrMissingHouseholds, []string{"feature 1", `"b7"`, "households"}},
		{"null households", fc(ok(0), ok(1), feat(`"id":"b7","households":null`, square(113.31, 40.08, 0.001))), geo.ErrMissingHouseholds, []string{"feature 2", `"b7"`, "households is null"}},
		{"negative households", fc(feat(`"id":"b7","households":-3`, square(113.31, 40.08, 0.001))), geo.ErrNegativeHouseholds, []string{"feature 0", `"b7"`, "-3"}},
		{"fractional households", fc(ok(0), feat(`"id":"b7","households":12.5`, square(113.31, 40.08, 0.001))), geo.ErrBadHouseholds, []string{"feature 1", `"b7"`, "12.5"}},
		{"string households", fc(ok(0), feat(`"id":"b7","households":"12"`, square(113.31, 40.08, 0.001))), geo.ErrBadHouseholds, []string{"feature 1", `"b7"`, `"12"`, "text, not a number", "numeric field"}},
		{"bool households", fc(ok(0), feat(`"id":"b7","households":true`, square(113.31, 40.08, 0.001))), geo.ErrBadHouseholds, []string{"feature 1", `"b7"`}},
		{"huge households", fc(ok(0), feat(`"id":"b7","households":4437000`, square(113.31, 40.08, 0.001))), geo.ErrTooManyHouseholds, []string{"feature 1", `"b7"`, "too large", "limit of 100000"}},
		{"overflowing households", fc(ok(0), feat(`"id":"b7","households":1e999`, square(113.31, 40.08, 0.001))), geo.ErrTooManyHouseholds, []string{"feature 1", `"b7"`, "too large", "limit of 100000"}},
		{"households past int64", fc(ok(0), feat(`"id":"b7","households":4611686018427387904`, square(113.31, 40.08, 0.001))), geo.ErrTooManyHouseholds, []string{"feature 1", `"b7"`, "too large"}},
		{"underflowing households", fc(ok(0), feat(`"id":"b7","households":1e-400`, square(113.31, 40.08, 0.001))), geo.ErrBadHouseholds, []string{"feature 1", `"b7"`, "whole number", "1e-400"}},
		{"households a hair over a whole number", fc(ok(0), feat(`"id":"b7","households":12.0000000000000001`, square(113.31, 40.08, 0.001))), geo.ErrBadHouseholds, []string{"feature 1", `"b7"`, "whole number"}},
		{"negative underflowing households", fc(ok(0), feat(`"id":"b7","households":-1e-400`, square(113.31, 40.08, 0.001))), geo.ErrNegativeHouseholds, []string{"feature 1", `"b7"`}},
		{"duplicate ids", fc(ok(0), ok(1), feat(`"id":"ok0","households":3`, square(113.31, 40.08, 0.001))), geo.ErrDuplicateID, []string{"feature 2", `"ok0"`, "feature 0"}},
		{"duplicate numeric ids", fc(feat(`"id":12,"households":3`, square(113.31, 40.08, 0.001)), feat(`"id":"12","households":3`, square(113.32, 40.08, 0.001))), geo.ErrDuplicateID, []string{"feature 1", `"12"`, "feature 0"}},
		{"missing id", fc(ok(0), feat(`"households":3`, square(113.31, 40.08, 0.001))), geo.ErrMissingID, []string{"feature 1"}},
		{"blank id", fc(ok(0), feat(`"id":" ","households":3`, square(113.31, 40.08, 0.001))), geo.ErrMissingID, []string{"feature 1"}},
		{"bool id", fc(ok(0), feat(`"id":true,"households":3`, square(113.31, 40.08, 0.001))), geo.ErrBadProperty, []string{"feature 1"}},
		{"bad kind", fc(ok(0), feat(`"id":"b7","households":3,"kind":"palace"`, square(113.31, 40.08, 0.001))), geo.ErrBadKind, []string{"feature 1", `"b7"`, "palace"}},
		{"numeric kind", fc(ok(0), feat(`"id":"b7","households":3,"kind":2`, square(113.31, 40.08, 0.001))), geo.ErrBadKind, []string{"feature 1", `"b7"`}},
		{"bad compound", fc(ok(0), feat(`"id":"b7","households":3,"compound":{"a":1}`, square(113.31, 40.08, 0.001))), geo.ErrBadProperty, []string{"feature 1", `"b7"`, "compound"}},
		{"fractional community", fc(ok(0), feat(`"id":"b7","households":3,"community":1.5`, square(113.31, 40.08, 0.001))), geo.ErrBadProperty, []string{"feature 1", `"b7"`, "community"}},
		{"null geometry", fc(ok(0), feat(`"id":"b7","households":3`, `null`)), geo.ErrEmptyGeometry, []string{"feature 1", `"b7"`}},
		{"no geometry", fc(ok(0), `{"type":"Feature","properties":{"id":"b7","households":3}}`), geo.ErrEmptyGeometry, []string{"feature 1", `"b7"`}},
		{"empty polygon", fc(ok(0), feat(`"id":"b7","households":3`, `{"type":"Polygon","coordinates":[]}`)), geo.ErrEmptyGeometry, []string{"feature 1", `"b7"`}},
		{"empty multipolygon", fc(ok(0), feat(`"id":"b7","households":3`, `{"type":"MultiPolygon","coordinates":[]}`)), geo.ErrEmptyGeometry, []string{"feature 1", `"b7"`}},
		{"empty point", fc(ok(0), feat(`"id":"b7","households":3`, `{"type":"Point","coordinates":[]}`)), geo.ErrEmptyGeometry, []string{"feature 1", `"b7"`}},
		{"line geometry", fc(ok(0), feat(`"id":"b7","households":3`, `{"type":"LineString","coordinates":[[113.3,40.08],[113.4,40.08]]}`)), geo.ErrGeometryType, []string{"feature 1", `"b7"`, "LineString"}},
		{"collection geometry", fc(ok(0), feat(`"id":"b7","households":3`, `{"type":"GeometryCollection","geometries":[]}`)), geo.ErrGeometryType, []string{"feature 1", `"b7"`}},
		{"bad nesting", fc(ok(0), feat(`"id":"b7","households":3`, `{"type":"Polygon","coordinates":[[113.3,40.08],[113.4,40.08]]}`)), geo.ErrBadGeometry, []string{"feature 1", `"b7"`}},
		{"short position", fc(ok(0), feat(`"id":"b7","households":3`, `{"type":"Point","coordinates":[113.3]}`)), geo.ErrBadGeometry, []string{"feature 1", `"b7"`}},
		{"longitude out of range", fc(ok(0), ok(1), feat(`"id":"b7","households":3`, `{"type":"Point","coordinates":[213.3,40.08]}`)), geo.ErrCoordinateRange, []string{"feature 2", `"b7"`, "213.3"}},
		{"latitude out of range", fc(ok(0), ok(1), feat(`"id":"b7","households":3`, square(113.3, 89.9999, 0.001))), geo.ErrCoordinateRange, []string{"feature 2", `"b7"`, "ring 0: vertex 2"}},
		{"coordinate overflow", fc(ok(0), ok(1), feat(`"id":"b7","households":3`, `{"type":"Point","coordinates":[1e999,40]}`)), geo.ErrCoordinateRange, []string{"feature 2", `"b7"`}},
		{"projected metres", fc(projected(0), projected(1), ok(2), projected(3)), geo.ErrNotLonLat, []string{"projected metres", "longitude/latitude", "feature 0", `"p0"`, "3 of 4", "--crs"}},
		{"latitude first", fc(feat(`"id":"b1","households":3`, `{"type":"Point","coordinates":[40.08,113.3]}`)), geo.ErrNotLonLat, []string{"latitude, longitude", "feature 0", `"b1"`}},
	}
	runErrCases(t, cases, loadBuildings)
}

// TestLoadReportsEveryBadFeature: a layer with many bad features names
// them all in one error (SPEC §2.4), its message the first 20 and a count
// of the rest; errors.Is and errors.As still find each one.
func TestLoadReportsEveryBadFeature(t *testing.T) {
	const bad = 30
	var fs []string
	for i := range bad {
		fs = append(fs, ok(i))
		// Every other building misses its households, the rest have
		// a negative count.
		props := fmt.Sprintf(`"id":"b%d"`, i)
		if i%2 == 1 {
			props += `,"households":-1`
		}
		fs = append(fs, feat(props, square(113.5+0.001*float64(i), 40.08, 0.0002)))
	}
	_, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(fc(fs...)), geo.DefaultFields())
	var le *geo.LayerError
	if !errors.As(err, &le) || le.File != "b.geojson" || len(le.Features) != bad {
		t.Fatalf("LoadBuildings = %v, want a LayerError with %d features", err, bad)
	}
	for k, fe := range le.Features {
		if fe.Index != 2*k+1 || fe.ID != fmt.Sprintf("b%d", k) || fe.File != "b.geojson" {
			t.Errorf("feature error %d = %+v, want feature %d, id b%d", k, fe, 2*k+1, k)
		}
	}
	if !errors.Is(err, geo.ErrMissingHouseholds) || !errors.Is(err, geo.ErrNegativeHouseholds) {
		t.Errorf("errors.Is does not find both sentinels in %v", err)
	}
	var fe *geo.FeatureError
	if !errors.As(err, &fe) || fe.Index != 1 {
		t.Errorf("errors.As(FeatureError) = %+v, want the first, feature 1", fe)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 1+20+1 {
		t.Fatalf("message has %d lines, want a count, 20 features and the rest:\n%s", len(lines), err)
	}
	if lines[0] != "b.geojson: 30 features cannot be used" {
		t.Errorf("first line %q", lines[0])
	}
	if want := `b.geojson: feature 39 (id "b19"): negative household count: households is -1`; lines[20] != want {
		t.Errorf("line 20 = %q, want %q", lines[20], want)
	}
	if want := "b.geojson: ... and 10 more"; lines[21] != want {
		t.Errorf("last line = %q, want %q", lines[21], want)
	}
}

// TestLoadReportsEveryDuplicateID: every feature whose id an earlier one
// has is named, with the first feature of that id, among the other errors
// in feature order.
func TestLoadReportsEveryDuplicateID(t *testing.T) {
	b := func(id string, x float64, hh string) string {
		return feat(fmt.Sprintf(`"id":%q,"households":%s`, id, hh), square(x, 40.08, 0.0002))
	}
	data := fc(b("a", 113.30, "1"), b("b", 113.31, "1"), b("a", 113.32, "1"), b("c", 113.33, "-1"), b("b", 113.34, "1"), b("a", 113.35, "-2"))
	_, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(data), geo.DefaultFields())
	var le *geo.LayerError
	if !errors.As(err, &le) {
		t.Fatalf("LoadBuildings = %v, want a LayerError", err)
	}
	type row struct {
		index int
		id    string
		err   error
		first string
	}
	want := []row{{2, "a", geo.ErrDuplicateID, "feature 0"}, {3, "c", geo.ErrNegativeHouseholds, ""}, {4, "b", geo.ErrDuplicateID, "feature 1"},
		{5, "a", geo.ErrNegativeHouseholds, ""}, {5, "a", geo.ErrDuplicateID, "feature 0"}}
	if len(le.Features) != len(want) {
		t.Fatalf("%d errors, want %d:\n%v", len(le.Features), len(want), err)
	}
	for k, w := range want {
		fe := le.Features[k]
		if fe.Index != w.index || fe.ID != w.id || !errors.Is(fe, w.err) || !strings.Contains(fe.Error(), w.first) {
			t.Errorf("error %d = %v, want feature %d (id %q) wrapping %v and naming %q", k, fe, w.index, w.id, w.err, w.first)
		}
	}
}

func TestLoadBuildingsFields(t *testing.T) {
	data := fc(feat(`"编号":"x1","户数":33,"小区":"c9","社区":5,"类型":"Bungalow"`, square(113.3, 40.08, 0.001)))
	f := geo.Fields{ID: "编号", Households: "户数", Compound: "小区", Community: "社区", Kind: "类型"}
	bs, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(data), f)
	if err != nil {
		t.Fatal(err)
	}
	want := geo.Building{Index: 0, ID: "x1", Households: 33, Compound: "c9", Community: "5", Kind: geo.Bungalow}
	got := bs[0]
	got.Geometry = nil
	if got != want {
		t.Errorf("LoadBuildings with custom fields = %+v, want %+v", got, want)
	}
	// Zero Fields mean the defaults.
	if _, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(fc(ok(1))), geo.Fields{}); err != nil {
		t.Errorf("LoadBuildings with zero Fields: %v", err)
	}
}

// TestLoadBuildingsChineseKinds: the kinds read in the terms local layers
// use (SPEC §2.1's table): 平房, 沿街商铺, 学校 and their variants, and
// the apartments (公寓, 商住楼, 宿舍) and offices (写字楼) of city layers.
func TestLoadBuildingsChineseKinds(t *testing.T) {
	for term, want := range map[string]geo.Kind{
		"住宅": geo.Residential, "平房": geo.Bungalow, "平房院区": geo.Bungalow, "商铺": geo.Shop, "沿街商铺": geo.Shop,
		"机关": geo.Institution, "学校": geo.Institution, "医院": geo.Institution, "企业": geo.Institution, " 学校 ": geo.Institution,
		"公寓": geo.Residential, "商住楼": geo.Residential, "宿舍": geo.Residential, "写字楼": geo.Institution, "办公楼": geo.Institution,
	} {
		data := fc(feat(fmt.Sprintf(`"id":"x1","households":0,"kind":%q`, term), square(113.3, 40.08, 0.001)))
		bs, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(data), geo.DefaultFields())
		if err != nil {
			t.Errorf("kind %q: %v", term, err)
			continue
		}
		if bs[0].Kind != want {
			t.Errorf("kind %q read as %v, want %v", term, bs[0].Kind, want)
		}
	}
	_, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(fc(feat(`"id":"x1","households":0,"kind":"宫殿"`, square(113.3, 40.08, 0.001)))), geo.DefaultFields())
	if !errors.Is(err, geo.ErrBadKind) || !strings.Contains(err.Error(), "商铺") {
		t.Errorf("an unknown kind: %v, want ErrBadKind listing the Chinese terms", err)
	}
}

// TestLoadMultiPointBuilding: a building saved as a MultiPoint of one
// position (a point layer promoted to multi) is that point; one of two
// positions is refused.
func TestLoadMultiPointBuilding(t *testing.T) {
	one := `{"type":"MultiPoint","coordinates":[[113.3,40.08]]}`
	bs, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(fc(feat(`"id":"p1","households":30`, one))), geo.DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	if bs[0].Geometry != (orb.Point{113.3, 40.08}) {
		t.Errorf("geometry %v, want the point", bs[0].Geometry)
	}
	two := `{"type":"MultiPoint","coordinates":[[113.3,40.08],[113.31,40.08]]}`
	_, _, err = geo.LoadBuildings("b.geojson", strings.NewReader(fc(feat(`"id":"p2","households":30`, two))), geo.DefaultFields())
	if !errors.Is(err, geo.ErrGeometryType) || !strings.Contains(err.Error(), `"p2"`) {
		t.Errorf("a MultiPoint of two points: %v, want ErrGeometryType naming p2", err)
	}
}

// TestLoadUnclosedRing: a ring whose last position is not its first (a
// footprint and a community outline, as exported by some tools) is closed,
// as GDAL reads it, with a warning naming the feature.
func TestLoadUnclosedRing(t *testing.T) {
	open := `{"type":"Polygon","coordinates":[[[113.3,40.08],[113.301,40.08],[113.301,40.081],[113.3,40.081]]]}`
	bs, ws, err := geo.LoadBuildings("b.geojson", strings.NewReader(fc(ok(0), feat(`"id":"b7","households":3`, open))), geo.DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	p, isPoly := bs[1].Geometry.(orb.Polygon)
	if !isPoly || len(p[0]) != 5 || p[0][0] != p[0][4] {
		t.Errorf("footprint %v, want the ring closed with 5 positions", bs[1].Geometry)
	}
	found := false
	for _, w := range ws {
		found = found || w.ID == "b7" && w.Index == 1 && strings.Contains(w.Note, "closed the ring")
	}
	if !found {
		t.Errorf("warnings %+v, want one on b7 saying its ring was closed", ws)
	}
	rs, _, err := geo.LoadRegions("c.geojson", strings.NewReader(fc(`{"type":"Feature","properties":{"id":"C1"},"geometry":`+open+`}`)), "id", 50)
	if err != nil || len(rs) != 1 {
		t.Errorf("an unclosed community outline: %v, %d regions", err, len(rs))
	}
}

func TestLoadBuildingsSmall(t *testing.T) {
	data, err := os.ReadFile("testdata/buildings_small.geojson")
	if err != nil {
		t.Fatal(err)
	}
	bs, ws, err := geo.LoadBuildings("buildings_small.geojson", bytes.NewReader(data), geo.DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id, compound, community string
		households              int
		kind                    geo.Kind
		geom                    string
	}
	want := []row{
		{"b1", "c1", "A", 120, geo.Residential, "Polygon"},
		{"2", "7", "", 96, geo.Residential, "Polygon"},
		{"b3", "", "", 0, geo.Shop, "Point"},
		{"b4", "", "", 3, geo.Bungalow, "MultiPolygon"},
		{"b5", "", "", 12, geo.Institution, "Polygon"},
	}
	if len(bs) != len(want) {
		t.Fatalf("LoadBuildings returned %d buildings, want %d", len(bs), len(want))
	}
	for i, w := range want {
		b := bs[i]
		got := row{b.ID, b.Compound, b.Community, b.Households, b.Kind, b.Geometry.GeoJSONType()}
		if got != w || b.Index != i {
			t.Errorf("building %d = %+v (index %d), want %+v", i, got, b.Index, w)
		}
	}
	checkBuildings(t, bs)
	// b2 has a duplicate vertex and runs clockwise; b5's hole runs
	// counter-clockwise: one summary warning for the layer of each kind.
	wantWarn := []geo.Warning{
		{File: "buildings_small.geojson", Index: -1, Kind: "duplicate_vertex", Note: "removed 1 duplicate consecutive vertex in 1 feature"},
		{File: "buildings_small.geojson", Index: -1, Kind: "ring_orientation", Note: "reversed 2 rings in 2 features (RFC 7946: exterior counter-clockwise, holes clockwise)"},
	}
	if !slices.Equal(ws, wantWarn) {
		t.Errorf("warnings = %+v, want %+v", ws, wantWarn)
	}
	if p := bs[1].Geometry.(orb.Polygon); len(p[0]) != 5 {
		t.Errorf("building 2 ring has %d positions after removing the duplicate, want 5", len(p[0]))
	}
	if p := bs[4].Geometry.(orb.Polygon); len(p) != 2 || p[1][0] != (orb.Point{113.3043, 40.0803}) {
		t.Errorf("building b5 = %v, want the altitude dropped and 2 rings", p)
	}
}

// checkBuildings asserts what every successful load guarantees: finite,
// in-range coordinates, closed rings of at least 3 distinct vertices with
// RFC 7946 orientation, households >= 0, unique ids.
func checkBuildings(t *testing.T, bs []geo.Building) {
	t.Helper()
	ids := map[string]int{}
	var layer orb.Bound
	for i, b := range bs {
		if i == 0 {
			layer = b.Geometry.Bound()
		}
		layer = layer.Union(b.Geometry.Bound())
		for _, s := range []string{b.ID, b.Community, b.Compound} {
			if !utf8.ValidString(s) {
				t.Errorf("building %d: %q is not UTF-8", i, s)
			}
		}
		if j, dup := ids[b.ID]; dup {
			t.Errorf("buildings %d and %d share id %q", j, i, b.ID)
		}
		ids[b.ID] = i
		if b.ID == "" {
			t.Errorf("building %d has no id", i)
		}
		if b.Households < 0 || b.Households > geo.MaxBuildingHouseholds {
			t.Errorf("building %q has %d households", b.ID, b.Households)
		}
		var polys orb.MultiPolygon
		switch g := b.Geometry.(type) {
		case orb.Point:
			checkPoint(t, b.ID, g)
		case orb.Polygon:
			polys = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			polys = g
		default:
			t.Errorf("building %q has geometry %T", b.ID, g)
		}
		if _, isPoint := b.Geometry.(orb.Point); !isPoint && len(polys) == 0 {
			t.Errorf("building %q has an empty geometry", b.ID)
		}
		for _, p := range polys {
			if len(p) == 0 {
				t.Errorf("building %q has a polygon without rings", b.ID)
			}
			for k, r := range p {
				if len(r) < 4 || r[0] != r[len(r)-1] {
					t.Errorf("building %q ring %d is not closed with 3 vertices: %v", b.ID, k, r)
					continue
				}
				for _, pt := range r {
					checkPoint(t, b.ID, pt)
				}
				if ccw := r.Orientation() == orb.CCW; ccw != (k == 0) {
					t.Errorf("building %q ring %d has orientation %v", b.ID, k, r.Orientation())
				}
			}
		}
		if g := b.Geometry.Bound(); g.Max[0]-g.Min[0] > 180 {
			t.Errorf("building %q spans %g° of longitude", b.ID, g.Max[0]-g.Min[0])
		}
		if len(polys) > 0 {
			// Valid by OGC rules as simplefeatures checks them: simple
			// rings, holes inside, polygons of a MultiPolygon neither
			// overlapping nor sharing an edge.
			raw, err := geojson.NewGeometry(polys).MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if g, err := geom.UnmarshalGeoJSON(raw); err != nil {
				t.Errorf("building %q: invalid geometry: %v", b.ID, err)
			} else if err := g.Validate(); err != nil {
				t.Errorf("building %q: invalid geometry: %v", b.ID, err)
			}
		}
	}
	// Within geo.MaxExtentKM of latitude and (at the equator, where it is
	// longest) longitude.
	if maxDeg := geo.MaxExtentKM / 111.0; len(bs) > 0 && (layer.Max[1]-layer.Min[1] > maxDeg || (layer.Max[0]-layer.Min[0])*math.Cos(math.Max(math.Abs(layer.Min[1]), math.Abs(layer.Max[1]))*math.Pi/180) > maxDeg) {
		t.Errorf("layer spans %v, more than %d km", layer, geo.MaxExtentKM)
	}
}

func checkPoint(t *testing.T, id string, p orb.Point) {
	t.Helper()
	if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
		t.Errorf("building %q has coordinate %v", id, p)
	}
}

func TestLoadRegions(t *testing.T) {
	f, err := os.Open("testdata/communities_small.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rs, ws, err := geo.LoadRegions("communities_small.geojson", f, "", geo.DefaultSliverM2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].ID != "A" || rs[1].ID != "B" || rs[1].Index != 1 || len(ws) != 0 {
		t.Fatalf("LoadRegions = %+v, %v; want A and B and no warnings", rs, ws)
	}
	if len(rs[0].Geometry) != 1 || len(rs[0].Geometry[0][0]) != 5 {
		t.Errorf("region A = %v, want one polygon with a 5-position ring", rs[0].Geometry)
	}
	// Name as the id field, clockwise ring repaired.
	data := fc(feat(`"name":"东风"`, `{"type":"Polygon","coordinates":[[[113.3,40.08],[113.3,40.09],[113.31,40.09],[113.31,40.08],[113.3,40.08]]]}`))
	rs, ws, err = geo.LoadRegions("c.geojson", strings.NewReader(data), "name", geo.DefaultSliverM2)
	if err != nil || rs[0].ID != "东风" || len(ws) != 1 || ws[0].Kind != "ring_orientation" || ws[0].Index != -1 {
		t.Errorf("LoadRegions(clockwise, name) = %+v, %+v, %v", rs, ws, err)
	}
}

func loadRegions(file, data string) error {
	_, _, err := geo.LoadRegions(file, strings.NewReader(data), "id", geo.DefaultSliverM2)
	return err
}

func TestLoadRegionsBadInput(t *testing.T) {
	region := func(id string, x float64) string {
		return feat(fmt.Sprintf(`"id":%q`, id), square(x, 40.08, 0.01))
	}
	cases := []errCase{
		{"not JSON", `nope`, geo.ErrNotJSON, nil},
		{"point geometry", fc(region("A", 113.3), feat(`"id":"B"`, `{"type":"Point","coordinates":[113.3,40.08]}`)), geo.ErrGeometryType, []string{"feature 1", `"B"`, "Point"}},
		{"missing id", fc(region("A", 113.3), feat(`"name":"x"`, square(113.4, 40.08, 0.01))), geo.ErrMissingID, []string{"feature 1"}},
		{"projected", fc(feat(`"id":"A"`, square(500000, 4400000, 1000))), geo.ErrNotLonLat, []string{"feature 0", `"A"`, "projected metres"}},
	}
	runErrCases(t, cases, loadRegions)
}

// TestLoadRegionsDissolve: features of a communities layer that share an id
// are one area in several parts (a GIS dissolve), with a warning naming the
// features and, where they differ, their names.
func TestLoadRegionsDissolve(t *testing.T) {
	named := func(id, name string, x, d float64) string {
		return feat(fmt.Sprintf(`"id":%q,"name":%q`, id, name), square(x, 40.08, d))
	}
	for _, tc := range []struct {
		name      string
		data      string
		wantParts int
		wantNote  []string
	}{
		// Apart: one community of two parts.
		{"apart", fc(named("A", "东风社区", 113.3, 0.01), named("B", "x", 113.35, 0.01), named("A", "东风社区二区", 113.4, 0.01)), 2,
			[]string{"features 0, 2 share this id", "2 parts", `"东风社区", "东风社区二区"`}},
		// Side by side, sharing an edge, same name: one polygon.
		{"adjacent", fc(named("A", "n", 113.3, 0.01), named("A", "n", 113.31, 0.01)), 1,
			[]string{"features 0, 1 share this id", "one area of 1 part"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, ws, err := geo.LoadRegions("c.geojson", strings.NewReader(tc.data), "", geo.DefaultSliverM2)
			if err != nil {
				t.Fatal(err)
			}
			var a *geo.Region
			for i := range rs {
				if rs[i].ID == "A" {
					if a != nil {
						t.Fatalf("id A returned twice")
					}
					a = &rs[i]
				}
			}
			if a == nil || a.Index != 0 || len(a.Geometry) != tc.wantParts {
				t.Fatalf("region A = %+v, want index 0 with %d parts", a, tc.wantParts)
			}
			// Areas add up: 0.01° squares at 40° N.
			if got, want := shape.MultiPolygonArea(a.Geometry), 2*0.01*0.01; math.Abs(got-want) > 1e-12 {
				t.Errorf("area %g, want %g", got, want)
			}
			var dup []geo.Warning
			for _, w := range ws {
				if w.Kind == "duplicate_id" {
					dup = append(dup, w)
				}
			}
			if len(dup) != 1 || dup[0].ID != "A" {
				t.Fatalf("warnings %+v, want one duplicate_id for A", ws)
			}
			for _, want := range tc.wantNote {
				if !strings.Contains(dup[0].Note, want) {
					t.Errorf("note %q lacks %q", dup[0].Note, want)
				}
			}
			if tc.name == "adjacent" && strings.Contains(dup[0].Note, "names differ") {
				t.Errorf("note %q: the names are the same", dup[0].Note)
			}
		})
	}
}

func TestLoadBarriers(t *testing.T) {
	f, err := os.Open("testdata/barriers_small.geojson")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bs, err := geo.LoadBarriers("barriers_small.geojson", f, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 3 || bs[0].ID != "road1" || bs[1].ID != "" || bs[2].ID != "9" {
		t.Fatalf("LoadBarriers = %+v", bs)
	}
	if n := len(bs[1].Geometry[0]); n != 2 {
		t.Errorf("barrier 1 has %d vertices after removing the duplicate, want 2", n)
	}
	if n := len(bs[2].Geometry[0]); n != 4 {
		t.Errorf("barrier 2 (a polygon outline) has %d vertices, want 4", n)
	}
	cases := []errCase{
		{"point", fc(feat(`"id":"r"`, `{"type":"Point","coordinates":[113.3,40.08]}`)), geo.ErrGeometryType, []string{"feature 0", `"r"`}},
		{"one vertex", fc(feat(`"id":"r"`, `{"type":"LineString","coordinates":[[113.3,40.08],[113.3,40.08]]}`)), geo.ErrLineTooShort, []string{"feature 0", `"r"`}},
		{"out of range", fc(feat(`"id":"r"`, `{"type":"LineString","coordinates":[[113.3,40.08],[113.3,140.08]]}`), feat(`"id":"s"`, `{"type":"LineString","coordinates":[[113.3,40.08],[113.3,40.09]]}`)), geo.ErrCoordinateRange, []string{"feature 0", `"r"`}},
		{"two bad", fc(feat(`"id":"r"`, `{"type":"Point","coordinates":[113.3,40.08]}`), feat(`"id":"s"`, `{"type":"LineString","coordinates":[[113.3,40.08],[113.3,40.09]]}`), feat(`"id":"t"`, `{"type":"LineString","coordinates":[[113.3,40.08]]}`)),
			geo.ErrLineTooShort, []string{"2 features cannot be used", "feature 0", `"r"`, "feature 2", `"t"`}},
	}
	runErrCases(t, cases, func(file, data string) error {
		_, err := geo.LoadBarriers(file, strings.NewReader(data), "")
		return err
	})
}

func TestLoadReadError(t *testing.T) {
	_, _, err := geo.LoadBuildings("gone.geojson", errReader{}, geo.DefaultFields())
	var fe *geo.FileError
	if !errors.As(err, &fe) || fe.File != "gone.geojson" || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("LoadBuildings(failing reader) = %v, want a FileError naming the file and cause", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

// testdataFiles returns the .geojson files under testdata.
func testdataFiles(tb testing.TB) []string {
	tb.Helper()
	fs, err := filepath.Glob("testdata/*.geojson")
	if err != nil || len(fs) == 0 {
		tb.Fatalf("no testdata: %v", err)
	}
	return fs
}

// go test -run XXX -fuzz FuzzLoadBuildings ./geo
func FuzzLoadBuildings(f *testing.F) {
	for _, name := range testdataFiles(f) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(fc(ok(0), ok(1))))
	// Rings that are repaired: a spike, a pinch, a bow-tie, a hole across
	// the exterior.
	for _, g := range []string{
		polygonJSON(latticeRing(0, 0, 2, 0, 2, 1, 3, 1, 2, 1, 2, 2, 0, 2, 0, 0)),
		polygonJSON(latticeRing(0, 0, 1, 1, 2, 0, 2, 2, 1, 1, 0, 2, 0, 0)),
		polygonJSON(latticeRing(0, 0, 2, 2, 2, 0, 0, 2, 0, 0)),
		polygonJSON(latticeRing(0, 0, 4, 0, 4, 4, 0, 4, 0, 0), latticeRing(2, 1, 2, 3, 6, 3, 6, 1, 2, 1)),
	} {
		f.Add([]byte(fc(ok(0), feat(`"id":"r","households":1`, g))))
	}
	// Counts that a float64 reading takes for whole numbers in range: an
	// underflow to 0 and values past int64.
	f.Add([]byte(fc(ok(0), feat(`"id":"b7","households":1e-400`, square(113.31, 40.08, 0.001)))))
	f.Add([]byte(fc(ok(0), feat(`"id":"b7","households":4611686018427387904`, square(113.31, 40.08, 0.001)))))
	// Text that cannot be written back, a footprint across the
	// antimeridian, a layer wider than a city.
	f.Add([]byte(fc(ok(0), feat("\"id\":\"b\xff\",\"households\":1,\"community\":\"c\\ud800\"", square(113.31, 40.08, 0.001)))))
	f.Add([]byte(fc(feat(`"id":"a","households":1`, `{"type":"Polygon","coordinates":[[[179.9999,40.08],[-179.9999,40.08],[-179.9999,40.0801],[179.9999,40.0801],[179.9999,40.08]]]}`))))
	f.Add([]byte(fc(ok(0), feat(`"id":"far","households":1`, square(13.31, 40.08, 0.001)))))
	// Bytes that cannot start JSON, after a byte order mark and blanks.
	f.Add([]byte("\x00\x00\x00\x00"))
	f.Add([]byte("\xef\xbb\xbf \n\tx{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		bs, ws, err := geo.LoadBuildings("fuzz.geojson", bytes.NewReader(data), geo.DefaultFields())
		// The loader's own JSON scanner must agree with encoding/json
		// about what is JSON (apart from a leading byte order mark and
		// nesting deeper than the scanner's limit).
		valid := json.Valid(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
		if notJSON := errors.Is(err, geo.ErrNotJSON); valid == notJSON && !strings.Contains(fmt.Sprint(err), "nested deeper") {
			t.Fatalf("json.Valid = %v but LoadBuildings error = %v", valid, err)
		}
		if err != nil {
			var fe *geo.FeatureError
			var fileErr *geo.FileError
			if !errors.As(err, &fe) && !errors.As(err, &fileErr) {
				t.Fatalf("error %T (%v) is neither FeatureError nor FileError", err, err)
			}
			return // rejecting input is fine; panicking is not
		}
		if len(bs) == 0 {
			t.Fatalf("no buildings and no error")
		}
		checkBuildings(t, bs)
		// Ids are read as written: U+FFFD only where the input has it.
		if !bytes.Contains(data, []byte("\ufffd")) && !bytes.Contains(bytes.ToLower(data), []byte(`\ufffd`)) {
			for _, b := range bs {
				if strings.ContainsRune(b.ID+b.Community+b.Compound, '\ufffd') {
					t.Errorf("building %q (community %q, compound %q): U+FFFD that the input does not hold", b.ID, b.Community, b.Compound)
				}
			}
		}
		for _, w := range ws {
			if w.Index == -1 && w.ID == "" && (w.Kind == "duplicate_vertex" || w.Kind == "ring_orientation") {
				continue // a summary for the layer
			}
			if w.Index < 0 || w.Index >= len(bs) || w.ID != bs[w.Index].ID {
				t.Errorf("warning %+v names no building", w)
			}
		}
	})
}

// TestLoadOverlappingParts: polygons of a MultiPolygon that overlap or
// share part of an edge are merged into their union with a warning; parts
// apart, touching at a corner, or an island in a hole stay as they are.
func TestLoadOverlappingParts(t *testing.T) {
	sq := func(x, y, d float64) string {
		return fmt.Sprintf(`[[[%[1]g,%[2]g],[%[3]g,%[2]g],[%[3]g,%[4]g],[%[1]g,%[4]g],[%[1]g,%[2]g]]]`, x, y, x+d, y+d)
	}
	holed := `[[[113.3,40.08],[113.301,40.08],[113.301,40.081],[113.3,40.081],[113.3,40.08]],[[113.3002,40.0802],[113.3002,40.0808],[113.3008,40.0808],[113.3008,40.0802],[113.3002,40.0802]]]`
	for _, tc := range []struct {
		name   string
		polys  []string
		parts  int  // polygons after loading
		warned bool // an overlapping_parts warning
	}{
		{"apart", []string{sq(113.3, 40.08, 0.0001), sq(113.301, 40.08, 0.0001)}, 2, false},
		{"overlapping", []string{sq(113.3, 40.08, 0.0002), sq(113.3001, 40.08, 0.0002)}, 1, true},
		{"one inside the other", []string{sq(113.3, 40.08, 0.0004), sq(113.3001, 40.0801, 0.0001)}, 1, true},
		{"sharing a wall", []string{sq(113.3, 40.08, 0.0001), sq(113.3001, 40.08, 0.0001)}, 1, true},
		{"touching at a corner", []string{sq(113.3, 40.08, 0.0001), sq(113.3001, 40.0801, 0.0001)}, 2, false},
		{"an island in a hole", []string{holed, sq(113.3004, 40.0804, 0.0001)}, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := fmt.Sprintf(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"m","households":10},"geometry":{"type":"MultiPolygon","coordinates":[%s]}}]}`,
				strings.Join(tc.polys, ","))
			bs, ws, err := geo.LoadBuildings("b.geojson", strings.NewReader(data), geo.DefaultFields())
			if err != nil {
				t.Fatal(err)
			}
			mp, ok := bs[0].Geometry.(orb.MultiPolygon)
			if !ok || len(mp) != tc.parts {
				t.Errorf("geometry %v, want a MultiPolygon of %d polygons", bs[0].Geometry, tc.parts)
			}
			warned := len(ws) == 1 && ws[0].Kind == "overlapping_parts"
			if warned != tc.warned || !tc.warned && len(ws) > 0 {
				t.Errorf("warnings %+v, want overlapping_parts: %v", ws, tc.warned)
			}
			checkBuildings(t, bs)
		})
	}
}

// gridCity returns a FeatureCollection of n buildings 100 m apart, feature
// i being vary(i) if it returns one.
func gridCity(n int, vary func(i int, x, y float64) string) string {
	fs := make([]string, n)
	for i := range fs {
		x, y := 113.3+0.001*float64(i%200), 40.08+0.001*float64(i/200)
		if vary != nil {
			fs[i] = vary(i, x, y)
		}
		if fs[i] == "" {
			fs[i] = feat(fmt.Sprintf(`"id":"b%d","households":%d`, i, i%90), square(x, y, 0.0002))
		}
	}
	return fc(fs...)
}

// TestLoadBuildingsInBatches: a layer decoded in several rounds of batches
// (of 1024 features, 16 or more to a round) names its bad features,
// duplicate ids and repairs by their index in the layer, and loads the
// same for any GOMAXPROCS.
func TestLoadBuildingsInBatches(t *testing.T) {
	const n = 40_000
	bad := []int{0, 1023, 1024, 16383, 16384, 32768, n - 1}
	data := gridCity(n, func(i int, x, y float64) string {
		switch {
		case slices.Contains(bad, i):
			return feat(fmt.Sprintf(`"id":"b%d","households":-1`, i), square(x, y, 0.0002))
		case i == 20000:
			return feat(`"id":"b10","households":3`, square(x, y, 0.0002))
		}
		return ""
	})
	_, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(data), geo.DefaultFields())
	var le *geo.LayerError
	if !errors.As(err, &le) {
		t.Fatalf("LoadBuildings = %v, want a LayerError", err)
	}
	var got []string
	for _, fe := range le.Features {
		got = append(got, fmt.Sprintf("%d %s %v", fe.Index, fe.ID, errors.Is(fe, geo.ErrDuplicateID)))
	}
	want := []string{"0 b0 false", "1023 b1023 false", "1024 b1024 false", "16383 b16383 false", "16384 b16384 false", "20000 b10 true", "32768 b32768 false", "39999 b39999 false"}
	if !slices.Equal(got, want) {
		t.Errorf("bad features %q, want %q", got, want)
	}
	if !strings.Contains(err.Error(), `feature 20000 (id "b10"): duplicate id: feature 10 has the same id`) {
		t.Errorf("error %v does not name feature 10 as the first with id b10", err)
	}

	// Repairs: clockwise rings, and a spike, in every batch.
	repaired := []int{3, 17000, 39000}
	data = gridCity(n, func(i int, x, y float64) string {
		id := fmt.Sprintf(`"id":"b%d","households":3`, i)
		switch {
		case slices.Contains(repaired, i):
			return feat(id, fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]g,%[2]g],[%[3]g,%[2]g],[%[3]g,%[4]g],[%[5]g,%[4]g],[%[3]g,%[4]g],[%[1]g,%[4]g],[%[1]g,%[2]g]]]}`,
				x, y, x+0.0002, y+0.0002, x+0.0004))
		case i%1000 == 7:
			return feat(id, fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]g,%[2]g],[%[1]g,%[4]g],[%[3]g,%[4]g],[%[3]g,%[2]g],[%[1]g,%[2]g]]]}`, x, y, x+0.0002, y+0.0002))
		}
		return ""
	})
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var first []geo.Building
	for _, procs := range []int{1, 2, 7} {
		runtime.GOMAXPROCS(procs)
		bs, ws, err := geo.LoadBuildings("b.geojson", strings.NewReader(data), geo.DefaultFields())
		if err != nil {
			t.Fatal(err)
		}
		for i, b := range bs {
			if b.Index != i || b.ID != fmt.Sprintf("b%d", i) {
				t.Fatalf("GOMAXPROCS %d: building %d is %d (id %q)", procs, i, b.Index, b.ID)
			}
		}
		var got []string
		for _, w := range ws {
			got = append(got, fmt.Sprintf("%d %s %s", w.Index, w.ID, w.Kind))
		}
		want := []string{"-1  ring_orientation", "3 b3 repaired_geometry", "17000 b17000 repaired_geometry", "39000 b39000 repaired_geometry"}
		if !slices.Equal(got, want) || !strings.Contains(ws[0].Note, "reversed 40 rings in 40 features") {
			t.Errorf("GOMAXPROCS %d: warnings %q (%s), want %q, 40 rings reversed", procs, got, ws[0].Note, want)
		}
		if first == nil {
			first = bs
		} else if !reflect.DeepEqual(bs, first) {
			t.Errorf("GOMAXPROCS %d: buildings differ from those with GOMAXPROCS 1", procs)
		}
	}
}

// TestLoadBuildingsTopLevel: whatever the features (many, some bad), the
// members around them decide whether the file is a FeatureCollection: its
// type may come after them, foreign members are skipped, and of two
// features members the last counts.
func TestLoadBuildingsTopLevel(t *testing.T) {
	feats := strings.TrimSuffix(strings.TrimPrefix(gridCity(9000, func(i int, x, y float64) string {
		if i%1000 == 999 {
			return feat(fmt.Sprintf(`"id":"b%d","households":-1`, i), square(x, y, 0.0002))
		}
		return ""
	}), `{"type":"FeatureCollection",`), "}")
	foreign := `"bbox":[113,40,114,41],"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"name":"楼"`
	for _, tc := range []struct {
		name string
		data string
		want error
		note string
	}{
		{"type last", `{` + foreign + `,` + feats + `,"type":"FeatureCollection"}`, geo.ErrNegativeHouseholds, "9 features cannot be used"},
		{"wrong type last", `{` + feats + `,` + foreign + `,"type":"Feature"}`, geo.ErrNotFeatureCollection, `type is "Feature"`},
		{"no type", `{` + feats + `}`, geo.ErrNotFeatureCollection, `no "type" member`},
		{"features then null", `{"type":"FeatureCollection",` + feats + `,"features":null}`, geo.ErrEmptyLayer, ""},
		{"features then not an array", `{"type":"FeatureCollection",` + feats + `,"features":{}}`, geo.ErrNotFeatureCollection, "features is not an array"},
		{"a syntax error after the features", `{"type":"FeatureCollection",` + feats + `,"name":x}`, geo.ErrNotJSON, "unexpected 'x'"},
	} {
		_, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(tc.data), geo.DefaultFields())
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.note) {
			t.Errorf("%s: %.200v, want %v (%s)", tc.name, err, tc.want, tc.note)
		}
	}
	data := `{"type":"FeatureCollection",` + feats + `,"features":[` + ok(1) + `]}`
	bs, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(data), geo.DefaultFields())
	if err != nil || len(bs) != 1 || bs[0].ID != "ok1" || bs[0].Index != 0 {
		t.Errorf("two features members: %d buildings (%+v...), %v; want ok1 alone", len(bs), bs[:min(len(bs), 1)], err)
	}
}

// TestLoadReadErrorMidway: a read that fails after some features, or after
// all of them, fails the load with its error rather than a syntax error.
func TestLoadReadErrorMidway(t *testing.T) {
	data := gridCity(6000, nil)
	for _, in := range []string{data[:len(data)/2], data} {
		_, _, err := geo.LoadBuildings("gone.geojson", io.MultiReader(strings.NewReader(in), errReader{}), geo.DefaultFields())
		var fe *geo.FileError
		if !errors.As(err, &fe) || errors.Is(err, geo.ErrNotJSON) || !strings.Contains(err.Error(), "disk on fire") {
			t.Errorf("LoadBuildings(%d bytes, then a failing read) = %v, want a FileError with the cause", len(in), err)
		}
	}
	// A truncated file is not JSON, whatever the features before.
	_, _, err := geo.LoadBuildings("cut.geojson", strings.NewReader(data[:len(data)-3]), geo.DefaultFields())
	if !errors.Is(err, geo.ErrNotJSON) || !strings.Contains(err.Error(), "unexpected end of input") {
		t.Errorf("LoadBuildings(truncated) = %v, want ErrNotJSON", err)
	}
}

// cancelReader cancels its context once it has delivered after bytes.
type cancelReader struct {
	r      io.Reader
	read   int
	after  int
	cancel func()
}

func (c *cancelReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.read += n; c.read >= c.after {
		c.cancel()
	}
	return n, err
}

// TestLoadBuildingsCancel: cancelled while reading, or once all is read
// and the batches are decoding, LoadBuildingsContext returns
// context.Canceled, reads no more than the next block and leaves no
// goroutine behind.
func TestLoadBuildingsCancel(t *testing.T) {
	data := gridCity(20_000, nil)
	goroutines := runtime.NumGoroutine()
	for _, after := range []int{1, 100_000, len(data)} {
		ctx, cancel := context.WithCancel(context.Background())
		r := &cancelReader{r: strings.NewReader(data), after: after, cancel: cancel}
		bs, _, err := geo.LoadBuildingsContext(ctx, "b.geojson", r, geo.DefaultFields())
		if !errors.Is(err, context.Canceled) || bs != nil {
			t.Errorf("cancelled after %d bytes: %d buildings, %v; want context.Canceled", after, len(bs), err)
		}
		if r.read > after+64<<10 {
			t.Errorf("cancelled after %d bytes, read %d", after, r.read)
		}
	}
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > goroutines && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		t.Errorf("%d goroutines after cancelled loads, %d before", n, goroutines)
	}
}

// TestLoadBuildingsAbsentFields: a field that no feature has (a Shapefile
// that cut household_count to household_, a flag naming the wrong field)
// is named once for the layer, with the properties the features have and
// the one it most likely is; a field only some features lack is named
// feature by feature, as before.
func TestLoadBuildingsAbsentFields(t *testing.T) {
	load := func(layer string, f geo.Fields) error {
		_, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(layer), f)
		return err
	}
	cut := fc(feat(`"id":"b1","household_":40`, square(113.30, 40.08, 0.001)), feat(`"id":"b2","household_":7`, square(113.31, 40.08, 0.001)))
	err := load(cut, geo.Fields{Households: "household_count"})
	var fe *geo.FileError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), `no feature has the property "household_count" (--households-field); it is likely "household_": --households-field household_`) ||
		!strings.Contains(err.Error(), `the features' properties are "household_", "id"`) {
		t.Errorf("households cut short: %v", err)
	}
	// Neither the id nor the households: both named.
	none := fc(feat(`"名称":"x","户数统":4`, square(113.30, 40.08, 0.001)), feat(`"名称":"y","户数统":5`, square(113.31, 40.08, 0.001)))
	err = load(none, geo.Fields{ID: "楼栋编码", Households: "户数统计值"})
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), `"楼栋编码" (--id-field); no feature`) || !strings.Contains(err.Error(), `"户数统计值" (--households-field); it is likely "户数统"`) {
		t.Errorf("neither field: %v", err)
	}
	// Only one feature lacks it: that feature is named.
	some := fc(feat(`"id":"b1","households":40`, square(113.30, 40.08, 0.001)), feat(`"id":"b2"`, square(113.31, 40.08, 0.001)))
	err = load(some, geo.Fields{})
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 1 || le.Features[0].ID != "b2" || !errors.Is(err, geo.ErrMissingHouseholds) {
		t.Errorf("one feature without households: %v", err)
	}
}

// TestLoadAbsentOptionalFields: an optional field a flag names that no
// feature has (a typo: --compound-field 小区名 for 小区) is refused, not
// read as "no compounds"; the default names may be absent. A regions
// layer without the --region-id-field property is named once too.
func TestLoadAbsentOptionalFields(t *testing.T) {
	layer := fc(feat(`"id":"b1","households":40,"小区":"Q1"`, square(113.30, 40.08, 0.001)), feat(`"id":"b2","households":7`, square(113.31, 40.08, 0.001)))
	if _, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(layer), geo.Fields{}); err != nil {
		t.Errorf("default optional fields absent: %v", err)
	}
	if _, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(layer), geo.Fields{Compound: "小区"}); err != nil {
		t.Errorf("--compound-field 小区: %v", err)
	}
	_, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(layer), geo.Fields{Compound: "小区名", Kind: "类型"})
	if err == nil || !strings.Contains(err.Error(), `no feature has the property "小区名" (--compound-field); it is likely "小区"`) || !strings.Contains(err.Error(), `"类型" (--kind-field)`) {
		t.Errorf("--compound-field 小区名 --kind-field 类型: %v", err)
	}
	// A property only later features have (a kind given to shops alone)
	// is among those listed, and the likely one.
	// Features with ids of their own (GeoJSON members, a GeoPackage's
	// row keys): a misspelt --id-field is refused, not passed over for
	// them.
	own := `{"type":"FeatureCollection","features":[{"type":"Feature","id":7,"properties":{"编号":"x1","households":4},"geometry":` + square(113.30, 40.08, 0.001) + `}]}`
	if _, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(own), geo.Fields{ID: "编码"}); err == nil || !strings.Contains(err.Error(), `"编码" (--id-field)`) {
		t.Errorf("--id-field 编码 on features with ids of their own: %v", err)
	}
	if bs, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(own), geo.Fields{}); err != nil || bs[0].ID != "7" {
		t.Errorf("the default id field absent: %v, want the feature's own id", err)
	}
	shops := fc(feat(`"id":"b1","households":40`, square(113.30, 40.08, 0.001)), feat(`"id":"b2","households":0,"kind":"shop"`, square(113.31, 40.08, 0.001)))
	_, _, err = geo.LoadBuildings("b.geojson", strings.NewReader(shops), geo.Fields{Kind: "KIND"})
	if err == nil || !strings.Contains(err.Error(), `it is likely "kind"`) {
		t.Errorf("--kind-field KIND, kind on the second feature only: %v", err)
	}
	regions := fc(feat(`"id":"C1"`, square(113.30, 40.08, 0.01)), feat(`"id":"C2"`, square(113.32, 40.08, 0.01)))
	_, _, err = geo.LoadRegions("c.geojson", strings.NewReader(regions), "社区编码", geo.DefaultSliverM2)
	if err == nil || !strings.Contains(err.Error(), `no feature has the property "社区编码" (--region-id-field); the features' properties are "id"`) {
		t.Errorf("--region-id-field 社区编码: %v", err)
	}
}

// TestLayerErrorCountsFeatures: a feature with two errors (its own, and an
// id another feature has) counts once among the features that cannot be
// used.
func TestLayerErrorCountsFeatures(t *testing.T) {
	layer := fc(feat(`"id":"b1","households":40`, square(113.30, 40.08, 0.001)), feat(`"id":"b1","households":-1`, square(113.31, 40.08, 0.001)))
	_, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(layer), geo.Fields{})
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 2 || !strings.HasPrefix(err.Error(), "b.geojson: 1 feature cannot be used") {
		t.Errorf("err = %v; want feature 1 named twice, counted once", err)
	}
}

// TestLoadBuildingsFieldSynonyms: an attribute table in Chinese (楼栋编码,
// 户数) is refused naming the flags that read it; one whose compounds are
// in 小区名称 is planned without compounds, as the default field is
// absent, but with a warning naming the flag that keeps them whole.
func TestLoadBuildingsFieldSynonyms(t *testing.T) {
	zh := fc(feat(`"楼栋编码":"b1","户数":40,"小区名称":"幸福里"`, square(113.30, 40.08, 0.001)), feat(`"楼栋编码":"b2","户数":7,"小区名称":"幸福里"`, square(113.31, 40.08, 0.001)))
	_, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(zh), geo.Fields{})
	if err == nil || !strings.Contains(err.Error(), `it is likely "楼栋编码": --id-field 楼栋编码`) || !strings.Contains(err.Error(), `it is likely "户数": --households-field 户数`) {
		t.Errorf("a Chinese attribute table: %v", err)
	}
	bs, ws, err := geo.LoadBuildings("b.geojson", strings.NewReader(zh), geo.Fields{ID: "楼栋编码", Households: "户数"})
	if err != nil || len(ws) != 1 || ws[0].Kind != "compound_field" || !strings.Contains(ws[0].Note, "--compound-field 小区名称") || bs[0].Compound != "" {
		t.Errorf("compounds in 小区名称: %v, %+v", err, ws)
	}
	bs, ws, err = geo.LoadBuildings("b.geojson", strings.NewReader(zh), geo.Fields{ID: "楼栋编码", Households: "户数", Compound: "小区名称"})
	if err != nil || len(ws) != 0 || bs[0].Compound != "幸福里" {
		t.Errorf("--compound-field 小区名称: %v, %+v, compound %q", err, ws, bs[0].Compound)
	}
	regions := fc(feat(`"社区编码":"C1","社区名称":"幸福里社区"`, square(113.30, 40.08, 0.01)))
	if _, _, err := geo.LoadRegions("c.geojson", strings.NewReader(regions), "", geo.DefaultSliverM2); err == nil || !strings.Contains(err.Error(), `it is likely "社区编码": --region-id-field 社区编码`) {
		t.Errorf("a communities layer of 社区编码: %v", err)
	}
	// Two names either of which may hold the compounds: neither is named.
	two := fc(feat(`"id":"b1","households":40,"小区":"Q","小区名称":"幸福里"`, square(113.30, 40.08, 0.001)))
	if _, ws, err := geo.LoadBuildings("b.geojson", strings.NewReader(two), geo.Fields{}); err != nil || len(ws) != 0 {
		t.Errorf("小区 and 小区名称: %v, %+v; want no guess", err, ws)
	}
}

// TestLoadOutlinesDrawnAsLines: an outline drawn as a closed line (a CAD
// export, a boundary layer) is read as the polygon it bounds, with a
// repaired_geometry warning; a line that does not close, or several
// lines in one feature, are refused naming the GIS step that makes them
// polygons.
func TestLoadOutlinesDrawnAsLines(t *testing.T) {
	ring := `[[113.30,40.08],[113.31,40.08],[113.31,40.09],[113.30,40.09],[113.30,40.08]]`
	closed := fc(feat(`"id":"C1"`, `{"type":"LineString","coordinates":`+ring+`}`), feat(`"id":"C2"`, `{"type":"MultiLineString","coordinates":[`+strings.ReplaceAll(ring, "40.0", "40.1")+`]}`))
	rs, ws, err := geo.LoadRegions("c.geojson", strings.NewReader(closed), "id", geo.DefaultSliverM2)
	if err != nil || len(rs) != 2 || len(ws) != 2 || !strings.Contains(ws[0].Note, "closed LineString read as the polygon it bounds") {
		t.Fatalf("closed lines: %v, warnings %+v", err, ws)
	}
	if a := shape.MultiPolygonArea(rs[0].Geometry); math.Abs(a-0.0001) > 1e-9 {
		t.Errorf("C1 has area %g deg², want 0.0001", a)
	}
	bs, _, err := geo.LoadBuildings("b.geojson", strings.NewReader(fc(feat(`"id":"b1","households":4`, `{"type":"LineString","coordinates":`+ring+`}`))), geo.DefaultFields())
	if err != nil || len(bs) != 1 {
		t.Fatalf("a footprint drawn as a closed line: %v", err)
	}
	if _, ok := bs[0].Geometry.(orb.Polygon); !ok {
		t.Errorf("the footprint is a %T, want a Polygon", bs[0].Geometry)
	}
	open := fc(feat(`"id":"C1"`, `{"type":"LineString","coordinates":[[113.30,40.08],[113.31,40.08],[113.31,40.09]]}`),
		feat(`"id":"C2"`, `{"type":"MultiLineString","coordinates":[`+ring+`,`+strings.ReplaceAll(ring, "40.0", "40.1")+`]}`))
	_, _, err = geo.LoadRegions("c.geojson", strings.NewReader(open), "id", geo.DefaultSliverM2)
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 2 || !errors.Is(err, geo.ErrGeometryType) || !strings.Contains(err.Error(), "Lines to polygons") {
		t.Errorf("an open line and two lines: %v, want both refused", err)
	}
}
