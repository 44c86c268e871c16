package plan

import (
	"fmt"
	"sort"
	"strings"

	"gridplan/geo"
)

// compoundsAcross warns of every compound whose buildings lie in more than
// one community: grids never cross a community boundary (SPEC §3), so the
// compound is kept whole only within each community, and the plan counts
// each part as a compound of its own. The warning names the compound's
// feature in the compounds layer where it has one (compounds, read from
// file), else its first building in the buildings layer (file).
func compoundsAcross(file, compoundsFile string, bs []geo.Building, compounds []geo.Region) []geo.Warning {
	type part struct {
		buildings, households int
	}
	parts := map[string]map[string]*part{} // compound, community
	first := map[string]int{}              // compound: its first building
	for i, b := range bs {
		if b.Compound == "" || b.Community == "" {
			continue
		}
		byCommunity, ok := parts[b.Compound]
		if !ok {
			byCommunity = map[string]*part{}
			parts[b.Compound] = byCommunity
			first[b.Compound] = i
		}
		p, ok := byCommunity[b.Community]
		if !ok {
			p = &part{}
			byCommunity[b.Community] = p
		}
		p.buildings++
		p.households += b.Households
	}
	feature := map[string]int{}
	for _, r := range compounds {
		if _, ok := feature[r.ID]; !ok {
			feature[r.ID] = r.Index
		}
	}
	var ws []geo.Warning
	for id, byCommunity := range parts {
		if len(byCommunity) < 2 {
			continue
		}
		names := make([]string, 0, len(byCommunity))
		for c := range byCommunity {
			names = append(names, c)
		}
		sort.Strings(names)
		var in []string
		for _, c := range names {
			p := byCommunity[c]
			in = append(in, fmt.Sprintf("%q (%d buildings, %d households)", c, p.buildings, p.households))
		}
		w := geo.Warning{File: file, Index: bs[first[id]].Index, ID: bs[first[id]].ID, Kind: "compound_across_communities",
			Note: fmt.Sprintf("compound %q has buildings in %d communities, %s: grids never cross a community boundary, so each part is kept whole in its own community and counted as a compound of its own",
				id, len(names), strings.Join(in, ", "))}
		if k, ok := feature[id]; ok {
			w.File, w.Index, w.ID = compoundsFile, k, id
		}
		ws = append(ws, w)
	}
	sort.Slice(ws, func(a, b int) bool {
		if ws[a].File != ws[b].File {
			return ws[a].File < ws[b].File
		}
		return ws[a].Index < ws[b].Index
	})
	return ws
}
