#!/usr/bin/env bash
# End-to-end check of Aeon's control plane with Temporal's real `temporalcloud` Terraform provider:
# apply terraform/examples/basic, check that a re-plan is empty (drift-free), change retention_days,
# re-plan, destroy, and check each step against the Cloud Ops REST API. Exits non-zero on any failure.
#
#   terraform/check.sh            # uses a running `./aeon dev`, or starts one (and stops it afterwards)
#
# Environment:
#   AEON_TF_PROVIDER_VERSION  provider version to build (default 1.5.0)
#   AEON_TF_PROVIDER_DIR      directory holding terraform-provider-temporalcloud (default terraform/.bin);
#                             built there with `go install` when missing
#   AEON_TF_PROVIDER_SRC      a source checkout of terraform-provider-temporalcloud to `go build` instead of
#                             `go install ...@v$AEON_TF_PROVIDER_VERSION` (for module proxies that refuse it)
#   AEON_TF_REGION            region id for the namespaces (default aws-local)
#   AEON_TF_KEEP=1            on failure, leave the resources and the work directory for inspection
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VERSION="${AEON_TF_PROVIDER_VERSION:-1.5.0}"
PROVIDER_DIR="${AEON_TF_PROVIDER_DIR:-$HERE/.bin}"
REGION="${AEON_TF_REGION:-aws-local}"
WORK="$HERE/.work/run-$(date +%s)"
SUFFIX="c$(date +%s | tail -c 7)$((RANDOM % 100))"
STARTED_PID=""
APPLIED=""

say() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nFAIL: %s\n' "$*" >&2; exit 1; }

cleanup() {
    local rc=$?
    if [[ $rc -ne 0 && -n "$APPLIED" && "${AEON_TF_KEEP:-}" != 1 ]]; then
        say "cleaning up after the failure: terraform destroy"
        (cd "$WORK" && terraform destroy -auto-approve -no-color -input=false >"$WORK/cleanup.log" 2>&1) \
            || echo "cleanup destroy failed too; see $WORK/cleanup.log" >&2
    fi
    if [[ -n "$STARTED_PID" ]]; then
        say "stopping the ./aeon dev this check started (process group $STARTED_PID)"
        kill -TERM -- "-$STARTED_PID" 2>/dev/null || true
        for _ in $(seq 60); do kill -0 "$STARTED_PID" 2>/dev/null || break; sleep 1; done
    fi
    if [[ $rc -eq 0 ]]; then
        rm -rf "$WORK"
        printf '\nPASS: temporalcloud provider %s: apply, empty re-plan, update, empty re-plan, destroy\n' "$VERSION"
    else
        printf 'work directory (state, logs): %s\n' "$WORK" >&2
    fi
    exit $rc
}
trap cleanup EXIT

command -v terraform >/dev/null || fail "terraform is not on PATH"
mkdir -p "$WORK"

# --- 1. the provider -------------------------------------------------------------------------------------
PROVIDER="$PROVIDER_DIR/terraform-provider-temporalcloud"
if [[ ! -x "$PROVIDER" ]]; then
    command -v go >/dev/null || fail "no provider at $PROVIDER and no go to build one"
    mkdir -p "$PROVIDER_DIR"
    if [[ -n "${AEON_TF_PROVIDER_SRC:-}" ]]; then
        say "building the provider from $AEON_TF_PROVIDER_SRC (takes minutes)"
        (cd "$AEON_TF_PROVIDER_SRC" && go build -ldflags "-X main.version=$VERSION" -o "$PROVIDER" .)
    else
        say "building github.com/temporalio/terraform-provider-temporalcloud@v$VERSION (takes minutes)"
        GOBIN="$PROVIDER_DIR" go install -ldflags "-X main.version=$VERSION" \
            "github.com/temporalio/terraform-provider-temporalcloud@v$VERSION"
    fi
