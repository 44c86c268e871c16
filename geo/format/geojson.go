package format

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"gridplan/geo/internal/parallel"

	"github.com/paulmach/orb"
)

// maxPeek is how much of a GeoJSON file is read to find its crs member,
// which GDAL and QGIS write before the features.
const maxPeek = 1 << 20

// geojsonCRS reads the head of a GeoJSON layer for a legacy (2008) crs
// member, {"crs": {"type": "name", "properties": {"name": "EPSG:4527"}}},
// before the features. It returns the name ("" for none) and a reader of
// the whole layer, the bytes read included.
func geojsonCRS(r io.Reader) (string, io.Reader) {
	var head bytes.Buffer
	tee := io.TeeReader(io.LimitReader(r, maxPeek), &head)
	whole := func() io.Reader { return io.MultiReader(bytes.NewReader(head.Bytes()), r) }
	br := &bomSkipper{r: tee}
	dec := json.NewDecoder(br)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return "", whole()
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return "", whole()
		}
		key, _ := t.(string)
		switch key {
		case "features":
			return "", whole()
		case "crs":
			var c struct {
				Type       string `json:"type"`
				Properties struct {
					Name string `json:"name"`
				} `json:"properties"`
			}
			if err := dec.Decode(&c); err != nil || !strings.EqualFold(c.Type, "name") {
				return "", whole()
			}
			return c.Properties.Name, whole()
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return "", whole()
			}
		}
	}
	return "", whole()
}

// A bomSkipper drops a UTF-8 byte order mark at the start of r.
type bomSkipper struct {
	r     io.Reader
	begun bool
}

func (b *bomSkipper) Read(p []byte) (int, error) {
	if b.begun {
		return b.r.Read(p)
	}
	var head [3]byte
	n, err := io.ReadFull(b.r, head[:])
	b.begun = true
	rest := head[:n]
	if bytes.Equal(rest, []byte("\ufeff")) {
		rest = nil
	}
	if len(rest) == 0 {
		if err != nil && err != io.ErrUnexpectedEOF {
			return 0, err
		}
		return b.r.Read(p)
	}
	b.r = io.MultiReader(bytes.NewReader(rest), b.r)
	return b.r.Read(p)
}

// reproject returns the GeoJSON layer data with the coordinates of every
// feature's geometry taken to lon/lat by c. Everything else, properties
// included, is kept as written; what is not a FeatureCollection, and a
// geometry that cannot be read, is left as it is, for the loader to name.
// Features are converted in parallel, each worker with its own share of
// c's state, joined in feature order: the result is the same as one
// worker's.
func reproject(data []byte, c *coords) ([]byte, error) {
	fc, feats, ok := splitCollection(bytes.TrimPrefix(data, []byte("\ufeff")))
	if !ok {
		return data, nil
	}
	workers := parallel.Workers(len(feats), 256)
	forks, malformed := make([]*coords, workers), make([]bool, workers)
	parallel.Split(workers, len(feats), func(w, lo, hi int) {
		c := c.fork()
		forks[w] = c
		for i := lo; i < hi; i++ {
			var f map[string]json.RawMessage
			if err := json.Unmarshal(feats[i], &f); err != nil {
				malformed[w] = true // not JSON: the loader names it in data
				return
			}
			if f == nil {
				continue
			}
			g, ok := decodeGeometry(f["geometry"])
			if !ok {
				continue
			}
			c.feature(i, g.bound(), func() string { return c.jsonID(f) })
			f["geometry"] = g.convert(c).append(nil)
			feats[i] = appendObject(nil, f)
		}
	})
	if slices.Contains(malformed, true) {
		return data, nil
	}
	for _, f := range forks {
		c.join(f)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	delete(fc, "crs") // the features are now in lon/lat
	all := []byte{'['}
	for i, f := range feats {
		if i > 0 {
			all = append(all, ',')
		}
		all = append(all, f...)
	}
	fc["features"] = append(all, ']')
	return appendObject(nil, fc), nil
}

// appendObject appends the JSON object of members m, in the order of
// their names, as json.Marshal writes a map, but the values as they are.
func appendObject(dst []byte, m map[string]json.RawMessage) []byte {
	dst = append(dst, '{')
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			dst = append(dst, ',')
		}
		name, _ := json.Marshal(k)
		dst = append(append(append(dst, name...), ':'), m[k]...)
	}
	return append(dst, '}')
}

// A jsonGeometry is a GeoJSON geometry with its coordinates read as nested
// arrays of numbers.
type jsonGeometry struct {
	Type        string          `json:"type"`
	Coordinates any             `json:"coordinates,omitempty"`
	Geometries  []*jsonGeometry `json:"geometries,omitempty"`
}

