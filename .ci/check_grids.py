#!/usr/bin/python3
"""Independent check of a gridplan plan with shapely (Debian python3-shapely).

usage: check_grids.py OUT BUILDINGS [COMMUNITIES]

Reads OUT/grids.geojson and OUT/assignment.csv and checks, in a local
equirectangular projection (metres): every grid polygon is valid; the grids
of each community cover it (area of the symmetric difference under 1 m² per
community; a community without buildings has a grid too) when COMMUNITIES is
given; no two grids overlap by more than
1e-3 m²; every building's centroid (or a point inside it, if the centroid is
not) lies in its own grid's polygon, and no more than 1e-3 m² of a footprint
lies in the grids but outside its own (SPEC §4: every building inside its
grid, as far as the grids reach). Prints a summary; exits 1 on failure.
"""
import csv
import json
import math
import sys
import warnings

from shapely.geometry import shape, Point
from shapely.ops import unary_union
from shapely.strtree import STRtree
from shapely.affinity import affine_transform

warnings.filterwarnings("ignore", message="STRtree will be changed")  # shapely 1.8 on Debian 12

R = 6371008.8  # mean Earth radius; areas are compared, not reported


def projector(lat0):
    kx = math.radians(1) * R * math.cos(math.radians(lat0))
    ky = math.radians(1) * R
    return lambda g: affine_transform(g, [kx, 0, 0, ky, 0, 0])


def load(path):
    with open(path) as f:
        return json.load(f)["features"]


def main():
    out, buildings_path = sys.argv[1], sys.argv[2]
    communities_path = sys.argv[3] if len(sys.argv) > 3 else None
    grids = load(out + "/grids.geojson")
    lat0 = shape(grids[0]["geometry"]).centroid.y
    proj = projector(lat0)
    failures = []

    polys, by_community = {}, {}
    for f in grids:
        p = f["properties"]
        g = proj(shape(f["geometry"]))
        if not g.is_valid:
            failures.append("grid %s: invalid polygon" % p["code"])
        polys[p["code"]] = g
        by_community.setdefault(p["community"], []).append(g)

    worst_gap = 0.0
    if communities_path:
        for f in load(communities_path):
            cid = str(f["properties"]["id"])
            c = proj(shape(f["geometry"]))
            union = unary_union(by_community.get(cid, []))
            diff = union.symmetric_difference(c).area
            worst_gap = max(worst_gap, diff)
            if not by_community.get(cid):
                failures.append("community %s: no grid covers it" % cid)
            elif diff > 1.0:
                failures.append("community %s: grids differ from it by %.3f m²" % (cid, diff))

    codes = list(polys)
    geoms = [polys[c] for c in codes]
    index = {id(g): i for i, g in enumerate(geoms)}
    tree = STRtree(geoms)
    worst_overlap = 0.0
    for i, g in enumerate(geoms):
        for h in tree.query(g):
            j = index[id(h)]
            if j <= i:
                continue
            a = g.intersection(h).area
            worst_overlap = max(worst_overlap, a)
            if a > 1e-3:
                failures.append("grids %s and %s overlap by %.6f m²" % (codes[i], codes[j], a))

    grid_of = {}
    with open(out + "/assignment.csv") as f:
        for row in csv.DictReader(f):
            grid_of[row["building_id"]] = row["grid_code"]
    outside = 0
    clipped = 0
    covered = unary_union(list(polys.values()))
    for f in load(buildings_path):
        bid = str(f["properties"].get("id", f.get("id")))
        b = proj(shape(f["geometry"]))
        p = b.centroid
        if b.geom_type != "Point" and not b.contains(p):
            p = b.representative_point()
        if polys[grid_of[bid]].distance(p) > 1e-6:
            outside += 1
            if outside <= 10:
                failures.append("building %s: not inside its grid %s" % (bid, grid_of[bid]))
        elif b.geom_type != "Point":
            a = b.intersection(covered).difference(polys[grid_of[bid]]).area
            if a > 1e-3:
                clipped += 1
                if clipped <= 10:
                    failures.append("building %s: %.6f m² outside its grid %s" % (bid, a, grid_of[bid]))

    print("check_grids: %d grids, worst community difference %.6f m², worst overlap %.6f m², %d buildings outside their grid, %d partly outside"
          % (len(grids), worst_gap, worst_overlap, outside, clipped))
    for msg in failures:
        print("check_grids: " + msg)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
