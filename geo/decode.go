package geo

import (
	"encoding/json"
	"fmt"
	"strings"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// decodeGeometry decodes a Polygon, a MultiPolygon or, if points is true, a
// Point, checks its coordinates and rings, and returns it repaired. A
// polygon with no area left is a Point at the centroid of its vertices if
// points is true, an error otherwise.
func decodeGeometry(raw json.RawMessage, points bool, rep *ringRepairs) (orb.Geometry, error) {
	if isNull(raw) {
		return nil, fmt.Errorf("%w: geometry is null", ErrEmptyGeometry)
	}
	rg, err := scanGeometry(raw)
	if err != nil {
		return nil, err
	}
	known := rg.Type == "Polygon" || rg.Type == "MultiPolygon" || (points && (rg.Type == "Point" || rg.Type == "MultiPoint"))
	if known && isNull(rg.Coordinates) {
		return nil, fmt.Errorf("%w: %s has no coordinates", ErrEmptyGeometry, rg.Type)
	}
	cr := newCoordReader(rg.Coordinates)
	switch rg.Type {
	case "Point":
		if !points {
			break
		}
		if isEmptyArray(rg.Coordinates) {
			return nil, fmt.Errorf("%w: Point has no coordinates", ErrEmptyGeometry)
		}
		p, err := cr.position()
		if err = cr.finish(err); err != nil {
			return nil, err
		}
		return p, nil
	case "MultiPoint":
		// A point layer saved as multi (ogr2ogr -nlt PROMOTE_TO_MULTI, a
		// multi geometry column): one position, or the same one repeated,
		// is that point.
		if !points {
			break
		}
		pts, err := cr.line()
		if err = cr.finish(err); err != nil {
			return nil, err
		}
		if len(pts) == 0 {
			return nil, fmt.Errorf("%w: MultiPoint has no points", ErrEmptyGeometry)
		}
		for _, p := range pts[1:] {
			if p != pts[0] {
				return nil, fmt.Errorf("%w: a MultiPoint of %d points; a building is one point or a polygon", ErrGeometryType, len(pts))
			}
		}
		return pts[0], nil
	case "Polygon":
		rings, err := cr.rings()
		if err = cr.finish(err); err != nil {
			return nil, err
		}
		mp, err := fixPolygon(rings, "", rep)
		switch {
		case err != nil:
			return nil, err
		case mp == nil:
			return noArea(points, [][][]orb.Point{rings}, rep)
		case len(mp) == 1:
			return mp[0], nil
		}
		return mp, nil // split into parts
	case "MultiPolygon":
		polys, err := cr.polygons()
		if err = cr.finish(err); err != nil {
			return nil, err
		}
		if len(polys) == 0 {
			return nil, fmt.Errorf("%w: MultiPolygon has no polygons", ErrEmptyGeometry)
		}
		var mp orb.MultiPolygon
		var dropped []string
		for k, rings := range polys {
			where := ""
			if len(polys) > 1 {
				where = fmt.Sprintf("polygon %d: ", k)
			}
			parts, err := fixPolygon(rings, where, rep)
			if err != nil {
				return nil, fmt.Errorf("polygon %d: %w", k, err)
			}
			if parts == nil {
				dropped = append(dropped, fmt.Sprintf("polygon %d: dropped, no area left after repair", k))
			}
			mp = append(mp, parts...)
		}
		if len(mp) == 0 {
			return noArea(points, polys, rep)
		}
		rep.repaired = append(rep.repaired, dropped...)
		if partsOverlap(mp) {
			// Parts drawn over each other (or sharing a wall) are one
			// footprint: their union, as OGC Simple Features wants it.
			u, err := geom.UnaryUnion(shape.ToSF(mp))
			merged := fromOverlay(u)
			if err != nil || len(merged) == 0 || !validParts(merged) {
				return nil, fmt.Errorf("%w: polygons overlap and cannot be merged", ErrSelfIntersection)
			}
			rep.mergedFrom, rep.mergedTo = len(mp), len(merged)
			return merged, nil
		}
		return mp, nil
	case "LineString", "MultiLineString":
		// An outline drawn as a line (CAD, a boundary layer): one that
		// closes is the polygon it bounds.
		var line []orb.Point
		if rg.Type == "LineString" {
			line, err = cr.line()
		} else {
			var lines [][]orb.Point
			if lines, err = cr.rings(); err == nil && len(lines) == 1 {
				line = lines[0]
			} else if err == nil {
				err = fmt.Errorf("%w: a MultiLineString of %d lines; an outline is a polygon: turn the lines into polygons in your GIS (QGIS: Lines to polygons)", ErrGeometryType, len(lines))
			}
		}
		if err = cr.finish(err); err != nil {
			return nil, err
		}
		if len(line) < 4 || line[0] != line[len(line)-1] {
			return nil, fmt.Errorf("%w: a %s that does not close; an outline is a polygon: close it, or turn it into a polygon in your GIS (QGIS: Lines to polygons)", ErrGeometryType, rg.Type)
		}
		mp, err := fixPolygon([][]orb.Point{line}, "", rep)
		switch {
		case err != nil:
			return nil, err
		case mp == nil:
			return noArea(points, [][][]orb.Point{{line}}, rep)
		}
		rep.repaired = append(rep.repaired, "a closed "+rg.Type+" read as the polygon it bounds")
		if len(mp) == 1 {
			return mp[0], nil
		}
		return mp, nil
	case "":
		return nil, fmt.Errorf("%w: geometry has no type", ErrBadGeometry)
	}
	want := "Polygon or MultiPolygon"
	if points {
		want = "Polygon, MultiPolygon or Point (a MultiPoint of one point)"
	}
	return nil, fmt.Errorf("%w: %s; want %s", ErrGeometryType, abbreviate([]byte(rg.Type)), want)
}

// noArea is the geometry of polygons with no area left after repair: a
// Point at the centroid of their vertices if points is true.
func noArea(points bool, polys [][][]orb.Point, rep *ringRepairs) (orb.Geometry, error) {
	if !points {
		if len(rep.repaired) > 0 {
			return nil, fmt.Errorf("%w after repair (%s)", ErrZeroArea, strings.Join(rep.repaired, "; "))
		}
		return nil, fmt.Errorf("%w: fewer than 3 distinct vertices, or all on one line", ErrZeroArea)
	}
	rep.repaired = append(rep.repaired, "zero area after repair: taken as a point at its centroid")
	return vertexCentroid(polys), nil
}

// decodeLines decodes a barrier geometry to lines.
func decodeLines(raw json.RawMessage) (orb.MultiLineString, error) {
	if isNull(raw) {
		return nil, fmt.Errorf("%w: geometry is null", ErrEmptyGeometry)
	}
	rg, err := scanGeometry(raw)
	if err != nil {
		return nil, err
	}
	switch rg.Type {
	case "LineString", "MultiLineString", "Polygon", "MultiPolygon":
		if isNull(rg.Coordinates) {
			return nil, fmt.Errorf("%w: %s has no coordinates", ErrEmptyGeometry, rg.Type)
		}
	}
	cr := newCoordReader(rg.Coordinates)
	var lines [][]orb.Point
	switch rg.Type {
	case "LineString":
		var l []orb.Point
		l, err = cr.line()
		lines = [][]orb.Point{l}
	case "MultiLineString", "Polygon":
		lines, err = cr.rings()
	case "MultiPolygon":
		var ps [][][]orb.Point
		ps, err = cr.polygons()
		for _, p := range ps {
			lines = append(lines, p...)
		}
	default:
		return nil, fmt.Errorf("%w: %s; want LineString, MultiLineString, Polygon or MultiPolygon", ErrGeometryType, abbreviate([]byte(rg.Type)))
	}
	if err = cr.finish(err); err != nil {
		return nil, err
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("%w: %s has no coordinates", ErrEmptyGeometry, rg.Type)
	}
	mls := make(orb.MultiLineString, 0, len(lines))
	for k, pts := range lines {
		ls := orb.LineString{}
		for _, p := range pts {
			if len(ls) == 0 || p != ls[len(ls)-1] {
				ls = append(ls, p)
			}
		}
		if len(ls) < 2 {
			return nil, fmt.Errorf("line %d: %w", k, ErrLineTooShort)
		}
		mls = append(mls, ls)
	}
	return mls, nil
}
