# akool completion for bash: source it (e.g. from ~/.bashrc), or put it where
# bash-completion looks (~/.local/share/bash-completion/completions/akool).
_akool_completion() {
    local IFS=$'\n'
    COMPREPLY=( $(_AKOOL_COMPLETE=bash _AKOOL_COMPLETE_ARGS="${COMP_LINE:0:$COMP_POINT}" \
                  "$1" 2>/dev/null) )
    return 0
}
complete -o default -F _akool_completion akool
