#!/usr/bin/env bash
# Build the NL Design System CSS into static files (run after `npm ci`). The output is committed
# so that `make run` needs no Node.js; `make assets` refreshes it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=vangnet/static/vendor/nlds
mkdir -p "$out"
ver() { node -p "require('./node_modules/$1/package.json').version"; }
{
  echo "/* @utrecht/component-library-css $(ver @utrecht/component-library-css) (EUPL-1.2), built by scripts/build_assets.sh */"
  cat node_modules/@utrecht/component-library-css/dist/index.css
} > "$out/utrecht-components.css"
{
  echo "/* @nl-design-system-unstable/voorbeeld-design-tokens $(ver @nl-design-system-unstable/voorbeeld-design-tokens) (EUPL-1.2), built by scripts/build_assets.sh */"
  cat node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css
} > "$out/voorbeeld-theme.css"
echo "NL Design System CSS written to $out"
