package audit

import (
	"gridplan/geo"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// withoutShared is the straddle l of building i less the parts of its
// footprint it shares with smaller footprints counted in other grids, nil
// if what is left outside its grid is no straddle. Two footprints drawn
// over each other cannot both lie whole in different grids; partition
// gives the shared part to the smaller (the earlier of two equal), whose
// grid holds it, as a podium's grid holds the towers' ground.
func (a *auditor) withoutShared(i int, l *located) *located {
	fp := shape.Polygons(a.bs[i].Geometry)
	if fp == nil {
		return l
	}
	rep := shape.RepresentativePoint(fp)
	plane := geo.NewLocalPlane(rep)
	fpSF := planeSF(fp, plane)
	home := a.gridOf[i]
	given := map[int]float64{} // grid -> area of i it holds as a smaller footprint's
	b := fp.Bound()
	a.buildingTree().Search(b.Min, b.Max, func(_, _ [2]float64, j int) bool {
		k := a.gridOf[j]
		if j == i || k < 0 || k == home {
			return true
		}
		fj := shape.Polygons(a.bs[j].Geometry)
		if fj == nil {
			return true
		}
		aj, _ := shape.AreaPerimeter(plane.Geometry(fj).(orb.MultiPolygon))
		if aj > l.areaM2 || aj == l.areaM2 && j > i {
			return true // i keeps what it shares with a larger one
		}
		q := a.positionErrM(rep, max(planeMagnitude(fp, plane), planeMagnitude(fj, plane)))
		given[k] += sumArea(filterReal(pieces(geom.Intersection(fpSF, planeSF(fj, plane))), q))
		return true
	})
	if len(given) == 0 {
		return l
	}
	out := &located{areaM2: l.areaM2, outsideM2: l.outsideM2}
	away := l.outsideM2
	for _, s := range l.shares {
		if s.k != home {
			if s.areaM2 = max(0, s.areaM2-given[s.k]); s.areaM2 == 0 {
				continue
			}
			away += s.areaM2
		}
		out.shares = append(out.shares, s)
	}
	_, per := shape.AreaPerimeter(plane.Geometry(fp).(orb.MultiPolygon))
	if away <= a.straddleM2 || !pieceIsReal(away, per, a.positionErrM(rep, planeMagnitude(fp, plane))) {
		return nil
	}
	return out
}
