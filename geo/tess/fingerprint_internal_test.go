package tess

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"gridplan/geo/geotest"

	"github.com/paulmach/orb"
)

// fingerprintCases are fixed inputs (seeded, whatever -seed says) whose
// tessellations are pinned by hash: any change to the triangulation, the
// vertices, the cells or the traced regions shows up here.
func fingerprintCases() []tessCase {
	r := rand.New(rand.NewPCG(7, 11))
	far := orb.Point{512345.25, 4412345.5}
	near := geotest.Lattice(10, 10, 1, orb.Point{})
	for i := range 10 {
		near = append(near, orb.Point{near[i*7][0] + 1e-9, near[i*7][1]})
	}
	dups := geotest.Lattice(5, 5, 2, orb.Point{})
	dups = append(dups, dups...)
	var foot []orb.Point
	for k := range 400 {
		x, y := far[0]+float64(k%20)*25, far[1]+float64(k/20)*30
		foot = append(foot, Sites(orb.Polygon{geotest.Square(x, y, x+12+float64(k%3), y+9)}, 2)...)
	}
	var footBound orb.Ring
	for _, p := range []orb.Point{{-10, -10}, {520, -15}, {530, 610}, {-5, 620}} {
		footBound = append(footBound, orb.Point{far[0] + p[0], far[1] + p[1]})
	}
	footBound = append(footBound, footBound[0])
	return []tessCase{
		{name: "one", sites: []orb.Point{{5, 5}}},
		{name: "one bound", sites: []orb.Point{{5, 5}}, bound: geotest.Square(0, 0, 10, 10)},
		{name: "two", sites: []orb.Point{{0, 0}, {3, 1}}},
		{name: "three", sites: []orb.Point{{0, 0}, {3, 1}, {1, 4}}},
		{name: "collinear row", sites: geotest.Lattice(20, 1, 1, orb.Point{})},
		{name: "lattice 50x50", sites: geotest.Lattice(50, 50, 1, orb.Point{})},
		{name: "lattice bound", sites: geotest.Lattice(50, 50, 1, orb.Point{}), bound: geotest.Square(-0.5, -0.5, 49.5, 49.5)},
		{name: "lattice far", sites: geotest.Lattice(30, 30, 0.5, far)},
		{name: "near duplicates", sites: near},
		{name: "exact duplicates", sites: dups},
		{name: "random", sites: geotest.RandomPoints(r, 2000, 500, orb.Point{})},
		{name: "random far", sites: geotest.RandomPoints(r, 20000, 3000, far)},
		{name: "random grid", sites: randomGrid(r, 1500)},
		{name: "footprints far", sites: foot},
		{name: "footprints bound", sites: foot, bound: footBound},
		{name: "sites on the bound", sites: geotest.Lattice(11, 11, 1, orb.Point{}), bound: geotest.Square(0, 0, 10, 10)},
		{name: "random triangle bound", sites: geotest.RandomPoints(r, 300, 10, orb.Point{40, 10}),
			bound: orb.Ring{{0, 0}, {100, 0}, {50, 80}, {0, 0}}},
	}
}

func fingerprint(ts *Tessellation, nGroups int) string {
	h := sha256.New()
	ints := func(xs []int) {
		for _, x := range xs {
			binary.Write(h, binary.LittleEndian, int64(x))
		}
		binary.Write(h, binary.LittleEndian, int64(-len(xs)))
	}
	i32 := func(xs []int32) {
		binary.Write(h, binary.LittleEndian, xs)
		binary.Write(h, binary.LittleEndian, int64(-len(xs)))
	}
	pts(h, ts.Sites)
	ints(ts.Unit)
	pts(h, ts.Bound)
	ints(ts.Gen)
	ints(ts.GenUnit)
	pts(h, ts.Del.Points)
	ints(ts.Del.Vertex)
	i32(ts.Del.Triangles)
	i32(ts.Del.Halfedges)
	ints(ts.Del.Hull)
	binary.Write(h, binary.LittleEndian, math.Float64bits(ts.Del.MergeTolM))
	pts(h, ts.Verts)
	for g := range ts.NumGens() {
		ring, nbr := ts.Cell(g)
		i32(ring)
		i32(nbr)
	}
	for _, e := range ts.UnitAdjacency() {
		binary.Write(h, binary.LittleEndian, [3]uint64{uint64(e.A), uint64(e.B), math.Float64bits(e.LengthM)})
	}
	group := make([]int, ts.NUnits)
	for u := range group {
		group[u] = u * 7919 % nGroups
	}
	for _, mp := range ts.Regions(group, nGroups) {
		for _, p := range mp {
			for _, r := range p {
				pts(h, r)
			}
			binary.Write(h, binary.LittleEndian, int64(-1))
		}
		binary.Write(h, binary.LittleEndian, int64(-2))
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:8])
}

