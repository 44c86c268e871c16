package plan

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"gridplan/geo"
	"gridplan/geo/synth"
)

// TestRepartitionDropCells repartitions a city after a census update with
// every community's cells kept from the adjacency to the drawing and with
// none kept (tessellated again as drawn, as for a large city): the files
// must be the same, byte for byte.
func TestRepartitionDropCells(t *testing.T) {
	dir := t.TempDir()
	city, err := synth.Generate(synth.Options{Buildings: 2500, Seed: 8, CommunityHouseholds: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if err := city.Write(dir); err != nil {
		t.Fatal(err)
	}
	ls := Layers{Buildings: File(filepath.Join(dir, synth.BuildingsFile)), Communities: File(filepath.Join(dir, synth.CommunitiesFile))}
	ctx := context.Background()
	in, err := Load(ctx, ls, cancelOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Partition(ctx, in, cancelOptions())
	if err != nil {
		t.Fatal(err)
	}
	prevDir := t.TempDir()
	for _, f := range mustFiles(t, p) {
		if err := os.WriteFile(filepath.Join(prevDir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A census update: every fifth building loses a fifth of its
	// households, every seventh gains a third.
	update := func(bs []geo.Building) error {
		for i := range bs {
			switch {
			case i%5 == 0:
				bs[i].Households -= bs[i].Households / 5
			case i%7 == 0:
				bs[i].Households += bs[i].Households / 3
			}
		}
		return nil
	}
	run := func(keep int) []Output {
		t.Helper()
		defer func(k int) { keepCellsUpTo = k }(keepCellsUpTo)
		keepCellsUpTo = keep
		prev, err := LoadPrevious(context.Background(), prevDir, nil)
		if err != nil {
			t.Fatal(err)
		}
		in, err := Load(ctx, ls, cancelOptions(), update)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Repartition(ctx, prev, in, cancelOptions())
		if err != nil {
			t.Fatal(err)
		}
		if r.Stats.Changes == nil || r.Stats.Changes.Classes["U"] == len(r.Stats.Grids) {
			t.Fatalf("the update changed no grid: changes %+v", r.Stats.Changes)
		}
		return mustFiles(t, r)
	}
	kept, dropped := run(1<<30), run(0)
	runTime := regexp.MustCompile(`"run_time_ms": \d+`)
	if len(kept) != len(dropped) {
		t.Fatalf("%d files with cells kept, %d without", len(kept), len(dropped))
	}
	for i := range kept {
		a, b := runTime.ReplaceAll(kept[i].Data, nil), runTime.ReplaceAll(dropped[i].Data, nil)
		if kept[i].Name != dropped[i].Name || !bytes.Equal(a, b) {
			t.Errorf("%s differs with the cells tessellated again", kept[i].Name)
		}
	}
}
