// Package progress shows how far a gridplan run has got, on stderr: on a
// terminal as one line redrawn in place (a carriage return before each
// drawing), naming the phase, its counts and, once it has run a second,
// an estimate of the time left; off a terminal nothing, unless Env asks
// for one line per report (for a log, or a program waiting for a phase).
//
// The line is redrawn from the reports themselves, at most every
// [Interval], never from a clock of its own; output written through
// [Meter.Writer] (the run's stdout and stderr) clears it first, so that a
// warning or the summary never runs into it.
package progress

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"gridplan/geo/plan"

	"golang.org/x/text/width"
)

// Env names the environment variable that, set to 1, shows progress when
// stderr is not a terminal, one line per report.
const Env = "GRIDPLAN_PROGRESS"

// Interval is the least time between two drawings of the line (or two
// lines) within a phase; a phase beginning is drawn at once.
const Interval = 200 * time.Millisecond

// etaAfter is how long a phase runs before the time it has left is
// estimated, from its rate so far.
const etaAfter = time.Second

// The phases of the command's own, beside those of geo/plan.
const (
	Previous   = "previous"   // reading an earlier plan (repartition)
	Households = "households" // reading a table of household counts
	Encoding   = "encoding"   // encoding the output files
	Writing    = "writing"    // writing them, in bytes
)

// labels name the phases on the line; a phase not listed is shown by its
// name.
var labels = map[string]string{
	"buildings":       "reading buildings",
	"communities":     "reading communities",
	"compounds":       "reading compounds",
	"barriers":        "reading barriers",
	"grids":           "reading grids",
	"stacked":         "finding stacked buildings",
	"atoms":           "grouping buildings into units",
	"tessellation":    "tessellating",
	"search":          "searching",
	"drawing":         "drawing grids",
	"planning":        "planning",
	"statistics":      "computing statistics",
	"audit":           "auditing grids",
	"audit/grids":     "finding the community of",
	"audit/buildings": "finding the grid of",
	"audit/coverage":  "checking the coverage of",
	"audit/overlaps":  "checking overlaps of",
	Previous:          "reading the earlier plan",
	Households:        "reading household counts",
	Encoding:          "encoding output",
	Writing:           "writing output",
}

// Terminal reports whether w is a terminal; tests replace it to see what
// a terminal would be shown.
var Terminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// A Meter shows the progress of one run. The methods of a nil Meter do
// nothing, and it is safe for use by several goroutines at once.
type Meter struct {
	mu    sync.Mutex
	w     io.Writer
	lines bool             // a line per report, not one line redrawn
	now   func() time.Time // time.Now; tests set a clock
	phase string
	began time.Time // when the phase began
	drawn time.Time // when the line was last drawn (or printed)
	shown int       // columns of the line on the terminal, 0 if none
}

// New returns the Meter of a run whose stderr is w, nil if the run shows
// no progress: w is no terminal and Env is not "1".
func New(w io.Writer) *Meter {
	m := &Meter{w: w, now: time.Now}
	switch {
	case Terminal(w):
	case os.Getenv(Env) == "1":
		m.lines = true
	default:
		return nil
	}
	return m
}

// Func returns Report, or nil for a nil Meter, so that a run without
// progress is told nothing.
func (m *Meter) Func() func(plan.Progress) {
	if m == nil {
		return nil
	}
	return m.Report
}

// Begin reports the beginning of a phase.
func (m *Meter) Begin(phase string) { m.Report(plan.Progress{Phase: phase}) }

// Counter returns a function reporting done of total units of phase, nil
// for a nil Meter.
func (m *Meter) Counter(phase, unit string) func(done, total int) {
	if m == nil {
		return nil
	}
	return func(done, total int) { m.Report(plan.Progress{Phase: phase, Done: done, Total: total, Unit: unit}) }
}

// Report shows p: at once if it begins a phase, else if Interval has
// passed since the line was last drawn (or, off a terminal, if it ends
// the phase).
func (m *Meter) Report(p plan.Progress) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	switch {
	case p.Phase != m.phase:
		m.phase, m.began = p.Phase, now
	case now.Sub(m.drawn) >= Interval:
	case m.lines && p.Total > 0 && p.Done == p.Total:
	default:
		return
	}
	m.drawn = now
	if m.lines {
		fmt.Fprintf(m.w, "gridplan: %s\n", text(p))
		return
	}
	line := fit("gridplan: ", text(p), share(p, now.Sub(m.began)), columns())
	w := columnsOf(line)
	pad := max(0, m.shown-w)
	io.WriteString(m.w, "\r"+line+strings.Repeat(" ", pad))
	m.shown = w + pad
}

