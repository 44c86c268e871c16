package plantest

import (
	"fmt"
	"strings"
)

// Square returns a GeoJSON polygon of a ~10 m square with its south-west
// corner at lon, lat.
func Square(lon, lat float64) string { return square(lon, lat, 0.0001) }

// BigSquare returns a footprint four times the size of Square's.
func BigSquare(lon, lat float64) string { return square(lon, lat, 0.0004) }

func square(lon, lat, d float64) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]g,%[2]g],[%[3]g,%[2]g],[%[3]g,%[4]g],[%[1]g,%[4]g],[%[1]g,%[2]g]]]}`, lon, lat, lon+d, lat+d)
}

// Point returns a GeoJSON point.
func Point(lon, lat float64) string {
	return fmt.Sprintf(`{"type":"Point","coordinates":[%g,%g]}`, lon, lat)
}

// Collection wraps features (JSON objects) in a FeatureCollection.
func Collection(features ...string) string {
	return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
}

// Building returns a building feature with an id and, unless households
// is "", a households property (raw JSON: "12", "null", "\"x\"").
func Building(id string, households string, geometry string) string {
	props := fmt.Sprintf(`"id":%q`, id)
	if households != "" {
		props += `,"households":` + households
	}
	return fmt.Sprintf(`{"type":"Feature","properties":{%s},"geometry":%s}`, props, geometry)
}
