package plan

import (
	"fmt"
	"strconv"
	"strings"
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
