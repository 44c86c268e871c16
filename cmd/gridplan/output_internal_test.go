package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"gridplan/geo/plan"
)

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

// TestSelfCheckFailureIsLoud: failures of the plan's own check are listed
// on stderr (the first 20, then a count) and end the run with status 3.
func TestSelfCheckFailureIsLoud(t *testing.T) {
	if err := selfCheckError(io.Discard, nil); err != nil {
		t.Fatalf("no failures: %v", err)
	}
	var fails []string
	for i := 0; i < 25; i++ {
		fails = append(fails, fmt.Sprintf("grid C%03d has no polygon", i))
	}
	var stderr bytes.Buffer
	err := selfCheckError(&stderr, fails)
	if code := exitStatus(context.Background(), err, &stderr); code != 3 {
		t.Errorf("exit status %d, want 3", code)
	}
	out := stderr.String()
	for _, want := range []string{"gridplan: error: grid C000 has no polygon\n", "gridplan: error: grid C019 has no polygon\n", "... and 5 more", "a bug in gridplan"} {
		if !strings.Contains(out, want) {
			t.Errorf("stderr lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "C020") {
		t.Errorf("stderr lists more than 20 failures:\n%s", out)
	}
	var summary bytes.Buffer
	printSummary(&summary, &plan.Stats{SelfCheck: fails}, nil)
	if !strings.Contains(summary.String(), "SELF-CHECK FAILED: 25 problems") {
		t.Errorf("summary does not say the check failed:\n%s", summary.String())
	}
}
