package crs

import (
	"fmt"
	"math"
	"strings"
	"sync"
)

// FromWKT recognises the system of a WKT definition: a shapefile's .prj
// (ESRI WKT1, usually without AUTHORITY, e.g.
// PROJCS["CGCS2000_3_Degree_GK_Zone_39",...]), OGC WKT1 with
// AUTHORITY["EPSG",...] (a GeoPackage's srs definition) or WKT2 (PROJCRS,
// GEOGCRS, with ID["EPSG",n]); a BOUNDCRS or compound system is read by
// its horizontal part. It goes by the authority code if the definition
// states one (EPSG's, or ESRI's: 102100 is Web Mercator), else by the name
// (EPSG's or ESRI's), else by the parameters: the datum or ellipsoid
// (CGCS2000 / GRS 80, or WGS 84), and for a transverse Mercator projection
// its central meridian, false easting and scale factor (1 for
// Gauss–Krüger, 0.9996 for UTM). A Mercator projection is Web Mercator
// (EPSG:3857) if its method says so (Popular Visualisation Pseudo
// Mercator; ESRI's Mercator_Auxiliary_Sphere of sphere type 0) or it is on
// a sphere of radius 6378137 m (an ESRI auxiliary sphere, or the PROJ
// string of GDAL's WKT1), with no offset; Mercator on the ellipsoid (World
// Mercator, EPSG:3395) is refused. A code or name is accepted only if the
// definition's parameters, where it has them, agree.
//
// The 3° and 6° Gauss–Krüger systems without zone prefix that share a
// central meridian (EPSG:4548 and EPSG:4509 at 117°E) are the same
// projection; a definition that has only parameters is given the 6° code
// if its name speaks of Gauss–Krüger without "3 degree", else the 3° code.
//
// Beijing 1954, Xi'an 1980 and New Beijing definitions give an error
// wrapping [ErrOldDatum]; anything else it does not know, one wrapping
// [ErrUnknown] with the name found in the WKT.
func FromWKT(wkt string) (System, error) {
	root, err := readWKT(wkt)
	if err != nil {
		return System{}, fmt.Errorf("%w: cannot read the definition (%v)", ErrUnknown, err)
	}
	n := horizontal(root)
	if n == nil {
		return System{}, fmt.Errorf("%w %q: a %s is not a coordinate system of a map layer", ErrUnknown, root.name(), root.key)
	}
	f := wktFactsOf(n)
	label := fmt.Sprintf("%q", f.name)
	if f.code != 0 {
		label += fmt.Sprintf(" (%s:%d)", f.authority, f.code)
	}
	if d := f.oldDatum(); d != "" {
		return System{}, fmt.Errorf("%w: %s is on the %s datum; %s", ErrOldDatum, label, d, oldDatumAdvice)
	}
	if f.geocentric {
		return System{}, fmt.Errorf("%w %s: geocentric (x, y, z) coordinates", ErrUnknown, label)
	}
	if f.code != 0 {
		s, datum, ok := fromEPSG(f.code)
		switch {
		case datum != "":
			return System{}, fmt.Errorf("%w: %s is on the %s datum; %s", ErrOldDatum, label, datum, oldDatumAdvice)
		case ok:
			return f.agreeing(s, label)
		}
	}
	if s, ok := namedSystems()[normName(f.name)]; ok {
		return f.agreeing(s, label)
	}
	s, err := f.system()
	if err != nil {
		return System{}, fmt.Errorf("%w %s: %v", ErrUnknown, label, err)
	}
	return s, nil
}

// horizontal returns the node of the horizontal system of a definition,
// or nil if it has none.
func horizontal(n *wktNode) *wktNode {
	switch n.key {
	case "PROJCS", "PROJCRS", "PROJECTEDCRS", "GEOGCS", "GEOGCRS", "GEOGRAPHICCRS", "GEODCRS", "GEODETICCRS", "GEOCCS":
		return n
	case "BOUNDCRS":
		if src := n.child("SOURCECRS"); src != nil {
			for _, a := range src.args {
				if a.node != nil {
					return horizontal(a.node)
				}
			}
		}
	case "COMPD_CS", "COMPOUNDCRS":
		for _, a := range n.args {
			if a.node != nil {
				if h := horizontal(a.node); h != nil {
					return h
				}
			}
		}
	}
	return nil
}

