package geo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
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
var ErrTooLarge = errors.New("geo: input too large")

// ErrNotAFile is wrapped by the error of an input that is a character
// device (/dev/zero, /dev/urandom, a terminal), which never ends.
var ErrNotAFile = errors.New("geo: not a file")

// ReadFile reads the file at path whole, as [os.ReadFile] does, but
// refuses a character device and a file larger than MaxInputBytes
// rather than read without end.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := readInput(f, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

// readChunk is the size of each read of a stream of unknown length.
const readChunk = 64 << 10

// readInput reads r whole, refusing a character device (when r is a file)
// and more than MaxInputBytes. If start is not nil, it is called once with
// the first byte after a UTF-8 byte order mark and JSON whitespace, and
// its offset; an error from it stops the reading there.
func readInput(r io.Reader, start func(c byte, at int) error) ([]byte, error) {
	size := -1
	src := r // what the reads come from, under any wrapper (contextReader)
	for u, ok := src.(interface{ Unwrap() io.Reader }); ok; u, ok = src.(interface{ Unwrap() io.Reader }) {
		src = u.Unwrap()
	}
	if st, ok := src.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if info, err := st.Stat(); err == nil {
			switch mode := info.Mode(); {
			case mode&fs.ModeCharDevice != 0:
				return nil, fmt.Errorf("%w: a character device (such as /dev/zero or a terminal), which never ends; give a file or a pipe", ErrNotAFile)
			case mode.IsRegular():
				if info.Size() > int64(limits.input) {
					return nil, tooLarge(info.Size())
				}
				size = int(info.Size())
			}
		}
	} else if l, ok := src.(interface{ Len() int }); ok { // bytes.Reader, strings.Reader
		size = l.Len()
	}
	if size > limits.input {
		return nil, tooLarge(int64(size))
	}
	// The head of the input, up to the first byte start looks at.
	var head []byte
	if start != nil {
		n := readChunk
		if size >= 0 {
			n = min(n, size+1)
		}
		head = make([]byte, 0, n)
		scanned := 0
		for {
			if len(head) == cap(head) {
				head = append(head, 0)[:len(head)]
			}
			n, err := r.Read(head[len(head):cap(head)])
			head = head[:len(head)+n]
			if len(head) > limits.input {
				return nil, tooLarge(int64(len(head)))
			}
			if err != nil && err != io.EOF {
				return nil, err
			}
			found, serr := false, error(nil)
			if scanned, found, serr = firstByte(head, scanned, err == io.EOF, start); serr != nil {
				return nil, serr
			}
			if err == io.EOF {
				return head, nil
			}
			if found {
				break
			}
		}
	}
	// The rest: into one slice of the known size, or as io.ReadAll reads
	// (which ends with a slice of the size read), bounded.
	if size >= 0 {
		buf := make([]byte, len(head), size+1) // +1: EOF is seen without growing
		copy(buf, head)
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
	data, err := io.ReadAll(io.LimitReader(io.MultiReader(bytes.NewReader(head), r), int64(limits.input)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limits.input {
		return nil, tooLarge(int64(len(data)))
	}
	return data, nil
}

// firstByte looks for the first byte of buf, from scanned on, after a byte
// order mark and whitespace, and calls start with it. It returns how far
// it has looked and whether it found the byte. At the end of the input
// (done) an empty or blank input is left to the parser.
func firstByte(buf []byte, scanned int, done bool, start func(byte, int) error) (int, bool, error) {
	const bom = "\xef\xbb\xbf"
	if scanned == 0 {
		n := min(len(buf), len(bom))
		if string(buf[:n]) == bom[:n] {
			if n < len(bom) {
				return 0, done, nil // a byte order mark perhaps, cut by the read
			}
			scanned = len(bom)
		}
	}
	for ; scanned < len(buf); scanned++ {
		switch c := buf[scanned]; c {
		case ' ', '\t', '\n', '\r':
		default:
			return scanned, true, start(c, scanned)
		}
	}
	return scanned, done, nil
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
