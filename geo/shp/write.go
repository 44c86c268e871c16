package shp

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"

	"gridplan/geo/feature"
)

// WriteOptions configure [Encode]. The zero value writes UTF-8 text and
// no .prj.
type WriteOptions struct {
	// Encoding is the text encoding of the .dbf: "utf-8" (the default) or
	// "gbk", which ArcGIS on a Chinese Windows reads without a .cpg.
	Encoding string
	// PRJ, if not empty, is written as the .prj: the coordinate system as
	// WKT.
	PRJ string
}

// writeCodec is an encoding the writer offers, with the language driver
// id and the .cpg text that name it. GDAL writes the same .cpg texts
// (ogr2ogr -lco ENCODING=UTF-8 or GBK) but language driver 0 for both;
// 0x4D names GBK to readers that ignore the .cpg (older ArcGIS).
type writeCodec struct {
	codec
	ldid byte
	cpg  string
}

func chooseWriteCodec(name string) (writeCodec, error) {
	c := codecUTF8
	if name != "" {
		var ok bool
		if c, ok = lookupCodec(name); !ok {
			return writeCodec{}, fmt.Errorf("%w: unknown encoding %q", ErrEncoding, name)
		}
	}
	switch c.name {
	case UTF8:
		return writeCodec{codec: c, ldid: 0x00, cpg: "UTF-8"}, nil
	case GBK:
		return writeCodec{codec: c, ldid: 0x4D, cpg: "GBK"}, nil
	}
	return writeCodec{}, fmt.Errorf("%w: writing %s is not supported; use %s or %s", ErrEncoding, c.name, UTF8, GBK)
}

// Encode returns the files of a shapefile holding features, keyed by
// extension: ".shp", ".shx", ".dbf", ".cpg", and ".prj" when opts.PRJ is
// set. The bytes depend on the arguments only.
//
// The features' geometries must all be Polygons and MultiPolygons
// (written as shape type Polygon, outer rings clockwise and holes
// counter-clockwise, as the format requires, rings closed) or all
// Points; a nil geometry is a null shape. A layer with no geometry at
// all is a Polygon layer.
//
// Each feature's properties are the fields' values, in field order:
// nil, or a string (String), an int64 or int (Integer), a float64 or
// int64 (Real), a bool (Bool), a "YYYY-MM-DD" string (Date). The .dbf is
// dBASE III. A field name must fit 10 bytes in the encoding; the caller
// shortens longer names. Column widths are the given [feature.Field]
// Width where it suffices, else what the values need: String up to 254
// bytes (a longer value is an error, never truncated), Integer up to 18
// digits, Real 24 with 15 decimals unless Width and Precision say
// otherwise. An empty string is written as blanks and so read back as
// null, by this package as by GDAL. The header's last-update date is
// [DBFDate], so that equal layers give equal bytes.
//
// Errors are [*Error]s naming the file (".shp", ".dbf") and the feature.
func Encode(fields []feature.Field, features []feature.Feature, opts WriteOptions) (map[string][]byte, error) {
	wc, err := chooseWriteCodec(opts.Encoding)
	if err != nil {
		return nil, &Error{File: ".dbf", Record: NoRecord, Err: err}
	}
	st, err := layerType(features)
	if err != nil {
		return nil, err
	}
	shp, shx, err := encodeShapes(st, features)
	if err != nil {
		return nil, err
	}
	dbf, err := encodeDBF(fields, features, wc)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{".shp": shp, ".shx": shx, ".dbf": dbf, ".cpg": []byte(wc.cpg)}
	if opts.PRJ != "" {
		out[".prj"] = []byte(opts.PRJ)
	}
	return out, nil
}

// layerType is the shape type of a layer of features.
func layerType(features []feature.Feature) (int32, error) {
	st, first := int32(shapeNull), -1
	for i, f := range features {
		var t int32
		switch f.Geometry.(type) {
		case nil:
			continue
		case orb.Polygon, orb.MultiPolygon:
			t = shapePolygon
		case orb.Point:
			t = shapePoint
		default:
			return 0, &Error{File: ".shp", Record: i, Err: fmt.Errorf("%w: %s; only Polygon, MultiPolygon and Point are written",
				ErrShapeType, f.Geometry.GeoJSONType())}
		}
		if first >= 0 && t != st {
			return 0, &Error{File: ".shp", Record: i, Err: fmt.Errorf("%w: a %s in a layer whose feature %d is a %s",
				ErrShapeType, f.Geometry.GeoJSONType(), first, features[first].Geometry.GeoJSONType())}
		}
		st, first = t, i
	}
	if st == shapeNull {
		st = shapePolygon
	}
	return st, nil
}

