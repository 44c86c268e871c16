package plan

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gridplan/geo"
	"gridplan/geo/crs"
	"gridplan/geo/format"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// LayerOptions say how the layers of a run are read and written: the
// names the command line gives ("" for the default of each).
type LayerOptions struct {
	CRS string // the system of input layers that state none, or state it wrongly (--crs)
	// IDFields name the properties holding a feature's id (--id-field,
	// --region-id-field), to name the features a reader refuses.
	IDFields    [2]string
	OutCRS      string // the system of the outputs (--out-crs)
	Format      string // the format of the grid layer (--format)
	Encoding    string // the text encoding of Shapefile tables read (--encoding)
	OutEncoding string // the text encoding of a Shapefile written (--out-encoding)
	// Bend measures how the layers' edges bend in longitude/latitude
	// (see [Source.BendM]); check asks for it.
	Bend bool
	// Outlines is the communities layer ("" for none): see
	// [LayerIO.Outlines].
	Outlines string
}

// A LayerIO opens the input layers of a run and says how its outputs are
// written: by default in the format and coordinate system of its main
// layer. A layer file that is not a regular file (a named pipe) is read
// whole when it is opened ([format.OpenContext]); a layer opened is kept,
// so that one named twice is read once.
type LayerIO struct {
	read format.ReadOptions
	// Out and Layer are how the outputs are written ([Options.Out],
	// [Options.Layer]).
	Out   Coordinates
	Layer format.WriteOptions
	// opened are the layers opened, by name.
	opened map[string]*format.Layer
	// crsOf are the systems --crs names for some layer files.
	crsOf map[string]*crs.System
	// Outlines is the communities layer of the run ("" for none): an
	// earlier grid layer in its system is read as it is (Previous).
	Outlines string
}

// NewLayerIO checks o and opens the main layer main ("" for GeoJSON in WGS
// 84) to learn the format and system of the outputs, unless o names them.
// Once ctx is done it returns ctx.Err().
func NewLayerIO(ctx context.Context, main string, o LayerOptions) (*LayerIO, error) {
	l := &LayerIO{read: format.ReadOptions{Encoding: o.Encoding, Bend: o.Bend, IDFields: o.IDFields}, opened: map[string]*format.Layer{}, Outlines: o.Outlines}
	if err := l.parseCRS(o.CRS); err != nil {
		return nil, err
	}
	switch e := strings.ToLower(o.OutEncoding); e {
	case "", "utf-8", "utf8":
		l.Layer.Encoding = "utf-8"
	case "gbk", "cp936", "936":
		l.Layer.Encoding = "gbk"
	default:
		return nil, fmt.Errorf("--out-encoding must be utf-8 or gbk, have %q", o.OutEncoding)
	}
	if main != "" {
		ly, err := format.OpenContext(ctx, main, l.options(main))
		if err != nil {
			return nil, err
		}
		l.Layer.Kind, l.Layer.System = ly.Kind, ly.System
		l.opened[main] = ly // opened once: Source takes it again
	}
	if o.Format != "" {
		k, err := format.ParseKind(o.Format)
		if err != nil {
			return nil, fmt.Errorf("--format: %w", err)
		}
		l.Layer.Kind = k
	}
	if o.OutCRS != "" {
		sys, err := crs.Parse(o.OutCRS)
		if err != nil {
			return nil, fmt.Errorf("--out-crs: %w", err)
		}
		l.Layer.System = sys
	}
	if !l.Layer.System.Identity() {
		l.Out = Coordinates{FromLonLat: l.Layer.System.FromLonLat, ToLonLat: l.Layer.System.ToLonLat, Exact: map[orb.Point]orb.Point{}}
	}
	return l, nil
}

// Source opens the layer file name for reading, until ctx is done. The
// vertices of a layer whose outlines the outputs keep (communities,
// earlier grids) are recorded if it is in the output system, so that the
// outputs give them back exactly as the layer has them.
func (l *LayerIO) Source(ctx context.Context, name string, keep bool) (Source, error) {
	return l.open(ctx, name, l.options(name), keep)
}

