// Command gridplan divides urban communities (社区) into grids (网格) of
// 300–500 households, keeping residential compounds (小区) whole, and writes
// the plan with balance statistics.
//
// Usage:
//
//	gridplan partition [flags] [BUILDINGS]
//	gridplan check --grids FILE --buildings FILE [--households CSV] [--communities FILE] [--out DIR] [--json]
//	gridplan repartition --previous DIR --buildings FILE [--households CSV] --out DIR
//	gridplan generate --buildings N --seed S --out DIR
//
// partition reads a buildings GeoJSON file (longitude/latitude, one feature
// per building with id, households and optional compound, community and kind
// properties), optionally a communities layer, and writes grids.geojson,
// assignment.csv and stats.json to the output directory (default
// gridplan-out). With no BUILDINGS it runs on the embedded sample district.
// check audits an existing grid layer against the same rules. repartition
// redraws an earlier plan after a census update with the least change, and
// reports what changed (changes.csv, moves.csv). generate
// writes a deterministic synthetic district.
//
// The output directory is replaced as a whole: written beside it, then
// swapped in with one rename, under a lock file <out>.lock.
//
// Streams: the summary (or stats.json with --json) goes to stdout; warnings,
// progress and errors go to stderr, prefixed "gridplan: ". Progress shows
// only on a terminal, as one line redrawn in place (the phase, its counts
// and the time left), unless GRIDPLAN_PROGRESS=1 asks for it elsewhere,
// one line per report.
//
// SIGINT and SIGTERM stop a run within a second or so, in any phase, with
// exit status 130: the output directory is left as it was, and the new set
// being written beside it is removed with the lock. Once the new set is
// complete and the swap has begun, the swap completes instead.
//
// Exit status: 0 success; 1 check found violations, or --strict and some
// grid is out of band; 2 bad usage, bad input, I/O failure or the output
// directory locked by another run, with nothing partial written; 3 the plan failed gridplan's own check of its output (a
// bug: it is written for inspection and the failures are listed); 130
// interrupted.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"gridplan/cmd/gridplan/internal/progress"
	"gridplan/geo"
	"gridplan/geo/plan"

	"github.com/urfave/cli/v2"
)

func main() {
	// A reader that goes away (gridplan … | head) makes writes fail, not
	// kill the run: the outputs are already written, the lock is freed.
	signal.Ignore(syscall.SIGPIPE)
	tuneGC()
	stop := startProfiles(os.Stderr)
	code := run(context.Background(), os.Args, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// errViolations is returned when the plan was written but breaks the band
// and the user asked for --strict; it maps to exit status 1.
var errViolations = errors.New("grids out of band")

// errSelfCheck is returned when a plan fails gridplan's own check of its
// output (a gap, an overlap, a footprint outside its grid, an invalid grid
// polygon): a bug, not bad input; it maps to exit status 3.
var errSelfCheck = errors.New("the plan failed gridplan's own check")

// run executes the command line args and returns the exit status. Only main
// exits, so tests call run with buffers.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	ctx, _ = plan.WithTiming(ctx) // stats.json's timing
	defer stop()
	// Progress is one line on stderr, which whatever else is printed
	// clears first; and what is printed may hold ids of the input: see
	// termWriter.
	m := progress.New(stderr)
	defer m.Clear()
	stdout, stderr = &termWriter{m.Writer(stdout)}, &termWriter{m.Writer(stderr)}
	app := newApp(stdin, stdout, stderr)
	app.Metadata = map[string]any{meterKey: m}
	onUsage := func(_ *cli.Context, err error, _ bool) error { return fmt.Errorf("%w (see --help)", err) }
	app.OnUsageError = onUsage
	for _, c := range app.Commands {
		c.OnUsageError = onUsage // v2 does not inherit the App's handler
	}
	app.ExitErrHandler = func(*cli.Context, error) {} // codes are chosen below
	var unknown string
	app.CommandNotFound = func(_ *cli.Context, name string) { unknown = name }
	err := app.RunContext(ctx, args)
	if err == nil && unknown != "" {
		err = fmt.Errorf("unknown command %q (see --help)", unknown)
	}
	return exitStatus(ctx, err, stderr)
}

const meterKey = "progress"

// meter returns the progress meter of the run, nil if it shows none.
func meter(c *cli.Context) *progress.Meter {
	m, _ := c.App.Metadata[meterKey].(*progress.Meter)
	return m
}

// exitStatus prints err, if any, and returns the exit status it maps to.
func exitStatus(ctx context.Context, err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errViolations):
		printError(stderr, err)
		return 1
	case errors.Is(err, errSelfCheck):
		fmt.Fprintf(stderr, "gridplan: error: %v\n", err)
		return 3
	case ctx.Err() != nil:
		fmt.Fprintln(stderr, "gridplan: interrupted")
		return 130
	default:
		printError(stderr, err)
		var le *geo.LayerError
		if errors.As(err, &le) && len(le.Features) > maxListedErrors {
			fmt.Fprintf(stderr, "gridplan: --json lists all %d on stdout\n", len(le.Features))
		}
		return 2
	}
}

// maxListedErrors is the number of bad features a refused layer's error
// lists on stderr (geo.LayerError); --json lists them all.
const maxListedErrors = 20

// printError writes err to w, each line prefixed "gridplan: ": a layer with
// many bad features is refused with one line for each of the first 20 and
// a count of the rest ([geo.LayerError]).
func printError(w io.Writer, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(w, "gridplan: %s\n", line)
	}
}

const exitStatusHelp = `EXIT STATUS:
   0    success
   1    --strict was given and some grid is out of the band (the plan is written)
   2    bad usage, bad input, I/O failure or --out being written by another run;
        nothing partial is written, the earlier output is left as it was
   3    the plan failed gridplan's own check (gaps, overlaps, a footprint outside its
        grid, an invalid grid polygon): a bug in gridplan; the plan is written for
        inspection and stderr lists the failures
   130  interrupted by SIGINT or SIGTERM; the earlier output is left as it was`

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:  "gridplan",
		Usage: "divide urban communities into grids of 300–500 households",
		Description: "gridplan loads building footprints with household counts (GeoJSON), groups them into\n" +
			"connected grids that keep every residential compound whole and stay inside their\n" +
			"community, and writes the plan with balance statistics. Run 'gridplan partition'\n" +
			"with no arguments to see it work on the embedded sample district.\n\n" + exitStatusHelp,
		Reader:          stdin,
		Writer:          stdout,
		ErrWriter:       stderr,
		HideHelpCommand: true,
		Commands:        []*cli.Command{partitionCommand(), checkCommand(), repartitionCommand(), generateCommand()},
	}
}

// requireFlags reports the first of the named flags left empty. Commands
// check their required flags here rather than through the flag library,
// which would print the help to stdout (where data goes) before the error.
func requireFlags(c *cli.Context, names ...string) error {
	for _, f := range names {
		if c.String(f) == "" {
			return fmt.Errorf("%s needs --%s (see --help)", c.Command.Name, f)
		}
	}
	return nil
}

// nonNegative refuses, all at once, the named number flags that are
// negative, infinite or not a number.
func nonNegative(c *cli.Context, names ...string) error {
	var bad []string
	for _, f := range names {
		if v := c.Float64(f); !(v >= 0 && v <= math.MaxFloat64) {
			bad = append(bad, fmt.Sprintf("--%s %v", f, v))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s: must be a number, not negative", strings.Join(bad, ", "))
	}
	return nil
}