// encodeShapes returns the .shp and .shx of features in a layer of shape
// type st.
func encodeShapes(st int32, features []feature.Feature) (shp, shx []byte, err error) {
	shp = make([]byte, shpHeaderLen, shpHeaderLen+len(features)*(shpRecHeaderLen+4))
	shx = make([]byte, shpHeaderLen, shpHeaderLen+len(features)*shxEntryLen)
	box := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	var content []byte
	for i, f := range features {
		content = content[:0]
		switch g := f.Geometry.(type) {
		case nil:
			content = le.AppendUint32(content, shapeNull)
		case orb.Point:
			content, err = appendPoint(content, g)
		case orb.Polygon:
			content, err = appendPolygon(content, orb.MultiPolygon{g})
		case orb.MultiPolygon:
			content, err = appendPolygon(content, g)
		}
		if err != nil {
			return nil, nil, &Error{File: ".shp", Record: i, Err: err}
		}
		if b, ok := recordBound(content); ok {
			box = box.Union(b)
		}
		off := len(shp)
		if int64(off)+shpRecHeaderLen+int64(len(content)) > 2*math.MaxInt32 {
			return nil, nil, &Error{File: ".shp", Record: i, Err: fmt.Errorf("%w: the .shp would exceed 4 GiB", ErrTooLarge)}
		}
		shx = be.AppendUint32(shx, uint32(off/2))
		shx = be.AppendUint32(shx, uint32(len(content)/2))
		shp = be.AppendUint32(shp, uint32(i+1)) // record numbers start at 1
		shp = be.AppendUint32(shp, uint32(len(content)/2))
		shp = append(shp, content...)
	}
	if box.Min[0] > box.Max[0] { // no shape: a zero box, as GDAL writes
		box = orb.Bound{}
	}
	putHeader(shp, st, len(shp), box)
	putHeader(shx, st, len(shx), box)
	return shp, shx, nil
}

// recordBound returns the bounding box of a Point or Polygon record's
// content, or false for a null shape.
func recordBound(c []byte) (orb.Bound, bool) {
	f := func(off int) float64 { return math.Float64frombits(le.Uint64(c[off:])) }
	switch int32(le.Uint32(c)) {
	case shapePoint:
		p := orb.Point{f(4), f(12)}
		return orb.Bound{Min: p, Max: p}, true
	case shapePolygon:
		return orb.Bound{Min: orb.Point{f(4), f(12)}, Max: orb.Point{f(20), f(28)}}, true
	}
	return orb.Bound{}, false
}

// putHeader writes the 100-byte header of a .shp or .shx of n bytes.
func putHeader(b []byte, st int32, n int, box orb.Bound) {
	be.PutUint32(b[0:], shpFileCode)
	be.PutUint32(b[24:], uint32(n/2))
	le.PutUint32(b[28:], shpVersion)
	le.PutUint32(b[32:], uint32(st))
	for k, v := range []float64{box.Min[0], box.Min[1], box.Max[0], box.Max[1]} {
		le.PutUint64(b[36+8*k:], math.Float64bits(v))
	}
	// Z and M ranges (bytes 68 to 99) stay zero: the layer is 2-D.
}

func appendXY(b []byte, p orb.Point) ([]byte, error) {
	if math.IsNaN(p[0]) || math.IsInf(p[0], 0) || math.IsNaN(p[1]) || math.IsInf(p[1], 0) {
		return b, fmt.Errorf("%w: non-finite coordinate %v", ErrCorrupt, p)
	}
	b = le.AppendUint64(b, math.Float64bits(p[0]))
	return le.AppendUint64(b, math.Float64bits(p[1])), nil
}

func appendPoint(b []byte, p orb.Point) ([]byte, error) {
	b = le.AppendUint32(b, shapePoint)
	return appendXY(b, p)
}

// appendPolygon appends a Polygon record of the non-empty polygons of
// mp, or a null shape if there are none. Rings are closed and turned to
// the shapefile's orientation on copies; mp is left as it is.
func appendPolygon(b []byte, mp orb.MultiPolygon) ([]byte, error) {
	var rings []orb.Ring
	for _, p := range mp {
		if len(p) == 0 || len(p[0]) == 0 {
			continue
		}
		for j, r := range p {
			if len(r) == 0 {
				continue
			}
			if r[0] != r[len(r)-1] {
				r = append(r[:len(r):len(r)], r[0])
			}
			// ESRI: outer rings clockwise (negative area), holes not.
			if a := signedArea(r); (j == 0 && a > 0) || (j > 0 && a < 0) {
				r = r.Clone()
				r.Reverse()
			}
			rings = append(rings, r)
		}
	}
	if len(rings) == 0 {
		return le.AppendUint32(b, shapeNull), nil
	}
	n := 0
	box := rings[0].Bound()
	for _, r := range rings {
		n += len(r)
		box = box.Union(r.Bound())
	}
	b = le.AppendUint32(b, shapePolygon)
	for _, v := range []float64{box.Min[0], box.Min[1], box.Max[0], box.Max[1]} {
		b = le.AppendUint64(b, math.Float64bits(v))
	}
	b = le.AppendUint32(b, uint32(len(rings)))
	b = le.AppendUint32(b, uint32(n))
	start := 0
	for _, r := range rings {
		b = le.AppendUint32(b, uint32(start))
		start += len(r)
	}
	var err error
	for _, r := range rings {
		for _, p := range r {
			if b, err = appendXY(b, p); err != nil {
				return b, err
			}
		}
	}
	return b, nil
}
