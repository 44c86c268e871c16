package synth

import (
	"math"
	"math/rand/v2"
)

// kind mirrors geo.Kind without importing package geo, which is being
// developed alongside; the property values are those of SPEC §2.1.
type kind uint8

const (
	residential kind = iota
	bungalow
	shop
	institution
)

var kindNames = [...]string{"residential", "bungalow", "shop", "institution"}

// A rect is an axis-aligned rectangle in metres, x east and y north.
type rect struct{ x0, y0, x1, y1 float64 }

func (q rect) w() float64 { return q.x1 - q.x0 }
func (q rect) h() float64 { return q.y1 - q.y0 }

// A bldg is one building footprint, relative to its lot until placed.
type bldg struct {
	rect
	households int
	kind       kind
	inCompound bool // belongs to its lot's compound
	point      bool // written as a Point at the footprint's centre
}

// A lot is a block of content placed as a whole: one compound, one bungalow
// courtyard area, one institution, one or two standalone towers or a row of
// shops. Coordinates of its buildings are relative to its south-west corner
// until it is placed.
type lot struct {
	w, h     float64
	b        []bldg
	compound bool    // the inCompound buildings form one compound
	x, y     float64 // south-west corner, metres, once placed
}

// Layout dimensions in metres. Walk-ups (6-storey 多层) run east–west with
// sunlight spacing between rows, as in northern Chinese compounds.
const (
	walkupColW   = 68.0 // slot length; a 72-household walk-up is 67.2 m long
	walkupDepthM = 13.0 // slot depth; walk-ups are 11–13 m deep
	walkupRowGap = 20.0 // sunlight spacing between rows of walk-ups
	walkupColGap = 12.0
	towerSlotW   = 36.0 // a 250-household tower is 34.5 m wide
	towerSlotD   = 24.0 // towers are 16–22 m deep
	towerGap     = 28.0
	compoundPad  = 10.0 // from the compound's buildings to its lot edge
	houseSlotW   = 11.0 // bungalow houses are 8–10 m wide, 1 m apart
	houseSlotD   = 9.5  // and 6.5–8 m deep
	laneM        = 4.0  // lane between pairs of bungalow rows (胡同)
	shopStripM   = 14.0 // depth of a strip of street-front shops
)

// Household bounds per building (SPEC brief): walk-ups 24–72, towers 80–250.
const (
	walkupMin, walkupMax = 24, 72
	towerMin, towerMax   = 80, 250
)

// split divides total into n parts within [lo, hi], roughly even with some
// jitter. It requires n >= 1 and n*lo <= total <= n*hi; otherwise the parts
// are clamped as well as possible and still sum to total.
func split(r *rand.Rand, total, n, lo, hi int) []int {
	parts := make([]int, n)
	w := make([]float64, n)
	var sw float64
	for i := range w {
		w[i] = 0.6 + 0.8*r.Float64()
		sw += w[i]
	}
	rem := total - n*lo
	if rem < 0 {
		lo, rem = 0, total
	}
	left := rem
	for i := range parts {
		add := min(int(float64(rem)*w[i]/sw), hi-lo, left)
		parts[i] = lo + add
		left -= add
	}
	for left > 0 {
		moved := false
		for i := range parts {
			if left > 0 && parts[i] < hi {
				parts[i]++
				left--
				moved = true
			}
		}
		if !moved { // every part is full: total > n*hi, the caller's mistake
			parts[n-1] += left
			left = 0
		}
	}
	return parts
}

// compoundSize draws the households of a compound: many of 150–600, some of
// 600–1,500 that exceed the band maximum and must be split, a few small.
func compoundSize(r *rand.Rand) int {
	switch u := r.Float64(); {
	case u < 0.08:
		return 50 + r.IntN(100)
	case u < 0.63:
		return 150 + r.IntN(451)
	default:
		return 601 + r.IntN(900)
	}
}

