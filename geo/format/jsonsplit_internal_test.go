package format

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"
)

// FuzzSplitCollection: splitCollection takes every document json.Unmarshal
// takes as an object with a features array, and gives the members and
// features it gives; a document it refuses it takes only with a feature
// that is not JSON.
func FuzzSplitCollection(f *testing.F) {
	for _, s := range []string{
		`{"type":"FeatureCollection","features":[]}`,
		` { "type" : "FeatureCollection" , "features" : [ {"type":"Feature","properties":{"name":"a \"quoted\" ]}, name"},"geometry":{"type":"Point","coordinates":[1,2]}} , null ] , "crs":{"type":"name","properties":{"name":"EPSG:4527"}} } `,
		`{"features":[{"a":"\\"},{"b":"}{]["}],"x":-1.5e3,"y":true,"z":null}`,
		`{"features":[1,2,3]}`,
		`{"features":[],"features":[{}]}`,
		`{"features":[{]}`,
		`{"features":[{"a":1}}`,
		`{"features":[}`,
		`{"features":[1,]}`,
		`{"features":[{"a":,}]}`,
		`{"features":[,1]}`,
		`{"a":}`,
		`{"features":[]} x`,
		`["features"]`,
		`{"features":"[1]"}`,
		`{"features":[{"a":"\u00e9\ud83d\ude00"}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[1e2,2E-3],[3,4],[5,6],[1e2,2E-3]]]},"properties":{"ids":[1,[2,{"x":[]}]]}}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var fc map[string]json.RawMessage
		var feats []json.RawMessage
		want := json.Unmarshal(data, &fc) == nil && json.Unmarshal(fc["features"], &feats) == nil
		gfc, gfeats, ok := splitCollection(data)
		if want && !ok {
			t.Fatalf("splitCollection(%q) refused what json.Unmarshal takes", data)
		}
		if !want {
			// It may take a document whose features it does not check:
			// then one of them is not JSON, for the caller to find.
			if ok && !slices.ContainsFunc(gfeats, func(f json.RawMessage) bool { return !json.Valid(f) }) {
				t.Fatalf("splitCollection(%q) took what json.Unmarshal refuses, all its features JSON", data)
			}
			return
		}
		compact := func(b []byte) string {
			var out bytes.Buffer
			if err := json.Compact(&out, b); err != nil {
				return "invalid: " + string(b)
			}
			return out.String()
		}
		if len(gfc) != len(fc) {
			t.Fatalf("%q: %d members, want %d", data, len(gfc), len(fc))
		}
		for k, v := range fc {
			if compact(gfc[k]) != compact(v) {
				t.Fatalf("%q: member %q is %s, want %s", data, k, gfc[k], v)
			}
		}
		if len(gfeats) != len(feats) {
			t.Fatalf("%q: %d features, want %d", data, len(gfeats), len(feats))
		}
		for i := range feats {
			if compact(gfeats[i]) != compact(feats[i]) {
				t.Fatalf("%q: feature %d is %s, want %s", data, i, gfeats[i], feats[i])
			}
		}
	})
}
