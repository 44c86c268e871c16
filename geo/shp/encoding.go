package shp

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/transform"
)

// Canonical encoding names, as [Reader.Encoding] reports them and
// [ReadOptions.Encoding] and [WriteOptions.Encoding] accept them.
const (
	UTF8 = "utf-8"
	GBK  = "gbk" // code page 936; also read for GB2312, its subset
)

// A codec is a dBASE text encoding. All of them are ASCII-compatible, so
// ASCII bytes are text as they are.
type codec struct {
	name   string
	enc    encoding.Encoding // nil for UTF-8
	strict bool              // decoding to U+FFFD means the bytes are not in this encoding
}

var (
	codecUTF8    = codec{name: UTF8}
	codecGBK     = codec{name: GBK, enc: simplifiedchinese.GBK, strict: true}
	codecGB18030 = codec{name: "gb18030", enc: simplifiedchinese.GB18030}
	codecBig5    = codec{name: "big5", enc: traditionalchinese.Big5, strict: true}
	codecLatin1  = codec{name: "latin1", enc: charmap.ISO8859_1}
)

// codePages are the Windows and DOS code pages that a .cpg or a language
// driver may name by number, besides the Chinese ones.
var codePages = map[int]*charmap.Charmap{
	437: charmap.CodePage437, 850: charmap.CodePage850, 852: charmap.CodePage852,
	866:  charmap.CodePage866,
	1250: charmap.Windows1250, 1251: charmap.Windows1251, 1252: charmap.Windows1252,
	1253: charmap.Windows1253, 1254: charmap.Windows1254, 1255: charmap.Windows1255,
	1256: charmap.Windows1256, 1257: charmap.Windows1257, 1258: charmap.Windows1258,
}

// lookupCodec finds the encoding that name denotes, spelled as users,
// ArcGIS (.cpg "936", "UTF-8", "88591") or GDAL (.cpg "CP936", "UTF8",
// "ISO-8859-1", "LDID/77") spell it.
func lookupCodec(name string) (codec, bool) {
	key := strings.ToUpper(strings.TrimSpace(name))
	key = strings.NewReplacer("-", "", "_", "", " ", "").Replace(key)
	key = strings.TrimPrefix(key, "ANSI") // ArcGIS writes "ANSI 936"
	if ldid, ok := strings.CutPrefix(key, "LDID/"); ok {
		var n int
		if _, err := fmt.Sscanf(ldid, "%d", &n); err == nil && n >= 0 && n < 256 {
			return ldidCodec(byte(n))
		}
		return codec{}, false
	}
	switch key {
	case "UTF8", "65001":
		return codecUTF8, true
	case "GBK", "CP936", "936", "MS936", "WINDOWS936", "GB2312", "EUCCN", "20936":
		return codecGBK, true
	case "GB18030", "54936":
		return codecGB18030, true
	case "BIG5", "CP950", "950":
		return codecBig5, true
	case "LATIN1", "L1", "ISO88591", "88591", "28591":
		return codecLatin1, true
	}
	num := strings.TrimPrefix(strings.TrimPrefix(key, "WINDOWS"), "CP")
	var n int
	if _, err := fmt.Sscanf(num, "%d", &n); err == nil && fmt.Sprint(n) == num {
		if cm, ok := codePages[n]; ok {
			return codec{name: fmt.Sprintf("cp%d", n), enc: cm}, true
		}
	}
	return codec{}, false
}

// ldidCodec maps a dBASE language driver id to its encoding. Only the ids
// that name one code page are used: 0x00 says nothing and 0x57 ("ANSI")
// means whatever the writing machine's code page was, GBK on a Chinese
// Windows and 1252 on a Western one.
func ldidCodec(id byte) (codec, bool) {
	switch id {
	case 0x4D, 0x7A: // 936 GBK (PRC)
		return codecGBK, true
	case 0x4F, 0x78: // 950 Big5
		return codecBig5, true
	}
	cp := ldidCodePages[id]
	if cm, ok := codePages[cp]; ok {
		return codec{name: fmt.Sprintf("cp%d", cp), enc: cm}, true
	}
	return codec{}, false
}

