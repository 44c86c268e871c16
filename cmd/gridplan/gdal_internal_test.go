package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gridplan/geo/format"
	"gridplan/geo/geotest"
)

// gdal runs a GDAL tool and returns its stdout, failing the test on an
// error or on anything GDAL says on stderr (warnings included).
func gdal(t *testing.T, tool string, args ...string) string {
	t.Helper()
	cmd := exec.Command(geotest.GDAL(t, tool), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", tool, strings.Join(args, " "), err, out.String(), errb.String())
	}
	if errb.Len() > 0 {
		t.Errorf("%s %s says on stderr:\n%s", tool, strings.Join(args, " "), errb.String())
	}
	for _, bad := range []string{"Warning", "ERROR"} {
		if strings.Contains(out.String(), bad) {
			t.Errorf("%s %s reports %s:\n%s", tool, strings.Join(args, " "), bad, out.String())
		}
	}
	return out.String()
}

// TestGDALOpensWhatGridplanWrites: GDAL, the reader QGIS uses, opens every
// grid and findings layer gridplan writes with no warning, and finds the
// geometry type, the coordinate system, the features and the Chinese values
// gridplan wrote.
func TestGDALOpensWhatGridplanWrites(t *testing.T) {
	geotest.GDAL(t, "ogrinfo")
	for _, lc := range []layerCase{layerCases[0], layerCases[1], layerCases[5]} {
		t.Run(lc.name, func(t *testing.T) {
			t.Parallel()
			root, buildings, communities := district(t, lc, 300, 5)
			out := filepath.Join(root, "out")
			if code, _, stderr := gridplan(t, "partition", "--out", out, "--communities", communities, buildings); code != 0 {
				t.Fatalf("partition: exit %d\n%s", code, stderr)
			}
			grids := filepath.Join(out, "grids"+lc.kind.Ext())
			_, gfs := readLayer(t, grids)
			info := gdal(t, "ogrinfo", "-so", "-al", grids)
			epsg := strings.TrimPrefix(lc.system, "EPSG:")
			for _, want := range []string{"Geometry: Polygon", "Feature Count: " + strconv.Itoa(len(gfs)), `ID["EPSG",` + epsg + `]`} {
				if lc.kind == format.GeoPackage && want == "Geometry: Polygon" && !strings.Contains(info, want) {
					want = "Geometry: Multi Polygon"
				}
				if !strings.Contains(info, want) {
					t.Errorf("ogrinfo -so %s lacks %q:\n%s", filepath.Base(grids), want, info)
				}
			}
			all := gdal(t, "ogrinfo", "-al", "-q", grids)
			for _, g := range gfs {
				code, _ := prop(g, "code").(string)
				if !strings.Contains(all, "code (String) = "+code) {
					t.Errorf("ogrinfo does not read grid code %q back", code)
					break
				}
			}
			if !strings.Contains(all, "和平里C") {
				t.Errorf("ogrinfo reads no Chinese community id:\n%.2000s", all)
			}

			// check's findings layer, with findings (a band no grid holds).
			audit := filepath.Join(root, "audit")
			if code, _, stderr := gridplan(t, "check", "--grids", grids, "--buildings", buildings, "--communities", communities,
				"--min", "10", "--max", "20", "--out", audit); code != 1 {
				t.Fatalf("check with a band no grid holds: exit %d, want 1\n%s", code, stderr)
			}
			findings := filepath.Join(audit, "findings"+lc.kind.Ext())
			info = gdal(t, "ogrinfo", "-so", "-al", findings)
			if !strings.Contains(info, `ID["EPSG",`+epsg+`]`) || strings.Contains(info, "Feature Count: 0") {
				t.Errorf("ogrinfo -so %s: want findings in EPSG:%s:\n%s", filepath.Base(findings), epsg, info)
			}

			// --format and --out-crs: RFC 7946 GeoJSON from the same layers.
			wgs := filepath.Join(root, "wgs")
			if code, _, stderr := gridplan(t, "partition", "--format", "geojson", "--out-crs", "EPSG:4326", "--out", wgs, "--communities", communities, buildings); code != 0 {
				t.Fatalf("partition --out-crs EPSG:4326: exit %d\n%s", code, stderr)
			}
			data, err := os.ReadFile(filepath.Join(wgs, "grids.geojson"))
			must(t, err)
			if strings.Contains(string(data), `"crs"`) {
				t.Errorf("grids.geojson in WGS 84 has a crs member; RFC 7946 has none")
			}
			info = gdal(t, "ogrinfo", "-so", "-al", filepath.Join(wgs, "grids.geojson"))
			if !strings.Contains(info, `ID["EPSG",4326]`) || !strings.Contains(info, "Feature Count: "+strconv.Itoa(len(gfs))) {
				t.Errorf("ogrinfo of the WGS 84 grids:\n%s", info)
			}
		})
	}
}

