package format

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gridplan/geo"
	"gridplan/geo/crs"
	"gridplan/geo/feature"
	"gridplan/geo/internal/parallel"

	"github.com/paulmach/orb"
)

// A coords takes a layer's coordinates to longitude/latitude: it checks
// that each feature's coordinates belong to the layer's system, converts
// them, and, if asked, records each converted vertex with the coordinates
// it came from, so that outputs can give the layer's own vertices back bit
// for bit.
type coords struct {
	file     string
	toLonLat func(orb.Point) orb.Point // nil: the layer is in lon/lat
	check    func(orb.Bound) error     // nil: no check
	exact    map[orb.Point]orb.Point   // lon/lat → as given; nil: not kept
	bad      []*geo.FeatureError       // features whose coordinates contradict the system
	// bend, if not nil, is raised to the most an edge of the layer, straight
	// in its own coordinates, bends away from the straight line between its
	// converted ends (metres, at the middle of each piece), once split;
	// edgeBend to the most before (at a quarter, the middle and three
	// quarters of the edge). Neither is measured where whole is set.
	bend, edgeBend *float64
	// idFields name the properties that hold a feature's id
	// (ReadOptions.IDFields).
	idFields [2]string
	// stated is the system the file states where --crs overrides it.
	stated *crs.System
	// whole keeps edges whole (ReadOptions.WholeEdges).
	whole bool
	// denseM is the length from which an edge may bend (denseEdgeFor),
	// times the cosine of its latitude where denseByLat.
	denseM     float64
	denseByLat bool
}

// Edges of a layer in another system bend when their ends are converted
// to longitude/latitude, where the plan is made (an edge straight in
// Gauss–Krüger metres strays 4.6 mm from the straight line between its
// converted ends over 500 m, 1.9 m over 10 km). An edge longer than
// denseEdgeM that would stray more than maxBendM is split into pieces
// that stray less, at points of the straight edge (recorded in exact, so
// that they are written back on it). BD-09's offset turns about a point
// 38 m to and fro over 13 km, and an east–west edge bends about
// 1.1e-6·L²/cos²(latitude) m: 0.5 mm from 20 m at 22°N, from 13 m at
// 53°N. Its edges are measured from bd09DenseEdgeM·cos(latitude).
const (
	denseEdgeM     = 50
	bd09DenseEdgeM = 18
	maxBendM       = 0.5e-3
)

// denseEdgeFor is the length, at the equator, from which an edge of a
// layer in system s may bend more than maxBendM; byLat says it shrinks
// with the cosine of the latitude.
func denseEdgeFor(s crs.System) (m float64, byLat bool) {
	if s == crs.BD09 {
		return bd09DenseEdgeM, true
	}
	return denseEdgeM, false
}

// metresPerDegree is the length of a degree of latitude, to 0.5 %.
const metresPerDegree = 111320

// fork returns a copy of c for a worker converting some of the features
// of its layer: it records exact vertices, bends and refused features of
// its own, which join adds to c's.
func (c *coords) fork() *coords {
	f := *c
	f.bad = nil
	if c.exact != nil {
		f.exact = map[orb.Point]orb.Point{}
	}
	if c.bend != nil {
		f.bend, f.edgeBend = new(float64), new(float64)
	}
	return &f
}

// join adds what fork f recorded to c; forks joined in the order of their
// features leave c as converting those features in order would.
func (c *coords) join(f *coords) {
	maps.Copy(c.exact, f.exact)
	if c.bend != nil {
		*c.bend, *c.edgeBend = max(*c.bend, *f.bend), max(*c.edgeBend, *f.edgeBend)
	}
	c.bad = append(c.bad, f.bad...)
}

// points converts positions that are not a line.
func (c *coords) points(ps []orb.Point) []orb.Point {
	if c.toLonLat == nil {
		return ps // in lon/lat already: no copy
	}
	out := make([]orb.Point, len(ps))
	for i, p := range ps {
		out[i] = c.point(p)
	}
	return out
}

