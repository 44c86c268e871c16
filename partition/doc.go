// Package partition groups atoms (whole compounds or single buildings) into
// connected grids whose household totals fall within a band, never crossing a
// community (SPEC §3). It knows nothing of files or geometry formats: it takes
// plain atoms with household weights and centroids in metres, and edges whose
// weights are shared boundary lengths, much as gonum's community detection takes
// a graph.
//
// Each community is solved on its own, in parallel, with a random source seeded
// from [Settings.Seed] and the community's position, so the result is the same
// whatever the number of threads (SPEC §3, rule 5).
//
// The solver first diagnoses each community (too small, no whole number of
// grids fits its total, a compound or building that cannot land in the band,
// pieces cut off from the rest) and then builds a plan by recursive bisection
// of random spanning trees — each cut splits a region into two connected parts
// whose totals can still be divided into grids within the band, in the manner
// of the ReCom redistricting chain (DeFord, Duchin and Solomon, 2021) — and
// improves it by moving single atoms across grid boundaries while every grid
// stays connected and in band, trading balance against compactness measured as
// the households' moment of inertia.
package partition
