#!/usr/bin/env bash
# apache.sh - a private Apache 2 on 127.0.0.1 in front of a WS-Management
# CGI: an independent HTTPS + GSSAPI server for the transport tests.
#
#   scripts/apache.sh start DIR --cert PEM --key KEY --cgi SCRIPT [--mode M]
#                     [--keepalive-requests N]   (requests per connection)
#                     [--keepalive-timeout SEC]  (idle connections closed after)
#                     [--field-size BYTES]       (LimitRequestFieldSize: longest header line)
#   scripts/apache.sh stop DIR
#
# Modes: gssapi (default: mod_auth_gssapi with krb5 and ntlmssp under
# "Negotiate", connection bound like WinRM; "Authorization: NTLM" gets 403),
# basic (offers only Basic), none (no authentication).
# The GSSAPI acceptor takes KRB5_KTNAME, KRB5_CONFIG and NTLM_USER_FILE
# from the environment (source scripts/kdc.sh's env first).
#
# After start, DIR/apache.env exports APACHE_PORT APACHE_URL APACHE_PID
# APACHE_ACCESS_LOG APACHE_AUTH_LOG APACHE_ERROR_LOG APACHE_CGI_LOG.
# Access log fields: client-port keepalive-request-number status
# bytes-received request-content-length remote-user "request line".
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || {
	echo "usage: $0 start DIR --cert PEM --key KEY --cgi SCRIPT [--mode gssapi|basic|none]" >&2
	echo "       $0 stop DIR" >&2
	exit 2
}
shift 2

# shellcheck source=proc.sh
. "$(dirname "$0")/proc.sh"

case $cmd in
stop)
	stop_pid "$dir/apache.pid"
	exit 0
	;;
start) ;;
*) echo "usage: $0 start|stop DIR ..." >&2; exit 2 ;;
esac

cert= key= cgi= mode=gssapi keepalive=100 idle=30 fieldsize=8190
while [ $# -gt 0 ]; do
	case $1 in
	--cert) cert=$2; shift 2 ;;
	--key) key=$2; shift 2 ;;
	--cgi) cgi=$2; shift 2 ;;
	--mode) mode=$2; shift 2 ;;
	--keepalive-requests) keepalive=$2; shift 2 ;;
	--keepalive-timeout) idle=$2; shift 2 ;;
	--field-size) fieldsize=$2; shift 2 ;;
	*) echo "apache.sh: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -n "$cert" ] && [ -n "$key" ] && [ -n "$cgi" ] || { echo "apache.sh: --cert, --key and --cgi are required" >&2; exit 2; }

httpd=$(command -v apache2 || echo /usr/sbin/apache2)
mods=/usr/lib/apache2/modules
[ -x "$httpd" ] || { echo "apache.sh: apache2 not found; install apache2" >&2; exit 1; }
if [ "$mode" = gssapi ] && [ ! -f "$mods/mod_auth_gssapi.so" ]; then
	echo "apache.sh: mod_auth_gssapi not found; install libapache2-mod-auth-gssapi" >&2
	exit 1
fi

mkdir -p "$dir/cgi-bin" "$dir/run"
dir=$(cd "$dir" && pwd)
# Apache started as root serves from its children as www-data: they must
# reach DIR and read the keytab, the NTLM users and the CGI.
user_lines=
if [ "$(id -u)" = 0 ]; then
	user_lines="User www-data
Group www-data"
	chmod 0711 "$dir"
fi
cp "$cgi" "$dir/cgi-bin/wsman"
chmod 0755 "$dir/cgi-bin" "$dir/cgi-bin/wsman"
cp "$cert" "$dir/server.pem"
cp "$key" "$dir/server.key"
chmod 0600 "$dir/server.key"
: > "$dir/cgi.log"
chmod 0666 "$dir/cgi.log"

acceptor_env=()
if [ "$mode" = gssapi ]; then
	: "${KRB5_KTNAME:?apache.sh: KRB5_KTNAME must name the HTTP service keytab}"
	cp "${KRB5_KTNAME#FILE:}" "$dir/http.keytab"
	acceptor_env+=("KRB5_KTNAME=FILE:$dir/http.keytab")
	if [ -n "${NTLM_USER_FILE:-}" ]; then
		cp "$NTLM_USER_FILE" "$dir/ntlm_users"
		acceptor_env+=("NTLM_USER_FILE=$dir/ntlm_users")
	fi
	if [ -n "${KRB5_CONFIG:-}" ]; then
		cp "$KRB5_CONFIG" "$dir/krb5.conf"
		acceptor_env+=("KRB5_CONFIG=$dir/krb5.conf")
	fi
	# The server's replay cache must not collide with a client's.
	acceptor_env+=("KRB5RCACHEDIR=$dir/run")
	if [ "$(id -u)" = 0 ]; then
		chown www-data "$dir/http.keytab" "$dir/run" "$dir"/ntlm_users 2>/dev/null || true
		chmod 0644 "$dir/krb5.conf" 2>/dev/null || true
	fi
