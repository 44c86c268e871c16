package plan_test

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gridplan/geo"
	"gridplan/geo/geotest"
	"gridplan/geo/plan"
)

// browserWindow is the window the pages are rendered in: a laptop screen.
const browserWindow = "--window-size=1400,1000"

// browserTimeout bounds one run of the browser (it takes about a second).
const browserTimeout = 2 * time.Minute

// chromium runs the headless browser on url with args and returns its
// standard output.
func chromium(t *testing.T, bin, url string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	args = append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", browserWindow,
		"--user-data-dir=" + t.TempDir()}, append(args, url)...)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", bin, strings.Join(args, " "), err, stderr.String())
	}
	return out
}

var (
	domReady  = regexp.MustCompile(`<html[^>]* data-ready="1"`)
	domErrors = regexp.MustCompile(`data-errors="([^"]*)"`)
	domRect   = regexp.MustCompile(`data-map-rect="(\d+) (\d+) (\d+) (\d+)"`)
)

// pageRan opens the page and checks that its script ran to the end without
// an error and drew its maps; it returns the overview map's place in the
// window.
func pageRan(t *testing.T, bin, url string, maps int) image.Rectangle {
	t.Helper()
	dom := string(chromium(t, bin, url, "--dump-dom"))
	if m := domErrors.FindStringSubmatch(dom); m != nil {
		t.Errorf("%s: the page's script failed: %s", url, m[1])
	}
	if !domReady.MatchString(dom) {
		t.Fatalf("%s: the page's script did not finish (no data-ready)", url)
	}
	if !strings.Contains(dom, fmt.Sprintf(`data-maps="%d"`, maps)) {
		t.Errorf("%s: want %d maps set up", url, maps)
	}
	m := domRect.FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("%s: no data-map-rect", url)
	}
	v := make([]int, 4)
	for i := range v {
		v[i], _ = strconv.Atoi(m[i+1])
	}
	return image.Rect(v[0], v[1], v[0]+v[2], v[1]+v[3])
}

// screenshot renders url to a PNG in dir and decodes it.
func screenshot(t *testing.T, bin, url, path string) image.Image {
	t.Helper()
	chromium(t, bin, url, "--screenshot="+path)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if a := os.Getenv(geotest.Artifacts); a != "" {
		if err := os.MkdirAll(a, 0o755); err == nil {
			data, _ := os.ReadFile(path)
			os.WriteFile(filepath.Join(a, filepath.Base(path)), data, 0o644)
		}
	}
	return img
}

// near reports whether c is within tol of each channel of want.
func near(c color.Color, want [3]uint8, tol int) bool {
	r, g, b, _ := c.RGBA()
	d := func(x uint32, w uint8) int { return abs(int(x>>8) - int(w)) }
	return d(r, want[0]) <= tol && d(g, want[1]) <= tol && d(b, want[2]) <= tol
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// census counts, in r of img, the pixels that are not near any of bg and
// those near each of the colours.
func census(img image.Image, r image.Rectangle, bg [][3]uint8, colours ...[3]uint8) (drawn int, of []int) {
	of = make([]int, len(colours))
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.At(x, y)
			isBG := false
			for _, b := range bg {
				isBG = isBG || near(c, b, 6)
			}
			if !isBG {
				drawn++
			}
			for i, w := range colours {
				if near(c, w, 24) {
					of[i]++
				}
			}
		}
	}
	return drawn, of
}

// Colours of page.css: backgrounds, the community boundary, the outline
// of grids out of band, buildings on atlas pages.
var (
	pageBackgrounds = [][3]uint8{{0xff, 0xff, 0xff}, {0xf3, 0xf5, 0xf8}, {0xfb, 0xfb, 0xf8}}
	communityInk    = [3]uint8{0x1d, 0x27, 0x33}
	outOfBandInk    = [3]uint8{0xd7, 0x26, 0x3d}
	buildingInk     = [3]uint8{0x55, 0x5b, 0x64}
)

