package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// A small JSON scanner for the shapes GeoJSON layers have. encoding/json
// validates every value before decoding it and decodes coordinates by
// reflection, which made loading a city of 60,000 footprints take over a
// second; this scanner reads each byte about once and parses coordinates
// straight into points. It accepts exactly RFC 8259 JSON (no comments, no
// trailing commas, no NaN) and, like encoding/json, lets the last of
// duplicate object keys win.

// errSyntax marks input that is not JSON.
var errSyntax = errors.New("invalid JSON")

// maxJSONDepth bounds nesting, so that hostile input cannot exhaust the
// stack. GeoJSON needs 7 levels (collection, features, feature, geometry,
// coordinates of a MultiPolygon: 4); property values may nest a little more.
const maxJSONDepth = 512

type jscan struct {
	data  []byte
	i     int
	depth int
	// off is the position in the input of data[0]: 0 unless src streams
	// the input through data, dropping what has been scanned.
	off int
	// src, if not nil, reads the input into data as the scanner needs
	// it (see stream). A streaming scanner returns slices of data that
	// are valid only until it reads on, and only where pinned.
	src *stream
}

// pos is the position of the scanner in the input.
func (s *jscan) pos() int { return s.off + s.i }

// since returns the input from position start to the scanner, or nil if
// a streaming scanner has dropped it.
func (s *jscan) since(start int) []byte {
	if start < s.off {
		return nil
	}
	return s.data[start-s.off : s.i]
}

// avail reports whether n bytes are left at the scanner, reading them
// if it streams.
func (s *jscan) avail(n int) bool {
	for len(s.data)-s.i < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

func (s *jscan) syntax(what string) error {
	if s.i >= len(s.data) && !s.fill() {
		return fmt.Errorf("%w: unexpected end of input (%s)", errSyntax, what)
	}
	return fmt.Errorf("%w: unexpected %q at byte %d (%s)", errSyntax, s.data[s.i], s.pos(), what)
}

func (s *jscan) ws() {
	for {
		for s.i < len(s.data) && isSpace[s.data[s.i]] {
			s.i++
		}
		if s.i < len(s.data) || !s.fill() {
			return
		}
	}
}

// isSpace is JSON whitespace.
var isSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// peek skips whitespace and returns the next byte, or 0 at the end.
func (s *jscan) peek() byte {
	if s.i < len(s.data) && s.data[s.i] > ' ' {
		return s.data[s.i] // the usual case
	}
	s.ws()
	return s.cur()
}

// cur returns the byte at the scanner, or 0 at the end.
func (s *jscan) cur() byte {
	if s.i < len(s.data) || s.fill() {
		return s.data[s.i]
	}
	return 0
}

// raw skips one value and returns its bytes. A streaming scanner keeps
// them only up to MaxStringBytes: it reads raw only strings and null.
func (s *jscan) raw() ([]byte, error) {
	s.ws()
	start := s.pos()
	pinned := s.pinToken(start)
	err := s.skip()
	s.unpinToken(pinned)
	if err != nil {
		return nil, err
	}
	return s.since(start), nil
}

// pinToken keeps the input of a streaming scanner from position start on
// (until unpinToken, or until more than MaxStringBytes of it have been
// scanned: a token that long is refused), and reports whether it did.
func (s *jscan) pinToken(start int) bool {
	if s.src == nil || s.src.tok >= 0 {
		return false
	}
	s.src.tok = start
	return true
}

func (s *jscan) unpinToken(pinned bool) {
	if pinned {
		s.src.tok = -1
	}
}

// skip validates and skips one value.
func (s *jscan) skip() error {
	switch c := s.peek(); {
	case c == '{':
		return s.object(func([]byte) error { return s.skip() })
	case c == '[':
		return s.array(s.skip)
	case c == '"':
		_, _, err := s.stringBytes()
		return err
	case c == '-' || (c >= '0' && c <= '9'):
		_, err := s.number()
		return err
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return s.syntax("looking for a value")
}

func (s *jscan) literal(lit string) error {
	if !s.avail(len(lit)) || string(s.data[s.i:s.i+len(lit)]) != lit {
		return s.syntax("in literal " + lit)
	}
	s.i += len(lit)
	return nil
}

// object calls member for each key, with the scanner at the member's value,
// which member must consume. From a streaming scanner, key is valid only
// until member reads on.
func (s *jscan) object(member func(key []byte) error) error {
	if s.peek() != '{' {
		return s.syntax("looking for an object")
	}
	if s.depth++; s.depth > maxJSONDepth {
		return fmt.Errorf("%w: nested deeper than %d", errSyntax, maxJSONDepth)
	}
	defer func() { s.depth-- }()
	s.i++
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.syntax("looking for an object key")
		}
		pinned := s.pinToken(s.pos())
		key, escaped, err := s.stringBytes()
		if err == nil && escaped {
			var k string
			if uerr := json.Unmarshal(key, &k); uerr != nil {
				err = fmt.Errorf("%w: %v", errSyntax, uerr)
			}
			key = []byte(k)
		} else if err == nil {
			key = key[1 : len(key)-1]
			if s.src != nil { // the buffer may move on at the colon
				s.src.key = append(s.src.key[:0], key...)
				key = s.src.key
			}
		}
		s.unpinToken(pinned)
		if err != nil {
			return err
		}
		if s.peek() != ':' {
			return s.syntax("after object key")
		}
		s.i++
		if err := member(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return s.syntax("after object member")
		}
	}
}

