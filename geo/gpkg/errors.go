package gpkg

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotGeoPackage is reported for a file that is not a SQLite database,
// or one without the GeoPackage tables gpkg_contents,
// gpkg_geometry_columns and gpkg_spatial_ref_sys.
var ErrNotGeoPackage = errors.New("gpkg: not a GeoPackage")

// A LayerError reports a layer that cannot be chosen: the one named is
// not among the file's feature layers, none was named and the file holds
// several, or the file holds none.
type LayerError struct {
	File   string
	Layer  string   // the layer asked for; "" when none was named
	Layers []string // the file's feature layers, in name order
}

func (e *LayerError) Error() string {
	names := strings.Join(e.Layers, ", ")
	switch {
	case len(e.Layers) == 0:
		return fmt.Sprintf("%s holds no feature layer", e.File)
	case e.Layer != "":
		return fmt.Sprintf("%s has no feature layer %q; its layers: %s", e.File, e.Layer, names)
	default:
		return fmt.Sprintf("%s holds %d layers: %s; name one as %s:LAYER", e.File, len(e.Layers), names, e.File)
	}
}

// A FeatureError reports a row of a feature table that cannot be read.
type FeatureError struct {
	File  string
	Layer string
	Index int   // position in fid order, from 0
	FID   int64 // the row's primary key
	Err   error
}

func (e *FeatureError) Error() string {
	return fmt.Sprintf("%s: layer %s: feature %d (fid %d): %v", e.File, e.Layer, e.Index, e.FID, e.Err)
}

func (e *FeatureError) Unwrap() error { return e.Err }
