// Package outset writes the output set of a gridplan run as a whole: into a
// fresh sibling directory, swapped in with one rename, under a lock that
// keeps a second run out, never over an input (SPEC §5).
package outset

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// browserFiles are the metadata files file browsers leave, allowed in an
// existing output directory beside the command's own.
var browserFiles = []string{".DS_Store", "Thumbs.db", "desktop.ini"}

// StaleLockAge is how old a lock must be to be taken over when whether its
// process still runs cannot be told (on Windows).
const StaleLockAge = 24 * time.Hour

// Rename is os.Rename; tests make it fail.
var Rename = os.Rename

// StageHook, if not nil, is called as each file of the output set is
// written ("writing") and as the swap begins ("swapping"); tests cancel a
// run there.
var StageHook func(stage string)

// Stage reports a stage of the run to StageHook.
func Stage(name string) {
	if StageHook != nil {
		StageHook(name)
	}
}

// An Set is the output set of a run. It is written into a fresh
// sibling directory <out>.tmp-<hex> and swapped in with one rename, the
// earlier set moved aside to <out>.old-<hex> until the swap succeeded, so
// --out always holds one whole set: the earlier or the new. <out>.lock keeps
// a second run out meanwhile.
type Set struct {
	dir    string   // as given: the printed paths are joined to it
	path   string   // absolute, symlinks resolved: the directory swapped
	own    []string // the names the command writes
	lock   string   // path of the lock file, "" once released
	since  time.Time
	made   []string // parent directories created for the lock, deepest first
	done   bool     // the new set is in place
	files  []outFile
	stderr io.Writer
	// Progress, if not nil, is told the bytes written of the files added,
	// as Commit begins and after each file.
	Progress func(done, total int)
}

type outFile struct {
	name string
	data []byte
}

// Open locks dir for a command writing the files own and refuses it,
// before any work is done, if it is not a directory, holds one of the input
// files or directories, or holds files the command does not write. The
// caller must call close.
func Open(dir string, own []string, inputs []string, stderr io.Writer) (o *Set, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real // swap the directory a link points to, not the link
	}
	if filepath.Dir(abs) == abs {
		return nil, fmt.Errorf("--out %s is a root directory; gridplan replaces its output directory as a whole: name a directory of its own", dir)
	}
	if wd, err := os.Getwd(); err == nil && holds(abs, wd) {
		return nil, fmt.Errorf("--out %s is or holds the current directory; gridplan replaces its output directory as a whole: name a directory of its own", dir)
	}
	o = &Set{dir: dir, path: abs, own: own, stderr: stderr}
	defer func() {
		if err != nil {
			o.Close()
		}
	}()
	for p := filepath.Dir(abs); ; p = filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil || filepath.Dir(p) == p {
			break
		}
		o.made = append(o.made, p)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return o, fmt.Errorf("output directory %s: %w", dir, err)
	}
	if err := o.acquire(); err != nil {
		return o, err
	}
	o.cleanStale()
	fi, err := os.Stat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return o, nil
	}
	if err != nil {
		return o, fmt.Errorf("output directory %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return o, fmt.Errorf("--out %s is not a directory", dir)
	}
	for _, in := range inputs {
		if in == "" {
			continue
		}
		if holds(abs, in) || o.sameAsOutput(in) {
			return o, fmt.Errorf("--out %s is or holds the input %s, and gridplan replaces its output directory as a whole: write to another directory", dir, in)
		}
	}
	return o, o.checkForeign()
}

