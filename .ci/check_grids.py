#!/usr/bin/python3
"""Independent check of a gridplan plan with shapely (Debian python3-shapely).

usage: check_grids.py [--planar] OUT BUILDINGS [COMMUNITIES]

With --planar, the coordinates are already metres (a projected layer, e.g.
CGCS2000 Gauss–Krüger converted to GeoJSON by ogr2ogr) and are checked as
they are.

Reads OUT/grids.geojson, OUT/assignment.csv, and OUT/stats.json and
OUT/outside.csv when they exist, and checks in a local equirectangular
projection (metres):

- every grid has a geometry, valid and single-part (a MultiPolygon grid is
  allowed only when its stats.json entry, or else its own properties, give
  the reason "isolated");
- with COMMUNITIES, the grids of each community tile it: the part of the
  community no grid covers (gap) and the part of its grids outside it
  (excess) are each under 1 m² (excess: plus the area stats.json says a
  community was extended by to hold buildings joined from outside), and
  every community has a grid;
- no two grids overlap by more than 1e-3 m²;
- every footprint lies in its own grid: the part of it inside the grids but
  outside its own grid, less the parts it shares with other footprints
  (which may lie in either one's grid) and, with COMMUNITIES, less the part
  outside its own community (a footprint drawn across the outline), is
  under 0.01 m²; a Point building
  lies in its own grid; only a building beyond every community polygon may
  lie beyond every grid (it is counted, not failed); a podium or parcel
  whose warning says grids may cross it (its buildings together exceed the
  band) is exempt;
- assignment.csv and BUILDINGS hold the same building ids, each once,
  except buildings listed in OUT/outside.csv, which may be missing from the
  assignment; every grid code of the assignment is a grid.

Inputs may be messy, as real layers are: buildings with a null community
or a Point geometry, communities split into several features under one id
(their union is the community), and invalid input polygons, which are
repaired as the tool repairs them (shapely's make_valid, or buffer(0); an
area is measured against each repair and the smaller value counts).

Prints, per check, how many failed and the worst value, then up to 10
failures per check; exits 1 on any failure.
"""
import csv
import json
import math
import os
import re
import sys
import warnings

from shapely.geometry import shape, MultiPolygon, Polygon
from shapely.ops import unary_union
from shapely.strtree import STRtree
from shapely.affinity import affine_transform
from shapely.validation import explain_validity

try:
    from shapely.validation import make_valid
except ImportError:  # shapely < 1.8
    make_valid = None

warnings.filterwarnings("ignore", message="STRtree will be changed")  # shapely 1.8 on Debian 12
warnings.filterwarnings("ignore", category=DeprecationWarning)

R = 6371008.8  # mean Earth radius; areas are compared, not reported

GAP_M2 = 1.0  # per community: uncovered part, and grids beyond it
OVERLAP_M2 = 1e-3  # between two grids
OUTSIDE_M2 = 0.01  # of a footprint outside its grid
SHOWN = 10  # failures printed per check


def projector(lat0):
    kx = math.radians(1) * R * math.cos(math.radians(lat0))
    ky = math.radians(1) * R
    return lambda g: affine_transform(g, [kx, 0, 0, ky, 0, 0])


def load(path):
    with open(path) as f:
        return json.load(f)["features"]


def geometry(f):
    """The feature's shapely geometry, or None when it has none."""
    g = f.get("geometry")
    if not g or not g.get("coordinates"):
        return None
    g = shape(g)
    return None if g.is_empty else g


def polygonal(g):
    """The polygons of g (a Polygon, MultiPolygon or collection) as one geometry."""
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    if g.geom_type == "GeometryCollection":
        parts = []
        for h in g.geoms:
            if h.geom_type == "Polygon":
                parts.append(h)
            elif h.geom_type == "MultiPolygon":
                parts.extend(h.geoms)
        return MultiPolygon(parts) if parts else Polygon()
    return Polygon()


