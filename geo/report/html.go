package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strings"

	"gridplan/geo/audit"
)

//go:embed page.html page.css page.js
var files embed.FS

var page = template.Must(template.New("page.html").Funcs(template.FuncMap{
	"reason": reasonText,
	"kind":   kindText,
	"status": statusText,
	"pct":    func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) },
	"f1":     func(x float64) string { return fmt.Sprintf("%.1f", x) },
	"f0":     func(x float64) string { return fmt.Sprintf("%.0f", x) },
	"join":   strings.Join,
	"first":  firstOf,
	"share": func(n, of int) string {
		if of == 0 {
			return "–"
		}
		return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(of))
	},
	"findingColour": func(k string) string { return findingColour[k] },
	"changeFill":    func(c string) string { return changeFill[c] },
}).ParseFS(files, "page.html"))

// firstOf lists at most n of s, then how many more.
func firstOf(n int, s []string) string {
	if len(s) <= n {
		return strings.Join(s, ", ")
	}
	return fmt.Sprintf("%s … (+%d)", strings.Join(s[:n], ", "), len(s)-n)
}

// HTML renders d as report.html: one self-contained page (inline styles
// and script, no fonts, images or links to fetch) with the overview map,
// the histogram, the community table, the grids out of band with their
// reasons, the change map and table of a repartition or the findings of a
// check, and an atlas page per community laid out for printing. The same d
// gives the same bytes.
func HTML(d *Data) ([]byte, error) {
	v, err := newView(d)
	if err != nil {
		return nil, err
	}
	// The shapes are about two thirds of the page (60,000 buildings:
	// 3.8 of 5.3 MB): room for the page once, so that the buffer does not
	// grow by doubling and copying.
	var b bytes.Buffer
	shapes := len(v.Defs) + len(v.MainGrids) + len(v.ChangeGrids) + len(v.PlainGrids) + len(v.Labels)
	b.Grow(shapes + shapes*3/4 + 512<<10)
	if err := page.Execute(&b, v); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return b.Bytes(), nil
}

// view is what the template renders: the data and what is worked out
// from it.
type view struct {
	*Data
	CSS template.CSS
	JS  template.JS
	// Tips is the table of grids the script shows on hovering (JSON).
	Tips template.JS
	// ViewBox frames every community, with a margin.
	ViewBox string
	// Fills are the grids' fills on the overview, by grid.
	Fills []string
	// OutOfBand are the residential grids out of band, by index.
	OutOfBand []int
	// Legend is the colour scale's legend.
	Legend []legendStop
	Hist   histogram
	Atlas  []atlasPage
	// Classes are the change classes with their counts and fills.
	Classes []classCount
	// FindingKinds are the kinds of finding present, in order, with counts.
	FindingKinds []kindCount
	// CompoundsShown says whether any community has compounds to draw.
	CompoundsShown bool
	// Defs are the shapes drawn by reference; MainGrids, ChangeGrids and
	// PlainGrids the grids of the overview, the change map and the
	// findings map; Labels the overview's labels (svg.go).
	Defs, MainGrids, ChangeGrids, PlainGrids, Labels template.HTML
}

type legendStop struct {
	Label string
	Fill  string
}

type classCount struct {
	Code, Zh, En, Fill string
	N                  int
}

type kindCount struct {
	Kind, Fill string
	N          int
}

func newView(d *Data) (*view, error) {
	css, err := files.ReadFile("page.css")
	if err != nil {
		return nil, err
	}
	js, err := files.ReadFile("page.js")
	if err != nil {
		return nil, err
	}
	v := &view{Data: d, CSS: template.CSS(css), JS: template.JS(js)}
	var box Box
	for i := range d.Communities {
		c := &d.Communities[i]
		box = box.Union(c.Outline.Box).Union(c.Footprints.Box)
		if len(c.Compounds) > 0 {
			v.CompoundsShown = true
		}
	}
	for i := range d.Grids {
		box = box.Union(d.Grids[i].Shape.Box)
	}
	for i := range d.Findings {
		box = box.Union(d.Findings[i].Area.Box)
	}
	if !box.NonEmpty {
		box = Box{Max: XY{1000, 1000}, NonEmpty: true}
	}
	v.ViewBox = viewBox(pad(box, 0.03), 0)
	v.Fills = make([]string, len(d.Grids))
	for i := range d.Grids {
		g := &d.Grids[i]
		v.Fills[i] = d.Band.gridFill(g)
		if g.Type == "residential" && g.Status != "ok" {
			v.OutOfBand = append(v.OutOfBand, i)
		}
	}
	b := d.Band
	for _, h := range []int{b.Min - (b.Target-b.Min)/2, b.Min, b.Target, b.Max, b.Max + (b.Max-b.Target)/2} {
		v.Legend = append(v.Legend, legendStop{fmt.Sprint(h), b.colour(float64(h))})
	}
	v.Hist = newHistogram(d)
	if v.Tips, err = tips(d); err != nil {
		return nil, err
	}
	v.Atlas = make([]atlasPage, len(d.Communities))
	grids := make([][]int, len(d.Communities))
	for i, g := range d.Grids {
		if g.Community >= 0 && g.Community < len(grids) {
			grids[g.Community] = append(grids[g.Community], i)
		}
	}
	for c := range d.Communities {
		p := newAtlasPage(d, c, grids[c])
		p.GridUses, p.Hatched, p.Named, p.Text = atlasLayers(d, &p, v.Fills)
		p.Rows = atlasRows(d, &p, v.Fills)
		v.Atlas[c] = p
	}
	v.Defs, v.Labels = defs(d), labels(d)
	v.MainGrids = gridUses(len(d.Grids), func(i int) string { return v.Fills[i] })
	if d.Changes != nil {
		v.ChangeGrids = gridUses(len(d.Grids), func(i int) string { return changeFill[d.Grids[i].Change] })
	}
	if d.Checked {
		v.PlainGrids = gridUses(len(d.Grids), func(int) string { return "" })
	}
	if ch := d.Changes; ch != nil {
		for k, cl := range classes {
			v.Classes = append(v.Classes, classCount{cl.Code, cl.Zh, cl.En, changeFill[cl.Code], ch.Classes[k]})
		}
	}
	for _, k := range audit.FindingKinds {
		n := 0
		for _, f := range d.Findings {
			if f.Kind == k {
				n++
			}
		}
		if n > 0 {
			v.FindingKinds = append(v.FindingKinds, kindCount{k, findingColour[k], n})
		}
	}
	return v, nil
}

