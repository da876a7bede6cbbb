#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/browser/render.sh: render an HTML report of every result kind in headless Chromium and
# check that every chart rendered, with no errors and no network requests (docs/reports.md).
#
# For each kind: `tradewar report` writes the page; Chromium loads it from file:// with the
# background-networking features off and every host name unresolvable, and dumps the DOM once
# the page's script has finished (--virtual-time-budget lets the vega views render without
# wall-clock waiting). The page records on <html>: data-tw-done, data-tw-charts (views
# started), data-tw-charts-ok (views whose SVG has marks), data-tw-errors (window errors,
# console.error calls, CSP violations, failed views) and data-tw-resources (performance
# resource entries: every fetch the page made). Each chart must have rendered, errors and
# resources must be empty. A screenshot of each page is saved as a test artifact in
# ARTIFACTS (default build/artifacts/browser).
#
# Exit 77 (skip) when chromium is not installed, unless CI=true (then a failure).
set -uo pipefail
: "${TW_SRC:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TW:=$TW_SRC/build/tradewar}"
: "${ARTIFACTS:=$TW_SRC/build/artifacts/browser}"
CHROMIUM=""
for c in chromium chromium-browser google-chrome; do
    command -v "$c" > /dev/null 2>&1 && { CHROMIUM=$(command -v "$c"); break; }
done
if [ -z "$CHROMIUM" ]; then
    if [ "${CI:-}" = true ]; then
        echo "render.sh: chromium not found (required when CI=true; scripts/install-deps.sh installs it)" >&2
        exit 1
    fi
    echo "render.sh: SKIP: chromium not found (install the Debian package chromium)" >&2
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$ARTIFACTS"
"$TW_SRC/tests/browser/make-results.sh" "$work/results" || { echo "render.sh: cannot make results" >&2; exit 1; }

# One throw-away profile and HOME for the whole test (a fresh HOME per call would make
# fontconfig rebuild its cache every time); nothing is read from or written to the user's.
mkdir -p "$work/home"
n_call=0
chrome() {
    local prof="$work/home"
    n_call=$((n_call + 1))
    HOME="$prof" "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --disable-background-networking --disable-component-update --no-first-run \
        --disable-sync --disable-default-apps --disable-extensions --no-default-browser-check \
        --disable-domain-reliability --disable-client-side-phishing-detection \
        --metrics-recording-only --mute-audio --hide-scrollbars \
        --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$prof" \
        --virtual-time-budget=15000 "$@" 2> "$work/chrome.$n_call.log"
}

fail=0
for kind in run simulate sweep estimate war deal; do
    html="$work/$kind.html"
    if ! "$TW" report "$work/results/$kind.json" -o "$html"; then
        echo "FAIL $kind: tradewar report failed" >&2
        fail=1
        continue
    fi
    expected=$(python3 -c 'import re,sys; print(len(re.findall(r"<div class=\"chart\" id=\"tw-chart-", open(sys.argv[1]).read())))' "$html")
    chrome --dump-dom "file://$html" > "$work/$kind.dom.html"
    chrome --window-size=1280,2400 --screenshot="$ARTIFACTS/report-$kind.png" "file://$html" > /dev/null
    if ! python3 - "$work/$kind.dom.html" "$kind" "$expected" "$ARTIFACTS/report-$kind.png" <<'PY'
import html, json, re, struct, sys
dom, kind, expected, shot = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
text = open(dom, encoding="utf-8").read()
m = re.search(r"<html([^>]*)>", text)
assert m, "no <html> element in the DOM dump"
attrs = dict((k, html.unescape(v)) for k, v in re.findall(r'([\w-]+)="([^"]*)"', m.group(1)))
assert attrs.get("data-tw-done") == "1", "the page's script did not finish: %r" % attrs
assert expected > 0, "no chart container in the page"
assert int(attrs["data-tw-charts"]) == expected, (attrs["data-tw-charts"], expected)
assert int(attrs["data-tw-charts-ok"]) == expected, "charts rendered: %s of %d" % (attrs["data-tw-charts-ok"], expected)
errors = json.loads(attrs["data-tw-errors"])
assert errors == [], "errors: %r" % errors
resources = json.loads(attrs["data-tw-resources"])
assert resources == [], "network requests: %r" % resources
# Every chart container holds an SVG with marks (checked on the dumped DOM too).
parts = re.split(r'<div(?=[^>]*id="tw-chart-\d+")', text)[1:]
good = [p for p in parts if 'data-tw-rendered="yes"' in p.split(">", 1)[0]
        and re.search(r"<svg.*?<(path|rect|text)\b", p, re.S)]
assert len(good) == expected, "SVG charts in the DOM: %d of %d" % (len(good), expected)
png = open(shot, "rb").read()
assert png[:8] == b"\x89PNG\r\n\x1a\n", "screenshot is not a PNG"
w, h = struct.unpack(">II", png[16:24])
assert w >= 1000 and h >= 1000, (w, h)
print("ok %s: %d charts, no errors, no requests, screenshot %dx%d" % (kind, expected, w, h))
PY
    then
        echo "FAIL $kind (DOM dump kept in $ARTIFACTS/report-$kind.dom.html)" >&2
        cp "$work/$kind.dom.html" "$ARTIFACTS/report-$kind.dom.html"
        fail=1
    fi
done
# Chromium's own log must not show console errors from the page or blocked requests.
if grep -h -E "Uncaught|Refused to|ERR_NAME_NOT_RESOLVED" "$work"/chrome.*.log; then
    echo "FAIL: errors in Chromium's log" >&2
    fail=1
fi
exit $fail