// parseCRS reads --crs: a system for every input layer, or, separated by
// commas, FILE=SYSTEM for some of them (each file as the command names
// it), with perhaps one system for the others: buildings.shp with its
// .prj beside communities traced on a GCJ-02 map, --crs
// communities.geojson=gcj02.
func (l *LayerIO) parseCRS(s string) error {
	if s == "" {
		return nil
	}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		file, name, keyed := strings.Cut(part, "=")
		if !keyed {
			name = part
		}
		sys, err := crs.Parse(strings.TrimSpace(name))
		if err != nil {
			return fmt.Errorf("--crs %s: %w", part, err)
		}
		if !keyed {
			if l.read.CRS != nil {
				return fmt.Errorf("--crs %s: two systems for every layer; name the file each is for (FILE=SYSTEM)", s)
			}
			l.read.CRS = &sys
			continue
		}
		file = strings.TrimSpace(file)
		path, _ := format.SplitLayer(file) // district.gpkg:communities
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("--crs %s: %w (FILE=SYSTEM names a layer file of the command)", part, err)
		}
		key := fileKey(file)
		if had, twice := l.crsOf[key]; twice && *had != sys {
			return fmt.Errorf("--crs %s: a second system for %s (%s before)", part, file, had)
		}
		if l.crsOf == nil {
			l.crsOf = map[string]*crs.System{}
		}
		l.crsOf[key] = &sys
	}
	return nil
}

// Unused returns an error naming the files --crs FILE=SYSTEM names that
// are none of the layers opened (a misspelt GeoPackage layer, a file the
// command does not read), nil if there are none: call it once every input
// layer is opened.
func (l *LayerIO) Unused() error {
	opened := map[string]bool{}
	var names []string
	for name := range l.opened {
		opened[fileKey(name)] = true
		names = append(names, name)
	}
	var unused []string
	for key := range l.crsOf {
		if !opened[key] {
			unused = append(unused, key)
		}
	}
	if len(unused) == 0 {
		return nil
	}
	slices.Sort(unused)
	slices.Sort(names)
	return fmt.Errorf("--crs: %s %s no input layer of this command, whose layers are %s (FILE=SYSTEM names one of them, a GeoPackage's as file.gpkg:layer)",
		strings.Join(unused, ", "), map[bool]string{true: "is", false: "are"}[len(unused) == 1], strings.Join(names, ", "))
}

// fileKey is the layer file name (a GeoPackage's layer included) as one
// key however it is written: ./c.geojson, c.geojson and its absolute path
// are one file.
func fileKey(name string) string {
	path, layer := format.SplitLayer(name)
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if layer != "" {
		return path + ":" + layer
	}
	return path
}

// options are the reading options of the layer file name.
func (l *LayerIO) options(name string) format.ReadOptions {
	o := l.read
	if sys, ok := l.crsOf[fileKey(name)]; ok {
		o.CRS = sys // the same pointer each time: open compares options
	}
	return o
}

func (l *LayerIO) open(ctx context.Context, name string, o format.ReadOptions, keep bool) (Source, error) {
	ly, ok := l.opened[name]
	if !ok || o != l.options(name) {
		var err error
		if ly, err = format.OpenContext(ctx, name, o); err != nil {
			return Source{}, err
		}
	}
	if keep && l.Out.Exact != nil && ly.System == l.Layer.System {
		ly.Exact = l.Out.Exact
	}
	l.opened[name] = ly
	return Source{Name: name, Open: ly.Open, Warnings: ly.Warnings, BendM: func() float64 { return l.bend(ly) }}, nil
}

// bend is how far the edges of layer ly, once read, may stray from those
// of the other layers opened: as far as its split edges bend
// ([format.Layer.Bend]) where they are all in its system, split alike; as
// far as its edges bend whole ([format.Layer.EdgeBend]) where one is in
// another, whose edges are straight in other coordinates (grids written in
// Gauss–Krüger along a communities layer in longitude/latitude).
func (l *LayerIO) bend(ly *format.Layer) float64 {
	for _, o := range l.opened {
		if o.System != ly.System {
			return ly.EdgeBend()
		}
	}
	return ly.Bend()
}

