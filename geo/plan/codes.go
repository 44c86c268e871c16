package plan

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gridplan/partition"
)

// A coding writes and reads grid codes: the community code, the separator
// and the grid's sequence number in width digits (CJ/T 349-2010 layout).
type coding struct {
	sep   string
	width int
}

// code is the code of grid seq of community.
func (c coding) code(community string, seq int) string {
	if community == "" {
		return fmt.Sprintf("%0*d", c.width, seq)
	}
	return fmt.Sprintf("%s%s%0*d", community, c.sep, c.width, seq)
}

// seq reads the sequence number of a code of community, whatever its width.
func (c coding) seq(code, community string) (int, bool) {
	rest, ok := strings.CutPrefix(code, community+c.sep)
	if !ok || rest == "" {
		return 0, false
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	seq, err := strconv.Atoi(rest)
	return seq, err == nil
}

// errCodes is wrapped by the error of grid codes that cannot be issued.
var errCodes = errors.New("grid codes")

// digits returns the number of decimal digits of n > 0.
func digits(n int) int { return len(strconv.Itoa(n)) }

// check returns an error, before anything is drawn or written, if the
// codes of a plan's grids cannot be told apart. grids are the grids (by
// community), communities the community codes, codes their codes, fresh
// whether each code is issued now (a repartition keeps the others as
// they were).
//
// A code is the community code, the separator and the sequence number in
// width digits, so two codes of the same length have community codes of
// the same length, and differ unless they are the same code: codes are
// unique as long as every number fits the width. A number that does not
// fit makes the code one digit longer, and it may read as another
// community's (with width 1, grid 11 of C1 and grid 1 of C11 are both
// C111; with --code-sep "" the community codes run into the digits).
// So each community whose numbers do not fit is named, with the width it
// needs. Any code given to two grids all the same (a repartition keeps
// earlier codes, written with another width or separator) is refused too.
func (c coding) check(grids []partition.Grid, communities, codes []string, fresh []bool) error {
	type need struct{ grids, top int }
	var order []int
	needs := map[int]*need{}
	for i, g := range grids {
		n := needs[g.Community]
		if n == nil {
			n = &need{}
			needs[g.Community] = n
			order = append(order, g.Community)
		}
		n.grids++
		if fresh[i] {
			n.top = max(n.top, g.Seq)
		}
	}
	var narrow []string
	widest := 0
	for _, ci := range order {
		n := needs[ci]
		if n.top == 0 || digits(n.top) <= c.width {
			continue
		}
		widest = max(widest, digits(n.top))
		if n.top == n.grids {
			narrow = append(narrow, fmt.Sprintf("community %q has %d grids", communities[ci], n.grids))
		} else {
			narrow = append(narrow, fmt.Sprintf("community %q needs grid number %d (it has %d grids; the numbers of earlier and retired grids are not issued again)", communities[ci], n.top, n.grids))
		}
	}
	if len(narrow) > 0 {
		return fmt.Errorf("%w: --code-width %d holds grid numbers up to %d, but %s; a longer number could read as another community's code (with width 1, grid 11 of C1 and grid 1 of C11 are both C111): use --code-width %d",
			errCodes, c.width, maxSeq(c.width), some(narrow), widest)
	}
	first := make(map[string]int, len(codes))
	var dups []string
	for i, code := range codes {
		j, dup := first[code]
		if !dup {
			first[code] = i
			continue
		}
		dups = append(dups, fmt.Sprintf("%q for grid %d of community %q and grid %d of community %q",
			code, grids[j].Seq, communities[grids[j].Community], grids[i].Seq, communities[grids[i].Community]))
	}
	if len(dups) > 0 {
		return fmt.Errorf("%w: %d codes would be given to two grids: %s; a community code followed by digits reads as another's: use a separator that no community code holds, e.g. --code-sep -",
			errCodes, len(dups), some(dups))
	}
	return nil
}

// maxSeq is the largest sequence number of width digits.
func maxSeq(width int) int {
	n := 1
	for range width {
		n *= 10
	}
	return n - 1
}
