package geo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"

	"gridplan/geo/internal/parallel"
)

// Limits on what is read, so that no input exhausts memory (SPEC §2.4).
const (
	// MaxInputBytes is the largest input file read: 4 GiB. A city of
	// 1.35 million buildings (Xi'an) is under 1 GB of GeoJSON.
	MaxInputBytes = 4 << 30
	// MaxFeatureBytes is the largest single feature of a layer, 256 MiB:
	// a footprint of some ten million vertices, a thousand times more
	// than the most detailed community outline.
	MaxFeatureBytes = 256 << 20
	// MaxStringBytes is the longest JSON string read, 64 MiB: room for a
	// photograph some exports embed in a property, and far more than
	// any id or name.
	MaxStringBytes = 64 << 20
)

// limits are the limits in force: the constants above, lowered by tests.
var limits = struct{ input, feature, str int }{MaxInputBytes, MaxFeatureBytes, MaxStringBytes}

// ErrTooLarge is wrapped by the error of an input beyond MaxInputBytes, a
// feature beyond MaxFeatureBytes or a string beyond MaxStringBytes.
var ErrTooLarge = errors.New("input too large")

// ErrNotAFile is wrapped by the error of an input that is a character
// device (/dev/zero, /dev/urandom, a terminal), which never ends.
var ErrNotAFile = errors.New("not a file")

// ReadFile reads the file at path whole, as [os.ReadFile] does, but
// refuses a character device and a file larger than MaxInputBytes
// rather than read without end. An error of the reading (not of the
// opening, which os.Open reports) is a [*FileError] naming path.
func ReadFile(path string) ([]byte, error) {
	return ReadFileContext(context.Background(), path)
}

// ReadFileContext is ReadFile until ctx is done, and then returns
// ctx.Err() at once, even while the file is being opened or read: a
// named pipe is not opened until a writer opens it too, and not read
// before the writer writes. (A goroutine left waiting to open the pipe
// ends when a writer comes, or with the program.)
func ReadFileContext(ctx context.Context, path string) ([]byte, error) {
	return parallel.UntilDone(ctx, func() ([]byte, error) { return readFile(ctx, path) })
}

// readFile reads the file at path whole until ctx is done.
func readFile(ctx context.Context, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Closing the file ends a read that waits on a pipe.
	stop := context.AfterFunc(ctx, func() { f.Close() })
	defer stop()
	data, err := readInput(contextReader{ctx, f})
	if err != nil {
		return nil, &FileError{File: path, Err: err}
	}
	return data, nil
}

// readChunk is the size of the buffer a layer is scanned through, and so
// of each read: no more than that is read before the first byte is
// checked.
const readChunk = 64 << 10

// scanBuffer is readChunk, lowered by tests.
var scanBuffer = readChunk

// inputSize returns the size of r if it is known (-1 if not), and an
// error for a character device (when r is a file) or an input larger than
// MaxInputBytes.
func inputSize(r io.Reader) (int, error) {
	size := -1
	src := r // what the reads come from, under any wrapper (contextReader)
	for u, ok := src.(interface{ Unwrap() io.Reader }); ok; u, ok = src.(interface{ Unwrap() io.Reader }) {
		src = u.Unwrap()
	}
	if st, ok := src.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if info, err := st.Stat(); err == nil {
			switch mode := info.Mode(); {
			case mode&fs.ModeCharDevice != 0:
				return -1, fmt.Errorf("%w: a character device (such as /dev/zero or a terminal), which never ends; give a file or a pipe", ErrNotAFile)
			case mode.IsRegular():
				if info.Size() > int64(limits.input) {
					return -1, tooLarge(info.Size())
				}
				size = int(info.Size())
			}
		}
	} else if l, ok := src.(interface{ Len() int }); ok { // bytes.Reader, strings.Reader
		size = l.Len()
	}
	if size > limits.input {
		return -1, tooLarge(int64(size))
	}
	return size, nil
}

