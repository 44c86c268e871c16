package main

import (
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// controls reports whether r could control a terminal or reorder the text
// around it: C0 controls, DEL, C1 controls, U+2028 and U+2029, and bidi marks,
// embeddings, overrides and isolates (U+061C, U+200E-F, U+202A-E, U+2066-9).
func controls(r rune) bool {
	return r < 0x20 || 0x7f <= r && r <= 0x9f || r == 0x061c || r == 0x200e || r == 0x200f ||
		0x2028 <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069
}

// How escape writes a rune that controls (and a byte that is not UTF-8).
const (
	text     = iota // as strconv.Quote does ("\x1b", "\r", "\u202e"), but line breaks and tabs as they are
	line            // as strconv.Quote does
	jsonText        // as a \u escape, the same rune inside a JSON string, where encoding/json leaves DEL, C1 and bidi runes
)

// escape appends p to out with each rune that controls escaped.
func escape(out, p []byte, how int) []byte {
	for i := 0; i < len(p); {
		c := p[i]
		if c >= 0x20 && c < 0x7f || how == text && (c == '\n' || c == '\t') || how == jsonText && c < 0x7f {
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(p[i:])
		switch {
		case r == utf8.RuneError && n == 1 && how != jsonText:
			out = fmt.Appendf(out, `\x%02x`, c)
		case !controls(r):
			out = append(out, p[i:i+n]...)
		case how == jsonText:
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			q := strconv.QuoteRune(r) // '\x1b', '\r', '\u202e'
			out = append(out, q[1:len(q)-1]...)
		}
		i += n
	}
	return out
}

// oneLine returns s (an id, a code) escaped to stay on its line.
func oneLine(s string) string { return string(escape(nil, []byte(s), line)) }

// A termWriter writes human text to w, escaped (text). Ids and codes come
// from the input, and a terminal obeys what they hold: an escape sequence
// recolours or clears the screen, a carriage return overwrites the line, a
// bidi override reorders the text. So stdout and stderr are termWriters;
// files keep the exact ids.
type termWriter struct{ w io.Writer }

func (t *termWriter) Write(p []byte) (int, error) {
	if _, err := t.w.Write(escape(make([]byte, 0, len(p)+16), p, text)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// raw returns the writer under w, if w is a termWriter: for output that
// escapes what it writes itself (progress, JSON).
func raw(w io.Writer) io.Writer {
	if t, ok := w.(*termWriter); ok {
		return t.w
	}
	return w
}

// writeJSON writes JSON data to w (stdout with --json), escaped.
func writeJSON(w io.Writer, data []byte) {
	raw(w).Write(escape(make([]byte, 0, len(data)), data, jsonText))
}
