// Package format reads and writes the layer files gridplan exchanges with
// GIS software — GeoJSON, ESRI Shapefiles and GeoPackages — in the
// coordinate systems of package crs.
//
// Every layer is read as a GeoJSON FeatureCollection in WGS 84
// longitude/latitude ([Layer.Open]), the form the loaders of package geo
// read: a GeoJSON layer in longitude/latitude is passed through as it is;
// any other is converted feature by feature as it is read. Outputs are
// encoded in the system and format asked for ([Encode]).
package format

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gridplan/geo"
	"gridplan/geo/crs"
	"gridplan/geo/feature"
	"gridplan/geo/gpkg"
	"gridplan/geo/shp"

	"github.com/paulmach/orb"
)

// A Kind is a layer file format.
type Kind uint8

// The formats.
const (
	GeoJSON    Kind = iota // RFC 7946 GeoJSON (.geojson, .json)
	Shapefile              // ESRI Shapefile (.shp with .shx, .dbf, .prj, .cpg)
	GeoPackage             // OGC GeoPackage (.gpkg)
)

// String returns the name --format takes.
func (k Kind) String() string {
	switch k {
	case Shapefile:
		return "shp"
	case GeoPackage:
		return "gpkg"
	}
	return "geojson"
}

// Ext returns the extension of the format's main file.
func (k Kind) Ext() string {
	switch k {
	case Shapefile:
		return ".shp"
	case GeoPackage:
		return ".gpkg"
	}
	return ".geojson"
}

// ErrFormat is wrapped by the error of a format name or file extension
// gridplan does not read.
var ErrFormat = errors.New("unsupported layer format")

// ParseKind returns the format --format names: geojson, shp (or
// shapefile) or gpkg (or geopackage).
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "geojson", "json":
		return GeoJSON, nil
	case "shp", "shapefile", "esri shapefile":
		return Shapefile, nil
	case "gpkg", "geopackage":
		return GeoPackage, nil
	}
	return 0, fmt.Errorf("%w %q: use geojson, shp or gpkg", ErrFormat, s)
}

// KindOf returns the format of a layer file by its extension: .shp is a
// Shapefile, .gpkg a GeoPackage, anything else GeoJSON (the loaders name
// a file that is not).
func KindOf(path string) Kind {
	file, _ := SplitLayer(path)
	switch strings.ToLower(filepath.Ext(file)) {
	case ".shp":
		return Shapefile
	case ".gpkg":
		return GeoPackage
	}
	return GeoJSON
}

// SplitLayer splits a layer name into its file and the layer within it:
// "district.gpkg:buildings" names layer buildings of district.gpkg. Only a
// .gpkg file has layers; other names are files whole, colons (Windows
// drives) included.
func SplitLayer(path string) (file, layer string) {
	i := strings.LastIndexByte(path, ':')
	if i > 0 && strings.EqualFold(filepath.Ext(path[:i]), ".gpkg") {
		return path[:i], path[i+1:]
	}
	return path, ""
}

// ReadOptions say how to read a layer.
type ReadOptions struct {
	// CRS, if set, is the layer's coordinate system whatever the file
	// states (--crs); a file that states another is read with a warning.
	CRS *crs.System
	// Encoding is the text encoding of a Shapefile's .dbf (--encoding);
	// "" detects it.
	Encoding string
	// Bend measures, as the layer is read, how far its straight edges
	// bend in longitude/latitude ([Layer.Bend]).
	Bend bool
	// WholeEdges converts only the vertices of a layer in another system:
	// each edge is the straight line between its converted ends, not
	// split where it bends (see denseEdgeM). A grid layer gridplan wrote
	// in another system than the layers it was drawn from is so: its
	// edges are straight where they were drawn, in longitude/latitude.
	WholeEdges bool
	// IDFields name the properties that hold a feature's id (a buildings
	// layer's, a communities layer's), the first one present naming a
	// feature the reading refuses.
	IDFields [2]string
}

// A Layer is a layer file opened for reading.
type Layer struct {
	Name   string // as given, layer included
	File   string // the file
	Kind   Kind
	System crs.System // the coordinate system its coordinates are read in
	// Declared is the system as the file states it ("" if it states none).
	Declared string
	// overridden is the system the file states where --crs named another.
	overridden *crs.System
	// warnings are about how the layer is read: a --crs overriding the
	// file's system, a guessed text encoding, records a reader repaired.
	warnings []geo.Warning
	// shpWarned turns the warnings of the Shapefile reader of the last
	// Open into the layer's.
	shpWarned *shpWarnings
	// Exact, if set before the layer is read, receives each
	// longitude/latitude vertex converted with the coordinates the layer
	// gave (a layer in longitude/latitude converts none).
	Exact map[orb.Point]orb.Point

	layer    string
	encoding string
	// bend and edgeBend are what Bend and EdgeBend return, nil unless
	// ReadOptions.Bend asked for them.
	bend, edgeBend *float64
	idFields       [2]string // ReadOptions.IDFields
	wholeEdges     bool      // ReadOptions.WholeEdges
	// data is the whole of a file that can be read only once (a named
	// pipe), read by OpenContext; whole says it was.
	data  []byte
	whole bool
}

