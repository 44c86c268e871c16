package synth

import (
	"math"

	"gridplan/geo/crs"
	"gridplan/geo/feature"
	"gridplan/geo/format"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// Encode returns the buildings and communities layers in the format and
// coordinate system of w, as a GIS office hands them over (a GBK
// Shapefile in CGCS2000 Gauss–Krüger, say). A Shapefile holds one geometry
// type, so there the buildings given as points are 8 m squares.
func (c *City) Encode(w format.WriteOptions) ([]format.File, error) {
	var out []format.File
	for _, l := range []struct {
		name string
		fc   *geojson.FeatureCollection
	}{{"buildings", c.Buildings}, {"communities", c.Communities}} {
		fields, fs := format.FromGeoJSON(l.fc, w.System)
		var files []format.File
		var err error
		if w.Kind == format.GeoJSON {
			files, err = format.EncodeGeoJSON(l.name, fields, fs, w)
		} else {
			if w.Kind == format.Shapefile {
				PointsToSquares(fs, w.System)
			}
			files, err = format.Encode(l.name, fields, fs, w)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	return out, nil
}

// squareHalfM is half the side of the square a point building becomes.
const squareHalfM = 4.0

// PointsToSquares makes the point features 8 m squares, in system s.
func PointsToSquares(fs []feature.Feature, s crs.System) {
	for i, f := range fs {
		p, ok := f.Geometry.(orb.Point)
		if !ok {
			continue
		}
		ll := s.ToLonLat(p)
		dlat := squareHalfM / 111320
		dlon := dlat / math.Cos(ll[1]*math.Pi/180)
		ring := orb.Ring{{ll[0] - dlon, ll[1] - dlat}, {ll[0] + dlon, ll[1] - dlat}, {ll[0] + dlon, ll[1] + dlat}, {ll[0] - dlon, ll[1] + dlat}, {ll[0] - dlon, ll[1] - dlat}}
		for k := range ring {
			ring[k] = s.FromLonLat(ring[k])
		}
		fs[i].Geometry = orb.Polygon{ring}
	}
}
