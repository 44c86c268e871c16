package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gridplan/geo/audit"
	"gridplan/geo/plan"
	"gridplan/geo/plan/plantest"
)

// checkPlan is a generated city, partitioned, as the check tests damage it.
type checkPlan struct {
	dir, buildings, communities string
	grids                       gridLayer
	stats                       plan.Stats
}

// gridLayer is grids.geojson decoded far enough to edit coordinates.
type gridLayer struct {
	Type     string        `json:"type"`
	Features []gridFeature `json:"features"`
}

type gridFeature struct {
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
	Geometry   struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	} `json:"geometry"`
}

func (f *gridFeature) code() string { return f.Properties["code"].(string) }

// ring returns the exterior ring of a Polygon feature.
func (f *gridFeature) ring(t *testing.T) [][2]float64 {
	t.Helper()
	if f.Geometry.Type != "Polygon" {
		t.Fatalf("grid %s is a %s", f.code(), f.Geometry.Type)
	}
	var rings [][][2]float64
	must(t, json.Unmarshal(f.Geometry.Coordinates, &rings))
	return rings[0]
}

func (f *gridFeature) setPolygons(t *testing.T, polys ...[][][2]float64) {
	t.Helper()
	var err error
	if len(polys) == 1 {
		f.Geometry.Type = "Polygon"
		f.Geometry.Coordinates, err = json.Marshal(polys[0])
	} else {
		f.Geometry.Type = "MultiPolygon"
		f.Geometry.Coordinates, err = json.Marshal(polys)
	}
	must(t, err)
}

func newCheckPlan(t *testing.T, n int, seed uint64) *checkPlan {
	t.Helper()
	dir := t.TempDir()
	b, c := writeCity(t, dir, n, seed)
	out := filepath.Join(dir, "plan")
	if code, _, stderr := gridplan(t, "partition", "--communities", c, "--out", out, b); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	p := &checkPlan{dir: dir, buildings: b, communities: c}
	data, err := os.ReadFile(filepath.Join(out, "grids.geojson"))
	must(t, err)
	must(t, json.Unmarshal(data, &p.grids))
	data, err = os.ReadFile(filepath.Join(out, "stats.json"))
	must(t, err)
	must(t, json.Unmarshal(data, &p.stats))
	return p
}

// layer returns a deep copy of the plan's grid layer for editing.
func (p *checkPlan) layer(t *testing.T) gridLayer {
	t.Helper()
	data, err := json.Marshal(p.grids)
	must(t, err)
	var l gridLayer
	must(t, json.Unmarshal(data, &l))
	return l
}

// runCheck writes layer (and buildings, if not "") and runs check on them,
// returning the exit status and findings.json.
func (p *checkPlan) runCheck(t *testing.T, l gridLayer, buildings string) (int, plan.CheckReport) {
	t.Helper()
	dir := t.TempDir()
	gridsPath := filepath.Join(dir, "grids.geojson")
	data, err := json.Marshal(l)
	must(t, err)
	must(t, os.WriteFile(gridsPath, data, 0o644))
	bpath := p.buildings
	if buildings != "" {
		bpath = filepath.Join(dir, "buildings.geojson")
		must(t, os.WriteFile(bpath, []byte(buildings), 0o644))
	}
	out := filepath.Join(dir, "check")
	code, stdout, stderr := gridplan(t, "check", "--grids", gridsPath, "--buildings", bpath, "--communities", p.communities, "--out", out)
	if code == 2 {
		t.Fatalf("check: exit 2\n%s", stderr)
	}
	var r plan.CheckReport
	data, err = os.ReadFile(filepath.Join(out, "findings.json"))
	must(t, err)
	must(t, json.Unmarshal(data, &r))
	if _, err := os.Stat(filepath.Join(out, "findings.geojson")); err != nil {
		t.Error(err)
	}
	t.Log(strings.SplitN(stdout, "\n", 3)[1])
	return code, r
}

