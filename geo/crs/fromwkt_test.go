package crs_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo/crs"
)

// TestFromWKTFiles reads the definitions GDAL writes (testdata/wkt/README.md)
// in each format.
func TestFromWKTFiles(t *testing.T) {
	want := map[string]any{ // file name up to the first '.' → EPSG code or error
		"4326": 4326, "4490": 4490, "4499": 4499, "4509": 4509, "4527": 4527, "4548": 4548, "32650": 32650,
		"2401": crs.ErrOldDatum, "2345": crs.ErrOldDatum, "4214": crs.ErrOldDatum, "4610": crs.ErrOldDatum,
		"4555": crs.ErrOldDatum, "4574": crs.ErrOldDatum, "21460": crs.ErrOldDatum,
		"3857": crs.ErrUnknown, "32750": crs.ErrUnknown, "4479": crs.ErrUnknown,
		"proj-bound-z39":      4527,
		"proj-grs80-cm117":    4548, // no name to tell 3° from 6°: the 3° code
		"proj-grs80-cm120-ft": crs.ErrUnknown,
		"proj-utm50":          32650,
		"compound-4527":       4527,
	}
	files, err := filepath.Glob("testdata/wkt/*")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range files {
		key, _, _ := strings.Cut(filepath.Base(f), ".")
		if strings.HasSuffix(f, ".md") {
			continue
		}
		w, ok := want[key]
		if !ok {
			t.Errorf("%s: no expected outcome", f)
			continue
		}
		seen[key] = true
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := crs.FromWKT(string(data))
		switch w := w.(type) {
		case int:
			if err != nil || s.EPSG() != w {
				t.Errorf("FromWKT(%s) = %v, %v; want EPSG:%d", f, s, err, w)
			}
		case error:
			if !errors.Is(err, w) {
				t.Errorf("FromWKT(%s) = %v, %v; want an error wrapping %v", f, s, err, w)
			}
			t.Logf("%s: %v", f, err)
		}
	}
	for k := range want {
		if !seen[k] {
			t.Errorf("no file for %s", k)
		}
	}
}
