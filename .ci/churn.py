"""Writes a census update of a buildings file for CI: before.geojson lacks 2%
of the buildings (added since), after.geojson lacks another 2% (demolished).

usage: churn.py BUILDINGS OUTDIR SEED
"""
import json
import random
import sys

src, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(src) as f:
    fc = json.load(f)
n = len(fc["features"])
picked = random.Random(seed).sample(range(n), 2 * (n // 50))
added, removed = set(picked[: n // 50]), set(picked[n // 50 :])
for name, drop in (("before", added), ("after", removed)):
    part = dict(fc, features=[ft for i, ft in enumerate(fc["features"]) if i not in drop])
    with open(f"{out}/{name}.geojson", "w") as f:
        json.dump(part, f)