// Parameter keys, and the EPSG codes of the parameters that WKT2 states.
const (
	parLat0 = "latitude of origin"
	parCM   = "central meridian"
	parK    = "scale factor"
	parFE   = "false easting"
	parFN   = "false northing"
	parSP1  = "standard parallel"     // of Mercator (2SP), ESRI's Mercator
	parAux  = "auxiliary sphere type" // of ESRI's Mercator_Auxiliary_Sphere
)

var parByCode = map[int]string{8801: parLat0, 8802: parCM, 8805: parK, 8806: parFE, 8807: parFN, 8823: parSP1}

var parByName = map[string]string{
	"latitudeoforigin": parLat0, "latitudeofnaturalorigin": parLat0,
	"centralmeridian": parCM, "longitudeofnaturalorigin": parCM,
	"scalefactor": parK, "scalefactoratnaturalorigin": parK,
	"falseeasting": parFE, "falsenorthing": parFN,
	"standardparallel1": parSP1, "latitudeof1ststandardparallel": parSP1, "auxiliaryspheretype": parAux,
}

// wktFacts is what FromWKT reads from a definition.
type wktFacts struct {
	name       string
	code       int    // the EPSG (or ESRI) code the system states for itself; 0 if none
	authority  string // of code: "EPSG" or "ESRI"
	projected  bool
	geocentric bool
	base       string             // name of the base geographic system
	datum      string             // datum (or WGS 84 datum ensemble) name
	ellipsoid  string             // ellipsoid name
	a, rf      float64            // semi-major axis (m) and inverse flattening
	method     string             // projection method name
	proj       string             // the PROJ string of a WKT1 EXTENSION["PROJ4",...]
	params     map[string]float64 // by par* key, in degrees and metres
	unit       float64            // size of the coordinates' unit (metres or radians); 0 if unstated
}

func wktFactsOf(n *wktNode) *wktFacts {
	f := &wktFacts{name: n.name(), params: map[string]float64{}}
	// ArcGIS numbers the EPSG systems by their EPSG codes, and GDAL writes
	// ESRI's own Web Mercator code (102100) as AUTHORITY["ESRI","102100"].
	if id := n.child("AUTHORITY", "ID"); id != nil && len(id.args) > 1 &&
		(strings.EqualFold(id.name(), "EPSG") || strings.EqualFold(id.name(), "ESRI")) {
		if c, ok := epsgCode(strings.TrimSpace(id.args[1].text)); ok {
			f.code, f.authority = c, strings.ToUpper(id.name())
		}
	}
	f.projected = strings.HasPrefix(n.key, "PROJ")
	if cs := n.child("CS"); cs != nil && len(cs.args) > 0 && strings.EqualFold(cs.args[0].text, "Cartesian") && !f.projected {
		f.geocentric = true
	}
	f.geocentric = f.geocentric || n.key == "GEOCCS"
	if b := n.child("GEOGCS", "BASEGEOGCRS", "BASEGEODCRS", "GEOGCRS", "GEODCRS"); b != nil {
		f.base = b.name()
	}
	if d := n.find("DATUM", "ENSEMBLE"); d != nil {
		f.datum = d.name()
	}
	if e := n.find("SPHEROID", "ELLIPSOID"); e != nil {
		f.ellipsoid = e.name()
		f.a, _ = e.num(1)
		f.rf, _ = e.num(2)
	}
	params := n
	if conv := n.child("CONVERSION"); conv != nil { // WKT2
		params = conv
		if m := conv.child("METHOD"); m != nil {
			f.method = m.name()
		}
	} else if p := n.child("PROJECTION"); p != nil {
		f.method = p.name()
	}
	if x := n.child("EXTENSION"); x != nil && strings.EqualFold(x.name(), "PROJ4") && len(x.args) > 1 {
		f.proj = x.args[1].text
	}
	for _, p := range params.children("PARAMETER") {
		key := parByName[normName(p.name())]
		if id := p.child("ID"); id != nil {
			if c, ok := id.num(1); ok && parByCode[int(c)] != "" {
				key = parByCode[int(c)]
			}
		}
		v, ok := p.num(1)
		if key == "" || !ok {
			continue
		}
		if u := p.child("ANGLEUNIT", "LENGTHUNIT", "SCALEUNIT"); u != nil {
			switch factor, ok := u.num(1); {
			case !ok:
			case u.key == "ANGLEUNIT" && math.Abs(factor-deg) > unitTol*deg:
				v *= factor / deg // grads, say
			case u.key != "ANGLEUNIT":
				v *= factor
			}
		}
		f.params[key] = v
	}
	// The coordinates' unit: WKT1 UNIT, WKT2 LENGTHUNIT or ANGLEUNIT on
	// the system or on its axes.
	keys := []string{"UNIT", "LENGTHUNIT", "ANGLEUNIT"}
	u := n.child(keys...)
	for _, ax := range n.children("AXIS") {
		if u == nil {
			u = ax.child(keys...)
		}
	}
	if u != nil {
		f.unit, _ = u.num(1)
	}
	return f
}