// readInput reads r whole, refusing a character device (when r is a file)
// and more than MaxInputBytes.
func readInput(r io.Reader) ([]byte, error) {
	size, err := inputSize(r)
	if err != nil {
		return nil, err
	}
	// Into one slice of the known size, or as io.ReadAll reads (which
	// ends with a slice of the size read), bounded.
	if size >= 0 {
		buf := make([]byte, 0, size+1) // +1: EOF is seen without growing
		for {
			if len(buf) == cap(buf) {
				buf = append(buf, 0)[:len(buf)] // the file grew
			}
			n, err := r.Read(buf[len(buf):cap(buf)])
			buf = buf[:len(buf)+n]
			if len(buf) > limits.input {
				return nil, tooLarge(int64(len(buf)))
			}
			if err == io.EOF {
				return buf, nil
			}
			if err != nil {
				return nil, err
			}
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(limits.input)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limits.input {
		return nil, tooLarge(int64(len(data)))
	}
	return data, nil
}

// A stream feeds a [jscan] from a reader through a buffer of scanBuffer
// bytes, which grows only to hold what the scanner must keep: the
// feature it is in (up to MaxFeatureBytes) or a token (a key or a
// string, up to MaxStringBytes). Beyond those limits the scan is bound
// to fail, and the bytes are not kept. In all it reads no more than
// MaxInputBytes.
type stream struct {
	r   io.Reader
	n   int64 // bytes read
	eof bool
	// err ended the reading: an error of r or ErrTooLarge. It, not the
	// syntax error its end of input causes, is the error of the scan.
	err error
	// feature and tok are the positions in the input from which it must
	// be kept, -1 for none.
	feature, tok int
	key          []byte // the last object key, kept apart from the buffer
	peak         int    // the largest buffer used
}

// bom is the UTF-8 byte order mark, which Windows tools (and many Chinese
// GIS exports) write, and which RFC 8259 §8.1 allows parsers to ignore.
const bom = "\xef\xbb\xbf"

// streamScanner returns a scanner reading r as it goes. It refuses a
// character device and an input larger than MaxInputBytes before reading,
// skips a byte order mark, and returns an error unless the first byte
// after it and whitespace can start a JSON value, having read that byte
// and no more than the rest of its block: a file of zeros, a binary file
// or a shapefile given for a GeoJSON one is refused at once. An empty or
// blank input is left to the parser.
func streamScanner(r io.Reader) (*jscan, error) {
	if _, err := inputSize(r); err != nil {
		return nil, err
	}
	s := &jscan{data: make([]byte, 0, scanBuffer), src: &stream{r: r, feature: -1, tok: -1}}
	for len(s.data) < len(bom) && s.fill() {
	}
	if err := s.src.err; err != nil {
		return nil, err
	}
	skipped := 0
	switch n := len(s.data); {
	case n >= len(bom) && string(s.data[:len(bom)]) == bom:
		s.i, s.off, skipped = len(bom), -len(bom), len(bom)
	case n > 0 && n < len(bom) && string(s.data) == bom[:n]:
		return s, nil // all of the input, and not JSON
	}
	if _, _, ok := UTF16(s.data); ok {
		return nil, fmt.Errorf("%w: the file is in UTF-16 (what Windows calls Unicode); GeoJSON is UTF-8 (RFC 7946): save it again as UTF-8", ErrNotJSON)
	}
	c := s.peek()
	if err := s.src.err; err != nil {
		return nil, err
	}
	if s.i < len(s.data) {
		if err := startsJSON(c, s.pos()+skipped); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// fill reads more of a streaming scanner's input into its buffer, and
// reports whether it did.
func (s *jscan) fill() bool {
	src := s.src
	if src == nil || src.eof || src.err != nil {
		return false
	}
	if len(s.data) == cap(s.data) {
		s.makeRoom()
	}
	for empty := 0; ; {
		n, err := src.r.Read(s.data[len(s.data):cap(s.data)])
		src.n += int64(n)
		if src.n > int64(limits.input) {
			src.err = tooLarge(src.n)
			return false
		}
		s.data = s.data[:len(s.data)+n]
		switch {
		case err == io.EOF:
			src.eof = true
		case err != nil:
			src.err = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
		if empty++; empty == 100 {
			src.err = io.ErrNoProgress
			return false
		}
	}
}

// makeRoom drops from a streaming scanner's full buffer what it need not
// keep, moving the rest to the front, or moves it to a buffer twice as
// large if it holds more than half. A buffer grown for a large feature
// shrinks again when what is kept is small.
func (s *jscan) makeRoom() {
	src, scanned := s.src, s.pos()
	drop := s.i
	for _, pin := range []struct {
		at    *int
		limit int
	}{{&src.feature, limits.feature}, {&src.tok, limits.str}} {
		switch {
		case *pin.at < 0:
		case scanned-*pin.at > pin.limit:
			*pin.at = -1 // past its limit: the scan fails at its end
		default:
			drop = min(drop, *pin.at-s.off)
		}
	}
	keep, c := len(s.data)-drop, cap(s.data)
	switch {
	case keep > c/2:
		c *= 2
	case c > scanBuffer && keep < c/8:
		c = max(scanBuffer, c/4)
	default:
		copy(s.data, s.data[drop:])
		s.data = s.data[:keep]
		s.off += drop
		s.i -= drop
		return
	}
	buf := make([]byte, keep, c)
	src.peak = max(src.peak, c)
	copy(buf, s.data[drop:])
	s.data = buf
	s.off += drop
	s.i -= drop
}

func tooLarge(n int64) error {
	return fmt.Errorf("%w: %s or more, beyond the %s gridplan reads (geo.MaxInputBytes)", ErrTooLarge, mib(n), mib(int64(limits.input)))
}

// mib writes n bytes in MiB, or GiB from 1 GiB (bytes below 1 MiB).
func mib(n int64) string {
	switch {
	case n < 1<<20:
		return fmt.Sprintf("%d bytes", n)
	case n >= 1<<30:
		return fmt.Sprintf("%.4g GiB", float64(n)/(1<<30))
	}
	return fmt.Sprintf("%.4g MiB", float64(n)/(1<<20))
}

// A contextReader reads r until ctx is done, then fails with ctx.Err().
type contextReader struct {
	ctx context.Context
	r   io.Reader
}

// Unwrap returns the reader read from, whose file mode and size
// inputSize checks.
func (c contextReader) Unwrap() io.Reader { return c.r }

func (c contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// readCollection is the first decoding stage of a small layer: the
// FeatureCollection with its features left raw, so that a bad feature can
// be named by index.
func readCollection(file string, r io.Reader) ([]json.RawMessage, error) {
	batches, err := streamCollection(context.Background(), file, r, func(_ int, feats [][]byte) []json.RawMessage {
		raws := make([]json.RawMessage, len(feats))
		for k, raw := range feats {
			raws[k] = bytes.Clone(raw)
		}
		return raws
	})
	if err != nil {
		return nil, err
	}
	return slices.Concat(batches...), nil
}

// Features are read in rounds, each decoded on parallel goroutines while
// the next is read (parallel.Overlap), in batches (the unit of work) of up
// to batchFeatures features or about batchBytes bytes: two rounds of
// roundBatches batches, a few MiB each, are all of the input held at any
// time.
const (
	batchFeatures = 1024
	batchBytes    = 256 << 10
	roundBatches  = 16 // or two per goroutine if more
)

// A featureBatch is consecutive features of a layer, copied out of the
// scanner's buffer.
type featureBatch struct {
	first int      // index of the first feature
	data  []byte   // the features, back to back
	feats [][]byte // the features, in data
}

func (b *featureBatch) add(raw []byte) {
	if len(b.data)+len(raw) > cap(b.data) {
		// A new buffer: the features already in the old one stay where
		// they are.
		b.data = make([]byte, 0, max(batchBytes+batchBytes/4, len(raw)))
	}
	at := len(b.data)
	b.data = append(b.data, raw...)
	b.feats = append(b.feats, b.data[at:len(b.data):len(b.data)])
}

func (b *featureBatch) full() bool {
	return len(b.feats) >= batchFeatures || len(b.data) >= batchBytes
}

// streamCollection reads a FeatureCollection from r, as readCollection
// checks it, and has decode called on consecutive batches of its features
// (their index in the collection from first on; the features are valid
// only during the call) on up to GOMAXPROCS goroutines. It returns what
// decode returned, in the order of the features, or the error of the file
// ([*FileError]), or ctx.Err() once ctx is done: decode should check ctx
// itself.
func streamCollection[T any](ctx context.Context, file string, r io.Reader, decode func(first int, feats [][]byte) T) ([]T, error) {
	s, err := streamScanner(r)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		return nil, &FileError{File: file, Err: err}
	}
	// The scan runs on a goroutine of its own, filling one round while
	// the other is decoded; a round is sent whole, or empty with reset
	// set for another features member, which replaces the features so
	// far.
	type round struct {
		batches []featureBatch
		reset   bool
	}
	var rounds [2][]featureBatch
	for k := range rounds {
		rounds[k] = make([]featureBatch, max(roundBatches, 2*runtime.GOMAXPROCS(0)))
	}
	var (
		typ   *string
		n     int
		notFC string
		serr  error
	)
	var outs []T
	scan := func(send func(round) bool) error {
		cur, filled, next := 0, 0, 0 // the round in use, its batches in use; the index of the next feature
		empty := func(k int) {
			for j := range rounds[k] {
				b := &rounds[k][j]
				b.feats = b.feats[:0]
				if cap(b.data) > 2*batchBytes { // one grown for a huge feature
					b.data = nil
				}
				b.data = b.data[:0]
			}
		}
		// flush sends the round filled; once sent, the other round is
		// free: the decoder has finished with it.
		flush := func() bool {
			if !send(round{batches: rounds[cur][:filled]}) {
				return false
			}
			cur, filled = 1-cur, 0
			empty(cur)
			return true
		}
		errStopped := errors.New("stopped")
		typ, n, notFC, serr = s.collection(func(raw []byte) error {
			r := rounds[cur]
			if filled == 0 || r[filled-1].full() {
				if filled == len(r) {
					if err := ctx.Err(); err != nil {
						return err
					}
					if !flush() {
						return errStopped
					}
					r = rounds[cur]
				}
				r[filled].first = next
				filled++
			}
			r[filled-1].add(raw)
			next++
			return nil
		}, func() {
			empty(cur)
			filled, next = 0, 0
			send(round{reset: true})
		})
		if serr == nil && s.src.err == nil && ctx.Err() == nil {
			flush()
		}
		return nil
	}
	if err := parallel.Overlap(ctx, scan, func(r round) error {
		if r.reset {
			outs = nil
			return nil
		}
		k := len(outs)
		outs = append(outs, make([]T, len(r.batches))...)
		parallel.EachChunk(len(r.batches), 1, func(j int) {
			outs[k+j] = decode(r.batches[j].first, r.batches[j].feats)
		})
		return nil
	}); err != nil {
		return nil, err
	}
	if cerr := ctx.Err(); cerr != nil {
		return nil, cerr
	}
	if err := collectionError(file, s.src.err, typ, n, notFC, serr); err != nil {
		return nil, err
	}
	return outs, nil
}

// collectionError returns the error of a FeatureCollection whose reading
// ended with readErr, and whose scan returned the rest; nil if it is one
// with features.
func collectionError(file string, readErr error, typ *string, n int, notFC string, err error) error {
	switch {
	case readErr != nil:
		var le *LayerError
		if errors.As(readErr, &le) && le.File == file {
			return le // a reader's own error, naming the file and its features
		}
		var fe *FileError
		if errors.As(readErr, &fe) && fe.File == file {
			return fe // a reader's own error, naming the file
		}
		return &FileError{File: file, Err: readErr}
	case errors.Is(err, ErrTooLarge):
		return &FileError{File: file, Err: err}
	case err != nil:
		return &FileError{File: file, Err: fmt.Errorf("%w: %v", ErrNotJSON, err)}
	case notFC != "":
		return &FileError{File: file, Err: fmt.Errorf("%w: %s", ErrNotFeatureCollection, notFC)}
	case typ == nil:
		return &FileError{File: file, Err: fmt.Errorf("%w: no \"type\" member", ErrNotFeatureCollection)}
	case *typ != "FeatureCollection":
		return &FileError{File: file, Err: fmt.Errorf("%w: type is %q", ErrNotFeatureCollection, *typ)}
	case n == 0:
		return &FileError{File: file, Err: ErrEmptyLayer}
	}
	return nil
}

// UTF16 reports whether b, the head of a file, is text in UTF-16, and in
// which byte order: by its byte order mark (bom), or else by every other
// byte being zero beside ASCII ({ and spaces, id and households).
func UTF16(b []byte) (bigEndian, bom, ok bool) {
	switch {
	case len(b) >= 2 && b[0] == 0xff && b[1] == 0xfe:
		return false, true, true
	case len(b) >= 2 && b[0] == 0xfe && b[1] == 0xff:
		return true, true, true
	case len(b) >= 4 && b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0:
		return false, false, true
	case len(b) >= 4 && b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0:
		return true, false, true
	}
	return false, false, false
}

// startsJSON returns an error unless c, at offset at, can start a JSON
// value: a file of zeros, a binary file or a shapefile given for a GeoJSON
// one is refused at its first byte, before the rest is read.
func startsJSON(c byte, at int) error {
	switch {
	case c == '{' || c == '[' || c == '"' || c == '-' || '0' <= c && c <= '9' || c == 't' || c == 'f' || c == 'n':
		return nil
	}
	return fmt.Errorf("%w: byte %q at offset %d cannot start a JSON value; a GeoJSON file starts with {", ErrNotJSON, c, at)
}
