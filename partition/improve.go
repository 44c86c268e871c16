package partition

import (
	"math"
	"sort"
)

// Weights of the local search objective. Band violations dominate everything
// (a household outside the band costs more than any compactness gain); then
// balance, the squared relative deviation from the target, weighs ten times
// the normalised moment of inertia, so that 350 against 400 (0.16) is worth
// about a sixth of the difference between a disc and a 3:1 rectangle. The
// boundary term is the length of the grid's boundary with other grids,
// divided by the circumference of a disc of a typical grid's size: it favours
// short, straight boundaries. Boundaries along barriers are free, and a grid
// straddling a barrier pays for the length it straddles at twenty times the
// rate, which outweighs the compactness of any grid across a road.
const (
	violationCost = 1e6
	balanceCost   = 10
	inertiaCost   = 1
	boundaryCost  = 0.5
	straddleCost  = 10
	// A boundary through a compound counts four times its length: grids
	// follow compound walls (SPEC §3) at little cost to their shape.
	compoundCutFactor = 4
)

// minGain is the least fall of the objective that counts as a gain: for a
// move or swap of the local search, for a redrawn pair or union of grids,
// and for a steadier plan (whose risk, in units of edgeRisk, is the margin
// terms divided by marginCost). Smaller falls are rounding noise, and
// taking them would let the local search cycle on moves that only shuffle
// the last bits, or let a redraw "improve" a plan by finding it again.
//
// The noise: a grid's cost comes from float64 running sums (relative error
// 2⁻⁵³ ≈ 1.1e-16 per operation). The largest is the moment-of-inertia sum
// Σ m·r² about the search's origin, about 7·10⁹ in a community 3 km
// across: it rounds by about 10⁻⁶ per update, which, divided by a grid's
// M·r0² ≈ 4·10⁶, is 2e-13 of cost per move. Measured on a 900-atom
// lattice, jittered off whole metres, the objective kept by the running
// sums after a local search differs from one summed afresh by 1.6e-12 (of
// a total of 189); only after 10⁵ random moves does the drift reach 10⁻⁹.
// A real gain is far larger: one household moved at the target changes the
// balance term by 10·(1/400)² ≈ 6e-5, one metre of boundary costs
// 0.5/l0 ≈ 6e-4. So 1e-9 is about a thousand times the noise and four
// orders of magnitude below the least gain worth a move. With a grid out
// of band the violation term (an exact multiple of violationCost) lifts a
// part's cost to 10⁶ per household and its rounding to about 10⁻¹⁰ per
// household; there the pass limit of run bounds what a spurious gain can
// cost.
const minGain = 1e-9

// localSearch improves a partition of nodes by moving single boundary atoms
// from one part to a neighbouring part while the source part stays connected.
type localSearch struct {
	cs     *communitySolver
	nodes  []int
	part   []int32 // part of each local node, -1 outside nodes
	target float64
	ox, oy float64 // local origin, subtracted before summing squares
	r0sq   float64 // normaliser of I/M, m²
	l0     float64 // normaliser of boundary lengths, m

	count []int
	w     []int
	viol  int // sum over parts of the band violation of w
	// members are the atoms of each part while repair runs (see there),
	// in the order of nodes; pos is each atom's place in nodes.
	members [][]int
	pos     map[int]int
	sq      []float64
	m       []float64
	sx      []float64
	sy      []float64
	sxx     []float64
	// partCosts is each part's partCost while fresh[j]; add clears fresh[j].
	partCosts []float64
	fresh     []bool
	// pieces[t] holds compound t of cs.near by part, present[j] the
	// compounds with a piece in part j.
	pieces  [][]piece
	present [][]int
}

func (cs *communitySolver) newLocalSearch(nodes []int, parts [][]int, target float64) *localSearch {
	ls := &localSearch{cs: cs, nodes: nodes, target: target, part: make([]int32, len(cs.global))}
	for i := range ls.part {
		ls.part[i] = -1
	}
	k := len(parts)
	ls.count, ls.w, ls.sq = make([]int, k), make([]int, k), make([]float64, k)
	ls.m, ls.sx, ls.sy, ls.sxx = make([]float64, k), make([]float64, k), make([]float64, k), make([]float64, k)
	ls.partCosts, ls.fresh = make([]float64, k), make([]bool, k)
	ls.viol = k * cs.violation(0, 1) // every part empty; add keeps it
	if cs.near != nil {
		ls.pieces = make([][]piece, len(cs.near.risk))
		ls.present = make([][]int, k)
	}
	ls.ox, ls.oy = cs.x[nodes[0]], cs.y[nodes[0]]
	var tm, tx, ty, txx float64
	for j, p := range parts {
		for _, v := range p {
			ls.part[v] = int32(j)
			ls.add(v, j, 1)
			x, y := cs.x[v]-ls.ox, cs.y[v]-ls.oy
			tm += cs.m[v]
			tx += cs.m[v] * x
			ty += cs.m[v] * y
			txx += cs.m[v] * (x*x + y*y)
		}
	}
	// A part as compact as its share of the whole has I/M near the whole's
	// I/M divided by k; the floor keeps single-point regions finite.
	const minRadiusM = 1.0
	ls.r0sq = math.Max(inertia(tm, tx, ty, txx)/tm/float64(k), minRadiusM*minRadiusM)
	// A disc of radius R has I/M = R²/2.
	ls.l0 = 2 * math.Pi * math.Sqrt(2*ls.r0sq)
	return ls
}

