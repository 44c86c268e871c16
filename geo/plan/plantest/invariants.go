// Package plantest checks written plans against the hard rules (SPEC §3),
// from the files alone, for the tests of every package that writes or
// reads a plan. Helpers take a [testing.TB] and call its Helper method.
package plantest

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/plan"
	"gridplan/partition"
)

// Files is one run's input and output, as the invariant checks read them.
type Files struct {
	Buildings, Communities string // input paths; communities may be ""
	Out                    string // output directory
	// previous is the earlier plan a repartition started from: without a
	// communities layer, its grids are the areas the run tiled.
	Previous   string
	Min, Max   int
	ShopWeight float64
	Dedicated  bool
	// Outside is the --outside mode of the run: with skip, the buildings
	// outside every community must be in outside.csv and in no grid.
	Outside geo.Outside
	// BOM is --csv-bom: every CSV file begins with a UTF-8 byte order
	// mark, and without it none does.
	BOM bool
	// CoverM2, if not zero, replaces the package's CoverM2: for a plan
	// made in a projected system and checked in longitude/latitude, whose
	// edges along the outline bend by up to millimetres.
	CoverM2 float64
}

// coverM2 is the tolerance of the cover check of the run.
func (pf Files) coverM2() float64 {
	if pf.CoverM2 > 0 {
		return pf.CoverM2
	}
	return CoverM2
}