// findings returns the findings of kind.
func findings(r plan.CheckReport, kind string) []audit.Finding {
	var out []audit.Finding
	for _, f := range r.Findings {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

// wantFinding asserts a finding of kind naming every code in grids and
// every id in ids, and returns it.
func wantFinding(t *testing.T, r plan.CheckReport, kind string, grids, ids []string) audit.Finding {
	t.Helper()
	for _, f := range findings(r, kind) {
		ok := true
		for _, g := range grids {
			ok = ok && slices.Contains(f.Grids, g)
		}
		for _, id := range ids {
			ok = ok && slices.Contains(f.Buildings, id)
		}
		if ok {
			return f
		}
	}
	t.Errorf("no %s finding with grids %v and buildings %v; findings: %v", kind, grids, ids, r.Totals.ByKind)
	return audit.Finding{}
}

// onlyKinds asserts that every finding is of one of kinds or an out-of-band
// grid the clean plan already had.
func onlyKinds(t *testing.T, r plan.CheckReport, p *checkPlan, kinds ...string) {
	t.Helper()
	before := outOfBandCodes(p)
	for _, f := range r.Findings {
		if slices.Contains(kinds, f.Kind) || (f.Kind == audit.FindingOutOfBand && before[f.Grids[0]]) {
			continue
		}
		t.Errorf("unexpected finding: %s %v %s", f.Kind, f.Grids, f.Detail)
	}
}

func outOfBandCodes(p *checkPlan) map[string]bool {
	codes := map[string]bool{}
	for _, g := range p.stats.Grids {
		if g.Type == "residential" && g.Status != "ok" {
			codes[g.Code] = true
		}
	}
	return codes
}

// TestCheckPartitionPlans checks that plans written by partition pass
// check, apart from exactly the grids their own stats put out of band.
func TestCheckPartitionPlans(t *testing.T) {
	for _, seed := range []uint64{2, 3} {
		t.Run(fmt.Sprintf("buildings=3000,seed=%d", seed), func(t *testing.T) {
			p := newCheckPlan(t, 3000, seed)
			code, r := p.runCheck(t, p.layer(t), "")
			want := outOfBandCodes(p)
			proven := map[string]bool{} // communities partition proved infeasible
			for _, c := range p.stats.Communities {
				for _, dg := range c.Diagnoses {
					proven[c.ID] = proven[c.ID] || dg.Proven
				}
			}
			got := map[string]bool{}
			for _, f := range r.Findings {
				if f.Kind != audit.FindingOutOfBand {
					t.Errorf("finding on partition's plan: %s %v %s", f.Kind, f.Grids, f.Detail)
					continue
				}
				got[f.Grids[0]] = true
				if f.Fixable == proven[f.Community] {
					t.Errorf("grid %s: fixable %v, but partition's proof for community %s is %v", f.Grids[0], f.Fixable, f.Community, proven[f.Community])
				}
			}
			for c := range want {
				if !got[c] {
					t.Errorf("grid %s is out of band in stats.json but not in check", c)
				}
			}
			for c := range got {
				if !want[c] {
					t.Errorf("grid %s is out of band in check but not in stats.json", c)
				}
			}
			if wantCode := min(len(r.Findings), 1); code != wantCode {
				t.Errorf("exit %d with %d findings, want %d", code, len(r.Findings), wantCode)
			}
			if r.Totals.Households != p.stats.Totals.Households {
				t.Errorf("households %d, want %d", r.Totals.Households, p.stats.Totals.Households)
			}
		})
	}
}

// metres converts a displacement in metres at latitude lat to degrees.
func metres(dx, dy, lat float64) [2]float64 {
	return [2]float64{dx / (111320 * math.Cos(lat*math.Pi/180)), dy / 110574}
}

// edgeUse counts, for every undirected edge, the grids whose exterior ring
// holds it.
func edgeUse(t *testing.T, l gridLayer) map[[2][2]float64]int {
	use := map[[2][2]float64]int{}
	for i := range l.Features {
		if l.Features[i].Geometry.Type != "Polygon" {
			continue
		}
		r := l.Features[i].ring(t)
		for e := 0; e+1 < len(r); e++ {
			a, b := r[e], r[e+1]
			if b[0] < a[0] || (b[0] == a[0] && b[1] < a[1]) {
				a, b = b, a
			}
			use[[2][2]float64{a, b}]++
		}
	}
	return use
}

// bump inserts into grid i's ring, at the middle of edge e, a vertex moved
// by d metres to the edge's left (into the grid for a counter-clockwise
// ring) or right (d < 0).
func bump(t *testing.T, f *gridFeature, e int, d float64) {
	t.Helper()
	r := f.ring(t)
	a, b := r[e], r[e+1]
	lat := a[1]
	// Edge direction in metres, then its left normal.
	kx, ky := 111320*math.Cos(lat*math.Pi/180), 110574.0
	dx, dy := (b[0]-a[0])*kx, (b[1]-a[1])*ky
	l := math.Hypot(dx, dy)
	off := metres(-dy/l*d, dx/l*d, lat)
	m := [2]float64{(a[0]+b[0])/2 + off[0], (a[1]+b[1])/2 + off[1]}
	nr := append(append(append([][2]float64{}, r[:e+1]...), m), r[e+1:]...)
	f.setPolygons(t, [][][2]float64{nr})
}

// longEdge returns a grid and an edge of its ring at least minM metres long
// used by use[edge] grids in all, or fails.
func longEdge(t *testing.T, l gridLayer, use map[[2][2]float64]int, uses int, minM float64) (int, int) {
	t.Helper()
	for i := range l.Features {
		if l.Features[i].Geometry.Type != "Polygon" {
			continue
		}
		r := l.Features[i].ring(t)
		for e := 0; e+1 < len(r); e++ {
			a, b := r[e], r[e+1]
			key := [2][2]float64{a, b}
			if b[0] < a[0] || (b[0] == a[0] && b[1] < a[1]) {
				key = [2][2]float64{b, a}
			}
			d := metres(1, 1, a[1])
			if use[key] == uses && math.Hypot((b[0]-a[0])/d[0], (b[1]-a[1])/d[1]) >= minM {
				return i, e
			}
		}
	}
	t.Fatalf("no edge used by %d grids and %g m long", uses, minM)
	return 0, 0
}

// gridHolding returns the index of the grid whose edge e is also an edge of
// another grid, and that grid.
func neighbourAcross(t *testing.T, l gridLayer, i, e int) int {
	t.Helper()
	r := l.Features[i].ring(t)
	a, b := r[e], r[e+1]
	for j := range l.Features {
		if j == i || l.Features[j].Geometry.Type != "Polygon" {
			continue
		}
		s := l.Features[j].ring(t)
		for k := 0; k+1 < len(s); k++ {
			if (s[k] == b && s[k+1] == a) || (s[k] == a && s[k+1] == b) {
				return j
			}
		}
	}
	t.Fatalf("edge %d of grid %d is shared with no grid", e, i)
	return 0
}

// TestCheckDamaged damages a partitioned city's grid layer in one way per
// case and checks that check reports it with the right kind, grids and
// buildings.
func TestCheckDamaged(t *testing.T) {
	p := newCheckPlan(t, 3000, 2)
	use := edgeUse(t, p.grids)

	t.Run("sliver_gap", func(t *testing.T) {
		l := p.layer(t)
		i, e := longEdge(t, l, use, 1, 30) // on the community outline
		bump(t, &l.Features[i], e, 0.5)    // into the grid: a triangle 0.5 m high is left uncovered
		code, r := p.runCheck(t, l, "")
		f := wantFinding(t, r, audit.FindingGap, []string{l.Features[i].code()}, nil)
		if a := f.Measured["area_m2"]; a < 5 {
			t.Errorf("gap of %g m², want a triangle 0.5 m high on an edge of 30 m or more", a)
		}
		onlyKinds(t, r, p, audit.FindingGap)
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
	})
	t.Run("overlap", func(t *testing.T) {
		l := p.layer(t)
		i, e := longEdge(t, l, use, 2, 30) // between two grids
		j := neighbourAcross(t, l, i, e)
		bump(t, &l.Features[i], e, -0.5) // out of the grid, into its neighbour
		_, r := p.runCheck(t, l, "")
		wantFinding(t, r, audit.FindingOverlap, []string{l.Features[i].code(), l.Features[j].code()}, nil)
		onlyKinds(t, r, p, audit.FindingOverlap, audit.FindingStraddlingBuilding)
	})
	t.Run("crosses_community", func(t *testing.T) {
		l := p.layer(t)
		i, e := longEdge(t, l, use, 1, 30)
		bump(t, &l.Features[i], e, -2) // out of the community
		_, r := p.runCheck(t, l, "")
		f := wantFinding(t, r, audit.FindingCrossesCommunity, []string{l.Features[i].code()}, nil)
		if a := f.Measured["outside_m2"]; a < 15 {
			t.Errorf("outside_m2 = %g, want a triangle 2 m high on an edge of 30 m or more", a)
		}
		onlyKinds(t, r, p, audit.FindingCrossesCommunity, audit.FindingOverlap, audit.FindingStraddlingBuilding)
	})
	t.Run("self_intersection", func(t *testing.T) {
		l := p.layer(t)
		r := l.Features[5].ring(t)
		// The second vertex reflected through the ring's vertex mean and
		// moved three times as far: its two edges cross the ring.
		var c [2]float64
		for _, v := range r[:len(r)-1] {
			c[0] += v[0] / float64(len(r)-1)
			c[1] += v[1] / float64(len(r)-1)
		}
		r[1] = [2]float64{c[0] + 3*(c[0]-r[1][0]), c[1] + 3*(c[1]-r[1][1])}
		l.Features[5].setPolygons(t, [][][2]float64{r})
		_, rep := p.runCheck(t, l, "")
		f := wantFinding(t, rep, audit.FindingInvalidGeometry, []string{l.Features[5].code()}, nil)
		if !strings.Contains(f.Detail, "self-intersecting") {
			t.Errorf("detail %q does not say self-intersecting", f.Detail)
		}
	})
	t.Run("merged_multipolygon_overfull", func(t *testing.T) {
		// Two grids of one community drawn as one MultiPolygon grid.
		l := p.layer(t)
		i, e := longEdge(t, l, use, 2, 1)
		j := neighbourAcross(t, l, i, e)
		a, b := &l.Features[i], &l.Features[j]
		var pa, pb [][][2]float64
		must(t, json.Unmarshal(a.Geometry.Coordinates, &pa))
		must(t, json.Unmarshal(b.Geometry.Coordinates, &pb))
		a.setPolygons(t, pa, pb)
		l.Features = slices.Delete(l.Features, j, j+1)
		_, r := p.runCheck(t, l, "")
		wantFinding(t, r, audit.FindingMultipart, []string{a.code()}, nil)
		f := wantFinding(t, r, audit.FindingOutOfBand, []string{a.code()}, nil)
		want := p.stats.Grids[i].BandHouseholds + p.stats.Grids[j].BandHouseholds
		if got := int(f.Measured["band_households"]); got != want {
			t.Errorf("merged grid holds %d households, want %d", got, want)
		}
	})
	t.Run("split_compound_and_outside_building", func(t *testing.T) {
		// Building edits: one building of a grid joins a compound (of at
		// most max households) that lies in another grid, and a building
		// far outside every grid is added.
		bs, err := os.ReadFile(p.buildings)
		must(t, err)
		var fc struct {
			Type     string                       `json:"type"`
			Features []map[string]json.RawMessage `json:"features"`
		}
		must(t, json.Unmarshal(bs, &fc))
		assign := readAssignment(t, filepath.Join(p.dir, "plan", "assignment.csv"))
		// A compound whole in one grid with room for one more building,
		// and a building of the same community in another grid.
		props := func(k int) map[string]any {
			var m map[string]any
			must(t, json.Unmarshal(fc.Features[k]["properties"], &m))
			return m
		}
		size := map[string]int{}
		grids := map[string]map[string]bool{}
		for k := range fc.Features {
			m := props(k)
			if c, ok := m["compound"].(string); ok {
				size[c] += int(m["households"].(float64))
				if grids[c] == nil {
					grids[c] = map[string]bool{}
				}
				grids[c][assign[m["id"].(string)]] = true
			}
		}
		var compound, from, mover string
		var moverK int
		for k := 0; k < len(fc.Features) && mover == ""; k++ {
			m := props(k)
			c, ok := m["compound"].(string)
			if !ok || len(grids[c]) != 1 || size[c] > 400 {
				continue
			}
			for g := range grids[c] {
				compound, from = c, g
			}
			for k2 := range fc.Features {
				m2 := props(k2)
				id := m2["id"].(string)
				if h := m2["households"].(float64); h > 0 && h < 100 && m2["community"] == m["community"] &&
					assign[id] != from && m2["compound"] == nil {
					mover, moverK = id, k2
					break
				}
			}
		}
		if mover == "" {
			t.Fatalf("no building to move into compound %q", compound)
		}
		m := props(moverK)
		m["compound"] = compound
		fc.Features[moverK]["properties"], err = json.Marshal(m)
		must(t, err)
		far := fmt.Sprintf(`{"type":"Feature","properties":{"id":"FAR","community":"C001","households":3},"geometry":{"type":"Point","coordinates":[%g,%g]}}`, 114.5, 41.5)
		fc.Features = append(fc.Features, map[string]json.RawMessage{})
		must(t, json.Unmarshal([]byte(far), &fc.Features[len(fc.Features)-1]))
		data, err := json.Marshal(fc)
		must(t, err)
		_, r := p.runCheck(t, p.layer(t), string(data))
		f := wantFinding(t, r, audit.FindingSplitCompound, []string{from, assign[mover]}, []string{mover})
		if f.Compound != compound {
			t.Errorf("split compound %q, want %q", f.Compound, compound)
		}
		wantFinding(t, r, audit.FindingUncoveredBuilding, nil, []string{"FAR"})
	})
}

func readAssignment(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n")[1:] {
		f := strings.Split(line, ",")
		m[f[0]] = f[1]
	}
	return m
}

// TestCheckBadInput checks exit status 2 for layers check cannot read.
func TestCheckBadInput(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "b.geojson")
	must(t, os.WriteFile(b, []byte(plantest.Collection(plantest.Building("b1", "10", plantest.Square(116.4, 39.9)))), 0o644))
	for name, grids := range map[string]string{
		"not_json":       `{"type":`,
		"not_collection": `{"type":"Feature"}`,
		// A grid without a code is a finding (bad_code), not bad input.
		"out_of_range": plantest.Collection(`{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[500,95],[501,95],[501,96],[500,95]]]}}`),
	} {
		t.Run(name, func(t *testing.T) {
			g := filepath.Join(dir, name+".geojson")
			must(t, os.WriteFile(g, []byte(grids), 0o644))
			out := filepath.Join(dir, name+"-out")
			code, _, stderr := gridplan(t, "check", "--grids", g, "--buildings", b, "--out", out)
			if code != 2 {
				t.Errorf("exit %d, want 2\n%s", code, stderr)
			}
			if names := listFiles(t, out); len(names) != 0 {
				t.Errorf("wrote %v on bad input", names)
			}
		})
	}
}

