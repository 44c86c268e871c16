package main

import "testing"

// TestPadRight: the out-of-band table pads codes by terminal columns, two
// for each Chinese character, so rows line up whatever the community codes.
func TestPadRight(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"C001001", 10, "C001001   "},
		{"东城001", 10, "东城001   "}, // 4 + 3 columns
		{"ＡＢ1", 6, "ＡＢ1 "},        // fullwidth letters take two columns
		{"长长长长长长", 10, "长长长长长长"},  // wider than n: unchanged
	} {
		if got := padRight(tc.s, tc.n); got != tc.want {
			t.Errorf("padRight(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
	}
}