fi
cat >"$WORK/terraform.rc" <<EOF
provider_installation {
  dev_overrides {
    "temporalio/temporalcloud" = "$PROVIDER_DIR"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$WORK/terraform.rc" TF_IN_AUTOMATION=1 TF_INPUT=0

# --- 2. the platform -------------------------------------------------------------------------------------
regions_status() {
    [[ -f "$ROOT/.aeon/dev.env" ]] || { echo 000; return; }
    # shellcheck disable=SC1091
    (. "$ROOT/.aeon/dev.env" && curl -s -o /dev/null -w '%{http_code}' -m 5 \
        -H "Authorization: Bearer $AEON_API_KEY" "$AEON_CONTROL_PLANE_URL/cloud/regions") || echo 000
}
if [[ "$(regions_status)" == 200 ]]; then
    say "using the running Aeon"
else
    say "starting ./aeon dev (log: $WORK/aeon-dev.log)"
    setsid "$ROOT/aeon" dev >"$WORK/aeon-dev.log" 2>&1 &
    STARTED_PID=$!
    for _ in $(seq 900); do
        [[ "$(regions_status)" == 200 ]] && break
        kill -0 "$STARTED_PID" 2>/dev/null || fail "./aeon dev exited; see $WORK/aeon-dev.log"
        sleep 2
    done
    [[ "$(regions_status)" == 200 ]] || fail "the control plane did not come up in 30 minutes"
fi
# shellcheck disable=SC1091
. "$ROOT/.aeon/dev.env"
export TEMPORAL_CLOUD_ENDPOINT="${AEON_CONTROL_PLANE_URL#*://}" TEMPORAL_CLOUD_ALLOW_INSECURE=true \
    TEMPORAL_CLOUD_API_KEY="$AEON_API_KEY"

api() { # api TOKEN PATH -> body; fails on a non-2xx answer
    curl -sf -m 10 -H "Authorization: Bearer $1" "$AEON_CONTROL_PLANE_URL$2"
}
api_status() { curl -s -o /dev/null -w '%{http_code}' -m 10 -H "Authorization: Bearer $1" "$AEON_CONTROL_PLANE_URL$2"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }

api "$AEON_API_KEY" /cloud/regions | json "[r['id'] for r in d['regions']]" | grep -q "'$REGION'" \
    || fail "region $REGION is not served (GET /cloud/regions); the provider only accepts ids shaped <aws|gcp>-<name>"

# --- 3. the configuration --------------------------------------------------------------------------------
"$ROOT/aeon" certs ca --org Acme --ca-cert "$WORK/ca.pem" --ca-key "$WORK/ca.key" --force >/dev/null
cp "$HERE"/examples/basic/*.tf "$WORK/"
export TF_VAR_suffix="$SUFFIX" TF_VAR_region="$REGION" TF_VAR_ca_file="$WORK/ca.pem"
cd "$WORK"

tf() { # tf LOG ARGS...: terraform with its output in LOG, shown on failure
    local log="$1"; shift
    if ! terraform "$@" -no-color >"$log" 2>&1; then
        cat "$log" >&2
        return 1
    fi
}
empty_plan() { # empty_plan LOG ARGS...
    local log="$1" rc=0; shift
    terraform plan -detailed-exitcode -no-color "$@" >"$log" 2>&1 || rc=$?
    [[ $rc -eq 0 ]] || { cat "$log" >&2; fail "re-plan is not empty (exit $rc): the provider sees drift"; }
}

NS="tf-apikey-$SUFFIX.$AEON_ACCOUNT_ID"
MTLS_NS="tf-mtls-$SUFFIX.$AEON_ACCOUNT_ID"

say "terraform apply (suffix $SUFFIX)"
APPLIED=1
tf apply.log apply -auto-approve || fail "terraform apply"
grep -E 'Creation complete|Apply complete' apply.log

say "checking what was created, over REST"
[[ "$(terraform output -raw api_key_namespace_id)" == "$NS" ]] || fail "namespace id is not $NS"
api "$AEON_API_KEY" "/cloud/namespaces/$NS" | json "(d['namespace']['state'], d['namespace']['spec']['retentionDays'])" \
    | grep -qx "('RESOURCE_STATE_ACTIVE', 7)" || fail "$NS is not ACTIVE with 7 days"
api "$AEON_API_KEY" "/cloud/namespaces/$MTLS_NS" | json "d['namespace']['spec']['mtlsAuth']['enabled']" \
    | grep -qx True || fail "$MTLS_NS has no mTLS"
WORKER_KEY="$(terraform output -raw worker_api_key)"
[[ "$(api_status "$WORKER_KEY" "/cloud/namespaces/$NS")" == 200 ]] \
    || fail "the API key Terraform created does not authenticate"
echo "namespaces ACTIVE, mTLS on, the new service account's API key authenticates"

say "terraform plan: must be empty"
empty_plan plan1.log
echo "no changes"

say "terraform apply: retention_days 7 -> 14"
tf apply2.log apply -auto-approve -var retention_days=14 || fail "terraform apply (update)"
grep -E 'Modifications complete|Apply complete' apply2.log
api "$AEON_API_KEY" "/cloud/namespaces/$NS" | json "d['namespace']['spec']['retentionDays']" | grep -qx 14 \
    || fail "$NS retention is not 14 days after the update"
empty_plan plan2.log -var retention_days=14
echo "retention 14 days, re-plan empty"

say "terraform destroy"
tf destroy.log destroy -auto-approve -var retention_days=14 || fail "terraform destroy"
grep -E 'Destroy complete' destroy.log
APPLIED=""
for ns in "$NS" "$MTLS_NS"; do
    [[ "$(api_status "$AEON_API_KEY" "/cloud/namespaces/$ns")" == 404 ]] || fail "$ns still exists after destroy"
done
[[ "$(api_status "$WORKER_KEY" /cloud/regions)" == 401 ]] || fail "the destroyed API key still authenticates"
echo "namespaces gone, the API key no longer authenticates"
