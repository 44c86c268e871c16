package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo/crs"
	"gridplan/geo/feature"
	"gridplan/geo/format"
	"gridplan/geo/gpkg"
	"gridplan/geo/plan/plantest"
	"gridplan/geo/shp"
	"gridplan/geo/synth"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"
)

// A layerCase is a district's layers as a GIS office hands them over: a
// format, a coordinate system, a text encoding and a place (which decides
// the Gauss–Krüger zone).
type layerCase struct {
	name     string
	kind     format.Kind
	system   string // --out-crs of the conversion, a crs.Parse name
	encoding string // of a Shapefile
	center   string // --center of generate
	crsFlag  bool   // the format cannot state the system: pass --crs
}

var layerCases = []layerCase{
	{name: "shp-gbk-gk38", kind: format.Shapefile, system: "EPSG:4526", encoding: "gbk", center: "113.30,40.08"},
	{name: "gpkg-gk-cm117", kind: format.GeoPackage, system: "EPSG:4548", center: "117.20,39.13"},
	{name: "shp-utf8-gk40", kind: format.Shapefile, system: "EPSG:4528", encoding: "utf-8", center: "120.30,31.57"},
	{name: "geojson-gcj02", kind: format.GeoJSON, system: "gcj02", center: "120.15,30.28", crsFlag: true},
	{name: "gpkg-bd09", kind: format.GeoPackage, system: "bd09", center: "116.40,39.90", crsFlag: true},
	{name: "geojson-cgcs2000-gk39", kind: format.GeoJSON, system: "EPSG:4527", center: "116.90,36.65"},
	{name: "shp-web-mercator", kind: format.Shapefile, system: "EPSG:3857", encoding: "utf-8", center: "121.47,31.23"},
}

// chinese gives the communities Chinese ids, as real 社区 layers have:
// community C012 becomes 和平里C012, in both layers.
func chinese(t *testing.T, dir string) {
	t.Helper()
	for _, name := range []string{"buildings.geojson", "communities.geojson"} {
		p := filepath.Join(dir, name)
		data, err := os.ReadFile(p)
		must(t, err)
		data = []byte(strings.ReplaceAll(string(data), `"C`, `"和平里C`))
		must(t, os.WriteFile(p, data, 0o644))
	}
}

// convert writes the GeoJSON layer src (longitude/latitude) as layer base
// of dir in the format and system of lc; a Shapefile's points become
// squares, as generate writes them.
func convert(t *testing.T, src, dir, base string, lc layerCase) string {
	t.Helper()
	data, err := os.ReadFile(src)
	must(t, err)
	fc, err := geojson.UnmarshalFeatureCollection(data)
	must(t, err)
	sys, err := crs.Parse(lc.system)
	must(t, err)
	w := format.WriteOptions{Kind: lc.kind, System: sys, Encoding: lc.encoding}
	fields, fs := format.FromGeoJSON(fc, sys)
	var files []format.File
	if lc.kind == format.GeoJSON {
		files, err = format.EncodeGeoJSON(base, fields, fs, w)
	} else {
		if lc.kind == format.Shapefile {
			synth.PointsToSquares(fs, sys)
		}
		files, err = format.Encode(base, fields, fs, w)
	}
	must(t, err)
	for _, f := range files {
		must(t, os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644))
	}
	return filepath.Join(dir, base+lc.kind.Ext())
}

// district generates a city of n buildings (seed) at lc's place, gives
// its communities Chinese ids, and writes its layers as lc says into
// root/in; root/ref holds them in lon/lat GeoJSON.
func district(t *testing.T, lc layerCase, n int, seed uint64) (root, buildings, communities string) {
	t.Helper()
	root = t.TempDir()
	ref := filepath.Join(root, "ref")
	if code, _, stderr := gridplan(t, "generate", "--buildings", fmt.Sprint(n), "--seed", fmt.Sprint(seed), "--center", lc.center, "--out", ref); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	chinese(t, ref)
	in := filepath.Join(root, "in")
	must(t, os.Mkdir(in, 0o755))
	return root, convert(t, filepath.Join(ref, "buildings.geojson"), in, "buildings", lc), convert(t, filepath.Join(ref, "communities.geojson"), in, "communities", lc)
}

