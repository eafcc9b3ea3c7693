#!/usr/bin/env bash
# tests/vm/run.sh: run socklab's test suite on Debian 12's own kernel (6.1,
# package linux-image-amd64) under qemu, on a machine whose running kernel is
# another one. The lab's claims are about kernel behaviour, and this is how
# they are checked on the 6.1 kernel learners on Debian 12 have.
#
#   tests/vm/run.sh                       # build with the default preset, run the suite twice
#   tests/vm/run.sh --build build-vm --ctest-args "-R claim" --keep-log vm.log
#
# What it does:
#   1. Finds qemu-system-x86_64, a static busybox and /boot/vmlinuz-6.1.* with
#      its modules in /lib/modules/6.1.*. As root it installs what is missing
#      (apt-get install -y qemu-system-x86 busybox-static linux-image-amd64);
#      otherwise it exits 77 saying what to install.
#   2. Builds the suite on the host (cmake --preset default, cmake --build
#      build -j2), or brings --build DIR up to date.
#   3. Makes a tiny initramfs in a temp folder: busybox, the 6.1 modules
#      virtio-9p needs (resolved with modules.dep) and an /init that mounts the
#      host's / read-only over 9p, puts tmpfs on /tmp, /run, /var/tmp,
#      /dev/shm and on the build folder (a writable copy at the same path,
#      since CMake wrote absolute paths), mounts /proc, /sys, /dev, /dev/pts
#      and switches root to it. The suite thus runs the host's own binaries
#      (ctest, bash, ip, ss, tcpdump, unshare) on the 6.1 kernel.
#   4. In the VM: lo up, hostname socklab-vm, the modules a booted Debian
#      would have loaded on demand (tun, veth, *_diag), then
#      "ctest --test-dir BUILD -j2 --output-on-failure" first as root, then as
#      uid 1000 (setpriv --reuid=1000 --regid=1000 --clear-groups, with the
#      build copy chowned to 1000). Results leave through a writable 9p share
#      of the temp folder; the VM powers itself off.
#   5. Prints, for each run, a "== kernel VERSION as root" / "as uid 1000"
#      header, ctest's summary line, the failing tests and the first lines of
#      each failure's output.
#
# KVM is used when /dev/kvm works and the kernel boots with it; otherwise TCG
# (a boot plus both runs then takes a few minutes; the kernel gets norandmaps
# there, as emulation pays for every new code address, and some tests'
# sub-second waits can still be too short under emulation). The VM (boot,
# both runs) is bounded by --timeout; qemu is killed on timeout and on
# INT/TERM/HUP, and the temp folder is removed. Nothing is written outside it
# and the build folder.
#
# Exit: 0 both runs passed, 1 a run failed (or the build did, or the suite
# timed out), 2 bad usage, 77 the VM cannot be made here (the reason is said).
set -euo pipefail

PROG=vm/run.sh
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

usage() {
    cat <<EOF
usage: tests/vm/run.sh [OPTION...]
Run socklab's ctest suite under qemu on Debian 12's 6.1 kernel, as root and
as uid 1000, and print both summaries.

  --build DIR         use this build folder (configured already); default:
                      cmake --preset default, folder build/ of the repository
  --no-build          do not run cmake --build on the folder first
  --kernel PATH       kernel image (default: newest /boot/vmlinuz-6.1.*);
                      its modules come from /lib/modules/<version>
  --timeout SEC       bound for the VM: boot, both runs, power-off (default 900)
  --ctest-args "ARGS" extra ctest arguments, split like a shell would,
                      e.g. --ctest-args "-R claim" or "--repeat until-pass:2"
  --keep-log FILE     write both ctest logs, the VM's console and its dmesg
                      to FILE
  --accel tcg|kvm     force an accelerator (default: kvm if it boots, else tcg)
  -h, --help          this text

Needs qemu-system-x86 busybox-static linux-image-amd64 (Debian 12). Exit 0
when both runs passed, 1 when one failed, 2 on bad usage, 77 when no VM can
be made here.
Example: tests/vm/run.sh --build build --ctest-args "-L claim" --keep-log /tmp/vm.log
EOF
}

die_usage() { echo "$PROG: $*" >&2; exit 2; }
skip() { echo "$PROG: $*" >&2; exit 77; }
say() { echo "$PROG: $*" >&2; }

