package crs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// accepted lists what [Parse] reads, for its error messages.
const accepted = "accepted: EPSG:4326 (WGS 84; also CRS84, wgs84), EPSG:4490 (CGCS2000; also cgcs2000), " +
	"EPSG:4491–4554 (CGCS2000 Gauss–Krüger: 4491–4501 6° zones 13–23 with zone prefix, 4502–4512 6° CM 75E–135E, " +
	"4513–4533 3° zones 25–45 with zone prefix, 4534–4554 3° CM 75E–135E), EPSG:32601–32660 (WGS 84 / UTM north), " +
	"EPSG:3857 (Web Mercator; also EPSG:900913, EPSG:3785, ESRI:102100, ESRI:102113), " +
	"gcj02 (Amap, Tencent) and bd09 (Baidu); an EPSG code may be written 4527, EPSG:4527, " +
	"urn:ogc:def:crs:EPSG::4527 or http://www.opengis.net/def/crs/EPSG/0/4527"

// EPSG code ranges of the CGCS2000 Gauss–Krüger systems (verified against
// the EPSG dataset with gdalsrsinfo, GDAL 3.6 / PROJ 9.1): each range is
// one family, numbered by zone from 75°E.
const (
	epsgGK6Prefix = 4491 // 6° zones 13–23, false easting zone·1e6 + 500 km
	epsgGK6       = 4502 // 6° CM 75E–135E, false easting 500 km
	epsgGK3Prefix = 4513 // 3° zones 25–45, false easting zone·1e6 + 500 km
	epsgGK3       = 4534 // 3° CM 75E–135E, false easting 500 km
	epsgGKLast    = 4554
	epsgUTMNorth  = 32600 // + zone, 1–60
)

// Codes of Web Mercator: EPSG's, its deprecated predecessor
// ("Popular Visualisation CRS / Mercator"), the one OpenLayers and
// GeoServer used before EPSG had one ("Google Maps Global Mercator", 900913
// spelling "google"), and ESRI's (WGS_1984_Web_Mercator_Auxiliary_Sphere
// and WGS_1984_Web_Mercator), which ArcGIS reports as a layer's wkid.
const epsgWebMercator = 3857

var webMercatorCodes = []int{epsgWebMercator, 3785, 900913, 102100, 102113}

// oldDatumCodes are the EPSG codes of the Beijing 1954, Xi'an 1980 and New
// Beijing systems (geographic and Gauss–Krüger), listed from the EPSG
// dataset of PROJ 9.1 (crs_view, names containing "Beijing" or "Xian").
var oldDatumCodes = []struct {
	lo, hi int
	datum  string
}{
	{2327, 2390, xian},       // Xian 1980 / (3-degree) Gauss-Kruger
	{2401, 2442, beijing},    // Beijing 1954 / 3-degree Gauss-Kruger
	{4214, 4214, beijing},    // Beijing 1954
	{4555, 4555, newBeijing}, // New Beijing
	{4568, 4589, newBeijing}, // New Beijing / Gauss-Kruger
	{4610, 4610, xian},       // Xian 1980
	{4652, 4656, newBeijing}, // New Beijing / 3-degree Gauss-Kruger zones 25–29
	{4766, 4800, newBeijing}, // New Beijing / 3-degree Gauss-Kruger
	{4812, 4812, newBeijing}, // New Beijing / 3-degree Gauss-Kruger CM 132E
	{4822, 4822, newBeijing}, // New Beijing / 3-degree Gauss-Kruger CM 135E
	{21413, 21423, beijing},  // Beijing 1954 / Gauss-Kruger zones 13–23
	{21453, 21463, beijing},  // Beijing 1954 / Gauss-Kruger CM 75E–135E
	{21473, 21483, beijing},  // Beijing 1954 / Gauss-Kruger 13N–23N (deprecated)
}

// The old datums, as named in messages.
const (
	beijing    = "Beijing 1954"
	xian       = "Xi'an 1980"
	newBeijing = "New Beijing"
)