// readLayer reads a layer in its own coordinates.
func readLayer(t *testing.T, path string) ([]feature.Field, []feature.Feature) {
	t.Helper()
	var r feature.Reader
	var err error
	switch format.KindOf(path) {
	case format.Shapefile:
		r, err = shp.Open(path, shp.ReadOptions{})
	case format.GeoPackage:
		r, err = gpkg.Open(path, "")
	default:
		data, rerr := os.ReadFile(path)
		must(t, rerr)
		fc, jerr := geojson.UnmarshalFeatureCollection(data)
		must(t, jerr)
		return format.FromGeoJSON(fc, crs.WGS84)
	}
	must(t, err)
	defer r.Close()
	var fs []feature.Feature
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		must(t, err)
		fs = append(fs, f)
	}
	return r.Fields(), fs
}

// prop returns the value of property name of f.
func prop(f feature.Feature, name string) any {
	for _, p := range f.Properties {
		if p.Name == name {
			return p.Value
		}
	}
	return nil
}

// polygons returns the polygons of a polygonal geometry.
func polygons(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// planarArea is the area of polygons in their own (projected) units.
func planarArea(ps []orb.Polygon) float64 {
	a := 0.0
	for _, p := range ps {
		for k, r := range p {
			s := 0.0
			for i := 0; i+1 < len(r); i++ {
				s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
			}
			if k == 0 {
				a += math.Abs(s) / 2
			} else {
				a -= math.Abs(s) / 2
			}
		}
	}
	return a
}

// TestLayerFormatsAndSystems runs partition, check and repartition on a
// district handed over in each format and coordinate system, and asserts
// every plan invariant (in longitude/latitude, read back through gridplan's
// own readers), that the grids come back in the layers' format and system,
// tile each community outline exactly in its own coordinates (every vertex
// of the outline in the grids, bit for bit, and the grids' areas adding up
// to the community's), carry the Chinese attributes unchanged, and that
// check finds nothing wrong with them and repartition keeps them whole.
func TestLayerFormatsAndSystems(t *testing.T) {
	for _, lc := range layerCases {
		t.Run(lc.name, func(t *testing.T) {
			t.Parallel()
			root, buildings, communities := district(t, lc, 500, 3)

			out := filepath.Join(root, "out")
			args := []string{"partition", "--out", out, "--communities", communities}
			if lc.crsFlag {
				args = append(args, "--crs", lc.system)
			}
			code, _, stderr := gridplan(t, append(args, buildings)...)
			if code != 0 {
				t.Fatalf("partition: exit %d\n%s", code, stderr)
			}
			grids := filepath.Join(out, "grids"+lc.kind.Ext())
			if _, err := os.Stat(grids); err != nil {
				t.Fatalf("no grid layer in the buildings' format: %v", err)
			}
			var st struct {
				CRS string `json:"crs"`
			}
			data, err := os.ReadFile(filepath.Join(out, "stats.json"))
			must(t, err)
			must(t, json.Unmarshal(data, &st))
			want, _ := crs.Parse(lc.system)
			if st.CRS != want.String() {
				t.Errorf("stats.json crs = %q, want %q", st.CRS, want)
			}

			// Every invariant, on the grids read back to lon/lat.
			sys := want
			ly, err := format.Open(grids, format.ReadOptions{CRS: &sys})
			must(t, err)
			rc, err := ly.Open()
			must(t, err)
			lonlat, err := io.ReadAll(rc)
			rc.Close()
			must(t, err)
			chk := filepath.Join(root, "lonlat")
			must(t, os.Mkdir(chk, 0o755))
			must(t, os.WriteFile(filepath.Join(chk, "grids.geojson"), lonlat, 0o644))
			for _, f := range []string{"assignment.csv", "stats.json"} {
				data, err := os.ReadFile(filepath.Join(out, f))
				must(t, err)
				must(t, os.WriteFile(filepath.Join(chk, f), data, 0o644))
			}
			// Against the layers as gridplan reads them in lon/lat (their long
			// edges split where they bend): the grids' edges along the
			// outlines are straight in the layers' coordinates, and the
			// pieces bend by at most Bend in lon/lat, which the cover check
			// allows along the longest outline, and no more.
			var bend float64
			lonlatLayer := func(path, name string) string {
				ly, err := format.Open(path, format.ReadOptions{CRS: &sys, Bend: true})
				must(t, err)
				rc, err := ly.Open()
				must(t, err)
				data, err := io.ReadAll(rc)
				rc.Close()
				must(t, err)
				out := filepath.Join(chk, name)
				must(t, os.WriteFile(out, data, 0o644))
				bend = max(bend, ly.Bend())
				return out
			}
			llBuildings, llCommunities := lonlatLayer(buildings, "in-buildings.geojson"), lonlatLayer(communities, "in-communities.geojson")
			perimeter := 0.0 // of the longest outline, metres
			_, rfs := readLayer(t, llCommunities)
			for _, f := range rfs {
				l := 0.0
				for _, p := range polygons(f.Geometry) {
					for _, r := range p {
						l += orbgeo.Length(orb.LineString(r))
					}
				}
				perimeter = max(perimeter, l)
			}
			if bend > 1e-3 {
				t.Errorf("the layers' edges bend by %.2g m in lon/lat after splitting, more than 1 mm", bend)
			}
			plantest.CheckInvariants(t, plantest.Files{
				Buildings: llBuildings, Communities: llCommunities,
				Out: chk, Min: 300, Max: 500, CoverM2: plantest.CoverM2 + perimeter*bend,
			})

			// In the layers' own coordinates: the outline's vertices exactly,
			// the areas adding up, the Chinese values unchanged.
			_, cfs := readLayer(t, communities)
			_, gfs := readLayer(t, grids)
			vertices := map[orb.Point]bool{}
			area := map[string]float64{}
			for _, g := range gfs {
				c, _ := prop(g, "community").(string)
				if !strings.HasPrefix(c, "和平里C") {
					t.Fatalf("grid community %q: the Chinese id did not come back", c)
				}
				if code, _ := prop(g, "code").(string); !strings.HasPrefix(code, c) {
					t.Errorf("grid code %q does not start with its community %q", code, c)
				}
				for _, p := range polygons(g.Geometry) {
					for _, r := range p {
						for _, v := range r {
							vertices[v] = true
						}
					}
				}
				area[c] += planarArea(polygons(g.Geometry))
			}
			missing := 0
			for _, cf := range cfs {
				id, _ := prop(cf, "id").(string)
				ca := planarArea(polygons(cf.Geometry))
				if got := area[id]; math.Abs(got-ca) > 1e-6*ca {
					t.Errorf("community %s: grids cover %.6f of its %.6f (own units)", id, got, ca)
				}
				for _, p := range polygons(cf.Geometry) {
					for _, r := range p {
						for _, v := range r {
							if !vertices[v] {
								missing++
							}
						}
					}
				}
			}
			if missing > 0 {
				t.Errorf("%d vertices of the community outlines are not vertices of the grids, bit for bit", missing)
			}

			// check reads the same layers and finds nothing to fix.
			audit := filepath.Join(root, "audit")
			args = []string{"check", "--grids", grids, "--buildings", buildings, "--communities", communities, "--out", audit}
			if lc.crsFlag {
				args = append(args, "--crs", lc.system)
			}
			if code, stdout, stderr := gridplan(t, args...); code != 0 && code != 1 {
				t.Fatalf("check: exit %d\n%s%s", code, stdout, stderr)
			} else {
				var rep struct {
					Totals struct {
						MustFix *int `json:"must_fix"`
					} `json:"totals"`
				}
				data, err := os.ReadFile(filepath.Join(audit, "findings.json"))
				must(t, err)
				must(t, json.Unmarshal(data, &rep))
				if rep.Totals.MustFix == nil || *rep.Totals.MustFix != 0 {
					t.Errorf("check finds problems to fix in gridplan's own plan:\n%s", stdout)
				}
			}
			if _, err := os.Stat(filepath.Join(audit, "findings"+lc.kind.Ext())); err != nil {
				t.Errorf("check wrote no findings layer in the grids' format: %v", err)
			}

			// repartition of the unchanged district keeps every grid, its
			// polygon bit for bit.
			again := filepath.Join(root, "again")
			args = []string{"repartition", "--previous", out, "--buildings", buildings, "--communities", communities, "--out", again}
			if lc.crsFlag {
				args = append(args, "--crs", lc.system)
			}
			if lc.kind == format.Shapefile {
				// --encoding is for tables that name none: it changes
				// neither the layers' .cpg nor the earlier grids' reading.
				args = append(args, "--encoding", "gbk")
			}
			code, _, stderr = gridplan(t, args...)
			if code != 0 {
				t.Fatalf("repartition: exit %d\n%s", code, stderr)
			}
			if lc.kind == format.Shapefile && lc.encoding != "gbk" && !strings.Contains(stderr, "text_encoding") {
				t.Errorf("--encoding gbk on a table whose .cpg names UTF-8: no warning\n%s", stderr)
			}
			_, afs := readLayer(t, filepath.Join(again, "grids"+lc.kind.Ext()))
			if len(afs) != len(gfs) {
				t.Fatalf("repartition wrote %d grids, partition %d", len(afs), len(gfs))
			}
			before := map[string]string{}
			for _, g := range gfs {
				before[fmt.Sprint(prop(g, "code"))] = fmt.Sprint(g.Geometry)
			}
			for _, g := range afs {
				if code := fmt.Sprint(prop(g, "code")); before[code] != fmt.Sprint(g.Geometry) {
					t.Errorf("grid %s changed in a repartition of the unchanged district", code)
				}
			}
		})
	}
}

// TestLayerSystemRefusals: a layer whose coordinates contradict its stated
// system is refused with exit status 2, naming the file, every such feature
// and what was expected; one in metres that states no system is refused
// with the system its numbers fit; an unknown --crs is refused before any
// work.
func TestLayerSystemRefusals(t *testing.T) {
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "200", "--seed", "4", "--center", "116.90,36.65", "--out", ref); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	// Lon/lat numbers under a .prj of CGCS2000 3° Gauss–Krüger zone 39.
	bad := filepath.Join(root, "bad")
	must(t, os.Mkdir(bad, 0o755))
	lc := layerCase{kind: format.Shapefile, system: "EPSG:4326", encoding: "utf-8"}
	buildings := convert(t, filepath.Join(ref, "buildings.geojson"), bad, "buildings", lc)
	gk, err := crs.Parse("EPSG:4527")
	must(t, err)
	must(t, os.WriteFile(filepath.Join(bad, "buildings.prj"), []byte(gk.ESRIWKT()), 0o644))
	code, stdout, stderr := gridplan(t, "partition", "--json", "--out", filepath.Join(root, "out1"), buildings)
	if code != 2 || !strings.Contains(stderr, "buildings.shp") || !strings.Contains(stderr, "feature 0") || !strings.Contains(stderr, "EPSG:4527") {
		t.Errorf("lon/lat under a Gauss–Krüger .prj: exit %d, want 2 naming file, features and system:\n%s", code, stderr)
	}
	var listed struct {
		Errors []inputError `json:"errors"`
	}
	must(t, json.Unmarshal([]byte(stdout), &listed))
	if n := countFeatures(t, buildings); len(listed.Errors) != n {
		t.Errorf("--json lists %d features, the layer has %d, all in the wrong system", len(listed.Errors), n)
	}
	if _, err := os.Stat(filepath.Join(root, "out1")); !os.IsNotExist(err) {
		t.Errorf("a refused run left an output directory: %v", err)
	}

	// Metres in a GeoJSON without a crs member: the error names the system
	// they fit, and --crs reads them.
	lc = layerCase{kind: format.GeoJSON, system: "EPSG:4527"}
	metres := convert(t, filepath.Join(ref, "buildings.geojson"), root, "metres", lc)
	data, err := os.ReadFile(metres)
	must(t, err)
	data = []byte(strings.Replace(string(data), format.GeoJSONCRS(gk), "", 1))
	must(t, os.WriteFile(metres, data, 0o644))
	code, _, stderr = gridplan(t, "partition", "--out", filepath.Join(root, "out2"), metres)
	if code != 2 || !strings.Contains(stderr, "--crs EPSG:4527") {
		t.Errorf("metres with no system: exit %d, want 2 suggesting --crs EPSG:4527:\n%s", code, stderr)
	}
	if code, _, stderr := gridplan(t, "partition", "--crs", "EPSG:4527", "--out", filepath.Join(root, "out3"), metres); code != 0 {
		t.Errorf("metres with --crs: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := gridplan(t, "partition", "--crs", "EPSG:2435", "--out", filepath.Join(root, "out4"), metres); code != 2 || !strings.Contains(stderr, "--crs") {
		t.Errorf("an unknown --crs: exit %d, want 2 naming the flag:\n%s", code, stderr)
	}
}

// TestWritingAndPreviousRefusals: layers are written only in a system
// their extent fits; an earlier plan whose grid layer is missing or broken
// is refused naming --previous; one written before stats.json recorded
// its system is read in WGS 84 whatever --crs says.
func TestWritingAndPreviousRefusals(t *testing.T) {
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "200", "--seed", "6", "--center", "113.30,40.08", "--out", ref); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	b, c := filepath.Join(ref, "buildings.geojson"), filepath.Join(ref, "communities.geojson")
	// Zone 42 (126°E) for a district at 113°E.
	far := filepath.Join(root, "far")
	code, _, stderr := gridplan(t, "partition", "--out-crs", "EPSG:4530", "--out", far, "--communities", c, b)
	if code != 2 || !strings.Contains(stderr, "--out-crs") || !strings.Contains(stderr, "EPSG:4530") {
		t.Errorf("--out-crs of a far zone: exit %d, want 2 naming the flag and system\n%s", code, stderr)
	}
	if _, err := os.Stat(far); !os.IsNotExist(err) {
		t.Errorf("a refused run left %s: %v", far, err)
	}
	if code, _, stderr := gridplan(t, "generate", "--buildings", "50", "--center", "120.5,31.5", "--out-crs", "EPSG:4526", "--format", "shp", "--out", filepath.Join(root, "gfar")); code != 2 || !strings.Contains(stderr, "EPSG:4526") {
		t.Errorf("generate --out-crs of a far zone: exit %d, want 2\n%s", code, stderr)
	}

	// A plan in shp, then its grid layer broken in two ways.
	plan := filepath.Join(root, "plan")
	if code, _, stderr := gridplan(t, "partition", "--format", "shp", "--out", plan, "--communities", c, b); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	for _, c2 := range []struct{ remove, want string }{{"grids.dbf", "--previous"}, {"grids.shp", "no grids.geojson"}} {
		dir := filepath.Join(root, "broken-"+c2.remove)
		must(t, os.CopyFS(dir, os.DirFS(plan)))
		must(t, os.Remove(filepath.Join(dir, c2.remove)))
		code, _, stderr := gridplan(t, "repartition", "--previous", dir, "--buildings", b, "--communities", c, "--out", filepath.Join(root, "out-"+c2.remove))
		if code != 2 || !strings.Contains(stderr, c2.want) {
			t.Errorf("previous plan without %s: exit %d, want 2 and %q\n%s", c2.remove, code, c2.want, stderr)
		}
	}

	// An older plan: no crs in stats.json; the new layers in metres.
	old := filepath.Join(root, "old")
	if code, _, stderr := gridplan(t, "partition", "--out", old, "--communities", c, b); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	statsPath := filepath.Join(old, "stats.json")
	data, err := os.ReadFile(statsPath)
	must(t, err)
	data = []byte(strings.Replace(string(data), `"crs": "EPSG:4326",`, "", 1))
	must(t, os.WriteFile(statsPath, data, 0o644))
	gk := filepath.Join(root, "gk")
	must(t, os.Mkdir(gk, 0o755))
	lc := layerCase{kind: format.GeoJSON, system: "EPSG:4526"}
	gb, gc := convert(t, b, gk, "buildings", lc), convert(t, c, gk, "communities", lc)
	for _, p := range []string{gb, gc} {
		d, err := os.ReadFile(p)
		must(t, err)
		must(t, os.WriteFile(p, []byte(strings.Replace(string(d), `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4526"}},`, "", 1)), 0o644))
	}
	if code, stdout, stderr := gridplan(t, "repartition", "--crs", "EPSG:4526", "--previous", old, "--buildings", gb, "--communities", gc, "--out", filepath.Join(root, "again")); code != 0 {
		t.Errorf("repartition of an older lon/lat plan with --crs for the new layers: exit %d\n%s%s", code, stdout, stderr)
	}
}

