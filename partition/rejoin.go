package partition

import (
	"math"
	"sort"
)

// Compounds just over max. A compound of 505 households is split (only
// compounds of at most max stay whole, SPEC §3), but a census update that
// brings it to 500 makes it whole again, and its pieces must then come
// together in one grid. That changes only the grids holding it when one of
// them holds nothing but the compound and every other one stays in band
// without its piece; otherwise the change spreads to their neighbours. The
// search keeps such a split easy to undo where it can, at the cost of a grid
// at an edge of the band (marginCost) times the chance of the return.

// nearMax lists the compounds of a community whose total is above max by
// less than the margin of their own spread (see edgeRisk): a census update
// may well bring them back to max or below.
type nearMax struct {
	risk  []float64 // per compound, 0..1 as edgeRisk
	total []int     // households of each compound in the community
	of    []int32   // per local atom, its compound's index here or -1
}

// findNearMax returns the compounds just over max, nil if there is none.
func (cs *communitySolver) findNearMax() *nearMax {
	var idx map[int]int32
	var risk []float64
	var total []int
	weights := cs.compoundWeights()
	squares := map[int]float64{}
	for i := range cs.global {
		if c := cs.atom(i).Compound; c >= 0 {
			squares[c] += cs.sq[i]
		}
	}
	for i := range cs.global {
		c := cs.atom(i).Compound
		if c < 0 {
			continue
		}
		if _, seen := idx[c]; seen {
			continue
		}
		over := float64(weights[c] - cs.set.Max)
		need := marginShare*math.Sqrt(squares[c]) + marginFloor
		if over <= 0 || over >= need {
			continue
		}
		if idx == nil {
			idx = map[int]int32{}
		}
		r := 1 - over/need
		idx[c] = int32(len(risk))
		risk = append(risk, r*r)
		total = append(total, weights[c])
	}
	if idx == nil {
		return nil
	}
	nm := &nearMax{risk: risk, total: total, of: make([]int32, len(cs.global))}
	for i := range cs.global {
		t, ok := idx[cs.atom(i).Compound]
		if !ok {
			t = -1
		}
		nm.of[i] = t
	}
	return nm
}

// A piece is the weight of a compound of nearMax in one part.
type piece struct{ part, w int }

// rejoinCost is the objective's term for the compounds just over max whose
// split is not easy to undo. A compound not wholly among the search's nodes
// counts nothing: its other pieces are out of view.
func (ls *localSearch) rejoinCost() float64 {
	nm := ls.cs.near
	if nm == nil {
		return 0
	}
	c := 0.0
	for t, risk := range nm.risk {
		c += risk * ls.hardToRejoin(t)
	}
	return marginCost * c
}

// hardToRejoin is 0 when compound t of near lies in one part or can come
// together by changing only the parts that hold it, as above; otherwise it
// is at least 1/2, growing to 1 with the households that would have to move
// besides.
func (ls *localSearch) hardToRejoin(t int) float64 {
	return ls.cs.near.hardness(t, ls.pieces[t], ls.w, ls.cs.set.Min)
}

// hardness is hardToRejoin for the pieces of compound t in parts of
// weights w.
func (nm *nearMax) hardness(t int, pieces []piece, w []int, minW int) float64 {
	seen := 0
	pure := false
	deficit, impurity := 0, math.MaxInt
	for _, pc := range pieces {
		seen += pc.w
		other := w[pc.part] - pc.w
		if other == 0 {
			pure = true
			continue
		}
		impurity = min(impurity, other)
		deficit += max(0, minW-other)
	}
	if seen != nm.total[t] || len(pieces) == 1 {
		return 0 // out of view, or whole already
	}
	if pure {
		impurity = 0
	}
	if deficit+impurity == 0 {
		return 0
	}
	return 0.5 + 0.5*math.Min(1, float64(deficit+impurity)/float64(minW))
}

// rejoinRisk is the rejoin term of the objective for a plan of k parts
// given by the part of each atom of nodes, divided by marginCost: the unit
// of edgeRisk.
func (cs *communitySolver) rejoinRisk(nodes []int, part func(i int) int, k int) float64 {
	nm := cs.near
	if nm == nil {
		return 0
	}
	w := make([]int, k)
	cw := make([][]int, len(nm.risk))
	for t := range cw {
		cw[t] = make([]int, k)
	}
	for i, v := range nodes {
		j := part(i)
		w[j] += cs.w[v]
		if t := nm.of[v]; t >= 0 {
			cw[t][j] += cs.w[v]
		}
	}
	r := 0.0
	var pieces []piece
	for t, risk := range nm.risk {
		pieces = pieces[:0]
		for j, x := range cw[t] {
			if x > 0 {
				pieces = append(pieces, piece{j, x})
			}
		}
		r += risk * nm.hardness(t, pieces, w, cs.set.Min)
	}
	return r
}