// line converts the vertices of a line, splitting the long edges that
// would bend (see maxBendM), and raises c.bend to the most a piece bends.
func (c *coords) line(ps []orb.Point) []orb.Point {
	if c.toLonLat == nil {
		return ps
	}
	if c.whole {
		return c.points(ps)
	}
	out := make([]orb.Point, 0, len(ps))
	var prev orb.Point
	for i, p := range ps {
		q := c.point(p)
		if i > 0 {
			out = c.split(out, ps[i-1], p, prev, q)
		}
		out = append(out, q)
		prev = q
	}
	return out
}

// split appends the points that divide the edge p0–p1 (converted: q0–q1)
// into pieces that bend less than maxBendM, if it is long enough to bend.
// An edge does not bend as a parabola (BD-09's offset bends a 555 m edge
// 11 mm a quarter of the way along, 8 mm at its middle): the bend is
// sampled at three points to choose the pieces, and each piece's own
// bend measured, the pieces doubled while one bends more. Two layers that
// follow one line, split at different points, then meet to maxBendM.
func (c *coords) split(out []orb.Point, p0, p1, q0, q1 orb.Point) []orb.Point {
	cos := math.Cos(q0[1] * math.Pi / 180)
	dense := c.denseM
	if c.denseByLat {
		dense *= cos
	}
	if math.Hypot((q1[0]-q0[0])*cos, q1[1]-q0[1])*metresPerDegree < dense {
		return out
	}
	// The edge is split as it runs from its lesser end, so that two
	// layers, or two rings, that have it either way round get the same
	// points to the bit: a border two communities share meets itself.
	rev := p1[0] < p0[0] || p1[0] == p0[0] && p1[1] < p0[1]
	if rev {
		p0, p1, q0, q1 = p1, p0, q1, q0
	}
	bend := max(c.bendAt(p0, p1, q0, q1, 0.25), c.bendAt(p0, p1, q0, q1, 0.5), c.bendAt(p0, p1, q0, q1, 0.75))
	worst := bend
	if bend > maxBendM {
		n := min(int(math.Ceil(math.Sqrt(bend/maxBendM))), maxPieces)
		var ps, qs []orb.Point
		for {
			ps, qs = ps[:0], qs[:0]
			for k := range n + 1 {
				t := float64(k) / float64(n)
				p := orb.Point{p0[0] + t*(p1[0]-p0[0]), p0[1] + t*(p1[1]-p0[1])}
				q := q0
				switch k {
				case n:
					p, q = p1, q1
				case 0:
					p = p0
				default:
					q = c.toLonLat(p)
				}
				ps, qs = append(ps, p), append(qs, q)
			}
			worst = 0
			for k := range n {
				worst = max(worst, c.bendAt(ps[k], ps[k+1], qs[k], qs[k+1], 0.5))
			}
			if worst <= maxBendM || n == maxPieces {
				break
			}
			n = min(2*n, maxPieces)
		}
		for j := 1; j < n; j++ {
			k := j
			if rev {
				k = n - j
			}
			if c.exact != nil {
				c.exact[qs[k]] = ps[k]
			}
			out = append(out, qs[k])
		}
	}
	if c.bend != nil {
		*c.bend = max(*c.bend, worst)
		*c.edgeBend = max(*c.edgeBend, bend)
	}
	return out
}

// maxPieces bounds the pieces of one edge (a 100 km edge needs about 600).
const maxPieces = 4096

// bendAt is how far, in metres, the point at t of the edge p0–p1 (converted:
// q0–q1) lies from the straight line between q0 and q1, at that fraction.
func (c *coords) bendAt(p0, p1, q0, q1 orb.Point, t float64) float64 {
	m := c.toLonLat(orb.Point{p0[0] + t*(p1[0]-p0[0]), p0[1] + t*(p1[1]-p0[1])})
	mx, my := q0[0]+t*(q1[0]-q0[0]), q0[1]+t*(q1[1]-q0[1])
	return math.Hypot((m[0]-mx)*metresPerDegree*math.Cos(my*math.Pi/180), (m[1]-my)*metresPerDegree)
}

