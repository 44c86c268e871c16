package geotest

import (
	"os"
	"os/exec"
	"testing"
)

// RequireChromium is the environment variable that makes a missing
// Chromium fail the tests that open report.html in it, instead of skipping
// them. CI installs Debian's chromium and sets it.
const RequireChromium = "GRIDPLAN_REQUIRE_CHROMIUM"

// Artifacts is the environment variable naming a directory into which
// browser tests copy what they rendered (screenshots), for a person to
// look at; unset, nothing is copied.
const Artifacts = "GRIDPLAN_ARTIFACTS"

// Chromium returns the path of a Chromium (or Chrome) binary, the browser
// that renders report.html in the tests: headless, it runs the page's
// script, dumps its DOM and takes screenshots. Without one the test is
// skipped, or fails when RequireChromium is set.
func Chromium(tb testing.TB) string {
	tb.Helper()
	var first error
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		path, err := exec.LookPath(name)
		if err == nil {
			return path
		}
		if first == nil {
			first = err
		}
	}
	if os.Getenv(RequireChromium) != "" {
		tb.Fatalf("chromium is required (%s is set) but not found: %v", RequireChromium, first)
	}
	tb.Skip("chromium not installed (Debian: apt-get install chromium)")
	return ""
}
