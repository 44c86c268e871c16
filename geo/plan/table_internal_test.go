package plan

import (
	"fmt"
	"strings"
	"testing"

	"gridplan/geo"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// gbk returns s encoded in GBK, as Excel on Chinese Windows saves "CSV".
func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatalf("GBK encoding of %q: %v", s, err)
	}
	return []byte(b)
}

// TestCSVText: UTF-8 is read as it is (less a byte order mark), GBK is
// decoded with a warning naming the file, and what is neither is left for
// its rows to be named.
func TestCSVText(t *testing.T) {
	const text = "id,户数\r\n楼1,40\n"
	for _, tc := range []struct {
		name     string
		data     []byte
		want     string
		warnings int
	}{
		{"UTF-8", []byte(text), text, 0},
		{"byte order mark", []byte(utf8BOM + text), text, 0},
		{"GBK", gbk(t, text), text, 1},
		{"neither", []byte("B\xff1,4\n"), "B\xff1,4\n", 0},
		// UTF-8 Chinese with a stray byte: its 3-byte sequences do not
		// pair up as GBK.
		{"UTF-8 cut", []byte("楼,户\x80\n"), "楼,户\x80\n", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ws := csvText("h.csv", tc.data)
			if string(got) != tc.want || len(ws) != tc.warnings {
				t.Fatalf("csvText(%q) = %q, %v; want %q and %d warnings", tc.data, got, ws, tc.want, tc.warnings)
			}
			if len(ws) == 1 {
				if got := fmt.Sprintf("%s: %s", ws[0].File, ws[0].Note); got != "h.csv: not UTF-8; read as GBK" {
					t.Errorf("warning %q, want %q", got, "h.csv: not UTF-8; read as GBK")
				}
			}
		})
	}
}

// TestReadGBKTables: a households table and an earlier assignment saved in
// GBK are read as their UTF-8 text, with a warning.
func TestReadGBKTables(t *testing.T) {
	h, err := readHouseholds("h.csv", gbk(t, "楼栋编码,户数\r\n东区1号楼,40\r\n"), geo.Fields{ID: "楼栋编码"})
	if err != nil {
		t.Fatalf("readHouseholds(GBK): %v", err)
	}
	if got := fmt.Sprint(h.counts); got != "map[东区1号楼:40]" {
		t.Errorf("readHouseholds(GBK) = %s, want map[东区1号楼:40]", got)
	}
	if ws := h.Warnings(); len(ws) != 1 || ws[0].File != "h.csv" || ws[0].Kind != "encoding" {
		t.Errorf("readHouseholds(GBK) warnings = %+v, want one encoding warning of h.csv", ws)
	}
	pp, err := readAssignment("a.csv", gbk(t, "building_id,grid_code,community\r\n东区1号楼,朝阳社区001,朝阳社区\r\n"))
	if err != nil {
		t.Fatalf("readAssignment(GBK): %v", err)
	}
	if strings.Join(pp.codes, ",") != "朝阳社区001" || strings.Join(pp.community, ",") != "朝阳社区" || len(pp.warnings) != 1 {
		t.Errorf("readAssignment(GBK) = codes %q, communities %q, warnings %+v; want 朝阳社区001 of 朝阳社区 and a warning", pp.codes, pp.community, pp.warnings)
	}
	h, err = readHouseholds("h.csv", []byte("id,households\nB1,40\n"), geo.Fields{})
	if err != nil {
		t.Fatalf("readHouseholds(UTF-8): %v", err)
	}
	if ws := h.Warnings(); ws != nil {
		t.Errorf("readHouseholds(UTF-8) warnings = %+v, want none", ws)
	}
}
