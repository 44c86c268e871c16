package plan

import (
	"bytes"
	"encoding/csv"
	"sort"
	"strconv"
	"strings"

	"gridplan/geo/report"
	"gridplan/partition"
)

// ChangeStats is the change summary of a repartition in stats.json.
type ChangeStats struct {
	Previous string `json:"previous"`
	// PreviousUnchecked says why the earlier plan could not be checked
	// against its other files (an assignment.csv given alone).
	PreviousUnchecked string `json:"previous_unchecked,omitempty"`
	PreviousGrids     int    `json:"previous_grids"`
	// Classes counts earlier grids by class: U unchanged (kept with its
	// code), S split, M merged, X redrawn or demolished (an X grid whose
	// boundary only moved keeps its code). NewGrids counts grids with a
	// new code.
	Classes map[string]int `json:"classes"`
	// Emptied counts the X grids none of whose buildings is left (a
	// community or compound demolished, or gone from the layers).
	Emptied        int     `json:"grids_emptied"`
	NewGrids       int     `json:"new_grids"`
	UnchangedShare float64 `json:"unchanged_share"`
	// Buildings and households of buildings present in both plans, and
	// those of them whose grid code changed: every household of a split,
	// merged or redrawn grid, and those a continuing grid shed.
	Buildings            int     `json:"buildings_in_both"`
	BuildingsMoved       int     `json:"buildings_moved"`
	BuildingsMovedShare  float64 `json:"buildings_moved_share"`
	Households           int     `json:"households_in_both"`
	HouseholdsMoved      int     `json:"households_moved"`
	HouseholdsMovedShare float64 `json:"households_moved_share"`
	// HouseholdsRegrouped counts the households of buildings in both plans
	// whose new grid does not continue their earlier grid, where a new
	// grid continues the earlier grid that gave it most of its households:
	// in a merge the smaller partner's households are regrouped, in a split
	// those outside the largest part.
	HouseholdsRegrouped      int     `json:"households_regrouped"`
	HouseholdsRegroupedShare float64 `json:"households_regrouped_share"`
	BuildingsAdded           int     `json:"buildings_added"`
	BuildingsRemoved         int     `json:"buildings_removed"`
	// Retired lists, sorted, the codes no grid holds any more: those of
	// earlier grids the new plan does not keep, and those the earlier
	// plan had retired. A later repartition of this plan never issues
	// them again.
	Retired []string `json:"retired_codes"`
}