// array calls elem for each element, with the scanner at the element.
func (s *jscan) array(elem func() error) error {
	if s.peek() != '[' {
		return s.syntax("looking for an array")
	}
	if s.depth++; s.depth > maxJSONDepth {
		return fmt.Errorf("%w: nested deeper than %d", errSyntax, maxJSONDepth)
	}
	defer func() { s.depth-- }()
	s.i++
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return s.syntax("after array element")
		}
	}
}

// stringBytes scans a string and returns it with its quotes, and whether
// it holds escapes (and so needs decoding). From a streaming scanner the
// string is returned only if pinned (nil otherwise).
func (s *jscan) stringBytes() (raw []byte, escaped bool, err error) {
	start := s.pos()
	s.i++ // opening quote
	for s.i < len(s.data) || s.fill() {
		d, i := s.data, s.i
		for i < len(d) && plainInString[d[i]] {
			i++
		}
		if s.i = i; i == len(d) {
			continue
		}
		switch c := d[i]; {
		case c == '"':
			s.i++
			if n := s.pos() - start; n > limits.str {
				return nil, false, fmt.Errorf("%w: a string of %s at byte %d, beyond the %s gridplan reads in one string (geo.MaxStringBytes)",
					ErrTooLarge, mib(int64(n)), start, mib(int64(limits.str)))
			}
			return s.since(start), escaped, nil
		case c == '\\':
			escaped = true
			s.i++
			if !s.avail(1) {
				return nil, false, s.syntax("in string escape")
			}
			switch s.data[s.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i++
			case 'u':
				if !s.avail(5) {
					return nil, false, s.syntax("in \\u escape")
				}
				for _, h := range s.data[s.i+1 : s.i+5] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return nil, false, s.syntax("in \\u escape")
					}
				}
				s.i += 5
			default:
				return nil, false, s.syntax("in string escape")
			}
		default: // c < 0x20
			return nil, false, s.syntax("control character in string")
		}
	}
	return nil, false, s.syntax("in string")
}

// plainInString is the bytes that stand for themselves in a string: all
// but the quote, the backslash and control characters.
var plainInString = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\'
	}
	return t
}()

// number scans a number per the RFC 8259 grammar and returns its text
// (from a streaming scanner, nil if it was dropped on the way).
func (s *jscan) number() ([]byte, error) {
	start := s.pos()
	c := s.cur()
	if c == '-' {
		s.i++
		c = s.cur()
	}
	switch {
	case c == '0':
		s.i++
	case s.digits() == 0:
		return nil, s.syntax("in number")
	}
	if c = s.cur(); c == '.' {
		s.i++
		if s.digits() == 0 {
			return nil, s.syntax("in number fraction")
		}
		c = s.cur()
	}
	if c == 'e' || c == 'E' {
		s.i++
		if c = s.cur(); c == '+' || c == '-' {
			s.i++
		}
		if s.digits() == 0 {
			return nil, s.syntax("in number exponent")
		}
	}
	return s.since(start), nil
}

