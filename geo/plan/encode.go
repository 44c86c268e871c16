package plan

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
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

// outsideCSV is outside.csv: the buildings left out of the plan because
// they lie outside every community (--outside skip), with their
// representative point, the distance to the nearest community and its id.
func outsideCSV(rows []outsideRow) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"building_id", "lon", "lat", "distance_m", "nearest_community"})
	for _, r := range rows {
		w.Write([]string{r.id, strconv.FormatFloat(r.lon, 'f', 7, 64), strconv.FormatFloat(r.lat, 'f', 7, 64),
			strconv.FormatFloat(r.distanceM, 'f', 1, 64), r.nearest})
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