// ldidCodePages are the language driver ids of single-byte code pages
// (the dBASE IV and ArcGIS tables, as GDAL's shapelib has them).
var ldidCodePages = map[byte]int{
	0x01: 437, 0x02: 850, 0x03: 1252, 0x58: 1252, 0x59: 1252,
	0x64: 852, 0x65: 866, 0xC8: 1250, 0xC9: 1251, 0xCA: 1254, 0xCB: 1253,
}

// A textDecoder turns dBASE bytes into UTF-8 strings.
type textDecoder struct {
	c   codec
	dec *encoding.Decoder
}

func newTextDecoder(c codec) *textDecoder {
	d := &textDecoder{c: c}
	if c.enc != nil {
		d.dec = c.enc.NewDecoder()
	}
	return d
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// decode returns the text of b, or an error if b is not text in d's encoding.
func (d *textDecoder) decode(b []byte) (string, error) {
	if isASCII(b) {
		return string(b), nil
	}
	if d.dec == nil {
		if !utf8.Valid(b) {
			return "", fmt.Errorf("%w: %q is not valid UTF-8", ErrEncoding, b)
		}
		return string(b), nil
	}
	out, err := d.dec.Bytes(b)
	if err != nil {
		return "", fmt.Errorf("%w: %q is not valid %s: %v", ErrEncoding, b, d.c.name, err)
	}
	if d.c.strict && strings.ContainsRune(string(out), utf8.RuneError) {
		return "", fmt.Errorf("%w: %q is not valid %s", ErrEncoding, b, d.c.name)
	}
	return string(out), nil
}

// fieldName returns the text of a field name. dBASE keeps 10 bytes of a
// name, and GDAL and QGIS cut a longer one there even inside a character
// (备注说明信息 in UTF-8 is stored as 备注说 and the first byte of 明): a
// name of that length ending in an incomplete character is read without
// it, as a writer that cuts at a character boundary would have stored it
// (and as ogrinfo shows a GBK one). A name that is not text in d's
// encoding otherwise is returned with U+FFFD in place of the bytes that
// are not, along with the error saying so: a name is only the key to a
// column, and a column no one asks for should not stop the layer.
func (d *textDecoder) fieldName(b []byte) (string, error) {
	b = d.wholeName(b)
	s, err := d.decode(b)
	if err == nil {
		return s, nil
	}
	if d.dec != nil {
		// The decoders put U+FFFD for what they cannot decode.
		if out, derr := d.dec.Bytes(b); derr == nil {
			b = out
		}
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), err
}

// wholeName returns the field name b without the incomplete character
// at its end, if it has the length at which dBASE cuts names.
func (d *textDecoder) wholeName(b []byte) []byte {
	if len(b) < dbfMaxNameLen {
		return b
	}
	if d.dec == nil {
		return b[:utf8Whole(b)]
	}
	// Told that more may follow, a decoder stops before a character that
	// is not whole; it writes at most 4 bytes of UTF-8 per byte read.
	dst := make([]byte, utf8.UTFMax*len(b))
	_, n, err := d.dec.Transform(dst, b, false)
	d.dec.Reset()
	if err == transform.ErrShortSrc {
		return b[:n]
	}
	return b
}

// utf8Whole returns the length of b without the incomplete UTF-8
// sequence at its end, if there is one.
func utf8Whole(b []byte) int {
	i := len(b) - 1
	for i > 0 && len(b)-i < utf8.UTFMax && !utf8.RuneStart(b[i]) {
		i--
	}
	if i >= 0 && !utf8.FullRune(b[i:]) {
		return i
	}
	return len(b)
}

// encodeText returns s in c's encoding, or an error naming the character
// that c cannot represent.
func encodeText(c codec, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return nil, fmt.Errorf("%w: %q is not valid UTF-8", ErrEncoding, s)
	}
	if c.enc == nil || isASCII([]byte(s)) {
		return []byte(s), nil
	}
	b, err := c.enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("%w: %q cannot be written in %s: %v", ErrEncoding, s, c.name, err)
	}
	return b, nil
}
