package report

import (
	"fmt"
	"math"
)

// ramp is ColorBrewer's sequential YlGnBu (9 classes; Cynthia Brewer,
// colorbrewer2.org, Apache-2.0): light for few households, dark for many,
// readable in grey print and by the colour-blind.
var ramp = [...][3]float64{
	{255, 255, 217}, {237, 248, 177}, {199, 233, 180}, {127, 205, 187}, {65, 182, 196},
	{29, 145, 192}, {34, 94, 168}, {37, 52, 148}, {8, 29, 88},
}

// scale maps households to a position on the ramp, 0 to 1, centred on the
// target: min lands at 1/6, target at 1/2 and max at 5/6, so that the band
// fills the middle two thirds and grids out of band take the pale and the
// dark ends.
func (b Band) scale(h float64) float64 {
	var t float64
	switch {
	case h <= float64(b.Target):
		span := float64(b.Target - b.Min)
		if span <= 0 {
			span = 1
		}
		t = 0.5 - (float64(b.Target)-h)/span/3
	default:
		span := float64(b.Max - b.Target)
		if span <= 0 {
			span = 1
		}
		t = 0.5 + (h-float64(b.Target))/span/3
	}
	return math.Max(0, math.Min(1, t))
}

// colour returns the fill of a grid of h households: a colour of the ramp.
func (b Band) colour(h float64) string {
	return rampAt(b.scale(h))
}

// rampAt interpolates the ramp at t in [0, 1], as #rrggbb.
func rampAt(t float64) string {
	x := t * float64(len(ramp)-1)
	i := int(math.Floor(x))
	if i >= len(ramp)-1 {
		i, x = len(ramp)-2, float64(len(ramp)-1)
	}
	f := x - float64(i)
	var c [3]int
	for k := range c {
		c[k] = int(math.Round(ramp[i][k] + f*(ramp[i+1][k]-ramp[i][k])))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}

// Fills of grids that are not weighed against the band, and of the change
// classes of a repartition.
const (
	fillDedicated = "#d9c6e8"
	fillEmpty     = "#eeeeee"
)

// changeFill is the fill of a grid of a repartition by its change class:
// grey for unchanged, colours for what changed.
var changeFill = map[string]string{"U": "#e3e3e3", "S": "#f4a259", "M": "#5aa9e6", "X": "#d7263d"}

// findingColour is the colour of a finding by kind.
var findingColour = map[string]string{
	"bad_code":            "#5a189a",
	"invalid_geometry":    "#7b2cbf",
	"outside_communities": "#9d4edd",
	"crosses_community":   "#c77dff",
	"overlap":             "#d7263d",
	"gap":                 "#8d5524",
	"uncovered_building":  "#e63946",
	"straddling_building": "#ff006e",
	"split_compound":      "#8338ec",
	"multipart":           "#3a86ff",
	"out_of_band":         "#fb8500",
}

// gridFill is the fill of grid g on the overview.
func (b Band) gridFill(g *Grid) string {
	switch g.Type {
	case "dedicated":
		return fillDedicated
	case "empty":
		return fillEmpty
	}
	return b.colour(float64(g.BandHouseholds))
}
