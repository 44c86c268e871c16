package partition_test

import (
	"gridplan/partition"
	"gridplan/partition/parttest"
)

// The white-box tests check their plans with parttest too.
func init() { partition.UseChecks(parttest.CheckParts, parttest.CheckPartsInBand) }
