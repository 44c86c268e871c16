package plan

import (
	"gridplan/geo"
	"gridplan/geo/format"
	"gridplan/partition"
)

// Options are the settings of a run. The band, target, seed and effort are
// partition's; the rest say how layers are read, how units are weighed and
// how grids are coded.
type Options struct {
	partition.Settings

	Fields        geo.Fields // property names of the buildings layer
	RegionIDField string     // id property of the communities and compounds layers
	// SliverToleranceM2 is the largest overlap between two communities
	// that is repaired (with a warning) rather than refused.
	SliverToleranceM2 float64
	// SnapM is how far outside every community a building may lie and
	// still join the nearest one (with a warning).
	SnapM float64
	// Outside says what becomes of buildings farther than SnapM outside
	// every community: an error (the default), left out, or joined to the
	// nearest community.
	Outside geo.Outside
	// audit marks the options of an audit (Check): a building's community
	// property wins over its location there, as the audit reports it.
	audit bool

	ShopWeight     float64 // households each shop counts for in the band
	DedicatedGrids bool    // each institution becomes a dedicated grid

	// CodeTemplate, if not empty, lays out grid codes (see
	// [ParseCodeTemplate]), e.g. "{community}-{seq:02}"; CodeSep and
	// CodeWidth are then ignored. Without it a code is the community code,
	// CodeSep and the sequence number in CodeWidth digits (0: as many as
	// it has).
	CodeTemplate string
	CodeSep      string
	CodeWidth    int
	// CSVBOM begins every CSV file of the plan with a UTF-8 byte order
	// mark, so that spreadsheets read it as UTF-8: Excel on Chinese Windows
	// reads a CSV without one as GBK, garbling ids and names. Off by
	// default: other tools (diff, cut, most CSV readers of scripts) take
	// the mark for part of the first field.
	CSVBOM bool

	// Out are the coordinates the layers are written in; the zero value
	// writes longitude/latitude.
	Out Coordinates
	// Layer is the format of the grid layer (and of check's findings
	// layer); its System is the system Out converts to. The zero value
	// writes GeoJSON in longitude/latitude.
	Layer format.WriteOptions

	// NoReport skips what only report.html needs ([Plan.Report]): the
	// buildings, outlines and compounds drawn as the plan is made (about
	// 2 MB at 60,000 buildings, well under a second). Report then
	// returns ErrNoReport.
	NoReport bool

	// Warnings, if not nil, receives the input warnings (repairs, stacked
	// buildings) once loading has found them all, before the search.
	Warnings func([]geo.Warning)
	// Progress, if not nil, is told as each phase of [Load], [Partition]
	// and [Repartition] begins and how far the long ones have got (see
	// [Progress]), from any goroutine, possibly several at once. It stands
	// in for partition.Settings.Progress, which the search's phase reports
	// through; the plan never depends on it.
	Progress func(Progress)
}

func (o *Options) warn(ws []geo.Warning) {
	if o.Warnings != nil {
		o.Warnings(ws)
	}
}