// Parse reads a system's name or code: "EPSG:4326", "epsg:4490", "4527",
// "urn:ogc:def:crs:EPSG::4527", "http://www.opengis.net/def/crs/EPSG/0/4527",
// "urn:ogc:def:crs:OGC:1.3:CRS84" or "CRS84", "wgs84", "cgcs2000",
// "gcj02" or "gcj-02", "bd09" or "bd-09", and the codes of Web Mercator
// ("EPSG:3857", "EPSG:900913", "ESRI:102100", …; "webmercator") (case is
// ignored). An ESRI code is read as the EPSG code it equals, as ArcGIS
// numbers the EPSG systems by their EPSG codes. It reads back
// what [System.String] writes. A Beijing 1954, Xi'an 1980 or New Beijing
// code gives an error wrapping [ErrOldDatum]; anything else it does not
// know, one wrapping [ErrUnknown] that lists what it accepts.
func Parse(s string) (System, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch strings.NewReplacer("-", "", "_", "", " ", "").Replace(t) {
	case "wgs84", "crs84", "ogc:crs84", "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84",
		"http://www.opengis.net/def/crs/ogc/1.3/crs84", "https://www.opengis.net/def/crs/ogc/1.3/crs84":
		return WGS84, nil
	case "cgcs2000":
		return CGCS2000, nil
	case "gcj02":
		return GCJ02, nil
	case "bd09":
		return BD09, nil
	case "webmercator", "pseudomercator":
		return WebMercator, nil
	}
	code, ok := epsgCode(t)
	if !ok {
		return System{}, fmt.Errorf("%w %q; %s", ErrUnknown, s, accepted)
	}
	sys, datum, ok := fromEPSG(code)
	switch {
	case datum != "":
		return System{}, fmt.Errorf("%w: %q is on the %s datum; %s", ErrOldDatum, s, datum, oldDatumAdvice)
	case !ok:
		return System{}, fmt.Errorf("%w %q; %s", ErrUnknown, s, accepted)
	}
	return sys, nil
}

// epsgCode reads an EPSG code from its lower-case forms "4527",
// "epsg:4527", "urn:ogc:def:crs:epsg:[version]:4527" and
// "http://www.opengis.net/def/crs/epsg/0/4527", or an ESRI code from
// "esri:102100" and "urn:ogc:def:crs:esri:[version]:102100".
func epsgCode(t string) (int, bool) {
	for _, prefix := range []string{"epsg:", "esri:", "urn:ogc:def:crs:epsg:", "urn:ogc:def:crs:esri:",
		"http://www.opengis.net/def/crs/epsg/", "https://www.opengis.net/def/crs/epsg/"} {
		if rest, ok := strings.CutPrefix(t, prefix); ok {
			if prefix != "epsg:" && prefix != "esri:" { // a version precedes the code: "::4527", ":9.8:4527", "0/4527"
				i := strings.LastIndexAny(rest, ":/")
				if i < 0 {
					return 0, false
				}
				rest = rest[i+1:]
			}
			t = rest
			break
		}
	}
	if t == "" || len(t) > 9 || strings.TrimLeft(t, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(t)
	return n, err == nil
}

// fromEPSG returns the system of an EPSG code and true; or, for a code on
// an old datum, that datum's name; or false.
func fromEPSG(code int) (sys System, oldDatum string, ok bool) {
	var err error
	switch {
	case code == 4326:
		return WGS84, "", true
	case code == 4490:
		return CGCS2000, "", true
	case code >= epsgGK6Prefix && code < epsgGK6:
		sys, err = GaussKruger(6, minZone6+code-epsgGK6Prefix, true)
	case code >= epsgGK6 && code < epsgGK3Prefix:
		sys, err = GaussKruger(6, minZone6+code-epsgGK6, false)
	case code >= epsgGK3Prefix && code < epsgGK3:
		sys, err = GaussKruger(3, minZone3+code-epsgGK3Prefix, true)
	case code >= epsgGK3 && code <= epsgGKLast:
		sys, err = GaussKruger(3, minZone3+code-epsgGK3, false)
	case code > epsgUTMNorth && code <= epsgUTMNorth+60:
		sys, err = UTM(code - epsgUTMNorth)
	case slices.Contains(webMercatorCodes, code):
		return WebMercator, "", true
	default:
		for _, r := range oldDatumCodes {
			if code >= r.lo && code <= r.hi {
				return System{}, r.datum, false
			}
		}
		return System{}, "", false
	}
	if err != nil {
		panic(err) // unreachable: the ranges above hold only valid zones
	}
	return sys, "", true
}
