// Package synth generates deterministic synthetic districts for the demo
// sample, tests and benchmarks (SPEC §6 `generate`).
//
// A generated [City] looks like a northern Chinese city at the scale of Datong
// (about 150 buildings, 2,500 households and a few compounds per community):
// communities tile the district without gaps or overlaps, some of them
// concave; inside each, residential compounds (小区) of walk-ups and towers,
// standalone towers (独栋楼), bungalow courtyard areas (平房院区), street-front
// shops (沿街商铺) and institutions lie on a street-and-block layout, at least
// 15 m inside the community boundary and without overlapping one another.
// A few communities are deliberately infeasible (fewer than 300 households, or
// between 500 and 600), and very large cities hold a rare tower of more than
// 500 households, so that every diagnosis of SPEC §3 has a case.
//
// Layout is computed in metres on a local plane around [Options.Center] and
// converted to longitude/latitude with a constant scale per axis (111,132 m per
// degree of latitude, 111,320·cos(lat) m per degree of longitude). The
// conversion is affine, so containment and non-overlap carry over exactly;
// its distance error is below 0.5% within 50 km of the centre, which is
// irrelevant for synthetic data. Coordinates are rounded to 7 decimals
// (about 1 cm) before they are stored, so the in-memory [City] and the files
// written by [City.Write] hold the same numbers.
//
// All randomness comes from one math/rand/v2 PCG source seeded with
// [Options.Seed]; the same options always give byte-identical files.
package synth