// CheckInvariants asserts the hard rules of SPEC §3 and the geometry of SPEC
// §4 ([CheckGeometry]) on a written plan, from the files alone: every
// building in exactly one grid, households conserved,
// grids within one community, compounds of at most max households whole,
// grids connected in the adjacency of the input, and the band held in every
// community without a proven infeasibility diagnosis, except for grids that
// a diagnosis reports as a search that found no plan in band. It returns the
// number of those grids and of all grids in such communities, for the caller
// to bound.
func CheckInvariants(t testing.TB, pf Files) (searchMisses, feasibleGrids int) {
	t.Helper()
	bs, rs := Load(t, pf)
	byID := map[string]int{}
	for i, b := range bs {
		byID[b.ID] = i
	}

	rows := readCSV(t, pf, "assignment.csv")
	if len(rows) == 0 || strings.Join(rows[0], ",") != "building_id,grid_code,community" {
		t.Fatalf("assignment.csv header = %v", rows[:min(1, len(rows))])
	}
	// Without a layer, a building with no community property among
	// buildings that have one takes a community by location: one of the
	// named ones, never a community of missing values.
	named := map[string]bool{}
	for _, b := range bs {
		if b.Community != "" {
			named[b.Community] = true
		}
	}
	gridOf := make([]string, len(bs))
	for _, r := range rows[1:] {
		if i, ok := byID[r[0]]; ok && bs[i].Community == "" && pf.Communities == "" && len(named) > 0 {
			if !named[r[2]] {
				t.Errorf("building %q without a community property is in community %q, not one of the layer's buildings", r[0], r[2])
			}
			bs[i].Community = r[2]
		}
		i, ok := byID[r[0]]
		switch {
		case !ok:
			t.Errorf("assignment.csv: unknown building %q", r[0])
			continue
		case gridOf[i] != "":
			t.Errorf("assignment.csv: building %q assigned twice", r[0])
		}
		gridOf[i] = r[1]
		if r[2] != bs[i].Community {
			t.Errorf("building %q: community %q in assignment.csv, %q in input", r[0], r[2], bs[i].Community)
		}
	}
	for i, g := range gridOf {
		if g == "" {
			t.Errorf("building %q is in no grid", bs[i].ID)
		}
	}
	checkOutside(t, pf, byID)

	var s plan.Stats
	data, err := os.ReadFile(filepath.Join(pf.Out, "stats.json"))
	must(t, err)
	must(t, json.Unmarshal(data, &s))
	grids := map[string]*plan.GridStats{}
	total := 0
	for i := range s.Grids {
		g := &s.Grids[i]
		if grids[g.Code] != nil {
			t.Errorf("grid code %s repeated", g.Code)
		}
		grids[g.Code] = g
		total += g.Households
	}
	households := map[string]int{}
	community := map[string]string{}
	inputTotal := 0
	for i, b := range bs {
		inputTotal += b.Households
		code := gridOf[i]
		households[code] += b.Households
		if c, ok := community[code]; ok && c != b.Community {
			t.Errorf("grid %s crosses communities %q and %q", code, c, b.Community)
		}
		community[code] = b.Community
		if grids[code] == nil {
			t.Errorf("building %q: grid %s not in stats.json", b.ID, code)
		}
	}
	CheckGeometry(t, pf, bs, rs, gridOf, &s)
	if total != inputTotal || s.Totals.Households != inputTotal {
		t.Errorf("households: grids hold %d, totals say %d, input has %d", total, s.Totals.Households, inputTotal)
	}
	peopled := map[string]bool{}
	for _, b := range bs {
		peopled[b.Community] = true
	}
	for code, g := range grids {
		if households[code] != g.Households {
			t.Errorf("grid %s: stats.json says %d households, its buildings hold %d", code, g.Households, households[code])
		}
		if _, any := community[code]; !any {
			// Only a community without buildings has a grid without any.
			if g.Buildings != 0 || peopled[g.Community] {
				t.Errorf("grid %s of community %q has no building in assignment.csv (stats.json: %d)", code, g.Community, g.Buildings)
			}
			continue
		}
		if g.Community != community[code] {
			t.Errorf("grid %s: community %q in stats.json, %q by its buildings", code, g.Community, community[code])
		}
	}

	// Compounds of at most max households are whole.
	weight := map[compoundKey]int{}
	compoundGrid := map[compoundKey]map[string]bool{}
	for i, b := range bs {
		if b.Compound == "" || pf.Dedicated && b.Kind == geo.Institution {
			continue
		}
		k := compoundKey{b.Community, b.Compound}
		weight[k] += b.Households
		if b.Kind == geo.Shop {
			weight[k] += int(pf.ShopWeight + 0.5)
		}
		if compoundGrid[k] == nil {
			compoundGrid[k] = map[string]bool{}
		}
		compoundGrid[k][gridOf[i]] = true
	}
	for k, gs := range compoundGrid {
		if weight[k] <= pf.Max && len(gs) > 1 {
			t.Errorf("compound %q of community %q (%d households) is split over %d grids", k.compound, k.community, weight[k], len(gs))
		}
	}

	// Grids are connected in the adjacency of the input, within the areas
	// the run tiled.
	g := graph(t, pf)
	adj := make([][]int, len(g.Atoms))
	for _, e := range g.Problem.Edges {
		adj[e.A] = append(adj[e.A], e.B)
		adj[e.B] = append(adj[e.B], e.A)
	}
	atomsOf := map[string][]int{}
	for a, members := range g.Atoms {
		if len(members) == 0 {
			continue // a community without buildings: its grid is the community
		}
		atomsOf[gridOf[members[0]]] = append(atomsOf[gridOf[members[0]]], a)
	}
	for code, atoms := range atomsOf {
		in := map[int]bool{}
		for _, a := range atoms {
			in[a] = true
		}
		seen := map[int]bool{atoms[0]: true}
		stack := []int{atoms[0]}
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, u := range adj[v] {
				if in[u] && !seen[u] {
					seen[u] = true
					stack = append(stack, u)
				}
			}
		}
		if len(seen) != len(atoms) {
			t.Errorf("grid %s is not connected: %d of %d atoms reachable", code, len(seen), len(atoms))
		}
	}

	// The band holds wherever no diagnosis says it cannot; every grid out
	// of it names a reason.
	feasible := map[string]bool{}
	unproven := map[string]bool{}
	for _, c := range s.Communities {
		feasible[c.ID] = c.Feasible
		for _, dg := range c.Diagnoses {
			unproven[c.ID] = unproven[c.ID] || !dg.Proven
		}
	}

	// A community without households is covered by empty grids, outside
	// the band; no other grid is empty.
	weighs := map[string]bool{}
	for _, b := range bs {
		if pf.Dedicated && b.Kind == geo.Institution {
			continue
		}
		if b.Households > 0 || b.Kind == geo.Shop && pf.ShopWeight > 0 {
			weighs[b.Community] = true
		}
	}
	for code, g := range grids {
		if g.Type == "dedicated" {
			continue
		}
		if empty := !weighs[g.Community]; empty != (g.Type == "empty") {
			t.Errorf("grid %s: type %q, but its community %q holds households: %v", code, g.Type, g.Community, !empty)
		}
		if g.Type == "empty" && (g.BandHouseholds != 0 || g.Status != "ok" || g.Reason != "") {
			t.Errorf("grid %s: empty, with %d households, status %s, reason %q", code, g.BandHouseholds, g.Status, g.Reason)
		}
	}

	for code, g := range grids {
		in := g.BandHouseholds >= pf.Min && g.BandHouseholds <= pf.Max
		switch {
		case g.Type == "dedicated", g.Type == "empty":
		case in != (g.Status == "ok"):
			t.Errorf("grid %s: %d households but status %s", code, g.BandHouseholds, g.Status)
		case !in && g.Reason == "":
			t.Errorf("grid %s: out of band (%d) without a reason", code, g.BandHouseholds)
		case !in && g.Reason == "oversized_building":
			// Its own grid, whatever the rest of its community holds.
			if g.BandHouseholds <= pf.Max {
				t.Errorf("grid %s: oversized_building with %d households", code, g.BandHouseholds)
			}
		case !in && feasible[g.Community]:
			if !unproven[g.Community] {
				t.Errorf("grid %s: out of band (%d, %s) in community %q which has no diagnosis", code, g.BandHouseholds, g.Reason, g.Community)
			}
			searchMisses++
		}
	}
	return searchMisses, s.Totals.FeasibleGrids
}