func inertia(m, sx, sy, sxx float64) float64 {
	if m <= 0 {
		return 0
	}
	return math.Max(0, sxx-(sx*sx+sy*sy)/m)
}

func (ls *localSearch) add(v, j int, sign int) {
	cs := ls.cs
	x, y := cs.x[v]-ls.ox, cs.y[v]-ls.oy
	m := float64(sign) * cs.m[v]
	ls.fresh[j] = false
	ls.count[j] += sign
	ls.viol -= cs.violation(ls.w[j], 1)
	ls.w[j] += sign * cs.w[v]
	if ls.pieces != nil {
		if t := cs.near.of[v]; t >= 0 {
			ls.addPiece(int(t), j, sign*cs.w[v])
		}
	}
	ls.viol += cs.violation(ls.w[j], 1)
	ls.sq[j] += float64(sign) * cs.sq[v]
	ls.m[j] += m
	ls.sx[j] += m * x
	ls.sy[j] += m * y
	ls.sxx[j] += m * (x*x + y*y)
}

// partCost is the objective of one part with the given running sums.
func (ls *localSearch) partCost(w int, sq, m, sx, sy, sxx float64) float64 {
	c := violationCost * float64(ls.cs.violation(w, 1))
	d := (float64(w) - ls.target) / ls.target
	c += balanceCost * d * d
	c += marginCost * ls.cs.set.edgeRisk(w, sq)
	if m > 0 {
		c += inertiaCost * inertia(m, sx, sy, sxx) / m / ls.r0sq
	}
	return c
}

// costOf is part j's partCost, computed once between changes to the part.
func (ls *localSearch) costOf(j int) float64 {
	if !ls.fresh[j] {
		ls.partCosts[j] = ls.partCost(ls.w[j], ls.sq[j], ls.m[j], ls.sx[j], ls.sy[j], ls.sxx[j])
		ls.fresh[j] = true
	}
	return ls.partCosts[j]
}

// moveDelta is the change of the objective if v moves from its part to q.
func (ls *localSearch) moveDelta(v, q int) float64 {
	cs := ls.cs
	p := int(ls.part[v])
	x, y := cs.x[v]-ls.ox, cs.y[v]-ls.oy
	mv, wv, qv := cs.m[v], cs.w[v], cs.sq[v]
	before := ls.costOf(p) + ls.costOf(q)
	after := ls.partCost(ls.w[p]-wv, ls.sq[p]-qv, ls.m[p]-mv, ls.sx[p]-mv*x, ls.sy[p]-mv*y, ls.sxx[p]-mv*(x*x+y*y)) +
		ls.partCost(ls.w[q]+wv, ls.sq[q]+qv, ls.m[q]+mv, ls.sx[q]+mv*x, ls.sy[q]+mv*y, ls.sxx[q]+mv*(x*x+y*y))
	// Boundary: edges to p become cut, edges to q stop being cut.
	var cut float64
	for i, u := range cs.adj[v] {
		l := cs.length[v][i]
		if cs.barrier[v][i] {
			l *= -straddleCost / boundaryCost // a cut saves straddling
		}
		switch int(ls.part[u]) {
		case p:
			cut += l
		case q:
			cut -= l
		}
	}
	return after - before + boundaryCost*cut/ls.l0 + ls.rejoinDelta(v, p, q)
}

// run makes improving moves until none is left or the pass limit is reached.
func (ls *localSearch) run() {
	cs := ls.cs
	maxPasses := int(30 * cs.set.Effort)
	for pass := 0; pass < maxPasses; pass++ {
		cs.poll()
		moved := false
		for _, v := range ls.nodes {
			p := int(ls.part[v])
			if ls.count[p] == 1 {
				continue
			}
			bestQ, bestD := -1, -minGain
			for _, u := range cs.adj[v] {
				q := int(ls.part[u])
				if q < 0 || q == p {
					continue
				}
				if d := ls.moveDelta(v, q); d < bestD {
					bestQ, bestD = q, d
				}
			}
			if bestQ < 0 || !ls.staysConnected(v) {
				continue
			}
			ls.add(v, p, -1)
			ls.add(v, bestQ, 1)
			ls.part[v] = int32(bestQ)
			moved = true
		}
		if !moved && !ls.swapPass() {
			return
		}
	}
}

