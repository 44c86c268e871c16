package report

// Data is everything report.html shows, ready to draw: geometry as
// [Shape]s in one [Plane], figures as the plan's statistics give them.
// [HTML] renders it; the same Data gives the same bytes.
type Data struct {
	// Command is the command whose report this is: "partition",
	// "repartition" or "check".
	Command string
	// Title names the district, e.g. the buildings file.
	Title string
	// Inputs are the input files, as name and file ("buildings",
	// "city/buildings.geojson"), in the order shown.
	Inputs [][2]string
	Band   Band
	// Balance holds the figures of the summary (stats.json's totals).
	Balance Balance
	// Facts are further lines of the summary, label and value.
	Facts [][2]string
	// Communities are in the plan's order; Grids by community, then
	// sequence, each naming its community by index.
	Communities []Community
	Grids       []Grid
	// Barriers are the barrier lines (roads, rivers, railways), empty
	// without a barriers layer.
	Barriers Shape
	// Changes is the change report of a repartition, nil otherwise.
	Changes *Changes
	// Findings are the findings of check, in its order; Checked says
	// whether this is a check's report (which may have none).
	Findings []Finding
	Checked  bool
	// Warnings summarises the input warnings (repairs), one line per kind;
	// WarningCount counts them all.
	Warnings     []string
	WarningCount int
}

// Band is the band of households per grid (SPEC §3).
type Band struct{ Min, Target, Max int }

// Balance is the balance of a plan: households per residential grid and
// the shares in band.
type Balance struct {
	Buildings, Households, Communities, Grids int
	// Residential grids are weighed against the band; dedicated and empty
	// grids are not.
	Residential, Dedicated, Empty int
	InBand                        int
	ShareInBand                   float64
	// FeasibleGrids are the residential grids of communities not proven
	// infeasible, FeasibleInBand those of them in band.
	FeasibleGrids, FeasibleInBand int
	ShareFeasible                 float64
	Min, Max                      int
	Median, Mean, StdDev          float64
}

// A Community is one community (社区) and its atlas page.
type Community struct {
	ID, Name                             string
	Households, Buildings, Grids, InBand int
	// Residential counts its residential grids, those weighed against
	// the band (InBand of them are in it); Grids counts dedicated and
	// empty grids too.
	Residential int
	// Feasible is false where a proof shows no plan puts every grid in
	// band, leaving out the grids of buildings that alone exceed the
	// band's top: such a building takes only its own grid out.
	Feasible bool
	// Reasons are the reasons of its diagnoses, as codes.
	Reasons []string
	// Outline is its polygon (or the area its grids tile without a
	// communities layer).
	Outline Shape
	// Footprints are its buildings; in a repartition Moved are those of
	// them in both plans whose grid code changed, Added those not in the
	// earlier plan.
	Footprints, Moved, Added Shape
	Compounds                []Compound
}

// A Compound is a compound (小区) as drawn: its wall from the compounds
// layer, or without one the hull of its buildings.
type Compound struct {
	ID    string
	Shape Shape
	Wall  bool // from the compounds layer
}

// A Grid is one grid (网格).
type Grid struct {
	Code      string
	Community int // index in Data.Communities
	// Type is residential, dedicated or empty.
	Type                                         string
	Households, BandHouseholds, Buildings, Shops int
	Compounds                                    int
	// Status is ok, under or over; Reason the reason code of a grid out
	// of band (SPEC §3), Detail and Units the diagnosis behind it.
	Status, Reason, Detail string
	Units                  []string
	Shape                  Shape
	// Label is where its code and households are written.
	Label XY
	// Highlight draws the units named by its diagnosis (compounds,
	// buildings) to mark them on the map.
	Highlight Shape
	// Change is the change class of a repartition (U, S, M, X; see
	// Changes), "" otherwise.
	Change string
}

// Changes is the change report of a repartition.
type Changes struct {
	// PreviousGrids counts the earlier grids; Classes them by class, in
	// the order U, S, M, X.
	PreviousGrids int
	Classes       [4]int
	NewGrids      int
	// Buildings and households in both plans, and those of them whose
	// grid code changed (BuildingsMoved, HouseholdsMoved: stats.json's
	// buildings_moved, households_moved).
	Buildings, BuildingsMoved, Households, HouseholdsMoved int
	// HouseholdsRegrouped are those of them whose new grid does not
	// continue their earlier grid.
	HouseholdsRegrouped              int
	BuildingsAdded, BuildingsRemoved int
	// Rows are changes.csv: every earlier grid with its new grids.
	Rows []ChangeRow
	// Previous draws the earlier grids' boundaries.
	Previous Shape
}

// A ChangeRow is one line of changes.csv.
type ChangeRow struct {
	Old           string
	New           []string
	Class         string
	Before, After int
}

// A Finding is one finding of check.
type Finding struct {
	Kind           string
	Grids          []string
	Buildings      []string
	Community      string
	Compound       string
	Fixable        bool
	Reason, Detail string
	Area           Shape
}
