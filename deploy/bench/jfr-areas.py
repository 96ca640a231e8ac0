#!/usr/bin/env python3
"""Where a node's time (or allocation) goes, by area of the ingest path, from a flight recording.

    jfr print --events jdk.ExecutionSample --stack-depth 96 node.jfr > samples.txt
    deploy/bench/jfr-areas.py samples.txt [TOP_FRAMES]
    jfr print --events jdk.ObjectAllocationSample --stack-depth 96 node.jfr > alloc.txt
    deploy/bench/jfr-areas.py alloc.txt [TOP_FRAMES]      (weighted by the samples' allocated bytes)

Each sample goes to the first area whose pattern occurs anywhere in its stack, most specific first, so a JDBC call
made from the metric writer counts as JDBC, not as the writer's actor plumbing.
"""
import collections
import re
import sys

AREAS = [
    ("decode (WireFormat / Jackson read)", [r"WireFormat\.decode", r"ObjectMapper\.read", r"ObjectReader\.read",
                                            r"jackson\.databind\.deser"]),
    ("encode (WireFormat / Jackson write: acks, UI frames)", [r"WireFormat\.encode", r"ObjectMapper\.write",
                                                              r"ObjectWriter\.write", r"jackson\.databind\.ser"]),
    ("alert evaluation", [r"AlertDecisions", r"AlertHandler\.evaluate", r"node\.alerting\."]),
    ("samples of a report (ReportSamples / SampleCodec)", [r"ReportSamples", r"SampleCodec"]),
    ("metric rollup job", [r"RollupJob", r"RetentionJob"]),
    ("JDBC metric writes", [r"MetricWriter", r"org\.h2\.", r"org\.postgresql\.", r"com\.zaxxer"]),
    ("journal / persistence plugin", [r"pekko\.persistence", r"slick\."]),
    ("live view / pushes", [r"LiveView", r"node\.live\.", r"FleetFeed", r"FleetChanges"]),
    ("entity (other)", [r"io\.steward\.node\.server\."]),
    ("ingest connection", [r"io\.steward\.node\.ingest\.", r"io\.steward\.node\.socket\."]),
    ("pekko-http WebSocket / TCP (UTF-8 decoding, framing)", [r"pekko\.http\.", r"pekko\.io\.", r"sun\.nio\.ch"]),
    ("pekko streams", [r"pekko\.stream\."]),
    ("pekko actors / sharding / remote", [r"pekko\.cluster", r"pekko\.remote", r"pekko\.actor", r"pekko\.dispatch"]),
    ("other steward", [r"io\.steward\."]),
]
COMPILED = [(name, [re.compile(p) for p in patterns]) for name, patterns in AREAS]
UNITS = {"byte": 1, "bytes": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}


def main():
    areas, tops = collections.Counter(), collections.Counter()
    total = 0.0
    weighted = False
    frames, weight, inside = [], 1.0, False

    def flush():
        nonlocal total, frames
        if frames:
            total += weight
            tops[frames[0]] += weight
            stack = "\n".join(frames)
            name = next((n for n, ps in COMPILED if any(p.search(stack) for p in ps)), "other (JDK)")
            areas[name] += weight
        frames = []

    for line in open(sys.argv[1]):
        text = line.strip()
        if text.startswith("jdk.ExecutionSample") or text.startswith("jdk.ObjectAllocationSample"):
            flush()
            inside, weight = False, 1.0
        elif text.startswith("weight = "):
            value, unit = text.split("=", 1)[1].split()[:2]
            weight, weighted = float(value.replace(",", "")) * UNITS.get(unit, 1), True
        elif text.startswith("stackTrace = ["):
            inside = True
        elif inside and text == "]":
            inside = False
        elif inside and text and text != "...":
            frames.append(re.sub(r"\s+line:.*", "", text))
    flush()
    if weighted:
        print(f"{total / 1e6:,.0f} MB allocated (sampled weight)")
    else:
        print(f"{total:,.0f} execution samples (Java threads on CPU)")
    for name, value in areas.most_common():
        print(f"  {100 * value / total:5.1f} %  {name}")
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    if top:
        print("top frames (self):")
        for frame, value in tops.most_common(top):
            print(f"  {100 * value / total:5.1f} %  {frame}")


if __name__ == "__main__":
    main()
