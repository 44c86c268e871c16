// Package parttest checks the hard rules that every plan of package
// [gridplan/partition] must keep (SPEC §3), for the tests of partition and
// of the packages that use it, as gonum's graph/testgraph holds the tests
// that every graph implementation runs.
//
// Each Check function takes a [testing.TB], reports each broken rule with
// t.Errorf (at most [MaxReports] per check) and reports whether the rules
// held, so that a caller may stop with t.FailNow or say which of its cases
// failed. The checks see only the exported fields of a [partition.Problem]
// and a [partition.Result]; connectivity is decided by [Connected], an oracle
// built on gonum's graph/topo that shares no code with the solver.
//
// parttest is for tests only: no package but a test may import it.
// partition's own white-box tests, which cannot import it (it imports
// partition), reach it through a hook that partition_test installs.
package parttest

import (
	"context"
	"fmt"
	"testing"

	"gridplan/partition"
)

// MaxReports bounds the errors one check reports; the count of the rest
// follows them.
const MaxReports = 10

// Band returns the band of s as [partition.Solve] applies it: s.Min and
// s.Max, or 300 and 500 when s is nil or Min, Target and Max are all zero
// (as [partition.Settings] documents).
func Band(s *partition.Settings) (lo, hi int) {
	if s == nil || s.Min == 0 && s.Target == 0 && s.Max == 0 {
		return 300, 500
	}
	return s.Min, s.Max
}

// Solve returns partition.Solve(context.Background(), p, s) with one worker, failing t if it
// fails or if four workers give another result (SPEC §3, rule 5: the plan
// does not depend on the number of threads). s may be nil.
func Solve(t testing.TB, p partition.Problem, s *partition.Settings) *partition.Result {
	t.Helper()
	var set partition.Settings
	if s != nil {
		set = *s
	}
	set.Workers = 1
	r1, err := partition.Solve(context.Background(), p, &set)
	if err != nil {
		t.Fatalf("Solve: %v", err)
	}
	set.Workers = 4
	r4, err := partition.Solve(context.Background(), p, &set)
	if err != nil {
		t.Fatalf("Solve with 4 workers: %v", err)
	}
	// fmt.Sprint, not reflect.DeepEqual: a NaN centroid equals itself here.
	if fmt.Sprint(r1) != fmt.Sprint(r4) {
		t.Fatalf("Solve with 1 and 4 workers differ")
	}
	return r1
}

// Parts returns the atoms of each grid of res, in the order of res.Grids.
func Parts(res *partition.Result) [][]int {
	parts := make([][]int, len(res.Grids))
	for i, g := range res.Grids {
		parts[i] = g.Atoms
	}
	return parts
}

// CheckResult reports whether res is a valid plan of p under the settings
// s (nil for the defaults), running every check below: [CheckCover] first,
// and the others only if it holds, since they assume a plan that covers p.
func CheckResult(t testing.TB, p partition.Problem, s *partition.Settings, res *partition.Result) bool {
	t.Helper()
	if res == nil {
		t.Errorf("nil *Result")
		return false
	}
	if !CheckCover(t, p, res) {
		return false
	}
	ok := CheckCommunities(t, p, res)
	ok = CheckHouseholds(t, p, res) && ok
	ok = CheckConnected(t, p, res) && ok
	ok = CheckBand(t, p, s, res) && ok
	return ok
}

// CheckCover reports whether every atom of p lies in exactly one grid of
// res, each grid holding at least one atom, in ascending order, and whether
// res.AtomGrid names each atom's grid.
func CheckCover(t testing.TB, p partition.Problem, res *partition.Result) bool {
	t.Helper()
	r := reporter{t: t, check: "CheckCover"}
	if len(res.AtomGrid) != len(p.Atoms) {
		r.errorf("AtomGrid has %d entries, want one per atom, %d", len(res.AtomGrid), len(p.Atoms))
	}
	seen := make([]int, len(p.Atoms))
	for gi, g := range res.Grids {
		if len(g.Atoms) == 0 {
			r.errorf("grid %d (community %d, seq %d) holds no atom", gi, g.Community, g.Seq)
		}
		for j, a := range g.Atoms {
			if a < 0 || a >= len(p.Atoms) {
				r.errorf("grid %d holds atom %d, not in the problem", gi, a)
				continue
			}
			if j > 0 && a <= g.Atoms[j-1] {
				r.errorf("grid %d: atoms not ascending: %d after %d", gi, a, g.Atoms[j-1])
			}
			seen[a]++
			if a < len(res.AtomGrid) && res.AtomGrid[a] != gi {
				r.errorf("atom %d is in grid %d, but AtomGrid says %d", a, gi, res.AtomGrid[a])
			}
		}
	}
	for a, n := range seen {
		if n != 1 {
			r.errorf("atom %d (%s) is in %d grids, want 1", a, p.Atoms[a].Name, n)
		}
	}
	return r.done()
}

