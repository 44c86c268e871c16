//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package format

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gridplan/geo"
	"gridplan/geo/crs"
)

// pipeLayer makes a named pipe name in a directory of its own and writes
// data to it for one reader, on a goroutine whose error of the writing is
// sent on the channel returned. A reader that opens the pipe again waits
// for a writer that never comes.
func pipeLayer(t *testing.T, name string, data []byte) (string, <-chan error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(p, os.O_WRONLY, 0) // waits for the reader
		if err != nil {
			done <- err
			return
		}
		_, err = f.Write(data)
		done <- errors.Join(err, f.Close())
	}()
	t.Cleanup(func() {
		// A writer still waiting for its reader goes.
		if f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	return p, done
}

// readLayer reads the layer l as the loaders do.
func readLayer(t *testing.T, l *Layer) []byte {
	t.Helper()
	rc, err := l.Open()
	if err != nil {
		t.Errorf("%s: %v", l.Name, err)
		return nil
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Errorf("%s: %v", l.Name, err)
	}
	return data
}

// within runs f, failing the test if it has not returned after a while
// (f is then left running).
func within(t *testing.T, what string, f func()) {
	t.Helper()
	const patience = 10 * time.Second
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(patience):
		t.Fatalf("%s: still waiting after %v (for a pipe's writer?)", what, patience)
	}
}

// TestOpenNamedPipe: a GeoJSON layer in a named pipe is read from the
// pipe once, and gives what the same layer in a file gives, its stated
// coordinate system included, as often as it is opened.
func TestOpenNamedPipe(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4527"}},"features":[`)
	for i := range 2000 { // far more than a pipe holds
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"type":"Feature","properties":{"id":"B` + strings.Repeat("0", i%7) + `"},"geometry":{"type":"Point","coordinates":[39500123.5,4057000.25]}}`)
	}
	b.WriteString("]}")
	data := []byte(b.String())
	want, err := Open(writeFile(t, "b.geojson", data), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantData := readLayer(t, want)

	p, written := pipeLayer(t, "b.geojson", data)
	within(t, "reading a layer in a named pipe", func() {
		l, err := Open(p, ReadOptions{})
		if err != nil {
			t.Errorf("Open(a named pipe): %v", err)
			return
		}
		if gk, _ := crs.Parse("EPSG:4527"); l.System != gk || l.Declared != want.Declared {
			t.Errorf("Open(a named pipe): system %v, stated %q; want %v, %q from its crs member", l.System, l.Declared, gk, want.Declared)
		}
		for k := range 2 {
			if got := readLayer(t, l); !bytes.Equal(got, wantData) {
				t.Errorf("reading the layer of a named pipe, time %d: %.100q…, want %.100q… as from the file", k+1, got, wantData)
			}
		}
	})
	if err := <-written; err != nil {
		t.Errorf("writing the pipe: %v (closed before the end?)", err)
	}
}

// TestOpenRegularFileStreams: a GeoJSON layer file in longitude/latitude
// is not read into memory, but streamed from the file.
func TestOpenRegularFileStreams(t *testing.T) {
	p := writeFile(t, "b.geojson", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[116.9,36.65]}}]}`))
	l, err := Open(p, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := l.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, ok := rc.(*os.File); !ok {
		t.Errorf("Layer.Open of a file = %T, want the *os.File", rc)
	}
}

// TestOpenNamedPipeNotGeoJSON: a Shapefile or GeoPackage, read out of
// order, cannot be read from a named pipe: it is refused at once, without
// waiting for a writer.
func TestOpenNamedPipeNotGeoJSON(t *testing.T) {
	for _, name := range []string{"b.shp", "b.gpkg"} {
		p := filepath.Join(t.TempDir(), name)
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
		within(t, "opening "+name, func() {
			if _, err := Open(p, ReadOptions{}); !errors.Is(err, geo.ErrNotAFile) || !strings.Contains(err.Error(), "named pipe") || !strings.Contains(err.Error(), p) {
				t.Errorf("Open(a named pipe %s) = %v, want ErrNotAFile naming it a named pipe", name, err)
			}
		})
	}
}