// addPiece adds dw households of compound t to part j.
func (ls *localSearch) addPiece(t, j, dw int) {
	if dw == 0 {
		return
	}
	ps := ls.pieces[t]
	for i := range ps {
		if ps[i].part != j {
			continue
		}
		ps[i].w += dw
		if ps[i].w == 0 {
			ls.pieces[t] = append(ps[:i], ps[i+1:]...)
			ls.present[j] = without(ls.present[j], t)
		}
		return
	}
	ls.pieces[t] = append(ps, piece{j, dw})
	ls.present[j] = append(ls.present[j], t)
}

func without(s []int, x int) []int {
	for i, v := range s {
		if v == x {
			return append(s[:i], s[i+1:]...)
		}
	}
	return s
}

// rejoinDelta is the change of rejoinCost if v moves from part p to q. Only
// the compounds in p or q, and v's own, can change.
func (ls *localSearch) rejoinDelta(v, p, q int) float64 {
	nm := ls.cs.near
	if nm == nil {
		return 0
	}
	own := int(nm.of[v])
	if own < 0 && len(ls.present[p]) == 0 && len(ls.present[q]) == 0 {
		return 0
	}
	affected := func() float64 {
		c := 0.0
		for _, t := range ls.present[p] {
			c += nm.risk[t] * ls.hardToRejoin(t)
		}
		for _, t := range ls.present[q] {
			if !contains(ls.present[p], t) {
				c += nm.risk[t] * ls.hardToRejoin(t)
			}
		}
		if own >= 0 && !contains(ls.present[p], own) && !contains(ls.present[q], own) {
			c += nm.risk[own] * ls.hardToRejoin(own)
		}
		return c
	}
	before := affected()
	ls.shiftWeight(v, p, q)
	after := affected()
	ls.shiftWeight(v, q, p)
	return marginCost * (after - before)
}

// shiftWeight moves v's households from part p to q in the sums that
// rejoinCost reads.
func (ls *localSearch) shiftWeight(v, p, q int) {
	w := ls.cs.w[v]
	ls.w[p] -= w
	ls.w[q] += w
	ls.fresh[p], ls.fresh[q] = false, false
	if t := ls.cs.near.of[v]; t >= 0 {
		ls.addPiece(int(t), p, -w)
		ls.addPiece(int(t), q, w)
	}
}

// rejoinTrees is the number of random splits tried per union of grids
// around a compound just over max.
const rejoinTrees = 12

// polishRejoins redraws the parts holding each compound of cs.near whose
// split is hard to undo, together with one or two neighbouring parts, and
// keeps a new split where every part is in band and the objective of the
// union falls. parts are connected and in band; the result is too, with the
// same number of parts.
func (cs *communitySolver) polishRejoins(nodes []int, parts [][]int, target float64) [][]int {
	if cs.near == nil || len(parts) < 2 {
		return parts
	}
	owner := make([]int32, len(cs.global))
	for t := range cs.near.risk {
		whole := cs.newLocalSearch(nodes, parts, target)
		if whole.hardToRejoin(t) == 0 {
			continue
		}
		var holders []int
		for _, pc := range whole.pieces[t] {
			holders = append(holders, pc.part)
		}
		sort.Ints(holders)
		for i := range owner {
			owner[i] = -1
		}
		for j, p := range parts {
			for _, v := range p {
				owner[v] = int32(j)
			}
		}
		for _, group := range cs.unions(holders[0], parts, owner) {
			if len(group) > len(holders)+2 || !containsAll(group, holders) {
				continue
			}
			if split, ok := cs.redrawUnion(group, parts, whole); ok {
				for i, g := range group {
					parts[g] = split[i]
				}
				break
			}
		}
	}
	return parts
}

// redrawUnion splits the union of the group's parts anew along random
// spanning trees, each split improved by local search, and returns the best
// split if every part is in band and the union's objective is lower than
// before.
func (cs *communitySolver) redrawUnion(group []int, parts [][]int, whole *localSearch) ([][]int, bool) {
	var union []int
	old := make([][]int, len(group))
	for i, g := range group {
		union = append(union, parts[g]...)
		old[i] = parts[g]
	}
	sort.Ints(union)
	bestCost := whole.view(union, old).cost() - minGain
	var best [][]int
	for t := 0; t < rejoinTrees && cs.budget > 0; t++ {
		ls := whole.view(union, cs.bisect(union, len(group)))
		ls.run()
		if c := ls.cost(); ls.violation() == 0 && c < bestCost {
			best, bestCost = ls.parts(), c
		}
	}
	return best, best != nil
}

// view is a search over some of ls's nodes split into parts, weighed with
// ls's normalisers so that a gain for the view is a gain for the whole.
func (ls *localSearch) view(nodes []int, parts [][]int) *localSearch {
	v := ls.cs.newLocalSearch(nodes, parts, ls.target)
	v.r0sq, v.l0 = ls.r0sq, ls.l0
	return v
}

func containsAll(s, xs []int) bool {
	for _, x := range xs {
		if !contains(s, x) {
			return false
		}
	}
	return true
}
