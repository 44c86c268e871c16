package main

import (
	"os"
	"path/filepath"

	"gridplan/cmd/gridplan/internal/outset"

	"github.com/urfave/cli/v2"
)

// The files each command writes. An existing --out may hold only the files
// of the command writing into it (and the metadata file browsers leave),
// because the output directory is replaced as a whole.
var (
	planFiles  = []string{"grids.geojson", "assignment.csv", "stats.json", "changes.csv", "moves.csv", "outside.csv"}
	checkFiles = []string{"findings.json", "findings.geojson"}
)

// openOut opens --out for a command writing the files own, whose inputs
// are its arguments and the file flags named.
func openOut(c *cli.Context, own []string, inputFlags ...string) (*outset.Set, error) {
	ins := c.Args().Slice()
	for _, f := range inputFlags {
		v := c.String(f)
		ins = append(ins, v)
		if fi, err := os.Stat(v); err == nil && fi.IsDir() { // an earlier plan
			ins = append(ins, filepath.Join(v, "assignment.csv"), filepath.Join(v, "grids.geojson"))
		}
	}
	return outset.Open(c.String("out"), own, ins, c.App.ErrWriter)
}