// TestCheckJSON: --json prints the full report, the same as findings.json
// (but for the run time), with the exit status of the findings.
func TestCheckJSON(t *testing.T) {
	p := newCheckPlan(t, 3000, 2)
	grids := filepath.Join(p.dir, "plan", "grids.geojson")
	out := filepath.Join(p.dir, "check")
	code, _, stderr := gridplan(t, "check", "--grids", grids, "--buildings", p.buildings, "--communities", p.communities, "--out", out)
	if code == 2 {
		t.Fatalf("check: exit 2\n%s", stderr)
	}
	codeJSON, stdout, stderr := gridplan(t, "check", "--json", "--grids", grids, "--buildings", p.buildings, "--communities", p.communities)
	if codeJSON != code {
		t.Errorf("exit %d with --json, %d without\n%s", codeJSON, code, stderr)
	}
	var printed, written plan.CheckReport
	if err := json.Unmarshal([]byte(stdout), &printed); err != nil {
		t.Fatalf("--json: stdout is not the report: %v\n%s", err, stdout)
	}
	data, err := os.ReadFile(filepath.Join(out, "findings.json"))
	must(t, err)
	must(t, json.Unmarshal(data, &written))
	printed.RunTimeMS, written.RunTimeMS = 0, 0
	a, err := json.Marshal(printed)
	must(t, err)
	b, err := json.Marshal(written)
	must(t, err)
	if !bytes.Equal(a, b) {
		t.Errorf("--json report differs from findings.json")
	}
	if len(printed.Grids) == 0 || printed.Totals.Households == 0 {
		t.Errorf("--json report has no grids or households: %+v", printed.Totals)
	}
}