// Bend returns the most, in metres, that an edge of the layer read so far
// (straight in the layer's coordinates) strays at its middle from the
// straight line between its ends in longitude/latitude, if
// ReadOptions.Bend asked for it; 0 otherwise. Across a Gauss–Krüger zone
// a 500 m edge bends by millimetres: two layers that meet exactly in
// metres meet to that much in longitude/latitude.
func (l *Layer) Bend() float64 {
	if l.bend == nil {
		return 0
	}
	return *l.bend
}

// EdgeBend is Bend for the edges as the layer gives them, before they are
// split: how far a layer in another system, whose edges are straight in
// longitude/latitude (or in its own metres), may stray from this one
// where the two follow one line between the same vertices.
func (l *Layer) EdgeBend() float64 {
	if l.edgeBend == nil {
		return 0
	}
	return *l.edgeBend
}

// Open opens a layer: it reads what the file states about its coordinate
// system and text encoding, and no features yet.
func Open(name string, o ReadOptions) (*Layer, error) {
	return OpenContext(context.Background(), name, o)
}

// OpenContext is Open until ctx is done, when it returns ctx.Err().
//
// A file that is not a regular file — a named pipe, the /dev/fd/N of a
// shell's process substitution — can be read only once, and is not
// opened until a writer opens it too. A GeoJSON layer in one is read
// whole here, as [geo.ReadFile] reads (a character device is refused,
// and more than geo.MaxInputBytes), and [Layer.Open] gives what was
// read. A Shapefile or GeoPackage, which is read out of order, must be a
// regular file.
func OpenContext(ctx context.Context, name string, o ReadOptions) (*Layer, error) {
	file, layer := SplitLayer(name)
	l := &Layer{Name: name, File: file, Kind: KindOf(name), layer: layer, encoding: o.Encoding, idFields: o.IDFields, wholeEdges: o.WholeEdges}
	if o.Bend {
		l.bend, l.edgeBend = new(float64), new(float64)
	}
	if layer != "" && l.Kind != GeoPackage {
		return nil, fmt.Errorf("%s: only a GeoPackage has layers to name", name)
	}
	if err := l.readOnce(ctx); err != nil {
		return nil, err
	}
	declared, err := l.declared()
	if err != nil {
		return nil, err
	}
	l.Declared = declared
	switch {
	case o.CRS != nil:
		l.System = *o.CRS
		if declared != "" {
			if s, err := l.parse(declared); err != nil || s != *o.CRS {
				l.warn("crs_override", fmt.Sprintf("the file states %s; read as %s (--crs)", l.systemName(declared), o.CRS))
				if err == nil {
					l.overridden = &s
				}
			}
		}
	case declared != "":
		if l.System, err = l.parse(declared); err != nil {
			return nil, fmt.Errorf("%s: %w; if you know its system, pass it with --crs (e.g. --crs EPSG:4527)", name, err)
		}
	}
	return l, nil
}

// warn adds a warning about the whole layer.
func (l *Layer) warn(kind, note string) {
	l.warnings = append(l.warnings, geo.Warning{File: l.Name, Index: -1, Kind: kind, Note: note})
}

// Warnings returns the warnings about how the layer was read: a --crs
// overriding the file's system, a guessed text encoding, and, once it was
// read, the records a reader repaired (a value not of its field's type
// read as null, say), each named by its id, and one warning for all the
// features of a Shapefile whose rings are wound against its rule.
func (l *Layer) Warnings() []geo.Warning {
	if w, ok := l.shpWarned.layerWarning(); ok {
		return append(l.warnings[:len(l.warnings):len(l.warnings)], w)
	}
	return l.warnings
}

// shpOptions are the options of the Shapefile reader; with w, its
// warnings are the layer's.
func (l *Layer) shpOptions(w *shpWarnings) shp.ReadOptions {
	o := shp.ReadOptions{Encoding: l.encoding}
	if w != nil {
		o.Warn = w.warn
	}
	return o
}

// systemName shortens a WKT for a message to its name.
func (l *Layer) systemName(declared string) string {
	if s, err := l.parse(declared); err == nil {
		return s.String()
	}
	if len(declared) > 80 {
		return declared[:80] + "…"
	}
	return declared
}

// parse reads a stated system: an authority code or WKT.
func (l *Layer) parse(declared string) (crs.System, error) {
	if strings.ContainsRune(declared, '[') {
		return crs.FromWKT(declared)
	}
	return crs.Parse(declared)
}

