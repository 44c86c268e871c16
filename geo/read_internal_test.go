package geo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// endless is a stream of the byte c that, to a reader that stops in time,
// never ends, counting what was read of it. (It ends after endlessBytes,
// so that a reader that reads on fails the test rather than hangs.)
type endless struct {
	c    byte
	read int
}

const endlessBytes = 64 << 20

func (e *endless) Read(p []byte) (int, error) {
	if e.read >= endlessBytes {
		return 0, io.EOF
	}
	p = p[:min(len(p), endlessBytes-e.read)]
	for i := range p {
		p[i] = e.c
	}
	e.read += len(p)
	return len(p), nil
}

// lowLimits lowers the reading limits for one test.
func lowLimits(t *testing.T, input, feature, str int) {
	t.Helper()
	saved := limits
	limits.input, limits.feature, limits.str = input, feature, str
	t.Cleanup(func() { limits = saved })
}

// TestReadStopsAtFirstByte: a stream whose first byte (after a byte order
// mark and whitespace) cannot start JSON is refused there, without reading
// on: /dev/zero through a pipe.
func TestReadStopsAtFirstByte(t *testing.T) {
	for _, tc := range []struct {
		name   string
		prefix string
		c      byte
		at     string
	}{
		{"zeros", "", 0, `'\x00' at offset 0`},
		{"after a byte order mark and blanks", "\xef\xbb\xbf \n\t", 'x', `'x' at offset 6`},
		{"a shapefile", "\x00\x00\x27\x0a", 0, `'\x00' at offset 0`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &endless{c: tc.c}
			_, _, err := LoadBuildings("zero.geojson", io.MultiReader(strings.NewReader(tc.prefix), e), Fields{})
			if !errors.Is(err, ErrNotJSON) || !strings.Contains(err.Error(), tc.at) || !strings.Contains(err.Error(), "zero.geojson") {
				t.Errorf("LoadBuildings(%q then endless %q) = %v, want ErrNotJSON naming the file and %s", tc.prefix, tc.c, err, tc.at)
			}
			if e.read > readChunk {
				t.Errorf("read %d bytes of the stream, want at most one chunk of %d", e.read, readChunk)
			}
		})
	}
}

// TestReadLimits: a stream past the input limit, a feature past the
// feature limit and a string past the string limit are refused, naming
// the limit; input within them is read.
func TestReadLimits(t *testing.T) {
	lowLimits(t, 1<<20, 4<<10, 1<<10)
	e := &endless{c: ' '}
	_, _, err := LoadBuildings("blank.geojson", e, Fields{})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1 MiB gridplan reads") {
		t.Errorf("LoadBuildings(endless blanks) = %v, want ErrTooLarge naming the limit", err)
	}
	if e.read > 2<<20 {
		t.Errorf("read %d bytes of an endless stream past a limit of 1 MiB", e.read)
	}

	square := `{"type":"Polygon","coordinates":[[[113.3,40.08],[113.3001,40.08],[113.3001,40.0801],[113.3,40.0801],[113.3,40.08]]]}`
	feature := func(id, extra string) string {
		return `{"type":"Feature","properties":{"id":"` + id + `","households":3` + extra + `},"geometry":` + square + `}`
	}
	load := func(features ...string) error {
		_, _, err := LoadBuildings("b.geojson", strings.NewReader(`{"type":"FeatureCollection","features":[`+strings.Join(features, ",")+`]}`), Fields{})
		return err
	}
	if err := load(feature("a", `,"note":"`+strings.Repeat("x", 1000)+`"`)); err != nil {
		t.Errorf("a string within the limit: %v", err)
	}
	err = load(feature("a", ""), feature("b", `,"note":"`+strings.Repeat("x", 1100)+`"`))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1024 bytes gridplan reads in one string") {
		t.Errorf("a string past the limit: %v, want ErrTooLarge naming the limit", err)
	}
	err = load(feature("a", ""), feature("b", strings.Repeat(`,"p":"`+strings.Repeat("x", 500)+`"`, 10)))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "feature 1 is") || !strings.Contains(err.Error(), "4096 bytes gridplan reads in one feature") {
		t.Errorf("a feature past the limit: %v, want ErrTooLarge naming the feature and the limit", err)
	}
}

