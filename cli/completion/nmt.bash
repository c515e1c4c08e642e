# Bash completion for nmt: commands, each command's long options, the values
# of options that list them (--length-penalty wu|avg|none) and file names for
# options taking a FILE. All of it is read from `nmt --help` and
# `nmt COMMAND --help` as the completion runs, so it follows the nmt in use.

# The options of a command's --help, one per line: LONG SHORT VALUE, SHORT and
# VALUE "-" when there are none. Boost.Program_options writes an option as
# "  -m [ --model ] FILE (=x)   description", "  --scores   description" or
# "  --alignment [=hard|soft(=hard)]   description".
_nmt_options() {
  "$1" "$2" --help 2>/dev/null | awk '
    /^  -/ {
      synopsis = $0; sub(/^ +/, "", synopsis); sub(/  .*/, "", synopsis)
      n = split(synopsis, word, " ")
      if (n >= 4 && word[2] == "[") { short = word[1]; long = word[3]; value = (n >= 5 ? word[5] : "") }
      else { short = "-"; long = word[1]; value = (n >= 2 ? word[2] : "") }
      # An optional value: "[=hard|soft(=hard)]".
      if (value ~ /^\[=/) { sub(/^\[=/, "", value); sub(/(\(=[^)]*\))?\]$/, "", value) }
      if (value == "" || value ~ /^\(/) value = "-"
      print long, short, value
    }'
}

_nmt() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local nmt=${COMP_WORDS[0]/#\~/$HOME}
  COMPREPLY=()
  if ((COMP_CWORD == 1)); then
    local commands
    commands=$("$nmt" --help 2>/dev/null | awk '/^Commands:/ { listed = 1; next } listed && /^  [a-z]/ { print $1 }')
    mapfile -t COMPREPLY < <(compgen -W "$commands --help --version" -- "$cur")
    return 0
  fi
  # Bash splits "--model=FILE" at "=" (COMP_WORDBREAKS).
  if [[ $cur == "=" ]]; then
    cur=""
  elif [[ $prev == "=" ]] && ((COMP_CWORD >= 3)); then
    prev=${COMP_WORDS[COMP_CWORD-2]}
  fi

  local options value=""
  options=$(_nmt_options "$nmt" "${COMP_WORDS[1]}")
  [[ -n $options ]] || return 0
  if [[ $prev == -* ]]; then
    value=$(awk -v option="$prev" '$1 == option || $2 == option { print $3; exit }' <<< "$options")
  fi
  case $value in
    *FILE*)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      ;;
    *"|"*)
      mapfile -t COMPREPLY < <(compgen -W "${value//|/ }" -- "$cur")
      ;;
    "" | -)
      if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(awk '{ print $1 }' <<< "$options")" -- "$cur")
      fi
      ;;
  esac
  return 0
}

# -o default: file names where nothing above applies (positional files,
# options whose value the help calls "arg").
complete -o default -F _nmt nmt