// TestPartitionWithoutLayer: without a communities layer the area around
// the buildings is divided among the communities, so grids of neighbouring
// communities whose buffered hulls overlap (seeds 3 and 4) do not overlap;
// check finds nothing but out-of-band grids in the plan.
func TestPartitionWithoutLayer(t *testing.T) {
	for _, seed := range []uint64{3, 4} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			dir := t.TempDir()
			b, _ := writeCity(t, dir, 3000, seed)
			pf := plantest.Files{Buildings: b, Out: filepath.Join(dir, "plan"), Min: 300, Max: 500}
			if code, _, stderr := gridplan(t, pf.Args()...); code != 0 {
				t.Fatalf("partition: exit %d\n%s", code, stderr)
			}
			plantest.CheckInvariants(t, pf)
			checkTiling(t, pf.Out)
			for _, f := range checkLayer(t, pf.Out, b).Findings {
				if f.Kind != audit.FindingOutOfBand {
					t.Errorf("finding on partition's plan: %s %v %s", f.Kind, f.Grids, f.Detail)
				}
			}
		})
	}
}

// TestCheckPodium: partition draws a podium under towers as a point, so its
// grids cross it; check reports the straddle as not fixable by redrawing.
func TestCheckPodium(t *testing.T) {
	dir := t.TempDir()
	pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Out: filepath.Join(dir, "plan"), Min: 300, Max: 500}
	must(t, os.WriteFile(pf.Buildings, []byte(plantest.Collection(append(rowOf(6, "80"),
		plantest.Building("P", "0", plantest.BigSquare(113.3, 40.081)),
		plantest.Building("T1", "250", plantest.Square(113.30005, 40.08105)), plantest.Building("T2", "250", plantest.Square(113.30025, 40.08105)),
		plantest.Building("T3", "250", plantest.Square(113.30005, 40.08125)), plantest.Building("T4", "250", plantest.Square(113.30025, 40.08125)))...)), 0o644))
	if code, _, stderr := gridplan(t, pf.Args()...); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	podium := 0
	for _, f := range checkLayer(t, pf.Out, pf.Buildings).Findings {
		switch {
		case f.Kind == audit.FindingStraddlingBuilding && slices.Equal(f.Buildings, []string{"P"}):
			podium++
			if f.Fixable || f.Reason != "container_footprint" {
				t.Errorf("podium straddle: fixable %v, reason %q, want not fixable, container_footprint", f.Fixable, f.Reason)
			}
		case f.Fixable:
			t.Errorf("finding on partition's plan: %s %v %s", f.Kind, f.Grids, f.Detail)
		}
	}
	if podium != 1 {
		t.Errorf("%d straddling findings for the podium, want 1 (its towers are in several grids)", podium)
	}
}

