#!/usr/bin/env bash
# Check the include-layer rule of STYLE.md section 2: a layer includes only the layers listed
# for it, and the CLI includes only the public header. Prints each violation; exit 1 if any.
set -u
cd "$(dirname "$0")/.."
declare -A allowed=(
  [core]="core"
  [io]="io core"
  [solve]="solve core"
  [model]="model solve core"
  [estim]="estim solve core"
  [policy]="policy model estim solve core"
  [report]="report policy model estim io core"
  [cli]=""
)
bad=0
for dir in src/*/; do
  layer=$(basename "$dir")
  [[ -v allowed[$layer] ]] || { echo "layers: unknown layer src/$layer"; bad=1; continue; }
  while IFS=: read -r file line inc; do
    target=$(sed -E 's/.*#include *"([^"]+)".*/\1/' <<<"$inc")
    case "$target" in
      tradewar/*) continue ;;            # the public header: everyone may include it
      */*) tl=${target%%/*} ;;
      *) [[ $layer == cli ]] && continue; tl=$layer ;;  # same-directory private header
    esac
    if [[ $layer == cli ]]; then
      echo "layers: $file:$line: the CLI includes \"$target\"; it may include only tradewar/tradewar.h"; bad=1
    elif [[ " ${allowed[$layer]} " != *" $tl "* ]]; then
      echo "layers: $file:$line: $layer includes \"$target\" ($tl is not allowed for $layer)"; bad=1
    fi
  done < <(grep -n '#include *"' "$dir"*.[ch] 2>/dev/null | sed -E 's/^([^:]+):([0-9]+):/\1:\2:/')
done
[[ $bad -eq 0 ]] && echo "layers: ok"
exit $bad
