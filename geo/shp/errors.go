package shp

import (
	"errors"
	"fmt"
)

// Sentinel errors wrapped in an [*Error]; test with errors.Is.
var (
	// ErrTruncated: a file ends before the header or a record it announces.
	ErrTruncated = errors.New("shp: file truncated")
	// ErrCorrupt: a header or record holds values no valid file has
	// (writing: a coordinate that is NaN or infinite).
	ErrCorrupt = errors.New("shp: corrupt file")
	// ErrCountMismatch: the .shp (or .shx) and the .dbf hold different
	// numbers of records, so features cannot be paired with attributes.
	ErrCountMismatch = errors.New("shp: record counts differ")
	// ErrShapeType: a shape type this package does not read (MultiPatch)
	// or write (anything but Polygon, MultiPolygon and Point, or a layer
	// mixing them).
	ErrShapeType = errors.New("shp: unsupported shape type")
	// ErrEncoding: text that the chosen encoding cannot represent or
	// decode, or an encoding name this package does not know.
	ErrEncoding = errors.New("shp: text encoding")
	// ErrField: a field that cannot be written as a dBASE column (name too
	// long or repeated, value of the wrong type, value too wide).
	ErrField = errors.New("shp: bad field")
	// ErrTooLarge: a layer beyond the format's limits: a .shp or .shx over
	// 4 GiB, a .dbf with more than 2046 columns or records over 64 KiB.
	ErrTooLarge = errors.New("shp: layer too large for the format")
	// ErrReversedRings is the warning of a polygon record every ring of
	// which is wound against the shapefile rule (outer rings
	// counter-clockwise, holes clockwise), as some tools write them: its
	// rings are nested by containment. A layer so written has it in every
	// record.
	ErrReversedRings = errors.New("rings wound against the shapefile rule (outer rings clockwise, holes counter-clockwise); read by their winding")
)

// errMixedRings is the warning of a polygon record whose rings are nested
// by containment, some of them wound by the shapefile rule and some not.
var errMixedRings = errors.New("ring orientation does not follow the shapefile rule (outer rings clockwise, holes counter-clockwise); rings nested by containment")

// NoRecord is the [Error.Record] of a problem with a whole file.
const NoRecord = -1

// An Error reports a problem with one file of a shapefile, or with one of
// its records.
type Error struct {
	File string // the file's path, e.g. "buildings.dbf"; for Encode, its extension, ".dbf"
	// Record is the 0-based record number in file order, as GDAL numbers
	// features (FID), or NoRecord. It is the feature index of
	// [Reader.Next] unless deleted records precede it.
	Record int
	Err    error
}

func (e *Error) Error() string {
	if e.Record == NoRecord {
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("%s: record %d: %v", e.File, e.Record, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }
