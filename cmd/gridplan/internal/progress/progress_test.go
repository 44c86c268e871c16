package progress

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"gridplan/geo/plan"
)

// A clock is a time that tests move on.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }
func step(phase string, done, total int, unit string) plan.Progress {
	return plan.Progress{Phase: phase, Done: done, Total: total, Unit: unit}
}

// meter returns a Meter writing to a buffer, on a terminal or in lines,
// and the clock it reads.
func meter(t *testing.T, terminal bool) (*Meter, *bytes.Buffer, *clock) {
	t.Helper()
	defer func(f func(io.Writer) bool) { Terminal = f }(Terminal)
	Terminal = func(io.Writer) bool { return terminal }
	t.Setenv(Env, "1")
	var b bytes.Buffer
	m := New(&b)
	if m == nil {
		t.Fatal("New returned nil with Env set")
	}
	c := &clock{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	m.now = c.now
	return m, &b, c
}

// TestTerminal: one line redrawn in place, a phase drawn as it begins, at
// most every Interval within it, the time left once it has run a second;
// output written through the Meter clears the line first, and Clear
// leaves nothing behind.
func TestTerminal(t *testing.T) {
	m, b, c := meter(t, true)
	m.Report(step("buildings", 0, 0, ""))
	if got, want := b.String(), "\rgridplan: reading buildings"; got != want {
		t.Fatalf("phase begun: %q, want %q", got, want)
	}
	b.Reset()
	c.advance(Interval / 2)
	m.Report(step("buildings", 4_000_000, 16_000_000, "bytes"))
	if b.Len() > 0 {
		t.Errorf("drawn again within %v: %q", Interval, b.String())
	}
	c.advance(Interval / 2)
	m.Report(step("buildings", 4_000_000, 16_000_000, "bytes"))
	if got, want := b.String(), "\rgridplan: reading buildings 4.0/16.0 MB (25%)"; got != want {
		t.Errorf("after %v: %q, want %q", Interval, got, want)
	}
	b.Reset()
	c.advance(800 * time.Millisecond) // 1 s into the phase, a quarter done
	m.Report(step("buildings", 4_000_000, 16_000_000, "bytes"))
	if got, want := b.String(), "\rgridplan: reading buildings 4.0/16.0 MB (25%), 3 s left"; got != want {
		t.Errorf("after 1 s: %q, want %q", got, want)
	}
	b.Reset()
	// A new phase is drawn at once, over the longer line before it.
	c.advance(time.Millisecond)
	m.Report(step("planning", 0, 0, ""))
	long := len("gridplan: reading buildings 4.0/16.0 MB (25%), 3 s left")
	if got, want := b.String(), "\rgridplan: planning"+strings.Repeat(" ", long-len("gridplan: planning")); got != want {
		t.Errorf("next phase: %q, want %q", got, want)
	}
	b.Reset()
	var out bytes.Buffer
	w := m.Writer(&out)
	io.WriteString(w, "gridplan: warning: x\n")
	if got, want := b.String(), "\r"+strings.Repeat(" ", long)+"\r"; got != want {
		t.Errorf("writing through the meter: %q on the terminal, want the line cleared", got)
	}
	if out.String() != "gridplan: warning: x\n" {
		t.Errorf("writing through the meter: %q written", out.String())
	}
	b.Reset()
	m.Report(step("planning", 1, 40, "communities")) // drawn again at once
	if got, want := b.String(), "\rgridplan: planning 1/40 communities (2%)"; got != want {
		t.Errorf("after a write: %q, want %q", got, want)
	}
	b.Reset()
	m.Clear()
	if got, want := b.String(), "\r"+strings.Repeat(" ", len("gridplan: planning 1/40 communities (2%)"))+"\r"; got != want {
		t.Errorf("Clear: %q, want %q", got, want)
	}
	b.Reset()
	m.Clear()
	io.WriteString(w, "summary\n")
	if b.Len() > 0 {
		t.Errorf("nothing shown, yet cleared: %q", b.String())
	}
}

// TestLines: off a terminal, with Env, a line per report: each phase as
// it begins, at most every Interval within it, and its end; no carriage
// return, share or time left.
func TestLines(t *testing.T) {
	m, b, c := meter(t, false)
	m.Report(step("planning", 0, 0, ""))
	m.Report(step("planning", 0, 3, "communities"))
	c.advance(2 * time.Second)
	m.Report(step("planning", 1, 3, "communities"))
	c.advance(Interval / 4)
	m.Report(step("planning", 2, 3, "communities"))
	m.Report(step("planning", 3, 3, "communities"))
	m.Report(step("writing", 0, 0, ""))
	m.Report(step("writing", 2_500_000, 0, "bytes"))
	want := "gridplan: planning\n" +
		"gridplan: planning 1/3 communities\n" +
		"gridplan: planning 3/3 communities\n" +
		"gridplan: writing output\n"
	if b.String() != want {
		t.Errorf("lines:\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	c.advance(Interval)
	m.Report(step("writing", 2_500_000, 0, "bytes"))
	if got, want := b.String(), "gridplan: writing output 2.5 MB\n"; got != want {
		t.Errorf("size not known: %q, want %q", got, want)
	}
	b.Reset()
	m.Clear()
	io.WriteString(m.Writer(b), "x\n")
	if b.String() != "x\n" {
		t.Errorf("lines cleared: %q", b.String())
	}
}

// TestOff: off a terminal without Env, no Meter, and a nil Meter does
// nothing.
func TestOff(t *testing.T) {
	defer func(f func(io.Writer) bool) { Terminal = f }(Terminal)
	Terminal = func(io.Writer) bool { return false }
	for _, v := range []string{"", "0", "yes"} {
		t.Setenv(Env, v)
		var b bytes.Buffer
		m := New(&b)
		if m != nil {
			t.Fatalf("%s=%q: a Meter off a terminal", Env, v)
		}
		if m.Func() != nil || m.Counter("writing", "bytes") != nil {
			t.Error("a nil Meter gives callbacks")
		}
		m.Begin("stacked")
		m.Report(step("planning", 1, 2, "communities"))
		m.Clear()
		if w := m.Writer(&b); w != io.Writer(&b) {
			t.Error("a nil Meter wraps writers")
		}
		if b.Len() > 0 {
			t.Errorf("a nil Meter wrote %q", b.String())
		}
	}
	if Terminal(&bytes.Buffer{}) {
		t.Error("a buffer taken for a terminal")
	}
}

func TestETA(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "1 s"},
		{300 * time.Millisecond, "1 s"},
		{time.Second, "1 s"},
		{1001 * time.Millisecond, "2 s"},
		{59 * time.Second, "59 s"},
		{60 * time.Second, "1 min 00 s"},
		{125 * time.Second, "2 min 05 s"},
		{59*time.Minute + 59*time.Second, "59 min 59 s"},
		{time.Hour, "1 h 00 min"},
		{time.Hour + 3*time.Minute + time.Second, "1 h 04 min"},
		{26 * time.Hour, "26 h 00 min"},
	} {
		if got := ETA(c.d); got != c.want {
			t.Errorf("ETA(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// TestText: the counts of each unit, and the time left only once the
// phase has run a second and while it is under way.
func TestText(t *testing.T) {
	for _, c := range []struct {
		p       plan.Progress
		elapsed time.Duration
		want    string
	}{
		{step("stacked", 0, 0, ""), 5 * time.Second, "finding stacked buildings"},
		{step("nameless", 0, 0, ""), 0, "nameless"},
		{step("planning", 0, 40, "communities"), 0, "planning 0/40 communities (0%)"},
		{step("planning", 10, 40, "communities"), 999 * time.Millisecond, "planning 10/40 communities (25%)"},
		{step("planning", 10, 40, "communities"), 2 * time.Second, "planning 10/40 communities (25%), 6 s left"},
		{step("planning", 40, 40, "communities"), 2 * time.Second, "planning 40/40 communities (100%)"},
		{step("audit/buildings", 512, 60000, "buildings"), 0, "finding the grid of 512/60000 buildings (0%)"},
		{step("grids", 123_456_789, 0, "bytes"), 3 * time.Second, "reading grids 123.5 MB"},
		{step("grids", 51_234, 420_500, "bytes"), 0, "reading grids 51/420 kB (12%)"},
		{step("grids", 51_234, 1_000_000, "bytes"), 0, "reading grids 0.1/1.0 MB (5%)"},
		{step("communities", 0, 999, "bytes"), 0, "reading communities 0/999 B (0%)"},
	} {
		if got := text(c.p) + share(c.p, c.elapsed); got != c.want {
			t.Errorf("%+v after %v: %q, want %q", c.p, c.elapsed, got, c.want)
		}
	}
}

// TestWidth: the line never takes more than maxColumns columns (nor
// COLUMNS-1), counting a Chinese character as two, and keeps the share
// and the time left when the phase's words must be cut.
func TestWidth(t *testing.T) {
	t.Setenv("COLUMNS", "")
	m, b, c := meter(t, true)
	for _, p := range []plan.Progress{
		step("audit/coverage", 12345, 67890, "communities"),
		step("网格划分阶段名称很长很长很长很长很长很长很长很长很长很长很长", 3, 40, "communities"),
		step("audit/overlaps", 1, 99999999, "grids of the layer"),
	} {
		c.advance(time.Hour)
		m.Report(p)
		c.advance(time.Hour)
		m.Report(p)
	}
	for _, line := range strings.Split(b.String(), "\r")[1:] {
		if n := columnsOf(line); n > maxColumns {
			t.Errorf("%d columns, want at most %d: %q", n, maxColumns, line)
		}
		if strings.Contains(line, "...") && !strings.Contains(line, "%") {
			t.Errorf("the share was cut: %q", line)
		}
	}
	if got := columnsOf("网格 ab"); got != 7 {
		t.Errorf("columnsOf(\"网格 ab\") = %d, want 7", got)
	}
	t.Setenv("COLUMNS", "40")
	b.Reset()
	c.advance(time.Hour)
	m.Report(step("audit/coverage", 12345, 67890, "communities"))
	for _, line := range strings.Split(b.String(), "\r")[1:] {
		if n := columnsOf(strings.TrimRight(line, " ")); n > 39 {
			t.Errorf("COLUMNS=40: %d columns: %q", n, line)
		}
	}
}
