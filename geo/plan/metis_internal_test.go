package plan

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"gridplan/geo"
	"gridplan/geo/synth"
	"gridplan/partition"
)

// TestMetisBaseline compares gridplan with gpmetis (Debian package metis,
// METIS 5.1) on the same atom graph (SPEC §7). It is skipped unless
// GRIDPLAN_METIS=1 and gpmetis is on PATH; .ci/bench runs it:
//
//	GRIDPLAN_METIS=1 go test ./geo/plan -run TestMetisBaseline -v -timeout 30m
//
// GRIDPLAN_METIS_BUILDINGS sets the city size (default 60000, seed 1) and
// GRIDPLAN_METIS_COMMUNITY_HOUSEHOLDS the households per community (default
// the generator's, about 2,500; real communities hold 3,000 to 12,000);
// GRIDPLAN_METIS_DIR, if set, keeps the graph files there (c<community>.graph).
//
// Every community with at least 300 households and k = round(total/400) >= 2
// is written as a METIS graph (vertex weight = households, edge weight =
// max(1, round(shared boundary metres))) and cut by
//
//	gpmetis -contig -ptype=kway -seed=1 -ufactor=U graph k
//
// once with U chosen per community so that a part of the average size plus
// the allowed imbalance is at most 500 households (the band's top, as
// METIS has no lower bound), and once with METIS's default U = 30.
// Both plans, and gridplan's own plan of the same district, are scored
// alike on the compared communities: grids in [300, 500], also in
// communities whose total admits a whole number of grids in band, grids
// not connected in the atom graph, and the mean household radius of
// gyration sqrt(I/M) (atom mass as partition.Solve uses it). gpmetis runs
// one process per community, one after another; its wall time includes
// process start and graph I/O, so the time METIS reports for partitioning
// alone is shown as well. gpmetis ignores -contig on a disconnected graph;
// such communities are counted.
func TestMetisBaseline(t *testing.T) {
	if os.Getenv("GRIDPLAN_METIS") != "1" {
		t.Skip("set GRIDPLAN_METIS=1 to compare with gpmetis")
	}
	gpmetis, err := exec.LookPath("gpmetis")
	if err != nil {
		t.Skip("gpmetis not on PATH (Debian package metis)")
	}
	n := 60000
	if s := os.Getenv("GRIDPLAN_METIS_BUILDINGS"); s != "" {
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			t.Fatalf("GRIDPLAN_METIS_BUILDINGS=%q: want a positive integer", s)
		}
	}
	community := 0
	if s := os.Getenv("GRIDPLAN_METIS_COMMUNITY_HOUSEHOLDS"); s != "" {
		if community, err = strconv.Atoi(s); err != nil || community < 1 {
			t.Fatalf("GRIDPLAN_METIS_COMMUNITY_HOUSEHOLDS=%q: want a positive integer", s)
		}
	}
	const lo, target, hi = metisMin, metisTarget, metisMax

	bs, order := benchCityOf(t, synth.Options{Buildings: n, Seed: 1, CommunityHouseholds: community})
	d, err := newDistrict(context.Background(), bs, geo.NewProjection(geo.CenterOf(bs)), atomOptions{max: hi, communities: order})
	if err != nil {
		t.Fatal(err)
	}
	p := d.problem
	graphs := communityGraphs(p)

	// gridplan on the whole district, as the partition command runs it.
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	start := time.Now()
	res, err := partition.Solve(context.Background(), p, &partition.Settings{Min: lo, Target: target, Max: hi, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	gridplanWall := time.Since(start)
	runtime.ReadMemStats(&m1)

	type variant struct {
		name    string
		ufactor func(total, k int) int
	}
	variants := []variant{
		{"gpmetis U=band", func(total, k int) int {
			// max part <= (1+U/1000)·total/k <= hi.
			return max(1, int(math.Floor(1000*(float64(hi*k)/float64(total)-1))))
		}},
		{"gpmetis U=30", func(int, int) int { return 30 }},
	}
	gp := newFigures("gridplan")
	figs := make([]*figures, len(variants))
	for i, v := range variants {
		figs[i] = newFigures(v.name)
	}
	dir := os.Getenv("GRIDPLAN_METIS_DIR") // keep the graphs there
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	proven := make([]bool, len(p.Communities))
	for _, dg := range res.Diagnoses {
		proven[dg.Community] = proven[dg.Community] || dg.Proven
	}
	for c, g := range graphs {
		k := int(math.Round(float64(g.total) / target))
		if g.total < lo || k < 2 {
			continue
		}
		feasible := (g.total+hi-1)/hi*lo <= g.total // some whole k has lo·k <= total <= hi·k
		part := make([]int, len(g.atoms))
		for i, a := range g.atoms {
			part[i] = res.AtomGrid[a]
		}
		gp.score(p, g, part, k, feasible, !proven[c])

		file := filepath.Join(dir, fmt.Sprintf("c%d.graph", c))
		if err := os.WriteFile(file, g.metis(), 0o644); err != nil {
			t.Fatal(err)
		}
		for i, v := range variants {
			f := figs[i]
			out, part, run, err := runMetis(gpmetis, file, k, v.ufactor(g.total, k), len(g.atoms))
			f.wall += run.wall
			f.metisTime += run.metisTime
			f.memMB = max(f.memMB, run.memMB)
			if bytes.Contains(out, []byte("-contig option will be ignored")) {
				f.contigIgnored++
			}
			if err != nil {
				f.failed++
				t.Logf("%s: community %q (%d atoms, %d households, k=%d): %v", v.name, p.Communities[c], len(g.atoms), g.total, k, err)
				continue
			}
			f.score(p, g, part, k, feasible, !proven[c])
		}
	}
	if gp.communities == 0 {
		t.Fatal("no community with k >= 2 to compare")
	}
	gp.wall = gridplanWall
	all := append([]*figures{gp}, figs...)

	var b strings.Builder
	fmt.Fprintf(&b, "city: %d buildings (seed 1), %d atoms, %d edges, %d communities; %d compared (>= %d households, k = round(total/%d) >= 2), GOMAXPROCS=%d\n",
		len(bs), len(p.Atoms), len(p.Edges), len(p.Communities), gp.communities, lo, target, runtime.GOMAXPROCS(0))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(label string, cell func(f *figures) string) {
		fmt.Fprintf(tw, "%s\t", label)
		for _, f := range all {
			fmt.Fprintf(tw, "%s\t", cell(f))
		}
		fmt.Fprintln(tw)
	}
	row("", func(f *figures) string { return f.name })
	row("grids (requested k summed)", func(f *figures) string { return fmt.Sprintf("%d (%d)", f.grids, f.requested) })
	row("parts asked for but empty", func(f *figures) string {
		if f == gp {
			return "-" // gridplan chooses the number of grids itself
		}
		return strconv.Itoa(f.requested - f.grids)
	})
	row(fmt.Sprintf("grids in [%d, %d]", lo, hi), func(f *figures) string { return fmt.Sprintf("%d  %.4f", f.inBand, share(f.inBand, f.grids)) })
	row("  in communities admitting k in band", func(f *figures) string {
		return fmt.Sprintf("%d/%d  %.4f", f.feasibleInBand, f.feasibleGrids, share(f.feasibleInBand, f.feasibleGrids))
	})
	row("  in communities without a proven diagnosis", func(f *figures) string {
		return fmt.Sprintf("%d/%d  %.4f", f.undiagnosedInBand, f.undiagnosedGrids, share(f.undiagnosedInBand, f.undiagnosedGrids))
	})
	row("  under / over", func(f *figures) string { return fmt.Sprintf("%d / %d", f.under, f.over) })
	row("grids not connected", func(f *figures) string { return strconv.Itoa(f.disconnected) })
	row("mean gyration radius, m", func(f *figures) string { return fmt.Sprintf("%.2f", f.gyration/float64(f.grids)) })
	row(fmt.Sprintf("mean |households - %d|", target), func(f *figures) string { return fmt.Sprintf("%.1f", f.deviation/float64(f.grids)) })
	row("wall time", func(f *figures) string { return f.wall.Round(time.Millisecond).String() })
	row("  METIS partitioning time", func(f *figures) string {
		if f == gp {
			return "-"
		}
		return f.metisTime.Round(time.Millisecond).String()
	})
	row("memory", func(f *figures) string {
		if f == gp {
			return fmt.Sprintf("%.0f MB allocated", float64(m1.TotalAlloc-m0.TotalAlloc)/(1<<20))
		}
		return fmt.Sprintf("%.2f MB peak", f.memMB)
	})
	row("-contig ignored (graph disconnected)", func(f *figures) string {
		if f == gp {
			return "-"
		}
		return strconv.Itoa(f.contigIgnored)
	})
	row("gpmetis failures", func(f *figures) string {
		if f == gp {
			return "-"
		}
		return strconv.Itoa(f.failed)
	})
	tw.Flush()
	b.WriteString("gridplan: partition.Solve on all communities, in parallel.Ranges; memory is the total Go allocation during Solve (not a peak).\n")
	b.WriteString("gpmetis: one process per compared community, sequential; wall time includes process start and graph I/O; memory is the largest peak METIS reports for one run (\"Max memory used\"), without the process itself.")
	t.Log("\n" + b.String())
}

// The band of the comparison (SPEC §3 defaults).
const metisMin, metisTarget, metisMax = 300, 400, 500

// A communityGraph is the atom graph of one community, numbered locally.
type communityGraph struct {
	atoms []int   // global atom of each vertex
	vw    []int   // households (band weight) of each vertex
	total int     // households of the community
	adj   [][]int // local neighbours, ascending
	ew    [][]int // METIS edge weights, parallel to adj
}

func communityGraphs(p partition.Problem) []communityGraph {
	gs := make([]communityGraph, len(p.Communities))
	local := make([]int, len(p.Atoms))
	for a, at := range p.Atoms {
		g := &gs[at.Community]
		local[a] = len(g.atoms)
		g.atoms = append(g.atoms, a)
		g.vw = append(g.vw, at.Weight)
		g.total += at.Weight
	}
	length := make([]map[[2]int]float64, len(gs))
	for _, e := range p.Edges {
		c := p.Atoms[e.A].Community
		u, v := local[e.A], local[e.B]
		if u == v || c != p.Atoms[e.B].Community {
			continue
		}
		if u > v {
			u, v = v, u
		}
		if length[c] == nil {
			length[c] = map[[2]int]float64{}
		}
		length[c][[2]int{u, v}] += e.LengthM
	}
	for c := range gs {
		g := &gs[c]
		g.adj = make([][]int, len(g.atoms))
		g.ew = make([][]int, len(g.atoms))
		type half struct{ to, w int }
		hs := make([][]half, len(g.atoms))
		for uv, l := range length[c] {
			w := max(1, int(math.Round(l)))
			hs[uv[0]] = append(hs[uv[0]], half{uv[1], w})
			hs[uv[1]] = append(hs[uv[1]], half{uv[0], w})
		}
		for u, h := range hs {
			// Sort for a deterministic file (map order is random).
			for i := 1; i < len(h); i++ {
				for j := i; j > 0 && h[j].to < h[j-1].to; j-- {
					h[j], h[j-1] = h[j-1], h[j]
				}
			}
			for _, x := range h {
				g.adj[u] = append(g.adj[u], x.to)
				g.ew[u] = append(g.ew[u], x.w)
			}
		}
	}
	return gs
}

// metis returns the graph in METIS format with vertex and edge weights
// (fmt 011), vertices numbered from 1.
func (g *communityGraph) metis() []byte {
	var b bytes.Buffer
	m := 0
	for _, a := range g.adj {
		m += len(a)
	}
	fmt.Fprintf(&b, "%d %d 011\n", len(g.atoms), m/2)
	for u := range g.atoms {
		b.WriteString(strconv.Itoa(g.vw[u]))
		for i, v := range g.adj[u] {
			fmt.Fprintf(&b, " %d %d", v+1, g.ew[u][i])
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

type metisRun struct {
	wall, metisTime time.Duration
	memMB           float64 // METIS's own peak allocation
}

// runMetis runs gpmetis on file and reads the partition of n vertices.
func runMetis(gpmetis, file string, k, ufactor, n int) (out []byte, part []int, run metisRun, err error) {
	cmd := exec.Command(gpmetis, "-contig", "-ptype=kway", "-seed=1", fmt.Sprintf("-ufactor=%d", ufactor), file, strconv.Itoa(k))
	start := time.Now()
	out, err = cmd.CombinedOutput()
	run.wall = time.Since(start)
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		// "  Partitioning: \t\t   0.012 sec   (METIS time)"
		// "  Max memory used:\t\t   0.049 MB"
		line := sc.Text()
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Partitioning:"); ok {
			if s, perr := strconv.ParseFloat(strings.Fields(v)[0], 64); perr == nil {
				run.metisTime = time.Duration(s * float64(time.Second))
			}
		}
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Max memory used:"); ok {
			if mb, perr := strconv.ParseFloat(strings.Fields(v)[0], 64); perr == nil {
				run.memMB = mb
			}
		}
	}
	if err != nil {
		return out, nil, run, fmt.Errorf("%v: %s", err, lastLine(out))
	}
	partFile := fmt.Sprintf("%s.part.%d", file, k)
	data, err := os.ReadFile(partFile)
	if err != nil {
		return out, nil, run, fmt.Errorf("%v: %s", err, lastLine(out))
	}
	os.Remove(partFile)
	for _, f := range strings.Fields(string(data)) {
		v, err := strconv.Atoi(f)
		if err != nil || v < 0 || v >= k {
			return out, nil, run, fmt.Errorf("partition file: bad part %q", f)
		}
		part = append(part, v)
	}
	if len(part) != n {
		return out, nil, run, fmt.Errorf("partition file: %d parts for %d vertices", len(part), n)
	}
	return out, part, run, nil
}

func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

// figures are the quality and cost of one plan over the compared communities.
type figures struct {
	name                          string
	communities, requested, grids int
	inBand, under, over           int
	feasibleGrids, feasibleInBand int
	// undiagnosed: communities where gridplan proves no infeasibility
	// (stats.json share_in_band_feasible).
	undiagnosedGrids, undiagnosedInBand int
	disconnected                        int
	gyration, deviation                 float64
	wall, metisTime                     time.Duration
	memMB                               float64
	contigIgnored, failed               int
}

func newFigures(name string) *figures { return &figures{name: name} }

// score adds the plan of community g, part[i] being the part of vertex i
// (any integers), to f; k is the number of parts asked for.
func (f *figures) score(p partition.Problem, g communityGraph, part []int, k int, feasible, undiagnosed bool) {
	f.communities++
	f.requested += k
	id := map[int]int{}
	for _, q := range part {
		if _, ok := id[q]; !ok {
			id[q] = len(id)
		}
	}
	np := len(id)
	weight := make([]int, np)
	mass := make([]float64, np)
	sx, sy, sxx := make([]float64, np), make([]float64, np), make([]float64, np)
	ox, oy := make([]float64, np), make([]float64, np)
	seen := make([]bool, np)
	// Union-find over edges inside a part.
	parent := make([]int, len(part))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for u, nbs := range g.adj {
		for _, v := range nbs {
			if part[u] == part[v] {
				parent[find(u)] = find(v)
			}
		}
	}
	roots := make([]map[int]bool, np)
	for i, a := range g.atoms {
		j := id[part[i]]
		at := &p.Atoms[a]
		m := at.Mass
		if m <= 0 {
			m = float64(at.Weight) + 1 // as partition.Solve does
		}
		if !seen[j] {
			seen[j] = true
			ox[j], oy[j] = at.X, at.Y
			roots[j] = map[int]bool{}
		}
		x, y := at.X-ox[j], at.Y-oy[j]
		weight[j] += at.Weight
		mass[j] += m
		sx[j] += m * x
		sy[j] += m * y
		sxx[j] += m * (x*x + y*y)
		roots[j][find(i)] = true
	}
	for j := 0; j < np; j++ {
		f.grids++
		w := weight[j]
		in := w >= metisMin && w <= metisMax
		switch {
		case w < metisMin:
			f.under++
		case w > metisMax:
			f.over++
		default:
			f.inBand++
		}
		if feasible {
			f.feasibleGrids++
			if in {
				f.feasibleInBand++
			}
		}
		if undiagnosed {
			f.undiagnosedGrids++
			if in {
				f.undiagnosedInBand++
			}
		}
		if len(roots[j]) > 1 {
			f.disconnected++
		}
		inertia := math.Max(0, sxx[j]-(sx[j]*sx[j]+sy[j]*sy[j])/mass[j])
		f.gyration += math.Sqrt(inertia / mass[j])
		f.deviation += math.Abs(float64(w - metisTarget))
	}
}
