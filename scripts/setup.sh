#!/usr/bin/env bash
# Makes a fresh machine ready to run IOC Vision: Debian packages (ffmpeg, GStreamer's RTSP server,
# Chromium), npm dependencies, and checks that native modules load and that PostgreSQL/Redis answer.
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  ffmpeg                              # ingest, HLS, frame sampling, ffprobe in tests
  python3-gi gir1.2-gst-rtsp-server-1.0 # the real RTSP server that serves the sample clips
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav
  chromium                            # headless browser tests of the pages
  mosquitto                           # MQTT broker of the event channel's tests (a private one per test)
  poppler-utils fonts-dejavu-core     # report tests read PDFs back (pdftotext, pdftoppm); the reports' Vietnamese font
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm dependencies: reinstall only when the lock file changed since the last install.
stamp=node_modules/.ioc-lock-sha256
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_sum" ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi

# npm 11 can hold install scripts back: prove the native modules really load.
node --input-type=module -e "
  await import('sharp');
  const ort = await import('onnxruntime-node');
  if (!ort.InferenceSession) throw new Error('onnxruntime-node has no InferenceSession');
" || { echo "setup: sharp or onnxruntime-node does not load (see above)" >&2; exit 1; }

# The RTSP server runs on Debian's Python, which has the GObject bindings.
/usr/bin/python3 -c "import gi; gi.require_version('GstRtspServer', '1.0'); from gi.repository import GstRtspServer" \
  || { echo "setup: GStreamer RTSP server bindings missing" >&2; exit 1; }

# PostgreSQL and Redis run on every machine of this kind; start them if they were stopped.
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "setup: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "setup: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p 5432 || { echo "setup: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "setup: Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
echo "setup: ready"
