package synth_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"gridplan/geo/synth"
)

func generateWith(t testing.TB, n, households int) *synth.City {
	t.Helper()
	c, err := synth.Generate(synth.Options{Buildings: n, Seed: *seed, CommunityHouseholds: households})
	if err != nil {
		t.Fatalf("Generate(%d buildings, %d households per community, seed %d): %v", n, households, *seed, err)
	}
	return c
}

// layout holds what TestCommunityHouseholds compares between a city of
// large communities and one of the default size.
type layout struct {
	stats
	meanHH, medianBuildings float64
	towers                  int // standalone towers: residential, not in a compound
}

func measure(c *synth.City) layout {
	l := layout{stats: summarize(c)}
	per := map[string]int{}
	for _, f := range c.Buildings.Features {
		per[f.Properties["community"].(string)]++
		_, inCompound := f.Properties["compound"]
		_, hasKind := f.Properties["kind"]
		if !inCompound && !hasKind && f.Properties["households"].(int) >= 80 {
			l.towers++
		}
	}
	var counts []int
	for _, f := range c.Communities.Features {
		counts = append(counts, per[f.Properties["id"].(string)])
	}
	slices.Sort(counts)
	l.medianBuildings = float64(counts[len(counts)/2])
	l.meanHH = float64(l.households) / float64(l.communities)
	return l
}

// TestCommunityHouseholds checks a city of large communities: every
// invariant of the default city, communities of the requested mean size
// with several hundred buildings each, and the content of the default
// city in the same proportions.
func TestCommunityHouseholds(t *testing.T) {
	const n, want = 20000, 8000
	c := generateWith(t, n, want)
	checkCity(t, n, c)
	big, def := measure(c), measure(generateWith(t, n, 0))
	t.Logf("%d households per community: %v; median %.0f buildings per community, %d standalone towers", want, big.stats, big.medianBuildings, big.towers)
	t.Logf("default: %v; median %.0f buildings per community, %d standalone towers", def.stats, def.medianBuildings, def.towers)
	if d := big.meanHH/want - 1; math.Abs(d) > 0.2 {
		t.Errorf("communities hold %.0f households on average, want %d ± 20%%", big.meanHH, want)
	}
	if big.medianBuildings < 300 {
		t.Errorf("median community has %.0f buildings, want several hundred", big.medianBuildings)
	}
	if big.communities*3 > def.communities {
		t.Errorf("%d communities, the default city has %d: want about a third", big.communities, def.communities)
	}
	if big.small == 0 || big.gap == 0 || big.concave == 0 || big.bigCompounds == 0 {
		t.Errorf("want communities under 300 and of 501–599 households, concave ones and compounds above 500 households: %v", big.stats)
	}
	// The same content in the same proportions: kinds of buildings,
	// households per building, compounds and standalone towers per household.
	near := func(what string, got, ref, tol float64) {
		t.Helper()
		if got < ref*(1-tol) || got > ref*(1+tol) {
			t.Errorf("%s %.4g, the default city has %.4g: want within %.0f%%", what, got, ref, 100*tol)
		}
	}
	for _, k := range []string{"residential", "bungalow", "shop", "institution"} {
		near("share of "+k, float64(big.kinds[k])/float64(big.buildings), float64(def.kinds[k])/float64(def.buildings), 0.15)
	}
	near("share of Points", float64(big.points)/float64(big.buildings), float64(def.points)/float64(def.buildings), 0.25)
	near("households per building", float64(big.households)/float64(big.buildings), float64(def.households)/float64(def.buildings), 0.1)
	near("compounds per household", float64(big.compounds)/float64(big.households), float64(def.compounds)/float64(def.households), 0.3)
	near("standalone towers per household", float64(big.towers)/float64(big.households), float64(def.towers)/float64(def.households), 0.5)
}

