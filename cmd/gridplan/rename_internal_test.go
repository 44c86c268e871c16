package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gridplan/geo/plan/plantest"

	"github.com/paulmach/orb/geojson"
)

// TestRepartitionRenamedCommunity: a community recoded in both layers, and
// nothing else changed, keeps its grids: each unchanged (class U), with its
// polygon, coded anew under the new id with its sequence number; the
// earlier codes are retired, and a warning says so.
func TestRepartitionRenamedCommunity(t *testing.T) {
	dir := t.TempDir()
	b, c := writeCity(t, dir, 1500, 2)
	pf := plantest.Files{Buildings: b, Communities: c, Out: filepath.Join(dir, "p0"), Min: 300, Max: 500}
	if code, _, stderr := gridplan(t, pf.Args()...); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	const from, to = "C002", "C902"
	rename := func(src, key string) string {
		n := 0
		out := editLayer(t, src, func(fc *geojson.FeatureCollection) {
			for _, f := range fc.Features {
				if f.Properties[key] == from {
					f.Properties[key] = to
					n++
				}
			}
		})
		if n == 0 {
			t.Fatalf("%s: no feature with %s %s", src, key, from)
		}
		return out
	}
	pf1 := plantest.Files{Buildings: rename(b, "community"), Communities: rename(c, "id"), Out: filepath.Join(dir, "p1"), Min: 300, Max: 500}
	repartition(t, pf.Out, pf1)
	checkRepartition(t, pf.Out, pf1)

	ch := changesOf(t, pf1.Out)
	if ch.Classes["U"] != ch.PreviousGrids || ch.BuildingsMoved != 0 || ch.NewGrids != 0 {
		t.Errorf("changes = %+v, want every grid unchanged, no building moved", ch)
	}
	grids := func(out string) map[string]string {
		data, err := os.ReadFile(filepath.Join(out, "grids.geojson"))
		must(t, err)
		var fc struct {
			Features []struct {
				Geometry   json.RawMessage `json:"geometry"`
				Properties struct {
					Code string `json:"code"`
				} `json:"properties"`
			} `json:"features"`
		}
		must(t, json.Unmarshal(data, &fc))
		m := map[string]string{}
		for _, f := range fc.Features {
			m[f.Properties.Code] = string(f.Geometry)
		}
		return m
	}
	before, after := grids(pf.Out), grids(pf1.Out)
	renamed := 0
	for code, g := range before {
		now := code
		if strings.HasPrefix(code, from) {
			now, renamed = to+strings.TrimPrefix(code, from), renamed+1
			if _, ok := after[code]; ok {
				t.Errorf("grid %s keeps its earlier code", code)
			}
			if !strings.Contains(strings.Join(ch.Retired, " "), code) {
				t.Errorf("earlier code %s is not retired: %v", code, ch.Retired)
			}
		}
		if after[now] != g {
			t.Errorf("grid %s (now %s) is not the earlier polygon", code, now)
		}
	}
	if renamed == 0 || len(after) != len(before) {
		t.Fatalf("%d grids of %s; %d grids before, %d after", renamed, from, len(before), len(after))
	}
	warned := false
	for _, w := range statsOf(t, pf1.Out).Warnings {
		warned = warned || w.Kind == "community_renamed" && w.ID == from
	}
	if !warned {
		t.Error("no community_renamed warning")
	}
}

// TestRepartitionRemovedCommunity: a community gone from both layers (and
// its buildings) leaves its grids emptied: class X, counted apart from the
// grids redrawn, in stats.json and on stdout.
func TestRepartitionRemovedCommunity(t *testing.T) {
	dir := t.TempDir()
	b, c := writeCity(t, dir, 1500, 2)
	pf := plantest.Files{Buildings: b, Communities: c, Out: filepath.Join(dir, "p0"), Min: 300, Max: 500}
	if code, _, stderr := gridplan(t, pf.Args()...); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	const gone = "C002"
	drop := func(src, key string) string {
		return editLayer(t, src, func(fc *geojson.FeatureCollection) {
			fc.Features = slices.DeleteFunc(fc.Features, func(f *geojson.Feature) bool { return f.Properties[key] == gone })
		})
	}
	pf1 := plantest.Files{Buildings: drop(b, "community"), Communities: drop(c, "id"), Out: filepath.Join(dir, "p1"), Min: 300, Max: 500}
	stdout := repartition(t, pf.Out, pf1)
	checkRepartition(t, pf.Out, pf1)
	n := 0
	for _, g := range statsOf(t, pf.Out).Grids {
		if g.Community == gone {
			n++
		}
	}
	ch := changesOf(t, pf1.Out)
	if n == 0 || ch.Emptied != n || ch.Classes["X"] != n || ch.Classes["U"] != ch.PreviousGrids-n {
		t.Errorf("changes = %+v; want the %d grids of %s emptied (X), the others unchanged", ch, n, gone)
	}
	if want := fmt.Sprintf("redrawn 0, emptied %d (no building left)", n); !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
}