// digits scans decimal digits and returns how many.
func (s *jscan) digits() int {
	n := 0
	for {
		d, i := s.data, s.i
		for i < len(d) && d[i]-'0' < 10 {
			i++
		}
		n += i - s.i
		s.i = i
		if i < len(d) || !s.fill() {
			return n
		}
	}
}

// end checks that only whitespace follows.
func (s *jscan) end() error {
	if s.ws(); s.i < len(s.data) {
		return s.syntax("after the top-level value")
	}
	return nil
}

// scanCollection is the first decoding stage of an input in memory: it
// checks that data is one JSON object and returns its "type" (nil if
// absent or not a string) and the raw elements of its "features" array.
// notFC is set when data is JSON but the features member is not an array.
func scanCollection(data []byte) (typ *string, feats []json.RawMessage, notFC string, err error) {
	s := &jscan{data: data}
	typ, _, notFC, err = s.collection(func(raw []byte) error {
		feats = append(feats, raw)
		return nil
	}, func() { feats = feats[:0] })
	if err != nil {
		return nil, nil, "", err
	}
	return typ, feats, notFC, nil
}

// collection is the first decoding stage: it checks that the input is one
// JSON object, calls feature with each element of its "features" array in
// turn (raw, valid only during the call) and returns the object's "type"
// (nil if absent or not a string) and the number of features. reset is
// called at each "features" member: the last one counts, as encoding/json
// would have it. notFC is set when the input is JSON but the features
// member is not an array.
func (s *jscan) collection(feature func(raw []byte) error, reset func()) (typ *string, n int, notFC string, err error) {
	if s.peek() != '{' {
		if err := s.skip(); err != nil {
			return nil, 0, "", err
		}
		if err := s.end(); err != nil {
			return nil, 0, "", err
		}
		return nil, 0, "the top-level value is not an object", nil
	}
	err = s.object(func(key []byte) error {
		switch string(key) {
		case "type":
			if c := s.peek(); c != '"' && c != 'n' {
				typ = nil // not a string: what json.Unmarshal would refuse
				return s.skip()
			}
			raw, err := s.raw()
			if err != nil {
				return err
			}
			var t string
			if json.Unmarshal(raw, &t) == nil {
				typ = &t
			} else {
				typ = nil
			}
			return nil
		case "features":
			n = 0
			reset()
			if c := s.peek(); c != '[' {
				err := s.skip()
				if err == nil && c != 'n' { // null is no features
					notFC = "features is not an array"
				}
				return err
			}
			notFC = ""
			return s.array(func() error {
				s.ws()
				start := s.pos()
				if s.src != nil {
					s.src.feature = start
				}
				err := s.skip()
				if s.src != nil {
					s.src.feature = -1
				}
				if err != nil {
					return err
				}
				if size := s.pos() - start; size > limits.feature {
					return fmt.Errorf("%w: feature %d is %s, beyond the %s gridplan reads in one feature (geo.MaxFeatureBytes)",
						ErrTooLarge, n, mib(int64(size)), mib(int64(limits.feature)))
				}
				n++
				return feature(s.since(start))
			})
		}
		return s.skip()
	})
	if err != nil {
		return nil, 0, "", err
	}
	if err := s.end(); err != nil {
		return nil, 0, "", err
	}
	return typ, n, notFC, nil
}

// scanFeature is the second decoding stage: one feature's members, with
// geometry and property values left raw.
func scanFeature(raw []byte) (rawFeature, error) {
	var rf rawFeature
	var typ []byte
	s := &jscan{data: raw}
	if s.peek() != '{' {
		return rf, fmt.Errorf("%w: %s is not an object", ErrBadFeature, abbreviate(raw))
	}
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "type":
			typ, err = s.raw()
		case "id":
			rf.ID, err = s.raw()
		case "geometry":
			rf.Geometry, err = s.raw()
		case "properties":
			if s.peek() != '{' {
				v, err := s.raw()
				if err == nil && string(v) != "null" {
					err = fmt.Errorf("%w: properties is %s, not an object", ErrBadFeature, abbreviate(v))
				}
				return err
			}
			rf.Properties = make(props, 0, 8)
			err = s.object(func(k []byte) error {
				v, err := s.raw()
				rf.Properties = append(rf.Properties, prop{k, v})
				return err
			})
		case "unreadable":
			// The text of values a Shapefile's .dbf holds in numeric
			// fields that are not numbers (null properties), as the
			// layer reader gives them.
			if s.peek() != '{' {
				return s.skip()
			}
			err = s.object(func(k []byte) error {
				v, err := s.raw()
				rf.Unreadable = append(rf.Unreadable, prop{k, v})
				return err
			})
		default:
			err = s.skip()
		}
		return err
	})
	if err != nil {
		return rf, fmt.Errorf("%w: %v", ErrBadFeature, err)
	}
	if string(typ) != `"Feature"` {
		if typ == nil {
			typ = []byte("missing")
		}
		return rf, fmt.Errorf("%w: type is %s, want \"Feature\"", ErrBadFeature, abbreviate(typ))
	}
	return rf, nil
}