// walkupBlock lays out walk-ups with the given households in rows.
func walkupBlock(r *rand.Rand, hh []int) *lot {
	n := len(hh)
	c := min(max(int(math.Round(math.Sqrt(float64(n)/2.5))), 1), 4)
	rows := (n + c - 1) / c
	rowGap := walkupRowGap + 4*r.Float64()
	l := &lot{
		w:        2*compoundPad + float64(c)*walkupColW + float64(c-1)*walkupColGap,
		h:        2*compoundPad + float64(rows)*walkupDepthM + float64(rows-1)*rowGap,
		compound: true,
	}
	for k, v := range hh {
		row, col := k/c, k%c
		length := 24 + 0.6*float64(min(max(v, 1), walkupMax+40)) // a unit stair serves ~12 households
		length = min(length, walkupColW)
		depth := 11 + 2*r.Float64()
		x0 := compoundPad + float64(col)*(walkupColW+walkupColGap) + r.Float64()*(walkupColW-length)
		top := l.h - compoundPad - float64(row)*(walkupDepthM+rowGap)
		y0 := top - walkupDepthM + r.Float64()*(walkupDepthM-depth)
		l.b = append(l.b, bldg{rect: rect{x0, y0, x0 + length, y0 + depth}, households: v, inCompound: true})
	}
	return l
}

// towerBlock lays out towers with the given households on a square grid.
func towerBlock(r *rand.Rand, hh []int) *lot {
	n := len(hh)
	c := int(math.Ceil(math.Sqrt(float64(n))))
	rows := (n + c - 1) / c
	l := &lot{
		w:        2*compoundPad + float64(c)*towerSlotW + float64(c-1)*towerGap,
		h:        2*compoundPad + float64(rows)*towerSlotD + float64(rows-1)*towerGap,
		compound: true,
	}
	for k, v := range hh {
		row, col := k/c, k%c
		tw := min(22+0.05*float64(v), towerSlotW)
		td := 16 + 6*r.Float64()
		x0 := compoundPad + float64(col)*(towerSlotW+towerGap) + r.Float64()*(towerSlotW-tw)
		top := l.h - compoundPad - float64(row)*(towerSlotD+towerGap)
		y0 := top - towerSlotD + r.Float64()*(towerSlotD-td)
		l.b = append(l.b, bldg{rect: rect{x0, y0, x0 + tw, y0 + td}, households: v, inCompound: true})
	}
	return l
}

// besides places b east of a, gap metres apart, bottoms aligned.
func besides(a, b *lot, gap float64) *lot {
	dx := a.w + gap
	for _, x := range b.b {
		x.x0 += dx
		x.x1 += dx
		a.b = append(a.b, x)
	}
	a.w += gap + b.w
	a.h = max(a.h, b.h)
	return a
}

// above places b north of a, gap metres apart, west sides aligned.
func above(a, b *lot, gap float64) *lot {
	dy := a.h + gap
	for _, x := range b.b {
		x.y0 += dy
		x.y1 += dy
		a.b = append(a.b, x)
	}
	a.h += gap + b.h
	a.w = max(a.w, b.w)
	return a
}

// compoundLot builds a residential compound of exactly hh households:
// walk-ups, towers, or both.
func compoundLot(r *rand.Rand, hh int) *lot {
	style := r.Float64()
	switch {
	case hh >= 2*towerMin && style < 0.2: // towers only
		n := int(math.Round(float64(hh) / (110 + 80*r.Float64())))
		n = min(max(n, ceilDiv(hh, towerMax)), hh/towerMin)
		return towerBlock(r, split(r, hh, n, towerMin, towerMax))
	case hh >= 2*towerMin && style < 0.4: // towers and walk-ups
		ht := int(float64(hh) * (0.3 + 0.3*r.Float64()))
		ht = max(ht, towerMin)
		nt := min(max(int(math.Round(float64(ht)/150)), ceilDiv(ht, towerMax)), ht/towerMin)
		t := towerBlock(r, split(r, ht, nt, towerMin, towerMax))
		w := walkupLot(r, hh-ht)
		if t.w+w.w > 400 { // keep the block narrower than any cell
			return above(t, w, 8)
		}
		return besides(t, w, 8)
	default:
		return walkupLot(r, hh)
	}
}

