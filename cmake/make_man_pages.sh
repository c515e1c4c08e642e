#!/usr/bin/env bash
# make_man_pages.sh NMT HELP2MAN OUTDIR: nmt.1 from `nmt --help` and one
# nmt-COMMAND.1 per command from `nmt COMMAND --help`. The commands are read
# from the list `nmt --help` prints, so a new command gets its page unasked.
set -euo pipefail
nmt=$1 help2man=$2 out=$3

help=$("$nmt" --help)
commands=$(awk '/^Commands:/ { listed = 1; next } listed && /^  [a-z]/ { print $1 }' <<< "$help")
[ -n "$commands" ] || { echo "make_man_pages.sh: no commands listed by '$nmt --help'" >&2; exit 1; }
version=$("$nmt" --version | awk '{ print $2 }')
tagline=$(head -n 1 <<< "$help" | sed 's/^[^:]*: *//')

mkdir -p "$out"
rm -f "$out"/*.1
includes=$(mktemp -d); trap 'rm -rf "$includes"' EXIT
{
  echo "[SEE ALSO]"
  for command in $commands; do echo ".BR nmt\\-$command (1),"; done | sed '$ s/,$//'
} > "$includes/nmt.h2m"
printf '[SEE ALSO]\n.BR nmt (1)\n' > "$includes/command.h2m"

"$help2man" --no-info --name="$tagline" --include="$includes/nmt.h2m" --output="$out/nmt.1" "$nmt"
for command in $commands; do
  summary=$(awk -v command="$command" '$1 == command { $1 = ""; sub(/^ +/, ""); print; exit }' \
    <<< "$(sed -n '/^Commands:/,$p' <<< "$help")")
  # help2man names the page after the program in the version string.
  "$help2man" --no-info --version-string="nmt-$command (nmt) $version" --name="$summary" \
    --help-option="$command --help" --include="$includes/command.h2m" --output="$out/nmt-$command.1" "$nmt"
done
