// Package partition groups atoms (whole compounds or single buildings) into
// connected grids whose household totals fall within a band, never crossing a
// community (SPEC §3). It knows nothing of files or geometry formats: it takes
// plain atoms with household weights and centroids in metres, and edges whose
// weights are shared boundary lengths, much as gonum's community detection takes
// a graph.
//
// Each community is solved on its own, in parallel, with a random source seeded
// from [Settings.Seed] and the community's position, so the result is the same
// whatever the number of threads (SPEC §3, rule 5). [SolveCommunity] plans one
// community given alone, exactly as Solve plans it among the others, so that a
// caller can hold one community's geometry at a time.
//
// # Strategy
//
// A community is solved in the order below. A step runs only while the steps
// before it have left some grid out of band, and every budget named is
// multiplied by [Settings.Effort].
//
//  1. Diagnosis, before any search. Dedicated institutions and buildings over
//     Max become grids of their own, and the other atoms fall into connected
//     pieces. The community is reported as too small, in a band gap, holding a
//     compound too large or an oversized building, holding stranded atoms, or
//     cut into isolated pieces (see [Reason]). A local proof finds stranded
//     atoms, and a reduction the other contradictions that make a piece
//     infeasible: two atoms over Max together never share a grid, so the edge
//     between them is dropped; an atom (or unit of atoms) below Min must share
//     its grid with a non-empty unit reached directly or through empty atoms,
//     and with its only such mate, or its only neighbour leading to one, it
//     merges into one unit; a unit over Max, a unit below Min without a mate, a
//     piece (without the dropped edges) whose total fits no whole number of
//     grids, a unit whose grid would have to take more than Max from the
//     pieces around it for them to make grids in band (or, where such a
//     piece holds a few units, cannot take from them any total that puts it
//     in band while their rest makes grids in band), or a closed set of
//     units whose total fits no whole number of grids (the grid of each holds
//     no non-empty unit outside the set, since every other it could reach
//     would take it over Max: towers walled in by large compounds), each
//     proves that no plan puts every grid in band. Empty atoms are units like the others, so two
//     grids never share one in these proofs. Each piece gets its number of
//     grids: the whole number nearest total/Target on a geometric scale that
//     fits the band or, where none does, the least violating one. A piece that
//     no number fits gets only the quick plans of step 3, with equal shares as
//     target; one below half of Min beside an oversized building (or an empty
//     one beside a dedicated grid) joins that grid.
//  2. Compounds first, unless step 1 proved the piece infeasible. A
//     compound over Max whose total admits grids in band is planned alone
//     with quick plans, and kept so if they are in band: its grids then lie
//     inside it. The pieces around such compounds are planned after them;
//     if one is left out of band, the whole piece is planned from step 3.
//  3. Quick plans, for the number of grids and for up to four other numbers
//     that fit the band, nearest first: for each, two or three plans, each
//     drawn by recursive bisection of random spanning trees (as in the ReCom
//     redistricting chain of DeFord, Duchin and Solomon, 2021) and improved
//     by local search: single atoms moved and pairs swapped across grid
//     boundaries while every grid stays connected, then, while a grid is out
//     of band, ejection chains passing atoms through up to four grids. The
//     first number with a plan in band ends the search. Of plans as
//     violating, the one whose number of grids is nearer the piece's is
//     kept, then the cheaper by the whole objective.
//  4. Deep plans: the same numbers, up to twelve plans each, whose grids out
//     of band are also recombined: unions of two to four neighbouring grids
//     (up to 120 per grid) are split anew by up to 24 random bisections
//     each, one tree per cut, while that lowers the violation (up to 30
//     rounds).
//  5. Around each grid still out of band, a few grids at a time: unions of
//     two to four neighbouring grids (up to 120 per grid, smaller first), of
//     at most 80 atoms in all, are searched exhaustively as in step 6, up to
//     20 000 candidate grids each and 200 000 in all for the piece (unions
//     that step 1's rules settle cost nothing). The first union with a plan
//     in band (possibly with one grid more or fewer), or else with a plan
//     less violating than its grids, takes it; the violation moves on and
//     falls a step at a time (up to 10 steps). The rest of the plan keeps
//     its shapes. Then, unless step 1 proved the piece infeasible, wider
//     unions around each grid still out of band: grown
//     from it one grid at a time, nearest centroid first, or, where step 1's
//     rules prove the union infeasible, the nearest grid around the atoms of
//     that proof; each union of five grids or more, of at most 120 atoms,
//     is searched exhaustively for a plan in band, up to 50 000 candidate
//     grids each, 200 000 around one grid, and in all 200 000 for each grid
//     out of band, counting at most four.
//  6. Exhaustive search over the plans of whole atoms, unless step 1 proved
//     the piece infeasible: up to 500 000 candidate grids in a piece of up
//     to 40 non-empty atoms, and 500 000·40/n in one of n more (each
//     candidate costs time in proportion to n). Closing a grid, it checks
//     that the atoms left fall into pieces whose totals fit whole numbers
//     of grids and that each left below Min can still find a mate. It finds
//     a plan in band, proves that none exists, or runs out of budget; a
//     plan whose grids share empty atoms is joined up along shortest paths
//     or, failing that, in a piece of up to 200 atoms, decided exactly (up
//     to 2 000 branches per search).
//     Where step 6 proves nothing either and the plan has a single grid
//     out of band by at most 20 households, steps 3 to 5 run once more on
//     another random stream, with as many spanning trees as the first run
//     had left as it began; the better plan is kept.
//  7. Where step 1 or 6 proved that no plan is in band, an exhaustive search
//     scaled as in step 6 from 50 000 candidate grids looks for a less
//     violating plan, and, unless another diagnosis proves as much, the
//     community is diagnosed [Indivisible], proven.
//  8. Around stranded atoms, in a fresh plan: each takes the least violating
//     grid, alone or with one neighbour, and the rest is planned from step 2
//     as pieces of their own. This plan is kept if it is better as in
//     step 3.
//
// A piece proven infeasible cannot do better than a violation of one
// household in all: its steps 3 to 8 stop once a plan gets there. Where no
// plan in band was found and nothing proves that none exists, the grids out
// of band are diagnosed [Indivisible], not proven.
//
// A plan in band from steps 2 to 4 is then polished for steadiness under a
// census update. Pairs of neighbouring grids, one near an edge of the band,
// are redrawn together along 12 random spanning trees (up to 3 rounds);
// grids holding a compound just over Max are redrawn with up to two
// neighbours along 12 trees so that the compound could come together again
// in one grid. In a piece of at most 40 non-empty atoms, a plan in band from
// steps 2 to 5 is then searched exhaustively, up to 50 000 candidate grids,
// for the plan whose grids keep their margins from the band's edges best;
// it replaces the plan if it is also cheaper by the whole objective.
//
// What stops the heuristics: a community may draw about 200 random
// spanning trees plus 80 per grid in all, counting every tree of the
// bisections (up to 8 per cut), recombinations and redraws. Once they are
// spent, each number of grids still tried gets one plan and each cut one
// tree, and recombination and the redraws stop. The local search stops when
// no move or swap lowers the objective by more than rounding noise, or
// after 30 passes; an ejection chain passes through at most four grids, and
// at most 50 chains are kept per plan. The exhaustive searches are bounded
// by their own budgets, named above. A done context stops every step within
// milliseconds: each spanning tree, local-search pass, ejection-chain round
// and recombination round polls it, and so does every 1024th step of the
// exhaustive searches.
//
// The objective adds up households out of band (which outweigh all else),
// balance against Target, margins from the band's edges, splits of compounds
// just over Max that would be hard to undo, compactness measured as the
// households' moment of inertia, and the length of grid boundaries, which
// costs nothing along a barrier and much more across one.
//
// [Repartition] starts from an earlier plan instead: it keeps the earlier
// grids that are still valid and in band, and redraws the rest with the
// steps above, changing as few neighbouring grids as it can.
package partition
