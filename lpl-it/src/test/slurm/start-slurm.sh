#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine for lpl-it's SlurmSweepIT (and for trying
# `lpl sweep --executor slurm` locally). Run as root; needs Debian's slurm-wlm and munge packages:
#   apt-get install -y --no-install-recommends slurm-wlm munge
#   bash lpl-it/src/test/slurm/start-slurm.sh
# Idempotent: a cluster that already answers with an idle node is left as it is.
# One node (this host, all its CPUs, its memory minus a margin), one partition `debug`, no accounting
# (sacct is unavailable; lpl reads job state from squeue and scontrol).
set -euo pipefail
log_dir=${SLURM_LOG_DIR:-/tmp/lpl-slurm}
mkdir -p "$log_dir"

node_idle() { sinfo -h -N -o '%T' 2>/dev/null | grep -qE '^idle|^mixed|^allocated'; }

if node_idle; then
  echo "slurm: already running ($(sinfo -h -N -o '%N %T %c' | head -1))"
  exit 0
fi

command -v slurmctld > /dev/null || { echo "slurm: slurmctld not found; apt-get install slurm-wlm munge" >&2; exit 1; }

host=$(hostname -s)
cpus=$(nproc)
mem_mb=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
# Leave room for the OS and the submitting JVM.
real_mem=$(( mem_mb > 2048 ? mem_mb - 1024 : mem_mb * 3 / 4 ))

echo "== munge"
mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown -R munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge
chmod 0700 /etc/munge /var/lib/munge /var/log/munge
chmod 0755 /run/munge
chmod 0400 /etc/munge/munge.key
if ! munge -n > /dev/null 2>&1; then
  su -s /bin/sh munge -c '/usr/sbin/munged' || runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 1 20); do munge -n > /dev/null 2>&1 && break; sleep 0.5; done
fi
munge -n | unmunge > /dev/null || { echo "munge: credentials do not validate" >&2; exit 1; }

echo "== slurm.conf ($host: $cpus CPUs, ${real_mem} MB)"
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=lpl
SlurmctldHost=$host
AuthType=auth/munge
CryptoType=crypto/munge
SlurmUser=root
SlurmdUser=root
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=$log_dir/slurmctld.log
SlurmdLogFile=$log_dir/slurmd.log
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MinJobAge=300
KillWait=30
NodeName=$host CPUs=$cpus RealMemory=$real_mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

echo "== slurmctld, slurmd"
pgrep -x slurmctld > /dev/null || slurmctld
pgrep -x slurmd > /dev/null || slurmd
for _ in $(seq 1 60); do
  node_idle && break
  # A node that came up DOWN (e.g. after an unclean stop) is returned to service.
  scontrol update NodeName="$host" State=RESUME > /dev/null 2>&1 || true
  sleep 1
done
if ! node_idle; then
  echo "slurm: the node did not become idle:" >&2
  sinfo -N -l >&2 || true
  tail -20 "$log_dir/slurmctld.log" "$log_dir/slurmd.log" >&2 || true
  exit 1
fi
sinfo -N -o '%N %P %T %c %m'