// TestReportInChromium opens the sample's report in a real browser
// (headless Chromium): the page's script runs without error, and the
// overview map and an atlas page are drawn, grids filled and outlined.
// With GRIDPLAN_ARTIFACTS set the screenshots are copied there.
func TestReportInChromium(t *testing.T) {
	bin := geotest.Chromium(t)
	dir := t.TempDir()
	b, c := sampleInputs(t, dir)
	p := partitionFiles(t, b, c, filepath.Join(dir, "plan"))
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte(mustReport(t, p)), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + path
	box := pageRan(t, bin, url, 1)
	if box.Dx() < 400 || box.Dy() < 300 {
		t.Fatalf("the overview map takes %v of the window", box)
	}
	img := screenshot(t, bin, url, filepath.Join(dir, "report-overview.png"))
	drawn, of := census(img, box, pageBackgrounds, communityInk, outOfBandInk)
	area := box.Dx() * box.Dy()
	t.Logf("overview map %v: %d of %d pixels drawn, %d community boundary, %d out-of-band outline", box, drawn, area, of[0], of[1])
	if drawn < area/3 {
		t.Errorf("the overview map has %d of %d pixels drawn, want a third at least", drawn, area)
	}
	if of[0] < 1000 || of[1] < 100 {
		t.Errorf("the overview map has %d pixels of community boundaries and %d of out-of-band outlines, want 1000 and 100", of[0], of[1])
	}
	// The first atlas page alone, as printed.
	img = screenshot(t, bin, url+"#only-atlas-0", filepath.Join(dir, "report-atlas.png"))
	page := image.Rect(0, 60, 700, 700) // the map, 182 × 168 mm at 96 dpi, under the heading
	drawn, of = census(img, page, pageBackgrounds, communityInk, buildingInk)
	t.Logf("atlas map: %d of %d pixels drawn, %d community boundary, %d buildings", drawn, page.Dx()*page.Dy(), of[0], of[1])
	if drawn < page.Dx()*page.Dy()/3 || of[0] < 500 || of[1] < 500 {
		t.Errorf("the atlas page's map has %d pixels drawn, %d of the community boundary and %d of buildings", drawn, of[0], of[1])
	}
}

// TestReportScriptsInChromium: the script of a repartition's and of a
// check's report runs without error, with their second map.
func TestReportScriptsInChromium(t *testing.T) {
	bin := geotest.Chromium(t)
	dir := t.TempDir()
	b, c := sampleInputs(t, dir)
	out := filepath.Join(dir, "plan")
	partitionFiles(t, b, c, out)
	prev, err := plan.LoadPrevious(context.Background(), out, nil)
	if err != nil {
		t.Fatal(err)
	}
	update := func(bs []geo.Building) error {
		for i := range bs {
			if i%4 == 0 {
				bs[i].Households += bs[i].Households / 2
			}
		}
		return nil
	}
	in, err := plan.Load(context.Background(), plan.Layers{Buildings: plan.File(b), Communities: plan.File(c)}, reportOptions(), update)
	if err != nil {
		t.Fatal(err)
	}
	r, err := plan.Repartition(context.Background(), prev, in, reportOptions())
	if err != nil {
		t.Fatal(err)
	}
	o := &plan.CheckOptions{Min: 300, Max: 500, Fields: geo.DefaultFields(), RegionIDField: "id", CodeField: "code", SliverToleranceM2: 50, SnapM: 5}
	rep, err := plan.Check(context.Background(), plan.CheckLayers{Grids: plan.File(filepath.Join(out, "grids.geojson")), Buildings: plan.File(b), Communities: plan.File(c)}, o)
	if err != nil {
		t.Fatal(err)
	}
	for name, page := range map[string]string{"repartition": mustReport(t, r), "check": mustReport(t, rep)} {
		path := filepath.Join(dir, name+".html")
		if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		pageRan(t, bin, "file://"+path, 2)
		// The change map or the findings map alone.
		section := map[string]string{"repartition": "changes", "check": "findings"}[name]
		img := screenshot(t, bin, "file://"+path+"#only-"+section, filepath.Join(dir, "report-"+name+".png"))
		window := image.Rect(0, 0, 1000, 700)
		if drawn, of := census(img, window, pageBackgrounds, communityInk); drawn < window.Dx()*window.Dy()/3 || of[0] < 1000 {
			t.Errorf("%s: the %s map has %d pixels drawn, %d of community boundaries", name, section, drawn, of[0])
		}
	}
}