// pad returns b grown on every side by share of its larger side (at least
// 20 m).
func pad(b Box, share float64) Box {
	m := max(int(share*float64(max(b.W(), b.H()))), int(20/UnitM))
	return Box{Min: XY{b.Min[0] - m, b.Min[1] - m}, Max: XY{b.Max[0] + m, b.Max[1] + m}, NonEmpty: true}
}

// viewBox is the SVG viewBox of b; with aspect > 0 (width / height) b is
// first widened or heightened about its centre to that aspect.
func viewBox(b Box, aspect float64) string {
	x, y, w, h := fit(b, aspect)
	return fmt.Sprintf("%.0f %.0f %.0f %.0f", x, y, w, h)
}

// fit returns the rectangle of viewBox, in whole units.
func fit(b Box, aspect float64) (x, y, w, h float64) {
	x, y, w, h = float64(b.Min[0]), float64(b.Min[1]), float64(max(b.W(), 1)), float64(max(b.H(), 1))
	if aspect > 0 {
		if w/h < aspect {
			nw := h * aspect
			x -= (nw - w) / 2
			w = nw
		} else {
			nh := w / aspect
			y -= (nh - h) / 2
			h = nh
		}
	}
	return math.Floor(x), math.Floor(y), math.Ceil(w), math.Ceil(h)
}

// tips is the table of grids for the script: per grid its code,
// community, households, band households, buildings, compounds, type,
// status ("" unless residential), reason and change class.
func tips(d *Data) (template.JS, error) {
	rows := make([][]any, len(d.Grids))
	for i, g := range d.Grids {
		community := ""
		if g.Community >= 0 && g.Community < len(d.Communities) {
			c := &d.Communities[g.Community]
			community = c.ID
			if c.Name != "" && c.Name != c.ID {
				community = c.Name + " (" + c.ID + ")"
			}
		}
		reason := ""
		if g.Reason != "" {
			r := reasonText(g.Reason)
			reason = r.Zh + " / " + r.En
		}
		// Only a residential grid is weighed against the band: a
		// dedicated or empty grid has no status.
		status, statusZh := "", ""
		if g.Type == "residential" {
			status, statusZh = g.Status, statusText(g.Status).Zh
		}
		rows[i] = []any{g.Code, community, g.Households, g.BandHouseholds, g.Buildings, g.Compounds,
			typeText(g.Type).Zh, status, statusZh, reason, g.Change}
	}
	// json.Marshal escapes <, > and &, so the table cannot end the script.
	b, err := json.Marshal(rows)
	if err != nil {
		return "", fmt.Errorf("report: %w", err)
	}
	return template.JS(b), nil
}

// Share is n/of for sorting, 0 when of is 0.
func (v *view) Share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return math.Round(1e4*float64(n)/float64(of)) / 1e4
}

// PageTitle is the title of the atlas page of community c: its name (or
// id) and 社区网格平面图, without repeating a 社区 the name ends with.
func (v *view) PageTitle(c int) string {
	cm := &v.Communities[c]
	name := cm.Name
	if name == "" {
		name = cm.ID
	}
	if strings.HasSuffix(name, "社区") {
		return name + "网格平面图"
	}
	return name + " 社区网格平面图"
}

// PageNo numbers the atlas page of community c.
func (v *view) PageNo(c int) string {
	return fmt.Sprintf("%d / %d", c+1, len(v.Communities))
}
