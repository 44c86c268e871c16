package plan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"gridplan/geo"
	"gridplan/geo/draw"

	"github.com/paulmach/orb"
)

// A Source names a layer and opens it: a file, or data embedded in the
// program. The zero Source is an absent layer.
type Source struct {
	Name string // as named in messages and in stats.json
	Open func() (io.ReadCloser, error)
	// Warnings, if not nil, returns the warnings about how the layer was
	// read (its coordinate system or text encoding chosen over what the
	// file says, records the reader repaired); called once it was read,
	// they come first among the run's warnings.
	Warnings func() []geo.Warning
	// BendM, if not nil, returns how far, in metres, the layer's edges
	// (straight in its own coordinates) stray from straight lines in
	// longitude/latitude, once it was read; check tolerates slivers that
	// narrow between layers.
	BendM func() float64
}

// bendM returns the largest bend of the sources.
func bendM(ss ...Source) float64 {
	b := 0.0
	for _, s := range ss {
		if s.BendM != nil {
			b = max(b, s.BendM())
		}
	}
	return b
}

// sourceWarnings returns the warnings of the sources, in order.
func sourceWarnings(ss ...Source) []geo.Warning {
	var ws []geo.Warning
	for _, s := range ss {
		if s.Warnings != nil {
			ws = append(ws, s.Warnings()...)
		}
	}
	return ws
}

