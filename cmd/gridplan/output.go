package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"gridplan/geo"
	"gridplan/geo/plan"

	"golang.org/x/text/width"
)

// printSummary writes the human summary of a plan.
func printSummary(w io.Writer, s *plan.Stats, paths []string) {
	t := &s.Totals
	fmt.Fprintf(w, "%d buildings, %d households, %d communities -> %d grids", t.Buildings, t.Households, t.Communities, t.Grids)
	switch {
	case t.DedicatedGrids > 0 && t.EmptyGrids > 0:
		fmt.Fprintf(w, " (%d dedicated, %d empty)", t.DedicatedGrids, t.EmptyGrids)
	case t.DedicatedGrids > 0:
		fmt.Fprintf(w, " (%d dedicated)", t.DedicatedGrids)
	case t.EmptyGrids > 0:
		fmt.Fprintf(w, " (%d empty)", t.EmptyGrids)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "band [%d, %d], target %d: %d of %d residential grids in band (%.1f%%)\n",
		s.Settings.Min, s.Settings.Max, s.Settings.Target, t.GridsInBand, t.ResidentialGrids, 100*t.ShareInBand)
	fmt.Fprintf(w, "in communities not proven infeasible: %d of %d (%.1f%%)\n",
		t.FeasibleInBand, t.FeasibleGrids, 100*t.ShareInBandFeasible)
	h := &t.GridHouseholds
	fmt.Fprintf(w, "households per grid: min %d, median %.0f, mean %.1f, max %d, sd %.1f\n", h.Min, h.Median, h.Mean, h.Max, h.StdDev)
	fmt.Fprintf(w, "compounds: %d, split %d (all larger than %d)\n", s.Compounds.Total, s.Compounds.Split, s.Settings.Max)
	if n := len(s.SelfCheck); n > 0 {
		fmt.Fprintf(w, "SELF-CHECK FAILED: %d problems with this plan (a bug in gridplan; see stderr and stats.json); do not use it\n", n)
	}
	if t.EmptyGrids > 0 {
		fmt.Fprintf(w, "communities without households, covered by empty grids outside the band figures: %s\n", emptyCommunities(s))
	}
	if len(s.Warnings) > 0 {
		fmt.Fprintf(w, "input warnings: %d (%s); see stats.json\n", len(s.Warnings), warningCounts(s.Warnings))
	}
	if n := s.Compactness.Multipart; n > 0 {
		fmt.Fprintf(w, "grids drawn in several pieces: %d (property pieces in grids.geojson)\n", n)
	}
	var out []plan.GridStats
	for _, g := range s.Grids {
		if g.Status != "ok" {
			out = append(out, g)
		}
	}
	if len(out) > 0 {
		fmt.Fprintf(w, "\nout of band (%d):\n", len(out))
		// Worst first: the largest distance from the band.
		sort.SliceStable(out, func(i, j int) bool { return distance(s, out[i]) > distance(s, out[j]) })
		const maxListed = 20
		for i, g := range out {
			if i == maxListed {
				fmt.Fprintf(w, "  ... and %d more in stats.json\n", len(out)-maxListed)
				break
			}
			fmt.Fprintf(w, "  %s %-5s %5d  %s\n", padRight(oneLine(g.Code), 16), g.Status, g.BandHouseholds, g.Reason)
		}
	}
	if len(paths) > 0 {
		fmt.Fprintf(w, "\nwritten: %s\n", strings.Join(paths, ", "))
	}
}

// emptyCommunities lists the communities of the empty grids of s, at most
// ten, then how many more.
func emptyCommunities(s *plan.Stats) string {
	const maxListed = 10
	var ids []string
	seen := map[string]bool{}
	for _, g := range s.Grids {
		if g.Type != "empty" || seen[g.Community] {
			continue
		}
		seen[g.Community] = true
		ids = append(ids, oneLine(g.Community))
	}
	if n := len(ids) - maxListed; n > 0 {
		ids = append(ids[:maxListed], fmt.Sprintf("and %d more", n))
	}
	return strings.Join(ids, ", ")
}

// padRight pads s with spaces to n terminal columns: Chinese characters
// take two columns (East Asian Wide and Fullwidth, Unicode UAX #11), so
// counting bytes or runes would misalign the table.
func padRight(s string, n int) string {
	cols := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			cols += 2
		default:
			cols++
		}
	}
	if cols >= n {
		return s
	}
	return s + strings.Repeat(" ", n-cols)
}

func distance(s *plan.Stats, g plan.GridStats) int {
	switch {
	case g.BandHouseholds < s.Settings.Min:
		return s.Settings.Min - g.BandHouseholds
	case g.BandHouseholds > s.Settings.Max:
		return g.BandHouseholds - s.Settings.Max
	}
	return 0
}

// maxWarningsPerKind bounds the warnings of one kind printed on stderr: a
// layer exported with clockwise rings has one per feature. All of them are
// in stats.json (findings.json for check).
const maxWarningsPerKind = 10

// printWarnings writes warnings to w, at most maxWarningsPerKind of each
// kind, then how many more of each kind are in file. A warning about a
// whole layer (Index -1, such as the count of reversed rings) names no
// feature.
func printWarnings(w io.Writer, ws []geo.Warning, file string) {
	shown := map[string]int{}
	for _, x := range ws {
		switch {
		case shown[x.Kind] >= maxWarningsPerKind:
		case x.Index < 0:
			fmt.Fprintf(w, "gridplan: warning: %s: %s: %s\n", oneLine(x.File), x.Kind, oneLine(x.Note))
		default:
			fmt.Fprintf(w, "gridplan: warning: %s: feature %d (id %q): %s: %s\n", oneLine(x.File), x.Index, x.ID, x.Kind, oneLine(x.Note))
		}
		shown[x.Kind]++
	}
	for _, k := range warningKinds(ws) {
		if n := shown[k] - maxWarningsPerKind; n > 0 {
			fmt.Fprintf(w, "gridplan: warning: ... and %d more %s warnings in %s\n", n, k, file)
		}
	}
}

// warningKinds returns the kinds of ws in order of first occurrence.
func warningKinds(ws []geo.Warning) []string {
	seen := map[string]bool{}
	var kinds []string
	for _, x := range ws {
		if !seen[x.Kind] {
			seen[x.Kind] = true
			kinds = append(kinds, x.Kind)
		}
	}
	return kinds
}

// warningCounts says how many warnings of each kind ws holds, e.g.
// "ring_orientation 38, stacked_building 2".
func warningCounts(ws []geo.Warning) string {
	n := map[string]int{}
	for _, x := range ws {
		n[x.Kind]++
	}
	var parts []string
	for _, k := range warningKinds(ws) {
		parts = append(parts, fmt.Sprintf("%s %d", k, n[k]))
	}
	return strings.Join(parts, ", ")
}
