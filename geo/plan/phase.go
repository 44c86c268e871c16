package plan

import "context"

// The phases of a run, in the order they run (Partition runs planning in
// place of tessellation, search and drawing). A run checks its context as
// each begins, and the long ones check it within: decoding buildings
// feature by feature, tessellation and drawing community by community,
// the search at every step.
const (
	phaseBuildings   = "buildings"    // reading and decoding the buildings layer
	phaseCommunities = "communities"  // the communities layer; buildings given their community
	phaseCompounds   = "compounds"    // the compounds layer
	phaseBarriers    = "barriers"     // the barriers layer
	phaseStacked     = "stacked"      // buildings standing on one another
	phaseAtoms       = "atoms"        // community envelopes, atoms
	phaseTessellate  = "tessellation" // tessellation and adjacency, by community
	phaseSearch      = "search"       // partition's search
	phaseDrawing     = "drawing"      // grid polygons and coverage, by community
	// phasePlanning is the three above community by community, as
	// Partition runs them (planCommunities); Repartition runs them in turn.
	phasePlanning   = "planning"
	phaseStatistics = "statistics" // stats.json and the self-check
	// Check reads the buildings, the communities and the grid layer, then
	// audits it; a proof of what redrawing cannot fix tessellates and
	// searches the communities in question.
	phaseGrids = "grids" // check's grid layer
	phaseAudit = "audit" // check's audit of the grid layer
)

// phaseHook, if not nil, is called as each phase begins, once the run has
// found its context live: tests cancel a run there.
var phaseHook func(phase string)

// begin starts a phase, timed and reported to the run's progress; it
// returns ctx.Err() if the run is cancelled.
func begin(ctx context.Context, phase string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if phaseHook != nil {
		phaseHook(phase)
	}
	TimingOf(ctx).enter(phase)
	progressOf(ctx).report(phase, 0, 0, "")
	return nil
}
