package main

import (
	"gridplan/geo/plan"

	"github.com/urfave/cli/v2"
)

// layerFlags are the flags of the formats and coordinate systems of the
// layers read and written.
func layerFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "crs", Usage: "coordinate system `CRS` of the input layers: EPSG:4326, EPSG:4490, a CGCS2000 Gauss–Krüger EPSG code (4491–4554), UTM, EPSG:3857, gcj02 or bd09; it overrides what a file states (with a warning); FILE=CRS,… names it for some files only; default: what each file states, else EPSG:4326"},
		&cli.StringFlag{Name: "out-crs", Usage: "write the layers in coordinate system `CRS` (default: that of the main input layer)"},
		&cli.StringFlag{Name: "format", Usage: "write the grid (or findings) layer as `FORMAT` geojson, shp or gpkg (default: the format of the main input layer)"},
		&cli.StringFlag{Name: "encoding", Usage: "text encoding `NAME` of Shapefile .dbf files (gbk, utf-8, …) whose .cpg and language driver name none; default: UTF-8 if valid, else GBK"},
		&cli.StringFlag{Name: "out-encoding", Value: "utf-8", Usage: "text encoding `NAME` of a Shapefile written: utf-8 or gbk (a .cpg names it)"},
	}
}

// newLayerIO reads the layer flags; main is the layer whose format and
// system the outputs take.
func newLayerIO(c *cli.Context, main string) (*plan.LayerIO, error) {
	return plan.NewLayerIO(c.Context, main, plan.LayerOptions{
		CRS: c.String("crs"), OutCRS: c.String("out-crs"), Format: c.String("format"),
		Encoding: c.String("encoding"), OutEncoding: c.String("out-encoding"), Bend: c.Command.Name == "check",
		IDFields: [2]string{c.String("id-field"), c.String("region-id-field")}, Outlines: c.String("communities"),
	})
}
