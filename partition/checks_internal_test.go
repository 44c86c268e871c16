package partition

import "testing"

// The white-box tests check the plans they build with package parttest,
// which imports partition and so cannot be imported here. The black-box
// tests, in package partition_test of the same test binary, install its
// checks with UseChecks before any test runs (see parttest_test.go).
var (
	partsCheck  func(t testing.TB, p Problem, nodes []int, parts [][]int) bool
	inBandCheck func(t testing.TB, p Problem, s *Settings, parts [][]int) bool
)

// UseChecks installs parttest.CheckParts and parttest.CheckPartsInBand for
// the white-box tests.
func UseChecks(parts func(t testing.TB, p Problem, nodes []int, parts [][]int) bool, inBand func(t testing.TB, p Problem, s *Settings, parts [][]int) bool) {
	partsCheck, inBandCheck = parts, inBand
}

// checkParts fails the test unless parts partition the nodes of cs into
// connected parts (parttest.CheckParts), each in the band of cs if inBand
// is set (parttest.CheckPartsInBand). what names the case that failed.
func checkParts(t *testing.T, what string, cs *communitySolver, nodes []int, parts [][]int, inBand bool) {
	t.Helper()
	if partsCheck == nil || inBandCheck == nil {
		t.Fatal("parttest's checks are not installed (see UseChecks)")
	}
	global := make([]int, len(nodes))
	for i, v := range nodes {
		global[i] = cs.global[v]
	}
	globalParts := make([][]int, len(parts))
	for i, part := range parts {
		for _, v := range part {
			globalParts[i] = append(globalParts[i], cs.global[v])
		}
	}
	ok := partsCheck(t, *cs.p, global, globalParts)
	if inBand {
		ok = inBandCheck(t, *cs.p, cs.set, globalParts) && ok
	}
	if !ok {
		t.Fatalf("%s: parts %v of nodes %v", what, parts, nodes)
	}
}
