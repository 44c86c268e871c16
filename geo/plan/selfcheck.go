package plan

import (
	"fmt"
	"strings"

	"gridplan/partition"
)

// selfCheck checks what gridplan promises of every plan it writes (SPEC §4,
// §5) and returns one line for each failure: grids that do not tile their
// community (gap, overlap, area outside it, a footprint outside its grid),
// a grid without a polygon or with an invalid one, a grid code used twice,
// households not conserved. None of these can come from the input: each
// is a bug in gridplan, reported loudly by the caller.
func selfCheck(d *district, res *partition.Result, shapes *gridShapes, codes []string, s *Stats) []string {
	var fails []string
	seen := make(map[string]bool, len(codes))
	for _, c := range codes {
		if seen[c] {
			fails = append(fails, fmt.Sprintf("grid code %s is used by two grids", c))
		}
		seen[c] = true
	}
	total, inGrids := 0, 0
	for _, b := range d.buildings {
		total += b.Households
	}
	for _, g := range s.Grids {
		inGrids += g.Households
	}
	if total != inGrids {
		fails = append(fails, fmt.Sprintf("the grids hold %d households, the buildings %d", inGrids, total))
	}
	if shapes == nil {
		return fails
	}
	for c, cs := range s.Communities {
		cov := cs.Coverage
		if cov == nil || cov.OK {
			continue
		}
		var parts []string
		for _, f := range []struct {
			name string
			m2   float64
		}{{"gap", cov.GapM2}, {"overlap", cov.OverlapM2}, {"area outside the community", cov.OutsideM2}} {
			if f.m2 > cov.ToleranceM2 || f.m2 != f.m2 {
				parts = append(parts, fmt.Sprintf("%s %.2f m²", f.name, f.m2))
			}
		}
		if n := cov.BuildingsOutside; n > 0 {
			var ids []string
			for k, u := range shapes.coverage[c].Outside {
				if k == 3 {
					ids = append(ids, fmt.Sprintf("and %d more", n-3))
					break
				}
				ids = append(ids, fmt.Sprintf("%q", d.buildings[d.members[c][u]].ID))
			}
			parts = append(parts, fmt.Sprintf("%d footprints not whole in their grid (%s)", n, strings.Join(ids, ", ")))
		}
		fails = append(fails, fmt.Sprintf("community %q: the grids do not tile it: %s (tolerance %.2g m²)", d.communities[c], strings.Join(parts, ", "), cov.ToleranceM2))
	}
	for gi, mp := range shapes.written {
		if len(mp) == 0 {
			fails = append(fails, fmt.Sprintf("grid %s has no polygon", codes[gi]))
			continue
		}
		if err := shapes.invalid[gi]; err != nil {
			fails = append(fails, fmt.Sprintf("grid %s: invalid polygon: %v", codes[gi], err))
		}
	}
	return fails
}
