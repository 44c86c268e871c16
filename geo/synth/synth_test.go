package synth_test

import (
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gridplan/geo/geotest"
	"gridplan/geo/synth"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// seed is the seed of the cities checked here; override it to explore.
var seed = flag.Uint64("seed", 1, "seed of the generated test cities")

// Metres per degree at the default centre, as the package converts them.
var (
	mPerDegLat = 111132.0
	mPerDegLon = 111320.0 * math.Cos(synth.DefaultCenter[1]*math.Pi/180)
)

func generate(t testing.TB, n int, s uint64) *synth.City {
	t.Helper()
	c, err := synth.Generate(synth.Options{Buildings: n, Seed: s})
	if err != nil {
		t.Fatalf("Generate(%d buildings, seed %d): %v", n, s, err)
	}
	return c
}

func write(t testing.TB, c *synth.City) (buildings, communities []byte) {
	t.Helper()
	dir := t.TempDir()
	if err := c.Write(dir); err != nil {
		t.Fatalf("Write: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "buildings.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := os.ReadFile(filepath.Join(dir, "communities.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	return b, m
}

func TestDeterministic(t *testing.T) {
	t.Logf("seed %d", *seed)
	b1, c1 := write(t, generate(t, 3000, *seed))
	b2, c2 := write(t, generate(t, 3000, *seed))
	if !bytes.Equal(b1, b2) || !bytes.Equal(c1, c2) {
		t.Errorf("two runs with seed %d differ", *seed)
	}
	b3, c3 := write(t, generate(t, 3000, *seed+1))
	if bytes.Equal(b1, b3) || bytes.Equal(c1, c3) {
		t.Errorf("seeds %d and %d give the same city", *seed, *seed+1)
	}
}

// TestWriteRoundTrip checks that the files are GeoJSON holding exactly the
// generated city, one feature per line.
func TestWriteRoundTrip(t *testing.T) {
	c := generate(t, 500, *seed)
	b, m := write(t, c)
	for _, f := range []struct {
		name string
		data []byte
		want *geojson.FeatureCollection
	}{{"buildings.geojson", b, c.Buildings}, {"communities.geojson", m, c.Communities}} {
		got, err := geojson.UnmarshalFeatureCollection(f.data)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if len(got.Features) != len(f.want.Features) {
			t.Fatalf("%s has %d features, want %d", f.name, len(got.Features), len(f.want.Features))
		}
		for i, g := range got.Features {
			w := f.want.Features[i]
			if !orb.Equal(g.Geometry, w.Geometry) {
				t.Errorf("%s: feature %d geometry %v, want %v", f.name, i, g.Geometry, w.Geometry)
			}
			for k, v := range w.Properties {
				if fmt.Sprint(g.Properties[k]) != fmt.Sprint(v) {
					t.Errorf("%s: feature %d property %s = %v, want %v", f.name, i, k, g.Properties[k], v)
				}
			}
			if len(g.Properties) != len(w.Properties) {
				t.Errorf("%s: feature %d has properties %v, want %v", f.name, i, g.Properties, w.Properties)
			}
		}
		if lines := bytes.Count(f.data, []byte("\n")); lines != len(f.want.Features)+2 {
			t.Errorf("%s has %d lines, want one per feature plus 2", f.name, lines)
		}
	}
}

func TestWriteErrors(t *testing.T) {
	c := generate(t, 50, *seed)
	missing := filepath.Join(t.TempDir(), "no", "such", "dir")
	if err := c.Write(missing); err == nil {
		t.Errorf("Write(%q) = nil, want an error", missing)
	}
	dir := t.TempDir()
	if err := c.Write(dir); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{"buildings.geojson", "communities.geojson"}; !slices.Equal(names, want) {
		t.Errorf("Write left %v, want %v", names, want)
	}
}

func TestGenerateOptions(t *testing.T) {
	for _, o := range []synth.Options{{Buildings: 0}, {Buildings: -5}, {Buildings: 10, Center: orb.Point{500, 40}}} {
		if _, err := synth.Generate(o); err == nil {
			t.Errorf("Generate(%+v) = nil error, want one", o)
		}
	}
	if _, err := synth.Generate(synth.Options{}); !errors.Is(err, synth.ErrBuildings) {
		t.Errorf("Generate(zero Options) error = %v, want ErrBuildings", err)
	}
	c, err := synth.Generate(synth.Options{Buildings: 200, Center: orb.Point{116.40, 39.90}})
	if err != nil {
		t.Fatal(err)
	}
	if b := bound(c.Communities); !b.Contains(orb.Point{116.40, 39.90}) {
		t.Errorf("city at Beijing has bounds %v", b)
	}
}

// TestCity checks the invariants of cities of several sizes.
func TestCity(t *testing.T) {
	sizes := []int{1, 50, 3000, 60000}
	if testing.Short() {
		sizes = sizes[:3]
	}
	for _, n := range sizes {
		t.Run(fmt.Sprintf("buildings=%d", n), func(t *testing.T) {
			start := time.Now()
			c := generate(t, n, *seed)
			t.Logf("seed %d: generated in %v", *seed, time.Since(start))
			checkCity(t, n, c)
			st := summarize(c)
			t.Log(st)
			if n >= 3000 {
				for _, k := range []string{"residential", "bungalow", "shop", "institution"} {
					if st.kinds[k] == 0 {
						t.Errorf("no building of kind %s", k)
					}
				}
				if st.points == 0 {
					t.Errorf("no Point building")
				}
				if st.small == 0 || st.gap == 0 {
					t.Errorf("%d communities under 300 and %d of 501–599 households, want some of each", st.small, st.gap)
				}
				if st.bigCompounds == 0 {
					t.Errorf("no compound above 500 households")
				}
				if st.concave == 0 {
					t.Errorf("no concave community")
				}
			}
			if n < 5000 && st.oversized > 0 {
				t.Errorf("%d buildings above 500 households in a city of %d", st.oversized, n)
			}
			if n >= 60000 && st.oversized == 0 {
				t.Errorf("no building above 500 households in a city of %d", n)
			}
		})
	}
}

type stats struct {
	communities, compounds, buildings, households, points int
	kinds                                                 map[string]int
	commMin, commMedian, commMax                          int
	small, gap, bigCompounds, oversized, concave          int
}

func (s stats) String() string {
	return fmt.Sprintf("%d communities (%d concave; households min %d, median %d, max %d; %d under 300, %d of 501–599), "+
		"%d compounds (%d above 500 households), %d buildings %v (%d Points, %d above 500 households), %d households",
		s.communities, s.concave, s.commMin, s.commMedian, s.commMax, s.small, s.gap,
		s.compounds, s.bigCompounds, s.buildings, s.kinds, s.points, s.oversized, s.households)
}

func summarize(c *synth.City) stats {
	s := stats{kinds: map[string]int{}, communities: len(c.Communities.Features), buildings: len(c.Buildings.Features)}
	comm := map[string]int{}
	comp := map[string]int{}
	for _, f := range c.Buildings.Features {
		hh := f.Properties["households"].(int)
		s.households += hh
		comm[f.Properties["community"].(string)] += hh
		if q, ok := f.Properties["compound"].(string); ok {
			comp[q] += hh
		}
		k, _ := f.Properties["kind"].(string)
		if k == "" {
			k = "residential"
		}
		s.kinds[k]++
		if _, ok := f.Geometry.(orb.Point); ok {
			s.points++
		}
		if hh > 500 {
			s.oversized++
		}
	}
	var hhs []int
	for _, f := range c.Communities.Features {
		hh := comm[f.Properties["id"].(string)]
		hhs = append(hhs, hh)
		switch {
		case hh < 300:
			s.small++
		case hh > 500 && hh < 600:
			s.gap++
		}
		// Bulging borders make most communities slightly non-convex;
		// count those clearly concave, as an L of three cells is (area 6/7 of its hull).
		if r := f.Geometry.(orb.Polygon)[0]; planar.Area(r) < 0.93*planar.Area(hull(r)) {
			s.concave++
		}
	}
	slices.Sort(hhs)
	s.commMin, s.commMedian, s.commMax = hhs[0], hhs[len(hhs)/2], hhs[len(hhs)-1]
	s.compounds = len(comp)
	for _, hh := range comp {
		if hh > 500 {
			s.bigCompounds++
		}
	}
	return s
}

// hull returns the convex hull of r (Andrew's monotone chain), closed.
func hull(r orb.Ring) orb.Ring {
	ps := slices.Clone([]orb.Point(r[:len(r)-1]))
	slices.SortFunc(ps, func(a, b orb.Point) int {
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		return cmp.Compare(a[1], b[1])
	})
	var h orb.Ring
	for pass := 0; pass < 2; pass++ {
		start := len(h)
		for _, p := range ps {
			for len(h) >= start+2 && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
				h = h[:len(h)-1]
			}
			h = append(h, p)
		}
		h = h[:len(h)-1]
		slices.Reverse(ps)
	}
	return append(h, h[0])
}

// cross is >0 if c is left of a→b, <0 if right; float64() blocks FMA.
func cross(a, b, c orb.Point) float64 {
	return float64((b[0]-a[0])*(c[1]-a[1])) - float64((b[1]-a[1])*(c[0]-a[0]))
}

// minInsideM is how far inside its community every building must lie.
const minInsideM = 10.0

// checkCity checks every invariant the package promises.
func checkCity(t *testing.T, n int, c *synth.City) {
	t.Helper()
	got := len(c.Buildings.Features)
	if d := math.Abs(float64(got-n)) / float64(n); d > 0.05 && math.Abs(float64(got-n)) > 2 {
		t.Errorf("%d buildings, want %d ± 5%%", got, n)
	}

	// Communities: valid counter-clockwise rings, ids in order, tiling.
	comms := map[string]orb.Polygon{}
	var ids []string
	for i, f := range c.Communities.Features {
		id, _ := f.Properties["id"].(string)
		poly, ok := f.Geometry.(orb.Polygon)
		if !ok || len(poly) != 1 {
			t.Fatalf("community %d (%s): geometry %T, want a Polygon with one ring", i, id, f.Geometry)
		}
		checkRing(t, "community "+id, poly[0])
		comms[id] = poly
		ids = append(ids, id)
	}
	if !slices.IsSorted(ids) || len(comms) != len(ids) {
		t.Errorf("community ids not unique and in order: %v", ids)
	}
	checkTiling(t, c.Communities)

	// Buildings.
	seen := map[string]bool{}
	compounds := map[string]int{}
	compoundComm := map[string]string{}
	var boxes []orb.Bound
	for i, f := range c.Buildings.Features {
		id, ok := f.Properties["id"].(string)
		if !ok || seen[id] {
			t.Fatalf("building %d: id %v missing or duplicate", i, f.Properties["id"])
		}
		seen[id] = true
		hh, ok := f.Properties["households"].(int)
		if !ok || hh < 0 {
			t.Fatalf("building %s: households %v, want an integer >= 0", id, f.Properties["households"])
		}
		kind, _ := f.Properties["kind"].(string)
		switch kind {
		case "", "bungalow", "shop", "institution":
		default:
			t.Errorf("building %s: kind %q", id, kind)
		}
		if kind == "shop" && hh != 0 {
			t.Errorf("shop %s has %d households", id, hh)
		}
		if kind == "bungalow" && (hh < 1 || hh > 3) {
			t.Errorf("bungalow %s has %d households", id, hh)
		}
		comm, _ := f.Properties["community"].(string)
		cpoly, ok := comms[comm]
		if !ok {
			t.Fatalf("building %s: community %q does not exist", id, comm)
		}
		if q, ok := f.Properties["compound"]; ok {
			qs, ok := q.(string)
			if !ok || !strings.HasPrefix(qs, comm+"-Q") {
				t.Errorf("building %s: compound %v, want a string starting %s-Q", id, q, comm)
			}
			compounds[qs] += hh
			compoundComm[qs] = comm
			if kind == "shop" || kind == "institution" {
				t.Errorf("%s %s is in compound %s", kind, id, qs)
			}
		}
		var pts []orb.Point
		switch g := f.Geometry.(type) {
		case orb.Point:
			if kind != "bungalow" && kind != "shop" {
				t.Errorf("building %s (%s) is a Point", id, kind)
			}
			pts = []orb.Point{g}
			boxes = append(boxes, g.Bound())
		case orb.Polygon:
			if len(g) != 1 {
				t.Fatalf("building %s: %d rings", id, len(g))
			}
			checkRing(t, "building "+id, g[0])
			pts = g[0]
			boxes = append(boxes, g.Bound())
		default:
			t.Fatalf("building %s: geometry %T", id, f.Geometry)
		}
		for _, p := range pts {
			if !planar.PolygonContains(cpoly, p) {
				t.Fatalf("building %s: vertex %v outside its community %s", id, p, comm)
			}
			if d := distToRingM(cpoly[0], p); d < minInsideM {
				t.Fatalf("building %s: vertex %v is %.1f m from the boundary of %s, want >= %v", id, p, d, comm, minInsideM)
			}
		}
	}
	for q, hh := range compounds {
		if hh < 50 || hh > 1500 {
			t.Errorf("compound %s has %d households, want 50–1500", q, hh)
		}
	}
	checkNoOverlap(t, c.Buildings, boxes)
	checkCompoundsCoherent(t, c.Buildings, n)
}

// checkRing checks that r is closed, counter-clockwise and simple.
func checkRing(t *testing.T, what string, r orb.Ring) {
	t.Helper()
	if len(r) < 4 || !r.Closed() {
		t.Fatalf("%s: ring of %d points not closed", what, len(r))
	}
	if o := r.Orientation(); o != orb.CCW {
		t.Fatalf("%s: ring orientation %v, want CCW", what, o)
	}
	n := len(r) - 1
	for i := range n {
		for j := i + 1; j < n; j++ {
			if j == i+1 || (i == 0 && j == n-1) {
				continue // adjacent segments share an end
			}
			if segmentsCross(r[i], r[i+1], r[j], r[j+1]) {
				t.Fatalf("%s: segments %d and %d intersect", what, i, j)
			}
		}
	}
}

func segmentsCross(a, b, c, d orb.Point) bool {
	d1, d2 := cross(a, b, c), cross(a, b, d)
	d3, d4 := cross(c, d, a), cross(c, d, b)
	return ((d1 > 0) != (d2 > 0) || d1 == 0 || d2 == 0) && ((d3 > 0) != (d4 > 0) || d3 == 0 || d4 == 0) &&
		!(d1 == 0 && d2 == 0) // collinear disjoint segments do not occur in these rings
}

// distToRingM returns the distance in metres from p to the ring r.
func distToRingM(r orb.Ring, p orb.Point) float64 {
	best := math.Inf(1)
	for i := 0; i+1 < len(r); i++ {
		ax, ay := (r[i][0]-p[0])*mPerDegLon, (r[i][1]-p[1])*mPerDegLat
		bx, by := (r[i+1][0]-p[0])*mPerDegLon, (r[i+1][1]-p[1])*mPerDegLat
		dx, dy := bx-ax, by-ay
		u := 0.0
		if l := dx*dx + dy*dy; l > 0 {
			u = min(max(-(ax*dx+ay*dy)/l, 0), 1)
		}
		best = min(best, math.Hypot(ax+u*dx, ay+u*dy))
	}
	return best
}

// checkTiling checks that communities tile their union by the edge rules of
// [geotest.CheckTiling], that the edges without a reverse (the district
// boundary) form one ring, and that sample points fall in at most one
// community, and inside the district in exactly one.
func checkTiling(t *testing.T, fc *geojson.FeatureCollection) {
	t.Helper()
	pieces := make([]orb.MultiPolygon, len(fc.Features))
	for i, f := range fc.Features {
		pieces[i] = orb.MultiPolygon{f.Geometry.(orb.Polygon)}
	}
	boundary := map[orb.Point]orb.Point{} // district boundary: edges without a reverse
	for _, e := range geotest.CheckTiling(t, pieces, nil, 0) {
		if _, dup := boundary[e.P]; dup {
			t.Fatalf("district boundary passes %v twice", e.P)
		}
		boundary[e.P] = e.Q
	}
	if t.Failed() {
		t.FailNow()
	}
	// The boundary edges form one closed counter-clockwise ring: the district.
	var district orb.Ring
	var start orb.Point
	for p := range boundary {
		if len(district) == 0 || p[0] < start[0] || (p[0] == start[0] && p[1] < start[1]) {
			start = p
			district = orb.Ring{p}
		}
	}
	for p := boundary[start]; p != start; p = boundary[p] {
		district = append(district, p)
		if len(district) > len(boundary) {
			t.Fatalf("district boundary is not one ring")
		}
	}
	district = append(district, start)
	if len(district) != len(boundary)+1 {
		t.Fatalf("district boundary has %d edges in its ring, %d in all", len(district)-1, len(boundary))
	}
	var sum float64
	for _, f := range fc.Features {
		sum += planar.Area(f.Geometry)
	}
	if a := planar.Area(orb.Polygon{district}); math.Abs(sum-a) > 1e-9*a {
		t.Errorf("communities sum to %g deg², district is %g", sum, a)
	}
	// Sample points on a fine lattice.
	b := bound(fc)
	const steps = 60
	for i := range steps {
		for j := range steps {
			p := orb.Point{b.Min[0] + (float64(i)+0.5)/steps*(b.Max[0]-b.Min[0]), b.Min[1] + (float64(j)+0.5)/steps*(b.Max[1]-b.Min[1])}
			in := 0
			for _, f := range fc.Features {
				if planar.PolygonContains(f.Geometry.(orb.Polygon), p) {
					in++
				}
			}
			want := 0
			if planar.RingContains(district, p) {
				want = 1
			}
			if in != want {
				t.Fatalf("point %v lies in %d communities, want %d", p, in, want)
			}
		}
	}
}

func bound(fc *geojson.FeatureCollection) orb.Bound {
	b := fc.Features[0].Geometry.Bound()
	for _, f := range fc.Features[1:] {
		b = b.Union(f.Geometry.Bound())
	}
	return b
}

// checkNoOverlap checks that no two footprints overlap. Footprints are
// rectangles aligned with the axes, so their bounds are the footprints.
func checkNoOverlap(t *testing.T, fc *geojson.FeatureCollection, boxes []orb.Bound) {
	t.Helper()
	const cell = 0.002 // degrees, about 200 m: larger than any footprint
	type key struct{ i, j int }
	grid := map[key][]int{}
	for k, b := range boxes {
		for i := int(math.Floor(b.Min[0] / cell)); i <= int(math.Floor(b.Max[0]/cell)); i++ {
			for j := int(math.Floor(b.Min[1] / cell)); j <= int(math.Floor(b.Max[1]/cell)); j++ {
				for _, o := range grid[key{i, j}] {
					a := boxes[o]
					if a.Min[0] < b.Max[0] && b.Min[0] < a.Max[0] && a.Min[1] < b.Max[1] && b.Min[1] < a.Max[1] {
						t.Fatalf("buildings %v and %v overlap", fc.Features[o].Properties["id"], fc.Features[k].Properties["id"])
					}
				}
				grid[key{i, j}] = append(grid[key{i, j}], k)
			}
		}
	}
}

// checkCompoundsCoherent checks that every compound is a compact cluster: no
// building of another compound lies inside its bounding box.
func checkCompoundsCoherent(t *testing.T, fc *geojson.FeatureCollection, n int) {
	t.Helper()
	if n > 5000 {
		return // quadratic; the small cities cover it
	}
	bounds := map[string]orb.Bound{}
	for _, f := range fc.Features {
		if q, ok := f.Properties["compound"].(string); ok {
			if b, ok := bounds[q]; ok {
				bounds[q] = b.Union(f.Geometry.Bound())
			} else {
				bounds[q] = f.Geometry.Bound()
			}
		}
	}
	for _, f := range fc.Features {
		q, _ := f.Properties["compound"].(string)
		c := f.Geometry.Bound().Center()
		for p, b := range bounds {
			if p != q && b.Contains(c) {
				t.Fatalf("building %v (compound %q) lies among compound %s", f.Properties["id"], q, p)
			}
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{5000, 60000, 600000} {
		b.Run(fmt.Sprintf("buildings=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var c *synth.City
			for b.Loop() {
				var err error
				c, err = synth.Generate(synth.Options{Buildings: n, Seed: 1})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(c.Buildings.Features)), "buildings")
		})
	}
}

func BenchmarkWrite(b *testing.B) {
	c := generate(b, 60000, 1)
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Write(dir); err != nil {
			b.Fatal(err)
		}
	}
}
