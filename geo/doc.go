// Package geo reads, validates and repairs the input layers of gridplan
// (buildings, communities, compounds, barriers), projects them to a local
// metric plane and builds the building-based tessellation from which grid
// adjacency and grid polygons are derived (SPEC §2, §4).
//
// Coordinates on input are RFC 7946 longitude/latitude (WGS 84; CGCS2000 is the
// same to within centimetres). All lengths and areas are computed in metres in a
// transverse Mercator projection centred on the data ([Projection]), whose area
// scale error is below 1e-4 within 60 km of the centre. Functions never modify
// their arguments unless their documentation says so.
package geo
