package format

import (
	"errors"
	"fmt"
	"strings"

	"gridplan/geo"
	"gridplan/geo/feature"
	"gridplan/geo/shp"
)

// maxReversedNamed is how many of the features whose rings are wound
// against the shapefile rule the layer's warning names.
const maxReversedNamed = 5

// shpWarnings turn the warnings of a Shapefile reader into the layer's,
// as the layer is read: a warning about a record names the feature by its
// id, which is read after the warning is given, and the records whose
// rings are all wound against the shapefile rule (a layer written so has
// it in every record) are counted in one warning for the layer.
type shpWarnings struct {
	l *Layer
	c *coords
	// pending are the warnings about the record being read.
	pending []*shp.Error
	// reversed counts the features whose rings were wound against the
	// rule; named names the first of them.
	reversed int
	named    []string
}

// warn is the reader's ReadOptions.Warn.
func (w *shpWarnings) warn(e *shp.Error) {
	if e.Record < 0 {
		w.l.warnings = append(w.l.warnings, geo.Warning{File: w.l.Name, Index: -1, Kind: "shapefile_repair", Note: e.Err.Error()})
		return
	}
	w.pending = append(w.pending, e)
}

// read gives the warnings about the record just read the feature's index
// i and the id among its properties ps.
func (w *shpWarnings) read(i int, ps []feature.Property) {
	if len(w.pending) == 0 {
		return
	}
	id := w.c.featureID(feature.Feature{Properties: ps})
	for _, e := range w.pending {
		if errors.Is(e.Err, shp.ErrReversedRings) {
			if w.reversed++; len(w.named) < maxReversedNamed {
				name := fmt.Sprintf("%q", id)
				if id == "" {
					name = fmt.Sprintf("feature %d", i)
				}
				w.named = append(w.named, name)
			}
			continue
		}
		w.l.warnings = append(w.l.warnings, geo.Warning{File: w.l.Name, Index: i, ID: id, Kind: "shapefile_repair", Note: e.Err.Error()})
	}
	w.pending = w.pending[:0]
}

// layerWarning returns the warning about the features whose rings were
// wound against the shapefile rule, and false if there were none.
func (w *shpWarnings) layerWarning() (geo.Warning, bool) {
	if w == nil || w.reversed == 0 {
		return geo.Warning{}, false
	}
	what := fmt.Sprintf("%d features' rings are", w.reversed)
	if w.reversed == 1 {
		what = "1 feature's rings are"
	}
	named := strings.Join(w.named, ", ")
	if w.reversed > len(w.named) {
		named = "first " + named + ", …"
	}
	return geo.Warning{File: w.l.Name, Index: -1, Kind: "ring_orientation",
		Note: fmt.Sprintf("%s wound against the shapefile rule (outer rings clockwise, holes counter-clockwise), as some tools write them: read by their winding; %s", what, named)}, true
}
