#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the sweep tests and for trying `sftrl sweep` with
# the slurm executor: writes /etc/slurm/slurm.conf for the local host (unless one exists that this
# script did not write), then starts munged, slurmctld and slurmd and waits until the node takes
# jobs. Safe to run again: daemons already running are left alone (told to re-read a changed
# slurm.conf), and it exits 0 once `sinfo` shows the node idle (or busy). Needs root and Debian's
# slurmctld, slurmd, slurm-client and munge.
#
#   scripts/slurm-local.sh           start (or check) the cluster
#   scripts/slurm-local.sh --status  exit 0 when it is up, 1 when not, starting nothing
set -euo pipefail

CONF=/etc/slurm/slurm.conf
MARK='# written by sftrl scripts/slurm-local.sh'
PARTITION=${SFTRL_SLURM_PARTITION:-debug}
WAIT_S=${SFTRL_SLURM_WAIT_S:-90}

say() { echo "slurm-local: $*"; }
die() { echo "slurm-local: $*" >&2; exit 1; }

# The node accepts work: every node is idle, mixed, allocated or completing.
node_ready() {
  local states
  states=$(sinfo -h -N -o '%T' 2>/dev/null) || return 1
  [ -n "$states" ] && ! grep -qvE '^(idle|mixed|allocated|completing)$' <<<"$states"
}

if [ "${1:-}" = "--status" ]; then
  command -v sinfo >/dev/null 2>&1 && node_ready && exit 0
  exit 1
fi

for bin in munged slurmctld slurmd sinfo scontrol; do
  command -v "$bin" >/dev/null 2>&1 || die "$bin is not installed (apt-get install -y slurmctld slurmd slurm-client munge)"
done
[ "$(id -u)" = 0 ] || die "must run as root (it writes $CONF and starts the daemons)"

# --- slurm.conf for this host -------------------------------------------------------------------
# slurmd -C reports this machine's CPUs, sockets, cores and memory as a NodeName line.
node_line=$(slurmd -C | head -1)
host=$(hostname -s)
wanted="$MARK
ClusterName=sftrl-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# A requeued job waits cred_expire seconds before it may start again (default 120).
AuthInfo=cred_expire=10
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# Look at pending jobs every few seconds (default 60 s main, 30 s backfill): a requeued or
# newly eligible task starts promptly on this one-node cluster.
SchedulerParameters=sched_interval=2,bf_interval=2
MpiDefault=none
ReturnToService=2
JobRequeue=1
# Seconds between SIGTERM and SIGKILL when a job is cancelled, requeued or preempted: a task
# saves a checkpoint in that time.
KillWait=30
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
$node_line State=UNKNOWN
PartitionName=$PARTITION Nodes=ALL Default=YES MaxTime=INFINITE State=UP"

changed=0
if [ ! -f "$CONF" ] || { head -1 "$CONF" | grep -qF "$MARK" && [ "$(cat "$CONF")" != "$wanted" ]; }; then
  mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  printf '%s\n' "$wanted" >"$CONF"
  changed=1
  say "wrote $CONF ($node_line)"
elif ! head -1 "$CONF" | grep -qF "$MARK"; then
  say "using the existing $CONF (not written by this script)"
fi

running() { pgrep -x "$1" >/dev/null 2>&1; }

# Daemons running on an older slurm.conf of ours are restarted (some settings, such as
# cred_expire, are read only at start); their jobs survive in StateSaveLocation.
if [ "$changed" = 1 ]; then
  for daemon in slurmd slurmctld; do
    pidfile=/run/$daemon.pid
    if running "$daemon" && [ -f "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 $((WAIT_S * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      say "stopped $daemon ($pid) to restart it on the new slurm.conf"
    fi
  done
fi

if node_ready; then
  say "already up: $(sinfo -h -o 'partition %P, %D node(s), %T, %c CPUs' | head -1)"
  exit 0
fi

# --- munge ---------------------------------------------------------------------------------------
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  if [ ! -s /etc/munge/munge.key ]; then
    mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null || dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none
  fi
  chown munge:munge /etc/munge/munge.key && chmod 600 /etc/munge/munge.key
  mkdir -p /run/munge && chown munge:munge /run/munge
  runuser -u munge -- munged
  for _ in $(seq 1 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.2; done
  munge -n | unmunge >/dev/null || die "munged did not start (see /var/log/munge/munged.log)"
  say "munged started"
fi

# --- daemons -------------------------------------------------------------------------------------
running slurmctld || { slurmctld && say "slurmctld started"; }
for _ in $(seq 1 $((WAIT_S * 5))); do scontrol ping 2>/dev/null | grep -q 'is UP' && break; sleep 0.2; done
scontrol ping 2>/dev/null | grep -q 'is UP' || die "slurmctld does not answer (see /var/log/slurm/slurmctld.log)"
running slurmd || { slurmd && say "slurmd started"; }

# A node left down or drained by an earlier unclean stop is put back into service.
deadline=$((SECONDS + WAIT_S))
while ! node_ready; do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1 || true)
  case "$state" in
    down* | drain* | fail*) scontrol update NodeName="$(sinfo -h -N -o '%N' | head -1)" State=RESUME 2>/dev/null || true ;;
  esac
  [ $SECONDS -lt $deadline ] || die "the node is not ready after ${WAIT_S}s (state: ${state:-none}; see /var/log/slurm/slurmd.log)"
  sleep 0.5
done
say "up: $(sinfo -h -o 'partition %P, %D node(s), %T, %c CPUs' | head -1)"
