package tess

import (
	"cmp"
	"context"
	"math"
	"slices"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/reuse"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"
)

// sweep is a Delaunator-style sweep-hull triangulation (Agafonkin, after
// Sinclair's s-hull) on local coordinates, with exact predicates and a Lawson
// insertion for points that land inside the current hull (possible only when
// rounding puts two nearly equidistant points out of order).
type sweep struct {
	coords    []float64
	triangles []int32
	halfedges []int32
	hull      []int32
	rep       []int32 // rep[i]: the point that input i duplicates exactly, or i

	hullPrev, hullNext, hullTri []int32
	hullHash                    []int32
	hullStart                   int32
	cx, cy                      float64
	stack                       []int32
	runOrder                    func([]sortKey) // test hook: perturbs the insertion order
	tol2                        float64         // squared near-duplicate tolerance
	short                       [][2]int32      // edges not longer than the tolerance
	s                           *scratch        // working memory; triangles and halfedges are not in it
}

func newSweep(coords []float64) *sweep { return newSweepIn(coords, new(scratch)) }

// newSweepIn is newSweep working in s. Its rep, hull and short are s's.
func newSweepIn(coords []float64, s *scratch) *sweep {
	n := len(coords) / 2
	s.rep = reuse.Resize(s.rep, n)
	for i := range s.rep {
		s.rep[i] = int32(i)
	}
	return &sweep{coords: coords, rep: s.rep, s: s, hull: s.hull[:0], short: s.short[:0]}
}

func (d *sweep) pt(i int32) (float64, float64) { return d.coords[2*i], d.coords[2*i+1] }

func (d *sweep) orient(a, b, c int32) int {
	ax, ay := d.pt(a)
	bx, by := d.pt(b)
	cx, cy := d.pt(c)
	return robust.OrientXY(ax, ay, bx, by, cx, cy)
}

