package geo

import (
	"encoding/json"
	"strings"
	"testing"
)

// The scanner must accept exactly what encoding/json accepts.
func TestScannerAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `1.5e-3`, `-12.25E+10`, `"a\u00e9\n\"\\\/"`,
		`{"a":[1,2,{"b":null}],"c":"d"}`, ` { "a" : [ ] } `, `"社区"`,
		`{`, `}`, `[1,]`, `{"a":1,}`, `{"a" 1}`, `{a:1}`, `01`, `1.`, `.5`, `1e`, `-`, `+1`, `NaN`, `Infinity`,
		`"\x"`, `"\u12"`, "\"a\tb\"", `"abc`, `tru`, `nul`, `[1 2]`, `{"a":1 "b":2}`, `{} {}`, `[1]]`, ``, ` `,
		`{"type":"FeatureCollection","features":[{"type":"Feature"}]} x`,
	} {
		s := &jscan{data: []byte(in)}
		err := s.skip()
		if err == nil {
			err = s.end()
		}
		if got, want := err == nil, json.Valid([]byte(in)); got != want {
			t.Errorf("scanner accepts %q = %v (%v), encoding/json says %v", in, got, err, want)
		}
	}
}

func TestScannerDepthLimit(t *testing.T) {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	s := &jscan{data: []byte(deep)}
	if err := s.skip(); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("skip(100000 nested arrays) = %v, want a nesting error", err)
	}
}

func TestScanCollection(t *testing.T) {
	for _, c := range []struct {
		in      string
		typ     string
		n       int
		notFC   bool
		invalid bool
	}{
		{`{"type":"FeatureCollection","features":[{},{"a":[1]}]}`, "FeatureCollection", 2, false, false},
		{`{"features":[1],"type":"FeatureCollection","bbox":[0,0,1,1]}`, "FeatureCollection", 1, false, false},
		{`{"type":"FeatureCollection","features":null}`, "FeatureCollection", 0, false, false},
		{`{"type":"FeatureCollection","features":{"a":1}}`, "FeatureCollection", 0, true, false},
		{`[{"type":"FeatureCollection"}]`, "", 0, true, false},
		{`{"type":7,"features":[]}`, "", 0, false, false},
		{`{"type":"FeatureCollection","features":[1,]}`, "", 0, false, true},
	} {
		typ, feats, notFC, err := scanCollection([]byte(c.in))
		gotTyp := ""
		if typ != nil {
			gotTyp = *typ
		}
		if (err != nil) != c.invalid || (notFC != "") != c.notFC || len(feats) != c.n || (err == nil && !c.notFC && gotTyp != c.typ) {
			t.Errorf("scanCollection(%s) = %q, %d features, %q, %v", c.in, gotTyp, len(feats), notFC, err)
		}
	}
}

// unquote decodes as encoding/json does, with or without its shortcut.
func TestUnquoteAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`""`, `"B000123"`, `"社区 7"`, `"a\"b"`, `"\u00e9"`, `"\ud83c\udfe0"`, `"\ud800"`, "\"b\xff7\"", "\"\xc3(\"",
		`"Polygon"`, `"\\"`, `"/\/"`, `null`, `12`, `true`, `{"a":1}`,
	} {
		var want string
		werr := json.Unmarshal([]byte(in), &want)
		got, err := unquote([]byte(in))
		if got != want || (err == nil) != (werr == nil) {
			t.Errorf("unquote(%s) = %q, %v; json.Unmarshal: %q, %v", in, got, err, want, werr)
		}
	}
}

// TestFeatureProperties: properties are looked up as encoding/json would
// decode them into a map: a repeated name takes its last value, escaped
// names match their text, and a missing one is absent.
func TestFeatureProperties(t *testing.T) {
	raw := []byte(`{"type":"Feature","properties":{"id":"A","households":12,"h\u006fuseholds":30,"compound":"Q1","kind":"shop","community":null,"households":45},` +
		`"geometry":{"type":"Point","coordinates":[113,40]}}`)
	b, _, err := decodeBuilding(0, raw, DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Properties map[string]any `json:"properties"`
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if want := int(m.Properties["households"].(float64)); b.Households != want || b.Households != 45 {
		t.Errorf("households %d, encoding/json says %d", b.Households, want)
	}
	if b.ID != "A" || b.Compound != "Q1" || b.Community != "" || b.Kind != Shop {
		t.Errorf("decoded %+v", b)
	}
	rf, err := scanFeature(raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rf.Properties.get("name"); ok {
		t.Error("an absent property was found")
	}
}

// TestUnreadableMember: the member "unreadable" of a feature the layer
// reader streams holds the .dbf text of a null households value, which its
// error quotes; anything else there, as a GeoJSON file may hold, is
// ignored as other foreign members are.
func TestUnreadableMember(t *testing.T) {
	f := DefaultFields()
	for _, c := range []struct{ feature, want string }{
		{`{"type":"Feature","properties":{"id":"a","households":null},"unreadable":{"households":"1,234"},"geometry":{"type":"Point","coordinates":[116.9,36.65]}}`,
			`household count is not a whole number: households is "1,234" in the .dbf, not a number`},
		{`{"type":"Feature","properties":{"id":"a","households":null},"unreadable":{"compound":"x"},"geometry":{"type":"Point","coordinates":[116.9,36.65]}}`,
			`households is null; write 0 for a building without households`},
		{`{"type":"Feature","properties":{"id":"a","households":3},"unreadable":{"households":"abc"},"geometry":{"type":"Point","coordinates":[116.9,36.65]}}`, ``},
		{`{"type":"Feature","properties":{"id":"a","households":3},"unreadable":5,"geometry":{"type":"Point","coordinates":[116.9,36.65]}}`, ``},
	} {
		b, _, err := decodeBuilding(0, json.RawMessage(c.feature), f)
		if c.want == "" && (err != nil || b.Households != 3) || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: households %d, %v; want %q", c.feature, b.Households, err, c.want)
		}
	}
}
