package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// ParseHouseholds reads text, the household count of one building given by
// name (a GeoJSON property or a CSV column), as a decimal number: digits
// with an optional sign, fraction and exponent, as JSON writes numbers and
// spreadsheets save them. It is read exactly, not rounded to a float64 on
// the way: 12.0 and 1.2e1 are 12, but 12.0000000000000001 and 1e-400 are not
// whole numbers, and 1e400 is too large, not infinite. The count must be a
// whole number in [0, [MaxBuildingHouseholds]]; otherwise the error wraps
// [ErrMissingHouseholds] (empty text), [ErrBadHouseholds] (not a number, or
// not a whole one), [ErrNegativeHouseholds] or [ErrTooManyHouseholds], and
// names the value. Every path that reads counts (the buildings layer, a
// census update's table) uses it, so that all say the same.
func ParseHouseholds(name, text string) (int, error) {
	n, st := readCount(text, MaxBuildingHouseholds)
	switch st {
	case countEmpty:
		return 0, fmt.Errorf("%w: %s is empty; write 0 for a building without households", ErrMissingHouseholds, name)
	case countNotNumber:
		return 0, fmt.Errorf("%w: %s is %q, not a number", ErrBadHouseholds, name, abbreviate([]byte(text)))
	case countNegative:
		return 0, fmt.Errorf("%w: %s is %s", ErrNegativeHouseholds, name, abbreviate([]byte(text)))
	case countFraction:
		return 0, fmt.Errorf("%w: %s is %s", ErrBadHouseholds, name, abbreviate([]byte(text)))
	case countTooLarge:
		return 0, fmt.Errorf("%w: %s is %s, more than the limit of %d for one building", ErrTooManyHouseholds, name, abbreviate([]byte(text)), MaxBuildingHouseholds)
	}
	return n, nil
}

// countStatus says what readCount found.
type countStatus int

const (
	countOK countStatus = iota
	countEmpty
	countNotNumber
	countNegative
	countFraction
	countTooLarge
)

// maxExponentDigits bounds the digits of an exponent read as a number: an
// exponent of 10 digits or more makes any nonzero mantissa too large or not
// whole, whatever its digits (a mantissa has fewer than 10^9 of them in any
// input that fits in memory), and is not converted.
const maxExponentDigits = 9

// readCount reads s, a decimal number [+-]digits[.digits][(e|E)[+-]digits]
// with at least one mantissa digit, exactly: its value is digits × 10^scale
// with the digits' trailing zeros moved into the scale, whole if scale >= 0,
// and no larger than limit only if it has at most as many digits as limit.
// Zero is zero whatever its sign and exponent (-0, 0e-400).
func readCount(s string, limit int) (int, countStatus) {
	if s == "" {
		return 0, countEmpty
	}
	i, neg := 0, false
	if s[0] == '+' || s[0] == '-' {
		neg, i = s[0] == '-', 1
	}
	digits := func() string {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return s[j:i]
	}
	whole, frac := digits(), ""
	if i < len(s) && s[i] == '.' {
		i++
		frac = digits()
	}
	if whole == "" && frac == "" {
		return 0, countNotNumber
	}
	exp, expNeg, expText := 0, false, ""
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg = s[i] == '-'
			i++
		}
		if expText = digits(); expText == "" {
			return 0, countNotNumber
		}
	}
	if i != len(s) {
		return 0, countNotNumber
	}
	mantissa := strings.TrimLeft(whole+frac, "0")
	if mantissa == "" {
		return 0, countOK
	}
	if neg {
		return 0, countNegative
	}
	if expText = strings.TrimLeft(expText, "0"); len(expText) > maxExponentDigits {
		if expNeg {
			return 0, countFraction
		}
		return 0, countTooLarge
	}
	if expText != "" {
		exp, _ = strconv.Atoi(expText) // at most maxExponentDigits digits
	}
	if expNeg {
		exp = -exp
	}
	scale := exp - len(frac)
	trimmed := strings.TrimRight(mantissa, "0")
	scale += len(mantissa) - len(trimmed)
	if scale < 0 {
		return 0, countFraction
	}
	if len(trimmed)+scale > len(strconv.Itoa(limit)) {
		return 0, countTooLarge
	}
	n, _ := strconv.Atoi(trimmed) // as many digits as limit at most
	for ; scale > 0; scale-- {
		n *= 10
	}
	if n > limit {
		return 0, countTooLarge
	}
	return n, countOK
}

// parseHouseholds checks a households value: a JSON number that is a whole
// number in [0, MaxBuildingHouseholds], read as [ParseHouseholds] reads
// it. Integral values written with a fraction (12.0, as some GIS exports
// write every number) are accepted.
func parseHouseholds(name string, raw json.RawMessage, present bool) (int, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case !present:
		return 0, &absentField{field: name, flag: "--households-field", err: fmt.Errorf("%w: no %q property", ErrMissingHouseholds, name)}
	case isNull(raw):
		return 0, fmt.Errorf("%w: %s is null; write 0 for a building without households", ErrMissingHouseholds, name)
	}
	switch c := raw[0]; {
	case c == '"':
		return 0, fmt.Errorf("%w: %s is %s, text, not a number; store household counts as numbers (a JSON number; in a Shapefile or GeoPackage, a numeric field)", ErrBadHouseholds, name, abbreviate(raw))
	case c == 't' || c == 'f':
		return 0, fmt.Errorf("%w: %s is %s", ErrBadHouseholds, name, raw)
	case c == '[' || c == '{':
		return 0, fmt.Errorf("%w: %s is %s", ErrBadHouseholds, name, abbreviate(raw))
	}
	return ParseHouseholds(name, string(raw))
}

// featureHouseholds reads the households property name of a feature (as
// parseHouseholds does); a null that the .dbf holds as text that is not a
// number is refused quoting that text.
func featureHouseholds(rf rawFeature, name string) (int, error) {
	raw, ok := rf.Properties.get(name)
	n, err := parseHouseholds(name, raw, ok)
	if text, bad := rf.Unreadable.get(name); err != nil && bad && isNull(raw) {
		err = unreadableHouseholds(name, text)
	}
	return n, err
}

// unreadableHouseholds is the error of a households value that a
// Shapefile's .dbf holds in a numeric field as text that is not a number
// of the field (raw, a JSON string): "1,234", "abc", or "*****", which is
// how dBASE marks a number too wide for its field and how GDAL writes a
// null. A number that is not a count ("12.5" in a field without decimals)
// is named as ParseHouseholds names it.
func unreadableHouseholds(name string, raw json.RawMessage) error {
	var text string
	if json.Unmarshal(raw, &text) != nil {
		text = string(raw)
	}
	switch _, st := readCount(text, MaxBuildingHouseholds); {
	case st == countNegative || st == countFraction || st == countTooLarge:
		_, err := ParseHouseholds(name, text)
		return err
	case text != "" && strings.Trim(text, "*") == "":
		return fmt.Errorf("%w: %s is %q in the .dbf, not a number: a null, or a number too wide for the field; write the count, 0 for a building without households", ErrMissingHouseholds, name, abbreviate([]byte(text)))
	}
	return fmt.Errorf("%w: %s is %q in the .dbf, not a number", ErrBadHouseholds, name, abbreviate([]byte(text)))
}