// oldDatum returns the old Chinese datum the definition is on, or "". The
// datum's own name decides; the system's name only if it names the datum
// in full, since a layer's own name may mention the city.
func (f *wktFacts) oldDatum() string {
	datum := normName(f.base + " " + f.datum + " " + f.ellipsoid)
	all := normName(f.name) + datum
	switch {
	case strings.Contains(all, "newbeijing"):
		return newBeijing
	case strings.Contains(all, "beijing1954") || strings.Contains(datum, "beijing"):
		return beijing
	case strings.Contains(all, "xian1980") || strings.Contains(datum, "xian"):
		return xian
	}
	return ""
}

// Tolerances of parameter comparisons. WKT states parameters either
// exactly (117, 39500000, 0.9996) or to 15 significant digits, so these
// only absorb rounding: 1e-9° is 0.1 mm on the ground, 1e-6 m and a
// relative 1e-10 in scale (0.6 mm at 6,000 km) are as small.
const (
	parTolDeg   = 1e-9
	parTolM     = 1e-6
	parTolScale = 1e-10
	unitTol     = 1e-10 // relative, of a unit's size (0.0174532925199433 rad)
)

// agreeing returns s if the definition agrees with it (see agrees).
func (f *wktFacts) agreeing(s System, label string) (System, error) {
	if err := f.agrees(s, label); err != nil {
		return System{}, err
	}
	return s, nil
}

// agrees returns nil if the definition's parameters, as far as it states
// them, are those of s, and an error wrapping ErrUnknown if not.
func (f *wktFacts) agrees(s System, label string) error {
	var diffs []string
	if f.projected == s.Geographic() {
		kind := "a projected"
		if !f.projected {
			kind = "a geographic"
		}
		return fmt.Errorf("%w %s: it is %s system, but %s (%s) is not", ErrUnknown, label, kind, s, s.Name())
	}
	if f.a != 0 && math.Abs(f.a-6378137) > parTolM {
		diffs = append(diffs, fmt.Sprintf("semi-major axis %s m", num(f.a)))
	}
	if f.unit != 0 && !f.unitIs(s.Geographic()) {
		diffs = append(diffs, fmt.Sprintf("unit of %s", num(f.unit)))
	}
	if f.projected && f.method != "" && methodKind(f.method) != s.kind && !(s.kind == utm && methodKind(f.method) == gaussKruger) {
		diffs = append(diffs, fmt.Sprintf("projection %q", f.method))
	}
	if f.projected {
		want := map[string]float64{parLat0: 0, parCM: s.CentralMeridian(), parK: s.ScaleFactor(), parFE: s.FalseEasting(), parFN: 0, parSP1: 0, parAux: 0}
		tol := map[string]float64{parLat0: parTolDeg, parCM: parTolDeg, parK: parTolScale, parFE: parTolM, parFN: parTolM, parSP1: parTolDeg, parAux: 0}
		for _, k := range []string{parCM, parFE, parK, parFN, parLat0, parSP1, parAux} {
			if v, ok := f.params[k]; ok && math.Abs(v-want[k]) > tol[k] {
				diffs = append(diffs, fmt.Sprintf("%s %s (%s has %s)", k, num(v), s, num(want[k])))
			}
		}
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%w %s: it names %s (%s) but differs from it: %s", ErrUnknown, label, s, s.Name(), strings.Join(diffs, ", "))
	}
	return nil
}

