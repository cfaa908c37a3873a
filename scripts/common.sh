# common.sh - shared by scripts/test.sh, scripts/demo.sh and scripts/bench.sh.
# Sourced, not run.

# Debian packages: to build, and to run the tests' servers and peer clients.
RDMS_BUILD_PKGS="autoconf automake libtool pkg-config make gcc python3 \
 libcurl4-openssl-dev libssl-dev libxml2-dev uuid-dev check libkrb5-dev gss-ntlmssp \
 libjansson-dev libmicrohttpd-dev libgnutls28-dev"
RDMS_TEST_PKGS="krb5-kdc krb5-admin-server krb5-user apache2 libapache2-mod-auth-gssapi \
 python3-winrm python3-gssapi python3-requests-kerberos valgrind openssl curl faketime \
 libxml2-utils man-db ansible-core"
# The libraries Debian's libcurl names for static linking (pkg-config
# --static --libs libcurl): make check-build links librdms.a with them.
RDMS_TEST_PKGS="$RDMS_TEST_PKGS libnghttp2-dev libidn2-dev librtmp-dev libssh2-1-dev libpsl-dev \
 libldap-dev libzstd-dev libbrotli-dev zlib1g-dev"

# To build and check the Debian packages (tests/packages/test-debian.sh);
# debian/control's Build-Depends come from apt-get build-dep.
RDMS_DEB_PKGS="build-essential dpkg-dev debhelper fakeroot lintian"

rdms_log() { printf '==> %s\n' "$*" >&2; }

# Install what is missing, quietly; apt-get update at most once.
rdms_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing Debian packages: ${missing[*]}" >&2
		echo "run as root, or: sudo apt-get install -y ${missing[*]}" >&2
		return 1
	fi
	rdms_log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Configure (once) and build in $1 (default ./build).
rdms_build() {
	local dir=${1:-build}; shift || true
	if [ ! -x configure ] || [ configure.ac -nt configure ]; then
		rdms_log "autoreconf"
		autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
	fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ]; then
		rdms_log "configure in $dir"
		(cd "$dir" && ../configure -q --enable-werror "$@")
	fi
	rdms_log "make in $dir"
	make -C "$dir" -s -j"$(nproc)" >/dev/null
}
