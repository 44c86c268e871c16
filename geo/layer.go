package geo

import (
	"fmt"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// Kind is the use of a building (SPEC §2.1).
type Kind uint8

// Building kinds. The zero value is Residential, the default for a building
// without a kind property.
const (
	Residential Kind = iota // ordinary residential building
	Bungalow                // 平房: single-storey courtyard house
	Shop                    // 沿街商铺: street-front shop
	Institution             // 机关/学校/医院/企业
)

var kindNames = [...]string{"residential", "bungalow", "shop", "institution"}

// String returns the property value that names k in input and output files.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// kindTerms are the Chinese terms that name the kinds in the layers of
// local offices (SPEC §2.1's table and their common variants).
var kindTerms = map[string]Kind{
	"住宅": Residential, "住宅楼": Residential, "居民楼": Residential, "居住": Residential,
	"公寓": Residential, "商住楼": Residential, "宿舍": Residential, "宿舍楼": Residential,
	"平房": Bungalow, "平房院": Bungalow, "平房院区": Bungalow,
	"商铺": Shop, "沿街商铺": Shop, "底商": Shop, "商业": Shop, "门面": Shop,
	"机关": Institution, "学校": Institution, "医院": Institution, "企业": Institution,
	"单位": Institution, "事业单位": Institution, "机关单位": Institution, "公建": Institution, "公共建筑": Institution,
	"办公": Institution, "办公楼": Institution, "写字楼": Institution,
}

// kindChoices lists the kinds for a message: each English name with the
// Chinese terms read as it.
func kindChoices() string {
	terms := make([][]string, len(kindNames))
	for t, k := range kindTerms {
		terms[k] = append(terms[k], t)
	}
	out := make([]string, len(kindNames))
	for k, n := range kindNames {
		slices.Sort(terms[k])
		out[k] = fmt.Sprintf("%s (%s)", n, strings.Join(terms[k], "/"))
	}
	return strings.Join(out, ", ")
}

// ParseKind returns the Kind named s (its English name in lower case, or
// a Chinese term of kindTerms) and reports whether s names one. The empty
// string is Residential.
func ParseKind(s string) (Kind, bool) {
	if s == "" {
		return Residential, true
	}
	for i, n := range kindNames {
		if n == s {
			return Kind(i), true
		}
	}
	k, ok := kindTerms[s]
	return k, ok
}

// Fields names the properties read from the buildings layer. Real data uses
// other names (户数 for households, say), so every name is configurable.
type Fields struct {
	ID         string // unique building id; falls back to the feature id
	Households string // residential households, integer >= 0
	Compound   string // compound (小区) id, optional
	Community  string // community (社区) id, optional
	Kind       string // building kind, optional
}

// DefaultFields returns the property names of SPEC §2.1.
func DefaultFields() Fields {
	return Fields{ID: "id", Households: "households", Compound: "compound", Community: "community", Kind: "kind"}
}

// A Building is one feature of the buildings layer.
type Building struct {
	Index      int    // position in the input FeatureCollection
	ID         string // building id
	Households int    // residential households (户)
	Compound   string // compound id; "" when not in a compound
	Community  string // community id; "" until assigned
	Kind       Kind
	// Geometry is the footprint in input coordinates (longitude/latitude):
	// an orb.Polygon, orb.MultiPolygon or orb.Point.
	Geometry orb.Geometry
}

// A Region is one polygon feature of a communities or compounds layer.
type Region struct {
	Index int    // position in the input FeatureCollection (of its first feature)
	ID    string // region id
	Name  string // its name property, if any (name, NAME, 名称)
	// Names are the names of its features where several features of its
	// id name it differently (Name joins them); nil otherwise.
	Names    []string
	Geometry orb.MultiPolygon
}

// A Barrier is one line feature of the barriers layer (road, river, railway).
type Barrier struct {
	Index    int
	ID       string
	Geometry orb.MultiLineString
}

// A Warning reports input that was repaired rather than refused (SPEC §2.4):
// a duplicate vertex removed, a ring reoriented, a sliver resolved. A
// warning about a whole layer (how many rings of it were reversed, say)
// has Index -1 and no ID.
type Warning struct {
	File  string `json:"file"`
	Index int    `json:"feature"` // -1 for the whole layer
	ID    string `json:"id,omitempty"`
	Kind  string `json:"kind"` // e.g. "duplicate_vertex", "ring_orientation", "sliver"
	Note  string `json:"note"`
}