// unitIs reports whether the definition's unit is the metre, or for a
// geographic system the degree.
func (f *wktFacts) unitIs(geographic bool) bool {
	want := 1.0
	if geographic {
		want = deg
	}
	return math.Abs(f.unit-want) <= unitTol*want
}

// system finds the system by the definition's parameters.
func (f *wktFacts) system() (System, error) {
	datum := normName(f.datum + " " + f.ellipsoid)
	cgcs := strings.Contains(datum, "china") || strings.Contains(datum, "cgcs") ||
		math.Abs(f.rf-298.257222101) < 1e-6 && !strings.Contains(datum, "wgs") && !strings.Contains(datum, "worldgeodetic")
	wgs := strings.Contains(datum, "wgs") || strings.Contains(datum, "worldgeodeticsystem1984") || math.Abs(f.rf-298.257223563) < 1e-6
	switch {
	case math.Abs(f.a-6378137) > parTolM:
		return System{}, fmt.Errorf("its ellipsoid %q (a = %s m) is neither CGCS2000's nor WGS 84's", f.ellipsoid, num(f.a))
	case !cgcs && !wgs:
		return System{}, fmt.Errorf("its datum %q is neither CGCS2000 nor WGS 84", f.datum)
	case !f.projected:
		s := WGS84
		if cgcs {
			s = CGCS2000
		}
		if f.unit != 0 && !f.unitIs(true) {
			return System{}, fmt.Errorf("its angular unit is %s rad, not the degree", num(f.unit))
		}
		return s, nil
	}
	switch methodKind(f.method) {
	case webMercator:
		return f.webMercator()
	case gaussKruger:
	default:
		return System{}, fmt.Errorf("its projection is %q, not transverse Mercator (Gauss–Krüger) or Web Mercator", f.method)
	}
	if f.unit != 0 && !f.unitIs(false) {
		return System{}, fmt.Errorf("its unit is %s m, not the metre", num(f.unit))
	}
	p := map[string]float64{parK: 1} // WKT1's default; the others default to 0
	for k, v := range f.params {
		p[k] = v
	}
	cm, fe, k := p[parCM], p[parFE], p[parK]
	desc := fmt.Sprintf("transverse Mercator with central meridian %s, false easting %s m, false northing %s m, scale %s, latitude of origin %s",
		num(cm), num(fe), num(p[parFN]), num(k), num(p[parLat0]))
	if math.Abs(p[parFN]) > parTolM || math.Abs(p[parLat0]) > parTolDeg || math.Abs(cm-math.Round(cm)) > parTolDeg {
		return System{}, fmt.Errorf("%s: no CGCS2000 Gauss–Krüger or UTM north zone", desc)
	}
	c := int(math.Round(cm))
	switch {
	case math.Abs(k-1) <= parTolScale:
		if s, ok := gaussKrugerOf(c, fe, f.name); ok {
			return s, nil
		}
	case math.Abs(k-0.9996) <= parTolScale && math.Abs(fe-500000) <= parTolM && (c+183)%6 == 0:
		if s, err := UTM((c + 183) / 6); err == nil {
			return s, nil
		}
	}
	return System{}, fmt.Errorf("%s: no CGCS2000 Gauss–Krüger or UTM north zone", desc)
}

