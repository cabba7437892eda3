#!/bin/sh
# As in the official Node images: arguments that start with "-", or whose first word is not a command on PATH (or is
# a file that is not executable), are handed to node; anything else runs as given.
set -e
if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1")" ] || { [ -f "$1" ] && [ ! -x "$1" ]; }; then
  set -- node "$@"
fi
exec "$@"
