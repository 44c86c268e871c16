package report

import (
	"html/template"
	"strconv"
	"strings"
)

// The fragments below repeat once per grid or community: written here
// rather than by the template, whose reflection costs a 60,000-building
// city's page several times as long (0.2 s against 0.05 s). Path data
// holds only commands, digits, spaces and minus signs (Pen writes it);
// every text from the input passes through esc.

// esc escapes text for an HTML attribute or element.
func esc(s string) string { return template.HTMLEscapeString(s) }

// outOfBand reports whether g is a residential grid out of band.
func (g *Grid) outOfBand() bool { return g.Type == "residential" && g.Status != "ok" }

// defs are the shapes that the maps and atlas pages draw by reference:
// grids g<i>, buildings f<c>, the community outlines, the barriers and
// the units named for grids out of band h<i>.
func defs(d *Data) template.HTML {
	// The paths are most of the page: the builder is sized for them once,
	// and each is written in place rather than joined into a copy first.
	const perPath = len("\n<path id=\"g\" d=\"\"/>") + 8
	n := len("\n<path id=\"outlines\" d=\"\"/>\n<path id=\"barriers\" d=\"\"/>") + len(d.Barriers.D)
	for i := range d.Grids {
		n += perPath + len(d.Grids[i].Shape.D) + len(d.Grids[i].Highlight.D)
	}
	for c := range d.Communities {
		n += perPath + len(d.Communities[c].Footprints.D) + len(d.Communities[c].Outline.D)
	}
	var b strings.Builder
	b.Grow(n)
	path := func(kind string, i int, pathD string) {
		b.WriteString("\n<path id=\"")
		b.WriteString(kind)
		b.WriteString(strconv.Itoa(i))
		b.WriteString("\" d=\"")
		b.WriteString(pathD)
		b.WriteString("\"/>")
	}
	for i := range d.Grids {
		path("g", i, d.Grids[i].Shape.D)
	}
	for c := range d.Communities {
		if f := d.Communities[c].Footprints; !f.Empty() {
			path("f", c, f.D)
		}
	}
	b.WriteString("\n<path id=\"outlines\" d=\"")
	for c := range d.Communities {
		b.WriteString(d.Communities[c].Outline.D)
	}
	b.WriteString("\"/>\n<path id=\"barriers\" d=\"")
	b.WriteString(d.Barriers.D)
	b.WriteString("\"/>")
	for i := range d.Grids {
		if g := &d.Grids[i]; g.outOfBand() && !g.Highlight.Empty() {
			path("h", i, g.Highlight.D)
		}
	}
	return template.HTML(b.String())
}

// gridUses draws every grid on a map, filled by fill ("" for no fill
// attribute), each with its index for the script.
func gridUses(n int, fill func(i int) string) template.HTML {
	var b strings.Builder
	for i := range n {
		s := strconv.Itoa(i)
		b.WriteString("\n<use href=\"#g" + s + "\"")
		if f := fill(i); f != "" {
			b.WriteString(" fill=\"" + f + "\"")
		}
		b.WriteString(" data-i=\"" + s + "\"/>")
	}
	return template.HTML(b.String())
}

// labels writes each grid's code at its label point (a grid without a
// shape has none).
func labels(d *Data) template.HTML {
	var b strings.Builder
	for i := range d.Grids {
		g := &d.Grids[i]
		if g.Shape.Empty() {
			continue
		}
		b.WriteString("\n<text x=\"" + strconv.Itoa(g.Label[0]) + "\" y=\"" + strconv.Itoa(g.Label[1]) + "\">" + esc(g.Code) + "</text>")
	}
	return template.HTML(b.String())
}

// atlasLayers draws the grids of an atlas page: filled, hatched where out
// of band, the units named marked, and labelled with code and
// households; fills are the grids' fills.
func atlasLayers(d *Data, p *atlasPage, fills []string) (grids, hatched, named, text template.HTML) {
	var g, h, u, t strings.Builder
	hatch := "url(#hatch" + strconv.Itoa(p.C) + ")"
	for _, i := range p.Grids {
		gr := &d.Grids[i]
		s := strconv.Itoa(i)
		g.WriteString("<use href=\"#g" + s + "\" fill=\"" + fills[i] + "\"/>")
		if gr.outOfBand() {
			h.WriteString("<use href=\"#g" + s + "\" fill=\"" + hatch + "\"/>")
			if !gr.Highlight.Empty() {
				u.WriteString("<use href=\"#h" + s + "\"/>")
			}
		}
		if gr.Shape.Empty() {
			continue
		}
		x, y := strconv.Itoa(gr.Label[0]), strconv.Itoa(gr.Label[1])
		t.WriteString("\n<text x=\"" + x + "\" y=\"" + y + "\"><tspan x=\"" + x + "\" dy=\"-0.15em\" class=\"code\">" + esc(gr.Code) +
			"</tspan><tspan x=\"" + x + "\" dy=\"1.15em\">" + strconv.Itoa(gr.BandHouseholds) + " 户</tspan></text>")
	}
	return template.HTML(g.String()), template.HTML(h.String()), template.HTML(u.String()), template.HTML(t.String())
}

// atlasRows are the rows of an atlas page's table of grids.
func atlasRows(d *Data, p *atlasPage, fills []string) template.HTML {
	var b strings.Builder
	for _, i := range p.Grids {
		g := &d.Grids[i]
		b.WriteString("\n<tr")
		if g.Status != "ok" {
			b.WriteString(" class=\"warn\"")
		}
		b.WriteString("><td><i class=\"cls\" style=\"background:" + fills[i] + "\"></i>" + esc(g.Code) + "</td><td>" +
			strconv.Itoa(g.BandHouseholds) + "</td><td>" + strconv.Itoa(g.Buildings) + "</td><td>" + strconv.Itoa(g.Compounds) + "</td><td>")
		if g.Type == "residential" {
			b.WriteString(esc(statusText(g.Status).Zh))
			if g.Reason != "" {
				b.WriteString(" · " + esc(reasonText(g.Reason).Zh))
			}
		} else {
			b.WriteString(esc(typeText(g.Type).Zh))
		}
		b.WriteString("</td></tr>")
	}
	return template.HTML(b.String())
}
