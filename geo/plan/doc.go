// Package plan is gridplan's pipeline as a library: [Load] reads the
// layers of a run into an [Input]; [Partition], [Repartition] and [Check]
// turn it into a [Plan] or a check report, whose files come back as bytes
// for the caller to write.
//
// # Partition, community by community
//
// Loading is city-wide: buildings are decoded, repaired and given their
// communities, buildings standing on one another are found, and buildings
// become atoms (a compound of at most Max households, or one building).
// Everything after that is a community's own, so [Partition] plans each
// community in one go, on a pool of one worker per CPU, largest first:
//
//  1. its footprints in its local plane, clipped to its outline, overlaps
//     trimmed; the Voronoi tessellation of sites along them, and the
//     adjacency of its atoms (cells sharing an edge inside the outline);
//  2. the search for its grids (partition.SolveCommunity);
//  3. the grid polygons, traced from the cells and clipped to the outline,
//     their coverage of the community and their validity checked.
//
// Its tessellation is then freed, so memory holds the city's buildings and
// grid polygons plus the tessellations of the communities in flight, not
// of every community. Results are assembled in community order: the plan
// does not depend on the number of workers or the order they finish in.
// Statistics and gridplan's own check of the plan follow, city-wide.
//
// [Repartition] runs the same steps phase by phase for the whole city
// (every community tessellated, then the earlier plan's atoms matched and
// the search run, then the drawing), as the codes of kept grids and the
// polygons kept from the earlier plan depend on the whole result.
//
// # The report
//
// [Plan.Report] and [CheckReport.Report] render report.html (package
// report). What the page draws beyond the grid polygons and statistics
// (outlines, buildings, compounds, the units diagnoses name; moved
// buildings and earlier grids of a repartition; the audited layer of a
// check) is drawn as path data when the plan is made, so that the
// buildings need not be kept: about 2 MB at 60,000 buildings.
// [Options.NoReport] and [CheckOptions.NoReport] skip it.
//
// A done context stops any phase within milliseconds. [WithTiming]
// records where a run's time goes (stats.json's timing), and
// [Options.Progress] is told as each phase begins and how far the long
// ones have got.
package plan
