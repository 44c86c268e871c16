package plan

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"gridplan/geo"
	"gridplan/geo/synth"
	"gridplan/partition"
)

// TestPlanCommunitiesAsWhole plans cities community by community, as
// Partition does, and in turn (every community tessellated, then the whole
// problem solved, then every community drawn, as Repartition does), and
// checks that the two give the same grids, diagnoses and polygons (so the
// same graph, which the search would tell apart): with and
// without a communities layer, with large communities and with every fault
// of a messy city.
func TestPlanCommunitiesAsWhole(t *testing.T) {
	for _, c := range []struct {
		name   string
		o      synth.Options
		layer  bool
		outset geo.Outside
	}{
		{"default", synth.Options{Buildings: 1500, Seed: 4}, true, geo.OutsideError},
		{"large communities", synth.Options{Buildings: 2500, Seed: 5, CommunityHouseholds: 8000}, true, geo.OutsideError},
		{"messy", synth.Options{Buildings: 1500, Seed: 6, Messy: synth.AllFaults}, true, geo.OutsideNearest},
		{"no layer", synth.Options{Buildings: 1200, Seed: 7}, false, geo.OutsideError},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			city, err := synth.Generate(c.o)
			if err != nil {
				t.Fatal(err)
			}
			if err := city.Write(dir); err != nil {
				t.Fatal(err)
			}
			ls := Layers{Buildings: File(filepath.Join(dir, synth.BuildingsFile))}
			if c.layer {
				ls.Communities = File(filepath.Join(dir, synth.CommunitiesFile))
			}
			o := cancelOptions()
			o.Outside = c.outset
			ctx := context.Background()
			load := func() *Input {
				in, err := Load(ctx, ls, o, nil)
				if err != nil {
					t.Fatal(err)
				}
				return in
			}
			in := load()
			streamed, err := in.district(ctx, o, true)
			if err != nil {
				t.Fatal(err)
			}
			set := o.Settings
			res, shapes, err := streamed.planCommunities(ctx, &set)
			if err != nil {
				t.Fatal(err)
			}

			in = load()
			whole, err := in.district(ctx, o, false)
			if err != nil {
				t.Fatal(err)
			}
			want, err := partition.Solve(ctx, whole.problem, &set)
			if err != nil {
				t.Fatal(err)
			}
			wantShapes, err := whole.drawGrids(ctx, want, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Grids) != len(want.Grids) {
				t.Fatalf("%d grids community by community, %d in turn", len(res.Grids), len(want.Grids))
			}
			if !reflect.DeepEqual(res.Grids, want.Grids) || !reflect.DeepEqual(res.AtomGrid, want.AtomGrid) {
				t.Fatal("the grids differ")
			}
			if !reflect.DeepEqual(res.Diagnoses, want.Diagnoses) {
				t.Fatalf("diagnoses %+v community by community, %+v in turn", res.Diagnoses, want.Diagnoses)
			}
			if !reflect.DeepEqual(shapes.written, wantShapes.written) || !reflect.DeepEqual(shapes.polygons, wantShapes.polygons) {
				t.Fatal("the grid polygons differ")
			}
			if !reflect.DeepEqual(shapes.coverage, wantShapes.coverage) || !reflect.DeepEqual(shapes.tolM2, wantShapes.tolM2) {
				t.Fatal("the coverage checks differ")
			}
			if !reflect.DeepEqual(streamed.tessellated, whole.tessellated) {
				t.Fatal("communities tessellated differ")
			}
			if len(res.Grids) < 3 {
				t.Fatalf("only %d grids: the city is too small to tell", len(res.Grids))
			}
		})
	}
}
