package plan

import (
	"slices"
	"testing"

	"gridplan/geo"
)

// TestRenameCommunities: an earlier community is carried over under a new
// id only where it was renamed and nothing else: all its buildings name
// one id the earlier plan did not have, no other earlier building lies
// there, the earlier id is gone, and the new codes are free.
func TestRenameCommunities(t *testing.T) {
	c := sepCoding("", 3)
	earlier := func() *Previous {
		return &Previous{
			source:    "plan",
			codes:     []string{"A001", "A002", "B001"},
			community: []string{"A", "A", "B"},
			gridOf:    map[string]int{"a1": 0, "a2": 1, "a3": 1, "b1": 2},
		}
	}
	buildings := func(community ...string) []geo.Building {
		ids := []string{"a1", "a2", "a3", "b1"}
		bs := make([]geo.Building, len(community))
		for i, cm := range community {
			bs[i] = geo.Building{ID: ids[i], Community: cm}
		}
		return bs
	}
	for _, tc := range []struct {
		name    string
		bs      []geo.Building
		regions []string
		retired []string
		want    []string // codes now; nil: no rename
	}{
		{name: "renamed", bs: buildings("X", "X", "X", "B"), regions: []string{"X", "B"}, want: []string{"X001", "X002", "B001"}},
		{name: "renamed, no layer", bs: append(buildings("X", "X", "X", "B"), geo.Building{ID: "new", Community: "X"}), want: []string{"X001", "X002", "B001"}},
		{name: "both renamed", bs: buildings("X", "X", "X", "Y"), want: []string{"X001", "X002", "Y001"}},
		{name: "split in two", bs: buildings("X", "X", "Y", "B")},
		{name: "merged into another", bs: buildings("B", "B", "B", "B")},
		{name: "joined by another", bs: buildings("X", "X", "X", "X")},
		{name: "earlier id still a region", bs: buildings("X", "X", "X", "B"), regions: []string{"A", "X", "B"}},
		{name: "earlier id still named", bs: append(buildings("X", "X", "X", "B"), geo.Building{ID: "new", Community: "A"})},
		// X was an id before: its codes up to X002 are retired, so the
		// grids are numbered on.
		{name: "new code retired", bs: buildings("X", "X", "X", "B"), retired: []string{"X002"}, want: []string{"X003", "X004", "B001"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pp := earlier()
			pp.retired = tc.retired
			var regions []geo.Region
			for _, id := range tc.regions {
				regions = append(regions, geo.Region{ID: id})
			}
			ws := pp.renameCommunities(tc.bs, regions, c)
			now := []string{pp.codeNow(0), pp.codeNow(1), pp.codeNow(2)}
			if tc.want == nil {
				if len(ws) > 0 || !slices.Equal(now, pp.codes) || !slices.Equal(pp.community, []string{"A", "A", "B"}) {
					t.Errorf("carried over: codes %v, communities %v, warnings %v; want no change", now, pp.community, ws)
				}
				return
			}
			if !slices.Equal(now, tc.want) || !slices.Equal(pp.codes, []string{"A001", "A002", "B001"}) {
				t.Errorf("codes now %v (earlier %v), want %v (earlier kept)", now, pp.codes, tc.want)
			}
			renamed := 0
			for i, code := range tc.want {
				if code != pp.codes[i] && (i == 0 || pp.community[i] != pp.community[i-1]) {
					renamed++ // a community renamed, counted at its first grid
				}
			}
			if len(ws) != renamed || ws[0].Kind != "community_renamed" || ws[0].ID != "A" {
				t.Errorf("warnings %+v, want %d community_renamed, A's first", ws, renamed)
			}
		})
	}
}