// swapPass exchanges atoms across the boundary of a grid near an edge of the
// band and a neighbouring grid where that lowers the objective: with lumpy
// atoms (towers of 150 households) no single move keeps both grids in band,
// while a swap of a larger for a smaller atom brings the grid off the edge.
// Each grid stays connected: the leaving atom's grid is connected without it,
// and the arriving atom touches a remaining atom of its new grid. It reports
// whether it swapped any.
func (ls *localSearch) swapPass() bool {
	cs := ls.cs
	swapped := false
	for _, v := range ls.nodes {
		p := int(ls.part[v])
		if ls.count[p] == 1 {
			continue
		}
		for _, u32 := range cs.adj[v] {
			u := int(u32)
			q := int(ls.part[u])
			if q < 0 || q == p || ls.count[q] == 1 || cs.w[u] == cs.w[v] {
				continue
			}
			if cs.set.edgeRisk(ls.w[p], ls.sq[p]) == 0 && cs.set.edgeRisk(ls.w[q], ls.sq[q]) == 0 {
				continue
			}
			if !ls.touchesOther(u, p, v) || !ls.touchesOther(v, q, u) || !ls.staysConnected(v) {
				continue
			}
			d := ls.moveDelta(v, q)
			ls.move(v, q)
			d += ls.moveDelta(u, p)
			if d < -minGain && ls.staysConnected(u) {
				ls.move(u, p)
				swapped = true
				break // v is in q now
			}
			ls.move(v, p)
		}
	}
	return swapped
}

// touchesOther reports whether v has a neighbour in part p other than x.
func (ls *localSearch) touchesOther(v, p, x int) bool {
	for _, u := range ls.cs.adj[v] {
		if int(u) != x && int(ls.part[u]) == p {
			return true
		}
	}
	return false
}

// staysConnected reports whether v's part is still connected without v.
func (ls *localSearch) staysConnected(v int) bool {
	cs := ls.cs
	p := ls.part[v]
	same := cs.stayNbrs[:0]
	for _, u := range cs.adj[v] {
		if ls.part[u] == p {
			same = append(same, u)
		}
	}
	cs.stayNbrs = same
	if len(same) <= 1 {
		return true // a leaf, or (count > 1 and no neighbour) impossible in a connected part
	}
	// The other neighbours in p are wanted; reached atoms are seen.
	m := &cs.stay
	want, seen := m.pair()
	for _, u := range same[1:] {
		m.mark[u] = want
	}
	m.mark[v], m.mark[same[0]] = seen, seen
	stack := append(cs.stayStack[:0], same[0])
	found := 1
search:
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, u := range cs.adj[x] {
			if ls.part[u] != p || m.mark[u] == seen {
				continue
			}
			if m.mark[u] == want {
				found++
				if found == len(same) {
					break search
				}
			}
			m.mark[u] = seen
			stack = append(stack, u)
		}
	}
	cs.stayStack = stack
	return found == len(same)
}

func (ls *localSearch) violation() int { return ls.viol }

func (ls *localSearch) cost() float64 {
	c := 0.0
	for j := range ls.w {
		c += ls.costOf(j)
	}
	var cut, straddle float64
	for _, v := range ls.nodes {
		for i, u := range ls.cs.adj[v] {
			q := ls.part[u]
			switch {
			case q < 0:
			case ls.cs.barrier[v][i] && q == ls.part[v]:
				straddle += ls.cs.length[v][i]
			case !ls.cs.barrier[v][i] && q != ls.part[v]:
				cut += ls.cs.length[v][i]
			}
		}
	}
	return c + (boundaryCost*cut+straddleCost*straddle)/2/ls.l0 + ls.rejoinCost()
}

// parts returns the parts, each ascending, ordered by their first node.
func (ls *localSearch) parts() [][]int {
	out := make([][]int, len(ls.w))
	for _, v := range ls.nodes {
		j := ls.part[v]
		out[j] = append(out[j], v)
	}
	for _, p := range out {
		sort.Ints(p)
	}
	sort.Slice(out, func(a, b int) bool { return out[a][0] < out[b][0] })
	return out
}

// Margins from the band's edges. A census update changes each building's
// count by a few per cent; with changes spread evenly up to ±5 % (a standard
// deviation of 2.9 %), a grid's total moves with a standard deviation of
// 0.029·√(Σ wᵢ²) over its buildings. A grid keeps twice that, plus one
// household for rounding, from both edges where the plan allows: grids of a
// few large towers keep a wide margin, grids of many small houses hardly
// any. A grid at an edge costs marginCost, about the compactness of a few
// grids, so the search gives up little shape for a margin.
const (
	marginShare = 0.06
	marginFloor = 1
	marginCost  = 6
)

// edgeRisk is 0 for a grid of total w and weight squares sq that keeps its
// margin from the band's edges, rising to 1 at an edge; outside the band it
// is 1 (the violation term takes over).
func (s *Settings) edgeRisk(w int, sq float64) float64 {
	slack := float64(min(w-s.Min, s.Max-w))
	if slack < 0 {
		return 1
	}
	need := marginShare*math.Sqrt(math.Max(sq, 0)) + marginFloor
	if slack >= need {
		return 0
	}
	r := 1 - slack/need
	return r * r
}
