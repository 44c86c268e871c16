package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"gridplan/geo/plan/plantest"
)

// hostile is a community code that would drive a terminal: an escape
// sequence, a carriage return, a line break, DEL, a C1 control (CSI), a
// right-to-left override and an isolate, around Chinese text. JSON input
// writes C0 controls escaped; the others may stand raw.
const (
	hostileJSON = `\u001b[2J\u001b[31m红旗\r\n社区` + "\x7f\u009b\u202e\u2066" + `1`
	hostile     = "\x1b[2J\x1b[31m红旗\r\n社区\x7f\u009b\u202e\u20661"
)

// checkTerminal fails if out holds a rune that controls a terminal, other
// than line breaks.
func checkTerminal(t *testing.T, name, out string) {
	t.Helper()
	for i, r := range out {
		if r != '\n' && controls(r) || r == utf8.RuneError {
			t.Errorf("%s holds %U at byte %d: %q", name, r, i, out[max(0, i-20):min(len(out), i+20)])
			return
		}
	}
}

// TestTerminalInjection: ids printed on stdout and stderr have their
// control characters escaped, Chinese text left readable, while the
// files, and stdout with --json, keep them exact.
func TestTerminalInjection(t *testing.T) {
	dir := t.TempDir()
	b := filepath.Join(dir, "buildings.geojson")
	feature := func(id string, households int, lon float64) string {
		return fmt.Sprintf(`{"type":"Feature","properties":{"id":"%s","households":%d,"community":"%s"},"geometry":%s}`,
			id, households, hostileJSON, plantest.Square(lon, 40.08))
	}
	// Too few households for the band, and a footprint twice: a grid out
	// of band on stdout, a warning on stderr.
	must(t, os.WriteFile(b, []byte(plantest.Collection(feature(`B1\u001b]0;pwned\u0007`, 100, 113.3), feature("B2", 100, 113.3))), 0o644))
	out := filepath.Join(dir, "out")
	code, stdout, stderr := gridplan(t, "partition", "--out", out, b)
	if code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	checkTerminal(t, "stdout", stdout)
	checkTerminal(t, "stderr", stderr)
	for _, w := range []string{`\x1b[2J\x1b[31m红旗\r\n社区\x7f\u009b\u202e\u20661001`, "community_too_small"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout does not show %q:\n%s", w, stdout)
		}
	}
	if !strings.Contains(stderr, `B1\x1b]0;pwned\a`) {
		t.Errorf("stderr does not name building B1 escaped:\n%s", stderr)
	}
	// The files keep the ids exact.
	// (encoding/csv would read the \r\n in a field back as \n.)
	assignment, err := os.ReadFile(filepath.Join(out, "assignment.csv"))
	must(t, err)
	if want := "B1\x1b]0;pwned\a,\"" + hostile + "001\",\"" + hostile + "\"\n"; !strings.Contains(string(assignment), want) {
		t.Errorf("assignment.csv = %q, want the row %q", assignment, want)
	}
	// --json: stdout is stats.json, byte for byte up to escapes that
	// decode to the same text.
	code, stdout, stderr = gridplan(t, "partition", "--json", "--out", out, b)
	if code != 0 {
		t.Fatalf("partition --json: exit %d\n%s", code, stderr)
	}
	checkTerminal(t, "stdout of --json", stdout)
	var fromStdout, fromFile any
	must(t, json.Unmarshal([]byte(stdout), &fromStdout))
	data, err := os.ReadFile(filepath.Join(out, "stats.json"))
	must(t, err)
	must(t, json.Unmarshal(maskRunTime(data), &fromFile))
	must(t, json.Unmarshal(maskRunTime([]byte(stdout)), &fromStdout))
	if a, b := fmt.Sprint(fromStdout), fmt.Sprint(fromFile); a != b || !strings.Contains(a, hostile) {
		t.Errorf("stdout of --json reads\n%s\nstats.json\n%s", a, b)
	}

	// check prints findings naming the grid code.
	code, stdout, stderr = gridplan(t, "check", "--grids", filepath.Join(out, "grids.geojson"), "--buildings", b)
	if code != 1 {
		t.Fatalf("check: exit %d, want 1 (a grid out of band)\n%s", code, stderr)
	}
	checkTerminal(t, "stdout of check", stdout)
	checkTerminal(t, "stderr of check", stderr)
	if !strings.Contains(stdout, `\x1b[2J\x1b[31m红旗\r\n社区`) {
		t.Errorf("check does not show the grid code escaped:\n%s", stdout)
	}
}

// TestEscapeText: only the runes that control a terminal are escaped.
func TestEscapeText(t *testing.T) {
	for _, tc := range []struct{ in, keep, one string }{
		{"红旗社区 C1-001\n", "红旗社区 C1-001\n", `红旗社区 C1-001\n`},
		{"a\tb\rc", "a\tb\\rc", `a\tb\rc`},
		{"\x1b[31m", `\x1b[31m`, `\x1b[31m`},
		{"\u0085\u009b\x7f", `\u0085\u009b\x7f`, `\u0085\u009b\x7f`},
		{"ab\u202ecd\u2066\u2028", `ab\u202ecd\u2066\u2028`, `ab\u202ecd\u2066\u2028`},
		{"bad \xff\xfe", `bad \xff\xfe`, `bad \xff\xfe`},
	} {
		if got := string(escape(nil, []byte(tc.in), text)); got != tc.keep {
			t.Errorf("escape(%q, text) = %q, want %q", tc.in, got, tc.keep)
		}
		if got := oneLine(tc.in); got != tc.one {
			t.Errorf("oneLine(%q) = %q, want %q", tc.in, got, tc.one)
		}
	}
}

// TestEndlessInput: a character device is refused at once, as a layer, a
// household table or an earlier plan, instead of read until memory runs
// out.
func TestEndlessInput(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	b := filepath.Join(dir, "buildings.geojson")
	must(t, os.WriteFile(b, []byte(plantest.Collection(plantest.Building("B1", "400", plantest.Square(113.3, 40.08)))), 0o644))
	p0 := filepath.Join(dir, "p0")
	if code, _, stderr := gridplan(t, "partition", "--out", p0, b); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	for _, args := range [][]string{
		{"partition", "--out", filepath.Join(dir, "out"), "/dev/zero"},
		{"partition", "--out", filepath.Join(dir, "out"), "--communities", "/dev/zero", b},
		{"repartition", "--previous", p0, "--buildings", b, "--households", "/dev/zero", "--out", filepath.Join(dir, "out")},
		{"repartition", "--previous", "/dev/zero", "--buildings", b, "--out", filepath.Join(dir, "out")},
	} {
		code, _, stderr := gridplan(t, args...)
		if code != 2 || !strings.Contains(stderr, "/dev/zero") || !strings.Contains(stderr, "character device") {
			t.Errorf("%v: exit %d, want 2 naming /dev/zero, a character device:\n%s", args, code, stderr)
		}
	}
}