fi

port=$(pick_port) || { echo "apache.sh: no free port on 127.0.0.1" >&2; exit 1; }

case $mode in
gssapi) auth="
	AuthType GSSAPI
	AuthName \"WinRM\"
	GssapiAllowedMech krb5
	GssapiAllowedMech ntlmssp
	GssapiConnectionBound On
	GssapiBasicAuth Off
	Require valid-user
	# WinRM never takes the NTLM scheme (only NTLM inside Negotiate);
	# mod_auth_gssapi would. Its \"WWW-Authenticate: NTLM\" offer is added
	# past mod_headers' reach, so it stays, but the scheme is refused.
	<If \"%{HTTP:Authorization} =~ /^NTLM /i\">
		Require all denied
	</If>" ;;
basic) auth="
	AuthType Basic
	AuthName \"WinRM\"
	AuthBasicProvider file
	AuthUserFile \"$dir/htpasswd\"
	Require valid-user"
	: > "$dir/htpasswd" ;;
none) auth="
	Require all granted" ;;
*) echo "apache.sh: unknown mode $mode" >&2; exit 2 ;;
esac

cat > "$dir/httpd.conf" <<CONF
ServerRoot "$dir"
ServerName localhost
Listen 127.0.0.1:$port
PidFile "$dir/run/httpd.pid"
DefaultRuntimeDir "$dir/run"
Mutex file:$dir/run default
$user_lines
LoadModule mpm_prefork_module $mods/mod_mpm_prefork.so
LoadModule authn_core_module $mods/mod_authn_core.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule authz_user_module $mods/mod_authz_user.so
LoadModule auth_basic_module $mods/mod_auth_basic.so
LoadModule authn_file_module $mods/mod_authn_file.so
LoadModule alias_module $mods/mod_alias.so
LoadModule env_module $mods/mod_env.so
LoadModule headers_module $mods/mod_headers.so
LoadModule cgi_module $mods/mod_cgi.so
LoadModule socache_shmcb_module $mods/mod_socache_shmcb.so
LoadModule ssl_module $mods/mod_ssl.so
$( [ "$mode" = gssapi ] && echo "LoadModule auth_gssapi_module $mods/mod_auth_gssapi.so" )
StartServers 2
MinSpareServers 1
MaxSpareServers 4
# Apache's MaxKeepAliveRequests counts the requests after the first.
KeepAlive $( [ "$keepalive" -le 1 ] && echo Off || echo On )
MaxKeepAliveRequests $(( keepalive > 1 ? keepalive - 1 : 1 ))
KeepAliveTimeout $idle
Timeout 60
LimitRequestFieldSize $fieldsize
ErrorLog "$dir/error.log"
LogLevel warn$( [ "$mode" = gssapi ] && echo " auth_gssapi:debug" )
LogFormat "%{remote}p %k %>s %I %{Content-Length}i %u \"%r\"" rdms
CustomLog "$dir/access.log" rdms
LogFormat "%{remote}p %k %>s \"%{Authorization}i\"" rdmsauth
CustomLog "$dir/auth.log" rdmsauth
SSLEngine on
SSLCertificateFile "$dir/server.pem"
SSLCertificateKeyFile "$dir/server.key"
SSLSessionCache "shmcb:$dir/run/ssl_scache(512000)"
DocumentRoot "$dir/cgi-bin"
ScriptAlias /wsman "$dir/cgi-bin/wsman"
SetEnv RDMS_CGI_LOG "$dir/cgi.log"
<Location /wsman>
$auth
</Location>
CONF

setsid env "${acceptor_env[@]}" "$httpd" -f "$dir/httpd.conf" -DFOREGROUND \
	> "$dir/apache.out" 2>&1 < /dev/null &
echo $! > "$dir/apache.pid"
for _ in $(seq 600); do
	port_free "$port" || break
	kill -0 "$(cat "$dir/apache.pid")" 2>/dev/null || break
	sleep 0.1
done
# Listening, and alive: an apache2 that could not bind exits, and then what
# answers on the port is someone else's.
if port_free "$port" || ! kill -0 "$(cat "$dir/apache.pid")" 2>/dev/null; then
	echo "apache.sh: apache2 did not start on 127.0.0.1:$port" >&2
	cat "$dir/apache.out" "$dir/error.log" >&2 2>/dev/null || true
	stop_pid "$dir/apache.pid"
	exit 1
fi

cat > "$dir/apache.env" <<ENV
export APACHE_PORT='$port'
export APACHE_URL='https://localhost:$port/wsman'
export APACHE_PID='$(cat "$dir/apache.pid")'
export APACHE_ACCESS_LOG='$dir/access.log'
export APACHE_AUTH_LOG='$dir/auth.log'
export APACHE_ERROR_LOG='$dir/error.log'
export APACHE_CGI_LOG='$dir/cgi.log'
ENV
echo "apache.sh: $mode on https://localhost:$port/wsman, env in $dir/apache.env"
