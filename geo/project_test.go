package geo_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"gridplan/geo"
)

// Datong, the city SPEC §1 sizes the problem by.
var datong = orb.Point{113.3, 40.08}

// WGS 84 constants for the reference formulas below (NIMA TR8350.2).
const (
	refA = 6378137.0
	refF = 1 / 298.257223563
)

// ellipsoidalQuadArea returns the exact area in m² of the quadrangle bounded
// by two meridians and two parallels on the WGS 84 ellipsoid: a²·Δλ·(q2−q1)/2
// with q the authalic function of Snyder (PP 1395) eq. 3-12.
func ellipsoidalQuadArea(lon1, lat1, lon2, lat2 float64) float64 {
	e2 := refF * (2 - refF)
	e := math.Sqrt(e2)
	q := func(latDeg float64) float64 {
		s := math.Sin(latDeg * math.Pi / 180)
		return (1 - e2) * (s/(1-e2*s*s) - 1/(2*e)*math.Log((1-e*s)/(1+e*s)))
	}
	return refA * refA * math.Abs(lon2-lon1) * math.Pi / 180 * math.Abs(q(lat2)-q(lat1)) / 2
}

// quad returns the lon/lat ring of a graticule quadrangle, each edge
// densified into n pieces so that the projected polygon follows the curved
// images of the parallels and meridians.
func quad(lon1, lat1, lon2, lat2 float64, n int) orb.Ring {
	var r orb.Ring
	corners := []orb.Point{{lon1, lat1}, {lon2, lat1}, {lon2, lat2}, {lon1, lat2}}
	for i := range corners {
		a, b := corners[i], corners[(i+1)%4]
		for k := 0; k < n; k++ {
			t := float64(k) / float64(n)
			r = append(r, orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])})
		}
	}
	return append(r, r[0])
}

// metresPerDegree returns the lengths in metres of one degree of longitude
// and latitude at lat (degrees), from the ellipsoid's radii of curvature.
func metresPerDegree(lat float64) (float64, float64) {
	e2 := refF * (2 - refF)
	s := math.Sin(lat * math.Pi / 180)
	w := 1 - e2*s*s
	n := refA / math.Sqrt(w)
	m := refA * (1 - e2) / (w * math.Sqrt(w))
	return n * math.Cos(lat*math.Pi/180) * math.Pi / 180, m * math.Pi / 180
}

func TestProjectionAreaScale(t *testing.T) {
	const maxAreaErr = 1e-4 // doc.go's promise within 60 km of the centre
	p := geo.NewProjection(datong)
	dLon1km, dLat1km := metresPerDegree(datong[1])
	for _, off := range []struct{ eastKm, northKm float64 }{
		{0, 0}, {60, 0}, {-60, 0}, {0, 60}, {0, -60}, {42, 42}, {-42, -42},
	} {
		t.Run(fmt.Sprintf("east=%v,north=%v", off.eastKm, off.northKm), func(t *testing.T) {
			lon1 := datong[0] + off.eastKm*1000/dLon1km
			lat1 := datong[1] + off.northKm*1000/dLat1km
			dLon, dLat := metresPerDegree(lat1)
			lon2 := lon1 + 1000/dLon // about 1 km east
			lat2 := lat1 + 1000/dLat // about 1 km north
			want := ellipsoidalQuadArea(lon1, lat1, lon2, lat2)
			got := planar.Area(p.Geometry(quad(lon1, lat1, lon2, lat2, 50)))
			if rel := math.Abs(got/want - 1); rel > maxAreaErr {
				t.Errorf("projected area = %.3f m², ellipsoidal %.3f m², relative error %.2e > %.0e", got, want, rel, maxAreaErr)
			}
			if math.Abs(want-1e6) > 1e2 {
				t.Errorf("reference quadrangle area %.1f m², want about 1 km²", want)
			}
		})
	}
}

func TestProjectionRoundTrip(t *testing.T) {
	const maxErrM = 1e-3 // 1 mm, the promise in Projection's doc
	for _, c := range []orb.Point{datong, {87.6, 43.8}, {121.5, 31.2}, {126.6, 45.8}, {109.5, 18.3}, {179.9, 65}, {-179.9, -33}} {
		p := geo.NewProjection(c)
		dLon, dLat := metresPerDegree(c[1])
		for dx := -100.0; dx <= 100; dx += 12.5 {
			for dy := -100.0; dy <= 100; dy += 12.5 {
				if math.Hypot(dx, dy) > 100 {
					continue
				}
				ll := orb.Point{c[0] + dx*1000/dLon, c[1] + dy*1000/dLat}
				if ll[0] > 180 {
					ll[0] -= 360
				} else if ll[0] < -180 {
					ll[0] += 360
				}
				back := p.Inverse(p.Forward(ll))
				ex := math.Remainder(back[0]-ll[0], 360) * dLon
				ey := (back[1] - ll[1]) * dLat
				if e := math.Hypot(ex, ey); e > maxErrM || math.IsNaN(e) {
					t.Errorf("centre %v: Inverse(Forward(%v)) = %v, off by %.3g m", c, ll, back, e)
				}
			}
		}
	}
}

