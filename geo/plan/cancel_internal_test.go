package plan

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"gridplan/geo"
	"gridplan/geo/synth"
	"gridplan/partition"
)

// cancelCity writes a small generated city with a compounds and a
// barriers layer, so that a run goes through every phase, and returns its
// layers.
func cancelCity(t *testing.T) Layers {
	t.Helper()
	dir := t.TempDir()
	city, err := synth.Generate(synth.Options{Buildings: 300, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := city.Write(dir); err != nil {
		t.Fatal(err)
	}
	c := synth.DefaultCenter
	write := func(name, geometry string) Source {
		path := filepath.Join(dir, name)
		fc := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"X1"},"geometry":` + geometry + `}]}`
		if err := os.WriteFile(path, []byte(fc), 0o644); err != nil {
			t.Fatal(err)
		}
		return File(path)
	}
	pt := func(dx, dy float64) string { return "[" + ftoa(c[0]+dx) + "," + ftoa(c[1]+dy) + "]" }
	barriers := write("barriers.geojson", `{"type":"LineString","coordinates":[`+pt(-0.02, 0)+`,`+pt(0.02, 0)+`]}`)
	compounds := write("compounds.geojson", `{"type":"Polygon","coordinates":[[`+pt(0, 0)+`,`+pt(0.001, 0)+`,`+pt(0.001, 0.001)+`,`+pt(0, 0.001)+`,`+pt(0, 0)+`]]}`)
	return Layers{Buildings: File(filepath.Join(dir, synth.BuildingsFile)), Communities: File(filepath.Join(dir, synth.CommunitiesFile)), Compounds: compounds, Barriers: barriers}
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'f', 7, 64) }

func cancelOptions() *Options {
	return &Options{Settings: partition.Settings{Min: 300, Target: 400, Max: 500, Seed: 1}, Fields: geo.DefaultFields(), RegionIDField: "id", SliverToleranceM2: 50, SnapM: 5, CodeWidth: 3}
}

// everyPhase lists the phases of each command in the order they run:
// partition plans each community from tessellation to drawing in one go.
var everyPhase = map[string][]string{
	"partition": {phaseBuildings, phaseCommunities, phaseCompounds, phaseBarriers, phaseStacked,
		phaseAtoms, phasePlanning, phaseStatistics},
	"repartition": {phaseBuildings, phaseCommunities, phaseCompounds, phaseBarriers, phaseStacked,
		phaseAtoms, phaseTessellate, phaseSearch, phaseDrawing, phaseStatistics},
}

// TestCancelAtEveryPhase cancels a partition and a repartition as each
// phase begins: the run returns context.Canceled and begins no later phase
// (the phase cancelled checks the context within, or the next begin does).
func TestCancelAtEveryPhase(t *testing.T) {
	ls := cancelCity(t)
	defer func() { phaseHook = nil }()
	var seen []string
	phaseHook = func(p string) { seen = append(seen, p) }
	in, err := Load(context.Background(), ls, cancelOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Partition(context.Background(), in, cancelOptions())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, everyPhase["partition"]) {
		t.Fatalf("phases of a run = %q, want %q", seen, everyPhase["partition"])
	}
	prevDir := t.TempDir()
	for _, f := range mustFiles(t, p) {
		if err := os.WriteFile(filepath.Join(prevDir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prev, err := LoadPrevious(context.Background(), prevDir, nil)
	if err != nil {
		t.Fatal(err)
	}

	var solved int // communities the search reported
	options := func() *Options {
		o := cancelOptions()
		o.Workers = 1
		o.Progress = func(p Progress) {
			if (p.Phase == phaseSearch || p.Phase == phasePlanning) && p.Done > 0 {
				solved++
			}
		}
		return o
	}
	runs := map[string]func(ctx context.Context) error{
		"partition": func(ctx context.Context) error {
			o := options()
			in, err := Load(ctx, ls, o, nil)
			if err == nil {
				_, err = Partition(ctx, in, o)
			}
			return err
		},
		"repartition": func(ctx context.Context) error {
			o := options()
			in, err := Load(ctx, ls, o, nil)
			if err == nil {
				_, err = Repartition(ctx, prev, in, o)
			}
			return err
		},
	}
	for _, name := range []string{"partition", "repartition"} {
		phases := everyPhase[name]
		for i, at := range phases {
			ctx, cancel := context.WithCancel(context.Background())
			seen, solved = nil, 0
			phaseHook = func(p string) {
				seen = append(seen, p)
				if p == at {
					cancel()
				}
			}
			err := runs[name](ctx)
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s cancelled at %s: %v, want context.Canceled", name, at, err)
			}
			if want := phases[:i+1]; !slices.Equal(seen, want) {
				t.Errorf("%s cancelled at %s: phases begun %q, want %q", name, at, seen, want)
			}
			if i <= max(slices.Index(phases, phaseSearch), slices.Index(phases, phasePlanning)) && solved > 0 {
				t.Errorf("%s cancelled at %s: the search went on to solve %d communities", name, at, solved)
			}
		}
	}
}

// A tally is a context that counts the calls of its Err, by the phase
// running, and turns cancelled from call trip on.
type tally struct {
	context.Context
	trip  int64
	calls atomic.Int64
	mu    sync.Mutex
	phase string
	at    []string // the phase of each call, if recorded
	rec   bool
}

func (c *tally) Err() error {
	n := c.calls.Add(1)
	if c.rec {
		c.mu.Lock()
		c.at = append(c.at, c.phase)
		c.mu.Unlock()
	}
	if n >= c.trip {
		return context.Canceled
	}
	return nil
}

// TestCancelWithinPhases stops a run at calls of its context's Err spread
// over the whole run: the long phases check it within (every feature
// decoded, every community tessellated and drawn, every step of the
// search), and wherever it turns cancelled the run returns
// context.Canceled and begins no later phase.
func TestCancelWithinPhases(t *testing.T) {
	ls := cancelCity(t)
	defer func() { phaseHook = nil }()
	run := func(ctx *tally) error {
		phaseHook = func(p string) {
			ctx.mu.Lock()
			ctx.phase = p
			ctx.mu.Unlock()
		}
		o := cancelOptions()
		in, err := Load(ctx, ls, o, nil)
		if err == nil {
			_, err = Partition(ctx, in, o)
		}
		return err
	}
	count := &tally{Context: context.Background(), trip: 1 << 62, rec: true}
	if err := run(count); err != nil {
		t.Fatal(err)
	}
	per := map[string]int{}
	for _, p := range count.at {
		per[p]++
	}
	t.Logf("checks by phase: %v", per)
	// Each community is checked before it is tessellated and drawn; the
	// search polls at every spanning tree.
	for p, least := range map[string]int{phaseBuildings: 150, phasePlanning: 106} {
		if per[p] < least {
			t.Errorf("phase %s checked its context %d times, want at least %d", p, per[p], least)
		}
	}
	total := len(count.at)
	for k := 0; k < 16; k++ {
		n := 1 + k*(total-1)/15
		ctx := &tally{Context: context.Background(), trip: int64(n)}
		err := run(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled at check %d of %d (%s): %v, want context.Canceled", n, total, count.at[n-1], err)
		}
		if ctx.phase != count.at[n-1] {
			t.Errorf("cancelled at check %d of %d, in phase %s: the run went on to phase %s", n, total, count.at[n-1], ctx.phase)
		}
	}
}
