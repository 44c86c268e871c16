package plan

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gridplan/geo"
	"gridplan/geo/synth"
	"gridplan/partition"
)

// benchCity generates a city of about n buildings into a temporary directory
// and loads it, as partition does.
func benchCity(tb testing.TB, n int, seed uint64) ([]geo.Building, []geo.Region) {
	tb.Helper()
	return benchCityOf(tb, synth.Options{Buildings: n, Seed: seed})
}

// benchCityOf is benchCity for any generator options.
func benchCityOf(tb testing.TB, o synth.Options) ([]geo.Building, []geo.Region) {
	tb.Helper()
	dir := tb.TempDir()
	city, err := synth.Generate(o)
	if err != nil {
		tb.Fatal(err)
	}
	if err := city.Write(dir); err != nil {
		tb.Fatal(err)
	}
	return loadCity(tb, dir)
}

func loadCity(tb testing.TB, dir string) ([]geo.Building, []geo.Region) {
	tb.Helper()
	bf, err := os.Open(filepath.Join(dir, "buildings.geojson"))
	if err != nil {
		tb.Fatal(err)
	}
	defer bf.Close()
	bs, _, err := geo.LoadBuildings("buildings.geojson", bf, geo.DefaultFields())
	if err != nil {
		tb.Fatal(err)
	}
	cf, err := os.Open(filepath.Join(dir, "communities.geojson"))
	if err != nil {
		tb.Fatal(err)
	}
	defer cf.Close()
	rs, _, err := geo.LoadRegions("communities.geojson", cf, "id", geo.DefaultSliverM2)
	if err != nil {
		tb.Fatal(err)
	}
	if _, _, err := geo.AssignCommunities("buildings.geojson", bs, rs, 5, geo.OutsideError, false); err != nil {
		tb.Fatal(err)
	}
	return bs, rs
}

// BenchmarkPartition measures atoms and the planning of every community
// (tessellation, adjacency, search, drawing) on generated cities, and reports plan quality with the speed:
// the share of grids in band, that share in communities without an
// infeasibility diagnosis, and the mean radius of gyration of grids.
// The cities have communities of the default size (about 2,500
// households, 6 grids) and, in the last, of real size (8,000 households,
// about 20 grids).
//
//	go test ./geo/plan -run XXX -bench Partition -benchmem
func BenchmarkPartition(b *testing.B) {
	for _, c := range []struct{ buildings, community int }{{5000, 0}, {60000, 0}, {60000, 8000}} {
		name := fmt.Sprintf("buildings=%d", c.buildings)
		if c.community != 0 {
			name += fmt.Sprintf(",community=%d", c.community)
		}
		b.Run(name, func(b *testing.B) {
			bs, rs := benchCityOf(b, synth.Options{Buildings: c.buildings, Seed: 1, CommunityHouseholds: c.community})
			set := &partition.Settings{Seed: 1}
			var s *Stats
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				d, err := newDistrict(context.Background(), bs, geo.NewProjection(geo.CenterOf(bs)), atomOptions{max: 500, communities: rs, deferAdjacency: true})
				if err != nil {
					b.Fatal(err)
				}
				// As Partition plans: community by community, from the
				// tessellation to the drawn grids.
				res, shapes, err := d.planCommunities(context.Background(), set)
				if err != nil {
					b.Fatal(err)
				}
				codes := make([]string, len(res.Grids))
				for j, g := range res.Grids {
					codes[j] = sepCoding("", 3).code(d.communities[g.Community], g.Seq)
				}
				s = planStats(d, res, shapes, codes, SettingsStats{Min: 300, Target: 400, Max: 500})
			}
			b.StopTimer()
			b.ReportMetric(s.Totals.ShareInBand, "inband-share")
			b.ReportMetric(s.Totals.ShareInBandFeasible, "inband-share-feasible")
			b.ReportMetric(s.Compactness.MeanGyrationM, "gyration-m")
			b.ReportMetric(s.Compactness.MeanPolsbyPopper, "polsby-popper")
			b.ReportMetric(float64(s.Totals.Grids), "grids")
			if math.IsNaN(s.Totals.ShareInBand) {
				b.Fatal("no grids")
			}
		})
	}
}
