package geo_test

import (
	"errors"
	"strings"
	"testing"

	"gridplan/geo"
)

// TestParseHouseholds: counts are read exactly as written, not through a
// float64: 1e-400 is not 0 and 2^62 is not a count, whatever a float64
// makes of them.
func TestParseHouseholds(t *testing.T) {
	for _, tc := range []struct {
		text string
		want int
	}{
		{"0", 0}, {"12", 12}, {"12.0", 12}, {"1.2e1", 12}, {"120e-1", 12}, {"+7", 7}, {"007", 7},
		{"1e5", 100000}, {"100000", 100000}, {"100000.000", 100000}, {"0.001e5", 100},
		{"-0", 0}, {"0e-400", 0}, {"0.0e999999999999", 0}, {"1.", 1},
	} {
		n, err := geo.ParseHouseholds("households", tc.text)
		if err != nil || n != tc.want {
			t.Errorf("ParseHouseholds(%q) = %d, %v; want %d", tc.text, n, err, tc.want)
		}
	}
	for _, tc := range []struct {
		text string
		want error
		says string
	}{
		{"", geo.ErrMissingHouseholds, "empty"},
		{"many", geo.ErrBadHouseholds, `"many", not a number`},
		{"1,234", geo.ErrBadHouseholds, "not a number"},
		{"NaN", geo.ErrBadHouseholds, "not a number"},
		{"Inf", geo.ErrBadHouseholds, "not a number"},
		{"0x10", geo.ErrBadHouseholds, "not a number"},
		{"1e", geo.ErrBadHouseholds, "not a number"},
		{".", geo.ErrBadHouseholds, "not a number"},
		{"3.5", geo.ErrBadHouseholds, "households is 3.5"},
		{"1e-400", geo.ErrBadHouseholds, "households is 1e-400"},
		{"12.0000000000000001", geo.ErrBadHouseholds, "12.0000000000000001"},
		{"1e-9999999999999999999", geo.ErrBadHouseholds, "whole number"},
		{"-4", geo.ErrNegativeHouseholds, "households is -4"},
		{"-1e-400", geo.ErrNegativeHouseholds, "-1e-400"},
		{"100001", geo.ErrTooManyHouseholds, "more than the limit of 100000"},
		{"100000.5", geo.ErrBadHouseholds, "whole number"},
		{"1000000", geo.ErrTooManyHouseholds, "limit of 100000"},
		{"1e6", geo.ErrTooManyHouseholds, "limit of 100000"},
		{"4611686018427387904", geo.ErrTooManyHouseholds, "limit of 100000"},
		{"99999999999999999999999", geo.ErrTooManyHouseholds, "limit of 100000"},
		{"1e400", geo.ErrTooManyHouseholds, "limit of 100000"},
		{"1e9999999999999999999", geo.ErrTooManyHouseholds, "limit of 100000"},
	} {
		n, err := geo.ParseHouseholds("households", tc.text)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("ParseHouseholds(%q) = %d, %v; want %v saying %q", tc.text, n, err, tc.want, tc.says)
		}
	}
	if _, err := geo.ParseHouseholds("households", "1e6"); errors.Is(err, geo.ErrBadHouseholds) {
		t.Errorf("ParseHouseholds(1e6) = %v: a count too large is not reported as not a whole number", err)
	}
}