def repairs(g):
    """g if it is valid, else its repairs: make_valid and buffer(0)."""
    if g.is_valid or g.geom_type not in ("Polygon", "MultiPolygon"):
        return [g]
    out = []
    if make_valid is not None:
        out.append(polygonal(make_valid(g)))
    out.append(polygonal(g.buffer(0)))
    return out


def ident(v):
    """A building or community id as the CSV writes it."""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return None if v is None else str(v)


class Check:
    """One check: its failures, and the worst value it measured."""

    def __init__(self, name, unit=""):
        self.name, self.unit = name, unit
        self.failed, self.worst, self.messages = 0, None, []

    def measure(self, value):
        if self.worst is None or value > self.worst:
            self.worst = value

    def fail(self, msg):
        self.failed += 1
        if len(self.messages) < SHOWN:
            self.messages.append(msg)

    def line(self):
        s = "%-32s %6d failed" % (self.name, self.failed)
        if self.worst is not None:
            s += "   worst %s%s" % (("%.6f" % self.worst) if isinstance(self.worst, float) else self.worst, self.unit)
        return s


def grid_reasons(out, grids):
    """The reason of each grid code: from stats.json, else the grid's properties."""
    reasons = {ident(f["properties"].get("code")): f["properties"].get("reason") or "" for f in grids}
    try:
        with open(out + "/stats.json") as f:
            for g in json.load(f).get("grids") or []:
                reasons[ident(g.get("code"))] = g.get("reason") or ""
    except FileNotFoundError:
        pass
    return reasons


def crossed_ids(out):
    """Buildings whose footprint grids may cross: a podium or parcel holding
    buildings that together exceed the band (its container_footprint
    warning in stats.json says so)."""
    try:
        with open(out + "/stats.json") as f:
            ws = json.load(f).get("warnings") or []
    except FileNotFoundError:
        return set()
    return {ident(w.get("id")) for w in ws
            if w.get("kind") == "container_footprint" and "grids may cross it" in (w.get("note") or "")}


def extensions(out):
    """Community id -> square metres it was extended by to hold buildings
    joined from outside (community_extended warnings of stats.json, whose
    note gives the area rounded to 1 m², hence the margin)."""
    try:
        with open(out + "/stats.json") as f:
            ws = json.load(f).get("warnings") or []
    except FileNotFoundError:
        return {}
    ext = {}
    for w in ws:
        m = re.search(r"extended by (\d+) m²", w.get("note") or "")
        if w.get("kind") == "community_extended" and m:
            ext[ident(w.get("id"))] = float(m.group(1)) + 1
    return ext


def outside_ids(out):
    """The building ids of OUT/outside.csv (column building_id or id, else the first)."""
    path = out + "/outside.csv"
    if not os.path.exists(path):
        return set()
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        return set()
    head = rows[0]
    for col in ("building_id", "id"):
        if col in head:
            k = head.index(col)
            return {r[k] for r in rows[1:] if len(r) > k}
    return {r[0] for r in rows[1:] if r}


