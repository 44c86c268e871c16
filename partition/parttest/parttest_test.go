package parttest_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gridplan/partition"
	"gridplan/partition/parttest"
)

// recorder is a testing.TB that keeps the errors reported to it. The
// embedded TB supplies the methods the checks do not call.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// path is one community of atoms of the given weights joined in a path,
// 100 m apart.
func path(weights ...int) partition.Problem {
	p := partition.Problem{Communities: []string{"C"}}
	for i, w := range weights {
		p.Atoms = append(p.Atoms, partition.Atom{Weight: w, X: float64(100 * i), Compound: -1, Name: fmt.Sprint("B", i)})
		if i > 0 {
			p.Edges = append(p.Edges, partition.Edge{A: i - 1, B: i, LengthM: 10})
		}
	}
	return p
}

func TestConnected(t *testing.T) {
	// 0 - 1 - 2   3 (alone), with a loop at 1 and a parallel edge 0-1.
	p := path(100, 100, 100, 100)
	p.Edges = []partition.Edge{{A: 0, B: 1}, {A: 1, B: 2}, {A: 1, B: 1}, {A: 1, B: 0}}
	for _, tc := range []struct {
		atoms []int
		want  bool
	}{
		{nil, true},
		{[]int{1}, true},
		{[]int{0, 1, 2}, true},
		{[]int{2, 0, 1}, true},
		{[]int{0, 2}, false},
		{[]int{0, 1, 3}, false},
	} {
		if got := parttest.Connected(p, tc.atoms); got != tc.want {
			t.Errorf("Connected(%v) = %v, want %v", tc.atoms, got, tc.want)
		}
	}
}

func TestCheckResultAcceptsSolve(t *testing.T) {
	p := path(100, 200, 100, 150, 150, 600, 0)
	p.Atoms[6].Dedicated = true
	res := parttest.Solve(t, p, nil)
	r := &recorder{TB: t}
	if !parttest.CheckResult(r, p, nil, res) || len(r.errs) > 0 {
		t.Errorf("CheckResult of Solve's plan = false: %v", r.errs)
	}
}

// TestCheckResultCatches damages a valid plan in one way at a time and
// expects the check named to report it.
func TestCheckResultCatches(t *testing.T) {
	p := path(100, 200, 100, 150, 150)
	good := parttest.Solve(t, p, nil)
	if got := fmt.Sprint(parttest.Parts(good)); got != "[[0 1 2] [3 4]]" {
		t.Fatalf("the plan to damage is %s, want [[0 1 2] [3 4]]", got)
	}
	clone := func(res *partition.Result) *partition.Result {
		c := *res
		c.Grids = slices.Clone(res.Grids)
		for i := range c.Grids {
			c.Grids[i].Atoms = slices.Clone(res.Grids[i].Atoms)
		}
		c.AtomGrid = slices.Clone(res.AtomGrid)
		c.Diagnoses = slices.Clone(res.Diagnoses)
		return &c
	}
	for _, tc := range []struct {
		name   string
		damage func(p *partition.Problem, res *partition.Result)
		check  string
	}{
		{"atom in two grids", func(_ *partition.Problem, r *partition.Result) { r.Grids[0].Atoms = append(r.Grids[0].Atoms, 3) }, "CheckCover"},
		{"atom in no grid", func(_ *partition.Problem, r *partition.Result) { r.Grids[1].Atoms = r.Grids[1].Atoms[1:] }, "CheckCover"},
		{"AtomGrid wrong", func(_ *partition.Problem, r *partition.Result) { r.AtomGrid[0] = 1 }, "CheckCover"},
		{"atoms not ascending", func(_ *partition.Problem, r *partition.Result) { slices.Reverse(r.Grids[1].Atoms) }, "CheckCover"},
		{"weight wrong", func(_ *partition.Problem, r *partition.Result) { r.Grids[0].Weight++ }, "CheckHouseholds"},
		{"sequence wrong", func(_ *partition.Problem, r *partition.Result) { r.Grids[1].Seq = 3 }, "CheckCommunities"},
		{"grid across communities", func(p *partition.Problem, _ *partition.Result) {
			p.Communities = append(p.Communities, "D")
			p.Atoms[0].Community = 1
		}, "CheckCommunities"},
		{"grid not connected", func(p *partition.Problem, _ *partition.Result) { p.Edges = p.Edges[1:] }, "CheckConnected"},
		{"status wrong", func(_ *partition.Problem, r *partition.Result) { r.Grids[0].Status = partition.Under }, "CheckBand"},
		{"reason in band", func(_ *partition.Problem, r *partition.Result) { r.Grids[0].Reason = partition.Indivisible }, "CheckBand"},
		{"out of band, undiagnosed", func(p *partition.Problem, r *partition.Result) {
			p.Atoms[3].Weight = 10
			r.Grids[1].Weight = 160
			r.Grids[1].Status, r.Grids[1].Reason = partition.Under, partition.Indivisible
		}, "CheckBand"},
		{"dedicated wrong", func(_ *partition.Problem, r *partition.Result) { r.Grids[0].Dedicated = true }, "CheckBand"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := p
			q.Atoms, q.Edges = slices.Clone(p.Atoms), slices.Clone(p.Edges)
			res := clone(good)
			tc.damage(&q, res)
			r := &recorder{TB: t}
			if parttest.CheckResult(r, q, nil, res) {
				t.Errorf("CheckResult = true, want false")
			}
			found := false
			for _, e := range r.errs {
				found = found || strings.HasPrefix(e, tc.check+": ")
			}
			if !found {
				t.Errorf("%s reported nothing; errors: %v", tc.check, r.errs)
			}
		})
	}
}

