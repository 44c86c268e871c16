package shp

import (
	"errors"
	"math"
	"testing"
)

// corruptCase damages a valid layer of three polygons (records of 136
// bytes: header 8, content 128) and says what reading it must report.
type corruptCase struct {
	name   string
	damage func(shp, shx, dbf []byte) (s, x, d []byte) // x nil: no .shx
	want   error
	file   string // extension of the file named
	record int    // NoRecord for an error of Open
	sticky bool   // later calls of Next return the error again
}

const recLen = 8 + 4 + 32 + 4 + 4 + 4 + 5*16 // one ring of 5 points

func putBE(b []byte, off int, v uint32) []byte { be.PutUint32(b[off:], v); return b }
func putLE(b []byte, off int, v uint32) []byte { le.PutUint32(b[off:], v); return b }

// rec is the offset in the .shp of record i's header.
func rec(i int) int { return shpHeaderLen + i*recLen }

var corruptCases = []corruptCase{
	{"shp shorter than its header", func(s, x, d []byte) ([]byte, []byte, []byte) { return s[:60], x, d }, ErrTruncated, ".shp", NoRecord, false},
	{"not a shapefile", func(s, x, d []byte) ([]byte, []byte, []byte) { return putBE(s, 0, 1234), x, d }, ErrCorrupt, ".shp", NoRecord, false},
	{"truncated, no index", func(s, x, d []byte) ([]byte, []byte, []byte) { return s[:rec(1)+50], nil, d }, ErrTruncated, ".shp", 1, true},
	{"truncated, with index", func(s, x, d []byte) ([]byte, []byte, []byte) { return s[:rec(2)+50], x, d }, ErrTruncated, ".shp", 2, false},
	{"lying record length", func(s, x, d []byte) ([]byte, []byte, []byte) { return putBE(s, rec(0)+4, math.MaxInt32), nil, d },
		ErrTruncated, ".shp", 0, true},
	{"lying point count", func(s, x, d []byte) ([]byte, []byte, []byte) { return putLE(s, rec(0)+8+40, math.MaxInt32), x, d },
		ErrCorrupt, ".shp", 0, false},
	{"negative part count", func(s, x, d []byte) ([]byte, []byte, []byte) { return putLE(s, rec(1)+8+36, math.MaxUint32), x, d },
		ErrCorrupt, ".shp", 1, false},
	{"first part not at point 0", func(s, x, d []byte) ([]byte, []byte, []byte) { return putLE(s, rec(0)+8+44, 3), x, d },
		ErrCorrupt, ".shp", 0, false},
	{"index beyond the file", func(s, x, d []byte) ([]byte, []byte, []byte) { return s, putBE(x, shpHeaderLen+8, 1<<30), d },
		ErrCorrupt, ".shp", 1, false},
	{"index too short", func(s, x, d []byte) ([]byte, []byte, []byte) { return s, x[:len(x)-8], d }, ErrCountMismatch, ".shx", NoRecord, false},
	{"more shapes than rows", func(s, x, d []byte) ([]byte, []byte, []byte) { return s, nil, putLE(d, 4, 2) }, ErrCountMismatch, ".shp", 2, true},
	{"fewer shapes than rows", func(s, x, d []byte) ([]byte, []byte, []byte) { return s[:rec(2)], nil, d }, ErrCountMismatch, ".shp", 2, true},
	{"dbf shorter than its header", func(s, x, d []byte) ([]byte, []byte, []byte) { return s, x, d[:20] }, ErrTruncated, ".dbf", NoRecord, false},
	{"lying record count", func(s, x, d []byte) ([]byte, []byte, []byte) { return s, x, putLE(d, 4, math.MaxUint32) }, ErrTruncated, ".dbf", NoRecord, false},
	{"lying header length", func(s, x, d []byte) ([]byte, []byte, []byte) { d[8], d[9] = 0xff, 0xff; return s, x, d }, ErrTruncated, ".dbf", NoRecord, false},
	{"zero record length", func(s, x, d []byte) ([]byte, []byte, []byte) { d[10], d[11] = 0, 0; return s, x, d }, ErrCorrupt, ".dbf", NoRecord, false},
	{"fields wider than records", func(s, x, d []byte) ([]byte, []byte, []byte) { d[dbfHeaderLen+16] = 200; return s, x, d }, ErrCorrupt, ".dbf", NoRecord, false},
	{"truncated rows", func(s, x, d []byte) ([]byte, []byte, []byte) { return s, x, d[:len(d)-3] }, ErrTruncated, ".dbf", NoRecord, false},
}

func TestReadCorrupt(t *testing.T) {
	for _, tc := range corruptCases {
		t.Run(tc.name, func(t *testing.T) {
			s, x, d := rawFiles(shapePolygon, rawShape(shapePolygon, ring), rawShape(shapePolygon, ring), rawShape(shapePolygon, ring))
			if len(s) != rec(3) {
				t.Fatalf("records of %d bytes, want %d", (len(s)-shpHeaderLen)/3, recLen)
			}
			s, x, d = tc.damage(s, x, d)
			path := writeLayer(t, t.TempDir(), "l", map[string][]byte{".shp": s, ".shx": x, ".dbf": d})
			r, err := Open(path, ReadOptions{})
			if err == nil {
				defer r.Close()
				for {
					if _, err = r.Next(); err != nil {
						break
					}
				}
			}
			var e *Error
			if !errors.Is(err, tc.want) || !errors.As(err, &e) || e.Record != tc.record || e.File[len(e.File)-4:] != tc.file {
				t.Fatalf("reading got %v; want an *Error wrapping %v for %s record %d", err, tc.want, tc.file, tc.record)
			}
			if r == nil || tc.record == NoRecord {
				return
			}
			_, again := r.Next()
			if tc.sticky != (again == err) {
				t.Errorf("Next() after the error = %v; want the same error again: %v", again, tc.sticky)
			}
		})
	}
}
