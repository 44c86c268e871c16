package audit

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"gridplan/geo"
	"gridplan/geo/internal/shape"
	"gridplan/partition"

	"github.com/paulmach/orb"
)

// rules tallies each grid and reports invalid and multipart grids, grids
// out of the band and split compounds.
func (a *auditor) rules() {
	a.table = make([]GridAudit, len(a.grids))
	community := make([]string, len(a.grids))
	for k := range a.grids {
		community[k] = a.communityOf(k)
	}
	// Community totals for feasibility: band weight of the buildings not in
	// a dedicated grid.
	total := map[string]int{}
	for i, b := range a.bs {
		if k := a.gridOf[i]; k < 0 || !a.grids[k].Dedicated {
			total[b.Community] += a.weight[i]
		}
	}
	for k := range a.grids {
		g := &a.grids[k]
		t := GridAudit{Code: g.Code, Community: community[k], Dedicated: g.Dedicated, Pieces: len(g.Geometry), Valid: g.Invalid == ""}
		biggest := -1
		for _, i := range a.buildingsIn[k] {
			t.Households += a.bs[i].Households
			t.BandHouseholds += a.weight[i]
			t.Buildings++
			if biggest < 0 || a.weight[i] > a.weight[biggest] {
				biggest = i
			}
		}
		if len(g.Geometry) > 0 {
			plane := geo.NewLocalPlane(g.Geometry.Bound().Center())
			if c := a.home[k]; c >= 0 {
				plane = a.commPlane[c]
			}
			for _, p := range plane.Geometry(g.Geometry).(orb.MultiPolygon) {
				ar, _ := polygonAreaPerimeter(p)
				t.AreaM2 += ar
			}
		}
		a.table[k] = t
		if g.CodeProblem != "" {
			a.add(Finding{Kind: FindingBadCode, Grids: []string{g.Code}, Community: t.Community, Fixable: true,
				Area: g.Raw, Detail: fmt.Sprintf("grid %s: %s", g.Code, g.CodeProblem)})
		}
		if g.Invalid != "" {
			a.add(Finding{Kind: FindingInvalidGeometry, Grids: []string{g.Code}, Community: t.Community, Fixable: true,
				Area: g.Raw, Detail: fmt.Sprintf("grid %s (feature %d): %s", g.Code, g.Index, g.Invalid)})
		}
		if len(g.Geometry) > 1 {
			smallest := math.Inf(1)
			pl := geo.NewLocalPlane(g.Geometry.Bound().Center())
			for _, p := range g.Geometry {
				ar, _ := polygonAreaPerimeter(pl.Geometry(p).(orb.Polygon))
				smallest = min(smallest, ar)
			}
			f := Finding{Kind: FindingMultipart, Grids: []string{g.Code}, Community: t.Community, Fixable: true,
				Measured: map[string]float64{"pieces": float64(len(g.Geometry)), "smallest_piece_m2": smallest},
				Area:     g.Geometry,
				Detail:   fmt.Sprintf("grid %s is in %d pieces (smallest %.1f m²)", g.Code, len(g.Geometry), smallest)}
			if joined := a.piecesJoined(k); len(joined) > 0 {
				f.Fixable, f.Reason, f.Buildings = false, ReasonMultipartBuilding, joined
				f.Detail += fmt.Sprintf("; cannot be fixed by redrawing: building %s is drawn in parts in its pieces", strings.Join(joined, ", "))
			}
			a.add(f)
		}
		if g.Dedicated || len(g.Geometry) == 0 {
			continue
		}
		if t.Community != "" && total[t.Community] == 0 {
			// A community without households: its grids only cover it
			// (SPEC §5, type empty); there is nothing to balance.
			continue
		}
		if t.BandHouseholds >= a.min && t.BandHouseholds <= a.max {
			a.table[k].Status = "ok"
			continue
		}
		f := Finding{Kind: FindingOutOfBand, Grids: []string{g.Code}, Community: t.Community, Fixable: true, Area: g.Geometry,
			Measured: map[string]float64{"households": float64(t.Households), "band_households": float64(t.BandHouseholds),
				"min": float64(a.min), "max": float64(a.max), "community_households": float64(total[t.Community])}}
		status := "under"
		if t.BandHouseholds > a.max {
			status = "over"
		}
		a.table[k].Status = status
		T := total[t.Community]
		switch {
		case T < a.min:
			f.Fixable, f.Reason = false, string(partition.CommunityTooSmall)
		case bandGap(T, a.min, a.max):
			f.Fixable, f.Reason = false, string(partition.BandGap)
		case status == "over" && biggest >= 0 && a.weight[biggest] > a.max:
			f.Fixable, f.Reason = false, string(partition.OversizedBuilding)
			f.Buildings = []string{a.bs[biggest].ID}
		}
		f.Detail = fmt.Sprintf("grid %s holds %d households, %s the band [%d, %d]", g.Code, t.BandHouseholds, status, a.min, a.max)
		switch {
		case f.Reason == string(partition.OversizedBuilding):
			f.Detail += fmt.Sprintf("; cannot be fixed by redrawing: %s (building %s has %d households)", f.Reason, a.bs[biggest].ID, a.weight[biggest])
		case !f.Fixable:
			f.Detail += fmt.Sprintf("; cannot be fixed by redrawing: %s (community %s has %d)", f.Reason, t.Community, T)
		}
		a.add(f)
	}
	a.splitCompounds()
}

