package plan_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"text/template"

	"gridplan/fixtures"
	"gridplan/geo"
	"gridplan/geo/plan"
	"gridplan/geo/plan/plantest"
	"gridplan/geo/synth"
	"gridplan/partition"
)

// sampleSource is a layer of the embedded sample district.
func sampleSource(name string) plan.Source {
	return plan.Source{Name: "sample:" + name, Open: func() (io.ReadCloser, error) {
		data, err := fixtures.Sample.ReadFile("sample/" + name)
		return io.NopCloser(bytes.NewReader(data)), err
	}}
}

// reportOptions are partition's defaults.
func reportOptions() *plan.Options {
	return &plan.Options{Settings: partition.Settings{Min: 300, Target: 400, Max: 500, Seed: 1, Effort: 1},
		Fields: geo.DefaultFields(), RegionIDField: "id", SliverToleranceM2: 50, SnapM: 5, CodeWidth: 3}
}

// writePlan writes the files of p to dir.
func writePlan(t testing.TB, p *plan.Plan, dir string) {
	t.Helper()
	fs, err := p.Files()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// sampleInputs writes the sample district's layers into dir and returns
// their paths.
func sampleInputs(t testing.TB, dir string) (buildings, communities string) {
	t.Helper()
	paths := make([]string, 2)
	for i, name := range []string{"buildings.geojson", "communities.geojson"} {
		data, err := fixtures.Sample.ReadFile("sample/" + name)
		if err != nil {
			t.Fatal(err)
		}
		paths[i] = filepath.Join(dir, name)
		if err := os.WriteFile(paths[i], data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return paths[0], paths[1]
}

// partitionFiles partitions the layers, writes the plan's files to out and
// checks them against the hard rules.
func partitionFiles(t testing.TB, buildings, communities, out string) *plan.Plan {
	t.Helper()
	ls := plan.Layers{Buildings: plan.File(buildings)}
	if communities != "" {
		ls.Communities = plan.File(communities)
	}
	in, err := plan.Load(context.Background(), ls, reportOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Partition(context.Background(), in, reportOptions())
	if err != nil {
		t.Fatal(err)
	}
	writePlan(t, p, out)
	plantest.CheckInvariants(t, plantest.Files{Buildings: buildings, Communities: communities, Out: out, Min: 300, Max: 500})
	return p
}

// mustReport renders the report of p.
func mustReport(t testing.TB, p interface{ Report() ([]byte, error) }) string {
	t.Helper()
	html, err := p.Report()
	if err != nil {
		t.Fatal(err)
	}
	return string(html)
}

// selfContained checks that a page fetches nothing: no URL, no external
// script, style sheet, image or font.
func selfContained(t *testing.T, page string) {
	t.Helper()
	for _, s := range []string{"http://", "https://", "<link", " src=", "@import", "@font-face", "//cdn", "<img", "<iframe"} {
		if strings.Contains(page, s) {
			t.Errorf("the report holds %q", s)
		}
	}
	for _, m := range regexp.MustCompile(`url\(([^)]*)\)`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("the report refers to url(%s)", m[1])
		}
	}
}

var (
	atlasPage = regexp.MustCompile(`<article class="page" id="atlas-(\d+)" data-community="([^"]*)">`)
	histBar   = regexp.MustCompile(`<rect class="bar"[^>]*><title>(\d+)–(\d+) 户: (\d+) 个网格`)
)

// TestReportSample: the report of the sample district holds every grid
// code, every reason of a grid out of band with its diagnosis, the
// histogram of every residential grid, an atlas page per community, and
// nothing fetched from the network; it is the same, byte for byte, with
// one thread.
func TestReportSample(t *testing.T) {
	dir := t.TempDir()
	b, c := sampleInputs(t, dir)
	p := partitionFiles(t, b, c, filepath.Join(dir, "out"))
	page := mustReport(t, p)
	selfContained(t, page)
	s := p.Stats
	for _, g := range s.Grids {
		if !strings.Contains(page, ">"+g.Code+"</text>") {
			t.Errorf("no label of grid %s", g.Code)
		}
	}
	out := 0
	for gi, g := range s.Grids {
		if g.Status == "ok" {
			continue
		}
		out++
		row := regexp.MustCompile(`(?s)<tr class="zoomto" data-zoom="` + strconv.Itoa(gi) + `">.*?</tr>`).FindString(page)
		if row == "" {
			t.Errorf("grid %s (%s, %s) is not in the table of grids out of band", g.Code, g.Status, g.Reason)
			continue
		}
		for _, want := range []string{g.Code, g.Reason} {
			if !strings.Contains(row, want) {
				t.Errorf("the row of grid %s lacks %q:\n%s", g.Code, want, row)
			}
		}
		for _, cs := range s.Communities {
			for _, dg := range cs.Diagnoses {
				if cs.ID == g.Community && dg.Reason == g.Reason && !strings.Contains(row, template.HTMLEscapeString(dg.Detail)) {
					t.Errorf("the row of grid %s lacks the diagnosis %q:\n%s", g.Code, dg.Detail, row)
				}
			}
		}
	}
	if out == 0 {
		t.Fatal("the sample has no grid out of band: the test sees no reason")
	}
	n := 0
	for _, m := range histBar.FindAllStringSubmatch(page, -1) {
		k, _ := strconv.Atoi(m[3])
		n += k
	}
	if n != s.Totals.ResidentialGrids || !strings.Contains(page, `<rect class="band"`) {
		t.Errorf("the histogram counts %d grids, want %d, with the band drawn", n, s.Totals.ResidentialGrids)
	}
	pages := atlasPage.FindAllStringSubmatch(page, -1)
	if len(pages) != len(s.Communities) {
		t.Fatalf("%d atlas pages, want one per community (%d)", len(pages), len(s.Communities))
	}
	for i, m := range pages {
		if m[1] != strconv.Itoa(i) || m[2] != s.Communities[i].ID {
			t.Errorf("atlas page %d = %s of %q, want community %q", i, m[1], m[2], s.Communities[i].ID)
		}
		if !strings.Contains(page, `<a href="#atlas-`+m[1]+`">`+s.Communities[i].ID+`</a>`) {
			t.Errorf("the community table does not link to the atlas page of %s", s.Communities[i].ID)
		}
	}
	if again := mustReport(t, p); again != page {
		t.Error("a second Report differs from the first")
	}
	// One thread: the same plan, the same page.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if one := mustReport(t, partitionFiles(t, b, c, filepath.Join(dir, "one"))); one != page {
		t.Error("the report differs with GOMAXPROCS=1")
	}
}

// TestReportNamedUnits: a grid out of band for a unit it names (a building
// above max) lists the unit and marks it on the maps.
func TestReportNamedUnits(t *testing.T) {
	dir := t.TempDir()
	var fs []string
	for i := range 12 {
		h := 60
		if i == 5 {
			h = 720 // oversized_building
		}
		x, y := 113.3+float64(i%4)*0.0006, 40.08+float64(i/4)*0.0005
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"id":"B%d","households":%d,"community":"A"},"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
			i+1, h, x, y, x+0.0003, y, x+0.0003, y+0.0002, x, y+0.0002, x, y))
	}
	buildings := filepath.Join(dir, "b.geojson")
	if err := os.WriteFile(buildings, []byte(`{"type":"FeatureCollection","features":[`+strings.Join(fs, ",\n")+`]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	p := partitionFiles(t, buildings, "", filepath.Join(dir, "out"))
	page := mustReport(t, p)
	found := false
	for gi, g := range p.Stats.Grids {
		if g.Reason != string(partition.OversizedBuilding) {
			continue
		}
		found = true
		row := regexp.MustCompile(`(?s)<tr class="zoomto" data-zoom="` + strconv.Itoa(gi) + `">.*?</tr>`).FindString(page)
		if !strings.Contains(row, template.HTMLEscapeString(`building "B6"`)) {
			t.Errorf("the row of grid %s does not name building B6:\n%s", g.Code, row)
		}
		if !regexp.MustCompile(`<path id="h`+strconv.Itoa(gi)+`" d="M[^"]+"/>`).MatchString(page) ||
			!strings.Contains(page, `<use href="#h`+strconv.Itoa(gi)+`"/>`) {
			t.Errorf("building B6 of grid %s is not marked on the map", g.Code)
		}
	}
	if !found {
		t.Fatalf("no grid is out of band for an oversized building: %+v", p.Stats.Grids)
	}
}

