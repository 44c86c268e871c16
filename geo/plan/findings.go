package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"gridplan/geo/audit"
	"gridplan/geo/feature"
	"gridplan/geo/format"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// findingsLayer encodes the findings that have a problem area as the
// findings layer in the format of o, their areas in the coordinates of out.
func findingsLayer(fs []audit.Finding, out *Coordinates, o format.WriteOptions) ([]Output, error) {
	var shown []audit.Finding
	for _, f := range fs {
		if f.Area != nil {
			f.Area = out.any(f.Area)
			shown = append(shown, f)
		}
	}
	if o.Kind == format.GeoJSON {
		return []Output{{"findings.geojson", findingsGeoJSON(shown, format.GeoJSONCRS(o.System))}}, nil
	}
	// The measured quantities differ between kinds: each is a column,
	// null where a finding has none.
	var measured []string
	for _, f := range shown {
		for k := range f.Measured {
			if !slices.Contains(measured, k) {
				measured = append(measured, k)
			}
		}
	}
	slices.Sort(measured)
	names := make([]string, len(measured))
	for i, k := range measured {
		names[i] = measuredName(k)
	}
	fields := []feature.Field{
		{Name: "kind", Type: feature.String}, {Name: "grids", Type: feature.String},
		{Name: "buildings", Type: feature.Integer}, {Name: "fixable", Type: feature.Bool},
		{Name: "community", Type: feature.String}, {Name: "compound", Type: feature.String},
		{Name: "reason", Type: feature.String}, {Name: "detail", Type: feature.String},
	}
	for _, n := range names {
		fields = append(fields, feature.Field{Name: n, Type: feature.Real})
	}
	feats := make([]feature.Feature, len(shown))
	for i, f := range shown {
		ps := []feature.Property{
			{Name: "kind", Value: f.Kind}, {Name: "grids", Value: strings.Join(f.Grids, ",")},
			{Name: "buildings", Value: int64(len(f.Buildings))}, {Name: "fixable", Value: f.Fixable},
			{Name: "community", Value: nullable(f.Community)}, {Name: "compound", Value: nullable(f.Compound)},
			{Name: "reason", Value: nullable(f.Reason)}, {Name: "detail", Value: f.Detail},
		}
		for j, k := range measured {
			var v any
			if m, ok := f.Measured[k]; ok {
				v = m
			}
			ps = append(ps, feature.Property{Name: names[j], Value: v})
		}
		g := f.Area
		if o.Kind == format.Shapefile {
			// A Shapefile holds one geometry type: the polygonal areas.
			g = polygonal(g)
		}
		feats[i] = feature.Feature{Geometry: g, Properties: ps}
	}
	files, err := format.Encode("findings", fields, feats, o)
	if err != nil {
		return nil, err
	}
	outs := make([]Output, len(files))
	for i, f := range files {
		outs[i] = Output{f.Name, f.Data}
	}
	return outs, nil
}

// findingFields are the properties every finding has in the findings layer.
var findingFields = []string{"kind", "grids", "buildings", "fixable", "community", "compound", "reason", "detail"}

// measuredName is the property name of a measured quantity: its own, or
// n_<name> where a finding's own property has that name (a split
// compound's grids are its codes; how many there are is n_grids).
func measuredName(k string) string {
	if slices.Contains(findingFields, k) {
		return "n_" + k
	}
	return k
}

// nullable is s, or null for "".
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// polygonal returns g if it is a polygon or multipolygon, else nil.
func polygonal(g orb.Geometry) orb.Geometry {
	switch g.(type) {
	case orb.Polygon, orb.MultiPolygon:
		return g
	}
	return nil
}

// findingsGeoJSON renders findings as features, one per line, after the
// crs member crsMember ("" in longitude/latitude).
func findingsGeoJSON(fs []audit.Finding, crsMember string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection",` + crsMember + `"features":[`)
	for n, f := range fs {
		if n > 0 {
			b.WriteByte(',')
		}
		props := map[string]any{
			"kind": f.Kind, "grids": strings.Join(f.Grids, ","), "buildings": len(f.Buildings),
			"fixable": f.Fixable, "detail": f.Detail,
		}
		if f.Community != "" {
			props["community"] = f.Community
		}
		if f.Compound != "" {
			props["compound"] = f.Compound
		}
		if f.Reason != "" {
			props["reason"] = f.Reason
		}
		for k, v := range f.Measured {
			props[measuredName(k)] = v
		}
		feature, err := json.Marshal(map[string]any{"type": "Feature", "properties": props, "geometry": geojson.NewGeometry(f.Area)})
		if err != nil {
			// Only finite numbers and strings are marshalled; an error is a
			// programming error.
			panic(fmt.Sprintf("gridplan: marshal finding: %v", err))
		}
		b.WriteString("\n")
		b.Write(feature)
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}