// Previous opens the grid layer of an earlier plan in the system the file
// states, or else in the one its stats.json records (a [LayerOpener]).
func (l *LayerIO) Previous(ctx context.Context, path, system string) (Source, error) {
	// gridplan wrote the layer: in the system stats.json records (WGS 84
	// for a plan older than that record), its text in the encoding its
	// .cpg names, whatever --crs and --encoding say of the new layers. A
	// layer saved again in another system (grids.shp reprojected to the
	// office's Gauss–Krüger zone) states it: its .prj, its GeoPackage
	// srs, its GeoJSON crs member.
	o := format.ReadOptions{Bend: l.read.Bend}
	// Its edges are straight where they were drawn, in longitude/latitude
	// (their vertices are the outlines' and the cells'): converted whole,
	// they meet the outlines of the communities layer. Split where they
	// bend in metres, they would miss them by millimetres (a gap and an
	// overlap for check), except where that layer is in the same system:
	// its edges are split alike, and meet them so.
	whole := func(s crs.System) bool {
		outlines, ok := l.outlineSystem(ctx)
		return !ok || s != outlines
	}
	// A GCJ-02 or BD-09 layer states WGS 84 (as gridplan writes it too):
	// there the record wins.
	recorded, err := crs.Parse(system)
	offset := system != "" && err == nil && (recorded == crs.GCJ02 || recorded == crs.BD09)
	if !offset {
		// An error here (a .prj naming no system gridplan knows) leaves
		// the record to decide, below.
		if src, err := l.open(ctx, path, o, true); err == nil && l.opened[path].Declared != "" {
			if !whole(l.opened[path].System) {
				return src, nil
			}
			o.WholeEdges = true
			return l.open(ctx, path, o, true)
		}
	}
	sys := crs.WGS84
	if system != "" {
		var err error
		if sys, err = crs.Parse(system); err != nil {
			return Source{}, fmt.Errorf("%s: crs %q: %w", filepath.Join(filepath.Dir(path), "stats.json"), system, err)
		}
	}
	o.CRS = &sys
	o.WholeEdges = whole(sys)
	return l.open(ctx, path, o, true)
}

// outlineSystem is the system of the communities layer (LayerIO.Outlines),
// opened here if it is not yet; false without one, or where it cannot be
// opened (reading it says why).
func (l *LayerIO) outlineSystem(ctx context.Context) (crs.System, bool) {
	if l.Outlines == "" {
		return crs.System{}, false
	}
	if _, err := l.open(ctx, l.Outlines, l.options(l.Outlines), true); err != nil {
		return crs.System{}, false
	}
	return l.opened[l.Outlines].System, true
}

// Explain adds to err, a layer refused for coordinates in projected metres
// while it states no projected system, the systems its extent fits.
func (l *LayerIO) Explain(err error) error {
	var fe *geo.FileError
	if !errors.Is(err, geo.ErrNotLonLat) || !errors.As(err, &fe) {
		return err
	}
	ly := l.opened[fe.File]
	if ly == nil || !ly.System.Identity() {
		return err
	}
	b, ok := extent(ly)
	if !ok {
		return err
	}
	ss := crs.Suggest(b)
	if len(ss) == 0 {
		return err
	}
	names := make([]string, 0, 3)
	for _, s := range ss[:min(len(ss), 3)] {
		names = append(names, fmt.Sprintf("%s (%s)", s, s.Name()))
	}
	return fmt.Errorf("%w\n%s: its extent fits %s: try --crs %s", err, fe.File, strings.Join(names, ", "), ss[0])
}

// extent returns the bound of every feature of a layer, read raw.
func extent(ly *format.Layer) (orb.Bound, bool) {
	rc, err := ly.Open()
	if err != nil {
		return orb.Bound{}, false
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxExplainBytes))
	if err != nil {
		return orb.Bound{}, false
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil || len(fc.Features) == 0 {
		return orb.Bound{}, false
	}
	gs := make([]orb.Geometry, len(fc.Features))
	for i, f := range fc.Features {
		gs[i] = f.Geometry
	}
	return format.BoundOf(gs)
}

// maxExplainBytes is the largest layer Explain reads again for its extent.
const maxExplainBytes = 512 << 20