// point converts one vertex.
func (c *coords) point(p orb.Point) orb.Point {
	if c.toLonLat == nil {
		return p
	}
	q := c.toLonLat(p)
	if c.exact != nil {
		c.exact[q] = p
	}
	return q
}

// feature checks feature i's geometry against the system, and reports
// whether it is in it; id gives the feature's id, for the error.
func (c *coords) feature(i int, g orb.Geometry, id func() string) bool {
	if c.check == nil || g == nil {
		return true
	}
	if err := c.check(g.Bound()); err != nil {
		if c.stated != nil && c.stated.Check(g.Bound()) == nil {
			err = fmt.Errorf("%w; they fit %s, which the file states: --crs applies to every input layer unless it names the file (--crs FILE=SYSTEM)", err, c.stated)
		}
		c.bad = append(c.bad, &geo.FeatureError{File: c.file, Index: i, ID: id(), Err: fmt.Errorf("%w: %w", ErrWrongSystem, err)})
		return false
	}
	return true
}

// featureID returns the id of feature f: the first of c.idFields its
// properties have, else its own id, as text; "" if none.
func (c *coords) featureID(f feature.Feature) string {
	for _, name := range c.idFields {
		for _, p := range f.Properties {
			if name == "" || p.Name != name {
				continue
			}
			if id := idText(p.Value); id != "" {
				return id
			}
		}
	}
	return idText(f.ID)
}

// idText is an id value as text; "" for none.
func idText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// err is the error of a layer some of whose features contradict its
// system, naming them all; nil if none does.
func (c *coords) err() error {
	if len(c.bad) == 0 {
		return nil
	}
	return &geo.LayerError{File: c.file, Features: c.bad}
}

// ErrWrongSystem is wrapped by the error of a layer whose coordinates
// contradict its coordinate system.
var ErrWrongSystem = errors.New("coordinates contradict the layer's coordinate system")

// A featureStream is a GeoJSON FeatureCollection in longitude/latitude,
// encoded from the features of a layer as it is read: the form the loaders
// of package geo read every layer in. Feature i of the collection is
// feature i of the layer, so errors name the same index.
type featureStream struct {
	r      feature.Reader
	c      *coords
	buf    []byte
	off    int
	n      int  // features encoded
	begun  bool // the header is written
	closed bool // the collection is closed
	err    error
	// bad are the records the reader could not read, each named; the
	// reading goes on past them while the reader can, so that all are
	// named at the end, not only the first.
	bad     []*geo.FeatureError
	lastBad string
	// fidColumn is the name of the layer's feature id column (a
	// GeoPackage's primary key) when an id field names it: the features'
	// ids are then given as that property too, as GDAL's SQL and
	// attribute filters take the column's name.
	fidColumn string
	// read, if not nil, is told of each record read: the index of its
	// feature and its properties (what can be read of them, if it cannot
	// be used).
	read func(i int, ps []feature.Property)
	// batch holds the features read and not yet encoded; wrote counts
	// those encoded.
	batch []feature.Feature
	wrote int
}

// allBad returns the features that cannot be used, in file order: those
// the reader could not read and those whose coordinates contradict the
// layer's system.
func (s *featureStream) allBad() []*geo.FeatureError {
	bad := append(slices.Clone(s.bad), s.c.bad...)
	slices.SortStableFunc(bad, func(a, b *geo.FeatureError) int { return a.Index - b.Index })
	return bad
}

// maxBadRecords is how many unreadable records are named before the
// reading stops.
const maxBadRecords = 100000

// chunkBytes is about how much of the collection is encoded at a time.
const chunkBytes = 64 << 10

