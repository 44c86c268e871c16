package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"gridplan/geo/audit"
	"gridplan/partition"

	"github.com/paulmach/orb"
)

// tinyData is a district of two communities with three grids, one out of
// band, whose names try to break out of the page.
func tinyData() *Data {
	pl := NewPlane(centre)
	pen := pl.Pen(nil)
	square := func(x, y float64) Shape {
		pen.Draw(orb.Polygon{{metres(x, y), metres(x+100, y), metres(x+100, y+100), metres(x, y+100), metres(x, y)}})
		return pen.Shape()
	}
	d := &Data{Command: "partition", Title: `</script><script>alert("t")</script>`, Band: Band{300, 400, 500}}
	d.Communities = []Community{
		{ID: "A", Name: `<b>甲社区</b>`, Households: 800, Buildings: 10, Grids: 2, InBand: 2, Feasible: true, Outline: square(0, 0)},
		{ID: `B"&'`, Households: 120, Buildings: 3, Grids: 1, Reasons: []string{"community_too_small"}, Outline: square(200, 0)},
	}
	d.Grids = []Grid{
		{Code: "A001", Community: 0, Type: "residential", Households: 420, BandHouseholds: 420, Status: "ok", Shape: square(0, 0)},
		{Code: "A002", Community: 0, Type: "residential", Households: 380, BandHouseholds: 380, Status: "ok", Shape: square(0, 100)},
		{Code: `B001</text>`, Community: 1, Type: "residential", Households: 120, BandHouseholds: 120, Status: "under",
			Reason: "community_too_small", Detail: `total 120 < 300 "<i>"`, Units: []string{`community "B"`}, Shape: square(200, 0), Highlight: square(220, 20)},
	}
	d.Balance = Balance{Grids: 3, Residential: 3, InBand: 2, ShareInBand: 0.6667, Min: 120, Max: 420, Median: 380}
	return d
}

// TestHTMLEscapes: names and details from the input are text on the page,
// never markup or script.
func TestHTMLEscapes(t *testing.T) {
	page, err := HTML(tinyData())
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`<script>alert`, `<b>甲社区</b>`, `B001</text>`, `"<i>"`} {
		if bytes.Contains(page, []byte(bad)) {
			t.Errorf("the page holds %q unescaped", bad)
		}
	}
	for _, want := range []string{`&lt;b&gt;甲社区&lt;/b&gt;`, `B001&lt;/text&gt;`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := bytes.Count(page, []byte("<script")); n != 3 {
		t.Errorf("the page has %d script elements, want 3 (errors, grid data, the script)", n)
	}
	again, err := HTML(tinyData())
	if err != nil || !bytes.Equal(again, page) {
		t.Errorf("a second HTML of the same data differs (%v)", err)
	}
}

// TestWords: every reason of partition and of check, every finding kind
// and status has words, a colour where it is drawn.
func TestWords(t *testing.T) {
	for _, r := range []partition.Reason{partition.CommunityTooSmall, partition.BandGap, partition.CompoundTooLarge,
		partition.OversizedBuilding, partition.Isolated, partition.Indivisible} {
		if _, ok := reasons[string(r)]; !ok {
			t.Errorf("reason %q has no words", r)
		}
	}
	for _, r := range []string{audit.ReasonContainerFootprint, audit.ReasonMultipartBuilding} {
		if _, ok := reasons[r]; !ok {
			t.Errorf("reason %q has no words", r)
		}
	}
	for _, k := range audit.FindingKinds {
		if _, ok := kinds[k]; !ok {
			t.Errorf("finding kind %q has no words", k)
		}
		if findingColour[k] == "" {
			t.Errorf("finding kind %q has no colour", k)
		}
	}
	for _, c := range classes {
		if changeFill[c.Code] == "" {
			t.Errorf("change class %s has no fill", c.Code)
		}
	}
}

// TestBandScale: the colour scale puts min, target and max at 1/6, 1/2
// and 5/6 and grows with households.
func TestBandScale(t *testing.T) {
	b := Band{300, 400, 500}
	for _, c := range []struct{ h, want float64 }{{300, 1.0 / 6}, {400, 0.5}, {500, 5.0 / 6}, {0, 0}, {10000, 1}} {
		if got := b.scale(c.h); got < c.want-1e-9 || got > c.want+1e-9 {
			t.Errorf("scale(%v) = %v, want %v", c.h, got, c.want)
		}
	}
	for h := 0.0; h < 800; h++ {
		if b.scale(h+1) < b.scale(h) {
			t.Fatalf("scale(%v) < scale(%v)", h+1, h)
		}
	}
	if got := rampAt(0); got != "#ffffd9" {
		t.Errorf("rampAt(0) = %s", got)
	}
	if got := rampAt(1); got != "#081d58" {
		t.Errorf("rampAt(1) = %s", got)
	}
}

