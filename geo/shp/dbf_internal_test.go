package shp

import (
	"testing"

	"gridplan/geo/feature"
)

func TestParseValue(t *testing.T) {
	td := newTextDecoder(codecUTF8)
	for _, tc := range []struct {
		typ   byte
		width int
		dec   int
		raw   string
		want  any
		warn  bool
	}{
		{'C', 10, 0, "社区  ", "社区", false},
		{'C', 10, 0, "  a b  \x00\x00", "  a b", false},
		{'C', 10, 0, "          ", nil, false},
		{'N', 9, 0, "      420", int64(420), false},
		{'N', 9, 0, "     -420", int64(-420), false},
		{'N', 9, 0, "*********", feature.Unreadable("*********"), false}, // null, or too wide
		{'N', 9, 0, "         ", nil, false},
		{'N', 9, 0, "     12.0", int64(12), false},
		{'N', 9, 0, "     12.5", feature.Unreadable("12.5"), true},
		{'N', 9, 0, "      abc", feature.Unreadable("abc"), true},
		{'N', 9, 0, "    1,234", feature.Unreadable("1,234"), true},
		{'F', 12, 2, "  1,234.50  ", feature.Unreadable("1,234.50"), true},
		{'N', 9, 0, " \x00 \x00", nil, false},
		{'F', 18, 0, "123456789012345678", int64(123456789012345678), false},
		{'N', 24, 15, "      12.500000000000000", 12.5, false},
		{'N', 24, 15, "                  -1e+300", -1e300, false},
		{'N', 20, 0, "12345678901234567890", 12345678901234567890.0, false}, // wider than an int64: Real
		{'N', 5, 2, "  NaN", feature.Unreadable("NaN"), true},
		{'N', 6, 0, "  \xff12", feature.Unreadable("\ufffd12"), true}, // not text in the encoding
		{'L', 1, 0, "T", true, false},
		{'L', 1, 0, "y", true, false},
		{'L', 1, 0, "F", false, false},
		{'L', 1, 0, "?", nil, false},
		{'L', 1, 0, " ", nil, false},
		{'L', 1, 0, "x", nil, true},
		{'D', 8, 0, "20240305", "2024-03-05", false},
		{'D', 8, 0, "00000000", nil, false},
		{'D', 8, 0, "        ", nil, false},
		{'D', 8, 0, "20241305", nil, true},
		{'D', 8, 0, "2024-3-5", nil, true},
		{'M', 10, 0, "        12", nil, false},
	} {
		f := &dbfField{typ: tc.typ, width: tc.width, dec: tc.dec, ftype: fieldType(tc.typ, tc.width, tc.dec)}
		got, warn, err := parseValue(f, []byte(tc.raw), td)
		if err != nil || got != tc.want || (warn != "") != tc.warn {
			t.Errorf("parseValue(%c(%d,%d), %q) = %#v, %q, %v; want %#v (warning: %v)",
				tc.typ, tc.width, tc.dec, tc.raw, got, warn, err, tc.want, tc.warn)
		}
	}
	for _, tc := range []struct {
		typ        byte
		width, dec int
		want       feature.Type
	}{
		{'N', 18, 0, feature.Integer}, {'N', 19, 0, feature.Real}, {'F', 10, 3, feature.Real},
		{'C', 80, 0, feature.String}, {'M', 10, 0, feature.String}, {'L', 1, 0, feature.Bool}, {'D', 8, 0, feature.Date},
	} {
		if got := fieldType(tc.typ, tc.width, tc.dec); got != tc.want {
			t.Errorf("fieldType(%c, %d, %d) = %v, want %v", tc.typ, tc.width, tc.dec, got, tc.want)
		}
	}
}