// CheckCommunities reports whether every grid lies within the community it
// names, and whether res lists the grids by community and numbers those of
// each community 1, 2, 3, ... in order. It assumes [CheckCover] holds.
func CheckCommunities(t testing.TB, p partition.Problem, res *partition.Result) bool {
	t.Helper()
	r := reporter{t: t, check: "CheckCommunities"}
	prevC, prevSeq := -1, 0
	for gi, g := range res.Grids {
		if g.Community < 0 || g.Community >= len(p.Communities) {
			r.errorf("grid %d: community %d out of range", gi, g.Community)
			continue
		}
		for _, a := range g.Atoms {
			if c := p.Atoms[a].Community; c != g.Community {
				r.errorf("grid %d (community %q) holds atom %d of community %q", gi, p.Communities[g.Community], a, p.Communities[c])
			}
		}
		switch {
		case g.Community < prevC:
			r.errorf("grid %d: community %d after %d", gi, g.Community, prevC)
		case g.Community > prevC:
			prevSeq = 0
		}
		if g.Seq != prevSeq+1 {
			r.errorf("grid %d (community %d): seq %d after %d", gi, g.Community, g.Seq, prevSeq)
		}
		prevC, prevSeq = g.Community, g.Seq
	}
	return r.done()
}

// CheckHouseholds reports whether each grid's Weight is the sum of its
// atoms' weights, and so whether the grids hold every household of p once.
// It assumes [CheckCover] holds.
func CheckHouseholds(t testing.TB, p partition.Problem, res *partition.Result) bool {
	t.Helper()
	r := reporter{t: t, check: "CheckHouseholds"}
	total, inGrids := 0, 0
	for _, a := range p.Atoms {
		total += a.Weight
	}
	for gi, g := range res.Grids {
		w := 0
		for _, a := range g.Atoms {
			w += p.Atoms[a].Weight
		}
		if w != g.Weight {
			r.errorf("grid %d (community %d, seq %d): Weight %d, its atoms hold %d", gi, g.Community, g.Seq, g.Weight, w)
		}
		inGrids += g.Weight
	}
	if inGrids != total {
		r.errorf("the grids hold %d households, the atoms %d", inGrids, total)
	}
	return r.done()
}

// CheckConnected reports whether every grid of res is connected in p's atom
// graph, by [Connected]'s oracle.
func CheckConnected(t testing.TB, p partition.Problem, res *partition.Result) bool {
	t.Helper()
	r := reporter{t: t, check: "CheckConnected"}
	for gi, n := range pieces(p, Parts(res)) {
		if n > 1 {
			g := res.Grids[gi]
			r.errorf("grid %d (community %d, seq %d, %d atoms) falls into %d pieces", gi, g.Community, g.Seq, len(g.Atoms), n)
		}
	}
	return r.done()
}

// CheckBand reports whether the statuses and reasons of res agree with the
// band of s (nil for the defaults) and with its diagnoses:
//   - a grid is dedicated exactly when it holds a dedicated atom, and then
//     holds one, with status OK and no reason;
//   - any other grid has status OK and no reason in band, and otherwise
//     Under or Over with a reason;
//   - a grid holds an atom over the band, not dedicated, exactly when its
//     reason is [partition.OversizedBuilding];
//   - a grid is empty exactly when it is not dedicated and its community's
//     atoms that are not dedicated weigh nothing, and then has status OK
//     and no reason;
//   - every community with a grid out of band has a diagnosis, each
//     diagnosis names a community in order, a reason, units and a detail;
//   - Kept is nil, or names for each grid an earlier grid or -1.
//
// It assumes [CheckCover] holds.
func CheckBand(t testing.TB, p partition.Problem, s *partition.Settings, res *partition.Result) bool {
	t.Helper()
	r := reporter{t: t, check: "CheckBand"}
	lo, hi := Band(s)
	outOfBand := map[int]bool{}               // communities with a grid out of band
	weight := make([]int, len(p.Communities)) // of the atoms not dedicated
	for _, at := range p.Atoms {
		if !at.Dedicated && at.Community >= 0 && at.Community < len(weight) {
			weight[at.Community] += at.Weight
		}
	}
	for gi, g := range res.Grids {
		dedicated, oversized := 0, false
		for _, a := range g.Atoms {
			at := &p.Atoms[a]
			if at.Dedicated {
				dedicated++
			} else if at.Weight > hi {
				oversized = true
			}
		}
		name := fmt.Sprintf("grid %d (community %d, seq %d, %d households)", gi, g.Community, g.Seq, g.Weight)
		if g.Dedicated != (dedicated > 0) {
			r.errorf("%s: Dedicated %v, but it holds %d dedicated atoms", name, g.Dedicated, dedicated)
		}
		if g.Dedicated {
			if dedicated != 1 || g.Status != partition.OK || g.Reason != "" {
				r.errorf("%s: dedicated, with %d dedicated atoms, status %v, reason %q; want 1, ok, none", name, dedicated, g.Status, g.Reason)
			}
			continue
		}
		if empty := weight[g.Community] == 0; g.Empty != empty {
			r.errorf("%s: Empty %v, but its community's households are %d", name, g.Empty, weight[g.Community])
		}
		if g.Empty {
			if g.Weight != 0 || g.Status != partition.OK || g.Reason != "" {
				r.errorf("%s: empty, with status %v, reason %q; want ok, none", name, g.Status, g.Reason)
			}
			continue
		}
		want := partition.OK
		switch {
		case g.Weight < lo:
			want = partition.Under
		case g.Weight > hi:
			want = partition.Over
		}
		switch {
		case g.Status != want:
			r.errorf("%s: status %v, want %v in the band [%d, %d]", name, g.Status, want, lo, hi)
		case want == partition.OK && g.Reason != "":
			r.errorf("%s: in band, but reason %q", name, g.Reason)
		case want != partition.OK && g.Reason == "":
			r.errorf("%s: out of band without a reason", name)
		}
		if oversized != (g.Reason == partition.OversizedBuilding) {
			r.errorf("%s: reason %q, but holding an atom over %d is %v", name, g.Reason, hi, oversized)
		}
		if want != partition.OK {
			outOfBand[g.Community] = true
		}
	}
	diagnosed := map[int]bool{}
	prevC := 0
	for i, d := range res.Diagnoses {
		if d.Community < prevC || d.Community >= len(p.Communities) {
			r.errorf("diagnosis %d: community %d out of range or out of order", i, d.Community)
		}
		prevC = max(prevC, d.Community)
		if d.Reason == "" || len(d.Units) == 0 || d.Detail == "" {
			r.errorf("diagnosis %d (%+v) lacks a reason, units or a detail", i, d)
		}
		diagnosed[d.Community] = true
	}
	for c := range outOfBand {
		if !diagnosed[c] {
			r.errorf("community %d has a grid out of band but no diagnosis", c)
		}
	}
	if res.Kept != nil {
		if len(res.Kept) != len(res.Grids) {
			r.errorf("Kept has %d entries for %d grids", len(res.Kept), len(res.Grids))
		}
		for gi, k := range res.Kept {
			if k < -1 {
				r.errorf("Kept[%d] = %d", gi, k)
			}
		}
	}
	return r.done()
}