// TestReadRefusesDevices: a character device is refused before reading,
// and so is a file larger than the input limit (a sparse one here).
func TestReadRefusesDevices(t *testing.T) {
	f, err := os.Open("/dev/zero")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	if _, _, err := LoadBuildings("/dev/zero", f, Fields{}); !errors.Is(err, ErrNotAFile) || !strings.Contains(err.Error(), "character device") {
		t.Errorf("LoadBuildings(/dev/zero) = %v, want ErrNotAFile", err)
	}
	if _, err := ReadFile("/dev/zero"); !errors.Is(err, ErrNotAFile) || !strings.Contains(err.Error(), "/dev/zero") {
		t.Errorf("ReadFile(/dev/zero) = %v, want ErrNotAFile naming it", err)
	}

	huge := filepath.Join(t.TempDir(), "huge.geojson")
	h, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if err := h.Truncate(MaxInputBytes + 1); err != nil {
		t.Skip(err) // no sparse files here
	}
	if _, err := ReadFile(huge); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "4 GiB gridplan reads") {
		t.Errorf("ReadFile(a file of 4 GiB + 1) = %v, want ErrTooLarge naming the limit", err)
	}
	// Within the limits, a file is read whole, as os.ReadFile reads it.
	data := bytes.Repeat([]byte("0123456789"), 100_000)
	small := filepath.Join(t.TempDir(), "small")
	if err := os.WriteFile(small, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadFile(small); err != nil || !bytes.Equal(got, data) {
		t.Errorf("ReadFile(%d bytes) = %d bytes, %v", len(data), len(got), err)
	}
}

// scanned is what the first decoding stage makes of an input.
type scanned struct {
	typ   string // "<nil>" if none
	feats []string
	notFC string
	err   string
}

// scanStream runs the first decoding stage on r as LoadBuildings reads it:
// streaming, through a buffer of scanBuffer bytes.
func scanStream(r io.Reader) (scanned, *stream) {
	s, err := streamScanner(r)
	if err != nil {
		return scanned{err: "before the scan: " + err.Error()}, nil
	}
	var res scanned
	typ, n, notFC, err := s.collection(func(raw []byte) error {
		res.feats = append(res.feats, string(raw))
		return nil
	}, func() { res.feats = res.feats[:0] })
	if s.src.err != nil {
		return scanned{err: "reading: " + s.src.err.Error()}, s.src
	}
	if err == nil && n != len(res.feats) {
		panic("feature count and features differ")
	}
	return res.set(typ, notFC, err), s.src
}

// scanMemory runs it on data in memory, as scanCollection does.
func scanMemory(data []byte) scanned {
	typ, feats, notFC, err := scanCollection(data)
	var res scanned
	for _, f := range feats {
		res.feats = append(res.feats, string(f))
	}
	return res.set(typ, notFC, err)
}

func (r scanned) set(typ *string, notFC string, err error) scanned {
	r.typ, r.notFC = "<nil>", notFC
	if typ != nil {
		r.typ = *typ
	}
	if err != nil {
		return scanned{typ: "<nil>", err: err.Error()}
	}
	if len(r.feats) == 0 {
		r.feats = nil
	}
	return r
}

// smallBuffer lowers the buffer a layer is scanned through for one test.
func smallBuffer(t *testing.T, n int) {
	t.Helper()
	saved := scanBuffer
	scanBuffer = n
	t.Cleanup(func() { scanBuffer = saved })
}

// chunkReader returns data in reads of the given sizes, in turn.
type chunkReader struct {
	data  []byte
	sizes []int
	k     int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(c.data), c.sizes[c.k%len(c.sizes)])
	c.k++
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// readers returns ways to read data: at once, a byte at a time, in odd
// pieces, and (if split is in range) in two reads split there.
func readers(data []byte, split int) map[string]io.Reader {
	rs := map[string]io.Reader{
		"whole":    bytes.NewReader(data),
		"one byte": iotest.OneByteReader(bytes.NewReader(data)),
		"halves":   iotest.HalfReader(bytes.NewReader(data)),
		"pieces":   &chunkReader{data: data, sizes: []int{7, 1, 64, 3, 1000, 2}},
		// Data with EOF, then (0, EOF) again.
		"data with EOF": iotest.DataErrReader(bytes.NewReader(data)),
	}
	if split > 0 && split < len(data) {
		rs["split"] = &chunkReader{data: data, sizes: []int{split, len(data)}}
	}
	return rs
}