func walkupLot(r *rand.Rand, hh int) *lot {
	n := int(math.Round(float64(hh) / (28 + 24*r.Float64())))
	n = min(max(n, ceilDiv(hh, walkupMax), 1), max(hh/walkupMin, 1))
	return walkupBlock(r, split(r, hh, n, walkupMin, walkupMax))
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// bungalowLot builds a courtyard area of n houses: pairs of rows back to back
// between lanes, with a few empty plots. Households per house are 1–3; the
// area has at least 50 households when n >= 17, as a compound should.
func bungalowLot(r *rand.Rand, n int) *lot {
	hh := make([]int, n)
	sum := 0
	for i := range hh {
		switch u := r.Float64(); {
		case u < 0.3:
			hh[i] = 1
		case u < 0.75:
			hh[i] = 2
		default:
			hh[i] = 3
		}
		sum += hh[i]
	}
	for i := 0; sum < 50 && i < n; i++ {
		sum += 3 - hh[i]
		hh[i] = 3
	}
	return bungalowLotHH(r, hh)
}

func bungalowLotHH(r *rand.Rand, hh []int) *lot {
	const pad = 6.0
	n := len(hh)
	c := max(int(math.Ceil(math.Sqrt(float64(n)*1.25))), 1)
	l := &lot{w: 2*pad + float64(c)*houseSlotW, compound: true}
	var rowsY []float64 // bottom of each row, measured down from the top
	y := pad
	placed, slot := 0, 0
	for placed < n {
		row, col := slot/c, slot%c
		if col == 0 {
			if row > 0 && row%2 == 0 {
				y += laneM
			}
			rowsY = append(rowsY, y)
			y += houseSlotD
		}
		slot++
		if r.Float64() < 0.08 { // an empty plot or a yard
			continue
		}
		w := 8 + 2*r.Float64()
		d := 6.5 + 1.5*r.Float64()
		x0 := pad + float64(col)*houseSlotW + r.Float64()*(houseSlotW-1-w)
		yTop := rowsY[row] + r.Float64()*(houseSlotD-1-d)
		l.b = append(l.b, bldg{rect: rect{x0, -yTop - d, x0 + w, -yTop}, households: hh[placed], kind: bungalow, inCompound: true})
		placed++
	}
	l.h = y + pad
	for i := range l.b { // from "down from the top" to "up from the bottom"
		l.b[i].y0 += l.h
		l.b[i].y1 += l.h
	}
	return l
}

// institutionLot builds a school, hospital or office campus of n buildings
// (1–3) with an open yard or playground. With withHH, one building
// occasionally has a few households (a caretaker's flat).
func institutionLot(r *rand.Rand, n int, withHH bool) *lot {
	const pad, gap = 12.0, 12.0
	l := &lot{}
	x := pad
	yard := 50 * r.Float64()
	for k := range n {
		var w, d float64
		if k == 0 {
			w, d = 40+50*r.Float64(), 18+17*r.Float64()
		} else {
			w, d = 20+25*r.Float64(), 12+13*r.Float64()
		}
		l.b = append(l.b, bldg{rect: rect{x, pad + yard, x + w, pad + yard + d}, kind: institution})
		x += w + gap
		l.h = max(l.h, 2*pad+yard+d)
	}
	l.w = x - gap + pad
	if withHH && r.Float64() < 0.08 {
		l.b[0].households = 1 + r.IntN(8)
	}
	return l
}

// towerLot builds one standalone tower (独栋楼), not in a compound.
func towerLot(r *rand.Rand, hh int) *lot {
	const pad = 12.0
	tw := min(22+0.05*float64(hh), 48)
	td := 16 + 6*r.Float64()
	if hh > towerMax {
		td = 24 + 4*r.Float64()
	}
	return &lot{
		w: 2*pad + tw, h: 2*pad + td,
		b: []bldg{{rect: rect{pad, pad, pad + tw, pad + td}, households: hh}},
	}
}

// shopRow returns n street-front shops in a row starting at x = 2, y = 1.5,
// and the row's width. Each shop is 6–14 m wide and 8–12 m deep, 1.5 m apart.
func shopRow(r *rand.Rand, n int) ([]bldg, float64) {
	b := make([]bldg, 0, n)
	x := 2.0
	for range n {
		w := 6 + 8*r.Float64()
		d := 8 + 4*r.Float64()
		b = append(b, bldg{rect: rect{x, 1.5, x + w, 1.5 + d}, kind: shop})
		x += w + 1.5
	}
	return b, x + 0.5
}

// addShops puts a strip of n shops along the south (street) side of l,
// moving its buildings north. The strip must fit: n <= shopsFit(l).
func addShops(r *rand.Rand, l *lot, n int) {
	for i := range l.b {
		l.b[i].y0 += shopStripM
		l.b[i].y1 += shopStripM
	}
	l.h += shopStripM
	row, _ := shopRow(r, n)
	l.b = append(l.b, row...)
}

// shopsFit returns how many shops of the widest size fit along l's south side.
func shopsFit(l *lot) int { return max(int((l.w-4)/15.5), 0) }

// shopLot builds a stand-alone row of n shops (a market street).
func shopLot(r *rand.Rand, n int) *lot {
	row, w := shopRow(r, n)
	return &lot{w: w, h: shopStripM, b: row}
}
