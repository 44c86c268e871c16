package main

import (
	"os"
	"path/filepath"
	"strings"

	"gridplan/cmd/gridplan/internal/outset"
	"gridplan/geo/format"

	"github.com/urfave/cli/v2"
)

// The files each command writes. An existing --out may hold only the files
// of the command writing into it (and the metadata file browsers leave),
// because the output directory is replaced as a whole.
var (
	planFiles  = append(layerFiles("grids"), "assignment.csv", "stats.json", "changes.csv", "moves.csv", "outside.csv", "report.html")
	checkFiles = append(layerFiles("findings"), "findings.json", "report.html")
)

// openOut opens --out for a command writing the files own, whose inputs
// are its arguments and the file flags named.
func openOut(c *cli.Context, own []string, inputFlags ...string) (*outset.Set, error) {
	var ins []string
	for _, v := range c.Args().Slice() {
		ins = append(ins, inputFiles(v)...)
	}
	for _, f := range inputFlags {
		v := c.String(f)
		ins = append(ins, inputFiles(v)...)
		if fi, err := os.Stat(v); err == nil && fi.IsDir() { // an earlier plan
			ins = append(ins, filepath.Join(v, "assignment.csv"))
			for _, g := range layerFiles("grids") {
				ins = append(ins, filepath.Join(v, g))
			}
		}
	}
	return outset.Open(c.String("out"), own, ins, c.App.ErrWriter)
}

// layerFiles are the files a layer named base may be written as: GeoJSON,
// the files of a Shapefile, or a GeoPackage; and the indexes and metadata
// QGIS and ArcGIS leave beside them, replaced with the layer.
func layerFiles(base string) []string {
	var fs []string
	for _, ext := range []string{".geojson", ".shp", ".shx", ".dbf", ".prj", ".cpg", ".gpkg", ".qix", ".sbn", ".sbx", ".shp.xml", ".aux.xml", ".qmd"} {
		fs = append(fs, base+ext)
	}
	return fs
}

// inputFiles are the files an input layer name stands for: the file (a
// GeoPackage's, without the layer), and a Shapefile's companions.
func inputFiles(name string) []string {
	file, _ := format.SplitLayer(name)
	fs := []string{file}
	if strings.EqualFold(filepath.Ext(file), ".shp") {
		stem := strings.TrimSuffix(file, filepath.Ext(file))
		for _, ext := range []string{".shx", ".dbf", ".prj", ".cpg"} {
			fs = append(fs, stem+ext)
		}
	}
	return fs
}