// scanInputs are inputs for the first decoding stage, good and bad.
func scanInputs(t *testing.T) []string {
	t.Helper()
	good, err := os.ReadFile("testdata/buildings_small.geojson")
	if err != nil {
		t.Fatal(err)
	}
	ins := []string{
		string(good),
		`{"type":"FeatureCollection","features":[{},{"a":[1]}]}`,
		`{"features":[1],"type":"FeatureCollection","bbox":[0,0,1,1]}`,
		`{"type":"FeatureCollection","features":null}`,
		`{"type":"FeatureCollection","features":{"a":1}}`,
		`{"type":"FeatureCollection","features":{"a":1},"features":null}`,
		`{"type":"FeatureCollection","features":[1,2,3],"features":[4]}`,
		`{"type":"FeatureCollection","features":[1,2,3],"features":null}`,
		`{"type":null,"features":[1]}`,
		`{"type":true,"features":[1]}`,
		`{"type":"Feature","features":[1]}`,
		`{"type":"FeatureCollection","type":{"a":"b"},"features":[1]}`,
		`{"typ\u0065":"Feature\u0043ollection","f\u0065atures":[-1.5e+3, true, false, null, "x\"y", {"\u00e9":[[]]}]}`,
		` {"type" : "FeatureCollection" , "features" : [ { } , [ ] ] } ` + "\n",
		`[{"type":"FeatureCollection"}]`, `"FeatureCollection"`, `12`, `-0`, `null`, `true`,
		`{"type":7,"features":[]}`,
		`{"type":"FeatureCollection","features":[1,]}`,
		`{"type":"FeatureCollection","features":[01]}`,
		`{"type":"FeatureCollection","features":[1.]}`,
		`{"type":"FeatureCollection","features":[1e]}`,
		`{"type":"FeatureCollection","features":["\x"]}`,
		`{"type":"FeatureCollection","features":["\u12"]}`,
		`{"type":"FeatureCollection","features":["\u12g4"]}`,
		"{\"type\":\"FeatureCollection\",\"features\":[\"a\tb\"]}",
		`{"type":"FeatureCollection","features":[tru]}`,
		`{"type":"FeatureCollection","features":[nul`,
		`{"type":"FeatureCollection","features":[fals]}`,
		`{"type":"FeatureCollection","features":[1 2]}`,
		`{"type":"FeatureCollection" "features":[]}`,
		`{"type":"FeatureCollection",features:[]}`,
		`{"type":"FeatureCollection","features":[]} x`,
		`{"type":"FeatureCollection","features":[]}}`,
		`{"type":"FeatureCollection","features":[]`,
		`{"a":1,}`, `{"a" 1}`, `{`, `{}`, `{"\ud800":1}`,
		`{"type":"FeatureCollection","features":[` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `]}`,
		``, ` `, "\xef\xbb", "\xef\xbb\xbf", "\xef\xbb\xbf{}", "\xef\xbb\xbf \n[]",
	}
	// Every cut of a good file is a truncated one.
	for k := 0; k < len(good); k += 7 {
		ins = append(ins, string(good[:k]))
	}
	return ins
}

// TestStreamMatchesMemory: the first decoding stage of a streamed input,
// through a buffer of a few bytes and reads of any size, returns what it
// returns for the input whole: the same type, features and errors, to the
// byte position in the messages.
func TestStreamMatchesMemory(t *testing.T) {
	ins := scanInputs(t)
	want := make([]scanned, len(ins))
	for k, in := range ins {
		want[k], _ = scanStream(strings.NewReader(in))
		// In memory (without the byte order mark and the first byte
		// check, which the stream does before the scan), the same.
		if data := strings.TrimPrefix(in, bom); !strings.HasPrefix(want[k].err, "before the scan") {
			if got := scanMemory([]byte(data)); !reflect.DeepEqual(got, want[k]) {
				t.Errorf("%.60q: in memory %+v, streamed %+v", in, got, want[k])
			}
		}
	}
	for _, size := range []int{1, 2, 3, 5, 16, 100} {
		smallBuffer(t, size)
		for k, in := range ins {
			for name, r := range readers([]byte(in), len(in)/2) {
				if got, _ := scanStream(r); !reflect.DeepEqual(got, want[k]) {
					t.Errorf("buffer %d, read %s, %.60q: %+v, want %+v", size, name, in, got, want[k])
				}
			}
		}
	}
}

// TestStreamLimitsKept: features and strings up to the limits are read
// whole through a small buffer, one byte past them is refused naming the
// exact size, and the buffer holds no more than a feature at the limit
// (and the read ahead) even for a feature far past it.
func TestStreamLimitsKept(t *testing.T) {
	lowLimits(t, 1<<20, 4096, 1024)
	smallBuffer(t, 64)
	// A feature of exactly size bytes, holding a string of strLen bytes
	// with its quotes, padded with blanks.
	feature := func(size, strLen int) string {
		return `{"s":"` + strings.Repeat("x", strLen-2) + `"` + strings.Repeat(" ", size-strLen-6) + `}`
	}
	const head = `{"type":"FeatureCollection","features":[{},`
	at := len(head) + len(`{"s":`) // where the string starts
	for _, tc := range []struct {
		name      string
		size, str int
		err       string
	}{
		{"at both limits", 4096, 1024, ""},
		{"a string past its limit", 4096, 1025, fmt.Sprintf("a string of 1025 bytes at byte %d, beyond the 1024 bytes", at)},
		{"a feature past its limit", 4097, 1024, "feature 1 is 4097 bytes, beyond the 4096 bytes"},
		{"a feature far past its limit", 500_000, 1000, "feature 1 is 500000 bytes, beyond the 4096 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := head + feature(tc.size, tc.str) + `]}`
			for name, r := range readers([]byte(in), 5000) {
				got, src := scanStream(r)
				if tc.err == "" && (got.err != "" || len(got.feats) != 2 || len(got.feats[1]) != tc.size) {
					t.Errorf("read %s: %+.200v, want 2 features, the second of %d bytes", name, got, tc.size)
				}
				if tc.err != "" && !strings.Contains(got.err, tc.err) {
					t.Errorf("read %s: error %q, want %q", name, got.err, tc.err)
				}
				// A feature at the limit, the bytes before its end and
				// what is read ahead: at most twice as many again.
				if limit := 4 * 4096; src.peak > limit {
					t.Errorf("read %s: a buffer of %d bytes, want at most %d", name, src.peak, limit)
				}
			}
		})
	}
	// Past the input limit, the stream stops there.
	_, _, err := LoadBuildings("b.geojson", &endless{c: ' '}, Fields{})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1 MiB gridplan reads") {
		t.Errorf("LoadBuildings(endless blanks) = %v, want ErrTooLarge", err)
	}
}

