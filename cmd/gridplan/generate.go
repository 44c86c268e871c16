package main

import (
	"fmt"
	"strings"

	"gridplan/geo/crs"
	"gridplan/geo/format"
	"gridplan/geo/synth"

	"github.com/paulmach/orb"
	"github.com/urfave/cli/v2"
)

func generateCommand() *cli.Command {
	return &cli.Command{
		Name:      "generate",
		Usage:     "write a deterministic synthetic district",
		UsageText: "gridplan generate --buildings N --seed S [--community-households H] [--messy LIST] --out DIR",
		Description: "Writes buildings.geojson and communities.geojson to DIR: irregular communities that\n" +
			"tile the district, compounds of 50–1,500 households (some larger than 500, to be\n" +
			"split), standalone towers, bungalow courtyards of 1–3-household houses, street shops,\n" +
			"institutions, and some buildings given only as points. The same N and S always give\n" +
			"the same bytes.\n\n" +
			"--community-households sets the mean size of the communities, 1500 to 12000\n" +
			"households (default 2500, about 150 buildings and 6 grids each, as in Datong).\n" +
			"Larger communities hold more of the same content on a larger area, so that a city\n" +
			"of N buildings has fewer of them: at 8000, about 480 buildings and 20 grids each.\n" +
			"A few communities stay deliberately infeasible (under 300 households, or 501–599)\n" +
			"whatever the size.\n\n" +
			"--messy adds faults of real layers (comma-separated, or all), each to a seeded\n" +
			"share of the features; the same options still give the same bytes:\n" +
			"   spikes            3% of footprints get a spike (A, B 2–5 m out, A)\n" +
			"   pinched           2% get a corner annex, the ring visiting that corner twice\n" +
			"   bowtie            2% have two corners swapped: a self-crossing ring\n" +
			"   clockwise         every ring of both layers clockwise\n" +
			"   duplicates        5% of footprints and communities repeat a vertex\n" +
			"   rowhouses         10% of walk-ups drawn as 2–6 houses sharing whole walls\n" +
			"   podiums           30% of tower compounds: 2–4 towers on a podium footprint\n" +
			"                     (kind shop, 0 households) that contains them\n" +
			"   tileoverlap       3% of footprints overlap a neighbour by 5–50 cm; 0.3%\n" +
			"                     written twice, a few cm apart, under another id\n" +
			"   rounding          a few community outlines get a 3 mm inlet that rounding\n" +
			"                     to 7 decimals closes: the ring touches itself\n" +
			"   nullcommunity     5% of buildings have community null\n" +
			"   dupcommunity      one community written as two features with one id\n" +
			"                     (communities get a name property, the parts two names)\n" +
			"   emptycommunity    a few communities without buildings, one with only\n" +
			"                     shops and institutions (0 households)\n" +
			"   selfintersecting  one community ring with a small bow-tie at a corner\n" +
			"   outside           3–10 buildings 20–100 m outside every community\n" +
			"   straddle          3–10 walk-ups drawn across the border of two communities,\n" +
			"                     15–45% of each in the neighbour\n" +
			"   communitynames    60% of buildings name their community (幸福里社区), not its id\n\n" +
			"--format shp or gpkg, --out-crs and --out-encoding write the layers as GIS offices\n" +
			"hand them over (e.g. a GBK Shapefile in CGCS2000 3° Gauss–Krüger, --out-crs\n" +
			"EPSG:4527 near --center 117,39); a Shapefile holds one geometry type, so there the\n" +
			"buildings given as points are 8 m squares.\n\n" + exitStatusHelp,
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "buildings", Value: 3000, Usage: "about `N` buildings"},
			&cli.Uint64Flag{Name: "seed", Value: 1, Usage: "seed `S`; equal seeds give identical files"},
			&cli.IntFlag{Name: "community-households", Value: synth.DefaultCommunityHouseholds, Usage: "communities of `H` households on average (1500 to 12000)"},
			&cli.StringFlag{Name: "messy", Usage: "add the faults in `LIST` (comma-separated names, or all; see above)"},
			&cli.StringFlag{Name: "out", Value: "gridplan-city", Usage: "write the files to `DIR`, replaced as a whole when the run succeeds: it must be new, empty or hold only buildings and communities layers"},
			&cli.StringFlag{Name: "center", Usage: "centre of the district `LON,LAT` (default 113.30,40.08, Datong)"},
			&cli.StringFlag{Name: "format", Value: "geojson", Usage: "write the layers as `FORMAT` geojson, shp or gpkg"},
			&cli.StringFlag{Name: "out-crs", Usage: "write the layers in coordinate system `CRS` (default EPSG:4326)"},
			&cli.StringFlag{Name: "out-encoding", Value: "utf-8", Usage: "text encoding `NAME` of Shapefiles: utf-8 or gbk"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return fmt.Errorf("generate takes no arguments, got %q (see --help)", c.Args().First())
			}
			n := c.Int("buildings")
			if n < 1 {
				return fmt.Errorf("--buildings must be at least 1, have %d", n)
			}
			hh := c.Int("community-households")
			if hh < synth.MinCommunityHouseholds || hh > synth.MaxCommunityHouseholds {
				return fmt.Errorf("--community-households must be %d to %d, have %d", synth.MinCommunityHouseholds, synth.MaxCommunityHouseholds, hh)
			}
			messy, err := synth.ParseFaults(c.String("messy"))
			if err != nil {
				return fmt.Errorf("--messy: %w (see --help)", err)
			}
			center, err := parseCenter(c.String("center"))
			if err != nil {
				return err
			}
			lio, err := newLayerIO(c, "")
			if err != nil {
				return err
			}
			out, err := openOut(c, append(layerFiles("buildings"), layerFiles("communities")...))
			if err != nil {
				return err
			}
			defer out.Close()
			city, err := synth.Generate(synth.Options{Buildings: n, Seed: c.Uint64("seed"), Messy: messy, CommunityHouseholds: hh, Center: center})
			if err != nil {
				return err
			}
			if w := lio.Layer; w.Kind == format.GeoJSON && w.System == crs.WGS84 {
				err = out.Swap(c.Context, city.Write)
			} else {
				var files []format.File
				if files, err = city.Encode(w); err == nil {
					for _, f := range files {
						out.Add(f.Name, f.Data)
					}
					_, err = out.Commit(c.Context)
				}
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "wrote %d buildings and %d communities to %s\n",
				len(city.Buildings.Features), len(city.Communities.Features), c.String("out"))
			return nil
		},
	}
}

// parseCenter reads --center LON,LAT; "" is the generator's default.
func parseCenter(s string) (orb.Point, error) {
	if s == "" {
		return orb.Point{}, nil
	}
	var p orb.Point
	if _, err := fmt.Sscanf(strings.ReplaceAll(s, " ", ""), "%g,%g", &p[0], &p[1]); err != nil {
		return p, fmt.Errorf("--center must be LON,LAT in degrees, have %q", s)
	}
	return p, nil
}
