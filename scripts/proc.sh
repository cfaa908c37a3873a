# proc.sh - start/stop helpers for the test servers (kdc.sh, apache.sh).
# Sourced, not run.

# stop_pid PIDFILE: SIGTERM to the process group (the daemons run under
# setsid), then the process; SIGKILL after 5 s. An exited PID is stopped.
stop_pid() {
	local pidfile=$1 pid
	[ -f "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$pidfile"
}

# port_free PORT: nothing accepts connections on 127.0.0.1:PORT.
port_free() {
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pick_port: a free TCP port of 127.0.0.1 below the kernel's ephemeral range
# (net.ipv4.ip_local_port_range), so that neither a server bound to port 0
# nor an outgoing connection of another test can take it between this check
# and the bind. Two servers that pick ports this way can still meet: the
# caller checks that the process it started is the one listening.
pick_port() {
	local lo=20000 hi p
	hi=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
	hi=$((${hi:-32768} - 1))
	[ "$hi" -gt $((lo + 1000)) ] || lo=10000
	for _ in $(seq 50); do
		p=$((lo + RANDOM % (hi - lo + 1)))
		port_free "$p" && { echo "$p"; return 0; }
	done
	return 1
}
