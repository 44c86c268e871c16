package geo_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"gridplan/geo"
)

// TestLoadRefusesUnwritableText: ids, community and compound codes must
// be UTF-8 that can be written back as read. encoding/json replaces bytes
// that are not UTF-8, and escapes of lone surrogates, by U+FFFD, so that
// assignment.csv would no longer join the input and distinct ids would
// collide.
func TestLoadRefusesUnwritableText(t *testing.T) {
	at := func(n int) string { return square(113.31+0.001*float64(n), 40.08, 0.0005) }
	cases := []errCase{
		{"id with a byte that is not UTF-8", fc(ok(0), feat("\"id\":\"b\xff7\",\"households\":3", at(1))), geo.ErrInvalidText, []string{"feature 1", "id", `b\xff7`, "0xff"}},
		{"id with a lone high surrogate", fc(ok(0), feat(`"id":"b\ud8007","households":3`, at(1))), geo.ErrInvalidText, []string{"feature 1", "id", `\ud800`}},
		{"id with a lone low surrogate", fc(ok(0), feat(`"id":"b\udc007","households":3`, at(1))), geo.ErrInvalidText, []string{"feature 1", `\udc00`}},
		{"high surrogate before another escape", fc(ok(0), feat(`"id":"b\ud800\u00417","households":3`, at(1))), geo.ErrInvalidText, []string{"feature 1", `\ud800`}},
		{"surrogate at the end", fc(ok(0), feat(`"id":"b7\ud800","households":3`, at(1))), geo.ErrInvalidText, []string{"feature 1", `\ud800`}},
		{"community not UTF-8", fc(ok(0), feat(`"id":"b7","households":3,"community":"`+"\xc3("+`"`, at(1))), geo.ErrInvalidText, []string{"feature 1", `"b7"`, "community"}},
		{"compound not UTF-8", fc(ok(0), feat(`"id":"b7","households":3,"compound":"`+"\xe6\x9c"+`"`, at(1))), geo.ErrInvalidText, []string{"feature 1", `"b7"`, "compound"}},
	}
	runErrCases(t, cases, loadBuildings)
	// Every such feature is named, not only the first.
	_, _, err := geo.LoadBuildings("layer.geojson", strings.NewReader(fc(feat(`"id":"a`+"\xff"+`","households":3`, at(0)), feat(`"id":"a`+"\xfe"+`","households":3`, at(1)), ok(5))), geo.DefaultFields())
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 2 {
		t.Errorf("two ids that are not UTF-8: %v, want a LayerError naming both", err)
	}
	// Text that is UTF-8, escaped or not, is read as written.
	bs, _, err := geo.LoadBuildings("layer.geojson", strings.NewReader(fc(
		feat(`"id":"\ud83c\udfe0 楼\u0031","households":3,"community":"�","compound":"\ufffd"`, at(0)))), geo.DefaultFields())
	if err != nil || bs[0].ID != "🏠 楼1" || bs[0].Community != "\ufffd" || bs[0].Compound != "\ufffd" {
		t.Errorf("valid text: %+v, %v", bs, err)
	}
	// Regions and grid layers read ids the same way.
	if _, _, err := geo.LoadRegions("layer.geojson", strings.NewReader(fc(feat(`"id":"C\ud800"`, at(0)))), "id", 1); !errors.Is(err, geo.ErrInvalidText) {
		t.Errorf("LoadRegions(lone surrogate) = %v, want ErrInvalidText", err)
	}
	if _, err := geo.LoadGrids("layer.geojson", strings.NewReader(fc(feat(`"code":"C`+"\xff"+`001"`, at(0)))), "code"); !errors.Is(err, geo.ErrInvalidText) {
		t.Errorf("LoadGrids(code not UTF-8) = %v, want ErrInvalidText", err)
	}
}

