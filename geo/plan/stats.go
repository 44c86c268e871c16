package plan

import (
	"math"
	"sort"

	"gridplan/geo"
	"gridplan/geo/internal/shape"
	"gridplan/partition"

	"gonum.org/v1/gonum/stat"
)

// Stats is stats.json (SPEC §5).
type Stats struct {
	Input InputStats `json:"input"`
	// Tiling says what the grid polygons tile: the communities layer, or,
	// without one, the buffered hull of the buildings divided among the
	// communities (the earlier plan's grids in a repartition).
	Tiling string `json:"tiling"`
	// CRS is the coordinate system of the grid layer: EPSG:4326 (WGS 84
	// longitude/latitude), another EPSG code, gcj02 or bd09. A repartition
	// reads the earlier grids in it.
	CRS      string        `json:"crs"`
	Coverage CoverageStats `json:"coverage"`
	Settings SettingsStats `json:"settings"`
	Totals   TotalStats    `json:"totals"`
	// Infeasible counts, per reason, the communities where a proven
	// diagnosis shows that not every grid can be in band.
	Infeasible  map[string]int   `json:"infeasible_communities"`
	Compounds   CompoundStats    `json:"compounds"`
	Compactness CompactnessStats `json:"compactness"`
	Communities []CommunityStats `json:"communities"`
	Grids       []GridStats      `json:"grids"`
	Warnings    []geo.Warning    `json:"warnings"`
	// SelfCheck lists the failures of gridplan's own check of the plan
	// (selfCheck): each is a bug in gridplan, and the run fails.
	SelfCheck []string `json:"self_check_failures,omitempty"`
	// Changes is the change report of repartition, absent for partition.
	Changes   *ChangeStats `json:"changes,omitempty"`
	RunTimeMS int64        `json:"run_time_ms"`
	// Timing is where the run's time went, when the caller measured it
	// (WithTiming): like RunTimeMS, it differs from run to run.
	Timing *TimingStats `json:"timing,omitempty"`
}

type InputStats struct {
	Buildings   string `json:"buildings"`
	Communities string `json:"communities,omitempty"`
	// OutsideSkipped counts the buildings left out of the plan because
	// they lie outside every community (--outside skip; see outside.csv).
	OutsideSkipped int    `json:"buildings_outside_skipped,omitempty"`
	Compounds      string `json:"compounds,omitempty"`
	Barriers       string `json:"barriers,omitempty"`
	// CommunitySource says where community membership came from.
	CommunitySource string `json:"community_source"`
}

type SettingsStats struct {
	Min            int     `json:"min"`
	Target         int     `json:"target"`
	Max            int     `json:"max"`
	Seed           uint64  `json:"seed"`
	ShopWeight     float64 `json:"shop_weight"`
	DedicatedGrids bool    `json:"dedicated_grids"`
}

type TotalStats struct {
	Buildings        int `json:"buildings"`
	Households       int `json:"households"`
	Communities      int `json:"communities"`
	Grids            int `json:"grids"`
	ResidentialGrids int `json:"residential_grids"`
	DedicatedGrids   int `json:"dedicated_grids"`
	// EmptyGrids cover communities without households (no buildings, or
	// only shops and institutions); they are not residential grids.
	EmptyGrids  int `json:"empty_grids"`
	GridsInBand int `json:"grids_in_band"`
	// ShareInBand is GridsInBand / ResidentialGrids.
	ShareInBand float64 `json:"share_in_band"`
	// FeasibleGrids counts residential grids of feasible communities
	// (CommunityStats.Feasible), but those of buildings above max;
	// FeasibleInBand those of them in band.
	FeasibleGrids       int     `json:"feasible_community_grids"`
	FeasibleInBand      int     `json:"feasible_community_grids_in_band"`
	ShareInBandFeasible float64 `json:"share_in_band_feasible"`
	// UnprovenCommunities counts diagnoses that explain a grid out of band
	// without proving it unavoidable (compound_too_large, or a search that
	// found no plan in band).
	UnprovenCommunities int          `json:"unproven_diagnoses"`
	GridHouseholds      Distribution `json:"grid_households"`
}

