package plan

import (
	"context"
	"sync"
	"time"
)

// A Timing records where the time of a run goes: the wall time of each
// phase, and the time the planning phase spends in each community's
// tessellation, search and drawing, summed over the communities (planned
// in parallel, so the sums may exceed the phase's wall time). It is for
// people measuring gridplan on their own layers; the plan never depends
// on it.
type Timing struct {
	mu      sync.Mutex
	phase   string
	started time.Time
	wall    map[string]time.Duration
	work    map[string]time.Duration
}

type timingKey struct{}

// WithTiming returns a context whose runs (Load, Partition, Repartition,
// Check) record their phases into the Timing returned.
func WithTiming(ctx context.Context) (context.Context, *Timing) {
	t := &Timing{wall: map[string]time.Duration{}, work: map[string]time.Duration{}}
	return context.WithValue(ctx, timingKey{}, t), t
}

// TimingOf returns the Timing of ctx (WithTiming), nil if none; the
// methods of a nil Timing do nothing.
func TimingOf(ctx context.Context) *Timing {
	t, _ := ctx.Value(timingKey{}).(*Timing)
	return t
}

// enter ends the phase running and starts phase.
func (t *Timing) enter(phase string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	if t.phase != "" {
		t.wall[t.phase] += now.Sub(t.started)
	}
	t.phase, t.started = phase, now
}

// add counts d of work of the kind named (within a phase).
func (t *Timing) add(kind string, d time.Duration) {
	if t == nil {
		return
	}
	t.mu.Lock()
	t.work[kind] += d
	t.mu.Unlock()
}

// TimingStats is the timing of stats.json, in milliseconds.
type TimingStats struct {
	// PhasesMS is the wall time of each phase, the one running included
	// up to now.
	PhasesMS map[string]int64 `json:"phases_ms"`
	// CommunitiesMS is the time spent in each step of planning a community
	// (tessellation with adjacency, search, drawing with the coverage
	// check), summed over communities planned in parallel.
	CommunitiesMS map[string]int64 `json:"communities_ms,omitempty"`
}

// Stats returns the timing so far, nil for a nil Timing; the phase
// running is ended now, and next begins (it is not in the figures
// returned: cmd/gridplan's encoding, say).
func (t *Timing) Stats(next string) *TimingStats {
	if t == nil {
		return nil
	}
	t.enter(next)
	t.mu.Lock()
	defer t.mu.Unlock()
	s := &TimingStats{PhasesMS: map[string]int64{}}
	for k, d := range t.wall {
		s.PhasesMS[k] = d.Milliseconds()
	}
	if len(t.work) > 0 {
		s.CommunitiesMS = map[string]int64{}
		for k, d := range t.work {
			s.CommunitiesMS[k] = d.Milliseconds()
		}
	}
	return s
}
