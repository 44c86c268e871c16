package synth

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// File names written by [City.Write].
const (
	BuildingsFile   = "buildings.geojson"
	CommunitiesFile = "communities.geojson"
)

// Write writes buildings.geojson and communities.geojson into dir, which must
// exist. The bytes depend only on the city: one feature per line, the id
// property first and the others in sorted order, coordinates rounded to 7
// decimals. Each file is written to a temporary file in dir that is synced,
// closed and renamed into place, so a failed Write leaves no partial file.
func (c *City) Write(dir string) error {
	if err := writeFile(dir, BuildingsFile, c.Buildings); err != nil {
		return err
	}
	return writeFile(dir, CommunitiesFile, c.Communities)
}

func writeFile(dir, name string, fc *geojson.FeatureCollection) (err error) {
	tmp, err := os.CreateTemp(dir, "."+name+".tmp*")
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w := bufio.NewWriterSize(tmp, 1<<16)
	if err = encode(w, fc); err != nil {
		return fmt.Errorf("synth: %s: %w", name, err)
	}
	if err = w.Flush(); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	if err = tmp.Chmod(0o644); err != nil { // CreateTemp makes 0600; the city is for sharing
		return fmt.Errorf("synth: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	if err = tmp.Close(); err != nil { // close before rename, as Windows wants
		return fmt.Errorf("synth: %w", err)
	}
	if err = os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}

// encode writes fc as GeoJSON, one feature per line.
func encode(w *bufio.Writer, fc *geojson.FeatureCollection) error {
	w.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	var buf []byte
	var keys []string
	for i, f := range fc.Features {
		buf = buf[:0]
		buf = append(buf, `{"type":"Feature","properties":{`...)
		keys = keys[:0]
		for k := range f.Properties {
			if k != "id" {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		if _, ok := f.Properties["id"]; ok {
			keys = append([]string{"id"}, keys...)
		}
		var err error
		for j, k := range keys {
			if j > 0 {
				buf = append(buf, ',')
			}
			buf = appendString(buf, k)
			buf = append(buf, ':')
			if buf, err = appendValue(buf, f.Properties[k]); err != nil {
				return fmt.Errorf("feature %d: property %s: %w", i, k, err)
			}
		}
		buf = append(buf, `},"geometry":`...)
		if buf, err = appendGeometry(buf, f.Geometry); err != nil {
			return fmt.Errorf("feature %d: %w", i, err)
		}
		buf = append(buf, '}')
		if i < len(fc.Features)-1 {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	_, err := w.WriteString("]}\n")
	return err
}

// appendString appends s as a JSON string; plain ASCII takes a fast path.
func appendString(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, _ := json.Marshal(s) // strings always marshal
			return append(buf, b...)
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"')
}

func appendValue(buf []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case string:
		return appendString(buf, v), nil
	case int:
		return strconv.AppendInt(buf, int64(v), 10), nil
	case int64:
		return strconv.AppendInt(buf, v, 10), nil
	case bool:
		return strconv.AppendBool(buf, v), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return buf, errors.New("not a finite number")
		}
		return strconv.AppendFloat(buf, v, 'g', -1, 64), nil
	}
	b, err := json.Marshal(v)
	return append(buf, b...), err
}

func appendCoord(buf []byte, p orb.Point) ([]byte, error) {
	x, y := round7(p[0]), round7(p[1])
	if math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0) {
		return buf, errors.New("coordinate not finite")
	}
	buf = append(buf, '[')
	buf = strconv.AppendFloat(buf, x, 'f', -1, 64)
	buf = append(buf, ',')
	buf = strconv.AppendFloat(buf, y, 'f', -1, 64)
	return append(buf, ']'), nil
}

func appendPoints(buf []byte, ps []orb.Point) ([]byte, error) {
	buf = append(buf, '[')
	for i, p := range ps {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendCoord(buf, p); err != nil {
			return buf, err
		}
	}
	return append(buf, ']'), nil
}

func appendRings(buf []byte, rs []orb.Ring) ([]byte, error) {
	buf = append(buf, '[')
	for i, r := range rs {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendPoints(buf, r); err != nil {
			return buf, err
		}
	}
	return append(buf, ']'), nil
}

// appendGeometry appends g as a GeoJSON geometry object.
func appendGeometry(buf []byte, g orb.Geometry) ([]byte, error) {
	var err error
	switch g := g.(type) {
	case orb.Point:
		buf = append(buf, `{"type":"Point","coordinates":`...)
		buf, err = appendCoord(buf, g)
	case orb.MultiPoint:
		buf = append(buf, `{"type":"MultiPoint","coordinates":`...)
		buf, err = appendPoints(buf, g)
	case orb.LineString:
		buf = append(buf, `{"type":"LineString","coordinates":`...)
		buf, err = appendPoints(buf, g)
	case orb.Polygon:
		buf = append(buf, `{"type":"Polygon","coordinates":`...)
		buf, err = appendRings(buf, g)
	case orb.MultiPolygon:
		buf = append(buf, `{"type":"MultiPolygon","coordinates":[`...)
		for i, p := range g {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendRings(buf, p); err != nil {
				break
			}
		}
		buf = append(buf, ']')
	case nil:
		return append(buf, "null"...), nil
	default:
		return buf, fmt.Errorf("unsupported geometry %T", g)
	}
	return append(buf, '}'), err
}