BUILD='' NO_BUILD=0 KERNEL='' TIMEOUT=900 CTEST_ARGS='' KEEP_LOG='' ACCEL=''
while (($#)); do
    opt=$1
    case $opt in
        -h | --help) usage; exit 0 ;;
        --no-build) NO_BUILD=1; shift; continue ;;
        --build=* | --kernel=* | --timeout=* | --ctest-args=* | --keep-log=* | --accel=*)
            set -- "${opt%%=*}" "${opt#*=}" "${@:2}"; continue ;;
        --build | --kernel | --timeout | --ctest-args | --keep-log | --accel)
            (($# >= 2)) || die_usage "option '$opt' needs a value" ;;
        *) die_usage "unknown option '$opt' (try --help)" ;;
    esac
    val=$2
    shift 2
    case $opt in
        --build) [[ -n $val ]] || die_usage "empty --build"; BUILD=$val ;;
        --kernel) [[ -n $val ]] || die_usage "empty --kernel"; KERNEL=$val ;;
        --timeout) [[ $val =~ ^[1-9][0-9]{0,5}$ ]] || die_usage "bad timeout '$val'"; TIMEOUT=$val ;;
        --ctest-args) CTEST_ARGS=$val ;;
        --keep-log) [[ -n $val ]] || die_usage "empty --keep-log"; KEEP_LOG=$val ;;
        --accel) [[ $val == tcg || $val == kvm ]] || die_usage "bad accelerator '$val' (tcg or kvm)"; ACCEL=$val ;;
    esac
done
if [[ -n $BUILD ]]; then
    [[ -f $BUILD/CMakeCache.txt ]] || die_usage "'$BUILD' is not a configured build folder (no CMakeCache.txt)"
fi
if [[ -n $KEEP_LOG ]]; then
    [[ -d $(dirname -- "$KEEP_LOG") ]] || die_usage "no folder for --keep-log '$KEEP_LOG'"
fi
# The VM splits --ctest-args like a shell; check the quoting here (not run).
bash -n <<<"set -- $CTEST_ARGS" 2>/dev/null || die_usage "bad quoting in --ctest-args '$CTEST_ARGS'"
if [[ -n $KERNEL && ! -f $KERNEL ]]; then
    die_usage "no kernel image '$KERNEL'"
fi
START=$SECONDS

# --- 1. tools, kernel, modules -----------------------------------------------

find_busybox() {
    local b
    for b in /bin/busybox /usr/bin/busybox; do
        # busybox-static: a static ELF; the dynamic busybox cannot run in the
        # initramfs, which has no libc.
        [[ -x $b ]] || continue
        if [[ $(LC_ALL=C ldd "$b" 2>&1) == *'not a dynamic executable'* ]]; then
            BUSYBOX=$b
            return 0
        fi
    done
    return 1
}