// TestLoadThroughSmallBuffer: buildings read through a buffer of a few
// bytes, in reads of any size, are those read at once, with the same
// warnings and errors: features, keys and strings cut across reads and
// moved in the buffer come out whole.
func TestLoadThroughSmallBuffer(t *testing.T) {
	var fs []string
	for i := range 300 {
		x, y := 113.3+0.001*float64(i%20), 40.08+0.001*float64(i/20)
		ring := fmt.Sprintf("[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]", x, y, x+0.0002, y, x+0.0002, y+0.0002, x, y+0.0002, x, y)
		if i%7 == 3 { // clockwise, with a duplicate vertex
			ring = fmt.Sprintf("[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]", x, y, x, y+0.0002, x, y+0.0002, x+0.0002, y+0.0002, x+0.0002, y, x, y)
		}
		fs = append(fs, fmt.Sprintf(`{ "type": "Feature", "id": %d, "properties": {"name\u00e9": "楼 \"%d\"", "households": %de0, "community": "C\u004f%d", "kind": "Residential", "note": %q},
  "geometry": {"type": "Polygon", "coordinates": [%s]}}`, i, i, i%50, i/100, strings.Repeat("长", i%40), ring))
	}
	good := bom + "{\"type\":\"FeatureCollection\",\"name\":\"b\",\"features\":[\n" + strings.Join(fs, ",\n") + "\n]}\n"
	fs[150] = strings.Replace(fs[150], `"households": 0e0`, `"households": -1`, 1)
	fs[299] = strings.Replace(fs[299], `"households": 49e0`, `"households": "49"`, 1)
	bad := "{\"type\":\"FeatureCollection\",\"features\":[" + strings.Join(fs, ",") + "]}"
	for _, in := range []string{good, bad} {
		wantBs, wantWs, wantErr := LoadBuildings("b.geojson", strings.NewReader(in), Fields{})
		if in == good && (wantErr != nil || len(wantBs) != 300 || len(wantWs) != 2) {
			t.Fatalf("LoadBuildings = %d buildings, %v, %v; want 300 and 2 warnings", len(wantBs), wantWs, wantErr)
		}
		var le *LayerError
		if in == bad && (!errors.As(wantErr, &le) || len(le.Features) != 2 || le.Features[0].Index != 150 || le.Features[1].ID != "299") {
			t.Fatalf("LoadBuildings = %v, want features 150 and 299 (id 299)", wantErr)
		}
		for _, size := range []int{1, 7, 64, 1000} {
			smallBuffer(t, size)
			for name, r := range readers([]byte(in), len(in)/3) {
				bs, ws, err := LoadBuildings("b.geojson", r, Fields{})
				if !reflect.DeepEqual(bs, wantBs) || !reflect.DeepEqual(ws, wantWs) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
					t.Errorf("buffer %d, read %s: %d buildings, %d warnings, %v; want %d, %d, %v", size, name, len(bs), len(ws), err, len(wantBs), len(wantWs), wantErr)
				}
			}
		}
	}
}

// TestDecodedKeepNoInput: a decoded building holds none of the bytes it
// was decoded from, which are reused for the next features.
func TestDecodedKeepNoInput(t *testing.T) {
	raw := []byte(`{"type":"Feature","properties":{"id":"b1","households":3,"compound":"q7","community":"C2","kind":"shop"},
		"geometry":{"type":"Polygon","coordinates":[[[113.3,40.08],[113.3002,40.08],[113.3002,40.0802],[113.3,40.0802],[113.3,40.08]]]}}`)
	b, _, err := decodeBuilding(0, raw, DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%+v", b)
	for i := range raw {
		raw[i] = 'x'
	}
	if got := fmt.Sprintf("%+v", b); got != want {
		t.Errorf("building after its input is overwritten: %s, want %s", got, want)
	}
}