// TestCheckHouseholds: --households audits a layer against a census
// update's counts, as repartition reads them.
func TestCheckHouseholds(t *testing.T) {
	dir := t.TempDir()
	pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Out: filepath.Join(dir, "plan"), Min: 300, Max: 500}
	must(t, os.WriteFile(pf.Buildings, []byte(plantest.Collection(rowOf(6, "80")...)), 0o644))
	if code, _, stderr := gridplan(t, pf.Args()...); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	csvPath := filepath.Join(dir, "census.csv")
	must(t, os.WriteFile(csvPath, []byte("id,households\nR0,200\n"), 0o644))
	grids := filepath.Join(pf.Out, "grids.geojson")
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, 0},
		{[]string{"--households", csvPath}, 1}, // 480 - 80 + 200 = 600
	} {
		args := append([]string{"check", "--grids", grids, "--buildings", pf.Buildings}, tc.args...)
		code, stdout, stderr := gridplan(t, args...)
		if code != tc.code {
			t.Errorf("check %v: exit %d, want %d\n%s%s", tc.args, code, tc.code, stdout, stderr)
		}
		if tc.code == 1 && !strings.Contains(stdout, "holds 600 households, over the band") {
			t.Errorf("check %v: no finding of 600 households:\n%s", tc.args, stdout)
		}
	}
	if code, _, stderr := gridplan(t, "check", "--grids", grids, "--buildings", pf.Buildings, "--households", filepath.Join(dir, "missing.csv")); code != 2 {
		t.Errorf("a missing --households file: exit %d, want 2\n%s", code, stderr)
	}
}