// countFeatures counts the features of a layer.
func countFeatures(t *testing.T, path string) int {
	t.Helper()
	_, fs := readLayer(t, path)
	return len(fs)
}

// TestPreviousLayerSavedInAnotherSystem: an earlier plan's grid layer saved
// again in another system than stats.json records (grids.shp reprojected to
// Gauss–Krüger, its .prj saying so) is read in the system it states: the
// plan repartitions unchanged. It used to be read in the recorded system
// and refused.
func TestPreviousLayerSavedInAnotherSystem(t *testing.T) {
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "300", "--seed", "6", "--center", "113.30,40.08", "--out", ref); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	b, c := filepath.Join(ref, "buildings.geojson"), filepath.Join(ref, "communities.geojson")
	prev, gk := filepath.Join(root, "prev"), filepath.Join(root, "gk")
	for _, out := range []struct {
		dir   string
		flags []string
	}{{prev, nil}, {gk, []string{"--format", "shp", "--out-crs", "EPSG:4527"}}} {
		args := append(append([]string{"partition", "--out", out.dir, "--communities", c}, out.flags...), b)
		if code, _, stderr := gridplan(t, args...); code != 0 {
			t.Fatalf("partition %v: exit %d\n%s", out.flags, code, stderr)
		}
	}
	// The WGS 84 plan, its grid layer replaced by the same grids in
	// EPSG:4527.
	must(t, os.Remove(filepath.Join(prev, "grids.geojson")))
	for _, ext := range []string{".shp", ".shx", ".dbf", ".prj", ".cpg"} {
		data, err := os.ReadFile(filepath.Join(gk, "grids"+ext))
		must(t, err)
		must(t, os.WriteFile(filepath.Join(prev, "grids"+ext), data, 0o644))
	}
	out := filepath.Join(root, "out")
	code, _, stderr := gridplan(t, "repartition", "--previous", prev, "--buildings", b, "--communities", c, "--out", out)
	if code != 0 {
		t.Fatalf("repartition: exit %d\n%s", code, stderr)
	}
	if ch := changesOf(t, out); ch.Classes["U"] != ch.PreviousGrids || ch.BuildingsMoved != 0 {
		t.Errorf("changes = %+v, want every grid unchanged", ch)
	}
}

