package synth_test

import (
	"bytes"
	"cmp"
	"math"
	"regexp"
	"slices"
	"testing"

	"gridplan/geo/internal/shape"
	"gridplan/geo/synth"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"github.com/peterstace/simplefeatures/geom"
)

func TestDuplicates(t *testing.T) {
	mc := messy(t, 3000, synth.Duplicates)
	for _, fc := range []struct {
		name       string
		got, clean *geojson.FeatureCollection
	}{{"buildings", mc.b, mc.clean.Buildings}, {"communities", mc.c, mc.clean.Communities}} {
		n, polys := 0, 0
		for i, f := range fc.got.Features {
			p, ok := f.Geometry.(orb.Polygon)
			if !ok {
				continue
			}
			polys++
			r := p[0]
			compact := slices.Compact(slices.Clone(r))
			if len(compact) < len(r) {
				n++
				if len(r)-len(compact) > 2 {
					t.Errorf("%s %v: %d repeated vertices, want 1 or 2", fc.name, f.Properties["id"], len(r)-len(compact))
				}
			}
			if old := fc.clean.Features[i].Geometry.(orb.Polygon)[0]; !slices.Equal(compact, old) {
				t.Fatalf("%s %v: ring %v without repeats is not %v", fc.name, f.Properties["id"], r, old)
			}
		}
		checkShare(t, fc.name+" repeating a vertex", n, polys, 0.05)
	}
}

func TestRowHouses(t *testing.T) {
	mc := messy(t, 3000, synth.RowHouses)
	clean := byID(mc.clean.Buildings)
	// Walls: each edge of a footprint, and whose reverse edge it is.
	type edge struct{ p, q orb.Point }
	owner := map[edge]string{}
	for _, f := range polygons(mc.b) {
		r := ringOf(f)
		for i := 0; i+1 < len(r); i++ {
			owner[edge{r[i], r[i+1]}] = f.Properties["id"].(string)
		}
	}
	// Rows: runs of buildings that share a wall exactly with the next one.
	var rows [][]*geojson.Feature
	var row []*geojson.Feature
	for _, f := range mc.b.Features {
		if len(row) > 0 {
			r := ringOf(row[len(row)-1])
			if owner[edge{r[2], r[1]}] == f.Properties["id"] { // its east wall, reversed, is f's west wall
				row = append(row, f)
				continue
			}
		}
		if len(row) > 1 {
			rows = append(rows, row)
		}
		row = nil
		if _, ok := f.Geometry.(orb.Polygon); ok {
			row = []*geojson.Feature{f}
		}
	}
	shared := 0
	for e, id := range owner {
		if other, ok := owner[edge{e.q, e.p}]; ok && other != id {
			shared++
		}
	}
	if shared != 2*(countUnits(rows)-len(rows)) {
		t.Errorf("%d walls shared, want 2 per pair of neighbouring houses in %d rows", shared, len(rows))
	}
	walkups := 0
	for _, f := range mc.clean.Buildings.Features {
		if hh := households(f); f.Properties["kind"] == nil && hh >= 24 && hh <= 72 {
			walkups++
		}
	}
	checkShare(t, "rows of houses", len(rows), walkups, 0.10)
	for _, row := range rows {
		id := row[0].Properties["id"].(string)
		old := clean[id]
		if len(row) > 6 || old == nil {
			t.Fatalf("row from %s: %d houses, want 2–6, the first with the walk-up's id", id, len(row))
		}
		hh := 0
		area := 0.0
		for _, f := range row {
			hh += households(f)
			area += planar.Area(f.Geometry)
			if households(f) < 1 || f.Properties["compound"] != old.Properties["compound"] {
				t.Errorf("house %v: %d households, compound %v", f.Properties["id"], households(f), f.Properties["compound"])
			}
		}
		if hh != households(old) || math.Abs(area-planar.Area(old.Geometry)) > 1e-6*area {
			t.Errorf("row %s: %d households and area %g, the walk-up had %d and %g", id, hh, area, households(old), planar.Area(old.Geometry))
		}
	}
	if total(mc.b) != total(mc.clean.Buildings) {
		t.Errorf("%d households, the clean city has %d", total(mc.b), total(mc.clean.Buildings))
	}
}

