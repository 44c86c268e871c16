package gpkg_test

import (
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"

	"gridplan/geo/feature"
	"gridplan/geo/gpkg"
)

func ExampleEncode() {
	fields := []feature.Field{{Name: "name", Type: feature.String}, {Name: "households", Type: feature.Integer}}
	grids := []feature.Feature{{
		Geometry:   orb.Polygon{{{39500000, 3380000}, {39500300, 3380000}, {39500300, 3380200}, {39500000, 3380000}}},
		Properties: []feature.Property{{Name: "name", Value: "和平社区 网格 1"}, {Name: "households", Value: int64(412)}},
	}}
	// EPSG:4527; the WKT is cut short here.
	srs := gpkg.SRS{Name: "CGCS2000 / 3-degree Gauss-Kruger zone 39", ID: 4527, Organization: "EPSG", OrgID: 4527,
		Definition: `PROJCS["CGCS2000 / 3-degree Gauss-Kruger zone 39", ...]`}
	b, err := gpkg.Encode("grids", fields, grids, srs)
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "grids.gpkg")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		log.Fatal(err)
	}

	layers, err := gpkg.Layers(path)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", layers)
	r, err := gpkg.Open(path, "")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	fmt.Println(r.CRS())
	for {
		f, err := r.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%v, up to %.0f\n", f.Properties, f.Geometry.Bound().Max)
	}
	// Output:
	// [{Name:grids GeometryType:POLYGON SRSID:4527 Features:1}]
	// EPSG:4527
	// [{name 和平社区 网格 1} {households 412}], up to [39500300 3380200]
}
