package crs

import "errors"

// ErrUnknown is reported for a name, EPSG code or WKT definition that
// does not describe one of the systems of this package.
var ErrUnknown = errors.New("crs: unsupported coordinate system")

// ErrOldDatum is reported for the systems on the Beijing 1954, Xi'an 1980
// and New Beijing datums. Going from them to CGCS2000 is a datum
// transformation whose parameters are local (they differ by city and are
// published by the provincial surveying bureaus), so it cannot be done
// here; the error says so.
var ErrOldDatum = errors.New("crs: unsupported old datum")

// oldDatumAdvice completes an ErrOldDatum.
const oldDatumAdvice = "converting it to CGCS2000 needs a datum transformation with local parameters " +
	"(published by the provincial surveying bureaus), which gridplan cannot do; convert the layer to CGCS2000 " +
	"(EPSG:4490 or its Gauss–Krüger zones) in your GIS first"

// ErrMismatch is reported by [System.Check] for coordinates that cannot
// be in the system declared for them.
var ErrMismatch = errors.New("crs: coordinates do not fit the coordinate system")
