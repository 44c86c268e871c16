package main

import (
	"gridplan/geo"

	"github.com/paulmach/orb"
)

type tmpEdge struct {
	A, B    int
	LengthM float64
}

func tmpSites(g orb.Geometry, _ float64) []orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return []orb.Point{g}
	case orb.Polygon:
		return append([]orb.Point(nil), g[0][:len(g[0])-1]...)
	case orb.MultiPolygon:
		var out []orb.Point
		for _, p := range g {
			out = append(out, p[0][:len(p[0])-1]...)
		}
		return out
	}
	return nil
}

func tmpAdjacency(sites []orb.Point, unit []int) ([]tmpEdge, error) {
	tr, err := geo.Delaunay(sites)
	if err != nil {
		return nil, err
	}
	pu := make([]int, len(tr.Points))
	for i := range pu {
		pu[i] = -1
	}
	for i, v := range tr.Vertex {
		if pu[v] < 0 || unit[i] < pu[v] {
			pu[v] = unit[i]
		}
	}
	seen := map[[2]int]bool{}
	var out []tmpEdge
	for _, e := range tr.Edges() {
		a, b := pu[e[0]], pu[e[1]]
		if a == b {
			continue
		}
		if a > b {
			a, b = b, a
		}
		if !seen[[2]int{a, b}] {
			seen[[2]int{a, b}] = true
			out = append(out, tmpEdge{a, b, 1})
		}
	}
	return out, nil
}
