package main

import (
	"fmt"
	"io"
	"time"

	"gridplan/cmd/gridplan/internal/progress"
	"gridplan/geo"
	"gridplan/geo/plan"

	"github.com/urfave/cli/v2"
)

func repartitionCommand() *cli.Command {
	return &cli.Command{
		Name:      "repartition",
		Usage:     "redraw an earlier plan after a census update, changing as little as possible",
		UsageText: "gridplan repartition --previous DIR --buildings FILE [--households CSV] --out DIR [flags]",
		Description: "Reads an earlier plan (--previous: a partition or repartition output directory, or a\n" +
			"bare assignment CSV building_id,grid_code,community), the current buildings and,\n" +
			"optionally, a table of updated household counts (--households: CSV id,households).\n" +
			"An earlier grid that is still connected, still whole within one community, keeps its\n" +
			"compounds whole and is still in [--min, --max] (counting new buildings that join it)\n" +
			"is kept with its code and polygon, less any demolished buildings (its polygon is\n" +
			"redrawn only where a building added across its boundary forces it). The other grids\n" +
			"are split, merged or redrawn with the kept grids around them fixed: a piece that\n" +
			"cannot be planned in band alone moves a few buildings across its boundary with a\n" +
			"neighbouring grid, or is redrawn with the smallest neighbour that makes it work, or\n" +
			"else takes in one more neighbour and tries again, so changes spread only as far as\n" +
			"needed. Where no plan in band exists, the earlier plan stays unless a new one lowers\n" +
			"the households out of band by more than --min/20. A new building joins the earlier\n" +
			"grid whose polygon holds it while that stays in band.\n" +
			"Kept grids keep their codes, and so does a grid whose boundary only moved: one that\n" +
			"holds at least 3/4 of an earlier grid's households, 3/4 of its own coming from there\n" +
			"(it shed or took in a building or two). Other grids take the next sequence numbers\n" +
			"of their community, never a code of the earlier plan. Writes everything partition\n" +
			"writes, and\n" +
			"   changes.csv     old_code,new_codes,class,households_before,households_after: one\n" +
			"                   row per earlier grid (U unchanged, S split, M merged, X redrawn or\n" +
			"                   demolished; an X grid that continues keeps its code; after: the\n" +
			"                   new grids', so a merged grid's in each row) and one per new grid\n" +
			"                   drawn from new buildings only\n" +
			"   moves.csv       building_id,old_grid,new_grid for every building whose grid\n" +
			"                   changed, was added (old_grid empty) or removed (new_grid empty)\n" +
			"and a change summary in stats.json (\"changes\") and on stdout. Unchanged input gives\n" +
			"the earlier assignment.csv and grid layer byte for byte.\n\n" +
			"The first row of --households is a header only if it names the columns (id, building_id\n" +
			"or 楼栋编码, households or 户数, or the --id-field and --households-field names).\n" +
			"Bad rows (unknown or duplicate ids, counts that are not whole numbers, negative or\n" +
			"over 100000, bytes that are neither UTF-8 nor GBK) are bad input, each named by its line.\n" +
			"An earlier plan must be whole: in a directory, assignment.csv, the grid layer and\n" +
			"stats.json must agree on the grids and the buildings in each; every row of\n" +
			"assignment.csv has 3 fields, no building is there twice, and the file ends with a\n" +
			"line break. An assignment.csv given alone is checked alone, with a warning.\n\n" + exitStatusHelp,
		Flags: append(append([]cli.Flag{
			&cli.StringFlag{Name: "previous", Usage: "earlier plan: an output `DIR` of partition or repartition, or an assignment CSV (required)"},
			&cli.StringFlag{Name: "buildings", Usage: "current buildings from `FILE` (GeoJSON, Shapefile or GeoPackage, as for partition) (required)"},
			&cli.StringFlag{Name: "households", Usage: "updated household counts from `CSV` (rows id,households, or any columns under a header naming those two; comma, ; or TAB separated; UTF-8, GBK or UTF-16), overriding the buildings file"},
		}, planFlags()...), append(fieldFlags(), layerFlags()...)...),
		Action: runRepartition,
	}
}

func runRepartition(c *cli.Context) error {
	start := time.Now()
	if c.NArg() > 0 {
		return fmt.Errorf("repartition takes no arguments, got %q (see --help)", c.Args().First())
	}
	if err := requireFlags(c, "previous", "buildings"); err != nil {
		return err
	}
	o, err := planSettings(c)
	if err != nil {
		return err
	}
	out, err := openOut(c, planFiles, "previous", "buildings", "households", "communities", "compounds", "barriers")
	if err != nil {
		return err
	}
	defer out.Close()
	lio, err := newLayerIO(c, c.String("buildings"))
	if err != nil {
		return refused(c.App.Writer, c.Bool("json"), err)
	}
	o.Out, o.Layer = lio.Out, lio.Layer
	meter(c).Begin(progress.Previous)
	prev, err := plan.LoadPrevious(c.Context, c.String("previous"), lio.Previous)
	if err != nil {
		return err
	}
	if u := prev.Unchecked(); u != "" {
		fmt.Fprintf(c.App.ErrWriter, "gridplan: warning: --previous %s: %s\n", c.String("previous"), u)
	}
	var adjust func([]geo.Building) error
	if f := c.String("households"); f != "" {
		meter(c).Begin(progress.Households)
		table, err := plan.LoadHouseholds(c.Context, f, o.Fields)
		if table == nil {
			return err
		}
		// Bad rows are reported by Apply, with the ids no building has.
		printWarnings(c.App.ErrWriter, table.Warnings(), "")
		adjust = table.Apply
	}
	ls, err := layers(c, lio, c.String("buildings"))
	if err != nil {
		return refused(c.App.Writer, c.Bool("json"), err)
	}
	in, err := plan.Load(c.Context, ls, o, adjust)
	if err != nil {
		return refused(c.App.Writer, c.Bool("json"), lio.Explain(err))
	}
	tuneGCFor(in.Buildings())
	p, err := plan.Repartition(c.Context, prev, in, o)
	if err != nil {
		return err
	}
	if err := writePlan(c, out, p, start, func(w io.Writer) { printChanges(w, p.Stats.Changes) }); err != nil {
		return err
	}
	if c.Bool("strict") {
		return strictCheck(p)
	}
	return nil
}

// printChanges writes the change summary of a repartition.
func printChanges(w io.Writer, ch *plan.ChangeStats) {
	fmt.Fprintf(w, "\nchanges from %s: %d of %d grids unchanged (%.1f%%); split %d, merged %d, redrawn %d, emptied %d (no building left); %d new grid codes\n",
		ch.Previous, ch.Classes["U"], ch.PreviousGrids, 100*ch.UnchangedShare, ch.Classes["S"], ch.Classes["M"], ch.Classes["X"]-ch.Emptied, ch.Emptied, ch.NewGrids)
	fmt.Fprintf(w, "grid code changed: %d of %d buildings (%.2f%%), %d of %d households (%.2f%%); %d buildings added, %d removed\n",
		ch.BuildingsMoved, ch.Buildings, 100*ch.BuildingsMovedShare, ch.HouseholdsMoved, ch.Households, 100*ch.HouseholdsMovedShare, ch.BuildingsAdded, ch.BuildingsRemoved)
	fmt.Fprintf(w, "households regrouped (not in the grid that continues theirs): %d (%.2f%%)\n", ch.HouseholdsRegrouped, 100*ch.HouseholdsRegroupedShare)
}
