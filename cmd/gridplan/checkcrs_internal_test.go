package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo/audit"
	"gridplan/geo/plan"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/project"
)

// genCity generates a city with the generate flags args and returns its
// buildings and communities layers.
func genCity(t *testing.T, args ...string) (buildings, communities string) {
	t.Helper()
	city := filepath.Join(t.TempDir(), "city")
	if code, _, stderr := gridplan(t, append(append([]string{"generate"}, args...), "--out", city)...); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	return filepath.Join(city, "buildings.geojson"), filepath.Join(city, "communities.geojson")
}

// planTo partitions buildings in communities with the flags args and
// returns the plan's directory.
func planTo(t *testing.T, buildings, communities string, args ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "plan")
	args = append(append([]string{"partition", "--no-report", "--communities", communities, "--out", out}, args...), buildings)
	if code, _, stderr := gridplan(t, args...); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	return out
}

// checkJSON runs check --json with args and returns its report and exit
// status.
func checkJSON(t *testing.T, args ...string) (plan.CheckReport, int) {
	t.Helper()
	code, stdout, stderr := gridplan(t, append([]string{"check", "--json"}, args...)...)
	var r plan.CheckReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("check --json %v: exit %d, %v\n%s", args, code, err, stderr)
	}
	return r, code
}

// editLayer reads the GeoJSON layer at path, lets edit change it and
// writes it to a new file, whose path it returns.
func editLayer(t *testing.T, path string, edit func(*geojson.FeatureCollection)) string {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	fc, err := geojson.UnmarshalFeatureCollection(data)
	must(t, err)
	edit(fc)
	data, err = fc.MarshalJSON()
	must(t, err)
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	must(t, os.WriteFile(out, data, 0o644))
	return out
}

// onlyOutOfBand fails t for every finding of r but a grid out of band.
func onlyOutOfBand(t *testing.T, r plan.CheckReport, what string) {
	t.Helper()
	for _, f := range r.Findings {
		if f.Kind != audit.FindingOutOfBand {
			t.Errorf("%s: finding %s %v %s", what, f.Kind, f.Grids, f.Detail)
		}
	}
}

// TestCheckPlanInAnotherSystem: a plan written in Gauss–Krüger (--out-crs
// EPSG:4527) from layers in longitude/latitude, or from buildings in
// Gauss–Krüger with communities in longitude/latitude, passes check
// against those layers: its edges along the outline are straight in metres
// and the outline's in degrees, millimetres apart over hundreds of metres,
// which check must not take for gaps or grids beyond their community.
func TestCheckPlanInAnotherSystem(t *testing.T) {
	dir := t.TempDir()
	ll, gk := filepath.Join(dir, "ll"), filepath.Join(dir, "gk")
	for _, args := range [][]string{
		{"--out", ll},
		{"--out", gk, "--format", "shp", "--out-crs", "EPSG:4527"},
	} {
		args = append([]string{"generate", "--buildings", "300", "--seed", "5", "--center", "116.9,36.65"}, args...)
		if code, _, stderr := gridplan(t, args...); code != 0 {
			t.Fatalf("generate: exit %d\n%s", code, stderr)
		}
	}
	llB, llC, gkB := filepath.Join(ll, "buildings.geojson"), filepath.Join(ll, "communities.geojson"), filepath.Join(gk, "buildings.shp")
	for _, tc := range []struct {
		name, buildings, grids string
		extra                  []string
	}{
		{"lon/lat in, Gauss–Krüger out", llB, "grids.geojson", []string{"--out-crs", "EPSG:4527"}},
		{"Gauss–Krüger buildings, lon/lat communities", gkB, "grids.shp", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := planTo(t, tc.buildings, llC, tc.extra...)
			r, _ := checkJSON(t, "--grids", filepath.Join(out, tc.grids), "--buildings", tc.buildings, "--communities", llC)
			if r.Totals.Households == 0 {
				t.Fatal("check read no households")
			}
			onlyOutOfBand(t, r, "partition's plan")
		})
	}
}