// methodKind returns the kind of system a projection method belongs to:
// gaussKruger for transverse Mercator (Gauss–Krüger and UTM alike),
// webMercator for the Mercator methods, geographic for any other.
func methodKind(method string) kind {
	m := normName(method)
	switch {
	case m == "transversemercator" || m == "gausskruger":
		return gaussKruger
	case strings.Contains(m, "mercator") && !strings.Contains(m, "transverse") && !strings.Contains(m, "oblique"):
		return webMercator
	}
	return geographic
}

// webMercator returns Web Mercator if the definition, a Mercator
// projection, is it (see [FromWKT]).
func (f *wktFacts) webMercator() (System, error) {
	m := normName(f.method)
	proj := " " + f.proj + " "
	sphere := m == "popularvisualisationpseudomercator" || m == "mercatorauxiliarysphere" || f.rf == 0 ||
		strings.Contains(proj, " +a=6378137 ") && strings.Contains(proj, " +b=6378137 ") || strings.Contains(proj, " +R=6378137 ")
	if !sphere {
		return System{}, fmt.Errorf("its projection is %q on the ellipsoid, as World Mercator (EPSG:3395), not Web Mercator (EPSG:3857), "+
			"the Mercator of a sphere that web maps use", f.method)
	}
	if f.unit != 0 && !f.unitIs(false) {
		return System{}, fmt.Errorf("its unit is %s m, not the metre", num(f.unit))
	}
	p := map[string]float64{parK: 1}
	for k, v := range f.params {
		p[k] = v
	}
	if math.Abs(p[parCM]) > parTolDeg || math.Abs(p[parFE]) > parTolM || math.Abs(p[parFN]) > parTolM ||
		math.Abs(p[parK]-1) > parTolScale || math.Abs(p[parLat0]) > parTolDeg || math.Abs(p[parSP1]) > parTolDeg || p[parAux] != 0 {
		return System{}, fmt.Errorf("Mercator with central meridian %s, false easting %s m, false northing %s m, scale %s, "+
			"standard parallel %s, auxiliary sphere type %s is not Web Mercator (EPSG:3857), which has 0, 0, 0, 1, 0, 0",
			num(p[parCM]), num(p[parFE]), num(p[parFN]), num(p[parK]), num(p[parSP1]), num(p[parAux]))
	}
	return WebMercator, nil
}

// gaussKrugerOf returns the Gauss–Krüger system of central meridian cm
// and false easting fe; name decides between a 3° and a 6° zone without
// prefix (see [FromWKT]).
func gaussKrugerOf(cm int, fe float64, name string) (System, bool) {
	if math.Abs(fe-500000) <= parTolM {
		n := normName(name)
		if (strings.Contains(n, "gausskruger") || strings.Contains(n, "gk")) && !strings.Contains(n, "3degree") && (cm+3)%6 == 0 {
			s, err := GaussKruger(6, (cm+3)/6, false)
			return s, err == nil
		}
		s, err := GaussKruger(3, cm/3, false)
		return s, err == nil && cm%3 == 0
	}
	zone := math.Round((fe - 500000) / 1e6)
	if math.Abs(fe-(zone*1e6+500000)) > parTolM || zone < minZone6 || zone > maxZone3 {
		return System{}, false
	}
	z := int(zone)
	if z >= minZone3 && cm == 3*z {
		s, err := GaussKruger(3, z, true)
		return s, err == nil
	}
	if z <= maxZone6 && cm == 6*z-3 {
		s, err := GaussKruger(6, z, true)
		return s, err == nil
	}
	return System{}, false
}

// normName folds a name for comparison: lower case letters and digits.
func normName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// namedSystems maps the folded EPSG and ESRI names of every system that
// has a code to it.
var namedSystems = sync.OnceValue(func() map[string]System {
	m := map[string]System{}
	for _, s := range coded() {
		m[normName(s.Name())] = s
		m[normName(s.esriName())] = s
	}
	m["wgs84"] = WGS84
	m["cgcs2000"] = CGCS2000
	for _, name := range []string{"Popular Visualisation CRS / Mercator", "Google Maps Global Mercator", "WGS_1984_Web_Mercator"} {
		m[normName(name)] = WebMercator
	}
	return m
})