// File returns the Source of the file at path.
func File(path string) Source {
	return Source{Name: path, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// present reports whether the layer was given.
func (s Source) present() bool { return s.Open != nil }

// read opens in and passes it to load, closing it afterwards; the bytes
// read are the progress of phase, reported to the run's Options.Progress.
func read[T any](ctx context.Context, phase string, in Source, load func(name string, r io.Reader) (T, error)) (T, error) {
	f, err := in.Open()
	if err != nil {
		var zero T
		return zero, err // os errors name the path
	}
	defer f.Close()
	return load(in.Name, counted(ctx, phase, f))
}

// Layers are the input layers of a run that writes a plan; only Buildings
// is required.
type Layers struct {
	Buildings   Source
	Communities Source
	Compounds   Source
	Barriers    Source
}

// An Input is the loaded input of a run that writes a plan.
type Input struct {
	buildings   []geo.Building
	warnings    []geo.Warning
	in          InputStats
	communities []geo.Region // nil without a communities layer
	compounds   []geo.Region // nil without a compounds layer
	barriers    []geo.Barrier
	stacked     []int   // geo.Stacked of the buildings
	holds       [][]int // and the smaller buildings in each footprint
	// envelopes are the areas tiled by the communities without a
	// communities layer (communityEnvelopes, or the earlier grids in
	// repartition); tiling says what they are.
	envelopes map[string]orb.MultiPolygon
	tiling    string
	// outside are the buildings left out of the plan (--outside skip).
	outside []outsideRow
}

// Load reads the buildings and the optional layers, and reports the repairs
// made and the stacked buildings found to o.Warnings. adjust, if not nil,
// is applied to the buildings before communities and compounds are
// assigned (a census update's household counts, [Households.Apply]).
// Once ctx is done Load stops within milliseconds and returns ctx.Err().
func Load(ctx context.Context, ls Layers, o *Options, adjust func([]geo.Building) error) (*Input, error) {
	ctx = withProgress(ctx, o.Progress)
	fields := o.Fields
	type loaded struct {
		bs []geo.Building
		ws []geo.Warning
	}
	if err := begin(ctx, phaseBuildings); err != nil {
		return nil, err
	}
	l, err := read(ctx, phaseBuildings, ls.Buildings, func(name string, r io.Reader) (loaded, error) {
		bs, ws, err := geo.LoadBuildingsContext(ctx, name, r, fields)
		return loaded{bs, ws}, err
	})
	if err != nil {
		return nil, err
	}
	bs, warnings := l.bs, l.ws
	if adjust != nil {
		if err := adjust(bs); err != nil {
			return nil, err
		}
		if err := checkCounts(ls.Buildings.Name, bs); err != nil {
			return nil, err
		}
	}
	in := InputStats{Buildings: ls.Buildings.Name, CommunitySource: "building property " + fields.Community}
	if err := begin(ctx, phaseCommunities); err != nil {
		return nil, err
	}

	var communities, compounds []geo.Region
	var outside []outsideRow
	if !ls.Communities.present() {
		ws, err := communityByLocation(ctx, ls.Buildings.Name, bs)
		if err != nil {
			return nil, err
		}
		if len(ws) > 0 {
			in.CommunitySource += fmt.Sprintf("; for %d buildings without it, the community whose area they lie in", len(ws))
		}
		warnings = append(warnings, ws...)
	}
	if ls.Communities.present() {
		in.Communities = ls.Communities.Name
		in.CommunitySource = "communities layer (building property where given)"
		var missing []int // buildings without a community property
		for i, b := range bs {
			if b.Community == "" {
				missing = append(missing, i)
			}
		}
		rs, ws, out, err := loadCommunities(ctx, ls.Communities, ls.Buildings.Name, bs, o)
		if err != nil {
			return nil, err
		}
		if len(missing) > 0 && len(missing) < len(bs) {
			// Some buildings name their community and these do not: a
			// gap in the attribute, repaired by location (SPEC §2.4).
			for _, i := range missing {
				if b := &bs[i]; b.Community != "" {
					ws = append(ws, geo.Warning{File: ls.Buildings.Name, Index: b.Index, ID: b.ID, Kind: "community_by_location",
						Note: fmt.Sprintf("no community property: put in community %q, whose polygon holds it", b.Community)})
				}
			}
		}
		warnings = append(warnings, ws...)
		var skipped []geo.OutsideBuilding
		for _, o := range out {
			if !o.Joined {
				skipped = append(skipped, o)
			}
		}
		if len(skipped) < len(out) {
			if rs, ws, err = geo.ExtendCommunities(ls.Communities.Name, bs, rs, out); err != nil {
				return nil, err
			}
			warnings = append(warnings, ws...)
		}
		communities = rs
		if len(skipped) > 0 {
			bs, outside = skipOutside(bs, skipped)
			in.OutsideSkipped = len(skipped)
		}
	}
	if ls.Compounds.present() {
		if err := begin(ctx, phaseCompounds); err != nil {
			return nil, err
		}
		in.Compounds = ls.Compounds.Name
		rs, err := read(ctx, phaseCompounds, ls.Compounds, func(name string, r io.Reader) ([]geo.Region, error) {
			rs, ws, err := geo.LoadRegions(name, r, o.RegionIDField, o.SliverToleranceM2)
			warnings = append(warnings, ws...)
			return rs, err
		})
		if w, ok := emptyLayer(ls.Compounds.Name, "compounds", err); ok {
			warnings = append(warnings, w)
		} else if err != nil {
			return nil, err
		} else {
			rs, ws := geo.ResolveCompounds(ls.Compounds.Name, rs, o.SliverToleranceM2)
			warnings = append(warnings, ws...)
			warnings = append(warnings, geo.AssignCompounds(ls.Compounds.Name, bs, rs)...)
			compounds = rs
		}
	}
	var barriers []geo.Barrier
	if ls.Barriers.present() {
		if err := begin(ctx, phaseBarriers); err != nil {
			return nil, err
		}
		in.Barriers = ls.Barriers.Name
		barriers, err = read(ctx, phaseBarriers, ls.Barriers, func(name string, r io.Reader) ([]geo.Barrier, error) {
			return geo.LoadBarriers(name, r, o.RegionIDField)
		})
		if w, ok := emptyLayer(ls.Barriers.Name, "barriers", err); ok {
			warnings = append(warnings, w)
		} else if err != nil {
			return nil, err
		}
	}
	warnings = append(warnings, compoundsAcross(ls.Buildings.Name, ls.Compounds.Name, bs, compounds)...)
	if err := begin(ctx, phaseStacked); err != nil {
		return nil, err
	}
	stacked, holds := geo.Stacked(bs)
	warnings = append(warnings, stackingWarnings(ls.Buildings.Name, bs, stacked, holds, o)...)
	warnings = append(sourceWarnings(ls.Buildings, ls.Communities, ls.Compounds, ls.Barriers), warnings...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	o.warn(warnings)
	return &Input{buildings: bs, warnings: warnings, in: in, communities: communities, compounds: compounds, barriers: barriers, stacked: stacked, holds: holds, outside: outside}, nil
}

// emptyLayer returns the warning of an optional layer (compounds,
// barriers) that err refuses for having no features, and true; false if
// err is not that. A batch run over districts meets such layers (a
// district without walled compounds or rivers): the run is planned as
// without the layer. The buildings and communities layers stay refused.
func emptyLayer(file, what string, err error) (geo.Warning, bool) {
	var fe *geo.FileError
	if !errors.As(err, &fe) || fe.File != file || !errors.Is(fe.Err, geo.ErrEmptyLayer) {
		return geo.Warning{}, false
	}
	return geo.Warning{File: file, Index: -1, Kind: "empty_layer", Note: fmt.Sprintf("%v: planned without %s", geo.ErrEmptyLayer, what)}, true
}

// loadCommunities reads a communities layer, repairs slivers between its
// polygons and gives each building of bs without a community property the
// community it lies in (buildingsFile names them in messages); it returns
// the buildings outside every community that o.Outside leaves out.
func loadCommunities(ctx context.Context, src Source, buildingsFile string, bs []geo.Building, o *Options) ([]geo.Region, []geo.Warning, []geo.OutsideBuilding, error) {
	type regions struct {
		rs []geo.Region
		ws []geo.Warning
	}
	rl, err := read(ctx, phaseCommunities, src, func(name string, r io.Reader) (regions, error) {
		rs, ws, err := geo.LoadRegions(name, r, o.RegionIDField, o.SliverToleranceM2)
		return regions{rs, ws}, err
	})
	if err != nil {
		return nil, nil, nil, err
	}
	rs, ws, err := geo.ResolveCommunities(src.Name, rl.rs, o.SliverToleranceM2)
	if err != nil {
		return nil, nil, nil, err
	}
	warnings := append(rl.ws, ws...)
	ws, out, err := geo.AssignCommunities(buildingsFile, bs, rs, o.SnapM, o.Outside, !o.audit)
	if err != nil {
		return nil, nil, nil, err
	}
	return rs, append(warnings, ws...), out, nil
}

// An outsideRow is a building left out of the plan because it lies outside
// every community (--outside skip): a row of outside.csv.
type outsideRow struct {
	id        string
	lon, lat  float64
	distanceM float64
	nearest   string
}

// skipOutside returns bs without the buildings of out, in input order, and
// the rows of outside.csv that list them.
func skipOutside(bs []geo.Building, out []geo.OutsideBuilding) ([]geo.Building, []outsideRow) {
	drop := make(map[int]bool, len(out))
	rows := make([]outsideRow, len(out))
	for k, o := range out {
		drop[o.Index] = true
		rows[k] = outsideRow{bs[o.Index].ID, o.Point[0], o.Point[1], o.DistanceM, o.Nearest}
	}
	kept := make([]geo.Building, 0, len(bs)-len(out))
	for i, b := range bs {
		if !drop[i] {
			kept = append(kept, b)
		}
	}
	return kept, rows
}

// stackingWarnings names the footprints that hold smaller buildings, kept
// whole with them or, where together they weigh more than o.Max, drawn as
// points (wholeContainers), and the buildings that stand on another.
func stackingWarnings(file string, bs []geo.Building, stacked []int, holds [][]int, o *Options) []geo.Warning {
	weight := make([]int, len(bs))
	for i := range bs {
		weight[i] = bandWeight(&bs[i], o.ShopWeight)
	}
	_, points := wholeContainers(stacked, holds, weight, o.Max)
	var warnings []geo.Warning
	for i, held := range holds {
		if len(held) == 0 {
			continue
		}
		var ids []string
		for _, j := range held[:min(len(held), 3)] {
			ids = append(ids, fmt.Sprintf("%q", bs[j].ID))
		}
		if len(held) > 3 {
			ids = append(ids, fmt.Sprintf("and %d more", len(held)-3))
		}
		drawn := fmt.Sprintf("kept whole in one grid with them (together at most %d households)", o.Max)
		if len(points[i]) > 0 {
			drawn = fmt.Sprintf("together over %d households, so drawn as a point of it, and grids may cross it", o.Max)
		}
		warnings = append(warnings, geo.Warning{File: file, Index: bs[i].Index, ID: bs[i].ID, Kind: "container_footprint",
			Note: fmt.Sprintf("its footprint holds the smaller buildings %s (a podium or a parcel?): %s", strings.Join(ids, ", "), drawn)})
	}
	for i, g := range stacked {
		if g != i {
			warnings = append(warnings, geo.Warning{File: file, Index: bs[i].Index, ID: bs[i].ID, Kind: "stacked_building",
				Note: fmt.Sprintf("stands on building %q (at the same spot, inside its footprint or overlapping it): both stay in one grid; check that its households are not counted twice", bs[g].ID)})
		}
	}
	return warnings
}

// district builds the partition problem of the loaded input; with
// deferAdjacency its communities are not tessellated yet (see
// atomOptions.deferAdjacency).
func (li *Input) district(ctx context.Context, o *Options, deferAdjacency bool) (*district, error) {
	if err := begin(ctx, phaseAtoms); err != nil {
		return nil, err
	}
	proj := geo.NewProjection(geo.CenterOf(li.buildings))
	if li.communities == nil && li.envelopes == nil {
		envs, err := communityEnvelopes(ctx, li.buildings, proj)
		if err != nil {
			return nil, err
		}
		li.envelopes = envs
		if envs != nil {
			li.tiling = "buffered convex hull (20 m) of the buildings, divided among the communities by a Voronoi diagram of their footprints"
		}
	}
	return newDistrict(ctx, li.buildings, proj, atomOptions{max: o.Max, shopWeight: o.ShopWeight, dedicatedGrids: o.DedicatedGrids, barriers: li.barriers, communities: li.communities, compounds: li.compounds, stacked: li.stacked, holds: li.holds, coverEmpty: true, envelopes: li.envelopes, deferAdjacency: deferAdjacency, out: &o.Out})
}

// communityEnvelopes divides the area around the buildings among their
// communities (geo.CommunityEnvelopes) when they are several and no layer
// gives their polygons; nil for one community, which tiles a buffered hull
// of its buildings. A done ctx stops it with ctx.Err().
func communityEnvelopes(ctx context.Context, bs []geo.Building, proj *geo.Projection) (map[string]orb.MultiPolygon, error) {
	index := map[string]int{}
	var ids []string
	community := make([]int, len(bs))
	for i, b := range bs {
		c, ok := index[b.Community]
		if !ok {
			c = len(ids)
			index[b.Community] = c
			ids = append(ids, b.Community)
		}
		community[i] = c
	}
	if len(ids) < 2 {
		return nil, nil
	}
	envs, err := draw.CommunityEnvelopes(ctx, bs, community, len(ids), proj)
	if err != nil {
		return nil, err
	}
	out := make(map[string]orb.MultiPolygon, len(ids))
	for c, id := range ids {
		out[id] = envs[c]
	}
	return out, nil
}