type Distribution struct {
	Min    int     `json:"min"`
	Median float64 `json:"median"`
	Mean   float64 `json:"mean"`
	Max    int     `json:"max"`
	StdDev float64 `json:"stddev"`
}

type CompoundStats struct {
	Total int `json:"total"`
	// Split counts compounds whose buildings lie in more than one grid;
	// only compounds larger than max are ever split (SPEC §3 rule 3), so all
	// splits are necessary.
	Split            int `json:"split"`
	SplitNecessary   int `json:"split_necessary"`
	SplitUnnecessary int `json:"split_unnecessary"`
	// SplitMixed counts split compounds some of whose grids also hold
	// buildings outside the compound.
	SplitMixed int `json:"split_mixed"`
}

type CompactnessStats struct {
	// MeanGyrationM is the mean over residential grids of the households'
	// radius of gyration, sqrt(I/M), in metres.
	MeanGyrationM float64 `json:"mean_gyration_radius_m"`
	// MeanPolsbyPopper is the mean over residential grids of 4πA/P² of
	// their polygons.
	MeanPolsbyPopper float64 `json:"mean_polsby_popper"`
	// Multipart counts grids whose polygon has more than one piece.
	Multipart int `json:"multipart_grids"`
}

// CoverageStats is the tiling check of a community (SPEC §4): areas in
// square metres, zero up to ToleranceM2, which is derived from the size and
// coordinates of the community outline (see geo.CoverageTolM2).
type CoverageStats struct {
	GapM2            float64 `json:"gap_m2"`
	OverlapM2        float64 `json:"overlap_m2"`
	OutsideM2        float64 `json:"outside_m2"`
	BuildingsOutside int     `json:"buildings_outside_their_grid"`
	ToleranceM2      float64 `json:"tolerance_m2"`
	OK               bool    `json:"ok"`
}

type CommunityStats struct {
	ID          string  `json:"id"`
	Buildings   int     `json:"buildings"`
	Households  int     `json:"households"`
	Grids       int     `json:"grids"`
	GridsInBand int     `json:"grids_in_band"`
	ShareInBand float64 `json:"share_in_band"`
	// Feasible is false where a proof shows that no plan puts every grid
	// in band, the grids of buildings above max left out (an
	// oversized_building diagnosis alone leaves it true).
	Feasible       bool           `json:"feasible"`
	GridHouseholds Distribution   `json:"grid_households"`
	Diagnoses      []diagnosis    `json:"diagnoses,omitempty"`
	Coverage       *CoverageStats `json:"coverage,omitempty"`
}

type diagnosis struct {
	Reason string   `json:"reason"`
	Units  []string `json:"units"`
	Detail string   `json:"detail"`
	// Proven says whether no plan at all can put every grid in band.
	Proven bool `json:"proven"`
}

type GridStats struct {
	Code           string  `json:"code"`
	Community      string  `json:"community"`
	Type           string  `json:"type"`
	Households     int     `json:"households"`
	BandHouseholds int     `json:"band_households"`
	Buildings      int     `json:"buildings"`
	Shops          int     `json:"shops"`
	Compounds      int     `json:"compounds"`
	SplitCompound  bool    `json:"split_compound"`
	GyrationM      float64 `json:"gyration_radius_m"`
	AreaM2         float64 `json:"area_m2"`
	PerimeterM     float64 `json:"perimeter_m"`
	PolsbyPopper   float64 `json:"polsby_popper"`
	Pieces         int     `json:"pieces"`
	Status         string  `json:"status"`
	Reason         string  `json:"reason"`
}

