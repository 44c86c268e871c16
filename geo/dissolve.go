package geo

import (
	"fmt"
	"strings"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// nameFields are the properties read as a region's name, first present
// wins: English and Chinese GIS layers (名称, "name").
var nameFields = []string{"name", "NAME", "Name", "名称"}

// dissolveDuplicates makes the regions of rs that share an id one region,
// as a GIS dissolve would: the union of their polygons, at the place of the
// first (SPEC §2.4: one area in several parts). Each merge is reported as a
// "duplicate_id" warning naming every feature and, where they differ, their
// names; the region is named by all of them, joined with " / ". rs is not
// modified.
func dissolveDuplicates(file string, rs []Region) ([]Region, []Warning, error) {
	first := make(map[string]int, len(rs))
	var groups [][]int
	for i, r := range rs {
		g, ok := first[r.ID]
		if !ok {
			g = len(groups)
			first[r.ID] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	if len(groups) == len(rs) {
		return rs, nil, nil
	}
	out := make([]Region, 0, len(groups))
	var ws []Warning
	for _, g := range groups {
		r := rs[g[0]]
		if len(g) == 1 {
			out = append(out, r)
			continue
		}
		var all orb.MultiPolygon
		var feats, names, plain []string
		nameSeen := map[string]bool{}
		for _, i := range g {
			all = append(all, rs[i].Geometry...)
			feats = append(feats, fmt.Sprint(rs[i].Index))
			if n := rs[i].Name; n != "" && !nameSeen[n] {
				nameSeen[n] = true
				names = append(names, fmt.Sprintf("%q", n))
				plain = append(plain, n)
			}
		}
		u, err := geom.UnaryUnion(shape.ToSF(all))
		merged := shape.FromSF(u)
		if err != nil || len(merged) == 0 {
			return nil, nil, &FeatureError{File: file, Index: r.Index, ID: r.ID,
				Err: fmt.Errorf("%w: features %s share this id and their polygons cannot be merged", ErrDuplicateID, strings.Join(feats, ", "))}
		}
		r.Geometry = merged
		// Features of one id that name it differently: the area bears
		// every name (it only labels the area).
		r.Name = strings.Join(plain, " / ")
		if len(plain) > 1 {
			r.Names = plain
		}
		note := fmt.Sprintf("features %s share this id: taken as one area of %d %s", strings.Join(feats, ", "), len(merged), plural(len(merged), "part"))
		if len(names) > 1 {
			note += fmt.Sprintf(" (their names differ: %s)", strings.Join(names, ", "))
		}
		ws = append(ws, Warning{File: file, Index: r.Index, ID: r.ID, Kind: "duplicate_id", Note: note})
		out = append(out, r)
	}
	return out, ws, nil
}
