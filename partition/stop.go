package partition

// Stopping a search whose context is done. The search of a community runs
// through many nested loops and recursions (plans, local search, ejection
// chains, the exhaustive searches); each of them polls the context, and
// poll unwinds the whole community at once with a panic that
// solveUnlessStopped recovers, as encoding/json stops its decoder. The panic
// never leaves the package. Polling only reads the context, so a run that is
// not stopped takes the same steps and gives the same result.

// stopSearch is the panic value of poll.
type stopSearch struct{}

// poll abandons the community being solved if the context is done.
// ctx.Err is one atomic load; loops whose steps take microseconds call
// pollEvery instead.
func (cs *communitySolver) poll() {
	if cs.ctx != nil && cs.ctx.Err() != nil {
		panic(stopSearch{})
	}
}

// pollEvery polls on every 1024th call: the exhaustive searches take
// microseconds a step.
func (cs *communitySolver) pollEvery() {
	cs.polls++
	if cs.polls%1024 == 0 {
		cs.poll()
	}
}

// solveUnlessStopped is solve; ok is false if poll stopped it.
func (cs *communitySolver) solveUnlessStopped() (res communityResult, ok bool) {
	defer func() {
		if v := recover(); v != nil {
			if _, stop := v.(stopSearch); !stop {
				panic(v) // a bug: keep its stack
			}
			ok = false
		}
	}()
	cs.poll()
	return cs.solve(), true
}