// run triangulates the points ids (all distinct indices). Once ctx is done
// it returns ctx.Err(), leaving d incomplete.
func (d *sweep) run(ctx context.Context, ids []int32) error {
	n := len(ids)
	if n == 0 {
		return nil
	}
	coords := d.coords
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, i := range ids {
		x, y := d.pt(i)
		minX, maxX = min(minX, x), max(maxX, x)
		minY, maxY = min(minY, y), max(maxY, y)
	}
	cx, cy := minX+(maxX-minX)/2, minY+(maxY-minY)/2

	// Seed: the point nearest the centre, its nearest neighbour, and the
	// point making the smallest circumcircle with them.
	i0, i1, i2 := int32(-1), int32(-1), int32(-1)
	best := math.Inf(1)
	for _, i := range ids {
		x, y := d.pt(i)
		if dd := shape.SqDist(cx, cy, x, y); dd < best {
			i0, best = i, dd
		}
	}
	x0, y0 := d.pt(i0)
	best = math.Inf(1)
	for _, i := range ids {
		x, y := d.pt(i)
		if dd := shape.SqDist(x0, y0, x, y); dd < best && dd > 0 {
			i1, best = i, dd
		}
	}
	if i1 >= 0 {
		x1, y1 := d.pt(i1)
		best = math.Inf(1)
		for _, i := range ids {
			if i == i0 || i == i1 {
				continue
			}
			x, y := d.pt(i)
			if r := circumradius2(x0, y0, x1, y1, x, y); r < best {
				i2, best = i, r
			}
		}
		if i2 < 0 {
			// Every float circumradius overflowed or vanished: look for
			// any point off the line, exactly.
			for _, i := range ids {
				if i != i0 && i != i1 && d.orient(i0, i1, i) != 0 {
					i2 = i
					break
				}
			}
		} else if d.orient(i0, i1, i2) == 0 {
			i2 = -1
			for _, i := range ids {
				if i != i0 && i != i1 && d.orient(i0, i1, i) != 0 {
					i2 = i
					break
				}
			}
		}
	}
	if i2 < 0 {
		d.collinear(ids)
		return nil
	}
	if d.orient(i0, i1, i2) < 0 {
		i1, i2 = i2, i1
	}
	x1, y1 := d.pt(i1)
	x2, y2 := d.pt(i2)
	d.cx, d.cy = circumcenterLocal(x0, y0, x1, y1, x2, y2)
	if !robust.IsFinite(d.cx) || !robust.IsFinite(d.cy) {
		d.cx, d.cy = (x0+x1+x2)/3, (y0+y1+y2)/3
	}

	// Sort by distance from the seed circumcentre; ties by coordinates (so
	// exact duplicates are adjacent) and then by index (so the lowest index
	// of a duplicate run comes first).
	s := d.s
	s.keys = reuse.Resize(s.keys, n)
	keys := s.keys
	for k, i := range ids {
		x, y := d.pt(i)
		keys[k] = sortKey{shape.SqDist(x, y, d.cx, d.cy), i}
	}
	s.keyTmp = reuse.Resize(s.keyTmp, n)
	radixSortKeys(keys, s.keyTmp, &s.radixCnt)
	for s := 0; s < n; {
		e := s + 1
		for e < n && keys[e].d == keys[s].d {
			e++
		}
		if e-s > 1 {
			slices.SortFunc(keys[s:e], func(a, b sortKey) int {
				ax, ay := d.pt(a.i)
				bx, by := d.pt(b.i)
				switch {
				case ax != bx:
					return cmp.Compare(ax, bx)
				case ay != by:
					return cmp.Compare(ay, by)
				}
				return int(a.i - b.i)
			})
		}
		s = e
	}

	if d.runOrder != nil {
		d.runOrder(keys)
	}
	// Renumber the points in sweep order: the points and triangles near the
	// advancing hull are then the recent ones, close together in memory.
	s.orig = reuse.Resize(s.orig, n)
	orig := s.orig
	var k0, k1, k2 int32
	s.sc = reuse.Resize(s.sc, 2*n)
	sc := s.sc
	for k, key := range keys {
		orig[k] = key.i
		sc[2*k], sc[2*k+1] = coords[2*key.i], coords[2*key.i+1]
		switch key.i {
		case i0:
			k0 = int32(k)
		case i1:
			k1 = int32(k)
		case i2:
			k2 = int32(k)
		}
	}
	i0, i1, i2 = k0, k1, k2
	d.coords = sc
	defer func() { d.coords = coords }()

	maxTri := max(2*n-5, 1)
	d.triangles = reuse.Grow(s.res.triangles, 3*maxTri)
	d.halfedges = reuse.Grow(s.res.halfedges, 3*maxTri)
	s.hullPrev, s.hullNext, s.hullTri = reuse.Resize(s.hullPrev, n), reuse.Resize(s.hullNext, n), reuse.Resize(s.hullTri, n)
	d.hullPrev, d.hullNext, d.hullTri = s.hullPrev, s.hullNext, s.hullTri
	clear(d.hullPrev)
	clear(d.hullNext)
	clear(d.hullTri)
	hashSize := int(math.Ceil(math.Sqrt(float64(n))))
	s.hullHash = reuse.Resize(s.hullHash, hashSize)
	d.hullHash = s.hullHash
	d.stack = s.stack[:0]
	for i := range d.hullHash {
		d.hullHash[i] = -1
	}
	hullNext, hullPrev, hullTri := d.hullNext, d.hullPrev, d.hullTri

	d.hullStart = i0
	hullNext[i0], hullPrev[i2] = i1, i1
	hullNext[i1], hullPrev[i0] = i2, i2
	hullNext[i2], hullPrev[i1] = i0, i0
	hullTri[i0], hullTri[i1], hullTri[i2] = 0, 1, 2
	d.hullHash[d.hashKey(x0, y0)] = i0
	d.hullHash[d.hashKey(x1, y1)] = i1
	d.hullHash[d.hashKey(x2, y2)] = i2
	d.addTriangle(i0, i1, i2, -1, -1, -1)

	var xp, yp float64
	prev := int32(-1)
	poll := parallel.NewPoll(ctx)
	for k := range keys {
		if poll.Stop() {
			return ctx.Err()
		}
		i := int32(k)
		x, y := d.pt(i)
		if k > 0 && x == xp && y == yp {
			d.rep[orig[i]] = orig[prev]
			continue
		}
		xp, yp, prev = x, y, i
		if i == i0 || i == i1 || i == i2 {
			continue
		}
		// Find a hull edge visible from the point, starting from the hash.
		start := int32(0)
		key := d.hashKey(x, y)
		for j := range hashSize {
			start = d.hullHash[(key+j)%hashSize]
			if start != -1 && start != hullNext[start] {
				break
			}
		}
		if start < 0 || start == hullNext[start] {
			start = d.hullStart
		}
		start = hullPrev[start]
		e := start
		for {
			q := hullNext[e]
			if d.orient(i, e, q) < 0 {
				break
			}
			e = q
			if e == start {
				e = -1
				break
			}
		}
		if e == -1 {
			// Not outside the hull: insert it in place.
			if r := d.insertInside(i); r >= 0 {
				d.rep[orig[i]] = orig[r]
			}
			continue
		}

		t := d.addTriangle(e, i, hullNext[e], -1, -1, hullTri[e])
		hullTri[i] = d.legalize(t + 2)
		hullTri[e] = t

		nn := hullNext[e]
		for {
			q := hullNext[nn]
			if d.orient(i, nn, q) >= 0 {
				break
			}
			t = d.addTriangle(nn, i, q, hullTri[i], -1, hullTri[nn])
			hullTri[i] = d.legalize(t + 2)
			hullNext[nn] = nn // removed from the hull
			nn = q
		}
		if e == start {
			for {
				q := hullPrev[e]
				if d.orient(i, q, e) >= 0 {
					break
				}
				t = d.addTriangle(q, i, e, -1, hullTri[e], hullTri[q])
				d.legalize(t + 2)
				hullTri[q] = t
				hullNext[e] = e
				e = q
			}
		}
		d.hullStart = e
		hullPrev[i] = e
		hullNext[e] = i
		hullPrev[nn] = i
		hullNext[i] = nn
		d.hullHash[d.hashKey(x, y)] = i
		ex, ey := d.pt(e)
		d.hullHash[d.hashKey(ex, ey)] = e
	}

	e := d.hullStart
	for {
		d.hull = append(d.hull, orig[e])
		e = hullNext[e]
		if e == d.hullStart {
			break
		}
	}
	s.stack = d.stack
	d.hullPrev, d.hullNext, d.hullTri, d.hullHash, d.stack = nil, nil, nil, nil, nil
	if d.tol2 > 0 {
		for e, o := range d.halfedges {
			if int32(e) < o || o < 0 {
				a, b := d.triangles[e], d.triangles[nextHalfedge(int32(e))]
				ax, ay := d.pt(a)
				bx, by := d.pt(b)
				if shape.SqDist(ax, ay, bx, by) <= d.tol2 {
					d.short = append(d.short, [2]int32{orig[a], orig[b]})
				}
			}
		}
	}
	for k, v := range d.triangles {
		d.triangles[k] = orig[v]
	}
	return nil
}

