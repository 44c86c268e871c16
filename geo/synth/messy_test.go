package synth_test

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gridplan/geo/synth"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// TestCleanCityBytes pins the files of two clean cities to their hashes as
// generated before faults existed: asking for no fault changes nothing.
func TestCleanCityBytes(t *testing.T) {
	for _, tc := range []struct {
		n                      int
		seed                   uint64
		buildings, communities string
	}{
		{500, 1, "109ec573abebdb215639eacc662721089da34c5750041670f85ea2b36e329463", "18400d3e69fd2b798383f16323a9c355df54c4091e45da6d6183ca80d69aa35e"},
		{3000, 42, "c80edd4fc1905a40f6b97fba1f176c99f21b02aa29a04ab99bcd7540dbe20def", "12011b163256dcebf2b8852f4ca34ec95b03357c1d487c3a59aa0c24d950d6c2"},
	} {
		c, err := synth.Generate(synth.Options{Buildings: tc.n, Seed: tc.seed, Messy: 0})
		if err != nil {
			t.Fatal(err)
		}
		b, m := write(t, c)
		if h := fmt.Sprintf("%x", sha256.Sum256(b)); h != tc.buildings {
			t.Errorf("%d buildings, seed %d: buildings.geojson has SHA-256 %s, want %s", tc.n, tc.seed, h, tc.buildings)
		}
		if h := fmt.Sprintf("%x", sha256.Sum256(m)); h != tc.communities {
			t.Errorf("%d buildings, seed %d: communities.geojson has SHA-256 %s, want %s", tc.n, tc.seed, h, tc.communities)
		}
	}
}