func TestCheckParts(t *testing.T) {
	p := path(100, 200, 100, 150, 150)
	for _, tc := range []struct {
		nodes  []int
		parts  [][]int
		ok     bool
		inBand bool
	}{
		{[]int{0, 1, 2, 3, 4}, [][]int{{0, 1}, {2, 3, 4}}, true, true},
		{[]int{1, 2, 3}, [][]int{{1, 2}, {3}}, true, false},              // 300 and 150
		{[]int{0, 1, 2, 3, 4}, [][]int{{0, 2}, {1, 3, 4}}, false, false}, // 200 and 500
		{[]int{0, 1, 2, 3, 4}, [][]int{{0, 1}, {2, 3}}, false, false},
		{[]int{0, 1, 2}, [][]int{{0, 1}, {2, 3}}, false, false},
		{[]int{0, 1, 2}, [][]int{{0, 1}, {1, 2}}, false, true},
		{[]int{0, 1}, [][]int{{0, 1}, {}}, false, false},
	} {
		r := &recorder{TB: t}
		if got := parttest.CheckParts(r, p, tc.nodes, tc.parts); got != tc.ok || got != (len(r.errs) == 0) {
			t.Errorf("CheckParts(%v, %v) = %v with errors %v, want %v", tc.nodes, tc.parts, got, r.errs, tc.ok)
		}
		r = &recorder{TB: t}
		if got := parttest.CheckPartsInBand(r, p, nil, tc.parts); got != tc.inBand {
			t.Errorf("CheckPartsInBand(%v) = %v with errors %v, want %v", tc.parts, got, r.errs, tc.inBand)
		}
	}
}

func TestBand(t *testing.T) {
	for _, tc := range []struct {
		s      *partition.Settings
		lo, hi int
	}{
		{nil, 300, 500},
		{&partition.Settings{}, 300, 500},
		{&partition.Settings{Seed: 3}, 300, 500},
		{&partition.Settings{Min: 200, Max: 400}, 200, 400},
	} {
		if lo, hi := parttest.Band(tc.s); lo != tc.lo || hi != tc.hi {
			t.Errorf("Band(%+v) = %d, %d, want %d, %d", tc.s, lo, hi, tc.lo, tc.hi)
		}
	}
}

// TestReportsBounded: a plan broken everywhere gets MaxReports errors and
// a count of the rest, not one line per atom.
func TestReportsBounded(t *testing.T) {
	const n = 50
	p := path(make([]int, n)...)
	var nodes []int
	for i := range n {
		nodes = append(nodes, i)
	}
	r := &recorder{TB: t}
	if parttest.CheckParts(r, p, nodes, nil) {
		t.Fatal("CheckParts with no parts = true")
	}
	if len(r.errs) != parttest.MaxReports+1 || !strings.Contains(r.errs[len(r.errs)-1], fmt.Sprint(n-parttest.MaxReports, " more")) {
		t.Errorf("errors: %q, want %d and a count of %d more", r.errs, parttest.MaxReports, n-parttest.MaxReports)
	}
}
