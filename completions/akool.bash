# akool completion for bash: source it (e.g. from ~/.bashrc), or put it where
# bash-completion looks (~/.local/share/bash-completion/completions/akool).
# Each value is quoted (printf %q) before it goes on the line: a value is data, never
# shell syntax, whatever it holds.
_akool_completion() {
    local value quoted
    COMPREPLY=()
    while IFS= read -r value; do
        [ -n "$value" ] || continue
        printf -v quoted '%q' "$value"
        COMPREPLY+=("$quoted")
    done < <(_AKOOL_COMPLETE=bash _AKOOL_COMPLETE_ARGS="${COMP_LINE:0:$COMP_POINT}" \
             "$1" 2>/dev/null)
    return 0
}
complete -o default -F _akool_completion akool
