package geo

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors wrapped in a FeatureError or FileError; test with errors.Is.
var (
	ErrNotJSON              = errors.New("not JSON")
	ErrNotFeatureCollection = errors.New("not a GeoJSON FeatureCollection")
	ErrMissingHouseholds    = errors.New("missing household count")
	ErrBadHouseholds        = errors.New("household count is not a whole number")
	ErrNegativeHouseholds   = errors.New("negative household count")
	ErrTooManyHouseholds    = errors.New("household count too large")
	ErrDuplicateID          = errors.New("duplicate id")
	ErrMissingID            = errors.New("missing id")
	ErrBadKind              = errors.New("unknown building kind")
	ErrBadProperty          = errors.New("property has the wrong type")
	ErrInvalidText          = errors.New("text that is not UTF-8 (it could not be written back as it was read)")
	ErrEmptyGeometry        = errors.New("empty geometry")
	ErrGeometryType         = errors.New("unsupported geometry type")
	ErrRingNotClosed        = errors.New("ring not closed")
	ErrRingTooShort         = errors.New("ring has fewer than 3 distinct vertices")
	ErrSelfIntersection     = errors.New("self-intersecting ring")
	ErrCoordinateRange      = errors.New("coordinate out of longitude/latitude range")
	ErrAntimeridian         = errors.New("crosses the antimeridian (180° longitude), which no Chinese city does")
	ErrExtent               = errors.New("layer too wide for one city")
	ErrNotLonLat            = errors.New("coordinates are not longitude/latitude (projected metres?)")
	ErrOutsideCommunities   = errors.New("building outside every community polygon")
	ErrCommunityOverlap     = errors.New("communities overlap")
	ErrEmptyLayer           = errors.New("layer has no features")
	ErrBadFeature           = errors.New("malformed GeoJSON feature")
	ErrBadGeometry          = errors.New("malformed GeoJSON geometry")
	ErrLineTooShort         = errors.New("line has fewer than 2 distinct vertices")
	ErrZeroArea             = errors.New("polygon encloses no area")
	ErrUnknownCommunity     = errors.New("building names a community not in the communities layer")
)

// A FeatureError reports an input feature that cannot be used (SPEC §2.4).
type FeatureError struct {
	File  string // e.g. "buildings.geojson"
	Index int    // position in the FeatureCollection
	ID    string // the feature id, if known
	Err   error  // e.g. fmt.Errorf("ring %d: %w", j, ErrRingNotClosed)
}

func (e *FeatureError) Error() string {
	if e.ID == "" {
		return fmt.Sprintf("%s: feature %d: %v", e.File, e.Index, e.Err)
	}
	return fmt.Sprintf("%s: feature %d (id %q): %v", e.File, e.Index, e.ID, e.Err)
}

func (e *FeatureError) Unwrap() error { return e.Err }

// A FileError reports a problem with a whole input file.
type FileError struct {
	File string
	Err  error
}

func (e *FileError) Error() string { return fmt.Sprintf("%s: %v", e.File, e.Err) }

func (e *FileError) Unwrap() error { return e.Err }

// A LayerError reports every feature of one layer that cannot be used, in
// feature order, so that one run names them all (SPEC §2.4). errors.Is and
// errors.As see each of its FeatureErrors.
type LayerError struct {
	File     string
	Features []*FeatureError
}

// maxListedFeatures is the number of bad features a LayerError's message
// lists; the rest are counted. A layer exported wrongly fails in every
// feature, and a screenful says as much as ten thousand lines.
const maxListedFeatures = 20

// Error lists the first maxListedFeatures bad features, one a line, after a
// line that counts them; a single bad feature is its FeatureError's message.
func (e *LayerError) Error() string {
	if len(e.Features) == 1 {
		return e.Features[0].Error()
	}
	// A feature may fail twice (its own error, and an id another has).
	n := 0
	for i, fe := range e.Features {
		if i == 0 || fe.Index != e.Features[i-1].Index {
			n++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d %s cannot be used", e.File, n, plural(n, "feature"))
	for i, fe := range e.Features {
		if i == maxListedFeatures {
			fmt.Fprintf(&b, "\n%s: ... and %d more", e.File, len(e.Features)-i)
			break
		}
		b.WriteString("\n")
		b.WriteString(fe.Error())
	}
	return b.String()
}

// Unwrap returns the FeatureErrors.
func (e *LayerError) Unwrap() []error {
	errs := make([]error, len(e.Features))
	for i, fe := range e.Features {
		errs[i] = fe
	}
	return errs
}
