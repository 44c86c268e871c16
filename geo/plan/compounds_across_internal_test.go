package plan

import (
	"strings"
	"testing"

	"gridplan/geo"
)

// TestCompoundsAcross: a compound with buildings in two communities is
// named once, by its feature in the compounds layer where it has one, with
// each community's part; a compound within one community, or with
// buildings of no community, is not.
func TestCompoundsAcross(t *testing.T) {
	b := func(i int, id, compound, community string, hh int) geo.Building {
		return geo.Building{Index: i, ID: id, Compound: compound, Community: community, Households: hh}
	}
	bs := []geo.Building{
		b(0, "B0", "Q1", "C1", 20), b(1, "B1", "Q1", "C2", 30), b(2, "B2", "Q1", "C2", 5),
		b(3, "B3", "Q2", "C1", 40), b(4, "B4", "Q2", "C1", 40),
		b(5, "B5", "小区", "C1", 10), b(6, "B6", "小区", "C3", 10),
		b(7, "B7", "Q4", "C1", 10), b(8, "B8", "Q4", "", 10),
	}
	layer := []geo.Region{{ID: "Q2", Index: 0}, {ID: "Q1", Index: 1}}
	ws := compoundsAcross("b.geojson", "q.geojson", bs, layer)
	if len(ws) != 2 {
		t.Fatalf("warnings %+v, want two (Q1 and 小区)", ws)
	}
	q1, xq := ws[1], ws[0] // the buildings layer's first
	if q1.File != "q.geojson" || q1.Index != 1 || q1.ID != "Q1" || q1.Kind != "compound_across_communities" ||
		!strings.Contains(q1.Note, `"C1" (1 buildings, 20 households), "C2" (2 buildings, 35 households)`) {
		t.Errorf("Q1: %+v", q1)
	}
	if xq.File != "b.geojson" || xq.Index != 5 || xq.ID != "B5" || !strings.Contains(xq.Note, `compound "小区" has buildings in 2 communities`) {
		t.Errorf("小区: %+v", xq)
	}
}
