package format

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/crs"
	"gridplan/geo/feature"

	"github.com/paulmach/orb"
)

// TestShapefileUnreadableNumbers: a household count that a .dbf holds in
// its numeric field as text that is not a number ("1,234" from a
// spreadsheet, "abc", the '*'s of a number too wide for the field) is
// refused with that text, not as a null; a blank one is a null as before,
// and the other fields read such values as null, as before.
func TestShapefileUnreadableNumbers(t *testing.T) {
	texts := map[int64]string{9000001: "  1,234", 9000002: "    abc", 9000003: "*******", 9000004: "       ", 9000005: "   12.5"}
	fields := []feature.Field{{Name: "id", Type: feature.String}, {Name: "households", Type: feature.Integer}, {Name: "compound", Type: feature.Integer}}
	var fs []feature.Feature
	for i := range 6 {
		x := 116.9 + float64(i)*0.001
		n := int64(9000001 + i)
		if i == 5 {
			n = 12 // a count as it should be
		}
		fs = append(fs, feature.Feature{Geometry: orb.Polygon{{{x, 36.65}, {x + 0.0005, 36.65}, {x + 0.0005, 36.6505}, {x, 36.6505}, {x, 36.65}}},
			Properties: []feature.Property{{Name: "id", Value: fmt.Sprint("B", i)}, {Name: "households", Value: n}, {Name: "compound", Value: int64(8000000)}}})
	}
	files, err := Encode("b", fields, fs, WriteOptions{Kind: Shapefile, System: crs.WGS84})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		if f.Name == "b.dbf" {
			for n, text := range texts {
				f.Data = bytes.Replace(f.Data, []byte(fmt.Sprint(n)), []byte(text), 1)
			}
			f.Data = bytes.Replace(f.Data, []byte("8000000"), []byte("1,00000"), 1) // the first building's compound
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	name := filepath.Join(dir, "b.shp")
	l, err := Open(name, ReadOptions{IDFields: [2]string{"id", "id"}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := l.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	_, _, err = geo.LoadBuildings(name, rc, geo.DefaultFields())
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 5 {
		t.Fatalf("err = %v, want the 5 buildings whose count is not a number named", err)
	}
	for i, want := range []string{
		`households is "1,234" in the .dbf, not a number`,
		`households is "abc" in the .dbf, not a number`,
		`households is "*******" in the .dbf, not a number: a null, or a number too wide for the field`,
		`households is null; write 0 for a building without households`,
		`households is 12.5`,
	} {
		fe := le.Features[i]
		if fe.Index != i || fe.ID != fmt.Sprint("B", i) || !strings.Contains(fe.Err.Error(), want) {
			t.Errorf("feature %d (id %q): %v; want feature %d (id B%d) and %q", fe.Index, fe.ID, fe.Err, i, i, want)
		}
		if i < 2 && !errors.Is(fe.Err, geo.ErrBadHouseholds) || i >= 2 && i < 4 && !errors.Is(fe.Err, geo.ErrMissingHouseholds) {
			t.Errorf("feature %d: %v does not wrap the error of its kind", i, fe.Err)
		}
	}
	if strings.Contains(err.Error(), "1,00000") {
		t.Errorf("the compound, which reads an unreadable number as null as before, is named:\n%v", err)
	}
}
