package plan

import "testing"

func TestGridCode(t *testing.T) {
	for _, tc := range []struct {
		community, sep string
		width, seq     int
		want           string
	}{
		{"C01", "", 3, 7, "C01007"},
		{"C01", "-", 4, 12, "C01-0012"},
		{"C01", "-", 2, 123, "C01-123"}, // a sequence wider than width is not cut
		{"C01", "", 0, 5, "C015"},
		{"", "", 3, 7, "007"},
		{"", "-", 3, 1, "001"}, // no community, no separator
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := (coding{tc.sep, tc.width}).code(tc.community, tc.seq); got != tc.want {
				t.Errorf("coding{%q, %d}.code(%q, %d) = %q, want %q", tc.sep, tc.width, tc.community, tc.seq, got, tc.want)
			}
			if tc.community == "" {
				return
			}
			if seq, ok := (coding{tc.sep, tc.width}).seq(tc.want, tc.community); !ok || seq != tc.seq {
				t.Errorf("coding{%q, %d}.seq(%q, %q) = %d, %v, want %d, true", tc.sep, tc.width, tc.want, tc.community, seq, ok, tc.seq)
			}
		})
	}
}

func TestGridCodeSeqRefuses(t *testing.T) {
	c := coding{"-", 3}
	for _, code := range []string{"C02-001", "C01001", "C01-", "C01-00x", "C01-+12", "C01--12"} {
		if seq, ok := c.seq(code, "C01"); ok {
			t.Errorf("seq(%q, \"C01\") = %d, true: want no sequence", code, seq)
		}
	}
}
