# akool completion for fish: save it as ~/.config/fish/completions/akool.fish.
function __akool_complete
    set -l line (commandline -cp | string collect)
    set -l found (env _AKOOL_COMPLETE=fish _AKOOL_COMPLETE_ARGS=$line akool 2>/dev/null)
    if test (count $found) -gt 0
        printf '%s\n' $found
    else
        __fish_complete_path (commandline -ct)
    end
end
complete -c akool -f -a '(__akool_complete)'
