package crs_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"gridplan/geo/crs"
)

func mustParse(t testing.TB, s string) crs.System {
	t.Helper()
	sys, err := crs.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return sys
}

func bound(x0, y0, x1, y1 float64) orb.Bound {
	return orb.Bound{Min: orb.Point{x0, y0}, Max: orb.Point{x1, y1}}
}

// Extents of a Beijing district (Chaoyang, about 116.4–116.6°E,
// 39.9–40.0°N) in the systems a layer of it may come in.
var (
	beijingLonLat = bound(116.4, 39.9, 116.6, 40.0)
	beijingZone39 = bound(39450000, 4420000, 39470000, 4430000) // EPSG:4527
	beijingCM117  = bound(450000, 4420000, 470000, 4430000)     // EPSG:4548, 4509, 32650
	beijingZone20 = bound(20450000, 4420000, 20470000, 4430000) // EPSG:4498
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		sys   string
		b     orb.Bound
		ok    bool
		words []string // in the error
	}{
		{"EPSG:4326", beijingLonLat, true, nil},
		{"EPSG:4490", beijingLonLat, true, nil},
		{"gcj02", beijingLonLat, true, nil},
		{"bd09", beijingLonLat, true, nil},
		{"EPSG:4527", beijingZone39, true, nil},
		{"EPSG:4548", beijingCM117, true, nil},
		{"EPSG:4509", beijingCM117, true, nil},
		{"EPSG:32650", beijingCM117, true, nil},
		{"EPSG:4498", beijingZone20, true, nil},
		{"EPSG:4527", beijingLonLat, false, []string{"EPSG:4527 expects eastings 39,100,000…39,900,000 m (zone 39 prefix)",
			"116.4…116.6, 39.9…40", "looks like longitude/latitude"}},
		{"EPSG:4527", beijingCM117, false, []string{"without a zone prefix", "cannot be told"}},
		{"EPSG:4526", beijingZone39, false, []string{"zone 38 prefix", "looks like EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)"}},
		{"EPSG:4548", beijingZone39, false, []string{"450,000", "looks like EPSG:4527"}},
		{"EPSG:4326", beijingZone39, false, []string{"longitudes -180…180", "39,450,000…39,470,000, 4,420,000…4,430,000", "EPSG:4527"}},
		{"EPSG:4326", bound(39.9, 116.4, 40, 116.6), false, []string{"axes swapped"}},
		// Gauss–Krüger with northings first, as surveyors write X and Y.
		{"EPSG:4527", bound(4420000, 39450000, 4430000, 39470000), false, []string{"looks like EPSG:4527", "axes swapped", "northings first"}},
		{"EPSG:4326", bound(4420000, 39450000, 4430000, 39470000), false, []string{"looks like EPSG:4527", "axes swapped"}},
		{"gcj02", bound(2.29, 48.85, 2.3, 48.86), false, []string{"outside the area where the GCJ-02 offset applies"}},
		{"EPSG:4490", bound(0, 0, 1e30, 1), false, nil},
		{"EPSG:4527", orb.Bound{Min: orb.Point{39450000, 0}, Max: orb.Point{39450000, 1e7}}, false, nil},
	} {
		err := mustParse(t, tc.sys).Check(tc.b)
		if tc.ok != (err == nil) || err != nil && !errors.Is(err, crs.ErrMismatch) {
			t.Errorf("%s.Check(%v) = %v, want ok %v", tc.sys, tc.b, err, tc.ok)
			continue
		}
		for _, w := range tc.words {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s.Check(%v) = %v, want it to say %q", tc.sys, tc.b, err, w)
			}
		}
	}
}

func TestSuggest(t *testing.T) {
	for _, tc := range []struct {
		b    orb.Bound
		want []string
	}{
		{beijingZone39, []string{"EPSG:4527"}},
		{beijingZone20, []string{"EPSG:4498"}},
		{beijingLonLat, []string{"EPSG:4326", "EPSG:4490", "gcj02", "bd09"}},
		{bound(2.29, 48.85, 2.3, 48.86), []string{"EPSG:4326", "EPSG:4490"}},
		{beijingCM117, nil}, // the zone cannot be told
		{bound(39.9, 116.4, 40, 116.6), nil},
		{bound(-1e9, 0, 0, 1), nil},
	} {
		var got []string
		for _, s := range crs.Suggest(tc.b) {
			got = append(got, s.String())
			if err := s.Check(tc.b); err != nil {
				t.Errorf("Suggest(%v) gives %v, whose Check fails: %v", tc.b, s, err)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Suggest(%v) = %v, want %v", tc.b, got, tc.want)
		}
	}
}
