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
// [Options.CommunityHouseholds] makes communities larger (real ones hold up
// to 10,000 households and more, in 8–25 grids) or smaller: each holds
// proportionally more of the same content (compounds of 50–1,500
// households, standalone towers, courtyards, shops and institutions, in
// the default's proportions) on lattice cells of proportionally larger
// area, so a city of the same number of buildings has fewer communities.
// The deliberately infeasible communities keep their sizes.
//
// Layout is computed in metres on a local plane around [Options.Center] and
// converted to longitude/latitude with a constant scale per axis (111,132 m per
// degree of latitude, 111,320·cos(lat) m per degree of longitude). The
// conversion is affine, so containment and non-overlap carry over exactly;
// its distance error is below 0.5% within 50 km of the centre, which is
// irrelevant for synthetic data. Coordinates are rounded to 7 decimals
// (about 1 cm) before they are stored, so the in-memory [City] and the files
// written by [City.Write] hold the same numbers (except for the rounding
// fault below).
//
// All randomness comes from one math/rand/v2 PCG source seeded with
// [Options.Seed]; the same options always give byte-identical files.
//
// # Messy cities
//
// Real layers are digitised by hand, merged from tiles and rounded.
// [Options.Messy] puts such faults into the clean city, each into a seeded
// share of the features (at least one where there is a candidate), each
// from a PCG source of its own, so the output stays byte-identical for
// equal options; without faults it is the clean city, byte for byte. The
// faults, by the names [ParseFaults] takes:
//
//   - spikes: 3% of the footprints get a spike, a wall vertex A, a point
//     B 2–5 m out and A again, where B meets no other building.
//   - pinched: 2% of the footprints get an annex of 2–4 m square at one
//     corner, drawn as one ring that visits that corner twice.
//   - bowtie: 2% of the footprints have two neighbouring corners swapped,
//     so the ring crosses itself.
//   - clockwise: every ring of both layers is written clockwise.
//   - duplicates: 5% of the footprints and of the communities repeat one
//     vertex once or twice in a row.
//   - rowhouses: 10% of the walk-ups are drawn as rows of 2–6 houses that
//     share whole walls with exactly the same coordinates; the first house
//     keeps the walk-up's id and the households are shared out.
//   - podiums: in 30% of the compounds with towers, the first 2–4 towers
//     stand on a podium, a footprint 3–6 m larger than them on every side,
//     of kind shop with no households, written before the towers.
//   - tileoverlap: 3% of the footprints reach 5–50 cm into their eastern
//     neighbour, and 0.3% are written twice, the copy a few centimetres off
//     with an id of its own.
//   - rounding: coordinates are always written with 7 decimals (about
//     1 cm); this fault gives the rounding something to break. A few
//     communities (two, or one in twenty) get a narrow inlet in their
//     outline on the district's edge whose mouth is 3 mm wide: the City
//     holds a simple ring, and Write rounds the mouth shut, so the written
//     ring visits one vertex twice and is invalid.
//   - nullcommunity: exactly 5% of the buildings have community null.
//   - dupcommunity: one community is split into two features with the
//     same id; every community gets a name property, and the two parts
//     different names.
//   - emptycommunity: a few ordinary communities (two, or one in fifty)
//     lose all their buildings, as a park or a campus would have none, and
//     one keeps only its shops and institutions, with 0 households.
//   - selfintersecting: one community ring makes a small bow-tie at a
//     corner, by preference one on the district's outline: the corner is
//     replaced by two points 1.5–2.5 m from it whose edges cross.
//   - outside: 3 to 10 buildings lie 20–100 m beyond the district's
//     outline, with the id of the community they face.
//   - straddle: 3 to 10 walk-ups (one for every 2,000 buildings) are drawn
//     across an edge two communities share, 15–45% of each in the
//     neighbour, with the id of the community that holds the rest.
//   - communitynames: every community has a name (幸福里社区 …), and 60%
//     of the buildings name their community by it rather than by its id,
//     as attribute tables of names beside a layer of codes do (the name
//     of its first feature, where dupcommunity gave it two).
//
// Faults that add buildings give them new ids after the last one. Each
// footprint carries at most one of spikes, pinched, bowtie, rowhouses,
// podiums, tileoverlap, outside and straddle.
package synth