// planStats computes the statistics and the per-grid table of a plan.
func planStats(d *district, res *partition.Result, shapes *gridShapes, codes []string, set SettingsStats) *Stats {
	s := &Stats{Settings: set, Warnings: []geo.Warning{}}
	var split map[compoundKey]bool
	s.Compounds, split = compoundStats(d, res, set.Max)
	cstats, infeasible := communityDiagnoses(d, res)
	s.Infeasible, s.Totals.UnprovenCommunities = countDiagnoses(cstats)
	s.Grids, s.Compounds.SplitMixed, s.Compactness.Multipart = gridTable(d, res, shapes, codes, split)
	if shapes != nil {
		s.Coverage = coverageStats(d, shapes, cstats)
	}
	s.addTotals(d, res, cstats, infeasible)
	s.Communities = cstats
	s.SelfCheck = selfCheck(d, res, shapes, codes, s)
	return s
}

// compoundStats counts the compounds and those split among grids, and
// returns the split ones, keyed by community and compound. A split is
// necessary when the band weight of the compound is over maxWeight.
func compoundStats(d *district, res *partition.Result, maxWeight int) (CompoundStats, map[compoundKey]bool) {
	gridsOf := map[compoundKey]map[int]bool{}
	for i, b := range d.buildings {
		if b.Compound == "" {
			continue
		}
		k := compoundKey{b.Community, b.Compound}
		if gridsOf[k] == nil {
			gridsOf[k] = map[int]bool{}
		}
		gridsOf[k][res.AtomGrid[d.atomOf[i]]] = true
	}
	cs := CompoundStats{Total: len(gridsOf)}
	split := map[compoundKey]bool{}
	for k, gs := range gridsOf {
		if len(gs) > 1 {
			split[k] = true
			cs.Split++
			if d.compoundSize[k] > maxWeight {
				cs.SplitNecessary++
			} else {
				cs.SplitUnnecessary++
			}
		}
	}
	return cs, split
}

// communityDiagnoses starts the table of communities with their
// diagnoses, and reports which communities are infeasible: those where a
// proof shows no plan in band. An oversized building only takes its own
// grid out: the rest of its community must still be in band.
func communityDiagnoses(d *district, res *partition.Result) ([]CommunityStats, []bool) {
	infeasible := make([]bool, len(d.communities))
	for _, dg := range res.Diagnoses {
		infeasible[dg.Community] = infeasible[dg.Community] || dg.Proven && dg.Reason != partition.OversizedBuilding
	}
	cstats := make([]CommunityStats, len(d.communities))
	for c, id := range d.communities {
		cstats[c] = CommunityStats{ID: id, Feasible: !infeasible[c]}
	}
	for _, dg := range res.Diagnoses {
		cs := &cstats[dg.Community]
		cs.Diagnoses = append(cs.Diagnoses, diagnosis{Reason: string(dg.Reason), Units: dg.Units, Detail: dg.Detail, Proven: dg.Proven})
	}
	return cstats, infeasible
}

// countDiagnoses counts, per reason, the communities with a proven
// diagnosis of that reason, and the unproven diagnoses.
func countDiagnoses(cstats []CommunityStats) (infeasible map[string]int, unproven int) {
	infeasible = map[string]int{}
	for c := range cstats {
		seen := map[string]bool{}
		for _, dg := range cstats[c].Diagnoses {
			if !dg.Proven {
				unproven++
			} else if !seen[dg.Reason] {
				seen[dg.Reason] = true
				infeasible[dg.Reason]++
			}
		}
	}
	return infeasible, unproven
}

