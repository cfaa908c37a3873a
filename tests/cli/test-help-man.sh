#!/usr/bin/env bash
# test-help-man.sh - --help of rdmsctl and of each subcommand lists exactly
# the options the man page documents; the completion script completes.
set -euo pipefail
. "${RDMS_TOP_SRCDIR:?}/tests/cli/lib.sh"
man="$RDMS_TOP_SRCDIR/man/rdmsctl.1"

man_opts=$(sed -n '/^\.SH OPTIONS/,/^\.SH JSON/p' "$man" | grep -oE '\\-\\-[a-z\\-]+' |
	sed 's/\\//g' | sort -u)
for sub in "" invoke get put enumerate identify describe parse job collection session host \
	server app broker batch; do
	help_opts=$("$RDMSCTL" $sub --help | grep -oE -- '--[a-z][a-z-]*' | sort -u)
	if [ "$help_opts" = "$man_opts" ]; then
		ok "rdmsctl $sub --help matches the man page"
	else
		bad "rdmsctl $sub --help differs from the man page" \
			"$(diff <(echo "$help_opts") <(echo "$man_opts") || true)"
	fi
done
# every command in --help has a man page entry
for sub in $("$RDMSCTL" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR>1 && NF {print $1}'); do
	grep -q "^\.B $sub" "$man" && ok "man documents $sub" || bad "man lacks $sub"
done
# every exit status in the man page is the one --help states
help=$("$RDMSCTL" --help)
for s in 0 1 2 3 4 5 6 7; do
	grep -q "$s " <<<"$help" && ok "help names exit status $s" || bad "help lacks exit status $s"
done
if command -v man >/dev/null 2>&1; then
	run man -l "$man"; expect "man page renders" 0 "EXIT STATUS"
fi

# completion
if [ -f /usr/share/bash-completion/bash_completion ] || true; then
	out=$(PATH="$(dirname "$RDMSCTL"):$PATH" bash -c '
		. "$0"
		COMP_WORDS=(rdmsctl invoke Win32_RDMSVirtualDesktopCollection Provisioning); COMP_CWORD=3
		_rdmsctl; printf "%s\n" "${COMPREPLY[@]}"' "$RDMS_TOP_SRCDIR/completion/rdmsctl.bash")
	grep -qx ProvisioningJobCancel <<<"$out" && ok "completion of methods" ||
		bad "completion of methods" "$out"
	out=$(PATH="$(dirname "$RDMSCTL"):$PATH" bash -c '
		. "$0"
		COMP_WORDS=(rdmsctl invoke Win32_RDMSVirtualDesktopC); COMP_CWORD=2
		_rdmsctl; printf "%s\n" "${COMPREPLY[@]}"' "$RDMS_TOP_SRCDIR/completion/rdmsctl.bash")
	[ "$out" = Win32_RDMSVirtualDesktopCollection ] && ok "completion of classes" ||
		bad "completion of classes" "$out"
	# every command of --help completes
	out=$(PATH="$(dirname "$RDMSCTL"):$PATH" bash -c '
		. "$0"
		COMP_WORDS=(rdmsctl ""); COMP_CWORD=1
		_rdmsctl; printf "%s\n" "${COMPREPLY[@]}"' "$RDMS_TOP_SRCDIR/completion/rdmsctl.bash")
	for sub in $("$RDMSCTL" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR>1 && NF {print $1}'); do
		grep -qx "$sub" <<<"$out" && ok "completion offers $sub" || bad "completion lacks $sub"
	done
	out=$(PATH="$(dirname "$RDMSCTL"):$PATH" bash -c '
		. "$0"
		COMP_WORDS=(rdmsctl host drain u); COMP_CWORD=3
		_rdmsctl; printf "%s\n" "${COMPREPLY[@]}"' "$RDMS_TOP_SRCDIR/completion/rdmsctl.bash")
	[ "$out" = until-reboot ] && ok "completion of host drain" || bad "completion of host drain" "$out"
	# options (with their values) before the command; NAME= from the catalogue
	complete_words() {
		PATH="$(dirname "$RDMSCTL"):$PATH" bash -c '
			. "$0"; shift
			COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
			_rdmsctl; printf "%s\n" "${COMPREPLY[@]}"' \
			"$RDMS_TOP_SRCDIR/completion/rdmsctl.bash" x "$@"
	}
	out=$(complete_words rdmsctl -H broker.corp -u 'CORP\admin' --auth ntlm invoke Win32_TerminalServiceS)
	[ "$out" = Win32_TerminalServiceSetting ] && ok "completion after options" ||
		bad "completion after options" "$out"
	out=$(complete_words rdmsctl -o json invoke Win32_Process Create "")
	[ "$out" = "$(printf 'CommandLine=\nCurrentDirectory=\nProcessStartupInformation=')" ] &&
		ok "completion of NAME= parameters" || bad "completion of NAME= parameters" "$out"
	out=$(complete_words rdmsctl invoke Win32_RDMSVirtualDesktopCollection ProvisioningEnumerateJobs JobType=)
	[ "$out" = "$(printf 'JobType=0\nJobType=1')" ] && ok "completion of parameter values" ||
		bad "completion of parameter values" "$out"
	out=$(complete_words rdmsctl invoke Win32_TerminalServiceSetting SetAllowTSConnections -s "")
	[ "$out" = "ServerName=" ] && ok "completion of -s keys" || bad "completion of -s keys" "$out"
	out=$(complete_words rdmsctl put Win32_TerminalServiceSetting SessionBrokerDrainMode=Not)
	[ "$out" = "SessionBrokerDrainMode=NotUntilReboot" ] && ok "completion of value aliases" ||
		bad "completion of value aliases" "$out"
	out=$(complete_words rdmsctl describe "")
	[ "$(grep -c . <<<"$out")" -eq 96 ] && ok "completion offers all 96 classes" ||
		bad "completion offers $(grep -c . <<<"$out") classes" "$out"
fi
finish
