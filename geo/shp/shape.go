package shp

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Shape types of the ESRI Shapefile Technical Description (1998), table 1.
const (
	shapeNull        = 0
	shapePoint       = 1
	shapePolyLine    = 3
	shapePolygon     = 5
	shapeMultiPoint  = 8
	shapePointZ      = 11
	shapePolyLineZ   = 13
	shapePolygonZ    = 15
	shapeMultiPointZ = 18
	shapePointM      = 21
	shapePolyLineM   = 23
	shapePolygonM    = 25
	shapeMultiPointM = 28
	shapeMultiPatch  = 31
)

// baseType maps a Z or M shape type to its 2-D type (the Z and M values
// come after the X and Y ones, which therefore sit where the 2-D type
// has them), or -1 for a type this package does not read.
func baseType(t int32) int32 {
	switch t {
	case shapeNull, shapePoint, shapePolyLine, shapePolygon, shapeMultiPoint:
		return t
	case shapePointZ, shapePointM:
		return shapePoint
	case shapePolyLineZ, shapePolyLineM:
		return shapePolyLine
	case shapePolygonZ, shapePolygonM:
		return shapePolygon
	case shapeMultiPointZ, shapeMultiPointM:
		return shapeMultiPoint
	}
	return -1
}

var le = binary.LittleEndian

func readPoint(b []byte) (orb.Point, error) {
	p := orb.Point{
		math.Float64frombits(le.Uint64(b[0:8])),
		math.Float64frombits(le.Uint64(b[8:16])),
	}
	if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0) {
		return p, fmt.Errorf("%w: non-finite coordinate %v", ErrCorrupt, p)
	}
	return p, nil
}

// parseShape decodes the content of one .shp record (after its 8-byte
// header). It checks every count against len(b) before allocating. warn
// is set when rings had to be nested by containment: [ErrReversedRings]
// when every ring is wound against the shapefile rule.
func parseShape(b []byte) (g orb.Geometry, warn, err error) {
	if len(b) < 4 {
		return nil, nil, fmt.Errorf("%w: record content of %d bytes has no shape type", ErrCorrupt, len(b))
	}
	st := int32(le.Uint32(b))
	switch baseType(st) {
	case shapeNull:
		return nil, nil, nil
	case shapePoint:
		if len(b) < 4+16 {
			return nil, nil, fmt.Errorf("%w: point record of %d bytes", ErrTruncated, len(b))
		}
		p, err := readPoint(b[4:])
		if err != nil {
			return nil, nil, err
		}
		return p, nil, nil
	case shapeMultiPoint:
		const head = 4 + 32 + 4 // type, box, numPoints
		if len(b) < head {
			return nil, nil, fmt.Errorf("%w: multipoint record of %d bytes", ErrTruncated, len(b))
		}
		n := int64(int32(le.Uint32(b[36:])))
		if n < 0 || n > int64(len(b)-head)/16 {
			return nil, nil, fmt.Errorf("%w: %d points do not fit in a record of %d bytes", ErrCorrupt, n, len(b))
		}
		if n == 0 {
			return nil, nil, nil
		}
		mp := make(orb.MultiPoint, n)
		for i := range mp {
			if mp[i], err = readPoint(b[head+16*i:]); err != nil {
				return nil, nil, fmt.Errorf("point %d: %w", i, err)
			}
		}
		return mp, nil, nil
	case shapePolyLine, shapePolygon:
		parts, err := readParts(b)
		if err != nil {
			return nil, nil, err
		}
		if len(parts) == 0 {
			return nil, nil, nil
		}
		if baseType(st) == shapePolyLine {
			if len(parts) == 1 {
				return orb.LineString(parts[0]), nil, nil
			}
			mls := make(orb.MultiLineString, len(parts))
			for i, p := range parts {
				mls[i] = orb.LineString(p)
			}
			return mls, nil, nil
		}
		rings := make([]orb.Ring, len(parts))
		for i, p := range parts {
			rings[i] = orb.Ring(p)
			if len(p) > 0 && p[0] != p[len(p)-1] {
				rings[i] = append(rings[i], p[0]) // GDAL closes them too
			}
		}
		return assemble(rings)
	}
	return nil, nil, fmt.Errorf("%w: %s", ErrShapeType, typeName(st))
}