// TestReportUnitsOfGrid: a grid out of band lists and marks only the
// units its own buildings make up, not those of its reason elsewhere in
// the community.
func TestReportUnitsOfGrid(t *testing.T) {
	dir := t.TempDir()
	var fs []string
	for i := range 16 {
		h := 60
		if i == 0 || i == 15 {
			h = 720 // oversized_building, at both ends of the community
		}
		x, y := 113.3+float64(i%4)*0.0006, 40.08+float64(i/4)*0.0005
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"id":"B%d","households":%d,"community":"A"},"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
			i+1, h, x, y, x+0.0003, y, x+0.0003, y+0.0002, x, y+0.0002, x, y))
	}
	buildings := filepath.Join(dir, "b.geojson")
	if err := os.WriteFile(buildings, []byte(`{"type":"FeatureCollection","features":[`+strings.Join(fs, ",\n")+`]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	p := partitionFiles(t, buildings, "", out)
	page := mustReport(t, p)
	rows, err := os.ReadFile(filepath.Join(out, "assignment.csv"))
	if err != nil {
		t.Fatal(err)
	}
	gridOf := map[string]string{}
	for _, line := range strings.Split(string(rows), "\n") {
		if f := strings.Split(strings.TrimPrefix(line, "\ufeff"), ","); len(f) >= 2 {
			gridOf[f[0]] = f[1]
		}
	}
	if gridOf["B1"] == "" || gridOf["B1"] == gridOf["B16"] {
		t.Fatalf("buildings B1 and B16 are in grids %q and %q, want two grids", gridOf["B1"], gridOf["B16"])
	}
	n := 0
	for gi, g := range p.Stats.Grids {
		if g.Reason != string(partition.OversizedBuilding) {
			continue
		}
		n++
		row := regexp.MustCompile(`(?s)<tr class="zoomto" data-zoom="` + strconv.Itoa(gi) + `">.*?</tr>`).FindString(page)
		for _, id := range []string{"B1", "B16"} {
			named := strings.Contains(row, template.HTMLEscapeString(`building "`+id+`"`))
			if in := gridOf[id] == g.Code; named != in {
				t.Errorf("grid %s names building %s: %v, holds it: %v\n%s", g.Code, id, named, in, row)
			}
		}
		hl := regexp.MustCompile(`<path id="h` + strconv.Itoa(gi) + `" d="(M[^"]+)"/>`).FindStringSubmatch(page)
		if hl == nil || strings.Count(hl[1], "M") != 1 {
			t.Errorf("grid %s marks %v, want its one oversized building", g.Code, hl)
		}
	}
	if n != 2 {
		t.Fatalf("%d grids out of band for an oversized building, want 2: %+v", n, p.Stats.Grids)
	}
}

