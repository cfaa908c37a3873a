# bash completion for rdmsctl: subcommands and options (from rdmsctl --help),
# and classes, methods, keys, NAME= parameters and their values from the
# built-in catalogue (rdmsctl describe), wherever the options stand.

# Options that take a value, short and long ("-H", "--host", ...).
_rdmsctl_valued_opts() {
	rdmsctl --help 2>/dev/null |
		sed -n 's/^ *\(-[A-Za-z]\)\{0,1\},\{0,1\} *\(--[a-z-]*\) [A-Z][A-Z|]*.*/\1 \2/p'
}

# In parameters of CLASS.METHOD, or writable properties of CLASS, as NAME=.
_rdmsctl_names() {
	if [ -n "$2" ]; then
		rdmsctl describe "$1" "$2" 2>/dev/null |
			sed -n 's/^    \(in\|in\/out\) \{1,\}[^ ]\{1,\} \{1,\}\([A-Za-z0-9_]*\).*/\2=/p'
	else
		rdmsctl describe "$1" 2>/dev/null |
			sed -n 's/^    [^ ]\{1,\} \{1,\}\([A-Za-z0-9_]*\) \{1,\}read\/write.*/\1=/p'
	fi
}

# Values of NAME from its value map: the value and its input alias.
_rdmsctl_values() {
	local what
	if [ -n "$2" ]; then what=$(rdmsctl describe "$1" "$2" 2>/dev/null)
	else what=$(rdmsctl describe "$1" 2>/dev/null); fi
	awk -v want="$3" '
		/^    [^ ]/ { cur = ($1 ~ /^(in|out|in\/out)$/) ? $3 : $2; next }
		/^             / && cur == want {
			print $1
			if (match($0, /\(input: [^)]*\)/))
				print substr($0, RSTART + 8, RLENGTH - 9)
		}' <<<"$what"
}

_rdmsctl() {
	local cur prev words cword
	_init_completion -n = 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
	case $prev in
	--auth) COMPREPLY=($(compgen -W "negotiate kerberos ntlm basic none" -- "$cur")); return ;;
	-o|--output) COMPREPLY=($(compgen -W "text json xml" -- "$cur")); return ;;
	--state) COMPREPLY=($(compgen -W "active disconnected" -- "$cur")); return ;;
	--encrypt) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
	--cacert|--keytab|--password-file|--hosts) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(rdmsctl --help 2>/dev/null | grep -oE -- '--[a-z-]+' | sort -u)" -- "$cur"))
		return
	fi
	# The command is the first word that is neither an option nor an
	# option's value, so "rdmsctl -H broker -u admin invoke ..." works.
	local valued=" $(_rdmsctl_valued_opts | tr '\n' ' ') " i cmd="" pos=() selector=0
	for ((i = 1; i < cword; i++)); do
		if [[ ${words[i]} == -* ]]; then
			[[ ${words[i]} != *=* && $valued == *" ${words[i]} "* ]] && ((i++))
			continue
		fi
		[ -z "$cmd" ] && { cmd=${words[i]}; continue; }
		pos+=("${words[i]}")
	done
	[[ $prev == -s || $prev == --selector ]] && selector=1
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$(rdmsctl --help 2>/dev/null |
			sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')" -- "$cur"))
		return
	fi
	local cls=${pos[0]:-} method=""
	case $cmd in
	invoke|describe|get|enumerate|put)
		if [ $selector = 1 ] && [ -n "$cls" ]; then
			# -s KEY=: the class's keys
			COMPREPLY=($(compgen -W "$(rdmsctl describe "$cls" 2>/dev/null |
				sed -n 's/^  Keys: *//p' | sed 's/ (.*//' | tr ' ' '\n' | sed '/^$/d; /^none$/d; s/$/=/')" -- "$cur"))
			compopt -o nospace 2>/dev/null
			return
		fi
		if [ ${#pos[@]} -eq 0 ]; then
			COMPREPLY=($(compgen -W "$(rdmsctl describe 2>/dev/null |
				sed -n 's/^  \([A-Za-z0-9_]*\) .*/\1/p')" -- "$cur"))
			return
		fi
		if [ ${#pos[@]} -eq 1 ] && [[ $cmd == invoke || $cmd == describe ]]; then
			COMPREPLY=($(compgen -W "$(rdmsctl describe "$cls" 2>/dev/null |
				sed -n 's/^    \(static \)\{0,1\}\([A-Za-z0-9_]*\)(.*/\2/p')" -- "$cur"))
			return
		fi
		[[ $cmd == invoke ]] && method=${pos[1]}
		[[ $cmd == invoke || $cmd == put ]] || return
		if [[ $cur == *=* ]]; then
			local name=${cur%%=*}
			COMPREPLY=($(compgen -P "$name=" -W "$(_rdmsctl_values "$cls" "$method" "$name")" -- "${cur#*=}"))
		else
			COMPREPLY=($(compgen -W "$(_rdmsctl_names "$cls" "$method")" -- "$cur"))
			compopt -o nospace 2>/dev/null
		fi ;;
	job) [ ${#pos[@]} -eq 0 ] && COMPREPLY=($(compgen -W "list report cancel" -- "$cur")) ;;
	collection) [ ${#pos[@]} -eq 0 ] && COMPREPLY=($(compgen -W "list show" -- "$cur")) ;;
	session) [ ${#pos[@]} -eq 0 ] &&
		COMPREPLY=($(compgen -W "list logoff disconnect message" -- "$cur")) ;;
	host)
		if [ ${#pos[@]} -eq 0 ]; then
			COMPREPLY=($(compgen -W "list drain" -- "$cur"))
		elif [ ${#pos[@]} -eq 1 ] && [ "${pos[0]}" = drain ]; then
			COMPREPLY=($(compgen -W "on off until-reboot" -- "$cur"))
		fi ;;
	server|app) [ ${#pos[@]} -eq 0 ] && COMPREPLY=($(compgen -W "list" -- "$cur")) ;;
	broker) [ ${#pos[@]} -eq 0 ] && COMPREPLY=($(compgen -W "active" -- "$cur")) ;;
	parse|batch) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -F _rdmsctl rdmsctl