// holds reports whether directory dir is path or one of its ancestors,
// comparing files, not names (links, case-insensitive file systems).
func holds(dir, path string) bool {
	di, err := os.Stat(dir)
	if err != nil {
		return false
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	path, _ = filepath.Abs(path)
	for {
		if fi, err := os.Stat(path); err == nil && os.SameFile(di, fi) {
			return true
		}
		parent := filepath.Dir(path)
		if parent == path {
			return false
		}
		path = parent
	}
}

// sameAsOutput reports whether in is (a hard link of) one of the files the
// command writes in the output directory.
func (o *Set) sameAsOutput(in string) bool {
	ii, err := os.Stat(in)
	if err != nil {
		return false
	}
	for _, name := range o.own {
		if fi, err := os.Stat(filepath.Join(o.path, name)); err == nil && os.SameFile(ii, fi) {
			return true
		}
	}
	return false
}

// checkForeign refuses an output directory holding anything but regular
// files the command writes: replacing the directory would delete it.
func (o *Set) checkForeign() error {
	es, err := os.ReadDir(o.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output directory %s: %w", o.dir, err)
	}
	var foreign []string
	for _, e := range es {
		if !e.Type().IsRegular() || !slices.Contains(o.own, e.Name()) && !slices.Contains(browserFiles, e.Name()) {
			foreign = append(foreign, e.Name())
		}
	}
	if len(foreign) == 0 {
		return nil
	}
	const maxListed = 5
	if n := len(foreign) - maxListed; n > 0 {
		foreign = append(foreign[:maxListed], fmt.Sprintf("and %d more", n))
	}
	return fmt.Errorf("--out %s holds files gridplan does not write there (%s); gridplan replaces its output directory as a whole, so it must be new, empty or hold only %s: write to another directory",
		o.dir, strings.Join(foreign, ", "), strings.Join(o.own, ", "))
}

func (o *Set) Add(name string, data []byte) {
	o.files = append(o.files, outFile{name, data})
}

// Commit writes the files added and swaps them in; it returns their paths.
// Until the swap begins, a done ctx stops it with ctx.Err(), the new set
// removed; once begun, the swap completes.
func (o *Set) Commit(ctx context.Context) ([]string, error) {
	total := 0
	for _, f := range o.files {
		total += len(f.data)
	}
	return o.CommitEach(ctx, total, func(put func(name string, data []byte) error) ([]string, error) {
		var names []string
		for _, f := range o.files {
			if err := put(f.name, f.data); err != nil {
				return nil, err
			}
			names = append(names, f.name)
		}
		return names, nil
	})
}

// CommitEach is Commit for files handed over as they are made: fill calls
// put for each file, from any goroutine (put is safe for concurrent use),
// and returns their names in the order to list them; total, if known (else
// 0), is their size for Progress, which is told done out of total as each
// file is written and, if total was 0, done out of done at the end. The files of Add are
// not written.
func (o *Set) CommitEach(ctx context.Context, total int, fill func(put func(name string, data []byte) error) ([]string, error)) ([]string, error) {
	var mu sync.Mutex
	done := 0
	var names []string
	err := o.Swap(ctx, func(dir string) error {
		if o.Progress != nil {
			o.Progress(0, total)
		}
		var err error
		defer func() {
			if err == nil && o.Progress != nil && total == 0 {
				o.Progress(done, done) // the end, its size now known
			}
		}()
		names, err = fill(func(name string, data []byte) error {
			Stage("writing")
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := writeFile(dir, name, filepath.Join(o.dir, name), data); err != nil {
				return err
			}
			if o.Progress != nil {
				mu.Lock()
				defer mu.Unlock()
				done += len(data)
				o.Progress(done, total)
			}
			return nil
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(names))
	for i, name := range names {
		paths[i] = filepath.Join(o.dir, name)
	}
	return paths, nil
}

// Swap has write fill a fresh sibling directory, then puts it in place of
// the output directory, keeping the earlier one until that succeeded. If
// ctx is done before the first rename, the new set is removed and the
// earlier one stays; after it, both renames are made, so that an
// interrupt never leaves the output directory missing or mixed.
func (o *Set) Swap(ctx context.Context, write func(dir string) error) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	tmp := o.sibling("tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return fmt.Errorf("output directory %s: %w", o.dir, err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	syncDir(tmp)
	Stage("swapping")
	if err := ctx.Err(); err != nil {
		return err
	}
	old := ""
	if fi, err := os.Stat(o.path); err == nil {
		if err := o.checkForeign(); err != nil { // files may have come since the start
			return err
		}
		os.Chmod(tmp, fi.Mode().Perm())
		old = o.sibling("old")
		if err := Rename(o.path, old); err != nil {
			return fmt.Errorf("replace %s: %w", o.dir, err)
		}
	}
	if err := Rename(tmp, o.path); err != nil {
		if old != "" {
			if rerr := Rename(old, o.path); rerr != nil {
				return fmt.Errorf("replace %s: %w; the earlier output is in %s", o.dir, err, old)
			}
		}
		return fmt.Errorf("replace %s: %w", o.dir, err)
	}
	o.done = true
	syncDir(filepath.Dir(o.path))
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			fmt.Fprintf(o.stderr, "gridplan: warning: could not remove the earlier output %s: %v\n", old, err)
		}
	}
	return nil
}

// sibling returns a new name <out>.<kind>-<16 hex digits> beside the output
// directory.
func (o *Set) sibling(kind string) string {
	return fmt.Sprintf("%s.%s-%016x", o.path, kind, rand.Uint64())
}

// syncDir makes the names in dir durable where the system allows (not on
// Windows, which need not).
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

// close releases the lock and removes the parent directories created for it
// if nothing was written.
func (o *Set) Close() {
	if o.lock != "" {
		os.Remove(o.lock)
		o.lock = ""
	}
	if !o.done {
		for _, p := range o.made {
			os.Remove(p) // only if empty
		}
	}
}

// cleanStale removes what a killed run left beside the output directory
// before this run took the lock: new sets not swapped in, and earlier sets
// not removed, one of which is put back if the run died between the renames.
func (o *Set) cleanStale() {
	es, _ := os.ReadDir(filepath.Dir(o.path))
	stale := regexp.MustCompile(`^` + regexp.QuoteMeta(filepath.Base(o.path)) + `\.(tmp|old)-[0-9a-f]{16}$`)
	var tmps, olds []fs.FileInfo
	for _, e := range es {
		if !e.IsDir() || !stale.MatchString(e.Name()) {
			continue // by name first: the parent may hold thousands of entries
		}
		fi, err := e.Info()
		if err != nil || fi.ModTime().After(o.since) {
			continue
		}
		if strings.Contains(e.Name(), ".old-") {
			olds = append(olds, fi)
		} else {
			tmps = append(tmps, fi)
		}
	}
	parent := filepath.Dir(o.path)
	if _, err := os.Lstat(o.path); errors.Is(err, fs.ErrNotExist) && len(olds) > 0 {
		slices.SortFunc(olds, func(a, b fs.FileInfo) int { return b.ModTime().Compare(a.ModTime()) })
		if Rename(filepath.Join(parent, olds[0].Name()), o.path) == nil {
			fmt.Fprintf(o.stderr, "gridplan: warning: put back the earlier output %s, left as %s by an interrupted run\n", o.dir, olds[0].Name())
			olds = olds[1:]
		}
	}
	for _, fi := range append(tmps, olds...) {
		os.RemoveAll(filepath.Join(parent, fi.Name()))
	}
}

// acquire creates the lock file <out>.lock holding the pid and start time of
// this run, taking over the lock of a run that is gone.
func (o *Set) acquire() error {
	name := o.path + ".lock"
	for range 3 {
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, err = fmt.Fprintf(f, "pid %d\nsince %s\n", os.Getpid(), time.Now().Format(time.RFC3339))
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(name)
				return fmt.Errorf("lock %s: %w", name, err)
			}
			o.lock, o.since = name, time.Now()
			return nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("output directory %s: cannot create its lock: %w", o.dir, err)
		}
		data, err := os.ReadFile(name)
		if errors.Is(err, fs.ErrNotExist) {
			continue // released meanwhile
		}
		var pid int
		var sinceText string
		fmt.Sscanf(string(data), "pid %d\nsince %s\n", &pid, &sinceText)
		since, perr := time.Parse(time.RFC3339, sinceText)
		if perr != nil { // being written, or damaged: its age decides
			if fi, err := os.Stat(name); err == nil {
				since = fi.ModTime()
			}
		}
		alive, known := running(pid)
		if alive || !known && time.Since(since) < StaleLockAge {
			who := fmt.Sprintf("pid %d", pid)
			if perr != nil {
				who = "lock being written"
			}
			return fmt.Errorf("another gridplan run is writing %s (%s since %s); if none is, remove %s", o.dir, who, since.Format(time.RFC3339), name)
		}
		fmt.Fprintf(o.stderr, "gridplan: warning: taking over the lock %s of pid %d (since %s), which is no longer running\n", name, pid, since.Format(time.RFC3339))
		// Remove only the lock judged stale, not one another run has just
		// taken over (a narrow race remains between reading and removing).
		if cur, err := os.ReadFile(name); err == nil && bytes.Equal(cur, data) {
			os.Remove(name)
		}
	}
	return fmt.Errorf("output directory %s: could not take its lock %s", o.dir, name)
}

// running reports whether process pid runs, and whether that could be told:
// Unix answers signal 0; Windows does not, and then a lock's age decides.
func running(pid int) (alive, known bool) {
	if pid <= 0 {
		return false, false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false, false
	}
	defer p.Release()
	switch err := p.Signal(syscall.Signal(0)); {
	case err == nil, errors.Is(err, syscall.EPERM): // EPERM: another user's
		return true, true
	case errors.Is(err, os.ErrProcessDone):
		return false, true
	}
	return false, false
}

// writeFile writes data to dir/name, synced; show names the file in errors.
func writeFile(dir, name, show string, data []byte) error {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("write %s: %w", show, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644) // whatever the umask: results are for sharing
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", show, err)
	}
	return nil
}
