package format

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"gridplan/geo/crs"
	"gridplan/geo/feature"
	"gridplan/geo/gpkg"
	"gridplan/geo/shp"

	"github.com/paulmach/orb"
)

// WriteOptions say how to write a layer.
type WriteOptions struct {
	Kind   Kind
	System crs.System // the system the features' coordinates are in
	// Encoding is the text encoding of a Shapefile's .dbf: "utf-8" (the
	// default) or "gbk"; a .cpg names it either way.
	Encoding string
}

// A File is one file of an encoded layer.
type File struct {
	Name string
	Data []byte
}

// ShortNames are the Shapefile (dBASE) names of the fields gridplan
// writes whose names are longer than a dBASE field name's 10 bytes. The
// GeoJSON and GeoPackage layers keep the long names.
var ShortNames = map[string]string{
	"split_compound": "split_cmpd",
	"perimeter_m":    "perim_m",
	"polsby_popper":  "polsby",
}

// ShortName returns the Shapefile name of a field: its entry in
// [ShortNames], else the name itself when it fits in 10 bytes, else its
// first 10 bytes (cut at a character boundary).
func ShortName(name string) string {
	if s, ok := ShortNames[name]; ok {
		return s
	}
	if len(name) <= 10 {
		return name
	}
	cut := 10
	for cut > 0 && !isRuneStart(name[cut]) {
		cut--
	}
	return name[:cut]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// maxText is the most bytes a dBASE text field holds.
const maxText = 254

// cutText returns s if it has at most n bytes in UTF-8, else its longest
// prefix (cut at a character boundary) that fits with "…" after it. Text
// fits in GBK if it fits in UTF-8, which takes more bytes per character.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// Encode encodes a layer as the files of a Shapefile or a GeoPackage named
// base (with the extensions of the format; base is also the GeoPackage's
// table). The features' coordinates are in o.System; GCJ-02 and BD-09
// layers are labelled WGS 84, the datum they are offset from, since no
// registry has a code for them.
func Encode(base string, fields []feature.Field, fs []feature.Feature, o WriteOptions) ([]File, error) {
	if err := CheckExtent(base+o.Kind.Ext(), Extent(fs), o.System); err != nil {
		return nil, err
	}
	switch o.Kind {
	case Shapefile:
		short := make([]feature.Field, len(fields))
		seen := map[string]string{}
		for i, f := range fields {
			f.Name = ShortName(f.Name)
			key := strings.ToLower(f.Name)
			if prev, ok := seen[key]; ok {
				return nil, fmt.Errorf("%s.shp: fields %s and %s have the same Shapefile name %s", base, prev, fields[i].Name, f.Name)
			}
			seen[key] = fields[i].Name
			short[i] = f
		}
		renamed := make([]feature.Feature, len(fs))
		for i, f := range fs {
			ps := make([]feature.Property, len(f.Properties))
			for j, p := range f.Properties {
				v := p.Value
				if text, ok := v.(string); ok {
					v = cutText(text, maxText)
				}
				ps[j] = feature.Property{Name: ShortName(p.Name), Value: v}
			}
			renamed[i] = feature.Feature{Geometry: f.Geometry, Properties: ps}
		}
		files, err := shp.Encode(short, renamed, shp.WriteOptions{Encoding: o.Encoding, PRJ: o.System.ESRIWKT()})
		if err != nil {
			return nil, fmt.Errorf("%s.shp: %w", base, err)
		}
		var out []File
		for _, ext := range []string{".shp", ".shx", ".dbf", ".prj", ".cpg"} {
			if data, ok := files[ext]; ok {
				out = append(out, File{base + ext, data})
			}
		}
		return out, nil
	case GeoPackage:
		r := o.System.SpatialRefSys()
		data, err := gpkg.Encode(base, fields, fs, gpkg.SRS{
			Name: r.Name, ID: r.ID, Organization: r.Organization, OrgID: r.OrgID,
			Definition: r.Definition, Description: r.Description,
		})
		if err != nil {
			return nil, fmt.Errorf("%s.gpkg: %w", base, err)
		}
		return []File{{base + ".gpkg", data}}, nil
	}
	return nil, fmt.Errorf("%s: %w: GeoJSON layers are encoded by their writers", base, ErrFormat)
}

// GeoJSONCRS returns the legacy crs member that names o.System in a
// GeoJSON layer, with its trailing comma — {"type":"name",...} as GDAL
// writes it — or "" for WGS 84 longitude/latitude, the system RFC 7946
// prescribes (and GCJ-02 and BD-09, which have no name to give).
func GeoJSONCRS(s crs.System) string {
	code := s.EPSG()
	if code == 0 || code == 4326 {
		return ""
	}
	return fmt.Sprintf(`"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::%d"}},`, code)
}

// ErrOutOfSystem is wrapped by the error of a layer to be written in a
// system its coordinates do not fit (a Gauss–Krüger zone far from the
// district), which no reader, gridplan included, would take back.
var ErrOutOfSystem = errors.New("the layer does not fit the coordinate system it is to be written in")

// CheckExtent returns an error if a layer of extent b (in system s) does
// not fit s; an empty layer (b the zero Bound) fits any.
func CheckExtent(file string, b orb.Bound, s crs.System) error {
	if b == (orb.Bound{}) {
		return nil
	}
	if err := s.Check(b); err != nil {
		return fmt.Errorf("%s: %w: %w; choose the system of the district's zone (--out-crs)%s", file, ErrOutOfSystem, err, zoneHint(b, s))
	}
	return nil
}

// zoneHint names the zone of s's family that holds the district whose
// extent in s is b, where b's centre converts back to a longitude/latitude
// that s gives b's centre again (so far from a zone's central meridian, the
// series may not invert): the extent, computed in the wrong zone, looks
// like nothing that helps.
func zoneHint(b orb.Bound, s crs.System) string {
	if s.Geographic() {
		return ""
	}
	c := b.Center()
	ll := s.ToLonLat(c)
	if back := s.FromLonLat(ll); math.Hypot(back[0]-c[0], back[1]-c[1]) > 1 {
		return ""
	}
	z, ok := s.ZoneAt(ll[0])
	if !ok || z == s {
		return ""
	}
	return fmt.Sprintf(": the district lies at %.2f°E, in %s (%s)", ll[0], z, z.Name())
}

// Extent is the bound of the features' geometries, the zero Bound for
// none.
func Extent(fs []feature.Feature) orb.Bound {
	gs := make([]orb.Geometry, len(fs))
	for i, f := range fs {
		gs[i] = f.Geometry
	}
	b, _ := BoundOf(gs)
	return b
}

// BoundOf is the bound of the geometries that have points, and whether
// any has.
func BoundOf(gs []orb.Geometry) (orb.Bound, bool) {
	var b orb.Bound
	first := true
	for _, g := range gs {
		if g == nil {
			continue
		}
		switch g := g.(type) {
		case orb.MultiPolygon:
			if len(g) == 0 {
				continue
			}
		case orb.Polygon:
			if len(g) == 0 || len(g[0]) == 0 {
				continue
			}
		}
		if first {
			b, first = g.Bound(), false
		} else {
			b = b.Union(g.Bound())
		}
	}
	return b, !first
}
