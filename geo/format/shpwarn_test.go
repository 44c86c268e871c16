package format

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/crs"
	"gridplan/geo/feature"

	"github.com/paulmach/orb"
)

// rewind reverses, in a .shp of polygon records, the points of the parts
// of record i that part(i, k) names, as a writer that winds them the other
// way round would have written them.
func rewind(shp []byte, part func(i, k int) bool) {
	for off, i := 100, 0; off+8 <= len(shp); i++ {
		n := 2 * int(binary.BigEndian.Uint32(shp[off+4:]))
		c := shp[off+8 : off+8+n]
		parts, points := int(binary.LittleEndian.Uint32(c[36:])), int(binary.LittleEndian.Uint32(c[40:]))
		pts := c[44+4*parts:]
		for k := range parts {
			from, to := int(binary.LittleEndian.Uint32(c[44+4*k:])), points
			if k+1 < parts {
				to = int(binary.LittleEndian.Uint32(c[44+4*(k+1):]))
			}
			if !part(i, k) {
				continue
			}
			for a, b := from, to-1; a < b; a, b = a+1, b-1 {
				var t [16]byte
				copy(t[:], pts[16*a:16*a+16])
				copy(pts[16*a:16*a+16], pts[16*b:16*b+16])
				copy(pts[16*b:16*b+16], t[:])
			}
		}
		off += 8 + n
	}
}

// TestReversedRingsOneWarning: a Shapefile whose rings are all wound
// against the shapefile rule (outer rings counter-clockwise), as some
// tools write them, is read by their winding with one warning for the
// layer, counting the features and naming the first by id; a record only
// some of whose rings are so wound is warned of by itself, named by its
// id.
func TestReversedRingsOneWarning(t *testing.T) {
	dir := t.TempDir()
	sq := func(x, y, d float64) orb.Ring {
		return orb.Ring{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}
	}
	var fs []feature.Feature
	for i := range 8 {
		x := 116.9 + float64(i)*0.001
		var g orb.Geometry = orb.Polygon{sq(x, 36.65, 0.0005)}
		switch i {
		case 2: // with a hole
			hole := sq(x+0.0001, 36.6501, 0.0002)
			hole.Reverse()
			g = orb.Polygon{sq(x, 36.65, 0.0005), hole}
		case 7: // two parts
			g = orb.MultiPolygon{{sq(x, 36.65, 0.0002)}, {sq(x+0.0003, 36.65, 0.0002)}}
		}
		fs = append(fs, feature.Feature{Geometry: g, Properties: []feature.Property{{Name: "id", Value: fmt.Sprintf("B%d", i)}}})
	}
	files, err := Encode("b", []feature.Field{{Name: "id", Type: feature.String}}, fs, WriteOptions{Kind: Shapefile, System: crs.WGS84})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Name == "b.shp" {
			// Every ring of the first seven records; one part of the last.
			rewind(f.Data, func(i, k int) bool { return i < 7 || k == 0 })
		}
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	name := filepath.Join(dir, "b.shp")
	l, err := Open(name, ReadOptions{IDFields: [2]string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	fc := readAll(t, l)
	if len(fc.Features) != 8 {
		t.Fatalf("read %d features, want 8", len(fc.Features))
	}
	if p, ok := fc.Features[2].Geometry.(orb.Polygon); !ok || len(p) != 2 || p[1].Orientation() != orb.CW {
		t.Errorf("feature 2 read as %v, want a polygon with its hole", fc.Features[2].Geometry)
	}
	ws := l.Warnings()
	want := []geo.Warning{
		{File: name, Index: 7, ID: "B7", Kind: "shapefile_repair",
			Note: "ring orientation does not follow the shapefile rule (outer rings clockwise, holes counter-clockwise); rings nested by containment"},
		{File: name, Index: -1, Kind: "ring_orientation",
			Note: `7 features' rings are wound against the shapefile rule (outer rings clockwise, holes counter-clockwise), as some tools write them: read by their winding; first "B0", "B1", "B2", "B3", "B4", …`},
	}
	if !slices.Equal(ws, want) {
		t.Errorf("warnings:\n%s\nwant:\n%s", show(ws), show(want))
	}
}

func show(ws []geo.Warning) string {
	var b strings.Builder
	for _, w := range ws {
		fmt.Fprintf(&b, "  %+v\n", w)
	}
	return b.String()
}
