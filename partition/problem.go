package partition

import (
	"errors"
	"fmt"
)

// An Atom is an indivisible unit of a plan: a compound with at most Max
// households, or a single building.
type Atom struct {
	Community int     // index into Problem.Communities
	Weight    int     // households counted toward the band (shops with their weight)
	X, Y      float64 // centroid in metres
	// Mass is the atom's weight in the moment of inertia that measures
	// compactness. If zero, Weight+1 is used, so empty buildings still count.
	Mass float64
	// WeightSquares is the sum of the squared weights of the atom's
	// buildings; zero means Weight², the atom taken as one building. A census
	// update changes each building's count by a few per cent, so a grid's
	// total moves by about that share of the square root of its atoms'
	// WeightSquares: the search keeps grids that far from the band's edges
	// where it can, so that small updates seldom tip a grid out of the band.
	WeightSquares float64
	// Compound is, for a building of a compound larger than Max, the index of
	// that compound in Problem.Compounds; otherwise -1. The buildings of such a
	// compound are split only into grids that lie inside it whenever its size
	// allows (SPEC §3).
	Compound int
	// Dedicated marks an institution made a dedicated grid (专属网格) of its
	// own, outside the band.
	Dedicated bool
	// Name names the atom in diagnoses, e.g. `compound "Q12"` or `building "B7"`.
	Name string
}

// An Edge joins two atoms of the same community whose tessellation cells share
// a boundary; LengthM is the shared length in metres. Barrier marks atoms
// that a barrier (arterial road, river, railway) separates: a grid holding
// both straddles the barrier, which the search avoids (SPEC §3, "clear
// boundaries"), while a grid boundary along it costs nothing.
type Edge struct {
	A, B    int
	LengthM float64
	Barrier bool
}

// A Problem is the input of [Solve].
type Problem struct {
	Communities []string // community ids, in output order
	Compounds   []string // ids of compounds larger than Max (see Atom.Compound)
	Atoms       []Atom
	Edges       []Edge
}

// Settings configure [Solve]. A nil *Settings means the defaults.
type Settings struct {
	// Min, Target and Max bound a grid's weight. If all are zero, 300, 400
	// and 500 are used (SPEC §3).
	Min, Target, Max int
	// Seed seeds one random source per community (math/rand/v2 PCG), so
	// equal inputs give equal outputs whatever the number of workers.
	Seed uint64
	// Workers is the number of communities solved at once; 0 means
	// runtime.GOMAXPROCS(0). It never changes the result.
	Workers int
	// Effort scales the number of spanning trees tried per cut and the
	// improvement passes; 0 means 1.
	Effort float64
	// Order is the order of the grids' sequence numbers in a community;
	// the zero value, NorthWest, numbers rows from the north.
	Order Order
	// Progress, if not nil, is called after each community is solved, from
	// the goroutine that solved it.
	Progress func(done, total int)
}

// ErrSettings is returned for an inconsistent band.
var ErrSettings = errors.New("partition: invalid settings")

func (s *Settings) withDefaults() (Settings, error) {
	var out Settings
	if s != nil {
		out = *s
	}
	if out.Min == 0 && out.Target == 0 && out.Max == 0 {
		out.Min, out.Target, out.Max = 300, 400, 500
	}
	if out.Target == 0 {
		out.Target = (out.Min + out.Max) / 2
	}
	if out.Min <= 0 || out.Min > out.Target || out.Target > out.Max {
		return out, fmt.Errorf("%w: need 0 < min <= target <= max, have %d, %d, %d", ErrSettings, out.Min, out.Target, out.Max)
	}
	if out.Effort <= 0 {
		out.Effort = 1
	}
	if out.Order != NorthWest && out.Order != SouthEast {
		return out, fmt.Errorf("%w: unknown grid order %d", ErrSettings, out.Order)
	}
	return out, nil
}

// A Reason explains why a grid is out of the band (SPEC §3).
type Reason string

// Reasons of SPEC §3, and one for plans whose units are too coarse.
const (
	CommunityTooSmall Reason = "community_too_small" // community total < min
	BandGap           Reason = "band_gap"            // no whole number of grids fits the total
	CompoundTooLarge  Reason = "compound_too_large"  // a compound whose split cannot land in the band
	OversizedBuilding Reason = "oversized_building"  // one building > max
	Isolated          Reason = "isolated"            // a piece cut off from every neighbour
	// Indivisible: the total admits a whole number of grids, but the whole
	// compounds and buildings cannot be combined into connected grids inside
	// the band (say two 450-household compounds joined only through one of
	// 200); the plan found is the least violating.
	Indivisible Reason = "indivisible_units"
)

// Status tells whether a grid's weight is in the band.
type Status int8

// Grid statuses.
const (
	OK Status = iota
	Under
	Over
)

func (s Status) String() string {
	switch s {
	case Under:
		return "under"
	case Over:
		return "over"
	}
	return "ok"
}

// A Grid is one grid of a plan.
type Grid struct {
	Community int   // index into Problem.Communities
	Seq       int   // 1-based sequence within the community, in Settings.Order
	Atoms     []int // ascending
	Weight    int
	Dedicated bool
	// Empty reports a grid of a community without households (no
	// buildings, or only weightless ones such as shops and institutions):
	// it covers the community (SPEC §5) and has nothing to balance.
	Empty  bool
	Status Status  // always OK for dedicated and empty grids
	Reason Reason  // "" when in band (or dedicated, or empty)
	X, Y   float64 // mass-weighted centroid, metres
	// Inertia is the moment of inertia of the grid's atom masses about their
	// centroid, in mass·m².
	Inertia float64
	Mass    float64
}

// A Diagnosis names a community that cannot be all in band, and the units
// that make it so (SPEC §3).
type Diagnosis struct {
	Community int
	Reason    Reason
	Units     []string // names of the offending atoms, compounds or pieces: all of them
	Detail    string   // e.g. "total 550 households: 1 grid is over 500, 2 are under 300"
	// Proven reports whether the diagnosis proves that no plan puts every
	// grid of the community in band. A compound too large to be split into
	// grids of its own proves nothing by itself (its buildings may share
	// grids with neighbours), only where a proof of another diagnosis holds
	// its buildings; a search that found no plan in band proves nothing.
	Proven bool
}

// A Result is a plan.
type Result struct {
	Grids     []Grid      // by community, then by Seq
	AtomGrid  []int       // AtomGrid[a] is the index in Grids of atom a's grid
	Diagnoses []Diagnosis // by community, then by reason
	// Kept is set by [Repartition]: Kept[g] is the earlier grid that grid g
	// keeps (the same atoms, less those that no longer exist, plus new atoms
	// that joined it), or -1 for a grid drawn anew. Solve leaves it nil.
	Kept []int
}

// ErrProblem is returned for a malformed Problem (a programming error in the
// caller, reported rather than panicking because Problems are built from data).
var ErrProblem = errors.New("partition: malformed problem")

// GridRange returns the numbers of grids k, lo <= k <= hi, that can each hold
// between min and max of total households: at least ceil(total/max) (and at
// least one) grids are needed, and at most floor(total/min) can each reach
// min. No whole number of grids fits the band when lo > hi (reason
// [BandGap], or [CommunityTooSmall] when total < min). min and max must be
// positive.
func GridRange(total, min, max int) (lo, hi int) {
	lo = (total + max - 1) / max
	if lo < 1 {
		lo = 1
	}
	return lo, total / min
}
