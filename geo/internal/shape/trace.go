package shape

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// An Edge is a directed edge between two vertices, by index.
type Edge struct{ From, To int32 }

// Trace joins directed boundary edges (region on the left) between verts
// into rings and rings into polygons.
func Trace(verts []orb.Point, es []Edge) orb.MultiPolygon {
	if len(es) == 0 {
		return nil
	}
	slices.SortFunc(es, func(a, b Edge) int {
		if a.From != b.From {
			return int(a.From - b.From)
		}
		return int(a.To - b.To)
	})
	first := func(v int32) int {
		i, _ := slices.BinarySearchFunc(es, v, func(e Edge, v int32) int { return int(e.From - v) })
		return i
	}
	used := make([]bool, len(es))
	angle := func(from, to int32) float64 {
		p, q := verts[from], verts[to]
		return math.Atan2(q[1]-p[1], q[0]-p[0])
	}
	var rings []orb.Ring
	loop := make([]int32, 0, len(es))
	// By coordinates: distinct vertices may coincide.
	seen := NewPointIndex(len(es))
	var pos map[orb.Point]int
	for s := range es {
		if used[s] {
			continue
		}
		loop = loop[:0]
		cur := s
		for {
			used[cur] = true
			e := es[cur]
			loop = append(loop, e.From)
			// Next edge out of e.To: the first one clockwise from the way
			// back, which keeps to the boundary of the same wedge; the
			// only one, mostly, and then no angle is needed.
			lo, hi, n := first(e.To), -1, 0
			for j := lo; j < len(es) && es[j].From == e.To; j++ {
				if !used[j] || j == s {
					hi, n = j, n+1
				}
			}
			if n == 1 {
				if hi == s {
					break
				}
				cur = hi
				continue
			}
			back := angle(e.To, e.From)
			next, best := -1, math.Inf(1)
			for j := lo; j <= hi; j++ {
				if used[j] && j != s {
					continue
				}
				d := back - angle(es[j].From, es[j].To)
				for d <= 0 {
					d += 2 * math.Pi
				}
				for d > 2*math.Pi {
					d -= 2 * math.Pi
				}
				if d < best {
					next, best = j, d
				}
			}
			if next < 0 || next == s {
				break
			}
			cur = next
		}
		// A ring that passes a vertex twice encloses a hole touching the
		// outline there; split it into simple rings (OGC).
		emit := func(ids []int32) {
			if len(ids) < 3 {
				return
			}
			r := make(orb.Ring, len(ids)+1)
			for k, v := range ids {
				r[k] = verts[v]
			}
			r[len(ids)] = r[0]
			rings = append(rings, r)
		}
		// Mostly it passes none twice, and is one ring.
		seen.Reset(len(loop))
		twice := false
		for _, v := range loop {
			w, slot := seen.Find(verts, verts[v])
			if w >= 0 {
				twice = true
				break
			}
			seen.Add(verts, v, slot)
		}
		if !twice {
			emit(loop)
			continue
		}
		if pos == nil {
			pos = make(map[orb.Point]int, len(loop))
		}
		clear(pos)
		var stack []int32
		for _, v := range loop {
			if p, ok := pos[verts[v]]; ok {
				emit(stack[p:])
				for _, w := range stack[p+1:] {
					delete(pos, verts[w])
				}
				stack = stack[:p+1]
				continue
			}
			pos[verts[v]] = len(stack)
			stack = append(stack, v)
		}
		emit(stack)
	}
	var polys orb.MultiPolygon
	var holes []orb.Ring
	for _, r := range rings {
		if RingArea(r[:len(r)-1]) > 0 {
			polys = append(polys, orb.Polygon{r})
		} else {
			holes = append(holes, r)
		}
	}
	for _, h := range holes {
		// The midpoint of an edge of the hole is strictly inside the
		// polygon it belongs to; pick the smallest exterior around it.
		p := orb.Point{(h[0][0] + h[1][0]) / 2, (h[0][1] + h[1][1]) / 2}
		bi, ba := -1, math.Inf(1)
		for i, poly := range polys {
			a := RingArea(poly[0][:len(poly[0])-1])
			if in, _ := RingContainsExact(poly[0], p); in && a < ba {
				bi, ba = i, a
			}
		}
		if bi >= 0 {
			polys[bi] = append(polys[bi], h)
		}
	}
	return polys
}
