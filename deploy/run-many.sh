#!/usr/bin/env bash
# Start N e-Kinerja Streamlit processes on consecutive ports (a Procfile-style runner without extra tools):
#   EKINERJA_DATABASE_URL=postgresql://... EKINERJA_COOKIE_KEY=... deploy/run-many.sh 2 8501
# Migrates once, starts the processes, waits until each answers /_stcore/health, and stops them all on
# Ctrl+C / SIGTERM. Put nginx (deploy/nginx/ekinerja.conf) in front with one upstream line per port.
set -euo pipefail
N=${1:-2}
BASE=${2:-8501}
ADDRESS=${EKINERJA_BIND:-127.0.0.1}
HERE=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$HERE/.venv}
cd "$HERE"
if [[ "${EKINERJA_DATABASE_URL:-}" != postgresql* && "$N" -gt 1 ]]; then
    echo "Lebih dari satu proses memerlukan PostgreSQL (EKINERJA_DATABASE_URL=postgresql://...)." >&2
    exit 1
fi
if [[ -z "${EKINERJA_COOKIE_KEY:-}" ]]; then
    echo "Atur EKINERJA_COOKIE_KEY (kunci yang sama untuk semua proses)." >&2
    exit 1
fi
"$VENV/bin/ekinerja" migrate
pids=()
stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait || true; }
trap stop EXIT INT TERM
for ((i = 0; i < N; i++)); do
    port=$((BASE + i))
    "$VENV/bin/streamlit" run app.py --server.port "$port" --server.address "$ADDRESS" --server.headless true \
        >"${EKINERJA_LOG_DIR:-/tmp}/ekinerja-$port.log" 2>&1 &
    pids+=($!)
done
for ((i = 0; i < N; i++)); do
    port=$((BASE + i))
    for _ in $(seq 1 120); do
        curl -fsS "http://$ADDRESS:$port/_stcore/health" >/dev/null 2>&1 && break
        sleep 0.5
    done
    echo "proses $((i + 1)) siap di http://$ADDRESS:$port"
done
wait