func countUnits(rows [][]*geojson.Feature) int {
	n := 0
	for _, r := range rows {
		n += len(r)
	}
	return n
}

func total(fc *geojson.FeatureCollection) int {
	n := 0
	for _, f := range fc.Features {
		n += households(f)
	}
	return n
}

func TestPodiums(t *testing.T) {
	mc := messy(t, 3000, synth.Podiums)
	fs := mc.b.Features
	podiums := 0
	for i, f := range fs {
		p, ok := f.Geometry.(orb.Polygon)
		if !ok || f.Properties["kind"] != "shop" {
			continue
		}
		b := p.Bound()
		var in []*geojson.Feature
		for _, g := range polygons(mc.b) {
			if g != f && b.Contains(g.Geometry.Bound().Min) && b.Contains(g.Geometry.Bound().Max) {
				in = append(in, g)
			}
		}
		if len(in) == 0 {
			continue
		}
		podiums++
		if len(in) < 2 || len(in) > 4 || households(f) != 0 {
			t.Errorf("podium %v holds %d towers and %d households, want 2–4 and 0", f.Properties["id"], len(in), households(f))
		}
		for k, g := range in {
			gb := g.Geometry.Bound()
			margin := min(gb.Min[0]-b.Min[0], b.Max[0]-gb.Max[0])*mPerDegLon - 0.02
			if households(g) < 80 || g.Properties["compound"] != f.Properties["compound"] || margin < 2.9 {
				t.Errorf("podium %v: building %v (%d households, compound %v) %.2f m inside it", f.Properties["id"], g.Properties["id"], households(g), g.Properties["compound"], margin)
			}
			if fs[i+1+k] != g {
				t.Errorf("podium %v is not written just before its towers", f.Properties["id"])
			}
		}
	}
	if podiums == 0 {
		t.Errorf("no podium")
	}
	t.Logf("%d podiums", podiums)
	if len(fs) != len(mc.clean.Buildings.Features)+podiums {
		t.Errorf("%d buildings, want %d and the podiums", len(fs), len(mc.clean.Buildings.Features))
	}
}

func TestTileOverlap(t *testing.T) {
	mc := messy(t, 3000, synth.TileOverlap)
	fs := polygons(mc.b)
	slices.SortStableFunc(fs, func(f, g *geojson.Feature) int {
		return cmp.Compare(f.Geometry.Bound().Min[0], g.Geometry.Bound().Min[0])
	})
	overlaps, copies := 0, 0
	for i, f := range fs {
		a := f.Geometry.Bound()
		for _, g := range fs[i+1:] {
			b := g.Geometry.Bound()
			if b.Min[0] >= a.Max[0] {
				break // sorted by west side: no later footprint meets a
			}
			dx := (min(a.Max[0], b.Max[0]) - max(a.Min[0], b.Min[0])) * mPerDegLon
			dy := (min(a.Max[1], b.Max[1]) - max(a.Min[1], b.Min[1])) * mPerDegLat
			if dx <= 0 || dy <= 0 {
				continue
			}
			ra, rb := ringOf(f), ringOf(g)
			if d := distM(ra[0], rb[0]); d < 0.1 && distM(ra[2], rb[2]) < 0.1 {
				copies++
				if d < 0.015 || d > 0.085 || households(f) != households(g) || f.Properties["id"] == g.Properties["id"] {
					t.Errorf("buildings %v and %v: a copy %.3f m off with households %d and %d", f.Properties["id"], g.Properties["id"], d, households(f), households(g))
				}
				continue
			}
			overlaps++
			if dx < 0.045 || dx > 0.505 || dy < 2 {
				t.Errorf("buildings %v and %v overlap by %.3f m over %.1f m, want 5–50 cm over 2 m or more", f.Properties["id"], g.Properties["id"], dx, dy)
			}
		}
	}
	checkShare(t, "an overlap", overlaps, len(polygons(mc.clean.Buildings)), 0.03)
	if copies == 0 || copies > 15 {
		t.Errorf("%d copies, want a few", copies)
	}
	if len(mc.b.Features) != len(mc.clean.Buildings.Features)+copies {
		t.Errorf("%d buildings, want %d and the copies", len(mc.b.Features), len(mc.clean.Buildings.Features))
	}
}