// TestLoadRefusesAntimeridian: a ring whose consecutive vertices are more
// than 180° of longitude apart runs the long way round the globe (read as
// drawn, 179.9999 to -179.9999 is 40,000 km wide), and a layer on both
// sides of the antimeridian is no city: both are refused, naming every
// such feature.
func TestLoadRefusesAntimeridian(t *testing.T) {
	across := `{"type":"Polygon","coordinates":[[[179.9999,40.08],[-179.9999,40.08],[-179.9999,40.0801],[179.9999,40.0801],[179.9999,40.08]]]}`
	cases := []errCase{
		{"footprint across", fc(feat(`"id":"b7","households":3`, across)), geo.ErrAntimeridian, []string{"feature 0", `"b7"`, "ring 0", "179.9999", "-179.9999"}},
		{"multipolygon across", fc(feat(`"id":"b7","households":3`, `{"type":"MultiPolygon","coordinates":[`+strings.TrimSuffix(strings.TrimPrefix(across, `{"type":"Polygon","coordinates":`), "}")+`]}`)), geo.ErrAntimeridian, []string{"feature 0", `"b7"`, "polygon 0"}},
		{"features on both sides", fc(feat(`"id":"e","households":3`, square(179.99, 40.08, 0.001)), feat(`"id":"w","households":3`, square(-179.999, 40.08, 0.001))), geo.ErrExtent, []string{"antimeridian", `"e"`, `"w"`, "360° of longitude"}},
		{"a sign dropped", fc(ok(0), feat(`"id":"w","households":3`, square(-113.3, 40.08, 0.001))), geo.ErrExtent, []string{"sign dropped", `feature 1 (id "w") at -113.3`, "227° of longitude"}},
	}
	runErrCases(t, cases, loadBuildings)
	_, _, err := geo.LoadBuildings("layer.geojson", strings.NewReader(fc(feat(`"id":"a","households":3`, across), ok(1), feat(`"id":"b","households":3`, across))), geo.DefaultFields())
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 2 || le.Features[0].ID != "a" || le.Features[1].ID != "b" {
		t.Errorf("two footprints across: %v, want a LayerError naming both", err)
	}
	if _, _, err := geo.LoadRegions("layer.geojson", strings.NewReader(fc(feat(`"id":"C1"`, across))), "id", 1); !errors.Is(err, geo.ErrAntimeridian) {
		t.Errorf("LoadRegions(across) = %v, want ErrAntimeridian", err)
	}
	if _, err := geo.LoadBarriers("layer.geojson", strings.NewReader(fc(feat(`"id":"r1"`, `{"type":"LineString","coordinates":[[179.9,40],[-179.9,40]]}`))), "id"); !errors.Is(err, geo.ErrAntimeridian) {
		t.Errorf("LoadBarriers(across) = %v, want ErrAntimeridian", err)
	}
	if _, err := geo.LoadGrids("layer.geojson", strings.NewReader(fc(feat(`"code":"G1"`, across))), "code"); !errors.Is(err, geo.ErrAntimeridian) {
		t.Errorf("LoadGrids(across) = %v, want ErrAntimeridian", err)
	}
}

// TestLoadRefusesWideLayer: a layer spanning more than geo.MaxExtentKM is
// refused, naming the features at its ends; one as wide as a large
// prefecture-level city is not.
func TestLoadRefusesWideLayer(t *testing.T) {
	b := func(id string, lon, lat float64) string {
		return feat(fmt.Sprintf(`"id":%q,"households":3`, id), square(lon, lat, 0.0005))
	}
	cases := []errCase{
		// A sign dropped: 13.3 for 113.3 (8,500 km away).
		{"a digit dropped", fc(b("a", 113.3, 40.08), b("b", 113.31, 40.08), b("typo", 13.3, 40.08)), geo.ErrExtent, []string{"west to east", `feature 2 (id "typo")`, `feature 1 (id "b")`, "500 km"}},
		{"north to south", fc(b("a", 113.3, 40.08), b("far", 113.3, 45.08)), geo.ErrExtent, []string{"south to north", `"a"`, `"far"`, "557 km"}},
	}
	runErrCases(t, cases, loadBuildings)
	// Datong's prefecture is about 200 km across; 4° of longitude at 40°N
	// is 341 km, 3° of latitude 334 km.
	if _, _, err := geo.LoadBuildings("layer.geojson", strings.NewReader(fc(b("a", 112, 39), b("b", 116, 42))), geo.DefaultFields()); err != nil {
		t.Errorf("a layer 341 km by 334 km: %v", err)
	}
	if _, _, err := geo.LoadRegions("layer.geojson", strings.NewReader(fc(feat(`"id":"C1"`, square(100, 30, 0.01)), feat(`"id":"C2"`, square(110, 30, 0.01)))), "id", 1); !errors.Is(err, geo.ErrExtent) {
		t.Errorf("LoadRegions(1,000 km apart) = %v, want ErrExtent", err)
	}
}
