package parallel

import "context"

// PollEvery is the number of steps between two looks at the context by a
// [Poll]: a few milliseconds of the cheapest loops (a microsecond a step),
// so a done context stops them within that, while the look, one atomic
// load, is lost among the steps.
const PollEvery = 4096

// A Poll looks at a context once every [PollEvery] steps of a loop, for
// loops of millions of cheap steps; loops whose steps take milliseconds
// call ctx.Err at every step instead. Polling only reads the context, so a
// loop that is not stopped takes the same steps. A Poll belongs to one
// goroutine: each worker of a parallel loop makes its own.
type Poll struct {
	ctx context.Context
	n   int
}

// NewPoll returns a Poll of ctx.
func NewPoll(ctx context.Context) Poll { return Poll{ctx: ctx} }

// Stop counts a step and reports whether the context is done, looking at
// it on every PollEvery-th step; between looks it reports false. A loop
// returns at the first true, and its caller returns ctx.Err(), which stays
// non-nil once set.
func (p *Poll) Stop() bool {
	p.n++
	if p.n < PollEvery {
		return false
	}
	p.n = 0
	return p.ctx.Err() != nil
}

// RangesContext is [Ranges] with a Poll for each range, until ctx is done:
// f should return when its Poll stops it. It returns ctx.Err().
func RangesContext(ctx context.Context, n int, f func(lo, hi int, p *Poll)) error {
	Ranges(n, func(lo, hi int) {
		p := NewPoll(ctx)
		f(lo, hi, &p)
	})
	return ctx.Err()
}