// decimals matches a coordinate with more than 7 decimals.
var decimals = regexp.MustCompile(`\d\.\d{8,}`)

func TestRounding(t *testing.T) {
	mc := messy(t, 3000, synth.Rounding)
	if decimals.Match(mc.buildings) || decimals.Match(mc.communities) {
		t.Errorf("a coordinate with more than 7 decimals: %s", decimals.Find(append(mc.buildings, mc.communities...)))
	}
	pinched := 0
	for i, f := range mc.c.Features {
		r := ringOf(f)
		if !repeats(r) {
			continue
		}
		pinched++
		mem := mc.mem.Communities.Features[i].Geometry.(orb.Polygon)[0]
		if repeats(mem) || crosses(mem) {
			t.Errorf("community %v: ring already pinched before it was written", f.Properties["id"])
		}
		old := ringOf(mc.clean.Communities.Features[i])
		if len(mem) != len(old)+3 || !isSubsequence(old, mem) {
			t.Errorf("community %v: ring %v is not %v with 3 more vertices", f.Properties["id"], mem, old)
		}
		// The inlet is a few cm² and the rest of the outline stays on its
		// lines: the area hardly changes.
		if d := areaM(old) - areaM(mem); math.Abs(d) > 0.01 {
			t.Errorf("community %v: the inlet changes the area by %.3f m²", f.Properties["id"], d)
		}
	}
	if want := 2; pinched < want {
		t.Errorf("%d community rings pinched by rounding, want at least %d", pinched, want)
	}
}

// repeats reports whether r visits a vertex twice, not counting its closing
// vertex and repeats in a row.
func repeats(r orb.Ring) bool {
	seen := map[orb.Point]bool{}
	for i, p := range r[:len(r)-1] {
		if seen[p] && r[i-1] != p {
			return true
		}
		seen[p] = true
	}
	return false
}

func TestNullCommunity(t *testing.T) {
	mc := messy(t, 3000, synth.NullCommunity)
	nulls := bytes.Count(mc.buildings, []byte(`"community":null`))
	if want := int(math.Round(0.05 * float64(len(mc.b.Features)))); nulls != want {
		t.Errorf("%d buildings with community null, want %d", nulls, want)
	}
	strs := 0
	for _, f := range mc.b.Features {
		if v, ok := f.Properties["community"]; ok && v == nil {
			continue
		}
		if _, ok := f.Properties["community"].(string); ok {
			strs++
		}
	}
	if strs+nulls != len(mc.b.Features) {
		t.Errorf("%d buildings with a community and %d with null, of %d", strs, nulls, len(mc.b.Features))
	}
}

func TestDupCommunity(t *testing.T) {
	mc := messy(t, 3000, synth.DupCommunity)
	parts := map[string][]*geojson.Feature{}
	for _, f := range mc.c.Features {
		id := f.Properties["id"].(string)
		parts[id] = append(parts[id], f)
		if name, _ := f.Properties["name"].(string); name == "" {
			t.Errorf("community %s has no name", id)
		}
	}
	dups := 0
	for _, f := range mc.clean.Communities.Features {
		id := f.Properties["id"].(string)
		ps := parts[id]
		if len(ps) == 1 {
			continue
		}
		dups++
		if len(ps) != 2 || ps[0].Properties["name"] == ps[1].Properties["name"] {
			t.Fatalf("community %s: %d features, names %v", id, len(ps), ps[0].Properties["name"])
		}
		a := planar.Area(ps[0].Geometry) + planar.Area(ps[1].Geometry)
		if want := planar.Area(f.Geometry); math.Abs(a-want) > 1e-9*want || planar.Area(ps[0].Geometry) < want/10 || planar.Area(ps[1].Geometry) < want/10 {
			t.Errorf("community %s: parts of %g and %g deg², want two of %g together", id, planar.Area(ps[0].Geometry), planar.Area(ps[1].Geometry), want)
		}
		checkRing(t, "part of "+id, ringOf(ps[0]))
		checkRing(t, "part of "+id, ringOf(ps[1]))
	}
	if dups != 1 || len(mc.c.Features) != len(mc.clean.Communities.Features)+1 {
		t.Errorf("%d communities in two features, %d features; want one", dups, len(mc.c.Features))
	}
	checkTiling(t, mc.c)
}