// gridTable is the per-grid table, in the order of res.Grids, with the
// number of split compounds that share a grid with other buildings and the
// number of grids drawn in more than one piece. shapes may be nil (no
// polygons drawn); split holds the split compounds.
func gridTable(d *district, res *partition.Result, shapes *gridShapes, codes []string, split map[compoundKey]bool) (rows []GridStats, mixed, multipart int) {
	bs := d.buildings
	mixedKeys := map[compoundKey]bool{}
	for gi, g := range res.Grids {
		gs := GridStats{
			Code: codes[gi], Community: d.communities[g.Community], Type: "residential",
			BandHouseholds: g.Weight, Status: g.Status.String(), Reason: string(g.Reason),
		}
		switch {
		case g.Dedicated:
			gs.Type = "dedicated"
		case g.Empty:
			gs.Type = "empty"
		}
		if g.Mass > 0 {
			gs.GyrationM = round2(math.Sqrt(g.Inertia / g.Mass))
		}
		if shapes != nil {
			a, p := shape.AreaPerimeter(shapes.polygons[gi])
			gs.AreaM2, gs.PerimeterM, gs.Pieces = round2(a), round2(p), len(shapes.polygons[gi])
			if p > 0 {
				gs.PolsbyPopper = math.Round(1e4*4*math.Pi*a/(p*p)) / 1e4
			}
			if gs.Pieces > 1 {
				// Adjacency follows the drawn cells, so a grid connected in
				// the graph is one polygon; several pieces mean its buildings
				// really are apart (an island, or a cell cut by the outline),
				// and the grid says so even when it is in band.
				multipart++
				if gs.Reason == "" {
					gs.Reason = string(partition.Isolated)
				}
			}
		}
		compounds := map[compoundKey]bool{}
		for _, a := range g.Atoms {
			for _, i := range d.atoms[a] {
				b := &bs[i]
				gs.Households += b.Households
				gs.Buildings++
				if b.Kind == geo.Shop {
					gs.Shops++
				}
				if b.Compound != "" {
					compounds[compoundKey{b.Community, b.Compound}] = true
				}
			}
		}
		gs.Compounds = len(compounds)
		for k := range compounds {
			if split[k] {
				gs.SplitCompound = true
				for _, a := range g.Atoms {
					for _, i := range d.atoms[a] {
						if bs[i].Compound != k.compound {
							mixedKeys[k] = true
						}
					}
				}
			}
		}
		rows = append(rows, gs)
	}
	return rows, len(mixedKeys), multipart
}

// coverageStats stores the tiling check of each tessellated community in
// cstats and returns their sum; it is OK when every community's is.
func coverageStats(d *district, shapes *gridShapes, cstats []CommunityStats) CoverageStats {
	t := CoverageStats{OK: true}
	for c := range cstats {
		if !d.tessellated[c] {
			continue
		}
		cov, tol := shapes.coverage[c], shapes.tolM2[c]
		cs := &CoverageStats{
			GapM2: roundArea(cov.GapM2), OverlapM2: roundArea(cov.OverlapM2), OutsideM2: roundArea(cov.OutsideM2),
			BuildingsOutside: cov.BuildingsOutside, ToleranceM2: roundArea(tol),
		}
		cs.OK = cov.Within(tol)
		cstats[c].Coverage = cs
		t.GapM2 += cs.GapM2
		t.OverlapM2 += cs.OverlapM2
		t.OutsideM2 += cs.OutsideM2
		t.BuildingsOutside += cs.BuildingsOutside
		t.ToleranceM2 += cs.ToleranceM2
		t.OK = t.OK && cs.OK
	}
	t.GapM2, t.OverlapM2, t.OutsideM2, t.ToleranceM2 = roundArea(t.GapM2), roundArea(t.OverlapM2), roundArea(t.OutsideM2), roundArea(t.ToleranceM2)
	return t
}