def main():
    args = sys.argv[1:]
    planar = bool(args) and args[0] == "--planar"
    if planar:
        args = args[1:]
    out, buildings_path = args[0], args[1]
    communities_path = args[2] if len(args) > 2 else None
    grids = load(out + "/grids.geojson")
    buildings = load(buildings_path)
    reasons = grid_reasons(out, grids)

    some = next((g for g in map(geometry, grids) if g is not None), None)
    if some is None:
        some = next((g for g in map(geometry, buildings) if g is not None), None)
    proj = projector(some.centroid.y if some is not None else 0.0)
    if planar:
        proj = lambda g: g

    c_geom = Check("grid has a geometry")
    c_valid = Check("grid is valid")
    c_parts = Check("grid is single-part", " parts")
    c_gap = Check("community gap (uncovered)", " m²")
    c_excess = Check("community excess (grids beyond)", " m²")
    c_overlap = Check("grid pairwise overlap", " m²")
    c_foot = Check("footprint outside its grid", " m²")
    c_point = Check("point building outside its grid", " m")
    c_ids = Check("assignment matches buildings")
    checks = [c_geom, c_valid, c_parts, c_gap, c_excess, c_overlap, c_foot, c_point, c_ids]

    # Grids.
    polys, by_community = {}, {}
    for f in grids:
        p = f["properties"]
        code = ident(p.get("code"))
        g = geometry(f)
        if g is None:
            c_geom.fail("grid %s: null or empty geometry" % code)
            continue
        g = proj(g)
        if not g.is_valid:
            c_valid.fail("grid %s: invalid polygon: %s" % (code, explain_validity(g)))
            g = repairs(g)[0]  # to measure the other checks at all
        parts = len(g.geoms) if g.geom_type in ("MultiPolygon", "GeometryCollection") else 1
        c_parts.measure(parts)
        if g.geom_type not in ("Polygon", "MultiPolygon"):
            c_parts.fail("grid %s: a %s, not a polygon" % (code, g.geom_type))
        elif parts > 1 and reasons.get(code) != "isolated":
            c_parts.fail("grid %s: %d parts, reason %r" % (code, parts, reasons.get(code)))
        polys[code] = g
        by_community.setdefault(ident(p.get("community")), []).append(g)

    # Communities: features sharing an id are one community.
    extended = extensions(out)
    comm_union = None  # all communities, repaired: buildings beyond it may lie beyond every grid
    comm_area = {}  # community id -> its area, repaired
    if communities_path:
        comms = {}
        for f in load(communities_path):
            g = geometry(f)
            if g is not None:
                comms.setdefault(ident(f["properties"].get("id")), []).append(proj(g))
        for cid, parts in comms.items():
            own = by_community.get(cid, [])
            if not own:
                c_gap.fail("community %s: no grid covers it" % cid)
                continue
            union = unary_union(own)
            # Each part repaired both ways; the repair that fits best counts.
            reps = [repairs(g) for g in parts]
            variants = [unary_union([r[min(k, len(r) - 1)] for r in reps]) for k in range(2)]
            gap = min(c.difference(union).area for c in variants)
            excess = min(union.difference(c).area for c in variants)
            c_gap.measure(gap)
            c_excess.measure(excess)
            if gap > GAP_M2:
                c_gap.fail("community %s: %.3f m² not covered by its grids" % (cid, gap))
            if excess > GAP_M2 + extended.get(cid, 0):
                c_excess.fail("community %s: its grids reach %.3f m² beyond it" % (cid, excess))
        comm_union = unary_union([repairs(g)[0] for parts in comms.values() for g in parts])
        comm_area = {cid: unary_union([repairs(g)[0] for g in parts]) for cid, parts in comms.items()}
        for cid in by_community:
            if cid not in comms:
                c_excess.fail("grids of community %s, which the communities layer lacks" % cid)

    # Pairwise overlaps.
    codes = list(polys)
    geoms = [polys[c] for c in codes]
    index = {id(g): i for i, g in enumerate(geoms)}
    tree = STRtree(geoms)
    c_overlap.measure(0.0)
    for i, g in enumerate(geoms):
        for h in tree.query(g):
            j = index[id(h)]
            if j <= i:
                continue
            a = g.intersection(h).area
            c_overlap.measure(a)
            if a > OVERLAP_M2:
                c_overlap.fail("grids %s and %s overlap by %.6f m²" % (codes[i], codes[j], a))

    # Assignment against the buildings file.
    grid_of, community_of = {}, {}
    with open(out + "/assignment.csv", newline="") as f:
        for row in csv.DictReader(f):
            bid = row["building_id"]
            if bid in grid_of:
                c_ids.fail("building %s assigned twice" % bid)
            grid_of[bid] = row["grid_code"]
            community_of[bid] = row.get("community")
            if row["grid_code"] not in polys:
                c_ids.fail("building %s: grid %s has no polygon" % (bid, row["grid_code"]))
    skipped = outside_ids(out)
    feats = {}
    for f in buildings:
        bid = ident(f["properties"].get("id", f.get("id")))
        if bid in feats:
            c_ids.fail("building %s twice in the buildings file" % bid)
        feats[bid] = f
    for bid in feats:
        if bid not in grid_of and bid not in skipped:
            c_ids.fail("building %s: not in assignment.csv nor outside.csv" % bid)
    for bid in grid_of:
        if bid not in feats:
            c_ids.fail("building %s of assignment.csv: not in the buildings file" % bid)

    # Footprints in their grids. Repaired footprints, each the repair that
    # fits its grid best; the parts shared with other footprints are free.
    # The part of a footprint beyond every grid is not measured; a building
    # wholly beyond them must lie beyond every community too (assigned
    # with --outside nearest, say), and without communities it may not.
    covered = unary_union(geoms)
    outside_grids = 0

    def beyond_communities(g):
        return comm_union is not None and g.intersection(comm_union).area < 1e-9 and comm_union.distance(g) > 1e-6
    fps, fp_ids = [], []
    for bid, f in feats.items():
        g = geometry(f)
        if g is None or bid not in grid_of or grid_of[bid] not in polys:
            continue
        g = proj(g)
        own = polys[grid_of[bid]]
        if g.geom_type == "Point":
            d = own.distance(g)
            if d > 1e-6 and covered.distance(g) > 1e-6 and beyond_communities(g):
                outside_grids += 1
                continue
            c_point.measure(d)
            if d > 1e-6:
                c_point.fail("building %s: point %.3f m outside its grid %s" % (bid, d, grid_of[bid]))
            continue
        best = min(repairs(g), key=lambda r: r.intersection(covered).difference(own).area)
        fps.append(best)
        fp_ids.append(bid)
    fp_index = {id(g): i for i, g in enumerate(fps)}
    fp_tree = STRtree(fps)
    c_foot.measure(0.0)
    crossed = crossed_ids(out)
    for i, fp in enumerate(fps):
        bid = fp_ids[i]
        if bid in crossed:
            continue
        inside = fp.intersection(covered)
        if inside.area < 1e-9:
            if beyond_communities(fp):
                outside_grids += 1
            else:
                c_foot.fail("building %s: beyond every grid" % bid)
            continue
        part = inside.difference(polys[grid_of[bid]])
        home = comm_area.get(community_of.get(bid))
        if part.area > OUTSIDE_M2 and home is not None and community_of.get(bid) not in extended:
            # Drawn across its community's outline: only the part inside
            # is its grid's to hold.
            part = part.intersection(home)
        if part.area <= OUTSIDE_M2:
            c_foot.measure(part.area)
            continue
        others = [h for h in fp_tree.query(fp) if fp_index[id(h)] != i and h.intersects(fp)]
        if others:
            part = part.difference(unary_union(others))
        c_foot.measure(part.area)
        if part.area > OUTSIDE_M2:
            c_foot.fail("building %s: %.6f m² outside its grid %s" % (bid, part.area, grid_of[bid]))

    failed = sum(c.failed for c in checks)
    print("check_grids: %d grids, %d buildings (%d assigned, %d listed outside, %d footprints beyond every grid)"
          % (len(grids), len(feats), len(grid_of), len(skipped), outside_grids))
    for c in checks:
        print("check_grids:   " + c.line())
    for c in checks:
        for msg in c.messages:
            print("check_grids: " + msg)
        if c.failed > len(c.messages):
            print("check_grids: ... and %d more: %s" % (c.failed - len(c.messages), c.name))
    print("check_grids: %s" % ("FAILED" if failed else "ok"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
