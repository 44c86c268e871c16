package shp_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"gridplan/geo/feature"
	"gridplan/geo/geotest"
	"gridplan/geo/shp"
)

// ogrInput is a GeoJSON layer with Chinese text, every value type, a
// hole, a multipolygon and nulls, in RFC 7946 orientation.
const ogrInput = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"名称":"朝阳社区","hh":420,"area":12.5,"ok":true,"d":"2024-03-05"},
 "geometry":{"type":"Polygon","coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]],[[2,2],[2,4],[4,4],[4,2],[2,2]]]}},
{"type":"Feature","properties":{"名称":null,"hh":null,"area":null,"ok":null,"d":null},
 "geometry":{"type":"MultiPolygon","coordinates":[[[[20,0],[30,0],[30,10],[20,10],[20,0]]],[[[40,0],[50,0],[50,10],[40,10],[40,0]]]]}},
{"type":"Feature","properties":{"名称":"第三网格（东）","hh":-3,"area":-0.25,"ok":false,"d":"1999-12-31"},"geometry":null}
]}`

// ogrWant is what a shapefile made of ogrInput by ogr2ogr holds. GDAL
// writes a boolean as a number column of width 1.
func ogrWant() []feature.Feature {
	p := func(name, hh, area, ok, d any) []feature.Property {
		return []feature.Property{{Name: "名称", Value: name}, {Name: "hh", Value: hh}, {Name: "area", Value: area},
			{Name: "ok", Value: ok}, {Name: "d", Value: d}}
	}
	return []feature.Feature{
		{Geometry: orb.Polygon{square(0, 0, 10, 10), cw(square(2, 2, 4, 4))}, Properties: p("朝阳社区", int64(420), 12.5, int64(1), "2024-03-05")},
		{Geometry: orb.MultiPolygon{{square(20, 0, 30, 10)}, {square(40, 0, 50, 10)}}, Properties: p(nil, nil, nil, nil, nil)},
		{Geometry: nil, Properties: p("第三网格（东）", int64(-3), -0.25, int64(0), "1999-12-31")},
	}
}

// run runs a command and fails the test if it fails or writes to stderr.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

func TestReadOGR2OGR(t *testing.T) {
	ogr2ogr := geotest.GDAL(t, "ogr2ogr")
	dir := t.TempDir()
	in := filepath.Join(dir, "in.geojson")
	if err := os.WriteFile(in, []byte(ogrInput), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lco, wantEnc string
		dropCPG      bool
		wantSources  []string
	}{
		{"ENCODING=UTF-8", shp.UTF8, false, []string{shp.SourceCPG}},
		{"ENCODING=GBK", shp.GBK, false, []string{shp.SourceCPG}},
		// GDAL 3.6 writes language driver 0, so the text decides; other
		// versions may write 0x4D.
		{"ENCODING=GBK", shp.GBK, true, []string{shp.SourceLDID, shp.SourceDetected}},
	} {
		t.Run(fmt.Sprintf("%s,drop-cpg=%v", tc.lco, tc.dropCPG), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "grids.shp")
			run(t, ogr2ogr, "-f", "ESRI Shapefile", "-lco", tc.lco, out, in)
			if tc.dropCPG {
				if err := os.Remove(strings.TrimSuffix(out, ".shp") + ".cpg"); err != nil {
					t.Fatal(err)
				}
			}
			r, got := readAll(t, out, shp.ReadOptions{})
			if r.Encoding() != tc.wantEnc || !contains(tc.wantSources, r.EncodingSource()) {
				t.Errorf("Encoding(), EncodingSource() = %q, %q; want %q from one of %q", r.Encoding(), r.EncodingSource(), tc.wantEnc, tc.wantSources)
			}
			prj, err := os.ReadFile(strings.TrimSuffix(out, ".shp") + ".prj")
			if err != nil {
				t.Fatal(err)
			}
			if r.CRS() != strings.TrimSpace(string(prj)) || !strings.Contains(r.CRS(), "WGS") {
				t.Errorf("CRS() = %q, want the .prj %q", r.CRS(), prj)
			}
			if want := ogrWant(); !reflect.DeepEqual(got, want) {
				t.Errorf("read\n%#v\nwant\n%#v", got, want)
			}
		})
	}
}

// TestReadOGR2OGRLongNames: GDAL cuts a field name longer than dBASE's
// 10 bytes there, GDAL 3.6 inside a character (备注说明信息 in UTF-8 is
// stored as 备注说 and a byte of 明, B栋备注信息 in GBK as B栋备注信 and a
// byte of 息). The layer is read, each name up to its last whole character.
func TestReadOGR2OGRLongNames(t *testing.T) {
	ogr2ogr := geotest.GDAL(t, "ogr2ogr")
	in := filepath.Join(t.TempDir(), "in.geojson")
	const layer = `{"type":"FeatureCollection","features":[{"type":"Feature",
"properties":{"id":"B1","户数统计值":420,"备注说明信息":"无","B栋备注信息":"无"},"geometry":{"type":"Point","coordinates":[1,2]}}]}`
	if err := os.WriteFile(in, []byte(layer), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lco     string
		dropCPG bool
		want    []string
	}{
		{"ENCODING=UTF-8", false, []string{"id", "户数统", "备注说", "B栋备注"}},
		{"ENCODING=UTF-8", true, []string{"id", "户数统", "备注说", "B栋备注"}},
		{"ENCODING=CP936", false, []string{"id", "户数统计值", "备注说明信", "B栋备注信"}},
		{"ENCODING=CP936", true, []string{"id", "户数统计值", "备注说明信", "B栋备注信"}},
	} {
		t.Run(fmt.Sprintf("%s,drop-cpg=%v", tc.lco, tc.dropCPG), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "b.shp")
			// GDAL warns that it cut the names.
			if b, err := exec.Command(ogr2ogr, "-f", "ESRI Shapefile", "-lco", tc.lco, out, in).CombinedOutput(); err != nil {
				t.Fatalf("ogr2ogr: %v\n%s", err, b)
			}
			if tc.dropCPG {
				if err := os.Remove(strings.TrimSuffix(out, ".shp") + ".cpg"); err != nil {
					t.Fatal(err)
				}
			}
			var warns []*shp.Error
			r, got := readAll(t, out, shp.ReadOptions{Warn: func(e *shp.Error) { warns = append(warns, e) }})
			var names []string
			for _, f := range r.Fields() {
				names = append(names, f.Name)
			}
			if !reflect.DeepEqual(names, tc.want) || len(warns) > 0 {
				t.Errorf("Fields() = %q with warnings %v; want %q", names, warns, tc.want)
			}
			want := []any{"B1", int64(420), "无", "无"}
			for k, p := range got[0].Properties {
				if p.Value != want[k] {
					t.Errorf("property %q = %#v, want %#v", p.Name, p.Value, want[k])
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// gdalFeatures are testFeatures without what GDAL reads otherwise than
// this package: leading blanks (GDAL trims them) and numbers too large
// for fixed decimals (ogrinfo prints every digit).
func gdalFeatures() []feature.Feature {
	fs := testFeatures()
	fs[2].Properties[0].Value = "第三网格（东）"
	fs[3].Properties[2].Value = 1.5e6
	return fs
}

// TestOGRInfoReadsEncode checks the files Encode writes against GDAL:
// no warning, the right type and count, and equal values and shapes.
func TestOGRInfoReadsEncode(t *testing.T) {
	ogrinfo := geotest.GDAL(t, "ogrinfo")
	for _, enc := range []string{"utf-8", "gbk"} {
		t.Run(enc, func(t *testing.T) {
			want := gdalFeatures()
			files, err := shp.Encode(testFields, want, shp.WriteOptions{Encoding: enc, PRJ: `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`})
			if err != nil {
				t.Fatal(err)
			}
			path := save(t, t.TempDir(), "grids", files)
			summary := run(t, ogrinfo, "-al", "-so", path)
			for _, bad := range []string{"ERROR", "Warning"} {
				if strings.Contains(summary, bad) {
					t.Errorf("ogrinfo -al -so reports %q:\n%s", bad, summary)
				}
			}
			for _, line := range []string{"Geometry: Polygon\n", fmt.Sprintf("Feature Count: %d\n", len(want)), "名称: String", "GEOGCRS[\"WGS 84\""} {
				if !strings.Contains(summary, line) {
					t.Errorf("ogrinfo -al -so lacks %q:\n%s", line, summary)
				}
			}
			got := parseOGRInfo(t, run(t, ogrinfo, "-al", path))
			if len(got) != len(want) {
				t.Fatalf("ogrinfo lists %d features, want %d", len(got), len(want))
			}
			for i, f := range want {
				for _, p := range f.Properties {
					if g := got[i].values[p.Name]; !gdalEqual(g, p.Value) {
						t.Errorf("feature %d: ogrinfo reads %s = %q, want %#v", i, p.Name, g, p.Value)
					}
				}
				if !reflect.DeepEqual(got[i].geometry, f.Geometry) {
					t.Errorf("feature %d: ogrinfo reads geometry %v, want %v", i, got[i].geometry, f.Geometry)
				}
			}
		})
	}
}

// gdalEqual reports whether ogrinfo's text s shows the value v.
func gdalEqual(s string, v any) bool {
	switch v := v.(type) {
	case nil:
		return s == "(null)"
	case string:
		if len(v) == 10 && v[4] == '-' && v[7] == '-' { // a date
			return s == strings.ReplaceAll(v, "-", "/")
		}
		return s == v
	case int64:
		return s == strconv.FormatInt(v, 10)
	case float64:
		x, err := strconv.ParseFloat(s, 64)
		return err == nil && x == v
	case bool:
		return s == map[bool]string{true: "T", false: "F"}[v]
	}
	return false
}

type ogrFeature struct {
	values   map[string]string
	geometry orb.Geometry
}

// parseOGRInfo reads the features of `ogrinfo -al`: lines "  name
// (Type) = value" and a WKT geometry, with rings turned to RFC 7946
// orientation (GDAL gives them in the file's).
func parseOGRInfo(t *testing.T, out string) []ogrFeature {
	t.Helper()
	var fs []ogrFeature
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "OGRFeature("):
			fs = append(fs, ogrFeature{values: map[string]string{}})
		case len(fs) == 0 || !strings.HasPrefix(line, "  "):
		case strings.HasPrefix(line, "  POLYGON") || strings.HasPrefix(line, "  MULTIPOLYGON"):
			g, err := wkt.Unmarshal(strings.TrimSpace(line))
			if err != nil {
				t.Fatalf("ogrinfo geometry %q: %v", line, err)
			}
			fs[len(fs)-1].geometry = rfc7946(g)
		default:
			name, rest, ok := strings.Cut(strings.TrimSpace(line), " (")
			_, value, ok2 := strings.Cut(rest, ") = ")
			if ok && ok2 {
				fs[len(fs)-1].values[name] = value
			}
		}
	}
	return fs
}

// rfc7946 turns outer rings counter-clockwise and holes clockwise.
func rfc7946(g orb.Geometry) orb.Geometry {
	orient := func(p orb.Polygon) {
		for j, r := range p {
			if (j == 0) != (r.Orientation() == orb.CCW) {
				r.Reverse()
			}
		}
	}
	switch g := g.(type) {
	case orb.Polygon:
		orient(g)
	case orb.MultiPolygon:
		for _, p := range g {
			orient(p)
		}
	}
	return g
}

func TestOGRInfoReadsEmpty(t *testing.T) {
	ogrinfo := geotest.GDAL(t, "ogrinfo")
	files, err := shp.Encode(testFields, nil, shp.WriteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	summary := run(t, ogrinfo, "-al", "-so", save(t, t.TempDir(), "empty", files))
	for _, line := range []string{"Geometry: Polygon\n", "Feature Count: 0\n", "built: Date"} {
		if !strings.Contains(summary, line) {
			t.Errorf("ogrinfo -al -so lacks %q:\n%s", line, summary)
		}
	}
}
