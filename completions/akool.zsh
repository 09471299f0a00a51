
#compdef akool

_akool_completion() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" _AKOOL_COMPLETE=complete_zsh akool)
}

compdef _akool_completion akool