func newFeatureStream(r feature.Reader, c *coords) *featureStream {
	s := &featureStream{r: r, c: c}
	if k, ok := r.(interface{ FIDColumn() string }); ok {
		if name := k.FIDColumn(); name != "" && (name == c.idFields[0] || name == c.idFields[1]) {
			s.fidColumn = name
		}
	}
	return s
}

func (s *featureStream) Read(p []byte) (int, error) {
	for s.off == len(s.buf) {
		if s.err != nil {
			return 0, s.err
		}
		if s.closed {
			return 0, io.EOF
		}
		s.fill()
	}
	n := copy(p, s.buf[s.off:])
	s.off += n
	return n, nil
}

func (s *featureStream) Close() error { return s.r.Close() }

// fill encodes the next chunk of the collection: the features of about
// chunkBytes of it are read in order, then converted and encoded in
// parallel, each worker with its own share of s.c's state, joined in
// order (the result is the same as one worker's).
func (s *featureStream) fill() {
	s.buf, s.off = s.buf[:0], 0
	if !s.begun {
		s.buf = append(s.buf, `{"type":"FeatureCollection","features":[`...)
		s.begun = true
	}
	defer s.encode()
	for vertices := 0; vertices*24 < chunkBytes; {
		f, err := s.r.Next()
		if s.read != nil && err != io.EOF {
			s.read(s.n, f.Properties)
		}
		if err == io.EOF {
			s.encode()
			if bad := s.allBad(); len(bad) > 0 {
				s.err = &geo.LayerError{File: s.c.file, Features: bad}
				return
			}
			s.buf = append(s.buf, "\n]}\n"...)
			s.closed = true
			return
		}
		if err != nil {
			// A reader that cannot go on returns the same error again.
			if msg := err.Error(); msg != s.lastBad && len(s.bad) < maxBadRecords {
				s.lastBad = msg
				path, _ := SplitLayer(s.c.file)
				s.bad = append(s.bad, &geo.FeatureError{File: s.c.file, Index: s.n, ID: s.c.featureID(f), Err: trimmed{err, path + ": "}})
				s.n++
				continue
			}
			if bad := s.allBad(); len(bad) > 0 {
				s.err = &geo.LayerError{File: s.c.file, Features: bad}
			} else {
				s.err = readError(s.c.file, err)
			}
			return
		}
		if !s.c.feature(s.n, f.Geometry, func() string { return s.c.featureID(f) }) {
			// Not in the system: the layer fails once read, naming it.
			// Its coordinates are not converted (eastings read as
			// degrees would split each edge into thousands of points).
			f.Geometry = nil
		}
		s.batch = append(s.batch, f)
		s.n++
		vertices += 4 + len(f.Properties) + numPoints(f.Geometry)
	}
}

// encode appends the features of s.batch to s.buf, converted, and empties
// the batch.
func (s *featureStream) encode() {
	if len(s.batch) == 0 {
		return
	}
	out := make([][]byte, len(s.batch))
	workers := parallel.Workers(len(s.batch), 64)
	forks := make([]*coords, workers)
	parallel.Split(workers, len(s.batch), func(w, lo, hi int) {
		e := &featureStream{c: s.c.fork(), fidColumn: s.fidColumn}
		forks[w] = e.c
		for i := lo; i < hi; i++ {
			out[i] = e.appendFeature(nil, s.batch[i])
		}
	})
	for _, f := range forks {
		s.c.join(f)
	}
	for _, b := range out {
		if s.wrote > 0 {
			s.buf = append(s.buf, ',')
		}
		s.buf = append(append(s.buf, '\n'), b...)
		s.wrote++
	}
	clear(s.batch)
	s.batch = s.batch[:0]
}

// pointsIn is the number of positions of lines or rings ls.
func pointsIn[L ~[]orb.Point](ls []L) int {
	n := 0
	for _, l := range ls {
		n += len(l)
	}
	return n
}

