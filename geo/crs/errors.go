package crs

import "errors"

// ErrUnknown is reported for a name, EPSG code or WKT definition that
// does not describe one of the systems of this package.
var ErrUnknown = errors.New("crs: unsupported coordinate system")

// ErrOldDatum is reported for Beijing 1954, Xi'an 1980 and New Beijing
// systems. Going from them to CGCS2000 is a datum transformation whose
// parameters are local (they differ by city and are published by the
// provincial surveying bureaus), so gridplan cannot do it exactly.
var ErrOldDatum = errors.New("crs: Beijing 1954, Xi'an 1980 and New Beijing coordinates need a datum transformation with local parameters; convert the layer to CGCS2000 first")

// ErrMismatch is reported by [System.Check] for coordinates that cannot
// be in the system declared for them.
var ErrMismatch = errors.New("crs: coordinates do not fit the coordinate system")
