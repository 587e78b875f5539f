#!/bin/sh
# Builds the Fargate runner's contents: the build stage of infra/runner-image/Dockerfile runs
# this script, and so does the assembly test (test/assembly), so what the test runs in
# isolation is what the image holds. Run from the build context's root (the repository, or
# the staged copy CDK makes under cdk.out). Writes <out>/fargate-runner.mjs and its map;
# nothing else of the build context reaches the image.
#   build-runner.sh install        npm ci (its own step, so Docker caches it apart from sources)
#   build-runner.sh bundle [out]   the runner bundle into out (default dist)
#   build-runner.sh all [out]      both
set -eu
step="${1:-all}"
out="${2:-dist}"

# Scripts are skipped: the `node` dev dependency would download a Node binary, and esbuild
# finds its platform binary through optional dependencies without its postinstall. So the
# runner must not depend on anything an install script would have done.
if [ "$step" = install ] || [ "$step" = all ]; then
  npm ci --ignore-scripts --no-audit --no-fund
fi
[ "$step" = install ] && exit 0

# Everything is bundled (no --external for the AWS SDK): the image has no node_modules.
# The Kafka client's WebAssembly helpers come inlined (their default entry reads a .wasm file
# next to itself, which a bundle does not have).
./node_modules/.bin/esbuild functions/fargate-runner.ts \
  --bundle --platform=node --target=node24 --format=esm \
  --main-fields=module,main --sourcemap --minify \
  --external:pg-native \
  --alias:@platformatic/wasm-utils=@platformatic/wasm-utils/bundled \
  --banner:js="import { createRequire as __tributaryCreateRequire } from 'node:module'; const require = __tributaryCreateRequire(import.meta.url);" \
  --log-level=warning \
  --outfile="$out/fargate-runner.mjs"