// numPoints is the number of positions of g.
func numPoints(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Point:
		return 1
	case orb.MultiPoint:
		return len(g)
	case orb.LineString:
		return len(g)
	case orb.Ring:
		return len(g)
	case orb.MultiLineString:
		return pointsIn(g)
	case orb.Polygon:
		return pointsIn(g)
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += numPoints(p)
		}
		return n
	case orb.Collection:
		n := 0
		for _, m := range g {
			n += numPoints(m)
		}
		return n
	}
	return 0
}

// appendFeature appends f as a GeoJSON Feature: its ID, if it has one, as
// the feature's "id" (which the loaders take where the id property is
// absent or null, as they do a GeoJSON layer's), and also as the property
// s.fidColumn names. [feature.Unreadable] values are null properties, and
// their text is in the foreign member "unreadable" ({"name": text}), for
// the loaders to show.
func (s *featureStream) appendFeature(b []byte, f feature.Feature) []byte {
	b = append(b, `{"type":"Feature",`...)
	if f.ID != nil {
		b = append(b, `"id":`...)
		b = appendValue(b, f.ID)
		b = append(b, ',')
	}
	b = append(b, `"properties":{`...)
	n, unreadable := 0, false
	for _, p := range f.Properties {
		if n++; n > 1 {
			b = append(b, ',')
		}
		b = appendString(b, p.Name)
		b = append(b, ':')
		b = appendValue(b, p.Value)
		_, ok := p.Value.(feature.Unreadable)
		unreadable = unreadable || ok
	}
	if s.fidColumn != "" && f.ID != nil {
		if n++; n > 1 {
			b = append(b, ',')
		}
		b = appendString(b, s.fidColumn)
		b = append(b, ':')
		b = appendValue(b, f.ID)
	}
	b = append(b, '}')
	if unreadable {
		b = append(b, `,"unreadable":{`...)
		n = 0
		for _, p := range f.Properties {
			if v, ok := p.Value.(feature.Unreadable); ok {
				if n++; n > 1 {
					b = append(b, ',')
				}
				b = appendString(b, p.Name)
				b = append(b, ':')
				b = appendString(b, string(v))
			}
		}
		b = append(b, '}')
	}
	b = append(b, `,"geometry":`...)
	return append(s.appendGeometry(b, f.Geometry), '}')
}

// appendValue appends a property value as JSON; null for a
// [feature.Unreadable].
func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		return appendString(b, v)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return append(b, "null"...)
		}
		return appendFloat(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	}
	return append(b, "null"...)
}

// appendString appends s as a JSON string. Invalid UTF-8 is kept as it is,
// so that the loader names the feature that has it.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			_, size := utf8.DecodeRuneInString(s[i:])
			b = append(b, s[i:i+size]...)
			i += size
			continue
		}
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, fmt.Sprintf(`\u%04x`, c)...)
		default:
			b = append(b, c)
		}
		i++
	}
	return append(b, '"')
}

// appendGeometry appends g, converted to lon/lat, as a GeoJSON geometry
// (null for none).
func (s *featureStream) appendGeometry(b []byte, g orb.Geometry) []byte {
	switch g := g.(type) {
	case nil:
		return append(b, "null"...)
	case orb.Point:
		b = append(b, `{"type":"Point","coordinates":`...)
		b = s.appendPoint(b, g)
	case orb.MultiPoint:
		b = append(b, `{"type":"MultiPoint","coordinates":`...)
		b = s.appendPoints(b, g, false)
	case orb.LineString:
		b = append(b, `{"type":"LineString","coordinates":`...)
		b = s.appendPoints(b, g, true)
	case orb.MultiLineString:
		b = append(b, `{"type":"MultiLineString","coordinates":[`...)
		for i, l := range g {
			if i > 0 {
				b = append(b, ',')
			}
			b = s.appendPoints(b, l, true)
		}
		b = append(b, ']')
	case orb.Ring:
		return s.appendGeometry(b, orb.Polygon{g})
	case orb.Polygon:
		b = append(b, `{"type":"Polygon","coordinates":`...)
		b = s.appendPolygon(b, g)
	case orb.MultiPolygon:
		b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
		for i, p := range g {
			if i > 0 {
				b = append(b, ',')
			}
			b = s.appendPolygon(b, p)
		}
		b = append(b, ']')
	case orb.Collection:
		b = append(b, `{"type":"GeometryCollection","geometries":[`...)
		for i, m := range g {
			if i > 0 {
				b = append(b, ',')
			}
			b = s.appendGeometry(b, m)
		}
		b = append(b, ']')
	default:
		return append(b, "null"...)
	}
	return append(b, '}')
}