// TestReportRepartition: the report of a repartition has the change map
// and the change table, a row per earlier grid with its class.
func TestReportRepartition(t *testing.T) {
	dir := t.TempDir()
	b, c := sampleInputs(t, dir)
	before := filepath.Join(dir, "before")
	p := partitionFiles(t, b, c, before)
	// A census update: every third building of C001 and C002 gains half
	// its households again, so that some of their grids go over.
	update := func(bs []geo.Building) error {
		for i := range bs {
			if (bs[i].Community == "C001" || bs[i].Community == "C002") && i%3 == 0 {
				bs[i].Households += bs[i].Households / 2
			}
		}
		return nil
	}
	prev, err := plan.LoadPrevious(context.Background(), before, nil)
	if err != nil {
		t.Fatal(err)
	}
	// And a building is added: B000001's footprint again, as BNEW.
	data, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if !strings.Contains(lines[1], `"id":"B000001"`) {
		t.Fatalf("line 1 of the buildings is not B000001: %.100s", lines[1])
	}
	added := strings.Replace(lines[1], `"id":"B000001"`, `"id":"BNEW"`, 1)
	lines = append(lines[:2], append([]string{added}, lines[2:]...)...)
	more := filepath.Join(dir, "more.geojson")
	if err := os.WriteFile(more, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	ls := plan.Layers{Buildings: plan.File(more), Communities: plan.File(c)}
	in, err := plan.Load(context.Background(), ls, reportOptions(), update)
	if err != nil {
		t.Fatal(err)
	}
	r, err := plan.Repartition(context.Background(), prev, in, reportOptions())
	if err != nil {
		t.Fatal(err)
	}
	after := filepath.Join(dir, "after")
	writePlan(t, r, after)
	ch := r.Stats.Changes
	if ch.Classes["U"] == ch.PreviousGrids {
		t.Fatalf("the update changed no grid: %+v", ch)
	}
	page := mustReport(t, r)
	selfContained(t, page)
	if !strings.Contains(page, `<section id="changes">`) || !strings.Contains(page, `id="map-changes"`) {
		t.Fatal("the report of a repartition has no change map")
	}
	rows := regexp.MustCompile(`<tr class="c([USMX])"><td data-v="([^"]*)">`).FindAllStringSubmatch(page, -1)
	classOf := map[string]string{}
	count := map[string]int{}
	for _, m := range rows {
		if m[2] != "" {
			classOf[m[2]] = m[1]
			count[m[1]]++
		}
	}
	for _, g := range p.Stats.Grids {
		if classOf[g.Code] == "" {
			t.Errorf("earlier grid %s is not in the change table", g.Code)
		}
	}
	for _, cl := range []string{"U", "S", "M", "X"} {
		if count[cl] != ch.Classes[cl] {
			t.Errorf("the change table has %d earlier grids of class %s, stats.json %d", count[cl], cl, ch.Classes[cl])
		}
		if !strings.Contains(page, fmt.Sprintf("<b>%s</b>", cl)) {
			t.Errorf("the change map's legend lacks class %s", cl)
		}
	}
	if !regexp.MustCompile(`<g class="prev"><path d="M[^"]+"/></g>`).MatchString(page) {
		t.Error("the change map does not draw the earlier grids")
	}
	// The figures are what stats.json counts, under its words.
	if ch.BuildingsAdded != 1 {
		t.Fatalf("%d buildings added, want 1 (BNEW)", ch.BuildingsAdded)
	}
	for _, want := range []string{
		fmt.Sprintf("Buildings whose grid code changed</th><td>%d / %d", ch.BuildingsMoved, ch.Buildings),
		fmt.Sprintf("Households whose grid code changed</th><td>%d / %d", ch.HouseholdsMoved, ch.Households),
		fmt.Sprintf("not in the grid that continues theirs)</th><td>%d / %d", ch.HouseholdsRegrouped, ch.Households),
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the change table lacks %q", want)
		}
	}
	if strings.Contains(page, "Buildings moved") || strings.Contains(page, "Households moved") {
		t.Error("the change table calls a changed grid code a move")
	}
	// The added building is drawn apart from those whose code changed.
	m := regexp.MustCompile(`<g class="added"><path d="(M[^"]+)"/></g>`).FindStringSubmatch(page)
	if m == nil || strings.Count(m[1], "M") != 1 {
		t.Errorf("the change map draws added buildings %v, want BNEW alone", m)
	}
}