// CheckParts reports whether parts partition nodes, atoms of p, into
// non-empty parts connected in p's atom graph: each of nodes in exactly
// one part, and no other atom in any. It checks the pieces of a plan that
// the solver builds on the way, such as the grids of one community.
func CheckParts(t testing.TB, p partition.Problem, nodes []int, parts [][]int) bool {
	t.Helper()
	r := reporter{t: t, check: "CheckParts"}
	want := make(map[int]bool, len(nodes))
	for _, v := range nodes {
		want[v] = true
	}
	seen := make(map[int]int, len(nodes))
	valid := true
	for i, part := range parts {
		if len(part) == 0 {
			r.errorf("part %d is empty", i)
		}
		for _, v := range part {
			switch {
			case v < 0 || v >= len(p.Atoms):
				r.errorf("part %d holds atom %d, not in the problem", i, v)
				valid = false
				continue
			case !want[v]:
				r.errorf("part %d holds atom %d, not among the nodes", i, v)
			}
			seen[v]++
		}
	}
	for _, v := range nodes {
		if seen[v] != 1 {
			r.errorf("node %d is in %d parts, want 1", v, seen[v])
		}
	}
	if valid {
		for i, n := range pieces(p, parts) {
			if n > 1 {
				w := 0
				for _, v := range parts[i] {
					w += p.Atoms[v].Weight
				}
				r.errorf("part %d %v (%d households) falls into %d pieces", i, parts[i], w, n)
			}
		}
	}
	return r.done()
}

// CheckPartsInBand reports whether the atoms of each part hold a total
// within the band of s (nil for the defaults).
func CheckPartsInBand(t testing.TB, p partition.Problem, s *partition.Settings, parts [][]int) bool {
	t.Helper()
	r := reporter{t: t, check: "CheckPartsInBand"}
	lo, hi := Band(s)
	for i, part := range parts {
		w := 0
		for _, v := range part {
			w += p.Atoms[v].Weight
		}
		if w < lo || w > hi {
			r.errorf("part %d %v holds %d households, out of the band [%d, %d]", i, part, w, lo, hi)
		}
	}
	return r.done()
}

// reporter counts the errors of one check and reports the first MaxReports.
type reporter struct {
	t     testing.TB
	check string
	n     int
}

func (r *reporter) errorf(format string, args ...any) {
	r.t.Helper()
	r.n++
	if r.n <= MaxReports {
		r.t.Errorf("%s: %s", r.check, fmt.Sprintf(format, args...))
	}
}

// done reports whether the check found nothing.
func (r *reporter) done() bool {
	r.t.Helper()
	if r.n > MaxReports {
		r.t.Errorf("%s: %d more errors", r.check, r.n-MaxReports)
	}
	return r.n == 0
}