// checkOutside asserts that outside.csv, written exactly when buildings
// were left out (--outside skip), lists buildings of the layer that are in
// no grid (byID indexes the buildings of the plan).
func checkOutside(t testing.TB, pf Files, byID map[string]int) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(pf.Out, "outside.csv")); os.IsNotExist(err) {
		return
	}
	if pf.Outside != geo.OutsideSkip {
		t.Errorf("outside.csv written without --outside skip")
	}
	rows := readCSV(t, pf, "outside.csv")
	for _, r := range rows[1:] {
		if _, planned := byID[r[0]]; planned {
			t.Errorf("outside.csv lists building %q, which the plan holds", r[0])
		}
	}
}

// Load reads the buildings of the run, with the communities of its layer
// assigned, and the communities layer (nil without one).
func Load(t testing.TB, pf Files) ([]geo.Building, []geo.Region) {
	t.Helper()
	f, err := os.Open(pf.Buildings)
	must(t, err)
	defer f.Close()
	bs, _, err := geo.LoadBuildings(pf.Buildings, f, geo.DefaultFields())
	must(t, err)
	if pf.Communities != "" {
		cf, err := os.Open(pf.Communities)
		must(t, err)
		defer cf.Close()
		rs, _, err := geo.LoadRegions(pf.Communities, cf, "id", geo.DefaultSliverM2)
		must(t, err)
		rs, _, err = geo.ResolveCommunities(pf.Communities, rs, 50)
		must(t, err)
		_, out, err := geo.AssignCommunities(pf.Buildings, bs, rs, 5, pf.Outside, true)
		must(t, err)
		if len(out) > 0 {
			skipped := map[int]bool{}
			for _, o := range out {
				skipped[o.Index] = !o.Joined
			}
			kept := bs[:0:0]
			for i, b := range bs {
				if !skipped[i] {
					kept = append(kept, b)
				}
			}
			bs = kept
		}
		return bs, rs
	}
	return bs, nil
}

// graph builds the atom graph of the run's input as the run built it.
func graph(t testing.TB, pf Files) *plan.Graph {
	t.Helper()
	ls := plan.Layers{Buildings: plan.File(pf.Buildings)}
	if pf.Communities != "" {
		ls.Communities = plan.File(pf.Communities)
	}
	o := &plan.Options{
		Settings: partition.Settings{Min: pf.Min, Max: pf.Max}, Fields: geo.DefaultFields(), RegionIDField: "id",
		SliverToleranceM2: 50, SnapM: 5, ShopWeight: pf.ShopWeight, DedicatedGrids: pf.Dedicated, Outside: pf.Outside,
	}
	in, err := plan.Load(context.Background(), ls, o, nil)
	must(t, err)
	var prev *plan.Previous
	if pf.Previous != "" {
		prev, err = plan.LoadPrevious(context.Background(), pf.Previous, nil)
		must(t, err)
	}
	g, err := in.Graph(context.Background(), o, prev)
	must(t, err)
	return g
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// readCSV reads the CSV file name of the plan, which begins with a UTF-8
// byte order mark exactly when pf.BOM says so.
func readCSV(t testing.TB, pf Files, name string) [][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(pf.Out, name))
	must(t, err)
	const bom = "\xef\xbb\xbf"
	if has := bytes.HasPrefix(data, []byte(bom)); has != pf.BOM {
		t.Errorf("%s begins with a byte order mark: %v, want %v (--csv-bom)", name, has, pf.BOM)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte(bom)))).ReadAll()
	must(t, err)
	return rows
}

// Args returns the command line of gridplan partition for the run.
func (pf Files) Args() []string {
	args := []string{"partition", "--out", pf.Out, "--min", fmt.Sprint(pf.Min), "--max", fmt.Sprint(pf.Max)}
	if pf.Communities != "" {
		args = append(args, "--communities", pf.Communities)
	}
	if pf.ShopWeight != 0 {
		args = append(args, "--shop-weight", fmt.Sprint(pf.ShopWeight))
	}
	if pf.Dedicated {
		args = append(args, "--dedicated-grids")
	}
	if pf.Outside != geo.OutsideError {
		args = append(args, "--outside", pf.Outside.String())
	}
	if pf.BOM {
		args = append(args, "--csv-bom")
	}
	return append(args, pf.Buildings)
}

type compoundKey struct{ community, compound string }
