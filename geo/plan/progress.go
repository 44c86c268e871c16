package plan

import (
	"context"
	"io"
	"io/fs"
)

// A Progress says how far a phase of a run has got ([Options.Progress],
// [CheckOptions.Progress]). As each phase begins it is reported once with
// Done and Total 0 and no Unit; the long phases then report Done of Total
// units as they go:
//
//   - "buildings", "communities", "compounds", "barriers" (and check's
//     "grids"): reading the layer, in bytes read of the file's size (Total
//     0 if the size is not known, as for a layer converted on the fly);
//   - "planning" (partition), "tessellation", "search" and "drawing"
//     (repartition, and check's proof of what redrawing cannot fix):
//     communities done;
//   - check's "audit" reports its steps as phases of their own, begun
//     with the first count: "audit/grids" (the community of each grid, in
//     grids), "audit/buildings" (the grid of each building, in
//     buildings), "audit/coverage" (in communities) and "audit/overlaps"
//     (in grids);
//
// the others ("stacked", "atoms", "statistics") are reported as they
// begin only.
type Progress struct {
	Phase       string
	Done, Total int
	Unit        string // "bytes", "communities", "grids" or "buildings"; "" as the phase begins
}

// Units of [Progress].
const (
	unitBytes       = "bytes"
	unitCommunities = "communities"
)

// A reporter passes the progress of a run to Options.Progress; a nil
// reporter reports nothing.
type reporter func(Progress)

type progressKey struct{}

// withProgress returns ctx carrying f, the progress callback of the run, so
// that the phases (begin) and the loops within them report to it.
func withProgress(ctx context.Context, f func(Progress)) context.Context {
	if f == nil {
		return ctx
	}
	return context.WithValue(ctx, progressKey{}, reporter(f))
}

// progressOf returns the reporter of ctx, nil if the run has none.
func progressOf(ctx context.Context) reporter {
	r, _ := ctx.Value(progressKey{}).(reporter)
	return r
}

// report reports done of total units of phase.
func (r reporter) report(phase string, done, total int, unit string) {
	if r != nil {
		r(Progress{Phase: phase, Done: done, Total: total, Unit: unit})
	}
}

// communities returns the function partition.Settings.Progress calls as
// the search solves each community, reporting it as phase; nil for a nil
// reporter.
func (r reporter) communities(phase string) func(done, total int) {
	if r == nil {
		return nil
	}
	return func(done, total int) { r.report(phase, done, total, unitCommunities) }
}

// auditUnits are the units of the steps of check's audit.
var auditUnits = map[string]string{"grids": "grids", "buildings": "buildings", "coverage": unitCommunities, "overlaps": "grids"}

// audit returns the function audit.AuditSettings.Progress calls, reporting
// each step of the audit as phase "audit/STEP"; nil for a nil reporter.
func (r reporter) audit() func(step string, done, total int) {
	if r == nil {
		return nil
	}
	return func(step string, done, total int) { r.report(phaseAudit+"/"+step, done, total, auditUnits[step]) }
}

// A countingReader reports the bytes read from r as the progress of a
// phase. It unwraps to r, so that the reader of a layer still sees the
// file under it (its size, a device refused).
type countingReader struct {
	r     io.Reader
	n     int
	total int
	phase string
	to    reporter
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if n > 0 {
		c.n += n
		c.to.report(c.phase, c.n, c.total, unitBytes)
	}
	return n, err
}

func (c *countingReader) Unwrap() io.Reader { return c.r }

// counted returns r reporting its bytes read as phase's progress to the
// reporter of ctx, or r itself if there is none.
func counted(ctx context.Context, phase string, r io.Reader) io.Reader {
	to := progressOf(ctx)
	if to == nil {
		return r
	}
	to.report(phase, 0, sizeOf(r), unitBytes)
	return &countingReader{r: r, total: sizeOf(r), phase: phase, to: to}
}

// sizeOf returns the size of what r reads, if known: that of a regular
// file, or the length of a bytes or strings reader; 0 if not.
func sizeOf(r io.Reader) int {
	for {
		switch v := r.(type) {
		case interface{ Stat() (fs.FileInfo, error) }:
			if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
				return int(fi.Size())
			}
			return 0
		case interface{ Len() int }:
			return v.Len()
		case interface{ Unwrap() io.Reader }:
			r = v.Unwrap()
		default:
			return 0
		}
	}
}