// TestGridplanReadsWhatGDALWrites: layers that ogr2ogr writes — a GBK
// Shapefile without .cpg in CGCS2000 Gauss–Krüger, a GeoPackage holding
// both layers — give the plan of the same district read from GeoJSON.
func TestGridplanReadsWhatGDALWrites(t *testing.T) {
	geotest.GDAL(t, "ogr2ogr")
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "400", "--seed", "9", "--center", "116.9,36.65", "--out", ref); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	chinese(t, ref)
	base := filepath.Join(root, "base")
	if code, _, stderr := gridplan(t, "partition", "--out", base, "--communities", filepath.Join(ref, "communities.geojson"), filepath.Join(ref, "buildings.geojson")); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	want, err := os.ReadFile(filepath.Join(base, "assignment.csv"))
	must(t, err)

	shpDir := filepath.Join(root, "shp")
	must(t, os.Mkdir(shpDir, 0o755))
	gpkgFile := filepath.Join(root, "district.gpkg")
	for _, layer := range []string{"buildings", "communities"} {
		src := filepath.Join(ref, layer+".geojson")
		dst := filepath.Join(shpDir, layer+".shp")
		gdal(t, "ogr2ogr", "-f", "ESRI Shapefile", "-t_srs", "EPSG:4527", "-lco", "ENCODING=CP936", "-nlt", "PROMOTE_TO_MULTI", "-where", "OGR_GEOMETRY <> 'POINT'", dst, src)
		must(t, os.Remove(filepath.Join(shpDir, layer+".cpg")))
		args := []string{"-f", "GPKG", "-t_srs", "EPSG:4548", "-nln", layer, gpkgFile, src}
		if layer == "communities" {
			args = append([]string{"-update"}, args...)
		}
		gdal(t, "ogr2ogr", args...)
	}
	for _, c := range []struct {
		name, buildings, communities string
	}{
		{"shp-gbk-no-cpg", filepath.Join(shpDir, "buildings.shp"), filepath.Join(shpDir, "communities.shp")},
		{"gpkg-two-layers", gpkgFile + ":buildings", gpkgFile + ":communities"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(root, "out-"+c.name)
			code, _, stderr := gridplan(t, "partition", "--out", out, "--communities", c.communities, c.buildings)
			if code != 0 {
				t.Fatalf("partition: exit %d\n%s", code, stderr)
			}
			got, err := os.ReadFile(filepath.Join(out, "assignment.csv"))
			must(t, err)
			if c.name == "gpkg-two-layers" && !bytes.Equal(got, want) {
				t.Errorf("the plan of the GeoPackage differs from that of the GeoJSON")
			}
			if !bytes.Contains(got, []byte("和平里C")) {
				t.Errorf("the Chinese community ids did not come through:\n%.500s", got)
			}
		})
	}
	// A GeoPackage with two layers and no layer named: the error lists them.
	code, _, stderr := gridplan(t, "partition", "--out", filepath.Join(root, "x"), gpkgFile)
	if code != 2 || !strings.Contains(stderr, "buildings") || !strings.Contains(stderr, "communities") {
		t.Errorf("an ambiguous GeoPackage: exit %d, want 2 and both layers named:\n%s", code, stderr)
	}
}

// TestGeoPackageFeatureIDAsBuildingID: a GeoPackage whose only id is its
// primary key (ArcGIS's OBJECTID, GDAL's FID column) is planned with the
// feature ids as building ids, as the same layer converted to GeoJSON with
// ogr2ogr -preserve_fid is, and --id-field may name the key column.
func TestGeoPackageFeatureIDAsBuildingID(t *testing.T) {
	geotest.GDAL(t, "ogr2ogr")
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "300", "--seed", "4", "--out", ref); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	communities := filepath.Join(ref, "communities.geojson")
	gpkgFile := filepath.Join(root, "b.gpkg")
	gdal(t, "ogr2ogr", "-f", "GPKG", "-lco", "FID=OBJECTID", "-nln", "buildings", gpkgFile, filepath.Join(ref, "buildings.geojson"),
		"-sql", "SELECT community, compound, kind, households FROM buildings")
	if info := gdal(t, "ogrinfo", "-so", gpkgFile, "buildings"); !strings.Contains(info, "FID Column = OBJECTID") || strings.Contains(info, "id: ") {
		t.Fatalf("ogr2ogr wrote another layer than one keyed by OBJECTID without an id column:\n%s", info)
	}
	geojsonFile := filepath.Join(root, "b.geojson")
	gdal(t, "ogr2ogr", "-f", "GeoJSON", "-preserve_fid", geojsonFile, gpkgFile)

	base := filepath.Join(root, "base")
	if code, _, stderr := gridplan(t, "partition", "--no-report", "--out", base, "--communities", communities, geojsonFile); code != 0 {
		t.Fatalf("partition of the GeoJSON: exit %d\n%s", code, stderr)
	}
	want, err := os.ReadFile(filepath.Join(base, "assignment.csv"))
	must(t, err)
	if !bytes.HasPrefix(want, []byte("building_id,grid_code,community\n")) || !bytes.Contains(want, []byte("\n300,")) {
		t.Fatalf("the GeoJSON's plan does not use the feature ids 1 to 300:\n%.300s", want)
	}
	for _, flags := range [][]string{nil, {"--id-field", "OBJECTID"}} {
		out := filepath.Join(root, "out"+strconv.Itoa(len(flags)))
		args := append(append([]string{"partition", "--no-report", "--out", out, "--communities", communities}, flags...), gpkgFile)
		code, _, stderr := gridplan(t, args...)
		if code != 0 {
			t.Errorf("partition %v: exit %d\n%s", flags, code, stderr)
			continue
		}
		got, err := os.ReadFile(filepath.Join(out, "assignment.csv"))
		must(t, err)
		if !bytes.Equal(got, want) {
			t.Errorf("partition %v: the plan of the GeoPackage differs from that of the GeoJSON", flags)
		}
	}
}
