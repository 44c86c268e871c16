package shp_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"

	"gridplan/geo/feature"
	"gridplan/geo/shp"
)

// A layer written in GBK, as ArcGIS on a Chinese Windows reads it, and
// read back: the text comes back as UTF-8, the rings in RFC 7946
// orientation.
func Example() {
	dir, err := os.MkdirTemp("", "shp")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	fields := []feature.Field{{Name: "名称", Type: feature.String}, {Name: "hh", Type: feature.Integer}}
	grid := orb.Polygon{{{0, 0}, {100, 0}, {100, 100}, {0, 100}, {0, 0}}}
	files, err := shp.Encode(fields, []feature.Feature{{Geometry: grid, Properties: []feature.Property{
		{Name: "名称", Value: "朝阳社区 第1网格"}, {Name: "hh", Value: int64(412)},
	}}}, shp.WriteOptions{Encoding: "gbk"})
	if err != nil {
		panic(err)
	}
	for ext, b := range files {
		if err := os.WriteFile(filepath.Join(dir, "grids"+ext), b, 0o644); err != nil {
			panic(err)
		}
	}

	r, err := shp.Open(filepath.Join(dir, "grids.shp"), shp.ReadOptions{})
	if err != nil {
		panic(err)
	}
	defer r.Close()
	fmt.Println(r.Encoding(), "from", r.EncodingSource())
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			panic(err)
		}
		fmt.Println(f.Properties[0].Value, f.Properties[1].Value, f.Geometry)
	}
	// Output:
	// gbk from .cpg
	// 朝阳社区 第1网格 412 [[[0 0] [100 0] [100 100] [0 100] [0 0]]]
}
