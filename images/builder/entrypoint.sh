#!/bin/sh
# Starts the builder's own engine. /lms/data (a host folder) keeps the engine's data root as a file system in a file
# of LMS_BUILDER_DISK_MB (ext4, sparse), loop-mounted: every byte a build writes is bounded by that size, and the base
# images loaded once survive a restart of the builder (one loop device per builder, released at its next start).
# /lms/run (a host folder) receives the engine's socket.
set -eu
size_mb="${LMS_BUILDER_DISK_MB:-4096}"
img=/lms/data/root.img
# Not a privileged container: the cgroup file systems arrive read-only; this builder's own (namespaced) part of them is
# made writable so its engine can create its containers' cgroups under the builder's limits.
if [ ! -w /sys/fs/cgroup/pids ]; then
  mount -o remount,rw /sys/fs/cgroup
  for c in /sys/fs/cgroup/*; do mount -o remount,bind,rw "$c"; done
fi
rm -f /lms/run/docker.sock

make_fs() {
  rm -f "$img"
  truncate -s "${size_mb}M" "$img"
  mkfs.ext4 -q -F -m 0 -O ^has_journal "$img"
}
[ -f "$img" ] || make_fs
# A builder killed mid-write may leave the file system unclean: repair it, or start from an empty one.
e2fsck -p "$img" >/dev/null 2>&1 || e2fsck -y "$img" >/dev/null 2>&1 || make_fs

# The container's /dev holds only /dev/loop-control: a loop device's node is made here (mknod) before it is used.
node() { [ -b "$1" ] || mknod "$1" b 7 "${1#/dev/loop}"; }
# A loop device still attached to this file from an earlier run of this builder (its container was removed) is released.
# Matched by the file's device and inode: the path the kernel shows for it depends on mounts that are gone.
for d in /sys/block/loop*; do [ -f "$d/loop/backing_file" ] && node "/dev/${d#/sys/block/}"; done
ino="$(stat -c %i "$img")"; majmin="$(stat -c %Hd:%Ld "$img")"
for dev in $(losetup --list --noheadings --output NAME,BACK-MAJ:MIN,BACK-INO | awk -v m="$majmin" -v i="$ino" '$2 == m && $3 == i { print $1 }'); do
  node "$dev"; losetup -d "$dev" 2>/dev/null || true
done
mounted=""
for try in 1 2 3 4 5 6 7 8; do
  dev="$(losetup -f | cut -d" " -f1)"
  node "$dev"
  if losetup "$dev" "$img" 2>/dev/null; then
    if mount "$dev" /var/lib/docker; then mounted=1; break; fi
    losetup -d "$dev" 2>/dev/null || true
  fi
  sleep 0.$try
done
[ -n "$mounted" ] || { echo "cannot loop-mount $img" >&2; exit 1; }

# The cgroup every build step runs in (RUN containers of BuildKit), with the limits the worker sets before each build.
/usr/local/bin/lms-cgroup init

exec dockerd \
  --host unix:///lms/run/docker.sock --group root \
  --data-root /var/lib/docker \
  --exec-root /run/docker \
  --bridge none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
  --userland-proxy=false \
  --log-driver none \
  --storage-driver overlay2 \
  --exec-opt native.cgroupdriver=cgroupfs
