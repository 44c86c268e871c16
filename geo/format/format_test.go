package format

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"gridplan/geo"
	"gridplan/geo/crs"
	"gridplan/geo/feature"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func TestShortNamesFitDBase(t *testing.T) {
	seen := map[string]string{}
	for long, short := range ShortNames {
		if len(short) > 10 {
			t.Errorf("%s -> %s: %d bytes, dBASE holds 10", long, short, len(short))
		}
		if prev, ok := seen[short]; ok {
			t.Errorf("%s and %s share the Shapefile name %s", prev, long, short)
		}
		seen[short] = long
	}
	for _, c := range []struct{ in, want string }{
		{"code", "code"}, {"households", "households"}, {"split_compound", "split_cmpd"},
		{"smallest_piece_m2", "smallest_p"}, {"社区名称代码", "社区名"},
	} {
		if got := ShortName(c.in); got != c.want {
			t.Errorf("ShortName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCutText(t *testing.T) {
	for _, s := range []string{strings.Repeat("a", 300), strings.Repeat("网格", 100), "short", strings.Repeat("ab网", 90)} {
		got := cutText(s, maxText)
		if len(got) > maxText || !utf8.ValidString(got) {
			t.Errorf("cutText(%d bytes) = %d bytes, valid %v", len(s), len(got), utf8.ValidString(got))
		}
		if len(s) <= maxText && got != s {
			t.Errorf("cutText changed a text that fits: %q", got)
		}
		if len(s) > maxText && (!strings.HasSuffix(got, "…") || !strings.HasPrefix(s, strings.TrimSuffix(got, "…"))) {
			t.Errorf("cutText(%q…) = %q: not a prefix and an ellipsis", s[:20], got)
		}
	}
}

func TestSplitLayerAndKind(t *testing.T) {
	for _, c := range []struct {
		in, file, layer string
		kind            Kind
	}{
		{"district.gpkg:buildings", "district.gpkg", "buildings", GeoPackage},
		{"district.gpkg", "district.gpkg", "", GeoPackage},
		{`C:\data\a.shp`, `C:\data\a.shp`, "", Shapefile},
		{`C:\data\b.GPKG:楼栋`, `C:\data\b.GPKG`, "楼栋", GeoPackage},
		{"a.geojson", "a.geojson", "", GeoJSON},
		{"x:y.json", "x:y.json", "", GeoJSON},
	} {
		f, l := SplitLayer(c.in)
		if f != c.file || l != c.layer || KindOf(c.in) != c.kind {
			t.Errorf("SplitLayer(%q) = %q, %q, kind %v; want %q, %q, %v", c.in, f, l, KindOf(c.in), c.file, c.layer, c.kind)
		}
	}
	for _, s := range []string{"shp", "GPKG", "geojson", "Shapefile"} {
		if _, err := ParseKind(s); err != nil {
			t.Errorf("ParseKind(%q): %v", s, err)
		}
	}
	if _, err := ParseKind("kml"); err == nil {
		t.Error("ParseKind(kml) accepted")
	}
}

// writeFile writes data to name in a temporary directory.
func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readAll reads a layer as gridplan's loaders do.
func readAll(t *testing.T, l *Layer) *geojson.FeatureCollection {
	t.Helper()
	rc, err := l.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		t.Fatalf("not a FeatureCollection: %v\n%s", err, data)
	}
	return fc
}

// TestGeoJSONRoundTripInGaussKruger: a layer written in CGCS2000
// Gauss–Krüger GeoJSON (with its crs member) is read back in lon/lat, its
// properties unchanged, and the exact map gives the metres back bit for
// bit.
func TestGeoJSONRoundTripInGaussKruger(t *testing.T) {
	gk, err := crs.Parse("EPSG:4527")
	if err != nil {
		t.Fatal(err)
	}
	in := orb.Polygon{{{116.9, 36.65}, {116.901, 36.65}, {116.901, 36.651}, {116.9, 36.651}, {116.9, 36.65}}}
	fc := geojson.NewFeatureCollection()
	f := geojson.NewFeature(in)
	f.Properties = map[string]any{"id": "和平里社区", "households": 120.0, "area": 12.5, "flag": true, "note": nil}
	fc.Append(f)
	fields, fs := FromGeoJSON(fc, gk)
	if len(fields) != 5 || fields[2].Type != feature.Integer || fields[0].Type != feature.Real {
		t.Fatalf("fields = %+v", fields)
	}
	files, err := EncodeGeoJSON("layer", fields, fs, WriteOptions{System: gk})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(files[0].Data), `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4527"}}`) {
		t.Fatalf("no crs member:\n%s", files[0].Data)
	}
	p := writeFile(t, "layer.geojson", files[0].Data)
	l, err := Open(p, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if l.System != gk {
		t.Fatalf("system %v, want %v (from the crs member)", l.System, gk)
	}
	l.Exact = map[orb.Point]orb.Point{}
	back := readAll(t, l)
	got := back.Features[0]
	if got.Properties["id"] != "和平里社区" || got.Properties["households"] != 120.0 || got.Properties["flag"] != true {
		t.Errorf("properties %v", got.Properties)
	}
	ring := got.Geometry.(orb.Polygon)[0]
	for i, v := range ring {
		if d := math.Hypot(v[0]-in[0][i][0], v[1]-in[0][i][1]); d > 1e-10 {
			t.Errorf("vertex %d: %v, want %v (%g°)", i, v, in[0][i], d)
		}
		if m := l.Exact[v]; m != fs[0].Geometry.(orb.Polygon)[0][i] {
			t.Errorf("vertex %d: exact %v, written %v", i, m, fs[0].Geometry.(orb.Polygon)[0][i])
		}
	}
}

// TestWrongSystemNamesEveryFeature: lon/lat numbers in a layer declared
// as Gauss–Krüger metres are refused, naming each feature.
func TestWrongSystemNamesEveryFeature(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4527"}},"features":[`)
	for i := range 3 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"id":"B%d"},"geometry":{"type":"Point","coordinates":[116.9%d,36.65]}}`, i, i)
	}
	b.WriteString(`]}`)
	p := writeFile(t, "b.geojson", []byte(b.String()))
	l, err := Open(p, ReadOptions{IDFields: [2]string{"", "id"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Open()
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 3 || !errors.Is(le.Features[2].Err, ErrWrongSystem) || le.Features[2].ID != "B2" {
		t.Fatalf("err = %v, want a layer error naming all 3 features, by id", err)
	}
	if !strings.Contains(err.Error(), "b.geojson") {
		t.Errorf("the error does not name the file: %v", err)
	}
}

// TestCRSFlagOverridesWithWarning: --crs wins over what the file states,
// and says so.
func TestCRSFlagOverridesWithWarning(t *testing.T) {
	p := writeFile(t, "b.geojson", []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4490"}},"features":[]}`))
	gcj, _ := crs.Parse("gcj02")
	l, err := Open(p, ReadOptions{CRS: &gcj})
	if err != nil {
		t.Fatal(err)
	}
	if l.System != gcj || len(l.Warnings()) != 1 || l.Warnings()[0].Kind != "crs_override" || !strings.Contains(l.Warnings()[0].Note, "4490") {
		t.Errorf("system %v, warnings %+v", l.System, l.Warnings())
	}
	if _, err := Open(writeFile(t, "c.geojson", []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:2000"}},"features":[]}`)), ReadOptions{}); err == nil || !strings.Contains(err.Error(), "--crs") {
		t.Errorf("an unknown stated system: err %v, want one suggesting --crs", err)
	}
}

