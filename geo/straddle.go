package geo

import (
	"fmt"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
	"github.com/tidwall/rtree"
)

// Footprints drawn across their community's outline, beyond rounding: a
// grid holds the part inside its community, the rest is left to the grids
// beyond (SPEC §4), and the building is named. A part outside of at most
// straddleShare of the footprint, or straddleM2, is a wall drawn on the
// outline.
const (
	straddleShare = 0.01
	straddleM2    = 1.0
)

// straddling returns an across_community_boundary warning for every
// building i whose point lies in its community (inside[i]) but whose
// footprint reaches beyond its outline by more than straddleShare and
// straddleM2, in the order of bs. ids maps community ids to cs.
func straddling(file string, bs []Building, cs []Region, ids map[string]int, inside []bool) []Warning {
	// The communities' edges, by their bounds: only a footprint that one
	// of its community's edges comes near can reach out of it.
	var edges rtree.RTreeG[int]
	for c, r := range cs {
		for _, poly := range r.Geometry {
			for _, ring := range poly {
				for k := 0; k+1 < len(ring); k++ {
					b := orb.LineString{ring[k], ring[k+1]}.Bound()
					edges.Insert(b.Min, b.Max, c)
				}
			}
		}
	}
	proj := NewProjection(CenterOfRegions(cs))
	notes := make([]string, len(bs))
	parallel.EachChunk(len(bs), 256, func(i int) {
		b := &bs[i]
		if !inside[i] {
			return
		}
		fp := shape.Polygons(b.Geometry)
		if len(fp) == 0 {
			return
		}
		c := ids[b.Community]
		bound := shape.MultiPolygonBound(fp)
		near := false
		edges.Search(bound.Min, bound.Max, func(_, _ [2]float64, e int) bool {
			near = e == c
			return !near
		})
		if !near {
			return
		}
		if share, m2, ok := outsideOf(fp, cs[c].Geometry, proj); ok && share > straddleShare && m2 > straddleM2 {
			notes[i] = fmt.Sprintf("%.0f m² (%.0f%%) of its footprint lies outside its community %q: its grid holds the part inside, the rest is left to the grids beyond", m2, 100*share, b.Community)
		}
	})
	var ws []Warning
	for i, n := range notes {
		if n != "" {
			ws = append(ws, Warning{File: file, Index: bs[i].Index, ID: bs[i].ID, Kind: "across_community_boundary", Note: n})
		}
	}
	return ws
}

// outsideOf returns the share of footprint fp (lon/lat) outside region,
// and its area in square metres (in proj), and whether they could be
// measured.
func outsideOf(fp, region orb.MultiPolygon, proj *Projection) (share, m2 float64, ok bool) {
	in, err := geom.Intersection(shape.ToSF(fp), shape.ToSF(region))
	whole := shape.MultiPolygonArea(fp)
	if err != nil || !(whole > 0) {
		return 0, 0, false
	}
	share = 1 - in.Area()/whole
	return share, share * shape.MultiPolygonArea(shape.Polygons(proj.Geometry(fp))), true
}