// maxColumns is the most columns the line takes on a terminal: it must
// not wrap (a wrapped line is not redrawn in place, each drawing adds a
// line), and the terminal's width is not asked. A narrower COLUMNS (when
// the shell exports it) narrows it.
const maxColumns = 72

// columns is the most columns the line may take: maxColumns, or fewer
// where COLUMNS says the terminal is narrower.
func columns() int {
	n := maxColumns
	if c, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && c > 10 {
		n = min(n, c-1)
	}
	return n
}

// fit joins prefix, body and tail into a line of at most limit columns:
// it drops the prefix, then shortens the body (ending it "...") while the
// line is too wide.
func fit(prefix, body, tail string, limit int) string {
	if line := prefix + body + tail; columnsOf(line) <= limit {
		return line
	}
	if line := body + tail; columnsOf(line) <= limit {
		return line
	}
	room := limit - columnsOf(tail) - len("...")
	var b strings.Builder
	w := 0
	for _, r := range body {
		rw := runeWidth(r)
		if w+rw > room {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	line := b.String() + "..." + tail
	for columnsOf(line) > limit { // a tail wider than the limit itself
		rs := []rune(line)
		line = string(rs[:len(rs)-1])
	}
	return line
}

// columnsOf is the columns s takes on a terminal: two for each East Asian
// wide or fullwidth rune, one for any other.
func columnsOf(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// Clear removes the line from the terminal.
func (m *Meter) Clear() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clear()
}

func (m *Meter) clear() {
	if m.shown > 0 {
		io.WriteString(m.w, "\r"+strings.Repeat(" ", m.shown)+"\r")
		m.shown = 0
	}
}

// Writer returns w writing through m: the line is cleared before each
// write, and drawn again by the next report.
func (m *Meter) Writer(w io.Writer) io.Writer {
	if m == nil || m.lines {
		return w
	}
	return &writer{m: m, w: w}
}

type writer struct {
	m *Meter
	w io.Writer
}

func (w *writer) Write(p []byte) (int, error) {
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	w.m.clear()
	w.m.drawn = time.Time{} // whatever comes next is drawn
	return w.w.Write(p)
}

// Unwrap returns the writer written to.
func (w *writer) Unwrap() io.Writer { return w.w }

// text names p's phase and its counts: "planning 12/40 communities",
// "reading buildings 3.1/16.9 MB", "writing output 420/512 kB".
func text(p plan.Progress) string {
	s, ok := labels[p.Phase]
	if !ok {
		s = p.Phase
	}
	switch {
	case p.Unit == "" || p.Done == 0 && p.Total == 0:
		return s
	case p.Unit == "bytes":
		return s + " " + size(p.Done, p.Total)
	case p.Total > 0:
		return fmt.Sprintf("%s %d/%d %s", s, p.Done, p.Total, p.Unit)
	}
	return fmt.Sprintf("%s %d %s", s, p.Done, p.Unit)
}

// share writes the share of p done and, once its phase has run etaAfter
// (elapsed), the time it has left at its rate so far: " (25%), 3 s left".
func share(p plan.Progress, elapsed time.Duration) string {
	if p.Total <= 0 || p.Unit == "" {
		return ""
	}
	s := fmt.Sprintf(" (%d%%)", 100*int64(p.Done)/int64(p.Total))
	if elapsed >= etaAfter && p.Done > 0 && p.Done < p.Total {
		left := time.Duration(float64(elapsed) * float64(p.Total-p.Done) / float64(p.Done))
		s += ", " + ETA(left) + " left"
	}
	return s
}

// size writes done bytes of total (0: not known) in bytes below a
// kilobyte, in kB below a megabyte, else in MB to a tenth (10³ and 10⁶
// bytes).
func size(done, total int) string {
	unit, div, prec := "MB", 1e6, 1
	switch n := max(done, total); {
	case n < 1e3:
		unit, div, prec = "B", 1, 0
	case n < 1e6:
		unit, div, prec = "kB", 1e3, 0
	}
	s := fmt.Sprintf("%.*f", prec, float64(done)/div)
	if total > 0 {
		s += fmt.Sprintf("/%.*f", prec, float64(total)/div)
	}
	return s + " " + unit
}

// ETA writes a time left, rounded up: "7 s", "2 min 05 s", "1 h 04 min".
func ETA(d time.Duration) string {
	s := int64((d + time.Second - 1) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", max(s, 1))
	case s < 3600:
		return fmt.Sprintf("%d min %02d s", s/60, s%60)
	}
	m := (s + 59) / 60
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}