func TestEmptyCommunity(t *testing.T) {
	mc := messy(t, 3000, synth.EmptyCommunity)
	count, hh := map[string]int{}, map[string]int{}
	residential := map[string]int{}
	for _, f := range mc.b.Features {
		c := f.Properties["community"].(string)
		count[c]++
		hh[c] += households(f)
		if k := f.Properties["kind"]; k != "shop" && k != "institution" {
			residential[c]++
		}
	}
	empty, shopsOnly := 0, 0
	for _, f := range mc.c.Features {
		id := f.Properties["id"].(string)
		switch {
		case count[id] == 0:
			empty++
		case hh[id] == 0 && residential[id] == 0:
			shopsOnly++
		}
	}
	if empty != 2 || shopsOnly != 1 {
		t.Errorf("%d communities without buildings and %d with only shops and institutions, want 2 and 1", empty, shopsOnly)
	}
}

func TestSelfIntersecting(t *testing.T) {
	mc := messy(t, 3000, synth.SelfIntersecting)
	n := 0
	for i, f := range mc.c.Features {
		r := ringOf(f)
		if !crosses(r) {
			continue
		}
		n++
		old := ringOf(mc.clean.Communities.Features[i])
		if len(r) != len(old)+3 || !isSubsequence(old, r) {
			t.Fatalf("community %v: ring %v is not %v with 3 more vertices", f.Properties["id"], r, old)
		}
		// The new vertices follow one corner and lie within 3.6 m of it.
		k := slices.IndexFunc(r, func(p orb.Point) bool { return !slices.Contains(old, p) })
		for _, p := range r[k : k+3] {
			if d := distM(p, r[k-1]); d > 3.6 || slices.Contains(old, p) {
				t.Errorf("community %v: vertex %v is %.2f m from the corner %v", f.Properties["id"], p, d, r[k-1])
			}
		}
		// The last new vertex lies on the edge it rejoins, and the two
		// lobes have opposite orientations: the signed area is almost
		// unchanged.
		if d := distToRingM(orb.Ring{r[k-1], r[k+3]}, r[k+2]); d > 0.001 {
			t.Errorf("community %v: vertex %v is %.4f m off the edge it rejoins", f.Properties["id"], r[k+2], d)
		}
		if d := areaM(old) - areaM(r); math.Abs(d) > 0.05 {
			t.Errorf("community %v: bow-tie changes the signed area by %.3f m²", f.Properties["id"], d)
		}
	}
	if n != 1 {
		t.Errorf("%d self-crossing community rings, want 1", n)
	}
}

func TestOutside(t *testing.T) {
	mc := messy(t, 3000, synth.Outside)
	var polys []orb.Polygon
	for _, f := range mc.c.Features {
		polys = append(polys, f.Geometry.(orb.Polygon))
	}
	outside := 0
	for _, f := range mc.b.Features {
		p, ok := f.Geometry.(orb.Polygon)
		if !ok || slices.ContainsFunc(polys, func(c orb.Polygon) bool { return planar.PolygonContains(c, p[0][0]) }) {
			continue
		}
		outside++
		d := math.Inf(1)
		for _, c := range polys {
			d = min(d, ringDistM(p[0], c[0]))
		}
		if d < 19.9 || d > 100.1 {
			t.Errorf("building %v is %.1f m outside the communities, want 20–100 m", f.Properties["id"], d)
		}
		for _, c := range polys {
			for _, q := range p[0] {
				if planar.PolygonContains(c, q) {
					t.Errorf("building %v: vertex %v inside community %v", f.Properties["id"], q, c)
				}
			}
		}
	}
	if outside < 3 || outside > 10 || len(mc.b.Features) != len(mc.clean.Buildings.Features)+outside {
		t.Errorf("%d buildings outside the communities, %d in all; want 3–10 more than %d", outside, len(mc.b.Features), len(mc.clean.Buildings.Features))
	}
}

