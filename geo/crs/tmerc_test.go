package crs_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// gdalPairs are longitude/latitude and the projected coordinates GDAL
// 3.6.2 (PROJ 9.1, whose tmerc is also a 6th-order Krüger series) gives for
// them, produced once with
//
//	echo "lon lat" | gdaltransform -s_srs EPSG:4490 -t_srs EPSG:<code>
//
// (-s_srs EPSG:4326 for the UTM zone): 12 points per system at 18–54°N,
// up to 3.5° either side of the central meridian.
var gdalPairs = []struct {
	code     int
	lon, lat float64
	x, y     float64
}{
	{4527, 113.5000, 18, 39129144.6769047, 1994485.31415381},
	{4527, 114.7500, 21.7, 39267130.8762229, 2402273.22178598},
	{4527, 115.9000, 25.3, 39389221.7016926, 2799741.19448069},
	{4527, 116.7000, 30.55, 39471214.9991702, 3381123.10415123},
	{4527, 117.0000, 36.1, 39500000, 3996638.66308735},
	{4527, 117.4200, 39.9, 39535917.7409233, 4418510.107765},
	{4527, 118.3700, 43.2, 39611348.8037454, 4785850.20152692},
	{4527, 119.0300, 47.8, 39652070.9916054, 5298186.01094472},
	{4527, 119.9600, 51.05, 39707542.4264905, 5661819.05152753},
	{4527, 120.5000, 54, 39729471.131512, 5991589.25698975},
	{4527, 120.5000, 18.2, 39870434.0470297, 2016655.20950096},
	{4527, 113.5000, 53.9, 39269978.7817391, 5980465.23581339},
	{4509, 113.5000, 18, 129144.676904735, 1994485.31415381},
	{4509, 116.7000, 30.55, 471214.999170197, 3381123.10415123},
	{4509, 119.9600, 51.05, 707542.426490474, 5661819.05152753},
	{4509, 120.5000, 54, 729471.131512035, 5991589.25698975},
	{4499, 119.5000, 18, 21129144.6769047, 1994485.31415381},
	{4499, 122.7000, 30.55, 21471214.9991702, 3381123.10415123},
	{4499, 125.9600, 51.05, 21707542.4264905, 5661819.05152753},
	{4499, 126.5000, 18.2, 21870434.0470297, 2016655.20950096},
	{4538, 84.7500, 21.7, 267130.876222932, 2402273.22178598},
	{4538, 87.4200, 39.9, 535917.740923326, 4418510.107765},
	{4538, 89.0300, 47.8, 652070.991605369, 5298186.01094472},
	{4538, 83.5000, 53.9, 269978.781739135, 5980465.23581339},
	{32650, 113.5000, 18, 129293.01903456, 1993687.52009062},
	{32650, 114.7500, 21.7, 267224.023872968, 2401312.31257092},
	{32650, 115.9000, 25.3, 389266.013012218, 2798621.29808657},
	{32650, 116.7000, 30.55, 471226.513170651, 3379770.65500614},
	{32650, 117.0000, 36.1, 500000, 3995040.00772982},
	{32650, 117.4200, 39.9, 535903.373826713, 4416742.70383563},
	{32650, 118.3700, 43.2, 611304.264223043, 4783935.86156418},
	{32650, 119.0300, 47.8, 652010.163207354, 5296066.73666224},
	{32650, 119.9600, 51.05, 707459.409517814, 5659554.32403043},
	{32650, 120.5000, 54, 729379.343056959, 5989192.62141107},
	{32650, 120.5000, 18.2, 870285.873410328, 2015848.54748026},
	{32650, 113.5000, 53.9, 270070.79022891, 5978073.04984317},
}

// groundM is the distance in metres between two nearby longitude/latitude
// points (a local flat approximation, good to 1e-3 relative at these
// separations).
func groundM(p, q orb.Point) float64 {
	const mPerDeg = 6378137 * math.Pi / 180
	return mPerDeg * math.Hypot((p[0]-q[0])*math.Cos(p[1]*math.Pi/180), p[1]-q[1])
}

// gdalTolM is the agreement asked of GDAL's transform: 1 mm. The two
// series agree to nanometres; GDAL prints 15 significant digits (10 nm at
// 39,000 km).
const gdalTolM = 1e-3

func TestGaussKrugerMatchesGDAL(t *testing.T) {
	var worst float64
	defer func() { t.Logf("worst difference from GDAL %.3g m", worst) }()
	for _, p := range gdalPairs {
		s := mustParse(t, fmt.Sprint(p.code))
		ll, xy := orb.Point{p.lon, p.lat}, orb.Point{p.x, p.y}
		got := s.FromLonLat(ll)
		worst = math.Max(worst, math.Hypot(got[0]-p.x, got[1]-p.y))
		if math.Hypot(got[0]-p.x, got[1]-p.y) > gdalTolM {
			t.Errorf("%v.FromLonLat(%v) = %.6f, want %.6f (GDAL)", s, ll, got, xy)
		}
		got = s.ToLonLat(xy)
		worst = math.Max(worst, groundM(got, ll))
		if groundM(got, ll) > gdalTolM {
			t.Errorf("%v.ToLonLat(%v) = %.12f, want %v (GDAL): %.3g m apart", s, xy, got, ll, groundM(got, ll))
		}
	}
}

// roundTripTolM is what the Krüger series and its inverse may lose on a
// round trip: Karney (2011) bounds each at 5 nm within 3,900 km of the
// central meridian; 1e-6 m leaves room for rounding.
const roundTripTolM = 1e-6

func TestGaussKrugerRoundTrip(t *testing.T) {
	var worst float64
	for _, code := range []string{"EPSG:4527", "EPSG:4509", "EPSG:4491", "EPSG:4554", "EPSG:32650"} {
		s := mustParse(t, code)
		for lat := 18.0; lat <= 54; lat += 0.5 {
			for dlon := -3.5; dlon <= 3.5; dlon += 0.25 {
				ll := orb.Point{s.CentralMeridian() + dlon, lat}
				xy := s.FromLonLat(ll)
				back := s.ToLonLat(xy)
				again := s.FromLonLat(back)
				d := math.Max(groundM(back, ll), math.Hypot(again[0]-xy[0], again[1]-xy[1]))
				worst = math.Max(worst, d)
				if d > roundTripTolM {
					t.Errorf("%v: %v → %.6f → %.12f: %.3g m off", s, ll, xy, back, d)
				}
			}
		}
	}
	t.Logf("worst round trip %.3g m", worst)
}
