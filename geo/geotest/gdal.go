package geotest

import (
	"os"
	"os/exec"
	"testing"
)

// RequireGDAL is the environment variable that makes a missing GDAL tool
// fail the tests that use it as an oracle, instead of skipping them. CI
// installs Debian's gdal-bin and sets it.
const RequireGDAL = "GRIDPLAN_REQUIRE_GDAL"

// GDAL returns the path of the GDAL command-line tool name (ogrinfo,
// ogr2ogr, gdalsrsinfo, gdaltransform), the independent reader that QGIS
// uses, for a test that checks gridplan's files against it. Without the
// tool the test is skipped, or fails when RequireGDAL is set.
func GDAL(tb testing.TB, name string) string {
	tb.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv(RequireGDAL) != "" {
		tb.Fatalf("%s is required (%s is set) but not found: %v", name, RequireGDAL, err)
	}
	tb.Skipf("%s not installed (Debian: apt-get install gdal-bin)", name)
	return ""
}
