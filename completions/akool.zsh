#compdef akool
# akool completion for zsh: save it as _akool in a directory on $fpath (before compinit
# runs), or source it after compinit.
_akool() {
    local -a lines
    lines=("${(@f)$(_AKOOL_COMPLETE=zsh _AKOOL_COMPLETE_ARGS="${(j: :)words[1,CURRENT]}" \
                    ${words[1]} 2>/dev/null)}")
    lines=(${lines:#})
    if (( ${#lines} )); then
        _describe -t values 'akool' lines
    else
        _files
    fi
}
if [[ "${funcstack[1]}" == "_akool" ]]; then
    _akool "$@"
else
    compdef _akool akool
fi
