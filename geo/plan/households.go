package plan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gridplan/geo"
)

// Households is a --households table: counts by building id, and the line
// of each id for error messages.
type Households struct {
	file   string
	counts map[string]int
	line   map[string]int
	order  []string
	// asRead holds an id as the table gives it where that has spaces
	// around it: a building's id may (ids are kept exactly as read).
	asRead map[string]string
	// bad are the rows that could not be read, reported with the ids
	// no building has (Apply).
	bad []LineError
	// warnings is the warning of a table read as GBK, if it was.
	warnings []geo.Warning
}

// Warnings returns the warnings of reading the table: one if it was not
// UTF-8 and was read as GBK.
func (t *Households) Warnings() []geo.Warning { return t.warnings }

// errUnknownID is reported by [Households.Apply] for an id that no
// building has.
var errUnknownID = errors.New("no building of the buildings layer has this id (check --id-field)")

// LoadHouseholds reads a census update's household counts: a CSV table of
// rows id,households under an optional header. The first row that is not
// blank is a header only if it names the count column (households, 户数 or
// f.Households, any case). A header of two columns may name the id column
// by any name (楼栋编码,户数, say); a header that names the id column too
// (id, building_id, 楼栋编码 or f.ID) may have other columns, in any
// order, which are ignored. Without a header every row is id,households.
// Fields are separated by commas, or by TABs or semicolons where the
// first line has those and no comma (see [separator]). Rows whose fields
// are all blank (a spreadsheet's cleared rows) are skipped. Counts are
// read as in the buildings layer ([geo.ParseHouseholds]). The table is
// UTF-8, with or without a byte order mark, or GBK (read with a warning,
// see [Households.Warnings]). Every bad row (not the fields of the
// header, or not two without one, an empty id, a bad count, an id seen
// before, bytes that are neither UTF-8 nor GBK) is an error naming its
// line: a [*TableError] lists them all. With that error the table of the
// good rows is returned too, so that [Households.Apply] can report the bad
// rows together with the ids no building has, all in one run; a table
// without a good row is returned as nil. Once ctx is done it returns
// ctx.Err(), even while it waits for a named pipe's writer.
func LoadHouseholds(ctx context.Context, path string, f geo.Fields) (*Households, error) {
	data, err := geo.ReadFileContext(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("--households: %w", err)
	}
	return readHouseholds(path, data, f)
}

// workbook names the kind of spreadsheet workbook data is, by its first
// bytes: "" for none.
func workbook(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return ".xlsx, a zip archive"
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return ".xls"
	}
	return ""
}

// readHouseholds reads the household table data of file (LoadHouseholds).
func readHouseholds(file string, data []byte, f geo.Fields) (*Households, error) {
	if kind := workbook(data); kind != "" {
		return nil, fmt.Errorf("%s: an Excel workbook (%s), not a CSV table: save the sheet as CSV (CSV UTF-8, or Unicode Text) with the building id and household columns", file, kind)
	}
	t := &Households{file: file, counts: map[string]int{}, line: map[string]int{}}
	bad := &badLines{file: file}
	rows := 0
	// Without a header rows are id,households. The row that may be a
	// header is the first, but for blank ones.
	cols, top, badHeader := householdColumns{id: 0, count: 1, width: 2}, 0, false
	t.warnings = readRows(data, bad, true, func(n, line int, row []string) {
		if badHeader {
			return // the rows under a header that cannot be read
		}
		if blank(row) {
			if n == top {
				top++
			}
			return // a row that carries nothing
		}
		rows++
		if n == top {
			c, ok, err := headerColumns(row, f)
			if err != nil {
				bad.add(line, "", err)
				badHeader = true
				return
			}
			if ok {
				cols = c
				return
			}
		}
		if len(row) != cols.width {
			bad.add(line, "", cols.widthError(len(row)))
			return
		}
		raw := row[cols.id]
		id, s := strings.TrimSpace(raw), strings.TrimSpace(row[cols.count])
		if id == "" {
			bad.add(line, "", errors.New("empty building id"))
			return
		}
		count, err := geo.ParseHouseholds("households", s)
		if err != nil {
			bad.add(line, id, err)
			return
		}
		if first, dup := t.line[id]; dup {
			bad.add(line, id, fmt.Errorf("%w: the id is on line %d too", geo.ErrDuplicateID, first))
			return
		}
		t.counts[id], t.line[id] = count, line
		t.order = append(t.order, id)
		if raw != id {
			if t.asRead == nil {
				t.asRead = map[string]string{}
			}
			t.asRead[id] = raw
		}
	})
	err := bad.err()
	if len(t.order) == 0 {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%s: no rows of id,households (%d %s read)", file, rows, map[bool]string{true: "row", false: "rows"}[rows == 1])
	}
	t.bad = bad.lines
	return t, err
}

// householdColumns are the columns of a household table: the fields of
// the id and of the count, and how many fields a row has.
type householdColumns struct {
	id, count, width int
}

// widthError is the error of a row of n fields.
func (c householdColumns) widthError(n int) error {
	switch {
	case c.width != 2:
		return fmt.Errorf("want %d fields, as the header has, have %d", c.width, n)
	case n > 2:
		return fmt.Errorf("want 2 fields (id,households), have %d; other columns need a header row that names the id and households columns", n)
	}
	return fmt.Errorf("want 2 fields (id,households), have %d", n)
}

