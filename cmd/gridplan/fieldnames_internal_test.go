package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo/format"
	"gridplan/geo/plan/plantest"
)

// TestShapefileCutFieldNames: GDAL and QGIS cut a .dbf field name at
// dBASE's 10 bytes, inside a character if need be (户数统计值 in UTF-8 is
// stored as 户数统 and a byte of 计). Such a layer is read: the name is
// the one without the partial character, usable as --households-field,
// and a name not in the table's encoding otherwise, in a field gridplan
// does not use, is a warning naming the file and the field.
func TestShapefileCutFieldNames(t *testing.T) {
	const n, households = 12, 100
	for _, tc := range []struct {
		encoding string
		// The names as a GDAL export stores them, for the placeholders
		// hhhhhhhhhh, nnnnnnnnnn and xxxxxxxxxx; the households field is
		// then named flag, and warn is the warning about the third, if any.
		hh, note, extra, flag, warn string
	}{
		{"utf-8", "户数统\xe8", "备注说\xe6", "备注\xe8\xaf_1", "户数统",
			`shapefile_repair: field 3: shp: text encoding: "备注\xe8\xaf_1" is not valid UTF-8; read as "备注` + "\uFFFD" + `_1"`},
		// 1户数统计值 and B栋备注信息 in GBK, and a name of bytes GBK lacks.
		{"gbk", "1\xbb\xa7\xca\xfd\xcd\xb3\xbc\xc6\xd6", "B\xb6\xb0\xb1\xb8\xd7\xa2\xd0\xc5\xcf", "ab\xff", "1户数统计",
			`shapefile_repair: field 3: shp: text encoding: "ab\xff" is not valid gbk; read as "ab` + "\uFFFD" + `"`},
	} {
		t.Run(tc.encoding, func(t *testing.T) {
			dir := t.TempDir()
			var fs []string
			for i := range n {
				fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"id":"楼%d","hhhhhhhhhh":%d,"nnnnnnnnnn":"无","xxxxxxxxxx":"x"},"geometry":%s}`,
					i, households, plantest.Square(113.3+float64(i%4)*0.0003, 40.08+float64(i/4)*0.0003)))
			}
			src := filepath.Join(dir, "src.geojson")
			must(t, os.WriteFile(src, []byte(plantest.Collection(fs...)), 0o644))
			in := filepath.Join(dir, "in")
			must(t, os.Mkdir(in, 0o755))
			shp := convert(t, src, in, "buildings", layerCase{kind: format.Shapefile, system: "EPSG:4326", encoding: tc.encoding})
			dbfPath := strings.TrimSuffix(shp, ".shp") + ".dbf"
			dbf, err := os.ReadFile(dbfPath)
			must(t, err)
			for _, r := range [][2]string{{"hhhhhhhhhh", tc.hh}, {"nnnnnnnnnn", tc.note}, {"xxxxxxxxxx", tc.extra}} {
				name := make([]byte, len(r[0])) // NUL-padded, as in the name slot
				copy(name, r[1])
				if bytes.Count(dbf, []byte(r[0])) != 1 {
					t.Fatalf("placeholder %s not once in the .dbf", r[0])
				}
				dbf = bytes.Replace(dbf, []byte(r[0]), name, 1)
			}
			must(t, os.WriteFile(dbfPath, dbf, 0o644))

			out := filepath.Join(dir, "out")
			code, stdout, stderr := gridplan(t, "partition", "--households-field", tc.flag, "--out", out, shp)
			if code != 0 {
				t.Fatalf("partition: exit %d\n%s", code, stderr)
			}
			if want := fmt.Sprintf("%d buildings, %d households", n, n*households); !strings.Contains(stdout, want) {
				t.Errorf("stdout lacks %q:\n%s", want, stdout)
			}
			if want := "gridplan: warning: " + shp + ": " + tc.warn + "\n"; strings.Count(stderr, "shapefile_repair") != 1 || !strings.Contains(stderr, want) {
				t.Errorf("stderr lacks the one warning %q:\n%s", want, stderr)
			}
		})
	}
}
