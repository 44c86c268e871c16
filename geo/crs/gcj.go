package crs

import "math"

// GCJ-02 is WGS 84 longitude/latitude with a deliberate, smooth offset of
// a few hundred metres, defined by the 2002 rules of China's State Bureau
// of Surveying and Mapping and used by Amap (AutoNavi) and Tencent maps.
// Its formula was never published officially; the one below is the
// reconstruction every open library uses (github.com/googollee/eviltransform,
// github.com/wandergis/coordtransform and their ports). It leaves points
// outside a rectangle around China unchanged.
//
// Krasovsky 1940 constants that the formula uses (not the datum of the data).
const (
	gcjA  = 6378245.0
	gcjEE = 0.00669342162296594323
)

// The rectangle outside which the GCJ-02 formula applies no offset, as in
// eviltransform and coordtransform. Some ports use a smaller one,
// 73.66°–135.05°E, 3.86°–53.55°N, which cuts off China's westernmost,
// easternmost and northernmost edges.
const (
	gcjMinLon, gcjMaxLon = 72.004, 137.8347
	gcjMinLat, gcjMaxLat = 0.8293, 55.8271
)

// outsideChina reports whether the GCJ-02 formula leaves (lon, lat) as it is.
func outsideChina(lon, lat float64) bool {
	return !(lon >= gcjMinLon && lon <= gcjMaxLon && lat >= gcjMinLat && lat <= gcjMaxLat)
}

func gcjDLat(x, y float64) float64 {
	r := -100 + 2*x + 3*y + 0.2*y*y + 0.1*x*y + 0.2*math.Sqrt(math.Abs(x))
	r += (20*math.Sin(6*x*math.Pi) + 20*math.Sin(2*x*math.Pi)) * 2 / 3
	r += (20*math.Sin(y*math.Pi) + 40*math.Sin(y/3*math.Pi)) * 2 / 3
	r += (160*math.Sin(y/12*math.Pi) + 320*math.Sin(y*math.Pi/30)) * 2 / 3
	return r
}

func gcjDLon(x, y float64) float64 {
	r := 300 + x + 2*y + 0.1*x*x + 0.1*x*y + 0.1*math.Sqrt(math.Abs(x))
	r += (20*math.Sin(6*x*math.Pi) + 20*math.Sin(2*x*math.Pi)) * 2 / 3
	r += (20*math.Sin(x*math.Pi) + 40*math.Sin(x/3*math.Pi)) * 2 / 3
	r += (150*math.Sin(x/12*math.Pi) + 300*math.Sin(x/30*math.Pi)) * 2 / 3
	return r
}

// wgsToGCJ is the forward GCJ-02 offset.
func wgsToGCJ(lon, lat float64) (float64, float64) {
	if outsideChina(lon, lat) {
		return lon, lat
	}
	dlat := gcjDLat(lon-105, lat-35)
	dlon := gcjDLon(lon-105, lat-35)
	rad := lat / 180 * math.Pi
	magic := math.Sin(rad)
	magic = 1 - gcjEE*magic*magic
	sq := math.Sqrt(magic)
	dlat = dlat * 180 / (gcjA * (1 - gcjEE) / (magic * sq) * math.Pi)
	dlon = dlon * 180 / (gcjA / sq * math.Cos(rad) * math.Pi)
	return lon + dlon, lat + dlat
}

// BD-09 is Baidu's further offset of GCJ-02 (a small rotation and
// scaling about a shifted origin), again as widely published.
const bdXPi = math.Pi * 3000 / 180

func gcjToBD(lon, lat float64) (float64, float64) {
	z := math.Hypot(lon, lat) + 0.00002*math.Sin(lat*bdXPi)
	theta := math.Atan2(lat, lon) + 0.000003*math.Cos(lon*bdXPi)
	return z*math.Cos(theta) + 0.0065, z*math.Sin(theta) + 0.006
}

// offsetTol ends the inverse iterations: a change below 1e-10 degree is
// 11 µm on the ground. Each step shrinks the error by the offset's
// derivative, of order 1e-3 for both offsets (GCJ-02's shortest wave is
// 13 m over 1/3°; BD-09's 2 m over 0.12°), so 3–6 steps reach it (4–5
// over most of China, counted on a 0.14° grid); maxOffsetSteps bounds the
// loop where the outside-China test makes the offset jump.
const (
	offsetTol      = 1e-10
	maxOffsetSteps = 30
)

// invert finds w with f(w) = p by the fixed-point iteration
// w ← w − (f(w) − p), starting at p. The one-step inverse that many
// libraries use (w = p − (f(p) − p)) is up to 4.6 m off for GCJ-02
// (TestOffsetRoundTrip).
func invert(f func(lon, lat float64) (float64, float64), lon, lat float64) (float64, float64) {
	wl, wt := lon, lat
	for range maxOffsetSteps {
		fl, ft := f(wl, wt)
		dl, dt := fl-lon, ft-lat
		wl, wt = wl-dl, wt-dt
		if math.Abs(dl) < offsetTol && math.Abs(dt) < offsetTol {
			break
		}
	}
	return wl, wt
}

func gcjToWGS(lon, lat float64) (float64, float64) { return invert(wgsToGCJ, lon, lat) }
func bdToGCJ(lon, lat float64) (float64, float64)  { return invert(gcjToBD, lon, lat) }
