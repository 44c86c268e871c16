package report

import (
	"fmt"
	"html/template"
	"math"
)

// The atlas page, in millimetres: A4 landscape (297 × 210) less 10 mm
// margins, a heading above, the map on the left and the legend and table
// on the right. A3 prints the same page enlarged (page.css).
const (
	mapWmm, mapHmm = 182.0, 168.0
	labelMM        = 2.5 // grid labels
	noteMM         = 2.2 // scale bar, north arrow
)

// atlasPage is the layout of one community's atlas page (网格平面图).
type atlasPage struct {
	C     int // index in Data.Communities
	Grids []int
	// ViewBox frames the community at the map's aspect; K is its units
	// per millimetre of the printed map.
	ViewBox string
	K       float64
	// LabelFS and NoteFS are font sizes, LineW a hairline, in units.
	LabelFS, NoteFS, LineW float64
	// Halo is the width of the white outline of labels; HatchW and
	// HatchLine the spacing and width of the hatching of grids out of
	// band.
	Halo, HatchW, HatchLine float64
	Scale                   scaleBar
	North                   north
	// GridUses, Hatched, Named and Text draw the grids, hatch those out
	// of band, mark the units they name and label them; Rows are the
	// table of grids (svg.go).
	GridUses, Hatched, Named, Text, Rows template.HTML
}

// scaleBar is drawn from (X, Y) rightwards, in two halves of Len/2 units,
// H units high; Label says how long it is.
type scaleBar struct {
	X, Y, Len, Half, H, TextY float64
	X2, X3                    float64 // the middle and the end
	Label, HalfLabel          string
}

// north is the north arrow, its tip at (X, Y): Path is the arrow, TextY
// where N is written.
type north struct {
	X, Y, TextY float64
	Left, Right string // the two halves of the arrow
}

// scaleLengthsM are the lengths a scale bar may have.
var scaleLengthsM = []float64{10, 20, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000}

func newAtlasPage(d *Data, c int, grids []int) atlasPage {
	cm := &d.Communities[c]
	box := cm.Outline.Box.Union(cm.Footprints.Box)
	for _, g := range grids {
		box = box.Union(d.Grids[g].Shape.Box)
	}
	if !box.NonEmpty {
		box = Box{Max: XY{1000, 1000}, NonEmpty: true}
	}
	x, y, w, h := fit(pad(box, 0.05), mapWmm/mapHmm)
	k := w / mapWmm
	p := atlasPage{C: c, Grids: grids, ViewBox: fmt.Sprintf("%.0f %.0f %.0f %.0f", x, y, w, h), K: round1(k),
		LabelFS: round1(labelMM * k), NoteFS: round1(noteMM * k), LineW: round1(0.25 * k),
		Halo: round1(0.6 * k), HatchW: round1(2.4 * k), HatchLine: round1(0.5 * k)}
	// A scale bar of about a fifth of the map's width.
	want := w * UnitM / 5
	l := scaleLengthsM[0]
	for _, s := range scaleLengthsM {
		if s <= want {
			l = s
		}
	}
	bar := scaleBar{X: round1(x + 6*k), Y: round1(y + h - 8*k), Len: round1(l / UnitM), Half: round1(l / UnitM / 2), H: round1(1.4 * k)}
	bar.TextY = round1(bar.Y - 1.2*k)
	bar.X2, bar.X3 = round1(bar.X+bar.Half), round1(bar.X+bar.Len)
	bar.Label, bar.HalfLabel = lengthLabel(l), lengthLabel(l/2)
	p.Scale = bar
	// The north arrow in the top right corner, 12 mm high.
	nx, ny := x+w-9*k, y+9*k
	tip, base, side, notch := ny, ny+11*k, 3.2*k, ny+8*k
	p.North = north{X: round1(nx), Y: round1(tip), TextY: round1(tip - 1.2*k),
		Left:  fmt.Sprintf("M%.0f %.0fL%.0f %.0fL%.0f %.0fz", nx, tip, nx-side, base, nx, notch),
		Right: fmt.Sprintf("M%.0f %.0fL%.0f %.0fL%.0f %.0fz", nx, tip, nx+side, base, nx, notch)}
	return p
}

// lengthLabel writes a length in metres or kilometres.
func lengthLabel(m float64) string {
	if m >= 1000 {
		return fmt.Sprintf("%g km", m/1000)
	}
	return fmt.Sprintf("%g m", math.Round(m))
}