// bandGap reports whether no whole number of grids can each hold total
// households in [min, max].
func bandGap(total, min, max int) bool {
	lo, hi := partition.GridRange(total, min, max)
	return lo > hi
}

// splitCompounds reports compounds of at most max households whose
// buildings count in more than one grid (SPEC §3 rule 3).
func (a *auditor) splitCompounds() {
	type key struct{ community, compound string }
	size := map[key]int{}
	members := map[key][]int{}
	var keys []key
	for i, b := range a.bs {
		if b.Compound == "" {
			continue
		}
		kk := key{b.Community, b.Compound}
		if _, ok := members[kk]; !ok {
			keys = append(keys, kk)
		}
		size[kk] += a.weight[i]
		members[kk] = append(members[kk], i)
	}
	for _, kk := range keys {
		if size[kk] > a.max {
			continue
		}
		per := map[int]int{}
		var grids []int
		var ids []string
		for _, i := range members[kk] {
			k := a.gridOf[i]
			ids = append(ids, a.bs[i].ID)
			if k < 0 {
				continue
			}
			if _, ok := per[k]; !ok {
				grids = append(grids, k)
			}
			per[k] += a.weight[i]
		}
		if len(grids) < 2 {
			continue
		}
		slices.SortFunc(grids, func(x, y int) int { return cmp.Compare(a.grids[x].Code, a.grids[y].Code) })
		codes := make([]string, len(grids))
		parts := make([]string, len(grids))
		var area orb.MultiPolygon
		for j, k := range grids {
			codes[j] = a.grids[k].Code
			parts[j] = fmt.Sprintf("%d in %s", per[k], codes[j])
		}
		for _, i := range members[kk] {
			switch g := a.bs[i].Geometry.(type) {
			case orb.Polygon:
				area = append(area, g)
			case orb.MultiPolygon:
				area = append(area, g...)
			}
		}
		var shown orb.Geometry
		if len(area) > 0 {
			shown = area
		}
		a.add(Finding{Kind: FindingSplitCompound, Grids: codes, Buildings: ids, Community: kk.community, Compound: kk.compound,
			Measured: map[string]float64{"households": float64(size[kk]), "grids": float64(len(grids)), "max": float64(a.max)},
			Fixable:  true, Area: shown,
			Detail: fmt.Sprintf("compound %s (%d households, at most %d) is split across %d grids: %s",
				kk.compound, size[kk], a.max, len(grids), strings.Join(parts, ", "))})
	}
}

// piecesJoined returns the buildings of grid k drawn in several parts
// (MultiPolygons) whose parts lie in different pieces of it, if together
// they join every piece: the grid must then be in pieces, whatever the
// drawing. nil otherwise.
func (a *auditor) piecesJoined(k int) []string {
	pieces := a.grids[k].Geometry
	parent := make([]int, len(pieces))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	var joined []string
	for _, i := range a.buildingsIn[k] {
		parts := shape.Polygons(a.bs[i].Geometry)
		if len(parts) < 2 {
			continue
		}
		first, joins := -1, false
		for _, part := range parts {
			p := shape.PolygonPoint(part)
			for j, piece := range pieces {
				if !shape.PolygonCovers(piece, p) {
					continue
				}
				if first < 0 {
					first = j
				} else if find(j) != find(first) {
					parent[find(j)] = find(first)
					joins = true
				}
				break
			}
		}
		if joins {
			joined = append(joined, a.bs[i].ID)
		}
	}
	for j := range pieces {
		if find(j) != find(0) {
			return nil
		}
	}
	return joined
}
