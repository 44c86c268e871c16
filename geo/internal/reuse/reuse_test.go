package reuse_test

import (
	"testing"

	"gridplan/geo/internal/reuse"
)

func TestGrowAndResize(t *testing.T) {
	s := make([]int, 5, 10)
	if g := reuse.Grow(s, 10); len(g) != 0 || cap(g) != 10 || &g[:1][0] != &s[0] {
		t.Errorf("Grow within capacity: len %d cap %d, or a new array", len(g), cap(g))
	}
	if g := reuse.Grow(s, 16); len(g) != 0 || cap(g) < 16 || &g[:1][0] == &s[0] {
		t.Errorf("Grow beyond capacity: len %d cap %d, or the old array", len(g), cap(g))
	}
	s[:6][5] = 42 // beyond len, in the array
	if r := reuse.Resize(s, 8); len(r) != 8 || &r[0] != &s[0] || r[5] != 42 {
		t.Errorf("Resize within capacity: len %d, a new array or contents cleared", len(r))
	}
	if r := reuse.Resize(s, 11); len(r) != 11 || cap(r) < 11 || &r[0] == &s[0] || r[5] != 0 {
		t.Errorf("Resize beyond capacity: len %d cap %d, or the old array", len(r), cap(r))
	}
	if r := reuse.Resize([]int(nil), 0); len(r) != 0 {
		t.Errorf("Resize(nil, 0) has length %d", len(r))
	}
}
