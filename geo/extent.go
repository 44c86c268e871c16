package geo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// MaxExtentKM is the largest span, west to east or south to north, of one
// input layer. gridplan plans the communities of a city: a whole
// prefecture-level city is 100-300 km across, its urban communities far
// less. All lengths and areas are computed in one local projection centred
// on the buildings ([Projection]), and within 354 km of its centre (half
// the diagonal of a square 500 km across) a round trip through it is exact
// to 2 mm and its area scale within 0.2 %; 500 km east of the centre the
// round trip is off by 4 cm, 1,000 km east by 5 m. A layer wider than this is refused, naming
// its westernmost and easternmost (or southernmost and northernmost)
// features: usually one of them is a typing error (a sign dropped, a digit
// too many).
const MaxExtentKM = 500

// kmPerDegree is the length of a degree of latitude, and of longitude on
// the equator, in kilometres (40,075 km / 360, to within 1 %).
const kmPerDegree = 111.32

// checkExtent returns a [*FileError] wrapping [ErrExtent] if the n
// features of a layer, whose bounds bound returns (false for a feature
// without geometry), span more than MaxExtentKM.
func checkExtent(file string, n int, bound func(int) (orb.Bound, bool), idOf func(int) string) error {
	var b orb.Bound
	west, east, south, north := -1, -1, -1, -1
	for i := range n {
		fb, ok := bound(i)
		if !ok {
			continue
		}
		if west < 0 {
			b, west, east, south, north = fb, i, i, i, i
			continue
		}
		if fb.Min[0] < b.Min[0] {
			b.Min[0], west = fb.Min[0], i
		}
		if fb.Max[0] > b.Max[0] {
			b.Max[0], east = fb.Max[0], i
		}
		if fb.Min[1] < b.Min[1] {
			b.Min[1], south = fb.Min[1], i
		}
		if fb.Max[1] > b.Max[1] {
			b.Max[1], north = fb.Max[1], i
		}
	}
	if west < 0 {
		return nil
	}
	// East to west along the parallel of the layer nearest the equator,
	// where a degree of longitude is longest.
	equatorward := 0.0
	if b.Min[1] > 0 {
		equatorward = b.Min[1]
	} else if b.Max[1] < 0 {
		equatorward = b.Max[1]
	}
	ew := (b.Max[0] - b.Min[0]) * kmPerDegree * math.Cos(equatorward*math.Pi/180)
	ns := (b.Max[1] - b.Min[1]) * kmPerDegree
	feature := func(i int) string {
		if id := idOf(i); id != "" {
			return fmt.Sprintf("feature %d (id %q)", i, id)
		}
		return fmt.Sprintf("feature %d", i)
	}
	span := func(km float64, dir string, a, z int, lo, hi float64, what string) error {
		where := fmt.Sprintf("from %s at %s %g to %s at %g", feature(a), what, lo, feature(z), hi)
		if a == z {
			where = fmt.Sprintf("%s alone spans %s %g to %g", feature(a), what, lo, hi)
		}
		return &FileError{File: file, Err: fmt.Errorf("%w: it spans %.0f km %s (%s), more than the %d km gridplan accepts (its local projection is exact only within a few hundred kilometres; a feature far from the others is usually a typing error)",
			ErrExtent, km, dir, where, MaxExtentKM)}
	}
	switch {
	case b.Max[0]-b.Min[0] > 180:
		return &FileError{File: file, Err: fmt.Errorf("%w: it spans %.0f° of longitude, from %s at %g to %s at %g: no Chinese city crosses the antimeridian, and a sign dropped puts a feature on the other side of the globe",
			ErrExtent, b.Max[0]-b.Min[0], feature(west), b.Min[0], feature(east), b.Max[0])}
	case ew > MaxExtentKM:
		return span(ew, "west to east", west, east, b.Min[0], b.Max[0], "longitude")
	case ns > MaxExtentKM:
		return span(ns, "south to north", south, north, b.Min[1], b.Max[1], "latitude")
	}
	return nil
}

// verticesBound returns the bound of the vertices of mp, skipping empty
// rings (which orb bounds as an inverted box around (0, 0)), and false if
// it has none.
func verticesBound(mp orb.MultiPolygon) (orb.Bound, bool) {
	var b orb.Bound
	seen := false
	for _, p := range mp {
		for _, r := range p {
			for _, pt := range r {
				if !seen {
					b, seen = pt.Bound(), true
				}
				b = b.Extend(pt)
			}
		}
	}
	return b, seen
}