// TestPreviousLayerEncodingGuessed: an earlier grid layer whose .dbf names
// no encoding (no .cpg, no language driver) and whose text is GBK is read
// as GBK with a warning, in repartition as in check.
func TestPreviousLayerEncodingGuessed(t *testing.T) {
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "300", "--seed", "6", "--out", ref); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	// Communities named in Chinese, so that the grid layer's text is not
	// ASCII.
	b, c := filepath.Join(root, "b.geojson"), filepath.Join(root, "c.geojson")
	for _, f := range []struct{ src, dst string }{{filepath.Join(ref, "buildings.geojson"), b}, {filepath.Join(ref, "communities.geojson"), c}} {
		data, err := os.ReadFile(f.src)
		must(t, err)
		must(t, os.WriteFile(f.dst, []byte(strings.ReplaceAll(string(data), `"C00`, `"新华社区`)), 0o644))
	}
	prev := filepath.Join(root, "prev")
	if code, _, stderr := gridplan(t, "partition", "--format", "shp", "--out-encoding", "gbk", "--out", prev, "--communities", c, b); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	must(t, os.Remove(filepath.Join(prev, "grids.cpg")))
	dbf := filepath.Join(prev, "grids.dbf")
	data, err := os.ReadFile(dbf)
	must(t, err)
	data[29] = 0 // no language driver
	must(t, os.WriteFile(dbf, data, 0o644))
	out := filepath.Join(root, "out")
	code, _, stderr := gridplan(t, "repartition", "--previous", prev, "--buildings", b, "--communities", c, "--out", out)
	if code != 0 {
		t.Fatalf("repartition: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "grids.shp: text_encoding") || !strings.Contains(stderr, "gbk") {
		t.Errorf("no warning that the earlier grid layer was read as GBK:\n%s", stderr)
	}
	if ch := changesOf(t, out); ch.Classes["U"] != ch.PreviousGrids {
		t.Errorf("changes = %+v, want every grid unchanged", ch)
	}
}