// props are a feature's properties as they come, each value raw. A
// feature has a few: a list looked up from the end (the last of a
// repeated name wins, as in encoding/json) costs less than a map of
// strings made for every feature.
type props []prop

type prop struct {
	name []byte
	raw  json.RawMessage
}

// get returns the value of property name, and whether it is present.
func (ps props) get(name string) (json.RawMessage, bool) {
	for i := len(ps) - 1; i >= 0; i-- {
		if string(ps[i].name) == name {
			return ps[i].raw, true
		}
	}
	return nil, false
}

// scanGeometry returns a geometry object's type and raw coordinates.
func scanGeometry(raw []byte) (rawGeometry, error) {
	var rg rawGeometry
	s := &jscan{data: raw}
	if s.peek() != '{' {
		return rg, fmt.Errorf("%w: %s is not an object", ErrBadGeometry, abbreviate(raw))
	}
	err := s.object(func(key []byte) error {
		switch string(key) {
		case "type":
			v, err := s.raw()
			if err != nil {
				return err
			}
			rg.Type = ""
			if v[0] == '"' {
				t, err := unquote(v)
				if err != nil {
					return err
				}
				rg.Type = t
			}
			return nil
		case "coordinates":
			v, err := s.raw()
			rg.Coordinates = v
			return err
		}
		return s.skip()
	})
	if err != nil {
		return rg, fmt.Errorf("%w: %v", ErrBadGeometry, err)
	}
	return rg, nil
}

// coordReader parses GeoJSON coordinate arrays straight into points.
type coordReader struct {
	jscan
	pts []orb.Point // where line reads a line, before it is copied out
}

func newCoordReader(raw []byte) *coordReader { return &coordReader{jscan: jscan{data: raw}} }

func (c *coordReader) notArray(what string) error {
	return fmt.Errorf("%w: %s is not an array", ErrBadGeometry, what)
}

// position reads one position and checks its range.
func (c *coordReader) position() (orb.Point, error) {
	if c.peek() != '[' {
		return orb.Point{}, c.notArray("position")
	}
	var p orb.Point
	n := 0
	err := c.array(func() error {
		if ch := c.peek(); ch != '-' && (ch < '0' || ch > '9') {
			return fmt.Errorf("%w: position holds a non-number", ErrBadGeometry)
		}
		num, err := c.number()
		if err != nil {
			return err
		}
		if n < 2 {
			// A number beyond float64's range parses as ±Inf with
			// ErrRange; the range check below refuses it.
			v, _ := strconv.ParseFloat(string(num), 64)
			p[n] = v
		}
		n++
		return nil
	})
	if err != nil {
		return p, err
	}
	if n < 2 {
		return p, fmt.Errorf("%w: position has %d numbers, want 2 or 3", ErrBadGeometry, n)
	}
	if _, err := position([]float64{p[0], p[1]}); err != nil {
		return p, err
	}
	return p, nil
}

// line reads an array of positions.
func (c *coordReader) line() ([]orb.Point, error) {
	if c.peek() != '[' {
		return nil, c.notArray("ring or line")
	}
	if c.pts == nil {
		c.pts = make([]orb.Point, 0, 16)
	}
	pts := c.pts[:0]
	err := c.array(func() error {
		p, err := c.position()
		if err != nil {
			return fmt.Errorf("vertex %d: %w", len(pts), err)
		}
		// Vertices more than half the globe apart in longitude: an edge
		// that, read as drawn, runs the long way round (179.9999 to
		// -179.9999 is 40,000 km, not 2 cm).
		if k := len(pts); k > 0 && math.Abs(p[0]-pts[k-1][0]) > 180 {
			return fmt.Errorf("vertices %d and %d: %w: longitude %g to %g", k-1, k, ErrAntimeridian, pts[k-1][0], p[0])
		}
		pts = append(pts, p)
		return nil
	})
	c.pts = pts
	// A line of its own, no larger than it is: the lines of a city's
	// footprints are most of its memory.
	line := make([]orb.Point, len(pts))
	copy(line, pts)
	return line, err
}