// TestProjectionAtMaxExtent: at the corners of a layer geo.MaxExtentKM
// across, centred on the projection (as a district's is on its
// buildings), a round trip is exact to 2 mm and areas are
// within 0.2 %, as MaxExtentKM's doc says.
func TestProjectionAtMaxExtent(t *testing.T) {
	const maxErrM, maxAreaErr = 2e-3, 2e-3
	half := geo.MaxExtentKM / 2.0
	for _, c := range []orb.Point{datong, {109.5, 18.3}, {126.6, 45.8}, {122.5, 52.9}} {
		p := geo.NewProjection(c)
		dLon, dLat := metresPerDegree(c[1])
		for _, corner := range [][2]float64{{-half, -half}, {half, -half}, {half, half}, {-half, half}} {
			ll := orb.Point{c[0] + corner[0]*1000/dLon, c[1] + corner[1]*1000/dLat}
			back := p.Inverse(p.Forward(ll))
			lonM, latM := metresPerDegree(ll[1])
			if e := math.Hypot((back[0]-ll[0])*lonM, (back[1]-ll[1])*latM); e > maxErrM || math.IsNaN(e) {
				t.Errorf("centre %v: Inverse(Forward(%v)) = %v, off by %.3g m", c, ll, back, e)
			}
			want := ellipsoidalQuadArea(ll[0], ll[1], ll[0]+1000/lonM, ll[1]+1000/latM)
			got := planar.Area(p.Geometry(quad(ll[0], ll[1], ll[0]+1000/lonM, ll[1]+1000/latM, 50)))
			if rel := math.Abs(got/want - 1); rel > maxAreaErr {
				t.Errorf("centre %v, corner %v: projected area %.1f m², ellipsoidal %.1f m², relative error %.2e > %.0e", c, ll, got, want, rel, maxAreaErr)
			}
		}
	}
}

func TestProjectionCentreAndAxes(t *testing.T) {
	p := geo.NewProjection(datong)
	if got := p.Forward(datong); math.Abs(got[0]) > 1e-9 || math.Abs(got[1]) > 1e-9 {
		t.Errorf("Forward(centre) = %v, want (0, 0)", got)
	}
	dLon, dLat := metresPerDegree(datong[1])
	east := p.Forward(orb.Point{datong[0] + 1000/dLon, datong[1]})
	north := p.Forward(orb.Point{datong[0], datong[1] + 1000/dLat})
	// Along the central meridian the scale is exactly 1; 1 km east bends
	// north by x²·tanφ/(2N) ≈ 0.07 m.
	if math.Abs(north[1]-1000) > 1e-3 || math.Abs(north[0]) > 1e-9 {
		t.Errorf("1 km north projects to %v, want (0, 1000)", north)
	}
	if math.Abs(east[0]-1000) > 1e-3 || east[1] < 0 || east[1] > 0.1 {
		t.Errorf("1 km east projects to %v, want (1000, 0..0.1)", east)
	}
}

func TestProjectionGeometryDoesNotMutate(t *testing.T) {
	p := geo.NewProjection(datong)
	poly := orb.Polygon{quad(113.3, 40.08, 113.31, 40.09, 1)}
	orig := poly.Clone()
	for _, g := range []orb.Geometry{poly, orb.MultiPolygon{poly}, orb.LineString(poly[0]), orb.Collection{poly, datong}} {
		got := p.Geometry(g)
		if !orb.Equal(poly, orig) {
			t.Fatalf("Geometry(%T) mutated its argument", g)
		}
		back := p.Unproject(got)
		if back.GeoJSONType() != g.GeoJSONType() {
			t.Errorf("Unproject(Geometry(%T)) is a %T", g, back)
		}
		if d := maxPointDist(g, back); d > 1e-11 {
			t.Errorf("Unproject(Geometry(%T)) moved a vertex by %g degrees", g, d)
		}
	}
	if p.Geometry(nil) != nil {
		t.Errorf("Geometry(nil) != nil")
	}
}

func maxPointDist(a, b orb.Geometry) float64 {
	var pa, pb []orb.Point
	collect(a, &pa)
	collect(b, &pb)
	if len(pa) != len(pb) {
		return math.Inf(1)
	}
	m := 0.0
	for i := range pa {
		m = math.Max(m, math.Hypot(pa[i][0]-pb[i][0], pa[i][1]-pb[i][1]))
	}
	return m
}

func collect(g orb.Geometry, out *[]orb.Point) {
	switch g := g.(type) {
	case orb.Point:
		*out = append(*out, g)
	case orb.LineString:
		*out = append(*out, g...)
	case orb.Ring:
		*out = append(*out, g...)
	case orb.Polygon:
		for _, r := range g {
			collect(r, out)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			collect(p, out)
		}
	case orb.MultiLineString:
		for _, l := range g {
			collect(l, out)
		}
	case orb.Collection:
		for _, c := range g {
			collect(c, out)
		}
	}
}

func TestCenterOf(t *testing.T) {
	bs := []geo.Building{
		{Geometry: orb.Point{113, 40}},
		{Geometry: orb.Polygon{{{114, 41}, {114.5, 41}, {114.5, 42}, {114, 41}}}},
	}
	if got, want := geo.CenterOf(bs), (orb.Point{113.75, 41}); got != want {
		t.Errorf("CenterOf = %v, want %v", got, want)
	}
	if got := geo.CenterOf(nil); got != (orb.Point{}) {
		t.Errorf("CenterOf(nil) = %v, want (0, 0)", got)
	}
}
