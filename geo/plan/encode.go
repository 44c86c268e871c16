package plan

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
)

// assignmentCSV writes building_id,grid_code,community rows in input order.
func assignmentCSV(rows [][3]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"building_id", "grid_code", "community"})
	for _, r := range rows {
		w.Write(r[:])
	}
	w.Flush()
	return b.Bytes()
}

// marshalJSON renders v with two-space indentation and a final newline.
func marshalJSON(v any) []byte {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		// Only plain structs, maps with string keys and finite numbers are
		// marshalled here; an error is a programming error.
		panic(fmt.Sprintf("gridplan: marshal: %v", err))
	}
	return append(data, '\n')
}