find_kernel() {
    local k newest=
    if [[ -n $KERNEL ]]; then
        newest=$KERNEL
    else
        for k in /boot/vmlinuz-6.1.*; do
            [[ -f $k ]] || continue
            if [[ -z $newest ]] || [[ $(printf '%s\n%s\n' "$newest" "$k" | sort -V | tail -n 1) == "$k" ]]; then
                newest=$k
            fi
        done
    fi
    [[ -n $newest ]] || return 1
    KERNEL=$newest
    KVER=${KERNEL##*/vmlinuz-}
    MODDIR=/lib/modules/$KVER
    [[ -f $MODDIR/modules.dep ]]
}

missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
find_busybox || missing+=(busybox-static)
find_kernel || { [[ -n $KERNEL && $KERNEL != /boot/vmlinuz-6.1.* ]] || missing+=(linux-image-amd64); }
if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing ${missing[*]} (apt-get install -y)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=600 "${missing[@]}" >&2 ||
            skip "needs ${missing[*]}: apt-get install ${missing[*]} failed"
        command -v qemu-system-x86_64 >/dev/null || skip "needs qemu-system-x86: no qemu-system-x86_64 after installing it"
        find_busybox || skip "needs busybox-static: no static busybox after installing it"
        find_kernel || skip "needs linux-image-amd64 (6.1): no /boot/vmlinuz-6.1.* with /lib/modules/6.1.*/modules.dep"
    else
        skip "needs ${missing[*]} (Debian 12): apt-get install ${missing[*]}"
    fi
fi
[[ -r $KERNEL ]] || skip "cannot read the kernel image $KERNEL (run as root, or make it readable)"
[[ -f $MODDIR/modules.dep ]] || skip "no modules for $KVER: $MODDIR/modules.dep is missing"
for t in ctest cmake setpriv; do
    command -v "$t" >/dev/null || skip "needs $t on the host (the VM runs the host's own binaries)"
done

# Modules for 9p over virtio-pci, in load order (dependencies first).
declare -A MOD_PATH=() MOD_DEPS=() MOD_SEEN=()
MOD_ORDER=()
while IFS= read -r line; do
    p=${line%%:*}
    n=${p##*/}
    n=${n%%.ko*}
    n=${n//-/_}
    MOD_PATH[$n]=$p
    MOD_DEPS[$n]=${line#*:}
done <"$MODDIR/modules.dep"
builtin_module() {
    [[ -f $MODDIR/modules.builtin ]] && grep -Eq "/$1\\.ko\$" <(tr '-' '_' <"$MODDIR/modules.builtin")
}
resolve_module() {
    local n=$1 d dn
    [[ -z ${MOD_SEEN[$n]-} ]] || return 0
    MOD_SEEN[$n]=1
    if [[ -z ${MOD_PATH[$n]-} ]]; then
        builtin_module "$n" && return 0
        skip "kernel $KVER has no module $n (needed for virtio-9p)"
    fi
    for d in ${MOD_DEPS[$n]}; do
        dn=${d##*/}
        dn=${dn%%.ko*}
        resolve_module "${dn//-/_}"
    done
    MOD_ORDER+=("$n")
}
for m in virtio_pci 9pnet_virtio 9p; do
    resolve_module "$m"
done

# --- 2. the build folder -------------------------------------------------------

if [[ -z $BUILD ]]; then
    BUILD=$REPO/build
    if ((!NO_BUILD)); then
        say "building: cmake --preset default && cmake --build build -j2"
        (cd "$REPO" && cmake --preset default >/dev/null && cmake --build build -j2 >/dev/null) ||
            { echo "$PROG: the build failed (run cmake --build build to see why)" >&2; exit 1; }
    fi
elif ((!NO_BUILD)); then
    say "building: cmake --build $BUILD -j2"
    cmake --build "$BUILD" -j2 >/dev/null ||
        { echo "$PROG: the build failed (run cmake --build $BUILD to see why)" >&2; exit 1; }
fi
[[ -f $BUILD/CTestTestfile.cmake ]] || skip "$BUILD has no tests (CTestTestfile.cmake); configure it first"
# CMake's tests name absolute paths: the ones the folder was configured at.
BUILD_ABS=$(sed -n 's/^CMAKE_CACHEFILE_DIR:INTERNAL=//p' "$BUILD/CMakeCache.txt")
SRC_ABS=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$BUILD/CMakeCache.txt")
[[ $BUILD_ABS == /* && $SRC_ABS == /* ]] || skip "cannot read the build and source paths from $BUILD/CMakeCache.txt"
[[ $BUILD_ABS != *"'"* && $SRC_ABS != *"'"* && $BUILD_ABS != *$'\n'* ]] || skip "the build path holds a quote or a newline"

# --- 3. the initramfs ----------------------------------------------------------

TMP=''
QPID=''
# shellcheck disable=SC2317 # run by the traps below
cleanup() {
    if [[ -n $QPID ]]; then
        kill "$QPID" 2>/dev/null || true
        wait "$QPID" 2>/dev/null || true
        QPID=
    fi
    if [[ -n $TMP ]]; then
        rm -rf -- "$TMP"
        TMP=
    fi
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP
TMP=$(mktemp -d "${TMPDIR:-/tmp}/socklab-vm.XXXXXX")
ROOT=$TMP/initramfs
OUT=$TMP/out
mkdir -p "$ROOT"/{bin,modules,proc,sys,dev,newroot,src,build} "$OUT"
cp "$BUSYBOX" "$ROOT/bin/busybox"
for a in sh mount umount mkdir cp ln insmod switch_root poweroff sleep echo cat chmod; do
    ln -s busybox "$ROOT/bin/$a"
done
for m in "${MOD_ORDER[@]}"; do
    p=${MOD_PATH[$m]}
    [[ $p == /* ]] || p=$MODDIR/$p
    case $p in
        *.ko) cp "$p" "$ROOT/modules/$m.ko" ;;
        *.ko.xz) xz -dc "$p" >"$ROOT/modules/$m.ko" || skip "cannot decompress $p (xz)" ;;
        *.ko.zst) zstd -qdc "$p" >"$ROOT/modules/$m.ko" || skip "cannot decompress $p (zstd)" ;;
        *.ko.gz) gzip -dc "$p" >"$ROOT/modules/$m.ko" || skip "cannot decompress $p (gzip)" ;;
        *) skip "unknown module file $p" ;;
    esac
    echo "$m" >>"$ROOT/modules/order"
done
# Values for /init and stage 2; ctest's extra arguments are re-split in the VM.
{
    echo "BUILD='$BUILD_ABS'"
    echo "SRC='$SRC_ABS'"
    echo "CTEST_ARGS='${CTEST_ARGS//\'/\'\\\'\'}'"
} >"$ROOT/config"

cat >"$ROOT/init" <<'EOF'
#!/bin/busybox sh
# Stage 1 (busybox, PID 1): 9p modules, the host's / read-only, tmpfs where
# the suite writes, then switch_root with the host's bash as stage 2.
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
echo "SOCKLAB-VM: init"
fail() {
    echo "SOCKLAB-VM: FAIL $*"
    poweroff -f
    sleep 60
}
mount -t proc proc /proc
mount -t sysfs sysfs /sys
. /config
while read -r m; do
    insmod "/modules/$m.ko" || fail "insmod $m"
done </modules/order
N=/newroot
# The root is never written: nothing changes while we run, so cache it.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot $N ||
    fail "cannot mount the host's / over 9p"
# The source and build folders as the host has them, before tmpfs may hide them.
mount -o bind "$N$SRC" /src || fail "no source folder $SRC"
mount -o bind "$N$BUILD" /build || fail "no build folder $BUILD"
mount -t tmpfs -o mode=0755 tmpfs $N/run || fail "tmpfs on /run"
mount -t tmpfs -o mode=1777 tmpfs $N/tmp || fail "tmpfs on /tmp"
mount -t tmpfs -o mode=1777 tmpfs $N/var/tmp || fail "tmpfs on /var/tmp"
mkdir -p $N/run/socklab-vm/out $N/run/lock
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out $N/run/socklab-vm/out || fail "cannot mount the results share"
cp /bin/busybox /stage2.sh /config $N/run/socklab-vm/
mount --move /dev $N/dev
mount --move /proc $N/proc
mount --move /sys $N/sys
mkdir -p $N/dev/pts $N/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts $N/dev/pts
mount -t tmpfs -o mode=1777 tmpfs $N/dev/shm
# What udev makes on a booted system; bash's <(...) needs /dev/fd.
ln -sf /proc/self/fd $N/dev/fd
ln -sf /proc/self/fd/0 $N/dev/stdin
ln -sf /proc/self/fd/1 $N/dev/stdout
ln -sf /proc/self/fd/2 $N/dev/stderr
ln -sf /proc/kcore $N/dev/core
# A tmpfs hid the source folder (it lives under /tmp or /run): show it again.
[ -e "$N$SRC/CMakeLists.txt" ] || { mkdir -p "$N$SRC" && mount -o bind /src "$N$SRC"; } || fail "cannot show $SRC"
# A writable copy of the build folder at its own path.
mkdir -p "$N$BUILD" || fail "cannot make $BUILD"
mount -t tmpfs -o mode=0755 tmpfs "$N$BUILD" || fail "tmpfs on $BUILD"
cp -a /build/. "$N$BUILD/" || fail "cannot copy $BUILD"
umount /build
[ -x $N/bin/bash ] || fail "no /bin/bash on the host"
exec switch_root $N /bin/bash /run/socklab-vm/stage2.sh
fail "switch_root"
EOF
chmod 755 "$ROOT/init"

cat >"$ROOT/stage2.sh" <<'EOF'
# Stage 2 (the host's bash, PID 1 on the host's / over 9p): run the suite as
# root, then as uid 1000; write the results to the share; power off.
V=/run/socklab-vm
OUT=$V/out
# shellcheck disable=SC1091
. $V/config
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp LANG=C.UTF-8 TERM=dumb
unset TMPDIR LC_ALL LANGUAGE
off() { sync; $V/busybox poweroff -f; sleep 60; }
trap off EXIT
cd /tmp || exit
echo "SOCKLAB-VM: stage2"
echo socklab-vm >/proc/sys/kernel/hostname
ip link set lo up
# What a booted Debian would have loaded on demand (udev, static /dev nodes, ss).
modprobe -a -q tun veth inet_diag tcp_diag udp_diag raw_diag unix_diag netlink_diag 2>/dev/null
uname -r >$OUT/kernel
{
    echo "kernel $(uname -r), $(nproc) cpus, $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"
    for s in net.core.somaxconn net.ipv4.tcp_syncookies net.ipv4.tcp_max_syn_backlog \
        net.ipv4.tcp_fin_timeout net.ipv4.tcp_tw_reuse net.ipv4.ip_default_ttl \
        net.ipv4.tcp_syn_retries kernel.unprivileged_userns_clone user.max_user_namespaces \
        kernel.apparmor_restrict_unprivileged_userns kernel.randomize_va_space; do
        v=$(sysctl -n "$s" 2>/dev/null) && echo "$s = $v"
    done
} >$OUT/sysinfo.txt
eval "set -- $CTEST_ARGS" || { echo "SOCKLAB-VM: FAIL bad ctest arguments"; exit; }

run() { # run NAME [PREFIX...]: ctest in the build folder
    local name=$1 t0=$SECONDS rc=0
    shift
    echo "SOCKLAB-VM: run $name"
    "$@" ctest --test-dir "$BUILD" -j2 --output-on-failure "${CTEST_ARGS_A[@]}" >$OUT/$name.log 2>&1 || rc=$?
    echo "$rc $((SECONDS - t0))" >$OUT/$name.rc
    echo "SOCKLAB-VM: done $name rc=$rc in $((SECONDS - t0))s"
}
CTEST_ARGS_A=("$@")
run root
cp "$BUILD/Testing/Temporary/LastTest.log" $OUT/root.LastTest.log 2>/dev/null
rm -rf "$BUILD/Testing"
chown -R 1000:1000 "$BUILD"
run uid1000 setpriv --reuid=1000 --regid=1000 --clear-groups
cp "$BUILD/Testing/Temporary/LastTest.log" $OUT/uid1000.LastTest.log 2>/dev/null
dmesg >$OUT/dmesg.txt 2>&1
echo "SOCKLAB-VM: end"
EOF

(cd "$ROOT" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) >"$TMP/initramfs.cpio" 2>"$TMP/cpio.err" ||
    skip "cannot make the initramfs: $(head -n 1 "$TMP/cpio.err")"
rm -rf "$ROOT"

# --- 4. the VM -------------------------------------------------------------------

CONSOLE=$TMP/console.log
# boot ACCEL: start qemu in the background (QPID).
boot() {
    # Under TCG a process start costs ~50 ms with address-space
    # randomisation (code at new addresses is translated afresh each time) and
    # ~10 ms without: norandmaps makes the suite several times faster there.
    local accel=(-accel tcg -cpu max) cmdline="console=ttyS0 panic=-1 quiet norandmaps"
    [[ $1 == kvm ]] && accel=(-accel kvm -cpu host) cmdline="console=ttyS0 panic=-1 quiet"
    : >"$CONSOLE"
    qemu-system-x86_64 "${accel[@]}" -m 2G -smp 2 -nographic -nodefaults -no-user-config -no-reboot \
        -monitor none -serial "file:$CONSOLE" -nic none \
        -kernel "$KERNEL" -initrd "$TMP/initramfs.cpio" -append "$cmdline" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs "local,path=$OUT,mount_tag=out,security_model=none" \
        </dev/null >"$TMP/qemu.out" 2>&1 &
    QPID=$!
}
running() { [[ -n $QPID ]] && kill -0 "$QPID" 2>/dev/null; }
stop_qemu() {
    [[ -n $QPID ]] || return 0
    kill "$QPID" 2>/dev/null || true
    wait "$QPID" 2>/dev/null || true
    QPID=
}
# wait_for TEXT SECONDS: until the console shows TEXT; 1 when qemu ended or time ran out.
wait_for() {
    local end=$((SECONDS + $2))
    ((end <= DEADLINE)) || end=$DEADLINE
    while ! grep -q "$1" "$CONSOLE" 2>/dev/null; do
        running || { grep -q "$1" "$CONSOLE" 2>/dev/null && return 0; return 1; }
        ((SECONDS < end)) || return 1
        sleep 1
    done
}
boot_failure() {
    local why
    why=$(grep -m 1 'SOCKLAB-VM: FAIL' "$CONSOLE" 2>/dev/null | sed 's/.*SOCKLAB-VM: FAIL //')
    [[ -n $why ]] || why=$(grep -Ev '^\s*$' "$TMP/qemu.out" 2>/dev/null | head -n 1)
    [[ -n $why ]] || why=$(grep -Ea 'Kernel panic|VFS:|9p' "$CONSOLE" 2>/dev/null | head -n 1)
    echo "${why:-no sign of life on the console}"
}

DEADLINE=$((SECONDS + TIMEOUT))
if [[ -z $ACCEL ]]; then
    ACCEL=tcg
    [[ -r /dev/kvm && -w /dev/kvm ]] && ACCEL=kvm
fi
booted=0
if [[ $ACCEL == kvm ]]; then
    # /dev/kvm may exist yet not run a stock kernel (e.g. a paravirtual
    # KVM): give it a minute to reach our /init, then fall back to TCG.
    say "booting $KVER with kvm"
    boot kvm
    if wait_for 'SOCKLAB-VM: init' 60; then
        booted=1
    else
        say "kvm did not boot $KVER ($(boot_failure)); trying tcg"
        stop_qemu
        ACCEL=tcg
    fi
fi
if ((!booted)); then
    say "booting $KVER with tcg (emulated: a few minutes)"
    boot tcg
    wait_for 'SOCKLAB-VM: init' $((DEADLINE - SECONDS)) || {
        reason=$(boot_failure)
        stop_qemu
        skip "the VM did not boot $KVER: $reason"
    }
fi
wait_for 'SOCKLAB-VM: stage2' $((DEADLINE - SECONDS)) || {
    reason=$(boot_failure)
    stop_qemu
    skip "the VM did not reach the host's root over 9p: $reason"
}
say "$KVER up after $((SECONDS - START))s ($ACCEL), running the suite"
timed_out=0
while running; do
    if ((SECONDS >= DEADLINE)); then
        timed_out=1
        break
    fi
    sleep 1
done
stop_qemu

# --- 5. results -----------------------------------------------------------------

# report NAME LABEL: ctest's summary, failing tests and their first lines.
report() {
    local name=$1 label=$2 log=$OUT/$1.log rc secs
    echo "== kernel $GUEST_KVER as $label"
    if [[ ! -f $OUT/$name.rc ]]; then
        echo "   did not finish"
        [[ -s $log ]] && tail -n 5 "$log" | sed 's/^/   | /'
        return 1
    fi
    read -r rc secs <"$OUT/$name.rc"
    if ! grep -E '^[0-9]+% tests passed' "$log"; then
        tail -n 5 "$log"
        echo "ctest exited $rc in ${secs}s"
        return 1
    fi
    awk '/^The following tests FAILED:/ {f = 1} f && (/^$/ || /^Errors while running/) {exit} f' "$log"
    # Each failure's first lines and FAIL lines (ctest --output-on-failure).
    awk '
        /^ *[0-9]+\/[0-9]+ Test +#[0-9]+: / {
            show = ($0 ~ /\*\*\*|Failed|Timeout|Exception/ && $0 !~ /Passed/)
            n = 0
            nf = 0
            if (show) { t = $0; sub(/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: /, "", t); print "   --- " t }
            next
        }
        /^[0-9]+% tests passed/ { exit }
        /^ +Start +[0-9]+: / || /^$/ || !show { next }
        n < 4 { print "   | " $0; n++; if (/FAIL/) nf++; next }
        /FAIL/ && nf < 4 { print "   | " $0; nf++ }
    ' "$log"
    echo "   (ctest exit $rc, ${secs}s)"
    [[ $rc -eq 0 ]]
}
GUEST_KVER=$KVER
[[ -s $OUT/kernel ]] && read -r GUEST_KVER <"$OUT/kernel"
status=0
report root root || status=1
report uid1000 "uid 1000" || status=1
if ((timed_out)); then
    echo "$PROG: timed out after ${TIMEOUT}s; qemu killed"
    status=1
fi
if [[ -n $KEEP_LOG ]]; then
    {
        for f in sysinfo.txt root.log uid1000.log root.LastTest.log uid1000.LastTest.log dmesg.txt; do
            [[ -f $OUT/$f ]] && { echo "===== $f"; cat "$OUT/$f"; }
        done
        echo "===== console"
        cat "$CONSOLE"
    } >"$KEEP_LOG"
    say "log kept in $KEEP_LOG"
fi
say "$((SECONDS - START))s in all ($ACCEL)"
exit "$status"
