package report

import (
	"fmt"
	"math"
)

// The histogram's frame, in its SVG's units (CSS pixels at full width).
const (
	histW, histH                       = 720, 260
	histLeft, histRight                = 52, 14
	histTop, histBottom                = 26, 44
	histPlotW, histPlotH               = histW - histLeft - histRight, histH - histTop - histBottom
	histMaxBins                        = 48
	histMinCount                       = 4 // the y axis reaches at least this
	histTickEvery, histCountTickTarget = 8, 4
)

// histogram is the histogram of households per residential grid, laid out
// for the template.
type histogram struct {
	W, H, Left, Top, PlotW, PlotH, Bottom int
	Bars                                  []bar
	// BandX0, BandX1 and TargetX place the band and the target.
	BandX0, BandX1, TargetX float64
	// BandWidth and BandMid are the band's width and middle; Right the
	// plot's right edge; the others where labels go.
	BandWidth, BandMid, Right    float64
	YLabelX, XLabelY, BandLabelY float64
	AxisLabelY                   float64
	// TargetLabelX and TargetLabelY place the target's label inside the
	// plot, beside its line, clear of the band's label above it.
	TargetLabelX, TargetLabelY float64
	XTicks, YTicks             []tick
	BinWidth, Grids            int
}

type bar struct {
	X, Y, W, H float64
	Fill       string
	N, Lo, Hi  int
}

type tick struct {
	Pos   float64
	Label string
}

// niceSteps are the bin widths and tick steps tried, smallest first.
var niceSteps = []int{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000}

func niceStep(span, most int) int {
	for _, s := range niceSteps {
		if span/s <= most {
			return s
		}
	}
	return niceSteps[len(niceSteps)-1]
}

func newHistogram(d *Data) histogram {
	b := d.Band
	h := histogram{W: histW, H: histH, Left: histLeft, Top: histTop, PlotW: histPlotW, PlotH: histPlotH, Bottom: histTop + histPlotH}
	var ws []int
	for _, g := range d.Grids {
		if g.Type == "residential" {
			ws = append(ws, g.BandHouseholds)
		}
	}
	h.Grids = len(ws)
	lo, hi := b.Min-(b.Target-b.Min)/2, b.Max+(b.Max-b.Target)/2
	for _, w := range ws {
		lo, hi = min(lo, w), max(hi, w)
	}
	lo = max(lo, 0)
	bw := niceStep(hi-lo, histMaxBins)
	lo = lo / bw * bw
	hi = (hi/bw + 1) * bw
	n := (hi - lo) / bw
	counts := make([]int, n)
	for _, w := range ws {
		counts[(w-lo)/bw]++
	}
	top := histMinCount
	for _, c := range counts {
		top = max(top, c)
	}
	ystep := niceStep(top, histCountTickTarget)
	top = (top + ystep - 1) / ystep * ystep
	x := func(v float64) float64 { return histLeft + histPlotW*(v-float64(lo))/float64(hi-lo) }
	y := func(c int) float64 { return histTop + histPlotH*(1-float64(c)/float64(top)) }
	h.BinWidth = bw
	for k, c := range counts {
		if c == 0 {
			continue
		}
		x0, x1 := x(float64(lo+k*bw)), x(float64(lo+(k+1)*bw))
		h.Bars = append(h.Bars, bar{X: round1(x0 + 0.5), Y: round1(y(c)), W: round1(x1 - x0 - 1), H: round1(y(0) - y(c)),
			Fill: b.colour(float64(lo+k*bw) + float64(bw)/2), N: c, Lo: lo + k*bw, Hi: lo + (k+1)*bw - 1})
	}
	// The band [Min, Max] covers the bins of Min through Max.
	h.BandX0, h.BandX1, h.TargetX = round1(x(float64(b.Min))), round1(x(float64(b.Max+1))), round1(x(float64(b.Target)+0.5))
	h.BandWidth, h.BandMid, h.Right = round1(h.BandX1-h.BandX0), round1((h.BandX0+h.BandX1)/2), histLeft+histPlotW
	h.YLabelX, h.XLabelY, h.BandLabelY = histLeft-6, float64(h.Bottom)+16, histTop-8
	h.AxisLabelY = histH - 4
	h.TargetLabelX, h.TargetLabelY = h.TargetX+4, float64(h.Top)+12
	xstep := niceStep(hi-lo, histTickEvery)
	for v := (lo + xstep - 1) / xstep * xstep; v <= hi; v += xstep {
		h.XTicks = append(h.XTicks, tick{round1(x(float64(v))), fmt.Sprint(v)})
	}
	for c := 0; c <= top; c += ystep {
		h.YTicks = append(h.YTicks, tick{round1(y(c)), fmt.Sprint(c)})
	}
	return h
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