func (s *featureStream) appendPolygon(b []byte, p orb.Polygon) []byte {
	b = append(b, '[')
	for i, r := range p {
		if i > 0 {
			b = append(b, ',')
		}
		b = s.appendPoints(b, r, true)
	}
	return append(b, ']')
}

// appendPoints appends positions converted; those of a line (a ring, a
// line string) with the points coords.line adds on its long edges.
func (s *featureStream) appendPoints(b []byte, ps []orb.Point, line bool) []byte {
	b = append(b, '[')
	if line {
		ps = s.c.line(ps)
	} else {
		ps = s.c.points(ps)
	}
	for i, q := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendPosition(b, q)
	}
	return append(b, ']')
}

// appendPoint appends a position with the shortest representation that
// reads back as the same float64. A coordinate that is not finite is
// written as null, which the loader refuses as a bad position.
func (s *featureStream) appendPoint(b []byte, p orb.Point) []byte {
	return appendPosition(b, s.c.point(p))
}

// appendPosition appends a position already converted.
func appendPosition(b []byte, q orb.Point) []byte {
	b = append(b, '[')
	b = appendCoord(b, q[0])
	b = append(b, ',')
	b = appendCoord(b, q[1])
	return append(b, ']')
}

func appendCoord(b []byte, x float64) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return append(b, "null"...)
	}
	return appendFloat(b, x)
}

// appendFloat appends a finite x as encoding/json writes it: the shortest
// representation that reads back the same, in exponent form only for very
// small and very large magnitudes (so metres read 39512345.25).
func appendFloat(b []byte, x float64) []byte {
	if a := math.Abs(x); a != 0 && (a < 1e-6 || a >= 1e21) {
		return strconv.AppendFloat(b, x, 'e', -1, 64)
	}
	return strconv.AppendFloat(b, x, 'f', -1, 64)
}

// EncodeGeoJSON encodes a layer as base.geojson: a FeatureCollection with
// the crs member of o.System ([GeoJSONCRS]), one feature per line, the
// properties in field order.
func EncodeGeoJSON(base string, fields []feature.Field, fs []feature.Feature, o WriteOptions) ([]File, error) {
	if err := CheckExtent(base+".geojson", Extent(fs), o.System); err != nil {
		return nil, err
	}
	s := &featureStream{c: &coords{}}
	b := []byte(`{"type":"FeatureCollection",` + GeoJSONCRS(o.System) + `"features":[`)
	for i, f := range fs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		b = s.appendFeature(b, f)
	}
	return []File{{base + ".geojson", append(b, "\n]}\n"...)}}, nil
}

// readError is the error of a reader of the layer named file, as a
// *geo.FileError of that name, without the path the reader put first
// when it is the layer's own (buildings.shp: record 3: …, not
// buildings.shp: /data/buildings.shp: record 3: …).
func readError(file string, err error) error {
	path, _ := SplitLayer(file)
	return &geo.FileError{File: file, Err: trimmed{err, path + ": "}}
}

// A trimmed error reads as err without a prefix; it unwraps to err.
type trimmed struct {
	err    error
	prefix string
}

func (t trimmed) Error() string { return strings.TrimPrefix(t.err.Error(), t.prefix) }
func (t trimmed) Unwrap() error { return t.err }