func TestParseFaults(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want synth.Fault
	}{
		{"", 0},
		{"spikes", synth.Spikes},
		{" spikes, bowtie ,", synth.Spikes | synth.Bowtie},
		{"outside,all", synth.AllFaults},
		{strings.Join(synth.FaultNames(), ","), synth.AllFaults},
	} {
		got, err := synth.ParseFaults(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseFaults(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if again, _ := synth.ParseFaults(got.String()); again != got {
			t.Errorf("ParseFaults(%q) = %v, want %v", got.String(), again, got)
		}
	}
	_, err := synth.ParseFaults("spikes,bogus")
	if !errors.Is(err, synth.ErrFault) || !strings.Contains(err.Error(), `"bogus"`) || !strings.Contains(err.Error(), "selfintersecting") {
		t.Errorf("ParseFaults(spikes,bogus) error %v, want ErrFault naming bogus and the valid names", err)
	}
	if _, err := synth.Generate(synth.Options{Buildings: 10, Messy: synth.AllFaults + 1}); !errors.Is(err, synth.ErrFault) {
		t.Errorf("Generate with an unknown fault bit: error %v, want ErrFault", err)
	}
}

// A messyCity is a generated city with faults, as written and read back.
type messyCity struct {
	mem                    *synth.City // as generated
	clean                  *synth.City // the same options without faults
	buildings, communities []byte
	b, c                   *geojson.FeatureCollection // read back from the files
}

// faultHouseholds is the CommunityHouseholds of the cities of the fault
// tests: the default, except while TestFaultsLargeCommunities runs them.
var faultHouseholds = 0

func messy(t *testing.T, n int, f synth.Fault) messyCity {
	t.Helper()
	o := synth.Options{Buildings: n, Seed: *seed, CommunityHouseholds: faultHouseholds}
	clean, err := synth.Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	mc := messyCity{clean: clean}
	o.Messy = f
	c, err := synth.Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	mc.mem = c
	mc.buildings, mc.communities = write(t, c)
	// Deterministic: the same options give the same bytes.
	again, err := synth.Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	if b, m := write(t, again); !bytes.Equal(b, mc.buildings) || !bytes.Equal(m, mc.communities) {
		t.Errorf("two cities with faults %v and seed %d differ", f, *seed)
	}
	if cb, cm := write(t, mc.clean); bytes.Equal(cb, mc.buildings) && bytes.Equal(cm, mc.communities) {
		t.Errorf("faults %v change nothing", f)
	}
	if mc.b, err = geojson.UnmarshalFeatureCollection(mc.buildings); err != nil {
		t.Fatal(err)
	}
	if mc.c, err = geojson.UnmarshalFeatureCollection(mc.communities); err != nil {
		t.Fatal(err)
	}
	return mc
}

// polygons returns the polygon buildings of fc.
func polygons(fc *geojson.FeatureCollection) []*geojson.Feature {
	var out []*geojson.Feature
	for _, f := range fc.Features {
		if _, ok := f.Geometry.(orb.Polygon); ok {
			out = append(out, f)
		}
	}
	return out
}

// byID indexes features by their id property.
func byID(fc *geojson.FeatureCollection) map[string]*geojson.Feature {
	m := map[string]*geojson.Feature{}
	for _, f := range fc.Features {
		m[f.Properties["id"].(string)] = f
	}
	return m
}

func ringOf(f *geojson.Feature) orb.Ring { return f.Geometry.(orb.Polygon)[0] }

// metres converts longitude/latitude to metres from the default centre.
func metres(p orb.Point) orb.Point {
	return orb.Point{(p[0] - synth.DefaultCenter[0]) * mPerDegLon, (p[1] - synth.DefaultCenter[1]) * mPerDegLat}
}

func distM(p, q orb.Point) float64 {
	a, b := metres(p), metres(q)
	return math.Hypot(a[0]-b[0], a[1]-b[1])
}

func households(f *geojson.Feature) int {
	switch v := f.Properties["households"].(type) {
	case int:
		return v
	case float64:
		return int(v)
	}
	return -1
}

// isSubsequence reports whether every point of sub appears in r in order.
func isSubsequence(sub, r orb.Ring) bool {
	k := 0
	for _, p := range r {
		if k < len(sub) && p == sub[k] {
			k++
		}
	}
	return k == len(sub)
}

// checkShare checks that got features out of n carry a fault meant for
// about share of them.
func checkShare(t *testing.T, what string, got, n int, share float64) {
	t.Helper()
	t.Logf("%d of %d with %s", got, n, what)
	if want := share * float64(n); float64(got) < 0.6*want || float64(got) > want+1 {
		t.Errorf("%d of %d with %s, want about %.0f", got, n, what, want)
	}
}

// sameOtherwise checks that the buildings not in changed are written as
// in the clean city, in the same order.
func sameOtherwise(t *testing.T, mc messyCity, changed map[string]bool) {
	t.Helper()
	clean := mc.clean.Buildings.Features
	got := mc.b.Features
	if len(got) != len(clean) {
		t.Fatalf("%d buildings, the clean city has %d", len(got), len(clean))
	}
	for i, f := range got {
		id := f.Properties["id"].(string)
		if id != clean[i].Properties["id"] {
			t.Fatalf("building %d is %s, in the clean city %s", i, id, clean[i].Properties["id"])
		}
		if !changed[id] && !orb.Equal(f.Geometry, clean[i].Geometry) {
			t.Fatalf("building %s changed: %v, was %v", id, f.Geometry, clean[i].Geometry)
		}
	}
}

func TestSpikes(t *testing.T) {
	mc := messy(t, 3000, synth.Spikes)
	clean := byID(mc.clean.Buildings)
	changed := map[string]bool{}
	for _, f := range polygons(mc.b) {
		r := ringOf(f)
		for i := 0; i+2 < len(r); i++ {
			if r[i] != r[i+2] || r[i] == r[i+1] {
				continue
			}
			id := f.Properties["id"].(string)
			if d := distM(r[i], r[i+1]); d < 1.98 || d > 5.02 {
				t.Errorf("building %s: spike of %.2f m, want 2–5 m", id, d)
			}
			if len(r) != 8 || !isSubsequence(ringOf(clean[id]), r) {
				t.Errorf("building %s: ring %v is not its footprint %v with a spike", id, r, ringOf(clean[id]))
			}
			changed[id] = true
		}
	}
	checkShare(t, "a spike", len(changed), len(polygons(mc.clean.Buildings)), 0.03)
	sameOtherwise(t, mc, changed)
}

func TestPinched(t *testing.T) {
	mc := messy(t, 3000, synth.Pinched)
	clean := byID(mc.clean.Buildings)
	changed := map[string]bool{}
	for _, f := range polygons(mc.b) {
		r := ringOf(f)
		id := f.Properties["id"].(string)
		for i := 0; i < len(r)-1; i++ {
			j := slices.Index(r[i+1:len(r)-1], r[i])
			if j < 0 {
				continue
			}
			j += i + 1
			// Between the two visits, a square annex outside the footprint.
			annex := append(orb.Ring{}, r[i:j+1]...)
			old := ringOf(clean[id])
			if j-i != 4 || !isSubsequence(old, slices.Delete(slices.Clone(r), i+1, j+1)) {
				t.Fatalf("building %s: ring %v is not %v with an annex", id, r, old)
			}
			side := distM(annex[0], annex[1])
			if side < 1.98 || side > 4.02 || math.Abs(distM(annex[1], annex[2])-side) > 0.02 {
				t.Errorf("building %s: annex %v is not a square of 2–4 m", id, annex)
			}
			if planar.RingContains(old, annex[2]) || planar.Area(annex) <= 0 {
				t.Errorf("building %s: annex %v inside the footprint or clockwise", id, annex)
			}
			changed[id] = true
		}
	}
	checkShare(t, "a pinched ring", len(changed), len(polygons(mc.clean.Buildings)), 0.02)
	sameOtherwise(t, mc, changed)
}

func sortedPoints(r orb.Ring) []orb.Point {
	ps := slices.Clone([]orb.Point(r))
	slices.SortFunc(ps, func(a, b orb.Point) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	return ps
}

// crosses reports whether two non-adjacent edges of r cross.
func crosses(r orb.Ring) bool {
	n := len(r) - 1
	for i := range n {
		for j := i + 2; j < n; j++ {
			if i == 0 && j == n-1 {
				continue
			}
			if segmentsCross(r[i], r[i+1], r[j], r[j+1]) {
				return true
			}
		}
	}
	return false
}

func TestBowtie(t *testing.T) {
	mc := messy(t, 3000, synth.Bowtie)
	clean := byID(mc.clean.Buildings)
	changed := map[string]bool{}
	for _, f := range polygons(mc.b) {
		id := f.Properties["id"].(string)
		if r := ringOf(f); crosses(r) {
			old := ringOf(clean[id])
			if !slices.Equal(sortedPoints(r), sortedPoints(old)) {
				t.Errorf("building %s: ring %v has other corners than %v", id, r, old)
			}
			changed[id] = true
		}
	}
	checkShare(t, "a bow-tie", len(changed), len(polygons(mc.clean.Buildings)), 0.02)
	sameOtherwise(t, mc, changed)
}

func TestClockwise(t *testing.T) {
	mc := messy(t, 3000, synth.Clockwise)
	for _, fc := range []struct{ got, clean *geojson.FeatureCollection }{{mc.b, mc.clean.Buildings}, {mc.c, mc.clean.Communities}} {
		for i, f := range fc.got.Features {
			p, ok := f.Geometry.(orb.Polygon)
			if !ok {
				continue
			}
			if o := p[0].Orientation(); o != orb.CW {
				t.Fatalf("feature %v: orientation %v, want clockwise", f.Properties["id"], o)
			}
			rev := slices.Clone(p[0])
			slices.Reverse(rev)
			if !slices.Equal(rev, fc.clean.Features[i].Geometry.(orb.Polygon)[0]) {
				t.Fatalf("feature %v is not its clean ring reversed", f.Properties["id"])
			}
		}
	}
}
