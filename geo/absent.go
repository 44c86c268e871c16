package geo

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// absentField marks the error of a feature that lacks the property a
// field names (the building id, or households): where no feature of the
// layer has it, the field is named once for the layer ([absentFields])
// rather than once a feature.
type absentField struct {
	field string // the property
	flag  string // the flag that names it
	err   error
}

func (e *absentField) Error() string { return e.err.Error() }
func (e *absentField) Unwrap() error { return e.err }

// absents returns the absentField errors in err's tree, in order.
func absents(err error) []*absentField {
	switch e := err.(type) {
	case nil:
		return nil
	case *absentField:
		return []*absentField{e}
	case interface{ Unwrap() []error }:
		var out []*absentField
		for _, x := range e.Unwrap() {
			out = append(out, absents(x)...)
		}
		return out
	}
	return absents(errors.Unwrap(err))
}

// absentFields returns one error for a layer of n features none of which
// has the property of a field (every one of them failing for want of
// it): the field and its flag, the properties the first feature has
// (names), and the one of those the field most likely is (a Shapefile's
// name cut to 10 bytes, or the same name in another case). nil where
// some feature has each field.
func absentFields(file string, n int, fails []featureErr, names []string) error {
	if n == 0 || len(fails) < n {
		return nil
	}
	count := map[string]int{}
	var absent []*absentField
	for _, f := range fails {
		for _, a := range absents(f.err) {
			if count[a.field]++; count[a.field] == 1 {
				absent = append(absent, a)
			}
		}
	}
	var all []*absentField
	for _, a := range absent {
		if count[a.field] == n {
			all = append(all, a)
		}
	}
	return absentError(file, all, names)
}

// absentError is the error of a layer none of whose features has the
// properties of absent (nil if none), naming the properties there are.
func absentError(file string, absent []*absentField, names []string) error {
	var parts []string
	for _, a := range absent {
		s := fmt.Sprintf("no feature has the property %q (%s)", a.field, a.flag)
		m := likelyName(a.field, names)
		if m == "" {
			m = synonymIn(a.flag, names)
		}
		if m != "" {
			s += fmt.Sprintf("; it is likely %q: %s %s", m, a.flag, m)
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return nil
	}
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	have := "none"
	if len(sorted) > 0 {
		have = `"` + strings.Join(sorted, `", "`) + `"`
	}
	return &FileError{File: file, Err: fmt.Errorf("%s; the features' properties are %s", strings.Join(parts, "; "), have)}
}

// likelyName returns the one of names that field most likely is: field
// in another case, or field cut short (a Shapefile keeps 10 bytes of a
// field name, in its own encoding: household_count becomes household_, and
// 建筑物编码号 becomes 建筑物 in UTF-8 or 建筑物编码 in GBK); "" if none.
func likelyName(field string, names []string) string {
	for _, n := range names {
		if strings.EqualFold(n, field) {
			return n
		}
	}
	best := ""
	for _, n := range names {
		if len(n) >= 4 && len(n) < len(field) && strings.HasPrefix(field, n) && len(n) > len(best) {
			best = n
		}
	}
	return best
}

// namedOptional returns the optional fields of f (compound, community,
// kind) that a flag names otherwise than the default: a name no feature
// has is a typo, where the default's absence is the layer's choice. The
// id field too: a feature without it falls back to its own id (a
// GeoJSON member, a GeoPackage's row key), which a misspelt --id-field
// must not pass off as the ids asked for.
func namedOptional(f Fields) []*absentField {
	d := DefaultFields()
	var named []*absentField
	for _, o := range []struct{ name, def, flag string }{
		{f.ID, d.ID, "--id-field"},
		{f.Compound, d.Compound, "--compound-field"}, {f.Community, d.Community, "--community-field"}, {f.Kind, d.Kind, "--kind-field"},
	} {
		if o.name != o.def {
			named = append(named, &absentField{field: o.name, flag: o.flag})
		}
	}
	return named
}

// seenIn reports, for each of named, whether one of the raw features
// may have it (its name appears quoted in the feature).
func seenIn(feats [][]byte, named []*absentField) []bool {
	seen := make([]bool, len(named))
	for k, a := range named {
		key := []byte(strconv.Quote(a.field))
		for _, raw := range feats {
			if bytes.Contains(raw, key) {
				seen[k] = true
				break
			}
		}
	}
	return seen
}

// unseenFields is the error of a layer of n features none of which has
// one of named (seen says which were found), nil if all were.
func unseenFields(file string, n int, named []*absentField, seen []bool, names []string) error {
	var unseen []*absentField
	for j, a := range named {
		if !seen[j] && n > 0 {
			unseen = append(unseen, a)
		}
	}
	return absentError(file, unseen, names)
}

// fails returns the failed features of errs, by index.
func fails(errs []error) []featureErr {
	var out []featureErr
	for i, err := range errs {
		if err != nil {
			out = append(out, featureErr{i, err})
		}
	}
	return out
}

// namesSampled is how many features of a batch propertyNames reads: the
// properties that some features have and others lack (a kind given only
// to shops) are found in a few dozen.
const namesSampled = 64

// propertyNames returns the property names of the raw features, those of
// the first namesSampled, each once, in the order first seen, appended to
// names.
func propertyNames[F ~[]byte](names []string, feats ...F) []string {
	for _, raw := range feats[:min(len(feats), namesSampled)] {
		rf, err := parseFeature([]byte(raw))
		if raw == nil || err != nil {
			continue
		}
		for _, p := range rf.Properties {
			if !slices.Contains(names, string(p.name)) {
				names = append(names, string(p.name))
			}
		}
	}
	return names
}

// synonyms are names that attribute tables give the properties of a
// field, by its flag: Chinese ones, their pinyin initials, English ones.
var synonyms = map[string][]string{
	"--id-field":         {"楼栋编码", "楼栋编号", "楼栋ID", "建筑编码", "建筑编号", "建筑物编码", "建筑物编号", "房屋编码", "building_id", "bldg_id", "ldbm"},
	"--households-field": {"户数", "住户数", "总户数", "居住户数", "居民户数", "实有户数", "household", "hh", "hhs", "hs"},
	"--region-id-field":  {"社区编码", "社区代码", "社区编号", "小区编码", "小区代码", "编码", "代码", "code", "sqbm", "sqdm"},
	"--compound-field":   {"小区", "小区名称", "所属小区", "小区编码", "小区代码", "小区名", "院落", "xq", "xqmc", "compound_id", "estate"},
}

// synonymIn returns the one of names that is a synonym of the field of
// flag (see synonyms), in any case; "" if none is, or several are.
func synonymIn(flag string, names []string) string {
	found := ""
	for _, n := range names {
		for _, s := range synonyms[flag] {
			if strings.EqualFold(n, s) {
				if found != "" && found != n {
					return ""
				}
				found = n
			}
		}
	}
	return found
}

// unusedCompounds is the warning of a buildings layer none of whose
// buildings has a compound, while its features have a property that
// likely holds one (小区名称 beside the default compound): the plan keeps
// no compound whole; nil otherwise.
func unusedCompounds(file string, f Fields, bs []Building, names []string) []Warning {
	if f.Compound != DefaultFields().Compound || slices.ContainsFunc(bs, func(b Building) bool { return b.Compound != "" }) {
		return nil
	}
	m := synonymIn("--compound-field", names)
	if m == "" {
		return nil
	}
	return []Warning{{File: file, Index: -1, Kind: "compound_field",
		Note: fmt.Sprintf("no feature has the property %q, so no compound is kept whole; the features have %q: if it names their compounds (小区), run with --compound-field %s", f.Compound, m, m)}}
}