// TestHistogram: every residential grid is in a bar, the band and the
// target lie in the plot.
func TestHistogram(t *testing.T) {
	d := tinyData()
	d.Grids = append(d.Grids, Grid{Type: "dedicated", BandHouseholds: 5000})
	h := newHistogram(d)
	n := 0
	for _, b := range h.Bars {
		n += b.N
		if b.X < histLeft || b.X+b.W > histLeft+histPlotW {
			t.Errorf("bar %+v leaves the plot", b)
		}
	}
	if n != 3 || h.Grids != 3 {
		t.Errorf("the bars count %d grids of %d, want 3 (the dedicated grid is not weighed)", n, h.Grids)
	}
	if !(histLeft <= h.BandX0 && h.BandX0 < h.TargetX && h.TargetX < h.BandX1 && h.BandX1 <= histLeft+histPlotW) {
		t.Errorf("band %v–%v, target %v outside the plot", h.BandX0, h.BandX1, h.TargetX)
	}
	if !strings.HasPrefix(h.XTicks[0].Label, "1") {
		t.Errorf("first tick %q, want the bins to start near the smallest grid (120)", h.XTicks[0].Label)
	}
}

// TestCommunityShareResidential: a community's share in band weighs its
// residential grids only; dedicated and empty grids neither lower it nor
// mark the row.
func TestCommunityShareResidential(t *testing.T) {
	d := tinyData()
	d.Communities[0].Grids, d.Communities[0].Residential = 3, 2
	d.Grids = append(d.Grids, Grid{Code: "A003", Community: 0, Type: "dedicated", Households: 30, Status: "ok"})
	d.Communities = append(d.Communities, Community{ID: "E", Grids: 1, Feasible: true})
	d.Grids = append(d.Grids, Grid{Code: "E001", Community: 2, Type: "empty", Status: "ok"})
	d.Communities[1].Residential = 1
	page, err := HTML(d)
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, row := range strings.Split(string(page), "<tr")[1:] {
		for _, id := range []string{"A", "E"} {
			if strings.Contains(row, `<a href="#atlas-`) && strings.Contains(row, `data-v="`+id+`"`) {
				rows[id] = row
			}
		}
	}
	for _, id := range []string{"A", "E"} {
		row, ok := rows[id]
		if !ok {
			t.Fatalf("no table row of community %s", id)
		}
		if strings.HasPrefix(row, ` class="warn"`) {
			t.Errorf("community %s is marked out of band: <tr%s", id, row[:80])
		}
	}
	if !strings.Contains(rows["A"], ">100%<") {
		t.Errorf("community A (2 of 2 residential grids in band) does not show 100%%: %s", rows["A"])
	}
	if !strings.Contains(rows["E"], ">–<") {
		t.Errorf("community E (no residential grid) shows a share: %s", rows["E"])
	}
	if !strings.Contains(string(page), "区间内 in band 2 / 2") {
		t.Errorf("the atlas page of A does not say 2 of 2 residential grids are in band")
	}
}

// TestTipsStatus: the grid table of the script gives a status to
// residential grids only; a dedicated or empty grid is not "in band".
func TestTipsStatus(t *testing.T) {
	d := tinyData()
	d.Grids = append(d.Grids, Grid{Code: "A003", Community: 0, Type: "dedicated", Households: 30, Status: "ok"},
		Grid{Code: "A004", Community: 0, Type: "empty", Status: "ok"})
	js, err := tips(d)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]any
	if err := json.Unmarshal([]byte(js), &rows); err != nil {
		t.Fatal(err)
	}
	for i, g := range d.Grids {
		want := ""
		if g.Type == "residential" {
			want = g.Status
		}
		if rows[i][7] != want || (want == "") != (rows[i][8] == "") {
			t.Errorf("grid %s (%s): status %q %q, want %q", g.Code, g.Type, rows[i][7], rows[i][8], want)
		}
	}
}

// TestPageTitle: an atlas page is titled by the community's name, or its
// id, without a second 社区 after a name that ends in one.
func TestPageTitle(t *testing.T) {
	d := tinyData()
	d.Communities[0].Name = "C001社区"
	page, err := HTML(d)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`>C001社区网格平面图 <span>`, `>B&#34;&amp;&#39; 社区网格平面图 <span>`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the page lacks the title %q", want)
		}
	}
	if strings.Contains(string(page), "社区 社区") {
		t.Error("an atlas page repeats 社区")
	}
}

// TestWarningsCounted: the warnings' heading counts the warnings, and the
// kinds its lines summarise.
func TestWarningsCounted(t *testing.T) {
	d := tinyData()
	d.Warnings = []string{"repaired_geometry: 40 (e.g. ...)", "stacked_building: 16 (e.g. ...)"}
	d.WarningCount = 56
	page, err := HTML(d)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Input warnings (56, 2 类 kinds)"; !strings.Contains(string(page), want) {
		t.Errorf("the page lacks %q", want)
	}
}