// TestReportCheck: the report of check draws and lists every finding, and
// says of each whether redrawing can fix it.
func TestReportCheck(t *testing.T) {
	dir := t.TempDir()
	b, c := sampleInputs(t, dir)
	out := filepath.Join(dir, "plan")
	partitionFiles(t, b, c, out)
	// Drop one grid from the layer: a gap, with buildings in no grid.
	data, err := os.ReadFile(filepath.Join(out, "grids.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if !strings.Contains(lines[3], `"code":"C001003"`) {
		t.Fatalf("line 3 of grids.geojson is not grid C001003: %.200s", lines[3])
	}
	lines = append(lines[:3], lines[4:]...)
	grids := filepath.Join(dir, "grids.geojson")
	if err := os.WriteFile(grids, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	o := &plan.CheckOptions{Min: 300, Max: 500, Fields: geo.DefaultFields(), RegionIDField: "id", CodeField: "code", SliverToleranceM2: 50, SnapM: 5}
	rep, err := plan.Check(context.Background(), plan.CheckLayers{Grids: plan.File(grids), Buildings: plan.File(b), Communities: plan.File(c)}, o)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, f := range rep.Findings {
		kinds[f.Kind] = true
	}
	if !kinds["gap"] || !kinds["out_of_band"] {
		t.Fatalf("findings %v, want a gap and grids out of band", kinds)
	}
	page := mustReport(t, rep)
	selfContained(t, page)
	if !strings.Contains(page, `<section id="findings">`) {
		t.Fatal("the report of check has no findings section")
	}
	rows := regexp.MustCompile(`(?s)<tr( class="zoomto" data-area="fa(\d+)")?><td data-v="(\d+)">.*?</tr>`).FindAllStringSubmatch(page, -1)
	if len(rows) != len(rep.Findings) {
		t.Fatalf("%d rows of findings, want %d", len(rows), len(rep.Findings))
	}
	for i, f := range rep.Findings {
		row := rows[i][0]
		fix := `<span class="no">否 no</span>`
		if f.Fixable {
			fix = `<span class="yes">是 yes</span>`
		}
		for _, want := range []string{"<code>" + f.Kind + "</code>", fix, template.HTMLEscapeString(f.Detail)} {
			if !strings.Contains(row, want) {
				t.Errorf("the row of finding %d (%s) lacks %q:\n%s", i, f.Kind, want, row)
			}
		}
		if f.Area != nil {
			if rows[i][2] != strconv.Itoa(i) || !regexp.MustCompile(`<path id="fa`+strconv.Itoa(i)+`" d="M`).MatchString(page) {
				t.Errorf("finding %d (%s) is not drawn on the findings map", i, f.Kind)
			}
		}
	}
	if strings.Contains(page, `>C001003</text>`) {
		t.Error("the grid dropped from the layer is drawn")
	}
}

// TestReportCheckAsAudit: the report of check judges each grid as the
// audit does: a grid without geometry is not weighed, so the grids listed
// out of band are exactly the out_of_band findings.
func TestReportCheckAsAudit(t *testing.T) {
	dir := t.TempDir()
	b, c := sampleInputs(t, dir)
	out := filepath.Join(dir, "plan")
	partitionFiles(t, b, c, out)
	data, err := os.ReadFile(filepath.Join(out, "grids.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if !strings.Contains(lines[3], `"code":"C001003"`) {
		t.Fatalf("line 3 of grids.geojson is not grid C001003: %.200s", lines[3])
	}
	lines[3] = regexp.MustCompile(`^\{"geometry":\{.*?\},"properties"`).ReplaceAllString(lines[3], `{"geometry":null,"properties"`)
	if !strings.HasPrefix(lines[3], `{"geometry":null,`) {
		t.Fatalf("grid C001003 keeps its geometry: %.200s", lines[3])
	}
	grids := filepath.Join(dir, "grids.geojson")
	if err := os.WriteFile(grids, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	o := &plan.CheckOptions{Min: 300, Max: 500, Fields: geo.DefaultFields(), RegionIDField: "id", CodeField: "code", SliverToleranceM2: 50, SnapM: 5}
	rep, err := plan.Check(context.Background(), plan.CheckLayers{Grids: plan.File(grids), Buildings: plan.File(b), Communities: plan.File(c)}, o)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range rep.Findings {
		if f.Kind == "out_of_band" {
			want = append(want, f.Grids...)
		}
	}
	page := mustReport(t, rep)
	var got []string
	for _, m := range regexp.MustCompile(`<tr class="zoomto" data-zoom="\d+"><td data-v="([^"]*)">`).FindAllStringSubmatch(page, -1) {
		got = append(got, m[1])
	}
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("the page lists grids %v out of band, the audit %v", got, want)
	}
	kpi := regexp.MustCompile(`<b>(\d+)</b>超出 out of band`).FindStringSubmatch(page)
	if kpi == nil || kpi[1] != strconv.Itoa(len(want)) {
		t.Errorf("the page counts %v grids out of band, the audit %d", kpi, len(want))
	}
	if strings.Contains(page, `>C001003</text>`) || strings.Contains(page, `class="code">C001003</tspan>`) {
		t.Error("the grid without geometry is labelled on a map (at its centre)")
	}
}

// TestReportCheckFeasibleAsPartition: the report of check calls the
// same communities proven infeasible as the report of the plan it audits,
// and weighs the same grids as those of feasible communities. A building
// above max takes only its own grid out (community A stays feasible); a
// community below min (B) is infeasible as a whole.
func TestReportCheckFeasibleAsPartition(t *testing.T) {
	dir := t.TempDir()
	var fs []string
	add := func(id, community string, h int, x, y float64) {
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"id":%q,"households":%d,"community":%q},"geometry":{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}}`,
			id, h, community, x, y, x+0.0003, y, x+0.0003, y+0.0002, x, y+0.0002, x, y))
	}
	for i := range 16 {
		h := 60
		if i == 5 {
			h = 720 // oversized_building
		}
		add(fmt.Sprintf("A%d", i+1), "A", h, 113.3+float64(i%4)*0.0006, 40.08+float64(i/4)*0.0005)
	}
	for i := range 3 {
		add(fmt.Sprintf("B%d", i+1), "B", 80, 113.31+float64(i)*0.0006, 40.08) // 240: community_too_small
	}
	buildings := filepath.Join(dir, "b.geojson")
	if err := os.WriteFile(buildings, []byte(`{"type":"FeatureCollection","features":[`+strings.Join(fs, ",\n")+`]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	p := partitionFiles(t, buildings, "", out)
	feasible := map[string]bool{}
	for _, c := range p.Stats.Communities {
		feasible[c.ID] = c.Feasible
	}
	if !feasible["A"] || feasible["B"] {
		t.Fatalf("partition: feasible %v, want A but not B", feasible)
	}
	o := &plan.CheckOptions{Min: 300, Max: 500, Fields: geo.DefaultFields(), RegionIDField: "id", CodeField: "code", SliverToleranceM2: 50, SnapM: 5}
	rep, err := plan.Check(context.Background(), plan.CheckLayers{Grids: plan.File(filepath.Join(out, "grids.geojson")), Buildings: plan.File(buildings)}, o)
	if err != nil {
		t.Fatal(err)
	}
	badged := func(page, id string) bool {
		row := regexp.MustCompile(`(?s)<a href="#atlas-\d+">` + id + `</a>.*?</tr>`).FindString(page)
		if row == "" {
			t.Fatalf("no row of community %s", id)
		}
		return strings.Contains(row, "proven infeasible")
	}
	inFeasible := regexp.MustCompile(`In feasible communities</th><td>([^<]*)<`)
	planPage, checkPage := mustReport(t, p), mustReport(t, rep)
	for _, id := range []string{"A", "B"} {
		if got, want := badged(checkPage, id), badged(planPage, id); got != want || want == feasible[id] {
			t.Errorf("community %s: proven infeasible in check's report %v, in the plan's %v; stats.json feasible %v", id, got, want, feasible[id])
		}
	}
	pf, cf := inFeasible.FindStringSubmatch(planPage), inFeasible.FindStringSubmatch(checkPage)
	if pf == nil || cf == nil || pf[1] != cf[1] {
		t.Errorf("in feasible communities: plan %q, check %q", pf, cf)
	}
	if want := fmt.Sprintf("%d / %d", p.Stats.Totals.FeasibleInBand, p.Stats.Totals.FeasibleGrids); pf == nil || !strings.HasPrefix(pf[1], want) {
		t.Errorf("the plan's page says %q in feasible communities, stats.json %s", pf, want)
	}
}

// TestReportCheckNoCommunity: without a communities layer, a building
// that names no community is of its grid's community: the report of check
// shows no community without an id.
func TestReportCheckNoCommunity(t *testing.T) {
	dir := t.TempDir()
	b, c := sampleInputs(t, dir)
	out := filepath.Join(dir, "plan")
	partitionFiles(t, b, c, out)
	data, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	// Every fifth building loses its community.
	lines := strings.Split(string(data), "\n")
	n := 0
	for i := range lines {
		if i%5 == 1 && strings.Contains(lines[i], `"community":"C0`) {
			lines[i] = regexp.MustCompile(`"community":"C0\d\d",`).ReplaceAllString(lines[i], "")
			n++
		}
	}
	if n == 0 {
		t.Fatal("no building lost its community")
	}
	nameless := filepath.Join(dir, "nameless.geojson")
	if err := os.WriteFile(nameless, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	o := &plan.CheckOptions{Min: 300, Max: 500, Fields: geo.DefaultFields(), RegionIDField: "id", CodeField: "code", SliverToleranceM2: 50, SnapM: 5}
	rep, err := plan.Check(context.Background(), plan.CheckLayers{Grids: plan.File(filepath.Join(out, "grids.geojson")), Buildings: plan.File(nameless)}, o)
	if err != nil {
		t.Fatal(err)
	}
	page := mustReport(t, rep)
	for _, bad := range []string{`"></a>`, `data-community=""`, `> 社区网格平面图`, "(无社区 no community)"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q: a community without an id", bad)
		}
	}
}

// TestReportNoReport: with NoReport nothing is kept and Report says so.
func TestReportNoReport(t *testing.T) {
	o := reportOptions()
	o.NoReport = true
	ls := plan.Layers{Buildings: sampleSource("buildings.geojson"), Communities: sampleSource("communities.geojson")}
	in, err := plan.Load(context.Background(), ls, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Partition(context.Background(), in, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Report(); err != plan.ErrNoReport {
		t.Errorf("Report() with NoReport = %v, want ErrNoReport", err)
	}
}

// maxReportBytes is the most a 60,000-building city's report may take: a
// page a browser opens in a few seconds and a planner mails.
const maxReportBytes = 15 << 20

// TestReportSize60k: the report of a Datong-size city (60,000 buildings)
// stays under maxReportBytes.
func TestReportSize60k(t *testing.T) {
	if testing.Short() {
		t.Skip("partitions a 60,000-building city")
	}
	dir := t.TempDir()
	city, err := synth.Generate(synth.Options{Buildings: 60000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := city.Write(dir); err != nil {
		t.Fatal(err)
	}
	ls := plan.Layers{Buildings: plan.File(filepath.Join(dir, synth.BuildingsFile)), Communities: plan.File(filepath.Join(dir, synth.CommunitiesFile))}
	in, err := plan.Load(context.Background(), ls, reportOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Partition(context.Background(), in, reportOptions())
	if err != nil {
		t.Fatal(err)
	}
	page := mustReport(t, p)
	t.Logf("report.html of %d buildings, %d grids: %d bytes", p.Stats.Totals.Buildings, p.Stats.Totals.Grids, len(page))
	if len(page) > maxReportBytes {
		t.Errorf("report.html = %d bytes, want at most %d", len(page), maxReportBytes)
	}
	if n := len(atlasPage.FindAllString(page, -1)); n != p.Stats.Totals.Communities {
		t.Errorf("%d atlas pages, want %d", n, p.Stats.Totals.Communities)
	}
}

// TestWriteFiles: WriteFiles hands over each file of Files once, with the
// same bytes (the BOM of CSV files included), lists them in Files' order,
// and stops with the first error write returns.
func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	b, c := sampleInputs(t, dir)
	o := reportOptions()
	o.CSVBOM = true
	in, err := plan.Load(context.Background(), plan.Layers{Buildings: plan.File(b), Communities: plan.File(c)}, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Partition(context.Background(), in, o)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := p.Files()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	got := map[string][]byte{}
	names, err := p.WriteFiles(func(f plan.Output) error {
		mu.Lock()
		defer mu.Unlock()
		if _, twice := got[f.Name]; twice {
			t.Errorf("%s handed over twice", f.Name)
		}
		got[f.Name] = f.Data
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(fs) || len(got) != len(fs) {
		t.Fatalf("WriteFiles listed %d and handed over %d files; Files gives %d", len(names), len(got), len(fs))
	}
	for i, f := range fs {
		if names[i] != f.Name || !bytes.Equal(got[f.Name], f.Data) {
			t.Errorf("file %d: WriteFiles %s (%d bytes), Files %s (%d bytes)", i, names[i], len(got[f.Name]), f.Name, len(f.Data))
		}
		if strings.HasSuffix(f.Name, ".csv") && !bytes.HasPrefix(f.Data, []byte("\xef\xbb\xbf")) {
			t.Errorf("%s has no BOM", f.Name)
		}
	}
	if want := []string{"grids.geojson", "assignment.csv", "stats.json", "report.html"}; strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("files %v, want %v", names, want)
	}
	full := errors.New("disk full")
	if _, err := p.WriteFiles(func(f plan.Output) error {
		if f.Name == "stats.json" {
			return full
		}
		return nil
	}); !errors.Is(err, full) {
		t.Errorf("a failing write gave %v, want it", err)
	}
}