func pts(h hash.Hash, ps []orb.Point) {
	for _, p := range ps {
		binary.Write(h, binary.LittleEndian, [2]uint64{math.Float64bits(p[0]), math.Float64bits(p[1])})
	}
	binary.Write(h, binary.LittleEndian, int64(-len(ps)))
}

// TestTessellateFingerprint pins the exact output of Tessellate on fixed
// inputs, for any number of threads and serially: a change that is meant to leave the
// result alone (speed, memory) must keep these hashes.
func TestTessellateFingerprint(t *testing.T) {
	want := map[string]string{
		"collinear row/unit=1":         "e11d556b5b77fdfa",
		"collinear row/unit=7":         "7b7fe42922131121",
		"exact duplicates/unit=1":      "d97411222402fc52",
		"exact duplicates/unit=7":      "8bf82f8cdfad1204",
		"footprints bound/unit=1":      "c77b4b23f1cdd270",
		"footprints bound/unit=7":      "466168e5128f87b2",
		"footprints far/unit=1":        "ac1691e21a44194e",
		"footprints far/unit=7":        "aec8c74a592509c2",
		"lattice 50x50/unit=1":         "dd1b58b4c22cfe23",
		"lattice 50x50/unit=7":         "b5ed99aa68ba0b35",
		"lattice bound/unit=1":         "69bbd45f777bb13b",
		"lattice bound/unit=7":         "819d1e1dec4657d7",
		"lattice far/unit=1":           "1cf6066116f4bd40",
		"lattice far/unit=7":           "81af669061503e1b",
		"near duplicates/unit=1":       "bbc2875b5f090e17",
		"near duplicates/unit=7":       "227f907292666965",
		"one bound/unit=1":             "c46d9f936ed9d6de",
		"one bound/unit=7":             "c46d9f936ed9d6de",
		"one/unit=1":                   "67b7e2794862f81a",
		"one/unit=7":                   "67b7e2794862f81a",
		"random far/unit=1":            "d1755e28517d503e",
		"random far/unit=7":            "2f8f5e103e1d0b58",
		"random grid/unit=1":           "3e13c384fe55b92e",
		"random grid/unit=7":           "7b2b8e2ac9635712",
		"random triangle bound/unit=1": "c97129ba44d38580",
		"random triangle bound/unit=7": "98edc2b29fd86ea1",
		"random/unit=1":                "e73e3767bfa1603f",
		"random/unit=7":                "fdc890b35dce1761",
		"sites on the bound/unit=1":    "6ebfce9e1619c489",
		"sites on the bound/unit=7":    "ff05b65f48669a3f",
		"three/unit=1":                 "d670070c9d2bf80c",
		"three/unit=7":                 "9469cf1396e55437",
		"two/unit=1":                   "06f00b327d58cad0",
		"two/unit=7":                   "6bdd07981d1a970b",
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 3} {
		runtime.GOMAXPROCS(procs)
		for _, c := range fingerprintCases() {
			for _, k := range []int{1, 7} {
				name := fmt.Sprintf("%s/unit=%d", c.name, k)
				unit, nu := unitsOf(len(c.sites), k)
				ts, err := Tessellate(context.Background(), c.sites, unit, nu, c.bound)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				got := fingerprint(ts, 5)
				if w := want[name]; w != got {
					t.Errorf("%s, GOMAXPROCS %d: fingerprint %q, want %q", name, procs, got, w)
				}
				ts, err = tessellate(context.Background(), c.sites, unit, nu, c.bound, true)
				if err != nil {
					t.Fatalf("%s serial: %v", name, err)
				}
				if got, w := fingerprint(ts, 5), want[name]; w != got {
					t.Errorf("%s serial: fingerprint %q, want %q", name, got, w)
				}
			}
		}
	}
}