// typeName names a shape type for messages: "Polygon (5)".
func typeName(t int32) string {
	names := map[int32]string{
		shapeNull: "Null", shapePoint: "Point", shapePolyLine: "PolyLine", shapePolygon: "Polygon",
		shapeMultiPoint: "MultiPoint", shapePointZ: "PointZ", shapePolyLineZ: "PolyLineZ",
		shapePolygonZ: "PolygonZ", shapeMultiPointZ: "MultiPointZ", shapePointM: "PointM",
		shapePolyLineM: "PolyLineM", shapePolygonM: "PolygonM", shapeMultiPointM: "MultiPointM",
		shapeMultiPatch: "MultiPatch",
	}
	if n, ok := names[t]; ok {
		return fmt.Sprintf("%s (%d)", n, t)
	}
	return fmt.Sprintf("unknown shape type %d", t)
}

// readParts reads the parts of a PolyLine or Polygon record: box,
// numParts, numPoints, the parts' first indices and the points.
func readParts(b []byte) ([][]orb.Point, error) {
	const head = 4 + 32 + 4 + 4
	if len(b) < head {
		return nil, fmt.Errorf("%w: record of %d bytes", ErrTruncated, len(b))
	}
	np := int64(int32(le.Uint32(b[36:])))
	n := int64(int32(le.Uint32(b[40:])))
	if np < 0 || n < 0 {
		return nil, fmt.Errorf("%w: %d parts, %d points", ErrCorrupt, np, n)
	}
	if head+4*np+16*n > int64(len(b)) {
		return nil, fmt.Errorf("%w: %d parts and %d points do not fit in a record of %d bytes", ErrCorrupt, np, n, len(b))
	}
	if np == 0 {
		if n != 0 {
			return nil, fmt.Errorf("%w: %d points in no part", ErrCorrupt, n)
		}
		return nil, nil
	}
	starts := make([]int, np+1)
	for i := range np {
		starts[i] = int(int32(le.Uint32(b[head+4*i:])))
	}
	starts[np] = int(n)
	if starts[0] != 0 {
		return nil, fmt.Errorf("%w: first part starts at point %d, not 0", ErrCorrupt, starts[0])
	}
	for i := range np {
		if starts[i+1] < starts[i] || starts[i] > int(n) {
			return nil, fmt.Errorf("%w: part %d starts at point %d, after the next part or the last point", ErrCorrupt, i, starts[i])
		}
	}
	pts := make([]orb.Point, n)
	off := head + 4*int(np)
	for i := range pts {
		p, err := readPoint(b[off+16*i:])
		if err != nil {
			return nil, fmt.Errorf("point %d: %w", i, err)
		}
		pts[i] = p
	}
	parts := make([][]orb.Point, 0, np)
	for i := range np {
		if p := pts[starts[i]:starts[i+1]:starts[i+1]]; len(p) > 0 {
			parts = append(parts, p)
		}
	}
	return parts, nil
}

// A ringInfo is a ring with its signed area (positive counter-clockwise)
// and bound, computed once.
type ringInfo struct {
	r    orb.Ring
	area float64
	b    orb.Bound
}

// signedArea is the shoelace area of a closed ring, positive when
// counter-clockwise, summed relative to the first vertex to limit
// round-off on projected coordinates in the millions.
func signedArea(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	o := r[0]
	var s float64
	for i := 1; i+1 < len(r); i++ {
		ax, ay := r[i][0]-o[0], r[i][1]-o[1]
		bx, by := r[i+1][0]-o[0], r[i+1][1]-o[1]
		s += float64(ax*by) - float64(bx*ay)
	}
	return s / 2
}

