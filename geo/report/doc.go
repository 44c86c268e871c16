// Package report renders report.html (SPEC §5): one self-contained page
// that a planner opens offline, from a government network or a USB stick,
// to show and defend a plan. It holds the overview map of every community
// and grid coloured by households, the histogram of households per grid
// with the band, the sortable table of communities, every grid out of band
// with its reason in words and the units it names marked on the map, the
// change map and table of a repartition or the findings of a check, and an
// atlas page per community (网格平面图) that prints on A4 or A3.
//
// The page has no external resource: its styles and script are inline,
// fonts are the system's, and there is no URL in it. Its maps are SVG in
// one local plane ([Plane]: a transverse Mercator projection centred on
// the data, in decimetres), each grid drawn once and referenced by the
// overview, the change map and its atlas page, so that a 60,000-building
// city's page stays a few megabytes. Geometry is rounded to decimetres
// and vertices that rounding makes redundant are dropped, which keeps
// boundaries shared by neighbouring grids shared; it is not simplified
// further (that would need each shared boundary simplified once).
//
// Package report knows nothing of plans: package plan fills a [Data] and
// calls [HTML]. The same Data renders to the same bytes.
package report