func decodeGeometry(raw json.RawMessage) (*jsonGeometry, bool) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, false
	}
	var g jsonGeometry
	if err := json.Unmarshal(raw, &g); err != nil || !positionsOK(g.Coordinates) {
		return nil, false
	}
	for _, m := range g.Geometries {
		if m == nil || !positionsOK(m.Coordinates) {
			return nil, false
		}
	}
	return &g, true
}

// positionsOK reports whether v is nested arrays whose innermost hold
// numbers only.
func positionsOK(v any) bool {
	switch v := v.(type) {
	case nil, float64:
		return true
	case []any:
		for _, e := range v {
			if !positionsOK(e) {
				return false
			}
		}
		return true
	}
	return false
}

// bound is the bound of every position of g.
func (g *jsonGeometry) bound() orb.Geometry {
	var ps orb.MultiPoint
	var walk func(v any)
	walk = func(v any) {
		a, ok := v.([]any)
		if !ok {
			return
		}
		if p, ok := position(a); ok {
			ps = append(ps, p)
			return
		}
		for _, e := range a {
			walk(e)
		}
	}
	walk(g.Coordinates)
	for _, m := range g.Geometries {
		walk(m.Coordinates)
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// asArray returns v as an array, nil if it is not one.
func asArray(v any) []any {
	a, _ := v.([]any)
	return a
}

// position reads a position: an array of two or more numbers.
func position(a []any) (orb.Point, bool) {
	if len(a) < 2 {
		return orb.Point{}, false
	}
	x, okx := a[0].(float64)
	y, oky := a[1].(float64)
	return orb.Point{x, y}, okx && oky
}

// convert returns g with every position taken to lon/lat (any third
// number dropped), the long edges of its lines split as coords.line does.
func (g *jsonGeometry) convert(c *coords) *jsonGeometry {
	// depth is how deep the arrays of positions of a line are.
	depth := map[string]int{"LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}[g.Type]
	var walk func(v any, level int) any
	walk = func(v any, level int) any {
		a, ok := v.([]any)
		if !ok {
			return v
		}
		if p, ok := position(a); ok {
			q := c.point(p)
			return []any{q[0], q[1]}
		}
		if level == depth && depth > 0 {
			ps := make([]orb.Point, 0, len(a))
			for _, e := range a {
				p, ok := position(asArray(e))
				if !ok {
					return walkAll(a, level, walk)
				}
				ps = append(ps, p)
			}
			out := make([]any, 0, len(ps))
			for _, q := range c.line(ps) {
				out = append(out, []any{q[0], q[1]})
			}
			return out
		}
		return walkAll(a, level, walk)
	}
	out := &jsonGeometry{Type: g.Type, Coordinates: walk(g.Coordinates, 1)}
	for _, m := range g.Geometries {
		out.Geometries = append(out.Geometries, m.convert(c))
	}
	return out
}

// append appends g as JSON, as json.Marshal writes it.
func (g *jsonGeometry) append(dst []byte) []byte {
	name, _ := json.Marshal(g.Type)
	dst = append(append(dst, `{"type":`...), name...)
	if g.Coordinates != nil {
		dst = appendCoordinates(append(dst, `,"coordinates":`...), g.Coordinates)
	}
	if len(g.Geometries) > 0 {
		dst = append(dst, `,"geometries":[`...)
		for i, m := range g.Geometries {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = m.append(dst)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

// appendCoordinates appends v, nested arrays of numbers, as JSON.
func appendCoordinates(dst []byte, v any) []byte {
	switch v := v.(type) {
	case float64:
		return appendCoord(dst, v)
	case []any:
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendCoordinates(dst, e)
		}
		return append(dst, ']')
	}
	return append(dst, "null"...)
}

// walkAll applies walk to every element of a, one level down.
func walkAll(a []any, level int, walk func(any, int) any) []any {
	out := make([]any, len(a))
	for i, e := range a {
		out[i] = walk(e, level+1)
	}
	return out
}

// jsonID returns the id of GeoJSON feature f: the first of c.idFields its
// properties have, else its own id, as text; "" if none.
func (c *coords) jsonID(f map[string]json.RawMessage) string {
	var ps map[string]json.RawMessage
	json.Unmarshal(f["properties"], &ps) // a feature without properties has no id there
	raws := []json.RawMessage{}
	for _, name := range c.idFields {
		if raw, ok := ps[name]; ok && name != "" {
			raws = append(raws, raw)
		}
	}
	for _, raw := range append(raws, f["id"]) {
		var v any
		if json.Unmarshal(raw, &v) != nil {
			continue
		}
		switch v := v.(type) {
		case string:
			return v
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return ""
}
