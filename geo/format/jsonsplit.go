package format

import "encoding/json"

// jsonMembers splits the JSON object at the start of b (after white
// space) into its members, each value as its bytes, without decoding
// them: one pass over a layer of a million vertices, where json.Unmarshal
// into json.RawMessage values checks every byte as it goes. Strings and
// brackets are followed to find where each value ends; the values are
// not checked, and are decoded later (a malformed one fails there). ok is
// false where b is not an object so bracketed, or a name repeats; the
// caller then leaves b to a full decoder, which says what is wrong.
func jsonMembers(b []byte) (members map[string][]byte, ok bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, false
	}
	members = map[string][]byte{}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return members, skipSpace(b, i+1) == len(b)
	}
	for {
		end := skipValue(b, i)
		if end <= i || b[i] != '"' {
			return nil, false
		}
		var name string
		if json.Unmarshal(b[i:end], &name) != nil {
			return nil, false
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return nil, false
		}
		i = skipSpace(b, i+1)
		if end = skipValue(b, i); end <= i {
			return nil, false
		}
		if _, dup := members[name]; dup {
			return nil, false
		}
		members[name] = b[i:end]
		var done bool
		if i, done, ok = afterValue(b, end, '}'); !ok || done {
			return members, ok
		}
	}
}

// jsonElements splits the JSON array b (a value jsonMembers gave) into
// its elements, as jsonMembers splits an object.
func jsonElements(b []byte) (elems [][]byte, ok bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return nil, false
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return elems, skipSpace(b, i+1) == len(b)
	}
	for {
		end := skipValue(b, i)
		if end <= i {
			return nil, false
		}
		elems = append(elems, b[i:end])
		var done bool
		if i, done, ok = afterValue(b, end, ']'); !ok || done {
			return elems, ok
		}
	}
}

// afterValue reads what follows a value of b that ends at end, in a
// container that close ends: a comma, and next is where the next value
// begins; or close, with nothing after it (done). ok is false otherwise.
func afterValue(b []byte, end int, close byte) (next int, done, ok bool) {
	i := skipSpace(b, end)
	switch {
	case i >= len(b):
		return 0, false, false
	case b[i] == ',':
		return skipSpace(b, i+1), false, true
	case b[i] == close:
		return 0, true, skipSpace(b, i+1) == len(b)
	}
	return 0, false, false
}

// skipSpace returns the index of the first byte of b from i that is not
// JSON white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just after the JSON value that begins at
// b[i]: a string to its closing quote, an object or array to its closing
// bracket (strings inside followed, brackets counted), anything else to
// the next comma, bracket or white space; -1 where it does not end.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	depth := 0
	for ; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			if i >= len(b) {
				return -1
			}
			if depth == 0 {
				return i + 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return i // the end of a literal before its container's end
			}
			if depth--; depth == 0 {
				return i + 1
			}
		case ',', ' ', '\t', '\n', '\r', ':':
			if depth == 0 {
				return i
			}
		}
	}
	if depth > 0 {
		return -1
	}
	return i
}

// splitCollection splits a GeoJSON FeatureCollection into its members and
// its features, as json.Unmarshal would (the members' values but the
// features checked); ok is false where data is not JSON, or not an object
// whose features are an array.
func splitCollection(data []byte) (fc map[string]json.RawMessage, feats []json.RawMessage, ok bool) {
	if m, ok := jsonMembers(data); ok {
		if fs, ok := jsonElements(m["features"]); ok {
			fc = make(map[string]json.RawMessage, len(m))
			for k, v := range m {
				if k != "features" && !json.Valid(v) {
					return nil, nil, false
				}
				fc[k] = v
			}
			feats = make([]json.RawMessage, len(fs))
			for i, f := range fs {
				feats[i] = f
			}
			return fc, feats, true
		}
	}
	// What the split does not take (a name twice, which the decoder takes
	// the last of).
	if json.Unmarshal(data, &fc) != nil || json.Unmarshal(fc["features"], &feats) != nil {
		return nil, nil, false
	}
	return fc, feats, true
}