// TestUnreadableRecordsAllNamed: a Shapefile cut short (its .shx still
// whole) is refused naming every record that cannot be read, each once,
// without the file's path repeated in the message.
func TestUnreadableRecordsAllNamed(t *testing.T) {
	dir := t.TempDir()
	var fs []feature.Feature
	for i := range 20 {
		x := 116.9 + float64(i)*0.001
		fs = append(fs, feature.Feature{Geometry: orb.Polygon{{{x, 36.65}, {x + 0.0005, 36.65}, {x + 0.0005, 36.6505}, {x, 36.6505}, {x, 36.65}}},
			Properties: []feature.Property{{Name: "id", Value: fmt.Sprint(i)}}})
	}
	files, err := Encode("b", []feature.Field{{Name: "id", Type: feature.String}}, fs, WriteOptions{Kind: Shapefile, System: crs.WGS84})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data := f.Data
		if f.Name == "b.shp" {
			data = data[:len(data)-3*136+20] // the last three records gone, one cut
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	name := filepath.Join(dir, "b.shp")
	l, err := Open(name, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := l.Open()
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(rc)
	rc.Close()
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 3 {
		t.Fatalf("err = %v, want the 3 unreadable records named", err)
	}
	if msg := err.Error(); strings.Count(msg, name) != 4 || !strings.Contains(msg, "feature 17") || !strings.Contains(msg, "feature 19") {
		t.Errorf("message names the file %d times (want once per line) or misses a record:\n%s", strings.Count(msg, name), msg)
	}

	// Declared in Gauss–Krüger metres as well: the 17 readable features
	// contradict it, and are named with the 3 unreadable ones, in order.
	gk, _ := crs.Parse("EPSG:4527")
	if err := os.WriteFile(filepath.Join(dir, "b.prj"), []byte(gk.ESRIWKT()), 0o644); err != nil {
		t.Fatal(err)
	}
	if l, err = Open(name, ReadOptions{}); err != nil {
		t.Fatal(err)
	}
	if rc, err = l.Open(); err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(rc)
	rc.Close()
	if !errors.As(err, &le) || len(le.Features) != 20 || le.Features[0].Index != 0 || le.Features[19].Index != 19 || !errors.Is(le.Features[0].Err, ErrWrongSystem) {
		t.Fatalf("err = %v, want all 20 features named in order, the first in the wrong system", err)
	}

	// Told which property holds the id, every one is named by it too: the
	// unreadable records' from the .dbf.
	if l, err = Open(name, ReadOptions{IDFields: [2]string{"id"}}); err != nil {
		t.Fatal(err)
	}
	if rc, err = l.Open(); err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(rc)
	rc.Close()
	if !errors.As(err, &le) || len(le.Features) != 20 {
		t.Fatalf("err = %v, want all 20 features named", err)
	}
	for i, fe := range le.Features {
		if fe.ID != fmt.Sprint(i) {
			t.Errorf("feature %d named %q, want its id %q", i, fe.ID, fmt.Sprint(i))
		}
	}
}

// TestCheckExtentNamesTheZone: a layer to be written in a Gauss–Krüger
// zone far from the district is refused with the zone that holds it,
// not with what its coordinates in the far zone happen to look like.
func TestCheckExtentNamesTheZone(t *testing.T) {
	for _, tc := range []struct{ out, want string }{
		{"EPSG:4513", "in EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)"},
		{"EPSG:4534", "in EPSG:4548"},
		{"EPSG:4502", "in EPSG:4509"},
	} {
		s, err := crs.Parse(tc.out)
		if err != nil {
			t.Fatal(err)
		}
		// A district 10 km across near Jinan (116.9°E, 36.65°N).
		b := orb.Bound{Min: s.FromLonLat(orb.Point{116.85, 36.6}), Max: s.FromLonLat(orb.Point{116.95, 36.7})}
		b = b.Extend(s.FromLonLat(orb.Point{116.85, 36.7})).Extend(s.FromLonLat(orb.Point{116.95, 36.6}))
		err = CheckExtent("grids.shp", b, s)
		if !errors.Is(err, ErrOutOfSystem) || !strings.Contains(err.Error(), "the district lies at 116.90°E, "+tc.want) {
			t.Errorf("%s: %v; want the district's zone named, %s", tc.out, err, tc.want)
		}
	}
	s, _ := crs.Parse("EPSG:4527")
	if err := CheckExtent("grids.shp", orb.Bound{Min: s.FromLonLat(orb.Point{116.85, 36.6}), Max: s.FromLonLat(orb.Point{116.95, 36.7})}, s); err != nil {
		t.Errorf("the district's own zone: %v", err)
	}
}

// TestWrongCodePage: a .cpg that names UTF-8 over a GBK table (or GBK
// over UTF-8) is corrected, the layer read in the encoding its text is
// in, with a text_encoding warning naming the .cpg.
func TestWrongCodePage(t *testing.T) {
	for _, tc := range []struct{ written, cpg string }{{"gbk", "UTF-8"}, {"utf-8", "936"}} {
		dir := t.TempDir()
		fs := []feature.Feature{{Geometry: orb.Polygon{{{116.9, 36.65}, {116.9005, 36.65}, {116.9005, 36.6505}, {116.9, 36.6505}, {116.9, 36.65}}},
			Properties: []feature.Property{{Name: "id", Value: "楼000001"}, {Name: "社区", Value: "历下区社区"}}}}
		files, err := Encode("b", []feature.Field{{Name: "id", Type: feature.String}, {Name: "社区", Type: feature.String}}, fs,
			WriteOptions{Kind: Shapefile, System: crs.WGS84, Encoding: tc.written})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			data := f.Data
			if f.Name == "b.cpg" {
				data = []byte(tc.cpg)
			}
			if err := os.WriteFile(filepath.Join(dir, f.Name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		l, err := Open(filepath.Join(dir, "b.shp"), ReadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rc, err := l.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !strings.Contains(string(data), "历下区社区") || !strings.Contains(string(data), "楼000001") {
			t.Errorf("%s under a .cpg of %s: %v\n%s", tc.written, tc.cpg, err, data)
		}
		ws := l.Warnings()
		if len(ws) != 1 || ws[0].Kind != "text_encoding" || !strings.Contains(ws[0].Note, "b.cpg names") || !strings.Contains(ws[0].Note, "read as "+tc.written) {
			t.Errorf("%s under a .cpg of %s: warnings %+v", tc.written, tc.cpg, ws)
		}
	}
}

// TestWrongSystemNotConverted: a Shapefile of Gauss–Krüger metres read as
// BD-09 (a --crs meant for another layer) fails naming each feature, and
// its coordinates are not converted on the way: eastings read as degrees
// split every edge into thousands of points, each found by iteration, so
// that a layer of a few thousand features ran for minutes and gigabytes.
func TestWrongSystemNotConverted(t *testing.T) {
	gk, err := crs.Parse("EPSG:4524")
	if err != nil {
		t.Fatal(err)
	}
	bd, err := crs.Parse("bd09")
	if err != nil {
		t.Fatal(err)
	}
	var fs []feature.Feature
	for i := range 20 {
		x, y := 36500000+float64(i)*300, 3800000.0
		fs = append(fs, feature.Feature{Geometry: orb.Polygon{{{x, y}, {x + 200, y}, {x + 200, y + 200}, {x, y + 200}, {x, y}}},
			Properties: []feature.Property{{Name: "id", Value: fmt.Sprint("G", i)}}})
	}
	files, err := Encode("g", []feature.Field{{Name: "id", Type: feature.String}}, fs, WriteOptions{Kind: Shapefile, System: gk})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l, err := Open(filepath.Join(dir, "g.shp"), ReadOptions{CRS: &bd, IDFields: [2]string{"id", "id"}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := l.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 20 || !errors.Is(le.Features[0].Err, ErrWrongSystem) {
		t.Fatalf("err = %v, want all 20 features named", err)
	}
	if n := bytes.Count(data, []byte("],[")); n > 0 {
		t.Errorf("the stream holds %d converted positions of features not in the system", n)
	}
}

// TestFromGeoJSONNullFirst: a property whose first values are null is one
// field, of the type of the values that follow (it was added once per
// null, and a Shapefile or GeoPackage of it refused as having a field
// twice).
func TestFromGeoJSONNullFirst(t *testing.T) {
	fc := geojson.NewFeatureCollection()
	for _, v := range []any{nil, nil, "C1", nil} {
		f := geojson.NewFeature(orb.Point{116.9, 36.65})
		f.Properties["community"] = v
		f.Properties["households"] = 3
		fc.Append(f)
	}
	fields, fs := FromGeoJSON(fc, crs.WGS84)
	if len(fields) != 2 || fields[0].Name != "community" || fields[0].Type != feature.String || fields[1].Name != "households" {
		t.Fatalf("fields %+v, want community (string) and households once each", fields)
	}
	if _, err := Encode("b", fields, fs, WriteOptions{Kind: GeoPackage, System: crs.WGS84}); err != nil {
		t.Errorf("a GeoPackage of it: %v", err)
	}
}

// TestWholeEdges: a Gauss–Krüger layer's edges 500 m long are split as it
// is read, so that they bend as they do in metres; read with WholeEdges
// (a grid layer gridplan wrote in another system than its layers) only
// the vertices are converted.
func TestWholeEdges(t *testing.T) {
	gk, err := crs.Parse("EPSG:4538")
	if err != nil {
		t.Fatal(err)
	}
	x, y := 500000.0, 4850000.0
	fs := []feature.Feature{{Geometry: orb.Polygon{{{x, y}, {x + 500, y}, {x + 500, y + 500}, {x, y + 500}, {x, y}}},
		Properties: []feature.Property{{Name: "id", Value: "G1"}}}}
	files, err := Encode("g", []feature.Field{{Name: "id", Type: feature.String}}, fs, WriteOptions{Kind: GeoPackage, System: gk})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), files[0].Name)
	if err := os.WriteFile(path, files[0].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	vertices := func(o ReadOptions) int {
		t.Helper()
		data, err := openAndRead(t, path, o)
		if err != nil {
			t.Fatal(err)
		}
		fc, err := geojson.UnmarshalFeatureCollection(data)
		if err != nil || len(fc.Features) != 1 {
			t.Fatalf("read: %v", err)
		}
		return len(fc.Features[0].Geometry.(orb.Polygon)[0])
	}
	if n := vertices(ReadOptions{}); n <= 5 {
		t.Errorf("a square of 500 m read with %d vertices, want its east-west edges split", n)
	}
	if n := vertices(ReadOptions{WholeEdges: true}); n != 5 {
		t.Errorf("read with WholeEdges: %d vertices, want the 5 written", n)
	}
}

// TestGeoJSONReprojectedInParallel: a Gauss–Krüger GeoJSON layer of 3,000
// features, converted by several workers, reads as one worker reads it:
// every feature converted in order, the features that contradict the
// system all named, in order, whichever worker met them.
func TestGeoJSONReprojectedInParallel(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4527"}},"features":[`)
	for i := range 3000 {
		if i > 0 {
			b.WriteByte(',')
		}
		x, y := 39500000+float64(i%60)*40, 4420000+float64(i/60)*40
		if i == 7 || i == 2999 {
			x, y = 117.0, 39.0 // longitude/latitude in a layer of metres
		}
		fmt.Fprintf(&b, `{"type":"Feature","properties":{"id":"B%04d","households":%d},"geometry":{"type":"Polygon","coordinates":[[[%v,%v],[%v,%v],[%v,%v],[%v,%v],[%v,%v]]]}}`,
			i, i%50, x, y, x+20, y, x+20, y+20, x, y+20, x, y)
	}
	b.WriteString(`]}`)
	path := filepath.Join(t.TempDir(), "b.geojson")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := openAndRead(t, path, ReadOptions{IDFields: [2]string{"id", "id"}})
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 2 || le.Features[0].Index != 7 || le.Features[1].ID != "B2999" {
		t.Fatalf("err = %v, want features 7 and 2999 named, in order", err)
	}

	// Without them, every feature in longitude/latitude, in order.
	fixed := strings.NewReplacer("[117,39]", "[39500000,4420000]", "[137,39]", "[39500020,4420000]", "[137,59]", "[39500020,4420020]", "[117,59]", "[39500000,4420020]").Replace(b.String())
	if err := os.WriteFile(path, []byte(fixed), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := openAndRead(t, path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil || len(fc.Features) != 3000 {
		t.Fatalf("read back: %v, %d features", err, len(fc.Features))
	}
	for i, f := range fc.Features {
		p := f.Geometry.(orb.Polygon)[0][0]
		if f.Properties["id"] != fmt.Sprintf("B%04d", i) || math.Abs(p[0]-117) > 0.1 || math.Abs(p[1]-39.9) > 0.1 {
			t.Fatalf("feature %d: id %v at %v", i, f.Properties["id"], p)
		}
	}
}

// TestLayersConvertedInParallel: Shapefile and GeoPackage layers of 3,000
// Gauss–Krüger features, encoded by several workers, read as one worker
// reads them: every feature in order, converted.
func TestLayersConvertedInParallel(t *testing.T) {
	gk, err := crs.Parse("EPSG:4527")
	if err != nil {
		t.Fatal(err)
	}
	var fs []feature.Feature
	for i := range 3000 {
		x, y := 39500000+float64(i%60)*40, 4420000+float64(i/60)*40
		fs = append(fs, feature.Feature{Geometry: orb.Polygon{{{x, y}, {x + 20, y}, {x + 20, y + 20}, {x, y + 20}, {x, y}}},
			Properties: []feature.Property{{Name: "id", Value: fmt.Sprintf("B%04d", i)}}})
	}
	for _, kind := range []Kind{Shapefile, GeoPackage} {
		read := func(fs []feature.Feature) ([]byte, error) {
			t.Helper()
			files, err := Encode("g", []feature.Field{{Name: "id", Type: feature.String}}, fs, WriteOptions{Kind: kind, System: gk})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for _, f := range files {
				if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			return openAndRead(t, filepath.Join(dir, files[0].Name), ReadOptions{IDFields: [2]string{"id", "id"}})
		}
		data, err := read(fs)
		if err != nil {
			t.Fatalf("%v: %v", kind, err)
		}
		fc, err := geojson.UnmarshalFeatureCollection(data)
		if err != nil || len(fc.Features) != 3000 {
			t.Fatalf("%v: read back: %v", kind, err)
		}
		for i, f := range fc.Features {
			p := f.Geometry.(orb.Polygon)[0][0]
			if f.Properties["id"] != fmt.Sprintf("B%04d", i) || math.Abs(p[0]-117) > 0.1 || math.Abs(p[1]-39.9) > 0.1 {
				t.Fatalf("%v: feature %d: id %v at %v", kind, i, f.Properties["id"], p)
			}
		}
	}
}

// openAndRead opens the layer path with o and reads it whole, as the loaders
// read it: the error of opening it, or of reading it.
func openAndRead(t *testing.T, path string, o ReadOptions) ([]byte, error) {
	t.Helper()
	l, err := Open(path, o)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := l.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