// TestPreviousLayerInGCJ02: a plan of a GCJ-02 district written as a
// Shapefile, whose .prj says WGS 84 as every GCJ-02 layer's does, is read
// in the GCJ-02 its stats.json records: repartitioned unchanged, it is the
// same plan.
func TestPreviousLayerInGCJ02(t *testing.T) {
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "400", "--seed", "3", "--center", "121.47,31.23", "--format", "shp", "--out", ref); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	b, c := filepath.Join(ref, "buildings.shp"), filepath.Join(ref, "communities.shp")
	prev, out := filepath.Join(root, "prev"), filepath.Join(root, "out")
	if code, _, stderr := gridplan(t, "partition", "--crs", "gcj02", "--out", prev, "--communities", c, b); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := gridplan(t, "repartition", "--crs", "gcj02", "--previous", prev, "--buildings", b, "--communities", c, "--out", out); code != 0 {
		t.Fatalf("repartition: exit %d\n%s", code, stderr)
	}
	if ch := changesOf(t, out); ch.Classes["U"] != ch.PreviousGrids || ch.BuildingsMoved != 0 {
		t.Errorf("changes = %+v, want every grid unchanged", ch)
	}
	for _, name := range differingFiles(t, prev, out, "grids.shp", "assignment.csv") {
		t.Errorf("%s differs from the earlier plan's", name)
	}
}