// addTotals fills s.Totals and s.Compactness, and the counts, shares and
// household distributions of cstats, from the buildings and from s.Grids.
// Dedicated and empty grids count among the grids but not in the shares,
// the distributions or the compactness means.
func (s *Stats) addTotals(d *district, res *partition.Result, cstats []CommunityStats, infeasible []bool) {
	t := &s.Totals
	t.Buildings = len(d.buildings)
	t.Communities = len(d.communities)
	// No sum of counts overflows: each is at most geo.MaxBuildingHouseholds
	// = 10^5 (checkCounts), so n buildings hold at most 10^5·n < 2^63.
	for i, b := range d.buildings {
		t.Households += b.Households
		cs := &cstats[d.problem.Atoms[d.atomOf[i]].Community]
		cs.Buildings++
		cs.Households += b.Households
	}
	var weights []int
	cweights := make([][]int, len(cstats))
	var gyration, pp float64
	for gi, g := range res.Grids {
		cs := &cstats[g.Community]
		cs.Grids++
		t.Grids++
		switch {
		case g.Dedicated:
			t.DedicatedGrids++
			continue
		case g.Empty:
			t.EmptyGrids++
			continue
		}
		t.ResidentialGrids++
		weights = append(weights, g.Weight)
		cweights[g.Community] = append(cweights[g.Community], g.Weight)
		gyration += s.Grids[gi].GyrationM
		pp += s.Grids[gi].PolsbyPopper
		inBand := g.Status == partition.OK
		if inBand {
			t.GridsInBand++
			cs.GridsInBand++
		}
		if !infeasible[g.Community] && g.Reason != partition.OversizedBuilding {
			t.FeasibleGrids++
			if inBand {
				t.FeasibleInBand++
			}
		}
	}
	for c := range cstats {
		cs := &cstats[c]
		cs.GridHouseholds = distributionOf(cweights[c])
		cs.ShareInBand = share(cs.GridsInBand, len(cweights[c]))
	}
	t.ShareInBand = share(t.GridsInBand, t.ResidentialGrids)
	t.ShareInBandFeasible = share(t.FeasibleInBand, t.FeasibleGrids)
	t.GridHouseholds = distributionOf(weights)
	if t.ResidentialGrids > 0 {
		s.Compactness.MeanGyrationM = round2(gyration / float64(t.ResidentialGrids))
		s.Compactness.MeanPolsbyPopper = math.Round(1e4*pp/float64(t.ResidentialGrids)) / 1e4
	}
}

// share returns n/of rounded to 4 decimals, and 1 when of is 0 (nothing to
// be out of band).
func share(n, of int) float64 {
	if of == 0 {
		return 1
	}
	return math.Round(1e4*float64(n)/float64(of)) / 1e4
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// roundArea keeps areas to 1e-6 m²: enough to show a sliver, stable in
// golden files against the last bits of overlay arithmetic.
func roundArea(x float64) float64 {
	if math.IsNaN(x) {
		return -1 // an overlay failed; never within tolerance
	}
	return math.Round(x*1e6) / 1e6
}

// distributionOf summarises households per grid: the median of an even count
// is the mean of the two middle values, and StdDev is the population standard
// deviation (divided by n, not n-1); Mean and StdDev are rounded to 2 decimals.
func distributionOf(ws []int) Distribution {
	if len(ws) == 0 {
		return Distribution{}
	}
	s := append([]int(nil), ws...)
	sort.Ints(s)
	x := make([]float64, len(s))
	for i, w := range s {
		x[i] = float64(w)
	}
	// The sums of whole numbers are exact in any order, and the compensation
	// term of gonum's two-pass variance is far below the last bit of the sum
	// of squares, so these are the plain sum/n and sqrt(Σ(x-mean)²/n) bit for
	// bit, as long as x is summed in sorted order.
	mean, std := stat.PopMeanStdDev(x, nil)
	// Not stat.Quantile: its Empirical median of an even count is the lower
	// middle value and LinInterp's is interpolated at i/n, neither the mean
	// of the two middle values.
	med := x[len(x)/2]
	if len(x)%2 == 0 {
		med = (x[len(x)/2-1] + x[len(x)/2]) / 2
	}
	return Distribution{Min: s[0], Median: med, Mean: round2(mean), Max: s[len(s)-1], StdDev: round2(std)}
}
