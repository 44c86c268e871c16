package audit

import (
	"fmt"
	"strings"

	"gridplan/geo"
	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// coverage finds gaps and grids crossing their community's outline. With
// a communities layer each community is overlaid, in its own plane, with
// the union of its grids: what the union leaves of the community (less
// any grid of another community reaching in) is a gap, what it has beyond
// the community crosses it. Without one, the holes in the union of all
// grids are the gaps.
func (a *auditor) coverage() {
	if len(a.cs) == 0 {
		a.holes()
		return
	}
	home := make([][]int, len(a.cs))
	for k, c := range a.home {
		if c >= 0 {
			home[c] = append(home[c], k)
		}
	}
	found := make([][]Finding, len(a.cs))
	tick := a.counter("coverage", len(a.cs), 1)
	parallel.EachChunk(len(a.cs), 1, func(c int) {
		found[c] = a.communityCoverage(c, home[c])
		tick()
	})
	for _, fs := range found {
		a.findings = append(a.findings, fs...)
	}
}

func (a *auditor) communityCoverage(c int, members []int) []Finding {
	comm := a.cs[c]
	plane := a.commPlane[c]
	C := planeSF(comm.Geometry, plane)
	sfs := make([]geom.Geometry, len(members))
	mag := planeMagnitude(comm.Geometry, plane)
	for j, k := range members {
		sfs[j] = planeSF(a.grids[k].Geometry, plane)
		mag = max(mag, planeMagnitude(a.grids[k].Geometry, plane))
	}
	q := a.positionErrM(comm.Geometry.Bound().Min, mag)
	U, uerr := geom.UnionMany(sfs)
	if uerr != nil {
		return nil
	}
	var fs []Finding

	// Parts of the community's grids beyond its outline, per grid.
	if out := filterReal(pieces(geom.Difference(U, C)), q); len(out) > 0 {
		outSF := shape.ToSF(piecesMP(out))
		ob := piecesMP(out).Bound()
		for j, k := range members {
			gb := plane.Geometry(a.grids[k].Geometry).Bound()
			if !gb.Intersects(ob) {
				continue
			}
			ps := filterReal(pieces(geom.Intersection(sfs[j], outSF)), q)
			if len(ps) == 0 {
				continue
			}
			area := sumArea(ps)
			g := &a.grids[k]
			where := "outside every community"
			if len(a.into[k]) > 0 {
				where = "into " + strings.Join(a.into[k], ", ")
			}
			fs = append(fs, Finding{Kind: FindingCrossesCommunity, Grids: []string{g.Code}, Community: comm.ID,
				Measured: map[string]float64{"outside_m2": area, "pieces": float64(len(ps))}, Fixable: true,
				Area:   lonlat(ps, plane),
				Detail: fmt.Sprintf("grid %s extends %.1f m² beyond community %s (%s)", g.Code, area, comm.ID, where)})
		}
	}

	// Gaps: the community less its grids, less grids of other
	// communities reaching in.
	gaps := filterReal(pieces(geom.Difference(C, U)), q)
	if len(gaps) > 0 {
		isMember := map[int]bool{}
		for _, k := range members {
			isMember[k] = true
		}
		var others []geom.Geometry
		for _, k := range a.searchGrids(a.commShape[c].Bound()) {
			if !isMember[k] && a.gridShape[k] != nil && shape.InteriorsMayOverlap(a.gridShape[k], a.commShape[c]) {
				others = append(others, planeSF(a.grids[k].Geometry, plane))
			}
		}
		if len(others) > 0 {
			if o, err := geom.UnionMany(others); err == nil {
				gaps = filterReal(pieces(geom.Difference(shape.ToSF(piecesMP(gaps)), o)), q)
			}
		}
	}
	for _, p := range gaps {
		ll := lonlat([]overlayPiece{p}, plane)
		pSF := shape.ToSF(orb.MultiPolygon{p.poly})
		var codes []string
		pb := ll.Bound()
		for _, k := range a.searchGrids(pb) {
			if geom.Intersects(pSF, planeSF(a.grids[k].Geometry, plane)) {
				codes = append(codes, a.grids[k].Code)
			}
		}
		ids := a.buildingsMeeting(ll)
		fs = append(fs, Finding{Kind: FindingGap, Grids: codes, Buildings: ids, Community: comm.ID,
			Measured: map[string]float64{"area_m2": p.areaM2, "mean_width_m": 2 * p.areaM2 / p.perM}, Fixable: true, Area: ll,
			Detail: fmt.Sprintf("%.1f m² of community %s lie in no grid (next to %s; %d buildings in it)",
				p.areaM2, comm.ID, orNone(codes), len(ids))})
	}
	return fs
}

func orNone(codes []string) string {
	if len(codes) == 0 {
		return "no grid"
	}
	return strings.Join(codes, ", ")
}

func piecesMP(ps []overlayPiece) orb.MultiPolygon {
	mp := make(orb.MultiPolygon, len(ps))
	for i, p := range ps {
		mp[i] = p.poly
	}
	return mp
}

// holes reports, without a communities layer, the holes in the union of
// all grids as gaps. The union is taken in one plane centred on the layer.
func (a *auditor) holes() {
	var b orb.Bound
	first := true
	for k, sh := range a.gridShape {
		if sh == nil {
			continue
		}
		if first {
			b, first = a.gridShape[k].Bound(), false
		} else {
			b = b.Union(sh.Bound())
		}
	}
	if first {
		return
	}
	plane := geo.NewLocalPlane(b.Center())
	var sfs []geom.Geometry
	mag := 0.0
	for k, sh := range a.gridShape {
		if sh != nil {
			sfs = append(sfs, planeSF(a.grids[k].Geometry, plane))
			mag = max(mag, planeMagnitude(a.grids[k].Geometry, plane))
		}
	}
	U, err := geom.UnionMany(sfs)
	if err != nil {
		return
	}
	q := a.positionErrM(b.Min, mag)
	for _, p := range shape.FromSF(U) {
		for _, h := range p[1:] {
			hole := orb.Polygon{append(orb.Ring(nil), h...)}
			hole[0].Reverse()
			area, per := polygonAreaPerimeter(hole)
			if !pieceIsReal(area, per, q) {
				continue
			}
			ll := lonlat([]overlayPiece{{hole, area, per}}, plane)
			hSF := shape.ToSF(orb.MultiPolygon{hole})
			var codes []string
			for _, k := range a.searchGrids(ll.Bound()) {
				if geom.Intersects(hSF, planeSF(a.grids[k].Geometry, plane)) {
					codes = append(codes, a.grids[k].Code)
				}
			}
			ids := a.buildingsMeeting(ll)
			a.add(Finding{Kind: FindingGap, Grids: codes, Buildings: ids,
				Measured: map[string]float64{"area_m2": area, "mean_width_m": 2 * area / per}, Fixable: true, Area: ll,
				Detail: fmt.Sprintf("a hole of %.1f m² between grids %s lies in no grid (%d buildings in it)", area, orNone(codes), len(ids))})
		}
	}
}

// overlaps reports every pair of grids whose interiors overlap by more
// than rounding, measured in a plane centred on the pair.
func (a *auditor) overlaps() {
	found := make([][]Finding, len(a.grids))
	tick := a.counter("overlaps", len(a.grids), 1)
	parallel.EachChunk(len(a.grids), 4, func(k int) {
		defer tick()
		sk := a.gridShape[k]
		if sk == nil {
			return
		}
		for _, m := range a.searchGrids(sk.Bound()) {
			sm := a.gridShape[m]
			if m <= k || sm == nil || !shape.InteriorsMayOverlap(sk, sm) {
				continue
			}
			gk, gm := a.grids[k].Geometry, a.grids[m].Geometry
			plane := geo.NewLocalPlane(orb.Bound{
				Min: orb.Point{max(sk.Bound().Min[0], sm.Bound().Min[0]), max(sk.Bound().Min[1], sm.Bound().Min[1])},
				Max: orb.Point{min(sk.Bound().Max[0], sm.Bound().Max[0]), min(sk.Bound().Max[1], sm.Bound().Max[1])},
			}.Center())
			q := a.positionErrM(sk.Bound().Min, max(planeMagnitude(gk, plane), planeMagnitude(gm, plane)))
			ps := filterReal(pieces(geom.Intersection(planeSF(gk, plane), planeSF(gm, plane))), q)
			if len(ps) == 0 {
				continue
			}
			area := sumArea(ps)
			ll := lonlat(ps, plane)
			ids := a.buildingsMeeting(ll)
			codes := []string{a.grids[k].Code, a.grids[m].Code}
			found[k] = append(found[k], Finding{Kind: FindingOverlap, Grids: codes, Buildings: ids,
				Measured: map[string]float64{"area_m2": area, "pieces": float64(len(ps))}, Fixable: true, Area: ll,
				Detail: fmt.Sprintf("grids %s and %s overlap by %.1f m² (%d buildings in the overlap)", codes[0], codes[1], area, len(ids))})
		}
	})
	for _, fs := range found {
		a.findings = append(a.findings, fs...)
	}
}
