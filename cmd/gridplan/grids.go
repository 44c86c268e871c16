package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"sync"

	"gridplan/geo"
	"gridplan/partition"

	"github.com/paulmach/orb"
)

// gridShapes are the grid polygons of a plan, in metres, with the coverage
// check of each community (SPEC §4).
type gridShapes struct {
	polygons []orb.MultiPolygon // by grid, as res.Grids, in its community's plane
	lonlat   []orb.MultiPolygon // the same in lon/lat
	coverage []geo.Coverage     // by community
	tolM2    []float64          // by community: the coverage tolerance
}

// drawGrids traces the polygon of every grid from its community's
// tessellation, clipped to the community's outline (or, without a
// communities layer, to the tessellation's bound: a buffered hull of the
// buildings), and measures how the grids tile the community. Communities are
// drawn in parallel; results are stored by index.
func (d *district) drawGrids(res *partition.Result) (*gridShapes, error) {
	gs := &gridShapes{
		polygons: make([]orb.MultiPolygon, len(res.Grids)),
		lonlat:   make([]orb.MultiPolygon, len(res.Grids)),
		coverage: make([]geo.Coverage, len(d.communities)),
		tolM2:    make([]float64, len(d.communities)),
	}
	first := make([]int, len(d.communities)+1) // grids of community c: first[c]..first[c+1]
	for c := range first {
		first[c] = len(res.Grids)
	}
	for gi := len(res.Grids) - 1; gi >= 0; gi-- {
		first[res.Grids[gi].Community] = gi
	}
	for c := len(d.communities) - 1; c >= 0; c-- {
		first[c] = min(first[c], first[c+1])
	}
	errs := make([]error, len(d.communities))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for c, t := range d.tess {
		if t == nil {
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			members := d.members[c]
			group := make([]int, len(members))
			footprints := make([]orb.Geometry, len(members))
			for u, i := range members {
				group[u] = res.AtomGrid[d.atomOf[i]] - first[c]
				footprints[u] = d.plane[c].Geometry(d.buildings[i].Geometry)
			}
			n := first[c+1] - first[c]
			polys, err := geo.GridPolygons(t, group, n, d.outline[c], d.constraints(c, footprints, group))
			if err != nil {
				errs[c] = fmt.Errorf("community %q: grid polygons: %w", d.communities[c], err)
				return
			}
			copy(gs.polygons[first[c]:], polys)
			for g, mp := range polys {
				gs.lonlat[first[c]+g], _ = d.plane[c].Unproject(mp).(orb.MultiPolygon)
			}
			envelope := d.outline[c]
			if envelope == nil {
				envelope = orb.MultiPolygon{{t.Bound}}
			}
			gs.coverage[c] = geo.CheckCoverage(envelope, polys, footprints, group)
			gs.tolM2[c] = geo.CoverageTolM2(envelope)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return gs, nil
}

// areaPerimeter returns the area and perimeter of a polygon in metres.
func areaPerimeter(mp orb.MultiPolygon) (area, perimeter float64) {
	for _, p := range mp {
		for _, r := range p {
			if len(r) == 0 {
				continue
			}
			o := r[0] // sums relative to a vertex, to keep round-off small
			var a float64
			for i := 0; i+1 < len(r); i++ {
				x0, y0 := r[i][0]-o[0], r[i][1]-o[1]
				x1, y1 := r[i+1][0]-o[0], r[i+1][1]-o[1]
				a += x0*y1 - x1*y0
				perimeter += math.Hypot(x1-x0, y1-y0)
			}
			area += a / 2 // holes are clockwise: negative
		}
	}
	return area, perimeter
}

// gridsGeoJSON renders the grids as a FeatureCollection in the input's
// coordinates (longitude/latitude), one feature per line. Coordinates are
// written with the shortest representation that reads back to the same
// float64, so vertices shared by neighbouring grids stay identical.
func gridsGeoJSON(shapes *gridShapes, table []gridStats) []byte {
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for gi, lonlat := range shapes.lonlat {
		if gi > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n")
		var geom any
		switch len(lonlat) {
		case 0:
			geom = nil
		case 1:
			geom = map[string]any{"type": "Polygon", "coordinates": lonlat[0]}
		default:
			geom = map[string]any{"type": "MultiPolygon", "coordinates": lonlat}
		}
		g := table[gi]
		props := map[string]any{
			"code": g.Code, "community": g.Community, "type": g.Type,
			"households": g.Households, "buildings": g.Buildings, "shops": g.Shops,
			"compounds": g.Compounds, "split_compound": g.SplitCompound,
			"area_m2": g.AreaM2, "perimeter_m": g.PerimeterM, "polsby_popper": g.PolsbyPopper,
			"pieces": g.Pieces, "status": g.Status, "reason": g.Reason,
		}
		feature, err := json.Marshal(map[string]any{"type": "Feature", "properties": props, "geometry": geom})
		if err != nil {
			// Only finite numbers and strings are marshalled; an error is a
			// programming error.
			panic(fmt.Sprintf("gridplan: marshal grid %s: %v", g.Code, err))
		}
		b.Write(feature)
	}
	b.WriteString("\n]}\n")
	return b.Bytes()
}
