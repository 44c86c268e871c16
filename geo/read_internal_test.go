package geo

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