// rings reads an array of lines (a Polygon's rings, a MultiLineString).
func (c *coordReader) rings() ([][]orb.Point, error) {
	if c.peek() != '[' {
		return nil, c.notArray("polygon")
	}
	var rs [][]orb.Point
	err := c.array(func() error {
		r, err := c.line()
		if err != nil {
			return fmt.Errorf("ring %d: %w", len(rs), err)
		}
		rs = append(rs, r)
		return nil
	})
	return rs, err
}

// polygons reads a MultiPolygon's array of polygons.
func (c *coordReader) polygons() ([][][]orb.Point, error) {
	if c.peek() != '[' {
		return nil, c.notArray("multipolygon")
	}
	var ps [][][]orb.Point
	err := c.array(func() error {
		p, err := c.rings()
		if err != nil {
			return fmt.Errorf("polygon %d: %w", len(ps), err)
		}
		ps = append(ps, p)
		return nil
	})
	return ps, err
}

// finish checks that nothing follows the coordinates and maps scanner
// syntax errors (impossible after stage 1, but cheap to keep honest) to
// ErrBadGeometry.
func (c *coordReader) finish(err error) error {
	if err == nil {
		err = c.end()
	}
	if errors.Is(err, errSyntax) {
		return fmt.Errorf("%w: %v", ErrBadGeometry, err)
	}
	return err
}

// unquote returns the JSON string raw (with its quotes, as the scanner
// checked it) as json.Unmarshal decodes it, without its cost where it
// holds no escape and is UTF-8: the ids, codes and types of every feature.
func unquote(raw []byte) (string, error) {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' {
		if body := raw[1 : n-1]; bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body) {
			return string(body), nil
		}
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// checkText returns an error unless the JSON string raw (with its quotes)
// decodes to exactly the text it writes: encoding/json silently replaces
// bytes that are not UTF-8, and escapes of lone UTF-16 surrogates
// ("\ud800"), by U+FFFD, so an id holding either could be written back
// only as another id (and two such ids could become one).
func checkText(raw []byte) error {
	if !utf8.Valid(raw) {
		for i := 0; i < len(raw); {
			r, n := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && n == 1 {
				return fmt.Errorf("%w: byte %#02x at position %d of %s", ErrInvalidText, raw[i], i-1, quoteValid(raw))
			}
			i += n
		}
	}
	for i := 1; i < len(raw)-1; i++ {
		if raw[i] != '\\' {
			continue
		}
		i++
		if raw[i] != 'u' || i+5 > len(raw) {
			continue // stage 1 checked the escapes
		}
		u, _ := strconv.ParseUint(string(raw[i+1:i+5]), 16, 16)
		i += 4
		switch {
		case 0xdc00 <= u && u <= 0xdfff:
			return fmt.Errorf("%w: \\u%04x is the second half of a UTF-16 surrogate pair without the first, in %s", ErrInvalidText, u, quoteValid(raw))
		case 0xd800 <= u && u <= 0xdbff:
			if i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
				if v, err := strconv.ParseUint(string(raw[i+3:i+7]), 16, 16); err == nil && 0xdc00 <= v && v <= 0xdfff {
					i += 6
					continue
				}
			}
			return fmt.Errorf("%w: \\u%04x is the first half of a UTF-16 surrogate pair without the second, in %s", ErrInvalidText, u, quoteValid(raw))
		}
	}
	return nil
}

// quoteValid returns raw, abbreviated, with each byte that is not UTF-8
// written as \xNN.
func quoteValid(raw []byte) string {
	var b []byte
	for i := 0; i < len(raw) && len(b) < 60; {
		r, n := utf8.DecodeRune(raw[i:])
		if r == utf8.RuneError && n == 1 {
			b = fmt.Appendf(b, "\\x%02x", raw[i])
		} else {
			b = append(b, raw[i:i+n]...)
		}
		i += n
	}
	if len(b) >= 60 {
		b = append(b, "..."...)
	}
	return string(b)
}