// readOnce reads the layer's file whole if it is neither a regular file
// nor a directory (refused when it is read), since it can be read only
// once: the system it states is then read from the same bytes as its
// features.
func (l *Layer) readOnce(ctx context.Context) error {
	info, err := os.Stat(l.File) // does not wait for a pipe's writer
	if err != nil || info.Mode().IsRegular() || info.IsDir() {
		return nil // an error is the open's to report
	}
	if l.Kind != GeoJSON {
		what, kind := "not a regular file", "Shapefile"
		switch mode := info.Mode(); {
		case mode&fs.ModeCharDevice != 0:
			what = "a character device"
		case mode&fs.ModeNamedPipe != 0:
			what = "a named pipe"
		}
		if l.Kind == GeoPackage {
			kind = "GeoPackage"
		}
		return &geo.FileError{File: l.File, Err: fmt.Errorf("%w: %s; a %s is read out of order, so it must be a regular file (a pipe can carry a GeoJSON layer)", geo.ErrNotAFile, what, kind)}
	}
	if l.data, err = geo.ReadFileContext(ctx, l.File); err != nil {
		return err
	}
	l.whole = true
	return nil
}

// declared reads what the file states about its coordinate system.
func (l *Layer) declared() (string, error) {
	switch l.Kind {
	case Shapefile:
		if l.encoding != "" {
			// --encoding is for tables that name no encoding: one that
			// names its own is read in it.
			r, err := shp.Open(l.File, shp.ReadOptions{})
			if err != nil {
				return "", err
			}
			named, src := r.Encoding(), r.EncodingSource()
			r.Close()
			if src == shp.SourceCPG || src == shp.SourceLDID {
				if f, err := shp.Open(l.File, shp.ReadOptions{Encoding: l.encoding}); err == nil {
					if f.Encoding() != named {
						l.warn("text_encoding", fmt.Sprintf("the %s names %s, so the table is read in it; --encoding %s is for tables that name none (correct or delete the .cpg to read it as %s)", src, named, l.encoding, l.encoding))
					}
					f.Close()
				}
				l.encoding = ""
			}
		}
		r, err := shp.Open(l.File, l.shpOptions(nil))
		if err != nil {
			return "", err
		}
		defer r.Close()
		if l.encoding == "" && r.EncodingSource() == shp.SourceCorrected {
			l.warn("text_encoding", fmt.Sprintf("%s, but the text of the .dbf is not in it and is in %s; read as %s (correct that, or --encoding to choose another)", r.Stated(), r.Encoding(), r.Encoding()))
			l.encoding = r.Encoding()
		}
		if l.encoding == "" && r.EncodingSource() == shp.SourceDetected {
			if r.Encoding() != "utf-8" {
				l.warn("text_encoding", fmt.Sprintf("no .cpg or language driver names the text encoding of the .dbf and it is not UTF-8; read as %s (--encoding to choose another)", r.Encoding()))
			}
			// Detecting reads the whole table: read it in what was found.
			l.encoding = r.Encoding()
		}
		return r.CRS(), nil
	case GeoPackage:
		r, err := gpkg.Open(l.File, l.layer)
		if err != nil {
			return "", err
		}
		defer r.Close()
		return r.CRS(), nil
	}
	if l.whole {
		name, _ := geojsonCRS(bytes.NewReader(l.data))
		return name, nil
	}
	f, err := os.Open(l.File)
	if err != nil {
		return "", err
	}
	defer f.Close()
	name, _ := geojsonCRS(f)
	return name, nil
}

// Open opens the layer's features as a GeoJSON FeatureCollection in
// longitude/latitude. Feature i of the collection is feature i of the
// layer; a feature whose coordinates contradict the layer's system fails
// the read at the end, with all such features named. A file OpenContext
// read whole is read from memory, as often as it is opened; any other is
// opened again.
func (l *Layer) Open() (io.ReadCloser, error) {
	c := &coords{file: l.Name, exact: l.Exact, bend: l.bend, edgeBend: l.edgeBend, idFields: l.idFields, stated: l.overridden, whole: l.wholeEdges}
	if !l.System.Identity() {
		s := l.System
		c.toLonLat, c.check = s.ToLonLat, s.Check
		c.denseM, c.denseByLat = denseEdgeFor(s)
	}
	switch l.Kind {
	case Shapefile:
		l.shpWarned = &shpWarnings{l: l, c: c}
		r, err := shp.Open(l.File, l.shpOptions(l.shpWarned))
		if err != nil {
			return nil, err
		}
		s := newFeatureStream(r, c)
		s.read = l.shpWarned.read
		return s, nil
	case GeoPackage:
		r, err := gpkg.Open(l.File, l.layer)
		if err != nil {
			return nil, err
		}
		return newFeatureStream(r, c), nil
	}
	var data []byte
	switch {
	case l.whole && c.toLonLat == nil:
		return memFile{bytes.NewReader(l.data)}, nil
	case l.whole:
		data = l.data
	default:
		f, err := os.Open(l.File)
		if err != nil {
			return nil, err
		}
		if c.toLonLat == nil {
			return f, nil
		}
		defer f.Close()
		if data, err = io.ReadAll(f); err != nil {
			return nil, err
		}
	}
	data, err := reproject(data, c)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(strings.NewReader(string(data))), nil
}

// A memFile reads a layer file read whole; its Len, like a file's size,
// tells the loaders how much there is to read.
type memFile struct{ *bytes.Reader }

func (memFile) Close() error { return nil }

var _ feature.Reader = (*shp.Reader)(nil)
var _ feature.Reader = (*gpkg.Reader)(nil)
