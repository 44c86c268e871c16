package report

// A phrase is a label in Chinese and English.
type phrase struct{ Zh, En string }

// reasons says in words why a grid is out of band, by reason code (SPEC
// §3, and partition's indivisible_units).
var reasons = map[string]phrase{
	"community_too_small": {"社区总户数低于下限，整个社区只能划为一个网格",
		"the community's total is below the minimum, so it can only be one grid"},
	"band_gap": {"社区总户数无法分成整数个区间内的网格",
		"no whole number of grids in the band adds up to the community's total"},
	"compound_too_large": {"小区超过上限，又无法拆成区间内的网格",
		"a compound above the maximum cannot be split into grids in the band"},
	"oversized_building": {"单栋楼户数超过上限，自成一格",
		"one building alone holds more households than the maximum"},
	"isolated": {"片区与其他单元隔开（飞地，或被道路、河流、铁路围住），无法合并",
		"a piece cut off from its neighbours (an island, or enclosed by roads, rivers or railways)"},
	"indivisible_units": {"不可拆分的小区和楼栋无法组成区间内的连通网格",
		"the whole compounds and buildings here cannot be combined into connected grids in the band"},
	"container_footprint": {"底商或地块轮廓内含其他网格的楼栋，重绘无法修复",
		"the footprint holds buildings of other grids (a podium or a parcel); no redrawing can fix it"},
	"multipart_building": {"楼栋由相距较远的几部分组成，各部分所在的网格只能分成几块",
		"a building is drawn in parts far apart, so its grid must be in pieces; no redrawing can fix it"},
}

// reasonText is the reason in words, the code itself if unknown.
func reasonText(code string) phrase {
	if p, ok := reasons[code]; ok {
		return p
	}
	return phrase{code, code}
}

// kinds names the findings of check by kind.
var kinds = map[string]phrase{
	"bad_code":            {"网格编码缺失或重复", "code blank or repeated"},
	"invalid_geometry":    {"无效几何", "invalid geometry"},
	"outside_communities": {"不在任何社区内", "outside every community"},
	"crosses_community":   {"跨越社区边界", "crosses its community's boundary"},
	"overlap":             {"网格重叠", "grids overlap"},
	"gap":                 {"网格间空隙", "gap between grids"},
	"uncovered_building":  {"楼栋未被覆盖", "building in no grid"},
	"straddling_building": {"楼栋跨网格", "building straddles grids"},
	"split_compound":      {"小区被拆分", "compound split"},
	"multipart":           {"网格分成多块", "grid in several pieces"},
	"out_of_band":         {"户数超出区间", "households out of band"},
}

func kindText(k string) phrase {
	if p, ok := kinds[k]; ok {
		return p
	}
	return phrase{k, k}
}

// classes names the change classes of a repartition, in order.
var classes = [4]struct {
	Code string
	phrase
}{
	{"U", phrase{"未变", "unchanged"}},
	{"S", phrase{"拆分", "split"}},
	{"M", phrase{"合并", "merged"}},
	{"X", phrase{"重绘", "redrawn"}},
}

// statuses names a grid's status.
var statuses = map[string]phrase{
	"ok":    {"区间内", "in band"},
	"under": {"低于下限", "under"},
	"over":  {"高于上限", "over"},
}

func statusText(s string) phrase {
	if p, ok := statuses[s]; ok {
		return p
	}
	return phrase{s, s}
}

// types names a grid's type.
var types = map[string]phrase{
	"residential": {"居民网格", "residential"},
	"dedicated":   {"专属网格", "dedicated"},
	"empty":       {"无住户网格", "empty"},
}

func typeText(s string) phrase {
	if p, ok := types[s]; ok {
		return p
	}
	return phrase{s, s}
}