// TestCheckStraddlingPlan: walk-ups drawn across the border of two
// communities (--messy straddle) are held by a grid of their community as
// far as it reaches; check names them as the load does
// (across_community_boundary), and finds no building straddling grids.
func TestCheckStraddlingPlan(t *testing.T) {
	b, c := genCity(t, "--buildings", "1500", "--seed", "3", "--messy", "straddle")
	out := planTo(t, b, c)
	r, _ := checkJSON(t, "--grids", filepath.Join(out, "grids.geojson"), "--buildings", b, "--communities", c)
	across := 0
	for _, w := range r.Warnings {
		if w.Kind == "across_community_boundary" {
			across++
		}
	}
	if across < 3 {
		t.Errorf("%d across_community_boundary warnings, want the 3 or more straddling walk-ups", across)
	}
	onlyOutOfBand(t, r, "partition's plan")
}

// TestCheckOutsideSkip: a plan made with --outside skip leaves buildings
// outside every community out; check --outside skip leaves them out of
// the audit too, and without it names each as a building in no grid. A
// plan made with --outside nearest passes check --outside nearest.
func TestCheckOutsideSkip(t *testing.T) {
	b, c := genCity(t, "--buildings", "1500", "--seed", "4", "--messy", "outside")
	out := planTo(t, b, c, "--outside", "skip")
	for _, mode := range []string{"audit", "skip"} {
		r, _ := checkJSON(t, "--outside", mode, "--grids", filepath.Join(out, "grids.geojson"), "--buildings", b, "--communities", c)
		uncovered := 0
		for _, f := range r.Findings {
			switch f.Kind {
			case audit.FindingOutOfBand:
			case audit.FindingUncoveredBuilding:
				uncovered++
			default:
				t.Errorf("--outside %s: finding %s %v %s", mode, f.Kind, f.Grids, f.Detail)
			}
		}
		if (mode == "skip") != (uncovered == 0) || (mode == "audit" && uncovered < 3) {
			t.Errorf("--outside %s: %d buildings in no grid", mode, uncovered)
		}
	}
	if code, _, stderr := gridplan(t, "check", "--outside", "error", "--grids", filepath.Join(out, "grids.geojson"), "--buildings", b); code != 2 || !strings.Contains(stderr, "--outside must be audit, skip or nearest") {
		t.Errorf("--outside error: exit %d\n%s", code, stderr)
	}

	// Joined to the nearest community, which partition extends to hold
	// them: check --outside nearest extends it alike.
	near := planTo(t, b, c, "--outside", "nearest")
	r, _ := checkJSON(t, "--outside", "nearest", "--grids", filepath.Join(near, "grids.geojson"), "--buildings", b, "--communities", c)
	extended := 0
	for _, w := range r.Warnings {
		if w.Kind == "community_extended" {
			extended++
		}
	}
	if extended == 0 {
		t.Error("check --outside nearest extended no community")
	}
	onlyOutOfBand(t, r, "--outside nearest")
}

// TestCheckRoundedGrids: a plan's grid layer written again with its
// coordinates rounded to 7 decimals (ogr2ogr -lco RFC7946=YES does) meets
// the communities to a centimetre; check finds nothing but the grids out
// of band, as on the layer as written.
func TestCheckRoundedGrids(t *testing.T) {
	b, c := genCity(t, "--buildings", "1500", "--seed", "3")
	out := planTo(t, b, c)
	round := func(p orb.Point) orb.Point {
		return orb.Point{math.Round(p[0]*1e7) / 1e7, math.Round(p[1]*1e7) / 1e7}
	}
	moved := 0
	grids := editLayer(t, filepath.Join(out, "grids.geojson"), func(fc *geojson.FeatureCollection) {
		for _, f := range fc.Features {
			f.Geometry = project.Geometry(f.Geometry, func(p orb.Point) orb.Point {
				q := round(p)
				if q != p {
					moved++
				}
				return q
			})
		}
	})
	if moved == 0 {
		t.Fatal("rounding moved no vertex")
	}
	r, _ := checkJSON(t, "--grids", grids, "--buildings", b, "--communities", c)
	onlyOutOfBand(t, r, "the rounded plan")
}