type sortKey struct {
	d float64
	i int32
}

const (
	radixBits    = 11
	radixBuckets = 1 << radixBits
	radixPasses  = (64 + radixBits - 1) / radixBits
)

// radixSortKeys sorts keys by d (all >= 0, so the IEEE bits order like the
// values), stably, in 11-bit passes, skipping the digits all keys share;
// tmp (as long as keys) and count are its working memory.
func radixSortKeys(keys, tmp []sortKey, count *[radixPasses][radixBuckets]int32) {
	if len(keys) < 256 {
		slices.SortStableFunc(keys, func(a, b sortKey) int { return cmp.Compare(a.d, b.d) })
		return
	}
	*count = [radixPasses][radixBuckets]int32{}
	for _, k := range keys {
		b := math.Float64bits(k.d)
		for p := range radixPasses {
			count[p][(b>>(p*radixBits))&(radixBuckets-1)]++
		}
	}
	src, dst := keys, tmp[:len(keys)]
	first := math.Float64bits(keys[0].d)
	for p := range radixPasses {
		shift := uint(p * radixBits)
		c := &count[p]
		if int(c[(first>>shift)&(radixBuckets-1)]) == len(src) {
			continue // all equal in this digit
		}
		sum := int32(0)
		for j, n := range c {
			c[j] = sum
			sum += n
		}
		for _, k := range src {
			b := (math.Float64bits(k.d) >> shift) & (radixBuckets - 1)
			dst[c[b]] = k
			c[b]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}

// collinear handles points that are all on one line: no triangles, and the
// hull lists the distinct points in order along the line.
func (d *sweep) collinear(ids []int32) {
	s := slices.Clone(ids)
	slices.SortFunc(s, func(a, b int32) int {
		ax, ay := d.pt(a)
		bx, by := d.pt(b)
		switch {
		case ax != bx:
			return cmp.Compare(ax, bx)
		case ay != by:
			return cmp.Compare(ay, by)
		}
		return int(a - b)
	})
	for k, i := range s {
		if k > 0 {
			p := d.hull[len(d.hull)-1]
			px, py := d.pt(p)
			x, y := d.pt(i)
			if x == px && y == py {
				d.rep[i] = p
				continue
			}
		}
		d.hull = append(d.hull, i)
	}
}

func (d *sweep) hashKey(x, y float64) int {
	n := len(d.hullHash)
	k := int(math.Floor(pseudoAngle(x-d.cx, y-d.cy) * float64(n)))
	return ((k % n) + n) % n
}

// pseudoAngle increases monotonically with the angle of (dx, dy), in [0, 1].
func pseudoAngle(dx, dy float64) float64 {
	s := math.Abs(dx) + math.Abs(dy)
	if s == 0 {
		return 0
	}
	p := dx / s
	if dy > 0 {
		return (3 - p) / 4
	}
	return (1 + p) / 4
}

func (d *sweep) addTriangle(i0, i1, i2, a, b, c int32) int32 {
	t := int32(len(d.triangles))
	d.triangles = append(d.triangles, i0, i1, i2)
	d.halfedges = append(d.halfedges, -1, -1, -1)
	d.link(t, a)
	d.link(t+1, b)
	d.link(t+2, c)
	return t
}

func (d *sweep) link(a, b int32) {
	d.halfedges[a] = b
	if b >= 0 {
		d.halfedges[b] = a
	}
}

// legalize flips edges from a until every edge satisfies the empty-circle
// property (Lawson). It returns the half-edge that the sweep records as the
// new hull edge of the inserted point.
func (d *sweep) legalize(a int32) int32 {
	tri, he := d.triangles, d.halfedges
	stack := d.stack[:0]
	var ar int32
	for {
		b := he[a]
		a0 := a - a%3
		ar = a0 + (a+2)%3
		if b == -1 {
			if len(stack) == 0 {
				break
			}
			a = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			continue
		}
		b0 := b - b%3
		al := a0 + (a+1)%3
		bl := b0 + (b+2)%3
		p0, pr, pl, p1 := tri[ar], tri[a], tri[al], tri[bl]
		if d.inCircle(p0, pr, pl, p1) > 0 {
			tri[a] = p1
			tri[b] = p0
			hbl := he[bl]
			if hbl == -1 {
				// The flipped edge lies on the hull: fix the reference.
				e := d.hullStart
				for {
					if d.hullTri[e] == bl {
						d.hullTri[e] = a
						break
					}
					e = d.hullPrev[e]
					if e == d.hullStart {
						break
					}
				}
			}
			d.link(a, hbl)
			d.link(b, he[ar])
			d.link(ar, bl)
			br := b0 + (b+1)%3
			stack = append(stack, br)
		} else {
			if len(stack) == 0 {
				break
			}
			a = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
		}
	}
	d.stack = stack
	return ar
}

func (d *sweep) inCircle(a, b, c, p int32) int {
	ax, ay := d.pt(a)
	bx, by := d.pt(b)
	cx, cy := d.pt(c)
	px, py := d.pt(p)
	return robust.InCircle(ax, ay, bx, by, cx, cy, px, py)
}

// insertInside inserts point p, which lies inside or on the current hull, by
// splitting the triangle (or edge) that contains it and restoring the
// Delaunay property. It returns the vertex p coincides with, or -1.
func (d *sweep) insertInside(p int32) int32 {
	tri := d.triangles
	nt := int32(len(tri) / 3)
	t := d.hullTri[d.hullStart] / 3
	var o [3]int
	found := false
	for steps := int32(0); steps <= nt && !found; steps++ {
		moved := false
		for j := range int32(3) {
			h := 3*t + (j+steps)%3
			o[(j+steps)%3] = d.orient(tri[h], tri[nextHalfedge(h)], p)
			if o[(j+steps)%3] < 0 && d.halfedges[h] >= 0 {
				t = d.halfedges[h] / 3
				moved = true
				break
			}
		}
		if !moved {
			found = o[0] >= 0 && o[1] >= 0 && o[2] >= 0
			break
		}
	}
	if !found {
		// Walk failed (impossible for a Delaunay mesh); scan.
		for t = 0; t < nt; t++ {
			for j := range 3 {
				h := 3*t + int32(j)
				o[j] = d.orient(tri[h], tri[nextHalfedge(h)], p)
			}
			if o[0] >= 0 && o[1] >= 0 && o[2] >= 0 {
				found = true
				break
			}
		}
		if !found {
			panic("geo: point outside the triangulated hull") // the sweep order guarantees otherwise
		}
	}
	zeros := 0
	var h int32
	for j := range 3 {
		if o[j] == 0 {
			zeros++
			h = 3*t + int32(j)
		}
	}
	if zeros >= 2 {
		for j := range int32(3) {
			if o[j] != 0 {
				return tri[3*t+(j+2)%3] // the vertex opposite the non-zero edge
			}
		}
	}
	if zeros == 0 {
		h0, h1, h2 := 3*t, 3*t+1, 3*t+2
		a, b, c := tri[h0], tri[h1], tri[h2]
		B, C := d.halfedges[h1], d.halfedges[h2]
		tri[h0], tri[h1], tri[h2] = a, b, p
		d.halfedges[h1], d.halfedges[h2] = -1, -1
		t1 := d.addTriangle(b, c, p, B, -1, h1)
		t2 := d.addTriangle(c, a, p, C, h2, t1+1)
		if B == -1 {
			d.hullTri[b] = t1
		}
		if C == -1 {
			d.hullTri[c] = t2
		}
		d.legalize(h0)
		d.legalize(t1)
		d.legalize(t2)
		return -1
	}
	// On edge h (a→b) with c opposite.
	h1, h2 := nextHalfedge(h), prevHalfedge(h)
	a, b, c := tri[h], tri[h1], tri[h2]
	B, C := d.halfedges[h1], d.halfedges[h2]
	ob := d.halfedges[h]
	t0 := h - h%3
	if ob == -1 {
		tri[t0], tri[t0+1], tri[t0+2] = c, a, p
		d.halfedges[t0], d.halfedges[t0+1], d.halfedges[t0+2] = -1, -1, -1
		d.link(t0, C)
		t1 := d.addTriangle(b, c, p, B, t0+2, -1)
		if C == -1 {
			d.hullTri[c] = t0
		}
		if B == -1 {
			d.hullTri[b] = t1
		}
		d.hullNext[a], d.hullPrev[p] = p, a
		d.hullNext[p], d.hullPrev[b] = b, p
		d.hullTri[a] = t0 + 1 // a→p stays in slot t0+1 through the flips
		d.hullTri[p] = t1 + 2
		x, y := d.pt(p)
		d.hullHash[d.hashKey(x, y)] = p
		d.legalize(t0)
		// Flips move the hull edge p→b (slot t1+2 is the legalized edge's
		// "ar"); legalize returns where it ends up, as in the sweep.
		d.hullTri[p] = d.legalize(t1)
		return -1
	}
	o1, o2 := nextHalfedge(ob), prevHalfedge(ob)
	dd := tri[o2]
	D1, D2 := d.halfedges[o1], d.halfedges[o2]
	u0 := ob - ob%3
	tri[t0], tri[t0+1], tri[t0+2] = c, a, p
	tri[u0], tri[u0+1], tri[u0+2] = a, dd, p
	for k := range int32(3) {
		d.halfedges[t0+k], d.halfedges[u0+k] = -1, -1
	}
	d.link(t0, C)
	d.link(u0, D1)
	d.link(t0+1, u0+2)
	t2 := d.addTriangle(b, c, p, B, t0+2, -1)
	t3 := d.addTriangle(dd, b, p, D2, t2+2, u0+1)
	if C == -1 {
		d.hullTri[c] = t0
	}
	if B == -1 {
		d.hullTri[b] = t2
	}
	if D1 == -1 {
		d.hullTri[a] = u0
	}
	if D2 == -1 {
		d.hullTri[dd] = t3
	}
	d.legalize(t0)
	d.legalize(u0)
	d.legalize(t2)
	d.legalize(t3)
	return -1
}

// circumradius2 is the squared circumradius of a, b, c, or +Inf when the
// floating-point determinant vanishes.
func circumradius2(ax, ay, bx, by, cx, cy float64) float64 {
	dx, dy := bx-ax, by-ay
	ex, ey := cx-ax, cy-ay
	bl := float64(dx*dx) + float64(dy*dy)
	cl := float64(ex*ex) + float64(ey*ey)
	det := float64(dx*ey) - float64(dy*ex)
	if det == 0 {
		return math.Inf(1)
	}
	dd := 0.5 / det
	x := (float64(ey*bl) - float64(dy*cl)) * dd
	y := (float64(dx*cl) - float64(ex*bl)) * dd
	r := float64(x*x) + float64(y*y)
	if !robust.IsFinite(r) {
		return math.Inf(1)
	}
	return r
}

// circumcenterLocal returns the circumcentre of a, b, c; it is not finite if
// the floating-point determinant vanishes.
func circumcenterLocal(ax, ay, bx, by, cx, cy float64) (float64, float64) {
	dx, dy := bx-ax, by-ay
	ex, ey := cx-ax, cy-ay
	bl := float64(dx*dx) + float64(dy*dy)
	cl := float64(ex*ex) + float64(ey*ey)
	dd := 0.5 / (float64(dx*ey) - float64(dy*ex))
	return ax + (float64(ey*bl)-float64(dy*cl))*dd, ay + (float64(dx*cl)-float64(ex*bl))*dd
}
