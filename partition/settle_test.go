package partition_test

import (
	"context"
	"testing"

	"gridplan/partition"
	"gridplan/partition/parttest"
)

// TestSettleProves holds two communities of generated cities that no plan
// puts in band, which the search once left unproven, to a proof.
//
// walled-C007 (2,000 buildings, seed 84024, 5,000 households a community,
// podiums and rowhouses): three towers of one compound (176, 218 and 165
// households) that reach, through empty shops, only compounds of 396 to
// 407 households, with which none of them can share a grid: a closed set
// of 559 households, which no whole number of grids fits.
//
// unrealised-C009 (8,000 buildings, seed 75749, 5,000 households a
// community, every fault of real layers): the exhaustive search weighs
// every plan of the relaxation within its budget, and deciding whether
// empty atoms can join them up took more branches than a search is given
// while the realisation branched on the lowest empty atom next to a grid's
// first piece; branching on one on the way to the rest, it proves at once
// that none can.
//
// elsewhere-C021 (4,000 buildings, seed 59250, 1,500 households a
// community, no communities layer): a compound of 520 households, which
// no whole number of grids of its own fits, and a proof around another
// compound that no plan is all in band. The grid out of band that holds
// some of the 520 is explained by the proof, not by the compound, whose
// diagnosis proves nothing alone.
//
// sides-C085 (8,000 buildings, seed 60481, 1,500 households a community,
// no communities layer): a compound of 367 households cuts 26 buildings of
// another compound off from four units (101, 119, 250 and 156) that make
// no grids in band by themselves; whatever part of them joins the 367's
// grid takes it over 500, or leaves a rest that cannot make grids in band.
// The exhaustive search would need 25 million candidate grids.
//
// realise-C031 (8,000 buildings, seed 89933, 2,500 households a community,
// null, doubled and empty communities): 12 units with households among 36
// empty atoms. The relaxation has plans, none of which the empty atoms can
// join up; deciding that took a million branches when the realisation
// branched on the lowest empty atom next to a grid's first piece, and
// takes a few hundred when it branches on one on the way to the rest.
func TestSettleProves(t *testing.T) {
	for _, file := range []string{"testdata/walled-C007.json", "testdata/unrealised-C009.json", "testdata/elsewhere-C021.json", "testdata/sides-C085.json", "testdata/realise-C031.json"} {
		t.Run(file, func(t *testing.T) {
			p, c := loadNearMiss(t, file)
			s := &partition.Settings{Seed: 1}
			res, err := partition.SolveCommunity(context.Background(), p, c, s)
			if err != nil {
				t.Fatal(err)
			}
			parttest.CheckResult(t, p, s, res)
			if len(res.Diagnoses) == 0 {
				t.Fatal("no diagnosis: the community has no plan in band")
			}
			out := 0
			for _, g := range res.Grids {
				if g.Status != partition.OK {
					out++
				}
			}
			if out == 0 {
				t.Error("every grid in band: the community has no such plan")
			}
			for _, d := range res.Diagnoses {
				if !d.Proven {
					t.Errorf("%s %v: %s: not proven", d.Reason, d.Units, d.Detail)
				}
			}
		})
	}
}
