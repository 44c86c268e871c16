package format

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"gridplan/geo/crs"
	"gridplan/geo/feature"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"
)

// FromGeoJSON returns the fields and features of a GeoJSON layer in
// longitude/latitude, its coordinates converted to system s. The fields
// are the properties of any feature, in name order; a field whose values
// are all whole numbers is an Integer, all numbers a Real, all booleans a
// Bool, anything else a String (numbers and booleans written as text,
// objects as JSON).
func FromGeoJSON(fc *geojson.FeatureCollection, s crs.System) ([]feature.Field, []feature.Feature) {
	types := map[string]feature.Type{}
	named := map[string]bool{}
	var names []string
	for _, f := range fc.Features {
		for k, v := range f.Properties {
			if !named[k] {
				named[k] = true
				names = append(names, k)
			}
			t, ok := valueType(v)
			if !ok {
				continue // null: the type of the other values
			}
			prev, typed := types[k]
			if !typed {
				types[k] = t
				continue
			}
			if t != prev {
				if (t == feature.Real && prev == feature.Integer) || (t == feature.Integer && prev == feature.Real) {
					types[k] = feature.Real
				} else {
					types[k] = feature.String
				}
			}
		}
	}
	slices.Sort(names)
	fields := make([]feature.Field, len(names))
	for i, n := range names {
		t, ok := types[n]
		if !ok {
			t = feature.String // only nulls
		}
		fields[i] = feature.Field{Name: n, Type: t}
	}
	fs := make([]feature.Feature, len(fc.Features))
	for i, f := range fc.Features {
		ps := make([]feature.Property, len(fields))
		for j, fd := range fields {
			ps[j] = feature.Property{Name: fd.Name, Value: convertValue(f.Properties[fd.Name], fd.Type)}
		}
		g := f.Geometry
		if g != nil && !s.Identity() {
			g = project.Geometry(orb.Clone(g), s.FromLonLat)
		}
		fs[i] = feature.Feature{Geometry: g, Properties: ps}
	}
	return fields, fs
}

// valueType is the field type of a GeoJSON property value; false for null.
func valueType(v any) (feature.Type, bool) {
	switch x := v.(type) {
	case nil:
		return 0, false
	case bool:
		return feature.Bool, true
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return feature.Integer, true
		}
		return feature.Real, true
	case int, int64:
		return feature.Integer, true
	}
	return feature.String, true
}

// convertValue returns a GeoJSON property value as a value of type t.
func convertValue(v any, t feature.Type) any {
	if v == nil {
		return nil
	}
	switch t {
	case feature.Integer:
		switch x := v.(type) {
		case float64:
			return int64(x)
		case int:
			return int64(x)
		case int64:
			return x
		}
	case feature.Real:
		switch x := v.(type) {
		case float64:
			return x
		case int:
			return float64(x)
		case int64:
			return float64(x)
		}
	case feature.Bool:
		if b, ok := v.(bool); ok {
			return b
		}
	}
	if s, ok := v.(string); ok {
		return s
	}
	if data, err := json.Marshal(v); err == nil {
		return string(data)
	}
	return fmt.Sprint(v)
}