// headerColumns returns the columns a header row names, with ok set, if
// row is a header: if it names the count column (households, 户数 or
// f.Households). Two columns are id,households, the id by any name (楼栋编码),
// or households,id where the id is named; more columns must name the id
// column (id, building_id, 楼栋编码 or f.ID). A header naming a column
// twice, or naming the count column and no id column, is an error.
func headerColumns(row []string, f geo.Fields) (c householdColumns, ok bool, err error) {
	d := geo.DefaultFields()
	if len(row) == 2 && names(row[1], []string{d.Households, "户数", f.Households}) {
		return householdColumns{id: 0, count: 1, width: 2}, true, nil
	}
	count, err := column(row, "households", f.Households, []string{d.Households, "户数"})
	if count < 0 {
		return c, err != nil, err
	}
	id, err := column(row, "id", f.ID, []string{d.ID, "building_id", "楼栋编码"})
	if id == count {
		id = -1 // an --id-field name that is a count column's
	}
	switch {
	case err != nil:
		return c, true, err
	case id < 0 && len(row) == 2:
		id = 1 - count
	case id < 0:
		return c, true, fmt.Errorf("header %q names the households column but no id column (id, building_id, 楼栋编码 or the --id-field name)", abbreviateText(strings.Join(row, ",")))
	}
	return householdColumns{id: id, count: count, width: len(row)}, true, nil
}

// column returns the field of the header row that names the column what:
// the one named preferred (a --*-field name) if any, else the one named
// one of others; -1 if none. Two fields naming it alike are an error.
func column(row []string, what, preferred string, others []string) (int, error) {
	for _, ns := range [][]string{{preferred}, others} {
		k := -1
		for i, s := range row {
			if !names(s, ns) {
				continue
			}
			if k >= 0 {
				return -1, fmt.Errorf("header fields %d (%q) and %d (%q) both name the %s column", k+1, row[k], i+1, s, what)
			}
			k = i
		}
		if k >= 0 {
			return k, nil
		}
	}
	return -1, nil
}

// blank reports whether every field of row is empty or spaces, as in the
// rows a spreadsheet writes for cells once used, then cleared (",,").
func blank(row []string) bool {
	for _, s := range row {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

// names reports whether the header field s names one of the columns in
// names (any case; a byte order mark inside quotes is ignored).
func names(s string, names []string) bool {
	s = strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))
	for _, n := range names {
		if n != "" && strings.EqualFold(s, n) {
			return true
		}
	}
	return false
}

// Apply overrides the counts of bs. Ids of the table that no building has
// are an error listing them (a *TableError), with the rows LoadHouseholds
// could not read, and bs is left as it was.
func (t *Households) Apply(bs []geo.Building) error {
	index := make(map[string]int, len(bs))
	for i, b := range bs {
		index[b.ID] = i
	}
	bad := &badLines{file: t.file, lines: slices.Clone(t.bad)}
	// The building of each id: as the table gives it, else trimmed.
	building := func(id string) (int, bool) {
		if raw, ok := t.asRead[id]; ok {
			if i, ok := index[raw]; ok {
				return i, true
			}
		}
		i, ok := index[id]
		return i, ok
	}
	var zeros map[string][]string // building ids by their digits without leading zeros
	said := false
	for _, id := range t.order {
		if _, ok := building(id); ok {
			continue
		}
		if zeros == nil {
			zeros = map[string][]string{}
			for _, b := range bs {
				if z := strings.TrimLeft(b.ID, "0"); z != b.ID && allDigits(b.ID) {
					zeros[z] = append(zeros[z], b.ID)
				}
			}
		}
		err := errUnknownID
		if exponent(id) {
			err = fmt.Errorf("%w; it is a number in exponent form, as a spreadsheet shows long ids, their last digits lost: format the id column as text and save the table again", errUnknownID)
		} else if ids := zeros[id]; len(ids) == 1 && allDigits(id) {
			// A spreadsheet takes 000123 for the number 123.
			if err = fmt.Errorf("%w; building %q has it with leading zeros", errUnknownID, ids[0]); !said {
				err = fmt.Errorf("%w, which a spreadsheet drops from ids it takes for numbers: format the id column as text", err)
				said = true
			}
		}
		bad.add(t.line[id], id, err)
	}
	if err := bad.err(); err != nil {
		return err
	}
	for _, id := range t.order {
		i, _ := building(id)
		bs[i].Households = t.counts[id]
	}
	return nil
}

// exponent reports whether s is a number in exponent form (1.10105E+17).
func exponent(s string) bool {
	m, e, ok := strings.Cut(strings.ToUpper(s), "E+")
	m = strings.Replace(m, ".", "", 1)
	return ok && allDigits(m) && allDigits(e)
}

// allDigits reports whether s is a number written in ASCII digits.
func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// checkCounts refuses household counts outside [0,
// geo.MaxBuildingHouseholds] in bs (read from file), wherever they came
// from: the buildings layer and a census table refuse them when read, and
// this holds the bound for any other adjustment of the counts too. With
// every count at most geo.MaxBuildingHouseholds = 10^5, the households of
// n buildings sum to at most 10^5·n, below 2^63 for n up to 9.2·10^13 (far
// more buildings than fit in memory), so no sum of counts in a plan, its
// statistics, its self-check or an audit can overflow an int.
func checkCounts(file string, bs []geo.Building) error {
	for i := range bs {
		b := &bs[i]
		switch {
		case b.Households < 0:
			return &geo.FeatureError{File: file, Index: b.Index, ID: b.ID, Err: fmt.Errorf("%w: households is %d", geo.ErrNegativeHouseholds, b.Households)}
		case b.Households > geo.MaxBuildingHouseholds:
			return &geo.FeatureError{File: file, Index: b.Index, ID: b.ID, Err: fmt.Errorf("%w: households is %d, more than the limit of %d for one building", geo.ErrTooManyHouseholds, b.Households, geo.MaxBuildingHouseholds)}
		}
	}
	return nil
}
