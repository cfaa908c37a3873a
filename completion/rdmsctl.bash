# bash completion for rdmsctl: subcommands, options, and RDMS classes and
# methods from the built-in catalogue (rdmsctl describe).
_rdmsctl() {
	local cur prev words cword
	_init_completion 2>/dev/null || {
		cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
		words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
	local cmds="invoke get put enumerate identify describe parse job collection session host server app broker batch"
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
	local i cmd="" pos=()
	for ((i = 1; i < cword; i++)); do
		[[ ${words[i]} == -* ]] && continue
		[ -z "$cmd" ] && { cmd=${words[i]}; continue; }
		pos+=("${words[i]}")
	done
	case $cmd in
	"") COMPREPLY=($(compgen -W "$cmds" -- "$cur")) ;;
	invoke|describe|get|put|enumerate)
		if [ ${#pos[@]} -eq 0 ]; then
			COMPREPLY=($(compgen -W "$(rdmsctl describe 2>/dev/null | awk '{print $1}')" -- "$cur"))
		elif [ ${#pos[@]} -eq 1 ] && [[ $cmd == invoke || $cmd == describe ]]; then
			COMPREPLY=($(compgen -W "$(rdmsctl describe "${pos[0]}" 2>/dev/null |
				sed -n 's/^  \(static \)\{0,1\}\([A-Za-z0-9_]*\)(.*/\2/p')" -- "$cur"))
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
