# Shared by bench/run, bench/memory and bench/compare-temporal (sourced from the checkout's root).

# The platform ./aeon dev started: its dev.env (--data-dir / AEON_DATA_DIR, else .aeon).
bench_load_dev_env() {
  local env_file="${AEON_DATA_DIR:-.aeon}/dev.env"
  if [ -f "$env_file" ]; then . "$env_file"; fi
}

# Builds the benchmark when its sources changed since the last build (package, never install: ~/.m2 is shared).
bench_build() {
  if [ ! -f bench/target/classpath.txt ] || [ -n "$(find bench/src bench/pom.xml -newer bench/target/classpath.txt -print -quit)" ]; then
    ./mvnw -B -q -DskipTests -pl bench -am package
  fi
}

# bench_java MAIN_CLASS ARGS...: runs one of the benchmark's mains.
bench_java() {
  local main="$1"; shift
  local jar
  jar=$(ls bench/target/aeon-bench-*.jar | head -n 1)
  local data_dir
  data_dir=$(cd "${AEON_DATA_DIR:-.aeon}" 2>/dev/null && pwd || true)
  java -Xmx1g -Daeon.bench.data-dir="${data_dir:-/nonexistent}" -cp "$jar:$(cat bench/target/classpath.txt)" \
    "dev.aeon.bench.$main" "$@"
}

# The options that point a benchmark at the platform in dev.env (later options on the command line win).
bench_aeon_options() {
  bench_aeon_args=(--address "${AEON_ADDRESS:-127.0.0.1:7233}" --namespace "${AEON_NAMESPACE:-default.local}"
    --api-key "${AEON_API_KEY:-}" --metrics-url "${AEON_DATA_PLANE_HTTP_URL:-http://127.0.0.1:7241}/q/metrics")
}