// TestCommunityHouseholdsBounds checks cities at both ends of the range.
func TestCommunityHouseholdsBounds(t *testing.T) {
	for _, hh := range []int{synth.MinCommunityHouseholds, synth.MaxCommunityHouseholds} {
		t.Run(fmt.Sprintf("households=%d", hh), func(t *testing.T) {
			const n = 6000
			c := generateWith(t, n, hh)
			checkCity(t, n, c)
			l := measure(c)
			t.Log(l.stats)
			if d := l.meanHH/float64(hh) - 1; math.Abs(d) > 0.2 {
				t.Errorf("communities hold %.0f households on average, want %d ± 20%%", l.meanHH, hh)
			}
		})
	}
}

func TestCommunityHouseholdsOptions(t *testing.T) {
	for _, hh := range []int{-1, synth.MinCommunityHouseholds - 1, synth.MaxCommunityHouseholds + 1} {
		_, err := synth.Generate(synth.Options{Buildings: 100, CommunityHouseholds: hh})
		if !errors.Is(err, synth.ErrCommunityHouseholds) {
			t.Errorf("Generate with %d households per community: error %v, want ErrCommunityHouseholds", hh, err)
		}
	}
	// The default, asked for by name, is the default.
	b0, c0 := write(t, generateWith(t, 3000, 0))
	b1, c1 := write(t, generateWith(t, 3000, synth.DefaultCommunityHouseholds))
	if !bytes.Equal(b0, b1) || !bytes.Equal(c0, c1) {
		t.Errorf("%d households per community differs from the default", synth.DefaultCommunityHouseholds)
	}
	// Deterministic, and another city than the default.
	b2, c2 := write(t, generateWith(t, 3000, 8000))
	b3, c3 := write(t, generateWith(t, 3000, 8000))
	if !bytes.Equal(b2, b3) || !bytes.Equal(c2, c3) {
		t.Errorf("two cities of 8,000 households per community with seed %d differ", *seed)
	}
	if bytes.Equal(b0, b2) || bytes.Equal(c0, c2) {
		t.Errorf("8,000 households per community give the default city")
	}
}

// TestLargeCommunityCityBytes pins a city of large communities, the layout
// of the benchmarks, so that their figures stay comparable.
func TestLargeCommunityCityBytes(t *testing.T) {
	c, err := synth.Generate(synth.Options{Buildings: 3000, Seed: 1, CommunityHouseholds: 8000})
	if err != nil {
		t.Fatal(err)
	}
	b, m := write(t, c)
	const wantB = "19a60448568cd781e8dbc759254575591bcb219c43e8097feb996d65d5effd6b"
	const wantC = "e5a9e1932a691cb562a3247569f5aeb2fab91d513288acdc0ff22c2838c9e463"
	if h := fmt.Sprintf("%x", sha256.Sum256(b)); h != wantB {
		t.Errorf("buildings.geojson has SHA-256 %s, want %s", h, wantB)
	}
	if h := fmt.Sprintf("%x", sha256.Sum256(m)); h != wantC {
		t.Errorf("communities.geojson has SHA-256 %s, want %s", h, wantC)
	}
}

// TestFaultsLargeCommunities runs the tests of every fault again on cities
// of 8,000 households per community.
func TestFaultsLargeCommunities(t *testing.T) {
	defer func() { faultHouseholds = 0 }()
	faultHouseholds = 8000
	for _, tc := range []struct {
		name string
		test func(*testing.T)
	}{
		{"spikes", TestSpikes}, {"pinched", TestPinched}, {"bowtie", TestBowtie},
		{"clockwise", TestClockwise}, {"duplicates", TestDuplicates}, {"rowhouses", TestRowHouses},
		{"podiums", TestPodiums}, {"tileoverlap", TestTileOverlap}, {"rounding", TestRounding},
		{"nullcommunity", TestNullCommunity}, {"dupcommunity", TestDupCommunity},
		{"emptycommunity", TestEmptyCommunity}, {"selfintersecting", TestSelfIntersecting},
		{"outside", TestOutside}, {"straddle", TestStraddle}, {"all", TestAllFaults},
	} {
		t.Run(tc.name, tc.test)
	}
}