// checkLayer runs check on the grids of the plan in dir against buildings (no
// communities layer) and returns its report.
func checkLayer(t *testing.T, dir, buildings string) plan.CheckReport {
	t.Helper()
	out := filepath.Join(t.TempDir(), "check")
	if code, _, stderr := gridplan(t, "check", "--grids", filepath.Join(dir, "grids.geojson"), "--buildings", buildings, "--out", out); code == 2 {
		t.Fatalf("check: exit 2\n%s", stderr)
	}
	var r plan.CheckReport
	data, err := os.ReadFile(filepath.Join(out, "findings.json"))
	must(t, err)
	must(t, json.Unmarshal(data, &r))
	return r
}

// TestCheckBD09Straddle: a BD-09 district whose walk-ups straddle
// community borders, planned and checked. The grid polygons follow the
// borders to a vertex where a footprint crosses one; read back, check
// split that grid edge at other points than the border's, whose pieces
// bent 3 mm where BD-09's offset does not bend as a parabola, and found
// the grids 0.2 m² across their communities.
func TestCheckBD09Straddle(t *testing.T) {
	dir := t.TempDir()
	city, out := filepath.Join(dir, "city"), filepath.Join(dir, "plan")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "1104", "--seed", "29906", "--center", "102.70,25.04", "--community-households", "6000", "--messy", "straddle", "--out", city); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	b, c := filepath.Join(city, "buildings.geojson"), filepath.Join(city, "communities.geojson")
	if code, _, stderr := gridplan(t, "partition", "--crs", "bd09", "--communities", c, "--no-report", "--out", out, b); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	checkNothingToFix(t, "--crs", "bd09", "--grids", filepath.Join(out, "grids.geojson"), "--buildings", b, "--communities", c, "--no-report", "--out", filepath.Join(dir, "check"))
}

// TestCheckBD09OutsideNearest: a BD-09 district with buildings outside
// every community, joined to the nearest (--outside nearest), planned
// and checked. The strip that joins such a building to its community is
// drawn in longitude/latitude; its 60 m edges, written in BD-09 vertex by
// vertex, bent 4 mm away from the strip check draws again, and check
// found gaps and a grid across its community.
func TestCheckBD09OutsideNearest(t *testing.T) {
	dir := t.TempDir()
	city, out := filepath.Join(dir, "city"), filepath.Join(dir, "plan")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "600", "--seed", "6", "--center", "108.90,34.30", "--messy", "outside", "--out", city); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	b, c := filepath.Join(city, "buildings.geojson"), filepath.Join(city, "communities.geojson")
	if code, _, stderr := gridplan(t, "partition", "--crs", "bd09", "--outside", "nearest", "--communities", c, "--no-report", "--out", out, b); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	checkNothingToFix(t, "--crs", "bd09", "--outside", "nearest", "--grids", filepath.Join(out, "grids.geojson"), "--buildings", b, "--communities", c, "--no-report", "--out", filepath.Join(dir, "check"))
}