// changes compares the new plan with the earlier one: the summary,
// changes.csv and moves.csv, and the rows of changes.csv for the report.
func (pp *Previous) changes(d *district, res *partition.Result, codes []string, cont []int) (*ChangeStats, []byte, []byte, []report.ChangeRow) {
	ch := &ChangeStats{Previous: pp.source, PreviousUnchecked: pp.unchecked, PreviousGrids: len(pp.codes), Classes: map[string]int{"U": 0, "S": 0, "M": 0, "X": 0}}
	kept, continued := make([]bool, len(pp.codes)), make([]bool, len(pp.codes))
	for n, k := range res.Kept {
		if k >= 0 {
			kept[k] = true
		}
		if og := cont[n]; og >= 0 {
			continued[og] = true
		} else {
			ch.NewGrids++
		}
	}
	newOf := make([]map[int]bool, len(pp.codes)) // earlier grid -> new grids of its buildings
	sources := make([]map[int]bool, len(res.Grids))
	for g := range newOf {
		newOf[g] = map[int]bool{}
	}
	for g := range sources {
		sources[g] = map[int]bool{}
	}
	for n, k := range res.Kept {
		if k >= 0 { // also a kept grid without buildings
			newOf[k][n], sources[n][k] = true, true
		}
	}
	f := pp.flows(d, res)
	before, after, gave := f.before, f.after, f.gave
	present := map[string]bool{}
	var moves bytes.Buffer
	mw := csv.NewWriter(&moves)
	mw.Write([]string{"building_id", "old_grid", "new_grid"})
	for i, b := range d.buildings {
		present[b.ID] = true
		ng := res.AtomGrid[d.atomOf[i]]
		og, ok := pp.gridOf[b.ID]
		if !ok {
			ch.BuildingsAdded++
			mw.Write([]string{b.ID, "", codes[ng]})
			continue
		}
		newOf[og][ng] = true
		sources[ng][og] = true
		ch.Buildings++
		ch.Households += b.Households
		if codes[ng] != pp.codeNow(og) {
			ch.BuildingsMoved++
			ch.HouseholdsMoved += b.Households
			mw.Write([]string{b.ID, pp.codes[og], codes[ng]})
		}
	}
	// The earlier grid each new grid continues: the one that gave it most
	// households (the lowest numbered on a tie).
	continues := make([]int, len(res.Grids))
	for n := range continues {
		continues[n] = -1
		for og, h := range gave[n] {
			if c := continues[n]; c < 0 || h > gave[n][c] || h == gave[n][c] && og < c {
				continues[n] = og
			}
		}
	}
	for i, b := range d.buildings {
		if og, ok := pp.gridOf[b.ID]; ok && continues[res.AtomGrid[d.atomOf[i]]] != og {
			ch.HouseholdsRegrouped += b.Households
		}
	}
	for _, id := range pp.buildings {
		if !present[id] {
			ch.BuildingsRemoved++
			mw.Write([]string{id, pp.codes[pp.gridOf[id]], ""})
		}
	}
	mw.Flush()

	var changes bytes.Buffer
	cw := csv.NewWriter(&changes)
	cw.Write([]string{"old_code", "new_codes", "class", "households_before", "households_after"})
	var rows []report.ChangeRow
	covered := make([]bool, len(res.Grids))
	for g, code := range pp.codes {
		var ns []int
		for n := range newOf[g] {
			ns = append(ns, n)
			covered[n] = true
		}
		sort.Ints(ns)
		var names []string
		hAfter := 0
		for _, n := range ns {
			names = append(names, codes[n])
			hAfter += after[n]
		}
		class := "X"
		switch {
		case kept[g]:
			class = "U"
		case continued[g]:
			// X: its boundary moved, its code stays
		case len(ns) >= 2 && onlySource(sources, ns, g):
			class = "S"
		case len(ns) == 1 && len(sources[ns[0]]) >= 2:
			class = "M"
		}
		ch.Classes[class]++
		if len(ns) == 0 {
			ch.Emptied++
		}
		hBefore := pp.households[g]
		if hBefore < 0 {
			hBefore = before[g] // not recorded: today's counts of its surviving buildings
		}
		cw.Write([]string{code, strings.Join(names, " "), class, strconv.Itoa(hBefore), strconv.Itoa(hAfter)})
		rows = append(rows, report.ChangeRow{Old: code, New: names, Class: class, Before: hBefore, After: hAfter})
	}
	for n, ok := range covered {
		if !ok {
			cw.Write([]string{"", codes[n], "X", "0", strconv.Itoa(after[n])})
			rows = append(rows, report.ChangeRow{New: []string{codes[n]}, Class: "X", After: after[n]})
		}
	}
	cw.Flush()
	ch.Retired = pp.retiredAfter(codes)
	ch.UnchangedShare = share(ch.Classes["U"], ch.PreviousGrids)
	ch.BuildingsMovedShare = share(ch.BuildingsMoved, ch.Buildings)
	ch.HouseholdsMovedShare = share(ch.HouseholdsMoved, ch.Households)
	ch.HouseholdsRegroupedShare = share(ch.HouseholdsRegrouped, ch.Households)
	return ch, changes.Bytes(), moves.Bytes(), rows
}

// onlySource reports whether g is the only earlier grid of every new grid in ns.
func onlySource(sources []map[int]bool, ns []int, g int) bool {
	for _, n := range ns {
		if len(sources[n]) != 1 || !sources[n][g] {
			return false
		}
	}
	return true
}

// retiredAfter returns the retired codes of a plan with codes drawn from
// this earlier one, sorted: the earlier plan's retired codes and those of
// its grids, that no grid of codes holds.
func (pp *Previous) retiredAfter(codes []string) []string {
	held := make(map[string]bool, len(codes))
	for _, c := range codes {
		held[c] = true
	}
	retired := []string{}
	for _, list := range [][]string{pp.retired, pp.codes} {
		for _, c := range list {
			if !held[c] {
				held[c] = true // once
				retired = append(retired, c)
			}
		}
	}
	sort.Strings(retired)
	return retired
}
