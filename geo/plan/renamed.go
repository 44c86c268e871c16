package plan

import (
	"fmt"
	"sort"

	"gridplan/geo"
)

// renameCommunities carries the earlier plan over communities that are
// only renamed: an earlier community whose buildings still present all
// name one community the earlier plan did not have, where no other earlier
// building lies, while no building and no region of the communities layer
// still bears the earlier id (a community recoded after an administrative
// change). Its grids are taken as the new community's, so that those still
// in band are kept, and each is coded anew under the new community with
// its sequence number (C005003 becomes C105003), or, where such codes were
// used or retired before (an id taken back), numbered on after them; the
// earlier codes are retired. A rename whose codes do not follow the layout
// is not carried over: its grids are drawn anew, as for any other change
// of community. Returns a warning per
// community carried over, in the order of the earlier ids. It changes pp:
// a Previous is read for one repartition.
func (pp *Previous) renameCommunities(bs []geo.Building, regions []geo.Region, c coding) []geo.Warning {
	earlier := map[string]bool{}
	for _, id := range pp.community {
		earlier[id] = true
	}
	if len(earlier) == 0 || earlier[""] && len(earlier) == 1 {
		return nil
	}
	now := map[string]bool{} // communities named now
	for _, r := range regions {
		now[r.ID] = true
	}
	to := map[string]string{}     // earlier community -> the one its buildings name now
	from := map[string]string{}   // community named now -> the earlier one of its buildings
	split := map[string]bool{}    // earlier communities whose buildings name several now
	joined := map[string]bool{}   // communities named now by buildings of several earlier ones
	buildings := map[string]int{} // earlier community -> its buildings still present
	for _, b := range bs {
		now[b.Community] = true
		g, ok := pp.gridOf[b.ID]
		if !ok || pp.community[g] == "" {
			continue
		}
		old := pp.community[g]
		buildings[old]++
		if n, seen := to[old]; seen && n != b.Community {
			split[old] = true
		}
		if o, seen := from[b.Community]; seen && o != old {
			joined[b.Community] = true
		}
		to[old], from[b.Community] = b.Community, old
	}
	used := make(map[string]bool, len(pp.codes)+len(pp.retired))
	for _, code := range pp.codes {
		used[code] = true
	}
	for _, code := range pp.retired {
		used[code] = true
	}
	olds := make([]string, 0, len(to))
	for old := range to {
		olds = append(olds, old)
	}
	sort.Strings(olds)
	var warnings []geo.Warning
	for _, old := range olds {
		n := to[old]
		if n == "" || n == old || earlier[n] || now[old] || split[old] || joined[n] {
			continue
		}
		// Each grid keeps its sequence number under the new id; where a
		// code so made was used or retired (an id taken back), the grids
		// are numbered on after the highest of the new id's codes.
		var grids []int
		seqs := map[int]int{}
		next, renumber := 0, false
		for g, id := range pp.community {
			if id != old {
				continue
			}
			seq, ok := c.seq(pp.codes[g], old)
			if !ok {
				grids = nil
				break
			}
			grids, seqs[g] = append(grids, g), seq
			renumber = renumber || used[c.code(n, seq)]
		}
		if grids == nil {
			continue
		}
		if renumber {
			for code := range used {
				if seq, ok := c.seq(code, n); ok {
					next = max(next, seq)
				}
			}
			sort.SliceStable(grids, func(i, j int) bool { return seqs[grids[i]] < seqs[grids[j]] })
		}
		recoded := map[int]string{}
		for _, g := range grids {
			seq := seqs[g]
			if renumber {
				next++
				seq = next
			}
			recoded[g] = c.code(n, seq)
			used[recoded[g]] = true
		}
		if pp.now == nil {
			pp.now = make([]string, len(pp.codes))
		}
		codes := make([]string, 0, len(recoded))
		for g, code := range recoded {
			pp.community[g], pp.now[g] = n, code
			codes = append(codes, code)
		}
		sort.Strings(codes)
		how := "with their sequence numbers"
		if renumber {
			how = fmt.Sprintf("numbered on after the codes %q had before", n)
		}
		warnings = append(warnings, geo.Warning{File: pp.source, Index: -1, ID: old, Kind: "community_renamed", Note: fmt.Sprintf(
			"community %q of the earlier plan is now %q (all %d of its buildings): its %d grids are carried over and coded anew, %s: %s to %s; the earlier codes are retired",
			old, n, buildings[old], len(codes), how, codes[0], codes[len(codes)-1])})
	}
	return warnings
}

// codeNow is the code of earlier grid g under its community now: its
// earlier code, or the one it takes in a renamed community.
func (pp *Previous) codeNow(g int) string {
	if pp.now != nil && pp.now[g] != "" {
		return pp.now[g]
	}
	return pp.codes[g]
}