// onSegment reports whether p lies on the segment a–b.
func onSegment(p, a, b orb.Point) bool {
	cross := float64((b[0]-a[0])*(p[1]-a[1])) - float64((b[1]-a[1])*(p[0]-a[0]))
	return cross == 0 &&
		p[0] >= math.Min(a[0], b[0]) && p[0] <= math.Max(a[0], b[0]) &&
		p[1] >= math.Min(a[1], b[1]) && p[1] <= math.Max(a[1], b[1])
}

// contains reports whether ring in lies inside ring out, judged by the
// first vertex of in that is not on out's boundary. Rings of a valid
// polygon do not cross, so one vertex decides; a ring all of whose
// vertices lie on out (a duplicate) is not inside it.
func (out *ringInfo) contains(in *ringInfo) bool {
	if !out.b.Contains(in.b.Min) || !out.b.Contains(in.b.Max) {
		return false
	}
next:
	for _, p := range in.r {
		for i := 0; i+1 < len(out.r); i++ {
			if onSegment(p, out.r[i], out.r[i+1]) {
				continue next
			}
		}
		return planar.RingContains(out.r, p)
	}
	return false
}

// assemble builds a Polygon or MultiPolygon from the rings of one ESRI
// Polygon record. ESRI outer rings are clockwise and holes
// counter-clockwise; each hole goes to the smallest outer ring that
// contains it. If some counter-clockwise ring lies in no clockwise one
// (the record was digitised with the other orientation, or mixes both),
// orientation is ignored and rings are nested by containment instead: a
// ring inside an even number of others is an outer ring, else a hole of
// the smallest ring containing it. Either way no ring is lost, and the
// result has RFC 7946 orientation: outer rings counter-clockwise, holes
// clockwise. Zero-area rings are outer rings, left as they are. The
// warning is nil unless orientation was ignored; then it is
// [ErrReversedRings] if every ring was wound against the rule (the
// record written the other way round), errMixedRings if not.
func assemble(rings []orb.Ring) (g orb.Geometry, warn, err error) {
	info := make([]ringInfo, len(rings))
	for i, r := range rings {
		info[i] = ringInfo{r: r, area: signedArea(r), b: r.Bound()}
	}
	parent := make([]int, len(info)) // -1: outer ring
	consistent := true
	for i := range info {
		parent[i] = -1
		if info[i].area <= 0 {
			continue
		}
		best := -1
		for j := range info {
			if info[j].area <= 0 && j != i && info[j].contains(&info[i]) &&
				(best < 0 || -info[j].area < -info[best].area) {
				best = j
			}
		}
		if best < 0 {
			consistent = false
			break
		}
		parent[i] = best
	}
	if !consistent {
		depth := make([]int, len(info))
		smallest := make([]int, len(info))
		for i := range info {
			smallest[i] = -1
			for j := range info {
				if j != i && info[j].contains(&info[i]) {
					depth[i]++
					if smallest[i] < 0 || math.Abs(info[j].area) < math.Abs(info[smallest[i]].area) {
						smallest[i] = j
					}
				}
			}
		}
		for i := range info {
			parent[i] = -1
			// The smallest container of a ring at odd depth is at even
			// depth unless rings overlap; then the ring stays an outer.
			if depth[i]%2 == 1 && depth[smallest[i]]%2 == 0 {
				parent[i] = smallest[i]
			}
		}
		warn = ErrReversedRings
		for i := range info {
			if a := info[i].area; parent[i] < 0 && a < 0 || parent[i] >= 0 && a > 0 {
				warn = errMixedRings
			}
		}
	}
	var mp orb.MultiPolygon
	index := make([]int, len(info)) // outer ring → its polygon in mp
	for i := range info {
		if parent[i] >= 0 {
			continue
		}
		r := info[i].r
		if info[i].area < 0 {
			r.Reverse()
		}
		index[i] = len(mp)
		mp = append(mp, orb.Polygon{r})
	}
	for i := range info {
		if parent[i] < 0 {
			continue
		}
		r := info[i].r
		if info[i].area > 0 {
			r.Reverse()
		}
		k := index[parent[i]]
		mp[k] = append(mp[k], r)
	}
	if len(mp) == 1 {
		return mp[0], warn, nil
	}
	return mp, warn, nil
}