// areaM returns the signed area of r in m², computed in metres from the
// centre: in degrees, far from the origin, the sum loses about 0.1 m².
func areaM(r orb.Ring) float64 {
	m := make(orb.Ring, len(r))
	for i, p := range r {
		m[i] = metres(p)
	}
	return planar.Area(orb.Polygon{m})
}

// ringDistM returns the distance in metres between two disjoint rings.
func ringDistM(a, b orb.Ring) float64 {
	d := math.Inf(1)
	for _, p := range a {
		d = min(d, distToRingM(b, p))
	}
	for _, p := range b {
		d = min(d, distToRingM(a, p))
	}
	return d
}

// TestAllFaults generates cities with every fault, of several sizes, and
// checks that each is deterministic and that faults meant for at least one
// feature hit one.
func TestAllFaults(t *testing.T) {
	for _, n := range []int{1, 60, 3000} {
		mc := messy(t, n, synth.AllFaults)
		if n >= 3000 {
			ids := map[string]bool{}
			for _, f := range mc.b.Features {
				id := f.Properties["id"].(string)
				if ids[id] {
					t.Errorf("building id %s twice", id)
				}
				ids[id] = true
			}
			if !bytes.Contains(mc.buildings, []byte(`"community":null`)) {
				t.Errorf("no null community")
			}
		}
	}
}

// TestStraddle: 3–10 walk-ups more, each drawn across the border of two
// communities with 15–45 % of it in the neighbour and the id of the
// community that holds the rest.
func TestStraddle(t *testing.T) {
	mc := messy(t, 3000, synth.Straddle)
	clean := map[any]bool{}
	for _, f := range mc.clean.Buildings.Features {
		clean[f.Properties["id"]] = true
	}
	polys := map[any]orb.Polygon{}
	for _, f := range mc.c.Features {
		polys[f.Properties["id"]] = f.Geometry.(orb.Polygon)
	}
	added := 0
	for _, f := range mc.b.Features {
		if clean[f.Properties["id"]] {
			continue
		}
		added++
		fp := f.Geometry.(orb.Polygon)
		m := orb.Polygon{make(orb.Ring, len(fp[0]))}
		for i, p := range fp[0] {
			m[0][i] = metres(p)
		}
		whole := planar.Area(m)
		share := map[any]float64{}
		for id, c := range polys {
			cm := orb.Polygon{make(orb.Ring, len(c[0]))}
			for i, p := range c[0] {
				cm[0][i] = metres(p)
			}
			in, err := geom.Intersection(shape.ToSF(orb.MultiPolygon{m}), shape.ToSF(orb.MultiPolygon{cm}))
			if err != nil {
				t.Fatal(err)
			}
			if a := in.Area(); a > 0.01 {
				share[id] = a / whole
			}
		}
		own := share[f.Properties["community"]]
		if len(share) < 2 || own < 0.54 || own > 0.86 {
			t.Errorf("building %v (community %v): shares by community %v; want 55–85%% in its own, the rest in another", f.Properties["id"], f.Properties["community"], share)
		}
	}
	if added < 3 || added > 10 {
		t.Errorf("%d buildings added, want 3–10", added)
	}
}

func TestCommunityNames(t *testing.T) {
	mc := messy(t, 3000, synth.CommunityNames)
	name := map[string]string{}
	seen := map[string]bool{}
	for _, f := range mc.c.Features {
		id := f.Properties["id"].(string)
		n, _ := f.Properties["name"].(string)
		if n == "" || seen[n] {
			t.Errorf("community %s: name %q, empty or another's", id, n)
		}
		seen[n], name[id] = true, n
	}
	named, ids := 0, 0
	for i, f := range mc.b.Features {
		was, _ := mc.clean.Buildings.Features[i].Properties["community"].(string)
		switch f.Properties["community"] {
		case was:
			ids++
		case name[was]:
			named++
		default:
			t.Fatalf("building %d: community %v, was %q", i, f.Properties["community"], was)
		}
	}
	if share := float64(named) / float64(named+ids); math.Abs(share-0.6) > 0.01 {
		t.Errorf("%d buildings named by name, %d by id: want 60%% by name", named, ids)
	}
}