// TestCheckBadCodes: a grid layer edited by hand, one grid given another's
// code and one's code cleared, is audited all the same: each is a bad_code
// finding, and the rest is checked as before.
func TestCheckBadCodes(t *testing.T) {
	b, c := genCity(t, "--buildings", "1500", "--seed", "3")
	out := planTo(t, b, c)
	n := 0
	grids := editLayer(t, filepath.Join(out, "grids.geojson"), func(fc *geojson.FeatureCollection) {
		if n = len(fc.Features); n < 3 {
			t.Fatal("too few grids")
		}
		fc.Features[1].Properties["code"] = fc.Features[0].Properties["code"]
		fc.Features[2].Properties["code"] = ""
	})
	r, code := checkJSON(t, "--grids", grids, "--buildings", b, "--communities", c)
	bad := 0
	for _, f := range r.Findings {
		switch f.Kind {
		case audit.FindingBadCode:
			bad++
		case audit.FindingOutOfBand:
		default:
			t.Errorf("finding %s %v %s", f.Kind, f.Grids, f.Detail)
		}
	}
	if bad != 2 || code != 1 || len(r.Grids) != n {
		t.Errorf("exit %d, %d bad_code findings, %d grids audited; want 1, 2 and all %d", code, bad, len(r.Grids), n)
	}
}

// TestCheckMultipartBuilding: a building drawn in two parts far apart (a
// MultiPolygon) holds its grid in two pieces; check says so, and that no
// redrawing can fix it.
func TestCheckMultipartBuilding(t *testing.T) {
	b, c := genCity(t, "--buildings", "1500", "--seed", "3")
	b = editLayer(t, b, func(fc *geojson.FeatureCollection) {
		// Two polygon footprints of one community, a few hundred metres apart:
		// the first becomes a MultiPolygon of both, the second goes.
		var first, far int = -1, -1
		for i, f := range fc.Features {
			p, ok := f.Geometry.(orb.Polygon)
			if !ok || f.Properties["community"] != fc.Features[0].Properties["community"] {
				continue
			}
			if first < 0 {
				first = i
				continue
			}
			q := fc.Features[first].Geometry.(orb.Polygon)
			if d := math.Hypot((p[0][0][0]-q[0][0][0])*85000, (p[0][0][1]-q[0][0][1])*111000); d > 250 {
				far = i
				break
			}
		}
		if first < 0 || far < 0 {
			t.Fatal("no two footprints far apart in one community")
		}
		fc.Features[first].Geometry = orb.MultiPolygon{fc.Features[first].Geometry.(orb.Polygon), fc.Features[far].Geometry.(orb.Polygon)}
		fc.Features = append(fc.Features[:far], fc.Features[far+1:]...)
	})
	out := planTo(t, b, c)
	r, _ := checkJSON(t, "--grids", filepath.Join(out, "grids.geojson"), "--buildings", b, "--communities", c)
	multipart := 0
	for _, f := range r.Findings {
		switch f.Kind {
		case audit.FindingOutOfBand:
		case audit.FindingMultipart:
			multipart++
			if f.Fixable || f.Reason != audit.ReasonMultipartBuilding {
				t.Errorf("multipart %v: fixable %v, reason %q; want not fixable, %s", f.Grids, f.Fixable, f.Reason, audit.ReasonMultipartBuilding)
			}
		default:
			t.Errorf("finding %s %v %s", f.Kind, f.Grids, f.Detail)
		}
	}
	if multipart != 1 {
		t.Errorf("%d multipart findings, want the grid of the building in two parts", multipart)
	}
}
